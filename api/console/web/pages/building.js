// 楼栋: who covers a building level by level on a day, and who answers for an event type there,
// drawn as a graph. One GraphQL request per view (coverage and chain together).
import { gql, today } from "../api.js";
import { eventCatalog } from "../catalog.js";
import { h, table } from "../dom.js";
import { chainGraph } from "../graph.js";
import { choiceLabel, roleLabel, gapDescription, gapLabel, levelInfo, levelLabel, t, lang } from "../i18n.js";
import { go, nodeLink } from "../nav.js";
import { dateControls } from "./dates.js";

const UNIT = "unit { id kind name }";
const QUERY = `query ConsoleBuilding($building: ID!, $eventType: ID!, $asOf: Date) {
  coverage(building: $building, asOf: $asOf) {
    asOf
    building { id name floors ancestors { id name kind } }
    levels {
      level leader meeting
      grid { id name }
      posts { postType holders { id name } }
      partyOrganizations { ${UNIT} }
      managers { ${UNIT} }
      pairedDepartments { ${UNIT} }
      socialOrganizations { ${UNIT} }
      volunteerTeams { ${UNIT} }
      partners { ${UNIT} agreement { id name validTo } }
      facilities { ${UNIT} }
    }
  }
  responsibilityChain(building: $building, eventType: $eventType, asOf: $asOf) {
    complete responseLevel
    eventType { id name }
    category { id name }
    levels {
      level defaultResponse
      grid { id name }
      inCharge { person { id name } postType via { id name } }
      partyOrganizations { organization { id name } leaders { person { id name } postType } }
      meeting { name zh purpose }
      convenes { unit { id kind name } roles }
      leadingGroups { id name }
      gaps { kind reason }
    }
    handlers { department { id name } role }
    accountability { territory { id name } pairing { id name } }
    routing { order stage level unit { id name } }
    gaps { level kind reason node { id name } }
  }
}`;

const EVENT_KEY = "gridgraph.eventType";

export async function view(params, id) {
  const catalog = await eventCatalog();
  const types = catalog.flatMap((c) => c.eventTypes.map((e) => ({ ...e, category: c })));
  const wanted = params.get("eventType") || localStorage.getItem(EVENT_KEY);
  const eventType = types.find((e) => e.id === wanted) || types[0];
  const asOf = params.get("asOf") || today();
  const data = await gql(QUERY, { building: id, eventType: eventType.id, asOf });
  localStorage.setItem(EVENT_KEY, eventType.id);
  const { coverage, responsibilityChain: chain } = data;
  const b = coverage.building;
  const keep = (changes) => go(`/node/${id}`, { asOf, eventType: eventType.id, ...changes }, { replace: true });

  const category = h(
    "select",
    { name: "category", "aria-label": t("building.category") },
    catalog.map((c) => h("option", { value: c.id, selected: c.id === eventType.category.id }, c.name)),
  );
  const type = h(
    "select",
    { name: "eventType", "aria-label": t("building.eventType") },
    eventType.category.eventTypes.map((e) => h("option", { value: e.id, selected: e.id === eventType.id }, e.name)),
  );
  category.addEventListener("change", () => {
    const first = catalog.find((c) => c.id === category.value).eventTypes[0];
    keep({ eventType: first.id });
  });
  type.addEventListener("change", () => keep({ eventType: type.value }));

  const graphBox = h("div", { class: "graph chain", id: "chain-graph" });
  const page = h(
    "section",
    { class: "page building" },
    h(
      "div",
      { class: "titlebar" },
      h(
        "div",
        {},
        h("p", { class: "crumbs" }, [...b.ancestors].reverse().map((a) => [nodeLink(a), " › "])),
        h("h1", {}, b.name, b.floors ? h("small", {}, ` ${b.floors} ${t("building.floors")}`) : ""),
      ),
      dateControls(asOf, (day) => keep({ asOf: day })),
    ),
    h(
      "div",
      { class: "split" },
      h("div", { class: "left" }, h("h2", {}, t("building.coverage")), coverageTable(coverage)),
      h(
        "div",
        { class: "right" },
        h(
          "div",
          { class: "chainbar" },
          h("h2", {}, t("building.chain")),
          h("label", {}, t("building.category"), " ", category),
          h("label", {}, t("building.eventType"), " ", type),
          h(
            "span",
            { class: chain.complete ? "badge ok" : "badge bad", id: "chain-status" },
            chain.complete ? t("building.complete") : `${t("building.incomplete")} (${chain.gaps.length})`,
          ),
        ),
        graphBox,
        h(
          "p",
          { class: "legend muted" },
          h("span", { class: "key response" }), t("legend.response"),
          h("span", { class: "key accountable" }), t("legend.accountable"),
          h("span", { class: "key gapkey" }), t("legend.gap"),
          h("span", { class: "key person" }), t("building.inCharge"),
          h("span", { class: "key meeting" }), t("building.meeting"),
        ),
        chainDetails(chain),
      ),
    ),
  );
  page.onmount = () => chainGraph(graphBox, chain);
  return page;
}

