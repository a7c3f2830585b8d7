"""`briefgraph copy-graph`: the embedded graph copied into a real Neo4j answers every read as the folder does."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgraph.cli import main
from core.adapters.cypher_graph import CypherGraphStore
from core.adapters.embedded_graph import EmbeddedGraphStore
from core.adapters.neo4j_graph import Neo4jGraphStore
from core.bootstrap import build_stores
from core.errors import ConfigurationError
from core.graph_copy import check_source_tables, copy_graph, open_source, table_counts
from core.models import ActorMerge, ReplacedText, Section
from core.settings import Settings
from graph_schema.cypher import NODE_TABLES, REL_TABLES
from ingest.pipeline import IngestPipeline
from tests.conftest import Neo4jConnection, neo4j_store
from tests.fakes import HashingEmbedder

# written for this test; the second and third tell one story in the same words (copies share an origin)
RECORDS: list[dict[str, Any]] = [
    {
        "title": "Egypt hosts talks between Israel and Hamas",
        "date": "2025-02-14",
        "url": "https://example.org/copy/1",
        "description": "Egyptian mediators met Israeli negotiators in Cairo on Friday. Israel accused Hamas of "
        "delaying the release of hostages.",
        "impact": "Egypt urged both sides to extend the ceasefire by another week.",
    },
    {
        "title": "Turkey and Syria agree to reopen a border crossing",
        "date": "2025-03-03",
        "url": "https://example.org/copy/2",
        "description": "Turkish and Syrian officials agreed in Ankara to reopen the Bab al-Hawa crossing for "
        "trade. Turkey promised Syria help with rebuilding the road to Aleppo.",
        "impact": "Trucks could cross again within a month, officials said.",
    },
    {
        "title": "Border crossing to reopen, say Ankara and Damascus",
        "date": "2025-03-04",
        "url": "https://example.org/copy/3",
        "description": "Turkish and Syrian officials agreed in Ankara to reopen the Bab al-Hawa crossing for "
        "trade. Turkey promised Syria help with rebuilding the road to Aleppo.",
        "impact": "Trucks could cross again within a month, officials said.",
    },
    {
        "title": "Iran warns Israel over strikes in Syria",
        "date": None,
        "url": "https://example.org/copy/4",
        "description": "Iran warned Israel that further air strikes in Syria would draw a response. Russia "
        "called on Iran and Israel to show restraint.",
        "impact": "Israel struck a weapons depot near Damascus two days later.",
    },
]


def _embedded_graph(tmp_path: Path) -> Path:
    """An embedded graph with a row in every table: ingested briefs, a merge, a replaced text."""
    settings = Settings(data_dir=tmp_path / "data", vector={"in_memory": True})
    _fill(settings)
    return settings.graph_path


def _fill(settings: Settings) -> None:
    stores = build_stores(settings, embedder=HashingEmbedder())
    try:
        report = IngestPipeline(stores, workers=0).ingest_records(RECORDS, source="copy-test")
        assert report.ok, report.summary()
        stores.graph.record_merge(
            ActorMerge(source_id="person:test-envoy", target_id="EGY", reason="test", created_at="2025-05-01T10:00")
        )
        brief_id = sorted(stores.graph.brief_hashes())[0]
        stores.graph.record_replaced(
            [
                ReplacedText(
                    brief_id=brief_id,
                    title="An earlier text under this id",
                    date=None,
                    url=None,
                    source="copy-test#9",
                    content_hash="old-hash",
                    replaced_by_hash="new-hash",
                    replaced_at="2025-05-02T09:30:00",
                    same_story=False,
                    sections=(Section(name="description", text="Officials met and talked."),),
                ),
            ]
        )
    finally:
        stores.close()


def _stored(graph: CypherGraphStore) -> dict[str, list[Any]]:
    """Every node's and relationship's properties as the engine stores them (a relationship with its ends' keys)."""
    stored: dict[str, list[Any]] = {}
    for label, (key, _) in NODE_TABLES.items():
        rows = graph._read(f"MATCH (n:{label}) RETURN n.{key} AS k, properties(n) AS p")
        stored[label] = sorted(([row["k"], row["p"]] for row in rows), key=repr)
    for rel, (start, end, _) in REL_TABLES.items():
        start_key, end_key = NODE_TABLES[start][0], NODE_TABLES[end][0]
        rows = graph._read(
            f"MATCH (s:{start})-[r:{rel}]->(t:{end}) RETURN s.{start_key} AS s, t.{end_key} AS t, properties(r) AS p"
        )
        stored[rel] = sorted(([row["s"], row["t"], row["p"]] for row in rows), key=repr)
    return stored


@pytest.fixture
def source(tmp_path: Path) -> Iterator[EmbeddedGraphStore]:
    store = open_source(_embedded_graph(tmp_path))
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def target(neo4j_connection: Neo4jConnection) -> Iterator[CypherGraphStore]:
    store = neo4j_store(neo4j_connection)  # emptied
    try:
        yield store
    finally:
        store.close()


def _answers(graph: CypherGraphStore) -> dict[str, Any]:
    """What the read port answers about every brief, actor, dyad and path of the graph."""
    brief_ids = sorted(graph.brief_hashes())
    actors = sorted(actor.id for actor in graph.find_actors("", 1_000))
    dyads = sorted(
        {
            (min(ends), max(ends))
            for brief_id in brief_ids
            for record in graph.brief_interactions(brief_id)
            for ends in [(record.interaction.source_id, record.interaction.target_id)]
        }
    )
    return {
        "counts": graph.counts(),
        "brief_hashes": graph.brief_hashes(),
        "briefs": {brief_id: graph.get_brief(brief_id) for brief_id in brief_ids},
        "copies": {brief_id: graph.copies(brief_id) for brief_id in brief_ids},
        "brief_interactions": {brief_id: graph.brief_interactions(brief_id) for brief_id in brief_ids},
        "actors": {actor_id: graph.get_actor(actor_id) for actor_id in actors},
        "found": graph.find_actors("isr", 10),
        "counterparts": {actor_id: graph.counterparts(actor_id, 50) for actor_id in actors},
        "actor_interactions": {actor_id: graph.interactions(actor_id) for actor_id in actors},
        "briefs_of_actor": {actor_id: graph.briefs_of_actor(actor_id) for actor_id in actors},
        "dyads": {dyad: graph.interactions(*dyad) for dyad in dyads},
        "dated": {
            dyad: graph.interactions(*dyad, date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 3, 3))
            for dyad in dyads
        },
        "stats": {dyad: graph.interaction_stats(*dyad) for dyad in dyads},
        "paths": {pair: graph.paths(*pair, max_hops=3, limit=5) for pair in itertools.permutations(actors[:6], 2)},
        "merges": graph.merges(),
        "replaced": graph.replaced_texts(),
        "without_origin": graph.briefs_without_origin(),
    }


