"""Two-way CardDAV sync against real servers (Radicale with htpasswd auth, and Xandikos).

"The phone" is a plain HTTP client writing to the same server; Rekindle's side is changed
through its own services. Nothing of Rekindle is mocked.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from rekindle.errors import UserError
from rekindle.identity.records import ContactRecord, RawIdentity
from rekindle.services import people as people_svc
from rekindle.services.carddav_records import person_view
from rekindle.services.importing import import_items
from rekindle.services.sync_contacts import (
    ContactSyncReport,
    SyncOptions,
    address_books,
    sync_contacts,
)
from rekindle.store import Store
from rekindle.store.schema import person, source_record
from rekindle.store.schema_carddav import carddav_card
from rekindle.transport.carddav import CardDavClient, CardDavError
from tests import carddav_servers
from tests.carddav_servers import PASSWORD, USER, DavServer, vcard

dav_server = carddav_servers.dav_server
password_server = carddav_servers.password_server
ENV = {"REKINDLE_CARDDAV_PASSWORD": PASSWORD, "REKINDLE_NO_KEYRING": "1"}
PHOTO = "X-PHONE-ONLY:kept as it was"


def url_of(server: DavServer) -> str:
    return server.book_url.replace("http://", f"http://{USER}@")


def sync(store: Store, server: DavServer, **options: Any) -> ContactSyncReport:
    factory = options.pop("client_factory", None)
    return sync_contacts(
        store, url_of(server), options=SyncOptions(**options), env=ENV, client_factory=factory
    )


def view_of(store: Store, ref: str) -> dict[str, Any]:
    with store.read() as conn:
        pid = people_svc.resolve_person(conn, store.owner_id, ref)
        return person_view(conn, store.owner_id, pid)


def count(store: Store, table: Any) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


def seed(server: DavServer) -> None:
    server.put_card(
        "ann.vcf",
        vcard(
            "uid-ann",
            "Ann Lee",
            email="ann@example.org",
            org="Initech",
            title="Engineer",
            extra=PHOTO,
        ),
    )
    server.put_card("bo.vcf", vcard("uid-bo", "Bo Kim", email="bo@example.org", org="Acme"))


def test_first_and_incremental_sync(store: Store, dav_server: DavServer) -> None:
    seed(dav_server)
    first = sync(store, dav_server)
    assert (first.new, first.updated, first.written) == (2, 0, 0)
    assert view_of(store, "ann@example.org")["title"] == "Engineer"
    assert view_of(store, "bo@example.org")["organisation"] == "Acme"
    again = sync(store, dav_server)
    assert (again.new, again.updated, again.removed, again.written) == (0, 0, 0, 0)

    dav_server.put_card("cy.vcf", vcard("uid-cy", "Cy Ode", email="cy@example.org"))
    dav_server.put_card(
        "ann.vcf",
        vcard("uid-ann", "Ann Lee", email="ann@example.org", org="Initech", title="Manager"),
    )
    later = sync(store, dav_server)
    assert (later.new, later.updated, later.written) == (1, 1, 0)
    assert view_of(store, "ann@example.org")["title"] == "Manager"
    assert view_of(store, "cy@example.org")["name"] == "Cy Ode"
    assert count(store, carddav_card) == 3


def test_etag_comparison_without_sync_tokens(sqlite_store: Store, dav_server: DavServer) -> None:
    seed(dav_server)
    assert sync(sqlite_store, dav_server, use_sync_token=False).new == 2
    dav_server.put_card("bo.vcf", vcard("uid-bo", "Bo Kim", email="bo@example.org", org="Beta"))
    dav_server.delete_card("ann.vcf")
    report = sync(sqlite_store, dav_server, use_sync_token=False)
    assert (report.new, report.updated, report.removed) == (0, 1, 1)
    assert view_of(sqlite_store, "bo@example.org")["organisation"] == "Beta"
    with pytest.raises(UserError):
        view_of(sqlite_store, "ann@example.org")


def test_edits_on_both_sides_merge_field_by_field(store: Store, dav_server: DavServer) -> None:
    seed(dav_server)
    sync(store, dav_server)
    dav_server.put_card(  # the phone: a new title, the rest as it was
        "ann.vcf",
        vcard(
            "uid-ann",
            "Ann Lee",
            email="ann@example.org",
            org="Initech",
            title="Manager",
            extra=PHOTO,
        ),
    )
    people_svc.edit(store, "ann@example.org", {"organisation": "Globex"}, [], ["+44 20 7946 0958"])
    report = sync(store, dav_server)
    assert report.conflicts == [] and report.written == 1
    text, _ = dav_server.get_card("ann.vcf") or ("", "")
    assert "TITLE:Manager" in text and "ORG:Globex" in text
    assert "+442079460958" in re.sub(r"[^\d+]", "", text)
    assert PHOTO in text and "EMAIL;TYPE=INTERNET,HOME:ann@example.org" in text
    view = view_of(store, "ann@example.org")
    assert (view["title"], view["organisation"]) == ("Manager", "Globex")
    quiet = sync(store, dav_server)
    assert (quiet.updated, quiet.written) == (0, 0)


def test_a_conflict_is_kept_until_resolved(sqlite_store: Store, dav_server: DavServer) -> None:
    seed(dav_server)
    sync(sqlite_store, dav_server)
    dav_server.put_card(
        "ann.vcf",
        vcard("uid-ann", "Ann Lee", email="ann@example.org", org="Initech", title="Phone title"),
    )
    people_svc.edit(sqlite_store, "ann@example.org", {"title": "Rekindle title"}, [], [])
    report = sync(sqlite_store, dav_server)
    assert [(c.path.rsplit("/", 1)[1], c.fields) for c in report.conflicts] == [
        ("ann.vcf", {"title": ("Rekindle title", "Phone title")})
    ]
    assert "TITLE:Phone title" in (dav_server.get_card("ann.vcf") or ("",))[0]
    assert view_of(sqlite_store, "ann@example.org")["title"] == "Rekindle title"
    assert len(sync(sqlite_store, dav_server).conflicts) == 1  # still there, nothing lost

    resolved = sync(sqlite_store, dav_server, resolve="keep-mine")
    assert resolved.conflicts == [] and resolved.written == 1
    assert "TITLE:Rekindle title" in (dav_server.get_card("ann.vcf") or ("",))[0]
    assert sync(sqlite_store, dav_server).conflicts == []


def test_keep_theirs_drops_my_edit(sqlite_store: Store, dav_server: DavServer) -> None:
    seed(dav_server)
    sync(sqlite_store, dav_server)
    dav_server.put_card(
        "ann.vcf",
        vcard("uid-ann", "Ann Lee", email="ann@example.org", org="Initech", title="Phone title"),
    )
    people_svc.edit(sqlite_store, "ann@example.org", {"title": "Rekindle title"}, [], [])
    assert sync(sqlite_store, dav_server).conflicts
    report = sync(sqlite_store, dav_server, resolve="keep-theirs")
    assert report.conflicts == [] and report.written == 0
    assert view_of(sqlite_store, "ann@example.org")["title"] == "Phone title"
    assert sync(sqlite_store, dav_server).written == 0


def test_a_delete_on_the_server_does_not_lose_an_edit(store: Store, dav_server: DavServer) -> None:
    seed(dav_server)
    sync(store, dav_server)
    people_svc.edit(store, "ann@example.org", {"title": "Rekindle title"}, [], [])
    dav_server.delete_card("ann.vcf")
    report = sync(store, dav_server)
    assert report.removed == 0
    assert [(c.path.rsplit("/", 1)[1], c.deleted, c.fields) for c in report.conflicts] == [
        ("ann.vcf", True, {"title": ("Rekindle title", None)})
    ]
    assert report.as_json()["conflicts"][0]["kind"] == "deleted on the server"
    assert view_of(store, "ann@example.org")["title"] == "Rekindle title"
    again = sync(store, dav_server)  # the sync-token no longer says it: still kept
    assert [c.deleted for c in again.conflicts] == [True] and again.removed == 0
    (book,) = address_books(store)
    assert book["counts"] == {"cards": 2, "conflicts": 1} and book["last_sync_at"]
    assert dav_server.card_names() == ["bo.vcf"]

    resolved = sync(store, dav_server, resolve="keep-mine")
    assert (resolved.conflicts, resolved.created, resolved.removed) == ([], 1, 0)
    text = (dav_server.get_card("ann.vcf") or ("",))[0]
    assert "TITLE:Rekindle title" in text and "UID:uid-ann" in text
    assert "ann@example.org" in text
    quiet = sync(store, dav_server)
    assert (quiet.conflicts, quiet.updated, quiet.written, quiet.removed) == ([], 0, 0, 0)
    assert count(store, person) == 2 and count(store, carddav_card) == 2


def test_keep_mine_writes_a_merged_persons_card_back_as_its_own(
    sqlite_store: Store, dav_server: DavServer
) -> None:
    dav_server.put_card("a1.vcf", vcard("u1", "Dana Scott", email="dana@example.org"))
    dav_server.put_card(
        "a2.vcf", vcard("u2", "Dana Scott", email="dana@example.org", phone="+1 212 555 0100")
    )
    sync(sqlite_store, dav_server)
    edit = {"organisation": "Initech", "title": "Director"}
    people_svc.edit(sqlite_store, "dana@example.org", edit, [], [])
    dav_server.delete_card("a1.vcf")
    assert [c.deleted for c in sync(sqlite_store, dav_server).conflicts] == [True]
    a2_before = dav_server.get_card("a2.vcf")
    resolved = sync(sqlite_store, dav_server, resolve="keep-mine")
    assert (resolved.created, resolved.conflicts) == (1, [])
    text = (dav_server.get_card("a1.vcf") or ("",))[0]
    assert "UID:u1" in text and "FN:Dana Scott" in text and "dana@example.org" in text
    assert "TITLE:Director" in text and "ORG:Initech" in text
    assert "212" not in text  # the other card's number stays on the other card
    assert dav_server.get_card("a2.vcf") == a2_before
    assert count(sqlite_store, person) == 1
    quiet = sync(sqlite_store, dav_server)
    assert (quiet.conflicts, quiet.written, quiet.created) == ([], 0, 0)


def test_keep_theirs_lets_the_delete_happen(sqlite_store: Store, dav_server: DavServer) -> None:
    seed(dav_server)
    sync(sqlite_store, dav_server, use_sync_token=False)
    people_svc.edit(sqlite_store, "ann@example.org", {"organisation": "Globex"}, [], [])
    dav_server.delete_card("ann.vcf")
    kept = sync(sqlite_store, dav_server, use_sync_token=False)
    assert [c.fields for c in kept.conflicts] == [{"organisation": ("Globex", None)}]
    assert view_of(sqlite_store, "ann@example.org")["organisation"] == "Globex"
    report = sync(sqlite_store, dav_server, use_sync_token=False, resolve="keep-theirs")
    assert (report.conflicts, report.removed, report.created) == ([], 1, 0)
    with pytest.raises(UserError):
        view_of(sqlite_store, "ann@example.org")
    assert dav_server.card_names() == ["bo.vcf"]
    assert sync(sqlite_store, dav_server, use_sync_token=False).conflicts == []
    assert count(sqlite_store, carddav_card) == 1


def ann_with(categories: str) -> str:
    return vcard(
        "uid-ann", "Ann Lee", email="ann@example.org", org="Initech",
        extra=f"{PHOTO}\r\nCATEGORIES:{categories}\r\nNOTE:met at the 2019 offsite",
    )  # fmt: skip


def categories(server: DavServer, name: str) -> list[str]:
    text = (server.get_card(name) or ("",))[0]
    found = re.findall(r"^CATEGORIES:(.*)$", text.replace("\r\n", "\n"), flags=re.M)
    return sorted(t for line in found for t in line.split(","))


def test_tags_sync_both_ways(sqlite_store: Store, dav_server: DavServer) -> None:
    dav_server.put_card("ann.vcf", ann_with("Friends,Book club,myContacts"))
    sync(sqlite_store, dav_server)
    assert view_of(sqlite_store, "ann@example.org")["tags"] == ["Book club", "Friends"]
    shown = people_svc.show(sqlite_store, "ann@example.org")
    assert [n["text"] for n in shown.notes] == ["met at the 2019 offsite"]

    dav_server.put_card("ann.vcf", ann_with("Friends,Climbing,myContacts"))  # the phone
    people_svc.tag(sqlite_store, ["ann@example.org"], ["Mentor"], [])  # Rekindle
    both = sync(sqlite_store, dav_server)
    assert (both.conflicts, both.written) == ([], 1)
    assert categories(dav_server, "ann.vcf") == ["Climbing", "Friends", "Mentor", "myContacts"]
    assert view_of(sqlite_store, "ann@example.org")["tags"] == ["Climbing", "Friends", "Mentor"]

    people_svc.tag(sqlite_store, ["ann@example.org"], [], ["Friends"])
    removed = sync(sqlite_store, dav_server)
    assert removed.written == 1
    assert categories(dav_server, "ann.vcf") == ["Climbing", "Mentor", "myContacts"]
    text = (dav_server.get_card("ann.vcf") or ("",))[0]
    assert PHOTO in text and "NOTE:met at the 2019 offsite" in text
    assert view_of(sqlite_store, "ann@example.org")["tags"] == ["Climbing", "Mentor"]
    quiet = sync(sqlite_store, dav_server)
    assert (quiet.updated, quiet.written, quiet.conflicts) == (0, 0, [])


def test_links_saved_before_tags_were_synced_catch_up(
    sqlite_store: Store, dav_server: DavServer
) -> None:
    dav_server.put_card("ann.vcf", ann_with("Friends"))
    sync(sqlite_store, dav_server)
    with sqlite_store.begin() as conn:  # baselines as an earlier version saved them
        for row in conn.execute(select(carddav_card)).all():
            views = {}
            for col in ("card_view", "person_view"):
                view = json.loads(getattr(row, col))
                view.pop("tags")
                views[col] = json.dumps(view)
            conn.execute(carddav_card.update().where(carddav_card.c.id == row.id).values(**views))
    people_svc.edit(sqlite_store, "ann@example.org", {"title": "Lead"}, [], [])
    upgraded = sync(sqlite_store, dav_server)
    assert (upgraded.written, upgraded.conflicts) == (1, [])
    assert categories(dav_server, "ann.vcf") == ["Friends"]
    with sqlite_store.read() as conn:
        (view,) = [json.loads(v) for v in conn.execute(select(carddav_card.c.card_view)).scalars()]
    assert view["tags"] == ["Friends"]
    people_svc.tag(sqlite_store, ["ann@example.org"], ["Mentor"], [])
    assert sync(sqlite_store, dav_server).written == 1
    assert categories(dav_server, "ann.vcf") == ["Friends", "Mentor"]


class PhoneWritesFirst(CardDavClient):
    """A client whose first PUT finds that the phone changed the card a moment before."""

    server: DavServer

    def put(self, path: str, vcard_text: str, etag: str | None) -> str | None:
        if not getattr(self, "raced", False):
            self.raced = True
            self.server.put_card(
                path.rsplit("/", 1)[1],
                vcard(
                    "uid-ann",
                    "Ann Lee",
                    email="ann@example.org",
                    org="Initech",
                    title="Phone meanwhile",
                ),
            )
        return super().put(path, vcard_text, etag)


def test_a_change_on_the_phone_during_the_sync_is_not_overwritten(
    sqlite_store: Store, dav_server: DavServer
) -> None:
    seed(dav_server)
    sync(sqlite_store, dav_server)
    people_svc.edit(sqlite_store, "ann@example.org", {"organisation": "Globex"}, [], [])
    PhoneWritesFirst.server = dav_server
    report = sync(sqlite_store, dav_server, client_factory=PhoneWritesFirst)
    assert report.written == 0
    assert any("nothing was overwritten" in n for n in report.notices)
    assert "Phone meanwhile" in (dav_server.get_card("ann.vcf") or ("",))[0]
    after = sync(sqlite_store, dav_server)  # the next sync merges both changes
    assert (after.updated, after.written, after.conflicts) == (1, 1, [])
    text = (dav_server.get_card("ann.vcf") or ("",))[0]
    assert "TITLE:Phone meanwhile" in text and "ORG:Globex" in text


def test_deletes_on_both_sides(sqlite_store: Store, dav_server: DavServer) -> None:
    seed(dav_server)
    sync(sqlite_store, dav_server)
    dav_server.delete_card("ann.vcf")
    report = sync(sqlite_store, dav_server, delete=("bo@example.org",))
    assert (report.removed, report.deleted) == (1, 1)
    assert dav_server.card_names() == []
    assert count(sqlite_store, carddav_card) == 0
    assert count(sqlite_store, person) == 0
    assert sync(sqlite_store, dav_server).removed == 0
    seed(dav_server)
    sync(sqlite_store, dav_server)
    again = sync(sqlite_store, dav_server, delete=("bo@example.org", "ann@example.org"))
    assert again.deleted == 2 and dav_server.card_names() == []


def test_merged_cards_stay_apart_unless_asked(sqlite_store: Store, dav_server: DavServer) -> None:
    dav_server.put_card("a1.vcf", vcard("u1", "Dana Scott", email="dana@example.org"))
    dav_server.put_card(
        "a2.vcf", vcard("u2", "Dana Scott", email="dana@example.org", phone="+1 212 555 0100")
    )
    sync(sqlite_store, dav_server)
    assert count(sqlite_store, person) == 1  # Rekindle sees one person
    # (a title alone, without an organisation, is not kept by Rekindle's view of a person)
    edit = {"organisation": "Initech", "title": "Director"}
    people_svc.edit(sqlite_store, "dana@example.org", edit, [], [])
    kept = sync(sqlite_store, dav_server)
    assert kept.written == 0 and any("2 cards on the server" in n for n in kept.notices)
    assert dav_server.card_names() == ["a1.vcf", "a2.vcf"]

    merged = sync(sqlite_store, dav_server, push_merged=True)
    assert (merged.written, merged.deleted) == (1, 1)
    (name,) = dav_server.card_names()
    text = (dav_server.get_card(name) or ("",))[0]
    assert "TITLE:Director" in text and "ORG:Initech" in text
    assert "+12125550100" in re.sub(r"[^\d+]", "", text)
    assert view_of(sqlite_store, "dana@example.org")["phones"] == ["+12125550100"]
    assert sync(sqlite_store, dav_server).written == 0


def test_a_phone_edit_to_a_merged_persons_card_does_not_write_the_merge(
    sqlite_store: Store, dav_server: DavServer
) -> None:
    dav_server.put_card("a1.vcf", vcard("u1", "Dana Scott", email="dana@example.org"))
    dav_server.put_card(
        "a2.vcf", vcard("u2", "Dana Scott", email="dana@example.org", phone="+1 212 555 0100")
    )
    sync(sqlite_store, dav_server)
    edit = {"organisation": "Initech", "title": "Director"}
    people_svc.edit(sqlite_store, "dana@example.org", edit, [], [])
    dav_server.put_card(  # the phone: a new address on the first card
        "a1.vcf",
        vcard("u1", "Dana Scott", email="dana@example.org", extra="URL:https://dana.example"),
    )
    report = sync(sqlite_store, dav_server)
    assert (report.updated, report.written, report.conflicts) == (1, 0, [])
    assert any("yours were not written" in n for n in report.notices)
    text = (dav_server.get_card("a1.vcf") or ("",))[0]
    assert "Director" not in text and "212" not in text
    view = view_of(sqlite_store, "dana@example.org")
    assert view["urls"] == ["https://dana.example/"] or view["urls"] == ["https://dana.example"]
    assert view["title"] == "Director"
    later = sync(sqlite_store, dav_server)  # still pending, still not written, no conflict
    assert (later.written, later.conflicts) == (0, [])
    merged = sync(sqlite_store, dav_server, push_merged=True)
    assert (merged.written, merged.deleted, merged.conflicts) == (1, 1, [])
    (name,) = dav_server.card_names()
    text = (dav_server.get_card(name) or ("",))[0]
    assert "TITLE:Director" in text and "dana.example" in text


def test_people_learnt_from_mail_are_pushed_when_asked(
    sqlite_store: Store, dav_server: DavServer
) -> None:
    record = ContactRecord(
        "mail", "mail:eve@example.org", "Eve Moss <eve@example.org>",
        source_id="mail:eve@example.org", full_name="Eve Moss",
        identities=[RawIdentity("email", "eve@example.org")],
    )  # fmt: skip
    import_items(sqlite_store, [record], "mail", "mail")
    assert sync(sqlite_store, dav_server).created == 0
    report = sync(sqlite_store, dav_server, push_new=True)
    assert report.created == 1
    (name,) = dav_server.card_names()
    assert "FN:Eve Moss" in (dav_server.get_card(name) or ("",))[0]
    again = sync(sqlite_store, dav_server, push_new=True)
    assert (again.created, again.new) == (0, 0)
    assert count(sqlite_store, person) == 1


class DiesAfter(httpx.HTTPTransport):
    """The real transport, and the server killed once ``n`` requests went through."""

    def __init__(self, server: DavServer, n: int) -> None:
        super().__init__()
        self.server, self.left = server, n

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.left == 0:
            self.server.kill()
        self.left -= 1
        return super().handle_request(request)


def dying(server: DavServer, n: int) -> Any:
    def make(url: str, user: str, password: str) -> CardDavClient:
        return CardDavClient(url, user, password, timeout=5, transport=DiesAfter(server, n))

    return make


def test_a_dropped_connection_keeps_nothing_half_done_and_resumes(
    sqlite_store: Store, dav_server: DavServer
) -> None:
    seed(dav_server)
    with pytest.raises(CardDavError) as info:  # discovery and the listing pass, fetching dies
        sync(sqlite_store, dav_server, client_factory=dying(dav_server, 2))
    assert str(info.value).startswith("lost the connection to 127.0.0.1")
    assert "\n" not in str(info.value)
    assert (count(sqlite_store, carddav_card), count(sqlite_store, source_record)) == (0, 0)
    dav_server.start()
    assert sync(sqlite_store, dav_server).new == 2

    people_svc.edit(sqlite_store, "ann@example.org", {"title": "A"}, [], [])
    people_svc.edit(sqlite_store, "bo@example.org", {"title": "B"}, [], [])
    with pytest.raises(CardDavError):  # the first card is written, the second is not
        sync(sqlite_store, dav_server, client_factory=dying(dav_server, 4))
    dav_server.start()
    report = sync(sqlite_store, dav_server)
    assert report.written == 1 and report.conflicts == []
    texts = [(dav_server.get_card(n) or ("",))[0] for n in ("ann.vcf", "bo.vcf")]
    assert "TITLE:A" in texts[0] and "TITLE:B" in texts[1]
    assert sync(sqlite_store, dav_server).written == 0


def test_wrong_password_is_a_clear_message(sqlite_store: Store, password_server: DavServer) -> None:
    with pytest.raises(UserError) as info:
        sync_contacts(
            sqlite_store, url_of(password_server), env={**ENV, "REKINDLE_CARDDAV_PASSWORD": "nope"}
        )
    assert str(info.value) == f"127.0.0.1 refused the user name or password for {USER}"
    assert count(sqlite_store, carddav_card) == 0


def test_no_password_and_no_terminal_says_where_to_put_it(sqlite_store: Store) -> None:
    with pytest.raises(UserError, match="No CardDAV password for alice@dav.example"):
        sync_contacts(sqlite_store, "https://alice@dav.example/", env={"REKINDLE_NO_KEYRING": "1"})
    with pytest.raises(UserError, match="no user name"):
        sync_contacts(sqlite_store, "https://dav.example/", env=ENV)


def run_cli(db: Path, *args: str, password: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "COLUMNS": "200",
        "NO_COLOR": "1",
        "REKINDLE_CARDDAV_PASSWORD": password,
        "REKINDLE_NO_KEYRING": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "rekindle", "--db", str(db), "sync", "contacts", *args],
        capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_the_command_reports_and_fails_in_one_line(
    tmp_path: Path, password_server: DavServer
) -> None:
    seed(password_server)
    db = tmp_path / "r.db"
    bad = run_cli(db, url_of(password_server), password="nope")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert f"refused the user name or password for {USER}" in bad.stderr
    good = run_cli(db, url_of(password_server), "--json", password=PASSWORD)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["from_server"] == {"new": 2, "updated": 0, "removed": 0}
    text = run_cli(db, url_of(password_server), password=PASSWORD)
    assert "Synced 1 address book: from the server 0 new" in text.stdout
    wrong = run_cli(db, url_of(password_server), "--resolve", "both", password=PASSWORD)
    assert "no resolution 'both'" in wrong.stderr and "Traceback" not in wrong.stderr


def status_cli(db: Path, *args: str) -> str:
    env = {**os.environ, "COLUMNS": "250", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "rekindle", "--db", str(db), "sync", "status", *args],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    ).stdout  # fmt: skip


def test_sync_status_lists_the_address_books(tmp_path: Path, dav_server: DavServer) -> None:
    db = tmp_path / "r.db"
    assert "sync contacts URL" in status_cli(db)
    seed(dav_server)
    assert run_cli(db, url_of(dav_server), password=PASSWORD).returncode == 0
    dav_server.put_card(
        "ann.vcf",
        vcard("uid-ann", "Ann Lee", email="ann@example.org", org="Initech", title="Phone"),
    )
    edited = subprocess.run(
        [sys.executable, "-m", "rekindle", "--db", str(db), "edit", "ann@example.org",
         "--title", "Mine"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert edited.returncode == 0, edited.stderr
    assert "conflict" in run_cli(db, url_of(dav_server), password=PASSWORD).stdout
    (book,) = [r for r in json.loads(status_cli(db, "--json")) if r["kind"] == "carddav"]
    assert book["locator"] == dav_server.book_url
    assert book["counts"] == {"cards": 2, "conflicts": 1}
    assert book["last_sync_at"]
    text = status_cli(db)
    assert dav_server.book_url in text and "2 cards, 1 conflict waiting" in text
    dav_server.delete_card("ann.vcf")  # the conflict becomes a delete of an edited person
    said = run_cli(db, url_of(dav_server), password=PASSWORD).stdout
    assert "Ann Lee" in said and "deleted on the server, changed in Rekindle" in said
    assert "title: Rekindle 'Mine'" in said and "Traceback" not in said
    assert "2 cards, 1 conflict waiting" in status_cli(db)


GROUP = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:group-1\r\nFN:Book club\r\nN:Book club;;;;\r\n"
    "X-ADDRESSBOOKSERVER-KIND:group\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:uid-ann\r\nEND:VCARD\r\n"
)


def test_a_group_card_is_no_person_and_no_error(sqlite_store: Store, dav_server: DavServer) -> None:
    seed(dav_server)
    dav_server.put_card("group.vcf", GROUP)
    report = sync(sqlite_store, dav_server, use_sync_token=False)
    assert (report.new, report.errors) == (2, [])
    assert count(sqlite_store, person) == 2
    again = sync(sqlite_store, dav_server, use_sync_token=False)  # not read again
    assert (again.new, again.updated, again.errors) == (0, 0, [])
    dav_server.delete_card("group.vcf")
    gone = sync(sqlite_store, dav_server, use_sync_token=False)
    assert gone.removed == 1 and count(sqlite_store, person) == 2


def test_sync_commands_run_on_an_empty_home(tmp_path: Path) -> None:
    """Both commands load the card patcher: an import error there broke them for everyone."""
    env = {**os.environ, "HOME": str(tmp_path), "COLUMNS": "200", "NO_COLOR": "1"}
    db = tmp_path / "r.db"
    status = subprocess.run(
        [sys.executable, "-m", "rekindle", "--db", str(db), "sync", "status"],
        capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert status.returncode == 0, status.stderr
    assert "sync contacts URL" in status.stdout
    contacts = run_cli(db, "http://alice@127.0.0.1:9/", password="x")
    assert contacts.returncode != 0
    assert "internal error" not in contacts.stderr and "Traceback" not in contacts.stderr
    assert "connection to 127.0.0.1" in contacts.stderr
