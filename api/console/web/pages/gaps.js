// 缺口: every grid (and event type) with a missing link on a day, counted per level and kind,
// filtered and paged; "export" pages through the same query and saves a UTF-8 CSV with a BOM,
// which Excel opens with the Chinese intact.
import { gql, today } from "../api.js";
import { h, table } from "../dom.js";
import { gapDescription, gapLabel, levelLabel, t } from "../i18n.js";
import { go, nodeLink } from "../nav.js";
import { dateControls } from "./dates.js";

const PAGE = 50;
const EXPORT_PAGE = 500;

const QUERY = `query ConsoleGaps($asOf: Date, $kind: [GapKind!], $level: [GapLevel!], $first: Int, $after: String) {
  gaps(asOf: $asOf) {
    asOf totalCount
    checked { level count }
    counts { level kind count }
    rows(kind: $kind, level: $level, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { level kind reason node { id kind name } community { id name } }
    }
  }
}`;

export async function view(params) {
  const asOf = params.get("asOf") || today();
  const kind = params.get("kind") || "";
  const level = params.get("level") || "";
  const cursors = (params.get("cursors") || "").split(",").filter(Boolean); // the pages before
  const after = cursors.length ? cursors[cursors.length - 1] : null;
  const filter = { kind: kind ? [kind] : null, level: level ? [level] : null };
  const data = await gql(QUERY, { asOf, ...filter, first: PAGE, after });
  const report = data.gaps;
  const rows = report.rows;
  const state = { asOf, kind, level };
  const again = (changes) => go("/gaps", { ...state, ...changes }, { replace: true });

  const levels = [...new Set(report.counts.map((c) => c.level))];
  const kinds = [...new Set(report.counts.map((c) => c.kind))];
  const countOf = (l, k) => report.counts.find((c) => c.level === l && c.kind === k)?.count || 0;
  const cell = (l, k, n) =>
    n ? h("a", { href: "#", onclick: (e) => (e.preventDefault(), again({ level: l, kind: k, cursors: "" })) }, n.toLocaleString()) : "";
  const countTable = table(
    [t("level"), ...kinds.map((k) => h("span", { title: gapDescription(k) }, gapLabel(k))), t("total")],
    levels.map((l) => [
      levelLabel(l),
      ...kinds.map((k) => cell(l, k, countOf(l, k))),
      cell(l, "", kinds.reduce((sum, k) => sum + countOf(l, k), 0)),
    ]),
    { class: "counts" },
  );

  const kindSelect = h(
    "select",
    { name: "kind", onchange: (e) => again({ kind: e.target.value, cursors: "" }) },
    h("option", { value: "" }, t("gaps.allKinds")),
    Object.keys(countsByKind(report)).map((k) => h("option", { value: k, selected: k === kind }, gapLabel(k))),
  );
  const levelSelect = h(
    "select",
    { name: "level", onchange: (e) => again({ level: e.target.value, cursors: "" }) },
    h("option", { value: "" }, t("gaps.allLevels")),
    levels.map((l) => h("option", { value: l, selected: l === level }, levelLabel(l))),
  );
  const status = h("span", { class: "muted", id: "export-status" });
  const exportButton = h("button", { type: "button", id: "export" }, t("gaps.export"));
  exportButton.addEventListener("click", () => exportCsv({ asOf, ...filter }, exportButton, status));

  const pageNo = cursors.length + 1;
  const pager = h(
    "div",
    { class: "pager" },
    h("button", { type: "button", disabled: !cursors.length, onclick: () => again({ cursors: cursors.slice(0, -1).join(",") }) }, t("gaps.prev")),
    h("span", { id: "page-info" }, t("gaps.page", { n: pageNo, total: rows.totalCount.toLocaleString() })),
    h(
      "button",
      { type: "button", disabled: !rows.pageInfo.hasNextPage, onclick: () => again({ cursors: [...cursors, rows.pageInfo.endCursor].join(",") }) },
      t("gaps.next"),
    ),
  );
  const checked = report.checked.map((c) => `${levelLabel(c.level)} ${c.count.toLocaleString()}`).join(" · ");
  return h(
    "section",
    { class: "page gaps" },
    h(
      "div",
      { class: "titlebar" },
      h("div", {}, h("h1", {}, t("gaps.title"), h("small", {}, ` ${report.totalCount.toLocaleString()}`)), h("p", { class: "muted" }, `${t("gaps.checked")}：${checked}`)),
      dateControls(asOf, (day) => again({ asOf: day, cursors: "" })),
    ),
    h("h2", {}, t("gaps.counts")),
    countTable,
    h("div", { class: "filters" }, h("h2", {}, t("gaps.rows")), levelSelect, kindSelect, exportButton, status),
    table(
      [t("level"), t("gaps.kind"), t("gaps.node"), t("gaps.community"), t("gaps.reason")],
      rows.nodes.map((g) => [levelLabel(g.level), gapLabel(g.kind), nodeLink(g.node, { asOf }), nodeLink(g.community), g.reason]),
      { class: "gap-rows" },
    ),
    pager,
  );
}

function countsByKind(report) {
  const out = {};
  for (const c of report.counts) out[c.kind] = (out[c.kind] || 0) + c.count;
  return out;
}

function csvCell(value) {
  const text = String(value ?? "");
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

async function exportCsv(variables, button, status) {
  button.disabled = true;
  status.textContent = t("gaps.exporting");
  try {
    const lines = [["层级 level", "缺口类型 kind", "节点编号 node id", "名称 name", "社区 community", "原因 reason"]];
    let after = null;
    for (;;) {
      const data = await gql(QUERY, { ...variables, first: EXPORT_PAGE, after });
      const rows = data.gaps.rows;
      for (const g of rows.nodes) {
        lines.push([levelLabel(g.level), gapLabel(g.kind), g.node.id, g.node.name || "", g.community?.name || "", g.reason]);
      }
      status.textContent = `${t("gaps.exporting")} ${lines.length - 1} / ${rows.totalCount}`;
      if (!rows.pageInfo.hasNextPage) break;
      after = rows.pageInfo.endCursor;
    }
    const text = "\ufeff" + lines.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
    const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    const a = Object.assign(document.createElement("a"), { href: url, download: `缺口清单-gaps-${variables.asOf}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    status.textContent = `${lines.length - 1}`;
  } catch (error) {
    status.textContent = `${t("error")}: ${error.message}`;
  } finally {
    button.disabled = false;
  }
}
