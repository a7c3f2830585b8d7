"""Access control: with BRIEFGRAPH_API__WRITE_KEYS set, every write endpoint needs one of the keys (401 without,
403 with a wrong one, and nothing changes in either store); protect_reads puts the read endpoints behind the
keys too; CORS answers only configured origins; keys and passwords never reach logs, error bodies or reprs."""

from __future__ import annotations

import dataclasses
import hmac
import logging
import os
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from core.bootstrap import Stores
from core.registry import ActorRegistry
from core.settings import ApiSettings, Settings
from ingest.extraction import Extractor, load_nlp
from ingest.pipeline import IngestPipeline
from services import app as app_module
from services.app import create_app
from tests.support.servers import serve_in_thread

KEYS = ["first-key-4f9c2a7d1e", "second-key-8b3e6f0a5c"]
WRONG = "not-a-key-0000000000"
OPEN = {"/healthz", "/readyz"}
BRIEF = {
    "title": "Turkey and Israel Hold Talks",
    "date": "2025-04-10",
    "url": "https://briefs.example/security",
    "body": "Turkish and Israeli officials held technical talks in Baku. Israel struck the T4 airbase in Syria.",
}


@pytest.fixture(scope="module")
def extractor(registry: ActorRegistry) -> Extractor:
    return Extractor(registry, load_nlp(Settings().ingest.spacy_model))


def _app(stores: Stores, extractor: Extractor, **api: Any) -> tuple[FastAPI, Stores]:
    settings = stores.settings.model_copy(update={"api": ApiSettings(**api)})
    configured = dataclasses.replace(stores, settings=settings)
    return create_app(stores=configured, writer_factory=lambda s: IngestPipeline(s, extractor)), configured


def _state(stores: Stores) -> tuple[object, ...]:
    return (stores.graph.counts(), stores.graph.brief_hashes(), stores.vectors.brief_hashes(), stores.vectors.count())


def _operations(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) of the app's OpenAPI document, path parameters filled in."""
    found = []
    for path, operations in app.openapi()["paths"].items():
        filled = re.sub(r"\{[^}]+\}", "ISR", path)
        found += [(method.upper(), filled) for method in sorted(operations)]
    return found


def _is_write(method: str, path: str) -> bool:
    return method in {"POST", "DELETE", "PUT", "PATCH"} and path != "/ask"


@pytest.fixture
def keyed(fake_stores: Stores, extractor: Extractor) -> Iterator[tuple[TestClient, Stores]]:
    app, stores = _app(fake_stores, extractor, write_keys=KEYS)
    with TestClient(app) as client:
        yield client, stores


# ------------------------------------------------------------------ write keys


def test_every_write_endpoint_needs_a_key(keyed: tuple[TestClient, Stores]) -> None:
    client, stores = keyed
    writes = [op for op in _operations(client.app) if _is_write(*op)]  # type: ignore[arg-type]
    assert ("POST", "/briefs") in writes and ("DELETE", "/briefs/ISR") in writes
    before = _state(stores)
    for method, path in writes:
        missing = client.request(method, path, json={"briefs": [BRIEF]})
        assert missing.status_code == 401, (method, path, missing.text)
        assert missing.headers["www-authenticate"] == "ApiKey"
        assert missing.json() == {
            "type": "urn:briefgraph:problem:access-denied",
            "title": "API key missing or not valid",
            "status": 401,
            "detail": "this endpoint needs an API key in the X-API-Key header",
            "instance": path,
            "code": "AccessDeniedError",
        }
        for wrong in (WRONG, KEYS[0] + "x", KEYS[0].upper(), KEYS[0][:-1], "", "é".encode(), b"\xff" * 20):
            response = client.request(method, path, json={"briefs": [BRIEF]}, headers={"X-API-Key": wrong})
            assert response.status_code == (403 if wrong else 401), (method, path, wrong)
            assert not isinstance(wrong, str) or not wrong or wrong not in response.text
    assert _state(stores) == before


def test_key_in_the_query_string_or_another_header_is_not_accepted(keyed: tuple[TestClient, Stores]) -> None:
    client, stores = keyed
    before = _state(stores)
    for request in (
        {"params": {"api_key": KEYS[0]}},
        {"params": {"X-API-Key": KEYS[0]}},
        {"headers": {"Authorization": f"Bearer {KEYS[0]}"}},
    ):
        assert client.post("/briefs", json={"briefs": [BRIEF]}, **request).status_code == 401
    assert _state(stores) == before


