"""The graph port over Neo4j with the official driver: one pooled driver per process, managed transactions
(retried by the driver on transient errors), reads in READ access mode, a time limit on every query, and
parameterised Cypher only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_errors

from core.adapters.cypher_graph import CypherGraphStore, Row, WriteBatch
from core.adapters.read_write_gate import ReadWriteGate
from core.errors import StoreTimeoutError, StoreUnavailableError
from graph_schema.cypher import NEO4J_DDL


class Neo4jGraphStore(CypherGraphStore):
    _MONTH = "CASE WHEN {0} IS NULL THEN null ELSE date.truncate('month', {0}) END"  # truncate() refuses null
    # MERGE under the key's uniqueness constraint: concurrent writers of one key wait for each other's lock
    _MERGE_COPY_KEYS = "UNWIND $rows AS row MERGE (k:CopyKey {key: row.key})"

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        *,
        database: str | None = None,
        query_timeout_s: float = 10.0,
        max_connection_pool_size: int = 20,
        read_retry_time_s: float = 1.0,
        write_retry_time_s: float = 10.0,
    ) -> None:
        """Reads give up on an unreachable server after about `read_retry_time_s` (one retry, enough to replace
        a pooled connection a restarted server dropped), so API requests fail fast with 503 instead of holding
        a worker thread for the driver's whole retry window; writes keep retrying for `write_retry_time_s`."""
        self._uri = uri
        self._database = database
        self._timeout = query_timeout_s
        self._retry_time = {neo4j.READ_ACCESS: read_retry_time_s, neo4j.WRITE_ACCESS: write_retry_time_s}
        # Neo4j reads are read-committed per statement: a query running while a rewrite commits can see part of
        # it (an edge going, another's properties already null). Within this process (the API's reads beside
        # its own POST /briefs writes) reads and writes take turns, as on the embedded engine; a writer in
        # another process can still be seen mid-commit
        self._gate = ReadWriteGate()
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=(user, password),
                max_connection_pool_size=max_connection_pool_size,
                connection_timeout=5.0,
                max_transaction_retry_time=write_retry_time_s,
            )
        except (ValueError, neo4j_errors.ConfigurationError) as error:
            raise StoreUnavailableError(f"cannot use Neo4j URI {uri!r}: {error}") from error

    def _translate(self, error: Exception) -> Exception:
        if isinstance(error, neo4j_errors.AuthError):
            return StoreUnavailableError(f"Neo4j at {self._uri} refused the credentials: {error.message}")
        if isinstance(error, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired | OSError):
            return StoreUnavailableError(f"Neo4j at {self._uri} is unreachable: {error}")
        if isinstance(error, neo4j_errors.Neo4jError) and "TransactionTimedOut" in (error.code or ""):
            return StoreTimeoutError(f"graph query ran past its {self._timeout:g} s limit")
        if isinstance(error, neo4j_errors.DriverError | neo4j_errors.TransientError):
            return StoreUnavailableError(f"Neo4j at {self._uri} failed: {error}")
        return error

    def _session(self, mode: str) -> neo4j.Session:
        return self._driver.session(
            database=self._database, default_access_mode=mode, max_transaction_retry_time=self._retry_time[mode]
        )

    def _read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        @neo4j.unit_of_work(timeout=self._timeout)
        def work(tx: neo4j.ManagedTransaction) -> list[Row]:
            return [record.data() for record in tx.run(query, dict(params or {}))]

        try:
            with self._gate.reading(), self._session(neo4j.READ_ACCESS) as session:
                return session.execute_read(work)
        except Exception as error:
            raise self._translate(error) from error

    def _write(self, statements: WriteBatch) -> None:
        @neo4j.unit_of_work(timeout=self._timeout * 6)  # a brief's whole write, not one lookup
        def work(tx: neo4j.ManagedTransaction) -> None:
            for text, rows in statements:
                params = {"rows": rows} if text.startswith("UNWIND") else rows[0]
                tx.run(text, params).consume()

        try:
            with self._gate.writing(), self._session(neo4j.WRITE_ACCESS) as session:
                session.execute_write(work)
        except Exception as error:
            raise self._translate(error) from error

    def apply_schema(self) -> None:
        try:
            with self._session(neo4j.WRITE_ACCESS) as session:
                for statement in NEO4J_DDL:
                    session.run(statement).consume()
        except Exception as error:
            raise self._translate(error) from error
        self._count_uncounted_actors()

    def close(self) -> None:
        self._driver.close()
