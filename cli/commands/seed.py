"""``gridgraph seed``: (re)build the Qibin reference graph in the configured store."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.options import StoreKindOption, StorePathOption, settings_from


def register(app: typer.Typer) -> None:
    @app.command()
    def seed(
        scale: Annotated[
            int, typer.Option(min=1, max=10_000, help="Districts of Qibin's shape to build")
        ] = 1,
        store: StorePathOption = None,
        store_kind: StoreKindOption = None,
        keep: Annotated[
            bool, typer.Option("--keep", help="Merge into the graph already stored")
        ] = False,
        progress: Annotated[bool, typer.Option(help="Show a progress bar")] = True,
    ) -> None:
        """Rebuild the reference graph: Qibin, plus synthetic districts 99kkkk if --scale > 1."""
        from graph.stores import open_store
        from loaders.reference import clear_store, seed_reference_graph

        settings = settings_from(store_path=store, store=store_kind)
        graph_store = open_store(settings)
        try:
            if not keep and graph_store.counts().nodes:
                cleared = clear_store(graph_store)
                typer.echo(
                    f"cleared {cleared.nodes_deleted:,} nodes and "
                    f"{cleared.relationships_deleted:,} relationships"
                )
            summary = seed_reference_graph(graph_store, scale=scale, progress=progress)
            counts = graph_store.counts()
        finally:
            graph_store.close()
        where = settings.store_path if settings.store == "memory" else settings.neo4j_uri
        typer.echo(
            f"seeded {scale} district{'s' if scale > 1 else ''} into {where}: "
            f"{sum(counts.nodes.values()):,} nodes, {sum(counts.relationships.values()):,} "
            f"relationships ({summary.nodes_created:,} nodes and "
            f"{summary.relationships_created:,} relationships created)"
        )
