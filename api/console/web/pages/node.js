// A node's page: a building gets its own (coverage and chain); any other node shows its
// neighbourhood drawn, its properties and relationships, and, for communities, departments and
// units, its partners, shared agreements and agreements lapsing soon. One request per view.
import { gql, today } from "../api.js";
import { h, table } from "../dom.js";
import { neighbourhoodGraph } from "../graph.js";
import { kindLabel, kindOfId, relLabel, t } from "../i18n.js";
import { go, nodeLink } from "../nav.js";
import * as building from "./building.js";
import { dateControls } from "./dates.js";

const EXPIRING_DAYS = 90;
const SHARING_KINDS = ["Community", "Unit", "Department", "SocialOrganization", "VolunteerTeam"];

const QUERY = `query ConsoleNode($id: ID!, $asOf: Date, $shared: Boolean!, $days: Int!) {
  node(id: $id) {
    id kind name aliases synthetic sourceFile
    ... on Grid { level ancestors { id name kind } }
    ... on Agreement { code signedOn validFrom validTo topics contact }
    relationships(asOf: $asOf) {
      type
      relationship { source validFrom validTo }
      node { id kind name }
    }
  }
  sharedAgreements(unit: $id, asOf: $asOf) @include(if: $shared) {
    party { id kind name }
    common { id name validTo }
    via { id kind name }
  }
  agreementsExpiring(withinDays: $days, asOf: $asOf) {
    agreement { id code name }
    validTo daysLeft
    parties { id kind name }
  }
}`;

export async function view(params, id) {
  const kind = kindOfId(id);
  if (kind === "Building") return building.view(params, id);
  const asOf = params.get("asOf") || today();
  const shared = SHARING_KINDS.includes(kind);
  const data = await gql(QUERY, { id, asOf, shared, days: EXPIRING_DAYS });
  const node = data.node;
  if (!node) return h("section", { class: "page" }, h("h1", {}, t("notFound")), h("p", {}, id));
  const links = node.relationships;
  const expiring = data.agreementsExpiring.filter(
    (x) => x.agreement.id === id || x.parties.some((p) => p.id === id),
  );
  const graphBox = h("div", { class: "graph neighbourhood", id: "neighbourhood-graph" });
  const page = h(
    "section",
    { class: "page node" },
    h(
      "div",
      { class: "titlebar" },
      h(
        "div",
        {},
        node.ancestors ? h("p", { class: "crumbs" }, [...node.ancestors].reverse().map((a) => [nodeLink(a), " › "])) : "",
        h("h1", {}, node.name || node.id, " ", h("small", {}, kindLabel(node.kind))),
        node.synthetic ? h("p", { class: "muted" }, t("node.synthetic")) : "",
      ),
      dateControls(asOf, (day) => go(`/node/${id}`, { asOf: day }, { replace: true })),
    ),
    h(
      "div",
      { class: "split" },
      h(
        "div",
        { class: "left" },
        h("h2", {}, t("node.properties")),
        properties(node),
        shared ? sharedBlock(data.sharedAgreements) : "",
        expiringBlock(expiring),
      ),
      h(
        "div",
        { class: "right" },
        h("h2", {}, t("node.neighbourhood"), h("small", {}, ` (${links.length})`)),
        graphBox,
        h("h2", {}, t("node.relationships")),
        relationshipTable(links),
      ),
    ),
  );
  page.onmount = () => neighbourhoodGraph(graphBox, node, links);
  return page;
}

function properties(node) {
  const rows = [["id", node.id]];
  for (const key of ["code", "signedOn", "validFrom", "validTo", "contact", "sourceFile"]) {
    if (node[key]) rows.push([key, String(node[key])]);
  }
  if (node.aliases?.length) rows.push(["aliases", node.aliases.join("、")]);
  if (node.topics?.length) rows.push(["topics", node.topics.join("、")]);
  return h("dl", { class: "props" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function period(rel) {
  if (!rel.validFrom && !rel.validTo) return "";
  return `${rel.validFrom || "…"} ~ ${rel.validTo || "…"}`;
}

function relationshipTable(links) {
  const rows = [...links]
    .sort((a, b) => a.type.localeCompare(b.type) || (a.node.name || "").localeCompare(b.node.name || ""))
    .map((l) => [relLabel(l.type), kindLabel(l.node.kind), nodeLink(l.node), period(l.relationship)]);
  return h("div", { class: "scroll" }, table([t("node.type"), t("kind"), t("node.other"), t("node.period")], rows, { class: "relationships" }));
}

function sharedBlock(shared) {
  const rows = shared.map((s) => [
    nodeLink(s.party),
    kindLabel(s.party.kind),
    s.common.map((a, i) => [i ? "、" : "", nodeLink(a)]),
    s.via.map((v, i) => [i ? "、" : "", nodeLink(v)]),
  ]);
  return [
    h("h2", {}, t("node.shared"), h("small", {}, ` (${shared.length})`)),
    rows.length
      ? h("div", { class: "scroll short" }, table([t("node.party"), t("kind"), t("node.common"), t("node.via")], rows, { class: "shared" }))
      : h("p", { class: "muted" }, t("none")),
  ];
}

function expiringBlock(expiring) {
  const rows = expiring.map((x) => [
    nodeLink(x.agreement),
    x.validTo,
    String(x.daysLeft),
    x.parties.map((p, i) => [i ? "、" : "", nodeLink(p)]),
  ]);
  return [
    h("h2", {}, t("node.expiring")),
    rows.length
      ? table([t("name"), t("node.validTo"), t("node.daysLeft"), t("node.parties")], rows, { class: "expiring" })
      : h("p", { class: "muted" }, t("none")),
  ];
}
