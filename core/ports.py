"""Ports: what the write and read paths need from the stores. Each backend implements a port and passes the
contract suite in tests/contract/, which states the same behaviour for every backend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, Protocol

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
    IngestReport,
    InteractionRecord,
    InteractionStats,
    PassagePoint,
    ReplacedText,
    StoredPoint,
    VectorFilter,
    VectorHit,
)
from graph_schema.ontology import EventType


class GraphStore(Protocol):
    """The actor-interaction graph.

    Behaviour every backend shows:
    - `apply_schema` is idempotent: constraints and indexes are created if missing, never duplicated.
    - `replace_brief` writes one brief's contribution (Brief node, its actors, MENTIONS, INTERACTS) and first
      removes whatever that brief contributed before, so writing the same brief twice leaves the graph
      exactly as writing it once, and an edited brief replaces its facts without touching other briefs'.
      Actors are shared: they are merged by id, and never deleted because one brief goes away.
      `replace_briefs` does the same for several distinct briefs in one transaction: all are written or none.
      A brief's origin (Brief.origin; its own id when it has none) is stored on the brief and on each of its
      interactions, and the brief is indexed under its copy keys (Brief.copy_keys) and its origin; a rewrite
      replaces its keys, a delete removes them.
    - Corroboration (`interaction_stats().corroborated_events`) counts events reported under two or more
      distinct origins: copies of one text are one source, however many briefs carry it.
    - `delete_brief` removes exactly that brief's contribution; returns False if it was not stored.
    - Interactions come back in date order (undated last), then by brief id and sentence index; when more than
      `limit` match, the page holds the newest `limit` (the tail of that order). `interaction_stats` aggregates
      everything the same arguments match, whatever the page size.
    - A dyad query (a, b) returns interactions in either direction between a and b.
    - Actor ids are matched both as the interaction's endpoint and as its named agent (a person acting
      for a state), so a person's interactions can be asked for directly.
    - `paths` returns at most `limit` shortest paths of at most `max_hops` interactions, actors distinct.
    - Reads raise NotFoundError only where documented; unreachable stores raise StoreUnavailableError and
      queries past the configured time limit raise StoreTimeoutError.
    """

    def apply_schema(self) -> None: ...

    def replace_brief(self, extracted: ExtractedBrief) -> None: ...

    def replace_briefs(self, batch: Sequence[ExtractedBrief]) -> None: ...

    def delete_brief(self, brief_id: str) -> bool: ...

    def brief_hashes(self) -> dict[str, str]:
        """brief id -> content hash of every stored brief (used to skip unchanged input and find drift)."""
        ...

    def get_brief(self, brief_id: str) -> BriefInfo | None: ...

    def copy_candidates(self, keys: Sequence[str], exclude_ids: AbstractSet[str], limit: int) -> list[CopyCandidate]:
        """Stored briefs not in `exclude_ids` indexed under any of `keys`, each with the keys it shares and its
        origin; most shared keys first (ties by id), at most `limit` (counted after the exclusion). A lookup by
        key, never a scan of briefs."""
        ...

    def briefs_without_origin(self) -> list[str]:
        """Ids of stored briefs written before copy detection (no origin, no copy keys), sorted."""
        ...

    def copies(self, brief_id: str) -> list[BriefRef]:
        """The other stored briefs of the brief's origin (copies of its text), oldest first, undated last;
        empty for an unknown id or a brief without copies."""
        ...

    def record_replaced(self, texts: Sequence[ReplacedText]) -> None:
        """Log texts that writes replaced under the same brief id; logging one again changes nothing."""
        ...

    def replaced_texts(self) -> list[ReplacedText]:
        """Every logged replaced text, oldest replacement first."""
        ...

    def get_actor(self, actor_id: str) -> ActorSummary | None: ...

    def find_actors(self, query: str, limit: int) -> list[ActorSummary]:
        """Actors whose id, name or an alias contains the query (case-insensitive), most mentioned first."""
        ...

    def interactions(
        self,
        actor_id: str,
        other_id: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        event_types: Sequence[EventType] = (),
        limit: int = 500,
    ) -> list[InteractionRecord]: ...

    def interaction_stats(
        self,
        actor_id: str,
        other_id: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        event_types: Sequence[EventType] = (),
    ) -> InteractionStats: ...

    def brief_interactions(self, brief_id: str) -> list[InteractionRecord]:
        """Interactions extracted from one brief, in sentence order."""
        ...

    def counterparts(self, actor_id: str, limit: int) -> list[Counterpart]:
        """Actors this one interacted with, most interactions first (ties by id)."""
        ...

    def paths(self, source_id: str, target_id: str, max_hops: int, limit: int) -> list[GraphPath]: ...

    def counts(self) -> GraphCounts: ...

    def merges(self) -> list[ActorMerge]:
        """Analysts' merges in force, oldest first."""
        ...

    def record_merge(self, merge: ActorMerge) -> None:
        """Store (or replace) the merge of merge.source_id; the write path applies it to every brief it writes."""
        ...

    def remove_merge(self, source_id: str) -> bool: ...

    def briefs_of_actor(self, actor_id: str) -> list[str]:
        """Ids of the briefs that mention the actor or hold an interaction it takes part in."""
        ...

    def ping(self) -> None:
        """Raise StoreUnavailableError when the store cannot answer."""
        ...

    def close(self) -> None: ...


