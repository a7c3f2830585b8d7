"""The FastAPI application: lifespan-owned stores, API-key protected writes, one error mapping."""

from __future__ import annotations

import datetime as dt
import gc
import hmac
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response, status
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.alias_scan import alias_index
from core.bootstrap import Stores, build_stores
from core.errors import AccessDeniedError, BriefgraphError, InvalidInputError, NotFoundError, StoreUnavailableError
from core.models import ActorMerge, ActorSummary, BriefInfo, IngestReport
from core.ports import BriefWriter
from core.settings import Settings
from services import ask as ask_logic
from services import queries, relations
from services.errors import PROBLEM_RESPONSES, install_error_handlers, problem
from services.export_api import export_router
from services.schemas import (
    ActorDetail,
    AskRequest,
    AskResponse,
    BriefDetail,
    Health,
    IngestRequest,
    InteractionsResponse,
    MergeRequest,
    MergeResponse,
    PathsResponse,
    SearchResponse,
    SimilarResponse,
)
from services.web import install_web

log = logging.getLogger(__name__)

WriterFactory = Callable[[Stores], BriefWriter]


@dataclass
class Runtime:
    stores: Stores
    writer: BriefWriter | None
    alias_index: dict[str, str]


# The dependencies below are `async def` although they never wait: FastAPI runs a plain `def` dependency in its
# thread pool: a thread hop per dependency per request, for nothing.
async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def _check_key(request: Request, runtime: Runtime) -> None:
    keys = runtime.stores.settings.api.write_keys
    if not keys:
        return
    given = request.headers.get("x-api-key")
    if not given:
        raise AccessDeniedError("this endpoint needs an API key in the X-API-Key header", missing=True)
    # Compare against every key in constant time so timing says nothing about which key nearly matched.
    matches = [hmac.compare_digest(given.encode(), key.get_secret_value().encode()) for key in keys]
    if not any(matches):
        raise AccessDeniedError("the API key is not valid", missing=False)


async def require_write_key(request: Request, runtime: RuntimeDep) -> None:
    _check_key(request, runtime)


async def require_read_access(request: Request, runtime: RuntimeDep) -> None:
    if runtime.stores.settings.api.protect_reads:
        _check_key(request, runtime)


