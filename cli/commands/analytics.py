"""``gridgraph analytics``: the district on a day, as tables or JSON (a shell over
:mod:`graph.queries.analytics`)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from cli.commands.gaps import AsOfOption, open_existing_store, parse_day
from cli.options import StoreKindOption, StorePathOption


def _name(node: Any) -> str:
    return f"{node.name} ({node.id})" if node.name else node.id


def register(app: typer.Typer) -> None:
    @app.command()
    def analytics(
        as_of: AsOfOption = None,
        top: Annotated[
            int, typer.Option("--top", min=1, help="Rows per table (every row in --json)")
        ] = 10,
        as_json: Annotated[
            bool, typer.Option("--json", help="Every answer, in full, as JSON")
        ] = False,
        store: StorePathOption = None,
        store_kind: StoreKindOption = None,
    ) -> None:
        """Pairing load, building-leader coverage, partners by reach and centrality, the
        co-construction network's components, communities without partners, agreements by
        topic and year."""
        from graph.queries.analytics import (
            agreements_by_topic_and_year,
            building_leader_coverage,
            co_construction,
            pairing_load,
        )
        from graph.queries.chain import as_day, to_jsonable

        day = as_day(parse_day(as_of))
        with open_existing_store(store, store_kind) as graph_store:
            loads = pairing_load(graph_store, day)
            leaders = building_leader_coverage(graph_store, day)
            net = co_construction(graph_store, day)
            topics = agreements_by_topic_and_year(graph_store)
        if as_json:
            data = {
                "as_of": day.isoformat(),
                "pairing_load": [{**to_jsonable(x), "population": x.population} for x in loads],
                "building_leader_coverage": [
                    {**to_jsonable(x), "vacant": x.vacant, "ratio": x.ratio} for x in leaders
                ],
                "partners": to_jsonable(net.partners),
                "components": [
                    {
                        "parties": len(c.parties),
                        "communities": c.communities,
                        "partners": c.partners,
                        "agreements": c.agreements,
                    }
                    for c in net.components
                ],
                "communities_without_partners": to_jsonable(net.without_partners),
                "agreements_by_topic_and_year": to_jsonable(topics),
            }
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        console = Console()
        t = Table(title=f"Pairing load on {day.isoformat()} (heaviest first)")
        for col in ("department", "communities", "residents"):
            t.add_column(col)
        for x in loads[:top]:
            names = "、".join(c.name or c.id for c in x.communities)
            t.add_row(_name(x.department), f"{len(x.communities)}: {names}", str(x.population))
        console.print(t)
        t = Table(title="Building-leader coverage (worst first)")
        for col in ("community", "buildings", "led", "share"):
            t.add_column(col)
        for r in leaders[:top]:
            t.add_row(_name(r.community), str(r.buildings), str(r.led), f"{r.ratio:.0%}")
        console.print(t)
        t = Table(title="Partners by reach")
        for col in ("partner", "communities", "agreements", "degree", "betweenness"):
            t.add_column(col)
        for p in net.partners[:top]:
            t.add_row(
                _name(p.partner),
                str(len(p.communities)),
                str(p.agreements),
                f"{p.degree_centrality:.4f}",
                f"{p.betweenness:.4f}",
            )
        console.print(t)
        sizes = ", ".join(str(len(c.parties)) for c in net.components[:top])
        console.print(f"{len(net.components)} components of the co-construction network: {sizes}")
        lonely = "、".join(c.name or c.id for c in net.without_partners) or "—"
        console.print(f"{len(net.without_partners)} communities without partners: {lonely}")
        years: dict[int | None, int] = {}
        for row in topics:
            years[row.year] = years.get(row.year, 0) + row.agreements
        console.print(
            "agreements by year (counted once per topic): "
            + ", ".join(f"{y or '—'}: {n}" for y, n in years.items())
        )
