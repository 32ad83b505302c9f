"""CSV plumbing: encodings, delimiters, header finding, locators, bad rows, streaming."""

from __future__ import annotations

import codecs
import tracemalloc
from pathlib import Path

import pytest

from rekindle.identity.records import RecordError
from rekindle.sources.base import ImportOptions
from rekindle.sources.csv_table import (
    MAX_CELL,
    CsvRow,
    HeaderNotFoundError,
    open_table,
    parse_header_key,
    sniff_csv_encoding,
    sniff_header_keys,
)

FIXTURES = Path(__file__).parent / "fixtures"
OPTS = ImportOptions()


def read_rows(
    path: Path, options: ImportOptions = OPTS, expected: tuple[str, ...] | list[str] = ()
) -> list[CsvRow | RecordError]:
    with open_table(path, options, expected=expected) as table:
        assert table is not None
        return list(table.rows("test"))


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("E-mail 1 - Value", "email1value"),
        ("Email 1 - Value", "email1value"),
        ("  FIRST name ", "firstname"),
        ("Business Country/Region", "businesscountry"),
        ("Business Country", "businesscountry"),
        ("\ufeffName", "name"),
        ("E-Mail-Adresse", "emailadresse"),
        ("Prénom", "prénom"),
        ("Pre\u0301nom", "prénom"),  # decomposed accent
        ("Assistant's Phone", "assistantsphone"),
    ],
)
def test_header_keys_match_loosely(header: str, key: str) -> None:
    assert parse_header_key(header) == key


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + "Name\nJürgen\n".encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "Name\nJürgen\n".encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + "Name\nJürgen\n".encode("utf-16-be"), "utf-16"),
        ("Name,Email\nJürgen,j@x.org\n".encode("utf-16-le"), "utf-16-le"),
        ("Name,Email\nJürgen,j@x.org\n".encode("utf-16-be"), "utf-16-be"),
        ("Name\nJürgen\n".encode(), "utf-8"),
        ("Name\nJürgen Müller, Café Crème, Groß\n".encode("cp1252"), "cp1252"),
        (b"plain ascii\n", "utf-8"),
    ],
)
def test_encoding_sniff(data: bytes, encoding: str) -> None:
    assert sniff_csv_encoding(data) == encoding


def test_non_western_single_byte_text_is_not_read_as_cp1252() -> None:
    text = "Имя,Фамилия,Город\nИван,Петров,Москва\nОльга,Смирнова,Санкт-Петербург\n"
    encoding = sniff_csv_encoding(text.encode("cp1251"))
    assert encoding != "cp1252"
    assert text.encode("cp1251").decode(encoding) == text


