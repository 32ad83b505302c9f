"""The CardDAV client against real servers (Radicale, Xandikos) on loopback ports."""

from __future__ import annotations

import pytest

from rekindle.transport.carddav import (
    CardDavAuthError,
    CardDavClient,
    CardDavError,
    PreconditionFailed,
)
from tests import carddav_servers
from tests.carddav_servers import PASSWORD, USER, DavServer, vcard

dav_server = carddav_servers.dav_server
password_server = carddav_servers.password_server


def test_discovery_finds_the_book_from_server_principal_or_book(dav_server: DavServer) -> None:
    somewhere = f"{dav_server.base}/not/here/"  # found through /.well-known/carddav
    for url in (
        dav_server.base + "/",
        f"{dav_server.base}/{USER}/",
        dav_server.book_url,
        somewhere,
    ):
        with CardDavClient(url, USER, PASSWORD) as client:
            books = client.discover()
        assert [b.path for b in books] == [dav_server.book_url.removeprefix(dav_server.base)]
        assert books[0].sync_token


def test_changes_by_sync_token_and_by_etags(dav_server: DavServer) -> None:
    dav_server.put_card("a.vcf", vcard("uid-a", "Ann Lee", email="ann@example.org"))
    with CardDavClient(dav_server.book_url, USER, PASSWORD) as client:
        (book,) = client.discover()
        first = client.changes(book, None)
        assert first.complete and [p.rsplit("/", 1)[1] for p in first.changed] == ["a.vcf"]
        dav_server.put_card("b.vcf", vcard("uid-b", "Bo Kim"))
        dav_server.delete_card("a.vcf")
        later = client.changes(book, first.token)
        assert not later.complete
        assert [p.rsplit("/", 1)[1] for p in later.changed] == ["b.vcf"]
        assert [p.rsplit("/", 1)[1] for p in later.deleted] == ["a.vcf"]
        listing = client.all_etags(book)
        assert list(listing.changed) == list(later.changed) and listing.complete
        (card,) = client.fetch(book, list(later.changed))
        assert "UID:uid-b" in card.data and card.etag == later.changed[card.path]


def test_writes_are_conditional(dav_server: DavServer) -> None:
    dav_server.put_card("a.vcf", vcard("uid-a", "Ann Lee"))
    with CardDavClient(dav_server.book_url, USER, PASSWORD) as client:
        (book,) = client.discover()
        (card,) = client.fetch(book, list(client.changes(book, None).changed))
        dav_server.put_card("a.vcf", vcard("uid-a", "Ann Lee-Phone"))  # the phone writes first
        with pytest.raises(PreconditionFailed):
            client.put(card.path, card.data.replace("Ann Lee", "Ann Rekindle"), card.etag)
        with pytest.raises(PreconditionFailed):
            client.put(card.path, card.data, None)  # "create" must not overwrite
        fresh = client.get(card.path)
        assert fresh is not None and "Ann Lee-Phone" in fresh.data
        etag = client.put(card.path, fresh.data.replace("Phone", "Both"), fresh.etag)
        assert etag and etag != fresh.etag
        with pytest.raises(PreconditionFailed):
            client.delete(card.path, fresh.etag)
        client.delete(card.path, etag)
    assert dav_server.get_card("a.vcf") is None


def test_wrong_password_is_one_clear_line(password_server: DavServer) -> None:
    client = CardDavClient(password_server.book_url, USER, "wrong")
    with client, pytest.raises(CardDavAuthError) as info:
        client.discover()
    assert str(info.value) == f"127.0.0.1 refused the user name or password for {USER}"


def test_a_dead_server_is_one_clear_line(dav_server: DavServer) -> None:
    dav_server.kill()
    client = CardDavClient(dav_server.book_url, USER, PASSWORD, timeout=3)
    with client, pytest.raises(CardDavError) as info:
        client.discover()
    message = str(info.value)
    assert message.startswith("lost the connection to 127.0.0.1 during PROPFIND")
    assert "\n" not in message


def test_not_a_dav_url_is_refused() -> None:
    with pytest.raises(CardDavError, match="not a CardDAV address"):
        CardDavClient("ftp://host/x", USER, PASSWORD)
