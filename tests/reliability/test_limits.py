"""Limits: request bodies over BRIEFGRAPH_API__MAX_REQUEST_BYTES are refused with 413 whether or not the client
sent a Content-Length (also on a real uvicorn server with chunked transfer encoding); a graph query past its time
limit answers 504 and the store keeps working; the read path cannot write to the graph.

(k, hop counts, date ranges, question and query lengths are covered in test_api_fuzz.py::test_limits_answer_4xx.)
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from core.adapters.embedded_graph import EmbeddedGraphStore
from core.bootstrap import Stores
from core.errors import InvalidInputError, StoreTimeoutError
from core.settings import ApiSettings
from ingest.extraction import Extractor
from ingest.pipeline import IngestPipeline
from services.app import create_app
from tests.reliability.conftest import TALKS, record, snapshot
from tests.support.servers import serve_in_thread

LIMIT = 10_000


def _limited(stores: Stores) -> Stores:
    settings = stores.settings.model_copy(update={"api": ApiSettings(max_request_bytes=LIMIT)})
    return dataclasses.replace(stores, settings=settings)


def _big_ingest_body() -> bytes:
    body = json.dumps({"briefs": [record("big", TALKS + " More text." * 2_000)]}).encode()
    assert len(body) > 2 * LIMIT
    return body


@pytest.fixture
def limited_client(fake_stores: Stores, extractor: Extractor) -> Iterator[TestClient]:
    stores = _limited(fake_stores)
    app = create_app(stores=stores, writer_factory=lambda s: IngestPipeline(s, extractor))
    with TestClient(app) as client:
        yield client


def test_body_over_the_limit_with_content_length_is_413(limited_client: TestClient, fake_stores: Stores) -> None:
    before = snapshot(fake_stores)
    response = limited_client.post("/briefs", content=_big_ingest_body(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "urn:briefgraph:problem:request-too-large",
        "title": "Request body too large",
        "status": 413,
        "detail": f"request body over the {LIMIT} byte limit",
        "instance": "/briefs",
        "code": "RequestTooLarge",
    }
    assert snapshot(fake_stores) == before


def test_chunked_body_over_the_limit_without_content_length_is_413(
    limited_client: TestClient, fake_stores: Stores
) -> None:
    body = _big_ingest_body()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 1_000):
            yield body[start : start + 1_000]

    before = snapshot(fake_stores)
    response = limited_client.post("/briefs", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert snapshot(fake_stores) == before


def test_chunked_body_under_the_limit_goes_through(limited_client: TestClient) -> None:
    body = json.dumps({"question": "How have Turkey and Israel interacted?"}).encode()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 7):
            yield body[start : start + 7]

    response = limited_client.post("/ask", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text


def test_chunked_body_over_the_limit_on_a_real_server(fake_stores: Stores, extractor: Extractor) -> None:
    stores = _limited(fake_stores)
    app = create_app(stores=stores, writer_factory=lambda s: IngestPipeline(s, extractor))
    with serve_in_thread(app, lifespan="on") as base_url:
        body = _big_ingest_body()

        def chunks() -> Iterator[bytes]:
            for start in range(0, len(body), 4_096):
                yield body[start : start + 4_096]

        with httpx.Client(base_url=base_url, timeout=10) as client:
            request = client.build_request(
                "POST", "/briefs", content=chunks(), headers={"content-type": "application/json"}
            )
            assert "content-length" not in request.headers and request.headers["transfer-encoding"] == "chunked"
            response = client.send(request)
            assert response.status_code == 413
            declared = client.post("/briefs", content=body, headers={"content-type": "application/json"})
            assert declared.status_code == 413
            assert client.get("/healthz").status_code == 200
        assert snapshot(fake_stores).counts.briefs == 0


# ------------------------------------------------------------------ graph query time limit


@pytest.fixture(scope="module")
def big_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded graph with 300,000 actors: a substring search over them takes tens of milliseconds."""
    path = tmp_path_factory.mktemp("slow") / "graph"
    store = EmbeddedGraphStore(path)
    store.apply_schema()
    with store._gate.writing():
        store._execute(
            store._conn,
            "UNWIND range(1, 300000) AS i CREATE (:Actor {id: 'bulk-' + CAST(i AS STRING), name: 'Bulk', "
            "kind: 'other', aliases: ['x'], search_text: 'bulk actor ' + CAST(i AS STRING)})",
            None,
        )
    store.close()
    return path


def test_slow_graph_query_answers_504_and_the_store_keeps_working(big_graph: Path, fake_stores: Stores) -> None:
    graph = EmbeddedGraphStore(big_graph, query_timeout_s=0.02)
    stores = dataclasses.replace(fake_stores, graph=graph)
    try:
        with TestClient(create_app(stores=stores)) as client:
            response = client.get("/actors", params={"q": "no such actor anywhere"})
            assert response.status_code == 504, response.text
            assert response.json()["code"] == "StoreTimeoutError"
            assert "time limit" in response.json()["detail"]
            assert client.get("/search", params={"q": "talks"}).status_code == 200  # vectors do not wait on it
        # the interrupted query left no transaction open behind it: a cheap read still answers (a few tries, as
        # a busy machine may stretch even this past 20 ms)
        answered = []
        for _ in range(3):
            try:
                graph.ping()
                answered.append(True)
            except StoreTimeoutError:
                answered.append(False)
        assert any(answered)
    finally:
        graph.close()


def test_tiny_timeout_is_still_a_timeout_not_no_limit(big_graph: Path) -> None:
    graph = EmbeddedGraphStore(big_graph, query_timeout_s=0.0001)  # rounds up to 1 ms; 0 would mean unlimited
    try:
        with pytest.raises(StoreTimeoutError):
            graph.find_actors("no such actor anywhere", 10)
    finally:
        graph.close()


# ------------------------------------------------------------------ the read path is read-only


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE (:Actor {id: 'evil', name: 'Evil', kind: 'other'})",
        "MATCH (a:Actor) DELETE a",
        "MATCH (a:Actor) SET a.name = 'changed'",
        "MATCH (b:Brief) DETACH DELETE b",
    ],
)
def test_embedded_read_path_cannot_write(fake_stores: Stores, pipeline: IngestPipeline, statement: str) -> None:
    pipeline.ingest_records([record("a", TALKS)], source="test")
    graph = fake_stores.graph
    assert isinstance(graph, EmbeddedGraphStore)
    before = snapshot(fake_stores)
    names = {a.id: a.name for a in graph.find_actors("", 50)}
    with pytest.raises(InvalidInputError, match="read-only transaction"):
        graph._read(statement)
    assert snapshot(fake_stores) == before
    assert {a.id: a.name for a in graph.find_actors("", 50)} == names
    assert graph.get_actor("evil") is None
