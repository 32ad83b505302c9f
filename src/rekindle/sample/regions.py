"""Where the sample network's people live: names, cities and phone plans by country.

Everything here is invented or generic. Phone numbers follow each country's real numbering
plan (so they normalise to valid E.164); US numbers use the 555 exchange.
"""

from __future__ import annotations

from typing import NamedTuple


class PhonePlan(NamedTuple):
    """How a country's mobile numbers look: ``#`` in the templates takes one digit of the
    national significant number: a prefix, then random digits up to ``length``."""

    code: str
    prefixes: tuple[str, ...]
    length: int
    national: str
    international: str


class Region(NamedTuple):
    key: str
    country: str
    weight: float
    given: tuple[str, ...]
    family: tuple[str, ...]
    cities: tuple[tuple[str, str | None], ...]
    phone: PhonePlan


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def commas(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


REGIONS: tuple[Region, ...] = (
    Region(
        "us",
        "United States",
        30.0,
        words(
            "James Emily Michael Sarah David Jessica Chris Ashley Daniel Megan Ryan Lauren Tyler "
            "Rachel Brandon Hannah Kevin Olivia Jordan Taylor Marcus Brianna Nathan Kayla Eric "
            "Danielle Justin Courtney Aaron Morgan"
        ),
        words(
            "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Thomas Moore Martin "
            "Jackson Thompson White Harris Clark Lewis Walker Young Allen King Scott Green Baker "
            "Adams Nelson Carter Mitchell Roberts Reed Cook Bailey Cooper Bell"
        ),
        (
            ("San Francisco", "CA"),
            ("New York", "NY"),
            ("Austin", "TX"),
            ("Chicago", "IL"),
            ("Seattle", "WA"),
            ("Boston", "MA"),
            ("Denver", "CO"),
            ("Oakland", "CA"),
        ),
        PhonePlan(
            "1",
            (
                "202555",
                "212555",
                "312555",
                "415555",
                "512555",
                "617555",
                "206555",
                "303555",
                "404555",
                "646555",
                "718555",
                "773555",
                "310555",
                "510555",
            ),
            10,
            "(###) ###-####",
            "+1 ###-###-####",
        ),
    ),
    Region(
        "gb",
        "United Kingdom",
        8.0,
        words(
            "Oliver Amelia Harry Isla George Charlotte Jack Sophie Alfie Freya Callum Imogen Rhys "
            "Eleanor Fraser Poppy Archie Niamh Hamish Harriet Ewan Philippa Toby Orla"
        ),
        words(
            "Taylor Evans Hughes Wright Roberts Walsh Murphy Campbell Stewart Kelly Hall Wood Turner "
            "Cooper Morgan Price Lloyd Bennett Fletcher Doyle Gallagher Whitfield Pritchard Ashworth"
        ),
        (("London", None), ("Manchester", None), ("Edinburgh", None), ("Bristol", None)),
        PhonePlan("44", ("7400", "7812", "7956", "7720"), 10, "0#### ######", "+44 #### ######"),
    ),
    Region(
        "de",
        "Germany",
        6.0,
        words(
            "Lukas Anna Jonas Lena Felix Sophia Maximilian Leonie Tobias Katharina Jürgen Mareike "
            "Sebastian Friederike Matthias Jana Niklas Svenja Florian Annika Moritz Greta"
        ),
        words(
            "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
            "Bauer Richter Klein Wolf Schröder Neumann Zimmermann Krüger Hartmann Lange"
        ),
        (("Berlin", None), ("Munich", "Bavaria"), ("Hamburg", None), ("Cologne", None)),
        PhonePlan("49", ("151", "152", "157", "176"), 11, "0### ########", "+49 ### ########"),
    ),
    Region(
        "fr",
        "France",
        5.0,
        words(
            "Camille Louis Chloé Hugo Léa Mathieu Manon Antoine Élodie Julien Inès Théo Margaux "
            "Baptiste Clémence Guillaume Océane Nicolas Pauline Rémi"
        ),
        words(
            "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
            "Lefèvre Michel Garnier Faure Rousseau Fontaine Chevalier Girard"
        ),
        (("Paris", None), ("Lyon", None), ("Bordeaux", None), ("Nantes", None)),
        PhonePlan(
            "33",
            ("61", "62", "64", "66", "67", "75", "77"),
            9,
            "0# ## ## ## ##",
            "+33 # ## ## ## ##",
        ),
    ),
    Region(
        "es",
        "Spain",
        4.0,
        words(
            "Alejandro Lucía Javier María Pablo Carmen Sergio Sofía Álvaro Paula Adrián Marta "
            "Raúl Nerea Iñaki Ainhoa Jordi Montserrat"
        ),
        words(
            "García Rodríguez Martínez López González Fernández Sánchez Pérez Gómez Martín Jiménez "
            "Ruiz Navarro Romero Ortega Iglesias Castro Vidal"
        ),
        (("Madrid", None), ("Barcelona", None), ("Valencia", None), ("Bilbao", None)),
        PhonePlan("34", ("6",), 9, "### ## ## ##", "+34 ### ## ## ##"),
    ),
    Region(
        "mx",
        "Mexico",
        4.0,
        words(
            "Diego Valentina Mateo Camila Santiago Ximena Emiliano Regina Joaquín Fernanda Andrés "
            "Daniela Rodrigo Mariana Luis Guadalupe"
        ),
        words(
            "Hernández González Ramírez Torres Flores Rivera Morales Castillo Reyes Cruz Mendoza "
            "Ortiz Guerrero Vargas Aguilar Delgado"
        ),
        (("Mexico City", "CDMX"), ("Guadalajara", "Jalisco"), ("Monterrey", "Nuevo León")),
        PhonePlan("52", ("55", "33", "81"), 10, "## #### ####", "+52 ## #### ####"),
    ),
    Region(
        "it",
        "Italy",
        3.0,
        words(
            "Giulia Marco Francesca Luca Chiara Alessandro Martina Matteo Federica Lorenzo Elena "
            "Davide Silvia Stefano Beatrice Tommaso"
        ),
        words(
            "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo "
            "Conti Costa Giordano Mancini"
        ),
        (("Milan", None), ("Rome", None), ("Turin", None), ("Bologna", None)),
        PhonePlan("39", ("32", "33", "34", "38"), 10, "### ### ####", "+39 ### ### ####"),
    ),
    Region(
        "nl",
        "Netherlands",
        3.0,
        words("Daan Femke Bram Eline Joost Sanne Thijs Anouk Ruben Lotte Sem Fleur Jeroen Maaike"),
        commas(
            "de Vries, Jansen, van den Berg, Bakker, Visser, Smit, Meijer, de Boer, Mulder, "
            "de Groot, Bos, Vos, Peters, Hendriks, van Dijk, Dekker"
        ),
        (("Amsterdam", None), ("Rotterdam", None), ("Utrecht", None), ("Eindhoven", None)),
        PhonePlan("31", ("61", "62", "64", "65"), 9, "0# ########", "+31 # ########"),
    ),
    Region(
        "se",
        "Sweden",
        2.5,
        words("Erik Astrid Lars Ingrid Oskar Linnea Anders Maja Johan Ebba Nils Saga Björn Frida"),
        words(
            "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Lindqvist "
            "Lindström Bergström Holm Sjöberg Lundgren"
        ),
        (("Stockholm", None), ("Gothenburg", None), ("Malmö", None)),
        PhonePlan("46", ("70", "72", "73", "76"), 9, "0##-### ## ##", "+46 ## ### ## ##"),
    ),
    Region(
        "pl",
        "Poland",
        2.5,
        words(
            "Łukasz Agnieszka Piotr Katarzyna Tomasz Magdalena Paweł Aleksandra Michał Joanna "
            "Krzysztof Zofia Wojciech Małgorzata"
        ),
        words(
            "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
            "Woźniak Dąbrowski Kozłowski Jankowski Mazur"
        ),
        (("Warsaw", None), ("Kraków", None), ("Wrocław", None), ("Gdańsk", None)),
        PhonePlan("48", ("50", "51", "60", "69", "79", "88"), 9, "### ### ###", "+48 ### ### ###"),
    ),
    Region(
        "in",
        "India",
        8.0,
        words(
            "Priya Arjun Ananya Rahul Divya Vikram Neha Aditya Kavya Rohan Sneha Karthik Meera "
            "Siddharth Pooja Varun Aishwarya Nikhil Shreya Anand Lakshmi Ravi"
        ),
        words(
            "Sharma Patel Iyer Reddy Nair Gupta Singh Kumar Rao Menon Desai Joshi Mehta Kapoor "
            "Chatterjee Banerjee Pillai Krishnan Agarwal Bhat Malhotra Venkatesan"
        ),
        (
            ("Bengaluru", "Karnataka"),
            ("Mumbai", "Maharashtra"),
            ("Hyderabad", "Telangana"),
            ("Pune", "Maharashtra"),
            ("Chennai", "Tamil Nadu"),
        ),
        PhonePlan("91", ("98", "99", "97", "70", "81"), 10, "0##### #####", "+91 ##### #####"),
    ),
    Region(
        "cn",
        "China",
        5.0,
        words("Wei Fang Jing Lei Min Jun Yan Hao Xin Ying Tao Li Qiang Mei Chen Yu Xiaoming Lina"),
        words("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin Gao"),
        (("Shanghai", None), ("Beijing", None), ("Shenzhen", "Guangdong"), ("Hangzhou", None)),
        PhonePlan(
            "86", ("139", "138", "136", "186", "158"), 11, "### #### ####", "+86 ### #### ####"
        ),
    ),
    Region(
        "jp",
        "Japan",
        3.0,
        words("Yuki Haruto Sakura Ren Aoi Sota Hina Kenji Yui Takumi Mei Daiki Rina Shota Ayaka"),
        words(
            "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida "
            "Yamada Sasaki Matsumoto Inoue Kimura"
        ),
        (("Tokyo", None), ("Osaka", None), ("Kyoto", None), ("Fukuoka", None)),
        PhonePlan("81", ("80", "901", "902", "903"), 10, "0##-####-####", "+81 ##-####-####"),
    ),
    Region(
        "kr",
        "South Korea",
        2.5,
        commas(
            "Ji-woo, Min-jun, Seo-yeon, Ji-hoon, Ha-eun, Do-yun, Su-bin, Hyun-woo, Ye-jin, "
            "Jae-won, Soo-ah, Dong-hyun"
        ),
        words("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Shin"),
        (("Seoul", None), ("Busan", None), ("Incheon", None)),
        PhonePlan(
            "82",
            ("101", "102", "103", "104", "106", "107"),
            10,
            "0##-####-####",
            "+82 ##-####-####",
        ),
    ),
    Region(
        "br",
        "Brazil",
        4.0,
        words(
            "João Ana Gabriel Beatriz Lucas Larissa Rafael Juliana Felipe Mariana Thiago Fernanda "
            "Bruno Letícia Gustavo Carolina"
        ),
        words(
            "Silva Santos Oliveira Souza Lima Pereira Ferreira Costa Rodrigues Almeida Nascimento "
            "Carvalho Araújo Ribeiro Barbosa Moreira"
        ),
        (
            ("São Paulo", "SP"),
            ("Rio de Janeiro", "RJ"),
            ("Belo Horizonte", "MG"),
            ("Porto Alegre", "RS"),
        ),
        PhonePlan("55", ("119", "219", "319"), 11, "(##) #####-####", "+55 ## #####-####"),
    ),
    Region(
        "ng",
        "Nigeria",
        3.0,
        words(
            "Chinedu Ngozi Oluwaseun Adaeze Emeka Funmilayo Tunde Chiamaka Ifeanyi Yetunde Obinna "
            "Amaka Babajide Kemi"
        ),
        words(
            "Okafor Adeyemi Okonkwo Balogun Eze Adebayo Nwosu Ogunleye Chukwu Afolabi Obi Bello "
            "Nnamdi Olawale"
        ),
        (("Lagos", None), ("Abuja", None), ("Port Harcourt", None)),
        PhonePlan("234", ("803", "806", "813", "703"), 10, "0### ### ####", "+234 ### ### ####"),
    ),
    Region(
        "ae",
        "United Arab Emirates",
        2.5,
        words(
            "Omar Layla Ahmed Fatima Youssef Noor Khalid Mariam Hassan Sara Tariq Huda Karim Rania"
        ),
        commas(
            "Haddad, Khalil, Nasser, Al Mansouri, Saleh, Farouk, Haidar, Mansour, Aziz, Rahman, "
            "Qureshi, El-Amin, Hamdan, Yousef"
        ),
        (("Dubai", None), ("Abu Dhabi", None)),
        PhonePlan("971", ("50", "52", "55", "56"), 9, "0## ### ####", "+971 ## ### ####"),
    ),
)
