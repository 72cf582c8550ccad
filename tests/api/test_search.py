"""Search ranking: what a user typed most likely means comes first."""

from __future__ import annotations

from collections.abc import Set

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.pinyin_index import Match, build_index, spellings
from api.search import carry_index, index_of, pinyin_index, search_nodes
from api.state import ApiState
from graph.memory import MemoryStore
from graph.model import Node, new_node
from graph.settings import Settings

LIYANG = new_node("Community", division_code="410611001001", name="黎阳社区")
FAMILY = new_node("EventType", code="07-02", name="家庭婚姻纠纷", aliases=["family dispute"])
LIANG = new_node("Community", division_code="410611001009", name="李岩街社区", synthetic=True)


def state() -> ApiState:
    store = MemoryStore(None)
    store.upsert_nodes([LIYANG, FAMILY, LIANG])
    return ApiState(store, Settings())


def names(text: str, first: int = 10) -> list[str | None]:
    return [n.name for n in search_nodes(state(), text, None, first)]


def test_initials_outrank_a_latin_substring_of_an_alias() -> None:
    assert names("ly", first=1) == ["黎阳社区"]
    assert names("ly") == ["黎阳社区", "李岩街社区", "家庭婚姻纠纷"]


def test_equal_spelling_outranks_a_prefix() -> None:
    assert names("lysq") == ["黎阳社区"]
    assert names("li", first=2) == ["黎阳社区", "李岩街社区"]


def test_an_exact_alias_comes_first() -> None:
    assert names("family dispute") == ["家庭婚姻纠纷"]


def test_chinese_text_uses_the_store_only() -> None:
    assert names("社区") == ["黎阳社区", "李岩街社区"]


def test_warmed_spellings_leave_the_first_latin_search_nothing_to_spell() -> None:
    """A serving process spells every name in the background as it starts (api.app.serving_app):
    the first latin search then builds its index from the cache alone."""
    from api.search import warm_spellings

    spellings.cache_clear()
    served = state()
    assert (
        warm_spellings(served.store) == 3
    )  # 黎阳社区, 家庭婚姻纠纷, 李岩街社区 (aliases in latin)
    misses = spellings.cache_info().misses
    assert [n.name for n in search_nodes(served, "lysq", None, 5)] == ["黎阳社区"]
    assert spellings.cache_info().misses == misses


_SERVING = r"""
import threading
from api.app import serving_app
from api.search import spellings
from graph.memory import MemoryStore
from graph.model import new_node
from graph.settings import Settings

store = MemoryStore(None)
store.upsert_nodes([new_node("Community", division_code="410611001001", name="黎阳社区")])
serving_app(store, Settings())
for thread in threading.enumerate():  # done already, or soon: nothing searched meanwhile
    if thread.name == "warm-search":
        thread.join(timeout=60)
assert spellings.cache_info().currsize == 1, spellings.cache_info()
print("ok")
"""


