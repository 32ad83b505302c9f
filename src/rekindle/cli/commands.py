"""Every top-level command of `rekindle`: the one place a command is registered.

`rekindle --help` lists this table without importing a command module; running a command
imports its module alone (:mod:`rekindle.cli.lazy`).
"""

from __future__ import annotations

#: Every top-level command, in the order of `rekindle --help`: its name, the module of
#: ``rekindle.cli`` whose ``register(app)`` defines it, and the line `--help` shows for it
#: (tests/test_cli_commands.py fails when a line differs from the command's own help, or a
#: module registers a command missing here). A new command is one line here.
# fmt: off
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo", "Load the bundled sample network (once) and show this week's plan for it."),
    "plan": ("plan", "This week's few people worth reconnecting with: why, the occasion, how, and an opener."),
    "why": ("plan", "Why a person ranks where they do: tier, cadence, guards, every scored part, the medium."),
    "done": ("plan", "Record that you reached out; it resets their clock and keeps them out of plans for a while."),
    "snooze": ("plan", "Keep someone out of the plan until later."),
    "dismiss": ("plan", "Not now: out of the plan for 3 months (9 with --declined)."),
    "never": ("plan", "Do not contact: never suggest this person again (undo with `rekindle resume`)."),
    "resume": ("plan", "Lift a snooze, dismissal, decline, a rest after silence, or do-not-contact."),
    "goal": ("plan", "What you are working towards; it makes some people more relevant."),
    "import": ("importing", "Import contacts; the format is detected from the content. Re-importing changes nothing."),
    "formats": ("importing", "List the formats `rekindle import` reads."),
    "sync": ("sync", "Learn who you talked to, and when, from mail archives, IMAP and calendars; keep a CardDAV address book in step both ways."),
    "people": ("people", "List or search people; the filters combine."),
    "show": ("people", "Show one person: identities, affiliations, tags, notes, and which records and rules made them."),
    "edit": ("people", "Edit a person. Your edits are kept apart from imported data and win over every re-import."),
    "tag": ("people", "Add or remove tags."),
    "note": ("people", "Add a note to a person (dated; shown on `rekindle show`)."),
    "history": ("history", "Show the timeline of your contacts with one person, newest first, and the tie statistics."),
    "intro": ("intro", "Warm introductions: paths to a person or into an organisation through people you know, ranked by the strength and recency of each tie, each explained."),
    "occasions": ("occasions", "Reasons to reach out now: birthdays, anniversaries, work and 'since we met' anniversaries, holiday greetings and life events (new job, new role, a move, a new email domain)."),
    "draft": ("drafting", "Write a message to one person that recalls something real, owns the gap, and is checked."),
    "check": ("drafting", "Run the draft checks on a message you wrote. Exits 1 when there are findings."),
    "templates": ("drafting", "The draft templates: copy them to your data folder to edit them."),
    "log": ("outreach", "Record an outreach that happened outside Rekindle (a call, a coffee, a message), or list the log. A message (email, linkedin, sms) then waits for its reply as a sent one does: one follow-up is offered if none comes, and the reply is found by the next sync."),
    "outreach": ("outreach", "The outreach log: list, show, mark drafts sent, record replies and outcomes."),
    "send": ("delivery", "Deliver a saved draft: email through SMTP (a dry run unless --yes), into your IMAP Drafts folder (--drafts), as an .eml file (--eml); other media get links and the clipboard."),
    "followups": ("delivery", "Follow-ups due (one per message, then stop) and thank-yous to write."),
    "calendar": ("delivery", "Reminders in your calendar app."),
    "meetup": ("meetup", "Meetups: bring several old contacts together (plan, create, send, rsvp, done)."),
    "merge": ("merging", "Merge two people, or review the suggested duplicates (interactive, or --json, --accept/--reject)."),
    "unmerge": ("merging", "Undo a merge, or split one record off. The pair is never merged or suggested again."),
    "export": ("exporting", "Export every person, so nothing is locked in."),
    "insights": ("insights", "Outreach per week, reply rates, your network by last contact, tier sizes, and what was learnt from your replies."),
    "me": ("me", "Your own addresses and affiliations (they find shared context)."),
    "doctor": ("doctor", "Tell the data directory, database, schema version, settings and optional parts. Exits 1 when the database cannot be opened."),
    "config": ("doctor", "Read and change settings."),
    "serve": ("serve", "Serve this week's plan, people, drafting and import as a web page on localhost."),
    "user": ("users", "Team accounts for `rekindle serve --team`: add, list, set passwords, remove."),
    "api-token": ("api_tokens", "Tokens for the JSON API of `rekindle serve` (/api/v1): create, list, revoke."),
    "mcp": ("mcp", "Let your AI assistant ask Rekindle: this week's plan, why someone ranks, search, a person's history, warm introductions and drafts, over MCP on stdin/stdout (docs/mcp.md)."),
}
# fmt: on
