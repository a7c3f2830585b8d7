"""What the embedded Qdrant Edge store adds to the vector contract: a folder that outlives the process, one
opener at a time, the previous layout refused with the way forward, HNSW builds that change no answer, and the
same answers as the server adapter on the same data (the server adapter's calls run on qdrant-client's local mode
here; against a real server with QDRANT_URL)."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from qdrant_edge import EdgeShard

from core.adapters.edge_store import MERGED_SEGMENTS, SEGMENTS_BETWEEN_BUILDS, EdgeVectorStore, segment_files_by_use
from core.adapters.qdrant_store import QdrantVectorStore
from core.adapters.vector_points import point_id
from core.errors import ConfigurationError, StoreUnavailableError
from core.models import PassagePoint, VectorFilter
from core.ports import VectorStore
from tests.fakes import HashingEmbedder

EMBEDDER = HashingEmbedder(64)
FILLER = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
TOPICS = [
    "turkey israel talks in baku over syria",
    "airbase strikes near palmyra",
    "hezbollah ceasefire in southern lebanon",
    "houthi missile attacks on red sea shipping",
    "iran nuclear talks in oman",
    "russia ukraine prisoner exchange",
    "sudan army and rapid support forces clash in darfur",
    "china taiwan strait naval drills",
]
ACTORS = [("TUR", "ISR"), ("ISR", "SYR"), ("ISR", "LBN"), ("group:houthis",), ("IRN", "USA"), ("RUS", "UKR")]


def _brief(index: int) -> tuple[str, list[PassagePoint]]:
    brief_id = f"brief-{index}"
    # no two passages have the same length and vectors are random: few ties for an engine's order to hang on
    texts = [
        f"{TOPICS[index % len(TOPICS)]} {_filler(index)}",
        f"{TOPICS[(index * 3 + 1) % len(TOPICS)]} {_filler(60 + index)}",
    ]
    vectors = [_random_vector(text) for text in [" ".join(texts), *texts]]
    date = dt.date(2024, 1, 1) + dt.timedelta(days=index * 7) if index % 5 else None
    actors = ACTORS[index % len(ACTORS)]

    def point(kind: str, number: int, text: str, vector: list[float]) -> PassagePoint:
        return PassagePoint(
            point_id=point_id(brief_id, kind, number),
            brief_id=brief_id,
            kind=kind,
            vector=tuple(vector),
            text=text,
            title=f"Brief {index}",
            date=date,
            section=None if kind == "brief" else "description",
            sentence_start=None if kind == "brief" else number,
            sentence_end=None if kind == "brief" else number,
            actors=actors,
            event_types=("CONSULT",),
            content_hash=f"h{index}",
        )

    passages = [point("passage", i, t, v) for i, (t, v) in enumerate(zip(texts, vectors[1:], strict=True))]
    return brief_id, [point("brief", 0, " ".join(texts), vectors[0]), *passages]


def _filler(words: int) -> str:
    return " ".join(f"filler{n}" for n in range(words))


def _random_vector(text: str) -> list[float]:
    vector = np.random.default_rng(zlib.crc32(text.encode())).normal(size=EMBEDDER.dimension)
    return list(vector / np.linalg.norm(vector))


CORPUS = [_brief(i) for i in range(60)]
QUERIES = [
    (TOPICS[0], VectorFilter(kind="passage")),
    (TOPICS[3], VectorFilter(kind="passage", actors_all=("group:houthis",))),
    (TOPICS[2], VectorFilter(kind="passage", date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 9, 1))),
    (TOPICS[5], VectorFilter(kind="brief", exclude_brief="brief-5")),
    (TOPICS[1], VectorFilter(kind="passage", brief_id="brief-7")),
]


def _answers(store: VectorStore, *, hybrid: bool) -> list[list[tuple[float, frozenset[str]]]]:
    """Each query's hits as (score, the ids with that score), best first. Fused ranks tie by design (the top
    dense and the top keyword hit both score 1/2), and an engine may list tied hits in any order; the last group
    is left out, since the limit may cut it anywhere."""
    answers = []
    for text, filter in QUERIES:
        hits = store.search(_random_vector(text), 10, filter, text=text if hybrid else None)
        groups: dict[float, set[str]] = {}
        for hit in hits:
            groups.setdefault(round(hit.score, 4), set()).add(hit.point.point_id)
        ranked = sorted(groups.items(), reverse=True)
        answers.append([(score, frozenset(ids)) for score, ids in ranked[:-1]])
    return answers


def _filled(store: VectorStore, batch: Sequence[tuple[str, list[PassagePoint]]] = CORPUS) -> VectorStore:
    store.ensure_collection(EMBEDDER.dimension, EMBEDDER.name)
    store.replace_briefs(batch)
    return store


def test_a_folder_outlives_the_process_that_wrote_it(tmp_path: Path) -> None:
    store = _filled(EdgeVectorStore(collection="c", path=tmp_path))
    before = _answers(store, hybrid=True)
    store.close()
    reopened = EdgeVectorStore(collection="c", path=tmp_path)
    try:
        reopened.ensure_collection(EMBEDDER.dimension, EMBEDDER.name)
        assert reopened.count() == 60 * 3
        assert _answers(reopened, hybrid=True) == before
    finally:
        reopened.close()


def test_a_second_opener_is_refused_with_what_to_do(tmp_path: Path) -> None:
    first = _filled(EdgeVectorStore(collection="c", path=tmp_path), CORPUS[:2])
    try:
        second = EdgeVectorStore(collection="c", path=tmp_path)
        with pytest.raises(StoreUnavailableError, match=r"open in another process.*POST /briefs"):
            second.ensure_collection(EMBEDDER.dimension, EMBEDDER.name)
        assert first.count() == 6  # the owner is unaffected
    finally:
        first.close()


def test_the_previous_embedded_layout_is_refused_until_reindex(tmp_path: Path) -> None:
    legacy = tmp_path / "qdrant"
    (legacy / "collection" / "briefgraph").mkdir(parents=True)
    (legacy / "meta.json").write_text("{}")
    store = EdgeVectorStore(collection="briefgraph", path=tmp_path / "vectors", legacy_folders=[legacy])
    with pytest.raises(ConfigurationError, match="briefgraph reindex"):
        store.ensure_collection(EMBEDDER.dimension, EMBEDDER.name)
    assert not (tmp_path / "vectors" / "briefgraph" / "store.json").exists()  # nothing half-made
    allowed = EdgeVectorStore(
        collection="briefgraph", path=tmp_path / "vectors", legacy_folders=[legacy], allow_legacy=True
    )
    _filled(allowed, CORPUS[:1]).close()
    # once the new store holds data, the old folder no longer stops anything
    again = EdgeVectorStore(collection="briefgraph", path=tmp_path / "vectors", legacy_folders=[legacy])
    again.ensure_collection(EMBEDDER.dimension, EMBEDDER.name)
    assert again.count() == 3
    again.close()


def test_building_the_index_changes_no_answer_and_rewrites_never_duplicate(tmp_path: Path) -> None:
    store = EdgeVectorStore(collection="c", path=tmp_path, optimize_after_points=100)
    try:
        _filled(store, CORPUS[:20])  # 40 passages: no build yet
        store.replace_briefs(CORPUS[20:])  # crosses 100 unindexed passages: this write runs optimize()
        store.replace_briefs(CORPUS[20:])
        assert store.count() == 60 * 3
        before = _answers(store, hybrid=True)
        store.optimize()
        assert _answers(store, hybrid=True) == before
        # keyword IDF counts a rewritten point's old copy until the engine vacuums it (Qdrant's own rule), so
        # a store that rewrote briefs is compared with a fresh one on dense ranks only
        fresh = _filled(EdgeVectorStore(collection="d"))
        try:
            assert _answers(store, hybrid=False) == _answers(fresh, hybrid=False)
        finally:
            fresh.close()
    finally:
        store.close()


def _merge_targets(store_folder: Path) -> tuple[object, ...]:
    """The number of segments the engine's optimizer keeps each shard to (passages, briefs), as the shards'
    configs on disk say."""
    configs = [json.loads((store_folder / shard / "edge_config.json").read_text()) for shard in ("passages", "briefs")]
    return tuple(config["optimizers"]["default_segment_number"] for config in configs)


def test_writes_index_new_points_apart_and_only_a_full_build_merges(tmp_path: Path) -> None:
    # a build triggered by writes must not re-merge the whole shard (that made a large ingest slow down as the
    # store grew): between full builds the shard is kept to the looser target, during optimize() to the tight one
    store = EdgeVectorStore(collection="c", path=tmp_path, optimize_after_points=30)
    between = (SEGMENTS_BETWEEN_BUILDS, SEGMENTS_BETWEEN_BUILDS)
    targets_seen: list[tuple[object, ...]] = []
    real_optimize = EdgeShard.optimize

    def recording(shard: EdgeShard) -> bool:
        targets_seen.append(_merge_targets(tmp_path / "c"))
        return real_optimize(shard)

    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("core.adapters.edge_store.EdgeShard.optimize", recording, raising=False)
            _filled(store, CORPUS[:20])  # 40 passages: past the threshold, so this write builds
            assert targets_seen == [between, between]
            targets_seen.clear()
            store.optimize()
        # each shard is built under the tight target, one after the other, and then loosened again
        assert targets_seen == [(MERGED_SEGMENTS, SEGMENTS_BETWEEN_BUILDS), (SEGMENTS_BETWEEN_BUILDS, MERGED_SEGMENTS)]
        assert _merge_targets(tmp_path / "c") == between
        assert store.count() == 20 * 3
    finally:
        store.close()


def test_searches_beside_a_full_build_never_fail(tmp_path: Path) -> None:
    # optimize() reloads each shard; a search must never reach a shard being closed
    store = _filled(EdgeVectorStore(collection="c", path=tmp_path))
    query = CORPUS[0][1][1].vector
    failures: list[BaseException] = []
    stop = threading.Event()

    def search() -> None:
        while not stop.is_set():
            try:
                assert store.search(query, 5, VectorFilter(kind="passage"), text="syria talks")
            except BaseException as error:
                failures.append(error)
                return

    searcher = threading.Thread(target=search)
    searcher.start()
    try:
        for _ in range(5):
            store.optimize()
    finally:
        stop.set()
        searcher.join()
        store.close()
    assert failures == []


def _server_or_local() -> QdrantVectorStore:
    url = os.environ.get("QDRANT_URL")
    if url:
        return QdrantVectorStore(collection=f"parity_{os.getpid()}", url=url)
    return QdrantVectorStore(collection="parity", in_memory=True)


@pytest.mark.parametrize("hybrid", [False, True])
def test_the_embedded_and_server_adapters_give_the_same_answers(hybrid: bool) -> None:
    edge = _filled(EdgeVectorStore(collection="parity"))
    server = _filled(_server_or_local())
    try:
        edge_answers, server_answers = _answers(edge, hybrid=hybrid), _answers(server, hybrid=hybrid)
        assert all(edge_answers) and edge_answers == server_answers
    finally:
        edge.close()
        server.close()


def test_exported_points_restore_into_either_engine_with_the_same_answers(tmp_path: Path) -> None:
    source = _filled(EdgeVectorStore(collection="c", path=tmp_path / "source"))
    targets: list[VectorStore] = [EdgeVectorStore(collection="c", path=tmp_path / "copy"), _server_or_local()]
    try:
        for target in targets:
            target.ensure_collection(EMBEDDER.dimension, EMBEDDER.name)
            for kind in ("passage", "brief"):
                assert target.restore_points(kind, source.stored_points(kind)) == (120 if kind == "passage" else 60)
            target.optimize()
            assert target.brief_hashes() == source.brief_hashes()
            assert _answers(target, hybrid=True) == _answers(source, hybrid=True)
            assert target.brief_point("brief-3") == source.brief_point("brief-3")
    finally:
        source.close()
        for target in targets:
            target.close()


@pytest.mark.parametrize("hybrid", [False, True])
def test_the_same_search_answers_in_the_same_order_every_time(hybrid: bool) -> None:
    """Tied hits (fused ranks tie by design; copies of a text tie exactly) come in point-id order, not in
    whatever order the engine's parallel segment searches finished."""
    copies = [(f"copy-{i}", [p.model_copy(update={"brief_id": f"copy-{i}"}) for p in _brief(3)[1]]) for i in range(4)]
    copies = [
        (brief_id, [p.model_copy(update={"point_id": point_id(brief_id, p.kind, n)}) for n, p in _numbered(points)])
        for brief_id, points in copies
    ]
    for store in (
        _filled(EdgeVectorStore(collection="order"), [*CORPUS, *copies]),
        _filled(_server_or_local(), [*CORPUS, *copies]),
    ):
        try:
            text = TOPICS[3]
            answers = {
                tuple(
                    hit.point.point_id
                    for hit in store.search(
                        _random_vector(text), 7, VectorFilter(kind="passage"), text=text if hybrid else None
                    )
                )
                for _ in range(30)
            }
            assert len(answers) == 1
        finally:
            store.close()


