"""Every Cypher statement gridgraph can send to Neo4j, by name, with its declared parameters.

Why one registry: the statements are linted as a whole by Neo4j's own Cypher front end
(``tests/graph/neo4j/test_cypher_lint.py``), and :func:`run` is the only function in gridgraph
that hands Cypher to the driver, so a statement that is not here cannot be sent.

Labels and relationship types cannot be parameters in Neo4j 5, so statements that need them
are generated from :data:`schema.ONTOLOGY` at import time, one per kind or type (names like
``nodes.put[Community]``). Variable-length bounds cannot be parameters either: walks and
shortest paths come in a few fixed bounds and filter by the exact limit.

Data model: every node carries its kind's label and :data:`ENTITY`, and stores ``id`` plus its
properties flattened (dates as ISO strings, as in the embedded store). A relationship stores
the contract's relationship ``id`` plus its properties.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from graph.listing import (
    AllOf,
    AnyOf,
    Below,
    IdIn,
    KindIn,
    Listing,
    Not,
    Predicate,
    PropTest,
    Reach,
    Related,
    Step,
    check_listing,
)
from graph.model import Direction
from schema import ONTOLOGY, NodeKind, RelType
from schema.ontology import GRID_STEPS

ENTITY = "Entity"
"""The label every gridgraph node carries besides its kind's, with ``id`` unique."""

NAMES_INDEX = "entity_names"
"""The full-text index of every node's name and aliases (nodes.find_fulltext)."""

_NAMES_HOLDING_TEXT = (
    "WITH n, [name IN [n.name] + coalesce(n.aliases, []) "
    "WHERE name IS NOT NULL AND toString(name) <> '' | toString(name)] AS names "
    "WITH n, names, reduce(hay = '', name IN names | "
    "hay + CASE WHEN hay = '' THEN '' ELSE '\\n' END + name) AS haystack "
    "WHERE haystack CONTAINS $text"
)
"""The scan of nodes.find and nodes.find[Kind]: ``n``'s names (its name first), kept when one
holds ``$text`` (one CONTAINS over the names joined by newlines)."""

_FIND_RANK = (
    "reduce(best = [4, 0], key IN [name IN names WHERE name CONTAINS $text | "
    "[CASE WHEN name = $text AND name = names[0] THEN 0 WHEN name = $text THEN 1 "
    "WHEN name STARTS WITH $text THEN 2 ELSE 3 END, size(name)]] | "
    "CASE WHEN key[0] < best[0] OR (key[0] = best[0] AND key[1] < best[1]) "
    "THEN key ELSE best END) AS rank"
)
"""How well a node's ``names`` (its name first) match ``$text``, as NameIndex.ranked orders:
[0, length] its name equal, [1, length] an alias equal, [2, length] the shortest starting
with it, [3, length] the shortest holding it further in."""


def _search_rank(var: str) -> str:
    """A node's ONTOLOGY.search_rank as a Cypher expression, from its label."""
    cases = " ".join(
        f"WHEN {var}:{kind} THEN {ONTOLOGY.search_rank(kind)}"
        for kind in sorted(ONTOLOGY.kinds, key=ONTOLOGY.search_rank)
        if ONTOLOGY.search_rank(kind) != 20
    )
    return f"CASE {cases} ELSE 20 END"


META = "GridgraphMeta"
"""The label of the one bookkeeping node (``key: 'data'``) outside the graph's data: its
``version`` counts committed units of work (Community Neo4j has no commit counter readers can
see), and every unit of work locks it first, so writers never merge over stale reads."""
META_KEYS = ("key", "version")

Access = Literal["read", "write", "schema"]

WALK_BOUNDS: tuple[int, ...] = (2, 8, 32)
"""Upper bounds of the variable-length walk statements: a walk uses the smallest that fits,
and a deeper one continues from where the largest stopped."""

SHORTEST_BOUNDS: tuple[int, ...] = (2, 4, 6, 8, 16, 32, 128)
"""Upper bounds of the shortest-path statements; a search never goes beyond the last one
(Neo4j warns that an unbounded shortest path may run for a long time)."""

DIRECTIONS = ("out", "in", "both")


class UnregisteredStatement(LookupError):
    """Code tried to send a statement that is not in the registry."""


class StatementParameterError(TypeError):
    """A statement was sent with parameters other than the ones it declares."""


@dataclass(frozen=True)
class Statement:
    """One Cypher statement: its registry name, text, and declared parameters.

    ``params`` maps each parameter to an example value: the linter declares them to Neo4j's
    front end (an undeclared ``$name`` is an error there), and :func:`run` refuses any other
    set of parameters at run time.
    """

    name: str
    text: str
    params: Mapping[str, Any]
    access: Access
    doc: str = ""


