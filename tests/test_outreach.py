"""Drafts for a real person, the outreach log, the duplicate-outreach lock and reply detection,
on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rekindle.errors import NotFoundError, UserError
from rekindle.history.tie_features import tie_features
from rekindle.services import drafting, merging, timeline
from rekindle.services import me as me_svc
from rekindle.services import outreach as svc
from rekindle.services.importing import import_path
from rekindle.services.suggestion_parts import opener
from rekindle.services.sync_files import sync_mail_path
from rekindle.store import Store
from rekindle.store import outreach as oq
from rekindle.store.recall import last_subject
from rekindle.store.settings import put_setting
from tests.conftest import FIXTURES

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)

ANA_VCF = """BEGIN:VCARD
VERSION:3.0
UID:ana-1
FN:Ana Costa
N:Costa;Ana;;;
NICKNAME:Annie
EMAIL;type=INTERNET:ana.costa@example.com
TEL;type=CELL:+44 20 7946 0018
ORG:Acme Corp;
TITLE:Engineer
NOTE:Met at PyCon 2019
END:VCARD
BEGIN:VCARD
VERSION:3.0
UID:bob-1
FN:Bob Jones
EMAIL:bob@example.org
END:VCARD
"""

#: Ana answers a message of ours from an address we do not know yet, quoting its Message-ID
REPLY_BY_THREAD = """From ana@newjob.example Mon Jun 02 09:00:00 2025
From: Ana Costa <ana@newjob.example>
To: Robin Example <robin@example.org>
Date: Mon, 02 Jun 2025 09:00:00 +0000
Message-ID: <reply-1@newjob.example>
In-Reply-To: <out-1@example.org>
References: <out-1@example.org>
Subject: Re: Thinking of our Acme days

So good to hear from you!

