// 导入 (admins): choose or drop a file, read the dry-run report (sheet, row, column, message;
// what would change), confirm, and the file is loaded all or nothing. Uses the importFile
// mutation of the public API; the admin token is kept in sessionStorage for this session only.
import { gql, token } from "../api.js";
import { h, table } from "../dom.js";
import { lang, t } from "../i18n.js";

const LOG = `query ConsoleImports {
  importRuns(orderBy: [{field: CODE, direction: DESC}], first: 20) {
    totalCount
    nodes { id code file status rows rowsLoaded rowsInvalid rowsSkipped nodesCreated nodesUpdated relationshipsCreated relationshipsUpdated loadedAt loadedBy }
  }
}`;

const IMPORT = `mutation ConsoleImport($file: Upload!, $dryRun: Boolean!, $skipInvalid: Boolean!, $onConflict: OnConflict!) {
  importFile(file: $file, dryRun: $dryRun, skipInvalid: $skipInvalid, onConflict: $onConflict) {
    file status summary dryRun valid rows rowsValid rowsInvalid rowsSkipped kinds importRunId
    changes { nodesCreated nodesUpdated nodesUnchanged relationshipsCreated relationshipsUpdated relationshipsUnchanged changed }
    sheets { name kind rows }
    problems { sheet row column code severity messageZh messageEn }
  }
}`;

/** The import log is for admins only: without the admin token it says so instead. */
async function loadLog(log, count) {
  try {
    const runs = (await gql(LOG)).importRuns;
    log.replaceChildren(logTable(runs));
    count.textContent = ` (${runs.totalCount})`;
  } catch (error) {
    log.replaceChildren(h("p", { class: "muted", id: "log-refused" }, t("upload.logAdmins")));
    count.textContent = "";
  }
}

export async function view() {
  const result = h("div", { id: "upload-result" });
  const fileInput = h("input", { type: "file", id: "file", accept: ".xlsx,.xlsm,.csv,.json,.jsonl,.txt" });
  const skipInvalid = h("input", { type: "checkbox", name: "skipInvalid" });
  const onConflict = h(
    "select",
    { name: "onConflict" },
    ["UPDATE", "SKIP", "FAIL"].map((v) => h("option", { value: v }, t(`upload.${v.toLowerCase()}`))),
  );
  const chosen = h("span", { class: "chosen" });
  const drop = h(
    "label",
    { class: "dropzone", for: "file", id: "dropzone" },
    h("span", {}, t("upload.drop")),
    h("span", { class: "button" }, t("upload.choose")),
    chosen,
    fileInput,
  );
  const options = () => ({ skipInvalid: skipInvalid.checked, onConflict: onConflict.value });
  let current = null;
  const start = (file) => {
    if (!file) return;
    current = file;
    chosen.textContent = file.name;
    dryRun(file, options(), result, () => loadLog(log, count));
  };
  // a changed option changes the report: check the same file again
  skipInvalid.addEventListener("change", () => start(current));
  onConflict.addEventListener("change", () => start(current));
  fileInput.addEventListener("change", () => start(fileInput.files[0]));
  drop.addEventListener("dragover", (e) => (e.preventDefault(), drop.classList.add("over")));
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    start(e.dataTransfer.files[0]);
  });
  const log = h("div", { id: "import-log" });
  const count = h("small", {});
  await loadLog(log, count);
  return h(
    "section",
    { class: "page upload" },
    h("h1", {}, t("upload.title")),
    tokenBox(() => loadLog(log, count)),
    drop,
    h(
      "div",
      { class: "options" },
      h("label", {}, skipInvalid, " ", t("upload.skipInvalid")),
      h("label", {}, t("upload.onConflict"), " ", onConflict),
      h("span", { class: "muted" }, t("upload.template")),
    ),
    result,
    h("h2", {}, t("upload.log"), count),
    log,
  );
}

function tokenBox(changed) {
  const box = h("div", { class: "token", id: "token-box" });
  const show = () => {
    if (token.get()) {
      box.replaceChildren(
        h("span", { class: "badge ok" }, t("upload.tokenSaved")),
        " ",
        h("button", { type: "button", onclick: () => (token.clear(), show(), changed()) }, t("upload.tokenClear")),
      );
      return;
    }
    const input = h("input", { type: "password", name: "token", autocomplete: "off", placeholder: t("upload.token") });
    box.replaceChildren(
      h(
        "form",
        { onsubmit: (e) => (e.preventDefault(), input.value.trim() && (token.set(input.value), show(), changed())) },
        h("label", {}, t("upload.token"), " ", input),
        " ",
        h("button", { type: "submit" }, t("upload.tokenSave")),
        h("span", { class: "muted" }, " ", t("upload.tokenHint")),
      ),
    );
  };
  show();
  return box;
}

