"""The web app's pages and actions, through the real app on a real store (SQLite, PostgreSQL)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rekindle.services import me as me_svc
from rekindle.services import outreach as outreach_svc
from rekindle.services import people as people_svc
from rekindle.services import settings as settings_svc
from rekindle.services.importing import import_path
from rekindle.services.sync_files import sync_mail_path
from rekindle.store import Store
from rekindle.web.app import create_app
from tests.conftest import FIXTURES

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
HX = {"HX-Request": "true"}


def load_network(store: Store, tmp_path: Path) -> int:
    """Johnny from a vCard, Ana from a Gmail mbox (robin@example.org is me); Ana's id."""
    me_svc.add_address(store, "robin@example.org")
    import_path(store, FIXTURES / "vcard" / "apple-item-labels.vcf", now=NOW)
    box = tmp_path / "mail.mbox"
    shutil.copy(FIXTURES / "mail" / "gmail-takeout-envelope.mbox", box)
    sync_mail_path(store, box, now=NOW)
    return people_svc.show(store, "ana.costa@example.com").id


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    app = create_app(store, now_fn=lambda: NOW)
    # an import answers with its report when it ends within the grace (1 s by default); these
    # small files always do, but on a busy machine a PostgreSQL import may not: wait for it
    # here (tests/test_web_sync.py covers the progress page of a longer one)
    app.state.job_grace = 60
    with TestClient(app) as c:
        yield c


@pytest.fixture
def ana(store: Store, tmp_path: Path) -> int:
    return load_network(store, tmp_path)


def test_this_week_shows_each_suggestion_with_reasons_and_actions(
    client: TestClient, ana: int
) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Ana Costa" in page.text and "Johnny Appleseed" in page.text
    assert "quiet for 10 years" in page.text  # a reason, in words
    assert "email" in page.text and "your exchanges were by email" in page.text  # medium, why
    assert f'href="/compose/{ana}?medium=email"' in page.text
    for action in ("done", "snooze", "dismiss"):
        assert f'hx-post="/plan/{ana}/{action}"' in page.text


def test_mark_done_with_htmx_returns_the_plan_and_the_lock_error_in_the_flash(
    client: TestClient, ana: int
) -> None:
    client.get("/")  # stores this week's plan
    done = client.post(f"/plan/{ana}/done", data={"medium": "call"}, headers=HX)
    assert done.status_code == 200
    assert done.text.lstrip().startswith('<section id="plan"')
    assert "Done: Ana Costa (call)." in done.text and "done 01 Nov" in done.text
    again = client.post(f"/plan/{ana}/done", data={"medium": "call"}, headers=HX)
    assert again.status_code == 400
    assert again.headers["HX-Retarget"] == "#flash"
    assert "a second outreach within 30 days is refused" in again.text
    assert "<html" not in again.text  # a fragment, not a page


def test_a_done_card_folds_to_one_line_and_undo_brings_it_back(
    client: TestClient, store: Store, ana: int
) -> None:
    client.get("/")
    folded = client.post(f"/plan/{ana}/done", data={"medium": "call"}, headers=HX).text
    card = folded[folded.index(f'id="s-{ana}"') :].split("</li>")[0]
    assert "done 01 Nov" in card and f'hx-post="/plan/{ana}/undo"' in card
    assert f"/plan/{ana}/snooze" not in card and "/compose/" not in card  # one line only
    assert [o["status"] for o in outreach_svc.list_log(store, str(ana))] == ["logged"]
    back = client.post(f"/plan/{ana}/undo", headers=HX)
    assert back.status_code == 200 and "Undone: Ana Costa is back in the plan." in back.text
    assert f'hx-post="/plan/{ana}/snooze"' in back.text
    assert outreach_svc.list_log(store, str(ana)) == []
    nothing = client.post(f"/plan/{ana}/undo", headers=HX)
    assert nothing.status_code == 400 and "nothing to undo" in nothing.text
    # done by email is a message sent elsewhere (its follow-up due): its Undo takes it back too
    client.post(f"/plan/{ana}/done", data={"medium": "email"}, headers=HX)
    assert [o["status"] for o in outreach_svc.list_log(store, str(ana))] == ["sent"]
    again = client.post(f"/plan/{ana}/undo", headers=HX)
    assert again.status_code == 200 and outreach_svc.list_log(store, str(ana)) == []
    # a snooze folds too, and its Undo lifts it
    client.post(f"/plan/{ana}/snooze", data={"span": "1m"}, headers=HX)
    lifted = client.post(f"/plan/{ana}/resume", headers=HX).text
    assert "Ana Costa is back in the plan." in lifted and f"/plan/{ana}/snooze" in lifted
    # a message written here and marked sent went out: no Undo takes it back
    saved = client.post(
        f"/compose/{ana}/save", data={"text": "Subject: Hi\n\nHi Ana, how are you?", "action": "sent"}
    )
    assert saved.status_code == 200
    kept = client.post(f"/plan/{ana}/undo", headers=HX)
    assert kept.status_code == 400 and len(outreach_svc.list_log(store, str(ana))) == 1


