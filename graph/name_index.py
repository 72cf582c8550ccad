"""Names and aliases indexed for look-up: exact names for the loaders, character n-grams for
search, both kept up to date on every write instead of scanning every node at read time.

Why n-grams: Chinese names have no word breaks, and a planner types any part of one (淇园,
黎阳, 3号楼). Every name is indexed by its pairs of adjacent characters; a text of two or more
characters is looked up by intersecting the postings of its pairs (rarest first), a single
character by the union of the postings of the pairs that hold it (a few thousand distinct pairs
to look through, not the graph) and of the one-character names, and each candidate of a longer
text is then checked for the whole text, so the answer is exactly what a scan would give. The
cost of a look-up follows the rarest pair of the text, not the size of the graph. Single
characters are not indexed on their own: that would cost as much memory again as the pairs.

>>> index = NameIndex()
>>> index.put("community:1", ["黎阳社区", "黎阳"])
>>> index.put("compound:2", ["淇园小区"])
>>> sorted(index.containing("社区")), sorted(index.containing("区"))
(['community:1'], ['community:1', 'compound:2'])
>>> index.named("黎阳"), index.haystack("community:1")
({'community:1'}, ('黎阳社区', '黎阳'))
>>> index.drop("community:1"); index.containing("黎阳")
set()
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator

_EMPTY: frozenset[str] = frozenset()


def _grams(name: str) -> Iterator[str]:
    """The pairs of adjacent characters of ``name``."""
    for i in range(len(name) - 1):
        yield name[i : i + 2]


class NameIndex:
    """Each node's names (its name, then its aliases), by exact name and by n-gram."""

    def __init__(self) -> None:
        self._names: dict[str, tuple[str, ...]] = {}
        self._exact: dict[str, set[str]] = {}
        self._grams: dict[str, set[str]] = {}

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
        exact, grams = self._exact, self._grams
        for name in fresh:
            exact.setdefault(name, set()).add(node_id)
            for gram in _grams(name):
                posting = grams.get(gram)
                if posting is None:
                    grams[sys.intern(gram)] = {node_id}
                else:
                    posting.add(node_id)

    def build(self, entries: Iterable[tuple[str, Iterable[object]]]) -> None:
        """Index many nodes at once into an empty index: :meth:`put` without the look-ups
        of what each node had before."""
        intern = sys.intern
        names_of, exact, grams = self._names, self._exact, self._grams
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
                for i in range(len(name) - 1):
                    gram = name[i : i + 2]
                    posting = grams.get(gram)
                    if posting is None:
                        grams[intern(gram)] = {node_id}
                    else:
                        posting.add(node_id)

    def drop(self, node_id: str) -> None:
        old = self._names.pop(node_id, None)
        if old:
            self._unindex(node_id, old)

    def _unindex(self, node_id: str, names: tuple[str, ...]) -> None:
        for table, keys in (
            (self._exact, names),
            (self._grams, {g for name in names for g in _grams(name)}),
        ):
            for key in keys:
                posting = table.get(key)
                if posting is not None:
                    posting.discard(node_id)
                    if not posting:
                        del table[key]

    def haystack(self, node_id: str) -> tuple[str, ...]:
        """The names ``node_id`` is indexed under."""
        return self._names.get(node_id, ())

    def named(self, name: str) -> set[str] | frozenset[str]:
        """The ids with ``name`` as their name or an alias (do not modify the result)."""
        return self._exact.get(name, _EMPTY)

    def containing(self, text: str) -> set[str]:
        """The ids with ``text`` inside their name or an alias."""
        if not text:
            return set()
        if len(text) == 1:
            found = set(self._exact.get(text, ()))
            return found.union(*(p for gram, p in self._grams.items() if text in gram))
        keys = {text[i : i + 2] for i in range(len(text) - 1)}
        postings = []
        for key in keys:
            posting = self._grams.get(key)
            if not posting:
                return set()
            postings.append(posting)
        postings.sort(key=len)
        found = set(postings[0])
        for posting in postings[1:]:
            found &= posting
            if not found:
                return found
        if len(text) > 2:  # pairs present need not be adjacent in this order: check
            names = self._names
            found = {nid for nid in found if any(text in n for n in names[nid])}
        return found
