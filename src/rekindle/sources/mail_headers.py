"""One message's header block to a :class:`MessageRecord`: only the headers the history needs.

The block is the raw bytes up to the first blank line. One regular expression picks the wanted
fields (folded continuation lines included) and skips the rest (Received chains, DKIM, ...);
values are decoded only where needed (RFC 2047 in names and subjects). Bodies are never read.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from rekindle.history.records import Address, MessageRecord
from rekindle.identity.records import RecordError
from rekindle.sources.mail_dates import check_date, parse_mail_date, received_date
from rekindle.sources.mail_values import (
    decode_words,
    parse_addresses,
    parse_message_ids,
    split_labels,
    trim_references,
)

#: the largest header block looked at; a longer one is cut at a line end (memory stays bounded)
MAX_HEADER = 1 << 20
#: characters of a Subject that are decoded (the flanker 210 KB Subject is cut here)
MAX_VALUE = 64 * 1024
MAX_SUBJECT = 1000

_WANTED = (
    "message-id|date|from|sender|to|cc|bcc|subject|in-reply-to|references|x-gm-thrid|"
    "x-gmail-labels|list-id|list-unsubscribe|precedence|auto-submitted|x-autoreply|"
    "x-autorespond|content-type|return-path|x-folder|x-from|x-failed-recipients"
)


def _nocase(text: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in text)


def _trie(names: list[str]) -> str:
    """A case-blind alternation of ``names`` factored by first letters, with letter classes
    instead of re.IGNORECASE: much faster to try at the start of every header line."""
    groups: dict[str, list[str]] = {}
    for name in sorted(names):
        groups.setdefault(name[:1], []).append(name[1:])
    parts = []
    for first, rests in groups.items():
        if len(rests) == 1:
            parts.append(_nocase(first + rests[0]))
        else:
            tail = _trie([r for r in rests if r])
            parts.append(_nocase(first) + f"(?:{tail}){'?' if '' in rests else ''}")
    return "|".join(parts)


_NAMES = _WANTED.split("|")
_FIELD = re.compile(
    "\n(?=[" + "".join(sorted({n[0] + n[0].upper() for n in _NAMES})) + "])"
    "(" + _trie(_NAMES) + r")[ \t]*:[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)"
)
_RECEIVED = re.compile(r"\nreceived[ \t]*:([^\n]*(?:\n[ \t][^\n]*)*)", re.IGNORECASE)
_ANY_FIELD = re.compile(r"(?:>?From [^\n]*\n)?[!-9;-~]+[ \t]*:")
_REPEATABLE = ("to", "cc", "bcc")

_NO_REPLY = re.compile(
    r"^(?:.*no[-_.]?reply|.*do[-_.]?not[-_.]?reply|notifications?|notify|mailer|"
    r"bounces?|bounce[-+_.=].*|.*[-+_.=]bounces?|mailer-daemon|postmaster|auto-?reply)"
    r"(?:[-+_.].*)?@"
)
_DAEMON = re.compile(r"mailer[-_]daemon|postmaster|mail delivery (?:sub)?system", re.IGNORECASE)
_FAILURE_SUBJECT = re.compile(
    r"undeliver|delivery (?:status notification|fail|has failed|notification)|returned mail|"
    r"failure notice|could not be delivered|non remis|unzustellbar|no entregado|"
    r"nicht zugestellt|mail delivery failed|delivery problem",
    re.IGNORECASE,
)
_BULK_PRECEDENCE = frozenset(("bulk", "list", "junk"))


def _unfold(value: str) -> str:
    if "\n" in value:
        value = value.replace("\r\n", "").replace("\n", "")
    return value.strip()


def _fields(text: str) -> dict[str, str]:
    """The wanted fields of a block (starting with a newline): lower-cased name -> unfolded
    value, the first of each except To/Cc/Bcc, which are joined when repeated."""
    pairs = _FIELD.findall(text)
    fields = {name.lower(): value.rstrip() for name, value in reversed(pairs)}
    if len(fields) < len(pairs):
        for name in _REPEATABLE:
            values = [v for n, v in pairs if n.lower() == name]
            if len(values) > 1:
                fields[name] = ",".join(values)
    return fields


def _first_id(value: str | None) -> str | None:
    if not value:
        return None
    value = _unfold(value)
    if value[:1] == "<" and value[-1:] == ">" and value.count("<") == 1 and " " not in value:
        return value[1:-1] or None
    ids = parse_message_ids(value)
    if ids:
        return ids[0]
    words = value.split()
    return (words[0].strip("<>") or None) if words else None


def _enron_name(sender: Address, fields: dict[str, str]) -> Address:
    """Enron's From holds only an address and X-From the name: ``Dunton, Heather </O=...>``."""
    x_from = fields.get("x-from")
    if sender.name or not x_from or sender.kind != "email":
        return sender
    name = decode_words(_unfold(x_from)).split("<", 1)[0].strip().strip('"').strip()
    if not name or "@" in name:
        return sender
    return Address(sender.value, name, sender.kind)


def _date(fields: dict[str, str], text: str, now: datetime) -> tuple[datetime | None, str | None]:
    written = fields.get("date")
    if written:
        parsed = parse_mail_date(written)
        if parsed is not None:
            absurd = check_date(parsed, now)
            return (None, absurd) if absurd else (parsed[0], None)
    m = _RECEIVED.search(text)
    if m is not None:
        fallback = parse_mail_date(received_date(_unfold(m.group(1)[:MAX_VALUE])))
        if fallback is not None and check_date(fallback, now) is None:
            return fallback[0], None
    written = _unfold(written) if written else ""
    return None, f"unparseable: {written[:80]}" if written else "missing"


