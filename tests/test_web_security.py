"""Every string from an import is hostile: it renders inert; uploads stay small and inside the
data directory; the headers forbid framing, sniffing and inline script; other sites cannot post."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rekindle.services import people as people_svc
from rekindle.services.importing import import_path
from rekindle.store import Store
from rekindle.web.app import create_app
from tests.conftest import FIXTURES

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
HOSTILE = FIXTURES / "vcard" / "hostile-markup.vcf"
RAW = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<svg onload", "<b>bold")
ESCAPED_NAME = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store, now_fn=lambda: NOW, max_upload_bytes=64 * 1024)) as c:
        yield c


@pytest.fixture
def mallory(store: Store) -> int:
    import_path(store, HOSTILE, now=NOW)
    return people_svc.show(store, "mallory@example.net").id


def assert_inert(html: str, where: str) -> None:
    for raw in RAW:
        assert raw not in html, (where, raw)


def test_a_hostile_contact_renders_escaped_on_every_page(client: TestClient, mallory: int) -> None:
    client.post(f"/people/{mallory}/note", data={"body": '"><img src=x onerror=alert(1)>'})
    client.post(f"/people/{mallory}/tags", data={"name": "<script>alert(1)</script>"})
    pages = {
        "/": "plan",
        "/people": "people",
        "/people?q=mallory": "search",
        "/people?tag=<b>bold</b>": "tag filter",
        f"/people/{mallory}": "person",
        f"/compose/{mallory}": "compose",
    }
    for url, where in pages.items():
        page = client.get(url)
        assert page.status_code == 200, where
        assert ESCAPED_NAME in page.text, where
        assert_inert(page.text, where)
    person = client.get(f"/people/{mallory}").text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in person  # the note, shown as text
    assert "&#34;&gt;&lt;svg onload=alert(2)&gt;" in person  # the organisation
    checked = client.post(
        f"/compose/{mallory}/check",
        data={"text": "<script>alert(1)</script>", "intent": "catch-up", "medium": "email"},
    )
    assert_inert(checked.text, "checks")


def test_hostile_names_are_inert_in_error_messages_and_import_reports(
    client: TestClient, mallory: int
) -> None:
    ambiguous = client.post(
        "/settings/me/address", data={"address": "<script>alert(1)</script>", "action": "remove"}
    )
    assert ambiguous.status_code == 400
    assert_inert(ambiguous.text, "error page")
    report = client.post(
        "/import",
        data={"kind": "contacts"},
        files={"file": ("<img src=x onerror=alert(1)>.vcf", HOSTILE.read_bytes())},
    )
    assert report.status_code == 200
    assert "&lt;img src=x onerror=alert(1)&gt;.vcf" in report.text
    assert "<img src=x" not in report.text


def test_security_headers_on_pages_fragments_errors_and_static_files(
    client: TestClient, mallory: int
) -> None:
    responses = [
        client.get("/"),
        client.get("/no-such-page"),
        client.get("/people/424242"),
        client.get("/static/htmx.min.js"),
        client.post(
            f"/compose/{mallory}/check", data={"text": "hi"}, headers={"HX-Request": "true"}
        ),
    ]
    for r in responses:
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"


def test_htmx_is_vendored_and_served_locally(client: TestClient) -> None:
    page = client.get("/").text
    assert '<script src="/static/htmx.min.js"' in page
    assert "http://" not in page.split("<body>")[0] and "https://" not in page.split("<body>")[0]
    js = client.get("/static/htmx.min.js")
    assert js.status_code == 200 and "htmx" in js.text[:200]
    assert js.headers["content-type"].startswith(("text/javascript", "application/javascript"))


def test_uploads_over_the_limit_are_refused_and_nothing_is_kept(
    client: TestClient, store: Store
) -> None:
    big = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big\r\nNOTE:" + b"x" * 70_000 + b"\r\nEND:VCARD\r\n"
    refused = client.post("/import", data={"kind": "contacts"}, files={"file": ("big.vcf", big)})
    assert refused.status_code == 413 and "larger than the limit of 64 kB" in refused.text
    uploads = store.location.data_dir / "uploads"
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_an_upload_name_never_chooses_where_it_is_written(
    client: TestClient, store: Store, tmp_path: Path
) -> None:
    evil = "../../../../../../tmp/evil-upload.vcf"
    done = client.post(
        "/import", data={"kind": "contacts"}, files={"file": (evil, HOSTILE.read_bytes())}
    )
    assert done.status_code == 200 and "1 contact: 1 new" in done.text
    assert not Path("/tmp/evil-upload.vcf").exists()
    assert not (tmp_path.parent / "evil-upload.vcf").exists()
    assert list((store.location.data_dir / "uploads").iterdir()) == []


def test_malformed_uploads_are_a_clear_error(client: TestClient) -> None:
    plain = client.post("/import", data={"kind": "contacts"})
    assert plain.status_code == 400 and "multipart/form-data" in plain.text
    broken = client.post(
        "/import",
        content=b'--xyz\r\nContent-Disposition: form-data; name="kind"\r\n\r\ncontacts',
        headers={"content-type": "multipart/form-data; boundary=xyz"},
    )
    assert broken.status_code == 400
    assert "Traceback" not in broken.text


def test_other_sites_cannot_post_and_other_hosts_are_refused(
    client: TestClient, mallory: int
) -> None:
    cross = client.post(
        f"/plan/{mallory}/done",
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert cross.status_code == 403
    same = client.post(
        f"/people/{mallory}/note",
        data={"body": "ok"},
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert same.status_code == 303
    for headers in ({"Origin": "null"}, {"Sec-Fetch-Site": "same-site"}):
        refused = client.post(f"/people/{mallory}/note", data={"body": "x"}, headers=headers)
        assert refused.status_code == 403, headers
    rebinding = client.get("/", headers={"Host": "attacker.example:8765"})
    assert rebinding.status_code == 400


def test_numbers_beyond_the_database_are_a_clear_error(client: TestClient, mallory: int) -> None:
    """An id or a page too large for a 64-bit integer is refused in words, not a 500 (SQLite:
    the driver cannot convert it; PostgreSQL: the server refuses it)."""
    big = "9" * 25
    for path in (f"/people/{big}", f"/compose/{big}", f"/people/{big}/why", f"/people?page={big}"):
        page = client.get(path)
        assert page.status_code == 400, path
        assert "out of range" in page.text and "internal" not in page.text
    for path, form in (
        (f"/plan/{big}/snooze", {"until": "2w"}),
        (f"/people/{big}/note", {"body": "x"}),
    ):
        sent = client.post(path, data=form)
        assert sent.status_code == 400, path
    assert client.get(f"/people/{mallory}").status_code == 200


def test_command_spans_in_hints_are_code_and_stay_escaped(client: TestClient) -> None:
    from rekindle.web.deps import env

    spans = env.filters["code_spans"]
    assert str(spans("run `rekindle people` <now>")) == (
        "run <code>rekindle people</code> &lt;now&gt;"
    )
    assert str(spans("`<script>alert(1)</script>`")) == (
        "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>"
    )
    missing = client.get("/people/999999")
    assert missing.status_code == 404
    # a page's Not found points to People, not to a command
    assert "Search for them on <a href=\"/people\">People</a>" in missing.text
    assert "`" not in missing.text
