"""The graph port's contract for copies of one text (GraphStore.copy_candidates / copies, origins in
corroboration), the same on every backend."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.adapters.cypher_graph import CypherGraphStore
from core.adapters.embedded_graph import EmbeddedGraphStore
from core.errors import ConfigurationError
from core.models import ExtractedBrief
from graph_schema.ontology import EventType
from tests.graph_fixtures import ISR, SYR, TUR, make_brief

DAY = dt.date(2025, 4, 10)
TALKS = (TUR, ISR, EventType.CONSULT, False, "Turkish and Israeli officials held talks in Baku.")
STRIKE = (ISR, SYR, EventType.ASSAULT, True, "Israel struck an airbase in Syria.")


def copy_of(item: ExtractedBrief, *, origin: str | None, keys: tuple[str, ...] = ()) -> ExtractedBrief:
    return item.model_copy(update={"brief": item.brief.model_copy(update={"origin": origin, "copy_keys": keys})})


def test_candidates_are_the_briefs_sharing_keys_most_shared_first(graph_store: CypherGraphStore) -> None:
    graph_store.replace_briefs(
        [
            copy_of(make_brief("a", DAY, [TALKS]), origin="x:a", keys=("x:a", "m0:1", "m1:1")),
            copy_of(make_brief("b", DAY, [TALKS]), origin="x:a", keys=("x:b", "m0:1", "m1:2")),
            copy_of(make_brief("c", DAY, [STRIKE]), origin="x:c", keys=("x:c", "m0:9", "m1:9")),
        ]
    )
    found = graph_store.copy_candidates(["x:a", "m0:1", "m1:1"], exclude_ids={"new"}, limit=10)
    assert [(c.brief_id, c.origin, c.shared_keys) for c in found] == [
        ("a", "x:a", ("m0:1", "m1:1", "x:a")),
        ("b", "x:a", ("m0:1",)),
    ]
    assert [c.brief_id for c in graph_store.copy_candidates(["x:a", "m0:1"], exclude_ids={"a", "c"}, limit=10)] == ["b"]
    assert len(graph_store.copy_candidates(["m0:1"], exclude_ids={"new"}, limit=1)) == 1
    # the limit counts what is left after the exclusion
    assert [c.brief_id for c in graph_store.copy_candidates(["m0:1"], exclude_ids={"a"}, limit=1)] == ["b"]
    assert graph_store.copy_candidates(["nothing"], exclude_ids={"new"}, limit=10) == []


def test_copies_are_the_other_briefs_of_one_origin(graph_store: CypherGraphStore) -> None:
    graph_store.replace_briefs(
        [
            copy_of(make_brief("a", DAY, [TALKS]), origin="x:a", keys=("x:a",)),
            copy_of(make_brief("b", DAY + dt.timedelta(days=1), [TALKS]), origin="x:a", keys=("x:b",)),
            copy_of(make_brief("c", DAY, [TALKS]), origin="x:c", keys=("x:c",)),
        ]
    )
    assert [ref.id for ref in graph_store.copies("a")] == ["b"]
    assert [ref.id for ref in graph_store.copies("b")] == ["a"]
    assert graph_store.copies("c") == [] and graph_store.copies("missing") == []
    info = graph_store.get_brief("b")
    assert info is not None and info.origin == "x:a"
    assert graph_store.briefs_without_origin() == []

    # a rewrite with another origin leaves the family; a delete takes the brief and its keys away
    graph_store.replace_brief(copy_of(make_brief("b", DAY, [STRIKE]), origin="x:b2", keys=("x:b2",)))
    assert graph_store.copies("a") == []
    assert [c.brief_id for c in graph_store.copy_candidates(["x:b", "x:b2"], {"new"}, 10)] == ["b"]
    graph_store.replace_brief(copy_of(make_brief("d", DAY, [TALKS]), origin="x:a", keys=("x:a",)))
    assert [ref.id for ref in graph_store.copies("a")] == ["d"]
    assert graph_store.delete_brief("d")
    assert graph_store.copies("a") == []
    assert [c.brief_id for c in graph_store.copy_candidates(["x:a"], {"new"}, 10)] == ["a"]


def test_corroboration_counts_an_event_once_per_origin(graph_store: CypherGraphStore) -> None:
    graph_store.replace_briefs(
        [
            copy_of(make_brief("wire", DAY, [TALKS]), origin="x:wire"),
            copy_of(make_brief("repost", DAY, [TALKS]), origin="x:wire"),
        ]
    )
    stats = graph_store.interaction_stats("TUR", "ISR")
    assert sum(b.count for b in stats.buckets) == 2  # both briefs' interactions are kept and shown
    assert stats.corroborated_events == 0  # ... but one text is one source
    records = graph_store.interactions("TUR", "ISR")
    assert {r.origin for r in records} == {"x:wire"}

    graph_store.replace_brief(copy_of(make_brief("own", DAY, [TALKS]), origin=None))  # an independent report
    assert graph_store.interaction_stats("TUR", "ISR").corroborated_events == 1
    from services.queries import stats_of

    assert stats_of(graph_store.interactions("TUR", "ISR")).corroborated_events == 1


def test_a_folder_from_before_copy_detection_is_brought_up_to_date(tmp_path: Path) -> None:
    """Brief.origin, INTERACTS.origin and the copy key tables are added on the first writable open; until then a
    read-only open says what to do."""
    import ladybug

    from graph_schema import cypher

    path = tmp_path / "graph"
    old_ddl = [
        statement.replace(", origin STRING", "")
        for statement in cypher.LADYBUG_DDL
        if cypher.COPY_KEY not in statement and cypher.HAS_COPY_KEY not in statement
    ]
    database = ladybug.Database(str(path))
    connection = ladybug.Connection(database)
    for statement in old_ddl:
        connection.execute(statement)
    connection.execute("CREATE (:Brief {id: 'old', title: 'Old', source: 't', content_hash: 'h', sections: '[]'})")
    connection.close()
    database.close()

    with pytest.raises(ConfigurationError, match="predates copy detection"):
        EmbeddedGraphStore(path, read_only=True)
    store = EmbeddedGraphStore(path)
    try:
        store.apply_schema()
        store.apply_schema()
        info = store.get_brief("old")
        assert info is not None and info.origin is None and store.copies("old") == []
        assert store.briefs_without_origin() == ["old"]
        store.replace_brief(copy_of(make_brief("new", DAY, [TALKS]), origin="x:n", keys=("x:n",)))
        assert [c.brief_id for c in store.copy_candidates(["x:n"], {"other"}, 5)] == ["new"]
    finally:
        store.close()
    EmbeddedGraphStore(path, read_only=True).close()


def test_replaced_texts_are_logged_once_each_with_their_sections(graph_store: CypherGraphStore) -> None:
    from core.models import ReplacedText

    old = make_brief("a", DAY, [TALKS]).brief
    text = ReplacedText(
        brief_id="a",
        title=old.title,
        date=DAY,
        url="https://p.example/m#latest",
        source="first.json#0",
        content_hash="h1",
        replaced_by_hash="h2",
        replaced_at="2026-12-03T08:00:00+00:00",
        same_story=False,
        sections=old.sections,
    )
    edit = text.model_copy(
        update={"content_hash": "h2", "replaced_by_hash": "h3", "replaced_at": "2026-12-03T09:00:00+00:00"}
    )
    graph_store.record_replaced([text, edit.model_copy(update={"same_story": True, "sections": ()})])
    graph_store.record_replaced([text])  # logged again: still once
    logged = graph_store.replaced_texts()
    assert [(t.content_hash, t.same_story) for t in logged] == [("h1", False), ("h2", True)]
    assert logged[0] == text
    graph_store.record_replaced([])
