"""Team mode through the real app: sign-in, sessions, CSRF, the throttle, and isolation.

Alice and Bob each have a network in the same database. Signed in as Bob, every route that
takes an id is asked for Alice's objects; none may show or change them.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rekindle.services import accounts
from rekindle.services import me as me_svc
from rekindle.services import outreach as outreach_svc
from rekindle.services import people as people_svc
from rekindle.services import team as team_svc
from rekindle.services.importing import import_path
from rekindle.services.plan import weekly_plan
from rekindle.services.sync_files import sync_mail_path
from rekindle.store import Store
from rekindle.store.schema import note, owner, person, person_edit, tag
from rekindle.store.schema_engine import outreach, person_hold
from rekindle.web.app import create_app
from tests.conftest import FIXTURES

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
HX = {"HX-Request": "true"}


@dataclass
class Member:
    owner_id: int
    store: Store
    ana: int
    johnny: int
    outreach_id: int
    secret: str


def _network(store: Store, folder: Path) -> Member:
    """Johnny (vCard) and Ana (mbox, robin@example.org is me), and an outreach to Johnny."""
    folder.mkdir()
    me_svc.add_address(store, "robin@example.org")
    import_path(store, FIXTURES / "vcard" / "apple-item-labels.vcf", now=NOW)
    box = folder / "mail.mbox"
    shutil.copy(FIXTURES / "mail" / "gmail-takeout-envelope.mbox", box)
    sync_mail_path(store, box, now=NOW)
    ana = people_svc.show(store, "ana.costa@example.com").id
    johnny = people_svc.show(store, "johnny@example.com").id
    logged = outreach_svc.log_outreach(
        store, str(johnny), "call", note="talked", at=NOW - timedelta(days=3), now=NOW
    )
    secret = f"private note about Ana of account {store.owner_id}"
    people_svc.add_note(store, str(ana), secret, now=NOW)
    return Member(store.owner_id, store, ana, johnny, logged.id, secret)


def _member(store: Store, name: str, folder: Path) -> Member:
    account = accounts.add_user(store, name, PASSWORD, display_name=name.title())
    return _network(replace(store, owner_id=account.owner_id), folder)


@pytest.fixture
def team(store: Store, tmp_path: Path) -> tuple[Member, Member]:
    return _member(store, "alice", tmp_path / "a"), _member(store, "bob", tmp_path / "b")


@pytest.fixture
def app_client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store, now_fn=lambda: NOW, team=True)) as c:
        yield c


def sign_in(client: TestClient, username: str, password: str = PASSWORD, **kw: Any) -> Any:
    form = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', form.text)
    assert token, form.text
    data = {"username": username, "password": password, "login_token": token.group(1), **kw}
    return client.post("/login", data=data, follow_redirects=False)


def csrf_of(page: str) -> str:
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def test_every_page_needs_a_session(app_client: TestClient, team: Any) -> None:
    for path in ("/", "/people", "/settings", "/import", "/account"):
        page = app_client.get(path, follow_redirects=False)
        assert page.status_code == 303, path
        assert page.headers["location"].startswith("/login"), path
    assert app_client.get("/people", follow_redirects=False).headers["location"] == (
        "/login?next=/people"
    )
    hx = app_client.get("/people", headers=HX, follow_redirects=False)
    assert hx.status_code == 401 and hx.headers["HX-Redirect"].startswith("/login")
    posted = app_client.post("/plan/refresh", follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"] == "/login"
    assert app_client.get("/static/app.css").status_code == 200
    assert app_client.get("/login").status_code == 200


def test_signing_in_sets_a_safe_cookie_and_shows_only_my_network(
    app_client: TestClient, store: Store, team: tuple[Member, Member]
) -> None:
    alice, bob = team
    people_svc.edit(alice.store, str(alice.ana), {"name": "Ana of Alice"}, [], [])
    signed = sign_in(app_client, "bob", next="/people")
    assert signed.status_code == 303 and signed.headers["location"] == "/people"
    cookie = signed.headers["set-cookie"]
    assert "rekindle_session=" in cookie and "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    people = app_client.get("/people").text
    assert "Ana Costa" in people and "Ana of Alice" not in people
    assert "Bob" in people  # the account's name in the navigation, with Sign out
    assert 'action="/logout"' in people
    found = app_client.get("/people", params={"q": "Alice"}).text
    assert "Ana of Alice" not in found


def test_wrong_passwords_are_refused_then_throttled(
    app_client: TestClient, team: tuple[Member, Member]
) -> None:
    wrong = sign_in(app_client, "bob", "not the password")
    assert wrong.status_code == 401 and "Wrong username or password" in wrong.text
    assert "rekindle_session" not in wrong.headers.get("set-cookie", "")
    unknown = sign_in(app_client, "nobody", "not the password")
    assert unknown.status_code == 401 and "Wrong username or password" in unknown.text
    for _ in range(4):
        sign_in(app_client, "bob", "not the password")
    locked = sign_in(app_client, "bob")  # even the right password waits now
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.text
    assert int(locked.headers["Retry-After"]) > 60
    assert sign_in(app_client, "alice").status_code == 303  # another account is not locked


def test_a_login_without_its_form_token_is_refused(
    app_client: TestClient, team: tuple[Member, Member]
) -> None:
    forged = app_client.post(
        "/login", data={"username": "bob", "password": PASSWORD, "login_token": "forged"}
    )
    assert forged.status_code == 403


def test_next_never_leaves_the_site(app_client: TestClient, team: tuple[Member, Member]) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        app_client.cookies.clear()
        assert sign_in(app_client, "bob", next=target).headers["location"] == "/"


def test_every_change_needs_the_sessions_csrf_token(
    app_client: TestClient, store: Store, team: tuple[Member, Member]
) -> None:
    _, bob = team
    sign_in(app_client, "bob")
    page = app_client.get(f"/people/{bob.ana}").text
    token = csrf_of(page)
    # every POST form on the page carries the token
    forms = re.findall(r'<form[^>]*method="post"[^>]*>(.{0,200})', page)
    assert forms and all(f'name="csrf_token" value="{token}"' in f for f in forms)
    url = f"/people/{bob.ana}/note"
    assert app_client.post(url, data={"body": "no token"}).status_code == 403
    bad = app_client.post(url, data={"body": "bad token", "csrf_token": "x" * 43})
    assert bad.status_code == 403
    assert (
        app_client.post(
            url, data={"body": "wrong", "csrf_token": token}, headers={"X-CSRF-Token": "y" * 43}
        ).status_code
        == 403
    )
    ok = app_client.post(url, data={"body": "with the token", "csrf_token": token})
    assert ok.status_code == 200
    hx = app_client.post(url, data={"body": "by htmx"}, headers={**HX, "X-CSRF-Token": token})
    assert hx.status_code == 200
    notes = [n["text"] for n in people_svc.show(bob.store, str(bob.ana)).notes]
    assert "with the token" in notes and "by htmx" in notes
    assert "no token" not in notes and "bad token" not in notes and "wrong" not in notes


def test_an_upload_needs_the_token_before_the_file(
    app_client: TestClient, store: Store, team: tuple[Member, Member]
) -> None:
    _, bob = team
    sign_in(app_client, "bob")
    token = csrf_of(app_client.get("/import").text)
    card = (FIXTURES / "vcard" / "apple-item-labels.vcf").read_bytes()
    refused = app_client.post(
        "/import", data={"kind": "contacts"}, files={"file": ("a.vcf", card, "text/vcard")}
    )
    assert refused.status_code == 403
    uploads = store.location.data_dir / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())
    accepted = app_client.post(
        "/import",
        data={"csrf_token": token, "kind": "contacts"},
        files={"file": ("a.vcf", card, "text/vcard")},
    )
    assert accepted.status_code == 200 and "a.vcf" in accepted.text


def test_signing_out_ends_the_session(app_client: TestClient, team: tuple[Member, Member]) -> None:
    sign_in(app_client, "bob")
    cookie = app_client.cookies.get("rekindle_session")
    token = csrf_of(app_client.get("/").text)
    out = app_client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    app_client.cookies.set("rekindle_session", cookie)  # replaying the old cookie
    assert app_client.get("/", follow_redirects=False).status_code == 303


def _snapshot(store: Store, owner_id: int) -> dict[str, Any]:
    """Everything of one owner a route could change, counted and named."""
    with store.read() as conn:

        def count(table: Any) -> int:
            return int(
                conn.execute(
                    select(func.count()).select_from(table).where(table.c.owner_id == owner_id)
                ).scalar()
            )

        rows = conn.execute(
            select(person.c.id, person.c.display_name, person.c.status, person.c.merged_into)
            .where(person.c.owner_id == owner_id)
            .order_by(person.c.id)
        ).all()
        sent = conn.execute(
            select(outreach.c.id, outreach.c.status, outreach.c.sent_at, outreach.c.outcome)
            .where(outreach.c.owner_id == owner_id)
            .order_by(outreach.c.id)
        ).all()
        return {
            "people": [tuple(r) for r in rows],
            "outreach": [tuple(r) for r in sent],
            "notes": count(note),
            "tags": count(tag),
            "edits": count(person_edit),
            "holds": count(person_hold),
        }


#: plausible values for every form field a route takes, so the handler runs for real
FORM_VALUES = {
    "body": "changed by bob",
    "text": "Hi Ana, changed by bob.",
    "name": "changed-by-bob",
    "names": "changed-by-bob",
    "tag": "changed-by-bob",
    "action": "add",
    "intent": "catch-up",
    "medium": "email",
    "until": "2w",
    "reason": "bob",
    "status": "replied",
    "outcome": "replied",
    "field": "name",
    "value": "Changed By Bob",
    "record": "1",
    "event": "1",
    "note": "bob",
    "subject": "bob",
}
ID_PARAMS = ("person_id", "outreach_id", "draft_id", "job_id", "meetup_id")
#: path parameters that name no one's object (the same for every account)
PLAIN_PARAMS = {"which": "smtp"}


def api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    """Every endpoint, including those of included routers (however FastAPI nests them)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from api_routes(route.original_router.routes)
        elif hasattr(route, "routes") and not hasattr(route, "app"):
            yield from api_routes(route.routes)


