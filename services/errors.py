"""The one place where briefgraph's errors become HTTP: every error answer of the API is an RFC 9457 problem
document (`application/problem+json`), described in docs/errors.md.

    {"type": "urn:briefgraph:problem:not-found", "title": "Not found", "status": 404,
     "detail": "no brief with id 'x'", "instance": "/briefs/x", "code": "NotFoundError"}

`type` names the kind of problem (a URN: stable, not meant to be fetched), `title` is its fixed human summary,
`detail` says what went wrong this time, `instance` is the request path and `code` the error's short name.
Some problems carry more members: `errors` (request validation), or an ingest report's `outcomes`."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import (
    AccessDeniedError,
    BriefgraphError,
    ConfigurationError,
    InvalidInputError,
    NotFoundError,
    StoreTimeoutError,
    StoreUnavailableError,
    UnreadableBriefError,
)

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:briefgraph:problem:"

# Most specific first: the first class an error is an instance of decides.
STATUS_BY_ERROR: tuple[tuple[type[BriefgraphError], int], ...] = (
    (UnreadableBriefError, 422),
    (InvalidInputError, 400),
    (NotFoundError, 404),
    (StoreTimeoutError, 504),
    (StoreUnavailableError, 503),
    (ConfigurationError, 500),
)

# code -> title: every problem type the API answers with (docs/errors.md lists the same).
TITLES: dict[str, str] = {
    "InvalidInputError": "Invalid input",
    "UnreadableBriefError": "Unreadable brief",
    "NotFoundError": "Not found",
    "AccessDeniedError": "API key missing or not valid",
    "StoreUnavailableError": "Store unavailable",
    "StoreTimeoutError": "Store query timed out",
    "ConfigurationError": "Configuration error",
    "ValidationError": "Request validation failed",
    "RequestTooLarge": "Request body too large",
    "NoReadableBrief": "No brief could be read",
    "IngestFailed": "Ingest failed",
    "HTTPError": "HTTP error",
    "InternalError": "Internal server error",
}


class Problem(BaseModel):
    """An RFC 9457 problem document: every error answer of the API."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="the kind of problem: urn:briefgraph:problem:<name>, or about:blank")
    title: str = Field(description="a fixed summary of that kind")
    status: int
    detail: str = Field(description="what went wrong with this request")
    instance: str | None = Field(default=None, description="the request path")
    code: str = Field(description="short name of the problem, e.g. NotFoundError")


# Declared on every operation that can fail (FastAPI then leaves out its own 422 schema).
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "default": {
        "description": "An error, as an RFC 9457 problem document (docs/errors.md)",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": Problem.model_json_schema()}},
    }
}


def status_for(error: BriefgraphError) -> int:
    if isinstance(error, AccessDeniedError):
        return 401 if error.missing else 403
    return next((status for kind, status in STATUS_BY_ERROR if isinstance(error, kind)), 500)


def problem_type(code: str) -> str:
    """'NotFoundError' -> 'urn:briefgraph:problem:not-found'."""
    words = re.sub(r"Error$", "", code)
    return PROBLEM_TYPE_PREFIX + re.sub(r"(?<!^)(?=[A-Z])", "-", words).lower()


def problem(
    status: int,
    code: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """A problem+json response. `code` is one of TITLES (HTTPError stands for a plain HTTP status)."""
    if code == "HTTPError":
        kind, title = "about:blank", HTTPStatus(status).phrase
    else:
        kind, title = problem_type(code), TITLES[code]
    body: dict[str, Any] = {"type": kind, "title": title, "status": status, "detail": detail, "code": code}
    if instance is not None:
        body["instance"] = instance
    for key, value in (extensions or {}).items():
        body.setdefault(key, value)  # extension members never replace the standard ones
    return JSONResponse(
        status_code=status, content=jsonable_encoder(body), headers=dict(headers or {}), media_type=PROBLEM_MEDIA_TYPE
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BriefgraphError)
    async def handle(request: Request, error: BriefgraphError) -> JSONResponse:
        status = status_for(error)
        if status >= 500:
            log.warning("%s %s -> %d: %s", request.method, request.url.path, status, error)
        headers = {"WWW-Authenticate": "ApiKey"} if status == 401 else None
        code = type(error).__name__ if type(error).__name__ in TITLES else _nearest_code(error)
        return problem(status, code, str(error), instance=request.url.path, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(item.get("loc", ())), "msg": str(item.get("msg", "")), "type": str(item.get("type", ""))}
            for item in error.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(part) for part in first["loc"])
        detail = f"{where}: {first['msg']}" if where else str(first["msg"])
        return problem(422, "ValidationError", detail, instance=request.url.path, extensions={"errors": errors})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        return problem(
            error.status_code, "HTTPError", str(error.detail), instance=request.url.path, headers=error.headers
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("%s %s -> 500", request.method, request.url.path)
        return problem(500, "InternalError", "the server failed to answer this request", instance=request.url.path)


def _nearest_code(error: BriefgraphError) -> str:
    """A subclass the table does not name answers as the nearest class it does."""
    for kind in type(error).__mro__:
        if kind.__name__ in TITLES:
            return kind.__name__
    return "InternalError"
