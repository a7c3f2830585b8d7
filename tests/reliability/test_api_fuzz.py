"""API fuzzing: Schemathesis drives every operation of our OpenAPI schema with generated requests (with the write
key, against fake stores holding a few briefs) and hostile inputs are thrown at every endpoint by hand: no
request may produce a 5xx, read requests never change the stores, and nothing hostile comes back as markup.

Cases: 25 generated per operation (Schemathesis; the run prints the count per operation), plus
len(HOSTILE) x len(READ_REQUESTS) hand-made read requests and the write and limit cases below.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from starlette.types import Receive, Scope, Send

from core.bootstrap import Stores, build_stores
from core.settings import ApiSettings
from ingest.extraction import Extractor
from ingest.pipeline import IngestPipeline
from services.app import create_app
from tests.conftest import EXAMPLES, fake_settings
from tests.fakes import HashingEmbedder
from tests.reliability.conftest import snapshot

KEY = "fuzz-write-key"
FUZZ_FILES = [
    "turkey_israel_baku_talks_2025-04-10.md",
    "israel_strikes_t4_hama_2025-04-03.txt",
    "us_iran_talks_muscat_2025-04-13.txt",
    "israel_strikes_syria_arsenal_2024-12-11.html",
]

generated: Counter[str] = Counter()


@pytest.fixture(scope="module")
def fuzz_stores(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Iterator[Stores]:
    """Fake stores holding a few example briefs, with a write key: shared by the whole module (the fuzzers may
    add briefs; every test compares the stores before and after itself, not with a fixed state)."""
    settings = fake_settings(tmp_path_factory.mktemp("fuzz"))
    keyed = settings.model_copy(update={"api": ApiSettings(write_keys=[KEY])})  # type: ignore[list-item]
    stores = build_stores(keyed, embedder=HashingEmbedder())
    try:
        report = IngestPipeline(stores, extractor).ingest_paths([EXAMPLES / name for name in FUZZ_FILES])
        assert len(report.of("ingested")) == len(FUZZ_FILES), report.summary()
        yield stores
    finally:
        stores.close()


class _CurrentApp:
    """The ASGI app Schemathesis calls: forwards each request to the app of the running test, whose lifespan
    the test's own TestClient runs (Schemathesis keeps one lifespan per app object for the whole process)."""

    target: FastAPI | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        assert self.target is not None, "no app attached for this test"
        await self.target(scope, receive, send)


# The schema is the app's own OpenAPI document; the app behind it (fake stores holding a few briefs, a write
# key) is built by a fixture, so nothing is built at import time.
current = _CurrentApp()
schema = schemathesis.openapi.from_dict(create_app().openapi())
schema.app = current


@pytest.fixture(scope="module")
def keyed_client(fuzz_stores: Stores, extractor: Extractor) -> Iterator[tuple[TestClient, Stores]]:
    app = create_app(stores=fuzz_stores, writer_factory=lambda s: IngestPipeline(s, extractor, retry_delay_s=0.01))
    with TestClient(app, headers={"X-API-Key": KEY}) as client:  # runs the lifespan
        current.target = app
        try:
            yield client, fuzz_stores
        finally:
            current.target = None


@pytest.fixture(scope="module", autouse=True)
def _report_counts() -> Iterator[None]:
    yield
    if generated:
        lines = "\n".join(f"  {operation}: {count}" for operation, count in sorted(generated.items()))
        print(f"\nSchemathesis cases per operation ({sum(generated.values())} in all):\n{lines}")


PROBLEM = ("application/problem+json",)


def _declared_media_types(case: Any, status: int) -> tuple[str, ...]:
    """The media types the schema declares for this answer (JSON unless it says otherwise, e.g. CSV export)."""
    declared = case.operation.definition.raw.get("responses", {}).get(str(status), {}).get("content", {})
    return tuple(declared) or ("application/json",)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_server_error(case: Any, keyed_client: tuple[TestClient, Stores]) -> None:
    generated[case.operation.label] += 1
    response = case.call(headers={"X-API-Key": KEY})
    assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text}"
    content_type = (response.headers.get("content-type") or [""])[0]
    expected = _declared_media_types(case, response.status_code) if response.status_code < 400 else PROBLEM
    assert content_type.startswith(expected) or response.status_code == 204, content_type


# ------------------------------------------------------------------ hostile input by hand

HOSTILE = [
    "') DETACH DELETE n //",
    "x' OR 1=1 //",
    '"}) MATCH (n) DETACH DELETE n //',
    "MATCH (n) DETACH DELETE n",
    "}) RETURN 1 UNION MATCH (n) DETACH DELETE n RETURN 1 //",
    "$rows",
    "`Actor`",
    "\\",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "../../../../etc/passwd",
    "${jndi:ldap://127.0.0.1/a}",
    "{{7*7}}",
    "\u202eevil\u202c",
    "\U0001f4a3" * 50,
    "ñ" * 3_000,
    "A" * 10_000,
    "%00",
    "NaN",
    "-1",
    "9" * 400,
    " ",
]

READ_REQUESTS = [
    ("GET", "/search", lambda h: {"params": {"q": h}}),
    ("GET", "/search", lambda h: {"params": {"q": "talks", "actor": [h, h]}}),
    ("GET", "/actors", lambda h: {"params": {"q": h}}),
    ("GET", "/actors/{h}", lambda h: {}),
    ("GET", "/actors/TUR/interactions", lambda h: {"params": {"with": h}}),
    ("GET", "/actors/{h}/interactions", lambda h: {"params": {"type": h}}),
    ("GET", "/actors/TUR/interactions", lambda h: {"params": {"type": h}}),
    ("GET", "/actors/{h}/paths/{h}", lambda h: {}),
    ("GET", "/actors/TUR/paths/{h}", lambda h: {"params": {"max_hops": 4}}),
    ("GET", "/briefs/{h}", lambda h: {}),
    ("GET", "/briefs/{h}/similar", lambda h: {}),
    ("POST", "/ask", lambda h: {"json": {"question": h}}),
    ("POST", "/ask", lambda h: {"json": {"question": f"How did Turkey and {h} interact since {h}?"}}),
]


