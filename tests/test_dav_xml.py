"""The WebDAV XML layer: multistatus answers read safely, request bodies well formed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from rekindle.transport import dav_xml as x

MULTISTATUS = b"""<?xml version="1.0" encoding="utf-8"?>
<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">
  <d:response>
    <d:href>/alice/contacts/</d:href>
    <d:propstat><d:prop>
      <d:resourcetype><d:collection/><c:addressbook/></d:resourcetype>
      <d:displayname>Contacts</d:displayname>
    </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
    <d:propstat><d:prop><d:getetag/></d:prop>
      <d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>
  </d:response>
  <d:response>
    <d:href>http://host/alice/contacts/J%C3%BCrgen%20K.vcf</d:href>
    <d:status>HTTP/1.1 404 Not Found</d:status>
  </d:response>
  <d:sync-token>tok-2</d:sync-token>
</d:multistatus>"""


def test_multistatus_is_read_with_paths_statuses_and_token() -> None:
    ms = x.parse_multistatus(MULTISTATUS)
    book, gone = ms.responses
    assert book.href == "/alice/contacts/"
    assert book.is_addressbook()
    assert book.text(x.dav("displayname")) == "Contacts"
    assert x.dav("getetag") not in book.props  # a 404 propstat is not a property
    assert gone.href == "/alice/contacts/Jürgen K.vcf"
    assert gone.status == 404
    assert ms.sync_token == "tok-2"


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;">]><d:multistatus xmlns:d="DAV:">&lol2;</d:multistatus>',
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<d:multistatus xmlns:d="DAV:">&xxe;</d:multistatus>',
    ],
    ids=["billion-laughs", "external-entity"],
)
def test_entities_and_dtds_are_refused(body: bytes) -> None:
    with pytest.raises(x.DavXmlError, match="DTD or entity"):
        x.parse_multistatus(body)


def test_oversized_and_malformed_answers_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(x, "MAX_XML_BYTES", 100)
    with pytest.raises(x.DavXmlError, match="larger than"):
        x.parse_xml(b"<a>" + b" " * 200 + b"</a>")
    monkeypatch.undo()
    with pytest.raises(x.DavXmlError, match="malformed"):
        x.parse_xml(b"<d:multistatus xmlns:d='DAV:'><d:response>")
    with pytest.raises(x.DavXmlError, match="expected a DAV multistatus"):
        x.parse_multistatus(b"<html/>")


def test_request_bodies_are_well_formed_and_escape_hrefs() -> None:
    body = x.multiget_body(["/a/b&c.vcf", "/a/<d>.vcf"])
    root = ET.fromstring(body)
    assert root.tag == x.card("addressbook-multiget")
    assert [h.text for h in root.iter(x.dav("href"))] == ["/a/b&c.vcf", "/a/<d>.vcf"]
    sync = ET.fromstring(x.sync_collection_body("tok&1"))
    assert sync.find(x.dav("sync-token")).text == "tok&1"  # type: ignore[union-attr]
    assert ET.fromstring(x.sync_collection_body(None)).find(x.dav("sync-token")).text is None  # type: ignore[union-attr]