class StatementRegistry(Mapping[str, Statement]):
    """The named statements; adding a name twice is a bug and raises."""

    def __init__(self) -> None:
        self._items: dict[str, Statement] = {}

    def add(
        self, name: str, text: str, params: Mapping[str, Any], access: Access, doc: str = ""
    ) -> Statement:
        if name in self._items:
            raise ValueError(f"statement {name!r} registered twice")
        statement = Statement(name, _tidy(text), dict(params), access, doc)
        self._items[name] = statement
        return statement

    def __getitem__(self, name: str) -> Statement:
        try:
            return self._items[name]
        except KeyError:
            raise UnregisteredStatement(f"no Cypher statement named {name!r}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


GENERATED_MARK = "#"
"""Names of generated statements carry it: ``listing[Community]#3f2a…`` (kind, then a hash
of the text)."""


class GeneratedStatements:
    """Statements built per request from a listing request (:mod:`graph.listing`) by the
    generator at the end of this module.

    Why a second registry: AND/OR/NOT and relationship filters nest as deep as a request
    asks, so their Cypher cannot be written out in advance. Each text is produced only from
    the ontology's names (checked by :func:`graph.listing.check_listing`) with every value a
    parameter, is kept here under a name derived from its text, and goes to the driver through
    :func:`run` like any other; ``tests/graph/neo4j/test_cypher_lint.py`` lints every shape the
    generator makes. Bounded, the oldest forgotten first: the same question asked again reuses
    its entry.
    """

    def __init__(self, capacity: int = 2048) -> None:
        self._items: OrderedDict[str, Statement] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def add(self, base: str, text: str, params: Mapping[str, Any], doc: str = "") -> Statement:
        tidy = _tidy(text)
        digest = hashlib.sha1(tidy.encode(), usedforsecurity=False).hexdigest()[:16]
        name = f"{base}{GENERATED_MARK}{digest}"
        with self._lock:
            known = self._items.get(name)
            if known is not None and known.text == tidy:
                self._items.move_to_end(name)
                return Statement(name, tidy, dict(params), "read", doc)
            statement = Statement(name, tidy, dict(params), "read", doc)
            self._items[name] = statement
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
            return statement

    def get(self, name: str) -> Statement | None:
        with self._lock:
            return self._items.get(name)

    def produced(self, statement: Statement) -> bool:
        """Whether the generator wrote ``statement``: its name is its text's digest."""
        base, mark, digest = statement.name.partition(GENERATED_MARK)
        expected = hashlib.sha1(statement.text.encode(), usedforsecurity=False).hexdigest()[:16]
        return bool(base and mark) and digest == expected and statement.access == "read"

    def __len__(self) -> int:
        return len(self._items)


GENERATED = GeneratedStatements()
"""The generated statements, by name; :func:`run` sends these too (read access only)."""


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines()]
    return "\n".join(line for line in lines if line)


def run(tx: Any, name: str | Statement, **params: Any) -> list[Any]:
    """Send the registered statement ``name`` in transaction ``tx``; the records, consumed.

    The only place gridgraph passes Cypher text to the driver. Refuses unknown names and any
    parameter set other than the declared one, before anything reaches the server. A
    generated statement may be given itself (so a full :data:`GENERATED` cannot lose it
    between writing and sending); it must be the generator's, read only.
    """
    if isinstance(name, Statement):
        if not GENERATED.produced(name):
            raise UnregisteredStatement(f"statement {name.name!r} is not the generator's")
        statement = name
        name = statement.name
    else:
        found = GENERATED.get(name) if GENERATED_MARK in name else None
        statement = found if found is not None else STATEMENTS[name]
    if set(params) != set(statement.params):
        missing = sorted(set(statement.params) - set(params))
        extra = sorted(set(params) - set(statement.params))
        raise StatementParameterError(
            f"statement {name!r}: missing parameters {missing}, undeclared parameters {extra}"
        )
    return list(tx.run(statement.text, params))


# -- reusable fragments ---------------------------------------------------------------------


def node_fields(var: str, prefix: str = "") -> str:
    """Columns that decode into a :class:`graph.model.Node` (see ``decode_node``)."""
    return (
        f"{var}.id AS {prefix}id, "
        f"[label IN labels({var}) WHERE label <> '{ENTITY}'][0] AS {prefix}kind, "
        f"properties({var}) AS {prefix}props"
    )


def rel_fields(var: str, prefix: str = "rel_") -> str:
    """Columns that decode into a :class:`graph.model.Relationship` (see ``decode_rel``)."""
    return (
        f"{var}.id AS {prefix}id, type({var}) AS {prefix}type, "
        f"startNode({var}).id AS {prefix}source, endNode({var}).id AS {prefix}target, "
        f"properties({var}) AS {prefix}props"
    )


def in_force(var: str) -> str:
    """``holds_on`` in Cypher: in force on ``$as_of`` (an ISO date string), or always if null."""
    return (
        f"($as_of IS NULL OR (({var}.valid_from IS NULL OR {var}.valid_from <= $as_of) "
        f"AND ({var}.valid_to IS NULL OR $as_of <= {var}.valid_to)))"
    )


