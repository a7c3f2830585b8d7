"""Copy the embedded graph into Neo4j as it is stored: every node and relationship with all its properties, no
re-extraction (`briefgraph copy-graph`).

What is copied comes from the schema's lists (graph_schema.cypher NODE_TABLES / REL_TABLES), so a property added
there is copied without a change here; a source table or column those lists do not name is refused, never dropped.
Values keep the types each backend stores: dates travel as ISO text and the target applies date(), as the graph
port's own writes do; lists, numbers and booleans pass as they are. Each table is read in pages (a node table by
its keys, a relationship table by the keys of its start nodes, both index lookups on the embedded engine) and
written in pages of UNWIND rows, one transaction each. The target must hold nothing, unless `replace` is asked
for, which first deletes the briefgraph graph it holds (never another application's nodes); at the end every
table's count in the target is checked against the source.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.adapters.cypher_graph import CypherGraphStore, Row
from core.adapters.embedded_graph import EmbeddedGraphStore
from core.errors import ConfigurationError
from graph_schema.cypher import NODE_TABLES, REL_TABLES

DEFAULT_PAGE_ROWS = 5_000
DELETE_BATCH = 10_000  # rows one --replace transaction deletes
# names the page rows give a relationship's two ends (never a property name, checked at import)
_FROM, _TO = "copy_from_key", "copy_to_key"

# table, rows just written, rows the table holds in the source
Progress = Callable[[str, int, int], None]

assert not any({_FROM, _TO} & properties.keys() for *_, properties in REL_TABLES.values())


@dataclass(frozen=True)
class CopyReport:
    """Rows per table (labels and relationship types): in the source, in the target after the copy, and what a
    replace deleted from the target first (empty when it was empty)."""

    source: dict[str, int]
    target: dict[str, int]
    replaced: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.source == self.target

    def render(self) -> str:
        width = max(len(table) for table in self.source)
        lines = [f"{'table'.ljust(width)}  {'source':>10}  {'copied':>10}"]
        for table, count in self.source.items():
            copied = self.target.get(table, 0)
            mark = "" if copied == count else "  MISMATCH"
            lines.append(f"{table.ljust(width)}  {count:>10,}  {copied:>10,}{mark}")
        return "\n".join(lines)


def open_source(path: Path, *, query_timeout_s: float = 300.0) -> EmbeddedGraphStore:
    """The embedded graph folder, read-only (another process may hold it for writing: stop it first, or the copy
    may see part of a later write; the count check at the end would show it)."""
    if not path.exists():
        raise ConfigurationError(f"no embedded graph at {path} (give its folder with --from)")
    return EmbeddedGraphStore(path, read_only=True, query_timeout_s=query_timeout_s)


def check_source_tables(source: EmbeddedGraphStore) -> None:
    """Refuse a source holding a table or column the schema's lists do not name: the copy would drop it."""
    tables = {row["name"]: row["type"] for row in source._read("CALL show_tables() RETURN name, type")}
    expected = {**dict.fromkeys(NODE_TABLES, "NODE"), **dict.fromkeys(REL_TABLES, "REL")}
    unknown = sorted(tables.keys() - expected.keys())
    missing = sorted(expected.keys() - tables.keys())
    if unknown or missing:
        raise ConfigurationError(
            "the embedded graph's tables are not the ones copy-graph copies: "
            + "; ".join(
                part
                for part in (
                    f"not known to the schema: {', '.join(unknown)}" if unknown else "",
                    f"missing (open the folder once for writing to bring it up to date): {', '.join(missing)}"
                    if missing
                    else "",
                )
                if part
            )
        )
    for table in expected:
        columns = {row["name"] for row in source._read(f"CALL table_info('{table}') RETURN name")}
        known = set(_properties(table))
        if columns != known:
            raise ConfigurationError(
                f"the embedded graph's {table} columns differ from the schema's: "
                f"not copied {sorted(columns - known)}, not in the folder {sorted(known - columns)}"
            )


def table_counts(graph: CypherGraphStore) -> dict[str, int]:
    """Rows per table: nodes per label, then relationships per type (both engines answer these from counts)."""
    counts = {label: _one(graph, f"MATCH (n:{label}) RETURN count(n) AS n") for label in NODE_TABLES}
    for rel in REL_TABLES:
        counts[rel] = _one(graph, f"MATCH ()-[r:{rel}]->() RETURN count(r) AS n")
    return counts


