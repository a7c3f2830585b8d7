"""The `briefgraph` command: ingest, serve, search, ask, schema, delete, check, eval; actor, dyad, similar, paths;
reindex, export-vectors, import-vectors; copy-graph."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError
from pydantic_settings import SettingsError

from core.bootstrap import Stores, build_stores
from core.errors import BriefgraphError
from core.settings import Settings


def _settings() -> Settings:
    try:
        return Settings()
    except (ValidationError, SettingsError) as error:
        raise SystemExit(f"briefgraph: invalid settings:\n{error}") from None


def _ingest(stores: Stores, paths: Sequence[Path], force: bool, progress: bool) -> int:
    from ingest.pipeline import IngestPipeline

    report = IngestPipeline(stores).ingest_paths(paths, force=force, progress=progress)
    print(report.summary(), file=sys.stderr)
    stores.vectors.optimize()  # HNSW for what this run wrote, so the next start has nothing to build
    return 0 if report.ok else 1


def cmd_ingest(args: argparse.Namespace) -> int:
    settings = _settings()
    stores = build_stores(settings, default_threads=settings.ingest.embedding_threads())
    try:
        return _ingest(stores, args.paths, args.force, progress=not args.no_progress)
    finally:
        stores.close()


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from briefgraph.app import make_writer
    from services.app import create_app

    settings = _settings()
    stores = build_stores(settings, default_threads=1)  # as the API's own start: see EmbeddingSettings.threads
    try:
        if args.ingest:
            code = _ingest(stores, [p for p in args.ingest if p.exists()], force=False, progress=True)
            if code:
                return code
        app = create_app(settings, stores=stores, writer_factory=make_writer)
        host = args.host or settings.api.host
        port = args.port or settings.api.port
        print(f"briefgraph: serving the web UI on http://{host}:{port}/ (OpenAPI docs at /docs)", file=sys.stderr)
        uvicorn.run(app, host=host, port=port, log_level="info")
    finally:
        stores.close()
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from core.alias_scan import alias_index
    from services.queries import search

    stores = build_stores(_settings())
    try:
        hits = search(stores, args.query, args.k, index=alias_index(stores.registry))
    finally:
        stores.close()
    for hit in hits:
        print(f"{hit.score:.3f}  {hit.date or 'undated'}  {hit.title}  [{hit.brief_id}]")
        for passage in hit.passages[:1]:
            print(f"       {(passage.highlights or [passage.text])[0][:200]}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from core.alias_scan import alias_index
    from services.ask import answer

    stores = build_stores(_settings())
    try:
        response = answer(stores, alias_index(stores.registry), args.question, args.k)
    finally:
        stores.close()
    if args.json:
        print(response.model_dump_json(indent=2))
    else:
        print(response.answer)
        print("\nCitations:")
        for citation in response.citations:
            print(f"  [{citation.brief_id} #{citation.sentence_index}] {citation.title}: {citation.sentence[:160]}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from core.bootstrap import build_graph

    graph = build_graph(_settings())
    try:
        graph.apply_schema()
    finally:
        graph.close()
    print("schema applied", file=sys.stderr)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from ingest.pipeline import IngestPipeline

    stores = build_stores(_settings())
    try:
        missing = [brief_id for brief_id in args.brief_ids if not IngestPipeline(stores).delete(brief_id)]
    finally:
        stores.close()
    for brief_id in missing:
        print(f"not found: {brief_id}", file=sys.stderr)
    return 1 if missing else 0


def cmd_check(args: argparse.Namespace) -> int:
    from ingest.consistency import check_stores

    stores = build_stores(_settings())
    try:
        drift = check_stores(stores, repair=args.repair)
    finally:
        stores.close()
    print(json.dumps(drift.model_dump(mode="json"), indent=2))
    return 0 if drift.consistent or args.repair else 1


def cmd_eval(args: argparse.Namespace) -> int:
    from ingest.eval_suite import DEFAULT_TEST, DEFAULT_VALIDATION, run_suite

    test = args.gold if args.gold is not None else DEFAULT_TEST
    validation = args.validation if args.validation is not None else DEFAULT_VALIDATION
    for path, given in ((test, args.gold), (validation, args.validation)):
        if given is not None and not path.is_file():
            print(f"briefgraph eval: no such file: {path}", file=sys.stderr)
            return 2
    print(run_suite(test, validation, limit=args.limit).render())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefgraph", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="ingest files or folders of briefs into both stores")
    ingest.add_argument("paths", nargs="+", type=Path)
    ingest.add_argument("--force", action="store_true", help="re-ingest briefs even when unchanged")
    ingest.add_argument("--no-progress", action="store_true")
    ingest.set_defaults(func=cmd_ingest)

    serve = commands.add_parser("serve", help="serve the HTTP API (docs at /docs)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument(
        "--ingest", nargs="*", type=Path, default=[], help="ingest these paths first (missing ones are ignored)"
    )
    serve.set_defaults(func=cmd_serve)

    search = commands.add_parser("search", help="semantic search")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=5)
    search.set_defaults(func=cmd_search)

    ask = commands.add_parser("ask", help="answer a question with citations")
    ask.add_argument("question")
    ask.add_argument("-k", type=int, default=5)
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(func=cmd_ask)

    schema = commands.add_parser("schema", help="graph schema")
    schema.add_argument("action", choices=["apply"])
    schema.set_defaults(func=cmd_schema)

    delete = commands.add_parser("delete", help="delete briefs from both stores")
    delete.add_argument("brief_ids", nargs="+")
    delete.set_defaults(func=cmd_delete)

    check = commands.add_parser(
        "check", help="report drift between the vector store and the graph, and ids a different text took"
    )
    check.add_argument("--repair", action="store_true")
    check.set_defaults(func=cmd_check)

    from ingest.eval_suite import DEFAULT_TEST, DEFAULT_VALIDATION

    evaluate = commands.add_parser(
        "eval",
        help="extraction figures: validation (NGEC VOA holdout quotes) and test (PLOVER gold), rules only and "
        "rules + classifier",
    )
    evaluate.add_argument(
        "gold", type=Path, nargs="?", help=f"PLOVER-style JSONL test file (default: {DEFAULT_TEST}, when present)"
    )
    evaluate.add_argument(
        "--validation", type=Path, help=f"NGEC quotes JSONL (default: {DEFAULT_VALIDATION}, when present)"
    )
    evaluate.add_argument("--limit", type=int)
    evaluate.set_defaults(func=cmd_eval)

    from briefgraph.cli_relations import add_commands

    add_commands(commands)  # actor, dyad, similar, paths
    from briefgraph import cli_vectors

    cli_vectors.add_commands(commands)  # reindex, export-vectors, import-vectors
    from briefgraph import cli_graph

    cli_graph.add_commands(commands)  # copy-graph
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        code: int = args.func(args)
    except BriefgraphError as error:
        print(f"briefgraph: {error}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    raise SystemExit(main())