WHERE_MATCHES = (
    "all(key IN keys($where) WHERE n[key] = $where[key] "
    "OR (n[key] IS NULL AND $where[key] IS NULL))"
)
"""``where`` equality as the embedded store has it: a null value matches a missing property."""


def _pattern(direction: str, inner: str) -> str:
    left = "<-" if direction == "in" else "-"
    right = "->" if direction == "out" else "-"
    return f"{left}[{inner}]{right}"


# -- example parameter values (what the linter is told each parameter holds) ---------------

_ID = "community:410611001001"
_IDS = [_ID]
_NODE_ROW = {"id": _ID, "props": {"id": _ID, "name": "黎阳社区"}}
_REL_ID = "PART_OF:community:410611001001>subdistrict:410611001"
_REL_ROW = {
    "id": _REL_ID,
    "source": _ID,
    "target": "subdistrict:410611001",
    "props": {"id": _REL_ID},
}
_AS_OF = "2024-01-01"


def statement_name(base: str, qualifier: str) -> str:
    return f"{base}[{qualifier}]"


def _kind_statements(reg: StatementRegistry, kind: NodeKind) -> None:
    label = kind.name
    reg.add(
        statement_name("nodes.put", label),
        f"""
        UNWIND $rows AS row
        MERGE (n:{ENTITY} {{id: row.id}})
        SET n:{label}
        SET n = row.props
        """,
        {"rows": [_NODE_ROW]},
        "write",
        "Create or overwrite nodes of one kind; row.props is the full final property map.",
    )
    reg.add(
        statement_name("nodes.page", label),
        f"""
        MATCH (n:{label})
        WHERE n.id > $after AND {WHERE_MATCHES}
        RETURN {node_fields("n")}
        ORDER BY id
        LIMIT $limit
        """,
        {"after": "", "where": {"name": "黎阳社区"}, "limit": 100},
        "read",
        "Keyset page of one kind, by id, filtered by property equality.",
    )
    for prop in (p.name for p in kind.all_props if p.ordered):
        reg.add(
            statement_name("nodes.in_range", f"{label}.{prop}"),
            f"""
            MATCH (n:{label})
            WHERE n.{prop} >= $low AND n.{prop} <= $high
            AND ($after_value IS NULL OR n.{prop} > $after_value
            OR (n.{prop} = $after_value AND n.id > $after_id))
            RETURN {node_fields("n")}
            ORDER BY n.{prop}, id
            LIMIT $limit
            """,
            {
                "low": "2024-01-01",
                "high": "2024-12-31",
                "after_value": None,
                "after_id": "",
                "limit": 100,
            },
            "read",
            f"A page of {label} nodes by {prop} within a range (its range index), keyset after "
            "(value, id).",
        )
    reg.add(
        statement_name("nodes.find", label),
        f"""
        MATCH (n:{label})
        {_NAMES_HOLDING_TEXT}
        WITH n, {_FIND_RANK}
        RETURN {node_fields("n")}, rank[0] AS found_as, rank[1] AS found_length
        ORDER BY found_as, found_length, id
        LIMIT $limit
        """,
        {"text": "黎阳", "limit": 20},
        "read",
        "nodes.find within one kind: a scan of its label only (the store merges the kinds "
        "asked by match, length, tier and id).",
    )
    reg.add(
        statement_name("nodes.count", label),
        f"""
        MATCH (n:{label})
        WHERE {WHERE_MATCHES}
        RETURN count(n) AS total
        """,
        {"where": {"name": "黎阳社区"}},
        "read",
        "How many nodes of one kind match property equality.",
    )


def _type_statements(reg: StatementRegistry, rel: RelType) -> None:
    t = rel.name
    reg.add(
        statement_name("rels.get", t),
        f"""
        UNWIND $ids AS rel_id
        MATCH ()-[r:{t} {{id: rel_id}}]->()
        RETURN {rel_fields("r")}
        """,
        {"ids": [_REL_ID]},
        "read",
        "Relationships of one type by id (an index seek).",
    )
    reg.add(
        statement_name("rels.delete", t),
        f"""
        UNWIND $ids AS rel_id
        MATCH ()-[r:{t} {{id: rel_id}}]->()
        DELETE r
        """,
        {"ids": [_REL_ID]},
        "write",
    )
    reg.add(
        statement_name("rels.put", t),
        f"""
        UNWIND $rows AS row
        MATCH (a:{ENTITY}) WHERE a.id = row.source
        MATCH (b:{ENTITY}) WHERE b.id = row.target
        MERGE (a)-[r:{t} {{id: row.id}}]->(b)
        SET r = row.props
        """,
        {"rows": [_REL_ROW]},
        "write",
        "Create or overwrite relationships of one type; row.props is the full property map.",
    )
    reg.add(
        statement_name("rels.page", t),
        f"""
        MATCH ()-[r:{t}]->()
        WHERE r.id > $after
        RETURN {rel_fields("r")}
        ORDER BY rel_id
        LIMIT $limit
        """,
        {"after": "", "limit": 100},
        "read",
        "Keyset page of one relationship type, by id.",
    )
    for direction in DIRECTIONS:
        for bound in WALK_BOUNDS:
            steps = f":{t}*1..{bound}"
            reg.add(
                walk_statement_name(t, direction, bound),
                f"""
                UNWIND $ids AS start_id
                MATCH p = (:{ENTITY} {{id: start_id}}){_pattern(direction, steps)}(:{ENTITY})
                WHERE length(p) <= $max_depth
                AND all(step IN relationships(p) WHERE {in_force("step")})
                UNWIND relationships(p) AS r
                WITH DISTINCT start_id, r
                RETURN start_id, r.id AS rel_id, startNode(r).id AS source, endNode(r).id AS target
                """,
                {"ids": _IDS, "max_depth": 8, "as_of": _AS_OF},
                "read",
                "The links of every walk of at most $max_depth steps: the reachable subgraph, "
                "over which the store runs the breadth-first order.",
            )


