// Copies the browser libraries the console and GraphiQL load out of node_modules into
// api/console/vendor/<package>@<version>/ and writes manifest.json, which the server reads
// to name them in its pages. Run by `make assets` (and so by `make serve` and `make test`)
// after `npm ci`; the output is build output, not committed.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "..", "api", "console", "vendor");

// package -> { role: file inside the package }; LICENSE files go along.
const FILES = {
  react: { script: "umd/react.production.min.js" },
  "react-dom": { script: "umd/react-dom.production.min.js" },
  graphiql: { script: "graphiql.min.js", style: "graphiql.min.css" },
  cytoscape: { module: "dist/cytoscape.esm.min.mjs" },
};

rmSync(out, { recursive: true, force: true });
const manifest = {};
for (const [name, files] of Object.entries(FILES)) {
  const root = join(here, "node_modules", name);
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const folder = `${name}@${version}`;
  mkdirSync(join(out, folder), { recursive: true });
  manifest[name] = { version };
  for (const [role, file] of Object.entries({ ...files, license: "LICENSE" })) {
    const base = file.split("/").pop();
    copyFileSync(join(root, file), join(out, folder, base));
    manifest[name][role] = `${folder}/${base}`;
  }
}
writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`console assets: ${Object.keys(manifest).length} packages in ${out}`);
