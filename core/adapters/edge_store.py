"""The vector port on Qdrant Edge: Qdrant's own engine running in this process, storing in a folder.

Two shards under `<path>/<collection>/`: `passages` (named dense vector plus BM25 sparse vector with the IDF
modifier) and `briefs` (one dense vector per brief), with payload indexes on the filtered fields. Searches,
filters, keyword scoring and reciprocal rank fusion all run inside the engine; HNSW graphs are built by
the engine's optimizer, in two ways. Writes past a threshold index only the new points, in segments of their own (a
shard may hold up to SEGMENTS_BETWEEN_BUILDS segments meanwhile); `optimize()` after a batch ingest, and at an
open that finds most points unindexed, merges each shard into MERGED_SEGMENTS segments, which searches read
fastest. Re-merging everything at every threshold made a large ingest cost grow with the store. `store.json`
records the embedder, dimension and keyword model, since a shard's config has no room for them.

One process opens a folder (the shard's write-ahead log is locked); Qdrant Edge's Python binding has no
read-only opener, so a second process gets a clear StoreUnavailableError.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from qdrant_edge import (
    CountRequest,
    Distance,
    EdgeConfig,
    EdgeOptimizersConfig,
    EdgeShard,
    EdgeSparseVectorParams,
    EdgeVectorParams,
    FieldCondition,
    Filter,
    Fusion,
    MatchValue,
    Modifier,
    PayloadSchemaType,
    Point,
    Prefetch,
    Query,
    QueryRequest,
    RangeFloat,
    ScrollRequest,
    SparseVector,
    UpdateOperation,
)

from core.adapters.page_cache import PageCacheWarmer
from core.adapters.read_write_gate import ReadWriteGate
from core.adapters.vector_points import (
    DEFAULT_EMBEDDER,
    DENSE,
    FILTERED_FIELDS,
    KEYWORD_MODEL,
    KEYWORDS,
    PASSAGE_COUNT,
    RRF_K,
    TIE_MARGIN,
    best_first,
    check_ids,
    date_number,
    point_id,
    query_keywords,
    stored_point,
    to_point,
    to_stored,
    unit,
)
from core.errors import ConfigurationError, StoreUnavailableError
from core.models import PassagePoint, StoredPoint, VectorFilter, VectorHit

log = logging.getLogger(__name__)

T = TypeVar("T")

STORE_FORMAT = 1
META_FILE = "store.json"
OPTIMIZE_AFTER_POINTS = 20_000  # points written since the last HNSW build that make the next write build again
# The engine's merge optimizer merges the smallest segments while a shard holds more than its target number. With a
# target of 2, every threshold build re-merged the whole shard (at 50k briefs, 20k new passages cost a full
# rebuild of 150k); with 8 it indexes the new points on their own, and only the full optimize() merges down to 2.
SEGMENTS_BETWEEN_BUILDS = 8
MERGED_SEGMENTS = 2
SHARDS = ("passages", "briefs")
_FIELD_TYPES = {
    "brief_id": PayloadSchemaType.Keyword,
    "actors": PayloadSchemaType.Keyword,
    "date_number": PayloadSchemaType.Integer,
}


def segment_files_by_use(root: Path) -> list[Path]:
    """The segment files of the store at `root` (its shards' write-ahead logs left out), what a search touches
    first first: dense vectors, then the vector indexes, then point ids and payloads, then the rest (payload
    indexes, the stored BM25 vectors); passages before briefs within each rank."""

    def rank(part: str) -> int:
        if part in {"vector_storage", f"vector_storage-{DENSE}"}:
            return 0
        if part.startswith("vector_index"):
            return 1
        return 2 if part.startswith("payload_storage") or "id_tracker" in part else 3  # mutable_id_tracker.*

    ranked: list[tuple[int, Path]] = []
    for name in SHARDS:
        segments = root / name / "segments"
        for file in sorted(segments.rglob("*")):
            parts = file.relative_to(segments).parts
            if len(parts) > 1 and file.is_file():
                ranked.append((rank(parts[1]), file))
    return [file for _, file in sorted(ranked, key=lambda pair: pair[0])]


def legacy_layout(folder: Path) -> bool:
    """True if `folder` holds collections of qdrant-client's local mode, the embedded store before Qdrant Edge."""
    return (folder / "meta.json").is_file() and (folder / "collection").is_dir()


class EdgeVectorStore:
    def __init__(
        self,
        *,
        collection: str,
        path: Path | None = None,
        hybrid: bool | None = None,
        legacy_folders: Sequence[Path] = (),
        allow_legacy: bool = False,
        optimize_after_points: int = OPTIMIZE_AFTER_POINTS,
    ) -> None:
        """path None: a throw-away folder removed on close (tests, one-off runs). hybrid: fuse BM25 keywords with
        dense ranks when a search has text (None: on). legacy_folders: where a data folder of the previous
        embedded store may be; opening a new store while one of them holds collections is refused (its vectors
        would be silently missing) unless `allow_legacy` (`briefgraph reindex` rebuilds from the graph)."""
        self._temporary = path is None
        base = Path(tempfile.mkdtemp(prefix="briefgraph-vectors-")) if path is None else path
        self._root = base / collection
        self._hybrid = True if hybrid is None else hybrid
        self._legacy = [folder for folder in legacy_folders if not allow_legacy]
        self._optimize_after = optimize_after_points
        self._shards: dict[str, Any] = {}
        self._meta: dict[str, Any] | None = self._read_meta()
        self._write_lock = threading.Lock()
        # reads against writes that swap a shard object (a reload with other optimizer targets) or close it
        self._gate = ReadWriteGate()
        self._unindexed = 0
        self._keywords_on = True
        self._warmer: PageCacheWarmer | None = None

    # ------------------------------------------------------------------ opening

    def _read_meta(self) -> dict[str, Any] | None:
        file = self._root / META_FILE
        if not file.is_file():
            return None
        try:
            meta = json.loads(file.read_text())
        except (OSError, ValueError) as error:
            raise StoreUnavailableError(f"cannot read {file}: {error}") from error
        if not isinstance(meta, dict) or meta.get("format") != STORE_FORMAT:
            raise ConfigurationError(f"{file} is not a briefgraph vector store of format {STORE_FORMAT}")
        return meta

    def stored_embedder(self) -> str | None:
        return None if self._meta is None else str(self._meta.get("embedder") or DEFAULT_EMBEDDER)

    def ensure_collection(self, dimension: int, embedder: str | None = None) -> None:
        if self._shards:
            self._check_meta(dimension, embedder)
            return
        if self._meta is None:
            self._refuse_legacy()
            self._create(dimension, embedder)
        else:
            self._check_meta(dimension, embedder)
            for name in SHARDS:
                self._shards[name] = self._load(name, SEGMENTS_BETWEEN_BUILDS)
        self._keywords_on = self._meta is not None and self._meta.get("keywords") == KEYWORD_MODEL
        self._optimize_if_unindexed()

    def open_existing(self) -> bool:
        if self._meta is None:
            return False
        self.ensure_collection(int(self._meta["dimension"]))
        return True

    def _refuse_legacy(self) -> None:
        for folder in self._legacy:
            if legacy_layout(folder):
                raise ConfigurationError(
                    f"{folder} holds vectors in the layout of briefgraph's previous embedded store (qdrant-client "
                    "local mode); this version stores vectors with Qdrant Edge. Run `briefgraph reindex` once to "
                    "rebuild them from the briefs the graph keeps (nothing is lost; the old folder is left as it "
                    "is and can be deleted afterwards)"
                )

    def _check_meta(self, dimension: int, embedder: str | None) -> None:
        assert self._meta is not None
        written_by = self.stored_embedder()
        if embedder is not None and written_by != embedder:
            raise ConfigurationError(
                f"the vector store at {self._root} holds vectors made by {written_by!r}, but the configured embedder "
                f"is {embedder!r}; their vectors do not compare. Set BRIEFGRAPH_EMBEDDING__BACKEND back, or run "
                "`briefgraph reindex` to rebuild the vectors with the configured embedder"
            )
        if self._meta.get("dimension") != dimension:
            raise ConfigurationError(
                f"the vector store at {self._root} holds vectors of dimension {self._meta.get('dimension')}, but the "
                f"embedding model gives {dimension}; use another collection name or run `briefgraph reindex`"
            )

    def _create(self, dimension: int, embedder: str | None) -> None:
        self._root.mkdir(parents=True, exist_ok=True)
        for name in SHARDS:
            folder = self._root / name
            if folder.exists():  # a create that stopped before store.json was written: start that over
                shutil.rmtree(folder)
            config = _shard_config(name, dimension, SEGMENTS_BETWEEN_BUILDS)
            shard = self._open(name, functools.partial(_create_shard, config=config))
            for field in FILTERED_FIELDS:
                self._call(
                    "index the payload", shard.update, UpdateOperation.create_field_index(field, _FIELD_TYPES[field])
                )
            self._shards[name] = shard
        meta = {"format": STORE_FORMAT, "embedder": embedder, "dimension": dimension, "keywords": KEYWORD_MODEL}
        scratch = self._root / f".{META_FILE}.tmp"
        scratch.write_text(json.dumps(meta, indent=2))
        os.replace(scratch, self._root / META_FILE)  # written last: a store.json means both shards exist
        self._meta = meta

    def _load(self, name: str, segments: int) -> Any:
        """The shard `name` loaded with `segments` as its optimizer's target number of segments (kept on disk)."""
        assert self._meta is not None
        config = _shard_config(name, int(self._meta["dimension"]), segments)
        return self._open(name, lambda folder: EdgeShard.load(str(folder), config))

    def _open(self, name: str, opener: Callable[[Path], Any]) -> Any:
        folder = self._root / name
        try:
            return opener(folder)
        except Exception as error:  # the binding raises plain Exception for every engine error
            if "WouldBlock" in str(error):
                raise StoreUnavailableError(
                    f"the vector store at {self._root} is open in another process (Qdrant Edge lets one process "
                    "open a folder). Stop that process, or send the work to it: the API answers search and ask "
                    "(`curl localhost:8000/search?q=...`) and takes new briefs at POST /briefs"
                ) from error
            raise StoreUnavailableError(f"cannot open the vector store shard {folder}: {error}") from error

    def _unindexed_passages(self) -> tuple[int, int]:
        """(dense passage vectors not in an HNSW graph, passages). The engine counts a passage's BM25 vector as
        indexed from the moment it is written, so two vectors per passage are expected once all are indexed."""
        info = self._call("read the shard", self._shards["passages"].info)
        points = int(info.points_count)
        return max(0, 2 * points - int(info.indexed_vectors_count)), points

    def _optimize_if_unindexed(self) -> None:
        """Build at open only when most passages are unindexed (e.g. just after an import): at 100k briefs a
        build takes minutes, while 20k unindexed passages cost a search ~5 ms (benchmarks/RESULTS.md). Fewer are
        left to the next write past the threshold, or to the optimize() that ends a batch ingest."""
        unindexed, points = self._unindexed_passages()
        if unindexed >= self._optimize_after and unindexed * 2 > points:
            log.info("building the vector index for %d unindexed passages", unindexed)
            self.optimize()
        else:
            self._unindexed = unindexed  # the next writes count on from what is already unindexed

    def optimize(self) -> None:
        """Build HNSW graphs for what was written and merge each shard into MERGED_SEGMENTS segments; returns soon
        when there is nothing to do. The engine reads its merge target from the config a shard is loaded with, so
        each shard is reloaded with that target for this build and then with the looser one again."""
        with self._write_lock, self._gate.writing():
            for name in list(self._shards):
                self._reload(name, MERGED_SEGMENTS)
                self._call("build the index", self._shards[name].optimize)
                self._reload(name, SEGMENTS_BETWEEN_BUILDS)
            self._unindexed = 0

    def _reload(self, name: str, segments: int) -> None:
        shard = self._shards.pop(name)
        self._call("flush", shard.flush)
        shard.close()
        self._shards[name] = self._load(name, segments)

    def _index_new_points(self) -> None:
        """What a write past the threshold runs: the new points get HNSW graphs in segments of their own."""
        with self._write_lock:
            for shard in self._shards.values():
                self._call("build the index", shard.optimize)
            self._unindexed = 0

    # ------------------------------------------------------------------ writes

    def replace_brief(self, brief_id: str, points: Sequence[PassagePoint]) -> None:
        self.replace_briefs([(brief_id, points)])

    def replace_briefs(self, batch: Sequence[tuple[str, Sequence[PassagePoint]]]) -> None:
        if not batch:
            return
        check_ids(batch)  # only once every point is valid: bad input must not cost what is stored
        stored_passages, stored_briefs = to_stored(batch)
        passages = [_engine_point("passage", stored) for stored in stored_passages]
        briefs = [_engine_point("brief", stored) for stored in stored_briefs]
        with self._write_lock:
            self._delete_stored([brief_id for brief_id, _ in batch])
            # passages first: a stored brief point then means the brief's passages are stored too
            if passages:
                self._call("write points", self._shards["passages"].update, UpdateOperation.upsert_points(passages))
            self._call("write points", self._shards["briefs"].update, UpdateOperation.upsert_points(briefs))
            self._unindexed += len(passages)
        if self._unindexed >= self._optimize_after:
            self._index_new_points()

    def _delete_stored(self, brief_ids: Sequence[str]) -> None:
        """Delete the stored points of these briefs: passages by the ids their brief point counts, then the
        brief points; passages a crashed write left without a brief point are found by payload."""
        records = self._call(
            "read points",
            self._shards["briefs"].retrieve,
            [point_id(brief_id, "brief", 0) for brief_id in brief_ids],
            with_payload=["brief_id", PASSAGE_COUNT],
            with_vector=False,
        )
        counted = {str((r.payload or {}).get("brief_id")): (r.payload or {}).get(PASSAGE_COUNT) for r in records}
        ids: list[int | uuid.UUID | str] = [
            point_id(brief_id, "passage", i)
            for brief_id, count in counted.items()
            if isinstance(count, int)
            for i in range(count)
        ]
        if ids:
            self._call("delete points", self._shards["passages"].update, UpdateOperation.delete_points(ids))
        for brief_id in brief_ids:
            if not isinstance(counted.get(brief_id), int):
                self._call(
                    "delete points",
                    self._shards["passages"].update,
                    UpdateOperation.delete_points_by_filter(Filter(must=[_match("brief_id", brief_id)])),
                )
        if records:
            self._call(
                "delete points",
                self._shards["briefs"].update,
                UpdateOperation.delete_points([r.id for r in records]),
            )

    def delete_brief(self, brief_id: str) -> bool:
        selector = CountRequest(exact=True, filter=Filter(must=[_match("brief_id", brief_id)]))
        with self._write_lock:
            held = any(self._call("count points", shard.count, selector) for shard in self._shards.values())
            if held:
                self._delete_stored([brief_id])
            return held

    # ------------------------------------------------------------------ reads

    def search(
        self, vector: Sequence[float], limit: int, filter: VectorFilter, text: str | None = None
    ) -> list[VectorHit]:
        if not any(vector):
            return []  # a vector with no direction ranks nothing (e.g. a fake embedder given only punctuation)
        passages = filter.kind != "brief"
        conditions = _to_filter(filter)
        keywords = query_keywords(text) if text and passages and self._hybrid and self._keywords_on else ([], [])
        dense = Query.Nearest(unit(vector), using=DENSE if passages else None)
        if keywords[0]:  # dense and BM25 rankings fused by reciprocal rank, inside the engine
            request = QueryRequest(
                limit=limit + TIE_MARGIN,
                prefetches=[
                    Prefetch(limit=limit, query=dense, filter=conditions),
                    Prefetch(
                        limit=limit, query=Query.Nearest(SparseVector(*keywords), using=KEYWORDS), filter=conditions
                    ),
                ],
                query=Fusion.Rrf(k=RRF_K),  # type: ignore[arg-type]  # the stub lists Fusion, not its Rrf
                with_payload=True,
            )
        else:
            request = QueryRequest(limit=limit + TIE_MARGIN, query=dense, filter=conditions, with_payload=True)
        found = self._read("search", "passages" if passages else "briefs", "query", request)
        return best_first(
            [VectorHit(point=to_point(str(p.id), p.payload or {}), score=float(p.score)) for p in found], limit
        )

    def brief_point(self, brief_id: str) -> PassagePoint | None:
        records = self._read(
            "read a point",
            "briefs",
            "retrieve",
            [point_id(brief_id, "brief", 0)],
            with_payload=True,
            with_vector=True,
        )
        if not records or not isinstance(records[0].vector, list):
            return None
        point = to_point(str(records[0].id), records[0].payload or {})
        return point.model_copy(update={"vector": tuple(float(x) for x in records[0].vector)})

    def brief_hashes(self) -> dict[str, str]:
        return {
            str(stored["brief_id"]): str(stored["content_hash"])
            for _, _, stored in self._scroll("briefs", ["brief_id", "content_hash"], with_vector=False)
        }

    def count(self) -> int:
        return sum(
            int(self._read("count points", name, "count", CountRequest(exact=True))) for name in list(self._shards)
        )

    def ping(self) -> None:
        self._read("answer", "briefs", "info")

    def warm_cache(self) -> None:
        # the files on disk are what is read, so this may start before the shards load: the API starts it first,
        # and the reads then overlap the engine's CPU-bound load instead of the first requests
        if self._warmer is None and self._meta is not None:
            self._warmer = PageCacheWarmer(lambda: segment_files_by_use(self._root), name="briefgraph-warm-vectors")
            self._warmer.start()

    def close(self) -> None:
        if self._warmer is not None:
            self._warmer.stop()
            self._warmer = None
        with self._write_lock, self._gate.writing():
            shards, self._shards = self._shards, {}
            for shard in shards.values():
                with contextlib.suppress(Exception):
                    shard.flush()
                shard.close()
        if self._temporary:
            shutil.rmtree(self._root.parent, ignore_errors=True)

    # ------------------------------------------------------------------ export and restore

    def stored_points(self, kind: str) -> Iterator[StoredPoint]:
        """Every stored point of `kind` ('passage' or 'brief') with its vectors and payload, for export."""
        for id_, vector, stored in self._scroll(_shard_of(kind), True, with_vector=True):
            yield stored_point(id_, vector, stored)

    def restore_points(self, kind: str, points: Iterable[StoredPoint]) -> int:
        """Write exported points as they are (no embedding); returns how many were written."""
        shard = self._shards[_shard_of(kind)]
        written = 0
        chunk: list[Point] = []
        for stored in points:
            chunk.append(_engine_point(kind, stored))
            if len(chunk) == 1_000:
                written += self._upsert(shard, chunk)
                chunk = []
        written += self._upsert(shard, chunk)
        return written

    def _upsert(self, shard: Any, points: list[Point]) -> int:
        if points:
            with self._write_lock:
                self._call("write points", shard.update, UpdateOperation.upsert_points(points))
                if shard is self._shards["passages"]:  # the count the index threshold is about
                    self._unindexed += len(points)
        return len(points)

    # ------------------------------------------------------------------ helpers

    def _scroll(self, name: str, with_payload: Any, *, with_vector: bool) -> Iterator[tuple[str, Any, dict[str, Any]]]:
        offset: Any = None
        while True:
            request = ScrollRequest(offset=offset, limit=2_000, with_payload=with_payload, with_vector=with_vector)
            records, offset = self._read("scroll", name, "scroll", request)
            for record in records:
                yield str(record.id), record.vector, record.payload or {}
            if offset is None:
                return

    def _read(self, action: str, name: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """Call a reading `method` of shard `name`, never beside a reload or close of that shard."""
        with self._gate.reading():
            return self._call(action, getattr(self._shards[name], method), *args, **kwargs)

    def _call(self, action: str, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return function(*args, **kwargs)
        except Exception as error:
            if type(error) is not Exception:  # the engine raises plain Exception; anything else is a bug of ours
                raise
            raise StoreUnavailableError(f"vector store {self._root} failed to {action}: {error}") from error


def _engine_point(kind: str, stored: StoredPoint) -> Point:
    if kind == "passage":
        return Point(
            stored.id, {DENSE: stored.dense, KEYWORDS: SparseVector(*(stored.keywords or ([], [])))}, stored.payload
        )
    return Point(stored.id, stored.dense, stored.payload)


def _shard_config(name: str, dimension: int, segments: int) -> EdgeConfig:
    optimizers = EdgeOptimizersConfig(default_segment_number=segments)
    if name == "passages":
        return EdgeConfig(
            vectors={DENSE: EdgeVectorParams(size=dimension, distance=Distance.Dot)},
            sparse_vectors={KEYWORDS: EdgeSparseVectorParams(modifier=Modifier.Idf)},
            optimizers=optimizers,
        )
    return EdgeConfig(vectors=EdgeVectorParams(size=dimension, distance=Distance.Dot), optimizers=optimizers)


def _create_shard(folder: Path, *, config: EdgeConfig) -> Any:
    return EdgeShard.create(str(folder), config)


def _shard_of(kind: str) -> str:
    if kind not in {"passage", "brief"}:
        raise ValueError(f"kind must be 'passage' or 'brief', not {kind!r}")
    return "briefs" if kind == "brief" else "passages"


def _match(field: str, value: str) -> FieldCondition:
    return FieldCondition(key=field, match=MatchValue(value))


def _to_filter(filter: VectorFilter) -> Filter | None:
    must: list[Any] = []  # filter.kind picks the shard
    if filter.brief_id:
        must.append(_match("brief_id", filter.brief_id))
    if filter.date_from or filter.date_to:
        must.append(
            FieldCondition(
                key="date_number",
                range=RangeFloat(
                    gte=date_number(filter.date_from) if filter.date_from else None,
                    lte=date_number(filter.date_to) if filter.date_to else None,
                ),
            )
        )
    must.extend(_match("actors", actor) for actor in filter.actors_all)
    must_not: list[Any] = [_match("brief_id", filter.exclude_brief)] if filter.exclude_brief else []
    if not must and not must_not:
        return None
    return Filter(must=must or None, must_not=must_not or None)
