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

from core.adapters.cypher_graph import CypherGraphStore, Row, WriteBatch
from core.errors import ConfigurationError, InvalidInputError, StoreTimeoutError, StoreUnavailableError
from graph_schema.cypher import ACTOR, ACTOR_COUNT_PROPERTIES, LADYBUG_ADD_ACTOR_COUNTS, LADYBUG_DDL


class EmbeddedGraphStore(CypherGraphStore):
    _MONTH = "date_trunc('month', {})"

    def __init__(self, path: Path | None, *, read_only: bool = False, query_timeout_s: float = 10.0) -> None:
        """path=None opens an in-memory database (tests)."""
        try:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._db = ladybug.Database(str(path) if path is not None else ":memory:", read_only=read_only)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as error:
            raise StoreUnavailableError(
                f"cannot open the embedded graph at {path}: {error}. Only one process may write to it; "
                "stop the other process or ingest through the API (POST /briefs)."
            ) from error
        # at least 1 ms: the engine reads 0 as "no limit"
        self._conn.set_query_timeout(max(1, math.ceil(query_timeout_s * 1000)))
        # the engine runs a query on one thread unless told; every core makes large aggregates (a busy dyad's
        # summary, an actor's mention counts) ~25 % faster
        self._conn.set_max_threads_for_exec(os.cpu_count() or 1)
        # One connection, used by one thread at a time: the API serves from a thread pool.
        self._lock = threading.RLock()
        self._path = path
        self._schema_ready = read_only  # a read-only database takes no DDL; the writer made the tables
        if read_only:
            try:
                self._check_readable()
            except ConfigurationError:
                self.close()
                raise

    def apply_schema(self) -> None:
        with self._lock:
            for statement in (*LADYBUG_DDL, *LADYBUG_ADD_ACTOR_COUNTS):
                self._execute(statement, None)
            self._schema_ready = True
            self._count_uncounted_actors()

    def _check_readable(self) -> None:
        """A read-only database takes no DDL, so a folder from before the stored actor counts cannot be read."""
        tables = {row["name"] for row in self._execute("CALL show_tables() RETURN name", None)}
        if ACTOR not in tables:
            return
        columns = {row["name"] for row in self._execute(f"CALL table_info('{ACTOR}') RETURN name", None)}
        missing = sorted(ACTOR_COUNT_PROPERTIES.keys() - columns)
        if missing:
            raise ConfigurationError(
                f"the graph at {self._path} predates the stored actor counts ({', '.join(missing)}); open it once "
                "for writing (briefgraph ingest or serve) to bring it up to date"
            )

    def _execute(self, query: str, params: Mapping[str, Any] | None) -> list[Row]:
        try:
            result = self._conn.execute(query, dict(params) if params else None)
        except RuntimeError as error:
            message = str(error)
            if "interrupted" in message.lower() or "timeout" in message.lower():
                raise StoreTimeoutError(f"graph query ran past its time limit: {message}") from error
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
        with self._lock:
            if not self._schema_ready:
                self.apply_schema()
            self._execute("BEGIN TRANSACTION READ ONLY", None)
            try:
                rows = self._execute(query, params)
            except BaseException:
                with contextlib.suppress(RuntimeError, InvalidInputError):
                    self._execute("ROLLBACK", None)
                raise
            self._execute("COMMIT", None)
            return rows

    def _write(self, statements: WriteBatch) -> None:
        with self._lock:
            if not self._schema_ready:
                self.apply_schema()
            self._execute("BEGIN TRANSACTION", None)
            try:
                for statement, rows in statements:
                    self._execute(statement, {"rows": rows} if statement.startswith("UNWIND") else rows[0])
            except BaseException:
                with contextlib.suppress(RuntimeError, InvalidInputError):  # a failed statement may end it already
                    self._execute("ROLLBACK", None)
                raise
            self._execute("COMMIT", None)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            self._db.close()