def copy_graph(
    source: EmbeddedGraphStore,
    target: CypherGraphStore,
    *,
    replace: bool = False,
    page_rows: int = DEFAULT_PAGE_ROWS,
    progress: Progress | None = None,
) -> CopyReport:
    """Copy every table of `source` into `target` (the target's schema applied first). An occupied target is
    refused, or with `replace` its briefgraph graph deleted first (the report's `replaced` says what)."""
    if page_rows < 1:
        raise ValueError("page_rows must be at least 1")
    started = time.perf_counter()
    check_source_tables(source)
    target.apply_schema()
    replaced = _clear(target, replace)
    expected = table_counts(source)
    keys: dict[str, list[Any]] = {}
    for label, (key, properties) in NODE_TABLES.items():
        keys[label] = [row["k"] for row in source._read(f"MATCH (n:{label}) RETURN n.{key} AS k")]
        read = f"UNWIND $keys AS k MATCH (n:{label} {{{key}: k}}) RETURN {_fields('n', properties)}"
        write = f"UNWIND $rows AS row CREATE (n:{label} {{{_values(properties)}}})"
        total = len(keys[label])
        for start in range(0, total, page_rows):
            rows = source._read(read, {"keys": keys[label][start : start + page_rows]})
            _write_rows(target, write, rows, properties, label, total, page_rows, progress)
    for rel, (start_label, end_label, properties) in REL_TABLES.items():
        start_key, end_key = NODE_TABLES[start_label][0], NODE_TABLES[end_label][0]
        fields = f"s.{start_key} AS {_FROM}, t.{end_key} AS {_TO}" + (
            f", {_fields('r', properties)}" if properties else ""
        )
        read = (
            f"UNWIND $keys AS k MATCH (s:{start_label} {{{start_key}: k}})-[r:{rel}]->(t:{end_label}) RETURN {fields}"
        )
        write = (
            f"UNWIND $rows AS row MATCH (s:{start_label} {{{start_key}: row.{_FROM}}}) "
            f"MATCH (t:{end_label} {{{end_key}: row.{_TO}}}) "
            f"CREATE (s)-[:{rel}{' {' + _values(properties) + '}' if properties else ''}]->(t)"
        )
        starts, total = keys[start_label], expected[rel]
        # start nodes per read so that a read brings about a page of rows (a busy actor's brings more)
        per_read = max(1, min(page_rows, page_rows * len(starts) // max(total, 1)))
        for start in range(0, len(starts), per_read):
            rows = source._read(read, {"keys": starts[start : start + per_read]})
            _write_rows(target, write, rows, properties, rel, total, page_rows, progress)
    copied = table_counts(target)
    return CopyReport(source=expected, target=copied, replaced=replaced, seconds=time.perf_counter() - started)


def _clear(target: CypherGraphStore, replace: bool) -> dict[str, int]:
    """Nothing to do on an empty target; refuses an occupied one unless `replace`, and refuses any database that
    holds nodes of labels briefgraph does not write (another application's data is never deleted)."""
    held = {table: count for table, count in table_counts(target).items() if count}
    total_nodes = _one(target, "MATCH (n) RETURN count(n) AS n")
    ours = sum(held.get(label, 0) for label in NODE_TABLES)
    if total_nodes > ours:
        raise ConfigurationError(
            f"the target graph holds {total_nodes - ours:,} nodes that briefgraph does not write (labels other "
            f"than {', '.join(NODE_TABLES)}); copy-graph writes only into an empty database or a briefgraph one"
        )
    if not held:
        return {}
    summary = ", ".join(f"{count:,} {table}" for table, count in held.items())
    if not replace:
        raise ConfigurationError(
            f"the target graph is not empty ({summary}); copy-graph writes only into an empty graph, so nothing "
            "stored is mixed or lost. Pass --replace to delete what it holds first"
        )
    for rel in REL_TABLES:
        while _one(target, f"MATCH ()-[r:{rel}]->() RETURN count(r) AS n"):
            target._write([(f"MATCH ()-[r:{rel}]->() WITH r LIMIT {DELETE_BATCH} DELETE r", [{}])])
    for label in NODE_TABLES:
        while _one(target, f"MATCH (n:{label}) RETURN count(n) AS n"):
            target._write([(f"MATCH (n:{label}) WITH n LIMIT {DELETE_BATCH} DETACH DELETE n", [{}])])
    return held


def _write_rows(
    target: CypherGraphStore,
    statement: str,
    rows: Sequence[Row],
    properties: dict[str, str],
    table: str,
    total: int,
    page_rows: int,
    progress: Progress | None,
) -> None:
    dates = [name for name, kind in properties.items() if kind == "DATE"]
    for start in range(0, len(rows), page_rows):
        page = [_dated(row, dates) for row in rows[start : start + page_rows]]
        target._write([(statement, page)])
        if progress is not None:
            progress(table, len(page), total)


def _dated(row: Row, dates: Sequence[str]) -> Row:
    """Dates as ISO text (the write applies date()): the engines' drivers hand back their own date types."""
    if not dates:
        return row
    out = dict(row)
    for name in dates:
        value = out.get(name)
        if isinstance(value, dt.date):
            out[name] = value.isoformat()
        elif value is not None:
            out[name] = str(value)
    return out


def _properties(table: str) -> dict[str, str]:
    return NODE_TABLES[table][1] if table in NODE_TABLES else REL_TABLES[table][2]


def _fields(variable: str, properties: dict[str, str]) -> str:
    return ", ".join(f"{variable}.{name} AS {name}" for name in properties)


def _values(properties: dict[str, str]) -> str:
    """A property map of the page row's values; DATE properties through date(), as the port's writes store them."""
    return ", ".join(
        f"{name}: date(row.{name})" if kind == "DATE" else f"{name}: row.{name}" for name, kind in properties.items()
    )


def _one(graph: CypherGraphStore, query: str) -> int:
    return int(graph._read(query)[0]["n"])