def test_snooze_and_dismiss_without_javascript_redirect_back(
    client: TestClient, store: Store, ana: int
) -> None:
    johnny = people_svc.show(store, "johnny@example.com").id
    client.get("/")
    snoozed = client.post(f"/plan/{ana}/snooze", data={"span": "3m"}, follow_redirects=False)
    assert snoozed.status_code == 303 and snoozed.headers["location"] == "/"
    dismissed = client.post(f"/plan/{johnny}/dismiss", follow_redirects=False)
    assert dismissed.status_code == 303
    page = client.get("/").text
    assert "snoozed until 30 Jan 2027" in page
    assert "dismissed until 30 Jan 2027" in page
    # the Person page says it too, as a chip under the name
    assert (
        '<li class="chip accent">Snoozed until 30 Jan 2027</li>'
        in client.get(f"/people/{ana}").text
    )
    client.post(f"/people/{ana}/resume")
    assert "Snoozed until" not in client.get(f"/people/{ana}").text
    bad = client.post(f"/plan/{ana}/snooze", data={"span": "soon"})
    assert bad.status_code == 400 and "is neither a length nor a date" in bad.text


def test_person_page_shows_identities_history_statistics_and_takes_notes_and_tags(
    client: TestClient, store: Store, ana: int
) -> None:
    page = client.get(f"/people/{ana}")
    assert page.status_code == 200
    assert "ana.costa@example.com" in page.text
    assert "Lunch next week?" in page.text  # the timeline
    # the tie statistics, in words: no internal names such as reply_latency_in_h
    assert "from them" in page.text and "from you" in page.text
    for internal in ("latency", "decayed", "embeddedness", "reciprocity"):
        assert internal not in page.text
    client.post(f"/people/{ana}/note", data={"body": "loves the Thai place"})
    client.post(f"/people/{ana}/tags", data={"name": "lunch-club"})
    client.post(f"/people/{ana}/edit", data={"field": "tier", "value": "close"})
    page = client.get(f"/people/{ana}").text
    assert "loves the Thai place" in page and "lunch-club" in page
    assert '<option value="close" selected>' in page and "you changed: tier" in page
    # the edit form sends every field: what differs from your edits changes, empty forgets
    form = {
        "form": "all",
        "name": "Ana C. Costa",
        "organisation": "",
        "title": "",
        "birthday": "--03-14",
        "tier": "close",
        "cadence": "45",
        "medium": "",
    }
    client.post(f"/people/{ana}/edit", data=form)
    edits = people_svc.show(store, str(ana)).edits
    assert edits == {
        "name": "Ana C. Costa",
        "birthday": "--03-14",
        "tier": "close",
        "cadence": "45",
    }
    client.post(f"/people/{ana}/edit", data={**form, "tier": "", "cadence": ""})
    assert "tier" not in people_svc.show(store, str(ana)).edits
    page = client.get(f"/people/{ana}").text
    assert "Birthday 14 Mar" in page and 'id="h-history"' in page and "<svg" in page
    client.post(f"/people/{ana}/tags", data={"name": "lunch-club", "action": "remove"})
    assert "lunch-club" not in client.get(f"/people/{ana}").text
    wrong = client.post(f"/people/{ana}/edit", data={"field": "tier", "value": "bestie"})
    assert wrong.status_code == 400 and "no tier" in wrong.text


def test_a_merged_person_redirects_and_unknown_people_are_a_404_page(
    client: TestClient, store: Store, ana: int
) -> None:
    missing = client.get("/people/99999")
    assert missing.status_code == 404
    assert "no person with id 99999" in missing.text and "Traceback" not in missing.text
    assert "rekindle people" not in missing.text  # a web page points to People, not a command
    assert 'href="/people"' in missing.text
    assert client.get("/people/not-a-number").status_code == 422


