"""Names and aliases indexed for look-up: exact names for the loaders, character n-grams for
search, both kept up to date on every write instead of scanning every node at read time.

Why n-grams: Chinese names have no word breaks, and a planner types any part of one (淇园,
黎阳, 3号楼). Every name is indexed by its pairs of adjacent characters, and by its first
pair apart, each *per length of the name*: a search wants the best few matches, and best
means the name equal to the text, then names starting with it, then names holding it further
in, shorter names first, then by id (:meth:`NameIndex.ranked`). With postings per length,
each kept in id order, those groups are read one after another, each from the front, and the
read stops when the page is full: the cost follows the page and the rarest pair, not the
size of the graph, though 社区 is in a tenth of all names. A text of two or more characters
is read from its rarest pair at each length (each id checked for the whole text); a single
character from the pairs starting or ending with it. Single characters are not indexed on
their own: that would cost as much memory again as the pairs.

>>> index = NameIndex()
>>> index.put("community:1", ["黎阳社区", "黎阳"])
>>> index.put("compound:2", ["淇园小区"])
>>> index.put("compound:3", ["区"])
>>> sorted(index.containing("社区")), index.ranked("区")
(['community:1'], ['compound:3', 'community:1', 'compound:2'])
>>> index.ranked("区", limit=1, tiers=[[("compound:", "compound;")]], skip={"compound:3"})
['compound:2']
>>> index.named("黎阳"), index.haystack("community:1")
({'community:1'}, ('黎阳社区', '黎阳'))
>>> index.drop("community:1"); index.containing("黎阳")
set()
"""

from __future__ import annotations

import heapq
import sys
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence

_EMPTY: frozenset[str] = frozenset()
#: Changes to one posting applied one by one up to this many, past it by one sort or filter.
_FEW = 16


def _grams(name: str) -> Iterator[str]:
    """The pairs of adjacent characters of ``name``."""
    for i in range(len(name) - 1):
        yield name[i : i + 2]


class _Posting:
    """The ids holding one pair, in order. A write only notes what it adds or removes (in
    constant time: a large load adds to a posting of 300,000 ids many times); the next read
    of the posting merges the notes in, with one sort or one pass when they are many."""

    __slots__ = ("_added", "_ids", "_removed")

    def __init__(self, ids: list[str] | None = None) -> None:
        self._ids: list[str] = ids if ids is not None else []
        self._added: set[str] | None = None  # not in _ids
        self._removed: set[str] | None = None  # in _ids

    def __len__(self) -> int:
        return len(self._ids) + len(self._added or ()) - len(self._removed or ())

    def add(self, nid: str) -> None:
        """Note ``nid`` (not held already)."""
        if self._removed and nid in self._removed:
            self._removed.discard(nid)
        elif self._added is None:
            self._added = {nid}
        else:
            self._added.add(nid)

    def discard(self, nid: str) -> None:
        """Note ``nid`` gone (held until now)."""
        if self._added and nid in self._added:
            self._added.discard(nid)
        elif self._removed is None:
            self._removed = {nid}
        else:
            self._removed.add(nid)

    def ids(self) -> list[str]:
        """The ids in order (do not modify)."""
        ids, removed, added = self._ids, self._removed, self._added
        if removed:
            if len(removed) <= _FEW:
                for nid in removed:
                    del ids[bisect_left(ids, nid)]
            else:
                ids = self._ids = [i for i in ids if i not in removed]
            self._removed = None
        if added:
            if len(added) <= _FEW:
                for nid in added:
                    insort(ids, nid)
            else:
                ids.extend(added)
                ids.sort()  # two sorted runs: merged, not sorted from scratch
            self._added = None
        return ids


