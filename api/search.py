"""Search by code, name, alias, pinyin or pinyin initials, best match first, with a score.

Chinese text goes to the store's own ``find`` (substring over names and aliases). Latin text
also matches a pinyin index: each name and alias spelled out ("liyangshequ") and by initials
("lysq"), so "liyang" or "ly" find 黎阳社区 (api/pinyin_index.py, which reads only the best
matches). The index is built lazily on the first latin search, each distinct name converted
once (many buildings share one), and then brought forward by each write's changes instead of
being built again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import zhconv

from api.pinyin_index import PinyinIndex, build_index, spellings
from graph.bulk import gc_paused
from graph.changes import Changes
from graph.model import Node
from schema import ONTOLOGY

if TYPE_CHECKING:
    from api.state import ApiState
    from graph.contract import GraphStore

_LATIN = re.compile(r"^[a-z0-9 ']+$")
_CJK = re.compile(r"[\u3400-\u9fff]")


def warm_spellings(store: GraphStore) -> int:
    """Work out the pinyin of every name and alias now, so that the first latin search builds
    its index from :func:`spellings`' cache (scale 10: 0.4 s instead of 8 s); a serving process
    runs it in the background as it starts. The number of names spelled."""
    with gc_paused():  # what it keeps is long-lived: frozen after, not scanned again
        names = {
            str(name)
            for node in store.iter_nodes()
            for name in (node.props.get("name"), *node.props.get("aliases", ()))
            if name and _CJK.search(str(name))
        }
        for name in names:
            spellings(name)
    return len(names)


def index_of(store: GraphStore) -> PinyinIndex:
    """The pinyin index of the store as it is, with the version it is exactly of.

    A write landing while the nodes are read leaves the index holding them as read, of some
    version after the one asked before: it is brought forward from what it holds to the
    store's version (or left without a version, then never carried, if the store cannot tell
    what changed)."""
    version = store.version()
    nodes = list(store.iter_nodes())
    moved = version is not None and store.version() != version
    index = build_index(nodes, version)
    if not moved:
        return index
    assert version is not None
    changes = store.changes_since(version)
    if changes is not None:
        held = {n.id: n for n in nodes if n.id in changes.nodes}
        carried = _brought(index, {nid: held.get(nid) for nid in changes.nodes}, changes, store)
        if carried is not None:
            return carried
    index.version = None  # not handed out yet: nobody reads it meanwhile
    return index


def carry_index(earlier: PinyinIndex, changes: Changes, store: GraphStore) -> PinyinIndex | None:
    """``earlier`` brought forward to the store's version by what changed since the version it
    is of (None: not known; the caller builds the index again). The changes are read again
    when ``changes`` start elsewhere (the cache's version of the index can be older than the
    one it is of) or the store moves on while the changed nodes are read."""
    if earlier.version is None:
        return None
    for _ in range(3):
        if changes.since != earlier.version:
            found = store.changes_since(earlier.version)
            if found is None:
                return None
            changes = found
        carried = _brought(earlier, changes.nodes, changes, store)
        if carried is not None:
            return carried
        changes = Changes(-1, -1, {}, {})  # read them again
    return None


def _brought(
    index: PinyinIndex, held: Mapping[str, Node | None], changes: Changes, store: GraphStore
) -> PinyinIndex | None:
    """``index``, which holds the changed nodes as ``held``, brought to ``changes.until``;
    None if the store moved on meanwhile."""
    now = store.get_nodes(list(changes.nodes))
    if store.version() != changes.until:
        return None
    return index.carried(held, now, changes.until)


def pinyin_index(state: ApiState, store: GraphStore) -> PinyinIndex:
    """The index at the store's version: built once, then brought forward by each write."""
    index: PinyinIndex = state.indexes.get_or_compute(
        ("pinyin-index",),
        lambda: index_of(store),
        carry=lambda earlier, changes: carry_index(earlier, changes, store),
    )
    return index


# How close a match is: the thing itself (its code, name or alias) before things named after it.
EXACT_CODE, EXACT_NAME, EXACT_ALIAS = 1.0, 1.0, 0.95
PINYIN_EQUAL, STARTS, PINYIN_STARTS, CONTAINS, PINYIN_CONTAINS = 0.9, 0.8, 0.7, 0.6, 0.5


@dataclass(frozen=True)
class Hit:
    """One search result: the node, how well it matched (0 to 1) and on what."""

    node: Node
    score: float
    matched: str