def test_utf8_file_with_a_stray_cp1252_byte_late_is_read_both_ways(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    body = b"Name,Email\n" + b"Ann,a@x.org\n" * 8000
    path.write_bytes(body + "Café Crème,c@x.org\n".encode("cp1252") + "Zoë,z@x.org\n".encode())
    rows = read_rows(path, expected=["Name", "Email"])
    assert [r.get("Name") for r in rows[-2:] if isinstance(r, CsvRow)] == ["Café Crème", "Zoë"]


def test_header_found_after_preamble_with_line_numbers() -> None:
    path = FIXTURES / "linkedin" / "linkedin-connections-preamble.csv"
    with open_table(path, OPTS, expected=["First Name", "Last Name", "Connected On"]) as table:
        assert table is not None
        assert table.header_line == 4
        assert table.header[0] == "First Name"
        rows = [r for r in table.rows("test") if isinstance(r, CsvRow)]
    assert rows[0].locator == "linkedin-connections-preamble.csv:row 5"
    assert rows[0].get("Company") == "Contoso, Ltd."


def test_locators_point_at_the_line_where_a_multiline_row_starts() -> None:
    path = FIXTURES / "csv" / "google-current-bom-multiline-notes.csv"
    rows = read_rows(path, expected=["First Name", "Last Name"])
    lines = [r.line for r in rows if isinstance(r, CsvRow)]
    # Alice's Notes and Address span lines 2-6, so Jürgen starts on line 7
    assert lines[:3] == [2, 7, 8]
    text = path.read_text(encoding="utf-8-sig").splitlines()
    assert text[7 - 1].startswith("Jürgen")


def test_blank_padding_rows_are_skipped() -> None:
    path = FIXTURES / "linkedin" / "linkedin-bom-blank-rows.csv"
    rows = read_rows(path, expected=["First Name", "Last Name", "URL"])
    assert [(r.line, r.get("First Name")) for r in rows if isinstance(r, CsvRow)] == [
        (7, "Kim"),
        (10, "Lee"),
    ]
    assert not [r for r in rows if isinstance(r, RecordError)]


def test_ragged_rows() -> None:
    rows = read_rows(FIXTURES / "csv" / "generic-ragged-rows.csv", expected=["Name", "Email"])
    errors = [r for r in rows if isinstance(r, RecordError)]
    good = [r for r in rows if isinstance(r, CsvRow)]
    assert [e.locator for e in errors] == ["generic-ragged-rows.csv:row 3"]
    assert "5 cells" in errors[0].message
    assert [r.get("Name") for r in good] == ["Good One", "Short Row", "Trailing Empty", "Good Two"]
    short = good[1]
    assert short.get("Phone") == "" and len(short.cells) == 3


@pytest.mark.parametrize(("delimiter", "suffix"), [(";", "csv"), ("\t", "tsv"), (",", "csv")])
def test_delimiter_sniffed_from_header(tmp_path: Path, delimiter: str, suffix: str) -> None:
    path = tmp_path / f"d.{suffix}"
    path.write_text(
        delimiter.join(["Name", "Email", "Company"]) + "\n"
        + delimiter.join(["Ann, Jr.", "ann@x.org", "A;B"]) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    with open_table(path, OPTS, expected=["Name", "Email"]) as table:
        assert table is not None and table.delimiter == delimiter


def test_forced_encoding_and_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "forced.csv"
    path.write_bytes("Name|Email\nJosé|j@x.org\n".encode("latin-1"))
    options = ImportOptions(encoding="latin-1", delimiter="|")
    rows = read_rows(path, options=options, expected=["Name", "Email"])
    assert isinstance(rows[0], CsvRow) and rows[0].get("Name") == "José"


def test_repeated_header_row_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("Name,Email\nA,a@x.org\nName,Email\nB,b@x.org\n", encoding="utf-8")
    rows = read_rows(path, expected=["Name", "Email"])
    assert [r.get("Name") for r in rows if isinstance(r, CsvRow)] == ["A", "B"]


def test_header_not_found(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(HeaderNotFoundError), open_table(path, OPTS, expected=["Name", "Email"]):
        pass


@pytest.mark.parametrize("content", [b"", b"\n\n  \r\n", codecs.BOM_UTF8, b",,,\n,,\n"])
def test_empty_file_opens_as_none(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with open_table(path, OPTS, expected=["Name"]) as table:
        assert table is None


def test_oversized_single_line_cell_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    huge = "x" * (MAX_CELL + 10)
    path.write_text(f"Name,Notes\nA,ok\nB,{huge}\nC,fine\n", encoding="utf-8")
    rows = read_rows(path, expected=["Name", "Notes"])
    assert [r.get("Name") for r in rows if isinstance(r, CsvRow)] == ["A", "C"]
    (error,) = [r for r in rows if isinstance(r, RecordError)]
    assert error.locator == "big.csv:row 3" and "larger than 1 MB" in error.message


def test_oversized_multiline_cell_resynchronises(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    huge = "line\n" * 3 + "y" * (MAX_CELL + 10) + "\nstill the note"
    path.write_text(f'Name,Email,Notes\nA,a@x.org,ok\nB,b@x.org,"{huge}"\nC,c@x.org,fine\n')
    rows = read_rows(path, expected=["Name", "Notes"])
    assert [r.get("Name") for r in rows if isinstance(r, CsvRow)] == ["A", "C"]
    (error,) = [r for r in rows if isinstance(r, RecordError)]
    assert error.locator == "big.csv:row 3" and "lines 3–7" in error.message


def test_cells_below_the_limit_are_read(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    note = "z" * (MAX_CELL - 100)
    path.write_text(f"Name,Notes\nA,{note}\n", encoding="utf-8")
    (row,) = read_rows(path, expected=["Name"])
    assert isinstance(row, CsvRow) and len(row.get("Notes")) == len(note)


def test_unknown_extra_columns_and_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    path.write_text("Name,Whatever,Email,Email\nA,zzz,,second@x.org\n", encoding="utf-8")
    (row,) = read_rows(path, expected=["Name", "Email"])
    assert isinstance(row, CsvRow)
    assert row.get("Email") == "second@x.org"
    assert row.get("Missing", "Name") == "A"
    assert row.payload() == '{"Name": "A", "Whatever": "zzz", "Email": "second@x.org"}'


def test_sniff_header_keys_reads_utf16() -> None:
    head = (FIXTURES / "csv" / "google-legacy-utf16.csv").read_bytes()[:4096]
    keys = sniff_header_keys(head)
    assert {"name", "givenname", "email1value", "groupmembership"} <= keys[0]


def test_streaming_30_mb_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    filler = "n" * 2000
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Name,Email,Phone,Company,Notes\r\n")
        i = 0
        while fh.tell() < 30 * 1024 * 1024:
            fh.write(f'P {i},p{i}@example.com,+1 555 {i:07d},Co {i % 9},"{filler}\r\nend {i}"\r\n')
            i += 1
    size = path.stat().st_size
    tracemalloc.start()
    try:
        with open_table(path, OPTS, expected=["Name", "Email"]) as table:
            assert table is not None
            count = sum(1 for row in table.rows("test") if isinstance(row, CsvRow))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == i
    assert peak < size / 20, f"peak {peak} bytes for a {size}-byte file"


def test_utf8_cut_inside_a_character_at_the_end_of_the_head_is_still_utf8() -> None:
    head = ("Name\n" + "é" * 100).encode()[:-1]
    assert sniff_csv_encoding(head) == "utf-8"


def test_sniff_header_keys_ignores_zip_archives() -> None:
    assert sniff_header_keys(b"PK\x03\x04\x14\x00Connections.csv,First Name") == []
