"""Listing requests compiled into one parameterised Cypher statement each.

A request (:mod:`graph.listing`) is checked against the ontology first, so the labels,
relationship types and property keys written into the text are the ontology's own; every value
a caller gave (names, dates, ids, the cursor, the page size) is a parameter. The statements go
through :data:`graph.neo4j.statements.GENERATED` and :func:`~graph.neo4j.statements.run`, so
they are linted (``tests/test_cypher_lint.py``) and sent like every other statement.

Semantics match :func:`graph.listing.evaluate`: a missing property fails a test (each test is
``coalesce(…, false)``, so ``NOT`` of it holds), relationship filters and counts use links in
force on ``$as_of``, a count is of distinct nodes other than the start, missing sort values go
last, ties break by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph.listing import (
    AllOf,
    AnyOf,
    Below,
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
from graph.neo4j.statements import ENTITY, GENERATED, Statement, in_force, node_fields

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
            f"EXISTS {{ MATCH {path} = ({var})-[:PART_OF*1..4]->(:{ENTITY} "
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


def listing_statement(
    listing: Listing, after: str | None, limit: int | None
) -> tuple[Statement, dict[str, Any]]:
    """One statement for a page of ``listing``: rows of ``total`` (the whole listing),
    ``start`` (null when ``after`` is not in the list) and the node's columns (one row of nulls
    when the page is empty)."""
    check_listing(listing)
    t = _Text({"as_of": _iso(listing.as_of), "after": after, "limit": limit})
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
        MATCH (n:{listing.kind})
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
    where = _predicate(t, listing.where, "n") if listing.where is not None else "true"
    text = f"""
        MATCH (n:{listing.kind})
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
