"""``gridgraph neo4j``: set up a Neo4j 5 database for gridgraph."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.options import settings_from

UriOption = Annotated[
    str | None, typer.Option("--uri", help="bolt:// or neo4j:// URI (env NEO4J_URI)")
]
UserOption = Annotated[str | None, typer.Option("--user", help="User (env NEO4J_USER)")]
PasswordOption = Annotated[
    str | None, typer.Option("--password", help="Password (env NEO4J_PASSWORD)")
]
DatabaseOption = Annotated[
    str | None, typer.Option("--database", help="Database (env NEO4J_DATABASE)")
]

neo4j_app = typer.Typer(help="Set up a Neo4j 5 database for gridgraph.", no_args_is_help=True)


@neo4j_app.command("init")
def init(
    uri: UriOption = None,
    user: UserOption = None,
    password: PasswordOption = None,
    database: DatabaseOption = None,
) -> None:
    """Create the ontology's uniqueness constraints and indexes (safe to run again)."""
    from graph.neo4j import Neo4jStore

    settings = settings_from(
        neo4j_uri=uri, neo4j_user=user, neo4j_password=password, neo4j_database=database
    )
    with Neo4jStore.from_settings(settings, apply_schema=False) as store:
        assert isinstance(store, Neo4jStore)
        names = store.apply_schema()
    typer.echo(
        f"gridgraph: {len(names) - 1} constraints and indexes in place on database "
        f"{settings.neo4j_database!r} at {settings.neo4j_uri}"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(neo4j_app, name="neo4j")
