"""One address is one person, however and wherever it is written (the contract of
:func:`rekindle.identity.identifiers.address_key`).

The same two people reach Rekindle through every path: contacts from a vCard, a Google CSV,
an Outlook CSV and a LinkedIn export; mail from an mbox, a Maildir and an IMAP server
(Dovecot); a calendar series. Each path writes their addresses differently: case, dots and
``+tags`` in a Gmail address, googlemail.com, a display name around it, ``mailto:``, a
domain in Unicode or in Punycode, a local part in composed or decomposed Unicode. In the
end each is one person with the whole history attached, and searching for any of the
spellings (service, web page) finds that person.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rekindle.identity.identifiers import address_key
from rekindle.services import me as me_svc
from rekindle.services import people as people_svc
from rekindle.services.importing import import_path
from rekindle.services.people_filters import PeopleFilters, find_people
from rekindle.services.sync_calendar import sync_calendar_path
from rekindle.services.sync_files import sync_mail_path
from rekindle.store import Store
from rekindle.web.app import create_app
from tests.conftest import FIXTURES
from tests.imap_server import dovecot_skip_reason, running_dovecot

NOW = datetime(2026, 11, 1, tzinfo=UTC)
ME = "me@example.net"
#: how each path writes Maria's one Gmail address
MARIA = {
    "vcard": "Maria.G@Gmail.com",
    "google": "maria.g+work@googlemail.com",
    "outlook": "MARIA.G@GMAIL.COM",
    "linkedin": "mailto:maria.g@gmail.com",
    "mbox": '"Gomez, Maria" <maria.g@gmail.com>',
    "maildir": "Maria <Maria.G+news@gmail.com>",
    "ics": "mailto:MARIA.G@googlemail.com",
    "imap": "Maria Gomez <m.a.r.i.a.g@gmail.com>",
}
#: José's address: a Unicode local part and an internationalised domain
JOSE_NFC = unicodedata.normalize("NFC", "josé@bücher.de")
JOSE = {
    "vcard": JOSE_NFC,
    "mbox": unicodedata.normalize("NFD", "José <JOSÉ@BÜCHER.DE>"),
    "maildir": "José <josé@xn--bcher-kva.de>",
}


def _key(written: str) -> str:
    return address_key(written)


def test_every_spelling_has_one_key() -> None:
    keys = {_key(w) for w in MARIA.values()}
    assert keys == {"mariag@gmail.com"}
    assert {_key(w) for w in JOSE.values()} == {"josé@xn--bcher-kva.de"}
    assert _key("maria.g@example.com") != _key("mariag@example.com")  # dots count elsewhere


def _contacts(tmp: Path) -> list[Path]:
    vcf = tmp / "contacts.vcf"
    vcf.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Maria Gomez\r\nN:Gomez;Maria;;;\r\n"
        f"EMAIL;TYPE=HOME:{MARIA['vcard']}\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:José Müller\r\nN:Müller;José;;;\r\n"
        f"EMAIL:{JOSE['vcard']}\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    google = tmp / "google.csv"
    google.write_text(
        "First Name,Last Name,Email 1 - Label,Email 1 - Value,Labels\n"
        f"Maria,Gomez,Work,{MARIA['google']},* myContacts\n",
        encoding="utf-8",
    )
    outlook = tmp / "outlook.csv"  # the header row Outlook.com writes
    header = (FIXTURES / "csv" / "outlook-com.csv").read_text("utf-8").splitlines()[0]
    row = dict.fromkeys(header.split(","), "")
    row.update({"First Name": "Maria", "Last Name": "Gomez", "Company": "Acme"})
    row["E-mail Address"] = MARIA["outlook"]
    outlook.write_text(header + "\n" + ",".join(row.values()) + "\n", encoding="utf-8")
    linkedin = tmp / "Connections.csv"
    linkedin.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        f"Maria,Gomez,https://www.linkedin.com/in/mariag,{MARIA['linkedin'][7:]},Acme,CTO,"
        "22 Dec 2025\n",
        encoding="utf-8",
    )
    return [vcf, google, outlook, linkedin]


def _message(
    n: int, sender: str, to: str, subject: str, reply: int | None = None, root: int | None = None
) -> str:
    refs = f"In-Reply-To: <c{reply}@example.org>\n" if reply else ""
    if root is not None:
        refs += f"References: <c{root}@example.org> <c{reply}@example.org>\n"
    return (
        f"From: {sender}\nTo: {to}\nSubject: {subject}\n"
        f"Date: Mon, {n:02d} Jan 2024 10:00:00 +0000\nMessage-ID: <c{n}@example.org>\n{refs}"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: 8bit\n\nBody {n}\n"
    )


def _mbox(tmp: Path) -> Path:
    box = tmp / "mail.mbox"
    msgs = [
        _message(1, MARIA["mbox"], ME, "lunch?"),
        _message(2, f"Me <{ME}>", MARIA["mbox"], "Re: lunch?", reply=1),
        _message(3, JOSE["mbox"], ME, "Grüße"),
        _message(4, f"Me <{ME}>", JOSE["mbox"], "Re: Grüße", reply=3),
    ]
    box.write_bytes(
        "".join(f"From x@y Mon Jan  1 00:00:00 2024\n{m}\n" for m in msgs).encode("utf-8")
    )
    return box


def _maildir(tmp: Path) -> Path:
    root = tmp / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    for n, (sender, to) in enumerate(
        [(MARIA["maildir"], ME), (f"Me <{ME}>", JOSE["maildir"])], start=5
    ):
        name = f"17000000{n}.M{n}P1.host:2,S"
        (root / "cur" / name).write_bytes(_message(n, sender, to, f"note {n}").encode("utf-8"))
    return root


def _calendar(tmp: Path) -> Path:
    ics = tmp / "cal.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:contract-1@example.org\r\nDTSTAMP:20240101T000000Z\r\n"
        "DTSTART:20240110T150000Z\r\nDTEND:20240110T160000Z\r\nSUMMARY:Coffee\r\n"
        f"ORGANIZER;CN=Me:mailto:{ME}\r\n"
        f"ATTENDEE;CN=Maria;PARTSTAT=ACCEPTED:{MARIA['ics']}\r\n"
        f"ATTENDEE;CN=Me;PARTSTAT=ACCEPTED:mailto:{ME}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    return ics


def _found(store: Store, written: str) -> list[int]:
    """Who a search for ``written`` finds (the address part of a display form)."""
    query = written.rsplit("<", 1)[-1].rstrip(">").removeprefix("mailto:")
    return [p["id"] for p in find_people(store, PeopleFilters(query, "", "", "", "", "name"))]


@pytest.fixture
def synced(store: Store, tmp_path: Path) -> Iterator[Store]:
    me_svc.add_address(store, ME)
    for path in _contacts(tmp_path):
        import_path(store, path, now=NOW)
    sync_mail_path(store, _mbox(tmp_path), now=NOW)
    sync_mail_path(store, _maildir(tmp_path), now=NOW)
    sync_calendar_path(store, _calendar(tmp_path), now=NOW)
    yield store


def test_one_person_per_address_with_the_whole_history(synced: Store) -> None:
    people = people_svc.list_people(synced, None, None, None, 0)
    assert sorted(p["name"] for p in people) == ["José Müller", "Maria Gomez"]
    maria = people_svc.show(synced, "maria.g@gmail.com")
    # mbox (2), Maildir (1) and the calendar (1): every message and meeting is hers
    assert maria.interactions == 4
    jose = people_svc.show(synced, JOSE["maildir"].split("<")[1].rstrip(">"))
    assert jose.interactions == 3  # mbox (2) and Maildir (1)
    sources = {r["source"] for r in maria.records}
    assert {"vcard", "google_csv", "outlook_csv", "linkedin"} <= sources, sources
    assert not sources & {"mail", "calendar"}  # nobody was made from the history


def test_search_finds_every_spelling(synced: Store) -> None:
    maria = people_svc.show(synced, "maria.g@gmail.com").id
    for path, written in MARIA.items():
        assert _found(synced, written) == [maria], path
    jose = people_svc.show(synced, JOSE_NFC).id
    for path, written in JOSE.items():
        assert _found(synced, unicodedata.normalize("NFC", written)) == [jose], path


def test_the_web_finds_every_spelling(synced: Store) -> None:
    app = create_app(synced, now_fn=lambda: NOW)
    with TestClient(app) as client:
        for written in ("MARIA.G+x@googlemail.com", "m.a.r.i.a.g@gmail.com"):
            page = client.get("/people", params={"q": written})
            assert page.status_code == 200
            assert "Maria Gomez" in page.text, written
            assert "José" not in page.text
        maria = people_svc.show(synced, "maria.g@gmail.com").id
        page = client.get(f"/people/{maria}")
        assert page.status_code == 200 and "Coffee" in page.text


@pytest.mark.skipif(dovecot_skip_reason() is not None, reason=str(dovecot_skip_reason()))
def test_imap_mail_reaches_the_same_person(synced: Store) -> None:
    from rekindle.services.sync_imap import sync_imap

    with running_dovecot() as server:
        server.append("INBOX", [_message(20, MARIA["imap"], ME, "from the server").encode("utf-8")])
        url = f"imap://{server.user}@127.0.0.1:{server.port}/INBOX?plain"
        sync_imap(synced, url, env={"REKINDLE_IMAP_PASSWORD": server.password}, now=NOW)
    maria = people_svc.show(synced, "maria.g@gmail.com")
    assert maria.interactions == 5
    assert len(people_svc.list_people(synced, None, None, None, 0)) == 2


def test_mcp_finds_every_spelling(synced: Store) -> None:
    """The assistant's tools (a real `rekindle mcp` process) name people the same way."""
    import asyncio

    pytest.importorskip("mcp")
    from tests.test_mcp import _json, _session

    url = synced.engine.url
    db = url.database if url.get_backend_name() == "sqlite" else url.render_as_string(False)
    assert db is not None
    maria = people_svc.show(synced, "maria.g@gmail.com").id

    async def ask() -> tuple[list[int], int]:
        async with _session(db) as client:
            found = _json(await client.call_tool("search_people", {"query": MARIA["google"]}))
            why = _json(await client.call_tool("why", {"person": "M.A.R.I.A.G@googlemail.com"}))
            return [p["id"] for p in found], why["person_id"]

    assert asyncio.run(ask()) == ([maria], maria)
