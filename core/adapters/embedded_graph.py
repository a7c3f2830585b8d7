"""The embedded graph backend: LadybugDB (the maintained successor of Kuzu), in-process, in a folder.

One process owns the folder for writing (the engine locks it); a second process may open it read-only.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ladybug

from core.adapters.cypher_graph import ACTOR_PROPERTIES, BRIEF_PROPERTIES, CypherGraphStore, Row, WriteBatch
from core.adapters.read_write_gate import ReadWriteGate
from core.errors import ConfigurationError, InvalidInputError, StoreTimeoutError, StoreUnavailableError
from graph_schema.cypher import (
    ACTOR,
    ACTOR_COUNT_PROPERTIES,
    BRIEF,
    COPY_KEY,
    COPY_ORIGIN_PROPERTIES,
    LADYBUG_ADD_ACTOR_COUNTS,
    LADYBUG_ADD_COPY_ORIGINS,
    LADYBUG_DDL,
    REPLACED_TEXT,
)

MIN_AUTO_POOL = 512 << 20
AUTO_POOL_PER_STORED_BYTE = 3


def create_missing(label: str, var: str, key: str) -> str:
    """CREATE of the `label` nodes whose `key` (a row field of the same name) does not exist yet, each looked up by
    the primary key. For one writer at a time only (two writers could both find a key missing)."""
    return (
        f"UNWIND $rows AS row OPTIONAL MATCH ({var}:{label} {{{key}: row.{key}}}) WITH row, {var} WHERE {var} IS NULL "
        f"CREATE (:{label} {{{key}: row.{key}}})"
    )


def upsert_by_key_lookups(label: str, var: str, properties: str) -> tuple[str, ...]:
    """Create-or-update of `label` nodes keyed by `id` as two statements that each look ids up by the primary key:
    the missing nodes are created, then every row's properties are set (one writer at a time, see create_missing)."""
    return (
        create_missing(label, var, "id"),
        f"UNWIND $rows AS row MATCH ({var}:{label} {{id: row.id}}) SET {properties}",
    )


def buffer_pool_bytes(path: Path | None, configured_mb: int | None) -> int:
    """The engine's page and query memory. Its own default is 80 % of the machine's memory, which it keeps once a
    query has used it: at 100k briefs the API grew by ~550 MiB under concurrent graph reads. Unless configured,
    three times the database file, at least 512 MiB: at 100k briefs (a 159 MiB file) eight concurrent path
    queries failed for memory at 256 MiB and ran as fast as with the default at 384 and 512 (benchmarks/RESULTS.md).
    An in-memory database holds all its data in the pool, so it keeps the engine's default (0)."""
    if configured_mb is not None:
        return configured_mb << 20
    if path is None:
        return 0
    try:
        files = [path] if path.is_file() else [f for f in path.rglob("*") if f.is_file()]
        stored = sum(f.stat().st_size for f in files)
    except OSError:
        stored = 0
    wanted = max(MIN_AUTO_POOL, AUTO_POOL_PER_STORED_BYTE * stored)
    try:
        machine = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (OSError, ValueError):
        return wanted
    return 0 if wanted >= machine * 0.8 else wanted  # past the engine's own default: let it decide


