"""Word lists for the sample network: names, places, phone plans, employers, subjects.

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


class Company(NamedTuple):
    name: str
    domain: str
    industry: str


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _c(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


HOME_REGION = "us"

REGIONS: tuple[Region, ...] = (
    Region(
        "us",
        "United States",
        30.0,
        _w(
            "James Emily Michael Sarah David Jessica Chris Ashley Daniel Megan Ryan Lauren Tyler "
            "Rachel Brandon Hannah Kevin Olivia Jordan Taylor Marcus Brianna Nathan Kayla Eric "
            "Danielle Justin Courtney Aaron Morgan"
        ),
        _w(
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
        _w(
            "Oliver Amelia Harry Isla George Charlotte Jack Sophie Alfie Freya Callum Imogen Rhys "
            "Eleanor Fraser Poppy Archie Niamh Hamish Harriet Ewan Philippa Toby Orla"
        ),
        _w(
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
        _w(
            "Lukas Anna Jonas Lena Felix Sophia Maximilian Leonie Tobias Katharina Jürgen Mareike "
            "Sebastian Friederike Matthias Jana Niklas Svenja Florian Annika Moritz Greta"
        ),
        _w(
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
        _w(
            "Camille Louis Chloé Hugo Léa Mathieu Manon Antoine Élodie Julien Inès Théo Margaux "
            "Baptiste Clémence Guillaume Océane Nicolas Pauline Rémi"
        ),
        _w(
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
        _w(
            "Alejandro Lucía Javier María Pablo Carmen Sergio Sofía Álvaro Paula Adrián Marta "
            "Raúl Nerea Iñaki Ainhoa Jordi Montserrat"
        ),
        _w(
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
        _w(
            "Diego Valentina Mateo Camila Santiago Ximena Emiliano Regina Joaquín Fernanda Andrés "
            "Daniela Rodrigo Mariana Luis Guadalupe"
        ),
        _w(
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
        _w(
            "Giulia Marco Francesca Luca Chiara Alessandro Martina Matteo Federica Lorenzo Elena "
            "Davide Silvia Stefano Beatrice Tommaso"
        ),
        _w(
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
        _w("Daan Femke Bram Eline Joost Sanne Thijs Anouk Ruben Lotte Sem Fleur Jeroen Maaike"),
        _c(
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
        _w("Erik Astrid Lars Ingrid Oskar Linnea Anders Maja Johan Ebba Nils Saga Björn Frida"),
        _w(
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
        _w(
            "Łukasz Agnieszka Piotr Katarzyna Tomasz Magdalena Paweł Aleksandra Michał Joanna "
            "Krzysztof Zofia Wojciech Małgorzata"
        ),
        _w(
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
        _w(
            "Priya Arjun Ananya Rahul Divya Vikram Neha Aditya Kavya Rohan Sneha Karthik Meera "
            "Siddharth Pooja Varun Aishwarya Nikhil Shreya Anand Lakshmi Ravi"
        ),
        _w(
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
        _w("Wei Fang Jing Lei Min Jun Yan Hao Xin Ying Tao Li Qiang Mei Chen Yu Xiaoming Lina"),
        _w("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin Gao"),
        (("Shanghai", None), ("Beijing", None), ("Shenzhen", "Guangdong"), ("Hangzhou", None)),
        PhonePlan(
            "86", ("139", "138", "136", "186", "158"), 11, "### #### ####", "+86 ### #### ####"
        ),
    ),
    Region(
        "jp",
        "Japan",
        3.0,
        _w("Yuki Haruto Sakura Ren Aoi Sota Hina Kenji Yui Takumi Mei Daiki Rina Shota Ayaka"),
        _w(
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
        _c(
            "Ji-woo, Min-jun, Seo-yeon, Ji-hoon, Ha-eun, Do-yun, Su-bin, Hyun-woo, Ye-jin, "
            "Jae-won, Soo-ah, Dong-hyun"
        ),
        _w("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Shin"),
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
        _w(
            "João Ana Gabriel Beatriz Lucas Larissa Rafael Juliana Felipe Mariana Thiago Fernanda "
            "Bruno Letícia Gustavo Carolina"
        ),
        _w(
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
        _w(
            "Chinedu Ngozi Oluwaseun Adaeze Emeka Funmilayo Tunde Chiamaka Ifeanyi Yetunde Obinna "
            "Amaka Babajide Kemi"
        ),
        _w(
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
        _w("Omar Layla Ahmed Fatima Youssef Noor Khalid Mariam Hassan Sara Tariq Huda Karim Rania"),
        _c(
            "Haddad, Khalil, Nasser, Al Mansouri, Saleh, Farouk, Haidar, Mansour, Aziz, Rahman, "
            "Qureshi, El-Amin, Hamdan, Yousef"
        ),
        (("Dubai", None), ("Abu Dhabi", None)),
        PhonePlan("971", ("50", "52", "55", "56"), 9, "0## ### ####", "+971 ## ### ####"),
    ),
)

NICKNAMES: dict[str, str] = {
    "Christopher": "Chris",
    "Chris": "Chris",
    "Michael": "Mike",
    "Daniel": "Dan",
    "Alejandro": "Alex",
    "Alessandro": "Ale",
    "Katharina": "Kathi",
    "Maximilian": "Max",
    "Nathan": "Nate",
    "Elizabeth": "Liz",
    "Francesca": "Fran",
    "Guillaume": "Guille",
    "Oluwaseun": "Seun",
    "Funmilayo": "Funmi",
    "Krzysztof": "Krzyś",
    "Siddharth": "Sid",
    "Aishwarya": "Aish",
    "Jeroen": "Jer",
    "Valentina": "Vale",
}

FREEMAIL: tuple[str, ...] = (
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "outlook.com",
    "hotmail.com",
    "yahoo.com",
    "icloud.com",
    "proton.me",
    "fastmail.com",
)
REGIONAL_FREEMAIL: dict[str, str] = {
    "de": "gmx.de",
    "fr": "orange.fr",
    "gb": "btinternet.com",
    "br": "uol.com.br",
    "it": "libero.it",
    "cn": "qq.com",
    "jp": "yahoo.co.jp",
    "kr": "naver.com",
    "in": "rediffmail.com",
    "pl": "wp.pl",
    "nl": "ziggo.nl",
    "se": "telia.com",
}

COMPANIES: tuple[Company, ...] = tuple(
    Company(*row)
    for row in (
        ("Brightline Payments", "brightlinepay.com", "fintech"),
        ("Ledgerwise", "ledgerwise.io", "fintech"),
        ("Quayside Capital", "quaysidecapital.com", "venture capital"),
        ("Helio Health", "heliohealth.com", "healthcare"),
        ("Mosaic Clinics", "mosaicclinics.org", "healthcare"),
        ("Parallax Bio", "parallaxbio.com", "biotech"),
        ("Northwind Analytics", "northwind-analytics.com", "data"),
        ("Tessellate Data", "tessellate.ai", "data"),
        ("Cobalt Cloud", "cobaltcloud.io", "cloud"),
        ("Kestrel Security", "kestrelsec.com", "security"),
        ("Fernhill Studio", "fernhill.studio", "design"),
        ("Oddfellow Design Co", "oddfellow.design", "design"),
        ("Arcadia Robotics", "arcadiarobotics.com", "robotics"),
        ("Bluefin Logistics", "bluefinlogistics.com", "logistics"),
        ("Juniper & Vale", "junipervale.com", "consulting"),
        ("Halcyon Partners", "halcyonpartners.co", "consulting"),
        ("Greenwave Energy", "greenwave-energy.com", "climate"),
        ("Tidal Carbon", "tidalcarbon.earth", "climate"),
        ("Marigold Learning", "marigoldlearning.org", "education"),
        ("Pinecrest Media", "pinecrestmedia.com", "media"),
        ("Larkspur Games", "larkspurgames.com", "gaming"),
        ("Basil & Birch", "basilandbirch.com", "retail"),
        ("Copperline Motors", "copperlinemotors.com", "automotive"),
        ("Orbital Devices", "orbitaldevices.com", "hardware"),
        ("Whitlock Legal", "whitlocklegal.com", "legal"),
        ("OpenHarbor Foundation", "openharbor.org", "nonprofit"),
        ("Sable Insurance", "sableinsure.com", "insurtech"),
        ("Wayfarer Travel", "wayfarertravel.com", "travel"),
        ("Polestar Robotics Lab", "polestar-lab.io", "robotics"),
        ("Gridline Mobility", "gridline.city", "mobility"),
        ("Riverstone Bank", "riverstonebank.com", "banking"),
        ("Lattice Health AI", "latticehealth.ai", "healthcare"),
        ("Kindred Commerce", "kindredcommerce.com", "e-commerce"),
        ("Meridian Ventures", "meridian.vc", "venture capital"),
        ("Foxglove Analytics", "foxglove-analytics.com", "data"),
        ("Atlas Freight", "atlasfreight.co", "logistics"),
        ("Bramble Software", "bramble.dev", "developer tools"),
        ("Quillmark Publishing", "quillmark.com", "media"),
        ("Helix Therapeutics", "helixtx.com", "biotech"),
        ("Civic Loop", "civicloop.org", "govtech"),
    )
)

UNIVERSITIES: tuple[tuple[str, str], ...] = (
    ("University of Michigan", "umich.edu"),
    ("University of Edinburgh", "ed.ac.uk"),
    ("UC Berkeley", "berkeley.edu"),
    ("University of Toronto", "utoronto.ca"),
    ("Georgia Institute of Technology", "gatech.edu"),
)
DEGREES: tuple[str, ...] = (
    "BSc Computer Science",
    "BA Economics",
    "BSc Mathematics",
    "BA Design",
    "MSc Data Science",
    "BEng Mechanical Engineering",
    "BA Psychology",
    "MBA",
)

TITLES: tuple[str, ...] = _c(
    "Software Engineer, Senior Software Engineer, Staff Engineer, Engineering Manager, "
    "Product Manager, Senior Product Manager, Director of Product, Data Scientist, Data Engineer, "
    "UX Researcher, Product Designer, Design Director, Marketing Lead, Head of Growth, "
    "Account Executive, Customer Success Manager, Operations Manager, Talent Partner, "
    "Chief Financial Officer, CTO, Founder & CEO, Partner, Principal, Analyst, Consultant, "
    "Research Scientist, Solutions Architect, Head of Partnerships, VP Engineering, "
    "Program Manager, Clinical Lead, Policy Advisor, Content Strategist"
)
DEPARTMENTS: tuple[str, ...] = _c(
    "Engineering, Product, Design, Data, Marketing, Sales, Operations, People, Finance, Research"
)

# My own career tracks: (first title, second, current).
CAREER_TRACKS: tuple[tuple[str, str, str], ...] = (
    ("Data Analyst", "Product Manager", "Senior Product Manager"),
    ("Software Engineer", "Senior Software Engineer", "Engineering Manager"),
    ("Junior Designer", "Product Designer", "Design Lead"),
    ("Associate Consultant", "Strategy Manager", "Head of Operations"),
)

EVENTS: tuple[str, ...] = _c(
    "PyCon, Web Summit, SXSW, Config, re:Invent, Money20/20, HLTH, Strange Loop, "
    "a Product Tank meetup, a Women in Tech breakfast, Slush, a climate hackathon, "
    "the Lean Startup conference, a founders dinner, DevOpsDays"
)
HOBBIES: tuple[str, ...] = _c(
    "into climbing, runs marathons, two kids, loves jazz, plays chess, just got a dog, "
    "vegetarian, ex-rower, learning Japanese, bakes sourdough, cycles to work, big Arsenal fan, "
    "plays in a band, into birdwatching, surfer, collects vinyl, volunteers at a food bank"
)
NOTE_TEMPLATES: dict[str, tuple[str, ...]] = {
    "colleague": (
        "Worked together at {org}; {hobby}",
        "Sat next to me at {org}. Great at hiring.",
        "Mentor at {org} - gave great advice on switching teams",
        "Shipped the {project} launch together",
    ),
    "classmate": ("{school} classmate; {hobby}", "Study group at {school}", "Flatmate at uni"),
    "friend": ("Old friend; {hobby}", "Neighbour in {city}", "Friend of Jess; {hobby}"),
    "community": ("Met at {event} {year}; {hobby}", "Met at {event} {year}", "Spoke at {event}"),
    "client": ("Client on the {project} project", "Intro from Marcus; potential partner"),
    "linkedin": ("Recruiter, reached out about a role", "Connected after my talk"),
}
PROJECTS: tuple[str, ...] = _w("Atlas Phoenix Nimbus Orion Lighthouse Keystone Mercury Tundra")

SUBJECTS: dict[str, tuple[str, ...]] = {
    "work": _c(
        "Q3 planning, Design review: onboarding flow, Atlas launch checklist, 1:1 notes, "
        "Oncall handover, Hiring loop for the data role, Offsite agenda, "
        "Quick question about the billing migration, Draft: pricing memo, Customer escalation, "
        "Roadmap feedback, Interview debrief, Sprint retro notes, Budget for next year, "
        "Dashboard numbers look off, Postmortem: Tuesday outage, Coffee chat?, Team lunch Friday"
    ),
    "friend": _c(
        "Dinner Friday?, Photos from the hike, Happy birthday!, Climbing this weekend?, "
        "That book you mentioned, Moving day help, Wedding plans!!, Long time!, "
        "Are you around in August?, Recipe, Saturday?, Concert tickets, How did the interview go?"
    ),
    "classmate": _c(
        "Reunion?, Class photos, Catching up, Coffee when you're in town?, "
        "Remember Prof. Hartley?, Alumni dinner, Congrats on the new role"
    ),
    "community": _c(
        "Great meeting you, Slides from my talk, Intro, Following up, Meetup speakers, "
        "Podcast invite, Your blog post, Panel next month?, Reading list"
    ),
    "client": _c(
        "Proposal v2, Kickoff notes, Contract renewal, Statement of work, Timeline, "
        "Invoice for March, Workshop agenda, Next steps, Feedback on the prototype"
    ),
    "group-work": _c(
        "Team update, Launch day!, Offsite logistics, Weekly metrics, Farewell drinks for Pat, "
        "Incident review, Holiday party, Quarterly goals"
    ),
    "group-friend": _c(
        "Weekend plans, Camping trip, Board game night, Birthday dinner, Ski trip 🎿, Book club"
    ),
    "group-classmate": _c("Reunion planning, Class of alumni thread, Wedding of Kim and Ali"),
}
MEETINGS: dict[str, tuple[str, ...]] = {
    "work": _c("1:1, Project sync, Design review, Lunch, Coffee, Planning session, Whiteboarding"),
    "friend": _c("Dinner, Drinks, Brunch, Climbing, Coffee, Walk in the park, Movie night"),
    "classmate": _c("Coffee, Lunch, Drinks, Catch-up"),
    "community": _c("Coffee, Intro call, Lunch, Demo"),
    "client": _c("Kickoff, Workshop, Quarterly review, Steering meeting, Check-in"),
}
