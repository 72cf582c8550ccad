"""docs/reference-graph.md shows the tables the code renders: figures, changes, catalogue."""

from __future__ import annotations

from loaders.reference.docs import DOC, render
from loaders.reference.figures import FIGURES


def test_reference_doc_matches_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert render(text) == text, "run: python -m loaders.reference.docs"


def test_reference_doc_lists_every_figure() -> None:
    text = DOC.read_text(encoding="utf-8")
    for f in FIGURES:
        assert f"`{f.key}`" in text
