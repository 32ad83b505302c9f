"""Real CardDAV servers for the tests: Radicale (htpasswd auth) and Xandikos, on loopback ports.

Each runs as its own process so a test can kill it in the middle of a sync and start it again
on the same port and storage.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

USER = "alice"
PASSWORD = "s3cret-pw"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def radicale_skip_reason() -> str | None:
    try:
        import radicale  # noqa: F401
    except ImportError:
        return "radicale is not installed (pip install 'rekindle[dev]')"
    return None


def xandikos_skip_reason() -> str | None:
    try:
        import xandikos  # noqa: F401
    except ImportError:
        return "xandikos is not installed (pip install 'rekindle[dev]')"
    return None


@dataclass
class DavServer:
    """A running server; ``book_url`` is the address book the tests sync with."""

    kind: str
    root: Path
    port: int = field(default_factory=_free_port)
    proc: subprocess.Popen[bytes] | None = None
    #: does the server check passwords (Xandikos leaves that to a proxy)
    checks_password: bool = True

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def book_url(self) -> str:
        if self.kind == "radicale":
            return f"{self.base}/{USER}/contacts/"
        return f"{self.base}/{USER}/contacts/addressbook/"

    def command(self) -> list[str]:
        if self.kind == "radicale":
            return [sys.executable, "-m", "radicale", "--config", str(self.root / "config")]
        exe = shutil.which("xandikos", path=str(Path(sys.executable).parent)) or "xandikos"
        return [
            exe, "serve", "-d", str(self.root / "data"), "--defaults",
            "-l", "127.0.0.1", "-p", str(self.port),
            "--current-user-principal", f"/{USER}/",
        ]  # fmt: skip

    def prepare(self) -> None:
        if self.kind != "radicale":
            self.checks_password = False
            return
        (self.root / "users").write_text(f"{USER}:{PASSWORD}\n")
        book = self.root / "collections" / "collection-root" / USER / "contacts"
        book.mkdir(parents=True)
        (book / ".Radicale.props").write_text(
            '{"tag": "VADDRESSBOOK", "D:displayname": "Contacts"}'
        )
        (self.root / "config").write_text(
            "[server]\n"
            f"hosts = 127.0.0.1:{self.port}\n"
            "[auth]\ntype = htpasswd\n"
            f"htpasswd_filename = {self.root / 'users'}\n"
            "htpasswd_encryption = plain\n"
            "[storage]\n"
            f"filesystem_folder = {self.root / 'collections'}\n"
            "[rights]\ntype = owner_only\n"
            "[logging]\nlevel = warning\n"
        )

    def start(self) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            self.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.request(
                    "PROPFIND", self.book_url, auth=(USER, PASSWORD), headers={"Depth": "0"},
                    timeout=2,
                )  # fmt: skip
                return
            except httpx.TransportError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{self.kind} exited with {self.proc.returncode}") from None
                time.sleep(0.1)
        raise RuntimeError(f"{self.kind} did not start on port {self.port}")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    # --- what "the phone" does: plain HTTP writes to the server ---------------------------

    def client(self) -> httpx.Client:
        return httpx.Client(auth=(USER, PASSWORD), timeout=10)

    def put_card(self, name: str, vcard: str, etag: str | None = None) -> httpx.Response:
        headers = {"Content-Type": "text/vcard; charset=utf-8"}
        if etag:
            headers["If-Match"] = etag
        with self.client() as c:
            resp = c.put(self.book_url + name, content=vcard.encode(), headers=headers)
        assert resp.status_code in (201, 204), resp.text
        return resp

    def get_card(self, name: str) -> tuple[str, str] | None:
        with self.client() as c:
            resp = c.get(self.book_url + name)
        if resp.status_code == 404:
            return None
        assert resp.status_code == 200, resp.text
        return resp.text, resp.headers.get("ETag", "")

    def delete_card(self, name: str) -> None:
        with self.client() as c:
            resp = c.delete(self.book_url + name)
        assert resp.status_code in (200, 204), resp.text

    def card_names(self) -> list[str]:
        body = (
            b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop>'
            b"</d:propfind>"
        )
        with self.client() as c:
            resp = c.request(
                "PROPFIND",
                self.book_url,
                content=body,
                headers={"Depth": "1", "Content-Type": "application/xml"},
            )
        assert resp.status_code == 207, (resp.status_code, resp.text)
        import xml.etree.ElementTree as ET

        root = ET.fromstring(resp.content)
        names = []
        for href in root.iter("{DAV:}href"):
            text = (href.text or "").rstrip("/")
            if text and not self.book_url.rstrip("/").endswith(text):
                names.append(text.rsplit("/", 1)[-1])
        return sorted(names)


def vcard(uid: str, name: str, *, email: str | None = None, title: str | None = None,
          org: str | None = None, phone: str | None = None, extra: str = "") -> str:  # fmt: skip
    family, _, given = name.rpartition(" ")[::-1][0], "", name.rpartition(" ")[0]
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}", f"N:{family};{given};;;"]
    if email:
        lines.append(f"EMAIL;TYPE=INTERNET,HOME:{email}")
    if phone:
        lines.append(f"TEL;TYPE=CELL:{phone}")
    if org:
        lines.append(f"ORG:{org}")
    if title:
        lines.append(f"TITLE:{title}")
    if extra:
        lines.append(extra)
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


SKIPS = {"radicale": radicale_skip_reason, "xandikos": xandikos_skip_reason}


@pytest.fixture(params=["radicale", "xandikos"])
def dav_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DavServer]:
    """Each CardDAV server the machine has, running on a loopback port for one test."""
    yield from _running(request.param, tmp_path)


@pytest.fixture(params=["radicale"])
def password_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DavServer]:
    """The servers that check passwords themselves (Xandikos leaves that to a proxy)."""
    yield from _running(request.param, tmp_path)


def _running(kind: str, tmp_path: Path) -> Iterator[DavServer]:
    reason = SKIPS[kind]()
    if reason:
        pytest.skip(reason)
    server = DavServer(kind, tmp_path / kind)
    server.root.mkdir()
    server.prepare()
    server.start()
    try:
        yield server
    finally:
        server.kill()
