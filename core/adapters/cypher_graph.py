"""The graph port over any Cypher engine. The queries are written once here; a backend supplies how to run a
read, how to run a batch of writes in one transaction, and its DDL (graph_schema.cypher).

Writes are `UNWIND $rows AS row ...` statements, one per kind of node or edge for a whole batch of briefs: both
engines take the rows in one call (LadybugDB 0.22 writes UNWIND batches 6-8x faster per edge than one statement
per row, benchmarks/RESULTS.md).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from core.models import (
    ActorMerge,
    ActorSummary,
    BriefInfo,
    BriefRef,
    CopyCandidate,
    Counterpart,
    ExtractedBrief,
    GraphCounts,
    GraphPath,
    Interaction,
    InteractionBucket,
    InteractionRecord,
    InteractionStats,
    Mention,
    ReplacedText,
    Section,
)
from core.registry import normalise_name
from graph_schema.ontology import AGENT_KINDS, ActorKind, EventMode, EventType

Row = dict[str, Any]
WriteBatch = list[tuple[str, list[Row]]]

# ------------------------------------------------------------------ writes

# Deletes take the ids of the briefs being rewritten; new briefs skip them (the edge filter is a scan).
_DELETE_MENTIONS = "UNWIND $rows AS row MATCH (b:Brief {id: row.brief_id})-[m:MENTIONS]->(:Actor) DELETE m"
_DELETE_INTERACTIONS = "MATCH (:Actor)-[r:INTERACTS]->(:Actor) WHERE r.brief_id IN $brief_ids DELETE r"
_DELETE_BRIEF = "MATCH (b:Brief {id: $brief_id}) DELETE b"
_DELETE_ORPHAN_ACTORS = (
    "UNWIND $rows AS row MATCH (a:Actor {id: row.actor_id}) "
    "WHERE NOT EXISTS { MATCH (a)-[:INTERACTS]-(:Actor) } AND NOT EXISTS { MATCH (:Brief)-[:MENTIONS]->(a) } "
    "DELETE a"
)
BRIEF_PROPERTIES = (
    "b.title = row.title, b.date = date(row.date), b.url = row.url, b.source = row.source, "
    "b.content_hash = row.content_hash, b.sections = row.sections, b.origin = row.origin"
)
ACTOR_PROPERTIES = (
    "a.name = row.name, a.kind = row.kind, a.code = row.code, a.aliases = row.aliases, "
    "a.search_text = row.search_text, a.mention_count = coalesce(a.mention_count, 0), "
    "a.brief_count = coalesce(a.brief_count, 0)"
)


def upsert_by_id(label: str, var: str, properties: str) -> tuple[str, ...]:
    """Create-or-update of `label` nodes keyed by `id` (rows with `id` and the `properties`' fields). One MERGE:
    under a uniqueness constraint, concurrent writers of one id wait for each other's lock."""
    return (f"UNWIND $rows AS row MERGE ({var}:{label} {{id: row.id}}) SET {properties}",)


# An actor's mention and brief counts move with its mentions, in the same transaction: the briefs being
# rewritten or deleted take theirs off before their mentions go, the batch adds its own after they are made.
# Neo4j reads a property before it locks the node, so two writers could lose an update: a write to the actors
# first takes their locks (the batch's own actors are locked by _MERGE_ACTOR before _COUNT_MENTIONS).
_LOCK_ACTORS = "UNWIND $rows AS row MATCH (a:Actor {id: row.actor_id}) SET a.mention_count = a.mention_count"
_UNCOUNT_MENTIONS = (
    "UNWIND $rows AS row MATCH (b:Brief {id: row.brief_id})-[m:MENTIONS]->(a:Actor) "
    "WITH a, count(m) AS mentions, count(DISTINCT b) AS briefs "
    "SET a.mention_count = a.mention_count - mentions, a.brief_count = a.brief_count - briefs"
)
_COUNT_MENTIONS = (
    "UNWIND $rows AS row MATCH (a:Actor {id: row.actor_id}) "
    "SET a.mention_count = coalesce(a.mention_count, 0) + row.mentions, "
    "a.brief_count = coalesce(a.brief_count, 0) + row.briefs"
)
# Actors whose mentions were never counted: a graph from before the counts (0 by the added column's default
# on LadybugDB, absent on Neo4j). Counted ones with mentions are never 0, so this finds nothing after the first run.
_UNCOUNTED_ACTORS = (
    "MATCH (a:Actor) WHERE coalesce(a.mention_count, 0) = 0 AND EXISTS { MATCH (:Brief)-[:MENTIONS]->(a) } "
    "RETURN a.id AS id ORDER BY id"
)
_RECOUNT_ACTORS = (
    "UNWIND $rows AS row MATCH (a:Actor {id: row.actor_id}) OPTIONAL MATCH (b:Brief)-[m:MENTIONS]->(a) "
    "WITH a, count(m) AS mentions, count(DISTINCT b) AS briefs "
    "SET a.mention_count = mentions, a.brief_count = briefs"
)
_RECOUNT_BATCH = 20  # actors per transaction: a large graph's recount stays within the write time limit
# Nodes are matched one MATCH clause each, never two patterns in one: LadybugDB plans `MATCH (b ...), (a ...)` as a
# cross product of table scans filtered afterwards, so each write grew with the graph (benchmarks/RESULTS.md,
# "Ingest"); separate clauses are primary-key lookups. Cypher means the same either way (tested on both engines).
_CREATE_MENTION = (
    "UNWIND $rows AS row MATCH (b:Brief {id: row.brief_id}) MATCH (a:Actor {id: row.actor_id}) "
    "CREATE (b)-[:MENTIONS {surface: row.surface, section: row.section, sentence_index: row.sentence_index, "
    "start_char: row.start_char, end_char: row.end_char}]->(a)"
)
_CREATE_INTERACTION = (
    "UNWIND $rows AS row MATCH (s:Actor {id: row.source_id}) MATCH (t:Actor {id: row.target_id}) "
    "CREATE (s)-[:INTERACTS {id: row.id, brief_id: row.brief_id, source_id: row.source_id, "
    "target_id: row.target_id, directed: row.directed, "
    "event_type: row.event_type, mode: row.mode, context: row.context, score: row.score, date: date(row.date), "
    "location: row.location, source_agent: row.source_agent, target_agent: row.target_agent, "
    "trigger: row.trigger, section: row.section, sentence_index: row.sentence_index, "
    "start_char: row.start_char, end_char: row.end_char, sentence: row.sentence, event_key: row.event_key, "
    "origin: row.origin}]->(t)"
)
# Copy keys (Brief.copy_keys, plus ORIGIN_KEY + origin): the index copy detection and GraphStore.copies look up.
ORIGIN_KEY = "origin:"
_COPY_KEYS_OF = "UNWIND $ids AS i MATCH (b:Brief {id: i})-[:HAS_COPY_KEY]->(k:CopyKey) RETURN DISTINCT k.key AS key"
_DELETE_COPY_KEY_LINKS = "UNWIND $rows AS row MATCH (b:Brief {id: row.brief_id})-[h:HAS_COPY_KEY]->(:CopyKey) DELETE h"
# two MATCH clauses (see _CREATE_MENTION): one with two patterns scanned every CopyKey (100 s for a batch's keys at
# 180k keys, against 0.06 s)
_CREATE_COPY_KEY_LINK = (
    "UNWIND $rows AS row MATCH (k:CopyKey {key: row.key}) MATCH (b:Brief {id: row.brief_id}) "
    "CREATE (b)-[:HAS_COPY_KEY]->(k)"
)
# one branch per key, each key a parameter: LadybugDB answers such a branch from the index (9 keys in 2 ms at 180k
# keys), but joins keys given as an UNWIND list against a scan of the whole key table (350 ms)
_BRIEFS_OF_COPY_KEY = (
    "MATCH (k:CopyKey {{key: $k{0}}})<-[:HAS_COPY_KEY]-(b:Brief) RETURN b.id AS id, b.origin AS origin, k.key AS key"
)
_DELETE_ORPHAN_COPY_KEYS = (
    "UNWIND $rows AS row MATCH (k:CopyKey {key: row.key}) "
    "WHERE NOT EXISTS { MATCH (:Brief)-[:HAS_COPY_KEY]->(k) } DELETE k"
)

# ------------------------------------------------------------------ reads

_ACTOR_FIELDS = (
    "a.id AS id, a.name AS name, a.kind AS kind, a.code AS code, a.aliases AS aliases, "
    "coalesce(a.mention_count, 0) AS mentions, coalesce(a.brief_count, 0) AS briefs"
)
_INTERACTION_FIELDS = (
    "x.id AS x_id, x.name AS x_name, y.id AS y_id, y.name AS y_name, r.source_id AS source_id, "
    "r.target_id AS target_id, r.id AS id, r.brief_id AS brief_id, r.directed AS directed, "
    "r.event_type AS event_type, r.mode AS mode, r.context AS context, r.score AS score, r.date AS event_date, "
    "r.location AS location, r.source_agent AS source_agent, r.target_agent AS target_agent, "
    "r.trigger AS trigger, r.section AS section, r.sentence_index AS sentence_index, "
    "r.start_char AS start_char, r.end_char AS end_char, r.sentence AS sentence, r.event_key AS event_key, "
    "r.origin AS origin"
)
# A page is the tail of the chronological order (undated last): its newest interactions, returned oldest first.
_UNDATED = "date('9999-12-31')"  # undated interactions sort as the newest
_DAY = f"coalesce(r.date, {_UNDATED})"
_NEWEST_FIRST = f"ORDER BY coalesce(event_date, {_UNDATED}) DESC, brief_id DESC, sentence_index DESC, id DESC"


def _chronological(row: Row) -> tuple[bool, dt.date, str, int, str]:
    day = _as_date(row["event_date"])
    return (day is None, day or dt.date.max, row["brief_id"], int(row["sentence_index"]), row["id"])


def _actor_row(actor_id: str, name: str, kind: str, code: str | None, aliases: Sequence[str]) -> Row:
    search_text = "|".join(dict.fromkeys(normalise_name(text) for text in (actor_id, name, *aliases)))
    return {
        "id": actor_id,
        "name": name,
        "kind": kind,
        "code": code,
        "aliases": list(aliases),
        "search_text": search_text,
    }


def _summary(row: Mapping[str, Any]) -> ActorSummary:
    return ActorSummary(
        id=row["id"],
        name=row["name"],
        kind=ActorKind(row["kind"]) if row["kind"] in ActorKind._value2member_map_ else ActorKind.OTHER,
        code=row.get("code"),
        aliases=tuple(row.get("aliases") or ()),
        mention_count=int(row.get("mentions") or 0),
        brief_count=int(row.get("briefs") or 0),
    )


def _as_date(value: Any) -> dt.date | None:
    """Both drivers hand back dates in their own types; neo4j's Date has to_native()."""
    if value is None or isinstance(value, dt.date):
        return value
    to_native = getattr(value, "to_native", None)
    if to_native is not None:
        native = to_native()
        assert isinstance(native, dt.date)
        return native
    return dt.date.fromisoformat(str(value))


class CypherGraphStore(ABC):
    """GraphStore over a Cypher engine; subclasses implement the engine hooks."""

    # the first day of a date's month, null for null, as this engine's Cypher writes it (str.format: the date)
    _MONTH: str
    # creates the CopyKey nodes of `$rows` ({key}) that do not exist yet, as this engine does that fast and safely
    _MERGE_COPY_KEYS: str
    # the statements that create or update a batch's briefs and actors (rows keyed by id), in order
    _UPSERT_BRIEF = upsert_by_id("Brief", "b", BRIEF_PROPERTIES)
    _UPSERT_ACTOR = upsert_by_id("Actor", "a", ACTOR_PROPERTIES)

    # ---------------------------------------------------------- engine hooks

    @abstractmethod
    def _read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run a read-only query and return its rows as dicts keyed by the RETURN aliases."""

    @abstractmethod
    def _write(self, statements: WriteBatch) -> None:
        """Run (statement, rows) pairs in ONE transaction: all or nothing. Statements without UNWIND get the
        single row's values as their parameters."""

    @abstractmethod
    def apply_schema(self) -> None:
        """Create what is missing (tables, constraints, indexes) and bring an older graph up to date: backends
        end with _count_uncounted_actors()."""

    def _count_uncounted_actors(self) -> None:
        actor_ids = [row["id"] for row in self._read(_UNCOUNTED_ACTORS)]
        for start in range(0, len(actor_ids), _RECOUNT_BATCH):
            batch = actor_ids[start : start + _RECOUNT_BATCH]
            self._write([(_RECOUNT_ACTORS, [{"actor_id": actor_id} for actor_id in batch])])

    @abstractmethod
    def close(self) -> None: ...

    # ---------------------------------------------------------- writes

    def replace_brief(self, extracted: ExtractedBrief) -> None:
        self.replace_briefs([extracted])

    def replace_briefs(self, batch: Sequence[ExtractedBrief]) -> None:
        if not batch:
            return
        ids = [item.brief.id for item in batch]
        if len(set(ids)) != len(ids):
            raise ValueError("a write batch holds the same brief twice")
        stored = self._stored_briefs(ids)
        previous_actors = self._actors_of_briefs(sorted(stored)) if stored else set()
        previous_keys = self._copy_keys_of(sorted(stored)) if stored else set()
        actors = {actor.id: actor for item in batch for actor in item.actors}
        key_rows = [{"brief_id": item.brief.id, "key": key} for item in batch for key in _copy_keys(item)]
        statements: WriteBatch = []
        if stored:
            statements += [
                (_LOCK_ACTORS, [{"actor_id": actor_id} for actor_id in sorted(previous_actors)]),
                (_UNCOUNT_MENTIONS, [{"brief_id": brief_id} for brief_id in sorted(stored)]),
                (_DELETE_MENTIONS, [{"brief_id": brief_id} for brief_id in sorted(stored)]),
                (_DELETE_INTERACTIONS, [{"brief_ids": sorted(stored)}]),
                (_DELETE_COPY_KEY_LINKS, [{"brief_id": brief_id} for brief_id in sorted(stored)]),
            ]
        statements += [
            *[(query, [_brief_row(item) for item in batch]) for query in self._UPSERT_BRIEF],
            *[
                (query, [_actor_row(a.id, a.name, a.kind.value, a.code, a.aliases) for a in actors.values()])
                for query in self._UPSERT_ACTOR
            ],
            (_CREATE_MENTION, [_mention_row(item.brief.id, m) for item in batch for m in item.mentions]),
            (
                _CREATE_INTERACTION,
                [_interaction_row(i, _origin(item)) for item in batch for i in item.interactions],
            ),
            (_COUNT_MENTIONS, _mention_count_rows(batch)),
            (self._MERGE_COPY_KEYS, [{"key": key} for key in sorted({row["key"] for row in key_rows})]),
            (_CREATE_COPY_KEY_LINK, key_rows),
        ]
        gone = sorted(previous_actors - actors.keys())
        if gone:  # deleted only where nothing else still links them
            statements.append((_DELETE_ORPHAN_ACTORS, [{"actor_id": actor_id} for actor_id in gone]))
        unused = sorted(previous_keys - {row["key"] for row in key_rows})
        if unused:
            statements.append((_DELETE_ORPHAN_COPY_KEYS, [{"key": key} for key in unused]))
        self._write([(query, rows) for query, rows in statements if rows])

    def delete_brief(self, brief_id: str) -> bool:
        if not self._stored_briefs([brief_id]):
            return False
        actor_ids = sorted(self._actors_of_briefs([brief_id]))
        keys = sorted(self._copy_keys_of([brief_id]))
        statements: WriteBatch = [
            (_LOCK_ACTORS, [{"actor_id": actor_id} for actor_id in actor_ids]),
            (_UNCOUNT_MENTIONS, [{"brief_id": brief_id}]),
            (_DELETE_MENTIONS, [{"brief_id": brief_id}]),
            (_DELETE_INTERACTIONS, [{"brief_ids": [brief_id]}]),
            (_DELETE_COPY_KEY_LINKS, [{"brief_id": brief_id}]),
            (_DELETE_BRIEF, [{"brief_id": brief_id}]),
        ]
        if actor_ids:
            statements.append((_DELETE_ORPHAN_ACTORS, [{"actor_id": actor_id} for actor_id in actor_ids]))
        if keys:
            statements.append((_DELETE_ORPHAN_COPY_KEYS, [{"key": key} for key in keys]))
        self._write([(query, rows) for query, rows in statements if rows])
        return True

    def _stored_briefs(self, brief_ids: Sequence[str]) -> set[str]:
        rows = self._read("UNWIND $ids AS i MATCH (b:Brief {id: i}) RETURN b.id AS id", {"ids": list(brief_ids)})
        return {row["id"] for row in rows}

    def _copy_keys_of(self, brief_ids: Sequence[str]) -> set[str]:
        return {row["key"] for row in self._read(_COPY_KEYS_OF, {"ids": list(brief_ids)})}

    def _actors_of_briefs(self, brief_ids: Sequence[str]) -> set[str]:
        mentioned = self._read(
            "UNWIND $ids AS i MATCH (b:Brief {id: i})-[:MENTIONS]->(a:Actor) RETURN DISTINCT a.id AS id",
            {"ids": list(brief_ids)},
        )
        interacting = self._read(
            "MATCH (s:Actor)-[r:INTERACTS]->(t:Actor) WHERE r.brief_id IN $ids RETURN s.id AS s, t.id AS t",
            {"ids": list(brief_ids)},
        )
        return {row["id"] for row in mentioned} | {row[k] for row in interacting for k in ("s", "t")}

    # ---------------------------------------------------------- reads

    def brief_hashes(self) -> dict[str, str]:
        rows = self._read("MATCH (b:Brief) RETURN b.id AS id, b.content_hash AS hash")
        return {row["id"]: row["hash"] for row in rows}

    def get_brief(self, brief_id: str) -> BriefInfo | None:
        rows = self._read(
            "MATCH (b:Brief {id: $id}) RETURN b.id AS id, b.title AS title, b.date AS date, b.url AS url, "
            "b.source AS source, b.content_hash AS content_hash, b.sections AS sections, b.origin AS origin",
            {"id": brief_id},
        )
        if not rows:
            return None
        row = rows[0]
        sections = tuple(Section.model_validate(s) for s in json.loads(row["sections"] or "[]"))
        return BriefInfo(
            id=row["id"],
            title=row["title"],
            date=_as_date(row["date"]),
            url=row["url"],
            source=row["source"],
            content_hash=row["content_hash"],
            sections=sections,
            origin=row["origin"],
        )

    def copy_candidates(self, keys: Sequence[str], exclude_ids: AbstractSet[str], limit: int) -> list[CopyCandidate]:
        distinct = list(dict.fromkeys(keys))
        if not distinct:
            return []
        query = " UNION ALL ".join(_BRIEFS_OF_COPY_KEY.format(index) for index in range(len(distinct)))
        shared: dict[str, set[str]] = {}
        origins: dict[str, str | None] = {}
        for row in self._read(query, {f"k{index}": key for index, key in enumerate(distinct)}):
            if row["id"] not in exclude_ids:
                shared.setdefault(row["id"], set()).add(row["key"])
                origins[row["id"]] = row["origin"]
        ranked = sorted(shared, key=lambda brief_id: (-len(shared[brief_id]), brief_id))[:limit]
        return [
            CopyCandidate(brief_id=brief_id, origin=origins[brief_id], shared_keys=tuple(sorted(shared[brief_id])))
            for brief_id in ranked
        ]

    def briefs_without_origin(self) -> list[str]:
        rows = self._read("MATCH (b:Brief) WHERE b.origin IS NULL RETURN b.id AS id ORDER BY id")
        return [row["id"] for row in rows]

    def copies(self, brief_id: str) -> list[BriefRef]:
        own = self._read("MATCH (b:Brief {id: $id}) RETURN b.origin AS origin", {"id": brief_id})
        if not own or own[0]["origin"] is None:
            return []
        rows = self._read(
            "MATCH (k:CopyKey {key: $key})<-[:HAS_COPY_KEY]-(b:Brief) WHERE b.id <> $id "
            "RETURN b.id AS id, b.title AS title, b.date AS date, b.url AS url, b.source AS source",
            {"key": ORIGIN_KEY + own[0]["origin"], "id": brief_id},
        )
        refs = [
            BriefRef(id=row["id"], title=row["title"], date=_as_date(row["date"]), url=row["url"], source=row["source"])
            for row in rows
        ]
        return sorted(refs, key=lambda ref: (ref.date is None, ref.date or dt.date.min, ref.id))

    def get_actor(self, actor_id: str) -> ActorSummary | None:
        rows = self._read(f"MATCH (a:Actor {{id: $id}}) RETURN {_ACTOR_FIELDS}", {"id": actor_id})
        return _summary(rows[0]) if rows else None

    def find_actors(self, query: str, limit: int) -> list[ActorSummary]:
        needle = normalise_name(query)
        where = "WHERE a.search_text CONTAINS $q " if needle else ""
        rows = self._read(
            f"MATCH (a:Actor) {where}RETURN {_ACTOR_FIELDS} ORDER BY mentions DESC, id LIMIT $limit",
            {"q": needle, "limit": limit},
        )
        return [_summary(row) for row in rows]

    def _agents(self, actor_ids: Sequence[str]) -> set[str]:
        """Which of these actors are people, bodies or communities, who may appear as the named agent of an
        interaction rather than as its endpoint."""
        rows = self._read(
            "UNWIND $ids AS i MATCH (a:Actor {id: i}) WHERE a.kind IN $kinds RETURN a.id AS id",
            {"ids": list(actor_ids), "kinds": [kind.value for kind in AGENT_KINDS]},
        )
        return {row["id"] for row in rows}

    def _interaction_match(
        self,
        actor_id: str,
        other_id: str | None,
        date_from: dt.date | None,
        date_to: dt.date | None,
        event_types: Sequence[EventType],
    ) -> tuple[str, list[str], dict[str, Any]]:
        """The MATCH pattern, WHERE conditions and parameters shared by an actor's interaction page and its
        aggregates.

        Anchored on an endpoint whenever one can be (an index seek, then that actor's edges only): on both ends
        for a dyad of states or groups, on the other end when only one side is a person or body, which may
        appear as an interaction's named agent rather than its endpoint and so needs a test of those fields."""
        params: dict[str, Any] = {"a": actor_id, "b": other_id}
        conditions: list[str] = []
        agents = self._agents([actor_id] if other_id is None else [actor_id, other_id])
        a_is_agent, b_is_agent = actor_id in agents, other_id in agents

        def either_side(name: str) -> str:
            return f"(x.id = ${name} OR y.id = ${name} OR r.source_agent = ${name} OR r.target_agent = ${name})"

        if other_id is not None and other_id != actor_id and not a_is_agent and not b_is_agent:
            pattern = "MATCH (x:Actor {id: $a})-[r:INTERACTS]-(y:Actor {id: $b})"
        elif not a_is_agent:
            pattern = "MATCH (x:Actor {id: $a})-[r:INTERACTS]-(y:Actor)"
            if other_id is not None:
                conditions.append(either_side("b"))
        elif other_id is not None and not b_is_agent:
            pattern = "MATCH (x:Actor {id: $b})-[r:INTERACTS]-(y:Actor)"
            conditions.append(either_side("a"))
        else:
            pattern = "MATCH (x:Actor)-[r:INTERACTS]->(y:Actor)"
            conditions.append(either_side("a"))
            if other_id is not None:
                conditions.append(either_side("b"))
        if date_from is not None:
            conditions.append("r.date >= $date_from")
            params["date_from"] = date_from
        if date_to is not None:
            conditions.append("r.date <= $date_to")
            params["date_to"] = date_to
        if event_types:
            conditions.append("r.event_type IN $types")
            params["types"] = [t.value for t in event_types]
        return pattern, conditions, params

    def interactions(
        self,
        actor_id: str,
        other_id: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        event_types: Sequence[EventType] = (),
        limit: int = 500,
    ) -> list[InteractionRecord]:
        pattern, conditions, params = self._interaction_match(actor_id, other_id, date_from, date_to, event_types)
        # Two steps: how many interactions each of the newest days holds (one column, grouped), which gives the
        # page's oldest day and how many rows reach back to it; then the rows from that day on, sorted here.
        # Sorting every matching edge with all its fields in the engine took 2.4x longer at 2,700 edges, and
        # sorting the rows from the cutoff on in the engine still added a third.
        days = self._read(
            f"{pattern}{_where(conditions)} RETURN {_DAY} AS day, count(*) AS n ORDER BY day DESC LIMIT $limit",
            {**params, "limit": limit},
        )
        reach = 0
        for row in days:
            reach += int(row["n"])
            if reach >= limit:  # else the page holds every interaction
                conditions = [*conditions, f"{_DAY} >= $cutoff"]
                params["cutoff"] = _as_date(row["day"])
                break
        # many interactions on the cutoff day (a batch of undated ones): the engine picks the page's rows
        order = f" {_NEWEST_FIRST} LIMIT $limit" if reach > 2 * limit else ""
        rows = self._read(
            f"{pattern}{_where(conditions)} RETURN {_INTERACTION_FIELDS}{order}", {**params, "limit": limit}
        )
        rows = sorted(rows, key=_chronological)[-limit:]
        return self._records(rows)

    def interaction_stats(
        self,
        actor_id: str,
        other_id: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        event_types: Sequence[EventType] = (),
    ) -> InteractionStats:
        pattern, conditions, params = self._interaction_match(actor_id, other_id, date_from, date_to, event_types)
        match = pattern + _where(conditions)
        # grouped by month in the engine (what the summary shows): a busy dyad's 2,700 edges come back as some
        # 50 rows, where grouping by day and event left 1,000 to fold in Python (5 ms of a 4 ms query)
        rows = self._read(
            f"{match} RETURN {self._MONTH.format('r.date')} AS month, r.event_type AS event_type, "
            "r.mode = $negated AS negated, count(*) AS n, sum(r.score) AS score_sum",
            {**params, "negated": EventMode.NEGATED.value},
        )
        corroborated = self._read(
            f"{match} WITH r.event_key AS event, count(DISTINCT coalesce(r.origin, r.brief_id)) AS n "
            "WHERE n > 1 RETURN count(*) AS n",
            params,
        )
        buckets = sorted(
            (
                InteractionBucket(
                    month=_as_date(row["month"]),
                    event_type=EventType(row["event_type"]),
                    negated=bool(row["negated"]),
                    count=int(row["n"]),
                    score_sum=float(row["score_sum"] or 0.0),
                )
                for row in rows
            ),
            key=lambda b: (b.month is None, b.month or dt.date.min, b.event_type.value, b.negated),
        )
        return InteractionStats(
            buckets=tuple(buckets), corroborated_events=int(corroborated[0]["n"]) if corroborated else 0
        )

    def brief_interactions(self, brief_id: str) -> list[InteractionRecord]:
        rows = self._read(
            f"MATCH (x:Actor)-[r:INTERACTS]->(y:Actor) WHERE r.brief_id = $id "
            f"RETURN {_INTERACTION_FIELDS} ORDER BY sentence_index, id",
            {"id": brief_id},
        )
        return self._records(rows)

    def _records(self, rows: list[Row]) -> list[InteractionRecord]:
        brief_ids = sorted({row["brief_id"] for row in rows})
        titles = (
            {
                row["id"]: row["title"]
                for row in self._read(
                    "UNWIND $ids AS i MATCH (b:Brief {id: i}) RETURN b.id AS id, b.title AS title", {"ids": brief_ids}
                )
            }
            if brief_ids
            else {}
        )
        names = {row[f"{side}_id"]: row[f"{side}_name"] for row in rows for side in ("x", "y")}
        return [
            InteractionRecord(
                interaction=_interaction_from_row(row),
                source_name=names.get(row["source_id"], row["source_id"]),
                target_name=names.get(row["target_id"], row["target_id"]),
                brief_title=titles.get(row["brief_id"], ""),
                origin=row.get("origin") or row["brief_id"],
            )
            for row in rows
        ]

    def counterparts(self, actor_id: str, limit: int) -> list[Counterpart]:
        rows = self._read(
            "MATCH (x:Actor {id: $id})-[r:INTERACTS]-(a:Actor) WHERE a.id <> $id "
            f"RETURN {_ACTOR_FIELDS}, count(r) AS n, avg(r.score) AS mean_score "
            "ORDER BY n DESC, id LIMIT $limit",
            {"id": actor_id, "limit": limit},
        )
        return [
            Counterpart(
                actor=_summary(row), interaction_count=int(row["n"]), mean_score=round(float(row["mean_score"]), 4)
            )
            for row in rows
        ]

    def _neighbours(self, actor_ids: Sequence[str]) -> dict[str, set[str]]:
        rows = self._read(
            "UNWIND $ids AS i MATCH (x:Actor {id: i})-[:INTERACTS]-(y:Actor) WHERE x.id <> y.id "
            "RETURN DISTINCT x.id AS x, y.id AS y",
            {"ids": list(actor_ids)},
        )
        found: dict[str, set[str]] = {}
        for row in rows:
            found.setdefault(row["x"], set()).add(row["y"])
        return found

    def paths(self, source_id: str, target_id: str, max_hops: int, limit: int) -> list[GraphPath]:
        """Shortest actor sequences by breadth-first search over distinct neighbours (parallel interactions
        between the same two actors would otherwise multiply paths); each step shows the latest interaction."""
        if source_id == target_id:
            return []
        parents: dict[str, set[str]] = {source_id: set()}
        frontier = [source_id]
        reached = False
        for _ in range(max_hops):
            if not frontier or reached:
                break
            adjacency = self._neighbours(frontier)
            next_frontier: dict[str, set[str]] = {}
            for node in frontier:
                for neighbour in adjacency.get(node, ()):
                    if neighbour in parents:
                        continue
                    next_frontier.setdefault(neighbour, set()).add(node)
            for node, node_parents in next_frontier.items():
                parents[node] = node_parents
            reached = target_id in next_frontier
            frontier = sorted(next_frontier)
        if target_id not in parents:
            return []
        sequences: list[list[str]] = []

        def walk(node: str, suffix: list[str]) -> None:
            if len(sequences) >= limit:
                return
            if node == source_id:
                sequences.append([node, *suffix])
                return
            for parent in sorted(parents[node]):
                walk(parent, [node, *suffix])

        walk(target_id, [])
        return self._paths(sequences)

    def _paths(self, sequences: list[list[str]]) -> list[GraphPath]:
        rows = self._read(
            f"UNWIND $ids AS i MATCH (a:Actor {{id: i}}) RETURN {_ACTOR_FIELDS}",
            {"ids": sorted({actor_id for sequence in sequences for actor_id in sequence})},
        )
        actors = {row["id"]: _summary(row) for row in rows}
        # each step shows the pair's latest interaction: one newest-first row per hop
        steps = {
            pair: self.interactions(*pair, limit=1)[0]
            for pair in {pair for sequence in sequences for pair in itertools.pairwise(sequence)}
        }
        return [
            GraphPath(
                actors=tuple(actors[actor_id] for actor_id in sequence if actor_id in actors),
                steps=tuple(steps[pair] for pair in itertools.pairwise(sequence)),
            )
            for sequence in sequences
        ]

    def counts(self) -> GraphCounts:
        def one(query: str) -> int:
            return int(self._read(query)[0]["n"])

        return GraphCounts(
            briefs=one("MATCH (b:Brief) RETURN count(b) AS n"),
            actors=one("MATCH (a:Actor) RETURN count(a) AS n"),
            mentions=one("MATCH (:Brief)-[m:MENTIONS]->(:Actor) RETURN count(m) AS n"),
            interactions=one("MATCH (:Actor)-[r:INTERACTS]->(:Actor) RETURN count(r) AS n"),
        )

    # ---------------------------------------------------------- replaced texts

    def record_replaced(self, texts: Sequence[ReplacedText]) -> None:
        rows = [
            {
                "key": f"{text.brief_id}|{text.content_hash}|{text.replaced_by_hash}",
                "brief_id": text.brief_id,
                "title": text.title,
                "date": _iso(text.date),
                "url": text.url,
                "source": text.source,
                "content_hash": text.content_hash,
                "replaced_by_hash": text.replaced_by_hash,
                "replaced_at": text.replaced_at,
                "same_story": text.same_story,
                "sections": json.dumps([section.model_dump(mode="json") for section in text.sections]),
            }
            for text in texts
        ]
        if rows:
            self._write(
                [
                    (
                        "UNWIND $rows AS row MERGE (t:ReplacedText {key: row.key}) "
                        "SET t.brief_id = row.brief_id, t.title = row.title, t.date = date(row.date), "
                        "t.url = row.url, t.source = row.source, t.content_hash = row.content_hash, "
                        "t.replaced_by_hash = row.replaced_by_hash, t.replaced_at = row.replaced_at, "
                        "t.same_story = row.same_story, t.sections = row.sections",
                        rows,
                    )
                ]
            )

    def replaced_texts(self) -> list[ReplacedText]:
        rows = self._read(
            "MATCH (t:ReplacedText) RETURN t.brief_id AS brief_id, t.title AS title, t.date AS date, t.url AS url, "
            "t.source AS source, t.content_hash AS content_hash, t.replaced_by_hash AS replaced_by_hash, "
            "t.replaced_at AS replaced_at, t.same_story AS same_story, t.sections AS sections "
            "ORDER BY replaced_at, brief_id"
        )
        return [
            ReplacedText(
                brief_id=row["brief_id"],
                title=row["title"],
                date=_as_date(row["date"]),
                url=row["url"],
                source=row["source"],
                content_hash=row["content_hash"],
                replaced_by_hash=row["replaced_by_hash"],
                replaced_at=row["replaced_at"],
                same_story=bool(row["same_story"]),
                sections=tuple(Section.model_validate(s) for s in json.loads(row["sections"] or "[]")),
            )
            for row in rows
        ]

    # ---------------------------------------------------------- analysts' merges

    def merges(self) -> list[ActorMerge]:
        rows = self._read(
            "MATCH (m:ActorMerge) RETURN m.source_id AS source_id, m.target_id AS target_id, m.reason AS reason, "
            "m.created_at AS created_at ORDER BY created_at, source_id"
        )
        return [ActorMerge.model_validate(row) for row in rows]

    def record_merge(self, merge: ActorMerge) -> None:
        self._write(
            [
                (
                    "UNWIND $rows AS row MERGE (m:ActorMerge {source_id: row.source_id}) "
                    "SET m.target_id = row.target_id, m.reason = row.reason, m.created_at = row.created_at",
                    [merge.model_dump()],
                )
            ]
        )

    def remove_merge(self, source_id: str) -> bool:
        if not self._read("MATCH (m:ActorMerge {source_id: $id}) RETURN m.source_id AS id", {"id": source_id}):
            return False
        self._write([("MATCH (m:ActorMerge {source_id: $id}) DELETE m", [{"id": source_id}])])
        return True

    def briefs_of_actor(self, actor_id: str) -> list[str]:
        mentioned = self._read(
            "MATCH (b:Brief)-[:MENTIONS]->(:Actor {id: $id}) RETURN DISTINCT b.id AS id", {"id": actor_id}
        )
        acting = self._read(
            "MATCH (:Actor)-[r:INTERACTS]->(:Actor) WHERE r.source_id = $id OR r.target_id = $id "
            "OR r.source_agent = $id OR r.target_agent = $id RETURN DISTINCT r.brief_id AS id",
            {"id": actor_id},
        )
        return sorted({row["id"] for row in [*mentioned, *acting]})

    def ping(self) -> None:
        self._read("RETURN 1 AS one")


def _where(conditions: Sequence[str]) -> str:
    return f" WHERE {' AND '.join(conditions)}" if conditions else ""


def _iso(day: dt.date | None) -> str | None:
    """Dates travel as ISO text and the query applies date(): LadybugDB types a batch's column from its values,
    and a column that is null in every row would otherwise become STRING."""
    return day.isoformat() if day else None


def _brief_row(item: ExtractedBrief) -> Row:
    brief = item.brief
    return {
        "id": brief.id,
        "title": brief.title,
        "date": _iso(brief.date),
        "url": brief.url,
        "source": brief.source,
        "content_hash": brief.content_hash,
        "sections": json.dumps([section.model_dump(mode="json") for section in brief.sections]),
        "origin": _origin(item),
    }


def _origin(item: ExtractedBrief) -> str:
    """The brief's origin; a brief written without one (a rewrite of an older brief) is its own."""
    return item.brief.origin or item.brief.id


def _copy_keys(item: ExtractedBrief) -> list[str]:
    return sorted({*item.brief.copy_keys, ORIGIN_KEY + _origin(item)})


def _mention_count_rows(batch: Sequence[ExtractedBrief]) -> list[Row]:
    """Per actor, what the batch's mentions add: mentions, and briefs that mention it at least once."""
    mentions: Counter[str] = Counter()
    briefs: Counter[str] = Counter()
    for item in batch:
        mentioned = Counter(mention.actor_id for mention in item.mentions)
        mentions.update(mentioned)
        briefs.update(mentioned.keys())
    return [
        {"actor_id": actor_id, "mentions": mentions[actor_id], "briefs": briefs[actor_id]}
        for actor_id in sorted(mentions)
    ]


def _mention_row(brief_id: str, mention: Mention) -> Row:
    return {
        "brief_id": brief_id,
        "actor_id": mention.actor_id,
        "surface": mention.surface,
        "section": mention.section,
        "sentence_index": mention.sentence_index,
        "start_char": mention.start,
        "end_char": mention.end,
    }


def _interaction_row(interaction: Interaction, origin: str) -> Row:
    row = interaction.model_dump(mode="python")
    row["origin"] = origin
    row["event_type"] = interaction.event_type.value
    row["mode"] = interaction.mode.value
    row["context"] = interaction.context.value
    row["date"] = _iso(interaction.date)
    row["start_char"] = row.pop("start")
    row["end_char"] = row.pop("end")
    return row


def _interaction_from_row(row: Mapping[str, Any]) -> Interaction:
    return Interaction(
        id=row["id"],
        brief_id=row["brief_id"],
        source_id=row["source_id"],
        target_id=row["target_id"],
        directed=bool(row["directed"]),
        event_type=EventType(row["event_type"]),
        mode=row["mode"],
        context=row["context"],
        score=float(row["score"]),
        date=_as_date(row["event_date"]),
        location=row["location"],
        source_agent=row["source_agent"],
        target_agent=row["target_agent"],
        trigger=row["trigger"],
        section=row["section"],
        sentence_index=int(row["sentence_index"]),
        start=int(row["start_char"]),
        end=int(row["end_char"]),
        sentence=row["sentence"],
        event_key=row["event_key"],
    )