def test_no_route_shows_or_changes_another_accounts_data(
    app_client: TestClient, store: Store, team: tuple[Member, Member]
) -> None:
    from rekindle.services.followups import due_follow_ups
    from tests.test_followups import sent

    alice, _ = team
    # an e-mail of Alice's twelve days ago: its follow-up draft is due
    sent(alice.store, str(alice.ana), NOW - timedelta(days=12))
    [due], _ = due_follow_ups(alice.store, NOW)
    from rekindle.services.meetups import create_meetup

    dinner = create_meetup(
        alice.store, title="Alices private meetup", start=NOW + timedelta(days=9),
        end=NOW + timedelta(days=9, hours=2), place="Alice's flat", people=[str(alice.ana)],
        now=NOW,
    )  # fmt: skip
    before = _snapshot(store, alice.owner_id)
    sign_in(app_client, "bob")
    token = csrf_of(app_client.get("/").text)
    from rekindle.web.jobs import jobs_of

    class _AppRequest:  # jobs_of reads request.app only
        app = app_client.app

    alices_job = jobs_of(_AppRequest()).start(  # type: ignore[arg-type]
        alice.owner_id, "Alice's import", "records", lambda progress: None
    )
    ids = {
        "meetup_id": [dinner.meetup_id],
        "person_id": [alice.ana, alice.johnny],
        "outreach_id": [alice.outreach_id, due.outreach_id],
        "draft_id": [due.draft_id],
        "job_id": [alices_job.id],
    }
    alice_only = (alice.secret, due.body[:60], "Alices private meetup")
    tried = 0
    for route in api_routes(app_client.app.routes):  # type: ignore[attr-defined]
        path = route.path
        for name, plain in PLAIN_PARAMS.items():
            path = path.replace("{" + name + "}", plain)
        params = re.findall(r"{(\w+)}", path)
        if not params:
            continue
        unknown = [p for p in params if p not in ID_PARAMS]
        assert not unknown, f"{route.path}: teach this test the id {unknown} names"
        for value in ids[params[0]]:
            url = path.replace("{" + params[0] + "}", str(value))
            for method in route.methods:
                tried += 1
                response = app_client.request(
                    method,
                    url,
                    data={**FORM_VALUES, "csrf_token": token} if method == "POST" else None,
                    params={"medium": "email"} if method == "GET" else None,
                    follow_redirects=False,
                )
                where = f"{method} {url}"
                assert response.status_code in (400, 403, 404, 422), (
                    where,
                    response.status_code,
                    response.text[:300],
                )
                for secret in alice_only:
                    assert secret not in response.text, where
    assert tried >= 20
    assert _snapshot(store, alice.owner_id) == before


