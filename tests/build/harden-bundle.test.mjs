// scripts/harden-bundle.mjs rewrites esbuild's runtime helpers by pattern: these tests bundle with the
// esbuild the build uses, run the result with a polluted Object.prototype (in a fresh vm context, so the
// pollution stays there), and make it throw when the helpers change shape.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";
import { BundleShapeError, hardenBundle } from "../../scripts/harden-bundle.mjs";

const ESBUILD = new URL("../../node_modules/.bin/esbuild", import.meta.url).pathname;

// A namespace object and a re-exported one (esbuild's __export and __copyProps), a class and functions
// whose names --keep-names keeps (__name), bundled as a classic script with a global.
function bundle(dir) {
  writeFileSync(join(dir, "inner.js"), "export const one = 1; export function two() { return 2; }");
  writeFileSync(join(dir, "entry.js"), 'import * as inner from "./inner.js"; export { inner }; export class Named {}');
  const out = join(dir, "bundle.js");
  const result = spawnSync(ESBUILD, [join(dir, "entry.js"), "--bundle", "--keep-names", "--format=iife",
    "--global-name=lib", "--target=es2020", `--outfile=${out}`, "--log-level=warning"], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return out;
}

/** Runs `code` in a new context whose Object.prototype has `name` (enumerable); returns what `lib` holds. */
function runPolluted(code, name) {
  const context = vm.createContext({});
  vm.runInContext(`Object.defineProperty(Object.prototype, ${JSON.stringify(name)},
    { __proto__: null, value: 1, enumerable: true, configurable: true, writable: true });`, context);
  vm.runInContext(code, context);
  return vm.runInContext("[Object.keys(lib).sort(), lib.inner.one, lib.inner.two(), lib.Named.name]", context);
}

const NAMES = ["get", "set", "value", "writable", "enumerable", "configurable", "extra"];

test("a hardened bundle runs with any descriptor member on Object.prototype; esbuild's own does not", () => {
  const dir = mkdtempSync(join(tmpdir(), "harden-"));
  const file = bundle(dir);
  const original = readFileSync(file, "utf8");
  for (const name of NAMES) {
    assert.throws(() => runPolluted(original, name), (error) => error.name === "TypeError", `esbuild's output with ${name}`);
  }
  const hardened = hardenBundle(original, file);
  for (const name of NAMES) {
    assert.deepEqual(JSON.parse(JSON.stringify(runPolluted(hardened, name))), [["Named", "inner"], 1, 2, "Named"], name);
  }
  assert.equal(hardenBundle(hardened, file), hardened, "hardening twice changes nothing");
});

for (const [what, code] of [
  ["__defProp defined another way", "var __defProp = (o, k, d) => Object.defineProperty(o, k, d);\n__defProp({}, 'a', { value: 1 });"],
  ["a for ... in loop", "for (var key in object) use(key);"],
  ["the definition twice", "var __defProp = Object.defineProperty;\nvar __defProp = Object.defineProperty;"],
]) {
  test(`a bundle of another shape is refused: ${what}`, () => {
    assert.throws(() => hardenBundle(code, "odd.js"), (error) => error instanceof BundleShapeError && error.message.startsWith("odd.js: "));
  });
}
