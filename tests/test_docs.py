"""Derived docs are in step with the code: regenerate with `gridgraph docs`."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.commands.docs import derived_docs

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("name", sorted(derived_docs()))
def test_derived_doc_matches_code(name: str) -> None:
    on_disk = (DOCS / name).read_text(encoding="utf-8")
    assert on_disk == derived_docs()[name], f"docs/{name} is stale: run `gridgraph docs`"


def test_ontology_doc_names_every_kind_and_relation() -> None:
    from schema import ONTOLOGY

    text = derived_docs()["ontology.md"]
    for name in [*ONTOLOGY.kinds, *ONTOLOGY.relations]:
        assert f"### {name} (" in text
