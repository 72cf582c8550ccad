// Graph drawings with cytoscape.js (served from this server, see the import map in index.html):
// a responsibility chain laid out level by level, and a node's neighbourhood.
import cytoscape from "cytoscape";
import { choiceLabel, gapLabel, roleLabel, kindLabel, levelLabel, relLabel, t } from "./i18n.js";
import { nodeHref } from "./nav.js";

const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-family": FONT,
      "font-size": 12,
      "text-wrap": "wrap",
      "text-max-width": 130,
      "text-valign": "center",
      "text-halign": "center",
      shape: "round-rectangle",
      width: 140,
      height: 44,
      "background-color": "#e8eef7",
      "border-width": 1,
      "border-color": "#8aa1c1",
      color: "#1d2b3a",
    },
  },
  { selector: "node.grid", style: { "background-color": "#1f5fa8", color: "#fff", "font-weight": "bold", "border-color": "#123d6e" } },
  { selector: "node.territory", style: { "border-width": 4, "border-color": "#e0a100" } },
  { selector: "node.response", style: { "background-color": "#b3261e", "border-color": "#6d1510" } },
  { selector: "node.person", style: { "background-color": "#fff4d6", "border-color": "#d19a00", shape: "ellipse" } },
  { selector: "node.party", style: { "background-color": "#fde3e1", "border-color": "#c0392b" } },
  { selector: "node.meeting", style: { "background-color": "#e4f4e6", "border-color": "#3c8d40", shape: "hexagon" } },
  { selector: "node.unit", style: { "background-color": "#f1f1f1", "border-color": "#888" } },
  { selector: "node.pairing", style: { "border-width": 4, "border-color": "#e0a100" } },
  { selector: "node.event", style: { "background-color": "#6a3fa0", color: "#fff", shape: "diamond", width: 150, height: 60 } },
  { selector: "node.handler", style: { "background-color": "#efe6fa", "border-color": "#6a3fa0" } },
  { selector: "node.gap", style: { "background-color": "#fff", "border-color": "#d32f2f", "border-style": "dashed", "border-width": 2, color: "#d32f2f" } },
  {
    selector: "node.hood",
    style: { shape: "ellipse", width: 18, height: 18, "text-valign": "bottom", "text-margin-y": 2, "text-max-width": 100, "font-size": 11, color: "#1d2b3a", "font-weight": "normal" },
  },
  {
    selector: "node.center",
    style: { "background-color": "#1f5fa8", color: "#fff", shape: "round-rectangle", width: 170, height: 54, "font-size": 13, "text-valign": "center", "text-margin-y": 0 },
  },
  {
    selector: "edge",
    style: {
      width: 1.5,
      "line-color": "#9aa9bb",
      "target-arrow-color": "#9aa9bb",
      "target-arrow-shape": "triangle",
      "curve-style": "bezier",
      label: "data(label)",
      "font-family": FONT,
      "font-size": 9,
      color: "#55657a",
      "text-background-color": "#fff",
      "text-background-opacity": 0.8,
      "text-background-padding": 1,
    },
  },
  { selector: "edge.hood", style: { label: "", width: 1, "arrow-scale": 0.7 } },
  { selector: "edge.partof", style: { width: 3, "line-color": "#1f5fa8", "target-arrow-color": "#1f5fa8" } },
  { selector: "edge.gap", style: { "line-style": "dashed", "line-color": "#d32f2f", "target-arrow-color": "#d32f2f" } },
  { selector: "edge.event", style: { "line-color": "#6a3fa0", "target-arrow-color": "#6a3fa0" } },
];

function draw(container, elements, layout) {
  const cy = cytoscape({
    container,
    elements,
    style: STYLE,
    layout,
    minZoom: 0.2,
    maxZoom: 2.5,
  });
  cy.on("tap", "node", (event) => {
    const ref = event.target.data("ref");
    if (ref) window.location.hash = nodeHref(ref).slice(1);
  });
  cy.fit(undefined, 16);
  container.dataset.nodes = String(cy.nodes().length);
  container.dataset.edges = String(cy.edges().length);
  container._cy = cy;
  return cy;
}

const PER_ROW = 4;
const COL = 160;
const SUB_ROW = 58;

/** The chain: grids in a column (district at the top), each level's people, party organisation,
 * meeting, units it may convene and gaps in its row; the event and its handlers on the left. */
