"""Normalise the ways to reach a person: email addresses, phone numbers, profile URLs, handles.

Every function here is pure and total: it returns a canonical value or ``None`` for input it
cannot make sense of, and never raises. Normalising a normalised value changes nothing.

An :class:`Identity` carries two strings: ``value`` is the *match key* (two identities with
the same kind and value denote the same address) and ``display`` is what a person would
recognise (``Jane.Doe@gmail.com`` displays as written but matches as ``janedoe@gmail.com``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import phonenumbers

from rekindle.identity.records import IdentityKind, RawIdentity

__all__ = [
    "Identity",
    "address_key",
    "clean_email",
    "email_parts",
    "normalise_email",
    "normalise_handle",
    "normalise_identities",
    "normalise_phone",
    "normalise_url",
]

#: an address's local part: RFC 5322's atom characters, and letters and digits of any script
#: (RFC 6531 lets ``josé@example.com`` through, as Gmail and Outlook do)
_LOCAL_RE = re.compile(r"^[\w!#$%&'*+/=?^`{|}~.-]+$")
_DOMAIN_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})


@dataclass(frozen=True, slots=True)
class Identity:
    """A normalised identity. ``value`` is the match key; ``display`` is for people."""

    kind: IdentityKind
    value: str
    display: str
    service: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.value)


# -- email ---------------------------------------------------------------------------------


@lru_cache(maxsize=32768)
def clean_email(text: str) -> str | None:
    """The address in ``text`` (``mailto:``, ``Name <addr>`` forms), lower-cased, or None."""
    s = text.strip()
    if "<" in s and ">" in s:  # "Jane Doe" <jane@example.com>
        s = s[s.rfind("<") + 1 : s.rfind(">")]
    s = re.sub(r"\([^)]*\)", "", s)  # jane@example.com (Jane Doe)
    s = s.strip().strip("<>\"' ").strip()
    if s[:7].lower() == "mailto:":
        s = unquote(s[7:].split("?", 1)[0])
    s = s.strip().lower().rstrip(".")
    if not s.isascii():  # one spelling of "é" (NFC), and a full-width "＠" is an "@"
        s = unicodedata.normalize("NFKC", s).lower()
    if s.startswith("urn:") or s.count("@") != 1:
        return None
    local, domain = s.split("@")
    if not local or len(local) > 64 or not _LOCAL_RE.match(local):
        return None
    if local.startswith(".") or local.endswith("."):
        return None  # (consecutive dots are kept: Exchange wrote k..allen@enron.com)
    if not domain.isascii():  # bücher.de is xn--bcher-kva.de (an ASCII one is itself)
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    if not _DOMAIN_RE.match(domain):
        return None
    return f"{local}@{domain}"


def normalise_email(text: str) -> str | None:
    """The match key of an address: :func:`clean_email` plus Gmail's equivalences.

    Gmail ignores dots and ``+tags`` in the local part and treats googlemail.com as
    gmail.com, so ``Jane.Doe+news@googlemail.com`` matches as ``janedoe@gmail.com``.
    """
    addr = clean_email(text)
    if addr is None:
        return None
    local, domain = addr.split("@")
    if domain in _GMAIL_DOMAINS:
        local = local.split("+", 1)[0].replace(".", "")
        if not local:
            return None
        domain = "gmail.com"
    return f"{local}@{domain}"


@lru_cache(maxsize=65536)
def address_key(text: str, kind: str = "email") -> str:
    """How an address is matched, wherever it was read: THE one normalisation of addresses.

    Contacts (every importer), mail (mbox, Maildir, IMAP, LinkedIn messages), calendars,
    search, the web and MCP all key an address with this, so ``Maria.G@Gmail.com``,
    ``maria.g+news@googlemail.com`` and ``"Maria" <mariag@gmail.com>`` are one address.
    An email address gives :func:`normalise_email`'s key, a profile URL (``kind="url"``)
    :func:`normalise_url`'s; what neither can read keeps its trimmed lower-case text, so it
    still matches itself written the same way.
    """
    if kind == "url":
        found = normalise_url(text)
        return found[1] if found else text.strip().lower()
    return normalise_email(text) or text.strip().lower()


def email_parts(key: str) -> tuple[str, str]:
    """(local part, domain) of a normalised address."""
    local, _, domain = key.rpartition("@")
    return local, domain


# -- phone ---------------------------------------------------------------------------------

_EXT_RE = re.compile(r"\s*(?:;\s*ext=|(?:ext\.?|extension|x|#)\s*)(\d{1,7})\s*$", re.IGNORECASE)
_NATIONAL = "national:"
_NATIONAL_RE = re.compile(r"^national:\d{5,17}(;ext=\d{1,7})?$")
_NON_DIGITS = re.compile(r"[^0-9]")
_PHONE_CHARS_RE = re.compile(r"^[\d\s()+\-./\[\]]+$")


def normalise_phone(text: str, default_region: str | None = None) -> str | None:
    """E.164 (``+493012345678``, with ``;ext=12`` when there is an extension) or None.

    A number written without a country code when no region is known keeps its digits as
    ``national:0301234567``: it still matches the same number written the same way.
    """
    found = _phone(text, default_region)
    return found[0] if found else None


@lru_cache(maxsize=32768)
def _phone(text: str, default_region: str | None) -> tuple[str, str] | None:
    """(key, display) of a phone number: see :func:`normalise_phone`."""
    s = text.strip()
    if s[:4].lower() == "tel:":  # RFC 3966: tel:5550123;phone-context=+1-415;ext=7
        params = s[4:].split(";")
        s = ";".join(p for p in params if not p.lower().startswith("phone-context="))
        context = [p[14:] for p in params if p.lower().startswith("phone-context=+")]
        if context and not s.startswith("+"):
            s = "+" + _NON_DIGITS.sub("", context[0]) + s
    if s.startswith(_NATIONAL):
        if default_region is None:
            return (s, s[len(_NATIONAL) :]) if _NATIONAL_RE.match(s) else None
        s = s[len(_NATIONAL) :]
    ext = None
    m = _EXT_RE.search(s)
    if m:
        ext, s = m.group(1), s[: m.start()]
    if not _PHONE_CHARS_RE.match(s) or not re.search(r"\d", s):
        return None
    digits = _NON_DIGITS.sub("", s) if s.isascii() else phonenumbers.normalize_digits_only(s)
    if not 5 <= len(digits) <= 17:
        return None
    stripped = s.lstrip(" ([")
    candidates: list[str] = []
    if stripped.startswith("+"):
        candidates.append("+" + digits)
    else:
        if default_region is not None:
            candidates.append(s)
        if digits.startswith("00"):
            candidates.append("+" + digits[2:])
    suffix = f";ext={ext}" if ext else ""
    for cand in candidates:
        number = _parse(cand, default_region)
        if number is not None:
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if number.italian_leading_zero and not _reads_back(e164):
                continue
            shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
            return e164 + suffix, shown + (f" ext. {ext}" if ext else "")
    if default_region is None and not stripped.startswith("+"):
        return _NATIONAL + digits + suffix, digits + (f" ext. {ext}" if ext else "")
    return None


def _reads_back(e164: str) -> bool:
    """Whether a key with leading zeros reads back as itself: "+20 0000000000" loses a national
    prefix "0" at every reading (no real number does; Italy's "+39 06..." keeps its zero)."""
    again = _parse(e164, None)
    return again is not None and (
        phonenumbers.format_number(again, phonenumbers.PhoneNumberFormat.E164) == e164
    )


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    reason = phonenumbers.is_possible_number_with_reason(number)
    return number if reason == phonenumbers.ValidationResult.IS_POSSIBLE else None


@lru_cache(maxsize=32768)
def format_phone(key: str) -> str:
    """A readable form of a phone key (international format for E.164 keys)."""
    if not key.startswith("+"):
        return key.removeprefix(_NATIONAL)
    base, _, ext = key.partition(";ext=")
    try:
        number = phonenumbers.parse(base, None)
    except phonenumbers.NumberParseException:
        return key
    out = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return f"{out} ext. {ext}" if ext else out


# -- urls and handles ----------------------------------------------------------------------

#: host (without www./m./mobile.) -> service for sites whose first path segment is a profile
_PROFILE_HOSTS: dict[str, tuple[str, str]] = {
    "twitter.com": ("twitter", "https://x.com/"),
    "x.com": ("twitter", "https://x.com/"),
    "github.com": ("github", "https://github.com/"),
    "gitlab.com": ("gitlab", "https://gitlab.com/"),
    "instagram.com": ("instagram", "https://www.instagram.com/"),
    "facebook.com": ("facebook", "https://www.facebook.com/"),
    "fb.com": ("facebook", "https://www.facebook.com/"),
    "t.me": ("telegram", "https://t.me/"),
    "telegram.me": ("telegram", "https://t.me/"),
    "medium.com": ("medium", "https://medium.com/@"),
    "threads.net": ("threads", "https://www.threads.net/@"),
    "tiktok.com": ("tiktok", "https://www.tiktok.com/@"),
    "youtube.com": ("youtube", "https://www.youtube.com/@"),
}
#: first path segments that are site pages, not profiles
_NOT_PROFILES = frozenset(
    [
        "home",
        "i",
        "intent",
        "share",
        "search",
        "hashtag",
        "explore",
        "settings",
        "login",
        "signup",
        "about",
        "help",
        "privacy",
        "tos",
        "pages",
        "groups",
        "events",
        "watch",
        "marketplace",
        "sharer",
        "orgs",
        "features",
        "topics",
        "notifications",
        "messages",
        "p",
        "reel",
        "reels",
        "stories",
        "accounts",
        "channel",
        "c",
        "user",
        "watch?v",
    ]
)
#: service -> profile URL prefix, for handles given without a URL
_HANDLE_URLS = {service: prefix for service, prefix in _PROFILE_HOSTS.values()}
_HANDLE_RE = re.compile(r"^[\w.\-]{1,64}$")
_SERVICE_ALIASES = {
    "x": "twitter",
    "jabber": "xmpp",
    "gtalk": "xmpp",
    "google talk": "xmpp",
    "fb": "facebook",
    "ig": "instagram",
    "msn": "msn",
    "linked in": "linkedin",
}
_TRACKING = ("utm_", "trk", "fbclid", "gclid", "ref", "src", "mc_")


def _strip_host(host: str) -> str:
    for prefix in ("www.", "m.", "mobile.", "mbasic."):
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


def _linkedin(path: str, query: str) -> str | None:
    parts = [unquote(p).strip().lower() for p in path.split("/") if p.strip()]
    if len(parts) >= 2 and parts[0] == "in":
        return "https://www.linkedin.com/in/" + parts[1]
    if len(parts) >= 2 and parts[0] == "pub" and parts[1] != "dir":
        slug = parts[1]
        if len(parts) >= 5 and all(re.fullmatch(r"[0-9a-f]{1,3}", p) for p in parts[2:5]):
            # the old public form /pub/name/a7/576/b50 now lives at /in/name-b50576a7
            a, b, c = parts[2:5]
            slug = f"{slug}-{c.zfill(3)}{b.zfill(3)}{a}"
        return "https://www.linkedin.com/in/" + slug
    if parts[:2] == ["profile", "view"]:
        ids = dict(parse_qsl(query)).get("id")
        if ids:
            return "https://www.linkedin.com/profile/view?id=" + ids.strip().lower()
    return None


@lru_cache(maxsize=32768)
def normalise_url(text: str) -> tuple[str, str] | None:
    """(service, canonical URL) for a profile or home page, or None for non-URLs.

    Known networks give their service name (``linkedin``, ``twitter``, ``github``, …) and
    a canonical profile URL; any other http(s) URL gives ``("web", url)`` with a
    lower-cased host, no ``www.``, no fragment, no tracking parameters, no trailing slash.
    """
    s = text.strip()
    if not s or any(c.isspace() for c in s) or s.lower().startswith(("mailto:", "tel:", "urn:")):
        return None
    if "://" not in s:
        if s.startswith("//"):
            s = "https:" + s
        elif re.match(r"^[\w\-]+(\.[\w\-]+)+(:\d+)?(/|$|\?)", s):
            s = "https://" + s
        else:
            return None
    try:
        parts = urlsplit(s)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if "." not in host or not re.fullmatch(r"[a-z0-9.\-]+", host):
        return None
    base = _strip_host(host)
    if base == "linkedin.com" or base.endswith(".linkedin.com"):
        url = _linkedin(parts.path, parts.query)
        if url:
            return ("linkedin", url)
    profile = _PROFILE_HOSTS.get(base)
    segs = [unquote(p) for p in parts.path.split("/") if p]
    if profile and base in ("facebook.com", "fb.com") and segs == ["profile.php"]:
        fid = dict(parse_qsl(parts.query)).get("id", "")
        if fid.isdigit():
            return ("facebook", "https://www.facebook.com/profile.php?id=" + fid)
    if profile and len(segs) == 1:
        name = segs[0].lower().lstrip("@")
        if name not in _NOT_PROFILES and _HANDLE_RE.match(name):
            service, prefix = profile
            if service == "facebook":
                name = name.replace(".", "")  # Facebook ignores dots in usernames
            return (service, prefix + name)
    path = re.sub(r"/+", "/", parts.path).rstrip("/")
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING)
    ]
    netloc = base if port in (None, 80, 443) else f"{base}:{port}"
    url = f"https://{netloc}{path}"
    if query:
        url += "?" + urlencode(sorted(query))
    return ("web", url)


