// scripts/glue.mjs rewrites wasm-bindgen's output by its structure. These tests run the rewrites on the
// glue wasm-bindgen writes for this crate (the installed wasm-bindgen CLI, over the release module cargo
// built in target/), as written and minified, then load it in Node and start the rewritten module; and
// they hold the rewrites to failing, with what they expected, on a glue or a module of another shape.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build, transform } from "esbuild";
import { minify } from "terser";
import { GLUE_MODULE, GlueShapeError, glueImports, refuseForeignModule, shortenImports } from "../../scripts/glue.mjs";
import { fileTree } from "./file-tree.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
const RELEASE_WASM = join(ROOT, "target/wasm32-unknown-unknown/release/tokenstore.wasm");
const OUR_EXPORT = "core_new";
const TOKEN = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."; // {"alg":"none"}.{"sub":"x"}

// --- Wasm modules written by hand ---

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
const importsOf = (wasm) => WebAssembly.Module.imports(new WebAssembly.Module(wasm)).map((i) => [i.module, i.name]);

// --- wasm-bindgen's own output for this crate ---

const generated = (() => {
  if (!existsSync(RELEASE_WASM)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "bindgen-"));
  const result = spawnSync("wasm-bindgen", ["--target", "web", "--out-dir", dir, RELEASE_WASM], { encoding: "utf8" });
  assert.equal(result.status, 0, `wasm-bindgen: ${result.error?.message ?? result.stderr}`);
  return dir;
})();
const needsRelease = generated ? {} : { skip: "no release module in target/ yet: `npm run build` builds one" };

// The shapes of the glue the rewrites meet: as wasm-bindgen writes it, and minified by both minifiers
// the build has.
const SHAPES = {
  "as wasm-bindgen writes it": async (code) => code,
  "minified by terser": async (code) => (await minify(code, { module: true, compress: { passes: 3 }, mangle: true, keep_classnames: true })).code,
  "minified by esbuild": async (code) => (await transform(code, { minify: true, format: "esm", logLevel: "silent" })).code,
};

for (const [shape, reshape] of Object.entries(SHAPES)) {
  test(`wasm-bindgen's glue ${shape}: short import names, a refused foreign module, then ours starts`, needsRelease, async () => {
    const dir = mkdtempSync(join(tmpdir(), "glue-"));
    cpSync(generated, dir, { recursive: true });
    const glue = await reshape(readFileSync(join(generated, "tokenstore.js"), "utf8"));
    const wasm = readFileSync(join(generated, "tokenstore_bg.wasm"));
    const before = importsOf(wasm);

    const shortened = shortenImports(wasm, glue);
    const after = importsOf(shortened.wasm);
    assert.equal(after.length, before.length);
    const glueImports = after.filter(([module]) => module === GLUE_MODULE).map(([, name]) => name);
    assert.ok(glueImports.length > 10, "the glue's own imports");
    assert.ok(glueImports.every((name) => /^[a-zA-Z]{1,2}$/.test(name)), glueImports.join());
    assert.deepEqual(after.filter(([module]) => module !== GLUE_MODULE), before.filter(([module]) => module !== GLUE_MODULE), "other modules' imports keep their names");
    for (const [module, name] of before) if (module === GLUE_MODULE) assert.ok(!shortened.glue.includes(name), `${name} is gone from the glue`);

    const file = join(dir, "core.js");
    writeFileSync(file, refuseForeignModule(shortened.glue, OUR_EXPORT));
    const core = await import(pathToFileURL(file));
    assert.throws(() => core.initSync({ module: moduleImporting([]) }), { name: "TypeError", message: /not tokenstore_bg\.wasm/ });
    core.initSync({ module: shortened.wasm });
    assert.equal(core.decodeClaims(TOKEN).sub, "x", "the rewritten module, started after the refused one");
  });
}

