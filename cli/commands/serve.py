"""``gridgraph serve``: the HTTP API over the configured store."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.options import StoreKindOption, StorePathOption, settings_from


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        store: StorePathOption = None,
        store_kind: StoreKindOption = None,
        host: Annotated[str | None, typer.Option(help="Interface to bind")] = None,
        port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    ) -> None:
        """Serve GraphQL at http://HOST:PORT/graphql (GraphiQL in a browser)."""
        import uvicorn

        from api.app import create_app
        from graph.stores import open_store
        from loaders.reference import seed_if_empty

        settings = settings_from(store_path=store, store=store_kind, host=host, port=port)
        graph_store = open_store(settings)
        typer.echo("gridgraph: checking the store (an empty store gets the Qibin reference graph)")
        if seed_if_empty(graph_store, progress=True):
            typer.echo("gridgraph: the store was empty: seeded the Qibin reference graph")
        typer.echo(f"gridgraph: serving http://{settings.host}:{settings.port}/graphql")
        try:
            uvicorn.run(create_app(graph_store, settings), host=settings.host, port=settings.port)
        finally:
            graph_store.close()
