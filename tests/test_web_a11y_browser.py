"""axe-core in headless Chromium on every page, in light and dark mode: no serious or critical
accessibility violation. axe is vendored (``tests/vendor/axe.min.js``, npm package
``axe-core`` 4.14.1, MPL-2.0): ``npm pack axe-core@4`` and copy ``package/axe.min.js`` to
update it. The page's Content-Security-Policy forbids injected scripts, so this one browser
context bypasses it (the pages themselves run as served)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rekindle.services import people as people_svc
from rekindle.services import plan_actions
from rekindle.store import Store
from tests.test_web import load_network
from tests.test_web_browser import NOW, browser, server  # noqa: F401 (fixtures)

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
pytestmark = pytest.mark.slow

#: what axe reports, the serious and critical only, as "rule: where (how many)"
_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => `${v.id}: ${v.nodes[0].target.join(' ')} (${v.nodes.length})`)"""


def test_no_serious_accessibility_violation_on_any_page(
    browser: Any,  # noqa: F811
    server: tuple[str, Store],  # noqa: F811
    tmp_path: Path,
) -> None:
    base, store = server
    ana = load_network(store, tmp_path)
    johnny = people_svc.show(store, "johnny@example.com").id
    plan_actions.mark_done(store, str(johnny), "call", now=NOW)  # a chart on Insights
    urls = [
        "/",
        "/people",
        "/people?sort=dormant",
        f"/people/{ana}",
        f"/people/{ana}/why",
        f"/compose/{ana}",
        "/followups",
        "/insights",
        "/import",
        "/settings",
        "/settings/accounts",
        "/people/999999",
    ]
    found = []
    for scheme in ("light", "dark"):
        context = browser.new_context(
            bypass_csp=True, color_scheme=scheme, viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        for url in urls:
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            page.add_script_tag(path=str(AXE))
            found += [f"{scheme} {url}: {v}" for v in page.evaluate(_RUN)]
        context.close()
    assert found == []