def _share(client: TestClient) -> None:
    token = csrf_of(client.get("/account").text)
    client.post("/account/sharing", data={"share": "on", "csrf_token": token})


def test_teammates_who_share_see_who_reached_out_and_who_knows_best(
    store: Store, team: tuple[Member, Member]
) -> None:
    alice, bob = team
    # Alice e-mailed Ana two days ago (the lock is 30 days)
    outreach_svc.log_outreach(
        alice.store, str(alice.ana), "email", at=NOW - timedelta(days=2), now=NOW
    )
    app = create_app(store, now_fn=lambda: NOW, team=True)
    with TestClient(app) as as_alice, TestClient(app) as as_bob:
        sign_in(as_alice, "alice")
        sign_in(as_bob, "bob")
        # neither shares yet: nothing crosses
        assert "Your team" not in as_bob.get(f"/people/{bob.ana}").text
        before = weekly_plan(bob.store, NOW, refresh=True)
        assert all("your team" not in h["why"] for h in before.held_examples)
        _share(as_bob)
        assert "Your team" not in as_bob.get(f"/people/{bob.ana}").text  # Alice does not share
        _share(as_alice)
        page = as_bob.get(f"/people/{bob.ana}").text
        assert "Your team" in page
        assert "Alice reached out to them on 30 Oct 2026" in page
        assert "Who in the team knows them best" in page and "Alice:" in page
        assert alice.secret not in page and bob.secret in page  # nothing else of Alice's
        signals = team_svc.signals_for(bob.store, bob.ana, NOW)
        assert signals.lines()[0] == (
            "Alice reached out to them on 30 Oct 2026: wait before you write too"
        )
        assert signals.as_json()["knows"][0]["teammate"] == "Alice"
        plan = weekly_plan(bob.store, NOW, refresh=True)
        assert bob.ana not in [s.person_id for s in plan.suggestions]
        assert any(
            h["person_id"] == bob.ana and "Alice (your team) reached out on 30 Oct 2026" in h["why"]
            for h in plan.held_examples
        )
    with store.read() as conn:
        shared = conn.execute(select(owner.c.username).where(owner.c.share_signals.is_(True)))
        assert set(shared.scalars()) == {"alice", "bob"}


