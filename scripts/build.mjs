// `npm run build`: builds the npm package into pkg/.
//  1. cargo builds the release module; wasm-bindgen writes its glue, declarations and snippets into
//     target/bindgen/, which stays as wasm-bindgen wrote it.
//  2. wasm-opt (npm's binaryen) optimizes the module; the module's imports from the glue get short names
//     and the glue refuses a module that is not ours (scripts/glue.mjs, by the parsed glue's structure).
//  3. esbuild bundles the module entry (js/index.js, the glue, its snippets) into one index.js, hardened
//     against a polluted Object.prototype (scripts/harden-bundle.mjs) and minified; from that file, the
//     classic-script, single-file and CommonJS builds.
//  4. The declarations, the Node and React entries, README, licences and package.json.
// Any esbuild warning fails the build, as does a glue or bundle of a shape the rewrites do not know.
//
// Only Node's own modules are imported up front: the npm packages (esbuild, terser, acorn through
// glue.mjs) are imported once scripts/setup.sh has installed them, so a fresh clone builds.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const at = (...parts) => join(ROOT, ...parts);
const PKG = at("pkg");
const JS = at("js");
// wasm-bindgen's output for the release module, as it wrote it; the rewritten glue goes beside it as core.js.
const BINDGEN = at("target", "bindgen");

// The crate's features in the package (cargo arguments). Without `std` the module brings its own small
// allocator and panic handler (src/runtime.rs); `js` turns on the JS API (the Rust API, `rust`, stays off).
const CARGO_FEATURES = ["--no-default-features", "--features", "js"];

// core and alloc rebuilt for size: panics abort on the spot, with no message, location or Debug text to
// format (docs/decisions.md has what it saves). These are unstable options of the stable toolchain,
// which RUSTC_BOOTSTRAP unlocks for this build only; they need the rust-src component and the compiler
// release the README names (scripts/setup.sh checks it).
const BUILD_STD = {
  env: {
    RUSTC_BOOTSTRAP: "1",
    RUSTFLAGS: "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none",
  },
  args: ["-Zbuild-std=core,alloc", "-Zbuild-std-features=optimize_for_size"],
};

// -Os, then whole-program flow analysis (--gufa) and -Os again over what it simplified; the target
// features section is for tools, not browsers. Each measured smaller gzipped than -Oz, converging, or
// leaving it out (see README). The features rustc enables by default for wasm32-unknown-unknown are
// named, so wasm-opt may keep using them.
const WASM_OPT = [
  "-Os", "--gufa", "-Os", "--strip-target-features", "--strip-debug", "--strip-producers",
  "--enable-bulk-memory", "--enable-mutable-globals", "--enable-nontrapping-float-to-int",
  "--enable-reference-types", "--enable-sign-ext", "--enable-multivalue",
];

// The export by which the glue knows the module is ours before keeping it (refuseForeignModule); the
// build checks that the module has it.
const OUR_EXPORT = "core_new";

/** Something the build did not expect; its message says what. */
export class BuildError extends Error {
  name = "BuildError";
}

