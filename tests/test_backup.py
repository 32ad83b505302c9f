"""A backup the user can trust: `export json` of a rich account, restored with `import` into an
empty database, exports again to the very same bytes, on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rekindle.errors import UserError
from rekindle.services import me as me_svc
from rekindle.services.backup import looks_like_backup, restore_backup
from rekindle.services.demo import load_sample
from rekindle.services.exporting import export
from rekindle.services.importing import import_items, import_path
from rekindle.services.sync_files import sync_mail_path
from rekindle.store import Store, open_store
from rekindle.store import people as pq
from rekindle.store.schema import interaction, interaction_person, person
from tests.conftest import CORPORA, FIXTURES, PG_URL
from tests.test_cli_outreach import Cli
from tests.test_history import ME, sync
from tests.test_importing import contact
from tests.test_intro import DANA, LEE, mailbox
from tests.test_outreach import ANA_VCF


def rich_account(db: str, tmp_path: Path, cli: Cli) -> None:
    """The sample network, a vCard with a photo, me, two synced mailboxes, and a user's work:
    goal, settings, edits, tags, notes, a merge and an unmerge, outreach drafted and logged."""
    store = open_store(db)
    try:
        load_sample(store)
        vcf = tmp_path / "contacts.vcf"
        vcf.write_text(ANA_VCF, encoding="utf-8")
        import_path(store, vcf)
        me_svc.set_name(store, "Robin Example")
        me_svc.add_address(store, "robin@example.org")
        me_svc.add_affiliation(store, "Acme", None, "2014", "2019")
        box = tmp_path / "inbox.mbox"
        shutil.copy(FIXTURES / "mail" / "gmail-takeout-envelope.mbox", box)
        sync_mail_path(store, box)
        rlug = CORPORA / "mime4j-messages" / "mbox" / "mbox.rlug.mbox"
        if rlug.is_file():
            sync_mail_path(store, rlug)
    finally:
        store.close()
    cli("goal", "set", "find a role in climate tech")
    cli("config", "set", "region", "GB")
    cli("edit", "Ana Costa", "--title", "Staff Engineer", "--birthday", "--03-14")
    cli("tag", "Ana Costa", "-a", "pycon", "-a", "friends")
    cli("note", "Ana Costa", "Moved to Lisbon in 2024; loves sardines")
    people = json.loads(cli("people", "--json").stdout)
    first, second = people[3]["id"], people[4]["id"]
    cli("merge", str(first), str(second))
    cli("draft", "Ana Costa", "-i", "ask", "--save")
    cli("log", "Ana Costa", "--medium", "call", "--note", "long chat about Lisbon")
    cli("plan")


@pytest.fixture
def second_db(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on the same backend as ``db_url``."""
    if not db_url.startswith("postgresql"):
        yield str(tmp_path / "restored.db")
        return
    import psycopg
    from psycopg import sql

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def exported(db: str) -> str:
    store = open_store(db)
    try:
        out = io.StringIO()
        export(store, "json", out)
        return out.getvalue()
    finally:
        store.close()


