"""Kept gap rows in shared blocks (graph/queries/gaps/blocks.py) against plain lists."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from graph.queries.gaps.blocks import BLOCK, Chunks, SortedBlocks


def key(row: tuple[str, int]) -> str:
    return row[0]


def rows_of(numbers: set[int], tag: int = 0) -> list[tuple[str, int]]:
    return [(f"n{i:05d}", tag) for i in sorted(numbers)]


numbers = st.sets(st.integers(0, 5 * BLOCK), max_size=4 * BLOCK)


@given(numbers, st.sets(st.integers(0, 5 * BLOCK)), st.sets(st.integers(0, 5 * BLOCK)))
def test_replacing_rows_is_dropping_their_keys_then_adding_the_new_in_key_order(
    kept: set[int], dropped: set[int], added: set[int]
) -> None:
    old = SortedBlocks.of(rows_of(kept), key)
    drop = {f"n{i:05d}" for i in dropped}
    new = rows_of(added - (kept - dropped), tag=1)  # new keys are not among the rows kept
    got = old.replaced(drop, new[::-1])
    want = sorted([r for r in rows_of(kept) if r[0] not in drop] + new, key=key)
    assert list(got) == want and len(got) == len(want)
    assert all(0 < len(b) <= 2 * BLOCK for b in got.blocks)
    assert list(old) == rows_of(kept)  # the original is left as it was
    shared = {id(b) for b in old.blocks} & {id(b) for b in got.blocks}
    if not new and not (drop & {r[0] for r in rows_of(kept)}):
        assert got is old
    elif len(old.blocks) > 3 and len(drop) + len(new) == 1:
        assert len(shared) >= len(old.blocks) - 2  # one block rebuilt (or split), no more


@given(st.lists(st.lists(st.integers(), max_size=5), max_size=8), st.data())
def test_chunks_read_as_the_list_they_join(parts: list[list[int]], data: st.DataObject) -> None:
    whole = [x for p in parts for x in p]
    chunks = Chunks([tuple(p) for p in parts])
    assert list(chunks) == whole and len(chunks) == len(whole)
    assert chunks == whole and chunks == tuple(whole) and chunks != [*whole, 0]
    start = data.draw(st.integers(-len(whole) - 2, len(whole) + 2))
    stop = data.draw(st.integers(-len(whole) - 2, len(whole) + 2))
    assert chunks[start:stop] == whole[start:stop]
    assert chunks[::2] == whole[::2]
    if whole:
        i = data.draw(st.integers(-len(whole), len(whole) - 1))
        assert chunks[i] == whole[i]
