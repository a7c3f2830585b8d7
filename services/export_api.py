"""HTTP routes of the exports (services/export.py): the graph as GraphML or JSON, interactions as CSV."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from core.bootstrap import Stores
from services import export, queries

GRAPHML_MEDIA_TYPE = "application/graphml+xml"
CSV_MEDIA_TYPE = "text/csv"


class GraphFormat(StrEnum):
    JSON = "json"
    GRAPHML = "graphml"


async def _stores(request: Request) -> Stores:  # async: a plain def would cost a thread hop per request
    stores: Stores = request.app.state.runtime.stores
    return stores


StoresDep = Annotated[Stores, Depends(_stores)]
FromQuery = Annotated[dt.date | None, Query(alias="from", description="first day, YYYY-MM-DD")]
ToQuery = Annotated[dt.date | None, Query(alias="to", description="last day, YYYY-MM-DD")]
TypeQuery = Annotated[
    list[str], Query(alias="type", max_length=20, description="PLOVER types, e.g. CONSULT or ASSAULT")
]


def _filename(*parts: str) -> str:
    return "-".join(re.sub(r"[^A-Za-z0-9_.-]+", "_", part)[:60] for part in parts if part) or "export"


def export_router() -> APIRouter:
    router = APIRouter(prefix="/export", tags=["export"])

    @router.get(
        "/graph",
        summary="The interaction graph (or one actor's neighbourhood) as GraphML or JSON",
        description="Nodes are actors; edges aggregate interactions per source, target and PLOVER type (`weight` = "
        "count, mean cooperation–conflict score, first and last date). GraphML opens in Gephi, Cytoscape desktop "
        "and yEd. Filters as on `/actors/{actor}/interactions`.",
        response_class=Response,
        responses={200: {"content": {"application/json": {}, GRAPHML_MEDIA_TYPE: {}}}},
    )
    def graph(
        stores: StoresDep,
        format: Annotated[GraphFormat, Query(description="json or graphml")] = GraphFormat.JSON,
        actor: Annotated[
            str | None, Query(max_length=200, description="an actor's neighbourhood; without it, the whole graph")
        ] = None,
        date_from: FromQuery = None,
        date_to: ToQuery = None,
        event_type: TypeQuery = [],  # noqa: B006
    ) -> Response:
        queries.check_range(date_from, date_to)
        types = queries.parse_types(event_type)
        center = queries.resolve_actor(stores, actor) if actor else None
        built = export.build_graph(stores, center, date_from, date_to, types)
        if format is GraphFormat.JSON:
            return JSONResponse(export.graph_json(built))
        name = _filename("briefgraph", center.id if center else "graph")
        return Response(
            export.graph_graphml(built),
            media_type=GRAPHML_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}.graphml"'},
        )

    @router.get(
        "/interactions.csv",
        summary="An actor's interactions (with `with`: the dyad's) and their evidence sentences, as CSV",
        description="One row per interaction, in date order: date, type, mode, score, both ends (ids and names), "
        "agents, place, trigger, the evidence sentence, brief id and title. Cells that a spreadsheet would read "
        "as a formula start with a quote.",
        response_class=Response,
        responses={200: {"content": {CSV_MEDIA_TYPE: {}}}},
    )
    def interactions_csv(
        stores: StoresDep,
        actor: Annotated[str, Query(min_length=1, max_length=200)],
        other: Annotated[str | None, Query(alias="with", max_length=200)] = None,
        date_from: FromQuery = None,
        date_to: ToQuery = None,
        event_type: TypeQuery = [],  # noqa: B006
    ) -> Response:
        queries.check_range(date_from, date_to)
        types = queries.parse_types(event_type)
        first = queries.resolve_actor(stores, actor)
        second = queries.resolve_actor(stores, other) if other else None
        records = stores.graph.interactions(
            first.id, second.id if second else None, date_from, date_to, types, export.MAX_EXPORT_INTERACTIONS
        )
        name = _filename("briefgraph", first.id, second.id if second else "")
        return Response(
            export.interactions_csv(records),
            media_type=CSV_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )

    return router
