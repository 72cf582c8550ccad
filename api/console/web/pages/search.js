// 查找: names, aliases, pinyin or initials, straight to a node's page. Without text, the counts.
import { gql } from "../api.js";
import { debounce, h, table } from "../dom.js";
import { kindLabel, kindNames, relLabel, t } from "../i18n.js";
import { go, nodeHref } from "../nav.js";

const SEARCH = `query ConsoleSearch($text: String!, $kinds: [Kind!]) {
  search(text: $text, kinds: $kinds, first: 30) {
    id kind name aliases
    ... on Grid { ancestors { name } }
  }
}`;

const COUNTS = `query ConsoleCounts { counts }`;

export async function view(params) {
  const text = (params.get("q") || "").trim();
  const kind = params.get("kind") || "";
  const input = h("input", {
    type: "search",
    name: "q",
    value: text,
    placeholder: t("search.placeholder"),
    autocomplete: "off",
    autofocus: true,
  });
  const kinds = h(
    "select",
    { name: "kind" },
    h("option", { value: "" }, t("search.all")),
    kindNames.map((k) => h("option", { value: k, selected: k === kind }, kindLabel(k))),
  );
  const submit = () => go("/search", { q: input.value.trim(), kind: kinds.value }, { replace: true });
  input.addEventListener("input", debounce(submit, 300));
  kinds.addEventListener("change", submit);
  const form = h(
    "form",
    { class: "searchbar", onsubmit: (e) => (e.preventDefault(), submit()) },
    input,
    kinds,
    h("button", { type: "submit" }, t("search.title")),
  );
  const page = h("section", { class: "page search" }, h("h1", {}, t("search.title")), form);
  page.onmount = () => {
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  };
  if (!text) {
    const data = await gql(COUNTS);
    page.append(h("p", { class: "muted" }, t("search.hint")), counts(data.counts));
    return page;
  }
  const data = await gql(SEARCH, { text, kinds: kind ? [kind] : null });
  if (!data.search.length) {
    page.append(h("p", { class: "muted" }, t("search.none")));
    return page;
  }
  const rows = data.search.map((n) => [
    h("a", { href: nodeHref(n.id), class: "result" }, n.name || n.id),
    kindLabel(n.kind),
    (n.ancestors || []).map((a) => a.name).join(" › "),
  ]);
  page.append(table([t("name"), t("kind"), t("where")], rows, { class: "results" }));
  return page;
}

function counts(all) {
  const nodes = all.nodes || all;
  const rels = all.relationships || {};
  const nodeRows = Object.entries(nodes)
    .filter(([, n]) => typeof n === "number" && n > 0)
    .map(([k, n]) => [kindLabel(k), n.toLocaleString()]);
  const relRows = Object.entries(rels)
    .filter(([, n]) => typeof n === "number" && n > 0)
    .map(([k, n]) => [relLabel(k), n.toLocaleString()]);
  return h(
    "div",
    { class: "columns" },
    h("div", {}, h("h2", {}, t("search.counts")), table([t("kind"), t("count")], nodeRows)),
    h("div", {}, h("h2", {}, t("node.relationships")), table([t("node.type"), t("count")], relRows)),
  );
}