def _text_score(node: Node, needle: str) -> tuple[float, str]:
    """The best of the node's name and aliases against ``needle`` (already simplified): the
    same order as the store's ``find`` (``NameIndex.ranked``), as a score."""
    best = (0.0, "")
    for i, name in enumerate(_names(node)):
        plain = simplified(name)
        if plain == needle:
            score = EXACT_NAME if i == 0 else EXACT_ALIAS
        elif plain.startswith(needle):
            score = STARTS + 0.1 * len(needle) / len(plain)
        elif needle in plain:
            score = CONTAINS + 0.1 * len(needle) / len(plain)
        else:
            continue
        best = max(best, (round(score, 4), name))
    return best


@lru_cache(maxsize=4096)
def simplified(text: str) -> str:
    """Traditional characters as simplified ones (黎陽社區 → 黎阳社区), by ``zhconv``."""
    return str(zhconv.convert(text, "zh-cn")) if _CJK.search(text) else text


def _by_code(store: GraphStore, text: str, kinds: list[str] | None) -> list[Node]:
    """Nodes whose one-property natural key is ``text``: division codes (410611001001), unified
    social credit codes, agreement numbers (GJ-410611-00001), department and event codes."""
    if not re.fullmatch(r"[0-9A-Za-z\-]{2,40}", text):
        return []
    ids = []
    for kind in ONTOLOGY.kinds.values():
        if (kinds and kind.name not in kinds) or len(kind.key) != 1:
            continue
        for value in {text, text.upper()}:
            ids.append(kind.node_id({kind.key[0]: value}))
    found = store.get_nodes(ids)
    return [found[i] for i in ids if i in found]


def search_hits(
    state: ApiState,
    text: str,
    kinds: list[str] | None,
    first: int,
    offset: int = 0,
    store: GraphStore | None = None,
) -> list[Hit]:
    """Matches best first, each with a score: a code, name or alias equal to the text (the
    thing itself), then (for latin text) names whose pinyin equals or starts with it, names
    starting with it, then names containing it; within each, shorter names (or spellings)
    first, then places, organisations and the rest, then by id. Traditional characters are
    read as simplified ones. ``offset`` skips the first hits (for paging). ``store`` is the
    request's (guarded by its time limit), if any.

    Each source (codes, the store's ``find``, the pinyin index) gives its matches in this
    order, so only the first ``offset + first`` of each are read: a node's place among all
    is its best place in any source, and no two sources give the same score."""
    needle = simplified(text.strip())
    if not needle or first == 0:
        return []
    want = offset + first
    store = store or state.store
    tiers = ONTOLOGY.search_tiers(kinds or None)
    ranked: dict[str, tuple[float, int, int, Hit]] = {}  # id -> (-score, source, place, hit)

    def offer(hit: Hit, source: int, place: int) -> None:
        key = (-hit.score, source, place, hit)
        held = ranked.get(hit.node.id)
        if held is None or key[:3] < held[:3]:
            ranked[hit.node.id] = key

    for place, node in enumerate(_by_code(store, needle, kinds)):
        offer(Hit(node, EXACT_CODE, node.props.get("code") or needle), 0, place)
    for place, node in enumerate(store.find(needle, kinds or None, want)):
        score, matched = _text_score(node, needle)
        if score > 0:
            offer(Hit(node, score, matched), 1, place)
    query = needle.lower().replace(" ", "").replace("'", "")
    if query and _LATIN.match(needle.lower()):
        index = pinyin_index(state, store)
        found = index.matches(query, set(kinds) if kinds else None, limit=want, tiers=tiers)
        by_id = store.get_nodes([nid for _, (nid, _) in found])
        for place, (rank, (nid, _)) in enumerate(found):
            if nid in by_id:
                score = (PINYIN_EQUAL, PINYIN_STARTS, PINYIN_CONTAINS)[rank]
                offer(Hit(by_id[nid], score, query), 2, place)
    ordered = sorted(ranked.values(), key=lambda k: k[:3])
    return [k[3] for k in ordered[offset:want]]


def search_nodes(state: ApiState, text: str, kinds: list[str] | None, first: int) -> list[Node]:
    """The nodes of :func:`search_hits`, best first."""
    return [h.node for h in search_hits(state, text, kinds, first)]


def _names(node: Node) -> list[str]:
    return [str(n) for n in (node.props.get("name"), *node.props.get("aliases", ())) if n]