class NameIndex:
    """Each node's names (its name, then its aliases), by exact name and by n-gram."""

    def __init__(self) -> None:
        self._names: dict[str, tuple[str, ...]] = {}
        self._exact: dict[str, set[str]] = {}
        # pair -> length of the name -> the ids with a name of that length holding the pair
        self._grams: dict[str, dict[int, _Posting]] = {}
        # first pair -> length -> the ids with a name of that length starting with the pair
        self._heads: dict[str, dict[int, _Posting]] = {}
        self._by_char: dict[str, set[str]] = {}  # each character: the pairs holding it

    def __len__(self) -> int:
        return len(self._names)

    def put(self, node_id: str, names: Iterable[object]) -> None:
        """Index ``node_id`` under ``names`` (empty ones left out), replacing what it had."""
        fresh = tuple(dict.fromkeys(sys.intern(str(n)) for n in names if n))
        old = self._names.get(node_id)
        if old == fresh:
            return
        if old:
            self._unindex(node_id, old)
        if not fresh:
            self._names.pop(node_id, None)
            return
        self._names[node_id] = fresh
        exact = self._exact
        for name in fresh:
            exact.setdefault(name, set()).add(node_id)
        grams, heads = _keys(fresh)
        for gram, length in grams:
            self._posting(self._grams, gram, length).add(node_id)
        for gram, length in heads:
            self._posting(self._heads, gram, length).add(node_id)

    def _posting(self, table: dict[str, dict[int, _Posting]], gram: str, length: int) -> _Posting:
        by_length = table.get(gram)
        if by_length is None:
            by_length = table[sys.intern(gram)] = {}
            if table is self._grams:
                for char in gram:
                    self._by_char.setdefault(char, set()).add(gram)
        posting = by_length.get(length)
        if posting is None:
            posting = by_length[length] = _Posting()
        return posting

    def build(self, entries: Iterable[tuple[str, Iterable[object]]]) -> None:
        """Index many nodes at once into an empty index: :meth:`put` without the look-ups
        of what each node had before, each posting sorted once at the end."""
        intern = sys.intern
        names_of, exact = self._names, self._exact
        lists: tuple[dict[tuple[str, int], list[str]], ...] = ({}, {})
        for node_id, names in entries:
            fresh = tuple(dict.fromkeys(intern(str(n)) for n in names if n))
            if not fresh:
                continue
            names_of[node_id] = fresh
            for name in fresh:
                posting = exact.get(name)
                if posting is None:
                    exact[name] = {node_id}
                else:
                    posting.add(node_id)
            for keys, into in zip(_keys(fresh), lists, strict=True):
                for key in keys:
                    ids = into.get(key)
                    if ids is None:
                        into[key] = [node_id]
                    else:
                        ids.append(node_id)
        for into, table in zip(lists, (self._grams, self._heads), strict=True):
            for (gram, length), ids in into.items():
                ids.sort()
                by_length = table.get(gram)
                if by_length is None:
                    by_length = table[intern(gram)] = {}
                by_length[length] = _Posting(ids)
        for gram in self._grams:
            for char in gram:
                self._by_char.setdefault(char, set()).add(gram)

    def drop(self, node_id: str) -> None:
        old = self._names.pop(node_id, None)
        if old:
            self._unindex(node_id, old)

    def _unindex(self, node_id: str, names: tuple[str, ...]) -> None:
        for name in names:
            ids = self._exact.get(name)
            if ids is not None:
                ids.discard(node_id)
                if not ids:
                    del self._exact[name]
        grams, heads = _keys(names)
        for keys, table in ((grams, self._grams), (heads, self._heads)):
            for gram, length in keys:
                by_length = table.get(gram)
                posting = by_length.get(length) if by_length is not None else None
                if by_length is None or posting is None:
                    continue
                posting.discard(node_id)
                if posting:
                    continue
                del by_length[length]
                if by_length:
                    continue
                del table[gram]
                if table is self._grams:
                    for char in set(gram):
                        pairs = self._by_char[char]
                        pairs.discard(gram)
                        if not pairs:
                            del self._by_char[char]

    def haystack(self, node_id: str) -> tuple[str, ...]:
        """The names ``node_id`` is indexed under."""
        return self._names.get(node_id, ())

    def named(self, name: str) -> set[str] | frozenset[str]:
        """The ids with ``name`` as their name or an alias (do not modify the result)."""
        return self._exact.get(name, _EMPTY)

    def containing(self, text: str) -> set[str]:
        """The ids with ``text`` inside their name or an alias."""
        return set(self.ranked(text))

    def ranked(
        self,
        text: str,
        limit: int | None = None,
        tiers: Sequence[Sequence[tuple[str, str]]] | None = None,
        skip: Collection[str] = (),
    ) -> list[str]:
        """The ids with ``text`` inside their name or an alias, best first: the name equal to
        it, an alias equal, the names starting with it, the names holding it further in; in
        each, shorter names first, then by tier, then by id. At most ``limit``, not in
        ``skip``, and only those within ``tiers``: ranges of ids (``lo <= id < hi``, in
        order, not overlapping) grouped best first (None: every id, one tier)."""
        if not text or limit == 0:
            return []
        groups = tiers if tiers is not None else [[("", "")]]
        out: list[str] = []
        seen = set(skip)
        exact = [i for i in self.named(text) if i not in seen]
        names = self._names
        for is_name in (True, False):
            held = sorted(i for i in exact if (names[i][0] == text) == is_name)
            for spans in groups:
                if _take((i for i in held if _within(i, spans)), out, seen, limit):
                    return out
        n = len(text)
        tier_of = _Tiers(groups)
        for starting in (True, False):
            for length, sources, check in self._groups(text, starting):
                if length <= n:
                    continue
                if len(groups) > 1 and sum(map(len, sources)) <= _FEW_IDS:
                    # a small group read once, its ids put in tier order (most texts: a
                    # look at each tier's ranges would cost more than the ids)
                    held = [i for i in _merged(sources, [("", "")], seen) if i in tier_of]
                    if check is not None:
                        held = [i for i in held if check(i, length)]
                    held.sort(key=tier_of.key)
                    if _take(held, out, seen, limit):
                        return out
                    continue
                for spans in groups:
                    found = _merged(sources, spans, seen)
                    if check is not None:
                        found = (i for i in found if check(i, length))
                    if _take(found, out, seen, limit):
                        return out
        return out

    def _groups(
        self, text: str, starting: bool
    ) -> Iterator[tuple[int, list[list[str]], Callable[[str, int], bool] | None]]:
        """For each length of name in turn, shortest first: the postings whose ids may hold
        ``text`` at the start (``starting``) or further in at that length, and the check each
        such id must pass (None: every id there does)."""
        table = self._heads if starting else self._grams
        if len(text) == 1:  # pairs starting with it (at a name's start) or ending with it
            pairs = [g for g in self._by_char.get(text, ()) if g[0 if starting else 1] == text]
            tables = [table[g] for g in pairs if g in table]
            for length in sorted({ln for t in tables for ln in t}):
                yield length, [t[length].ids() for t in tables if length in t], None
            return
        names = self._names

        def check(nid: str, length: int) -> bool:
            if starting:
                return any(len(h) == length and h.startswith(text) for h in names[nid])
            return any(len(h) == length and h.find(text, 1) != -1 for h in names[nid])

        if starting:
            heads = self._heads.get(text[:2], {})
            for length in sorted(heads):
                yield length, [heads[length].ids()], (check if len(text) > 2 else None)
            return
        tables = []
        for key in {text[i : i + 2] for i in range(len(text) - 1)}:
            of_pair = self._grams.get(key)
            if of_pair is None:
                return
            tables.append(of_pair)
        shortest = min(tables, key=len)
        for length in sorted(shortest):
            postings = [t[length] for t in tables if length in t]
            if len(postings) == len(tables):
                yield length, [min(postings, key=len).ids()], check