class _BodyLimit:
    """Refuses request bodies over the limit with 413, whether the client declared a Content-Length or sent a
    chunked body without one: the body is read, up to the limit, before the app sees any of it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self._app = app
        self._max = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self._max):
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self._max:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self._app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            413, "RequestTooLarge", f"request body over the {self._max} byte limit", instance=scope.get("path")
        )
        await response(scope, receive, send)


def create_app(
    settings: Settings | None = None,
    *,
    stores: Stores | None = None,
    writer_factory: WriterFactory | None = None,
) -> FastAPI:
    """The API. With `stores`, the app uses them and leaves closing them to the caller (tests); otherwise the
    lifespan builds them from `settings` and closes them at shutdown. `writer_factory` supplies the write path
    (the composition root passes the ingest pipeline); without it, write endpoints answer 503."""
    settings = settings or (stores.settings if stores else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = stores is None
        # default_threads: see EmbeddingSettings.threads; warm_vectors: the store's files are read while it opens
        active = stores or build_stores(settings, default_threads=1, warm_vectors=True)
        writer = writer_factory(active) if writer_factory else None
        if not settings.api.write_keys:
            log.warning("no API keys configured (BRIEFGRAPH_API__WRITE_KEYS): write endpoints are open")
        app.state.runtime = Runtime(stores=active, writer=writer, alias_index=alias_index(active.registry))
        if owned:
            # what start-up built lives as long as the process: out of the collector's reach, a full collection no
            # longer walks it inside some request (~20 ms each at 100k briefs: similar's p95 went 18.7 -> 15.0 ms)
            gc.freeze()
        try:
            yield
        finally:
            if owned:
                active.close()

    app = FastAPI(
        title="briefgraph",
        version="0.1.0",
        summary="Knowledge graph and semantic search over geopolitical and security briefs",
        description="Typed actor interactions (PLOVER) with sentence-level provenance, semantic search over "
        "passages, similar briefs, dyad timelines, paths between actors and cited answers to questions; graph and "
        "evidence exports. Errors are RFC 9457 problem documents (application/problem+json). The web UI is at /.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.add_middleware(_BodyLimit, max_bytes=settings.api.max_request_bytes)
    if settings.api.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.api.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["X-API-Key", "Content-Type"],
        )
    app.include_router(_health_router())
    app.include_router(_read_router(), dependencies=[Depends(require_read_access)], responses=PROBLEM_RESPONSES)
    app.include_router(_write_router(), dependencies=[Depends(require_write_key)], responses=PROBLEM_RESPONSES)
    app.include_router(export_router(), dependencies=[Depends(require_read_access)], responses=PROBLEM_RESPONSES)
    install_web(app, dependencies=[Depends(require_read_access)])  # the analysts' pages at / (services/web)
    return app


def _health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", response_model=Health, summary="Liveness: the process answers")
    def healthz() -> Health:
        return Health(status="ok")

    @router.get(
        "/readyz", response_model=Health, summary="Readiness: both stores answer", responses={503: {"model": Health}}
    )
    def readyz(runtime: RuntimeDep) -> Response | Health:
        checks: dict[str, str] = {}
        for name, ping in (("graph", runtime.stores.graph.ping), ("vectors", runtime.stores.vectors.ping)):
            try:
                ping()
                checks[name] = "ok"
            except BriefgraphError as error:
                checks[name] = f"unavailable: {error}"
        if all(v == "ok" for v in checks.values()):
            return Health(
                status="ready",
                checks=checks,
                counts=runtime.stores.graph.counts(),
                vectors=runtime.stores.vectors.count(),
            )
        return JSONResponse(status_code=503, content=Health(status="not ready", checks=checks).model_dump())

    return router


def _read_router() -> APIRouter:
    router = APIRouter()

    @router.get(
        "/search",
        response_model=SearchResponse,
        tags=["search"],
        summary="Semantic search over passages, grouped by brief",
    )
    # search and similar are `async def` handing their blocking work to the thread pool themselves: for a plain
    # `def` endpoint FastAPI hops to the pool twice, once to run it and once to check its response
    async def search(
        runtime: RuntimeDep,
        q: Annotated[str, Query(min_length=1, max_length=1_000, description="what to look for")],
        k: Annotated[int, Query(ge=1, le=queries.MAX_K)] = 10,
        date_from: Annotated[dt.date | None, Query(alias="from")] = None,
        date_to: Annotated[dt.date | None, Query(alias="to")] = None,
        actor: Annotated[list[str], Query(max_length=10, description="actor ids or names; all must appear")] = [],  # noqa: B006
    ) -> SearchResponse:
        results = await run_in_threadpool(
            queries.search, runtime.stores, q, k, date_from, date_to, actor, index=runtime.alias_index
        )
        return SearchResponse(query=q, results=results)

    @router.get(
        "/briefs/{brief_id}",
        response_model=BriefDetail,
        tags=["briefs"],
        summary="A brief with its sections and the interactions extracted from it",
    )
    def get_brief(runtime: RuntimeDep, brief_id: str) -> BriefDetail:
        brief: BriefInfo | None = runtime.stores.graph.get_brief(brief_id)
        if brief is None:
            raise NotFoundError(f"no brief with id {brief_id!r}")
        graph = runtime.stores.graph
        return BriefDetail(brief=brief, interactions=graph.brief_interactions(brief_id), copies=graph.copies(brief_id))

    @router.get(
        "/briefs/{brief_id}/similar",
        response_model=SimilarResponse,
        tags=["briefs"],
        summary="Past briefs most similar to this one",
    )
    async def similar(
        runtime: RuntimeDep, brief_id: str, k: Annotated[int, Query(ge=1, le=queries.MAX_K)] = 5
    ) -> SimilarResponse:
        found = await run_in_threadpool(queries.similar, runtime.stores, brief_id, k)
        return SimilarResponse(brief_id=brief_id, similar=found)

    @router.get(
        "/actors", response_model=list[ActorSummary], tags=["actors"], summary="Find actors by id, name or alias"
    )
    def find_actors(
        runtime: RuntimeDep,
        q: Annotated[str, Query(max_length=200)] = "",
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
    ) -> list[ActorSummary]:
        return runtime.stores.graph.find_actors(q, limit)

    @router.get("/merges", response_model=list[ActorMerge], tags=["actors"], summary="Actor merges in force")
    def merges(runtime: RuntimeDep) -> list[ActorMerge]:
        return runtime.stores.graph.merges()

    @router.get(
        "/actors/{actor}",
        response_model=ActorDetail,
        tags=["actors"],
        summary="An actor (by id or any alias): aliases, roles, counts, top counterparts",
    )
    def get_actor(runtime: RuntimeDep, actor: str, limit: Annotated[int, Query(ge=1, le=100)] = 10) -> ActorDetail:
        return relations.actor_detail(runtime.stores, actor, limit)

    @router.get(
        "/actors/{actor}/interactions",
        response_model=InteractionsResponse,
        tags=["actors"],
        summary="An actor's interactions (with one counterpart: the dyad's timeline), with evidence",
    )
    def interactions(
        runtime: RuntimeDep,
        actor: str,
        other: Annotated[str | None, Query(alias="with", max_length=200)] = None,
        date_from: Annotated[dt.date | None, Query(alias="from")] = None,
        date_to: Annotated[dt.date | None, Query(alias="to")] = None,
        event_type: Annotated[
            list[str], Query(alias="type", max_length=20, description="PLOVER types, e.g. CONSULT or ASSAULT")
        ] = [],  # noqa: B006
        limit: Annotated[
            int, Query(ge=1, le=2_000, description="page size: the newest interactions, returned in date order")
        ] = 100,
    ) -> InteractionsResponse:
        return relations.interactions(runtime.stores, actor, other, date_from, date_to, event_type, limit)

    @router.get(
        "/actors/{source}/paths/{target}",
        response_model=PathsResponse,
        tags=["actors"],
        summary="How two actors connect: shortest chains of interactions",
    )
    def paths(
        runtime: RuntimeDep,
        source: str,
        target: str,
        max_hops: Annotated[int, Query(ge=1, le=queries.MAX_HOPS)] = 3,
        limit: Annotated[int, Query(ge=1, le=20)] = 5,
    ) -> PathsResponse:
        first = queries.resolve_actor(runtime.stores, source)
        second = queries.resolve_actor(runtime.stores, target)
        found = runtime.stores.graph.paths(first.id, second.id, max_hops, limit)
        return PathsResponse(
            source=first, target=second, max_hops=max_hops, paths=[queries.path_steps(p.steps) for p in found]
        )

    @router.post(
        "/ask",
        response_model=AskResponse,
        tags=["search"],
        summary="Answer a question from graph facts and passages, with citations",
    )
    def ask(runtime: RuntimeDep, body: AskRequest) -> AskResponse:
        return ask_logic.answer(runtime.stores, runtime.alias_index, body.question, body.k)

    return router


def _write_router() -> APIRouter:
    router = APIRouter(tags=["briefs"])

    def writer_of(runtime: Runtime) -> BriefWriter:
        if runtime.writer is None:
            raise StoreUnavailableError("this server was started without a write path")
        return runtime.writer

    @router.post(
        "/briefs",
        response_model=IngestReport,
        status_code=status.HTTP_200_OK,
        summary="Ingest briefs (needs an API key when keys are configured)",
        responses={422: {"description": "no brief could be read"}},
    )
    def ingest(runtime: RuntimeDep, body: IngestRequest) -> IngestReport | JSONResponse:
        records = [brief.model_dump(exclude_none=True) for brief in body.briefs]
        report = writer_of(runtime).ingest_records(records, source="api")
        outcomes = report.model_dump(mode="json")  # a failed ingest is a problem document holding the report
        if report.outcomes and all(o.status == "skipped" for o in report.outcomes):
            return problem(422, "NoReadableBrief", "no brief could be read", instance="/briefs", extensions=outcomes)
        if not report.ok:
            return problem(503, "IngestFailed", "a brief was not written", instance="/briefs", extensions=outcomes)
        return report

    @router.post(
        "/actors/{actor}/merge",
        response_model=MergeResponse,
        tags=["actors"],
        summary="Fold an actor into another (logged, reversible with /split; needs an API key)",
    )
    def merge(runtime: RuntimeDep, actor: str, body: MergeRequest) -> MergeResponse:
        merge_record, rewritten = writer_of(runtime).merge_actors(actor, body.into, body.reason)
        return MergeResponse(**merge_record.model_dump(), briefs_rewritten=rewritten)

    @router.post(
        "/actors/{actor}/split",
        response_model=MergeResponse,
        tags=["actors"],
        summary="Undo the merge of this actor (needs an API key)",
    )
    def split(runtime: RuntimeDep, actor: str) -> MergeResponse:
        merge_record, rewritten = writer_of(runtime).split_actor(actor)
        return MergeResponse(**merge_record.model_dump(), briefs_rewritten=rewritten)

    @router.delete(
        "/briefs/{brief_id}",
        status_code=status.HTTP_204_NO_CONTENT,
        summary="Delete a brief from both stores (needs an API key when keys are configured)",
    )
    def delete(runtime: RuntimeDep, brief_id: str) -> Response:
        if len(brief_id) > 200:
            raise InvalidInputError("brief id too long")
        if not writer_of(runtime).delete(brief_id):
            raise NotFoundError(f"no brief with id {brief_id!r}")
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router
