"""Every example in docs/queries/, every GraphQL example in docs/*.md and every query in the
README's curl lines runs against the graph ``make serve`` serves: the Qibin reference graph.

The client is ``gql``: it fetches the schema from the server by introspection and validates
each document against it before sending. The variables are the ones each file shows in its
``# Variables:`` comment, used as they are (ids of the reference graph, fixed days), so a
reader who pastes an example gets what the test got: no error, and no empty answer. Mutation
examples that upload a file are validated against the served schema (they need a file and an
admin token to run; tests/api/test_admin.py runs the upload itself). A block that starts with
``# refused`` shows a query the server refuses, and the test checks that it is refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gql import Client, GraphQLRequest, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXTransport
from graphql import OperationType, parse, validate

from api.app import create_app
from graph.memory import MemoryStore
from graph.settings import Settings
from loaders.reference import seed_reference_graph
from tests.api.serving import served

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "docs" / "queries"
EXAMPLES = sorted(QUERIES.glob("*.graphql"))
MARKDOWN = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LEVELS = ["BUILDING", "COMPOUND", "COMMUNITY", "SUBDISTRICT", "DISTRICT"]


def markdown_examples() -> list[tuple[str, str]]:
    """(where, GraphQL text) for each ```graphql block and each curl ``-d '{"query": …}'``."""
    out = []
    for md in MARKDOWN:
        text = md.read_text(encoding="utf-8")
        for i, block in enumerate(re.findall(r"^```graphql\n(.*?)^```", text, re.M | re.S)):
            out.append((f"{md.name}#{i + 1}", block))
        for i, body in enumerate(re.findall(r"-d '(\{.*?\})'", text)):
            out.append((f"{md.name}#curl{i + 1}", json.loads(body)["query"]))
    return out


MD_EXAMPLES = markdown_examples()


@pytest.fixture(scope="module")
def example_url() -> Iterator[str]:
    store = MemoryStore()
    seed_reference_graph(store, scale=1)
    # The served settings, but a time limit a busy test machine cannot hit (the first latin
    # search builds the pinyin index): the examples are checked for what they answer.
    with served(create_app(store, Settings(request_timeout=120))) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def client(example_url: str) -> Iterator[Client]:
    transport = HTTPXTransport(url=f"{example_url}/graphql", timeout=60)
    with Client(transport=transport, fetch_schema_from_transport=True) as session:
        yield session  # type: ignore[misc]


def _declared(text: str) -> set[str]:
    return set(re.findall(r"\$(\w+)\s*:", text))


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def test_there_are_examples_for_every_flagship_query() -> None:
    names = {p.stem for p in EXAMPLES}
    assert {"coverage", "shared_agreements", "agreements_expiring", "path", "search"} <= names
    assert {"responsibility_chain", "gaps"} <= names
    assert len(MD_EXAMPLES) >= 5 and any(w.startswith("README") for w, _ in MD_EXAMPLES)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(path: Path, client: Client) -> None:
    text = path.read_text(encoding="utf-8")
    comment = re.search(r"^# Variables: (.*)$", text, re.M)
    assert comment, f"{path.name} lacks a '# Variables:' comment"
    values = json.loads(comment.group(1))
    assert set(values) == _declared(text)
    request = GraphQLRequest(gql(text), variable_values=values)
    result = client.execute(request)  # type: ignore[attr-defined]
    empty = [k for k, v in result.items() if _empty(v)]
    assert result and not empty, f"{path.name} answered nothing for {empty}"
    if path.stem == "coverage":
        assert [lv["level"] for lv in result["coverage"]["levels"]] == LEVELS
    if path.stem == "responsibility_chain":
        chain = result["responsibilityChain"]
        assert [lv["level"] for lv in chain["levels"]] == LEVELS
        assert chain["building"]["id"] == values["building"]
        assert [lv["meeting"]["zh"] for lv in chain["levels"]] == [
            "板凳会", "网格议事会", "网格联席会", "网格研判会", "网格调度会",
        ]  # fmt: skip
    if path.stem == "gaps":
        report = result["gaps"]
        assert report["totalCount"] == sum(c["count"] for c in report["counts"])
    if path.stem == "search":
        assert "黎阳社区" in [n["name"] for n in result["search"]]
    if path.stem == "history":  # 西苑社区 was re-paired on 2024-01-01, within the period
        pairings = result["community"]["history"]
        assert [(p["validFrom"], p["validTo"]) for p in pairings] == [
            ("2021-06-01", "2023-12-31"),
            ("2024-01-01", None),
        ]
        assert [p["inForce"] for p in pairings] == [False, True]
        firms = {m["node"]["name"] for m in result["compound"]["history"]}
        assert len(firms) == 2  # a firm change on 2024-07-01
    if path.stem == "analytics":  # the figures docs/api.md quotes for the report day
        net = result["coConstruction"]
        top = net["partners"][0]
        assert (top["partner"]["name"], top["communityCount"]) == ("鹤壁市图书馆", 3)
        assert net["componentCount"] == 22
        assert (net["components"][0]["size"], net["components"][0]["communityCount"]) == (502, 36)
        lonely = net["communitiesWithoutPartners"]
        assert len(lonely) == 15
        assert {c["communityType"] for c in lonely} == {"village_to_residence"}
        assert sum(x["communityCount"] for x in result["pairingLoad"]) >= 10
    if path.stem == "path":
        assert result["path"]["nodes"][0]["id"] == values["from"]
        assert result["path"]["nodes"][-1]["id"] == values["to"]


@pytest.mark.parametrize("text", [t for _, t in MD_EXAMPLES], ids=[w for w, _ in MD_EXAMPLES])
def test_markdown_example_runs(text: str, client: Client) -> None:
    parsed = parse(text)
    operation = next(d for d in parsed.definitions if hasattr(d, "operation"))
    if operation.operation is OperationType.MUTATION:  # an upload: checked, not sent
        schema = client.client.schema  # type: ignore[attr-defined]
        assert schema is not None
        assert validate(schema, parsed) == []
        return
    assert not _declared(text), "a Markdown example must run as pasted: no variables"
    if text.startswith("# admin"):  # valid, and refused to the anonymous example client
        schema = client.client.schema  # type: ignore[attr-defined]
        assert schema is not None
        assert validate(schema, parsed) == []
    if text.startswith(("# refused", "# admin")):
        with pytest.raises(TransportQueryError):
            client.execute(gql(text))  # type: ignore[attr-defined]
        return
    result = client.execute(gql(text))  # type: ignore[attr-defined]
    empty = [k for k, v in result.items() if _empty(v)]
    assert result and not empty, f"answered nothing for {empty}"


def test_the_answers_docs_api_md_quotes(client: Client) -> None:
    """The History and Analytics sections of docs/api.md state what the served graph answers."""
    result = client.execute(  # type: ignore[attr-defined]
        gql(
            """{
              node(id: "community:410611004006") {
                history(types: [PAIRED_WITH]) { node { name } validFrom validTo }
              }
              pairingLoad(asOf: "2024-07-01", first: 1) { department { name } communityCount }
              buildingLeaderCoverage(asOf: "2024-07-01", first: 1) {
                community { name } buildings led
              }
            }"""
        )
    )
    assert result["node"]["history"] == [
        {"node": {"name": "淇滨区政协办公室"}, "validFrom": "2021-06-01", "validTo": "2023-12-31"},
        {"node": {"name": "淇滨区市场监督管理局"}, "validFrom": "2024-01-01", "validTo": None},
    ]
    assert result["pairingLoad"] == [
        {"department": {"name": "淇滨区市场监督管理局"}, "communityCount": 3}
    ]
    assert result["buildingLeaderCoverage"] == [
        {"community": {"name": "蒋屯社区"}, "buildings": 30, "led": 11}
    ]


def test_the_answers_filters_and_aggregates_quotes(client: Client) -> None:
    """The Filters and aggregates section of docs/api.md states what the served graph answers:
    on the report's day 15 communities, all village-to-residence, have no agreement; 16
    buildings of 黎阳社区 have a leader post nobody holds; after the 2024 re-pairing
    淇滨区市场监督管理局 is paired with the most communities (three); 鹤壁市图书馆 reaches
    three communities through its agreements."""
    result = client.execute(  # type: ignore[attr-defined]
        gql(
            """{
              communities(asOf: "2023-06-30", where: {partyTo_NONE: {}}, first: 20) {
                totalCount nodes { communityType } }
              buildings(asOf: "2023-06-30", first: 1, where: {within: "community:410611001001",
                  posts_SOME: {postType: {eq: BUILDING_LEADER}, heldBy_NONE: {}}}) { totalCount }
              departments(asOf: "2024-07-01", first: 1, orderBy: [{count: {path:
                  [PAIRED_WITH_OUT], where: {kind: [Community]}}, direction: DESC}]) {
                nodes { name reachCount(asOf: "2024-07-01", path: [PAIRED_WITH_OUT],
                  where: {kind: [Community]}) } }
              units(asOf: "2023-06-30", first: 1, orderBy: [{count: {path: [PARTY_TO_OUT,
                  PARTY_TO_IN], where: {kind: [Community]}}, direction: DESC}, {field: NAME}]) {
                nodes { name reachCount(asOf: "2023-06-30", path: [PARTY_TO_OUT, PARTY_TO_IN],
                  where: {kind: [Community]}) } }
            }"""
        )
    )
    communities = result["communities"]
    assert communities["totalCount"] == 15
    assert {c["communityType"] for c in communities["nodes"]} == {"village_to_residence"}
    assert result["buildings"]["totalCount"] == 16
    assert result["departments"]["nodes"] == [{"name": "淇滨区市场监督管理局", "reachCount": 3}]
    assert result["units"]["nodes"] == [{"name": "鹤壁市图书馆", "reachCount": 3}]
