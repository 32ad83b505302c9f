"""Whose LinkedIn export it is: the owner's profile URL found in the export itself."""

from __future__ import annotations

import zipfile
from pathlib import Path

from rekindle.services import me as me_svc
from rekindle.services.importing import import_path
from rekindle.sources.linkedin_owner import find_own_profile, profile_name
from rekindle.store import Store
from rekindle.store import mail as mq

FIXTURES = Path(__file__).parent / "fixtures" / "linkedin"
ME = "https://www.linkedin.com/in/me-myself"


def test_profile_csv_names_the_owner_on_the_messages(tmp_path: Path) -> None:
    export = FIXTURES / "linkedin-export"
    assert profile_name(export) == "me myself"
    found = find_own_profile(export)
    assert found is not None and found.url == ME and "Profile.csv" in found.evidence
    archive = tmp_path / "Complete_LinkedInDataExport.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("Profile.csv", "messages.csv"):
            zf.write(export / name, f"export/{name}")
    zipped = find_own_profile(archive)
    assert zipped is not None and zipped.url == ME


def test_the_url_on_every_message_is_the_owners() -> None:
    found = find_own_profile(FIXTURES / "messages-2025.csv")
    assert found is not None and found.url == ME and found.evidence.startswith("on 100% of")


def test_too_little_evidence_finds_nobody() -> None:
    assert find_own_profile(FIXTURES / "messages-13col-quoted.csv") is None  # two messages
    assert find_own_profile(FIXTURES / "linkedin-export-2018") is None  # names only
    assert find_own_profile(FIXTURES / "linkedin-export" / "Connections.csv") is None


def test_importing_an_export_adds_my_profile_once(store: Store) -> None:
    report = import_path(store, FIXTURES / "linkedin-export")
    assert [n.message.split(" was found")[0] for n in report.notices if ME in n.message] == [
        f"your LinkedIn profile {ME}"
    ]
    with store.read() as conn:
        assert ME in mq.my_addresses(conn, store.owner_id)
    again = import_path(store, FIXTURES / "linkedin-export")
    assert not [n for n in again.notices if ME in n.message]
    me_svc.remove_address(store, ME)
    with store.read() as conn:
        assert ME not in mq.my_addresses(conn, store.owner_id)
