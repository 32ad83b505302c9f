"""Accessible basics on every page the navigation reaches: names for every control, one h1,
a language, alt text, and colours that meet WCAG AA contrast."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rekindle.store import Store
from rekindle.web.app import create_app
from tests.test_web import NOW, load_network

CSS = Path(__file__).parent.parent / "src" / "rekindle" / "web" / "static" / "app.css"


class Page(HTMLParser):
    """The facts about one page that the checks need."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.h1 = 0
        self.title = False
        self.labelled_ids: set[str] = set()
        self.controls: list[dict[str, str]] = []
        self.in_label = 0
        self.unnamed_images: list[str] = []
        self.buttons: list[dict[str, str]] = []
        self._button: dict[str, str] | None = None
        self.nav_links: list[str] = []
        self._in_nav = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "title":
            self.title = True
        elif tag == "label":
            self.in_label += 1
            if a.get("for"):
                self.labelled_ids.add(a["for"])
        elif tag in ("input", "select", "textarea"):
            if a.get("type") not in ("hidden", "submit", "button", "reset"):
                self.controls.append({**a, "_tag": tag, "_in_label": str(self.in_label > 0)})
        elif tag == "img" and "alt" not in a:
            self.unnamed_images.append(a.get("src", "?"))
        elif tag == "svg" and a.get("role") == "img" and not a.get("aria-label"):
            if not a.get("aria-labelledby"):
                self.unnamed_images.append("svg without aria-label")
        elif tag == "button":
            self._button = {**a, "_text": ""}
        elif tag == "nav":
            self._in_nav = True
        elif tag == "a" and self._in_nav and a.get("href", "").startswith("/"):
            self.nav_links.append(a["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.in_label -= 1
        elif tag == "button" and self._button is not None:
            self.buttons.append(self._button)
            self._button = None
        elif tag == "nav":
            self._in_nav = False

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button["_text"] += data.strip()


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


@pytest.fixture
def client(store: Store, tmp_path: Path) -> Iterator[TestClient]:
    load_network(store, tmp_path)
    with TestClient(create_app(store, now_fn=lambda: NOW)) as c:
        yield c


def _pages(client: TestClient) -> Iterator[tuple[str, str]]:
    """Every page of the navigation, plus a person and a compose page."""
    home = client.get("/").text
    seen = ["/", *parse(home).nav_links]
    person = re.search(r'href="(/people/\d+)"', client.get("/people").text)
    assert person
    compose = re.search(r'href="(/compose/\d+[^"]*)"', home)
    assert compose
    seen += [person.group(1), compose.group(1).replace("&amp;", "&")]
    for url in dict.fromkeys(seen):
        response = client.get(url)
        assert response.status_code == 200, url
        yield url, response.text


def test_every_page_has_a_language_a_title_and_one_h1(client: TestClient) -> None:
    urls = []
    for url, html in _pages(client):
        page = parse(html)
        assert page.lang == "en" and page.title and page.h1 == 1, url
        urls.append(url)
    assert len(urls) >= 6


def test_every_control_has_a_name(client: TestClient) -> None:
    for url, html in _pages(client):
        page = parse(html)
        for c in page.controls:
            named = (
                c["_in_label"] == "True"
                or c.get("id", "") in page.labelled_ids
                or c.get("aria-label")
                or c.get("aria-labelledby")
            )
            assert named, f"{url}: a {c['_tag']} named {c.get('name')!r} has no label"
        for b in page.buttons:
            assert b["_text"] or b.get("aria-label"), f"{url}: a button with no name"
        assert not page.unnamed_images, f"{url}: {page.unnamed_images}"


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _palettes() -> dict[str, dict[str, str]]:
    """The colour tokens of the light mode (the first block) and of the dark mode."""
    css = CSS.read_text()
    dark_at = css.index("@media (prefers-color-scheme: dark)")
    found = {}
    for mode, block in (("light", css[:dark_at]), ("dark", css[dark_at:])):
        found[mode] = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", block))
    return found


def test_the_colours_meet_wcag_aa_contrast() -> None:
    palettes = _palettes()
    assert set(palettes["light"]) <= set(palettes["dark"]) | {"focus"}
    for mode, colours in palettes.items():
        for text in ("ink", "muted", "accent", "ok", "bad"):
            for ground in ("paper", "wash"):
                ratio = contrast(colours[text], colours[ground])
                assert ratio >= 4.5, f"{mode}: --{text} on --{ground}: {ratio:.2f}"
        assert contrast(colours["accent-ink"], colours["accent"]) >= 4.5, mode
        # chips and soft notices: text on their tinted grounds
        assert contrast(colours["ink"], colours["accent-soft"]) >= 4.5, mode
        assert contrast(colours["ok"], colours["ok-soft"]) >= 4.5, mode
        assert contrast(colours["bad"], colours["bad-soft"]) >= 4.5, mode


def test_every_avatar_colour_meets_wcag_aa_contrast() -> None:
    css = CSS.read_text()
    pairs = re.findall(r"\.av-\d \{ background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6}); \}", css)
    assert len(pairs) == 16  # eight colours, light and dark
    for ground, ink in pairs:
        assert contrast(ink, ground) >= 4.5, (ground, ink)
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
