"""Vector points written to a folder and read back, in Qdrant's own point format, so the embedded store's data
moves to a Qdrant server (or another folder) without embedding anything again.

A folder holds `manifest.json` (format, embedder, dimension, keyword model, point counts, and the two collections'
definitions as Qdrant's REST API takes them) and `passages.jsonl` / `briefs.jsonl`: one point per line as
`{"id", "vector", "payload"}`, the body of Qdrant's `PUT /collections/{name}/points`. Qdrant Edge cannot write a
server snapshot (it restores them, not the other way), so points are the portable form.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.adapters.vector_points import DENSE, KEYWORD_MODEL, KEYWORDS
from core.errors import InvalidInputError
from core.models import StoredPoint
from core.ports import VectorStore

FORMAT = "briefgraph-vectors/1"
FILES = {"passage": "passages.jsonl", "brief": "briefs.jsonl"}


@dataclass(frozen=True)
class ArchiveSummary:
    folder: Path
    embedder: str
    dimension: int
    points: dict[str, int]


def export_vectors(store: VectorStore, folder: Path, progress: Callable[[int], None] | None = None) -> ArchiveSummary:
    """Write every stored point into `folder`, which must not exist or be empty (nothing is overwritten)."""
    if folder.exists() and any(folder.iterdir()):
        raise InvalidInputError(f"{folder} is not empty; export into a new folder (nothing there is overwritten)")
    embedder = store.stored_embedder()
    if embedder is None or not store.open_existing():
        raise InvalidInputError("the vector store holds no collections yet: nothing to export")
    folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    dimension = 0
    for kind, name in FILES.items():
        count = 0
        scratch = folder / f".{name}.tmp"
        with scratch.open("w", encoding="utf-8") as out:
            for point in store.stored_points(kind):
                dimension = dimension or len(point.dense)
                out.write(json.dumps(_to_json(point, kind), separators=(",", ":")) + "\n")
                count += 1
                if progress is not None and count % 1_000 == 0:
                    progress(1_000)
        os.replace(scratch, folder / name)
        counts[kind] = count
    manifest = {
        "format": FORMAT,
        "embedder": embedder,
        "dimension": dimension,
        "keywords": KEYWORD_MODEL,
        "points": counts,
        "collections": _collection_definitions(dimension),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return ArchiveSummary(folder=folder, embedder=embedder, dimension=dimension, points=counts)


def read_manifest(folder: Path) -> ArchiveSummary:
    file = folder / "manifest.json"
    try:
        manifest = json.loads(file.read_text())
    except (OSError, ValueError) as error:
        raise InvalidInputError(f"{file} cannot be read as an export manifest: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidInputError(f"{file} is not a briefgraph vector export ({FORMAT})")
    if manifest.get("keywords") != KEYWORD_MODEL:
        raise InvalidInputError(f"{file} holds keyword vectors of {manifest.get('keywords')!r}, not {KEYWORD_MODEL!r}")
    return ArchiveSummary(
        folder=folder,
        embedder=str(manifest["embedder"]),
        dimension=int(manifest["dimension"]),
        points={str(kind): int(count) for kind, count in manifest["points"].items()},
    )


def import_vectors(store: VectorStore, folder: Path) -> dict[str, int]:
    """Restore an export into `store`, which must hold no points yet (an import never mixes with stored data).
    The store is set up for the export's embedder and dimension; returns the points written per kind."""
    summary = read_manifest(folder)
    # every line read once before anything is written: a bad or missing file must not leave half an import behind
    counted = {kind: sum(1 for _ in _read_points(folder / name, kind)) for kind, name in FILES.items()}
    if counted != summary.points:
        raise InvalidInputError(f"{folder} is incomplete: the manifest lists {summary.points}, the files {counted}")
    store.ensure_collection(summary.dimension, summary.embedder)
    if store.count():
        raise InvalidInputError(
            f"the target vector store already holds {store.count()} points; import into an empty one (another "
            "BRIEFGRAPH_VECTOR__COLLECTION or data folder) so nothing stored is mixed or lost"
        )
    written = {kind: store.restore_points(kind, _read_points(folder / name, kind)) for kind, name in FILES.items()}
    if written != summary.points:
        raise InvalidInputError(f"{folder} is incomplete: the manifest lists {summary.points}, the files {written}")
    store.optimize()
    return written


def _to_json(point: StoredPoint, kind: str) -> dict[str, Any]:
    vector: Any = point.dense
    if kind == "passage":
        indices, values = point.keywords or ([], [])
        vector = {DENSE: point.dense, KEYWORDS: {"indices": indices, "values": values}}
    return {"id": point.id, "vector": vector, "payload": point.payload}


def _read_points(file: Path, kind: str) -> Iterator[StoredPoint]:
    if not file.is_file():
        raise InvalidInputError(f"{file} is missing from the export")
    with file.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                row = json.loads(line)
                vector = row["vector"]
                if kind == "passage":
                    sparse = vector[KEYWORDS]
                    yield StoredPoint(
                        id=str(row["id"]),
                        dense=[float(x) for x in vector[DENSE]],
                        keywords=([int(i) for i in sparse["indices"]], [float(v) for v in sparse["values"]]),
                        payload=dict(row["payload"]),
                    )
                else:
                    yield StoredPoint(
                        id=str(row["id"]), dense=[float(x) for x in vector], keywords=None, payload=dict(row["payload"])
                    )
            except (ValueError, KeyError, TypeError) as error:
                raise InvalidInputError(f"{file}:{number} is not a point: {error}") from error


def _collection_definitions(dimension: int) -> dict[str, Any]:
    """The two collections as Qdrant's REST API creates them (PUT /collections/{name})."""
    dense = {"size": dimension, "distance": "Dot"}
    return {
        "passages": {"vectors": {DENSE: dense}, "sparse_vectors": {KEYWORDS: {"modifier": "idf"}}},
        "briefs": {"vectors": dense},
    }