def walk_statement_name(rel_type: str, direction: str, bound: int) -> str:
    return f"walk[{rel_type},{direction},{bound}]"


def shortest_statement_name(bound: int) -> str:
    return f"shortest_path[{bound}]"


def _schema_statements(reg: StatementRegistry) -> None:
    reg.add(
        "schema.constraint[GridgraphMeta]",
        f"CREATE CONSTRAINT gridgraph_meta_key IF NOT EXISTS "
        f"FOR (m:{META}) REQUIRE m.key IS UNIQUE",
        {},
        "schema",
        "One bookkeeping node, even when two writers create it at once.",
    )
    reg.add(
        "schema.constraint[Entity]",
        f"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:{ENTITY}) REQUIRE n.id IS UNIQUE",
        {},
        "schema",
        "Node ids are unique across kinds.",
    )
    for kind in ONTOLOGY.kinds.values():
        prefix = kind.id_prefix
        reg.add(
            statement_name("schema.constraint", kind.name),
            f"CREATE CONSTRAINT {prefix}_id IF NOT EXISTS "
            f"FOR (n:{kind.name}) REQUIRE n.id IS UNIQUE",
            {},
            "schema",
        )
        seen: set[tuple[str, ...]] = {("id",)}
        indexes: list[tuple[str, tuple[str, ...]]] = [(f"{prefix}_natural_key", kind.key)]
        indexes += [
            (f"{prefix}_{p.name}", (p.name,)) for p in kind.all_props if p.indexed or p.ordered
        ]
        for index_name, keys in indexes:
            if keys in seen:
                continue
            seen.add(keys)
            on = ", ".join(f"n.{k}" for k in keys)
            reg.add(
                f"schema.index[{kind.name}.{'+'.join(keys)}]",
                f"CREATE INDEX {index_name} IF NOT EXISTS FOR (n:{kind.name}) ON ({on})",
                {},
                "schema",
            )
    for rel in ONTOLOGY.relations.values():
        reg.add(
            statement_name("schema.index", f"{rel.name}.id"),
            f"CREATE INDEX {rel.name.lower()}_id IF NOT EXISTS FOR ()-[r:{rel.name}]-() ON (r.id)",
            {},
            "schema",
        )
    reg.add(
        "schema.fulltext[names]",
        f"CREATE FULLTEXT INDEX {NAMES_INDEX} IF NOT EXISTS FOR (n:{ENTITY}) "
        "ON EACH [n.name, n.aliases] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
        {},
        "schema",
        "Names and aliases by pairs of Chinese characters (Lucene's CJK analyzer): the index "
        "behind nodes.find_fulltext.",
    )
    reg.add(
        "schema.await",
        "CALL db.awaitIndexes($timeout_seconds)",
        {"timeout_seconds": 300},
        "schema",
        "Wait until every index is online, so the first queries use them.",
    )


