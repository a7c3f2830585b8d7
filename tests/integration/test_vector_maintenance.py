"""Upgrading a data folder of the previous embedded store, reindexing, and moving vectors out by export/import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.bootstrap import Stores, build_stores, build_vectors
from core.errors import ConfigurationError, InvalidInputError
from core.settings import Settings
from core.vector_archive import export_vectors, import_vectors
from ingest.pipeline import IngestPipeline
from ingest.reindex import reindex
from services.queries import search
from tests.fakes import HashingEmbedder

EMBEDDER = HashingEmbedder()
RECORDS = [
    {
        "title": "Turkey and Israel hold talks in Baku",
        "date": "2025-04-10",
        "url": "https://example.org/briefs/1",
        "description": "Turkish and Israeli officials met in Baku to set up a line for avoiding clashes in Syria.",
        "impact": "The talks lower the risk of an accidental clash between the two air forces.",
    },
    {
        "title": "Houthis strike shipping in the Red Sea",
        "date": "2025-03-02",
        "url": "https://example.org/briefs/2",
        "description": "Houthi forces fired missiles at a cargo ship in the Red Sea on Sunday.",
        "impact": "Insurers raised premiums for ships crossing the strait.",
    },
]


def _settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def _open(settings: Settings) -> Stores:
    return build_stores(settings, embedder=EMBEDDER, allow_legacy=True)


def _ingested(settings: Settings) -> None:
    stores = _open(settings)
    try:
        report = IngestPipeline(stores, workers=0).ingest_records(RECORDS, source="test")
        assert report.ok and len(report.of("ingested")) == 2
    finally:
        stores.close()


def _top_title(settings: Settings, query: str) -> str:
    stores = build_stores(settings, embedder=EMBEDDER)
    try:
        return search(stores, query, 1)[0].title
    finally:
        stores.close()


def test_an_old_layout_is_refused_then_reindex_rebuilds_the_vectors_from_the_graph(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _ingested(settings)
    # what an upgraded user has: the graph, and vectors in qdrant-client's local-mode layout only
    new_store = settings.vector_path
    legacy = settings.data_dir / "qdrant"
    (legacy / "collection" / "briefgraph").mkdir(parents=True)
    (legacy / "meta.json").write_text("{}")
    for part in new_store.iterdir():
        part.rename(tmp_path / f"set-aside-{part.name}")
    with pytest.raises(ConfigurationError, match="briefgraph reindex"):
        build_stores(settings, embedder=EMBEDDER)

    result = reindex(settings, open_stores=_open)

    assert (result.briefs, result.failed, result.points) == (2, [], 2 + 2 * 2)  # a brief point + 2 passages each
    assert result.replaced_folder is None  # nothing stood in the new layout's place
    assert _top_title(settings, "missiles fired at a cargo ship") == "Houthis strike shipping in the Red Sea"
    assert legacy.is_dir()  # the old folder is left for the user to delete


def test_reindex_keeps_the_replaced_vectors_aside_and_the_answers_stay(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _ingested(settings)
    before = _top_title(settings, "talks in Baku")
    result = reindex(settings, open_stores=_open)
    assert result.replaced_folder is not None and (result.replaced_folder / "store.json").is_file()
    assert not (settings.vector_path / "briefgraph.reindexing").exists()
    assert _top_title(settings, "talks in Baku") == before


def test_vectors_exported_restore_into_an_empty_store_with_the_same_answers(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _ingested(settings)
    stores = _open(settings)
    folder = tmp_path / "export"
    try:
        summary = export_vectors(stores.vectors, folder)
        with pytest.raises(InvalidInputError, match="not empty"):
            export_vectors(stores.vectors, folder)
        with pytest.raises(InvalidInputError, match="already holds"):
            import_vectors(stores.vectors, folder)
    finally:
        stores.close()
    assert summary.points == {"passage": 4, "brief": 2} and summary.embedder == EMBEDDER.name
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["collections"]["passages"]["sparse_vectors"] == {"bm25": {"modifier": "idf"}}
    line = json.loads((folder / "passages.jsonl").read_text().splitlines()[0])
    assert set(line) == {"id", "vector", "payload"} and set(line["vector"]) == {"dense", "bm25"}

    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("manifest.json", "briefs.jsonl"):
        (broken / name).write_text((folder / name).read_text())
    good, *rest = (folder / "passages.jsonl").read_text().splitlines()
    (broken / "passages.jsonl").write_text("\n".join([good, '{"id": "x", "vector": {"dense": [0.1]}}', *rest[1:]]))
    empty = build_vectors(Settings(data_dir=tmp_path / "other", vector={"path": tmp_path / "other-vectors"}))  # type: ignore[arg-type]
    try:
        with pytest.raises(InvalidInputError, match=r"passages.jsonl:2 is not a point"):
            import_vectors(empty, broken)
        (broken / "passages.jsonl").write_text((folder / "passages.jsonl").read_text())
        (broken / "briefs.jsonl").unlink()
        with pytest.raises(InvalidInputError, match=r"briefs\.jsonl is missing"):
            import_vectors(empty, broken)
        assert empty.stored_embedder() is None  # refused before anything was created or written
    finally:
        empty.close()

    moved = Settings(data_dir=settings.data_dir, vector={"path": tmp_path / "moved-vectors"})  # type: ignore[arg-type]
    restored = build_vectors(moved)
    try:
        assert import_vectors(restored, folder) == {"passage": 4, "brief": 2}
    finally:
        restored.close()
    # the same graph with the imported vectors answers as before: nothing was embedded again
    assert _top_title(moved, "missiles fired at a cargo ship") == "Houthis strike shipping in the Red Sea"


def test_the_commands_refuse_bad_folders_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from briefgraph.cli import main

    monkeypatch.setenv("BRIEFGRAPH_DATA_DIR", str(tmp_path / "data"))
    assert main(["import-vectors", str(tmp_path / "nowhere")]) == 2
    assert "cannot be read as an export manifest" in capsys.readouterr().err
    assert main(["export-vectors", str(tmp_path / "out")]) == 2
    assert "nothing to export" in capsys.readouterr().err
