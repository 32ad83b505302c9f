"""The words of a meetup in a message, pure: when and where, the details block of an
invitation and the short reminder to a guest who has not answered."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rekindle.compose.draft_facts import first_name_of


def _local(when: datetime, tz: tzinfo | None) -> datetime:
    return when.astimezone(tz) if tz is not None else when.astimezone()


def when_words(start: datetime, end: datetime, tz: tzinfo | None = None) -> str:
    """'Thursday 14 January 2027, 18:00–21:00 CET' (the end's date too when it differs)."""
    a, b = _local(start, tz), _local(end, tz)
    day = f"{a:%A} {a.day} {a:%B %Y}"
    zone = a.strftime("%Z") or a.strftime("%z")
    if a.date() == b.date():
        return f"{day}, {a:%H:%M}–{b:%H:%M} {zone}".rstrip()
    return f"{day}, {a:%H:%M} – {b:%A} {b.day} {b:%B %Y}, {b:%H:%M} {zone}".rstrip()


def short_date(start: datetime, tz: tzinfo | None = None) -> str:
    """'Fri 15 Jan' (with the year when it is not this one's)."""
    a = _local(start, tz)
    year = f" {a.year}" if a.year != datetime.now(a.tzinfo).year else ""
    return f"{a:%a} {a.day} {a:%b}{year}"


def details_block(
    start: datetime,
    end: datetime,
    place: str | None,
    link: str | None,
    note: str | None = None,
    tz: tzinfo | None = None,
) -> str:
    """When, where and how to answer, as the invitation lists them."""
    lines = [f"When: {when_words(start, end, tz)}"]
    if place and place.strip():
        lines.append(f"Where: {' '.join(place.split())}")
    if link and link.strip():
        lines.append(f"Video link: {link.strip()}")
    if note and note.strip():
        lines.append(note.strip())
    lines.append(
        "A calendar invitation comes with this message: accept it there, or just reply "
        "to say if you can make it."
    )
    return "\n".join(lines)


def reminder_body(
    name: str,
    title: str,
    start: datetime,
    end: datetime,
    place: str | None,
    link: str | None,
    tz: tzinfo | None = None,
) -> str:
    """The one reminder: short, friendly, easy to say no to."""
    first = "" if "@" in name else first_name_of(name)
    hello = f"Hi {first}," if first else "Hi,"
    where = f" at {' '.join(place.split())}" if place and place.strip() else " (on video)"
    return (
        f"{hello}\n\n"
        f"A quick nudge about {title}: {when_words(start, end, tz)}{where}. "
        "It would be lovely to see you, and a simple no is completely fine too; "
        "just let me know either way so I can plan.\n"
        + (f"\nVideo link: {link.strip()}\n" if link and link.strip() else "")
        + "\nThanks!\n"
    )