def _generic_statements(reg: StatementRegistry) -> None:
    reg.add(
        "nodes.get",
        f"""
        UNWIND $ids AS node_id
        MATCH (n:{ENTITY} {{id: node_id}})
        RETURN {node_fields("n")}
        """,
        {"ids": _IDS},
        "read",
    )
    reg.add(
        "nodes.delete",
        f"""
        UNWIND $ids AS node_id
        MATCH (n:{ENTITY} {{id: node_id}})
        DETACH DELETE n
        """,
        {"ids": _IDS},
        "write",
    )
    reg.add(
        "nodes.page",
        f"""
        MATCH (n:{ENTITY})
        WHERE n.id > $after
        RETURN {node_fields("n")}
        ORDER BY id
        LIMIT $limit
        """,
        {"after": "", "limit": 100},
        "read",
        "Keyset page over every node, by id (served by the entity_id constraint's index).",
    )
    for label in ONTOLOGY.kinds:
        reg.add(
            statement_name("nodes.named", label),
            f"""
            UNWIND $names AS asked
            MATCH (n:{label} {{name: asked}})
            RETURN asked, {node_fields("n")}
            UNION
            MATCH (n:{label})
            WHERE n.aliases IS NOT NULL AND any(alias IN n.aliases WHERE alias IN $names)
            UNWIND [alias IN n.aliases WHERE alias IN $names] AS asked
            RETURN asked, {node_fields("n")}
            """,
            {"names": ["黎阳社区"]},
            "read",
            "Nodes of one kind named exactly (name: the kind's name index) or aliased so "
            "(aliases: a scan of the kind's label, as lists have no index).",
        )
    reg.add(
        "nodes.find",
        f"""
        MATCH (n:{ENTITY})
        {_NAMES_HOLDING_TEXT}
        WITH n, {_FIND_RANK}, {_search_rank("n")} AS tier
        RETURN {node_fields("n")}
        ORDER BY rank[0], rank[1], tier, id
        LIMIT $limit
        """,
        {"text": "黎阳", "limit": 20},
        "read",
        "Name or alias contains the text, best first: the name equal to it, an alias equal, "
        "names starting with it, then holding it further in; shorter names first, then "
        "places, organisations and the rest (ONTOLOGY.search_rank), then by id. Every node: "
        "with kinds asked, nodes.find[Kind] scans their labels instead.",
    )
    reg.add(
        "nodes.find_fulltext",
        f"""
        CALL db.index.fulltext.queryNodes('{NAMES_INDEX}', $phrase) YIELD node AS n
        WHERE $kinds IS NULL OR any(label IN labels(n) WHERE label IN $kinds)
        WITH n, [name IN [n.name] + coalesce(n.aliases, [])
        WHERE name IS NOT NULL AND toString(name) <> '' | toString(name)] AS names
        WHERE any(name IN names WHERE name CONTAINS $text)
        WITH n, {_FIND_RANK}, {_search_rank("n")} AS tier
        RETURN {node_fields("n")}
        ORDER BY rank[0], rank[1], tier, id
        LIMIT $limit
        """,
        {"phrase": '"黎阳"', "kinds": ["Community"], "text": "黎阳", "limit": 20},
        "read",
        "nodes.find for a text of Chinese characters only: the candidates from the names "
        "index (a phrase of its character pairs), then the same check and order as nodes.find.",
    )
    reg.add(
        "rels.get_any",
        "\nUNION ALL\n".join(
            f"UNWIND $ids AS rel_id MATCH ()-[r:{t} {{id: rel_id}}]->() RETURN {rel_fields('r')}"
            for t in ONTOLOGY.relations
        ),
        {"ids": [_REL_ID]},
        "read",
        "Relationships by id under every type: for ids whose prefix does not name their type "
        "(one index seek per type, never a scan).",
    )
    reg.add(
        "rels.touching",
        f"""
        UNWIND $ids AS node_id
        MATCH (:{ENTITY} {{id: node_id}})-[r]-(:{ENTITY})
        RETURN DISTINCT node_id, {rel_fields("r")}
        """,
        {"ids": _IDS},
        "read",
        "The relationships at nodes about to be deleted, so a delete can be counted.",
    )
    for direction in ("out", "in"):
        reg.add(
            f"neighbours.{direction}",
            f"""
            UNWIND $ids AS start_id
            MATCH (:{ENTITY} {{id: start_id}}){_pattern(direction, "r")}(m:{ENTITY})
            WHERE ($types IS NULL OR type(r) IN $types)
            AND {in_force("r")}
            AND ($kinds IS NULL OR any(label IN labels(m) WHERE label IN $kinds))
            RETURN start_id, {rel_fields("r")}, {node_fields("m", "node_")}
            """,
            {"ids": _IDS, "types": ["PART_OF"], "as_of": _AS_OF, "kinds": ["Community"]},
            "read",
        )
    for bound in SHORTEST_BOUNDS:
        reg.add(
            shortest_statement_name(bound),
            f"""
            MATCH (a:{ENTITY} {{id: $source}})
            MATCH (b:{ENTITY} {{id: $target}})
            MATCH p = allShortestPaths((a)-[*..{bound}]-(b))
            WHERE all(step IN relationships(p) WHERE {in_force("step")})
            WITH [x IN nodes(p) | x.id] AS ids
            RETURN ids ORDER BY ids LIMIT 1
            """,
            {"source": _ID, "target": "subdistrict:410611001", "as_of": _AS_OF},
            "read",
            "Node ids along the least shortest path (ids compared in order, as the embedded "
            "store breaks ties), ignoring direction, using links in force.",
        )
    reg.add(
        "shortest_path.links",
        f"""
        UNWIND $pairs AS pair
        MATCH (x:{ENTITY} {{id: pair[0]}})-[r]-(y:{ENTITY} {{id: pair[1]}})
        WHERE {in_force("r")}
        RETURN {rel_fields("r")},
        {node_fields("x", "x_")}, {node_fields("y", "y_")}
        """,
        {"pairs": [[_ID, "subdistrict:410611001"]], "as_of": _AS_OF},
        "read",
        "Every link in force between consecutive path nodes; the store keeps the least id.",
    )
    reg.add(
        "meta.lock",
        f"""
        MERGE (m:{META} {{key: 'data'}})
        SET m.version = coalesce(m.version, 0) + 1
        RETURN m.version AS version
        """,
        {},
        "write",
        "First statement of every unit of work: takes the write lock that orders writers and "
        "counts the new version of the data.",
    )
    reg.add(
        "meta.version",
        f"OPTIONAL MATCH (m:{META} {{key: 'data'}}) RETURN coalesce(m.version, 0) AS version",
        {},
        "read",
        "The data's version: readers cache derived answers (search index, coverage) by it.",
    )
    reg.add(
        "counts.nodes",
        "\nUNION ALL\n".join(
            f"MATCH (n:{k}) RETURN '{k}' AS name, count(n) AS total" for k in ONTOLOGY.kinds
        ),
        {},
        "read",
        "Nodes per kind, one count-store lookup each.",
    )
    reg.add(
        "counts.relationships",
        "\nUNION ALL\n".join(
            f"MATCH ()-[r:{t}]->() RETURN '{t}' AS name, count(r) AS total"
            for t in ONTOLOGY.relations
        ),
        {},
        "read",
        "Relationships per type, one count-store lookup each.",
    )