def normalise_handle(service: str | None, value: str) -> tuple[str, str] | None:
    """(service, key) for a handle on a network; URLs are routed to :func:`normalise_url`.

    Handles of networks with profile URLs (twitter, github, …) become the canonical URL,
    so ``@Jane`` on twitter matches ``https://twitter.com/jane``. Others keep a
    ``service:handle`` key (``skype:jane.doe``, ``xmpp:jane@jabber.org``).
    """
    v = value.strip()
    svc = (service or "").strip().lower()
    svc = _SERVICE_ALIASES.get(svc, svc)
    if not v:
        return None
    if "://" in v or v.lower().startswith(("www.", "linkedin.com/", "twitter.com/", "x.com/")):
        return normalise_url(v)
    if svc == "linkedin":
        return normalise_url("https://www.linkedin.com/in/" + v.strip("/").split("/")[-1])
    for prefix in (svc + ":", "xmpp:", "skype:"):
        if prefix != ":" and v.lower().startswith(prefix):
            v = v[len(prefix) :]
            break
    if svc == "mastodon" or re.fullmatch(r"@[\w.\-]+@[\w.\-]+\.\w+", v):
        svc = svc or "mastodon"
        return (svc, f"{svc}:{v.lstrip('@').lower()}")
    url_prefix = _HANDLE_URLS.get(svc)
    if url_prefix is not None:
        h = v.lstrip("@").lower()
        if not _HANDLE_RE.match(h):
            return None
        return (svc, url_prefix + (h.replace(".", "") if svc == "facebook" else h))
    if not svc:
        svc = "handle"
    h = v.lstrip("@").lower()
    if not h or any(c.isspace() for c in h):
        return None
    return (svc, f"{svc}:{h}")


