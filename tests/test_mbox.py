"""The streaming mbox reader: envelopes, body ``From `` lines, truncation, CRLF, marks."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rekindle.history.records import MessageRecord
from rekindle.identity.records import RecordError
from rekindle.sources import mbox as mbox_module
from rekindle.sources.mbox import MboxMark, envelope_after, mark_matches, read_mbox

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "mail"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
Item = MessageRecord | RecordError | MboxMark


def read(path: Path, **kw: int) -> list[Item]:
    return list(read_mbox(path, now=NOW, **kw))


def records(items: list[Item]) -> list[MessageRecord]:
    return [i for i in items if isinstance(i, MessageRecord)]


def marks(items: list[Item]) -> list[MboxMark]:
    return [i for i in items if isinstance(i, MboxMark)]


def offsets(items: list[Item]) -> list[int]:
    return [int(r.locator.rsplit("@", 1)[1]) for r in records(items)]


def test_gmail_takeout_envelopes() -> None:
    path = FIXTURES / "gmail-takeout-envelope.mbox"
    items = read(path)
    found = records(items)
    assert [r.message_id for r in found] == [
        "CAF1=abc123@mail.gmail.com",
        "CAB2=def456@mail.gmail.com",
        "list-1@python.org",
    ]
    data = path.read_bytes()
    for r, at in zip(found, offsets(items), strict=True):
        assert r.locator == f"gmail-takeout-envelope.mbox@{at}"
        assert data[at:].startswith(b"From 154")
        assert r.source == "mbox"
        assert r.folder == "gmail-takeout-envelope"
    assert sum(r.size for r in found) == len(data)
    first, reply, announce = found
    assert first.labels == ["Inbox", "Important", "Ouvert", "Projects, 2016", "Category Personal"]
    assert reply.labels == ["Envoyés", "Sent"]
    assert first.thread == reply.thread == "1545668983435175434"
    assert reply.cc[0].name == "Müller, Jörg"
    assert announce.bulk == "list-id"
    assert announce.labels == ["Non lus", "Boîte de réception", "Catégorie Forums"]
    assert first.date == datetime(2016, 9, 16, 22, 26, 49, tzinfo=UTC)  # Date, not envelope
    assert marks(items) == [MboxMark(len(data), marks(items)[-1].tail_hash)]


def test_thunderbird_envelopes() -> None:
    found = records(read(FIXTURES / "thunderbird-envelope.mbox"))
    assert [r.subject for r in found] == ["Photos from the hike", "Re: Photos from the hike"]
    assert found[0].sender is not None and found[0].sender.value == "kai@example.net"


def test_from_lines_in_bodies_are_not_boundaries() -> None:
    found = records(read(FIXTURES / "from-line-in-body.mbox"))
    assert [r.message_id for r in found] == ["one@example.com", "two@example.com"]


def test_truncated_final_message() -> None:
    path = FIXTURES / "truncated.mbox"
    items = read(path)
    found = records(items)
    assert [r.message_id for r in found] == ["complete@example.com", "cut@example.com"]
    last_start = offsets(items)[-1]
    assert marks(items)[-1].offset == last_start  # the next sync reads it again


def test_crlf_line_ends() -> None:
    found = records(read(FIXTURES / "crlf.mbox"))
    assert [r.subject for r in found] == ["Windows line ends", "Re: Windows line ends"]
    assert found[0].sender is not None and found[0].sender.name == "Alice Smith"


def test_not_an_mbox(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"Just text.\nFrom here on nothing is mail.\n" * 100)
    items = read(path)
    assert len(items) == 1
    assert isinstance(items[0], RecordError)
    assert items[0].message.startswith("not an mbox")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "Inbox"
    path.write_bytes(b"")
    assert read(path) == [MboxMark(0, marks(read(path))[0].tail_hash)]


def test_missing_file(tmp_path: Path) -> None:
    items = read(tmp_path / "nope.mbox")
    assert len(items) == 1 and isinstance(items[0], RecordError)


def test_leading_garbage_is_reported_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "odd.mbox"
    good = (FIXTURES / "thunderbird-envelope.mbox").read_bytes()
    path.write_bytes(b"garbage before\n" + good)
    items = read(path)
    assert isinstance(items[0], RecordError) and "before the first" in items[0].message
    assert len(records(items)) == 2


def test_leading_blank_lines_are_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "blank.mbox"
    path.write_bytes(b"\n\n" + (FIXTURES / "thunderbird-envelope.mbox").read_bytes())
    items = read(path)
    assert not any(isinstance(i, RecordError) for i in items)
    assert offsets(items)[0] == 2


def test_binary_garbage_never_raises_nor_hangs(tmp_path: Path) -> None:
    rng = random.Random(5)
    blob = bytearray(rng.randbytes(1 << 20))
    for _ in range(200):
        at = rng.randrange(len(blob) - 100)
        blob[at : at + 40] = b"\nFrom x Mon Jan  1 10:00:00 2001\nA: b\n\n"[:40]
    path = tmp_path / "garbage.mbox"
    path.write_bytes(bytes(blob))
    start = time.perf_counter()
    items = read(path)
    assert time.perf_counter() - start < 10
    assert isinstance(items[-1], MboxMark)


def test_marks_every_n_and_resume(tmp_path: Path) -> None:
    path = FIXTURES / "gmail-takeout-envelope.mbox"
    items = read(path, mark_every=1)
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["MessageRecord", "MboxMark"] * 2 + ["MessageRecord", "MboxMark"]
    middle = marks(items)[0]
    assert mark_matches(path, middle)
    rest = records(read(path, start_offset=middle.offset))
    assert [r.message_id for r in rest] == [r.message_id for r in records(items)[1:]]


def test_resume_after_append_reads_only_new_messages(tmp_path: Path) -> None:
    path = tmp_path / "Inbox"
    path.write_bytes((FIXTURES / "thunderbird-envelope.mbox").read_bytes())
    end = marks(read(path))[-1]
    with path.open("ab") as fh:
        fh.write((FIXTURES / "from-line-in-body.mbox").read_bytes())
    assert mark_matches(path, end)
    new = records(read(path, start_offset=end.offset))
    assert [r.message_id for r in new] == ["one@example.com", "two@example.com"]


def test_a_rewritten_file_fails_the_mark(tmp_path: Path) -> None:
    path = tmp_path / "Inbox"
    path.write_bytes((FIXTURES / "gmail-takeout-envelope.mbox").read_bytes())
    first = marks(read(path, mark_every=1))[0]
    path.write_bytes((FIXTURES / "thunderbird-envelope.mbox").read_bytes() * 3)
    assert not mark_matches(path, first)
    path.write_bytes(b"short")
    assert not mark_matches(path, first)


@pytest.mark.parametrize("chunk", [7, 64, 1000])
def test_small_chunks_give_the_same_records(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    for name in (
        "gmail-takeout-envelope.mbox",
        "crlf.mbox",
        "from-line-in-body.mbox",
        "truncated.mbox",
        "thunderbird-envelope.mbox",
    ):
        path = FIXTURES / name
        expected = read(path)
        monkeypatch.setattr(mbox_module, "CHUNK", chunk)
        assert read(path) == expected, name
        monkeypatch.undo()


def test_an_endless_header_is_bounded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(mbox_module, "MAX_HEADER", 4096)
    path = tmp_path / "big.mbox"
    lines = b"".join(b"X-Filler-%d: %s\n" % (i, b"x" * 60) for i in range(2000))
    path.write_bytes(
        b"From a@x Mon Jan  3 10:00:00 2022\nFrom: a@x.org\n" + lines + b"\nbody\n"
        b"From b@x Tue Jan  4 10:00:00 2022\nFrom: b@x.org\n\nbody\n"
    )
    found = records(read(path))
    assert [r.sender.value for r in found if r.sender] == ["a@x.org", "b@x.org"]


def test_deterministic() -> None:
    path = FIXTURES / "gmail-takeout-envelope.mbox"
    assert read(path) == read(path)


def test_many_crlf_messages_are_quick(tmp_path: Path) -> None:
    message = (FIXTURES / "crlf.mbox").read_bytes()
    path = tmp_path / "crlf-big.mbox"
    path.write_bytes(message * 2000)
    start = time.perf_counter()
    found = records(read(path))
    assert time.perf_counter() - start < 5.0
    assert len(found) == 4000
    assert all(r.subject and "\r" not in r.subject for r in found)


def _box_with_from_lines(path: Path, n: int) -> None:
    """Messages whose bodies hold unquoted "From " lines (none of them an envelope)."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(
                f"From x{i} Mon Jan 01 10:00:00 2024\nFrom: a{i}@example.com\nTo: me@example.org\n"
                f"Message-ID: <{i}@x>\nSubject: n{i}\n\n"
                f"From the desk of a{i}: see you at 10:00 in 2024\n{'body ' * (i % 50)}\n\n"
            )


def test_two_stretches_split_at_an_envelope_read_like_one(tmp_path: Path) -> None:
    box = tmp_path / "box.mbox"
    _box_with_from_lines(box, 400)
    whole = [i for i in read_mbox(box) if isinstance(i, MessageRecord)]
    split = envelope_after(box, box.stat().st_size // 2)
    assert split is not None and box.read_bytes()[split : split + 5] == b"From "
    first = list(read_mbox(box, stop_offset=split))
    assert first[-1] == MboxMark(split, first[-1].tail_hash)
    second = list(read_mbox(box, start_offset=split))
    halves = [i for i in first + second if isinstance(i, MessageRecord)]
    assert halves == whole and len(whole) == 400
    assert envelope_after(box, box.stat().st_size) is None


def test_a_stop_inside_a_message_reads_on_to_the_end(tmp_path: Path) -> None:
    box = tmp_path / "box.mbox"
    _box_with_from_lines(box, 50)
    data = box.read_bytes()
    inside = data.index(b"From the desk of a20")  # a "From " line in a body
    items = list(read_mbox(box, stop_offset=inside))
    assert sum(isinstance(i, MessageRecord) for i in items) == 50
    assert items[-1].offset == len(data)
