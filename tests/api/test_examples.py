"""Every example in docs/queries runs with a real GraphQL client over HTTP.

The client is ``gql``: it fetches the schema from the server by introspection and validates
each document against it before sending. The served graph is the Qibin reference graph when
its generator (``loaders.reference``) is installed, else the small hand-built graph; the
variables come from the served graph itself (the first building, community, agreement
party...), so the examples run on either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from gql import Client, GraphQLRequest, gql
from gql.transport.httpx import HTTPXTransport

from api.app import create_app
from graph.memory import MemoryStore
from tests.api.serving import served
from tests.small_graph import seed_small_graph

QUERIES = Path(__file__).resolve().parents[2] / "docs" / "queries"
EXAMPLES = sorted(QUERIES.glob("*.graphql"))


@pytest.fixture(scope="module")
def example_url() -> Iterator[str]:
    store = MemoryStore()
    try:
        from loaders.reference import seed_reference_graph
    except ImportError:
        seed_small_graph(store)
    else:
        seed_reference_graph(store, scale=1)
    with served(create_app(store)) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def client(example_url: str) -> Iterator[Client]:
    transport = HTTPXTransport(url=f"{example_url}/graphql", timeout=30)
    with Client(transport=transport, fetch_schema_from_transport=True) as session:
        yield session  # type: ignore[misc]


@pytest.fixture(scope="module")
def variables(client: Client) -> dict[str, Any]:
    """Ids and text that exist in the served graph, for every example's variables."""
    # an agreement in force from yesterday to tomorrow, whichever zone's day "today" is
    around = {"before": date.today() - timedelta(days=1), "after": date.today() + timedelta(days=1)}
    found = client.execute(  # type: ignore[attr-defined]
        gql(
            """query($before: Date!, $after: Date!) {
                 buildings(first: 1) { nodes { id ancestors { id } } }
                 communities(first: 1) { nodes { id name } }
                 agreements(first: 1, where: {validFrom: {to: $before}, validTo: {from: $after}}) {
                   nodes { validTo parties { id } } }
                 eventTypes(first: 1) { nodes { id } } }"""
        ),
        variable_values={k: v.isoformat() for k, v in around.items()},
    )
    building = found["buildings"]["nodes"][0]
    community = found["communities"]["nodes"][0]
    agreement = found["agreements"]["nodes"][0]
    return {
        "building": building["id"],
        "eventType": found["eventTypes"]["nodes"][0]["id"],
        "community": community["id"],
        "unit": agreement["parties"][0]["id"],
        "asOf": agreement["validTo"],
        "withinDays": 3650,
        "from": building["id"],
        "to": building["ancestors"][-1]["id"],
        "maxLength": 6,
        "text": community["name"],
        "kinds": ["Community"],
        "after": None,
    }


def _declared(text: str) -> set[str]:
    return set(re.findall(r"\$(\w+)\s*:", text))


def test_there_are_examples_for_every_flagship_query() -> None:
    names = {p.stem for p in EXAMPLES}
    assert {"coverage", "shared_agreements", "agreements_expiring", "path", "search"} <= names
    assert {"responsibility_chain", "gaps"} <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(path: Path, client: Client, variables: dict[str, Any]) -> None:
    text = path.read_text(encoding="utf-8")
    comment = re.search(r"^# Variables: (.*)$", text, re.M)
    assert comment, f"{path.name} lacks a '# Variables:' comment"
    assert set(json.loads(comment.group(1))) == _declared(text)
    values = {k: variables[k] for k in _declared(text)}
    request = GraphQLRequest(gql(text), variable_values=values)
    result = client.execute(request)  # type: ignore[attr-defined]
    assert result and all(v is not None for v in result.values()), result
    if path.stem == "coverage":
        assert [lv["level"] for lv in result["coverage"]["levels"]] == [
            "BUILDING", "COMPOUND", "COMMUNITY", "SUBDISTRICT", "DISTRICT",
        ]  # fmt: skip
    if path.stem == "responsibility_chain":
        chain = result["responsibilityChain"]
        assert [lv["level"] for lv in chain["levels"]] == [
            "BUILDING", "COMPOUND", "COMMUNITY", "SUBDISTRICT", "DISTRICT",
        ]  # fmt: skip
        assert chain["building"]["id"] == variables["building"]
        assert [lv["meeting"]["zh"] for lv in chain["levels"]] == [
            "板凳会", "网格议事会", "网格联席会", "网格研判会", "网格调度会",
        ]  # fmt: skip
    if path.stem == "gaps":
        report = result["gaps"]
        assert report["totalCount"] == sum(c["count"] for c in report["counts"])
    if path.stem == "search":
        assert variables["community"] in [n["id"] for n in result["search"]]
    if path.stem == "path":
        assert result["path"]["nodes"][0]["id"] == variables["from"]
    if path.stem in ("shared_agreements", "agreements_expiring"):
        assert result[next(iter(result))], f"{path.name} found nothing"