# -- records -------------------------------------------------------------------------------


def normalise_identity(raw: RawIdentity, default_region: str | None) -> Identity | None:
    """One raw identity as an :class:`Identity`, or None when it is unusable."""
    value = raw.value or ""
    low = value.strip().lower()
    kind = raw.kind
    if kind == "url" and low.startswith("mailto:"):
        kind = "email"
    elif kind == "url" and low.startswith("tel:"):
        kind = "phone"
    if kind == "email":
        display = clean_email(value)
        key = normalise_email(value)
        if display is None or key is None:
            return None
        return Identity("email", key, display)
    if kind == "phone":
        phone = _phone(value, default_region)
        if phone is None:
            return None
        return Identity("phone", phone[0], phone[1])
    if kind == "url":
        found = normalise_url(value)
        if found is None and raw.service:
            found = normalise_handle(raw.service, value)
    else:
        found = normalise_handle(raw.service, value)
    if found is None:
        return None
    service, canonical = found
    ident_kind: IdentityKind = "url" if canonical.startswith("https://") else "handle"
    return Identity(ident_kind, canonical, value.strip(), service)


def normalise_identities(
    raw: Iterable[RawIdentity], default_region: str | None = None
) -> list[Identity]:
    """Normalise identities, dropping unusable ones and duplicates (first one wins)."""
    seen: set[tuple[str, str]] = set()
    out: list[Identity] = []
    for item in raw:
        ident = normalise_identity(item, default_region)
        if ident is not None and ident.key not in seen:
            seen.add(ident.key)
            out.append(ident)
    return out
