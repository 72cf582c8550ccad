"""The name index (graph/name_index.py) answers exactly what a scan of every name would."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.memory import MemoryStore
from graph.model import Node, new_node
from graph.name_index import NameIndex
from loaders.reference import seed_reference_graph
from schema import ONTOLOGY
from schema.codes import uscc_with_check

CHARS = "黎阳社区淇园小号楼3１a"
names = st.lists(st.text(alphabet=CHARS, min_size=0, max_size=6), max_size=3)


def best(names: list[str], text: str) -> tuple[int, int]:
    """How well ``names`` (the name first) match ``text``, worked out plainly: the name equal
    to it, an alias equal, then the shortest starting with it, the shortest holding it."""
    if names[0] == text:
        return (0, len(text))
    if text in names:
        return (1, len(text))
    starting = [len(n) for n in names if n.startswith(text)]
    if starting:
        return (2, min(starting))
    return (3, min(len(n) for n in names if text in n))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 8), names, st.booleans()), max_size=40),
    st.lists(st.text(alphabet=CHARS, min_size=1, max_size=4), min_size=1, max_size=10),
    st.integers(1, 6),
    st.sets(st.integers(0, 8)),
)
def test_the_index_equals_a_scan_after_any_writes(
    writes: list[tuple[int, list[str], bool]], queries: list[str], limit: int, skip: set[int]
) -> None:
    """What holds a text, exact names, and the first ids holding a text in order (a limit,
    ranges of ids, ids left out), after puts and drops read back between them (a read
    merges the writes noted since the last)."""
    index = NameIndex()
    truth: dict[str, list[str]] = {}
    for step, (key, given_names, drop) in enumerate(writes):
        nid = f"{'ab'[key % 2]}:{key}"
        if drop:
            index.drop(nid)
            truth.pop(nid, None)
        else:
            index.put(nid, given_names)
            kept = [n for n in dict.fromkeys(given_names) if n]
            if kept:
                truth[nid] = kept
            else:
                truth.pop(nid, None)
        if step % 3 == 0:  # merges what was noted for the postings of the text
            index.ranked(queries[step % len(queries)])
            for name in given_names:
                index.ranked(name[:2])
    left_out = {f"{'ab'[k % 2]}:{k}" for k in skip}
    held = {n[i : i + k] for ns in truth.values() for n in ns for k in (1, 2, 3)
            for i in range(len(n) - k + 1)}  # fmt: skip
    for text in [*queries, *sorted(held)]:
        inside = {i for i, ns in truth.items() if any(text in n for n in ns)}
        assert index.containing(text) == inside
        assert index.named(text) == {i for i, ns in truth.items() if text in ns}
        in_order = sorted(inside - left_out, key=lambda i: (best(truth[i], text), i))
        assert index.ranked(text, limit, skip=left_out) == in_order[:limit]
        only_b = [i for i in in_order if i.startswith("b:")]
        assert index.ranked(text, limit, [[("b:", "b;")]], left_out) == only_b[:limit]
        every = sorted(inside, key=lambda i: (best(truth[i], text), i))
        assert index.ranked(text, None, [[("a:", "a;"), ("b:", "b;")]]) == every
        tiered = sorted(inside, key=lambda i: (best(truth[i], text), i[0] != "b", i))
        assert index.ranked(text, None, [[("b:", "b;")], [("a:", "a;")]]) == tiered
    assert {nid: list(index.haystack(nid)) for nid in truth} == truth


def test_find_and_find_named_equal_scans_on_the_reference_graph_at_scale_2() -> None:
    store = MemoryStore()
    seed_reference_graph(store, scale=2)
    nodes = list(store.iter_nodes())
    hay = {n.id: [str(x) for x in (n.props.get("name"), *(n.props.get("aliases") or ())) if x]
           for n in nodes}  # fmt: skip
    rng = random.Random(7)
    names = [h for hs in hay.values() for h in hs]
    texts = {name[i : i + k] for name in rng.sample(names, 60) for k in (1, 2, 3)
             for i in [rng.randrange(max(1, len(name) - k + 1))] if name[i : i + k]}  # fmt: skip
    kinds = sorted({n.kind for n in nodes})
    by_id = {n.id: n for n in nodes}
    for text in sorted(texts):
        kind = rng.choice([None, *kinds])
        inside = sorted(i for i, hs in hay.items() if any(text in h for h in hs)
                        and (kind is None or by_id[i].kind == kind))  # fmt: skip
        tier = {n.id: ONTOLOGY.search_rank(n.kind) for n in nodes}
        expected = sorted(inside, key=lambda i: (best(hay[i], text), tier[i], i))
        assert [n.id for n in store.find(text, kind, limit=50)] == expected[:50], text
    for name in rng.sample(names, 40):
        got = store.find_named([name])[name]
        assert [n.id for n in got] == sorted(i for i, hs in hay.items() if name in hs), name


def test_a_first_page_is_full_though_ids_are_left_out() -> None:
    """The ids left out are not counted toward the page, whichever way the text is read."""
    index = NameIndex()
    for i in range(6):
        index.put(f"a:{i}", ["黎阳"])
    index.put("a:9", ["黎"])
    assert index.ranked("黎阳", 2, skip={"a:0", "a:1"}) == ["a:2", "a:3"]
    assert index.ranked("黎", 2, skip={"a:0", "a:9"}) == ["a:1", "a:2"]  # 黎 itself first
    assert index.ranked("黎", 7, skip={"a:0"}) == ["a:9", "a:1", "a:2", "a:3", "a:4", "a:5"]


def test_pairs_present_out_of_order_are_not_a_match() -> None:
    index = NameIndex()
    index.put("a", ["阳黎阳"])  # holds the pairs 阳黎 and 黎阳, but not the text 黎阳黎
    assert index.containing("黎阳黎") == set()
    assert index.containing("阳黎阳") == {"a"}


def test_build_indexes_as_put_does() -> None:
    entries = [("a", ["黎阳社区", "黎阳"]), ("b", ["淇园小区", ""]), ("c", []), ("d", ["黎阳"])]
    one_by_one, at_once = NameIndex(), NameIndex()
    for nid, names in entries:
        one_by_one.put(nid, names)
    at_once.build(entries)
    for text in ["黎阳", "阳社", "区", "黎", "淇园小区", "x"]:
        assert at_once.containing(text) == one_by_one.containing(text)
        assert at_once.named(text) == one_by_one.named(text)
    assert len(at_once) == len(one_by_one) == 3


def test_the_store_builds_its_index_on_first_use_and_keeps_it_after(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path / "s.sqlite")
    store.upsert_nodes([new_node("Unit", uscc=uscc_with_check("91410611MA0000001"), name="甲公司")])
    store.close()
    store = MemoryStore(tmp_path / "s.sqlite")  # reopened: the index is not built yet
    assert [n.name for n in store.find("公司")] == ["甲公司"]  # built now
    store.upsert_nodes([new_node("Unit", uscc=uscc_with_check("91410611MA0000002"), name="乙公司")])
    unit = store.find("甲公司")[0]
    store.upsert_nodes([Node(unit.id, "Unit", {"name": "丙单位"})])
    assert [n.name for n in store.find("公司")] == ["乙公司"]
    assert [n.name for n in store.find_named(["丙单位"])["丙单位"]] == ["丙单位"]
    store.close()
