"""Every page, in headless Chromium, on the sample network: at 1280 px, at a phone's 390 px and in
dark mode, each page loads with no console error, is no wider than the screen, and axe-core
finds no serious or critical accessibility violation. Each is photographed.

The screenshots (whole pages) go to a temporary folder (``REKINDLE_SCREENSHOTS_DIR`` names
another one, for CI to keep). ``REKINDLE_SCREENSHOT=1`` also refreshes the docs: the first
screen of each main page at 1280 and 390 px in ``docs/screenshots/`` (shown in docs/web.md) and
``docs/this-week.png`` (the README's picture). Run this file alone to refresh them.

axe is vendored (``tests/vendor/axe.min.js``, npm package ``axe-core`` 4.14.1, MPL-2.0): ``npm
pack axe-core@4`` and copy ``package/axe.min.js`` to update it. The page's Content-Security-
Policy forbids injected scripts, so the browser contexts bypass it (the pages run as served).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from rekindle.services import demo, plan_actions
from rekindle.services import outreach as log
from rekindle.services.plan import weekly_plan
from rekindle.store import open_store
from tests.conftest import REPO
from tests.test_web_browser import _OVERFLOWING, CHROMIUM, NOW, _serve, _skip_reason

pytestmark = pytest.mark.slow

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
DOCS = REPO / "docs"
#: how a page is looked at: (name, width, colour scheme)
VIEWS = [("1280", 1280, "light"), ("390", 390, "light"), ("1280-dark", 1280, "dark")]
#: every page: (name, path, the status it answers with); {pid} is a person in the plan
PAGES = [
    ("this-week", "/", 200),
    ("people", "/people", 200),
    ("people-quiet", "/people?sort=dormant&silent=1y", 200),
    ("person", "/people/{pid}", 200),
    ("why", "/people/{pid}/why", 200),
    ("compose", "/compose/{pid}", 200),
    ("compose-call", "/compose/{pid}?medium=call", 200),
    ("followups", "/followups", 200),
    ("insights", "/insights", 200),
    ("import", "/import", 200),
    ("settings", "/settings", 200),
    ("mail-accounts", "/settings/accounts", 200),
    ("meetups", "/meetups", 200),
    ("not-found", "/no-such-page", 404),
    ("person-not-found", "/people/999999", 404),
]
#: what axe reports, the serious and critical only, as "rule: where (how many)"
_AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => `${v.id}: ${v.nodes[0].target.join(' ')} (${v.nodes.length})`)"""


#: the pages docs/web.md shows, at 1280 and 390 px
DOC_PAGES = (
    "this-week",
    "people",
    "person",
    "compose",
    "followups",
    "insights",
    "settings",
    "import",
)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("REKINDLE_SCREENSHOTS_DIR"):
        folder = Path(os.environ["REKINDLE_SCREENSHOTS_DIR"])
    else:
        folder = tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    reason = _skip_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """The app over the sample network (``rekindle demo``), and a person in its plan with an
    occasion (their draft opens with it)."""
    folder = tmp_path_factory.mktemp("sample-site")
    loading = open_store(str(folder / "rekindle.db"))
    demo.load_sample(loading, now=NOW)
    plan = weekly_plan(loading, now=NOW)
    pid = next((s.person_id for s in plan.suggestions if s.occasion), plan.suggestions[0].person_id)
    # a call with someone outside the plan: Insights has an outreach chart beside its empty ones
    planned = {s.person_id for s in plan.suggestions}
    other = next(t.person_id for t in demo.quiet_ties(loading, NOW) if t.person_id not in planned)
    plan_actions.mark_done(loading, str(other), "call", now=NOW - timedelta(days=8))
    # and a few messages settled a while ago: Insights has what was learnt from them
    for i, t in enumerate(
        [t for t in demo.quiet_ties(loading, NOW) if t.person_id not in planned | {other}][:7]
    ):
        medium, intent = ("call", "offer-help") if i < 3 else ("email", "catch-up")
        at = NOW - timedelta(days=40 + i)
        done = log.log_outreach(
            loading, str(t.person_id), medium, intent=intent, at=at, force=True, now=NOW
        )
        if i in (0, 1, 3):
            log.mark(loading, done.id, "replied", at=at + timedelta(days=1))
        elif medium == "call":
            log.mark(loading, done.id, "no-reply", at=at + timedelta(days=1))
    loading.close()
    for base, _store in _serve(folder, team=False):
        yield base, pid


