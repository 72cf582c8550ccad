"""Render the ontology as Markdown, so the docs cannot drift from the declarations."""

from __future__ import annotations

from schema.ontology import COMMON_NODE_PROPS, NodeKind, Ontology, Prop, RelType
from schema.registry import ONTOLOGY


def _prop_rows(props: tuple[Prop, ...], key: tuple[str, ...] = ()) -> list[str]:
    rows = [
        "| property | type | 中文 | required | description |",
        "|---|---|---|---|---|",
    ]
    for p in props:
        flags = "key" if p.name in key else ("yes" if p.required else "")
        desc = p.description
        if p.personal:
            desc += " **Personal** (个人信息): masked unless the role may see it."
        if p.choices:
            desc += f" One of: {', '.join(f'`{c}`' for c in p.choices)}."
        rows.append(f"| `{p.name}` | {p.type.value} | {p.zh} | {flags} | {desc} |")
    return rows


def _kind_section(kind: NodeKind) -> list[str]:
    lines = [f"### {kind.name} ({kind.zh})", "", kind.description, ""]
    meta = [f"id: `{kind.id_prefix}:` + {' - '.join(f'`{k}`' for k in kind.key)}"]
    if kind.grid_level:
        meta.append(f"grid level: `{kind.grid_level.value}`")
    if kind.interfaces:
        meta.append(f"interfaces: {', '.join(kind.interfaces)}")
    lines += ["; ".join(meta), "", *_prop_rows(kind.props, kind.key), ""]
    return lines


def _relation_section(rel: RelType) -> list[str]:
    lines = [
        f"### {rel.name} ({rel.zh})",
        "",
        rel.description,
        "",
        f"from {', '.join(rel.sources)} → to {', '.join(rel.targets)}"
        + ("; time-bound (`valid_from`, `valid_to`)" if rel.temporal else ""),
        "",
    ]
    if rel.props:
        lines += [*_prop_rows(rel.props), ""]
    return lines


def render_ontology(onto: Ontology = ONTOLOGY) -> str:
    """The whole ontology as one Markdown page (``docs/ontology.md``)."""
    lines = [
        "# The gridgraph ontology",
        "",
        "Generated from `schema/` by `gridgraph docs`; do not edit by hand.",
        "",
        "## Grid levels",
        "",
        "| level | 中文 | led by | meeting |",
        "|---|---|---|---|",
    ]
    for info in onto.grid_levels.values():
        lines.append(
            f"| `{info.level.value}` | {info.zh} | {info.leader} ({info.leader_zh}) "
            f"| {info.meeting} ({info.meeting_zh}): {info.meeting_purpose} |"
        )
    lines += ["", "## Properties every node carries", ""]
    lines += _prop_rows(COMMON_NODE_PROPS)
    lines += ["", "## Node kinds", ""]
    for kind in onto.kinds.values():
        lines += _kind_section(kind)
    lines += ["## Relationship types", ""]
    lines += [
        "Every relationship may carry `valid_from` and `valid_to` (ISO dates, both inclusive, "
        "open when missing) and the provenance properties; as-of queries keep those in force.",
        "",
    ]
    for rel in onto.relations.values():
        lines += _relation_section(rel)
    return "\n".join(lines).rstrip() + "\n"
