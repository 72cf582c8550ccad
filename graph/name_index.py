"""Names and aliases indexed for look-up: exact names for the loaders, character n-grams for
search, both kept up to date on every write instead of scanning every node at read time.

Why n-grams: Chinese names have no word breaks, and a planner types any part of one (淇园,
黎阳, 3号楼). Every name is indexed by its pairs of adjacent characters; the ids holding a
pair are kept in id order, because a search wants only the first few ids holding a text (a
page of 社区, which nearly every community, agreement and building name holds) and can then
read them off the front instead of collecting and sorting every match. A text of two or more
characters is read from its rarest pair, each id of a longer text checked for the whole text;
a single character from the pairs holding it (a few hundred at most, found through the
character) merged in order, with the one-character names. The cost of a look-up follows the
page and the rarest pair, not the size of the graph. Single characters are not indexed on
their own: that would cost as much memory again as the pairs.

>>> index = NameIndex()
>>> index.put("community:1", ["黎阳社区", "黎阳"])
>>> index.put("compound:2", ["淇园小区"])
>>> sorted(index.containing("社区")), sorted(index.containing("区"))
(['community:1'], ['community:1', 'compound:2'])
>>> index.first("区", limit=1), index.first("区", ranges=[("compound:", "compound;")])
(['community:1'], ['compound:2'])
>>> index.named("黎阳"), index.haystack("community:1")
({'community:1'}, ('黎阳社区', '黎阳'))
>>> index.drop("community:1"); index.containing("黎阳")
set()
"""

from __future__ import annotations

import heapq
import sys
from bisect import bisect_left, insort
from collections.abc import Collection, Iterable, Iterator, Sequence

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
        self._grams: dict[str, _Posting] = {}
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
        for gram in {g for name in fresh for g in _grams(name)}:
            self._posting(gram).add(node_id)

    def _posting(self, gram: str) -> _Posting:
        posting = self._grams.get(gram)
        if posting is None:
            posting = self._grams[sys.intern(gram)] = _Posting()
            for char in gram:
                self._by_char.setdefault(char, set()).add(gram)
        return posting

    def build(self, entries: Iterable[tuple[str, Iterable[object]]]) -> None:
        """Index many nodes at once into an empty index: :meth:`put` without the look-ups
        of what each node had before, each posting sorted once at the end."""
        intern = sys.intern
        names_of, exact = self._names, self._exact
        grams: dict[str, list[str]] = {}
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
            pairs = {name[i : i + 2] for name in fresh for i in range(len(name) - 1)}
            for gram in pairs:
                ids = grams.get(gram)
                if ids is None:
                    grams[intern(gram)] = [node_id]
                else:
                    ids.append(node_id)
        for gram, ids in grams.items():
            ids.sort()
            self._grams[gram] = _Posting(ids)
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
        for gram in {g for name in names for g in _grams(name)}:
            posting = self._grams.get(gram)
            if posting is not None:
                posting.discard(node_id)
                if not posting:
                    del self._grams[gram]
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
        return set(self.first(text))

    def first(
        self,
        text: str,
        limit: int | None = None,
        ranges: Sequence[tuple[str, str]] | None = None,
        skip: Collection[str] = (),
    ) -> list[str]:
        """The ids with ``text`` inside their name or an alias, in order, at most ``limit``,
        only those within ``ranges`` (``lo <= id < hi``, in order, not overlapping; None:
        all) and not in ``skip``."""
        if not text or limit == 0:
            return []
        spans = ranges if ranges is not None else [("", "")]
        if len(text) == 1:
            return self._first_of_char(text, limit, spans, skip)
        postings = []
        for key in {text[i : i + 2] for i in range(len(text) - 1)}:
            posting = self._grams.get(key)
            if posting is None:
                return []
            postings.append(posting)
        ids = min(postings, key=len).ids()
        names = self._names
        check = len(text) > 2  # pairs present need not be adjacent in this order
        out: list[str] = []
        for lo, hi in spans:
            start = bisect_left(ids, lo) if lo else 0
            end = bisect_left(ids, hi, start) if hi else len(ids)
            for j in range(start, end):
                nid = ids[j]
                if nid in skip or (check and not any(text in n for n in names[nid])):
                    continue
                out.append(nid)
                if len(out) == limit:
                    return out
        return out

    def _first_of_char(
        self, char: str, limit: int | None, spans: Sequence[tuple[str, str]], skip: Collection[str]
    ) -> list[str]:
        """:meth:`first` of one character: the postings of the pairs holding it and the ids
        named by it alone, merged in order (each cut to ``limit`` ids of each span first)."""
        sources = [self._grams[gram].ids() for gram in self._by_char.get(char, ())]
        sources.append(sorted(self._exact.get(char, ())))
        out: list[str] = []
        for lo, hi in spans:
            runs = []
            for ids in sources:
                start = bisect_left(ids, lo) if lo else 0
                end = bisect_left(ids, hi, start) if hi else len(ids)
                if limit is not None:
                    end = min(end, start + limit - len(out) + len(skip))
                if start < end:
                    runs.append(ids[start:end])
            last = None
            for nid in heapq.merge(*runs):
                if nid != last and nid not in skip:
                    out.append(nid)
                    if len(out) == limit:
                        return out
                last = nid
        return out