def _path(template: str, hostile: str) -> str:
    from urllib.parse import quote

    return template.replace("{h}", quote(hostile, safe=""))


def test_hostile_strings_on_every_read_endpoint(keyed_client: tuple[TestClient, Stores]) -> None:
    client, stores = keyed_client
    before = snapshot(stores)
    statuses: Counter[int] = Counter()
    for hostile in HOSTILE:
        for method, template, kwargs in READ_REQUESTS:
            response = client.request(method, _path(template, hostile), **kwargs(hostile))
            statuses[response.status_code] += 1
            assert response.status_code < 500, (method, template, hostile[:60], response.text[:300])
            assert response.headers["content-type"].startswith(("application/json", "application/problem+json"))
    assert snapshot(stores) == before  # Cypher fragments were data, never code
    assert sum(statuses.values()) == len(HOSTILE) * len(READ_REQUESTS)
    print(f"\nhostile read requests: {sum(statuses.values())}, statuses {dict(sorted(statuses.items()))}")


def test_hostile_briefs_are_stored_as_text_and_returned_as_json(keyed_client: tuple[TestClient, Stores]) -> None:
    client, stores = keyed_client
    before = snapshot(stores)
    title = "<script>alert('x')</script> Turkey') DETACH DELETE n //"
    body = "Turkish and Israeli officials held talks in Baku. <b onmouseover=alert(1)>Israel</b> struck Syria."
    response = client.post("/briefs", json={"briefs": [{"title": title, "date": "2025-04-10", "body": body}]})
    assert response.status_code == 200, response.text
    (outcome,) = response.json()["outcomes"]
    stored = client.get(f"/briefs/{outcome['brief_id']}")
    assert stored.headers["content-type"].startswith("application/json")
    assert stored.json()["brief"]["title"] == title  # kept verbatim as data; escaping is the client's job
    after = snapshot(stores)
    assert after.counts.briefs == before.counts.briefs + 1
    for hostile in HOSTILE:
        assert client.delete(_path("/briefs/{h}", hostile)).status_code in {400, 404}
    assert snapshot(stores) == after


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "expected"),
    [
        ("GET", "/search", {"params": {"q": "talks", "k": 10**9}}, 422),
        ("GET", "/search", {"params": {"q": "talks", "k": -1}}, 422),
        ("GET", "/search", {"params": {"q": "talks", "k": "1e3"}}, 422),
        ("GET", "/search", {"params": {"q": "x" * 10_000}}, 422),
        ("GET", "/search", {"params": {"q": "talks", "from": "2025-05-01", "to": "2025-01-01"}}, 400),
        ("GET", "/search", {"params": {"q": "talks", "from": "0000-00-00"}}, 422),
        ("GET", "/search", {"params": {"q": "talks", "actor": ["TUR"] * 11}}, 422),
        ("GET", "/briefs/x/similar", {"params": {"k": 10**12}}, 422),
        ("GET", "/actors/TUR/paths/ISR", {"params": {"max_hops": 10**6}}, 422),
        ("GET", "/actors/TUR/paths/ISR", {"params": {"max_hops": 0}}, 422),
        ("GET", "/actors/TUR/paths/ISR", {"params": {"limit": 10**6}}, 422),
        ("GET", "/actors/TUR/interactions", {"params": {"from": "2025-05-01", "to": "2025-01-01"}}, 400),
        ("GET", "/actors/TUR/interactions", {"params": {"limit": 10**9}}, 422),
        ("GET", "/actors/TUR/interactions", {"params": {"type": ["CONSULT"] * 21}}, 422),
        ("GET", "/actors", {"params": {"limit": 10**9}}, 422),
        ("POST", "/ask", {"json": {"question": "q" * 1_001}}, 422),
        ("POST", "/ask", {"json": {"question": "How did Turkey act?", "k": 10**9}}, 422),
        ("POST", "/ask", {"json": {"question": "How did Turkey act?", "extra": 1}}, 422),
        ("POST", "/ask", {"content": b"[" * 100_000, "headers": {"content-type": "application/json"}}, 400),
        ("POST", "/ask", {"content": b'{"question": ' * 5_000, "headers": {"content-type": "application/json"}}, 400),
        ("POST", "/ask", {"content": b"\xff\xfe\x00", "headers": {"content-type": "application/json"}}, 400),
        ("POST", "/briefs", {"json": {"briefs": []}}, 422),
        ("POST", "/briefs", {"json": {"briefs": [{"body": "x"}] * 501}}, 422),
        ("POST", "/briefs", {"json": {"briefs": [{"title": "t" * 501, "body": "x"}]}}, 422),
        ("POST", "/briefs", {"json": json.loads("[" * 500 + "]" * 500)}, 422),
        ("DELETE", "/briefs/" + "b" * 201, {}, 400),
    ],
)
def test_limits_answer_4xx(
    keyed_client: tuple[TestClient, Stores], method: str, path: str, kwargs: dict[str, Any], expected: int
) -> None:
    client, stores = keyed_client
    before = snapshot(stores)
    response = client.request(method, path, **kwargs)
    assert response.status_code == expected, response.text[:500]
    assert snapshot(stores) == before