#: the fields that can make a message bulk mail (most messages have none of them)
_BULK_FIELDS = frozenset(
    ("list-id", "list-unsubscribe", "precedence", "auto-submitted", "x-autoreply", "x-autorespond")
)


def _bulk(fields: dict[str, str], sender: Address | None) -> str | None:
    if not _BULK_FIELDS.isdisjoint(fields):
        found = _bulk_field(fields)
        if found is not None:
            return found
    if sender is not None and sender.kind == "email" and _no_reply(sender.value):
        return "no-reply sender"
    return None


def _bulk_field(fields: dict[str, str]) -> str | None:
    if fields.get("list-id"):
        return "list-id"
    if fields.get("list-unsubscribe"):
        return "list-unsubscribe"
    precedence = fields.get("precedence")
    if precedence and precedence.strip().lower() in _BULK_PRECEDENCE:
        return "precedence: bulk"
    auto = fields.get("auto-submitted")
    if auto and auto.split(";")[0].strip().lower() != "no":
        return "auto-submitted"
    if "x-autoreply" in fields or "x-autorespond" in fields:
        return "auto-submitted"
    return None


def _no_reply(value: str) -> bool:
    known = _NO_REPLY_SEEN.get(value)
    if known is None:
        at = value.find("@")
        known = 0 < at <= 64 and _NO_REPLY.match(value, 0, at + 1) is not None  # short local
        _remember(_NO_REPLY_SEEN, value, known)
    return known


def _daemon(value: str) -> bool:
    known = _DAEMON_SEEN.get(value)
    if known is None:
        known = _DAEMON.search(value) is not None
        _remember(_DAEMON_SEEN, value, known)
    return known


#: senders already judged (the same few thousand come back all the time)
_NO_REPLY_SEEN: dict[str, bool] = {}
_DAEMON_SEEN: dict[str, bool] = {}
_CACHE_SIZE = 1 << 14


def _remember(cache: dict[str, bool], value: str, known: bool) -> None:
    if len(value) <= 1000:
        if len(cache) >= _CACHE_SIZE:
            cache.clear()
        cache[value] = known


def _bounce(fields: dict[str, str], subject: str | None) -> bool:
    ctype = fields.get("content-type")
    if ctype:
        start = ctype[:30].lower()  # lower-casing keeps a prefix a prefix
        if start.startswith("multipart/report"):
            ctype = ctype[:200].lower()
            return "feedback-report" not in ctype and "disposition-notification" not in ctype
        if start.startswith("message/delivery-status"):
            return True
    sender = fields.get("from") or fields.get("sender")
    if sender and _daemon(sender):
        return True
    if "x-failed-recipients" in fields:
        return True
    path = fields.get("return-path")
    if path is None or path.replace(" ", "").strip() not in ("<>", ""):
        return False
    return bool(subject and _FAILURE_SUBJECT.search(subject))


def _decode_block(raw: bytes) -> str:
    """The block as text, behind a newline: UTF-8 (RFC 6532) or, failing that, Latin-1."""
    if len(raw) > MAX_HEADER:
        cut = raw.rfind(b"\n", 0, MAX_HEADER)
        raw = raw[: cut if cut > 0 else MAX_HEADER]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")  # old Mac line ends
    return "\n" + text


def parse_header_block(
    raw: bytes,
    source: str,
    locator: str,
    folder: str | None = None,
    *,
    now: datetime | None = None,
    size: int = 0,
) -> MessageRecord | RecordError:
    """The history facts of one header block (raw bytes up to the first blank line).

    A leading mbox ``From `` envelope line is skipped. Missing From or Date still give a
    record (``date_problem`` says why the date is None); a block without any header line gives
    ``RecordError("not a mail message")``. ``folder`` wins over the message's ``X-Folder``.
    """
    text = _decode_block(raw)
    fields = _fields(text)
    if not fields and not _ANY_FIELD.match(text.lstrip("\r\n")):
        return RecordError(source, locator, "not a mail message")
    get = fields.get

    sender = None
    value = get("from") or get("sender")
    if value:
        senders = parse_addresses(_unfold(value))
        if senders:
            sender = senders[0]
            if "x-from" in fields:
                sender = _enron_name(sender, fields)
    date, date_problem = _date(fields, text, now or datetime.now(UTC))
    subject = get("subject")
    if subject is not None:
        subject = _unfold(subject[:MAX_VALUE])
        if "=?" in subject:
            subject = decode_words(subject)
        if "  " in subject or "\t" in subject:
            subject = " ".join(subject.split())
        subject = subject[:MAX_SUBJECT]
    value = get("to")
    to = parse_addresses(_unfold(value)) if value else []
    value = get("cc")
    cc = parse_addresses(_unfold(value)) if value else []
    value = get("bcc")
    bcc = parse_addresses(_unfold(value)) if value else []
    value = get("references")
    references = trim_references(parse_message_ids(value)) if value else []
    value = get("x-gmail-labels")
    labels = split_labels(_unfold(value)) if value else []
    thread = get("x-gm-thrid")
    if thread:
        thread = _unfold(thread) or None
    if folder is None:
        folder = _unfold(get("x-folder") or "") or None
    # positional: the fields in MessageRecord's order (a keyword call costs more per message)
    return MessageRecord(
        source,
        locator,
        _first_id(get("message-id")),
        date,
        date_problem,
        sender,
        to,
        cc,
        bcc,
        subject,
        _first_id(get("in-reply-to")),
        references,
        thread or None,
        labels,
        folder,
        _bulk(fields, sender),
        _bounce(fields, subject),
        size,
    )
