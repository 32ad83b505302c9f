"""The XML of WebDAV and CardDAV: request bodies built and multistatus answers read.

Bodies are built with :mod:`xml.etree.ElementTree`, never by gluing strings. Answers are read
by ``defusedxml`` when it is installed (it refuses entities and DTDs), and in any case only
after a size check and a refusal of any ``<!DOCTYPE``/``<!ENTITY``: a server cannot make
Rekindle expand an XML bomb or read a local file through an external entity.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

try:  # pragma: no cover - which parser depends on what is installed
    from defusedxml.ElementTree import fromstring as _safe_fromstring
except ImportError:  # pragma: no cover
    _safe_fromstring = None

DAV = "DAV:"
CARDDAV = "urn:ietf:params:xml:ns:carddav"
#: the largest XML answer Rekindle reads (a multistatus of thousands of cards stays far below)
MAX_XML_BYTES = 64 * 1024 * 1024
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

ET.register_namespace("d", DAV)
ET.register_namespace("card", CARDDAV)


class DavXmlError(ValueError):
    """An answer that is not the XML it should be (too large, with a DTD, or malformed)."""


def dav(name: str) -> str:
    return f"{{{DAV}}}{name}"


def card(name: str) -> str:
    return f"{{{CARDDAV}}}{name}"


def parse_xml(body: bytes) -> ET.Element:
    """The root element of an answer, refusing oversized bodies, DTDs and entities."""
    if len(body) > MAX_XML_BYTES:
        raise DavXmlError(f"answer larger than {MAX_XML_BYTES // (1024 * 1024)} MB refused")
    if _DECLARATION.search(body[:MAX_XML_BYTES]):
        raise DavXmlError("answer with a DTD or entity declaration refused")
    try:
        if _safe_fromstring is not None:
            return _safe_fromstring(body)
        return ET.fromstring(body)
    except Exception as exc:  # ParseError and defusedxml's refusals alike
        raise DavXmlError(f"malformed XML answer ({exc})") from None


def to_bytes(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def propfind_body(*props: str) -> bytes:
    root = ET.Element(dav("propfind"))
    prop = ET.SubElement(root, dav("prop"))
    for name in props:
        ET.SubElement(prop, name)
    return to_bytes(root)


def sync_collection_body(token: str | None) -> bytes:
    """RFC 6578 ``sync-collection`` asking for every changed member's ETag since ``token``."""
    root = ET.Element(dav("sync-collection"))
    ET.SubElement(root, dav("sync-token")).text = token or ""
    ET.SubElement(root, dav("sync-level")).text = "1"
    prop = ET.SubElement(root, dav("prop"))
    ET.SubElement(prop, dav("getetag"))
    return to_bytes(root)


def multiget_body(hrefs: list[str]) -> bytes:
    """RFC 6352 ``addressbook-multiget`` of the cards at ``hrefs`` with their data."""
    root = ET.Element(card("addressbook-multiget"))
    prop = ET.SubElement(root, dav("prop"))
    ET.SubElement(prop, dav("getetag"))
    ET.SubElement(prop, card("address-data"))
    for href in hrefs:
        ET.SubElement(root, dav("href")).text = href
    return to_bytes(root)


@dataclass(slots=True)
class DavResponse:
    """One ``<response>`` of a multistatus: its path, status and the properties found (200)."""

    href: str
    status: int | None = None
    props: dict[str, ET.Element] = field(default_factory=dict)

    def text(self, name: str) -> str | None:
        el = self.props.get(name)
        if el is None or el.text is None:
            return None
        return el.text.strip()

    def hrefs(self, name: str) -> list[str]:
        """The ``<href>`` values inside property ``name`` (principal, home set)."""
        el = self.props.get(name)
        if el is None:
            return []
        return [h.text.strip() for h in el.iter(dav("href")) if h.text and h.text.strip()]

    def is_addressbook(self) -> bool:
        el = self.props.get(dav("resourcetype"))
        return el is not None and el.find(card("addressbook")) is not None


@dataclass(slots=True)
class Multistatus:
    responses: list[DavResponse]
    sync_token: str | None = None


def parse_multistatus(body: bytes) -> Multistatus:
    root = parse_xml(body)
    if root.tag != dav("multistatus"):
        raise DavXmlError(f"expected a DAV multistatus, got <{root.tag}>")
    responses = []
    for resp in root.findall(dav("response")):
        href_el = resp.find(dav("href"))
        if href_el is None or not (href_el.text or "").strip():
            continue
        item = DavResponse(path_of(href_el.text or ""), _status(resp.find(dav("status"))))
        for propstat in resp.findall(dav("propstat")):
            code = _status(propstat.find(dav("status")))
            if code is not None and not 200 <= code < 300:
                continue
            prop = propstat.find(dav("prop"))
            for el in prop if prop is not None else []:
                item.props[el.tag] = el
        responses.append(item)
    token_el = root.find(dav("sync-token"))
    token = token_el.text.strip() if token_el is not None and token_el.text else None
    return Multistatus(responses, token)


def _status(el: ET.Element | None) -> int | None:
    """The code of ``HTTP/1.1 404 Not Found``."""
    if el is None or not el.text:
        return None
    parts = el.text.split()
    if len(parts) >= 2 and parts[1].isdigit():
        return int(parts[1])
    return None


def path_of(href: str) -> str:
    """A server's href as a decoded absolute path (servers give paths or full URLs)."""
    href = href.strip()
    path = urlsplit(href).path if "://" in href else href.split("?", 1)[0]
    return unquote(path)


def absolute(base: str, href: str) -> str:
    return urljoin(base, href)