@pytest.fixture(scope="module")
def team_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    for base, _store in _serve(tmp_path_factory.mktemp("team-site"), team=True):
        yield base


def _look(
    chromium: Any,
    url: str,
    status: int,
    view: tuple[str, int, str],
    shot: Path,
    first_screen: Path | None = None,
) -> None:
    """Open ``url`` as ``view`` sees it, photograph it (``first_screen``: its first screen too),
    and check what every page must pass."""
    _name, width, scheme = view
    context = chromium.new_context(
        bypass_csp=True, color_scheme=scheme, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    problems: list[str] = []

    def console(message: Any) -> None:
        # the page's own error status shows as a failed load of the document itself
        own = status >= 400 and message.location.get("url") == url
        if message.type == "error" and not own:
            problems.append(f"console: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(f"script: {e}"))
    try:
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        assert response is not None and response.status == status, url
        page.screenshot(path=str(shot), full_page=True)
        if first_screen is not None:
            page.screenshot(path=str(first_screen))
        scroll_width, sticking_out = page.evaluate(_OVERFLOWING)
        assert scroll_width <= width, f"{url} is {scroll_width} px wide at {width}: {sticking_out}"
        page.add_script_tag(path=str(AXE))
        assert page.evaluate(_AXE_RUN) == [], url
        assert problems == [], url
    finally:
        context.close()
    assert shot.stat().st_size > 5_000


@pytest.mark.parametrize("view", VIEWS, ids=[v[0] for v in VIEWS])
@pytest.mark.parametrize(("name", "path", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_at_every_size(
    chromium: Any,
    sample_site: tuple[str, int],
    shots: Path,
    name: str,
    path: str,
    status: int,
    view: tuple[str, int, str],
) -> None:
    base, pid = sample_site
    shot = shots / f"{name}-{view[0]}.png"
    docs = os.environ.get("REKINDLE_SCREENSHOT") and name in DOC_PAGES and view[2] == "light"
    first_screen = DOCS / "screenshots" / shot.name if docs else None
    _look(chromium, base + path.format(pid=pid), status, view, shot, first_screen)
    if docs and name == "this-week" and view[0] == "1280":
        shutil.copy(shot, DOCS / "this-week.png")  # the README's picture: the whole week


@pytest.mark.parametrize("view", VIEWS, ids=[v[0] for v in VIEWS])
def test_the_team_servers_sign_in_page(
    chromium: Any, team_site: str, shots: Path, view: tuple[str, int, str]
) -> None:
    _look(chromium, f"{team_site}/login", 200, view, shots / f"login-{view[0]}.png")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_done_card_folds_to_a_line_with_undo(
    chromium: Any, sample_site: tuple[str, int], shots: Path, width: int
) -> None:
    base, _pid = sample_site
    page = chromium.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(base + "/")
        card = page.locator("li.card.suggestion").first
        name = card.locator("h2, h3").first.inner_text().strip()
        card.get_by_role("button", name="Mark done").click()
        folded = page.locator("li.card.folded", has_text=name)
        folded.get_by_role("button", name="Undo").wait_for()
        # one line: the name, what happened, and Undo; no other action is left on it
        assert folded.get_by_role("button").count() == 1
        assert folded.bounding_box()["height"] < 90
        page.screenshot(path=str(shots / f"this-week-done-{width}.png"))
        folded.get_by_role("button", name="Undo").click()
        back = page.locator("li.card.suggestion", has_text=name)
        back.get_by_role("button", name="Mark done").wait_for()
    finally:
        page.close()
