// Generates src/api/generated/<service>.ts from the committed OpenAPI documents in ../api-specs.
// `--check` fails when the committed files differ (the drift check run by `make web-check`).
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const specs = join(here, "..", "..", "api-specs");
const out = join(here, "..", "src", "api", "generated");
const SERVICES = ["user", "catalog", "booking", "payment", "receipt", "admin", "location", "analytics", "integration"];
const check = process.argv.includes("--check");
let drift = [];
mkdirSync(out, { recursive: true });
for (const name of SERVICES) {
  const file = join(specs, `${name}.json`);
  const doc = JSON.parse(readFileSync(file, "utf8"));
  const source = `api-specs/${name}.json`;
  const ast = await openapiTS(doc);
  const text = `// Generated from ${source} by scripts/gen-api.mjs; do not edit.\n${astToString(ast)}`;
  const target = join(out, `${name}.ts`);
  if (check) {
    const current = existsSync(target) ? readFileSync(target, "utf8") : "";
    if (current !== text) drift.push(target);
  } else {
    writeFileSync(target, text);
  }
}
if (check && drift.length) {
  console.error(`API client out of date with api-specs/: ${drift.join(", ")}\nRun: npm run gen`);
  process.exit(1);
}
