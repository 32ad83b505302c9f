"""The meetup pages as a person clicks them, in headless Chromium against the real app on the
sample network: pick a proposed group, create the meetup, mark an answer (htmx), and the page
fits a desktop and a phone screen without sideways scrolling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rekindle.services.demo import load_sample
from rekindle.store import Store
from tests.test_web_browser import NOW, _page, assert_fits, browser, server  # noqa: F401

pytestmark = pytest.mark.slow


def test_plan_create_and_answer_a_meetup(
    browser: Any,  # noqa: F811
    server: tuple[str, Store],  # noqa: F811
    tmp_path: Path,
) -> None:
    base, store = server
    load_sample(store, now=NOW)
    page = _page(browser)
    page.goto(f"{base}/meetups")
    first = page.locator(".card.group").first
    label = first.locator("h3").inner_text()
    first.get_by_role("link", name="Plan a meetup").click()
    page.wait_for_url(f"{base}/meetups/new?group=*")
    assert label in page.content()
    page.get_by_label("Title").fill("Old team <reunion>")
    page.get_by_label("Starts").fill("2026-11-20T18:30")
    page.get_by_label("Ends").fill("3h")
    page.get_by_label("Time zone").fill("Europe/London")
    page.get_by_label("Place").fill("The Crown, 10 High St")
    page.get_by_role("button", name="Create and draft the invitations").click()
    page.wait_for_url(f"{base}/meetups/1")
    assert page.locator("h1").inner_text() == "Old team <reunion>"  # escaped, shown as typed
    page.get_by_text("Friday 20 November 2026, 18:30–21:30 GMT").wait_for()
    guest = page.locator(".card.guest").first
    name = guest.locator("a").first.inner_text()
    guest.get_by_label(f"Answer of {name}").select_option("accepted")
    guest.get_by_role("button", name="Save answer").click()
    page.locator("h2", has_text="Coming").wait_for()
    assert page.locator(".card.guest", has_text=name).locator("select").input_value() == "accepted"
    page.screenshot(path=str(tmp_path / "meetup.png"), full_page=True)
    for width in (1280, 390):
        assert_fits(page, base, ["/meetups", "/meetups/1", "/meetups/new"], width=width)
    assert page.problems == []
