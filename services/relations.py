"""Actor and dyad read models shared by the API, the web pages and the CLI: one definition of what an actor's
page and a dyad's page hold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from core.bootstrap import Stores
from services import queries
from services.schemas import ActorDetail, InteractionsResponse, RoleOut


def actor_detail(stores: Stores, key: str, limit: int = 10) -> ActorDetail:
    """An actor by id, name or alias: its summary, dated roles from the registry and top counterparts."""
    summary = queries.resolve_actor(stores, key)
    known = stores.registry.get(summary.id)
    roles = [
        RoleOut(title=r.title, affiliation=r.affiliation, start=r.start, end=r.end)
        for r in (known.roles if known else ())
    ]
    return ActorDetail(actor=summary, roles=roles, counterparts=stores.graph.counterparts(summary.id, limit))


def interactions(
    stores: Stores,
    actor: str,
    other: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    event_types: Sequence[str] = (),
    limit: int = 100,
) -> InteractionsResponse:
    """An actor's interactions (with `other`: the dyad's), the newest `limit` in date order, and the summary of
    every matching one."""
    queries.check_range(date_from, date_to)
    types = queries.parse_types(event_types)
    first = queries.resolve_actor(stores, actor)
    second = queries.resolve_actor(stores, other) if other else None
    selection = (first.id, second.id if second else None, date_from, date_to, types)
    records = stores.graph.interactions(*selection, limit)
    summary = queries.summary_of(stores.graph.interaction_stats(*selection))
    return InteractionsResponse(
        actor=first, other=second, interactions=records, summary=summary, truncated=summary.total > len(records)
    )
