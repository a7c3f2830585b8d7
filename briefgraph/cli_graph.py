"""The graph's move past one machine: `briefgraph copy-graph` (the embedded graph folder into the configured Neo4j)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from tqdm import tqdm

from briefgraph.cli import _settings
from core.errors import ConfigurationError
from core.settings import GraphBackend


def cmd_copy_graph(args: argparse.Namespace) -> int:
    from core.adapters.cypher_graph import CypherGraphStore
    from core.bootstrap import build_graph
    from core.graph_copy import copy_graph, open_source

    settings = _settings()
    if settings.graph.backend is not GraphBackend.NEO4J:
        raise ConfigurationError(
            "copy-graph copies the embedded graph into Neo4j, but the configured graph backend is "
            f"{settings.graph.backend.value!r}: set BRIEFGRAPH_GRAPH__BACKEND=neo4j and BRIEFGRAPH_GRAPH__NEO4J_URI "
            "(with __NEO4J_USER and __NEO4J_PASSWORD), and name the embedded folder with --from"
        )
    # an empty target's first counts name labels it does not have yet: the server's notices say so, to no purpose
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    source_path: Path = args.source or settings.graph_path
    source = open_source(source_path)
    bars: dict[str, Any] = {}

    def progress(table: str, rows: int, total: int) -> None:
        if table not in bars:
            for bar in bars.values():
                bar.close()
            bars[table] = tqdm(total=total, unit="row", desc=table, disable=args.no_progress, dynamic_ncols=True)
        bars[table].update(rows)

    try:
        target = build_graph(settings)
        assert isinstance(target, CypherGraphStore)
        try:
            print(
                f"copying the graph at {source_path} into Neo4j at {settings.graph.neo4j_uri}"
                f"{' (replacing what it holds)' if args.replace else ''}",
                file=sys.stderr,
            )
            report = copy_graph(source, target, replace=args.replace, page_rows=args.page_rows, progress=progress)
        finally:
            for bar in bars.values():
                bar.close()
            target.close()
    finally:
        source.close()
    if report.replaced:
        replaced = ", ".join(f"{count:,} {table}" for table, count in report.replaced.items())
        print(f"deleted from the target first: {replaced}", file=sys.stderr)
    print(report.render())
    if not report.ok:
        print("briefgraph: the target's counts differ from the source's (see MISMATCH above)", file=sys.stderr)
        return 1
    print(f"copied in {report.seconds:.1f} s; the counts match the source", file=sys.stderr)
    return 0


def add_commands(commands: Any) -> None:
    copy = commands.add_parser(
        "copy-graph",
        help="copy the embedded graph folder, every node and relationship as stored, into the configured Neo4j "
        "(which must be empty, or --replace)",
    )
    copy.add_argument(
        "--from",
        dest="source",
        type=Path,
        help="the embedded graph folder, opened read-only (default: the settings' graph path, <data_dir>/graph)",
    )
    copy.add_argument(
        "--replace",
        action="store_true",
        help="delete the briefgraph graph the target holds first (it says what it deleted); without it an occupied "
        "target is refused",
    )
    copy.add_argument("--page-rows", type=int, default=5_000, help="rows per read and per write transaction")
    copy.add_argument("--no-progress", action="store_true")
    copy.set_defaults(func=cmd_copy_graph)
