"""The vector store's maintenance commands: reindex, export-vectors, import-vectors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tqdm import tqdm

from briefgraph.cli import _settings


def cmd_reindex(args: argparse.Namespace) -> int:
    from ingest.reindex import reindex

    settings = _settings()
    with tqdm(unit="brief", desc="reindex", disable=args.no_progress, dynamic_ncols=True) as bar:
        result = reindex(settings, default_threads=settings.ingest.embedding_threads(), progress=bar.update)
    print(f"reindexed {result.briefs} briefs: {result.points} vector points", file=sys.stderr)
    if result.replaced_folder is not None:
        print(f"the previous vectors are kept in {result.replaced_folder}; delete it when satisfied", file=sys.stderr)
    for brief_id in result.failed:
        print(f"failed: {brief_id} (run `briefgraph check --repair`)", file=sys.stderr)
    return 1 if result.failed else 0


def cmd_export_vectors(args: argparse.Namespace) -> int:
    from core.bootstrap import build_vectors
    from core.vector_archive import export_vectors

    vectors = build_vectors(_settings())
    try:
        with tqdm(unit="point", desc="export", disable=args.no_progress, dynamic_ncols=True) as bar:
            summary = export_vectors(vectors, args.folder, progress=bar.update)
    finally:
        vectors.close()
    print(
        f"wrote {summary.points['passage']} passage and {summary.points['brief']} brief points "
        f"({summary.embedder}, {summary.dimension} dimensions) to {summary.folder}",
        file=sys.stderr,
    )
    return 0


def cmd_import_vectors(args: argparse.Namespace) -> int:
    from core.bootstrap import build_vectors
    from core.vector_archive import import_vectors

    vectors = build_vectors(_settings())
    try:
        written = import_vectors(vectors, args.folder)
    finally:
        vectors.close()
    print(f"imported {written['passage']} passage and {written['brief']} brief points", file=sys.stderr)
    return 0


def add_commands(commands: Any) -> None:
    reindex = commands.add_parser(
        "reindex",
        help="rebuild the vector store from the briefs the graph keeps (after an upgrade or an embedder change)",
    )
    reindex.add_argument("--no-progress", action="store_true")
    reindex.set_defaults(func=cmd_reindex)

    export = commands.add_parser(
        "export-vectors", help="write every vector point, in Qdrant's point format, to a new folder"
    )
    export.add_argument("folder", type=Path)
    export.add_argument("--no-progress", action="store_true")
    export.set_defaults(func=cmd_export_vectors)

    restore = commands.add_parser(
        "import-vectors",
        help="restore an export into the configured vector store (e.g. a Qdrant server), which must be empty",
    )
    restore.add_argument("folder", type=Path)
    restore.set_defaults(func=cmd_import_vectors)