class VectorStore(Protocol):
    """Brief and passage vectors with their payload.

    Behaviour every backend shows:
    - `ensure_collection` is idempotent; it fails with ConfigurationError if the stored dimension differs, or if
      the collections were written by another embedder than `embedder` (vectors of two models, or of one model
      run two ways, do not compare). Collections that recorded no embedder are taken as the default model's.
    - `replace_brief` removes the brief's previous points before writing the new ones; `replace_briefs` does so
      for several briefs with one write per collection. A brief's own point is written after its passages, so
      a stored brief point means its passages are stored too.
    - `search` returns hits best first, honouring every field of the filter; with query text it fuses dense
      and keyword ranks over passages.
    - `brief_hashes` reports the content hash stored with each brief's points.
    """

    def ensure_collection(self, dimension: int, embedder: str | None = None) -> None: ...

    def stored_embedder(self) -> str | None:
        """The embedder the stored collections were written by (as `ensure_collection` recorded it), read without
        creating anything; None when nothing is stored yet. Lets the composition root keep a data folder's embedder."""
        ...

    def open_existing(self) -> bool:
        """Open the stored collections as they are, creating and checking nothing (for tools that only read
        points, such as an export); False when nothing is stored."""
        ...

    def replace_brief(self, brief_id: str, points: Sequence[PassagePoint]) -> None: ...

    def replace_briefs(self, batch: Sequence[tuple[str, Sequence[PassagePoint]]]) -> None: ...

    def delete_brief(self, brief_id: str) -> bool: ...

    def search(
        self, vector: Sequence[float], limit: int, filter: VectorFilter, text: str | None = None
    ) -> list[VectorHit]:
        """Nearest points to `vector`; with `text`, passages are ranked by dense and keyword (BM25) rank fused,
        and scores are fused ranks rather than cosine similarities."""
        ...

    def brief_point(self, brief_id: str) -> PassagePoint | None:
        """The brief's own point with its vector and payload, read by id (no scan); None if not stored."""
        ...

    def brief_hashes(self) -> dict[str, str]: ...

    def stored_points(self, kind: str) -> Iterator[StoredPoint]:
        """Every stored point of `kind` ('passage' or 'brief') with its vectors (dense and BM25) and payload, in
        the shape Qdrant itself stores, for `briefgraph export-vectors`."""
        ...

    def restore_points(self, kind: str, points: Iterable[StoredPoint]) -> int:
        """Write exported points as they are, without embedding; returns how many were written."""
        ...

    def optimize(self) -> None:
        """Build search indexes for what was written (after a batch ingest); may take minutes on a large store,
        returns at once when there is nothing to do."""
        ...

    def warm_cache(self) -> None:
        """For a long-running process (the API): start bringing what searches read from disk into memory in the
        background, so the first searches after a start are as fast as later ones. Returns at once; changes no
        answer; does nothing where a server holds the data or where no store exists yet. May be called before
        `ensure_collection` / `open_existing` (it reads what is on disk), so the reads overlap the opening; a
        second call starts nothing more. `close` stops it."""
        ...

    def count(self) -> int: ...

    def ping(self) -> None: ...

    def close(self) -> None: ...


class Embedder(Protocol):
    """Turns texts into unit-length vectors of a fixed dimension, deterministically."""

    @property
    def dimension(self) -> int: ...

    @property
    def name(self) -> str: ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


class BriefWriter(Protocol):
    """The write path as the API sees it (services never import ingest; the composition root joins them).

    - `ingest_records` takes brief records ({title, date, url, body | description/impact}), skips bad ones with
      a reason and unchanged ones, and reports each outcome; nothing already stored is lost on bad input.
    - `delete` removes one brief from both stores; False if neither held it.
    """

    def ingest_records(self, records: Sequence[Mapping[str, Any]], *, source: str) -> IngestReport: ...

    def delete(self, brief_id: str) -> bool: ...

    def merge_actors(self, source_id: str, target_id: str, reason: str) -> tuple[ActorMerge, int]:
        """Fold one actor into another from now on, rewriting the briefs that name it; returns the merge and
        the number of briefs rewritten. Raises NotFoundError / InvalidInputError."""
        ...

    def split_actor(self, source_id: str) -> tuple[ActorMerge, int]:
        """Undo a merge, rewriting the briefs concerned; returns the removed merge and the briefs rewritten."""
        ...
