// Fails the build when the storefront's initial JavaScript (the entry chunk and everything it
// imports statically, so what a visitor of /t/{tenant} downloads first) is above the budget, gzipped.
import { readFileSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const BUDGET = 200 * 1024;
const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));
const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const seen = new Set();
const walk = (key) => {
  if (seen.has(key)) return;
  seen.add(key);
  for (const imp of manifest[key].imports ?? []) walk(imp);
};
walk(entry);
let total = 0;
for (const key of seen) total += gzipSync(readFileSync(join(dist, manifest[key].file))).length;
const kb = (total / 1024).toFixed(1);
if (total > BUDGET) {
  console.error(`initial JS ${kb} kB gzipped is over the ${BUDGET / 1024} kB budget`);
  rmSync(join(dist, "index.html")); // so that make does not take the build as done
  process.exit(1);
}
console.log(`initial JS ${kb} kB gzipped (budget ${BUDGET / 1024} kB)`);
