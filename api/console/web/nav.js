// Views live in the URL's hash, so every page can be linked to, bookmarked and reloaded.
import { h } from "./dom.js";
import { t } from "./i18n.js";

/** Parse the hash: ``#/node/x?asOf=…`` -> {path: "/node/x", params: URLSearchParams}. */
export function parseHash() {
  const raw = window.location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = raw.split("?");
  return { path: decodeURI(path), params: new URLSearchParams(query) };
}

/** Go to a view; ``params`` becomes the hash's query string (empty values left out). */
export function go(path, params = {}, { replace = false } = {}) {
  const query = new URLSearchParams(
    Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ""),
  ).toString();
  const hash = `#${encodeURI(path)}${query ? `?${query}` : ""}`;
  if (replace) window.history.replaceState(null, "", hash);
  else window.location.hash = hash;
  if (replace) window.dispatchEvent(new HashChangeEvent("hashchange"));
}

export function nodeHref(id, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v)).toString();
  return `#/node/${encodeURIComponent(id)}${query ? `?${query}` : ""}`;
}

/** A link to a node's page, or plain text when there is no node. */
export function nodeLink(node, params = {}) {
  if (!node) return "";
  return h("a", { href: nodeHref(node.id, params), title: node.id }, node.name || node.id);
}

export function errorBox(error) {
  let text = error.message || String(error);
  if (error.status === 401) text = `${t("auth.read")} (${text})`;
  return h("div", { class: "error", role: "alert" }, `${t("error")}: ${text}`);
}
