"""Video calls: a medium you can prefer, draft and log, suggested for close ties far away."""

from __future__ import annotations

from datetime import UTC, datetime

from rekindle.identity.records import AddressRecord, ContactRecord, RawIdentity
from rekindle.services import people as people_svc
from rekindle.services.importing import import_items
from rekindle.services.places import far_away
from rekindle.services.settings import change
from rekindle.store import Store

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def _person(
    uid: str, name: str, *, country: str | None = None, city: str | None = None
) -> ContactRecord:
    return ContactRecord(
        "vcard", f"t.vcf:{uid}", name, source_id=uid, full_name=name,
        identities=[RawIdentity("email", f"{uid}@example.org")],
        addresses=[AddressRecord(city=city, country=country)] if (city or country) else [],
    )  # fmt: skip


def test_far_away_needs_evidence(store: Store) -> None:
    import_items(
        store,
        [
            _person("de", "In Berlin", country="Germany", city="Berlin"),
            _person("uk", "In Leeds", country="United Kingdom", city="Leeds"),
            _person("ldn", "In London", country="GB", city="London"),
            _person("none", "Nowhere known"),
        ],
        "t.vcf",
        "vcard",
    )
    with store.read() as conn:
        ids = {
            ref: people_svc.resolve_person(conn, store.owner_id, f"{ref}@example.org")
            for ref in ("de", "uk", "ldn", "none")
        }
        assert far_away(conn, store.owner_id, list(ids.values())) == set()  # you: unknown
    change(store, "region", "GB")
    with store.read() as conn:
        assert far_away(conn, store.owner_id, list(ids.values())) == {ids["de"]}
    people_svc.edit(store, "ldn@example.org", {"country": "US"}, [], [])
    with store.read() as conn:
        assert far_away(conn, store.owner_id, list(ids.values())) == {ids["de"], ids["ldn"]}


def test_video_is_a_medium_to_prefer(store: Store) -> None:
    import_items(store, [_person("de", "In Berlin", country="DE")], "t.vcf", "vcard")
    view = people_svc.edit(store, "de@example.org", {"medium": "Video"}, [], [])
    assert view.edits["medium"] == "video"
