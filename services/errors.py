"""The one place where briefgraph's error tree becomes HTTP."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

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

# Most specific first: the first class an error is an instance of decides.
STATUS_BY_ERROR: tuple[tuple[type[BriefgraphError], int], ...] = (
    (UnreadableBriefError, 422),
    (InvalidInputError, 400),
    (NotFoundError, 404),
    (StoreTimeoutError, 504),
    (StoreUnavailableError, 503),
    (ConfigurationError, 500),
)


def status_for(error: BriefgraphError) -> int:
    if isinstance(error, AccessDeniedError):
        return 401 if error.missing else 403
    return next((status for kind, status in STATUS_BY_ERROR if isinstance(error, kind)), 500)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BriefgraphError)
    async def handle(request: Request, error: BriefgraphError) -> JSONResponse:
        status = status_for(error)
        if status >= 500:
            log.warning("%s %s -> %d: %s", request.method, request.url.path, status, error)
        headers = {"WWW-Authenticate": "ApiKey"} if status == 401 else None
        return JSONResponse(
            status_code=status,
            headers=headers,
            content={"error": {"type": type(error).__name__, "message": str(error)}},
        )
