"""The JSON API against its own OpenAPI schema, by a property-based fuzzer (schemathesis).

Every operation gets generated calls, valid and invalid, with a read-and-write token over the
sample network: none may fail with a server error, every answer must match the schema (status
codes, content type, body), and a call without the token must be refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis (the API fuzzer) is missing"
)

from hypothesis import HealthCheck, settings  # noqa: E402

from rekindle.services import api_tokens  # noqa: E402
from rekindle.services.demo import load_sample  # noqa: E402
from rekindle.store import Store, open_store  # noqa: E402
from rekindle.web.api import create_api  # noqa: E402

NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


#: the store the API under test reads, set by the ``token`` fixture (the schema does not need it)
_served: dict[str, Store] = {}
APP = create_api(lambda: _served["store"], lambda: NOW)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = open_store(str(Path(tmp_path_factory.mktemp("api-fuzz")) / "rekindle.db"))
    load_sample(store, now=NOW)
    _served["store"] = store
    try:
        yield api_tokens.create_token(store, "fuzzer", write=True, now=NOW)
    finally:
        _served.clear()
        store.close()


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema(case: object, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})  # type: ignore[attr-defined]
