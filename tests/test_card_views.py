"""Three-way reconciliation of a card and a person, and patching a server's card in place."""

from __future__ import annotations

from rekindle.exporters.vcard_patch import CardPatchError, patch_card
from rekindle.identity.card_views import changed_fields, reconcile, tidy

BASE = tidy({"name": "Ann Lee", "emails": ["ann@a.org"], "title": "Engineer", "organisation": "X"})


def test_one_sided_changes_never_conflict() -> None:
    phone = {**BASE, "title": "Manager"}
    mine = {**BASE, "organisation": "Globex"}
    found = reconcile(BASE, phone, BASE, mine)
    assert found.conflicts == {}
    assert found.push == {"organisation": "Globex"}
    assert found.pulled == {"title"}


def test_lists_merge_by_element() -> None:
    phone = {**BASE, "emails": ["ann@a.org", "ann@phone.org"]}
    mine = {**BASE, "emails": ["ann@mine.org"]}
    found = reconcile(BASE, phone, BASE, mine)
    assert found.push == {"emails": (["ann@mine.org"], ["ann@a.org"])}
    assert found.conflicts == {}


def test_same_field_changed_both_ways_is_a_conflict_until_a_side_is_chosen() -> None:
    phone, mine = {**BASE, "title": "CTO"}, {**BASE, "title": "CEO"}
    assert reconcile(BASE, phone, BASE, mine).conflicts == {"title": ("CEO", "CTO")}
    assert reconcile(BASE, phone, BASE, mine, "mine").push == {"title": "CEO"}
    theirs = reconcile(BASE, phone, BASE, mine, "theirs")
    assert theirs.push == {} and theirs.conflicts == {}
    same = {**BASE, "title": "CTO"}  # both made the same change: nothing to do
    assert reconcile(BASE, phone, BASE, same).conflicts == {}


def test_an_empty_baseline_means_no_change() -> None:
    assert changed_fields({}, BASE) == set()
    assert changed_fields(BASE, {**BASE, "birthday": "--03-15"}) == {"birthday"}


CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u1\r\nFN:Ann Lee\r\nN:Lee;Ann;;;\r\n"
    "item1.EMAIL;TYPE=INTERNET,HOME:ann@a.org\r\nitem1.X-ABLabel:private\r\n"
    "TEL;TYPE=CELL:+1 212 555 0100\r\nORG:Initech\r\nTITLE:Engineer\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\n AAAAAAAAA==\r\nEND:VCARD\r\n"
)


def test_patch_changes_only_what_changed() -> None:
    text = patch_card(
        CARD,
        {
            "title": "CTO",
            "phones": (["+442079460958"], ["+12125550100"]),
            "emails": (["ann@new.org"], []),
            "name": "Ann Lee-Smith",
            "birthday": "--03-15",
        },
    )
    assert "TITLE:CTO" in text and "TITLE:Engineer" not in text
    assert "+1 212 555 0100" not in text and "TEL:+442079460958" in text
    assert "item1.EMAIL;TYPE=INTERNET,HOME:ann@a.org\r\nitem1.X-ABLabel:private" in text
    assert "EMAIL;TYPE=INTERNET:ann@new.org" in text
    assert "FN:Ann Lee-Smith" in text and "N:Lee-Smith;Ann;;;" in text
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-15" in text
    assert "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\n AAAAAAAAA==" in text
    assert text.startswith("BEGIN:VCARD\r\n") and text.endswith("END:VCARD\r\n")
    assert "ORG:Initech" in text


def test_patch_removes_a_field_emptied_in_rekindle() -> None:
    text = patch_card(CARD, {"organisation": None})
    assert "ORG:" not in text and "TITLE:Engineer" in text


def test_patch_refuses_what_is_not_one_card() -> None:
    try:
        patch_card("BEGIN:VCARD\r\nFN:x\r\n", {"title": "x"})
    except CardPatchError as exc:
        assert "not one complete vCard" in str(exc)
    else:
        raise AssertionError("an unterminated card was patched")


def test_a_field_missing_from_an_older_baseline_is_no_change() -> None:
    old = {k: v for k, v in BASE.items() if k != "tags"}
    assert changed_fields(old, {**BASE, "tags": ["Friends"]}) == set()
    assert changed_fields(BASE, {**BASE, "tags": ["Friends"]}) == {"tags"}
    found = reconcile(old, {**BASE, "tags": ["A"]}, old, {**BASE, "tags": ["B"]})
    assert (found.push, found.pulled) == ({}, set())


def test_tags_merge_by_element_and_patch_keeps_the_servers_own() -> None:
    base = {**BASE, "tags": ["Friends", "Book club"]}
    phone = {**BASE, "tags": ["Friends", "Book club", "Climbing"]}
    mine = {**BASE, "tags": ["Book club", "Mentor"]}
    found = reconcile(base, phone, base, mine)
    assert found.push == {"tags": (["Mentor"], ["Friends"])} and found.conflicts == {}
    card = CARD.replace(
        "END:VCARD",
        "CATEGORIES:Friends,Book club\r\nCATEGORIES:myContacts,Climbing\\, too\r\nEND:VCARD",
    )
    text = patch_card(card, found.push)
    assert text.count("CATEGORIES") == 1
    assert "CATEGORIES:Book club,myContacts,Climbing\\, too,Mentor\r\n" in text
    assert "PHOTO;ENCODING=b" in text
    emptied = patch_card(
        card, {"tags": ([], ["Friends", "Book club", "myContacts", "Climbing, too"])}
    )
    assert "CATEGORIES" not in emptied and emptied.endswith("END:VCARD\r\n")


def test_patching_a_4_0_card_writes_a_4_0_birthday() -> None:
    card = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann Lee\r\nBDAY:19800101\r\nEND:VCARD\r\n"
    text = patch_card(card, {"birthday": "--03-15"})
    assert "BDAY:--0315\r\n" in text and "19800101" not in text
    assert "BDAY:1981-03-15\r\n" in patch_card(card, {"birthday": "1981-03-15"})
