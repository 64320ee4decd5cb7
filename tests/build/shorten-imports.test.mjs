// scripts/shorten-imports.mjs rewrites wasm-bindgen's output by pattern: these tests hold it to what it
// expects, and make it fail loudly, before anything is written, when the glue changes shape.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SCRIPT = new URL("../../scripts/shorten-imports.mjs", import.meta.url).pathname;
const GLUE = "./tokenstore_bg.js";

const leb = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const text = (s) => [...leb(Buffer.byteLength(s)), ...Buffer.from(s)];
const section = (id, body) => [id, ...leb(body.length), ...body];

/** A valid wasm module importing one `() -> ()` function per [module, name]. */
function moduleImporting(imports) {
  const types = section(1, [1, 0x60, 0, 0]);
  const body = [...leb(imports.length)];
  for (const [module, name] of imports) body.push(...text(module), ...text(name), 0, 0);
  return Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...section(2, body)]);
}

function run(wasm, glue) {
  const dir = mkdtempSync(join(tmpdir(), "shorten-"));
  const [wasmPath, gluePath] = [join(dir, "m.wasm"), join(dir, "m.js")];
  writeFileSync(wasmPath, wasm);
  writeFileSync(gluePath, glue);
  const result = spawnSync(process.execPath, [SCRIPT, wasmPath, gluePath], { encoding: "utf8" });
  return { ...result, wasm: readFileSync(wasmPath), glue: readFileSync(gluePath, "utf8") };
}

const names = ["__wbg_getItem_0123456789abcdef", "__wbg_setTimeout_fedcba9876543210"];
const glueFor = (keys) => `function i(){const t={};t["${GLUE}"]={${keys.map((k) => `${k}:function(){}`).join(",")}};return t}`;

test("imports from the glue get short names in both files; other modules are left alone", () => {
  const wasm = moduleImporting([[GLUE, names[0]], ["./snippets/x.js", "keep"], [GLUE, names[1]]]);
  const { status, stderr, wasm: out, glue } = run(wasm, glueFor(names));
  assert.equal(status, 0, stderr);
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(out));
  assert.deepEqual(imports.map((i) => [i.module, i.name]), [[GLUE, "a"], ["./snippets/x.js", "keep"], [GLUE, "b"]]);
  assert.equal(glue, glueFor(["a", "b"]));
});

for (const [what, glue] of [
  ["a name the glue does not have", glueFor([names[0]])],
  ["a name written twice", glueFor(names) + `/* ${names[1]} */`],
  ["a name that is not an object key", glueFor([names[0]]) + `;x(${names[1]})`],
]) {
  test(`glue of another shape fails before anything is written: ${what}`, () => {
    const wasm = moduleImporting(names.map((name) => [GLUE, name]));
    const result = run(wasm, glue);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^shorten-imports: /);
    assert.deepEqual(result.wasm, wasm, "the wasm is untouched");
    assert.equal(result.glue, glue, "the glue is untouched");
  });
}

test("a module with no imports from the glue fails", () => {
  const result = run(moduleImporting([["./snippets/x.js", "keep"]]), glueFor([]));
  assert.equal(result.status, 1);
  assert.match(result.stderr, /no imports from/);
});

test("a file that is not wasm fails", () => {
  const result = run(Buffer.from("not wasm at all"), glueFor(names));
  assert.equal(result.status, 1);
  assert.match(result.stderr, /is not a wasm module/);
});