def test_compose_checks_live_then_save_and_mark_sent(
    client: TestClient, store: Store, ana: int
) -> None:
    page = client.get(f"/compose/{ana}?intent=catch-up&medium=email")
    assert page.status_code == 200
    assert 'name="text"' in page.text and "Lunch next week?" in page.text
    assert 'hx-trigger="input changed delay:300ms, keyup changed delay:300ms"' in page.text
    assert 'href="mailto:ana.costa@example.com?subject=' in page.text
    text = "Subject: hello\n\nHi Ana, I hope this email finds you well. Just checking in."
    checked = client.post(
        f"/compose/{ana}/check", data={"text": text, "intent": "catch-up", "medium": "email"}
    )
    assert checked.status_code == 200
    assert 'data-code="generic-filler"' in checked.text
    assert 'id="open-link"' in checked.text and 'hx-swap-oob="true"' in checked.text
    better = (
        "Subject: Lunch?\n\nHi Ana,\n\nit's been years since our lunch at the Thai place "
        "(Lunch next week?). How are you? No need for a long reply.\n\nRobin"
    )
    checked = client.post(
        f"/compose/{ana}/check", data={"text": better, "intent": "catch-up", "medium": "email"}
    )
    assert "generic-filler" not in checked.text
    saved = client.post(
        f"/compose/{ana}/save",
        data={"text": better, "intent": "catch-up", "medium": "email", "action": "sent"},
        headers=HX,
    )
    assert saved.status_code == 200 and "Marked sent" in saved.text
    [row] = outreach_svc.list_log(store, str(ana))
    assert row["status"] == "sent" and row["subject"] == "Lunch?"
    person = client.get(f"/people/{ana}").text
    assert "11 Nov 2026" in person  # the follow-up is due ten days after sending