export function chainGraph(container, chain) {
  const nodes = new Map();
  const edges = [];
  const add = (key, data, classes, position) => {
    if (!nodes.has(key)) nodes.set(key, { data: { id: key, ...data }, classes, position });
    return key;
  };
  const link = (source, target, label, classes = "") =>
    edges.push({ data: { id: `e${edges.length}`, source, target, label }, classes });

  const territory = new Set(chain.accountability.territory.map((g) => g.id));
  const pairing = new Set(chain.accountability.pairing.map((d) => d.id));
  const levels = [...chain.levels].reverse(); // district first, drawn at the top
  const gridKeys = {};
  let y = 0;
  for (const level of levels) {
    const items = [];
    for (const p of level.inCharge) {
      items.push([`n:${p.person.id}`, { label: `${p.person.name}\n${choiceLabel(p.postType)}`, ref: p.person.id }, "person", t("building.inCharge")]);
    }
    for (const po of level.partyOrganizations) {
      items.push([`n:${po.organization.id}`, { label: po.organization.name, ref: po.organization.id }, "party", t("building.party")]);
    }
    for (const lg of level.leadingGroups) {
      items.push([`n:${lg.id}`, { label: lg.name, ref: lg.id }, "party", ""]);
    }
    const meetingKey = `m:${level.level}`;
    items.push([meetingKey, { label: level.meeting.zh }, "meeting", t("building.meeting")]);
    for (const c of level.convenes) {
      const cls = pairing.has(c.unit.id) ? "unit pairing" : "unit";
      items.push([`n:${c.unit.id}`, { label: `${c.unit.name}\n${c.roles.map(roleLabel).join(" · ")}`, ref: c.unit.id }, cls, "", meetingKey]);
    }
    for (const [i, g] of level.gaps.entries()) {
      items.push([`g:${level.level}:${i}`, { label: `${t("building.gaps")}：${gapLabel(g.kind)}` }, "gap", "", null, "gap"]);
    }
    const rows = Math.max(1, Math.ceil(items.length / PER_ROW));
    const height = rows * SUB_ROW;
    const gridY = y + (height - SUB_ROW) / 2;
    const classes = ["grid", territory.has(level.grid?.id) ? "territory" : "", level.defaultResponse ? "response" : ""].join(" ");
    const gridKey = level.grid
      ? add(`n:${level.grid.id}`, { label: `${levelLabel(level.level)}\n${level.grid.name}`, ref: level.grid.id }, classes, { x: 0, y: gridY })
      : add(`none:${level.level}`, { label: `${levelLabel(level.level)}\n${t("none")}` }, "gap", { x: 0, y: gridY });
    gridKeys[level.level] = gridKey;
    items.forEach(([key, data, cls, label, from, edgeClass], i) => {
      const position = { x: 200 + (i % PER_ROW) * COL, y: y + Math.floor(i / PER_ROW) * SUB_ROW };
      add(key, data, cls, position);
      link(from || gridKey, key, label, edgeClass || "");
    });
    y += height + 40;
  }
  const order = chain.levels.map((l) => gridKeys[l.level]); // building first
  for (let i = 0; i + 1 < order.length; i++) link(order[i], order[i + 1], t("graph.partOf"), "partof");

  const buildingY = nodes.get(order[0]).position.y;
  const eventKey = add("event", { label: `${t("graph.event")}\n${chain.eventType.name}`, ref: chain.eventType.id }, "event", { x: -260, y: buildingY });
  link(eventKey, order[0], "", "event");
  if (chain.responseLevel && gridKeys[chain.responseLevel]) {
    link(eventKey, gridKeys[chain.responseLevel], t("graph.responds"), "event");
  }
  chain.handlers.forEach((x, i) => {
    const key = add(`n:${x.department.id}`, { label: `${x.department.name}\n${roleLabel(x.role)}`, ref: x.department.id }, "handler", {
      x: -260,
      y: buildingY - 90 - i * 56,
    });
    link(eventKey, key, t("building.handlers").split(" ")[0], "event");
  });
  if (!chain.handlers.length) {
    const key = add("g:handlers", { label: `${t("building.gaps")}：${gapLabel("NO_HANDLER")}` }, "gap", { x: -260, y: buildingY - 90 });
    link(eventKey, key, "", "gap");
  }
  return draw(container, [...nodes.values(), ...edges], { name: "preset" });
}

/** A node and its neighbours on ellipses around it (wider than tall, as the box is), grouped
 * by relationship type; at most ``limit`` neighbours are drawn. */
export function neighbourhoodGraph(container, center, links, limit = 60) {
  const nodes = new Map([[center.id, { data: { id: center.id, label: `${center.name}\n${kindLabel(center.kind)}`, ref: center.id }, classes: "hood center", position: { x: 0, y: 0 } }]]);
  const edges = [];
  const sorted = [...links].sort((a, b) => a.type.localeCompare(b.type)).slice(0, limit);
  const others = [];
  for (const link of sorted) {
    const other = link.node;
    if (!nodes.has(other.id)) {
      const node = { data: { id: other.id, label: other.name || other.id, ref: other.id }, classes: `hood ${kindClass(other.kind)}` };
      nodes.set(other.id, node);
      others.push(node);
    }
    const out = link.relationship.source === center.id;
    edges.push({
      data: { id: `e${edges.length}`, source: out ? center.id : other.id, target: out ? other.id : center.id, label: relLabel(link.type) },
      classes: "hood",
    });
  }
  // fill rings from the inside out, each holding as many as its perimeter allows
  let ring = 0;
  let placed = 0;
  while (placed < others.length) {
    const ry = 95 + 80 * ring;
    const rx = 1.8 * ry;
    const perimeter = 2 * Math.PI * Math.sqrt((rx * rx + ry * ry) / 2);
    const room = Math.max(4, Math.floor(perimeter / 105));
    const here = others.slice(placed, placed + room);
    here.forEach((node, i) => {
      const angle = (2 * Math.PI * i) / here.length + ring * 0.35 - Math.PI / 2;
      node.position = { x: rx * Math.cos(angle), y: ry * Math.sin(angle) };
    });
    placed += here.length;
    ring += 1;
  }
  return draw(container, [...nodes.values(), ...edges], { name: "preset" });
}

function kindClass(kind) {
  if (["District", "Subdistrict", "Community", "Compound", "Building"].includes(kind)) return "grid";
  if (kind === "Person") return "person";
  if (kind === "PartyOrganization" || kind === "LeadingGroup") return "party";
  if (kind === "EventType" || kind === "EventCategory") return "handler";
  return "unit";
}