def test_a_serving_app_spells_in_the_background() -> None:
    """In a fresh interpreter: a serving app freezes the collector, which must not leak here."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", _SERVING], cwd=root, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def _scanned(
    nodes: list[Node], query: str, kinds: set[str] | None = None, skip: Set[str] = frozenset()
) -> list[Match]:
    """The pinyin matches by definition: every spelling of every name, tested one by one."""
    best: dict[str, tuple[tuple[int, int, str], tuple[str, str]]] = {}
    for node in nodes:
        if (kinds is not None and node.kind not in kinds) or node.id in skip:
            continue
        for name in [node.props.get("name"), *node.props.get("aliases", ())]:
            if not name or not any("\u3400" <= c <= "\u9fff" for c in str(name)):
                continue
            for spelled in spellings(str(name)):
                if query not in spelled:
                    continue
                rank = 0 if spelled == query else 1 if spelled.startswith(query) else 2
                key = (rank, len(spelled), node.id)
                if node.id not in best or key < best[node.id][0]:
                    best[node.id] = (key, (node.id, node.kind))
    return [(key[0], owner) for key, owner in sorted(best.values())]


_CHARS = "黎阳社区淇滨大院号楼李岩街东方红"
_names = st.text(alphabet=_CHARS, min_size=1, max_size=6)
_KINDS = {"Community": "community", "Person": "person", "Department": "department"}
_node = st.tuples(st.sampled_from(sorted(_KINDS)), _names, st.lists(_names, max_size=2))
# the characters' syllables and initials: joined, they make queries whose every trigram is
# in some spelling without the whole query being there
_SYLLABLES = ["li", "yang", "she", "qu", "qi", "bin", "da", "yuan", "hao", "lou", "yan",
              "jie", "dong", "fang", "hong", "l", "y", "s", "q"]  # fmt: skip


def _nodes(drawn: list[tuple[str, str, list[str]]]) -> list[Node]:
    return [
        Node(f"{_KINDS[kind]}:{i}", kind, {"name": n, **({"aliases": a} if a else {})})
        for i, (kind, n, a) in enumerate(drawn)
    ]


@settings(max_examples=300, deadline=None)
@given(
    drawn=st.lists(_node, min_size=1, max_size=30),
    pick=st.integers(min_value=0, max_value=10_000),
    cut=st.tuples(st.integers(0, 12), st.integers(1, 9)),
    other=st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=4).map("".join),
    short=st.text(alphabet="lysqhiaou", min_size=1, max_size=2),
    kinds=st.sets(st.sampled_from(sorted(_KINDS))),
    skip=st.sets(st.integers(0, 30)),
    small=st.booleans(),
)
def test_pinyin_lookups_equal_a_scan(
    drawn: list[tuple[str, str, list[str]]],
    pick: int,
    cut: tuple[int, int],
    other: str,
    short: str,
    kinds: set[str],
    skip: set[int],
    small: bool,
) -> None:
    """The index finds exactly what testing every spelling finds, ranked alike, whichever way
    it reads a group (``small``: every bucket and posting counts as large, so groups are read
    in id order, stopping early), with kinds, nodes left out and a limit."""
    import api.pinyin_index

    nodes = _nodes(drawn)
    index = build_index(nodes)
    spelled = spellings(drawn[pick % len(drawn)][1])[pick % 2]
    start, length = cut[0] % len(spelled), cut[1]
    left_out = {nodes[i % len(nodes)].id for i in skip}
    was = api.pinyin_index.SMALL
    api.pinyin_index.SMALL = 0 if small else was
    try:
        for query in (spelled[start : start + length], spelled, other, short):
            assert index.matches(query) == _scanned(nodes, query), query
            wanted = _scanned(nodes, query, kinds or None, left_out)
            got = index.matches(query, kinds or None, left_out, limit=cut[1])
            assert got == wanted[: cut[1]], query
    finally:
        api.pinyin_index.SMALL = was


def _write(store: MemoryStore, ops: list[tuple[str, int, str]]) -> None:
    """Renames, new aliases, aliases dropped, new nodes and deletes, in one commit."""
    with store.transaction() as tx:
        for op, n, name in ops:
            kind = sorted(_KINDS)[n % len(_KINDS)]
            key = {"Community": "division_code"}.get(kind, "code")
            node = new_node(kind, **{key: str(n)}, name=name)
            old = store.get_nodes([node.id]).get(node.id)
            if op == "delete":
                tx.delete_nodes([node.id])
            elif op == "add" or old is None:
                tx.upsert_nodes([node])
            else:
                props = dict(old.props)
                if op == "rename":
                    props["name"] = name
                elif op == "alias":
                    props["aliases"] = [*props.get("aliases", ()), name]
                else:
                    props.pop("aliases", None)
                tx.upsert_nodes([Node(node.id, kind, props)])


_OPS = st.lists(
    st.tuples(st.sampled_from(["rename", "alias", "unalias", "add", "delete"]),
              st.integers(0, 14), _names),
    min_size=1, max_size=6,
)  # fmt: skip


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial=_OPS, commits=st.lists(_OPS, min_size=1, max_size=4))
def test_an_index_carried_across_writes_equals_one_built_afresh(
    initial: list[tuple[str, int, str]], commits: list[list[tuple[str, int, str]]]
) -> None:
    """After each write the index is brought forward by what changed, not built again, and
    holds exactly what one built from the store would; the one it was brought from, which
    requests on other threads may still read, is left as it was."""
    store = MemoryStore(None)
    _write(store, initial)
    served = ApiState(store, Settings())
    earlier = pinyin_index(served, store)
    for ops in commits:
        held = earlier.snapshot()
        _write(store, ops)
        index = pinyin_index(served, store)
        assert index.snapshot() == build_index(store.iter_nodes()).snapshot()
        assert index.version == store.version()
        assert earlier.snapshot() == held
        earlier = index
    assert served.indexes.carries["computed"] == 1  # the first one only


def test_an_index_is_carried_from_the_version_it_is_of() -> None:
    """The cache can keep an index under a version older than the one it was built at (a
    write landed meanwhile): it is then brought forward from its own version."""
    store = MemoryStore(None)
    store.upsert_nodes([LIYANG])
    older = store.version()
    assert older is not None
    store.upsert_nodes([LIANG])
    index = index_of(store)
    store.upsert_nodes([Node(LIYANG.id, "Community", {**LIYANG.props, "name": "淇滨社区"})])
    changes = store.changes_since(older)
    assert changes is not None
    carried = carry_index(index, changes, store)
    assert carried is not None and carried.version == store.version()
    assert carried.snapshot() == build_index(store.iter_nodes()).snapshot()
    assert [m[1][0] for m in carried.matches("qibin")] == [LIYANG.id]
