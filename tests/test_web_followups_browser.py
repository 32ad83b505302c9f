"""The Follow-ups and Insights pages in headless Chromium: the live checks of one follow-up
among several, mark sent through htmx, and no Content-Security-Policy complaint on either page
(an inline style or script would be one)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from rekindle.services import followups
from rekindle.store import Store
from tests.test_followups import sent
from tests.test_outreach import add_people
from tests.test_web_browser import NOW, _page, browser, server  # noqa: F401

pytestmark = pytest.mark.slow


def test_follow_up_checks_live_then_mark_sent_and_see_the_insights(
    browser: Any,  # noqa: F811
    server: tuple[str, Store],  # noqa: F811
    tmp_path: Path,
) -> None:
    base, store = server
    add_people(store, tmp_path)
    sent(store, "Bob", NOW - timedelta(days=13))
    ana = sent(store, "Ana", NOW - timedelta(days=12))
    due, _ = followups.due_follow_ups(store, NOW)
    [draft] = [d.draft_id for d in due if d.outreach_id == ana]
    page = _page(browser)
    page.goto(f"{base}/followups")
    assert page.locator("textarea").count() == 2
    text = page.locator(f"#text-{draft}")
    text.fill("")
    text.press_sequentially("Subject: Re: hi\n\nHi Ana, I hope this email finds you well.", delay=5)
    page.locator(f'#checks-{draft} [data-code="generic-filler"]').wait_for()
    link = page.locator(f"#open-link-{draft}")
    assert "finds%20you%20well" in (link.get_attribute("href") or "")
    # the other follow-up's checks are untouched
    assert page.locator('[data-code="generic-filler"]').count() == 1
    text.fill("Subject: Re: hi\n\nHi Ana, floating this up in case it got buried. Robin")
    page.locator(f'#checks-{draft} [data-code="generic-filler"]').wait_for(state="detached")
    page.locator(f"#followup-{draft}").get_by_role("button", name="I sent it: mark sent").click()
    page.get_by_text("Follow-up to Ana Costa marked sent on 01 Nov 2026.").wait_for()
    assert page.locator("textarea").count() == 1  # Bob's is still due
    page.goto(f"{base}/insights")
    page.get_by_role("img", name=re.compile(r"^Reply rate by medium")).wait_for()
    # the weekly SVG and five rows of bars, and what was learnt once messages settled
    assert page.locator("[role=img]").count() >= 6
    assert page.problems == []