def test_the_schema_lists_name_every_table_and_column_the_embedded_engine_makes(tmp_path: Path) -> None:
    store = EmbeddedGraphStore(tmp_path / "graph")
    store.apply_schema()
    try:
        check_source_tables(store)  # raises on a table or column the lists miss
    finally:
        store.close()


@pytest.mark.neo4j
def test_a_copy_into_neo4j_answers_every_read_as_the_embedded_graph(
    source: EmbeddedGraphStore, target: CypherGraphStore
) -> None:
    progress: dict[str, int] = {}

    report = copy_graph(
        source,
        target,
        page_rows=3,
        progress=lambda table, rows, _: progress.update({table: progress.get(table, 0) + rows}),
    )

    assert report.ok and report.replaced == {}
    assert set(report.source) == {*NODE_TABLES, *REL_TABLES}
    assert all(report.source.values()), report.source  # the fixture fills every table
    assert {table: n for table, n in progress.items()} == report.source
    expected = _answers(source)
    assert expected["dyads"] and expected["copies"] and any(expected["copies"].values())
    assert any(path for path in expected["paths"].values())
    assert any(brief.date is None for brief in expected["briefs"].values())  # an undated brief round-trips too
    assert _answers(target) == expected


@pytest.mark.neo4j
def test_the_copy_stores_what_the_ports_own_writes_store_in_neo4j(
    tmp_path: Path, source: EmbeddedGraphStore, neo4j_connection: Neo4jConnection
) -> None:
    """Value types included: dates as Neo4j dates, aliases as lists, counts as integers, absent values absent."""
    settings = Settings(
        data_dir=tmp_path / "native",
        vector={"in_memory": True},
        graph={
            "backend": "neo4j",
            "neo4j_uri": neo4j_connection.uri,
            "neo4j_user": neo4j_connection.user,
            "neo4j_password": neo4j_connection.password,
        },
    )
    neo4j_store(neo4j_connection).close()  # empties it
    _fill(settings)  # the same briefs, merge and replaced text, written by ingest into Neo4j itself
    target = Neo4jGraphStore(neo4j_connection.uri, neo4j_connection.user, neo4j_connection.password)
    try:
        native = _stored(target)
        assert all(native.values())
        copy_graph(source, target, replace=True)
        assert _stored(target) == native
    finally:
        target.close()