def test_the_admin_adds_accounts_and_others_cannot(
    store: Store, team: tuple[Member, Member]
) -> None:
    accounts.set_admin(store, "alice", True)
    app = create_app(store, now_fn=lambda: NOW, team=True)
    with TestClient(app) as as_alice, TestClient(app) as as_bob:
        sign_in(as_alice, "alice")
        page = as_alice.get("/account").text
        assert "Add an account" in page
        token = csrf_of(page)
        added = as_alice.post(
            "/account/members",
            data={"username": "carol", "password": PASSWORD, "csrf_token": token},
        )
        assert added.status_code == 200 and "carol" in added.text
        sign_in(as_bob, "bob")
        bob_page = as_bob.get("/account").text
        assert "Add an account" not in bob_page
        refused = as_bob.post(
            "/account/members",
            data={"username": "mallory", "password": PASSWORD, "csrf_token": csrf_of(bob_page)},
        )
        assert refused.status_code == 403
    assert accounts.authenticate(store, "carol", PASSWORD) is not None
    assert accounts.authenticate(store, "mallory", PASSWORD) is None


def test_changing_the_password_signs_out_everywhere(
    store: Store, team: tuple[Member, Member]
) -> None:
    app = create_app(store, now_fn=lambda: NOW, team=True)
    with TestClient(app) as phone, TestClient(app) as laptop:
        sign_in(phone, "bob")
        sign_in(laptop, "bob")
        token = csrf_of(laptop.get("/account").text)
        wrong = laptop.post(
            "/account/password",
            data={
                "current": "nope",
                "new": "a new long password",
                "again": "a new long password",
                "csrf_token": token,
            },
        )
        assert wrong.status_code == 400 and "current password is wrong" in wrong.text
        changed = laptop.post(
            "/account/password",
            data={
                "current": PASSWORD,
                "new": "a new long password",
                "again": "a new long password",
                "csrf_token": token,
            },
            follow_redirects=False,
        )
        assert changed.status_code == 303
        assert phone.get("/", follow_redirects=False).status_code == 303
        assert sign_in(phone, "bob", "a new long password").status_code == 303


