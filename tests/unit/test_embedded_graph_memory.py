"""The embedded graph's memory: a pool sized from the database file unless configured, and a query that finds
the pool full answers as a store that is briefly unavailable (503), naming the setting, not as bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.adapters.embedded_graph import MIN_AUTO_POOL, EmbeddedGraphStore, buffer_pool_bytes
from core.errors import InvalidInputError, StoreUnavailableError

MIB = 1 << 20


def _file(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)  # sparse: the size is what counts
    return path


@pytest.fixture(autouse=True)
def _machine_of_8_gib(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": (8 << 30) // 4096}
    monkeypatch.setattr("core.adapters.embedded_graph.os.sysconf", lambda name: pages[name])


def test_a_configured_pool_wins(tmp_path: Path) -> None:
    assert buffer_pool_bytes(_file(tmp_path / "graph", 900 * MIB), 256) == 256 * MIB


def test_the_pool_is_three_times_the_database_and_at_least_512_mib(tmp_path: Path) -> None:
    assert buffer_pool_bytes(tmp_path / "not-yet-created", None) == MIN_AUTO_POOL
    assert buffer_pool_bytes(_file(tmp_path / "small", 10 * MIB), None) == MIN_AUTO_POOL
    assert buffer_pool_bytes(_file(tmp_path / "large", 300 * MIB), None) == 900 * MIB


def test_past_most_of_the_machine_and_in_memory_the_engine_decides(tmp_path: Path) -> None:
    assert buffer_pool_bytes(_file(tmp_path / "just-under", 2 << 30), None) == 6 << 30  # 75 % of 8 GiB
    assert buffer_pool_bytes(_file(tmp_path / "huge", 3 << 30), None) == 0  # 9 GiB: past the machine
    assert buffer_pool_bytes(None, None) == 0


class _FullPool:
    def execute(self, query: str, params: Any) -> Any:
        raise RuntimeError(
            "Buffer manager exception: Unable to allocate memory! The buffer pool is full and no memory could be freed!"
        )


class _Refusing:
    def execute(self, query: str, params: Any) -> Any:
        raise RuntimeError("Runtime exception: a value the engine refuses")


def test_a_full_pool_is_a_store_unavailable_error_that_names_the_setting() -> None:
    with pytest.raises(StoreUnavailableError, match="BRIEFGRAPH_GRAPH__BUFFER_POOL_MB"):
        EmbeddedGraphStore._execute(_FullPool(), "MATCH (n) RETURN n", None)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):  # other engine refusals stay bad input
        EmbeddedGraphStore._execute(_Refusing(), "MATCH (n) RETURN n", None)  # type: ignore[arg-type]


def test_a_store_opens_and_answers_with_the_sized_pool(tmp_path: Path) -> None:
    store = EmbeddedGraphStore(tmp_path / "graph", buffer_pool_mb=64)
    try:
        store.apply_schema()
        assert store.get_brief("nothing") is None
    finally:
        store.close()