@pytest.mark.neo4j
def test_an_occupied_target_is_refused_and_replace_says_what_it_deleted(
    source: EmbeddedGraphStore, target: CypherGraphStore
) -> None:
    first = copy_graph(source, target)
    with pytest.raises(ConfigurationError, match=r"not empty.*--replace"):
        copy_graph(source, target)
    assert table_counts(target) == first.target  # nothing written by the refused copy

    again = copy_graph(source, target, replace=True)

    assert again.ok and again.replaced == {table: n for table, n in first.target.items() if n}
    assert _answers(target) == _answers(source)


@pytest.mark.neo4j
def test_another_applications_nodes_are_never_replaced(source: EmbeddedGraphStore, target: CypherGraphStore) -> None:
    target._write([("CREATE (:Invoice {number: 1})", [{}])])
    with pytest.raises(ConfigurationError, match="briefgraph does not write"):
        copy_graph(source, target, replace=True)
    assert target._read("MATCH (n:Invoice) RETURN count(n) AS n")[0]["n"] == 1


@pytest.mark.neo4j
def test_the_command_copies_into_the_configured_neo4j(
    tmp_path: Path,
    neo4j_connection: Neo4jConnection,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    graph_path = _embedded_graph(tmp_path)
    neo4j_store(neo4j_connection).close()  # empties it
    monkeypatch.setenv("BRIEFGRAPH_DATA_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("BRIEFGRAPH_GRAPH__BACKEND", "neo4j")
    monkeypatch.setenv("BRIEFGRAPH_GRAPH__NEO4J_URI", neo4j_connection.uri)
    monkeypatch.setenv("BRIEFGRAPH_GRAPH__NEO4J_USER", neo4j_connection.user)
    monkeypatch.setenv("BRIEFGRAPH_GRAPH__NEO4J_PASSWORD", neo4j_connection.password)

    assert main(["copy-graph", "--from", str(graph_path), "--no-progress"]) == 0
    out, err = capsys.readouterr()
    assert "the counts match the source" in err and "MISMATCH" not in out
    assert main(["copy-graph", "--from", str(graph_path), "--no-progress"]) == 2
    assert "not empty" in capsys.readouterr().err


def test_the_command_refuses_when_the_configured_graph_is_embedded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BRIEFGRAPH_GRAPH__BACKEND", raising=False)

    assert main(["copy-graph", "--no-progress"]) == 2
    assert "BRIEFGRAPH_GRAPH__BACKEND=neo4j" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()  # nothing opened or made


def test_a_missing_source_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="no embedded graph"):
        open_source(tmp_path / "nowhere")