def _numbered(points: Sequence[PassagePoint]) -> list[tuple[int, PassagePoint]]:
    """Each point with its index among the points of its kind (the brief point is 0, passages 0..n-1)."""
    counters: dict[str, int] = {}
    numbered = []
    for point in points:
        numbered.append((counters.get(point.kind, 0), point))
        counters[point.kind] = counters.get(point.kind, 0) + 1
    return numbered


def test_warming_the_cache_lists_the_search_files_first_and_changes_no_answer(tmp_path: Path) -> None:
    store = _filled(EdgeVectorStore(collection="c", path=tmp_path))
    store.optimize()
    before = _answers(store, hybrid=True)
    store.close()
    files = segment_files_by_use(tmp_path / "c")
    first = files[0].relative_to(tmp_path / "c").parts
    assert first[0] == "passages" and first[3] == "vector_storage-dense"  # the passages' dense vectors first
    assert {file.relative_to(tmp_path / "c").parts[1] for file in files} == {"segments"}  # no write-ahead log
    reopened = EdgeVectorStore(collection="c", path=tmp_path)
    try:
        reopened.warm_cache()  # before the shards load, as the API starts it
        warmer = reopened._warmer
        assert warmer is not None
        reopened.ensure_collection(EMBEDDER.dimension, EMBEDDER.name)
        reopened.warm_cache()  # a second call starts nothing more
        assert reopened._warmer is warmer
        assert _answers(reopened, hybrid=True) == before
        warmer.join(timeout=30)
        assert warmer.bytes_read > 0  # the segment files were read (loading may rewrite some, so not a total)
    finally:
        reopened.close()  # stops a warm-up still running


def test_warming_a_store_that_does_not_exist_yet_starts_nothing(tmp_path: Path) -> None:
    store = EdgeVectorStore(collection="c", path=tmp_path)
    try:
        store.warm_cache()
        assert store._warmer is None
    finally:
        store.close()
