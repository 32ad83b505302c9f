"""The subjects the goal reads of each person, read for everyone at once: their personal
mail's, newest first, each once (a thread's "Re:" included), never group mail or the outreach
log, at most 40."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from rekindle.history.mail_subjects import SUBJECTS_EACH
from rekindle.store import Store
from rekindle.store.history import insert_interaction
from rekindle.store.schema import person
from rekindle.store.subject_columns import subjects_of_everyone
from rekindle.store.tie_columns import contact_columns_of_everyone

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def test_each_person_s_subjects_newest_first_each_once(store: Store) -> None:
    owner = store.owner_id
    with store.begin() as conn:
        ann, bob = (
            conn.execute(
                insert(person).values(
                    owner_id=owner, display_name=name, created_at=NOW, updated_at=NOW
                )
            ).inserted_primary_key[0]
            for name in ("Ann", "Bob")
        )
        mail = [  # (whom, subject, days ago, recipients, source)
            (ann, "Robotics meetup", 30, 1, "mail"),
            (ann, "Re: Robotics meetup", 3, 1, "mail"),
            (ann, "Fwd: Payments API", 10, 1, "mail"),
            (ann, "All hands", 1, 9, "mail"),  # group mail
            (ann, "Our chat", 2, 1, "outreach"),  # the outreach log's own words
            (ann, "   ", 5, 1, "mail"),
            (bob, "Berlin trip", 50, 1, "mail"),
            *((bob, f"Note {i}", 100 + i, 1, "mail") for i in range(SUBJECTS_EACH + 5)),
        ]
        for i, (pid, subject, days, size, source) in enumerate(mail):
            insert_interaction(
                conn, owner, source=source, natural_key=f"m{i}",
                occurred_at=NOW - timedelta(days=days), channel="email", direction="in",
                subject=subject, thread=None, group_size=size, import_id=None,
                participants=[(pid, "email", f"p{pid}@example.com")],
            )  # fmt: skip
    with store.read() as conn:
        links = contact_columns_of_everyone(conn, owner, threads=False)
        subjects = subjects_of_everyone(conn, owner, links)
        found = subjects.as_dict()
        assert found[ann] == ["Robotics meetup", "Payments API"]
        assert found[bob][:3] == ["Berlin trip", "Note 0", "Note 1"]
        assert len(found[bob]) == SUBJECTS_EACH
        assert subjects.of(ann) == found[ann] and subjects.of(10**9) == []
        # each text once however many share it; nobody else's mail
        assert len(set(subjects.texts)) == len(subjects.texts)
        assert subjects_of_everyone(conn, owner + 1, links).as_dict() == {}
