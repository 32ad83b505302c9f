"""A web page never tells its reader to run a command: the CLI's hints become the page that does
the same, or nothing."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from rekindle.web.web_hints import WEB_ACTIONS, web_hint
from tests.test_web import ana, client  # noqa: F401 (fixtures)

_COMMAND = re.compile(r"rekindle [a-z]")


def test_a_hint_without_a_command_stays_as_it_is_escaped() -> None:
    assert str(web_hint("choose a file first")) == "choose a file first"
    assert str(web_hint("use <b> and `--force`")) == "use &lt;b&gt; and <code>--force</code>"


def test_each_command_becomes_a_page_with_a_link() -> None:
    said = str(web_hint("if it is your address, `rekindle me add-address` it"))
    assert said == 'Add your name and addresses under You in <a href="/settings#h-me">Settings</a>.'
    smtp = str(web_hint("`rekindle config set smtp.host smtp.example.org` (and smtp.port)"))
    assert 'href="/settings/accounts"' in smtp
    assert 'href="/followups"' in str(web_hint("`rekindle followups` lists them"))
    assert "rekindle" not in str(web_hint("`rekindle doctor` checks the database"))
    # a command with no page to point to says nothing rather than something wrong
    assert str(web_hint("`rekindle frobnicate` does it")) == ""
    for start, words, _label, href in WEB_ACTIONS:
        hint = str(web_hint(f"`rekindle {start.strip()} X` does it"))
        assert not _COMMAND.search(hint) and words in hint.replace("&#39;", "'"), start
        assert not href or f'href="{href}"' in hint


def test_error_pages_name_pages_not_commands(
    client: TestClient,  # noqa: F811
    ana: int,  # noqa: F811
) -> None:
    # each of these errors has a CLI hint naming a command (`rekindle people QUERY`,
    # `rekindle outreach`)
    pages = [
        client.get("/people/999999"),
        client.post("/outreach/999999/sent"),
        client.post("/outreach/999999/mark", data={"status": "replied"}),
        client.get("/nope"),
    ]
    assert [p.status_code for p in pages] == [404, 404, 404, 404]
    for page in pages:
        main = page.text.split('id="main"', 1)[1]
        assert not _COMMAND.search(main), main[:600]
    assert 'Search for them on <a href="/people">People</a>' in pages[0].text
    assert "what you wrote them" in pages[1].text
