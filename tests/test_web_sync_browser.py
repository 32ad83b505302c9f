"""In headless Chromium: a path sync polls its progress until the report, and Compose's Send…
asks in place, then sends through a real SMTP server (see tests/test_web_browser.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rekindle.services import me as me_svc
from rekindle.services import outreach as outreach_svc
from rekindle.services import people as people_svc
from rekindle.services import settings as settings_svc
from rekindle.services.importing import import_path
from rekindle.store import Store
from tests.conftest import FIXTURES
from tests.smtp_server import running_smtp
from tests.test_web_browser import NOW, _page, _serve, assert_fits, browser  # noqa: F401 - a fixture

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Store]]:
    """The app under uvicorn, answering every sync with the progress bar at once."""
    yield from _serve(tmp_path, team=False, job_grace=0)


def test_path_sync_progress_and_send_from_compose(
    browser: Any,  # noqa: F811 - the fixture
    server: tuple[str, Store],
    tmp_path: Path,
) -> None:
    base, store = server
    me_svc.add_address(store, "robin@example.org")
    import_path(store, FIXTURES / "vcard" / "apple-item-labels.vcf", now=NOW)
    box = tmp_path / "All mail.mbox"
    shutil.copy(FIXTURES / "mail" / "gmail-takeout-envelope.mbox", box)
    page = _page(browser)
    page.goto(f"{base}/import")
    page.get_by_label("Mail archive").check()
    page.get_by_label("Path").fill(str(box))
    page.get_by_role("button", name="Sync", exact=True).click()
    page.locator("#report").get_by_text("3 messages read").wait_for(timeout=30_000)
    assert page.locator("#job[hx-trigger]").count() == 0  # the polling stopped
    assert page.url == f"{base}/import"

    ana = people_svc.show(store, "ana.costa@example.com").id
    with running_smtp("none") as smtp:
        settings_svc.change(store, "smtp.host", "127.0.0.1")
        settings_svc.change(store, "smtp.port", str(smtp.port))
        settings_svc.change(store, "smtp.security", "none")
        page.goto(f"{base}/compose/{ana}")
        page.get_by_role("button", name="Send…").click()
        saved = page.locator("#saved")
        saved.get_by_text("Send this email now?").wait_for()
        assert smtp.received == []
        saved.get_by_role("button", name="Send now").click()
        saved.get_by_text("Sent to ana.costa@example.com").wait_for()
        assert len(smtp.received) == 1
    # one click, one draft: the button's own hx-post, not the form's save as well
    assert [o["status"] for o in outreach_svc.list_log(store, str(ana))] == ["sent"]
    # a small phone's screen: the new pages fit
    urls = ("/settings/accounts", "/people?tier=dormant&silent=1y", "/import", f"/compose/{ana}")
    assert_fits(page, base, urls)
    assert page.problems == []
