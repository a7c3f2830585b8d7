"""Many readers or one writer, within one process: the graph adapters keep their queries apart from writes."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator


class ReadWriteGate:
    """Many readers or one writer. Writes, schema changes and close() never run beside a query (closing a
    connection under a running query is not safe), and a waiting writer holds back new readers, so a steady stream
    of parallel reads cannot starve it. The writer may re-enter, and may read."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writers_waiting = 0
        self._writer: int | None = None
        self._depth = 0

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        if self._writer == threading.get_ident():
            yield
            return
        with self._condition:
            while self._writer is not None or self._writers_waiting:
                self._condition.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                if not self._readers:
                    self._condition.notify_all()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._condition:
            if self._writer != me:
                self._writers_waiting += 1
                while self._writer is not None or self._readers:
                    self._condition.wait()
                self._writers_waiting -= 1
                self._writer = me
            self._depth += 1
        try:
            yield
        finally:
            with self._condition:
                self._depth -= 1
                if not self._depth:
                    self._writer = None
                    self._condition.notify_all()
