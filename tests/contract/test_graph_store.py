"""The graph port's contract: one suite, identical expectations, run on every backend (embedded and Neo4j)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.adapters import cypher_graph
from core.adapters.cypher_graph import CypherGraphStore
from core.adapters.embedded_graph import EmbeddedGraphStore
from core.errors import ConfigurationError
from graph_schema.ontology import EventType
from tests.graph_fixtures import HANEGBI, HEZ, ISR, LBN, SYR, TUR, make_brief

D1, D2, D3 = dt.date(2025, 3, 1), dt.date(2025, 4, 10), dt.date(2025, 5, 20)


def _seed(store: CypherGraphStore) -> None:
    store.replace_brief(
        make_brief(
            "b1",
            D2,
            [
                (TUR, ISR, EventType.CONSULT, False, "Turkish and Israeli officials held talks in Baku."),
                (ISR, SYR, EventType.ASSAULT, True, "Israel struck airbases in Syria."),
            ],
            agent=HANEGBI,
        )
    )
    store.replace_brief(
        make_brief(
            "b2",
            D1,
            [
                (ISR, HEZ, EventType.ASSAULT, True, "Israel struck Hezbollah positions."),
                (HEZ, LBN, EventType.AGREE, True, "Hezbollah agreed to the plan of Lebanon."),
            ],
        )
    )
    store.replace_brief(
        make_brief(
            "b3",
            D3,
            [
                (TUR, SYR, EventType.SUPPORT, True, "Turkey backed the new government in Damascus."),
            ],
        )
    )
    store.replace_brief(
        make_brief(
            "b4",
            None,
            [
                (ISR, TUR, EventType.THREATEN, True, "Israel warned Turkey against bases."),
            ],
        )
    )


def test_apply_schema_is_idempotent(graph_store: CypherGraphStore) -> None:
    graph_store.apply_schema()
    graph_store.apply_schema()
    assert graph_store.counts().briefs == 0


def test_replace_brief_twice_changes_nothing(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    before = graph_store.counts()
    _seed(graph_store)
    assert graph_store.counts() == before
    assert before.briefs == 4
    assert before.interactions == 6
    assert before.mentions == 12


def test_edited_brief_replaces_only_its_own_facts(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    graph_store.replace_brief(
        make_brief(
            "b1",
            D2,
            [
                (TUR, ISR, EventType.AGREE, False, "Turkey and Israel agreed on a hotline."),
            ],
            content_hash="hash-b1-v2",
        )
    )
    assert graph_store.brief_hashes()["b1"] == "hash-b1-v2"
    types = [r.interaction.event_type for r in graph_store.interactions("TUR", "ISR")]
    assert types == [EventType.AGREE, EventType.THREATEN]
    # b2's facts are untouched
    assert [r.interaction.brief_id for r in graph_store.interactions("ISR", "group:hezbollah")] == ["b2"]


def test_mentions_count_per_actor(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    israel = graph_store.get_actor("ISR")
    assert israel is not None
    assert israel.name == "Israel"
    assert israel.mention_count == 4
    assert israel.brief_count == 3
    assert graph_store.get_actor("nope") is None


def _recounted(store: CypherGraphStore) -> dict[str, tuple[int, int]]:
    """Every actor's (mentions, briefs) counted from the mention edges: what the stored counts must equal."""
    rows = store._read(
        "MATCH (a:Actor) OPTIONAL MATCH (b:Brief)-[m:MENTIONS]->(a) "
        "RETURN a.id AS id, count(m) AS mentions, count(DISTINCT b.id) AS briefs"
    )
    return {row["id"]: (int(row["mentions"]), int(row["briefs"])) for row in rows}


def _stored_counts(store: CypherGraphStore) -> dict[str, tuple[int, int]]:
    return {a.id: (a.mention_count, a.brief_count) for a in store.find_actors("", 100)}