test("without the check, wasm-bindgen's glue keeps a foreign module it was given first", needsRelease, async () => {
  const dir = mkdtempSync(join(tmpdir(), "glue-"));
  cpSync(generated, dir, { recursive: true });
  const core = await import(pathToFileURL(join(dir, "tokenstore.js")));
  assert.throws(() => core.initSync({ module: moduleImporting([]) }));
  core.initSync({ module: readFileSync(join(generated, "tokenstore_bg.wasm")) });
  assert.throws(() => core.decodeClaims(TOKEN), TypeError, "the foreign module was kept");
});

// --- Glues and modules of shapes the rewrites do not know ---

const names = ["__wbg_getItem_0123456789abcdef", "__wbg_setTimeout_fedcba9876543210"];
const wasmOf = (...fields) => moduleImporting(fields.map((name) => [GLUE_MODULE, name]));
const keys = (fields) => fields.map((name) => `${name}: function() {}`).join(", ");
// wasm-bindgen's shape: the imports in a variable, returned under the glue module's name.
const glueFor = (fields, rest = "") =>
  `function __wbg_get_imports() { const import0 = { __proto__: null, ${keys(fields)} }; return { "${GLUE_MODULE}": import0 }; }${rest}`;

test("hand-written glues in the shapes it knows: a variable, a literal in place, a key in quotes", () => {
  const wasm = moduleImporting([[GLUE_MODULE, names[0]], ["./snippets/x.js", "keep"], [GLUE_MODULE, names[1]]]);
  for (const [glue, expected] of [
    [glueFor(names), glueFor(["a", "b"])],
    [`const t = () => ({ "${GLUE_MODULE}": { ${keys(names)} } });`, `const t = () => ({ "${GLUE_MODULE}": { ${keys(["a", "b"])} } });`],
    [`function f() { const e = { "${names[0]}": 1, ${names[1]}: 2 }; return { "${GLUE_MODULE}": e }; }`, `function f() { const e = { a: 1, b: 2 }; return { "${GLUE_MODULE}": e }; }`],
  ]) {
    const out = shortenImports(wasm, glue);
    assert.equal(out.glue, expected);
    assert.deepEqual(importsOf(out.wasm), [[GLUE_MODULE, "a"], ["./snippets/x.js", "keep"], [GLUE_MODULE, "b"]]);
  }
});

const refused = (run, expected) => assert.throws(run, (error) => error instanceof GlueShapeError && expected.test(error.message), `${expected}`);

for (const [what, glue, expected] of [
  ["no imports object for the glue module", `function i() { return { "./other.js": { ${keys(names)} } }; }`, /expected one property keyed "\.\/tokenstore_bg\.js".*found 0/],
  ["two imports objects", glueFor(names) + glueFor([]).replace("__wbg_get_imports", "again"), /found 2/],
  ["a glue that does not parse", glueFor(names) + glueFor(names), /does not parse as a module/],
  ["imports built by a call", `function i() { return { "${GLUE_MODULE}": make() }; }`, /an object literal or a variable holding one, found CallExpression/],
  ["a variable that holds no object literal", `function i() { const import0 = make(); return { "${GLUE_MODULE}": import0 }; }`, /one variable holding an object literal/],
  ["a variable declared nowhere around it", `function i() { return { "${GLUE_MODULE}": import0 }; } function j() { const import0 = {}; }`, /a declaration of import0/],
  ["a name the imports do not have", glueFor([names[0]]), /expected __wbg_setTimeout_fedcba9876543210.*found 0/],
  ["a name written twice", glueFor(names, `/* ${names[1]} */`), /once in the glue.*2 times/],
  ["a computed key", `function i() { const o = { [k]: 1, ${keys(names)} }; return { "${GLUE_MODULE}": o }; }`, /only named keys/],
]) {
  test(`shortenImports refuses a glue of another shape: ${what}`, () => refused(() => shortenImports(wasmOf(...names), glue), expected));
}