# -- native (flagship) queries: one statement each -------------------------------------------
#
# Each returns rows of one shape, ``part, key, rel, node``: ``part`` names what the row is (the
# contract call it stands for), ``key`` the node it belongs to (the id a contract call was asked
# about), ``rel`` and ``node`` a relationship and a node as maps (decoded like any other read).
# The branches are joined with UNION ALL, so the whole answer is one statement, one round trip.
# The statements themselves live with their queries (``graph/queries/<query>/cypher.py``),
# registered through native_statement(); ``graph.neo4j.rows`` decodes the rows into the same
# records the contract calls return, and the query's own assembly builds the answer.


def node_map(var: str) -> str:
    """A node as a map that decodes into a :class:`graph.model.Node` (``decode_node``)."""
    return (
        f"{{id: {var}.id, kind: [label IN labels({var}) WHERE label <> '{ENTITY}'][0], "
        f"props: properties({var})}}"
    )


def rel_map(var: str) -> str:
    """A relationship as a map that decodes into a :class:`graph.model.Relationship`."""
    return (
        f"{{id: {var}.id, type: type({var}), source: startNode({var}).id, "
        f"target: endNode({var}).id, props: properties({var})}}"
    )


def native_row(part: str, key: str, rel: str | None, node: str) -> str:
    """The ``RETURN`` of one branch: ``part, key, rel, node`` (``rel`` None: a node row)."""
    rel_column = rel_map(rel) if rel is not None else "null"
    return f"RETURN '{part}' AS part, {key} AS key, {rel_column} AS rel, {node_map(node)} AS node"


def union_all(*branches: str) -> str:
    """The branches as one statement, one round trip."""
    return "\nUNION ALL\n".join(_tidy(b) for b in branches)


def kinds_test(var: str, kinds: Iterable[str]) -> str:
    """``var`` carries one of the labels ``kinds``."""
    listed = ", ".join(f"'{k}'" for k in kinds)
    return f"any(label IN labels({var}) WHERE label IN [{listed}])"


def _build() -> StatementRegistry:
    reg = StatementRegistry()
    _schema_statements(reg)
    _generic_statements(reg)
    for kind in ONTOLOGY.kinds.values():
        _kind_statements(reg, kind)
    for rel in ONTOLOGY.relations.values():
        _type_statements(reg, rel)
    return reg


STATEMENTS: StatementRegistry = _build()
"""The registry: every statement gridgraph sends to Neo4j. The native versions of the domain
queries add theirs through :func:`native_statement` when their package is imported
(:mod:`graph.queries.flagship` imports them all)."""


def native_statement(name: str, text: str, params: Mapping[str, Any], doc: str = "") -> Statement:
    """Register a read statement of a native domain query (``native.*``), in the one registry.

    Why here and not in the store: the query's own folder (``graph/queries/<query>/cypher.py``)
    holds its Cypher, next to the Python it stands for, while every statement is still linted
    and sent through :func:`run` like the rest.
    """
    if not name.startswith("native."):
        raise ValueError(f"native statement {name!r} must be named native.*")
    return STATEMENTS.add(name, text, params, "read", doc)


def schema_statement_names() -> list[str]:
    """Constraints and indexes in the order ``gridgraph neo4j init`` applies them."""
    return [name for name, s in STATEMENTS.items() if s.access == "schema"]


