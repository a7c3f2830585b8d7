"""The vector port on a Qdrant server through qdrant-client (`BRIEFGRAPH_VECTOR__URL`).

The collections have the embedded store's layout (core/adapters/edge_store.py): passages with a named dense vector
and a BM25 sparse vector (IDF applied by the server), briefs with one dense vector, payload indexes on the filtered
fields, so `briefgraph export-vectors` / `import-vectors` move points between the two unchanged. `in_memory`
runs the same calls against qdrant-client's own local mode: the parity tests use it where no server runs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

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

_FIELD_TYPES = {
    "brief_id": models.PayloadSchemaType.KEYWORD,
    "actors": models.PayloadSchemaType.KEYWORD,
    "date_number": models.PayloadSchemaType.INTEGER,
}


class QdrantVectorStore:
    def __init__(
        self,
        *,
        collection: str,
        url: str | None = None,
        api_key: str | None = None,
        in_memory: bool = False,
        hybrid: bool | None = None,
    ) -> None:
        """url: the server; in_memory: qdrant-client's local mode instead (tests). hybrid: fuse BM25 keywords
        with dense ranks when a search has text (None: on)."""
        if not url and not in_memory:
            raise ConfigurationError("the Qdrant server store needs a URL (BRIEFGRAPH_VECTOR__URL)")
        self._collection = collection
        self._hybrid = True if hybrid is None else hybrid
        self._keywords_on = True
        self._server = bool(url)
        self._client = QdrantClient(url=url, api_key=api_key, timeout=10) if url else QdrantClient(location=":memory:")
        self._where = url or ":memory:"

    def _call(self, action: str, function: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (ResponseHandlingException, UnexpectedResponse, ConnectionError, OSError) as error:
            raise StoreUnavailableError(f"vector store {self._where} failed to {action}: {error}") from error

    def _collections(self) -> tuple[str, str]:
        """Passages and whole-brief vectors live apart: a search then needs no 'kind' filter."""
        return self._collection, f"{self._collection}_briefs"

    def _collection_of(self, kind: str | None) -> str:
        passages, briefs = self._collections()
        return briefs if kind == "brief" else passages

    def stored_embedder(self) -> str | None:
        metadata = self._metadata()
        return None if metadata is None else str(metadata.get("embedder") or DEFAULT_EMBEDDER)

    def _metadata(self) -> dict[str, Any] | None:
        name = self._collection_of("passage")
        if not self._call("list collections", self._client.collection_exists, name):
            return None
        info = self._call("read the collection", self._client.get_collection, name)
        return dict(info.config.metadata or {})

    def ensure_collection(self, dimension: int, embedder: str | None = None) -> None:
        for name in self._collections():
            self._ensure(name, dimension, embedder)
        keywords = (self._metadata() or {}).get("keywords")
        self._keywords_on = keywords == KEYWORD_MODEL
        if not self._keywords_on and self._hybrid:
            log.warning(
                "collection %r holds keyword vectors of an older tokeniser (%s); searches use dense ranks only "
                "until `briefgraph reindex` rewrites them",
                self._collection,
                keywords or "briefgraph's own BM25",
            )

    def open_existing(self) -> bool:
        return all(self._call("list collections", self._client.collection_exists, name) for name in self._collections())

    def _ensure(self, name: str, dimension: int, embedder: str | None) -> None:
        passages = name == self._collection_of("passage")
        if self._call("list collections", self._client.collection_exists, name):
            info = self._call("read the collection", self._client.get_collection, name)
            written_by = (info.config.metadata or {}).get("embedder") or DEFAULT_EMBEDDER
            if embedder is not None and written_by != embedder:
                raise ConfigurationError(
                    f"collection {name!r} holds vectors made by {written_by!r}, but the configured embedder is "
                    f"{embedder!r}; their vectors do not compare. Set BRIEFGRAPH_EMBEDDING__BACKEND back, or run "
                    "`briefgraph reindex` (or use another BRIEFGRAPH_VECTOR__COLLECTION) and ingest again"
                )
            vectors = info.config.params.vectors
            if passages:
                vectors = vectors.get(DENSE) if isinstance(vectors, dict) else None
            size = vectors.size if isinstance(vectors, models.VectorParams) else None
            if size != dimension:
                raise ConfigurationError(
                    f"collection {name!r} holds vectors of dimension {size}, but the embedding "
                    f"model gives {dimension}; use another collection name or run `briefgraph reindex`"
                )
            return
        # dot product on vectors normalised on the way in and out: the same ranking and scores as cosine
        dense = models.VectorParams(size=dimension, distance=models.Distance.DOT)
        metadata = {"keywords": KEYWORD_MODEL} | ({"embedder": embedder} if embedder is not None else {})
        if passages:  # named dense vector plus BM25 weights for hybrid search
            self._call(
                "create the collection",
                self._client.create_collection,
                name,
                vectors_config={DENSE: dense},
                sparse_vectors_config={KEYWORDS: models.SparseVectorParams(modifier=models.Modifier.IDF)},
                metadata=metadata,
            )
        else:
            self._call(
                "create the collection", self._client.create_collection, name, vectors_config=dense, metadata=metadata
            )
        if self._server:  # local mode has no payload indexes (it scans)
            for field in FILTERED_FIELDS:
                self._call("index the payload", self._client.create_payload_index, name, field, _FIELD_TYPES[field])

    def replace_brief(self, brief_id: str, points: Sequence[PassagePoint]) -> None:
        self.replace_briefs([(brief_id, points)])

    def replace_briefs(self, batch: Sequence[tuple[str, Sequence[PassagePoint]]]) -> None:
        if not batch:
            return
        check_ids(batch)  # only once every point is valid: bad input must not cost what is stored
        stored_passages, stored_briefs = to_stored(batch)
        passage_structs = [_struct("passage", stored) for stored in stored_passages]
        brief_structs = [_struct("brief", stored) for stored in stored_briefs]
        for stored_brief in self._stored_brief_points([brief_id for brief_id, _ in batch]):
            self._delete_points(stored_brief)
        # passages first: a stored brief point then means the brief's passages are stored too
        passages, briefs = self._collections()
        for name, structs in ((passages, passage_structs), (briefs, brief_structs)):
            if structs:
                self._call("write points", self._client.upsert, name, points=structs, wait=True)

    def _stored_brief_points(self, brief_ids: Sequence[str]) -> list[Any]:
        return list(
            self._call(
                "read points",
                self._client.retrieve,
                self._collection_of("brief"),
                ids=[point_id(brief_id, "brief", 0) for brief_id in brief_ids],
                with_payload=["brief_id", PASSAGE_COUNT],
                with_vectors=False,
            )
        )

    def _delete_points(self, brief_record: Any) -> None:
        """Delete a stored brief's points: by id when its brief point records how many passages it has."""
        stored = brief_record.payload or {}
        brief_id = str(stored["brief_id"])
        count = stored.get(PASSAGE_COUNT)
        passages, briefs = self._collections()
        if isinstance(count, int):
            if count:
                selector: Any = models.PointIdsList(points=[point_id(brief_id, "passage", i) for i in range(count)])
                self._call("delete points", self._client.delete, passages, points_selector=selector, wait=True)
        else:  # written before the count was recorded: find them by payload
            self._delete_by_filter(passages, brief_id)
        selector = models.PointIdsList(points=[brief_record.id])
        self._call("delete points", self._client.delete, briefs, points_selector=selector, wait=True)

    def _delete_by_filter(self, name: str, brief_id: str) -> bool:
        selector = models.Filter(must=[_match("brief_id", brief_id)])
        existing = int(self._call("count points", self._client.count, name, count_filter=selector).count)
        if existing:
            self._call(
                "delete points",
                self._client.delete,
                name,
                points_selector=models.FilterSelector(filter=selector),
                wait=True,
            )
        return bool(existing)

    def delete_brief(self, brief_id: str) -> bool:
        stored = self._stored_brief_points([brief_id])
        if stored:
            self._delete_points(stored[0])
            return True
        # no brief point: passages a crashed write left behind, if any, are found by payload
        return self._delete_by_filter(self._collection_of("passage"), brief_id)

    def search(
        self, vector: Sequence[float], limit: int, filter: VectorFilter, text: str | None = None
    ) -> list[VectorHit]:
        if not any(vector):
            return []  # a vector with no direction ranks nothing (e.g. a fake embedder given only punctuation)
        passages = filter.kind != "brief"
        keywords = query_keywords(text) if text and passages and self._hybrid and self._keywords_on else ([], [])
        name = self._collection_of(filter.kind)
        conditions = _to_filter(filter)
        if keywords[0]:  # dense and BM25 rankings fused by reciprocal rank, inside Qdrant
            sparse = models.SparseVector(indices=keywords[0], values=keywords[1])
            response = self._call(
                "search",
                self._client.query_points,
                name,
                prefetch=[
                    models.Prefetch(query=unit(vector), using=DENSE, limit=limit, filter=conditions),
                    models.Prefetch(query=sparse, using=KEYWORDS, limit=limit, filter=conditions),
                ],
                query=models.RrfQuery(rrf=models.Rrf(k=RRF_K)),
                limit=limit + TIE_MARGIN,
                with_payload=True,
            )
        else:
            response = self._call(
                "search",
                self._client.query_points,
                name,
                query=unit(vector),
                using=DENSE if passages else None,
                limit=limit + TIE_MARGIN,
                query_filter=conditions,
                with_payload=True,
            )
        hits = [VectorHit(point=to_point(str(p.id), p.payload or {}), score=float(p.score)) for p in response.points]
        return best_first(hits, limit)

    def brief_point(self, brief_id: str) -> PassagePoint | None:
        records = self._call(
            "read a point",
            self._client.retrieve,
            self._collection_of("brief"),
            ids=[point_id(brief_id, "brief", 0)],
            with_vectors=True,
            with_payload=True,
        )
        if not records or not isinstance(records[0].vector, list):
            return None
        point = to_point(str(records[0].id), records[0].payload or {})
        return point.model_copy(update={"vector": tuple(float(x) for x in records[0].vector)})

    def brief_hashes(self) -> dict[str, str]:
        return {
            str(stored["brief_id"]): str(stored["content_hash"])
            for _, _, stored in self._scroll(self._collection_of("brief"), ["brief_id", "content_hash"], False)
        }

    def stored_points(self, kind: str) -> Iterator[StoredPoint]:
        """Every stored point of `kind` ('passage' or 'brief') with its vectors and payload, for export."""
        for id_, vector, stored in self._scroll(self._collection_of(kind), True, True):
            yield stored_point(id_, vector, stored)

    def restore_points(self, kind: str, points: Iterable[StoredPoint]) -> int:
        """Write exported points as they are (no embedding); returns how many were written."""
        name = self._collection_of(kind)
        written = 0
        chunk: list[models.PointStruct] = []
        for stored in points:
            chunk.append(_struct(kind, stored))
            if len(chunk) == 1_000:
                self._call("write points", self._client.upsert, name, points=chunk, wait=True)
                written, chunk = written + len(chunk), []
        if chunk:
            self._call("write points", self._client.upsert, name, points=chunk, wait=True)
        return written + len(chunk)

    def optimize(self) -> None:
        """A server builds its indexes by itself."""

    def warm_cache(self) -> None:
        """A server keeps its own memory."""

    def _scroll(self, name: str, with_payload: Any, with_vectors: bool) -> Iterator[tuple[str, Any, dict[str, Any]]]:
        offset: Any = None
        while True:
            records, offset = self._call(
                "scroll",
                self._client.scroll,
                name,
                limit=1_000,
                offset=offset,
                with_payload=with_payload,
                with_vectors=with_vectors,
            )
            for record in records:
                yield str(record.id), record.vector, record.payload or {}
            if offset is None:
                return

    def count(self) -> int:
        return sum(int(self._call("count points", self._client.count, name).count) for name in self._collections())

    def ping(self) -> None:
        self._call("answer", self._client.get_collections)

    def close(self) -> None:
        self._client.close()


