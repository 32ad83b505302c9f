"""Time `rekindle sync contacts` against a real Radicale, with a file import as the baseline.

    python bench/carddav_sync.py [--cards 500]

Puts N cards on a fresh Radicale (loopback, htpasswd auth), then times, each on a fresh
SQLite database: importing the same N cards from one .vcf file (the baseline: the vCard reader
and the import alone), the first CardDAV sync, a sync with nothing changed, and a sync after
10 cards changed on the server and 10 people were edited in Rekindle. Prints seconds and each
as a ratio of the baseline, so figures from a busy machine still compare.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent))

from tests.carddav_servers import PASSWORD, USER, DavServer, vcard  # noqa: E402

from rekindle.services import people as people_svc  # noqa: E402
from rekindle.services.importing import import_path  # noqa: E402
from rekindle.services.sync_contacts import sync_contacts  # noqa: E402
from rekindle.store import open_store  # noqa: E402

ENV = {"REKINDLE_CARDDAV_PASSWORD": PASSWORD, "REKINDLE_NO_KEYRING": "1"}


def card(i: int, title: str = "Engineer") -> str:
    return vcard(
        f"uid-{i}", f"Person{i} Family{i}", email=f"p{i}@example.org",
        phone=f"+1 212 555 {i % 10000:04d}", org=f"Org{i % 37}", title=title,
    )  # fmt: skip


def timed(what: str, fn: object, base: float | None) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    took = time.perf_counter() - start
    ratio = f"  {took / base:5.2f}× the file import" if base else ""
    print(f"{what:48} {took:7.2f} s{ratio}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=500)
    n = parser.parse_args().cards
    root = Path(tempfile.mkdtemp(prefix="rekindle-carddav-bench-"))
    server = DavServer("radicale", root / "radicale")
    server.root.mkdir()
    server.prepare()
    server.start()
    try:
        with httpx.Client(auth=(USER, PASSWORD), timeout=30) as c:
            for i in range(n):
                c.put(server.book_url + f"c{i}.vcf", content=card(i).encode())
        vcf = root / "all.vcf"
        vcf.write_text("".join(card(i) for i in range(n)))
        url = server.book_url.replace("http://", f"http://{USER}@")
        base_store = open_store(str(root / "base.db"))
        base = timed(
            f"import {n} cards from a .vcf (baseline)", lambda: import_path(base_store, vcf), None
        )
        store = open_store(str(root / "sync.db"))
        timed(f"first sync of {n} cards", lambda: sync_contacts(store, url, env=ENV), base)
        timed("sync, nothing changed", lambda: sync_contacts(store, url, env=ENV), base)
        with httpx.Client(auth=(USER, PASSWORD), timeout=30) as c:
            for i in range(10):
                c.put(server.book_url + f"c{i}.vcf", content=card(i, "Manager").encode())
        for i in range(10, 20):
            people_svc.edit(store, f"p{i}@example.org", {"organisation": "Globex"}, [], [])
        timed(
            "sync, 10 changed there and 10 here", lambda: sync_contacts(store, url, env=ENV), base
        )
    finally:
        server.kill()


if __name__ == "__main__":
    main()