# -- generated statements: listing requests ---------------------------------------------------
#
# A listing request (graph.listing) is checked against the ontology first, so the labels,
# relationship types and property keys written into the text are the ontology's own; every
# value a caller gave (names, dates, ids, the cursor, the page size) is a parameter. The texts
# go through GENERATED and run() like every other statement, and
# tests/graph/neo4j/test_cypher_lint.py lints every shape the generator writes.
#
# Semantics match graph.listing.evaluate: a missing property fails a test (each test is
# coalesce(…, false), so NOT of it holds), relationship filters and counts use links in force
# on $as_of, a count is of distinct nodes other than the start, missing sort values go last,
# ties break by id.

_OPS = {"eq": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


@dataclass
class _Text:
    """Fresh variable names and parameters while one statement is written."""

    params: dict[str, Any]
    counter: int = 0

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = list(value) if isinstance(value, tuple) else value
        return "$" + name

    def var(self, base: str) -> str:
        self.counter += 1
        return f"{base}{self.counter}"


def _step(step: Step, rel: str, end: str) -> str:
    """``-[rel:TYPE]->(end:Entity)`` or ``<-[rel:TYPE]-(end:Entity)``."""
    if step.direction == Direction.OUT:
        return f"-[{rel}:{step.rel_type}]->({end}:{ENTITY})"
    return f"<-[{rel}:{step.rel_type}]-({end}:{ENTITY})"


def _predicate(t: _Text, pred: Predicate, var: str) -> str:
    if isinstance(pred, PropTest):
        value = t.param(pred.value)
        prop = f"{var}.{pred.prop}"
        if pred.op == "in":
            return f"coalesce({prop} IN {value}, false)"
        if pred.op == "contains":
            return f"coalesce({prop} CONTAINS {value}, false)"
        if pred.op == "includes":
            return f"coalesce({value} IN {prop}, false)"
        return f"coalesce({prop} {_OPS[pred.op]} {value}, false)"
    if isinstance(pred, KindIn):
        if not pred.kinds:
            return "false"
        return "(" + " OR ".join(f"{var}:{k}" for k in pred.kinds) + ")"
    if isinstance(pred, IdIn):
        return f"{var}.id IN {t.param(pred.ids)}"
    if isinstance(pred, AllOf):
        if not pred.parts:
            return "true"
        return "(" + " AND ".join(_predicate(t, p, var) for p in pred.parts) + ")"
    if isinstance(pred, AnyOf):
        if not pred.parts:
            return "false"
        return "(" + " OR ".join(_predicate(t, p, var) for p in pred.parts) + ")"
    if isinstance(pred, Not):
        return f"(NOT {_predicate(t, pred.part, var)})"
    if isinstance(pred, Below):
        path, step = t.var("up"), t.var("s")
        return (
            f"EXISTS {{ MATCH {path} = ({var})-[:PART_OF*1..{GRID_STEPS}]->(:{ENTITY} "
            f"{{id: {t.param(pred.ancestor)}}}) "
            f"WHERE all({step} IN relationships({path}) WHERE {in_force(step)}) }}"
        )
    return _related(t, pred, var)


def _related(t: _Text, pred: Related, var: str) -> str:
    rel, end = t.var("r"), t.var("m")
    match = f"MATCH ({var}){_step(pred.step, rel, end)}"
    if pred.where is None:
        if pred.quantifier == "all":
            return "true"
        test = in_force(rel)
    else:
        inner = _predicate(t, pred.where, end)
        test = f"{in_force(rel)} AND " + (f"NOT {inner}" if pred.quantifier == "all" else inner)
    if pred.quantifier == "some":
        return f"EXISTS {{ {match} WHERE {test} }}"
    # ``COUNT {…} = 0``, not ``NOT EXISTS {…}``: the same answer, and Neo4j's linter reads a
    # negated pattern as a relationship of another type and warns that the kind has none
    return f"COUNT {{ {match} WHERE {test} }} = 0"


def _reach_pattern(t: _Text, reach: Reach, var: str, end: str) -> tuple[str, str]:
    """The path of a count from ``var`` to ``end`` and its WHERE (links in force, not the
    start, the end's ``where``)."""
    pattern = f"({var})"
    tests: list[str] = []
    for i, step in enumerate(reach.steps):
        rel = t.var("r")
        there = end if i == len(reach.steps) - 1 else t.var("x")
        pattern += _step(step, rel, there)
        tests.append(in_force(rel))
    tests.append(f"{end} <> {var}")
    if reach.where is not None:
        tests.append(_predicate(t, reach.where, end))
    return pattern, " AND ".join(tests)


def _reach_count(t: _Text, reach: Reach, var: str) -> str:
    end = t.var("m")
    pattern, where = _reach_pattern(t, reach, var, end)
    return f"COUNT {{ MATCH {pattern} WHERE {where} RETURN DISTINCT {end} }}"


def _listed(t: _Text, listing: Listing) -> str:
    """Where a listing's nodes are found: below the grid a top-level ``within`` names (alone or
    in an AND), walked down from its id (an index look-up) so a local question does not read
    every node of the kind; else every node of the kind. The WHERE still tests the whole
    filter, so the answer is the same."""
    below = _below(listing.where)
    if below is None:
        return f"MATCH (n:{listing.kind})"
    return (
        f"MATCH (:{ENTITY} {{id: {t.param(below.ancestor)}}})"
        f"<-[:PART_OF*1..{GRID_STEPS}]-(n:{listing.kind})\n        WITH DISTINCT n"
    )


def _below(pred: Predicate | None) -> Below | None:
    if isinstance(pred, Below):
        return pred
    if isinstance(pred, AllOf):
        return next((b for b in map(_below, pred.parts) if b is not None), None)
    return None


def listing_statement(
    listing: Listing, after: str | None, limit: int | None
) -> tuple[Statement, dict[str, Any]]:
    """One statement for a page of ``listing``: rows of ``total`` (the whole listing),
    ``start`` (null when ``after`` is not in the list) and the node's columns (one row of nulls
    when the page is empty)."""
    check_listing(listing)
    t = _Text({"as_of": _iso(listing.as_of), "after": after, "limit": limit})
    listed = _listed(t, listing)
    where = _predicate(t, listing.where, "n") if listing.where is not None else "true"
    keys: list[str] = []
    order: list[str] = []
    for i, key in enumerate(listing.order):
        expr = f"n.{key.prop}" if key.prop is not None else _reach_count(t, key.reach, "n")  # type: ignore[arg-type]
        keys.append(f"{expr} AS k{i}")
        if key.prop is not None:
            order.append(f"k{i} IS NULL")
        order.append(f"k{i} DESC" if key.descending else f"k{i}")
    order.append("n.id")
    text = f"""
        {listed}
        WHERE {where}
        WITH {", ".join(["n", *keys])}
        ORDER BY {", ".join(order)}
        WITH collect(n) AS ordered
        WITH ordered, CASE WHEN $after IS NULL THEN 0
        ELSE [i IN range(0, size(ordered) - 1) WHERE ordered[i].id = $after | i + 1][0] END AS start
        WITH size(ordered) AS total, start, CASE WHEN start IS NULL THEN []
        ELSE ordered[start..coalesce(start + $limit, size(ordered))] END AS page
        UNWIND CASE WHEN size(page) = 0 THEN [null] ELSE page END AS n
        RETURN total, start, {node_fields("n")}
        """
    statement = GENERATED.add(
        f"listing[{listing.kind}]",
        text,
        t.params,
        "A page of one kind: filtered, ordered, after a cursor's node.",
    )
    return statement, t.params


def _columns(props: Sequence[str], var: str) -> str:
    return "".join(
        f", min({var}.{p}) AS min{i}, max({var}.{p}) AS max{i}" for i, p in enumerate(props)
    )


def aggregate_statement(listing: Listing, props: Sequence[str]) -> tuple[Statement, dict[str, Any]]:
    """One statement counting the nodes of ``listing``, with min and max of ``props``."""
    check_listing(Listing(listing.kind, listing.where, (), listing.as_of))
    for p in props:
        check_listing(Listing(listing.kind, PropTest(p, "eq", None)))
    t = _Text({"as_of": _iso(listing.as_of)})
    listed = _listed(t, listing)
    where = _predicate(t, listing.where, "n") if listing.where is not None else "true"
    text = f"""
        {listed}
        WHERE {where}
        RETURN count(n) AS total{_columns(props, "n")}
        """
    statement = GENERATED.add(
        f"aggregate[{listing.kind}]", text, t.params, "Count, min and max over one kind."
    )
    return statement, t.params


def reach_statement(
    ids: Sequence[str], reach: Reach, as_of: Any, props: Sequence[str]
) -> tuple[Statement, dict[str, Any]]:
    """One statement: for each id, the count (min, max of ``props``) of the nodes reached.
    The caller has checked ``reach`` against the ids' kinds."""
    t = _Text({"as_of": _iso(as_of), "ids": list(ids)})
    pattern, where = _reach_pattern(t, reach, "n", "m")
    text = f"""
        UNWIND $ids AS start_id
        MATCH (n:{ENTITY} {{id: start_id}})
        OPTIONAL MATCH {pattern}
        WHERE {where}
        WITH DISTINCT start_id, m
        RETURN start_id, count(m) AS total{_columns(props, "m")}
        """
    steps = ",".join(f"{s.rel_type}.{s.direction.value}" for s in reach.steps)
    statement = GENERATED.add(
        f"reach[{steps}]", text, t.params, "Per start node: how many nodes a path reaches."
    )
    return statement, t.params


def _iso(day: Any) -> str | None:
    return None if day is None else day.isoformat()