def _keys(names: Iterable[str]) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """The (pair, length) keys of ``names``: every pair of each, and the first pair of each."""
    grams = {(name[i : i + 2], len(name)) for name in names for i in range(len(name) - 1)}
    heads = {(name[:2], len(name)) for name in names if len(name) > 1}
    return grams, heads


#: A group of ids this small is read once and sorted by tier, not read once per tier.
_FEW_IDS = 64


class _Tiers:
    """Which tier of ranges an id is in, by bisection of the ranges of every tier."""

    def __init__(self, tiers: Sequence[Sequence[tuple[str, str]]]) -> None:
        spans = sorted((lo, hi, t) for t, spans in enumerate(tiers) for lo, hi in spans)
        self._los = [lo for lo, _, _ in spans]
        self._spans = spans

    def __contains__(self, nid: str) -> bool:
        return self.tier(nid) is not None

    def tier(self, nid: str) -> int | None:
        at = bisect_right(self._los, nid) - 1
        if at < 0:
            return None
        _, hi, tier = self._spans[at]
        return tier if not hi or nid < hi else None

    def key(self, nid: str) -> tuple[int, str]:
        return (self.tier(nid) or 0, nid)


def _within(nid: str, spans: Sequence[tuple[str, str]]) -> bool:
    return any((not lo or lo <= nid) and (not hi or nid < hi) for lo, hi in spans)


def _take(found: Iterable[str], out: list[str], seen: set[str], limit: int | None) -> bool:
    """``found`` (in order, none in ``seen``) added to ``out``; whether ``limit`` is reached."""
    for nid in found:
        seen.add(nid)
        out.append(nid)
        if len(out) == limit:
            return True
    return False


def _merged(
    sources: list[list[str]], spans: Sequence[tuple[str, str]], seen: set[str]
) -> Iterator[str]:
    """The ids of ``sources`` (each in order) within ``spans``, not in ``seen``, merged in
    order, each once: read lazily, so a caller that has enough stops the reading."""
    for lo, hi in spans:
        runs = []
        for ids in sources:
            start = bisect_left(ids, lo) if lo else 0
            end = bisect_left(ids, hi, start) if hi else len(ids)
            if start < end:
                runs.append(_run(ids, start, end))
        if len(runs) == 1:
            yield from (nid for nid in runs[0] if nid not in seen)
            continue
        last = None
        for nid in heapq.merge(*runs):
            if nid != last and nid not in seen:
                yield nid
            last = nid


def _run(ids: list[str], start: int, end: int) -> Iterator[str]:
    for j in range(start, end):
        yield ids[j]