class EmbeddedGraphStore(CypherGraphStore):
    _MONTH = "date_trunc('month', {})"
    # MERGE looks each key up against a scan of the table (2.7 s for a batch's keys at 180k keys); a lookup per key
    # and CREATE of the missing ones takes 0.05 s. Safe here: one connection writes, one transaction at a time.
    _MERGE_COPY_KEYS = create_missing("CopyKey", "k", "key")
    # the same for briefs and actors: MERGE scanned the whole Brief table once per batch, so each write grew with the
    # graph; the missing ones are created, then all are set, each by a key lookup (tests/unit/test_embedded_graph_plans)
    _UPSERT_BRIEF = upsert_by_key_lookups("Brief", "b", BRIEF_PROPERTIES)
    _UPSERT_ACTOR = upsert_by_key_lookups("Actor", "a", ACTOR_PROPERTIES)

    def __init__(
        self,
        path: Path | None,
        *,
        read_only: bool = False,
        query_timeout_s: float = 10.0,
        buffer_pool_mb: int | None = None,
    ) -> None:
        """path=None opens an in-memory database (tests). Writes (and DDL) go through one connection, one at a
        time; each reading thread gets a connection of its own (kept until close(): the API's worker threads are
        a fixed pool), so those threads read in parallel, each in its own READ ONLY transaction. (A shared pool of
        connections starved some threads: one that hands its connection back takes it again before a waiting
        thread wakes; a one-brief write took 7-48 s beside three reading threads.)"""
        try:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._db = ladybug.Database(
                str(path) if path is not None else ":memory:",
                read_only=read_only,
                buffer_pool_size=buffer_pool_bytes(path, buffer_pool_mb),
            )
            self._conn = self._connect(query_timeout_s)
        except RuntimeError as error:
            raise StoreUnavailableError(
                f"cannot open the embedded graph at {path}: {error}. Only one process may write to it; "
                "stop the other process or ingest through the API (POST /briefs)."
            ) from error
        self._gate = ReadWriteGate()
        self._query_timeout_s = query_timeout_s
        self._local = threading.local()
        self._readers: list[ladybug.Connection] = []
        self._readers_lock = threading.Lock()
        self._path = path
        self._schema_ready = read_only  # a read-only database takes no DDL; the writer made the tables
        if read_only:
            try:
                self._check_readable()
            except ConfigurationError:
                self.close()
                raise

    def _connect(self, query_timeout_s: float) -> ladybug.Connection:
        connection = ladybug.Connection(self._db)
        # at least 1 ms: the engine reads 0 as "no limit"
        connection.set_query_timeout(max(1, math.ceil(query_timeout_s * 1000)))
        # the engine runs a query on one thread unless told; every core makes large aggregates (a busy dyad's
        # summary, an actor's mention counts) ~25 % faster
        connection.set_max_threads_for_exec(os.cpu_count() or 1)
        return connection

    def apply_schema(self) -> None:
        with self._gate.writing():
            for statement in (*LADYBUG_DDL, *LADYBUG_ADD_ACTOR_COUNTS, *LADYBUG_ADD_COPY_ORIGINS):
                self._execute(self._conn, statement, None)
            self._schema_ready = True
            self._count_uncounted_actors()

    def _check_readable(self) -> None:
        """A read-only database takes no DDL, so a folder from before the stored actor counts, or from before
        copy detection (brief origins, copy keys), cannot be read."""
        tables = {row["name"] for row in self._execute(self._conn, "CALL show_tables() RETURN name", None)}
        if ACTOR not in tables:
            return

        def columns(table: str) -> set[str]:
            return {row["name"] for row in self._execute(self._conn, f"CALL table_info('{table}') RETURN name", None)}

        missing = sorted(ACTOR_COUNT_PROPERTIES.keys() - columns(ACTOR))
        if missing:
            raise ConfigurationError(
                f"the graph at {self._path} predates the stored actor counts ({', '.join(missing)}); open it once "
                "for writing (briefgraph ingest or serve) to bring it up to date"
            )
        if COPY_KEY not in tables or REPLACED_TEXT not in tables or COPY_ORIGIN_PROPERTIES.keys() - columns(BRIEF):
            raise ConfigurationError(
                f"the graph at {self._path} predates copy detection (brief origins and copy keys); open it once "
                "for writing (briefgraph ingest or serve) to bring it up to date"
            )

    @staticmethod
    def _execute(connection: ladybug.Connection, query: str, params: Mapping[str, Any] | None) -> list[Row]:
        try:
            result = connection.execute(query, dict(params) if params else None)
        except RuntimeError as error:
            message = str(error)
            if "interrupted" in message.lower() or "timeout" in message.lower():
                raise StoreTimeoutError(f"graph query ran past its time limit: {message}") from error
            if "buffer pool is full" in message:
                raise StoreUnavailableError(
                    "the embedded graph has no memory left for this query while others run; try again, or give it "
                    f"more with BRIEFGRAPH_GRAPH__BUFFER_POOL_MB ({message})"
                ) from error
            if "Parser exception" in message or "Binder exception" in message:
                raise  # our own query is wrong: a bug, not bad input
            raise InvalidInputError(f"graph rejected the request: {message}") from error
        if isinstance(result, list):  # several statements; we never send those
            result = result[-1]
        columns = result.get_column_names()
        rows = [dict(zip(columns, values, strict=True)) for values in result.get_all()]
        result.close()
        return rows

    def _read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Reads run in a READ ONLY transaction, so nothing on the read path can change the graph."""
        if not self._schema_ready:
            self.apply_schema()
        with self._gate.reading():
            connection = self._reader()
            self._execute(connection, "BEGIN TRANSACTION READ ONLY", None)
            try:
                rows = self._execute(connection, query, params)
            except BaseException:
                with contextlib.suppress(RuntimeError, InvalidInputError):
                    self._execute(connection, "ROLLBACK", None)
                raise
            self._execute(connection, "COMMIT", None)
            return rows

    def _reader(self) -> ladybug.Connection:
        connection: ladybug.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._connect(self._query_timeout_s)
            with self._readers_lock:
                self._readers.append(connection)
            self._local.connection = connection
        return connection

    def _write(self, statements: WriteBatch) -> None:
        with self._gate.writing():
            if not self._schema_ready:
                self.apply_schema()
            self._execute(self._conn, "BEGIN TRANSACTION", None)
            try:
                for statement, rows in statements:
                    params = {"rows": rows} if statement.startswith("UNWIND") else rows[0]
                    self._execute(self._conn, statement, params)
            except BaseException:
                with contextlib.suppress(RuntimeError, InvalidInputError):  # a failed statement may end it already
                    self._execute(self._conn, "ROLLBACK", None)
                raise
            self._execute(self._conn, "COMMIT", None)

    def close(self) -> None:
        with self._gate.writing():  # waits for reads in flight
            with self._readers_lock:
                for connection in self._readers:
                    connection.close()
                self._readers.clear()
            self._conn.close()
            self._db.close()
