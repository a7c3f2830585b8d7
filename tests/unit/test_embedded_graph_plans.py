"""Writing a brief into the embedded graph looks nodes up by key and never scans a node table: a scan makes every
write slower as the graph grows (LadybugDB plans `MATCH (b ...), (a ...)` as a cross product of two scans, and
`UNWIND ... MERGE` as a scan joined with the rows). Checked on the engine's own plans, not on timings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest

from core.adapters.embedded_graph import EmbeddedGraphStore
from graph_schema.ontology import EventType
from tests.graph_fixtures import ISR, SYR, TUR, make_brief

_TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK")


def _plans_of_writes(store: EmbeddedGraphStore, write: Any) -> dict[str, str]:
    """Each statement `write` sends, with the plan the engine makes for it (same parameters)."""
    plans: dict[str, str] = {}
    execute = store._execute

    def explaining(connection: Any, query: str, params: Mapping[str, Any] | None) -> Any:
        if not query.startswith(_TRANSACTION) and not query.startswith("EXPLAIN"):
            rows = execute(connection, "EXPLAIN " + query, params)
            plans[query] = " ".join(str(value) for row in rows for value in row.values())
        return execute(connection, query, params)

    store._execute = explaining  # type: ignore[method-assign]
    try:
        write()
    finally:
        del store._execute
    return plans


@pytest.fixture
def store() -> Any:
    graph = EmbeddedGraphStore(None)
    graph.replace_briefs(
        [make_brief("b-1", dt.date(2025, 3, 1), [(TUR, ISR, EventType.CONSULT, False, "Turkey and Israel met.")])]
    )
    yield graph
    graph.close()


def test_a_new_brief_is_written_by_key_lookups_only(store: EmbeddedGraphStore) -> None:
    new = make_brief("b-2", dt.date(2025, 3, 2), [(ISR, SYR, EventType.ASSAULT, True, "Israel struck Syria.")])
    plans = _plans_of_writes(store, lambda: store.replace_briefs([new]))
    assert any("MENTIONS" in query for query in plans) and any("INTERACTS" in query for query in plans)
    scanning = [query for query, plan in plans.items() if "SCAN_NODE_TABLE" in plan]
    assert scanning == [], "\n".join(scanning)


def test_the_mention_and_interaction_writes_would_be_caught_scanning(store: EmbeddedGraphStore) -> None:
    """The check above can see a scan: the two-pattern form of the mention write is planned as one."""
    rows = store._execute(
        store._conn,
        "EXPLAIN UNWIND $rows AS row MATCH (b:Brief {id: row.brief_id}), (a:Actor {id: row.actor_id}) RETURN b.id",
        {"rows": [{"brief_id": "b-1", "actor_id": "TUR"}]},
    )
    assert "SCAN_NODE_TABLE" in " ".join(str(value) for row in rows for value in row.values())