function units(list) {
  if (!list.length) return h("span", { class: "muted" }, t("none"));
  return list.map((c, i) => [i ? "、" : "", nodeLink(c.unit)]);
}

function coverageTable(coverage) {
  return h(
    "div",
    { class: "levels" },
    coverage.levels.map((l) => {
      const info = levelInfo(l.level);
      const rows = [
        [t("building.leader"), lang === "zh" ? info.leaderZh : info.leader],
        [t("building.meeting"), lang === "zh" ? info.meetingZh : info.meeting],
        [
          t("building.posts"),
          l.posts.length
            ? l.posts.map((p, i) => [
                i ? "；" : "",
                `${choiceLabel(p.postType)}：`,
                p.holders.length ? p.holders.map((x, j) => [j ? "、" : "", nodeLink(x)]) : h("span", { class: "gap" }, t("none")),
              ])
            : h("span", { class: "muted" }, t("none")),
        ],
        [t("building.party"), units(l.partyOrganizations)],
      ];
      if (l.level === "COMPOUND") rows.push([t("building.managers"), units(l.managers)]);
      if (l.level === "COMMUNITY") {
        rows.push([t("building.paired"), units(l.pairedDepartments)]);
        rows.push([t("building.partners"), units(l.partners)]);
      }
      for (const [key, list] of [
        ["building.social", l.socialOrganizations],
        ["building.volunteers", l.volunteerTeams],
        ["building.facilities", l.facilities],
      ]) {
        if (list.length) rows.push([t(key), units(list)]);
      }
      return h(
        "details",
        { class: "level", open: true, dataset: { level: l.level } },
        h("summary", {}, h("b", {}, levelLabel(l.level)), " ", nodeLink(l.grid)),
        h("dl", {}, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      );
    }),
  );
}

function chainDetails(chain) {
  const handlers = chain.handlers.map((x, i) => [i ? "、" : "", nodeLink(x.department), ` (${roleLabel(x.role)})`]);
  const acc = chain.accountability;
  const parts = [
    [t("building.responseLevel"), chain.responseLevel ? levelLabel(chain.responseLevel) : h("span", { class: "gap" }, t("none"))],
    [t("building.handlers"), handlers.length ? handlers : h("span", { class: "gap" }, t("none"))],
    [
      t("building.accountability"),
      [
        `${t("building.territory")}：`,
        acc.territory.map((g, i) => [i ? "、" : "", nodeLink(g)]),
        `；${t("building.pairing")}：`,
        acc.pairing.length ? acc.pairing.map((d, i) => [i ? "、" : "", nodeLink(d)]) : h("span", { class: "gap" }, t("none")),
      ],
    ],
  ];
  const gapRows = chain.gaps.map((g) => [levelLabel(g.level), h("span", { title: gapDescription(g.kind) }, gapLabel(g.kind)), g.reason]);
  return h(
    "div",
    { class: "chain-details" },
    h("dl", {}, parts.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    gapRows.length
      ? [h("h3", {}, t("building.gaps")), table([t("level"), t("gaps.kind"), t("gaps.reason")], gapRows, { class: "gaps-table" })]
      : "",
  );
}
