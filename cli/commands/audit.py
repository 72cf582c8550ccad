"""``gridgraph audit``: check the audit trail's chain of hashes, or export it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.options import StoreKindOption, StorePathOption, settings_from

audit_app = typer.Typer(help="The audit trail: every change and every read of personal data.")


@audit_app.command("verify")
def verify(store: StorePathOption = None, store_kind: StoreKindOption = None) -> None:
    """Check every entry's hash and its link to the one before; exit 1 if the chain breaks."""
    from graph.audit import AuditTrail, audit_path_for

    settings = settings_from(store_path=store, store=store_kind)
    trail = AuditTrail(audit_path_for(settings.store_path, settings.audit_path))
    count = trail.verify()
    typer.echo(f"audit trail {trail.path}: {count:,} entries, every hash and link holds")


@audit_app.command("export")
def export(
    dest: Annotated[Path, typer.Argument(help="File to write (JSON Lines), or - for stdout")],
    store: StorePathOption = None,
    store_kind: StoreKindOption = None,
) -> None:
    """Write the checked trail as JSON Lines, one entry a line, oldest first."""
    import orjson

    from graph.audit import AuditTrail, audit_path_for

    settings = settings_from(store_path=store, store=store_kind)
    trail = AuditTrail(audit_path_for(settings.store_path, settings.audit_path))
    count = trail.verify()
    lines = b"".join(orjson.dumps(e, option=orjson.OPT_SORT_KEYS) + b"\n" for e in trail.entries())
    if str(dest) == "-":
        typer.echo(lines.decode(), nl=False)
    else:
        dest.write_bytes(lines)
        typer.echo(f"exported {count:,} audit entries to {dest}", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
