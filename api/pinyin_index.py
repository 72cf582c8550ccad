"""The pinyin index of latin search: every name and alias spelled out ("liyangshequ") and by
initials ("lysq"), so that "liyang" or "ly" find 黎阳社区, read best first without a scan.

Why this shape: a search wants one page of matches in a fixed order (a spelling equal to the
text, then one starting with it, then one holding it; within each, shorter spellings first,
then by id), yet a common text ("shequ", "l") is held by a tenth of the graph. So the
spellings are kept per kind and per length (a *bucket*), sorted, and the matches are read one
(rank, length) group at a time in that order until the page is full: in a bucket the
spellings starting with the text are a range found by bisection, those holding it further in
are found through the rarest of its trigrams (a short text: by looking through the bucket's
trigrams, or its few spellings). A directory per length says which kinds have a spelling
there starting with, or holding, each gram of up to three letters, so a search of every kind
opens only the buckets that can match, and one of a single kind never reads another's.

An index is never changed once built: :meth:`PinyinIndex.carried` brings one forward to a
later store version by the records that changed, into a new index that shares every bucket
the change did not touch (and copies each touched one first), so requests still reading the
earlier index on other threads see it whole.
"""

from __future__ import annotations

import heapq
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from sys import intern
from typing import Any, cast

from pypinyin import Style, lazy_pinyin

from graph.model import Node

_CJK = re.compile(r"[\u3400-\u9fff]")
#: Above every character a spelling holds: ``text + _TOP`` bounds the spellings starting with it.
_TOP = "\U0010ffff"

Owners = str | tuple[str, ...]
"""The nodes of one spelling in one bucket, by id: one id alone, or several in order."""
Match = tuple[int, tuple[str, str]]
"""A match: its rank (0 equal, 1 starts with, 2 holds further in) and the node (id, kind)."""


@lru_cache(maxsize=1 << 20)  # every distinct name at province scale: a rebuild reads the cache
def spellings(name: str) -> tuple[str, str]:
    """The full pinyin and the initials of ``name``, lower case, without separators."""
    full = "".join(lazy_pinyin(name, errors="default")).lower()
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower()
    return re.sub(r"\s+", "", full), re.sub(r"\s+", "", initials)


def spelled(node: Node) -> set[str]:
    """Every spelling of the node's name and aliases that hold a Chinese character."""
    out: set[str] = set()
    for name in (node.props.get("name"), *(node.props.get("aliases") or ())):
        if name and _CJK.search(str(name)):
            out.update(s for s in spellings(str(name)) if s)
    return out


def _trigrams(word: str) -> set[str]:
    return {word[i : i + 3] for i in range(len(word) - 2)}


#: The directory knows the kinds with a spelling starting with each run of up to this many
#: letters, and holding each run of up to ``HELD`` letters: a text of common syllables
#: ("jianxi") is then looked for only where all its runs of four are.
STARTS, HELD = 5, 4
#: A posting this short is checked whole at once, a bucket this small read whole for a text of
#: one or two letters (rather than in id order, stopping when enough are found).
SMALL = 256


def _grams(word: str) -> set[str]:
    """Every run of one to :data:`HELD` letters in ``word``."""
    return {word[i : i + k] for k in range(1, HELD + 1) for i in range(len(word) - k + 1)}


_MASKS: dict[int, int] = {}


def _mask(mask: int) -> int:
    """One object for each distinct mask (a directory holds hundreds of thousands of them,
    of a few hundred values)."""
    return _MASKS.setdefault(mask, mask)


def _prefixes(word: str) -> set[str]:
    return {word[:k] for k in range(1, STARTS + 1)}


