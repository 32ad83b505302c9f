"""Word lists for the sample network: employers, titles, notes, subjects (places: sample_regions).

Everything here is invented or generic. Phone numbers follow each country's real numbering
plan (so they normalise to valid E.164); US numbers use the 555 exchange.
"""

from __future__ import annotations

from typing import NamedTuple


class Company(NamedTuple):
    name: str
    domain: str
    industry: str


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _c(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


HOME_REGION = "us"

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