"""


def add_people(store: Store, tmp_path: Path) -> Store:
    """Ana and Bob from a vCard; me with an address, a name and my years at Acme."""
    vcf = tmp_path / "contacts.vcf"
    vcf.write_text(ANA_VCF, encoding="utf-8")
    import_path(store, vcf, now=NOW)
    me_svc.add_address(store, "robin@example.org")
    me_svc.set_name(store, "Robin Example")
    me_svc.add_affiliation(store, "ACME Corp.", "Designer", "2014", "2019")
    me_svc.add_affiliation(store, "Globex", "CTO", "2020", None)
    return store


@pytest.fixture
def people(store: Store, tmp_path: Path) -> Store:
    return add_people(store, tmp_path)


def sync_fixture_mail(store: Store, tmp_path: Path) -> None:
    box = tmp_path / "inbox.mbox"
    shutil.copy(FIXTURES / "mail" / "gmail-takeout-envelope.mbox", box)
    sync_mail_path(store, box)


def test_facts_come_from_the_store(people: Store, tmp_path: Path) -> None:
    sync_fixture_mail(people, tmp_path)
    _, facts = drafting.facts_for(people, "Ana", now=NOW)
    assert (facts.full_name, facts.first_name, facts.my_name) == (
        "Ana Costa",
        "Ana",
        "Robin Example",
    )
    assert [s.organisation for s in facts.shared] == ["Acme Corp"]
    assert facts.my_role == "CTO at Globex"
    assert facts.last_thread is not None and facts.last_thread.subject == "Re: Lunch next week?"
    assert facts.last_thread.direction == "out"
    assert "Met at PyCon 2019" in facts.notes
    assert facts.email == "ana.costa@example.com" and facts.phone
    assert facts.last_contact is not None and facts.last_contact.year == 2016
    assert facts.gap == "over eight years" and facts.long_gap
    assert "Annie" in facts.other_names
    assert facts.value_first == 0 and not facts.once_warm


def test_a_bare_re_or_a_crowd_is_no_thread_to_recall(people: Store, tmp_path: Path) -> None:
    """Later mail whose subject is only "Re:" or "RE: FW:", or that went to seven people, is
    not a thread you shared: drafts and the plan's opener go back to the last subject with
    words in it (the opener without its "Re:")."""
    box = tmp_path / "inbox.mbox"
    shutil.copy(FIXTURES / "mail" / "gmail-takeout-envelope.mbox", box)
    with box.open("a", encoding="utf-8") as fh:
        for day, subject in ((20, "Re:"), (21, "RE: FW: ")):
            fh.write(
                f"\nFrom x Mon Sep {day} 10:00:00 2016\nFrom: Ana Costa <ana.costa@example.com>\n"
                f"To: robin@example.org\nDate: Tue, {day} Sep 2016 10:00:00 +0000\n"
                f"Message-ID: <bare-{day}@x>\nSubject: {subject}\n\nsee attached\n"
            )
        crowd = ", ".join(f"p{i}@example.com" for i in range(6))
        fh.write(
            "\nFrom x Thu Sep 22 10:00:00 2016\nFrom: robin@example.org\n"
            f"To: ana.costa@example.com, {crowd}\nDate: Thu, 22 Sep 2016 10:00:00 +0000\n"
            "Message-ID: <crowd@x>\nSubject: All hands on Friday\n\nbe there\n"
        )
    sync_mail_path(people, box)
    _, facts = drafting.facts_for(people, "Ana", now=NOW)
    assert facts.last_thread is not None and facts.last_thread.subject == "Re: Lunch next week?"
    with people.read() as conn:
        last = last_subject(conn, int(drafting.facts_for(people, "Ana", now=NOW)[0]))
    said = opener("Ana Costa", None, [], last, tie_features([], NOW))
    assert said == "Pick up from \u201cLunch next week?\u201d (Sep 2016) and ask how it turned out."


def test_a_draft_for_ana_passes_the_checks(people: Store, tmp_path: Path) -> None:
    sync_fixture_mail(people, tmp_path)
    for medium in ("email", "linkedin", "sms", "call"):
        result = drafting.draft_for(
            people, "ana.costa@example.com", drafting.DraftRequest("catch-up", medium), now=NOW
        )
        assert result.findings == [], (medium, result.draft.text())
        assert result.person == "Ana Costa" and result.variants
    email = drafting.draft_for(people, "Ana", drafting.DraftRequest(), now=NOW).draft
    assert email.subject and "Acme Corp" in email.body and "over eight years" in email.body
    assert email.body.endswith("Robin")


def test_sparse_person_drafts_without_placeholders(people: Store) -> None:
    result = drafting.draft_for(people, "Bob", drafting.DraftRequest("thank", "linkedin"), now=NOW)
    assert [f.code for f in result.findings] == ["no-personal-reference"]
    assert "[" not in result.draft.body and "{" not in result.draft.body
    assert result.draft.body.startswith("Hi Bob!")


def test_an_ask_is_flagged_until_two_value_first_exchanges(people: Store) -> None:
    ask = drafting.DraftRequest("ask", "email")
    codes = lambda r: [f.code for f in r.findings]  # noqa: E731
    assert "ask-too-soon" in codes(drafting.draft_for(people, "Ana", ask, now=NOW))
    svc.log_outreach(people, "Ana", "call", "caught up", at=NOW - timedelta(days=60), now=NOW)
    svc.log_outreach(
        people, "Ana", "email", "sent the article", "share", at=NOW - timedelta(days=20), now=NOW
    )
    assert "ask-too-soon" not in codes(drafting.draft_for(people, "Ana", ask, now=NOW))
    allowed = drafting.DraftRequest("ask", "email", allow_ask=True)
    assert "ask-too-soon" not in codes(drafting.draft_for(people, "Bob", allowed, now=NOW))


def test_check_text_with_and_without_a_person(people: Store) -> None:
    text = "Subject: Hi\n\nHi Maria, I hope this email finds you well. Just checking in."
    name, found = drafting.check_text(people, text, "email", None, "Ana", now=NOW)
    assert name == "Ana Costa"
    assert {"wrong-name", "generic-filler", "no-personal-reference"} <= {f.code for f in found}
    name, found = drafting.check_text(None, text, "email")
    assert name is None and {f.code for f in found} == {"generic-filler"}


def test_logged_call_is_an_interaction_and_a_delivery(people: Store) -> None:
    done = svc.log_outreach(people, "Ana", "call", "long chat about her new job", now=NOW)
    assert done.status == "logged" and done.person == "Ana Costa"
    with people.read() as conn:
        assert oq.last_delivered(conn, people.owner_id) == {done.person_id: NOW}
        assert oq.awaiting_reply(conn, people.owner_id) == {}
    t = timeline.timeline(people, "Ana")
    assert t.events[0]["channel"] == "call" and t.events[0]["direction"] == "both"
    assert t.stats is not None and t.stats["last_contact"] == NOW
    [row] = svc.list_log(people, "Ana")
    assert row["note"] == "long chat about her new job" and row["status"] == "logged"


def test_the_duplicate_outreach_lock(people: Store) -> None:
    first = svc.log_outreach(
        people, "Ana", "coffee", "coffee at the station", at=NOW - timedelta(days=10), now=NOW
    )
    with pytest.raises(UserError) as refused:
        svc.log_outreach(people, "Ana", "linkedin", "liked her post", now=NOW)
    assert f"on {first.at:%Y-%m-%d}" in refused.value.message and "30 days" in refused.value.message
    assert refused.value.hint and "--force" in refused.value.hint
    forced = svc.log_outreach(people, "Ana", "linkedin", "liked her post", force=True, now=NOW)
    assert forced.id != first.id
    # another person is not locked; after the window Ana is free again
    svc.log_outreach(people, "Bob", "sms", None, now=NOW)
    svc.log_outreach(
        people, "Ana", "email", None, at=NOW + timedelta(days=31), now=NOW + timedelta(days=31)
    )
    # the window comes from the setting shared with the plan
    with people.begin() as conn:
        put_setting(conn, people.owner_id, "plan.lock_days", "90")
    with pytest.raises(UserError, match="within 90 days"):
        svc.log_outreach(
            people, "Bob", "call", None, at=NOW + timedelta(days=60), now=NOW + timedelta(days=60)
        )


def test_a_draft_does_not_lock_but_sending_it_does(people: Store) -> None:
    result = drafting.draft_for(
        people,
        "Ana",
        drafting.DraftRequest("congratulate", "email", occasions=("new role at Initech",)),
        now=NOW,
    )
    draft_id = svc.save_draft(people, result.person_id, result.draft, now=NOW)
    second = svc.save_draft(people, result.person_id, result.draft, now=NOW)
    shown = svc.show(people, draft_id)
    assert shown["status"] == "draft" and shown["subject"] == result.draft.subject
    assert "Initech" in shown["body"]
    with pytest.raises(UserError, match="in the future"):
        svc.mark_sent(people, draft_id, at=NOW + timedelta(days=30), now=NOW)
    assert svc.show(people, draft_id)["status"] == "draft"
    sent = svc.mark_sent(people, draft_id, message_id="<out-9@example.org>", now=NOW)
    assert sent.status == "sent"
    shown = svc.show(people, draft_id)
    assert (
        shown["sent_at"] and shown["follow_up_due"] and shown["message_id"] == "out-9@example.org"
    )
    with people.read() as conn:
        assert oq.awaiting_reply(conn, people.owner_id) == {result.person_id: NOW}
    with pytest.raises(UserError, match="within 30 days"):
        svc.mark_sent(people, second, now=NOW + timedelta(days=1))
    with pytest.raises(UserError, match="not a draft"):
        svc.mark_sent(people, draft_id, now=NOW)
    svc.mark(people, draft_id, "declined", "not looking to chat now", now=NOW)
    assert svc.show(people, draft_id)["closed_at"]
    svc.discard(people, second)
    with pytest.raises(NotFoundError):
        svc.show(people, second)


def test_replies_are_found_on_the_next_sync(people: Store, tmp_path: Path) -> None:
    # a message sent before Ana's mail of 16 September 2016 arrives
    result = drafting.draft_for(people, "Ana", drafting.DraftRequest(), now=NOW)
    early = svc.save_draft(people, result.person_id, result.draft)
    svc.mark_sent(
        people, early, at=datetime(2016, 9, 10, tzinfo=UTC), now=datetime(2016, 9, 10, tzinfo=UTC)
    )
    # one sent after everything in the mailbox: no reply yet
    bob = drafting.draft_for(people, "Bob", drafting.DraftRequest(), now=NOW)
    late = svc.save_draft(people, bob.person_id, bob.draft)
    svc.mark_sent(people, late, at=NOW, now=NOW)
    box = tmp_path / "inbox.mbox"
    shutil.copy(FIXTURES / "mail" / "gmail-takeout-envelope.mbox", box)
    report = sync_mail_path(people, box, now=NOW + timedelta(days=1))
    assert report.replies == 1 and "1 reply to your outreach" in report.summary()
    replied = svc.show(people, early)
    assert replied["status"] == "replied"
    assert replied["replied_at"].startswith("2016-09-16T22:26:49")
    assert svc.show(people, late)["status"] == "sent"
    # a sync after the follow-up window (twice followup.days, no follow-up sent) closes it
    sync_mail_path(people, box, now=NOW + timedelta(days=21))
    closed = svc.show(people, late)
    assert closed["status"] == "no-reply" and closed["closed_at"].startswith("2025-06-22")
    assert svc.show(people, early)["status"] == "replied"


def test_a_reply_quoting_the_message_id_counts_from_an_unknown_address(
    people: Store, tmp_path: Path
) -> None:
    result = drafting.draft_for(people, "Ana", drafting.DraftRequest(), now=NOW)
    oid = svc.save_draft(people, result.person_id, result.draft)
    svc.mark_sent(people, oid, at=NOW, message_id="<out-1@example.org>", now=NOW)
    box = tmp_path / "reply.mbox"
    box.write_text(REPLY_BY_THREAD, encoding="utf-8")
    sync_mail_path(people, box)
    shown = svc.show(people, oid)
    assert shown["status"] == "replied" and shown["replied_at"].startswith("2025-06-02T09:00")


def test_outreach_follows_a_merge(people: Store) -> None:
    done = svc.log_outreach(people, "Bob", "call", None, now=NOW)
    ana = svc.log_outreach(people, "Ana", "call", None, now=NOW).person_id
    merging.merge(people, str(ana), str(done.person_id))
    with people.read() as conn:
        assert set(oq.last_delivered(conn, people.owner_id)) == {ana}
    with pytest.raises(UserError, match="30 days"):
        svc.log_outreach(people, str(ana), "sms", None, now=NOW)


def test_log_errors_are_user_errors(people: Store) -> None:
    with pytest.raises(UserError, match="unknown medium"):
        svc.log_outreach(people, "Ana", "pigeon", None, now=NOW)
    with pytest.raises(UserError, match="unknown intent"):
        svc.log_outreach(people, "Ana", "call", None, "sell", now=NOW)
    with pytest.raises(UserError, match="future"):
        svc.log_outreach(people, "Ana", "call", None, at=NOW + timedelta(days=2), now=NOW)
    with pytest.raises(NotFoundError):
        svc.log_outreach(people, "Nobody Here", "call", None, now=NOW)
    with pytest.raises(UserError) as bad:
        svc.mark(people, 1, "sent")
    assert bad.value.hint == "one of: replied, no-reply, declined"


def test_their_news_comes_from_stored_life_events(people: Store) -> None:
    from rekindle.engine.occasions import Occasion
    from rekindle.store.occasions import save_occasion

    pid, _ = drafting.facts_for(people, "Ana", now=NOW)
    today = NOW.date()
    with people.begin() as conn:
        for occ in (
            Occasion(
                "new-role",
                "new-role:initech:1",
                today - timedelta(days=5),
                "now Head of Product at Initech, was Engineer (vCard, 27 May 2025)",
                "vcard",
            ),
            Occasion(
                "new-job", "new-job:old:1", today - timedelta(days=400), "joined Oldco", "vcard"
            ),
            Occasion("new-job", "new-job:done:1", today, "joined Doneco", "vcard", handled=True),
            Occasion("moved", "moved:1", today, "moved from Porto to Lisbon", "vcard"),
        ):
            save_occasion(conn, people.owner_id, pid, occ, NOW)
    _, facts = drafting.facts_for(people, "Ana", occasions=["a new baby"], now=NOW)
    assert facts.occasions == ("a new baby", "now Head of Product at Initech")
    result = drafting.draft_for(
        people, "Ana", drafting.DraftRequest("congratulate", "linkedin"), now=NOW
    )
    assert "now Head of Product at Initech" in result.draft.body and result.findings == []
