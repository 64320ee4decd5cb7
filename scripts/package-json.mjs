// Writes pkg/package.json from Cargo.toml's name, version, description, license and repository, with
// the exports map of the entries scripts/build.mjs puts in pkg/.
import { readFileSync, writeFileSync } from "node:fs";

const cargo = readFileSync(new URL("../Cargo.toml", import.meta.url), "utf8");
const optionalField = (name) => cargo.match(new RegExp(`^${name} = "(.*)"$`, "m"))?.[1];
const field = (name) => {
  const value = optionalField(name);
  if (value === undefined) throw new Error(`Cargo.toml has no ${name}`);
  return value;
};
// The project has no public repository yet: Cargo.toml names none, and neither does package.json.
// Once Cargo.toml has one, npm's repository, homepage and bugs follow from it.
const repository = optionalField("repository");
const links = repository
  ? { repository: { type: "git", url: `git+${repository}.git` }, homepage: `${repository}#readme`, bugs: { url: `${repository}/issues` } }
  : {};

// One entry, three module systems: `import` gets ES modules; Node's `require` gets the same ES module
// where Node can require one ("module-sync", Node 20.19+ and 22.12+), so a process never holds two
// copies; older Node's `require`, and Jest (whose test files run as CommonJS, in its node and jsdom
// environments alike), get the CommonJS build, which reads the wasm from disk. webpack bundles for the
// browser a `require` as well as an `import` of the ES module, which fetches the wasm.
const entry = (types, node, cjs, browser) => ({
  types,
  node: { "module-sync": node, require: cjs, default: node },
  webpack: browser,
  require: cjs,
  default: browser,
});

const pkg = {
  name: field("name"),
  version: field("version"),
  description: field("description"),
  license: field("license"),
  ...links,
  keywords: ["jwt", "token", "auth", "localStorage", "sessionStorage", "cookie", "webassembly", "wasm", "react", "svelte"],
  type: "module",
  // Types first, as TypeScript reads the first condition it knows. Node (SSR, test runners, scripts)
  // gets the entry that reads the wasm from disk; browsers and bundlers the one that fetches it.
  // tokenstore.global.js is a classic script for <script src>, not a module: it is exported as a file
  // (for copy steps), and "./global" carries only its types, the global it declares.
  exports: {
    ".": entry("./index.d.ts", "./node.js", "./tokenstore.cjs", "./index.js"),
    "./react": entry("./react.d.ts", "./react.js", "./react.cjs", "./react.js"),
    "./inline": { types: "./tokenstore.inline.d.ts", default: "./tokenstore.inline.js" },
    "./global": { types: "./global.d.ts" },
    "./tokenstore.global.js": "./tokenstore.global.js",
    "./tokenstore_bg.wasm": "./tokenstore_bg.wasm",
    "./package.json": "./package.json",
  },
  main: "./tokenstore.cjs",
  module: "./index.js",
  types: "./index.d.ts",
  files: [
    "index.js", "index.d.ts", "node.js", "tokenstore.cjs", "core.d.ts", "tokenstore_bg.wasm",
    "tokenstore_bg.wasm.d.ts", "react.js", "react.cjs", "react.d.ts", "tokenstore.global.js", "global.d.ts", "tokenstore.inline.js",
    "tokenstore.inline.d.ts", "LICENSE-MIT", "LICENSE-APACHE",
  ],
  sideEffects: ["./tokenstore.global.js", "./tokenstore.inline.js"],
  peerDependencies: { react: ">=18" },
  peerDependenciesMeta: { react: { optional: true } },
  // The consumer matrix runs Node 20; `require` works on every 20.x (the CommonJS build before 20.19).
  engines: { node: ">=20" },
};
writeFileSync(new URL("../pkg/package.json", import.meta.url), `${JSON.stringify(pkg, null, 2)}\n`);
