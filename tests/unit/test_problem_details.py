"""Every error answer of the API is one shape: an RFC 9457 problem document (docs/errors.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from core.bootstrap import Stores
from core.errors import BriefgraphError, NotFoundError, StoreError, StoreTimeoutError
from services.app import create_app
from services.errors import PROBLEM_MEDIA_TYPE, TITLES, problem_type

DOCS = Path(__file__).resolve().parents[2] / "docs" / "errors.md"
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "code"}


@pytest.fixture
def client(fake_stores: Stores) -> Iterator[TestClient]:
    with TestClient(create_app(stores=fake_stores), raise_server_exceptions=False) as test_client:
        yield test_client


def _problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status and body["code"] == code
    return body


def test_not_found_error_is_a_problem(client: TestClient) -> None:
    body = _problem(client.get("/briefs/no-such-brief"), 404, "NotFoundError")
    assert body["type"] == "urn:briefgraph:problem:not-found"
    assert body["title"] == "Not found"
    assert body["detail"] == "no brief with id 'no-such-brief'"
    assert body["instance"] == "/briefs/no-such-brief"


def test_invalid_input_is_a_problem(client: TestClient) -> None:
    body = _problem(
        client.get("/search", params={"q": "talks", "from": "2025-05-01", "to": "2025-01-01"}), 400, "InvalidInputError"
    )
    assert "is after" in str(body["detail"])


def test_request_validation_is_a_problem_with_each_error(client: TestClient) -> None:
    body = _problem(client.get("/search", params={"k": 0}), 422, "ValidationError")
    errors = body["errors"]
    assert isinstance(errors, list)
    assert {tuple(e["loc"]) for e in errors} == {("query", "q"), ("query", "k")}
    assert all(set(e) == {"loc", "msg", "type"} for e in errors)  # the rejected input is not echoed back
    assert str(body["detail"]).startswith("query.")


def test_unknown_route_and_wrong_method_are_plain_http_problems(client: TestClient) -> None:
    body = _problem(client.get("/no/such/route"), 404, "HTTPError")
    assert body["type"] == "about:blank" and body["title"] == "Not Found"
    assert _problem(client.put("/search"), 405, "HTTPError")["title"] == "Method Not Allowed"


def test_an_unexpected_failure_is_a_problem_that_tells_nothing_inside(
    client: TestClient, fake_stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(brief_id: str) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(fake_stores.graph, "get_brief", broken)
    body = _problem(client.get("/briefs/x"), 500, "InternalError")
    assert "secret" not in str(body)


def test_problem_types_are_distinct_urns() -> None:
    kinds = [problem_type(code) for code in TITLES if code != "HTTPError"]
    assert len(set(kinds)) == len(kinds)
    assert problem_type("StoreTimeoutError") == "urn:briefgraph:problem:store-timeout"
    assert problem_type("RequestTooLarge") == "urn:briefgraph:problem:request-too-large"


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (NotFoundError("x"), "NotFoundError"),
        (StoreTimeoutError("x"), "StoreTimeoutError"),
        (StoreError("x"), "InternalError"),
    ],
)
def test_errors_without_a_title_of_their_own_answer_as_their_nearest_kind(
    client: TestClient, fake_stores: Stores, monkeypatch: pytest.MonkeyPatch, error: BriefgraphError, code: str
) -> None:
    def failing(brief_id: str) -> None:
        raise error

    monkeypatch.setattr(fake_stores.graph, "get_brief", failing)
    assert client.get("/briefs/x").json()["code"] == code


def test_openapi_declares_the_problem_shape_on_every_api_operation(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            if path in {"/healthz", "/readyz"}:
                continue
            content = operation["responses"]["default"]["content"]
            assert list(content) == [PROBLEM_MEDIA_TYPE], (method, path)
            assert "HTTPValidationError" not in str(operation["responses"]), (method, path)


def test_docs_list_every_problem_code() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for code in TITLES:
        assert f"`{code}`" in text, code
