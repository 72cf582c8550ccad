"""A writer killed with SIGKILL mid-batch leaves every committed write and no partial one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import StoreOpener
from tests.contract.crash_writer import A_SIZE, batch

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_minus_nine_mid_batch_leaves_nothing_partial(
    store_opener: StoreOpener, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    kind = request.node.callspec.params["store_opener"]
    where = str(tmp_path / "contract.sqlite")
    server = request.getfixturevalue("neo4j_server").env() if kind == "neo4j" else {}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.contract.crash_writer", kind, where],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, **server, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "A"
    assert child.stdout.readline().strip() == "MID"
    # The child is now inside B's open transaction: on Neo4j the server holds B's first
    # batch, uncommitted; the kill drops the connection and the server must roll it back.
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    with store_opener() as reopened:
        assert list(reopened.iter_nodes()) == batch("A", A_SIZE)
        assert reopened.counts().nodes == {"Person": A_SIZE}
