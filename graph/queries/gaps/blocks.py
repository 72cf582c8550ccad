"""Rows kept in small sorted blocks, so that a copy with a few rows replaced shares every block
it does not touch: a kept gap report moves to a new day at the cost of the rows that change,
not of the 400,000 it holds at province scale (each copied row is a pointer written and a
reference count touched, some 20 ns apiece, scattered in memory)."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from typing import Generic, TypeVar, overload

T = TypeVar("T")

#: Rows per block as built; a block rebuilt may hold up to twice as many before it is split.
BLOCK = 64


class Chunks(Sequence[T]):
    """An immutable sequence made of tuples laid end to end, read in place: joining kept
    groups into a report costs one pointer per block, not per row."""

    __slots__ = ("_chunks", "_starts")

    def __init__(self, chunks: Sequence[tuple[T, ...]]) -> None:
        self._chunks = tuple(c for c in chunks if c)
        self._starts = list(itertools.accumulate((len(c) for c in self._chunks), initial=0))

    def __len__(self) -> int:
        return self._starts[-1]

    def __iter__(self) -> Iterator[T]:
        return itertools.chain.from_iterable(self._chunks)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return list(self)[index]
            out: list[T] = []
            at = bisect.bisect_right(self._starts, start) - 1
            while start < stop and at < len(self._chunks):
                offset = self._starts[at]
                out += self._chunks[at][start - offset : stop - offset]
                start = self._starts[at + 1]
                at += 1
            return out
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("index out of range")
        at = bisect.bisect_right(self._starts, index) - 1
        return self._chunks[at][index - self._starts[at]]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Chunks({len(self)} items in {len(self._chunks)} chunks)"


class SortedBlocks(Generic[T]):
    """Rows sorted by ``key`` (a string, unique within the rows) in blocks of about
    :data:`BLOCK`, each with the tuple of its keys beside it (so that a look-up is two
    bisections in C, not calls of ``key``); immutable: :meth:`replaced` gives a copy sharing
    the untouched blocks."""

    __slots__ = ("_firsts", "_key", "_len", "blocks", "keys")

    def __init__(
        self,
        blocks: tuple[tuple[T, ...], ...],
        key: Callable[[T], str],
        keys: tuple[tuple[str, ...], ...] | None = None,
    ) -> None:
        self.blocks = blocks
        self.keys = keys if keys is not None else tuple(tuple(map(key, b)) for b in blocks)
        self._key = key
        self._firsts = [k[0] for k in self.keys]
        self._len = sum(len(b) for b in blocks)

    @classmethod
    def of(cls, rows: Sequence[T], key: Callable[[T], str]) -> SortedBlocks[T]:
        """Blocks of ``rows``, which are in ``key`` order already."""
        return cls(tuple(tuple(rows[i : i + BLOCK]) for i in range(0, len(rows), BLOCK)), key)

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[T]:
        return itertools.chain.from_iterable(self.blocks)

    def _block_of(self, k: str) -> int:
        return max(bisect.bisect_right(self._firsts, k) - 1, 0)

    def replaced(self, keys: AbstractSet[str], new: Sequence[T]) -> SortedBlocks[T]:
        """A copy without the rows whose key is in ``keys`` and with ``new`` added (their keys
        not among the rows kept); ``self`` when nothing changes."""
        key = self._key
        if not self.blocks:
            return SortedBlocks.of(sorted(new, key=key), key) if new else self
        touched: dict[int, list[T]] = {}
        if len(keys) * 8 > self._len:  # many: one pass over the keys held
            touched = {at: [] for at, held in enumerate(self.keys) if not keys.isdisjoint(held)}
        else:  # few: each found by bisection
            for k in keys:
                at = self._block_of(k)
                held = self.keys[at]
                i = bisect.bisect_left(held, k)
                if i < len(held) and held[i] == k:
                    touched.setdefault(at, [])
        for row in new:
            touched.setdefault(self._block_of(key(row)), []).append(row)
        if not touched:
            return self
        blocks: list[tuple[T, ...]] = []
        held_keys: list[tuple[str, ...]] = []
        for at, block in enumerate(self.blocks):
            added = touched.get(at)
            if added is None:
                blocks.append(block)
                held_keys.append(self.keys[at])
                continue
            rows = [r for r, k in zip(block, self.keys[at], strict=True) if k not in keys]
            if added:
                rows = sorted(rows + added, key=key)
            size = BLOCK if len(rows) > 2 * BLOCK else max(len(rows), 1)
            for i in range(0, len(rows), size):
                piece = tuple(rows[i : i + size])
                blocks.append(piece)
                held_keys.append(tuple(map(key, piece)))
        return SortedBlocks(tuple(blocks), key, tuple(held_keys))
