// scripts/build.mjs bundles with every esbuild warning an error: a warning fails the build instead of
// scrolling past. The classic script is the case that once needed a warning silenced: an IIFE has no
// import.meta, which the glue reads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BuildError, bundle } from "../../scripts/build.mjs";

function entry(code) {
  const dir = mkdtempSync(join(tmpdir(), "warnings-"));
  const file = join(dir, "entry.js");
  writeFileSync(file, code);
  return { entryPoints: [file], outfile: join(dir, "out.js"), logLevel: "silent" };
}

const READS_IMPORT_META = 'export const wasm = (path) => new URL(path ?? "tokenstore_bg.wasm", import.meta.url);';

test("a warning fails the bundle: import.meta in a classic script", async () => {
  await assert.rejects(bundle({ ...entry(READS_IMPORT_META), format: "iife" }), BuildError);
});

test("the classic script's way: import.meta.url defined, no warning", async () => {
  const code = await bundle({ ...entry(READS_IMPORT_META), format: "iife", define: { "import.meta.url": "undefined" } });
  assert.doesNotMatch(code, /import\.meta/);
});

test("another warning fails the bundle too: a comparison with -0", async () => {
  await assert.rejects(bundle({ ...entry("export const zero = (x) => x === -0;") }), BuildError);
});
