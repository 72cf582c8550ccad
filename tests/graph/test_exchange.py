"""The exchange file: round trips exactly, and a bad file names its line and imports nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from graph.contract import GraphStore
from graph.exchange import (
    FORMAT,
    ExchangeError,
    copy_graph,
    export_graph,
    import_graph,
    ontology_summary,
)
from graph.memory import MemoryStore
from graph.model import Node, Relationship, new_node
from schema import ONTOLOGY
from schema.ontology import PropType

ROOT = Path(__file__).resolve().parents[2]

DISTRICT = new_node("District", division_code="410611", name="淇滨区", area_km2=294.5)
SUBDISTRICT = new_node(
    "Subdistrict", division_code="410611001", name="黎阳路街道", runs_grid=True, synthetic=True
)
COMMUNITY = new_node(
    "Community", division_code="410611001001", name="黎阳社区", aliases=["黎阳", "LY"],
    population=9120, honours=["五优社区"],
)  # fmt: skip
DEPARTMENT = new_node("Department", code="civil-affairs", name="区民政局", key_unit=False)
NODES = [DISTRICT, SUBDISTRICT, COMMUNITY, DEPARTMENT]
RELS = [
    Relationship("PART_OF", SUBDISTRICT.id, DISTRICT.id),
    Relationship("PART_OF", COMMUNITY.id, SUBDISTRICT.id, {"source_row": 7}),
    Relationship(
        "PAIRED_WITH",
        DEPARTMENT.id,
        COMMUNITY.id,
        {"valid_from": "2021-01-01", "valid_to": "2023-12-31"},
    ),
    Relationship("PAIRED_WITH", DEPARTMENT.id, COMMUNITY.id, {"valid_from": "2026-01-01"}),
    Relationship("PAIRED_WITH", DEPARTMENT.id, SUBDISTRICT.id, {}, id="custom-pairing-1"),
]


def populated() -> MemoryStore:
    store = MemoryStore(None)
    with store.transaction() as tx:
        tx.upsert_nodes(NODES)
        tx.upsert_relationships(RELS)
    return store


def same_graph(a: GraphStore, b: GraphStore) -> None:
    assert list(a.iter_nodes()) == list(b.iter_nodes())
    assert list(a.iter_relationships()) == list(b.iter_relationships())
    assert a.counts() == b.counts()


def test_round_trip_reproduces_the_graph(tmp_path: Path) -> None:
    source, path = populated(), tmp_path / "graph.jsonl"
    seen: list[tuple[int, int]] = []
    report = export_graph(source, path, lambda done, total: seen.append((done, total)))
    assert (report.nodes, report.relationships) == (len(NODES), len(RELS))
    assert seen[-1] == (len(NODES) + len(RELS),) * 2

    target = MemoryStore(tmp_path / "fresh.sqlite")
    imported = import_graph(target, path, batch_size=2)
    assert (imported.nodes, imported.relationships) == (len(NODES), len(RELS))
    assert imported.summary.nodes_created == len(NODES)
    assert imported.summary.relationships_created == len(RELS)
    same_graph(source, target)
    target.close()
    with MemoryStore(tmp_path / "fresh.sqlite") as reopened:
        same_graph(source, reopened)


def test_importing_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "graph.jsonl"
    export_graph(populated(), path)
    target = MemoryStore(None)
    import_graph(target, path)
    again = import_graph(target, path).summary
    assert not again.changed
    assert (again.nodes_unchanged, again.relationships_unchanged) == (len(NODES), len(RELS))


def test_the_file_is_the_documented_format(tmp_path: Path) -> None:
    path = tmp_path / "graph.jsonl"
    export_graph(populated(), path)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    header, *records, end = lines
    assert header["record"] == "header" and header["format"] == FORMAT and header["version"] == 1
    assert header["ontology"]["fingerprint"] == ontology_summary()["fingerprint"]
    assert header["source_store"] == "memory"
    kinds = [r["record"] for r in records]
    assert kinds == ["node"] * len(NODES) + ["relationship"] * len(RELS)
    assert [r["id"] for r in records[: len(NODES)]] == sorted(n.id for n in NODES)
    assert end == {"record": "end", "nodes": len(NODES), "relationships": len(RELS)}
    assert "黎阳社区" in path.read_text(encoding="utf-8")  # UTF-8, not \\u escapes


def test_export_to_a_stream_and_through_the_cli(tmp_path: Path) -> None:
    store_path = tmp_path / "store.sqlite"
    with MemoryStore(store_path) as store, store.transaction() as tx:
        tx.upsert_nodes(NODES)
        tx.upsert_relationships(RELS)
    done = _cli("export", "-", "--store", str(store_path))
    assert done.returncode == 0, done.stderr
    assert "exported 4 nodes and 5 relationships" in done.stderr
    out = tmp_path / "out.jsonl"
    out.write_text(done.stdout, encoding="utf-8")
    imported = _cli("import", str(out), "--store", str(tmp_path / "copy.sqlite"))
    assert imported.returncode == 0, imported.stderr
    assert "imported 4 nodes and 5 relationships" in imported.stdout
    with MemoryStore(store_path) as a, MemoryStore(tmp_path / "copy.sqlite") as b:
        same_graph(a, b)


def test_copy_between_stores(tmp_path: Path) -> None:
    target = MemoryStore(None)
    report = copy_graph(populated(), target, batch_size=3)
    assert (report.nodes, report.relationships) == (len(NODES), len(RELS))
    same_graph(populated(), target)


def _lines(tmp_path: Path) -> list[str]:
    path = tmp_path / "good.jsonl"
    export_graph(populated(), path)
    return path.read_text(encoding="utf-8").splitlines()


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _node_line(node: Node) -> str:
    return json.dumps({"record": "node", "id": node.id, "kind": node.kind, "props": node.props})


def _break_header_version(lines: list[str]) -> list[str]:
    header = json.loads(lines[0])
    header["version"] = 99
    return [json.dumps(header), *lines[1:]]


def _replace(index: int, text: str) -> Any:
    return lambda lines: [*lines[:index], text, *lines[index + 1 :]]


BAD_FILES = [
    ("version", _break_header_version, 1, "version 99 is not supported"),
    ("not ours", _replace(0, '{"record": "header", "format": "csv"}'), 1, "not a gridgraph-jsonl"),
    ("json", _replace(3, '{"record": "node", "id": '), 4, "not valid JSON"),
    ("truncated", lambda lines: lines[:-1], 10, "ends before its end record"),
    ("counts", _replace(10, '{"record": "end", "nodes": 4, "relationships": 9}'), 11, "holds 4"),
    (
        "kind",
        _replace(2, json.dumps({"record": "node", "id": "ship:1", "kind": "Ship", "props": {}})),
        3,
        "unknown node kind 'Ship'",
    ),
    (
        "property",
        _replace(2, _node_line(Node(DEPARTMENT.id, "Department", {"colour": "red"}))),
        3,
        "no property colour",
    ),
    ("blank", _replace(4, ""), 5, "blank line"),
    ("duplicate", lambda lines: [*lines[:3], lines[2], *lines[3:]], 4, "also on line 3"),
    ("order", lambda lines: [lines[0], lines[5], *lines[1:5], *lines[6:]], 3, "after the relat"),
    ("field", _replace(6, '{"record": "relationship", "id": "x"}'), 7, "needs 'type'"),
    (
        "endpoint",
        _replace(
            6,
            json.dumps(
                {
                    "record": "relationship",
                    "id": "PART_OF:a>b",
                    "type": "PART_OF",
                    "source": SUBDISTRICT.id,
                    "target": "district:999999",
                    "props": {},
                }
            ),
        ),
        7,
        "no node district:999999 in the file or the store",
    ),
    (
        "ontology",
        _replace(
            6,
            json.dumps(
                {
                    "record": "relationship",
                    "id": "PART_OF:x",
                    "type": "PART_OF",
                    "source": DISTRICT.id,
                    "target": SUBDISTRICT.id,
                    "props": {},
                }
            ),
        ),
        7,
        "PART_OF may not join District",
    ),
    ("trailing", lambda lines: [*lines, lines[-1]], 12, "text after the end record"),
]


@pytest.mark.parametrize(
    ("case", "damage", "line", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES]
)
def test_a_bad_file_names_its_line_and_imports_nothing(
    tmp_path: Path, case: str, damage: Any, line: int, message: str
) -> None:
    path = _write(tmp_path, damage(_lines(tmp_path)))
    target = MemoryStore(None)
    with pytest.raises(ExchangeError) as caught:
        import_graph(target, path, batch_size=1)
    assert str(caught.value).startswith(f"{path}, line {line}: "), str(caught.value)
    assert message in str(caught.value)
    assert target.counts().nodes == {} and target.counts().relationships == {}


def test_a_kind_clash_with_the_target_store_imports_nothing(tmp_path: Path) -> None:
    path = tmp_path / "graph.jsonl"
    export_graph(populated(), path)
    target = MemoryStore(None)
    target.upsert_nodes([new_node("Community", division_code="410611001002")])
    lines = path.read_text(encoding="utf-8").splitlines()
    clash = _node_line(Node("community:410611001002", "Department", {}))
    # A Department may not carry a community: id, so the ontology refuses it first.
    bad = _write(tmp_path, [lines[0], clash, *lines[1:]])
    with pytest.raises(ExchangeError, match="line 2: node id 'community:410611001002'"):
        import_graph(target, bad)
    assert target.counts().nodes == {"Community": 1}


def test_endpoints_may_already_be_in_the_target_store(tmp_path: Path) -> None:
    path = tmp_path / "graph.jsonl"
    partial = MemoryStore(None)
    partial.upsert_nodes([COMMUNITY, DEPARTMENT, SUBDISTRICT])
    partial.upsert_relationships([RELS[2]])
    export_graph(partial, path)
    target = MemoryStore(None)
    target.upsert_nodes([COMMUNITY, DEPARTMENT])
    lines = path.read_text(encoding="utf-8").splitlines()
    only_rels = [lines[0], *[x for x in lines[1:] if '"relationship"' in x or '"end"' in x]]
    only_rels[-1] = json.dumps({"record": "end", "nodes": 0, "relationships": 1})
    report = import_graph(target, _write(tmp_path, only_rels))
    assert report.relationships == 1
    assert target.get_relationships([RELS[2].id]) == {RELS[2].id: RELS[2]}


def test_unreadable_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(ExchangeError, match="cannot read"):
        import_graph(MemoryStore(None), tmp_path / "missing.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ExchangeError, match="empty file"):
        import_graph(MemoryStore(None), empty)
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage\n")
    with pytest.raises(ExchangeError, match="line 1: not UTF-8"):
        import_graph(MemoryStore(None), binary)


def test_cli_import_of_a_bad_file_is_one_line(tmp_path: Path) -> None:
    path = _write(tmp_path, _break_header_version(_lines(tmp_path)))
    done = _cli("import", str(path), "--store", str(tmp_path / "s.sqlite"))
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0
    assert f"{path}, line 1: gridgraph-jsonl version 99 is not supported" in done.stderr


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
VALUES_OF_TYPE = {
    PropType.STRING: texts,
    PropType.INT: st.integers(-(2**53), 2**53),
    PropType.FLOAT: st.floats(allow_nan=False, allow_infinity=False),
    PropType.BOOL: st.booleans(),
    PropType.DATE: st.dates().map(lambda d: d.isoformat()),
    PropType.STRINGS: st.lists(texts, max_size=3),
}


def props_of(declared: dict[str, PropType]) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the declared properties, each with any value of its declared type."""
    return st.fixed_dictionaries(
        {}, optional={name: VALUES_OF_TYPE[t] for name, t in declared.items()}
    )


def _declared(owner: Any, names: list[str]) -> dict[str, PropType]:
    return {p.name: p.type for p in owner.all_props if p.name in names}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    props=props_of(
        _declared(
            ONTOLOGY.kind("Community"),
            ["name", "population", "honours", "resident_representatives", "aliases"],
        )
    ),
    rel_props=props_of(
        _declared(ONTOLOGY.relation("PART_OF"), ["valid_from", "loaded_by", "source_row"])
    ),
)
def test_any_property_values_round_trip(
    tmp_path: Path, props: dict[str, Any], rel_props: dict[str, Any]
) -> None:
    source = MemoryStore(None)
    community = Node(COMMUNITY.id, "Community", props)
    source.upsert_nodes([community, SUBDISTRICT])
    source.upsert_relationships([Relationship("PART_OF", COMMUNITY.id, SUBDISTRICT.id, rel_props)])
    path = tmp_path / "props.jsonl"
    export_graph(source, path)
    target = MemoryStore(None)
    import_graph(target, path)
    same_graph(source, target)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "GRIDGRAPH_"))}
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