@pytest.mark.parametrize("key", KEYS)
def test_each_configured_key_is_accepted(keyed: tuple[TestClient, Stores], key: str) -> None:
    client, stores = keyed
    created = client.post("/briefs", json={"briefs": [BRIEF]}, headers={"X-API-Key": key})
    assert created.status_code == 200, created.text
    brief_id = created.json()["outcomes"][0]["brief_id"]
    assert stores.graph.get_brief(brief_id) is not None

    denied = client.delete(f"/briefs/{brief_id}", headers={"X-API-Key": WRONG})
    assert denied.status_code == 403 and stores.graph.get_brief(brief_id) is not None
    assert client.delete(f"/briefs/{brief_id}").status_code == 401
    assert set(stores.vectors.brief_hashes()) == {brief_id}

    assert client.delete(f"/briefs/{brief_id}", headers={"X-API-Key": key}).status_code == 204
    assert stores.graph.get_brief(brief_id) is None and stores.vectors.brief_hashes() == {}


def test_keys_are_compared_in_constant_time_against_every_key(
    keyed: tuple[TestClient, Stores], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = keyed
    compared: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def spy(given: bytes, key: bytes) -> bool:
        compared.append((given, key))
        return original(given, key)

    monkeypatch.setattr(app_module.hmac, "compare_digest", spy)
    assert client.delete("/briefs/nothing", headers={"X-API-Key": KEYS[0]}).status_code == 404
    assert client.delete("/briefs/nothing", headers={"X-API-Key": WRONG}).status_code == 403
    # every key is compared each time, even after a match, so timing does not tell which key nearly matched
    assert [key for _, key in compared] == [k.encode() for k in KEYS] * 2


def test_reads_stay_open_when_only_writes_are_protected(keyed: tuple[TestClient, Stores]) -> None:
    client, _ = keyed
    assert client.get("/search", params={"q": "talks"}).status_code == 200
    assert client.get("/actors").status_code == 200
    assert client.post("/ask", json={"question": "How did Turkey act?"}).status_code == 200


def test_without_keys_writes_are_open_and_a_warning_says_so(
    fake_stores: Stores, extractor: Extractor, caplog: pytest.LogCaptureFixture
) -> None:
    app, stores = _app(fake_stores, extractor)
    with caplog.at_level(logging.WARNING), TestClient(app) as client:
        assert client.post("/briefs", json={"briefs": [BRIEF]}).status_code == 200
    assert "write endpoints are open" in caplog.text
    assert stores.graph.counts().briefs == 1


# ------------------------------------------------------------------ protected reads


def test_protect_reads_puts_every_read_behind_the_keys(fake_stores: Stores, extractor: Extractor) -> None:
    app, _ = _app(fake_stores, extractor, write_keys=KEYS, protect_reads=True)
    reads = [op for op in _operations(app) if not _is_write(*op) and op[1] not in OPEN]
    assert ("GET", "/search") in reads and ("POST", "/ask") in reads and ("GET", "/briefs/ISR") in reads
    with TestClient(app) as client:
        for method, path in reads:
            body = {"question": "How did Turkey act?"} if path == "/ask" else None
            params = {"q": "talks"} if path == "/search" else None
            assert client.request(method, path, json=body, params=params).status_code == 401, path
            wrong = client.request(method, path, json=body, params=params, headers={"X-API-Key": WRONG})
            assert wrong.status_code == 403, path
            allowed = client.request(method, path, json=body, params=params, headers={"X-API-Key": KEYS[1]})
            assert allowed.status_code not in {401, 403}, path
        for path in OPEN:
            assert client.get(path).status_code == 200  # probes stay open for orchestrators


# ------------------------------------------------------------------ CORS


def test_cors_answers_only_configured_origins(fake_stores: Stores, extractor: Extractor) -> None:
    allowed, other = "https://analyst.example", "https://evil.example"
    app, _ = _app(fake_stores, extractor, write_keys=KEYS, cors_origins=[allowed])
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-api-key,content-type"}
    with TestClient(app) as client:
        response = client.get("/search", params={"q": "talks"}, headers={"Origin": allowed})
        assert response.headers["access-control-allow-origin"] == allowed
        response = client.get("/search", params={"q": "talks"}, headers={"Origin": other})
        assert "access-control-allow-origin" not in response.headers

        ok = client.options("/briefs", headers={"Origin": allowed, **preflight})
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == allowed
        assert "x-api-key" in ok.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in ok.headers
        refused = client.options("/briefs", headers={"Origin": other, **preflight})
        assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
        put = client.options("/briefs", headers={"Origin": allowed, "Access-Control-Request-Method": "PUT"})
        assert put.status_code == 400


def test_without_cors_origins_no_origin_is_allowed(fake_stores: Stores, extractor: Extractor) -> None:
    app, _ = _app(fake_stores, extractor)
    with TestClient(app) as client:
        response = client.get("/search", params={"q": "talks"}, headers={"Origin": "https://analyst.example"})
        assert response.status_code == 200 and "access-control-allow-origin" not in response.headers
        preflight = client.options(
            "/briefs", headers={"Origin": "https://analyst.example", "Access-Control-Request-Method": "POST"}
        )
        assert "access-control-allow-origin" not in preflight.headers


# ------------------------------------------------------------------ secrets stay secret


def test_keys_never_reach_the_logs(fake_stores: Stores, extractor: Extractor, caplog: pytest.LogCaptureFixture) -> None:
    """A real uvicorn server with access logs on, everything at DEBUG: no record carries a key."""
    app, _ = _app(fake_stores, extractor, write_keys=KEYS, protect_reads=True)
    caplog.set_level(logging.DEBUG)
    with (
        serve_in_thread(app, log_config=None, log_level="debug", access_log=True) as base_url,
        httpx.Client(base_url=base_url, timeout=30) as client,
    ):
        for key in (*KEYS, WRONG):
            headers = {"X-API-Key": key}
            client.post("/briefs", json={"briefs": [BRIEF]}, headers=headers)
            client.get("/search", params={"q": "talks"}, headers=headers)
            client.delete("/briefs/b-0000", headers=headers)
            client.get("/actors/nobody", headers=headers)
        assert client.get("/healthz").status_code == 200
    assert any(record.name == "uvicorn.access" for record in caplog.records), "access log was not captured"
    assert any(record.name.startswith("ingest") or "briefs" in record.getMessage() for record in caplog.records)
    text = "\n".join(f"{record.getMessage()} {record.args!r} {record.__dict__!r}" for record in caplog.records)
    for key in (*KEYS, WRONG):
        assert key not in text


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("BRIEFGRAPH_"):
            monkeypatch.delenv(name)
    return monkeypatch


def test_settings_never_show_secrets(clean_env: pytest.MonkeyPatch) -> None:
    monkeypatch = clean_env
    monkeypatch.setenv("BRIEFGRAPH_API__WRITE_KEYS", f'["{KEYS[0]}", "{KEYS[1]}"]')
    monkeypatch.setenv("BRIEFGRAPH_GRAPH__NEO4J_PASSWORD", "neo4j-password-7c1d")
    monkeypatch.setenv("BRIEFGRAPH_VECTOR__API_KEY", "qdrant-key-2e9f")
    settings = Settings()
    assert [key.get_secret_value() for key in settings.api.write_keys] == KEYS
    secrets = [*KEYS, "neo4j-password-7c1d", "qdrant-key-2e9f"]
    for shown in (
        repr(settings),
        str(settings),
        settings.model_dump_json(),
        repr(settings.model_dump()),
        f"{settings}",
    ):
        for secret in secrets:
            assert secret not in shown


def test_invalid_settings_do_not_echo_secrets(clean_env: pytest.MonkeyPatch) -> None:
    """A validation error next to a password must not print the password (the CLI shows these errors)."""
    monkeypatch = clean_env
    monkeypatch.setenv("BRIEFGRAPH_GRAPH__BACKEND", "neo4j")
    monkeypatch.setenv("BRIEFGRAPH_GRAPH__NEO4J_URI", "http://wrong-scheme:7687")
    monkeypatch.setenv("BRIEFGRAPH_GRAPH__NEO4J_PASSWORD", "pw-9a8b7c")
    with pytest.raises(ValidationError) as raised:
        Settings()
    assert "unknown scheme" in str(raised.value) and "pw-9a8b7c" not in str(raised.value)

    monkeypatch.delenv("BRIEFGRAPH_GRAPH__BACKEND")
    monkeypatch.setenv("BRIEFGRAPH_API__WRITE_KEYS", f'["{KEYS[0]}", 12345]')
    with pytest.raises(ValidationError) as raised:
        Settings()
    assert KEYS[0] not in str(raised.value) and "12345" not in str(raised.value)
