"""``gridgraph serve``: the HTTP API over the configured store."""

from __future__ import annotations

import os
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
        workers: Annotated[
            int,
            typer.Option(
                min=1,
                max=64,
                help="Processes serving on one port, each with its own copy of "
                "the store kept coherent through the store file: use every core",
            ),
        ] = 1,
    ) -> None:
        """Serve GraphQL at http://HOST:PORT/graphql (GraphiQL in a browser)."""
        import uvicorn

        from api.app import serving_app
        from graph.startup import open_for_serving
        from loaders.reference import seed_reference_graph

        settings = settings_from(store_path=store, store=store_kind, host=host, port=port)
        typer.echo("gridgraph: opening the store (a new store file gets the Qibin reference graph)")
        graph_store, seeded = open_for_serving(
            settings, lambda s: seed_reference_graph(s, scale=1, progress=True)
        )
        if seeded:
            typer.echo("gridgraph: a new store: seeded the Qibin reference graph")
        typer.echo(f"gridgraph: serving http://{settings.host}:{settings.port}/graphql")
        if workers > 1:
            graph_store.close()  # each worker opens its own (api.app.app_from_environment)
            os.environ["GRIDGRAPH_STORE"] = settings.store
            os.environ["GRIDGRAPH_STORE_PATH"] = str(settings.store_path)
            uvicorn.run("api.app:app_from_environment", factory=True, workers=workers,
                        host=settings.host, port=settings.port)  # fmt: skip
            return
        app = serving_app(graph_store, settings)
        try:
            uvicorn.run(app, host=settings.host, port=settings.port)
        finally:
            graph_store.close()
