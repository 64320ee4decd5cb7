// scripts/module-cycles.mjs fails the lint stage on an import circle in the facade: these tests give it
// small module trees, with and without a circle, and check what it reads as an import and what it does not.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

import { expandUseTree, findCycles, moduleGraph } from "../../scripts/module-cycles.mjs";
import { fileTree } from "./file-tree.mjs";

const SCRIPT = new URL("../../scripts/module-cycles.mjs", import.meta.url).pathname;
const FACADE = new URL("../../src/wasm", import.meta.url).pathname;

const tree = (files) => fileTree("module-cycles", files);

const edges = (graph) => Object.fromEntries([...graph].map(([name, to]) => [name, [...to].sort()]));

test("use trees expand to every path they name", () => {
  assert.deepEqual(expandUseTree("super::{a::{self, B}, c::{d::E, F}}"), [
    "super::a",
    "super::a::B",
    "super::c::d::E",
    "super::c::F",
  ]);
});

test("use lines, inline super paths and child modules are edges; comments and strings are not", () => {
  const root = tree({
    "mod.rs": "mod a; mod b; mod c; mod sub;\npub use a::Thing;\n",
    "a.rs": "use super::{b::B, c};\nfn f() { super::sub::leaf::g(); }\n",
    "b.rs": '//! Uses super::a in prose only.\nconst S: &str = "super::a::X";\n/* super::c */\n',
    "c.rs": "use crate::wasm::b::B;\nuse crate::error::Error;\n",
    "sub/mod.rs": "mod leaf;\npub use leaf::g;\n",
    "sub/leaf.rs": "pub fn g() {}\n",
  });
  assert.deepEqual(edges(moduleGraph(root)), {
    "": ["a"],
    a: ["b", "c", "sub::leaf"],
    b: [],
    c: ["b"],
    sub: ["sub::leaf"],
    "sub::leaf": [],
  });
  assert.deepEqual(findCycles(moduleGraph(root)), []);
});

test("a circle is reported with its members and a path through it, and fails the check", () => {
  const root = tree({
    "mod.rs": "mod inner; mod dom; mod page;\n",
    "inner.rs": "use super::dom::Watch;\nuse super::page::page;\n",
    "dom.rs": "use super::inner::Inner;\n",
    "page.rs": "use super::dom;\n",
  });
  assert.deepEqual(findCycles(moduleGraph(root)), [
    { members: ["dom", "inner", "page"], circle: ["dom", "inner", "dom"] },
  ]);
  const run = spawnSync(process.execPath, [SCRIPT, root], { encoding: "utf8" });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /import circle in .* among dom, inner, page: dom -> inner -> dom/);
});

test("a child that imports its parent's items closes a circle with the parent's re-export", () => {
  const root = tree({
    "backend/mod.rs": "mod cookie;\npub use cookie::open;\npub struct Settings;\n",
    "backend/cookie.rs": "use super::Settings;\npub fn open() {}\n",
  });
  assert.equal(findCycles(moduleGraph(root)).length, 1);
});

test("the facade has no import circle", () => {
  const run = spawnSync(process.execPath, [SCRIPT, FACADE], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
});
