"""Search by name, alias, pinyin or pinyin initials.

Chinese text goes to the store's own ``find`` (substring over names and aliases). Latin text
also matches a pinyin index: each name and alias spelled out ("liyangshequ") and by initials
("lysq"), so "liyang" or "ly" find 黎阳社区. The index is built once per store version, lazily
on the first latin search, and each distinct name is converted once (many buildings share one).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class PinyinIndex:
    """Every spelling of every name in one string, so a lookup is a C-speed ``str.find``.

    ``text`` holds one line per spelling; ``starts[i]`` is where line ``i`` begins and
    ``owners[i]`` the node (id, kind) it spells.
    """

    text: str
    starts: list[int]
    owners: list[tuple[str, str]]

    def matches(self, query: str) -> list[tuple[str, str]]:
        """Nodes with a spelling that contains ``query``, best first: a spelling equal to it,
        then one starting with it, then shorter spellings (closer matches), then by id."""
        best: dict[str, tuple[tuple[int, int, str], tuple[str, str]]] = {}
        pos = self.text.find(query)
        while pos != -1:
            line = bisect.bisect_right(self.starts, pos) - 1
            owner = self.owners[line]
            begin = self.starts[line]
            length = self.text.find("\n", begin) - begin
            rank = 0 if length == len(query) else 1 if begin == pos else 2
            key = (rank, length, owner[0])
            if owner[0] not in best or key < best[owner[0]][0]:
                best[owner[0]] = (key, owner)
            pos = self.text.find(query, pos + 1)
        return [owner for _, owner in sorted(best.values())]


def build_index(nodes: list[Node]) -> PinyinIndex:
    lines: list[str] = []
    starts: list[int] = []
    owners: list[tuple[str, str]] = []
    offset = 0
    for node in nodes:
        names = [node.props.get("name"), *node.props.get("aliases", ())]
        for name in names:
            if not name or not _CJK.search(str(name)):
                continue
            for spelled in spellings(str(name)):
                lines.append(spelled)
                starts.append(offset)
                owners.append((node.id, node.kind))
                offset += len(spelled) + 1
    return PinyinIndex("\n".join(lines) + "\n", starts, owners)


def search_nodes(state: ApiState, text: str, kinds: list[str] | None, first: int) -> list[Node]:
    """Store matches first (exact, then partial), then pinyin matches, best first."""
    needle = text.strip()
    if not needle or first == 0:
        return []
    store = state.store
    found = store.find(needle, kinds, first)
    query = needle.lower()
    if len(found) >= first or not _LATIN.match(query):
        return found[:first]
    query = query.replace(" ", "").replace("'", "")
    if not query:
        return found[:first]
    index: PinyinIndex = state.indexes.get_or_compute(
        ("pinyin-index",), lambda: build_index(list(store.iter_nodes()))
    )
    kind_set = set(kinds) if kinds else None
    seen = {n.id for n in found}
    ranked = [
        nid for nid, kind in index.matches(query)
        if nid not in seen and (kind_set is None or kind in kind_set)
    ]  # fmt: skip
    wanted = ranked[: first - len(found)]
    by_id = store.get_nodes(wanted)
    return found + [by_id[i] for i in wanted if i in by_id]
