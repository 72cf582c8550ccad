"""``gridgraph chain``: a quick look at who answers for an event type at a building."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from cli.commands.gaps import AsOfOption, open_existing_store, parse_day
from cli.options import StoreKindOption, StorePathOption
from graph.contract import GraphStore
from graph.model import Node
from graph.queries.resolve import resolve_node


def resolve(store: GraphStore, text: str, kind: str) -> str:
    """An id from what the user typed: an id, a code or an exact name (as the API accepts)."""
    return resolve_node(store, text, kind)


def _label(node: Node | None) -> str:
    """A node for display, escaped so that names are never read as rich markup."""
    if node is None:
        return "—"
    return escape(f"{node.name} ({node.id})" if node.name else node.id)


def register(app: typer.Typer) -> None:
    @app.command()
    def chain(
        building: Annotated[str, typer.Argument(help="Building id or exact name")],
        event_type: Annotated[str, typer.Argument(help="EventType id, code or exact name")],
        as_of: AsOfOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the chain as JSON")] = False,
        store: StorePathOption = None,
        store_kind: StoreKindOption = None,
    ) -> None:
        """Who answers for an event of EVENT_TYPE at BUILDING, level by level, with its gaps."""
        from graph.queries.chain import responsibility_chain

        day = parse_day(as_of)
        with open_existing_store(store, store_kind) as graph_store:
            b = resolve(graph_store, building, "Building")
            e = resolve(graph_store, event_type, "EventType")
            answer = responsibility_chain(graph_store, b, e, day)

        if as_json:
            typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
            return
        console = Console()
        level = answer.response_level.value if answer.response_level else "—"
        console.print(
            f"[bold]{_label(answer.event_type)}[/] at [bold]{_label(answer.building)}[/] on "
            f"{answer.as_of.isoformat()} — category {_label(answer.category)}, default "
            f"response level {level}"
        )
        for lvl in answer.levels:
            star = " *" if lvl.default_response else ""
            console.print(f"[bold]{lvl.level.value}{star}[/]  {_label(lvl.grid)}")
            people = "; ".join(f"{_label(p.person)}, {p.post_type}" for p in lvl.in_charge)
            orgs = "; ".join(_label(o.organization) for o in lvl.party_organizations)
            units = "; ".join(
                f"{_label(u.unit)} ({', '.join(r.value for r in u.roles)})" for u in lvl.convenes
            )
            rows = [
                ("in charge", people),
                ("party organisation", orgs),
                ("meeting", f"{lvl.meeting.zh} {lvl.meeting.name}: {lvl.meeting.purpose}"),
                ("can convene", units),
                ("leading group", "; ".join(_label(g) for g in lvl.leading_groups)),
                ("gaps", ", ".join(g.what.value for g in lvl.gaps)),
            ]
            for title, text in rows:
                if text or title in ("in charge", "party organisation"):
                    console.print(f"    {title}: {text or '—'}")
        console.print("* the default response level of the event type")
        handlers = ", ".join(f"{_label(h.department)} ({h.role})" for h in answer.handlers)
        console.print(f"handled by: {handlers or '—'}")
        acc = answer.accountability
        console.print(
            "accountable: territory "
            + (", ".join(_label(t) for t in acc.territory) or "—")
            + "; pairing "
            + (", ".join(_label(p) for p in acc.pairing) or "—")
        )
        if answer.gaps:
            console.print(f"[bold red]{len(answer.gaps)} gap(s):[/]")
            for g in answer.gaps:
                console.print(f"  {g.level} {g.what.value}: {g.reason}", markup=False)
        else:
            console.print("no gaps: every link is in place on that date")