def _struct(kind: str, stored: StoredPoint) -> models.PointStruct:
    if kind == "passage":
        indices, values = stored.keywords or ([], [])
        vector: Any = {DENSE: stored.dense, KEYWORDS: models.SparseVector(indices=indices, values=values)}
    else:
        vector = stored.dense
    return models.PointStruct(id=stored.id, vector=vector, payload=stored.payload)


def _match(field: str, value: str) -> models.FieldCondition:
    return models.FieldCondition(key=field, match=models.MatchValue(value=value))


def _to_filter(filter: VectorFilter) -> models.Filter | None:
    must: list[models.Condition] = []  # filter.kind picks the collection, see QdrantVectorStore._collections
    if filter.brief_id:
        must.append(_match("brief_id", filter.brief_id))
    if filter.date_from or filter.date_to:
        must.append(
            models.FieldCondition(
                key="date_number",
                range=models.Range(
                    gte=date_number(filter.date_from) if filter.date_from else None,
                    lte=date_number(filter.date_to) if filter.date_to else None,
                ),
            )
        )
    must.extend(_match("actors", actor) for actor in filter.actors_all)
    must_not: list[models.Condition] = []
    if filter.exclude_brief:
        must_not.append(_match("brief_id", filter.exclude_brief))
    if not must and not must_not:
        return None
    return models.Filter(must=must or None, must_not=must_not or None)