test("shortenImports refuses a module that imports nothing from the glue, and a file that is not wasm", () => {
  refused(() => shortenImports(moduleImporting([["./snippets/x.js", "keep"]]), glueFor([])), /imports nothing from/);
  refused(() => shortenImports(Buffer.from("not wasm at all"), glueFor(names)), /not a WebAssembly module/);
});

const finalize = (body) => `function __wbg_finalize_init(instance, module) { ${body} }`;
const START = "wasm = instance.exports; wasm.__wbindgen_start(); return wasm;";

test("refuseForeignModule puts the check first in the function that starts the module", () => {
  const check = `if (typeof instance.exports.${OUR_EXPORT} !== "function") throw new TypeError("tokenstore: this WebAssembly module is not tokenstore_bg.wasm");`;
  assert.equal(refuseForeignModule(finalize(START), OUR_EXPORT), finalize(START).replace("{ ", `{${check} `));
});

for (const [what, glue, expected] of [
  ["nothing starts the module", finalize("wasm = instance.exports; return wasm;"), /found 0/],
  ["two functions start it", finalize(START) + finalize(START).replace("__wbg_finalize_init", "again"), /found 2/],
  ["the instance is not its first parameter", finalize("wasm = other.exports; wasm.__wbindgen_start();"), /read instance\.exports/],
  ["no parameters", "function f() { g().__wbindgen_start(); }", /first parameter is the instance/],
  ["an arrow with no body", "const f = (instance) => instance.exports.__wbindgen_start();", /first parameter is the instance/],
]) {
  test(`refuseForeignModule refuses a glue of another shape: ${what}`, () => refused(() => refuseForeignModule(glue, OUR_EXPORT), expected));
}

// --- The entries' snippet placeholders ---

/** Bundles `entry` (an entry of js/ importing ./core.js and snippets) against snippet files at `paths`. */
async function bundleWithSnippets(entry, paths) {
  const files = { "js/index.js": entry, "bindgen/core.js": "export const core = 'glue';" };
  for (const path of paths) files[`bindgen/snippets/${path}`] = `export const where = ${JSON.stringify(path)};`;
  const dir = fileTree("snippets", files);
  const [entryDir, snippets, glue] = [join(dir, "js"), join(dir, "bindgen", "snippets"), join(dir, "bindgen", "core.js")];
  const result = await build({
    entryPoints: [join(entryDir, "index.js")], bundle: true, write: false, format: "esm", logLevel: "silent",
    plugins: [glueImports({ entryDir, glue, snippets })],
  });
  return result.outputFiles[0].text;
}

test("a snippet placeholder becomes the one file wasm-bindgen wrote, ./core.js the glue", async () => {
  const out = await bundleWithSnippets(
    'import { where } from "./snippets/TOKEN_ERROR_JS"; import { core } from "./core.js"; console.log(where, core);',
    ["tokenstore-0123456789abcdef/src/wasm/token_error.js", "tokenstore-0123456789abcdef/src/wasm/decode.js"],
  );
  assert.match(out, /"tokenstore-0123456789abcdef\/src\/wasm\/token_error\.js"/);
  assert.match(out, /"glue"/);
});

for (const [what, entry, paths, expected] of [
  ["no such snippet", 'import "./snippets/DECODE_JS";', ["tokenstore-0123456789abcdef/src/wasm/token_error.js"], /expected one snippets\/\*\/src\/wasm\/decode\.js .*found 0/],
  ["two of it", 'import "./snippets/DECODE_JS";', ["tokenstore-0123/src/wasm/decode.js", "tokenstore-4567/src/wasm/decode.js"], /found 2/],
  ["a path that is no placeholder", 'import "./snippets/decode.js";', ["tokenstore-0123/src/wasm/decode.js"], /expected a snippet placeholder \.\/snippets\/NAME_JS, found \.\/snippets\/decode\.js/],
]) {
  test(`a snippet import the build cannot resolve fails the bundle: ${what}`, async () => {
    await assert.rejects(bundleWithSnippets(entry, paths), (error) => expected.test(error.errors?.[0]?.text));
  });
}
