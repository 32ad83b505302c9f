"""A small CardDAV client over httpx: discovery, changes, fetching, conditional writes.

Only what two-way contact sync needs (RFC 4918 WebDAV, RFC 6352 CardDAV, RFC 6578 sync):
find the address books (the URL itself, ``/.well-known/carddav``, the current user's principal
and its address book home set), list what changed (a ``sync-collection`` REPORT, or every
member's ETag for servers without it), fetch cards (``addressbook-multiget``) and write them
only if they are still what Rekindle last saw (``If-Match``) or do not exist yet
(``If-None-Match: *``). Every failure is a :class:`CardDavError` with one plain line.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import httpx

from rekindle.errors import UserError
from rekindle.transport import dav_xml as x

#: cards fetched per addressbook-multiget REPORT
MULTIGET_BATCH = 100
#: the largest card Rekindle reads alone (GET)
MAX_CARD_BYTES = 8 * 1024 * 1024
_SAFE_PATH = "/:@!$&'()*+,;=-._~"
#: answers that mean "not here" while discovering: refused, not allowed, moved
_ELSEWHERE = frozenset({301, 302, 303, 307, 308, 403, 405, 501})


class CardDavError(UserError):
    """The server could not be reached, refused us, or answered what CardDAV does not allow."""


class CardDavAuthError(CardDavError):
    pass


class PreconditionFailed(Exception):
    """412: the card changed on the server since Rekindle read it (or exists already)."""


@dataclass(slots=True, frozen=True)
class AddressBook:
    path: str
    name: str
    #: the collection's sync-token when the server offers RFC 6578 sync, else None
    sync_token: str | None


@dataclass(slots=True, frozen=True)
class RemoteCard:
    path: str
    etag: str | None
    data: str


@dataclass(slots=True)
class Changes:
    """What changed in a book: cards (path → ETag) to fetch, paths deleted, the new token.

    ``complete`` is True when ``changed`` lists every card (ETag listing, or a sync from
    scratch): a known card missing from it was deleted on the server.
    """

    changed: dict[str, str | None]
    deleted: list[str]
    token: str | None
    complete: bool


class CardDavClient:
    """One account on one server; ``url`` may be the server, a principal or a book."""

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CardDavError(
                f"not a CardDAV address: {url!r}", hint="give https://host/path/ of the server"
            )
        self.url = url
        self.origin = f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"
        self.host = parts.hostname
        self.username = username
        self.http = httpx.Client(
            auth=httpx.BasicAuth(username, password),
            timeout=timeout,
            follow_redirects=False,
            transport=transport,
            headers={"User-Agent": "Rekindle CardDAV sync"},
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> CardDavClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- plumbing -------------------------------------------------------------------------

    def url_of(self, path: str) -> str:
        return self.origin + quote(path, safe=_SAFE_PATH)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        *,
        limit: int = x.MAX_XML_BYTES,
    ) -> tuple[httpx.Response, bytes]:
        """One request; the answer's body read up to ``limit`` bytes."""
        hdrs = dict(headers or {})
        if body is not None and "Content-Type" not in hdrs:
            hdrs["Content-Type"] = 'application/xml; charset="utf-8"'
        try:
            with self.http.stream(method, self.url_of(path), content=body, headers=hdrs) as resp:
                data = bytearray()
                for chunk in resp.iter_bytes():
                    data += chunk
                    if len(data) > limit:
                        raise CardDavError(
                            f"{self.host}: answer to {method} {path} is larger than "
                            f"{limit // (1024 * 1024)} MB; refused"
                        )
        except httpx.TransportError as exc:
            raise CardDavError(
                f"lost the connection to {self.host} during {method} {path}: "
                f"{exc or type(exc).__name__}",
                hint="nothing half-done was kept; run the same sync again when the server is back",
            ) from None
        if resp.status_code == 401:
            raise CardDavAuthError(
                f"{self.host} refused the user name or password for {self.username}",
                hint="check REKINDLE_CARDDAV_PASSWORD, the keyring entry or the user in the URL",
            )
        return resp, bytes(data)

    def multistatus(
        self, method: str, path: str, body: bytes, depth: str, *, lenient: bool = False
    ) -> x.Multistatus | None:
        """A PROPFIND/REPORT answer; None when the resource is not there (404), or, when
        ``lenient`` (discovery tries several places), when it refuses or redirects."""
        resp, data = self.request(method, path, body, {"Depth": depth})
        if resp.status_code == 404 or (lenient and resp.status_code in _ELSEWHERE):
            return None
        if resp.status_code != 207:
            raise CardDavError(f"{self.host}: {method} {path} answered {resp.status_code}")
        try:
            return x.parse_multistatus(data)
        except x.DavXmlError as exc:
            raise CardDavError(f"{self.host}: {method} {path}: {exc}") from None

    # --- discovery ------------------------------------------------------------------------

    def discover(self) -> list[AddressBook]:
        """The address books of the account, found from the given URL (RFC 6764 steps)."""
        start = urlsplit(self.url).path or "/"
        books = self._books_below(start)
        if books:
            return books
        for path in (start, self._well_known()):
            if path is None:
                continue
            ms = self.multistatus(
                "PROPFIND",
                path,
                x.propfind_body(x.dav("current-user-principal")),
                "0",
                lenient=True,
            )
            principal = _first_href(ms, x.dav("current-user-principal"))
            if principal is None:
                continue
            ms = self.multistatus(
                "PROPFIND",
                principal,
                x.propfind_body(x.card("addressbook-home-set")),
                "0",
                lenient=True,
            )
            for home in _all_hrefs(ms, x.card("addressbook-home-set")):
                books = self._books_below(home)
                if books:
                    return books
        raise CardDavError(
            f"no address book found at {self.url}",
            hint="give the address of the server, your principal or the address book itself",
        )

    def _well_known(self) -> str | None:
        resp, _ = self.request("GET", "/.well-known/carddav", limit=64 * 1024)
        location = resp.headers.get("Location")
        if resp.status_code in (301, 302, 303, 307, 308) and location:
            return x.path_of(x.absolute(self.origin + "/", location))
        return None

    def _books_below(self, path: str) -> list[AddressBook]:
        body = x.propfind_body(x.dav("resourcetype"), x.dav("displayname"), x.dav("sync-token"))
        ms = self.multistatus("PROPFIND", path, body, "1", lenient=True)
        if ms is None:
            return []
        return [
            AddressBook(r.href, r.text(x.dav("displayname")) or r.href, r.text(x.dav("sync-token")))
            for r in ms.responses
            if r.is_addressbook()
        ]

    # --- reading --------------------------------------------------------------------------

    def changes(self, book: AddressBook, token: str | None) -> Changes:
        """What changed since ``token`` (RFC 6578), or every card's ETag without sync support."""
        if book.sync_token is None:
            return self.all_etags(book)
        resp, data = self.request(
            "REPORT", book.path, x.sync_collection_body(token), {"Depth": "1"}
        )
        if resp.status_code in (403, 409) and token:  # the token expired: start again
            return self.changes(book, None)
        if resp.status_code != 207:
            return self.all_etags(book)
        try:
            ms = x.parse_multistatus(data)
        except x.DavXmlError as exc:
            raise CardDavError(f"{self.host}: sync of {book.path}: {exc}") from None
        changed: dict[str, str | None] = {}
        deleted: list[str] = []
        for r in ms.responses:
            if r.href.rstrip("/") == book.path.rstrip("/"):
                continue
            if r.status == 404:
                deleted.append(r.href)
            else:
                changed[r.href] = r.text(x.dav("getetag"))
        return Changes(changed, deleted, ms.sync_token, complete=not token)

    def all_etags(self, book: AddressBook) -> Changes:
        ms = self.multistatus(
            "PROPFIND", book.path, x.propfind_body(x.dav("getetag"), x.dav("resourcetype")), "1"
        )
        if ms is None:
            raise CardDavError(f"{self.host}: address book {book.path} is gone")
        changed = {
            r.href: r.text(x.dav("getetag"))
            for r in ms.responses
            if r.href.rstrip("/") != book.path.rstrip("/")
            and r.props.get(x.dav("getetag")) is not None
        }
        return Changes(changed, [], None, complete=True)

    def fetch(self, book: AddressBook, paths: list[str]) -> list[RemoteCard]:
        """The cards at ``paths`` (those gone meanwhile are left out)."""
        cards: list[RemoteCard] = []
        for i in range(0, len(paths), MULTIGET_BATCH):
            batch = [quote(p, safe=_SAFE_PATH) for p in paths[i : i + MULTIGET_BATCH]]
            ms = self.multistatus("REPORT", book.path, x.multiget_body(batch), "1")
            for r in ms.responses if ms else []:
                data = r.text(x.card("address-data"))
                if data is not None and r.status in (None, 200):
                    cards.append(RemoteCard(r.href, r.text(x.dav("getetag")), data))
        return cards

    def get(self, path: str) -> RemoteCard | None:
        resp, data = self.request("GET", path, limit=MAX_CARD_BYTES)
        if resp.status_code == 404:
            return None
        if resp.status_code != 200:
            raise CardDavError(f"{self.host}: GET {path} answered {resp.status_code}")
        return RemoteCard(path, resp.headers.get("ETag"), data.decode("utf-8", "replace"))

    # --- writing --------------------------------------------------------------------------

    def put(self, path: str, vcard: str, etag: str | None) -> str | None:
        """Write a card if it is still at ``etag`` (None: only if it does not exist yet).

        Returns the new ETag when the server tells it; raises :class:`PreconditionFailed`."""
        headers = {"Content-Type": "text/vcard; charset=utf-8"}
        headers.update({"If-Match": etag} if etag else {"If-None-Match": "*"})
        resp, _ = self.request("PUT", path, vcard.encode("utf-8"), headers, limit=1024 * 1024)
        if resp.status_code == 412:
            raise PreconditionFailed(path)
        if resp.status_code not in (200, 201, 204):
            raise CardDavError(f"{self.host}: PUT {path} answered {resp.status_code}")
        return resp.headers.get("ETag")

    def delete(self, path: str, etag: str | None) -> None:
        headers = {"If-Match": etag} if etag else {}
        resp, _ = self.request("DELETE", path, None, headers, limit=1024 * 1024)
        if resp.status_code == 412:
            raise PreconditionFailed(path)
        if resp.status_code not in (200, 204, 404):
            raise CardDavError(f"{self.host}: DELETE {path} answered {resp.status_code}")


def _first_href(ms: x.Multistatus | None, prop: str) -> str | None:
    hrefs = _all_hrefs(ms, prop)
    return hrefs[0] if hrefs else None


def _all_hrefs(ms: x.Multistatus | None, prop: str) -> list[str]:
    if ms is None:
        return []
    return [x.path_of(h) for r in ms.responses for h in r.hrefs(prop)]
