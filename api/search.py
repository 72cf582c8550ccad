"""Search by code, name, alias, pinyin or pinyin initials, best match first, with a score.

Chinese text goes to the store's own ``find`` (substring over names and aliases). Latin text
also matches a pinyin index: each name and alias spelled out ("liyangshequ") and by initials
("lysq"), so "liyang" or "ly" find 黎阳社区. The index is built once per store version, lazily
on the first latin search, and each distinct name is converted once (many buildings share one);
a text of three letters or more is looked up by its trigrams, a shorter one by a scan.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import zhconv
from pypinyin import Style, lazy_pinyin

from graph.bulk import gc_paused
from graph.model import Node
from schema import ONTOLOGY

if TYPE_CHECKING:
    from api.state import ApiState
    from graph.contract import GraphStore

_LATIN = re.compile(r"^[a-z0-9 ']+$")
_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=1 << 20)  # every distinct name at province scale: a rebuild reads the cache
def spellings(name: str) -> tuple[str, str]:
    """The full pinyin and the initials of ``name``, lower case, without separators."""
    full = "".join(lazy_pinyin(name, errors="default")).lower()
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower()
    return re.sub(r"\s+", "", full), re.sub(r"\s+", "", initials)


#: Latin queries this long or longer are looked up by their trigrams, shorter ones by a scan.
GRAM = 3


@dataclass(frozen=True)
class PinyinIndex:
    """Every distinct spelling of every name, its owners, and its trigrams.

    ``spellings[i]`` is spelled by the nodes ``owners[i]`` (id, kind); ``grams`` maps each
    run of :data:`GRAM` letters to the spellings holding it, so a query of three letters or
    more reads only the spellings that share its rarest trigrams, not the whole index (at
    province scale a scan of every spelling was 55 ms). Shorter queries scan ``text``, the
    spellings one per line (``starts[i]`` where line ``i`` begins).
    """

    spellings: list[str]
    owners: list[list[tuple[str, str]]]
    grams: dict[str, array[int]]
    text: str
    starts: list[int]

    def matches(
        self,
        query: str,
        keep: Callable[[tuple[str, str]], bool] | None = None,
        limit: int | None = None,
    ) -> list[tuple[int, tuple[str, str]]]:
        """Nodes with a spelling that contains ``query``, best first, each with its rank:
        0 a spelling equal to it, 1 one starting with it, 2 one containing it; within a rank,
        shorter spellings (closer matches) first, then by id. Only nodes ``keep`` accepts, at
        most ``limit``: the spellings are grouped by rank and length, and the groups' owners
        read in that order until the limit is reached (a common text holds many)."""
        groups: dict[tuple[int, int], list[int]] = {}
        for i in self._holding(query):
            spelled = self.spellings[i]
            rank = 0 if spelled == query else 1 if spelled.startswith(query) else 2
            groups.setdefault((rank, len(spelled)), []).append(i)
        seen: set[str] = set()
        out: list[tuple[int, tuple[str, str]]] = []
        for rank, length in sorted(groups):
            fresh: dict[str, tuple[str, str]] = {}
            for i in groups[rank, length]:
                for owner in self.owners[i]:
                    if owner[0] not in seen and (keep is None or keep(owner)):
                        fresh[owner[0]] = owner
            seen.update(fresh)  # a node's best spelling comes first: later ones are worse
            out += [(rank, fresh[nid]) for nid in sorted(fresh)]
            if limit is not None and len(out) >= limit:
                return out[:limit]
        return out

    def _holding(self, query: str) -> list[int]:
        """The spellings that contain ``query``."""
        if len(query) < GRAM:
            found, pos = [], self.text.find(query)
            while pos != -1:
                line = bisect.bisect_right(self.starts, pos) - 1
                found.append(line)
                pos = self.text.find(query, self.text.index("\n", pos) + 1)  # the next line
            return found
        postings = sorted(
            (self.grams.get(query[i : i + GRAM], _NONE) for i in range(len(query) - GRAM + 1)),
            key=len,
        )
        if not postings[0]:
            return []
        shared = set(postings[0]).intersection(*postings[1:])
        return sorted(i for i in shared if query in self.spellings[i])


_NONE: array[int] = array("I")


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


def build_index(nodes: list[Node]) -> PinyinIndex:
    by_spelling: dict[str, list[tuple[str, str]]] = {}
    for node in nodes:
        names = [node.props.get("name"), *node.props.get("aliases", ())]
        for name in names:
            if not name or not _CJK.search(str(name)):
                continue
            for spelled in spellings(str(name)):
                by_spelling.setdefault(spelled, []).append((node.id, node.kind))
    spelled_all = list(by_spelling)
    grams: dict[str, array[int]] = {}
    for i, spelled in enumerate(spelled_all):
        for k in range(len(spelled) - GRAM + 1):
            gram = spelled[k : k + GRAM]
            posting = grams.get(gram)
            if posting is None:
                grams[gram] = array("I", (i,))
            elif posting[-1] != i:  # a trigram twice in one spelling: listed once
                posting.append(i)
    starts, offset = [], 0
    for spelled in spelled_all:
        starts.append(offset)
        offset += len(spelled) + 1
    text = "\n".join(spelled_all) + "\n"
    return PinyinIndex(spelled_all, list(by_spelling.values()), grams, text, starts)


# How close a match is: the thing itself (its code, name or alias) before things named after it.
EXACT_CODE, EXACT_NAME, EXACT_ALIAS = 1.0, 1.0, 0.95
PINYIN_EQUAL, STARTS, PINYIN_STARTS, CONTAINS, PINYIN_CONTAINS = 0.9, 0.8, 0.7, 0.6, 0.5
# Among equally close matches, places first, then organisations, then the rest (a search for
# 黎阳社区 puts the community before agreements and buildings named after it).
GRID_KINDS = ("District", "Subdistrict", "Community", "Compound", "Building")


@dataclass(frozen=True)
class Hit:
    """One search result: the node, how well it matched (0 to 1) and on what."""

    node: Node
    score: float
    matched: str


def _kind_rank(kind: str) -> int:
    if kind in GRID_KINDS:
        return GRID_KINDS.index(kind)
    kind_def = ONTOLOGY.kind(kind)
    return 10 if "Organization" in kind_def.interfaces else 20


def _text_score(node: Node, needle: str) -> tuple[float, str]:
    """The best of the node's name and aliases against ``needle`` (already simplified)."""
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
    starting with it, then names containing it; ties go to places, then organisations, then
    shorter names. Traditional characters are read as simplified ones. ``offset`` skips the
    first hits (for paging). ``store`` is the request's (guarded by its time limit), if any."""
    needle = simplified(text.strip())
    if not needle or first == 0:
        return []
    want = offset + first
    store = store or state.store
    hits: dict[str, Hit] = {}
    for node in _by_code(store, needle, kinds):
        hits[node.id] = Hit(node, EXACT_CODE, node.props.get("code") or needle)
    for node in store.find(needle, kinds, max(200, 4 * want)):
        score, matched = _text_score(node, needle)
        if node.id not in hits and score > 0:
            hits[node.id] = Hit(node, score, matched)
    query = needle.lower().replace(" ", "").replace("'", "")
    if query and _LATIN.match(needle.lower()):
        index: PinyinIndex = state.indexes.get_or_compute(
            ("pinyin-index",), lambda: build_index(list(store.iter_nodes()))
        )
        kind_set = set(kinds) if kinds else None
        ranked = [
            (rank, nid)
            for rank, (nid, _) in index.matches(
                query,
                keep=lambda o: o[0] not in hits and (kind_set is None or o[1] in kind_set),
                limit=max(200, 4 * want),
            )
        ]
        by_id = store.get_nodes([nid for _, nid in ranked])
        for rank, nid in ranked:
            if nid in by_id:
                score = (PINYIN_EQUAL, PINYIN_STARTS, PINYIN_CONTAINS)[rank]
                hits[nid] = Hit(by_id[nid], score, query)
    ordered = sorted(
        hits.values(),
        key=lambda h: (-h.score, _kind_rank(h.node.kind), len(h.node.name or ""), h.node.id),
    )
    return ordered[offset:want]


def search_nodes(state: ApiState, text: str, kinds: list[str] | None, first: int) -> list[Node]:
    """The nodes of :func:`search_hits`, best first."""
    return [h.node for h in search_hits(state, text, kinds, first)]


def _names(node: Node) -> list[str]:
    return [str(n) for n in (node.props.get("name"), *node.props.get("aliases", ())) if n]
