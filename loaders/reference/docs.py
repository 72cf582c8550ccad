"""Tables of docs/reference-graph.md, rendered from the code so the document cannot drift.

``python -m loaders.reference.docs`` rewrites the tables between their markers in place;
``tests/loaders/test_reference_docs.py`` fails when the document differs from what this renders.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from loaders.reference.events import CATALOGUE
from loaders.reference.figures import FIGURES
from loaders.reference.generator import build_district
from loaders.reference.timeline import CHANGES, add_days
from schema.vocab import KEY_FIVE

DOC = Path(__file__).resolve().parents[2] / "docs" / "reference-graph.md"


def figures_table() -> str:
    rows = [
        "| key | figure | seed (中文) | stated | generated | counted from the graph as |",
        "|---|---|---|---|---|---|",
    ]
    for f in FIGURES:
        stated = f.statement + ("" if f.per_district else " (any scale)")
        if f.source == "derived":
            stated = f"derived: {f.seed:,}"
        rows.append(
            f"| `{f.key}` | {f.label} | {f.zh} | {stated} | {f.generated:,} | {f.counted} |"
        )
    return "\n".join(rows)


def catalogue_table() -> str:
    rows = [
        "| code | category | event type | English | default level "
        "| handled by (key units **bold**) |",
        "|---|---|---|---|---|---|",
    ]
    for c, (zh, en, types) in enumerate(CATALOGUE, start=1):
        for t, spec in enumerate(types, start=1):
            handlers = ", ".join(
                f"**{h.value}**" if h in KEY_FIVE else h.value for h in spec.handlers
            )
            rows.append(
                f"| {c:02d}-{t:02d} | {zh} ({en}) | {spec.zh} | {spec.en} | {spec.level} "
                f"| {handlers} |"
            )
    return "\n".join(rows)


def changes_table() -> str:
    rows = ["| change | day | per district | what happens |", "|---|---|---|---|"]
    for c in CHANGES:
        rows.append(f"| `{c.key}` | {c.day} | {c.count} | {c.what} |")
    return "\n".join(rows)


def qibin_changes_table(examples: int = 3) -> str:
    """Where the changes fall in Qibin: every ended link, grouped, with a few examples each."""
    district = build_district(0)
    nodes = {n.id: n for n in district.nodes}
    renewed = {(r.type, r.source, r.target, r.props.get("valid_from")) for r in district.rels}
    groups: dict[str, list[str]] = {}
    for r in district.rels:
        end = r.props.get("valid_to")
        if end is None or end >= "2026-01-01" or r.type not in ("PAIRED_WITH", "HOLDS", "MANAGES"):
            continue
        if (r.type, r.source, r.target, add_days(end, 1)) in renewed:
            continue  # a contract renewed with the same firm: no change
        target = nodes[r.target]
        label = r.type if r.type != "HOLDS" else f"HOLDS {target.props['post_type']}"
        groups.setdefault(label, []).append(
            f"{nodes[r.source].name} → {target.name} (`{r.target}`) until {end}"
        )
    rows = ["| link that ended | how many | examples |", "|---|---|---|"]
    for label, items in sorted(groups.items()):
        shown = "; ".join(sorted(items)[:examples])
        rows.append(f"| {label} | {len(items)} | {shown} |")
    return "\n".join(rows)


TABLES = {
    "figures": figures_table,
    "catalogue": catalogue_table,
    "changes": changes_table,
    "qibin-changes": qibin_changes_table,
}


def render(text: str) -> str:
    """``text`` with every ``<!-- NAME:start -->...<!-- NAME:end -->`` block re-rendered."""
    for name, table in TABLES.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"{DOC} has no {name} markers")
        match = pattern.search(text)
        assert match is not None
        block = match.group(1) + table() + "\n" + match.group(2)
        text = text[: match.start()] + block + text[match.end() :]
    return text


def main() -> int:
    before = DOC.read_text(encoding="utf-8")
    after = render(before)
    if after != before:
        DOC.write_text(after, encoding="utf-8")
        print(f"updated {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