def _bits(mask: int) -> Iterator[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


class _Bucket:
    """The spellings of one length that nodes of one kind have.

    ``words`` sorted, ``nums[i]`` the entry number of ``words[i]``; by entry number, the
    spelling and its owners (ids in order); ``byid`` the entries in the order of their first
    owner (then spelling), so that a group most of the bucket is in is read in id order and
    left as soon as enough are found; ``grams`` maps each trigram to the entries that hold it.
    Entry numbers stay put while the spelling is there (postings hold them), and a freed one
    is taken again by the next new spelling."""

    __slots__ = ("byid", "free", "grams", "nums", "owners", "spelled", "words")

    def __init__(self) -> None:
        self.words: list[str] = []
        self.nums = array("I")
        self.spelled: list[str | None] = []
        self.owners: list[Owners | None] = []
        self.byid = array("I")
        self.grams: dict[str, array[int]] = {}
        self.free: list[int] = []

    def copy(self) -> _Bucket:
        """A copy to change: the postings are shared until each is written (``_Writer``)."""
        other = _Bucket()
        other.words, other.nums = self.words.copy(), array("I", self.nums)
        other.spelled, other.owners = self.spelled.copy(), self.owners.copy()
        other.byid, other.grams = array("I", self.byid), dict(self.grams)
        other.free = self.free.copy()
        return other

    def order(self, e: int) -> tuple[str, str]:
        """Where entry ``e`` goes in ``byid``: its first owner, then its spelling."""
        owners = self.owners[e]
        assert owners is not None
        return (owners if isinstance(owners, str) else owners[0]), str(self.spelled[e])

    def find(self, word: str) -> int | None:
        """The position of ``word`` in ``words``, if there."""
        pos = bisect_left(self.words, word)
        return pos if pos < len(self.words) and self.words[pos] == word else None

    def starting(self, prefix: str) -> bool:
        pos = bisect_left(self.words, prefix)
        return pos < len(self.words) and self.words[pos].startswith(prefix)

    def holds(self, gram: str, length: int) -> bool:
        """Whether some spelling here holds ``gram`` (of one to :data:`HELD` letters)."""
        if len(gram) == 3:
            return gram in self.grams
        if len(gram) > 3:
            held = self.grams.get(gram[:3], ())
            return any(gram in str(self.spelled[e]) for e in held)
        if length < 3:
            return any(gram in w for w in self.words)
        return any(gram in t for t in self.grams)


class PinyinIndex:
    """Every distinct spelling of every name and alias, by kind and length; see the module.

    ``version`` is the store version the index is exactly of (None: not known, never carried).
    """

    def __init__(
        self,
        shards: dict[str, dict[int, _Bucket]],
        starts: dict[int, dict[str, int]],
        holds: dict[int, dict[str, int]],
        kinds: list[str],
        version: int | None,
    ) -> None:
        self._shards = shards  # kind -> length -> bucket
        self._starts = starts  # length -> first 1-3 letters -> kinds (bit mask) with such
        self._holds = holds  # length -> any 1-3 letters -> kinds holding them
        self._kinds = kinds  # bit number -> kind
        self._bit = {k: 1 << i for i, k in enumerate(kinds)}
        self._lengths = sorted(starts)
        self.version = version

    # -- reading --------------------------------------------------------------------------
    def matches(
        self,
        query: str,
        kinds: set[str] | None = None,
        skip: Iterable[str] = (),
        limit: int | None = None,
        tiers: Sequence[Collection[str]] | None = None,
    ) -> list[Match]:
        """Nodes with a spelling that holds ``query``, best first, each with its rank: 0 a
        spelling equal to it, 1 one starting with it, 2 one holding it further in; within a
        rank shorter spellings first, then by tier (``tiers``: kinds grouped best first; None:
        one), then by id; each node once, at its best spelling. Only nodes of ``kinds``
        (None: all) and not in ``skip``, at most ``limit``. Reads the (rank, length, tier)
        groups in that order and stops when ``limit`` are found."""
        if not query or limit == 0:
            return []
        want = (1 << len(self._kinds)) - 1
        if kinds is not None:
            want = 0
            for kind in kinds:
                want |= self._bit.get(kind, 0)
        masks = [want]
        if tiers is not None:
            masks = []
            for kinds_of_tier in tiers:
                mask = 0
                for kind in kinds_of_tier:
                    mask |= self._bit.get(kind, 0)
                if mask & want:
                    masks.append(mask & want)
        out: list[Match] = []
        seen = set(skip)
        n, key = len(query), query[:STARTS]
        grams = sorted(_trigrams(query)) if n >= 3 else [query]
        held = {query[i : i + HELD] for i in range(n - HELD + 1)} if n > HELD else [query]
        longer = self._lengths[bisect_right(self._lengths, n) :]
        groups: list[tuple[int, int, int]] = []  # rank, length, kinds
        if n in self._starts:
            groups.append((0, n, self._starts[n].get(key, 0)))
        groups += [(1, ln, self._starts[ln].get(key, 0)) for ln in longer]
        for ln in longer:
            holds, mask = self._holds[ln], want
            for gram in held:
                mask &= holds.get(gram, 0)
                if not mask:
                    break
            groups.append((2, ln, mask))
        for rank, length, mask in groups:
            for tier in masks:
                if mask & tier and self._read(rank, length, mask & tier, query, grams, out,
                                              seen, limit):  # fmt: skip
                    return out
        return out

    def _read(
        self,
        rank: int,
        length: int,
        mask: int,
        query: str,
        grams: list[str],
        out: list[Match],
        seen: set[str],
        limit: int | None,
    ) -> bool:
        """Add one group's matches to ``out`` in order; whether ``limit`` is reached."""
        need = None if limit is None else limit - len(out)
        found: list[tuple[str, str]] = []
        parts = 0
        while mask:
            low = mask & -mask
            mask ^= low
            kind = self._kinds[low.bit_length() - 1]
            ids = _group(self._shards[kind][length], rank, query, grams, length, need, seen)
            if ids:
                found += [(i, kind) for i in ids]
                parts += 1
        if parts > 1:  # more than one kind: merged by id
            found.sort()
            found = found[:need]
        for owner in found:
            seen.add(owner[0])
            out.append((rank, owner))
        return limit is not None and len(out) >= limit

    # -- bringing forward -----------------------------------------------------------------
    def carried(
        self,
        before: Mapping[str, Node | None],
        now: Mapping[str, Node],
        version: int | None,
    ) -> PinyinIndex:
        """This index brought forward to ``version``: ``before`` the changed nodes as this
        index has them (None: absent), ``now`` those still there as they are at ``version``.
        A new index; this one is left as it was."""
        writer = _Writer(self)
        for nid, was in before.items():
            node = now.get(nid)
            old = spelled(was) if was is not None else set()
            new = spelled(node) if node is not None else set()
            if was is not None and node is not None and was.kind == node.kind:
                old, new = old - new, new - old
            if was is not None:
                for word in old:
                    writer.remove(was.kind, word, nid)
            if node is not None:
                for word in new:
                    writer.add(node.kind, word, nid)
        return writer.finish(version)

    def snapshot(self) -> dict[str, Any]:
        """Everything the index holds, in plain sorted form (tests compare two indexes)."""
        buckets = {}
        for kind, shard in self._shards.items():
            for length, b in shard.items():
                assert b.words == sorted(b.words) and len(b.words) == len(b.nums)
                assert list(b.byid) == sorted(b.nums, key=b.order)
                for p in b.grams.values():
                    assert list(p) == sorted(p, key=b.order) and len(set(p)) == len(p)
                entries = {b.spelled[e]: b.owners[e] for e in b.nums}
                postings = {
                    g: sorted(str(b.spelled[e]) for e in p) for g, p in sorted(b.grams.items())
                }
                buckets[kind, length] = (entries, postings)

        def directory(masks: dict[int, dict[str, int]]) -> dict[tuple[int, str], list[str]]:
            return {
                (ln, g): sorted(self._kinds[b] for b in _bits(m))
                for ln, d in masks.items()
                for g, m in d.items()
                if m
            }

        return {
            "buckets": dict(sorted(buckets.items())),
            "starts": dict(sorted(directory(self._starts).items())),
            "holds": dict(sorted(directory(self._holds).items())),
        }


def _group(
    bucket: _Bucket,
    rank: int,
    query: str,
    grams: list[str],
    length: int,
    need: int | None,
    seen: set[str],
) -> list[str]:
    """The first ``need`` ids (None: all) not in ``seen`` of the bucket's group of ``rank``,
    in order. Holding a text of three letters or more: the rarest of its trigrams' entries,
    which are in id order, each checked for the whole text until enough are found. Starting
    with the text: the bisected range of spellings when it is small against the bucket, else
    a scan of the bucket in id order (:func:`_scan`), whichever should test fewer spellings.
    Holding a shorter text: a scan while it finds enough, else the entries of the bucket's
    trigrams that hold the text."""
    owners: list[Owners] = bucket.owners  # type: ignore[assignment]
    words: list[str] = bucket.spelled  # type: ignore[assignment]  # none None in use
    if rank == 0:
        pos = bucket.find(query)
        return [] if pos is None else _merged([owners[bucket.nums[pos]]], need, seen)
    size = len(bucket.words)
    if rank == 1:
        lo = bisect_left(bucket.words, query)
        if lo == size or not bucket.words[lo].startswith(query):
            return []
        hi = bisect_left(bucket.words, query + _TOP, lo)
        if need is None or (hi - lo) ** 2 <= 2 * need * size:
            return _smallest([owners[e] for e in bucket.nums[lo:hi]], need, seen)
        return _scan(bucket, lambda w: w.startswith(query), need, seen) or []
    if len(query) >= 3:
        postings = bucket.grams
        posting = postings[grams[0]]
        for gram in grams[1:]:
            other = postings[gram]
            if len(other) < len(posting):
                posting = other
        held: Iterable[int] = (
            e for e in posting if (w := words[e]).find(query, 1) != -1 and not w.startswith(query)
        )
        if len(posting) <= SMALL:  # checked at once: most often none is in the group
            held = list(held)
            if not held:
                return []
        return _merged((owners[e] for e in held), need, seen)

    def inside(w: str) -> bool:
        return w.find(query, 1) != -1 and not w.startswith(query)

    if need is not None and size > SMALL:
        found = _scan(bucket, inside, need, seen, budget=4 * need)
        if found is not None:
            return found
    candidates: Iterable[int] = bucket.nums
    if length >= 3 and size > SMALL:
        union: set[int] = set()
        for gram, posting in bucket.grams.items():
            if query in gram:
                union.update(posting)
        candidates = union
    return _smallest([owners[e] for e in candidates if inside(words[e])], need, seen)


def _scan(
    bucket: _Bucket,
    test: Callable[[str], bool],
    need: int | None,
    seen: set[str],
    budget: int | None = None,
) -> list[str] | None:
    """The first ``need`` ids not in ``seen`` of the entries ``test`` accepts, in order, read
    through the bucket in id order; None if ``budget`` entries were read first."""
    owners, words = bucket.owners, cast("list[str]", bucket.spelled)
    over = False

    def accepted() -> Iterator[Owners]:
        nonlocal over
        for count, e in enumerate(bucket.byid):
            if count == budget:
                over = True
                return
            if test(words[e]):
                yield cast("Owners", owners[e])

    found = _merged(accepted(), need, seen)
    return None if over else found


def _smallest(groups: list[Owners], need: int | None, seen: set[str]) -> list[str]:
    """The ids of ``groups`` not in ``seen``, in order, each once, at most ``need``."""
    if len(groups) > 1:
        groups.sort(key=_first)
    return _merged(groups, need, seen)


def _first(owners: Owners) -> str:
    return owners if isinstance(owners, str) else owners[0]


def _merged(groups: Iterable[Owners], need: int | None, seen: set[str]) -> list[str]:
    """The ids of ``groups``, which come in the order of their first ids, not in ``seen``, in
    order, each once, at most ``need``: the ids of a group of several wait in a heap until no
    group read later can hold a smaller one."""
    out: list[str] = []
    waiting: list[tuple[str, int, tuple[str, ...]]] = []  # (id, its position, its group)
    last = None
    for group in groups:
        first = group if isinstance(group, str) else group[0]
        while waiting and waiting[0][0] <= first:
            i, pos, held = waiting[0]
            if pos + 1 < len(held):
                heapq.heapreplace(waiting, (held[pos + 1], pos + 1, held))
            else:
                heapq.heappop(waiting)
            if i != last and i not in seen:
                out.append(i)
                if len(out) == need:
                    return out
            last = i
        if isinstance(group, str) and not waiting:
            if group != last and group not in seen:
                out.append(group)
                if len(out) == need:
                    return out
            last = group
        else:
            heapq.heappush(waiting, (first, 0, (group,) if isinstance(group, str) else group))
    while waiting:
        i, pos, held = waiting[0]
        if pos + 1 < len(held):
            heapq.heapreplace(waiting, (held[pos + 1], pos + 1, held))
        else:
            heapq.heappop(waiting)
        if i != last and i not in seen:
            out.append(i)
            if len(out) == need:
                return out
        last = i
    return out


class _Writer:
    """Changes made into a new index: each part of the earlier one (a kind's buckets, a
    bucket, a posting, a length's directory) is copied before its first change, the rest
    shared."""

    def __init__(self, old: PinyinIndex | None) -> None:
        self._old = old
        self.shards = dict(old._shards) if old else {}
        self.starts = dict(old._starts) if old else {}
        self.holds = dict(old._holds) if old else {}
        self.kinds = list(old._kinds) if old else []
        self._bit = dict(old._bit) if old else {}
        self._mine: dict[int, Any] = {}  # the containers this writer made or copied, by id

    def _own(self, table: dict[Any, Any], key: Any, make: Any) -> Any:
        """``table[key]`` as this writer's own (copied or made if need be)."""
        value = table.get(key)
        if value is None:
            value = table[key] = make()
        elif id(value) in self._mine:
            return value
        elif isinstance(value, array):
            value = table[key] = array(value.typecode, value)
        else:
            value = table[key] = value.copy()
        self._mine[id(value)] = value  # kept: no other object takes its id meanwhile
        return value

    def bit(self, kind: str) -> int:
        """The kind's bit in the directory's masks (a new kind gets the next)."""
        bit = self._bit.get(kind)
        if bit is None:
            bit = self._bit[kind] = 1 << len(self.kinds)
            self.kinds.append(kind)
        return bit

    def bucket(self, kind: str, length: int) -> _Bucket:
        self.bit(kind)
        shard = self._own(self.shards, kind, dict)
        bucket: _Bucket = self._own(shard, length, _Bucket)
        return bucket

    def _posting(self, bucket: _Bucket, gram: str) -> array[int]:
        posting: array[int] = self._own(bucket.grams, gram, lambda: array("I"))
        return posting

    def _place(self, bucket: _Bucket, e: int, word: str) -> None:
        """Put entry ``e`` where it goes in the bucket's id order and its trigrams' postings."""
        key, order = bucket.order(e), bucket.order
        bucket.byid.insert(bisect_left(bucket.byid, key, key=order), e)
        for gram in _trigrams(word):
            posting = self._posting(bucket, gram)
            posting.insert(bisect_left(posting, key, key=order), e)

    def _unplace(self, bucket: _Bucket, e: int, word: str) -> None:
        """Take entry ``e`` out of them (before its first owner changes); a posting left
        empty stays, for the caller."""
        key, order = bucket.order(e), bucket.order
        for held in (bucket.byid, *(self._posting(bucket, g) for g in _trigrams(word))):
            pos = bisect_left(held, key, key=order)
            assert held[pos] == e
            del held[pos]

    def _set_owners(self, bucket: _Bucket, e: int, word: str, ids: tuple[str, ...]) -> None:
        """Entry ``e`` owned by ``ids`` (in order, at least one) from now, moved if its first
        owner changes."""
        was = bucket.owners[e]
        moved = ids[0] != _first(cast("Owners", was))
        if moved:
            self._unplace(bucket, e, word)
        bucket.owners[e] = ids[0] if len(ids) == 1 else ids
        if moved:
            self._place(bucket, e, word)

    def add(self, kind: str, word: str, nid: str) -> None:
        length = len(word)
        bucket = self.bucket(kind, length)
        pos = bisect_left(bucket.words, word)
        if pos < len(bucket.words) and bucket.words[pos] == word:
            e = bucket.nums[pos]
            owners = cast("Owners", bucket.owners[e])
            ids = (owners,) if isinstance(owners, str) else owners
            if nid not in ids:
                self._set_owners(bucket, e, word, tuple(sorted((*ids, nid))))
            return
        if bucket.free:
            e = bucket.free.pop()
            bucket.spelled[e], bucket.owners[e] = word, nid
        else:
            e = len(bucket.spelled)
            bucket.spelled.append(word)
            bucket.owners.append(nid)
        bucket.words.insert(pos, word)
        bucket.nums.insert(pos, e)
        self._place(bucket, e, word)
        bit = self._bit[kind]
        starts = self._own(self.starts, length, dict)
        for p in _prefixes(word):
            starts[intern(p)] = _mask(starts.get(p, 0) | bit)
        holds = self._own(self.holds, length, dict)
        for gram in _grams(word):
            holds[intern(gram)] = _mask(holds.get(gram, 0) | bit)

    def remove(self, kind: str, word: str, nid: str) -> None:
        """Take ``nid`` off ``word`` (nothing if it is not there)."""
        length = len(word)
        shard = self.shards.get(kind)
        if shard is None or length not in shard or shard[length].find(word) is None:
            return
        bucket = self.bucket(kind, length)
        pos = bucket.find(word)
        assert pos is not None
        e = bucket.nums[pos]
        owners = cast("Owners", bucket.owners[e])
        ids = (owners,) if isinstance(owners, str) else owners
        if nid not in ids:
            return
        if len(ids) > 1:
            self._set_owners(bucket, e, word, tuple(i for i in ids if i != nid))
            return
        self._unplace(bucket, e, word)
        del bucket.words[pos]
        del bucket.nums[pos]
        bucket.spelled[e] = bucket.owners[e] = None
        bucket.free.append(e)
        gone = {g for g in _trigrams(word) if not bucket.grams[g]}
        for gram in gone:
            del bucket.grams[gram]
        bit = self._bit[kind]
        starts = self._own(self.starts, length, dict)
        for p in _prefixes(word):
            if not bucket.starting(p):
                starts[p] = _mask(starts[p] & ~bit)
        holds = self._own(self.holds, length, dict)
        # a run of up to three letters goes only with a trigram of the bucket; longer ones
        # can go with any spelling
        check = {g for t in gone for g in _grams(t)} if length >= 3 else _grams(word)
        check.update(g for g in _grams(word) if len(g) > 3)
        for gram in check:
            if not bucket.holds(gram, length):
                holds[gram] = _mask(holds[gram] & ~bit)
        if not bucket.words:
            del self.shards[kind][length]
            if not self.shards[kind]:
                del self.shards[kind]
            if not any(length in shard for shard in self.shards.values()):
                del self.starts[length], self.holds[length]

    def finish(self, version: int | None) -> PinyinIndex:
        for table in (self.starts, self.holds):
            for length, masks in list(table.items()):
                if id(masks) in self._mine and not all(masks.values()):
                    table[length] = {g: m for g, m in masks.items() if m}
        return PinyinIndex(self.shards, self.starts, self.holds, self.kinds, version)


def build_index(nodes: Iterable[Node], version: int | None = None) -> PinyinIndex:
    """The index of ``nodes``, all at store version ``version`` (None: not known)."""
    by_kind: dict[str, dict[str, list[str]]] = {}  # kind -> spelling -> ids
    for node in nodes:
        words = spelled(node)
        if words:
            of_kind = by_kind.get(node.kind)
            if of_kind is None:
                of_kind = by_kind[node.kind] = {}
            for word in words:
                ids = of_kind.get(word)
                if ids is None:
                    of_kind[word] = [node.id]
                else:
                    ids.append(node.id)
    writer = _Writer(None)
    for kind in sorted(by_kind):
        of_kind = by_kind[kind]
        by_length: dict[int, list[str]] = {}
        for word in of_kind:
            by_length.setdefault(len(word), []).append(word)
        bit = writer.bit(kind)
        shard = writer.shards[kind] = {}
        for length in sorted(by_length):
            bucket = shard[length] = _bucket_of(sorted(by_length[length]), of_kind)
            starts = writer.starts.setdefault(length, {})
            for p in {w[:k] for w in bucket.words for k in range(1, STARTS + 1)}:
                starts[intern(p)] = _mask(starts.get(p, 0) | bit)
            holds = writer.holds.setdefault(length, {})
            present = (  # runs of up to three from the trigrams, longer from the spellings
                {g for w in bucket.words for g in _grams(w)}
                if length <= 3
                else {g for t in bucket.grams for g in _grams(t)}
                | {w[i : i + HELD] for w in bucket.words for i in range(length - HELD + 1)}
            )
            for gram in present:
                holds[intern(gram)] = _mask(holds.get(gram, 0) | bit)
    return writer.finish(version)


def _bucket_of(words: list[str], owners: dict[str, list[str]]) -> _Bucket:
    """A bucket of ``words`` (sorted), each owned by ``owners[word]``."""
    bucket = _Bucket()
    bucket.words, bucket.spelled = words, cast("list[str | None]", words.copy())
    bucket.nums = array("I", range(len(words)))
    firsts = []
    for word in words:
        ids = owners[word]
        if len(ids) == 1:
            bucket.owners.append(ids[0])
            firsts.append(ids[0])
        else:
            ids = sorted(set(ids))
            bucket.owners.append(ids[0] if len(ids) == 1 else tuple(ids))
            firsts.append(ids[0])
    # by first owner, then spelling (entries are numbered in spelling order: a stable sort)
    bucket.byid = array("I", sorted(range(len(words)), key=firsts.__getitem__))
    grams = bucket.grams
    for e in bucket.byid:  # each posting in id order too
        word = words[e]
        for k in range(len(word) - 2):
            gram = word[k : k + 3]
            posting = grams.get(gram)
            if posting is None:
                grams[gram] = array("I", (e,))
            elif posting[-1] != e:  # a trigram twice in one spelling: listed once
                posting.append(e)
    return bucket