def test_stored_actor_counts_follow_every_write(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    assert _stored_counts(graph_store) == _recounted(graph_store)
    assert _stored_counts(graph_store)["ISR"] == (4, 3)
    # a rewrite that drops Israel from b1, together with a new brief, then the same batch again
    rewrite = [
        make_brief("b1", D2, [(TUR, SYR, EventType.CONSULT, False, "Turkey and Syria held talks.")], content_hash="v2"),
        make_brief("b5", D3, [(ISR, ISR, EventType.MOBILIZE, False, "Israel called up reservists.")]),
    ]
    graph_store.replace_briefs(rewrite)
    graph_store.replace_briefs(rewrite)
    assert _stored_counts(graph_store) == _recounted(graph_store)
    assert _stored_counts(graph_store)["ISR"] == (4, 3)  # b2 and b4 once each, b5 twice (source and target)
    graph_store.delete_brief("b2")
    assert _stored_counts(graph_store) == _recounted(graph_store)
    assert _stored_counts(graph_store)["ISR"] == (3, 2)
    assert graph_store.get_actor("TUR") == next(a for a in graph_store.find_actors("turkey", 1))


def _forget_counts(store: CypherGraphStore) -> None:
    """Make the graph look as a folder written before the stored counts did."""
    if isinstance(store, EmbeddedGraphStore):
        with store._gate.writing():
            for column in ("mention_count", "brief_count"):
                store._execute(store._conn, f"ALTER TABLE Actor DROP {column}", None)
    else:
        store._write([("MATCH (a:Actor) REMOVE a.mention_count, a.brief_count", [{}])])


def test_a_graph_from_before_the_stored_counts_is_counted_on_schema(
    graph_store: CypherGraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cypher_graph, "_RECOUNT_BATCH", 2)  # several recount transactions
    _seed(graph_store)
    expected = _stored_counts(graph_store)
    _forget_counts(graph_store)
    graph_store.apply_schema()
    assert _stored_counts(graph_store) == expected == _recounted(graph_store)
    graph_store.replace_brief(make_brief("b5", D3, [(ISR, LBN, EventType.AID, True, "Israel sent aid to Lebanon.")]))
    assert _stored_counts(graph_store) == _recounted(graph_store)


def test_dyad_interactions_in_date_order_either_direction(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    records = graph_store.interactions("ISR", "TUR")
    assert [(r.interaction.date, r.interaction.event_type) for r in records] == [
        (D2, EventType.CONSULT),
        (None, EventType.THREATEN),
    ]
    consult = records[0]
    assert consult.interaction.sentence == "Turkish and Israeli officials held talks in Baku."
    assert consult.brief_title == "Brief b1"
    assert {consult.source_name, consult.target_name} == {"Turkey", "Israel"}
    assert consult.interaction.directed is False
    assert [r.interaction.id for r in graph_store.interactions("TUR", "ISR")] == [r.interaction.id for r in records]


def test_filters_by_date_and_type(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    assert [r.interaction.brief_id for r in graph_store.interactions("ISR", date_from=D2)] == ["b1", "b1"]
    assert [r.interaction.brief_id for r in graph_store.interactions("ISR", date_to=D1)] == ["b2"]
    assaults = graph_store.interactions("ISR", event_types=[EventType.ASSAULT])
    assert [(r.interaction.target_id, r.interaction.date) for r in assaults] == [("group:hezbollah", D1), ("SYR", D2)]
    assert graph_store.interactions("ISR", "SYR", event_types=[EventType.CONSULT]) == []
    assert len(graph_store.interactions("ISR", limit=2)) == 2


def test_person_is_matched_as_named_agent(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    records = graph_store.interactions(HANEGBI.id)
    assert [r.interaction.event_type for r in records] == [EventType.CONSULT]
    assert records[0].interaction.source_agent == HANEGBI.id


def test_counterparts_most_interactions_first(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    counterparts = graph_store.counterparts("ISR", 10)
    assert [(c.actor.id, c.interaction_count) for c in counterparts] == [("TUR", 2), ("SYR", 1), ("group:hezbollah", 1)]
    assert counterparts[1].mean_score < 0


def test_paths_respect_hop_limit(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    direct = graph_store.paths("TUR", "ISR", max_hops=3, limit=5)
    assert [[a.id for a in p.actors] for p in direct] == [["TUR", "ISR"]]
    two_hops = graph_store.paths("TUR", "group:hezbollah", max_hops=3, limit=5)
    assert [[a.id for a in p.actors] for p in two_hops] == [["TUR", "ISR", "group:hezbollah"]]
    assert [s.interaction.event_type for s in two_hops[0].steps] == [EventType.THREATEN, EventType.ASSAULT]
    three = graph_store.paths("SYR", "LBN", max_hops=3, limit=5)
    assert [[a.id for a in p.actors] for p in three] == [["SYR", "ISR", "group:hezbollah", "LBN"]]
    assert graph_store.paths("SYR", "LBN", max_hops=2, limit=5) == []
    assert graph_store.paths("TUR", "TUR", max_hops=3, limit=5) == []


def test_delete_removes_exactly_one_brief(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    assert graph_store.delete_brief("b2") is True
    assert graph_store.delete_brief("b2") is False
    counts = graph_store.counts()
    assert (counts.briefs, counts.interactions) == (3, 4)
    assert graph_store.get_brief("b2") is None
    assert graph_store.get_actor("ISR") is not None  # shared actor stays
    assert graph_store.get_actor("group:hezbollah") is None  # only b2 named it
    assert graph_store.get_actor("LBN") is None
    assert graph_store.interactions("ISR", "group:hezbollah") == []


def test_get_brief_round_trips_sections(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    brief = graph_store.get_brief("b1")
    assert brief is not None
    assert brief.date == D2
    assert brief.sections[0].sentences[1].text == "Israel struck airbases in Syria."
    assert [r.interaction.sentence_index for r in graph_store.brief_interactions("b1")] == [0, 1]


def test_find_actors_by_alias_case_and_accents(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    assert [a.id for a in graph_store.find_actors("turkiye", 5)] == ["TUR"]
    assert [a.id for a in graph_store.find_actors("HIZBALLAH", 5)] == ["group:hezbollah"]
    assert graph_store.find_actors("zzz", 5) == []
    assert [a.id for a in graph_store.find_actors("", 2)] == ["ISR", "TUR"]


def test_counts_and_hashes(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    assert graph_store.brief_hashes() == {f"b{i}": f"hash-b{i}" for i in range(1, 5)}
    graph_store.ping()


def test_merge_log_round_trip(graph_store: CypherGraphStore) -> None:
    from core.models import ActorMerge

    _seed(graph_store)
    merge = ActorMerge(source_id="group:hezbollah", target_id="LBN", reason="test", created_at="2025-01-01T00:00:00")
    graph_store.record_merge(merge)
    graph_store.record_merge(merge)
    assert graph_store.merges() == [merge]
    assert graph_store.briefs_of_actor("group:hezbollah") == ["b2"]
    assert graph_store.briefs_of_actor(HANEGBI.id) == ["b1"]
    assert graph_store.remove_merge("group:hezbollah") is True
    assert graph_store.remove_merge("group:hezbollah") is False
    assert graph_store.merges() == []


def test_batch_write_adds_new_briefs_and_replaces_stored_ones_together(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    graph_store.replace_briefs(
        [
            make_brief("b1", D2, [(TUR, ISR, EventType.AGREE, False, "Turkey and Israel agreed on a hotline.")]),
            make_brief("b5", D3, [(SYR, LBN, EventType.CONSULT, False, "Syria and Lebanon held border talks.")]),
        ]
    )
    counts = graph_store.counts()
    assert (counts.briefs, counts.interactions) == (5, 6)  # b1 lost one interaction, b5 brought one
    assert [r.interaction.event_type for r in graph_store.interactions("TUR", "ISR")] == [
        EventType.AGREE,
        EventType.THREATEN,
    ]
    assert [r.interaction.brief_id for r in graph_store.interactions("SYR", "LBN")] == ["b5"]
    before = graph_store.counts()
    graph_store.replace_briefs([])
    assert graph_store.counts() == before


def test_a_page_holds_the_newest_interactions_and_stats_cover_all(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    graph_store.replace_brief(  # a second report of b1's talks: the same event, corroborated
        make_brief("b6", D2, [(TUR, ISR, EventType.CONSULT, False, "Officials of both states met in Baku.")])
    )
    page = graph_store.interactions("ISR", limit=2)
    assert [(r.interaction.brief_id, r.interaction.date) for r in page] == [("b6", D2), ("b4", None)]
    stats = graph_store.interaction_stats("ISR")
    assert sum(bucket.count for bucket in stats.buckets) == len(graph_store.interactions("ISR")) == 5
    consults = [b for b in stats.buckets if b.event_type is EventType.CONSULT]
    assert [(b.month, b.count, b.negated) for b in consults] == [(D2.replace(day=1), 2, False)]
    assert stats.corroborated_events == 1
    dyad = graph_store.interaction_stats("TUR", "ISR", date_from=D2, event_types=[EventType.CONSULT])
    assert [(b.month, b.event_type, b.count) for b in dyad.buckets] == [(D2.replace(day=1), EventType.CONSULT, 2)]
    assert graph_store.interaction_stats("ISR", "SYR", event_types=[EventType.AID]).buckets == ()


def test_stats_are_monthly_and_equal_the_same_sums_over_the_records(graph_store: CypherGraphStore) -> None:
    from services.queries import stats_of

    _seed(graph_store)
    graph_store.replace_brief(  # later in b1's month, and a negated one: still one bucket per month and type
        make_brief(
            "b9",
            dt.date(2025, 4, 28),
            [(TUR, ISR, EventType.CONSULT, False, "Turkish and Israeli officials met again.")],
        )
    )
    april = dt.date(2025, 4, 1)
    stats = graph_store.interaction_stats("TUR", "ISR")
    assert [(b.month, b.event_type, b.count) for b in stats.buckets] == [
        (april, EventType.CONSULT, 2),
        (None, EventType.THREATEN, 1),
    ]
    for actor, other in (("ISR", None), ("TUR", "ISR"), (HANEGBI.id, None), ("TUR", HANEGBI.id)):
        expected = stats_of(graph_store.interactions(actor, other, limit=1_000))
        assert set(graph_store.interaction_stats(actor, other).buckets) == set(expected.buckets), (actor, other)


def test_every_page_size_gives_the_tail_of_the_full_timeline(graph_store: CypherGraphStore) -> None:
    """Pages are cut in two steps (the oldest date on the page, then rows from that date on, sorted in Python or,
    when many tie on that date, in the engine): cuts inside a day, at undated interactions and past the end must
    all give the newest interactions in date order."""
    _seed(graph_store)
    graph_store.replace_brief(
        make_brief(
            "b7",
            D2,
            [
                (TUR, ISR, EventType.CONSULT, False, "Turkish and Israeli envoys met again."),
                (ISR, TUR, EventType.DISAPPROVE, False, "Israel accused Turkey of arming militias."),
            ],
        )
    )
    graph_store.replace_brief(  # undated, so four interactions tie as the newest: small pages cut inside them
        make_brief(
            "b8",
            None,
            [
                (TUR, ISR, EventType.CONSULT, False, "Turkey called Israel."),
                (ISR, TUR, EventType.CONSULT, False, "Israel called back."),
                (TUR, ISR, EventType.DISAPPROVE, False, "Turkey criticised Israel."),
            ],
        )
    )
    for actor, other in (
        ("ISR", None),
        ("TUR", "ISR"),
        ("ISR", "TUR"),
        (HANEGBI.id, None),
        ("TUR", HANEGBI.id),
        (HANEGBI.id, "ISR"),
    ):
        timeline = [r.interaction.id for r in graph_store.interactions(actor, other, limit=1_000)]
        assert timeline, (actor, other)
        for size in range(1, len(timeline) + 2):
            page = [r.interaction.id for r in graph_store.interactions(actor, other, limit=size)]
            assert page == timeline[-size:], (actor, other, size)
        total = sum(b.count for b in graph_store.interaction_stats(actor, other).buckets)
        assert total == len(timeline), (actor, other)
    assert [r.interaction.source_agent for r in graph_store.interactions("TUR", HANEGBI.id)] == [HANEGBI.id]


def test_reads_beside_a_writer_see_each_brief_whole(graph_store: CypherGraphStore) -> None:
    """The API reads from several threads while a write may run: every read sees one brief version or the
    other, never half of one (embedded: a connection per reading thread, each read in its own transaction)."""
    _seed(graph_store)
    versions = [
        make_brief(
            "b1", D2, [(TUR, ISR, EventType.AGREE, False, "Turkey and Israel agreed on a hotline.")], content_hash="v2"
        ),
        make_brief(
            "b1",
            D2,
            [
                (TUR, ISR, EventType.CONSULT, False, "Turkish and Israeli officials held talks in Baku."),
                (ISR, TUR, EventType.REJECT, False, "Israel rejected the proposal of Turkey."),
            ],
            content_hash="v3",
        ),
    ]

    def timeline() -> tuple[EventType, ...]:
        return tuple(r.interaction.event_type for r in graph_store.interactions("TUR", "ISR"))

    def israel_counts() -> tuple[int, int]:
        israel = graph_store.get_actor("ISR")
        assert israel is not None
        return israel.mention_count, israel.brief_count

    timelines, counts = set(), set()
    for version in versions:  # what each version looks like, read alone
        graph_store.replace_brief(version)
        timelines.add(timeline())
        counts.add(israel_counts())
    assert len(timelines) == len(counts) == 2
    done = threading.Event()

    def write() -> None:
        try:
            for round_ in range(12):
                graph_store.replace_brief(versions[round_ % 2])
        finally:
            done.set()

    def read() -> int:
        reads = 0
        while not done.is_set() or reads == 0:
            assert timeline() in timelines
            assert israel_counts() in counts
            reads += 1
        return reads

    with ThreadPoolExecutor(max_workers=4) as pool:
        readers = [pool.submit(read) for _ in range(3)]
        pool.submit(write).result()
        assert all(future.result() > 0 for future in readers)


def test_a_read_only_embedded_graph_answers_reads(tmp_path: Path) -> None:
    """A second process may open the writer's folder read-only (the embedded engine allows it) and query it."""
    writer = EmbeddedGraphStore(tmp_path / "graph")
    _seed(writer)
    writer.close()
    reader = EmbeddedGraphStore(tmp_path / "graph", read_only=True)
    try:
        assert reader.counts().briefs == 4
        assert [r.interaction.brief_id for r in reader.interactions("ISR", "group:hezbollah")] == ["b2"]
    finally:
        reader.close()


def test_a_read_only_embedded_graph_from_before_the_counts_says_how_to_upgrade(tmp_path: Path) -> None:
    writer = EmbeddedGraphStore(tmp_path / "graph")
    _seed(writer)
    _forget_counts(writer)
    writer.close()
    with pytest.raises(ConfigurationError, match="open it once for writing"):
        EmbeddedGraphStore(tmp_path / "graph", read_only=True)
    upgraded = EmbeddedGraphStore(tmp_path / "graph")
    upgraded.apply_schema()
    upgraded.close()
    reader = EmbeddedGraphStore(tmp_path / "graph", read_only=True)
    try:
        assert _stored_counts(reader)["ISR"] == (4, 3)
    finally:
        reader.close()
