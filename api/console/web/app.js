// The console: one page, views chosen by the URL's hash (#/node/<id>?asOf=…), each view one
// GraphQL request to the public API at /graphql.
import { lang, setLang, t } from "./i18n.js";
import { errorBox, parseHash } from "./nav.js";
import * as gapsPage from "./pages/gaps.js";
import * as nodePage from "./pages/node.js";
import * as searchPage from "./pages/search.js";
import * as uploadPage from "./pages/upload.js";

const ROUTES = [
  { name: "search", match: /^\/(search)?$/, page: searchPage },
  { name: "node", match: /^\/node\/(.+)$/, page: nodePage },
  { name: "gaps", match: /^\/gaps$/, page: gapsPage },
  { name: "upload", match: /^\/upload$/, page: uploadPage },
];

const main = document.getElementById("view");
let generation = 0;

async function render() {
  const mine = ++generation;
  const { path, params } = parseHash();
  const route = ROUTES.find((r) => r.match.test(path)) || ROUTES[0];
  const arg = (path.match(route.match) || [])[1];
  document.querySelectorAll("[data-nav]").forEach((a) => {
    a.classList.toggle("active", a.dataset.nav === route.name || (route.name === "node" && a.dataset.nav === "search"));
  });
  main.dataset.view = route.name;
  main.dataset.state = "loading";
  const started = performance.now();
  let el;
  try {
    el = await route.page.view(params, arg ? decodeURIComponent(arg) : undefined);
  } catch (error) {
    console.error(error);
    el = errorBox(error);
    main.dataset.state = "error";
  }
  if (mine !== generation) return; // a newer view was asked for meanwhile
  const fetched = performance.now();
  main.replaceChildren(el);
  if (typeof el.onmount === "function") el.onmount();
  main.dataset.mountMs = String(Math.round(performance.now() - fetched));
  if (main.dataset.state !== "error") main.dataset.state = "ready";
  main.dataset.renders = String(Number(main.dataset.renders || 0) + 1);
  main.dataset.ms = String(Math.round(performance.now() - started));
}

function applyLanguage() {
  document.querySelectorAll("[data-i18n]").forEach((el) => {
    el.textContent = t(el.dataset.i18n);
  });
  document.getElementById("lang").textContent = t("switchTo");
  document.title = `${t("brand")} · gridgraph`;
}

document.getElementById("lang").addEventListener("click", () => {
  setLang(lang === "zh" ? "en" : "zh");
  applyLanguage();
  render();
});

setLang(lang);
applyLanguage();
window.addEventListener("hashchange", render);
render();
