"""The graph schema rendered as DDL for each backend. Pure data: statements, no I/O.

Both backends hold the same shape:
  (:Brief {id, title, date, url, source, content_hash, sections})
  (:Actor {id, name, kind, code, aliases, search_text, mention_count, brief_count})
      the two counts are kept by every write that adds or removes mentions (read on every actor summary)
  (:Brief)-[:MENTIONS {surface, section, sentence_index, start_char, end_char}]->(:Actor)
  (:ActorMerge {source_id, target_id, reason, created_at})   analysts' merges, applied at extraction
  (:Brief {origin})-[:HAS_COPY_KEY]->(:CopyKey {key})   copies of one text share an origin and keys
      (ingest/copies.py); INTERACTS edges carry their brief's origin, so corroboration counts origins
  (:ReplacedText {key, brief_id, title, date, url, source, content_hash, replaced_by_hash, replaced_at,
                  same_story, sections})   texts that writes replaced under the same id (`briefgraph check`)
  (:Actor)-[:INTERACTS {id, brief_id, source_id, target_id, directed, event_type, mode, context, score, date, location,
                        source_agent, target_agent, trigger, section, sentence_index, start_char, end_char,
                        sentence, event_key}]->(:Actor)
"""

from __future__ import annotations

from typing import Final

from graph_schema.ontology import NodeLabel, RelType

BRIEF, ACTOR, MERGE = NodeLabel.BRIEF.value, NodeLabel.ACTOR.value, NodeLabel.MERGE.value
MENTIONS, INTERACTS = RelType.MENTIONS.value, RelType.INTERACTS.value
COPY_KEY, HAS_COPY_KEY = NodeLabel.COPY_KEY.value, RelType.HAS_COPY_KEY.value
REPLACED_TEXT = NodeLabel.REPLACED_TEXT.value

# Property name -> LadybugDB column type. Neo4j is schema-free for properties; it gets constraints/indexes.
BRIEF_PROPERTIES: Final = {
    "id": "STRING",
    "title": "STRING",
    "date": "DATE",
    "url": "STRING",
    "source": "STRING",
    "content_hash": "STRING",
    "sections": "STRING",
}
ACTOR_PROPERTIES: Final = {
    "id": "STRING",
    "name": "STRING",
    "kind": "STRING",
    "code": "STRING",
    "aliases": "STRING[]",
    "search_text": "STRING",
}
# Kept by the writes (in the transaction that changes the mentions), so no read counts an actor's mentions:
# at 10k briefs a state has ~25,000 of them and counting distinct briefs among them took 4 ms per summary.
ACTOR_COUNT_PROPERTIES: Final = {
    "mention_count": "INT64",
    "brief_count": "INT64",
}
MENTION_PROPERTIES: Final = {
    "surface": "STRING",
    "section": "STRING",
    "sentence_index": "INT64",
    "start_char": "INT64",
    "end_char": "INT64",
}
INTERACTION_PROPERTIES: Final = {
    "id": "STRING",
    "brief_id": "STRING",
    "source_id": "STRING",
    "target_id": "STRING",
    "directed": "BOOLEAN",
    "event_type": "STRING",
    "mode": "STRING",
    "context": "STRING",
    "score": "DOUBLE",
    "date": "DATE",
    "location": "STRING",
    "source_agent": "STRING",
    "target_agent": "STRING",
    "trigger": "STRING",
    "section": "STRING",
    "sentence_index": "INT64",
    "start_char": "INT64",
    "end_char": "INT64",
    "sentence": "STRING",
    "event_key": "STRING",
}

# Added with copy detection: the origin of a brief's text, on the brief and on each of its interactions.
# Graphs from before get the columns on the first writable open (null: each older brief is its own origin).
COPY_ORIGIN_PROPERTIES: Final = {"origin": "STRING"}

REPLACED_TEXT_PROPERTIES: Final = {
    "key": "STRING",
    "brief_id": "STRING",
    "title": "STRING",
    "date": "DATE",
    "url": "STRING",
    "source": "STRING",
    "content_hash": "STRING",
    "replaced_by_hash": "STRING",
    "replaced_at": "STRING",
    "same_story": "BOOLEAN",
    "sections": "STRING",
}


MERGE_PROPERTIES: Final = {
    "source_id": "STRING",
    "target_id": "STRING",
    "reason": "STRING",
    "created_at": "STRING",
}


COPY_KEY_PROPERTIES: Final = {"key": "STRING"}

# Every table with all its properties, as the embedded engine stores them (what `briefgraph copy-graph` copies
# into Neo4j): a node table's key property and properties; a relationship table's ends and properties.
# A property added to one of the lists above is copied from then on; tests/integration/test_graph_copy.py checks
# these against the tables LADYBUG_DDL makes.
NODE_TABLES: Final[dict[str, tuple[str, dict[str, str]]]] = {
    BRIEF: ("id", {**BRIEF_PROPERTIES, **COPY_ORIGIN_PROPERTIES}),
    ACTOR: ("id", {**ACTOR_PROPERTIES, **ACTOR_COUNT_PROPERTIES}),
    MERGE: ("source_id", MERGE_PROPERTIES),
    COPY_KEY: ("key", COPY_KEY_PROPERTIES),
    REPLACED_TEXT: ("key", REPLACED_TEXT_PROPERTIES),
}
REL_TABLES: Final[dict[str, tuple[str, str, dict[str, str]]]] = {
    MENTIONS: (BRIEF, ACTOR, MENTION_PROPERTIES),
    INTERACTS: (ACTOR, ACTOR, {**INTERACTION_PROPERTIES, **COPY_ORIGIN_PROPERTIES}),
    HAS_COPY_KEY: (BRIEF, COPY_KEY, {}),
}


