"""Search ranking: what a user typed most likely means comes first."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from api.search import search_nodes
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
    from api.search import spellings, warm_spellings

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


def _scanned(nodes: list[object], query: str) -> list[tuple[int, tuple[str, str]]]:
    """The pinyin matches by definition: every spelling of every name, tested one by one."""
    from api.search import spellings

    best: dict[str, tuple[tuple[int, int, str], tuple[str, str]]] = {}
    for node in nodes:
        assert isinstance(node, Node)
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
# the characters' syllables and initials: joined, they make queries whose every trigram is
# in some spelling without the whole query being there
_SYLLABLES = ["li", "yang", "she", "qu", "qi", "bin", "da", "yuan", "hao", "lou", "yan",
              "jie", "dong", "fang", "hong", "l", "y", "s", "q"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    names=st.lists(st.tuples(_names, st.lists(_names, max_size=2)), min_size=1, max_size=12),
    pick=st.integers(min_value=0, max_value=10_000),
    cut=st.tuples(st.integers(0, 12), st.integers(1, 9)),
    other=st.lists(st.sampled_from(_SYLLABLES), min_size=1, max_size=4).map("".join),
)
def test_pinyin_lookups_by_trigram_equal_a_scan(
    names: list[tuple[str, list[str]]], pick: int, cut: tuple[int, int], other: str
) -> None:
    """The trigram index (three letters and more) and the scan (fewer) find exactly what
    testing every spelling finds, ranked alike."""
    from api.search import build_index, spellings

    nodes = [
        Node(f"community:{i}", "Community", {"name": n, **({"aliases": a} if a else {})})
        for i, (n, a) in enumerate(names)
    ]
    index = build_index(nodes)
    spelled = spellings(names[pick % len(names)][0])[pick % 2]
    start, length = cut[0] % len(spelled), cut[1]
    for query in (spelled[start : start + length], spelled, other):
        everything = _scanned(nodes, query)
        assert index.matches(query) == everything, query
        odd = lambda owner: int(owner[0].split(":")[1]) % 2 == 1  # noqa: E731
        wanted = [m for m in everything if odd(m[1])]
        assert index.matches(query, keep=odd, limit=cut[1]) == wanted[: cut[1]], query
