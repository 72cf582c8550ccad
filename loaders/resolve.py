"""Resolving reference cells to existing nodes: by id, by code, or by exact name or alias.

Look-ups are batched: one ``get_nodes`` call for every id and code of a sheet, and one
``find`` per distinct name (filtered to exact matches). Nodes written by earlier rows of the same
file count as existing. A name that fits several nodes is an error, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graph.contract import GraphStore, is_named, merge_props
from graph.model import Node
from loaders.errors import InvalidCell
from schema import ONTOLOGY


def english(kind: str) -> str:
    """A kind in plain English words, never the class name: ``SocialOrganization`` is
    "social organization"."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", kind).lower()


def load_first(kinds: Iterable[str]) -> dict[str, str]:
    """``load_zh`` and ``load_en``: which sheets to load first so that a reference resolves."""
    from loaders.kinds import LOAD_KINDS

    wanted = list(kinds)
    loads = [k for k in LOAD_KINDS.values() if any(s.kind in wanted for s in k.slots)]
    if not loads:
        return {"load_zh": "", "load_en": ""}
    if len(loads) > 3:
        return {"load_zh": "，请先导入它所属的网格或组织",
                "load_en": "; load the grid or organisation it names first"}  # fmt: skip
    return {
        "load_zh": "，请先导入" + "或".join(k.zh for k in loads),
        "load_en": "; load the " + " or ".join(f"{k.name} ({k.zh})" for k in loads) + " first",
    }


def kinds_label(kinds: Iterable[str]) -> dict[str, str]:
    """``kinds_zh`` and ``kinds_en`` message parameters naming the kinds a cell may refer to,
    and ``load_zh`` / ``load_en`` saying what to load first."""
    kinds = tuple(kinds)
    names = [ONTOLOGY.kind(k) for k in kinds]
    if len(names) > 4:
        return {"kinds_zh": "组织或网格", "kinds_en": "organisation or grid", **load_first(kinds)}
    return {
        "kinds_zh": "或".join(k.zh for k in names),
        "kinds_en": " or ".join(english(k.name) for k in names),
        **load_first(kinds),
    }


def _candidate_ids(value: str, kinds: tuple[str, ...]) -> list[str]:
    if ":" in value:
        return [value]
    ids = []
    for k in kinds:
        prefix = ONTOLOGY.kind(k).id_prefix
        ids.append(f"{prefix}:{value}")
        if value.upper() != value:
            ids.append(f"{prefix}:{value.upper()}")
    return ids


class Resolver:
    """Finds the nodes reference cells name, in the store and in earlier rows of the file."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.store_nodes: dict[str, Node] = {}
        self._store_names: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        self.file_nodes: dict[str, Node] = {}
        self._file_names: dict[str, set[str]] = {}
        self._file_kinds: set[str] = set()
        # answers that only the store can give, memoised: the store does not change during a
        # check, so a reference to a kind no row of the file writes is looked up once
        self._store_only: dict[tuple[str, tuple[str, ...], bool], Node | InvalidCell] = {}

    # -- batching -----------------------------------------------------------------------------
    def prefetch(self, values: Iterable[str], kinds: tuple[str, ...], names: bool = True) -> None:
        """Look up, in as few store calls as possible, every value a sheet will ask about."""
        distinct = {v for v in values if v}
        ids = {i for v in distinct for i in _candidate_ids(v, kinds)}
        ids -= self.store_nodes.keys()
        if ids:
            self.store_nodes.update(self.store.get_nodes(ids))
        if not names:
            return
        asked: list[str] = []
        for v in distinct:
            key = (v, kinds)
            if key in self._store_names or ":" in v:
                continue
            if any(i in self.store_nodes for i in _candidate_ids(v, kinds)):
                self._store_names[key] = []
                continue
            asked.append(v)
        if not asked:
            return
        # One store call for every name the sheet uses (an index look-up per name on Neo4j).
        for v, found in self.store.find_named(sorted(asked), kinds=list(kinds)).items():
            for n in found:
                self.store_nodes.setdefault(n.id, n)
            self._store_names[(v, kinds)] = [n.id for n in found]

    def add(self, node: Node) -> None:
        """Register a node written by a row of the file, so later rows may refer to it."""
        before = self.file_nodes.get(node.id)
        if before is not None:
            node = Node(node.id, node.kind, {**before.props, **node.props})
        self.file_nodes[node.id] = node
        self._file_kinds.add(node.kind)
        props = node.props
        name = props.get("name")
        if name:
            self._file_names.setdefault(name, set()).add(node.id)
        for alias in props.get("aliases") or ():
            self._file_names.setdefault(alias, set()).add(node.id)

    def node(self, node_id: str) -> Node | None:
        """The node as the file leaves it: the store's version with the file's values on top."""
        in_file = self.file_nodes.get(node_id)
        stored = self.store_nodes.get(node_id)
        if in_file is None or stored is None:
            return in_file or stored
        return Node(node_id, in_file.kind, merge_props(stored.props, in_file.props))

    # -- resolving ----------------------------------------------------------------------------
    def resolve(self, value: str, kinds: tuple[str, ...], by_name: bool = True) -> Node:
        """The one node ``value`` names, or :class:`InvalidCell` saying why there is none."""
        if not self._file_kinds or self._file_kinds.isdisjoint(kinds):
            key = (value, kinds, by_name)
            hit = self._store_only.get(key)
            if hit is None:
                try:
                    hit = self._resolve(value, kinds, by_name)
                except InvalidCell as e:
                    hit = e
                self._store_only[key] = hit
            if isinstance(hit, InvalidCell):
                raise hit
            return hit
        return self._resolve(value, kinds, by_name)

    def _resolve(self, value: str, kinds: tuple[str, ...], by_name: bool) -> Node:
        by_code = {i for i in _candidate_ids(value, kinds) if self._kind(i) in kinds}
        if ":" in value and not by_code:
            return self._unknown(value, kinds)
        hits = by_code
        if not hits and by_name:
            hits = set(self._store_names.get((value, kinds), ()))
            hits |= {i for i in self._file_names.get(value, ()) if self._kind(i) in kinds}
        if len(hits) == 1:
            found = self.node(hits.pop())
            assert found is not None
            return found
        if len(hits) > 1:
            raise InvalidCell("ambiguous_ref", value=value, ids=", ".join(sorted(hits)))
        return self._unknown(value, kinds)

    def _kind(self, node_id: str) -> str:
        node = self.node(node_id)
        return node.kind if node else ""

    def _unknown(self, value: str, kinds: tuple[str, ...]) -> Node:
        if ":" in value:
            try:
                found = ONTOLOGY.kind_of_id(value)
            except KeyError:
                found = None
            if found is not None and found.name not in kinds and self.node(value) is not None:
                raise InvalidCell(
                    "wrong_ref_kind",
                    value=value,
                    found=english(found.name),
                    found_zh=found.zh,
                    **kinds_label(kinds),
                )
        raise InvalidCell("unknown_ref", value=value, **kinds_label(kinds))

    @staticmethod
    def named(node: Node, name: str) -> bool:
        return is_named(node, name)