def test_restore_gives_back_exactly_what_was_exported(
    db_url: str,
    second_db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rich_account(db_url, tmp_path, Cli(db_url, capsys, monkeypatch))
    backup = exported(db_url)
    data = json.loads(backup)
    assert (data["format"], data["version"]) == ("rekindle-backup", 1)
    tables = {name: len(block["rows"]) for name, block in data["tables"].items()}
    for name in (
        "person",
        "interaction",
        "message",
        "outreach",
        "goal",
        "setting",
        "note",
        "tag",
        "person_edit",
        "merge_event",
        "plan_entry",
        "identity",
        "sync_source",
    ):
        assert tables[name] > 0, name
    texts = [r for r in data["tables"]["outreach"]["rows"] if any("long chat" in str(v) for v in r)]
    assert texts, "the outreach log keeps its texts"
    path = tmp_path / "backup.json"
    path.write_text(backup, encoding="utf-8")
    assert looks_like_backup(path)

    restored = Cli(second_db, capsys, monkeypatch)
    said = restored("import", str(path)).stdout
    assert f"restored {len(data['people'])} people" in said
    again = exported(second_db)
    assert again == backup
    ana = json.loads(restored("show", "Ana Costa", "--json").stdout)
    assert ana["edits"]["title"] == "Staff Engineer" and "pycon" in ana["tags"]

    refused = restored("import", str(path), check=False)
    assert refused.code == 1 and "already holds" in refused.stderr
    assert "Traceback" not in refused.stderr and exported(second_db) == backup
    # the restored account goes on working: new rows get new ids
    restored("note", "Ana Costa", "after the restore")
    if db_url.startswith("postgresql"):  # and a backup moves from one backend to the other
        on_sqlite = str(tmp_path / "moved.db")
        Cli(on_sqlite, capsys, monkeypatch)("import", str(path))
        assert exported(on_sqlite) == backup


def test_bad_backups_are_refused_in_one_line(tmp_path: Path, store: Store) -> None:
    newer = tmp_path / "newer.json"
    newer.write_text('{"format": "rekindle-backup", "version": 99, "tables": {}}')
    with pytest.raises(UserError, match="version 99 is newer"):
        restore_backup(store, newer)
    cut = tmp_path / "cut.json"
    cut.write_text('{"format": "rekindle-backup", "version": 1, "tables": {"person": ')
    assert looks_like_backup(cut)
    with pytest.raises(UserError, match="not a readable backup"):
        restore_backup(store, cut)
    alien = tmp_path / "alien.json"
    alien.write_text('{"format": "rekindle-backup", "version": 1, "tables": {"spaceship": {}}}')
    with pytest.raises(UserError, match="table 'spaceship' is unknown"):
        restore_backup(store, alien)
    assert not looks_like_backup(FIXTURES / "mail" / "gmail-takeout-envelope.mbox")
    broken = tmp_path / "broken.json"
    row = [1, "2026-01-01T00:00:00+00:00", None, False, None, "active", "2026-01-01T00:00:00+00:00"]
    columns = ["id", "created_at", "display_name", "is_me", "merged_into", "status", "updated_at"]
    broken.write_text(
        json.dumps(
            {
                "format": "rekindle-backup",
                "version": 1,
                "tables": {"person": {"columns": columns, "rows": [row]}},
            }
        )
    )
    with pytest.raises(UserError, match="the person rows cannot be restored"):
        restore_backup(store, broken)
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(person)).scalar() == 0


def test_a_backup_from_before_links_carried_group_sizes_restores(
    db_url: str, second_db: str, tmp_path: Path
) -> None:
    """Schema 0016 copied each interaction's group size onto its participants; a backup made
    before has no such column, and its links get the size of their interaction."""
    store = open_store(db_url)
    try:
        me_svc.add_address(store, ME)
        import_items(store, [contact(1, "Dana", DANA), contact(2, "Lee", LEE)], "c.vcf", "test")
        sync(store, mailbox())
    finally:
        store.close()
    data = json.loads(exported(db_url))
    links = data["tables"]["interaction_person"]
    at = links["columns"].index("group_size")
    assert {r[at] for r in links["rows"]} == {1, 2}  # one to one, and two others on a thread
    links["columns"].pop(at)
    for r in links["rows"]:
        r.pop(at)
    older = tmp_path / "older.json"
    older.write_text(json.dumps(data), encoding="utf-8")
    restored = open_store(second_db)
    try:
        restore_backup(restored, older)
        ip, i = interaction_person.c, interaction.c
        with restored.read() as conn:
            pairs = conn.execute(
                select(ip.group_size, i.group_size).join(interaction, i.id == ip.interaction_id)
            ).all()
    finally:
        restored.close()
    assert len(pairs) == len(links["rows"]) and all(a == b for a, b in pairs)
    assert {a for a, _ in pairs} == {1, 2}


def test_a_non_empty_account_is_refused_with_the_count_doctor_gives(
    tmp_path: Path, store: Store
) -> None:
    empty = str(tmp_path / "empty.db")
    open_store(empty).close()
    path = tmp_path / "backup.json"
    path.write_text(exported(empty), encoding="utf-8")
    import_items(store, [contact(1, "Ann Lee", "ann@example.org")], "contacts.vcf", "vcard")
    me_svc.set_name(store, "Robin Example")  # "me" is a person row, yet not one of your people
    with pytest.raises(UserError) as one:
        restore_backup(store, path)
    assert one.value.message.endswith("already holds 1 person")
    assert "\n" not in one.value.message and one.value.hint
    import_items(store, [contact(2, "Bo Chen", "bo@example.org")], "more.vcf", "vcard")
    with store.read() as conn:
        doctor_count = pq.count_people(conn, store.owner_id)
    with pytest.raises(UserError, match=f"already holds {doctor_count} people$"):
        restore_backup(store, path)
