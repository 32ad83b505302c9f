"""Migration 0010 repairs a database whose mail and calendars stored addresses as written.

The broken state is made the way the old code made it: a contact holds ``mariag@gmail.com``
(the key of ``maria.g@gmail.com``), the stored messages and meetings hold the address as
written, and a sync made a second "Maria" from the mail alone, with no history. Opened by
today's code, the database has one Maria with the whole history.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, update

from rekindle.config import resolve_location
from rekindle.identity.records import ContactRecord, RawIdentity
from rekindle.services import me as me_svc
from rekindle.services import merging
from rekindle.services import people as people_svc
from rekindle.services.address_repair import describe, repair_pending
from rekindle.services.importing import add_contacts_in, import_path
from rekindle.services.sync_calendar import sync_calendar_path
from rekindle.services.sync_files import sync_mail_path
from rekindle.store import open_store
from rekindle.store.database import make_engine, migrate
from rekindle.store.schema import interaction, interaction_person, person, setting
from rekindle.store.schema_history import meeting, meeting_attendee, message, message_address
from tests.test_address_contract import ME, _calendar, _mbox

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def back_to_before_the_keys(db_url: str) -> None:
    """The database as the version before migration 0010 left it: the later migrations undone
    (their tables and columns go), so an upgrade runs them all again, as on a user's machine."""
    from alembic import command

    from rekindle.store.database import _alembic_config

    engine = make_engine(resolve_location(db_url))
    try:
        with engine.connect() as conn:
            command.downgrade(_alembic_config(conn), "0009")
            conn.commit()
    finally:
        engine.dispose()


def _broken(db_url: str, tmp: Path) -> int:
    """A database in the state the old keying left; the shadow person's id."""
    store = open_store(db_url)
    try:
        me_svc.add_address(store, ME)
        vcf = tmp / "maria.vcf"
        vcf.write_text(
            "BEGIN:VCARD\nVERSION:3.0\nFN:Maria Gomez\nEMAIL:maria.g@gmail.com\nEND:VCARD\n"
        )
        import_path(store, vcf, now=NOW)
        sync_mail_path(store, _mbox(tmp), now=NOW)
        sync_calendar_path(store, _calendar(tmp), now=NOW)
        with store.begin() as conn:
            for table, column in (
                (message_address, message_address.c.address),
                (message, message.c.sender),
                (meeting_attendee, meeting_attendee.c.address),
            ):
                conn.execute(
                    update(table)
                    .where(column == "mariag@gmail.com")
                    .values({column.name: "maria.g@gmail.com"})
                )
            conn.execute(interaction_person.delete().where(interaction_person.c.person_id != 0))
            conn.execute(interaction.delete())
            # the old sync met "maria.g@gmail.com" as nobody and made her a person afresh
            record = ContactRecord(
                source="mail",
                locator="mail:maria.g@gmail.com",
                payload="Maria Gomez <maria.g@gmail.com>",
                source_id="mail:maria.g@gmail.com",
                full_name="Maria Gomez",
                identities=[RawIdentity("email", "maria.g@gmail.com")],
            )
            add_contacts_in(conn, store.owner_id, [record], "mail", "mail", None, NOW, fresh=True)
            shadow = conn.execute(select(func.max(person.c.id))).scalar_one()
        assert len(people_svc.list_people(store, "Maria")) == 2
    finally:
        store.close()
    back_to_before_the_keys(db_url)
    return int(shadow)


def test_the_upgrade_merges_the_shadow_and_links_the_history(db_url: str, tmp_path: Path) -> None:
    shadow = _broken(db_url, tmp_path)
    engine = make_engine(resolve_location(db_url))
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(select(meeting.c.id)).first() is None  # to be read again
        stored = set(conn.execute(select(message_address.c.address)).scalars())
        assert "mariag@gmail.com" in stored and "maria.g@gmail.com" not in stored
    engine.dispose()
    store = open_store(db_url)
    try:
        repairs = repair_pending(store, NOW)
        assert [len(r.merged) for r in repairs] == [1]
        assert repairs[0].merged[0][1] == shadow
        assert "merged 1 duplicate person (maria.g@gmail.com)" in describe(repairs[0])
        assert "1 meeting to read again" in describe(repairs[0])
        maria = people_svc.list_people(store, "Maria")
        assert len(maria) == 1
        assert people_svc.show(store, "maria.g@gmail.com").interactions == 2
        sync_calendar_path(store, _calendar(tmp_path), now=NOW)
        assert people_svc.show(store, "maria.g@gmail.com").interactions == 3
        assert repair_pending(store, NOW) == []  # once
        with store.read() as conn:
            assert (
                conn.execute(select(setting).where(setting.c.key.like("identity.%"))).first()
                is None
            )
        # a recorded merge: it can be undone
        merging.unmerge(store, str(maria[0]["id"]))
        assert len(people_svc.list_people(store, "Maria")) == 2
    finally:
        store.close()


def test_a_pair_the_user_kept_apart_stays_apart(db_url: str, tmp_path: Path) -> None:
    shadow = _broken(db_url, tmp_path)
    store = open_store(db_url)  # upgrades
    try:
        keep = min(p["id"] for p in people_svc.list_people(store, "Maria"))
        with store.begin() as conn:
            from rekindle.store import merges

            merges.block_pair(conn, store.owner_id, keep, shadow, "you said no", NOW)
        repairs = repair_pending(store, NOW)
        assert repairs and repairs[0].merged == []
        assert len(people_svc.list_people(store, "Maria")) == 2
    finally:
        store.close()


def test_a_series_counted_once_is_counted_again_after_the_upgrade(
    db_url: str, tmp_path: Path
) -> None:
    from tests.test_ics_series import KHAL, _maria, _with_people

    now = datetime(2013, 1, 1, tzinfo=UTC)
    store = open_store(db_url)
    try:
        _maria(store, tmp_path)
        ics = _with_people(KHAL, tmp_path)
        sync_calendar_path(store, ics, now=now)
        with store.begin() as conn:  # as the old code stored it: one interaction, the last
            rows = (
                conn.execute(select(interaction.c.id).order_by(interaction.c.occurred_at))
                .scalars()
                .all()
            )
            conn.execute(interaction.delete().where(interaction.c.id.in_(rows[:-1])))
            conn.execute(
                update(interaction)
                .where(interaction.c.id == rows[-1])
                .values(natural_key="ics:5624b646-ba12-4dbd-ba9f-8d66319b0776", thread=None)
            )
        assert people_svc.show(store, "maria@example.org").interactions == 1
    finally:
        store.close()
    back_to_before_the_keys(db_url)
    store = open_store(db_url)
    try:
        [repair] = repair_pending(store, now)
        assert "1 meeting to read again" in describe(repair)
        assert people_svc.show(store, "maria@example.org").interactions == 1  # until then
        sync_calendar_path(store, ics, now=now)
        assert people_svc.show(store, "maria@example.org").interactions == 6
    finally:
        store.close()
