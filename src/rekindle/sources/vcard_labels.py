"""The vocabulary of vCard labels: TYPE words, Apple labels, IM services and relations."""

from __future__ import annotations

import re

from rekindle.sources.vcard_values import unescape

_BUILTIN_LABEL = re.compile(r"_\$!<(.*)>!\$_")
NOISE_TYPES = frozenset(
    {"pref", "internet", "voice", "x400", "msg", "video", "text", "postal", "parcel", "intl"}
    | {"dom", "x-internet", "uri", "url"}
)
_PLACE_TYPES = frozenset({"home", "work", "school", "other"})
_KIND_TYPES = frozenset(
    {"cell", "mobile", "fax", "pager", "iphone", "main", "car", "isdn", "bbs", "modem"}
    | {"textphone", "callback", "assistant", "company", "radio", "telex"}
)
#: the TYPE words a label made of them is written back as (``work fax``, ``cell``)
LABEL_TYPES = _PLACE_TYPES | _KIND_TYPES
SYSTEM_TAGS = frozenset({"mycontacts", "starred"})
IM_PROPERTIES: dict[str, str | None] = {
    "X-JABBER": "xmpp",
    "X-GTALK": "gtalk",
    "X-GOOGLE-TALK": "gtalk",
    "X-AIM": "aim",
    "X-SKYPE": "skype",
    "X-SKYPE-USERNAME": "skype",
    "X-MSN": "msn",
    "X-YAHOO": "yahoo",
    "X-ICQ": "icq",
    "X-QQ": "qq",
    "X-GADUGADU": "gadugadu",
    "X-GROUPWISE": "groupwise",
    "X-SIP": "sip",
    "X-TWITTER": "twitter",
    "X-MS-IMADDRESS": None,
    "X-KADDRESSBOOK-X-IMADDRESS": None,
}
URI_SERVICES: dict[str, str | None] = {
    "xmpp": "xmpp",
    "jabber": "xmpp",
    "sip": "sip",
    "sips": "sip",
    "skype": "skype",
    "callto": "skype",
    "aim": "aim",
    "ymsgr": "yahoo",
    "msnim": "msn",
    "msn": "msn",
    "icq": "icq",
    "irc": "irc",
    "ircs": "irc",
    "gg": "gadugadu",
    "gtalk": "gtalk",
    "matrix": "matrix",
    "qq": "qq",
    "tg": "telegram",
    "telegram": "telegram",
    "signal": "signal",
    "whatsapp": "whatsapp",
    "facetime": "facetime",
    "im": None,
    "x-apple": None,
}
_SERVICE_ALIASES: dict[str, str | None] = {
    "jabber": "xmpp",
    "googletalk": "gtalk",
    "gadu": "gadugadu",
    "gadu-gadu": "gadugadu",
    "ymsgr": "yahoo",
    "msnim": "msn",
    "windowslive": "msn",
    "other": None,
}
KNOWN_SERVICES = frozenset(s for s in (*URI_SERVICES.values(), *IM_PROPERTIES.values()) if s)
KDE_MESSAGING = re.compile(r"X-MESSAGING/([A-Z0-9]+)-ALL")
RELATED_PROPERTIES = {
    "X-EVOLUTION-SPOUSE": "spouse",
    "X-MS-SPOUSE": "spouse",
    "X-SPOUSE": "spouse",
    "X-KADDRESSBOOK-X-SPOUSENAME": "spouse",
    "X-EVOLUTION-MANAGER": "manager",
    "X-MS-MANAGER": "manager",
    "X-MANAGER": "manager",
    "X-KADDRESSBOOK-X-MANAGERSNAME": "manager",
    "X-EVOLUTION-ASSISTANT": "assistant",
    "X-MS-ASSISTANT": "assistant",
    "X-ASSISTANT": "assistant",
    "X-KADDRESSBOOK-X-ASSISTANTSNAME": "assistant",
}
ANNIVERSARY_PROPERTIES = frozenset(
    {"ANNIVERSARY", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY", "X-MS-ANNIVERSARY"}
    | {"X-KADDRESSBOOK-X-ANNIVERSARY"}
)
PHONETIC = {
    "X-PHONETIC-FIRST-NAME": "phonetic_given_name",
    "X-PHONETIC-MIDDLE-NAME": "phonetic_middle_name",
    "X-PHONETIC-LAST-NAME": "phonetic_family_name",
}


def type_label(types: list[str]) -> str | None:
    """A label from TYPE parameters: ``work fax``, ``cell``, or a custom type as written."""
    place = kind = custom = None
    for written in types:
        low = written.lower()
        if low in NOISE_TYPES:
            continue
        if low in _PLACE_TYPES:
            place = place or low
        elif low in _KIND_TYPES:
            kind = kind or low
        elif custom is None:
            custom = written[2:] if low.startswith("x-") else written
    parts = [p for p in (place, kind) if p]
    return " ".join(parts) if parts else custom


def parse_label(text: str) -> str | None:
    """An ``X-ABLabel`` value: built-in ``_$!<HomePage>!$_`` becomes ``homepage``."""
    text = unescape(text).strip()
    match = _BUILTIN_LABEL.fullmatch(text)
    if match:
        return match.group(1).strip().lower() or None
    return text or None


def normalise_service(name: str | None) -> str | None:
    if not name:
        return None
    low = name.strip().lower().replace(" ", "")
    if low in _SERVICE_ALIASES:
        return _SERVICE_ALIASES[low]
    return low or None