def _columns(properties: dict[str, str], primary_key: str | None = None) -> str:
    return ", ".join(
        f"{name} {kind}{' PRIMARY KEY' if name == primary_key else ''}" for name, kind in properties.items()
    )


LADYBUG_DDL: Final = (
    f"CREATE NODE TABLE IF NOT EXISTS {BRIEF}({_columns(BRIEF_PROPERTIES, 'id')})",
    f"CREATE NODE TABLE IF NOT EXISTS {ACTOR}({_columns(ACTOR_PROPERTIES, 'id')}, "
    f"{_columns({name: f'{kind} DEFAULT 0' for name, kind in ACTOR_COUNT_PROPERTIES.items()})})",
    f"CREATE REL TABLE IF NOT EXISTS {MENTIONS}(FROM {BRIEF} TO {ACTOR}, {_columns(MENTION_PROPERTIES)})",
    f"CREATE REL TABLE IF NOT EXISTS {INTERACTS}(FROM {ACTOR} TO {ACTOR}, {_columns(INTERACTION_PROPERTIES)})",
    f"CREATE NODE TABLE IF NOT EXISTS {MERGE}({_columns(MERGE_PROPERTIES, 'source_id')})",
    f"CREATE NODE TABLE IF NOT EXISTS {COPY_KEY}({_columns(COPY_KEY_PROPERTIES, 'key')})",
    f"CREATE REL TABLE IF NOT EXISTS {HAS_COPY_KEY}(FROM {BRIEF} TO {COPY_KEY})",
    f"CREATE NODE TABLE IF NOT EXISTS {REPLACED_TEXT}({_columns(REPLACED_TEXT_PROPERTIES, 'key')})",
)

# The origin columns, on new and older folders alike (ALTER ... IF NOT EXISTS is a no-op once they exist)
LADYBUG_ADD_COPY_ORIGINS: Final = tuple(
    f"ALTER TABLE {table} ADD IF NOT EXISTS {name} {kind}"
    for table in (BRIEF, INTERACTS)
    for name, kind in COPY_ORIGIN_PROPERTIES.items()
)

# Folders written before the counts existed get the columns (then a recount, CypherGraphStore.apply_schema)
LADYBUG_ADD_ACTOR_COUNTS: Final = tuple(
    f"ALTER TABLE {ACTOR} ADD IF NOT EXISTS {name} {kind} DEFAULT 0" for name, kind in ACTOR_COUNT_PROPERTIES.items()
)

NEO4J_FULLTEXT_ACTOR_INDEX: Final = "actor_names"

NEO4J_DDL: Final = (
    f"CREATE CONSTRAINT brief_id IF NOT EXISTS FOR (b:{BRIEF}) REQUIRE b.id IS UNIQUE",
    f"CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (a:{ACTOR}) REQUIRE a.id IS UNIQUE",
    f"CREATE CONSTRAINT merge_source IF NOT EXISTS FOR (m:{MERGE}) REQUIRE m.source_id IS UNIQUE",
    f"CREATE CONSTRAINT copy_key IF NOT EXISTS FOR (k:{COPY_KEY}) REQUIRE k.key IS UNIQUE",
    f"CREATE CONSTRAINT replaced_text_key IF NOT EXISTS FOR (t:{REPLACED_TEXT}) REQUIRE t.key IS UNIQUE",
    f"CREATE INDEX brief_date IF NOT EXISTS FOR (b:{BRIEF}) ON (b.date)",
    f"CREATE INDEX actor_kind IF NOT EXISTS FOR (a:{ACTOR}) ON (a.kind)",
    f"CREATE INDEX interacts_date IF NOT EXISTS FOR ()-[r:{INTERACTS}]-() ON (r.date)",
    f"CREATE INDEX interacts_event_type IF NOT EXISTS FOR ()-[r:{INTERACTS}]-() ON (r.event_type)",
    f"CREATE INDEX interacts_brief IF NOT EXISTS FOR ()-[r:{INTERACTS}]-() ON (r.brief_id)",
    f"CREATE INDEX interacts_source_agent IF NOT EXISTS FOR ()-[r:{INTERACTS}]-() ON (r.source_agent)",
    f"CREATE INDEX interacts_target_agent IF NOT EXISTS FOR ()-[r:{INTERACTS}]-() ON (r.target_agent)",
    f"CREATE FULLTEXT INDEX {NEO4J_FULLTEXT_ACTOR_INDEX} IF NOT EXISTS FOR (a:{ACTOR}) ON EACH [a.name, a.search_text]",
)
