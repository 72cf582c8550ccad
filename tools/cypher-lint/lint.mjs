#!/usr/bin/env node
// Lints Cypher statements with Neo4j's own Cypher front end (@neo4j-cypher/language-support).
//
// stdin: JSON {
//   "schema": { "labels": [...], "relationshipTypes": [...], "propertyKeys": [...],
//               "graphSchema": [{"from": "Label", "to": "Label", "relType": "TYPE"}] },
//   "cypherVersions": ["CYPHER 5"],             // default: ["CYPHER 5"]
//   "statements": [{ "name": "...", "text": "...", "parameters": { "name": example } }]
// }
// stdout: JSON { "linter": {name, version}, "results": [{ "name", "cypherVersion",
//   "diagnostics": [{ "severity": "error"|"warning"|"info"|"hint", "message", "line",
//   "column", "excerpt" }] }] }
//
// Each statement is linted against the schema with ONLY its own parameters declared, so an
// undeclared $parameter is an error. Functions and procedures: the package's bundled catalogue
// of a Neo4j 5 DBMS (exported as testData.mockSchema), restricted to built-ins (no APOC, no
// GDS plugins), so a misspelled, plugin-only or deprecated function is reported too.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const HERE = dirname(fileURLToPath(import.meta.url));
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };
const PLUGINS = /^(apoc|gds|genai|n10s)\./;

function builtIns(catalogue) {
  const out = {};
  for (const [version, entries] of Object.entries(catalogue ?? {})) {
    out[version] = Object.fromEntries(
      Object.entries(entries).filter(([name]) => !PLUGINS.test(name)),
    );
  }
  return out;
}

// Lints jobs [{statement, version}] against one schema; runs in the main thread or a worker.
function lintJobs(schemaIn, jobs) {
  const functions = builtIns(testData.mockSchema.functions);
  const procedures = builtIns(testData.mockSchema.procedures);
  return jobs.map(({ statement, version }) => {
    const schema = {
      labels: schemaIn.labels ?? [],
      relationshipTypes: schemaIn.relationshipTypes ?? [],
      propertyKeys: schemaIn.propertyKeys ?? [],
      graphSchema: schemaIn.graphSchema,
      parameters: statement.parameters ?? {},
      functions,
      procedures,
      defaultLanguage: version,
    };
    const { diagnostics } = lintCypherQuery(statement.text, schema);
    return {
      name: statement.name,
      cypherVersion: version,
      diagnostics: diagnostics.map((d) => ({
        severity: SEVERITY[d.severity ?? 1] ?? String(d.severity),
        message: d.message,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        excerpt: statement.text.slice(d.offsets.start, d.offsets.end),
      })),
    };
  });
}

function runWorker(schema, jobs) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { schema, jobs } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

async function main() {
  const input = JSON.parse(readFileSync(0, 'utf8'));
  const versions = input.cypherVersions ?? ['CYPHER 5'];
  const jobs = versions.flatMap((version) =>
    input.statements.map((statement) => ({ statement, version })),
  );
  // The front end takes ~0.1 s per statement: share the work out over a few threads.
  const wanted = Number(process.env.CYPHER_LINT_WORKERS ?? Math.min(4, availableParallelism()));
  const workers = Math.max(1, Math.min(wanted, Math.ceil(jobs.length / 20)));
  let results;
  if (workers === 1) {
    results = lintJobs(input.schema, jobs);
  } else {
    const shares = Array.from({ length: workers }, (_, i) => jobs.filter((_, j) => j % workers === i));
    const parts = await Promise.all(shares.map((share) => runWorker(input.schema, share)));
    const byIndex = [];
    parts.forEach((part, i) => part.forEach((r, k) => (byIndex[k * workers + i] = r)));
    results = byIndex;
  }
  const pkg = JSON.parse(
    readFileSync(join(HERE, 'node_modules/@neo4j-cypher/language-support/package.json'), 'utf8'),
  );
  process.stdout.write(
    JSON.stringify({ linter: { name: pkg.name, version: pkg.version }, results }) + '\n',
  );
}

if (isMainThread) {
  await main();
} else {
  parentPort.postMessage(lintJobs(workerData.schema, workerData.jobs));
}
