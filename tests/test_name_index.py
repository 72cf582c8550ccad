"""The name index (graph/name_index.py) answers exactly what a scan of every name would."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.memory import MemoryStore
from graph.name_index import NameIndex
from loaders.reference import seed_reference_graph

CHARS = "黎阳社区淇园小号楼3１a"
names = st.lists(st.text(alphabet=CHARS, min_size=0, max_size=6), max_size=3)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 8), names, st.booleans()), max_size=40),
    st.lists(st.text(alphabet=CHARS, min_size=1, max_size=4), min_size=1, max_size=10),
)
def test_the_index_equals_a_scan_after_any_writes(
    writes: list[tuple[int, list[str], bool]], queries: list[str]
) -> None:
    index = NameIndex()
    truth: dict[str, list[str]] = {}
    for key, given_names, drop in writes:
        nid = f"n:{key}"
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
    for text in queries:
        inside = {i for i, ns in truth.items() if any(text in n for n in ns)}
        assert index.containing(text) == inside
        assert index.named(text) == {i for i, ns in truth.items() if text in ns}
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
        exact = [i for i in inside if text in hay[i]]
        expected = exact + [i for i in inside if i not in set(exact)]
        assert [n.id for n in store.find(text, kind, limit=50)] == expected[:50], text
    for name in rng.sample(names, 40):
        got = store.find_named([name])[name]
        assert [n.id for n in got] == sorted(i for i, hs in hay.items() if name in hs), name


def test_pairs_present_out_of_order_are_not_a_match() -> None:
    index = NameIndex()
    index.put("a", ["阳黎阳"])  # holds the pairs 阳黎 and 黎阳, but not the text 黎阳黎
    assert index.containing("黎阳黎") == set()
    assert index.containing("阳黎阳") == {"a"}
