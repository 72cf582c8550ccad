"""The library face: `import gridgraph` gives what its __all__ says, and every Python block of
docs/library.md runs, in order, against the reference graph."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import gridgraph

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "library.md"


def test_everything_in_all_is_there_and_documented() -> None:
    for name in gridgraph.__all__:
        assert getattr(gridgraph, name) is not None, name
        assert name in DOC.read_text(encoding="utf-8") or name in ("Node", "Relationship",
               "Direction", "new_node", "IntegrityError", "StoreError"), name  # fmt: skip
    assert not {n for n in vars(gridgraph) if not n.startswith("_")} - set(gridgraph.__all__) - {
        "annotations", "Path"}  # fmt: skip


def test_help_shows_the_library_face() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import gridgraph; help(gridgraph)"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PAGER": "cat"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "who governs what" in result.stdout
    assert "open_store" in result.stdout and "responsibility_chain" in result.stdout


def test_open_store_takes_a_path_or_settings_not_both(tmp_path: Path) -> None:
    with gridgraph.open_store(tmp_path / "g.sqlite") as store:
        assert store.counts().nodes == {}
    assert (tmp_path / "g.sqlite").exists()
    with pytest.raises(TypeError, match="not both"):
        gridgraph.open_store(tmp_path / "g.sqlite", settings=gridgraph.Settings())


def test_the_tour_in_docs_library_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 5
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)  # our own doc
    out = capsys.readouterr().out
    assert "('building', '黎阳九大院1号楼')" in out
    assert "暴露垃圾 compound" in out
    assert "checked 1 []" in out  # the row is valid: nothing to fix
    assert "unloadable cannot read the file" in out and "no-such-file.xlsx" in out
    assert "refused: no node with id building:410611999999-001-01" in out
    assert (tmp_path / "gaps.csv").read_bytes().startswith(b"\xef\xbb\xbf")
