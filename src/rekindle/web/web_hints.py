"""A hint written for the CLI ("`rekindle me add-address` it"), said as what to do on the page.

The services' errors carry hints that name commands; a person in the browser gets the page
that does the same instead. :func:`web_hint` keeps a hint that names no command as it is, turns
one that does into the page's words with a link, and drops one with no page to point to (a
wrong command is worse than none). Registered as the ``web_hint`` template filter in ``deps``.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

#: the first command a hint names: "`rekindle outreach sent 12`" -> "outreach sent 12"
_COMMAND = re.compile(r"`rekindle ([^`\n]{0,200})`")

#: (the command's first words, what to do on the page, the link's words, where it goes); the
#: first match wins, so the longer commands come before the shorter ones they start with
WEB_ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("me ", "Add your name and addresses under You in", "Settings", "/settings#h-me"),
    ("config set smtp", "Set up the outgoing mail server in", "Mail accounts", "/settings/accounts"),
    ("config set drafts", "Set up your mail's Drafts folder in", "Mail accounts", "/settings/accounts"),
    ("config set llm", "Set up the language model in", "Settings", "/settings"),
    ("config", "Change it in", "Settings", "/settings"),
    ("send ", "Their page has the draft: copy it or open it in your mail app, from", "People", "/people"),
    ("outreach", "Each person's page lists what you wrote them: mark it sent or discard it there, from", "People", "/people"),
    ("draft", "Write a new draft from their page, found on", "People", "/people"),
    ("followups", "They are listed on", "Follow-ups", "/followups"),
    ("people", "Search for them on", "People", "/people"),
    ("show", "Their page lists their records; search for them on", "People", "/people"),
    ("edit", "Edit them on their page, found on", "People", "/people"),
    ("merge", "Each person's page shows who was merged into them, from", "People", "/people"),
    ("unmerge", "Each person's page shows who was merged into them, from", "People", "/people"),
    ("occasions", "Their occasions are on their page, found on", "People", "/people"),
    ("import", "Import files on the", "Import", "/import"),
    ("sync", "Sync your mail on the", "Import", "/import"),
    ("user", "The team's administrator manages the accounts.", "", ""),
    ("doctor", "The server's log has the details.", "", ""),
)


def web_hint(hint: object) -> Markup:
    """The hint for a page: as it is when it names no command, else the page that does it."""
    text = str(hint or "")
    found = _COMMAND.search(text)
    if found is None:
        return _code_spans(text)
    command = found.group(1)
    for start, words, label, href in WEB_ACTIONS:
        if command.startswith(start) or command == start.strip():
            if not href:
                return Markup(escape(words))
            return Markup('{} <a href="{}">{}</a>.').format(words, href, label)
    return Markup("")


def _code_spans(text: str) -> Markup:
    """Plain words with their `code` spans as <code> (everything else escaped)."""
    return Markup(re.sub(r"`([^`\n]+)`", r"<code>\1</code>", str(escape(text))))