def test_hostile_account_names_are_inert(store: Store, team: tuple[Member, Member]) -> None:
    accounts.add_user(
        store,
        "eve",
        PASSWORD,
        display_name='<script>alert(1)</script>"><img src=x onerror=alert(2)>',
    )
    with TestClient(create_app(store, now_fn=lambda: NOW, team=True)) as client:
        sign_in(client, "eve")
        page = client.get("/").text
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_calendar_feed_needs_its_secret_and_shows_only_its_owner(
    store: Store, team: tuple[Member, Member]
) -> None:
    from icalendar import Calendar

    alice, bob = team
    # a follow-up is due for each: an e-mail sent twelve days ago, to Ana of each network
    from tests.test_followups import sent

    for member in team:
        sent(member.store, str(member.ana), NOW - timedelta(days=12))
    app = create_app(store, now_fn=lambda: NOW, team=True)
    with TestClient(app) as client:
        assert client.get("/calendar.ics").status_code == 404
        assert client.get("/calendar.ics", params={"token": "guess"}).status_code == 404
        sign_in(client, "bob")
        assert 'href="/account">Subscribe in your calendar' in client.get("/followups").text
        page = client.post(
            "/account/feed", data={"csrf_token": csrf_of(client.get("/account").text)}
        )
        url = re.search(r"<code class=\"feed\">([^<]+)</code>", page.text)
        assert url and "/calendar.ics?token=" in url.group(1)
        token = url.group(1).split("token=", 1)[1]
        client.cookies.clear()  # a calendar app has no session
        feed = client.get("/calendar.ics", params={"token": token})
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
        events = [e for e in Calendar.from_ical(feed.content).walk("VEVENT")]
        uids = {str(e["UID"]) for e in events}
        assert events and all(u.endswith(f"-{bob.owner_id}@rekindle.local") for u in uids)
        text = feed.text
        assert "Ana Costa" in text
        # Alice's feed token is not Bob's: a fresh one for her shows her events, not his
        alice_token = accounts.new_feed_token(alice.store)
        alice_feed = client.get("/calendar.ics", params={"token": alice_token}).content
        alice_uids = {str(e["UID"]) for e in Calendar.from_ical(alice_feed).walk("VEVENT")}
        assert alice_uids and all(
            u.endswith(f"-{alice.owner_id}@rekindle.local") for u in alice_uids
        )


def test_a_teammate_never_gets_the_servers_mail_passwords(
    store: Store, team: tuple[Member, Member], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The operator's REKINDLE_SMTP_PASSWORD (or keyring) belongs to the operator: a teammate
    who points their SMTP account anywhere must type their own password."""
    from tests.smtp_server import PASSWORD as SMTP_PASSWORD
    from tests.smtp_server import USER, running_smtp
    from tests.test_web_accounts import smtp_form, trust

    monkeypatch.setenv("REKINDLE_SMTP_PASSWORD", SMTP_PASSWORD)
    with running_smtp("starttls") as server:
        trust(server, tmp_path, monkeypatch)
        # the test server's port is none of the usual: the operator allows it
        monkeypatch.setenv("REKINDLE_TEAM_MAIL_PORTS", str(server.port))
        with TestClient(create_app(store, now_fn=lambda: NOW, team=True)) as client:
            sign_in(client, "bob")
            token = csrf_of(client.get("/settings/accounts").text)
            form = {**smtp_form(server.port, "starttls", USER), "csrf_token": token}
            client.post("/settings/accounts/smtp", data=form)
            page = client.get("/settings/accounts").text
            assert 'name="password"' in page.split("h-smtp")[-1]  # asks, though the env has one
            refused = client.post(
                "/settings/accounts/smtp/test", data={"csrf_token": token}, headers=HX
            )
            assert f"No SMTP password for {USER}@127.0.0.1" in refused.text
            typed = client.post(
                "/settings/accounts/smtp/test",
                data={"csrf_token": token, "password": SMTP_PASSWORD},
                headers=HX,
            )
            assert f"Connected to 127.0.0.1:{server.port}" in typed.text
    # single-user, the environment's password is the user's own: no field asks for it
    with TestClient(create_app(store, now_fn=lambda: NOW)) as local:
        local.post("/settings/accounts/smtp", data=smtp_form(2525, "starttls", USER))
        assert 'name="password"' not in local.get("/settings/accounts").text.split("h-smtp")[-1]
