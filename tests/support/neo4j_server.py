"""Start and stop a real Neo4j Community server (embedded in a JVM) for tests.

The server lives in ``tests/neo4j_harness`` (a tiny Java main class plus Maven
dependencies) and is built by ``.ci/build-neo4j-harness.sh``.  No Docker needed:
only ``java`` (17+) and ``mvn`` on PATH.

Usage::

    server = start_neo4j(tmp_path / "neo4j")        # builds once, picks a free port
    driver = neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password))
    ...
    server.stop()
    server = server.start_again()                    # same data dir and port

Auth is disabled in the server, so any basic-auth credentials are accepted.
JVM output goes to ``<data_dir>/neo4j.log``; Neo4j's own logs are in
``<data_dir>/logs/debug.log``.
"""

from __future__ import annotations

import atexit
import collections
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

READY_MARKER = "NEO4J_READY"
MAIN_CLASS = "briefgraph.testing.EmbeddedNeo4j"
DEFAULT_USER = "neo4j"
DEFAULT_PASSWORD = "briefgraph-test"
STOP_TIMEOUT_S = 30.0

# Flags Neo4j's own launcher passes on Java 17+ (without them the page cache
# falls back to a slower mode and warns); harmless if unused.
JVM_FLAGS: tuple[str, ...] = (
    "-Xms128m",
    "-Xmx512m",
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:+UseSerialGC",
    "-Dfile.encoding=UTF-8",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
)

_built = False
_build_lock = threading.Lock()
_live: set[subprocess.Popen[bytes]] = set()
_live_lock = threading.Lock()


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def harness_root() -> Path:
    """The Maven project of the embedded server: ``tests/neo4j_harness``."""
    return Path(__file__).resolve().parents[1] / "neo4j_harness"


def _classpath() -> str:
    target = harness_root() / "target"
    return os.pathsep.join([str(target / "classes"), str(target / "dependency" / "*")])


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    found = shutil.which("java")
    if found is None:
        raise RuntimeError("Neo4j test server: 'java' (JDK 17+) is not on PATH and JAVA_HOME is unset")
    return found


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _file_tail(path: Path, lines: int = 40) -> str:
    try:
        return _tail(path.read_text(encoding="utf-8", errors="replace"), lines)
    except OSError:
        return "(none)"


def ensure_built() -> None:
    """Build the harness (once per process; a file lock serialises parallel workers)."""
    global _built
    with _build_lock:
        if _built:
            return
        missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
        if missing:
            raise RuntimeError(
                f"Neo4j test server: missing {', '.join(missing)} on PATH; "
                "install a JDK 17+ and Maven "
                "(e.g. apt-get install -y openjdk-17-jdk-headless maven)"
            )
        script = repo_root() / ".ci" / "build-neo4j-harness.sh"
        target = harness_root() / "target"
        target.mkdir(parents=True, exist_ok=True)
        with open(target / ".build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            proc = subprocess.run(
                ["bash", str(script)],
                cwd=repo_root(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if proc.returncode != 0:
            output = proc.stdout.decode("utf-8", errors="replace")
            raise RuntimeError(f"Neo4j test server: {script} failed (exit {proc.returncode}):\n{_tail(output)}")
        _built = True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False


@dataclass
class RunningNeo4j:
    uri: str
    user: str
    password: str
    data_dir: Path
    port: int
    process: subprocess.Popen[bytes]
    _reader: threading.Thread | None = field(default=None, repr=False, compare=False)

    @property
    def log_path(self) -> Path:
        """JVM stdout/stderr (appended across restarts)."""
        return self.data_dir / "neo4j.log"

    def is_running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM (clean shutdown via the JVM hook), wait up to 30 s, then SIGKILL."""
        _terminate(self.process)
        if self._reader is not None:
            self._reader.join(timeout=5)

    def start_again(self, timeout_s: float = 120) -> RunningNeo4j:
        """Restart on the same data dir and port (stopping this one first if needed)."""
        self.stop()
        return start_neo4j(self.data_dir, self.port, timeout_s=timeout_s)


def _terminate(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    with _live_lock:
        _live.discard(process)


@atexit.register
def _stop_leftovers() -> None:
    with _live_lock:
        leftovers = list(_live)
    for process in leftovers:
        _terminate(process)


def _drain(
    stream: IO[bytes],
    log_path: Path,
    ready: threading.Event,
    tail: collections.deque[str],
) -> None:
    """Copy JVM output to the log file until EOF, flagging the ready line."""
    with open(log_path, "a", encoding="utf-8") as log:
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", errors="replace")
            log.write(line)
            log.flush()
            tail.append(line.rstrip("\n"))
            if line.startswith(READY_MARKER):
                ready.set()
    stream.close()


class _StartFailed(RuntimeError):
    def __init__(self, message: str, port_in_use: bool) -> None:
        super().__init__(message)
        self.port_in_use = port_in_use


def start_neo4j(data_dir: Path, port: int | None = None, timeout_s: float = 120) -> RunningNeo4j:
    """Build if needed, start Neo4j on ``data_dir``, wait until Bolt is accepting.

    With ``port=None`` a free loopback port is picked (and re-picked, up to 3 times,
    if another process grabbed it first).  Raises RuntimeError with the output tail.
    """
    ensure_built()
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    attempts = 3 if port is None else 1
    for attempt in range(attempts):
        try:
            return _launch(data_dir, free_port() if port is None else port, timeout_s)
        except _StartFailed as exc:
            if not exc.port_in_use or attempt == attempts - 1:
                raise RuntimeError(str(exc)) from None
    raise AssertionError("unreachable")


def _launch(data_dir: Path, port: int, timeout_s: float) -> RunningNeo4j:
    log_path = data_dir / "neo4j.log"
    with open(log_path, "a", encoding="utf-8") as log:
        log.write(f"--- starting Neo4j on 127.0.0.1:{port} at {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
    cmd = [
        _java(),
        *JVM_FLAGS,
        "-cp",
        _classpath(),
        MAIN_CLASS,
        str(data_dir),
        str(port),
    ]
    process = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=data_dir,
    )
    with _live_lock:
        _live.add(process)
    assert process.stdout is not None
    ready = threading.Event()
    tail: collections.deque[str] = collections.deque(maxlen=400)
    reader = threading.Thread(
        target=_drain,
        args=(process.stdout, log_path, ready, tail),
        name=f"neo4j-{port}-output",
        daemon=True,
    )
    reader.start()

    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            reader.join(timeout=5)
            problem = f"exited with code {process.returncode} before it was ready"
            break
        if ready.is_set() and _port_open(port):
            return RunningNeo4j(
                uri=f"bolt://127.0.0.1:{port}",
                user=DEFAULT_USER,
                password=DEFAULT_PASSWORD,
                data_dir=data_dir,
                port=port,
                process=process,
                _reader=reader,
            )
        if time.monotonic() > deadline:
            problem = f"was not ready within {timeout_s:.0f} s"
            break
        ready.wait(0.2)
        if ready.is_set():
            time.sleep(0.05)

    _terminate(process)
    reader.join(timeout=5)
    debug_log = data_dir / "logs" / "debug.log"
    in_use = any("already in use" in line.lower() for line in tail)
    output = "\n".join(list(tail)[-60:])
    debug_tail = _file_tail(debug_log)
    raise _StartFailed(
        f"Neo4j test server on 127.0.0.1:{port} (data dir {data_dir}) {problem}.\n"
        f"--- JVM output (tail, full log in {log_path}):\n{output}\n"
        f"--- {debug_log} (tail):\n{debug_tail}",
        port_in_use=in_use,
    )
