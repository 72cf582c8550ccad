"""Start and stop the project's own Neo4j 5 Community (``tools/neo4j``) from Python.

The test suite and the benchmarks need a real Neo4j without Docker or a tarball: ``tools/neo4j``
runs the DBMS in a JVM, with Bolt on 127.0.0.1, and prints ``gridgraph-neo4j ready bolt://…``
once the default database answers. This module launches it, waits for that line, and stops it
with SIGTERM (a clean checkpoint). ``make neo4j`` builds the jar; :func:`build` does the same.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

TOOL_DIR = Path(__file__).resolve().parents[2] / "tools" / "neo4j"
LAUNCHER = TOOL_DIR / "run"
JAR = TOOL_DIR / "target" / "gridgraph-neo4j.jar"
DEFAULT_PASSWORD = "gridgraph-local"
READY = re.compile(r"^gridgraph-neo4j ready (bolt://\S+)$")


class LocalNeo4jError(RuntimeError):
    """The local Neo4j could not be built or started; the message says why."""


def build() -> None:
    """Build ``tools/neo4j`` with Maven (first use downloads ~120 MB into ``~/.m2``)."""
    done = subprocess.run(
        ["mvn", "-q", "-B", "-f", str(TOOL_DIR / "pom.xml"), "package"],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not JAR.exists():
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        raise LocalNeo4jError("building tools/neo4j failed: " + " | ".join(tail))


@dataclass
class LocalNeo4j:
    """A running local Neo4j: its Bolt URI, credentials and process. Stop it with :meth:`stop`."""

    uri: str
    user: str
    password: str
    home: Path
    process: subprocess.Popen[str]
    output: deque[str] = field(default_factory=lambda: deque(maxlen=200))

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM, then wait for the checkpoint; SIGKILL only if it hangs past ``timeout``."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> LocalNeo4j:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start(
    home: Path,
    *,
    port: int = 0,
    password: str = DEFAULT_PASSWORD,
    heap: str = "1g",
    pagecache_mb: int = 256,
    tx_memory_mb: int = 1024,
    timeout: float = 180.0,
) -> LocalNeo4j:
    """Start a local Neo4j with its data in ``home``; returns once the database answers.

    ``port=0`` picks a free port, so several servers (one per test worker) can run at once.
    Raises :class:`LocalNeo4jError` with the server's last lines if it does not come up.
    """
    if not JAR.exists():
        build()
    env = {
        **os.environ,
        "JAVA_OPTS": f"-Xms256m -Xmx{heap}",
        "GRIDGRAPH_NEO4J_PASSWORD": password,
    }
    process = subprocess.Popen(
        [
            str(LAUNCHER),
            "--home",
            str(home),
            "--port",
            str(port),
            "--pagecache-mb",
            str(pagecache_mb),
            "--tx-memory-mb",
            str(tx_memory_mb),
            "--stop-on-stdin-eof",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.PIPE,  # never written; when this process dies, the server stops
        text=True,
        env=env,
        start_new_session=True,
    )
    output: deque[str] = deque(maxlen=200)
    found: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        # Keep reading after readiness too, so the JVM never blocks on a full pipe.
        assert process.stdout is not None
        for line in process.stdout:
            line = line.rstrip("\n")
            output.append(line)
            match = READY.match(line)
            if match and not found:
                found.append(match.group(1))
                ready.set()
        ready.set()

    threading.Thread(target=pump, name="neo4j-output", daemon=True).start()
    deadline = time.monotonic() + timeout
    while not ready.wait(0.2):
        if time.monotonic() > deadline:
            break
    if not found:
        process.kill()
        process.wait()
        last = " | ".join(list(output)[-8:]) or "no output"
        raise LocalNeo4jError(f"the local Neo4j did not start within {timeout:.0f} s: {last}")
    return LocalNeo4j(found[0], "neo4j", password, home, process, output)