function refusal(error) {
  if (error.status === 401) return t("auth.401");
  if (error.status === 403) return t("auth.403");
  return `${t("error")}: ${error.message}`;
}

async function send(file, dry, options, result) {
  result.replaceChildren(h("p", { class: "muted" }, t(dry ? "upload.checking" : "upload.loading")));
  try {
    const data = await gql(IMPORT, { dryRun: dry, ...options }, file);
    return data.importFile;
  } catch (error) {
    result.replaceChildren(h("div", { class: "error", role: "alert", id: "upload-error" }, refusal(error), h("br"), h("small", {}, error.message)));
    return null;
  }
}

async function dryRun(file, options, result, refreshLog) {
  const report = await send(file, true, options, result);
  if (!report) return;
  const loadable = canLoad(report, options);
  const confirm = h("button", { type: "button", class: "primary", id: "confirm", disabled: !loadable }, t("upload.confirm"));
  const cancel = h("button", { type: "button", onclick: () => result.replaceChildren() }, t("upload.cancel"));
  confirm.addEventListener("click", async () => {
    const loaded = await send(file, false, options, result);
    if (!loaded) return;
    result.replaceChildren(reportView(loaded, t("upload.result")));
    await refreshLog();
  });
  const why = loadable ? "" : h("span", { class: "muted", id: "why-not" }, " ", t(report.changes.changed || report.rowsInvalid ? "upload.fixFirst" : "upload.nothingToDo"));
  result.replaceChildren(reportView(report, t("upload.dryRun")), h("div", { class: "actions" }, confirm, " ", cancel, why));
}

/** A real load would write something: every row is valid (or the invalid ones are skipped). */
function canLoad(report, options) {
  const rowsOk = report.rowsInvalid === 0 || (options.skipInvalid && report.rowsValid > 0);
  return report.status === "CHECKED" && rowsOk && report.changes.changed;
}

function reportView(r, title) {
  const c = r.changes;
  const changes = table(
    ["", t("upload.created"), t("upload.updated"), t("upload.unchanged")],
    [
      [t("upload.nodes"), c.nodesCreated, c.nodesUpdated, c.nodesUnchanged],
      [t("upload.relationships"), c.relationshipsCreated, c.relationshipsUpdated, c.relationshipsUnchanged],
    ],
    { class: "changes" },
  );
  const problems = r.problems.length
    ? table(
        [t("upload.sheet"), t("upload.row"), t("upload.column"), t("upload.severity"), t("upload.message")],
        r.problems.map((p) => [p.sheet || "", p.row ?? "", p.column || "", p.severity, lang === "zh" ? p.messageZh : p.messageEn]),
        { class: "problems", id: "problems" },
      )
    : h("p", { class: "ok" }, t("upload.noProblems"));
  const sheets = r.sheets.map((s) => `${s.name || r.file}${s.kind ? ` (${s.kind})` : ""}: ${s.rows}`).join(" · ");
  return h(
    "div",
    { class: "report", dataset: { status: r.status } },
    h("h2", {}, title, " ", h("span", { class: `badge ${r.status === "REJECTED" || r.status === "UNLOADABLE" ? "bad" : "ok"}`, id: "report-status" }, r.status)),
    h("p", { class: "summary" }, r.summary),
    h("p", { class: "muted" }, `${t("upload.rows")}: ${r.rows} · ${sheets}`),
    h("h3", {}, t("upload.changes")),
    changes,
    h("h3", {}, t("upload.problems"), h("small", {}, ` (${r.problems.length})`)),
    problems,
  );
}

function logTable(runs) {
  if (!runs.nodes.length) return h("p", { class: "muted" }, t("none"));
  return table(
    [t("upload.when"), t("upload.file"), t("upload.status"), t("upload.rows"), t("upload.created"), t("upload.updated"), t("upload.by")],
    runs.nodes.map((r) => [
      r.loadedAt || "",
      r.file || r.code,
      r.status || "",
      `${r.rowsLoaded ?? 0} / ${r.rows ?? 0}`,
      `${r.nodesCreated ?? 0} + ${r.relationshipsCreated ?? 0}`,
      `${r.nodesUpdated ?? 0} + ${r.relationshipsUpdated ?? 0}`,
      r.loadedBy || "",
    ]),
    { class: "log" },
  );
}
