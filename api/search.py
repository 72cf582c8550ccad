"""Search by name, alias, pinyin or pinyin initials.

Chinese text goes to the store's own ``find`` (substring over names and aliases). Latin text
also matches a pinyin index: each name and alias spelled out ("liyangshequ") and by initials
("lysq"), so "liyang" or "ly" find 黎阳社区. The index is built once per store version, lazily
on the first latin search, and each distinct name is converted once (many buildings share one).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pypinyin import Style, lazy_pinyin

from graph.model import Node

if TYPE_CHECKING:
    from api.state import ApiState

_LATIN = re.compile(r"^[a-z0-9 ']+$")
_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=65536)
def spellings(name: str) -> tuple[str, str]:
    """The full pinyin and the initials of ``name``, lower case, without separators."""
    full = "".join(lazy_pinyin(name, errors="default")).lower()
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower()
    return re.sub(r"\s+", "", full), re.sub(r"\s+", "", initials)


PinyinIndex = list[tuple[str, str, tuple[tuple[str, str], ...]]]  # (id, kind, spellings)


def build_index(nodes: list[Node]) -> PinyinIndex:
    index = []
    for node in nodes:
        names = [node.props.get("name"), *node.props.get("aliases", ())]
        spelled = tuple(spellings(str(n)) for n in names if n and _CJK.search(str(n)))
        if spelled:
            index.append((node.id, node.kind, spelled))
    return index


def search_nodes(state: ApiState, text: str, kinds: list[str] | None, first: int) -> list[Node]:
    """Store matches first (exact, then partial), then pinyin matches (exact, then partial)."""
    needle = text.strip()
    if not needle or first == 0:
        return []
    store = state.store
    found = store.find(needle, kinds, first)
    query = needle.lower()
    if len(found) >= first or not _LATIN.match(query):
        return found[:first]
    query = query.replace(" ", "").replace("'", "")
    index: PinyinIndex = state.cache.get_or_compute(
        ("pinyin-index",), lambda: build_index(list(store.iter_nodes()))
    )
    kind_set = set(kinds) if kinds else None
    seen = {n.id for n in found}
    exact, partial = [], []
    for nid, kind, spelled in index:
        if nid in seen or (kind_set is not None and kind not in kind_set):
            continue
        if any(query in (full, initials) for full, initials in spelled):
            exact.append(nid)
        elif any(query in full or query in initials for full, initials in spelled):
            partial.append(nid)
    wanted = (sorted(exact) + sorted(partial))[: first - len(found)]
    by_id = store.get_nodes(wanted)
    return found + [by_id[i] for i in wanted if i in by_id]
