"""The graph adapters' gate between reading threads and the writer (core/adapters/read_write_gate.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from core.adapters.read_write_gate import ReadWriteGate


def _started(target: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_readers_share_the_gate_and_a_waiting_writer_goes_before_new_readers() -> None:
    gate = ReadWriteGate()
    order: list[str] = []
    first_reader_in, release_first_reader = threading.Event(), threading.Event()
    second_reader_in = threading.Event()

    def first_reader() -> None:
        with gate.reading():
            first_reader_in.set()
            release_first_reader.wait(5)
            order.append("reader 1 out")

    def second_reader() -> None:  # enters beside the first: readers do not exclude each other
        first_reader_in.wait(5)
        with gate.reading():
            second_reader_in.set()
            order.append("reader 2")

    def writer() -> None:
        with gate.writing():
            order.append("writer")

    def late_reader() -> None:
        with gate.reading():
            order.append("late reader")

    threads = [_started(first_reader), _started(second_reader)]
    assert second_reader_in.wait(5)
    threads.append(_started(writer))
    time.sleep(0.05)  # the writer now waits for reader 1
    threads.append(_started(late_reader))
    time.sleep(0.05)
    assert order == ["reader 2"]  # neither the writer nor the late reader got past reader 1
    release_first_reader.set()
    for thread in threads:
        thread.join(5)
    assert order == ["reader 2", "reader 1 out", "writer", "late reader"]


def test_the_writer_may_re_enter_and_read() -> None:
    gate = ReadWriteGate()
    with gate.writing(), gate.writing(), gate.reading():
        pass
    entered = threading.Event()

    def reader() -> None:
        with gate.reading():
            entered.set()

    _started(reader).join(5)
    assert entered.is_set()  # the gate is open again once the writer left both levels
