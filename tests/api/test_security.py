"""The six findings of issue 12, reproduced over real HTTP on 127.0.0.1, each refused, bounded or
losing nothing, with ``/healthz`` answering fast while an attack runs."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import httpx

from api.app import create_app
from graph.contract import GraphStore
from graph.memory import MemoryStore
from graph.model import new_node
from graph.settings import Settings
from graph.startup import open_for_serving
from loaders import load_file
from schema.codes import uscc_with_check
from tests.api.serving import served

ADMIN = "admin-token-sec-41"
AUTH = {"Authorization": f"Bearer {ADMIN}"}
ROOT = Path(__file__).resolve().parents[2]
GRIDGRAPH = [sys.executable, "-m", "cli"]


# -- 3. two processes on one store file --------------------------------------------------------
UNITS = [uscc_with_check(f"91410611MA{i:07d}") for i in range(20)]
COMMUNITIES = [f"合成社区{i:02d}" for i in range(8)]
SHARED = 40  # agreements both the load and the API change, in different fields


def _seed_units(store: MemoryStore) -> None:
    with store.transaction() as tx:
        tx.upsert_nodes(
            new_node("Unit", uscc=u, name=f"合成共建单位{i:04d}", synthetic=True)
            for i, u in enumerate(UNITS)
        )
        tx.upsert_nodes(
            new_node("Community", division_code=f"410611001{i:03d}", name=c, synthetic=True)
            for i, c in enumerate(COMMUNITIES)
        )


def _agreements_csv(codes: list[str], topics: str) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["协议编号", "统一社会信用代码", "社区", "签订日期", "生效日期", "共建内容"])
    for i, code in enumerate(codes):
        w.writerow([code, UNITS[i % len(UNITS)], COMMUNITIES[i % len(COMMUNITIES)],
                    "2023-05-01", "2023-05-01", topics])  # fmt: skip
    return out.getvalue().encode()


END = """
mutation End($code: String!, $on: Date!) {
  endAgreement(code: $code, on: $on) { changed }
}
"""


def test_a_load_and_api_mutations_at_once_lose_nothing(tmp_path: Path) -> None:
    """A ``gridgraph load`` in another process rewrites the topics of agreements the API is
    ending at the same moment: afterwards every agreement has both changes, on disk and as the
    server serves it, and the load finished without a traceback."""
    path = tmp_path / "store.sqlite"
    shared = [f"P-{i:03d}" for i in range(SHARED)]
    store = MemoryStore(path)
    _seed_units(store)
    first = tmp_path / "first.csv"
    first.write_bytes(_agreements_csv(shared, "旧内容"))
    assert load_file(store, first, kind="agreements").status == "loaded"
    bulk = tmp_path / "bulk.csv"
    fresh = [f"N-{i:05d}" for i in range(6000)]
    bulk.write_bytes(_agreements_csv(shared + fresh, "新内容"))

    last_end: dict[str, str] = {}
    settings = Settings(admin_token=ADMIN)
    with served(create_app(store, settings)) as url, httpx.Client(base_url=url, timeout=60) as c:
        loader = subprocess.Popen(
            [*GRIDGRAPH, "load", str(bulk), "--store", str(path), "--on-conflict", "update"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
        )  # fmt: skip
        day = 1
        while loader.poll() is None or day < 3:
            for code in shared:
                on = f"2025-01-{day:02d}"
                r = c.post("/graphql", json={"query": END, "variables": {"code": code, "on": on}},
                           headers=AUTH)  # fmt: skip
                body = r.json()
                assert r.status_code == 200 and "errors" not in body, body
                last_end[code] = on
            day += 1
            assert day < 29, "the load did not finish"
        _, err = loader.communicate(timeout=120)
        assert loader.returncode == 0, err.decode()
        assert b"Traceback" not in err
        served_view = c.post("/graphql", json={"query": CHECK, "variables": {"codes": shared}})
        served_view.raise_for_status()

    on_disk = MemoryStore(path)
    try:
        nodes = on_disk.get_nodes([f"agreement:{code}" for code in shared + fresh])
        assert len(nodes) == len(shared) + len(fresh)
        for code in shared:
            props = nodes[f"agreement:{code}"].props
            assert (props.get("topics"), props.get("valid_to")) == (["新内容"], last_end[code])
        for code in fresh:
            assert nodes[f"agreement:{code}"].props["topics"] == ["新内容"]
    finally:
        on_disk.close()
    got = {n["code"]: (n["topics"], n["validTo"])
           for n in served_view.json()["data"]["agreements"]["nodes"]}  # fmt: skip
    assert got == {code: (["新内容"], last_end[code]) for code in shared}
    store.close()


CHECK = """
query Check($codes: [String!]) {
  agreements(where: {code: {in: $codes}}, first: 100) { nodes { code topics validTo } }
}
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("GRIDGRAPH_STORE_PATH", None)
    env["PYTHONPATH"] = str(ROOT)
    return env


# -- 6. safe start -----------------------------------------------------------------------------
def _serve(path: Path) -> subprocess.CompletedProcess[str]:
    """``gridgraph serve`` on ``path``: expected to refuse before it listens."""
    return subprocess.run(
        [*GRIDGRAPH, "serve", "--store", str(path), "--port", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=_env(),
    )  # fmt: skip


def _refused_naming(result: subprocess.CompletedProcess[str], path: Path, text: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr and text in result.stderr, result.stderr
    assert "seeded" not in result.stdout


def test_a_zero_byte_store_file_is_an_error_not_a_reseed(tmp_path: Path) -> None:
    path = tmp_path / "gridgraph.sqlite"
    path.write_bytes(b"")
    _refused_naming(_serve(path), path, "is empty (0 bytes)")
    assert path.stat().st_size == 0


def test_a_copy_without_its_wal_is_an_error_and_a_backup_is_whole(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite"
    store = MemoryStore(live)  # held open: its commits stay in live.sqlite-wal
    _seed_units(store)
    assert Path(f"{live}-wal").stat().st_size > 0
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(live.read_bytes())
    _refused_naming(_serve(copy), copy, "holds no graph")

    backup = tmp_path / "backup.sqlite"
    result = subprocess.run(
        [*GRIDGRAPH, "backup", str(backup), "--store", str(live)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=_env(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not Path(f"{backup}-wal").exists()
    restored = MemoryStore(backup)
    assert restored.counts() == store.counts()
    assert sum(restored.counts().nodes.values()) == len(UNITS) + len(COMMUNITIES)
    restored.close()
    store.close()


def test_a_truncated_store_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "gridgraph.sqlite"
    store = MemoryStore(path)
    with store.transaction() as tx:
        tx.upsert_nodes(
            new_node("Unit", uscc=uscc_with_check(f"91410611MA{i:07d}"), name="单位" * 40)
            for i in range(3000)
        )
    store.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    _refused_naming(_serve(path), path, "store file")


def test_only_a_new_store_file_is_seeded_on_start(tmp_path: Path) -> None:
    settings = Settings(store_path=tmp_path / "new.sqlite")
    seeded: list[int] = []
    store, did = open_for_serving(settings, lambda s: seeded.append(_seed_units_count(s)))
    assert did and seeded == [len(UNITS) + len(COMMUNITIES)]
    store.close()
    again, did = open_for_serving(settings, lambda s: seeded.append(0))
    assert not did and seeded == [len(UNITS) + len(COMMUNITIES)]
    again.close()


def _seed_units_count(store: GraphStore) -> int:
    assert isinstance(store, MemoryStore)
    _seed_units(store)
    return sum(store.counts().nodes.values())
