"""Every message, mbox and Maildir of the shared corpus through the mail readers.

The corpus lives outside the repository (``../shared/corpora``); without it these tests skip.
Each file gets a time limit: the readers never descend into bodies, so none may take long.
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from rekindle.history.records import MessageRecord
from rekindle.identity.records import RecordError
from rekindle.sources.maildir import read_eml, read_maildir, sniff_mail
from rekindle.sources.mbox import MboxMark, read_mbox

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
SECONDS_PER_FILE = 10
NOW = datetime(2026, 1, 1, tzinfo=UTC)
MAIL_FOLDERS = (
    "flanker-messages",
    "mail-parser-spamscope",
    "mime4j-messages",
    "talon-replies",
    "django-mailbox-messages",
    "notmuch-corpora",
    "perceval-mbox",
    "enron-sample",
)
NOT_MAIL = {"LICENSE.txt", "COPYING.txt", "README.txt", "ARTISTIC-LICENSE.txt"}
#: test messages that have no header at all: one "not a mail message" error each
NO_HEADER = {"malformedHeader-noheader.eml", "malformedHeaderStartsBody-noheader.eml"}
T = TypeVar("T")

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPORA.is_dir(), reason=f"no corpus at {CORPORA}"),
]


def _timeout(signum: int, frame: object) -> None:
    raise TimeoutError(f"more than {SECONDS_PER_FILE} s")


def limited(make: Callable[[], Iterator[T]], seconds: int = SECONDS_PER_FILE) -> list[T]:
    """All items of a reader, failing if it takes longer than ``seconds``."""
    old = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(seconds)
    try:
        return list(make())
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def mail_files() -> list[Path]:
    if not CORPORA.is_dir():
        return []
    return sorted(
        p
        for folder in MAIL_FOLDERS
        for p in (CORPORA / folder).rglob("*")
        if p.is_file() and p.name not in NOT_MAIL
    )


def read_any(path: Path) -> list[MessageRecord | RecordError | MboxMark]:
    if sniff_mail(path) == "mbox":
        return limited(lambda: read_mbox(path, now=NOW))
    return limited(lambda: iter(list(read_eml(path, now=NOW))))


def one(path: Path) -> MessageRecord:
    found = [i for i in read_any(path) if isinstance(i, MessageRecord)]
    assert len(found) == 1, path
    return found[0]


def check_sane(record: MessageRecord) -> None:
    if record.date is not None:
        assert datetime(1980, 1, 1, tzinfo=UTC) <= record.date <= NOW + timedelta(days=1)
        assert record.date_problem is None
    else:
        assert record.date_problem
    for address in [record.sender, *record.recipients()]:
        if address is not None and address.kind == "email":
            assert address.value == address.value.lower()
            assert "@" in address.value


@pytest.mark.parametrize("path", mail_files(), ids=lambda p: p.relative_to(CORPORA).as_posix())
def test_every_corpus_file(path: Path) -> None:
    items = read_any(path)
    assert items, "a reader yields at least one item"
    if path.name in NO_HEADER:
        assert [str(i) for i in items] == [f"{path.name}: not a mail message"]
        return
    found = [i for i in items if isinstance(i, MessageRecord)]
    assert found, [str(i) for i in items if isinstance(i, RecordError)]
    for record in found:
        check_sane(record)


def test_every_corpus_file_twice_gives_the_same_records() -> None:
    for path in mail_files()[:150]:
        assert read_any(path) == read_any(path), path


def test_flanker_bounces_are_flagged() -> None:
    bounces = sorted((CORPORA / "flanker-messages" / "bounce").glob("*.eml"))
    assert len(bounces) == 9
    for path in bounces:
        assert one(path).bounce, path.name
    for path in sorted((CORPORA / "flanker-messages" / "complaints").glob("*.eml")):
        assert not one(path).bounce, path.name


def test_the_210_kb_header() -> None:
    path = CORPORA / "flanker-messages" / "long-header.eml"
    assert path.stat().st_size > 200_000
    start = time.perf_counter()
    record = one(path)
    assert time.perf_counter() - start < 1.0
    assert record.subject is not None and record.subject.startswith("Die heiße Zypernsonne")
    assert record.sender is not None and record.sender.value == "bob@example.com"


def test_enclosed_endless_is_quick() -> None:
    path = CORPORA / "flanker-messages" / "enclosed-endless.eml"
    assert path.stat().st_size > 2_000_000
    start = time.perf_counter()
    one(path)
    assert time.perf_counter() - start < 0.5


def test_display_name_trick_and_last_first_names() -> None:
    trick = one(CORPORA / "mail-parser-spamscope" / "mail_test_19.eml")
    assert trick.sender is not None
    assert (trick.sender.value, trick.sender.name) == ("bob@example.com", "alice@example.com")
    names = one(CORPORA / "mail-parser-spamscope" / "mail_test_18.eml")
    assert names.sender is not None
    assert names.sender.name == "LastßlName, FirstName"


def test_perceval_mboxes() -> None:
    items = read_any(CORPORA / "perceval-mbox" / "mbox" / "mbox_no_fields.mbox")
    found = [i for i in items if isinstance(i, MessageRecord)]
    assert len(found) == 6
    assert [r.date_problem for r in found].count("missing") == 2
    assert found[0].sender is not None and found[0].sender.value == "goran@domain.com"
    assert found[0].sender.name == "Göran Lastname"
    rlug = read_any(CORPORA / "mime4j-messages" / "mbox" / "mbox.rlug.mbox")
    assert len([i for i in rlug if isinstance(i, MessageRecord)]) == 5


def test_notmuch_maildirs() -> None:
    items = limited(lambda: read_maildir(CORPORA / "notmuch-corpora", now=NOW), 60)
    found = [i for i in items if isinstance(i, MessageRecord)]
    assert len(found) == 320
    folders = Counter(r.folder for r in found)
    assert folders["lkml"] == 210
    assert folders["default/foo/baz"] == 6
    lkml = [r for r in found if r.folder == "lkml"]
    assert sum(1 for r in lkml if r.in_reply_to) > 150
    for record in found:
        check_sane(record)


def test_enron_allen_p() -> None:
    root = CORPORA / "enron-mailbox" / "allen-p"
    if not root.is_dir():
        pytest.skip("no enron-mailbox/allen-p")
    assert sniff_mail(root) == "eml"
    items = limited(lambda: read_eml(root, now=NOW), 120)
    found = [i for i in items if isinstance(i, MessageRecord)]
    assert len(items) == len(found) == 3034
    assert all(r.message_id and r.message_id.endswith("JavaMail.evans@thyme") for r in found)
    assert len({r.message_id for r in found}) == 3034
    absurd = [r for r in found if r.date is None]
    assert len(absurd) == 10
    assert {r.date_problem for r in absurd} == {"absurd: 1979-12-31"}
    assert {r.folder for r in absurd} <= {"all_documents", "discussion_threads"}
    assert Counter(r.folder for r in found)["_sent_mail"] == 602
    senders = Counter(r.sender.value for r in found if r.sender)
    assert senders["phillip.allen@enron.com"] > 1000
    for record in found:
        check_sane(record)
    assert limited(lambda: read_eml(root, now=NOW), 120) == items
