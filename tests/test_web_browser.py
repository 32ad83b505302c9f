"""What a person clicks, in headless Chromium against the real app on a real SQLite database.

Needs Playwright for Python and Debian's Chromium (``/usr/bin/chromium``); without them the
tests skip with the reason, and under CI they fail instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from rekindle.services import people as people_svc
from rekindle.store import Store, open_store
from rekindle.web.app import create_app
from tests.conftest import FIXTURES

CHROMIUM = os.environ.get("REKINDLE_CHROMIUM", "/usr/bin/chromium")
NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
#: the served app's clock: a test moves it forward to see what falls due
CLOCK = {"now": NOW}
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _clock_at_now() -> Iterator[None]:
    CLOCK["now"] = NOW
    yield
    CLOCK["now"] = NOW


def _skip_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install 'rekindle[dev]')"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture
def browser() -> Iterator[Any]:
    reason = _skip_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield b
        finally:
            b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Store]]:
    """The app under uvicorn on a free loopback port, over a fresh SQLite database."""
    yield from _serve(tmp_path, team=False)


@pytest.fixture
def team_server(tmp_path: Path) -> Iterator[tuple[str, Store]]:
    """The team server (sign-in required) on a free loopback port."""
    yield from _serve(tmp_path, team=True)


def _serve(
    tmp_path: Path, team: bool, job_grace: float | None = None
) -> Iterator[tuple[str, Store]]:
    """``job_grace``: how long an import job's page waits for it to end before the progress
    bar (the app's default when not given)."""
    import uvicorn

    store = open_store(str(tmp_path / "rekindle.db"))
    port = _free_port()
    app = create_app(store, now_fn=lambda: CLOCK["now"], team=team)
    if job_grace is not None:
        app.state.job_grace = job_grace
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", store
    finally:
        srv.should_exit = True
        thread.join(10)
        store.close()


#: what sticks out past the right edge of the screen: the element, its right edge, its text
_OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth, out = [];
  for (const e of document.body.querySelectorAll('*')) {
    const box = e.getBoundingClientRect();
    const spills = e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible';
    if (box.right > width + 0.5 || (spills && box.left + e.scrollWidth > width + 0.5))
      out.push(`${e.tagName.toLowerCase()}.${e.className} right=${Math.round(box.right)} `
               + (e.textContent || '').trim().slice(0, 40));
  }
  return [document.documentElement.scrollWidth, out.slice(-5)];
}"""


def assert_fits(page: Any, base: str, urls: Iterable[str], width: int = 320) -> None:
    """Each page, on a phone-sized screen, is no wider than the screen."""
    page.set_viewport_size({"width": width, "height": 800})
    for url in urls:
        page.goto(base + url)
        page.wait_for_load_state("networkidle")
        scroll_width, sticking_out = page.evaluate(_OVERFLOWING)
        assert scroll_width <= width, (url, sticking_out)


def _page(browser: Any) -> Any:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    problems: list[str] = []
    page.on("dialog", lambda d: problems.append(f"dialog: {d.message}"))
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.problems = problems
    return page


def test_import_plan_person_draft_checks_and_mark_sent(
    browser: Any, server: tuple[str, Store], tmp_path: Path
) -> None:
    base, store = server
    page = _page(browser)
    # who "me" is, so the mail archive knows which messages you wrote
    page.goto(f"{base}/settings")
    page.get_by_label("Email, phone or profile URL").fill("robin@example.org")
    page.get_by_role("button", name="Add address").click()
    page.wait_for_url(f"{base}/settings")
    assert "robin@example.org" in page.content()

    # import a vCard, then sync an mbox, through the Import page (htmx posts, report in place)
    page.goto(f"{base}/import")
    page.get_by_label("Contacts:").check()
    page.set_input_files("#file", str(FIXTURES / "vcard" / "apple-item-labels.vcf"))
    page.get_by_role("button", name="Import").click()
    page.locator("#report").get_by_text("1 contact: 1 new").wait_for()
    box = tmp_path / "All mail.mbox"
    shutil.copy(FIXTURES / "mail" / "gmail-takeout-envelope.mbox", box)
    page.get_by_label("Mail:").check()
    page.set_input_files("#file", str(box))
    page.get_by_role("button", name="Import").click()
    page.locator("#report").get_by_text("3 messages read").wait_for()

    # this week's plan, with reasons
    page.goto(f"{base}/")
    card = page.locator(".card", has_text="Ana Costa")
    card.get_by_text("quiet for 10 years", exact=False).first.wait_for()
    assert page.locator(".card", has_text="Johnny Appleseed").count() == 1
    # (the README's picture is the sample network's week: tests/test_web_pages_browser.py)
    shot = tmp_path / "w.png"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.set_viewport_size({"width": 1100, "height": 900})

    # her page: the timeline
    card.get_by_role("link", name="Ana Costa").click()
    page.get_by_role("heading", name="Ana Costa").wait_for()
    assert page.get_by_text("Lunch next week?", exact=False).count() >= 1

    # draft, and watch the checks follow the text as it is typed
    page.get_by_role("link", name="Draft a message").click()
    text = page.get_by_label("The message", exact=False)
    text.wait_for()
    text.fill("")
    text.press_sequentially("Subject: hi\n\nHi Ana, I hope this email finds you well.", delay=5)
    page.locator('#checks [data-code="generic-filler"]').wait_for()
    text.fill("")
    text.press_sequentially(
        "Subject: Lunch?\n\nHi Ana, it's been years since our lunch at the Thai place "
        "(Lunch next week?). How are you? No need for a long reply.\n\nRobin",
        delay=2,
    )
    page.locator('#checks [data-code="generic-filler"]').wait_for(state="detached")
    assert (
        page.locator("#open-link")
        .get_attribute("href")
        .startswith("mailto:ana.costa@example.com?subject=Lunch%3F")
    )

    # send it (you sent it yourself): the log has it, with its follow-up due in ten days
    page.get_by_role("button", name="I sent it: mark sent").click()
    page.locator("#saved").get_by_text("Marked sent", exact=False).wait_for()
    page.locator("#saved").get_by_role("link", name="See their page").click()
    row = page.locator("tr.outreach-sent")
    row.wait_for()
    assert "11 Nov 2026" in row.inner_text()

    # eleven days later her follow-up is due: on the Follow-ups page, with its draft
    CLOCK["now"] = NOW + timedelta(days=11)
    page.goto(f"{base}/followups")
    due = page.locator("li.card", has_text="Ana Costa")
    due.get_by_text("Lunch?", exact=False).first.wait_for()
    follow_up = due.locator("textarea").input_value()
    assert follow_up.startswith("Subject: Re: Lunch?\n\nHi Ana,")
    assert "my note from 1 November" in follow_up
    CLOCK["now"] = NOW

    # back on this week's plan, she is done; Johnny is snoozed with one click
    page.goto(f"{base}/")
    page.locator(".card", has_text="Ana Costa").get_by_text("done 01 Nov").wait_for()
    johnny = page.locator(".card", has_text="Johnny Appleseed")
    johnny.get_by_role("button", name="Snooze").click()
    page.get_by_text("Snoozed Johnny Appleseed until", exact=False).wait_for()
    # a small phone's screen: nothing wider than the screen
    ana = people_svc.show(store, "ana.costa@example.com").id
    assert_fits(
        page, base, ("/", "/people", f"/people/{ana}", "/followups", "/import", "/settings")
    )
    assert page.problems == []


def test_a_hostile_contact_stays_inert_in_the_browser(
    browser: Any, server: tuple[str, Store]
) -> None:
    base, _ = server
    page = _page(browser)
    page.goto(f"{base}/import")
    page.set_input_files("#file", str(FIXTURES / "vcard" / "hostile-markup.vcf"))
    page.get_by_role("button", name="Import").click()
    page.locator("#report").get_by_text("1 contact: 1 new").wait_for()
    for url in ("/", "/people"):
        page.goto(base + url)
        page.get_by_text("<script>alert(1)</script>").first.wait_for()
    page.get_by_role("link", name="<script>alert(1)</script>").first.click()
    page.get_by_text('"><img src=x onerror=alert(1)>').first.wait_for()
    assert page.locator("img").count() == 0
    assert page.problems == []


def test_team_sign_in_own_data_only_and_sign_out(
    browser: Any, team_server: tuple[str, Store]
) -> None:
    from dataclasses import replace

    from rekindle.services import accounts
    from rekindle.services.importing import import_path

    base, store = team_server
    password = "correct horse battery"
    alice = accounts.add_user(store, "alice", password, display_name="Alice")
    accounts.add_user(store, "bob", password, display_name="Bob")
    alice_store = replace(store, owner_id=alice.owner_id)
    import_path(alice_store, FIXTURES / "vcard" / "apple-item-labels.vcf", now=NOW)
    alices_johnny = people_svc.show(alice_store, "johnny@example.com").id

    page = _page(browser)
    page.goto(f"{base}/people")
    page.wait_for_url(f"{base}/login?next=/people")
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill("not it at all")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Wrong username or password.").wait_for()
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/people")
    assert page.get_by_role("link", name="Bob").count() == 1
    assert "Johnny Appleseed" not in page.content()  # Alice's contact

    # Bob's own import, through the upload form (its CSRF field travels in the multipart body)
    page.goto(f"{base}/import")
    page.get_by_label("Contacts:").check()
    page.set_input_files("#file", str(FIXTURES / "vcard" / "apple-item-labels.vcf"))
    page.get_by_role("button", name="Import").click()
    page.locator("#report").get_by_text("1 contact: 1 new").wait_for()
    # an htmx action (its CSRF token is a header htmx adds): snooze him on the plan
    page.goto(f"{base}/")
    johnny = page.locator(".card", has_text="Johnny Appleseed")
    johnny.get_by_role("button", name="Snooze").click()
    page.get_by_text("Snoozed Johnny Appleseed until", exact=False).wait_for()

    # Alice's Johnny, by his id: not found for Bob
    response = page.goto(f"{base}/people/{alices_johnny}")
    assert response is not None and response.status == 404
    # and Alice's own plan still has him, unsnoozed
    from rekindle.services.plan import weekly_plan

    assert "Johnny Appleseed" in [s.name for s in weekly_plan(alice_store, NOW).suggestions]

    page.goto(f"{base}/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/login")
    page.goto(f"{base}/people")
    page.wait_for_url(f"{base}/login?next=/people")
    # the wrong password (401) and Alice's page (404) are the only failed loads
    expected = "Failed to load resource: the server responded with a status of "
    assert sorted(page.problems) == [expected + "401 (Unauthorized)", expected + "404 (Not Found)"]