def test_a_saved_draft_is_marked_sent_from_the_person_page(
    client: TestClient, store: Store, ana: int
) -> None:
    saved = client.post(
        f"/compose/{ana}/save",
        data={"text": "Hi Ana, a short note.", "intent": "catch-up", "medium": "sms"},
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"] == f"/people/{ana}"
    [draft] = outreach_svc.list_log(store, str(ana))
    assert draft["status"] == "draft"
    assert f'action="/outreach/{draft["id"]}/sent"' in client.get(f"/people/{ana}").text
    client.post(f"/outreach/{draft['id']}/sent")
    client.post(f"/outreach/{draft['id']}/mark", data={"status": "replied"})
    assert outreach_svc.list_log(store, str(ana))[0]["status"] == "replied"
    bad = client.get(f"/compose/{ana}?medium=pigeon")
    assert bad.status_code == 400 and "unknown medium" in bad.text


def test_people_search_sort_page_and_bulk_tag(client: TestClient, store: Store, ana: int) -> None:
    found = client.get("/people?q=ana").text
    assert "Ana Costa" in found and "Johnny Appleseed" not in found
    assert "Apple Inc." in client.get("/people").text  # the organisation column
    dormant = client.get("/people?sort=dormant").text
    assert "Quiet for" in dormant
    johnny = people_svc.show(store, "johnny@example.com").id
    tagged = client.post(
        "/people/tag", data={"ids": [str(ana), str(johnny)], "name": "old friends"}
    )
    assert tagged.status_code == 200
    listed = client.get("/people?tag=old+friends").text
    assert "Ana Costa" in listed and "Johnny Appleseed" in listed
    nobody = client.post("/people/tag", data={"name": "x"})
    assert nobody.status_code == 400 and "no one is selected" in nobody.text
    assert "Page 2" in client.get("/people?page=2").text


def test_import_page_uploads_contacts_and_reports_skipped_records(
    client: TestClient, store: Store
) -> None:
    assert "Import &amp; sync" in client.get("/import").text
    body = (FIXTURES / "vcard" / "end-without-begin.vcf").read_bytes()
    done = client.post(
        "/import",
        data={"kind": "contacts"},
        files={"file": ("end-without-begin.vcf", body, "text/vcard")},
    )
    assert done.status_code == 200
    assert "1 contact: 1 new" in done.text
    assert "end-without-begin.vcf:4: END:VCARD without BEGIN:VCARD" in done.text
    assert "uploads" not in done.text  # the stored name never shows
    assert list((store.location.data_dir / "uploads").iterdir()) == []  # read, then deleted
    assert people_svc.show(store, "Found Card").name == "Found Card"


def test_import_page_syncs_mail_for_me(client: TestClient, store: Store) -> None:
    client.post("/settings/me/address", data={"address": "robin@example.org"})
    body = (FIXTURES / "mail" / "gmail-takeout-envelope.mbox").read_bytes()
    done = client.post(
        "/import",
        data={"kind": "mail"},
        files={"file": ("All mail.mbox", body, "application/mbox")},
        headers=HX,
    )
    assert done.status_code == 200 and "<html" not in done.text
    assert "3 messages read" in done.text and "1 new person" in done.text
    assert people_svc.show(store, "ana.costa@example.com").interactions == 2


def test_import_refuses_a_file_in_no_known_format(client: TestClient) -> None:
    done = client.post(
        "/import",
        data={"kind": "contacts"},
        files={"file": ("notes.txt", b"just some words\n", "text/plain")},
    )
    assert done.status_code == 400
    assert "notes.txt: this file is in no contact format" in done.text
    empty = client.post("/import", data={"kind": "contacts"}, files={"file": ("a.vcf", b"")})
    assert empty.status_code == 400 and "no file was sent, or it is empty" in empty.text


def test_settings_page_changes_me_goal_and_config(client: TestClient, store: Store) -> None:
    page = client.get("/settings")
    assert page.status_code == 200 and 'name="plan.quota"' in page.text
    # the keys name the fields; what a person reads is the label, never the key
    shown = re.sub(r"<[^>]*>", " ", page.text)
    for key in ("plan.quota", "plan.keep_warm", "cadence.close", "keep_photos", "llm.enabled"):
        assert key not in shown
    assert "People in each plan" in shown and 'type="checkbox" role="switch"' in page.text
    client.post("/settings/me/name", data={"name": "Robin Example"})
    client.post("/settings/me/address", data={"address": "robin@example.org"})
    client.post(
        "/settings/me/affiliation", data={"organisation": "Acme", "start": "2015", "end": "2018"}
    )
    client.post("/settings/goal", data={"text": "a product role in fintech"})
    saved = client.post("/settings", data={"plan.quota": "1", "cadence.close": "21"})
    assert saved.status_code == 200 and "Saved." in saved.text
    assert settings_svc.current(store)["plan.quota"] == "1"
    assert settings_svc.current(store)["cadence.close"] == "21"
    # the plan's two lists: numbers with their units, under their labels
    html = client.get("/settings").text
    for key, unit in (
        ("plan.keep_warm", "people"),
        ("plan.rekindle_days", "days"),
        ("plan.gap_multiple", "× its usual gap"),
    ):
        assert re.search(rf'type="number" name="{re.escape(key)}"[^>]*><span>{unit}</span>', html), key
    lists = {"plan.keep_warm": "0", "plan.rekindle_days": "120", "plan.gap_multiple": "2.5"}
    assert client.post("/settings", data=lists).status_code == 200
    assert {k: settings_svc.current(store)[k] for k in lists} == lists
    page = client.get("/settings").text
    for shown in ("Robin Example", "robin@example.org", "Acme", "a product role in fintech"):
        assert shown in page
    # a switch: its hidden "no" comes first, "yes" after it when it is on
    client.post("/settings", data={"keep_photos": ["no", "yes"]})
    assert settings_svc.current(store)["keep_photos"] == "yes"
    client.post("/settings", data={"keep_photos": "no"})
    assert settings_svc.current(store)["keep_photos"] == "no"
    bad = client.post("/settings", data={"plan.quota": "many"})
    # the error names the setting as the page does, not by its config key
    assert bad.status_code == 400 and "“People in each plan” takes a whole number" in bad.text
    client.post("/settings/me/address", data={"address": "robin@example.org", "action": "remove"})
    assert me_svc.view(store)["identities"] == []


def test_pages_have_labels_and_no_inline_script_or_style(client: TestClient, ana: int) -> None:
    for url in ("/", "/people", f"/people/{ana}", f"/compose/{ana}", "/import", "/settings"):
        html = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert '<html lang="en">' in html and 'name="viewport"' in html
        for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
            assert f'for="{field_id}"' in html or 'aria-label="' in html, (url, field_id)


def test_the_thread_pool_is_as_large_as_asked(store: Store) -> None:
    """``rekindle serve --threads``: the pool that runs the page handlers, set at start-up."""
    from anyio import to_thread

    def pool_size() -> float:
        return to_thread.current_default_thread_limiter().total_tokens

    with TestClient(create_app(store, now_fn=lambda: NOW, threads=3)) as c:
        assert c.portal is not None
        assert c.portal.call(pool_size) == 3
        assert c.get("/people").status_code == 200
    with TestClient(create_app(store, now_fn=lambda: NOW)) as c:
        assert c.portal is not None
        assert c.portal.call(pool_size) == 40  # the framework's own default
