"""What a card carries reaches every view: `show`, the Person page and the exports show postal
addresses and the anniversary; an ANNIVERSARY is an occasion; people learnt from mail get
given and family names in CSV and vCard."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rekindle.engine.occasions import anniversary_occasion, timing_strength
from rekindle.identity.records import PartialDate
from rekindle.services import me as me_svc
from rekindle.services.exporting import export
from rekindle.services.importing import import_path
from rekindle.services.occasions import mark_handled, occasions_for
from rekindle.services.people import show
from rekindle.services.sync_files import sync_mail_path
from rekindle.store import Store
from rekindle.web.app import create_app
from tests.conftest import FIXTURES
from tests.test_cli_outreach import Cli

NOW = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script>"
CARD = f"""BEGIN:VCARD
VERSION:4.0
UID:lea-1
FN:Léa Martin
N:Martin;Léa;;;
EMAIL;TYPE=home:lea@example.fr
ADR;TYPE=home:;;12 rue des Lilas;Lyon;;69003;France
item1.ADR:;;{HOSTILE};Nowhere;;;
item1.X-ABLabel:Summer
ANNIVERSARY:20160614
END:VCARD
"""


@pytest.fixture
def lea(store: Store, tmp_path: Path) -> int:
    path = tmp_path / "lea.vcf"
    path.write_text(CARD, encoding="utf-8")
    import_path(store, path)
    return show(store, "lea@example.fr").id


def test_show_and_json_tell_addresses_and_anniversary(
    store: Store, lea: int, db_url: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    view = show(store, str(lea))
    assert view.anniversary == "2016-06-14"
    assert [a["city"] for a in view.addresses] == ["Lyon", "Nowhere"]
    said = Cli(db_url, capsys, monkeypatch)("show", "Léa Martin").stdout
    assert "anniversary 2016-06-14" in said
    assert "address  12 rue des Lilas, 69003 Lyon, France (home)" in said
    data = json.loads(Cli(db_url, capsys, monkeypatch)("show", "Léa Martin", "--json").stdout)
    assert data["anniversary"] == "2016-06-14" and data["addresses"][0]["postcode"] == "69003"
    out = io.StringIO()
    export(store, "json", out)
    [person] = json.loads(out.getvalue())["people"]
    assert person["anniversary"] == "2016-06-14" and len(person["addresses"]) == 2


def test_the_person_page_shows_them_escaped(store: Store, lea: int) -> None:
    with TestClient(create_app(store, now_fn=lambda: NOW)) as client:
        html = client.get(f"/people/{lea}").text
    assert "Anniversary 14 Jun 2016" in html
    assert "12 rue des Lilas, 69003 Lyon, France" in html and "(Summer)" in html
    assert HOSTILE not in html and "&lt;script&gt;" in html


def test_an_anniversary_is_an_occasion(store: Store, lea: int) -> None:
    today = date(2026, 6, 10)
    with store.read() as conn:
        found = {o.key: o for o in occasions_for(conn, store.owner_id, [lea], today)[lea]}
    occ = found["anniversary:2026"]
    assert occ.kind == "anniversary" and occ.source == "vcard"
    assert occ.detail == "10 years anniversary on 14 Jun"
    assert timing_strength(occ, date(2026, 6, 14)) == 0.8
    _, done = mark_handled(store, "Léa Martin", "anniversary", today=today)
    assert done.key == "anniversary:2026" and done.handled


def test_anniversary_occasion_words() -> None:
    plain = anniversary_occasion(PartialDate(3, 2), date(2026, 2, 28))
    assert plain is not None and plain.on_date == date(2026, 3, 2)
    assert plain.detail == "anniversary on 2 Mar"
    odd = anniversary_occasion(PartialDate(3, 2, 2019), date(2026, 2, 28))
    assert odd is not None and odd.detail == "anniversary on 2 Mar"  # 7 years: not round
    assert anniversary_occasion(PartialDate(2, 30), date(2026, 2, 28)) is None


@pytest.fixture
def from_mail(store: Store, tmp_path: Path) -> Iterator[Store]:
    box = tmp_path / "inbox.mbox"
    shutil.copy(FIXTURES / "mail" / "gmail-takeout-envelope.mbox", box)
    me_svc.add_address(store, "robin@example.org")
    sync_mail_path(store, box)
    yield store


def test_people_learnt_from_mail_get_given_and_family_names(from_mail: Store) -> None:
    out = io.StringIO()
    export(from_mail, "csv", out)
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert (rows["Ana Costa"]["given_name"], rows["Ana Costa"]["family_name"]) == ("Ana", "Costa")
    cards = io.StringIO(newline="")
    export(from_mail, "vcard", cards)
    assert "N:Costa;Ana;;;\r\n" in cards.getvalue()
    assert "N:;;;;" not in cards.getvalue()


def test_csv_holds_addresses_and_anniversary_and_stays_formula_safe(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "lea.vcf"
    path.write_text(CARD.replace("12 rue des Lilas", "=HYPERLINK(1)"), encoding="utf-8")
    import_path(store, path)
    out = io.StringIO()
    export(store, "csv", out)
    [row] = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["anniversary"] == "2016-06-14"
    assert row["addresses"].startswith("'=HYPERLINK(1), 69003 Lyon, France; ")
