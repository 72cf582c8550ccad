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
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

function main() {
  const input = JSON.parse(readFileSync(0, 'utf8'));
  const versions = input.cypherVersions ?? ['CYPHER 5'];
  const functions = builtIns(testData.mockSchema.functions);
  const procedures = builtIns(testData.mockSchema.procedures);
  const results = [];
  for (const version of versions) {
    for (const statement of input.statements) {
      const schema = {
        labels: input.schema.labels ?? [],
        relationshipTypes: input.schema.relationshipTypes ?? [],
        propertyKeys: input.schema.propertyKeys ?? [],
        graphSchema: input.schema.graphSchema,
        parameters: statement.parameters ?? {},
        functions,
        procedures,
        defaultLanguage: version,
      };
      const { diagnostics } = lintCypherQuery(statement.text, schema);
      results.push({
        name: statement.name,
        cypherVersion: version,
        diagnostics: diagnostics.map((d) => ({
          severity: SEVERITY[d.severity ?? 1] ?? String(d.severity),
          message: d.message,
          line: d.range.start.line + 1,
          column: d.range.start.character + 1,
          excerpt: statement.text.slice(d.offsets.start, d.offsets.end),
        })),
      });
    }
  }
  const pkg = JSON.parse(
    readFileSync(join(HERE, 'node_modules/@neo4j-cypher/language-support/package.json'), 'utf8'),
  );
  process.stdout.write(
    JSON.stringify({ linter: { name: pkg.name, version: pkg.version }, results }) + '\n',
  );
}

main();
