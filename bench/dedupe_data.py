"""A seeded synthetic contact set with known truth, for the dedupe benchmark.

``generate(n_records, seed)`` returns ``(records, truth)`` where ``truth[i]`` is the true
person behind ``records[i]``. True people have Zipf-distributed given and family names (so
common names collide about as often as in a real population: John Smith seven times in
45,000 people), employers of Zipf-distributed size sharing an email domain, role addresses
and switchboards shared by colleagues, households sharing a landline (and now and then a
personal address). Each appears as 1–4 records from different sources (now and then twice
in one), each source writing names, addresses and numbers its own way: nicknames, typos,
initials, swapped order, accents dropped, Gmail dots and tags, case, national and
international phone formats, missing fields, an old employer in an old address book.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from dataclasses import dataclass

from rekindle.identity.records import AffiliationRecord, ContactRecord, RawIdentity

_MALE = """James John Robert Michael William David Richard Joseph Thomas Charles Christopher
Daniel Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George
Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry
Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis
Jerry Tyler Aaron José Adam Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy
Christian Keith Roger Terry Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan
Bryan Joe Bruce Gabriel Logan Albert Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene
Russell Mason Philip Louis Jürgen Søren Björn François Liam Oliver Lucas Mateo Hiroshi Arjun"""
_FEMALE = """Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy
Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa
Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela
Emma Nicole Helen Samantha Katherine Christine Rachel Carolyn Janet Catherine Maria Heather
Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith
Megan Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison Frances Kathryn
Janice Jean Abigail Alice Judy Sophia Grace Denise Amber Doris Marilyn Danielle Beverly
Isabella Theresa Diana Natalie Brittany Charlotte Marie Kayla Alexis Zoë Renée Daniela Paula
Ingrid Astrid Priya Yuki Chiara Lucía"""
_FAMILY = """Smith,Johnson,Williams,Brown,Jones,Garcia,Miller,Davis,Rodriguez,Martinez,Hernandez,
Lopez,Gonzalez,Wilson,Anderson,Thomas,Taylor,Moore,Jackson,Martin,Lee,Perez,Thompson,White,
Harris,Sanchez,Clark,Ramirez,Lewis,Robinson,Walker,Young,Allen,King,Wright,Scott,Torres,
Nguyen,Hill,Flores,Green,Adams,Nelson,Baker,Hall,Rivera,Campbell,Mitchell,Carter,Roberts,
Gomez,Phillips,Evans,Turner,Diaz,Parker,Cruz,Edwards,Collins,Reyes,Stewart,Morris,Morales,
Murphy,Cook,Rogers,Gutierrez,Ortiz,Morgan,Cooper,Peterson,Bailey,Reed,Kelly,Howard,Ramos,
Kim,Cox,Ward,Richardson,Watson,Brooks,Chavez,Wood,James,Bennett,Gray,Mendoza,Ruiz,Hughes,
Price,Alvarez,Castillo,Sanders,Patel,Myers,Long,Ross,Foster,Jimenez,Müller,Schmidt,Schneider,
Fischer,Weber,Meyer,Wagner,Becker,Schulz,Hoffmann,Koch,Richter,Klein,Wolf,Schröder,Neumann,
O'Brien,O'Connor,MacDonald,McCarthy,García,Martínez,Núñez,Ødegaard,Strauß,Łukasik,Dubois,
Lefèvre,Rossi,Russo,Bianchi,Novak,Kowalski,Nowak,Jansen,de Vries,van der Berg,van Dijk,
Tanaka,Suzuki,Sato,Chen,Wang,Li,Zhang,Liu,Singh,Kumar,Sharma,Gupta,Kaur,Okafor,Mensah"""
_SYL_START = """Ash Black Brad Bran Brook Cal Car Chad Clay Cold Dal Dun East Ell Fair Fen Gar
Glen Hal Hart Hay Holl Kel Kings Lang Lind Marsh Mid Mill Nor Oak Pem Ral Red Rock Ros Shel
Stan Stock Sut Thorn Tull Wal Wes Whit Win Wood York Ames Bel Cros Dray Fal Grim Hux"""
_SYL_MID = ("", "er", "in", "a", "el", "ing")
_SYL_END = """ford ley ton wick worth by field wood more land ham well stead bridge dale
combe hurst den ridge brook"""
_CO_A = """Acme Apex Atlas Beacon Blue Bright Cedar Clear Crest Delta Eagle Ever First Golden
Granite Harbor Horizon Iron Keystone Lake Liberty Maple Meridian Nova Oak Orion Pacific Peak
Pine Prime Quantum Red River Sierra Silver Stone Summit Sun Terra True Union Vertex West Zenith"""
_CO_B = """Analytics Bank Capital Consulting Dynamics Energy Foods Health Labs Logistics Media
Partners Robotics Software Systems Works Ventures Studios Insurance Networks"""
#: how people shorten their names (the generator's own idea, not the matcher's table)
_NICK = {
    "James": ["Jim", "Jimmy", "Jamie"], "John": ["Jack", "Johnny"], "Robert": ["Bob", "Rob", "Bobby"],
    "Michael": ["Mike", "Mick"], "William": ["Bill", "Will", "Billy"], "David": ["Dave"],
    "Richard": ["Rick", "Dick", "Rich"], "Joseph": ["Joe", "Joey"], "Thomas": ["Tom", "Tommy"],
    "Charles": ["Charlie", "Chuck"], "Christopher": ["Chris"], "Daniel": ["Dan", "Danny"],
    "Matthew": ["Matt"], "Anthony": ["Tony"], "Donald": ["Don"], "Steven": ["Steve"],
    "Andrew": ["Andy", "Drew"], "Joshua": ["Josh"], "Kenneth": ["Ken", "Kenny"],
    "Timothy": ["Tim"], "Ronald": ["Ron"], "Edward": ["Ed", "Eddie", "Ted"], "Jeffrey": ["Jeff"],
    "Nicholas": ["Nick"], "Jonathan": ["Jon"], "Stephen": ["Steve"], "Benjamin": ["Ben"],
    "Samuel": ["Sam"], "Gregory": ["Greg"], "Alexander": ["Alex", "Sasha"], "Patrick": ["Pat"],
    "Raymond": ["Ray"], "Zachary": ["Zach"], "Peter": ["Pete"], "Lawrence": ["Larry"],
    "Elizabeth": ["Liz", "Beth", "Betsy", "Betty"], "Patricia": ["Pat", "Trish"], "Jennifer": ["Jen", "Jenny"],
    "Margaret": ["Maggie", "Peggy", "Meg"], "Susan": ["Sue"], "Jessica": ["Jess"],
    "Kimberly": ["Kim"], "Deborah": ["Deb", "Debbie"], "Stephanie": ["Steph"],
    "Rebecca": ["Becky"], "Katherine": ["Kate", "Katie", "Kathy"], "Catherine": ["Cathy", "Kate"],
    "Samantha": ["Sam"], "Christine": ["Chris"], "Victoria": ["Vicky"], "Abigail": ["Abby"],
    "Pamela": ["Pam"], "Cynthia": ["Cindy"], "Judith": ["Judy"], "Alexis": ["Lexi"],
    "Isabella": ["Bella"], "Dorothy": ["Dot"], "Theresa": ["Terri"], "Frances": ["Fran"],
}  # fmt: skip
_SOURCES = ("linkedin", "phone", "gmail", "outlook", "mail", "vcard")
_FREE = (("gmail.com", 50), ("yahoo.com", 14), ("hotmail.com", 10), ("outlook.com", 10),
         ("icloud.com", 10), ("aol.com", 3), ("gmx.de", 3))  # fmt: skip
_ROLES = ("info", "sales", "team", "office", "hello", "contact", "support")
_AREAS = (212, 213, 312, 415, 404, 617, 646, 702, 713, 718, 206, 303, 305, 503, 512, 602,
          615, 619, 650, 703, 720, 773, 808, 917, 919, 925, 949, 971, 978, 984)  # fmt: skip
_CC = {"US": "1", "GB": "44", "DE": "49", "FR": "33"}


def _words(text: str, sep: str | None = None) -> list[str]:
    return [w.strip() for w in text.split(sep) if w.strip()]


def _ascii(text: str) -> str:
    s = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ł", "l")
    s = s.replace("Ł", "L")
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def _zipf(n: int, s: float, offset: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (k + offset) ** s for k in range(n)))


@dataclass
class _Person:
    pid: int
    given: str
    family: str
    middle: str
    goes_by: str
    country: str
    company: int
    work_email: str
    personal_email: str
    mobile: str
    landline: str
    linkedin: str
    old_company: int
    old_email: str


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.taken: set[str] = set()
        self.male, self.female = _words(_MALE), _words(_FEMALE)
        tail = [a + m + b for a in _words(_SYL_START) for m in _SYL_MID for b in _words(_SYL_END)]
        rng.shuffle(tail)
        self.family = _words(_FAMILY, ",") + tail
        # top given name ~3% of its gender, top family name ~0.5%, top 100 families ~25%:
        # about one person in five shares their full name with someone else (John Smith x7)
        self.given_w = _zipf(len(self.male), 0.7, 8)
        self.family_w = _zipf(len(self.family), 1.0, 40)
        combos = [(a, b) for a in _words(_CO_A) for b in _words(_CO_B)]
        rng.shuffle(combos)
        self.companies = []
        for i, (a, b) in enumerate(combos[:700]):
            domain = (a + b).lower() + rng.choice((".com", ".com", ".io", ".co.uk", ".de"))
            legal = rng.choice(("", "", " Inc.", ", LLC", " Ltd", " GmbH"))
            pattern = rng.choice(("first.last", "first.last", "flast", "firstl", "first"))
            role = f"{rng.choice(_ROLES)}@{domain}" if rng.random() < 0.5 else ""
            switchboard = self._number("US") if rng.random() < 0.4 else ""
            self.companies.append((f"{a} {b}{legal}", domain, pattern, role, switchboard, i))
        self.company_w = _zipf(len(self.companies), 1.0, 4)

    def _number(self, country: str) -> str:
        """A national significant number, unique across the set."""
        rng = self.rng
        while True:
            if country == "US":
                n = f"{rng.choice(_AREAS)}{rng.randint(200, 999)}{rng.randint(0, 9999):04d}"
            elif country == "GB":
                n = rng.choice(("20", "7")) + f"{rng.randint(0, 99999999):08d}"
                n = n if n.startswith("20") else n + str(rng.randint(0, 9))
            elif country == "DE":
                n = rng.choice(("30", "89", "151", "170")) + f"{rng.randint(0, 9999999):07d}"
            else:
                n = rng.choice(("1", "6", "7")) + f"{rng.randint(0, 99999999):08d}"
            if n not in self.taken:
                self.taken.add(n)
                return f"{country}:{n}"

    def _unique(self, local: str, domain: str) -> str:
        """An address no one else has (Gmail ignores dots, so 'j.doe' is 'jdoe')."""
        addr = f"{local}@{domain}"
        while (key := addr.replace(".", "", addr.count(".") - 1)) in self.taken:
            addr = f"{local}{self.rng.randint(1, 999)}@{domain}"
        self.taken.add(key)
        return addr

    def person(self, pid: int, home: list[_Person]) -> _Person:
        """A new person; with ``home``, a member of that household (same name, landline)."""
        rng = self.rng
        household = home[0] if home else None
        names = self.male if rng.random() < 0.5 else self.female
        given = rng.choices(names, cum_weights=self.given_w)[0]
        taken = {n for m in home for n in (m.given, *_NICK.get(m.given, ()))}
        while given in taken or set(_NICK.get(given, ())) & taken:  # no two Johns at home
            given = rng.choices(names, cum_weights=self.given_w)[0]
        family = (
            household.family
            if household
            else rng.choices(self.family, cum_weights=self.family_w)[0]
        )
        middle = rng.choice(self.male + self.female) if rng.random() < 0.35 else ""
        goes_by = rng.choice(_NICK[given]) if given in _NICK and rng.random() < 0.3 else given
        country = household.country if household else rng.choices(
            ("US", "GB", "DE", "FR"), (85, 5, 6, 4))[0]  # fmt: skip
        g, f = _ascii(given).lower(), _ascii(family).lower().replace(" ", "").replace("'", "")
        company = rng.choices(range(len(self.companies)), cum_weights=self.company_w)[0]
        company = company if rng.random() < 0.7 else -1
        work = ""
        if company >= 0:
            _, domain, pattern, *_ = self.companies[company]
            forms = {"first.last": f"{g}.{f}", "flast": g[0] + f, "firstl": g + f[0], "first": g}
            work = self._unique(forms[pattern], domain)
        personal = ""
        if rng.random() < 0.8:
            domain = rng.choices([d for d, _ in _FREE], [w for _, w in _FREE])[0]
            nick = _ascii(goes_by).lower()
            local = rng.choice((f"{g}.{f}", f"{g}{f}", f"{g[0]}{f}", f"{nick}.{f}{rng.randint(60, 99)}",
                                f"{g}_{f}", f"{f}.{g}", f"{nick}{rng.randint(1, 999)}"))  # fmt: skip
            personal = self._unique(local, domain)
        if household and rng.random() < 0.1 and household.personal_email:
            personal = household.personal_email  # a couple sharing one address
        mobile = self._number(country) if rng.random() < 0.85 else ""
        landline = household.landline if household else ""
        if not household and rng.random() < 0.3:
            landline = self._number(country)
        slug = ""
        if rng.random() < 0.6:
            slug = f"{g}-{f}-{rng.getrandbits(28):x}" if rng.random() < 0.7 else f"{g}{f}{pid}"
        old = (
            rng.choices(range(len(self.companies)), cum_weights=self.company_w)[0]
            if rng.random() < 0.3
            else -1
        )
        old_email = ""
        if old >= 0 and old != company:
            old_email = self._unique(f"{g}.{f}", self.companies[old][1])
        return _Person(pid, given, family, middle, goes_by, country, company, work, personal,
                       mobile, landline, slug, old, old_email)  # fmt: skip

    # -- how sources write things --------------------------------------------------------------

    def name_variant(self, p: _Person, source: str) -> tuple[str, str, str]:
        """(given, middle, family) as this record writes them."""
        rng = self.rng
        given = p.goes_by if source in ("linkedin", "phone", "mail") else p.given
        if rng.random() < 0.12 and p.given in _NICK:
            given = rng.choice([p.given, *_NICK[p.given]])
        family, middle = p.family, p.middle if rng.random() < 0.3 else ""
        if rng.random() < 0.5:
            given, family, middle = _ascii(given), _ascii(family), _ascii(middle)
        r = rng.random()
        if r < 0.03:
            given = self.typo(given)
        elif r < 0.06:
            family = self.typo(family)
        elif r < 0.09 and source in ("outlook", "mail", "vcard"):
            given = given[0] + "."
        if rng.random() < 0.04:
            given, family = (given.upper(), family.upper()) if rng.random() < 0.5 else (
                given.lower(), family.lower())  # fmt: skip
        return given, middle, family

    def typo(self, word: str) -> str:
        rng = self.rng
        if len(word) < 3:
            return word
        i = rng.randrange(len(word) - 1)
        op = rng.random()
        if op < 0.3:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if op < 0.55:
            return word[:i] + word[i + 1 :]
        if op < 0.75:
            return word[:i] + word[i] + word[i:]
        c = rng.choice("aeiourstnl")
        return word[:i] + c + word[i + 1 :]

    def phone(self, number: str) -> str:
        rng = self.rng
        country, n = number.split(":")
        cc = _CC[country]
        if country == "US":
            a, b, c = n[:3], n[3:6], n[6:]
            fmts = (f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"{a} {b} {c}",
                    f"+1 {a} {b} {c}", f"+1-{a}-{b}-{c}", f"1 ({a}) {b}-{c}", f"+1{n}",
                    f"tel:+1-{a}-{b}-{c}")  # fmt: skip
            return rng.choice(fmts)
        head, rest = n[: len(n) - 7], n[len(n) - 7 :]
        intl = (f"+{cc} {head} {rest[:3]} {rest[3:]}", f"00{cc} {head} {rest}",
                f"+{cc} (0){head} {rest}", f"+{cc}{n}", f"+{cc}-{head}-{rest}")  # fmt: skip
        return rng.choice(intl)

    def email(self, addr: str, source: str) -> str:
        rng = self.rng
        local, domain = addr.split("@")
        if domain == "gmail.com":
            r = rng.random()
            if r < 0.25:
                local = local.replace(".", "")
            elif r < 0.35 and len(local) > 3:
                k = rng.randrange(1, len(local) - 1)
                local = local[:k] + "." + local[k:] if "." not in local[k - 1 : k + 1] else local
            elif r < 0.38:
                local += "+" + rng.choice(("news", "work", "shop"))
            elif r < 0.41:
                domain = "googlemail.com"
        out = f"{local}@{domain}"
        r = rng.random()
        if r < 0.12:
            out = ".".join(w.capitalize() for w in out.split("."))
        elif r < 0.16:
            out = out.upper()
        if source == "vcard" and rng.random() < 0.05:
            out = "mailto:" + out
        return out

    def record(self, p: _Person, source: str, seq: int) -> ContactRecord:
        rng = self.rng
        given, middle, family = self.name_variant(p, source)
        rec = ContactRecord(source=source, locator=f"{source}:{seq}", payload="")
        idents = rec.identities
        emails = [e for e in (p.personal_email, p.work_email) if e]
        company = self.companies[p.company] if p.company >= 0 else None
        if source == "linkedin":
            rec.full_name = f"{given} {family}" + (", MBA" if rng.random() < 0.03 else "")
            slug = p.linkedin if rng.random() < 0.8 else p.linkedin.title()
            url = rng.choice((f"https://www.linkedin.com/in/{slug}", f"http://linkedin.com/in/{slug}/",
                              f"https://de.linkedin.com/in/{slug}?trk=people", f"www.linkedin.com/in/{slug}"))  # fmt: skip
            idents.append(RawIdentity("url", url, service="linkedin"))
            if emails and rng.random() < 0.35:
                idents.append(RawIdentity("email", self.email(rng.choice(emails), source)))
        elif source == "phone":
            if rng.random() < 0.02:
                given, family = family, given  # typed into the wrong fields
            rec.given_name, rec.family_name = given, (family if rng.random() < 0.93 else None)
            for number, chance in ((p.mobile, 0.95), (p.landline, 0.6)):
                if number and rng.random() < chance:
                    idents.append(RawIdentity("phone", self.phone(number)))
            if p.personal_email and rng.random() < 0.45:
                idents.append(RawIdentity("email", self.email(p.personal_email, source)))
        elif source == "gmail":
            rec.full_name = (
                f"{family}, {given}" if rng.random() < 0.1 else f"{given} {middle} {family}"
            )
            for addr, chance in ((p.personal_email, 0.9), (p.work_email, 0.35)):
                if addr and rng.random() < chance:
                    idents.append(RawIdentity("email", self.email(addr, source)))
            if p.mobile and rng.random() < 0.3:
                idents.append(RawIdentity("phone", self.phone(p.mobile)))
        elif source == "outlook":
            rec.given_name, rec.middle_name, rec.family_name = given, middle or None, family
            if p.work_email and rng.random() < 0.9:
                idents.append(RawIdentity("email", self.email(p.work_email, source)))
            elif p.personal_email:
                idents.append(RawIdentity("email", self.email(p.personal_email, source)))
            if company and company[3] and rng.random() < 0.3:
                idents.append(RawIdentity("email", company[3]))  # the team's shared inbox
            if company and company[4] and rng.random() < 0.4:
                idents.append(RawIdentity("phone", self.phone(company[4])))  # the switchboard
            if p.mobile and rng.random() < 0.3:
                idents.append(RawIdentity("phone", self.phone(p.mobile)))
        elif source == "mail":
            pick = [e for e in (p.personal_email, p.work_email, p.old_email) if e]
            addr = self.email(rng.choice(pick), source)
            r = rng.random()
            if r < 0.6:
                addr = f'"{given} {family}" <{addr}>'
            elif r < 0.7:
                addr = f'"{family}, {given}" <{addr}>'
            if r < 0.6:
                rec.full_name = f"{given} {family}"
            elif r < 0.7:
                rec.full_name = f"{family}, {given}"
            idents.append(RawIdentity("email", addr))
        else:  # an old address book
            rec.full_name = f"{given} {middle} {family}"
            for addr, chance in ((p.old_email, 0.7), (p.personal_email, 0.35)):
                if addr and rng.random() < chance:
                    idents.append(RawIdentity("email", self.email(addr, source)))
            for number, chance in ((p.landline, 0.6), (p.mobile, 0.4)):
                if number and rng.random() < chance:
                    idents.append(RawIdentity("phone", self.phone(number)))
            company = self.companies[p.old_company] if p.old_company >= 0 else company
        with_company = {"linkedin": 0.8, "outlook": 0.8, "vcard": 0.8, "phone": 0.3, "gmail": 0.2}
        if company and rng.random() < with_company.get(source, 0.0):
            name = company[0] if rng.random() < 0.7 else company[0].split(",")[0].split(" Inc")[0]
            rec.affiliations.append(
                AffiliationRecord(name.upper() if rng.random() < 0.05 else name)
            )
        rec.payload = repr((rec.full_name, rec.given_name, rec.family_name, idents))
        return rec

    def sources_for(self, p: _Person, k: int) -> list[str]:
        weights = {"linkedin": 0.3 if p.linkedin else 0.0,
                   "phone": 0.3 if p.mobile or p.landline else 0.0,
                   "gmail": 0.25 if p.personal_email or p.work_email else 0.0,
                   "outlook": 0.2 if p.work_email else 0.0,
                   "mail": 0.2 if p.personal_email or p.work_email or p.old_email else 0.0,
                   "vcard": 0.1}  # fmt: skip
        chosen: list[str] = []
        while len(chosen) < k:
            pool = [s for s in _SOURCES if s not in chosen and weights[s] > 0]
            if not pool:
                break
            chosen.append(self.rng.choices(pool, [weights[s] for s in pool])[0])
        return chosen


def generate(n_records: int, seed: int = 7) -> tuple[list[ContactRecord], dict[int, int]]:
    """``n_records`` contact records and the true person id of each (record index -> id).

    The records come in a shuffled order, as several imports would deliver them.
    """
    gen = _Generator(seed)
    rng = gen.rng
    drafts: list[tuple[_Person, str]] = []
    pid = 0
    while len(drafts) < n_records:
        household = [gen.person(pid, [])]
        if household[0].landline and rng.random() < 0.35:
            for _ in range(rng.choice((1, 1, 2, 3))):
                pid += 1
                household.append(gen.person(pid, household))
        pid += 1
        for person in household:
            k = rng.choices((1, 2, 3, 4), (35, 30, 20, 15))[0]
            sources = gen.sources_for(person, k)
            if rng.random() < 0.06:  # listed twice in one address book, or two addresses in mail
                sources.append(rng.choice(sources))
            drafts.extend((person, source) for source in sources)
    drafts = drafts[:n_records]
    rng.shuffle(drafts)
    records = [gen.record(p, source, i) for i, (p, source) in enumerate(drafts)]
    truth = {i: p.pid for i, (p, _) in enumerate(drafts)}
    return records, truth