function run(command, args, env = {}) {
  console.log(`build: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) throw new BuildError(`${command} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

/** esbuild, with every warning an error; returns the text of the one output file. */
export async function bundle(options) {
  const { build } = await import("esbuild");
  const result = await build({
    bundle: true,
    write: false,
    absWorkingDir: ROOT,
    logLevel: "warning",
    ...options,
  });
  if (result.warnings.length > 0) throw new BuildError(`esbuild warned building ${options.outfile} (printed above)`);
  if (result.outputFiles.length !== 1) throw new BuildError(`expected one output file for ${options.outfile}`);
  return result.outputFiles[0].text;
}

// terser, keeping class names (TokenStore and AutoLogin show by name in the console). It measured smaller
// than esbuild's minifier for index.js and the classic and single-file builds, and esbuild's smaller for
// the CommonJS build, which it minifies as it bundles (docs/decisions.md).
async function minifyWithTerser(code, { module }) {
  const { minify } = await import("terser");
  const result = await minify(code, { module, compress: { passes: 3 }, mangle: true, keep_classnames: true });
  return result.code;
}

const write = (file, text) => writeFileSync(join(PKG, file), text);
const copy = (from, to = basename(from)) => copyFileSync(from, join(PKG, to));

async function main() {
  // A fresh clone has none of the tools yet; this returns at once when they are there.
  run("bash", ["scripts/setup.sh", "build"]);
  const { glueImports, refuseForeignModule, shortenImports } = await import("./glue.mjs");
  const { hardenBundle } = await import("./harden-bundle.mjs");
  rmSync(PKG, { recursive: true, force: true });
  mkdirSync(PKG);

  run("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "--lib", ...CARGO_FEATURES, ...BUILD_STD.args], BUILD_STD.env);
  rmSync(BINDGEN, { recursive: true, force: true });
  run("wasm-bindgen", ["--target", "web", "--out-dir", BINDGEN, at("target", "wasm32-unknown-unknown", "release", "tokenstore.wasm")]);

  const optimized = join(PKG, "tokenstore_bg.wasm");
  run(at("node_modules", ".bin", "wasm-opt"), [...WASM_OPT, join(BINDGEN, "tokenstore_bg.wasm"), "-o", optimized]);
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(optimized))).map(({ name }) => name);
  if (!exports.includes(OUR_EXPORT)) throw new BuildError(`tokenstore_bg.wasm does not export ${OUR_EXPORT}, which the glue's module check requires`);
  const shortened = shortenImports(readFileSync(optimized), readFileSync(join(BINDGEN, "tokenstore.js"), "utf8"));
  write("tokenstore_bg.wasm", shortened.wasm);
  // The glue the bundle takes, beside wasm-bindgen's snippets, which it imports by relative path.
  const glue = join(BINDGEN, "core.js");
  writeFileSync(glue, refuseForeignModule(shortened.glue, OUR_EXPORT));

  // The module entry as one file: the entry, wasm-bindgen's glue and its snippets bundled, which gzips
  // smaller than six files and saves the browser five requests; core.d.ts stays for the types. esbuild's
  // helpers are made to work under a polluted Object.prototype before the bundle is minified.
  const entry = await bundle({
    entryPoints: [join(JS, "index.js")],
    outfile: join(PKG, "index.js"),
    format: "esm",
    target: "es2022",
    plugins: [glueImports({ entryDir: JS, glue, snippets: join(BINDGEN, "snippets") })],
  });
  write("index.js", await minifyWithTerser(hardenBundle(entry, "index.js"), { module: true }));

  // The classic-script build and the single-file module with the wasm inside, bundled from the finished
  // index.js: unminified, so that hardenBundle finds esbuild's helpers, then minified; the names
  // --keep-names keeps are set by calls in the code, which minifying keeps.
  const finished = {
    name: "finished-entry",
    setup(build) {
      build.onResolve({ filter: /^\.\/(index\.js|tokenstore_bg\.wasm)$/ }, ({ path }) => ({ path: join(PKG, path) }));
    },
  };
  const classic = await bundle({
    entryPoints: [join(JS, "global.js")],
    outfile: join(PKG, "tokenstore.global.js"),
    format: "iife",
    globalName: "tokenstore",
    target: "es2020",
    keepNames: true,
    // A classic script has no import.meta. The glue reads import.meta.url only to find the wasm when
    // init() is given nothing, and global.js always gives it the wasm's URL.
    define: { "import.meta.url": "undefined" },
    plugins: [finished],
  });
  write("tokenstore.global.js", await minifyWithTerser(hardenBundle(classic, "tokenstore.global.js"), { module: false }));
  const inline = await bundle({
    entryPoints: [join(JS, "inline.js")],
    outfile: join(PKG, "tokenstore.inline.js"),
    format: "esm",
    target: "es2022",
    keepNames: true,
    loader: { ".wasm": "binary" },
    plugins: [finished],
  });
  write("tokenstore.inline.js", await minifyWithTerser(hardenBundle(inline, "tokenstore.inline.js"), { module: true }));

  for (const file of ["node.js", "react.js", "index.d.ts", "react.d.ts", "global.d.ts", "README.md"]) copy(join(JS, file));
  copy(join(JS, "inline.d.ts"), "tokenstore.inline.d.ts");
  copy(join(BINDGEN, "tokenstore_bg.wasm.d.ts"), "tokenstore_bg.wasm.d.ts");
  copy(join(BINDGEN, "tokenstore.d.ts"), "core.d.ts");
  run("node", ["scripts/types.mjs", join(PKG, "core.d.ts")]);
  for (const file of ["LICENSE-MIT", "LICENSE-APACHE"]) copy(at(file));

  // The CommonJS builds (see the exports map in package-json.mjs): node.js and everything it imports in
  // one file, import.meta.url and the text codecs supplied by js/cjs-shim.js; the React hook beside it.
  const cjs = { bundle: true, format: "cjs", platform: "node", target: "node20" };
  write("tokenstore.cjs", await bundle({
    ...cjs,
    entryPoints: [join(PKG, "node.js")],
    outfile: join(PKG, "tokenstore.cjs"),
    minify: true,
    keepNames: true,
    inject: [join(JS, "cjs-shim.js")],
    define: { "import.meta.url": "importMetaUrl" },
  }));
  write("react.cjs", await bundle({ ...cjs, entryPoints: [join(PKG, "react.js")], outfile: join(PKG, "react.cjs"), external: ["react"] }));

  run("node", ["scripts/package-json.mjs"]);
}

// Run as a script (the tests import bundle()).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await main();
  } catch (error) {
    console.error(`build: ${error.message}`);
    process.exit(1);
  }
}
