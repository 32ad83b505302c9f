"""Property-based and mutation fuzzing of every importer and reader, seeded from real files.

For any input: nothing raises out of a reader (a bad record is a RecordError with where it
is and what is wrong, on one line), and the work is linear in the input's size (doubling an
input does not quadruple its cost). Inputs that once broke a reader are kept under
``tests/fixtures/fuzz/`` (named ``FORMAT--quirk.ext``) and read again by a regression test.

Profiles: ``REKINDLE_FUZZ=ci`` (the default, bounded for CI) or ``REKINDLE_FUZZ=long``."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz_inputs import FIXTURES, READERS, TOKENS, consume, head_of, mutate, seeds

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("REKINDLE_FUZZ", "ci"))

SEEDS = seeds()
HEADS = {fmt: [head_of(p) for p in paths] for fmt, paths in SEEDS.items()}
TRIED: dict[str, int] = dict.fromkeys(READERS, 0)

_op = st.tuples(
    st.integers(0, 5),
    st.floats(0, 1, allow_nan=False),
    st.integers(0, 4096),
    st.one_of(st.sampled_from(TOKENS), st.binary(max_size=64)),
)


def _read(fmt: str, data: bytes) -> list[object]:
    suffix = READERS[fmt][0]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        TRIED[fmt] += 1
        return consume(fmt, path)


def test_every_format_has_real_seeds() -> None:
    assert all(len(paths) >= 2 for paths in SEEDS.values()), {f: len(p) for f, p in SEEDS.items()}


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_mutated_real_files_never_raise(fmt: str) -> None:
    @given(seed=st.integers(0, len(HEADS[fmt]) - 1), ops=st.lists(_op, min_size=1, max_size=6))
    def run(seed: int, ops: list[tuple[int, float, int, bytes]]) -> None:
        _read(fmt, mutate(HEADS[fmt][seed], ops))

    run()


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_arbitrary_bytes_never_raise(fmt: str) -> None:
    @given(data=st.binary(max_size=2048))
    @settings(max_examples=20)
    def run(data: bytes) -> None:
        _read(fmt, data)

    run()


REGRESSIONS = sorted((FIXTURES / "fuzz").glob("*--*"))


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.name for p in REGRESSIONS])
def test_inputs_that_once_broke_a_reader(path: Path) -> None:
    fmt = path.name.split("--", 1)[0]
    items = consume(fmt, path)
    assert items  # at least an error saying what is wrong, never silence nor a traceback


# --- work linear in the input's size ---------------------------------------------------------


def _cost(fmt: str, data: bytes) -> float:
    """The lowest CPU time of three readings (the least disturbed by the machine's load)."""
    best = float("inf")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"grow{READERS[fmt][0]}"
        path.write_bytes(data)
        for _ in range(3):
            started = time.process_time()
            consume(fmt, path)
            best = min(best, time.process_time() - started)
    return max(best, 1e-4)


def _ratio(fmt: str, build: Callable[[int], bytes], n: int, tries: int = 3) -> float:
    """How much more doubling the input costs: the lowest of a few tries (a busy machine
    can slow either reading by half; a quadratic reader costs four times as much every time)."""
    small, large = build(n), build(2 * n)
    best = float("inf")
    for _ in range(tries):
        best = min(best, _cost(fmt, large) / _cost(fmt, small))
        if best < 2.5:
            break
    return best


VCARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann %d Lee\r\nN:Lee;Ann;;;\r\nEMAIL:ann%d@example.com\r\nORG:Acme\r\nEND:VCARD\r\n"
CSV_HEAD = b"First Name,Last Name,E-mail Address,Company\r\n"
MESSAGE = (
    b"From x Mon Jan 01 10:00:00 2024\nFrom: Ann <ann%d@example.com>\nTo: me@example.org\n"
    b"Date: Mon, 01 Jan 2024 10:00:00 +0000\nMessage-ID: <m%d@example.com>\nSubject: hi\n\nbody\n\n"
)
EVENT = (
    b"BEGIN:VEVENT\r\nUID:e%d\r\nDTSTART:20240101T100000Z\r\nDTEND:20240101T110000Z\r\n"
    b"SUMMARY:Lunch\r\nATTENDEE:mailto:ann%d@example.com\r\nORGANIZER:mailto:me@example.org\r\nEND:VEVENT\r\n"
)

GROWING: dict[str, tuple[str, Callable[[int], bytes], int]] = {
    "vcard: many cards": ("vcard", lambda n: b"".join(VCARD % (i, i) for i in range(n)), 2000),
    "vcard: one long NOTE": (
        "vcard",
        lambda n: (
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nNOTE:" + b"word " * n + b"\r\nEND:VCARD\r\n"
        ),
        100_000,
    ),
    "vcard: one long folded line": (
        "vcard",
        lambda n: (
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nNOTE:x" + b"\r\n y" * n + b"\r\nEND:VCARD\r\n"
        ),
        50_000,
    ),
    "csv: many rows": (
        "csv",
        lambda n: (
            CSV_HEAD + b"".join(b"Ann,Lee%d,ann%d@example.com,Acme\r\n" % (i, i) for i in range(n))
        ),
        4000,
    ),
    "csv: one long cell": (
        "csv",
        lambda n: CSV_HEAD + b'Ann,"' + b"x " * n + b'",ann@example.com,Acme\r\n',
        200_000,
    ),
    "google_csv: many rows": (
        "google_csv",
        lambda n: (
            b"Name,Given Name,Family Name,E-mail 1 - Value\r\n"
            + b"".join(b"Ann Lee,Ann,Lee%d,ann%d@example.com\r\n" % (i, i) for i in range(n))
        ),
        4000,
    ),
    "mbox: many messages": ("mbox", lambda n: b"".join(MESSAGE % (i, i) for i in range(n)), 2000),
    "mbox: one long header": (
        "mbox",
        lambda n: (
            b"From x Mon Jan 01 10:00:00 2024\nFrom: ann@example.com\nTo: "
            + b", ".join(b"p%d@example.com" % i for i in range(n))
            + b"\nSubject: x\n\nbody\n"
        ),
        4000,
    ),
    "eml: long subject": (
        "eml",
        lambda n: (
            b"From: ann@example.com\nTo: me@example.org\nSubject: " + b"word " * n + b"\n\nbody\n"
        ),
        400_000,
    ),
    "ics: many events": (
        "ics",
        lambda n: (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
            + b"".join(EVENT % (i, i) for i in range(n))
            + b"END:VCALENDAR\r\n"
        ),
        600,
    ),
}


@pytest.mark.parametrize("case", sorted(GROWING))
def test_doubling_an_input_does_not_quadruple_its_cost(case: str) -> None:
    fmt, build, n = GROWING[case]
    ratio = _ratio(fmt, build, n)
    assert ratio < 3.0, f"{case}: doubling the input cost {ratio:.1f} times as much"


def test_a_run_of_at_signs_in_a_header_is_linear() -> None:
    build = lambda n: b"From: ann@example.com\nTo: " + b"@" * n + b"\nSubject: x\n\nbody\n"  # noqa: E731
    assert _ratio("eml", build, 4000) < 3.0


def test_report_inputs_tried(capsys: pytest.CaptureFixture[str]) -> None:
    """Last in the file: how many inputs each reader was given by the tests above."""
    with capsys.disabled():
        print(
            "\nfuzz inputs tried: "
            + ", ".join(f"{f} {n}" for f, n in TRIED.items())
            + f"; {sum(TRIED.values())} in all"
        )
