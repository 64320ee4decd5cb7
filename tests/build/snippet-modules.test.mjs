// scripts/snippet-modules.mjs fails the lint stage when the glue would import more than four snippet
// modules, the most a browser test page loads reliably from wasm-bindgen-test-runner's server (the
// script's header says why). These tests hold this crate to it and check what the script counts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

import { MAX_SNIPPETS, snippetModules, snippetsOf } from "../../scripts/snippet-modules.mjs";
import { fileTree } from "./file-tree.mjs";

const SCRIPT = new URL("../../scripts/snippet-modules.mjs", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;

const tree = (files) => fileTree("snippet-modules", files);

const imports = (name) => `#[wasm_bindgen(module = "/src/wasm/${name}.js")]\nextern "C" { fn ${name}(); }\n`;

test("the crate's browser test pages import at most four snippet modules", () => {
  const snippets = snippetModules([join(ROOT, "src"), join(ROOT, "tests")]);
  assert.ok(snippets.length > 0, "the crate has snippet modules to count");
  assert.ok(snippets.length <= MAX_SNIPPETS, `${snippets.length} snippet modules: ${snippets.join(", ")}`);
});

test("one path imported from several files counts once; inline_js counts; comments do not", () => {
  const root = tree({
    "a.rs": imports("one") + imports("two"),
    "b/c.rs": imports("one") + '#[wasm_bindgen(inline_js = "export function f() {}")]\nextern "C" { fn f(); }\n',
    "d.rs": '// #[wasm_bindgen(module = "/src/wasm/prose.js")] is how a snippet is imported\n',
  });
  assert.equal(snippetModules([root]).length, 3);
  assert.deepEqual(snippetsOf(imports("one"), "x.rs"), ["/src/wasm/one.js"]);
});

test("the script passes four snippet modules and fails a fifth", () => {
  const four = ["a", "b", "c", "d"].map(imports).join("");
  const passed = spawnSync(process.execPath, [SCRIPT, tree({ "lib.rs": four })], { encoding: "utf8" });
  assert.equal(passed.status, 0, passed.stderr);
  const failed = spawnSync(process.execPath, [SCRIPT, tree({ "lib.rs": four + imports("e") })], { encoding: "utf8" });
  assert.equal(failed.status, 1);
  assert.match(failed.stderr, /5 snippet modules/);
});
