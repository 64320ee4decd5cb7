// Writes pkg/package.json from Cargo.toml's name, version, description and license, with the exports
// map of the entries build.sh puts in pkg/.
import { readFileSync, writeFileSync } from "node:fs";

const cargo = readFileSync(new URL("../Cargo.toml", import.meta.url), "utf8");
const field = (name) => {
  const match = cargo.match(new RegExp(`^${name} = "(.*)"$`, "m"));
  if (!match) throw new Error(`Cargo.toml has no ${name}`);
  return match[1];
};

const pkg = {
  name: field("name"),
  version: field("version"),
  description: field("description"),
  license: field("license"),
  keywords: ["jwt", "token", "auth", "localStorage", "sessionStorage", "webassembly", "wasm", "react", "svelte"],
  type: "module",
  // Types first, as TypeScript reads the first condition it knows. Node (SSR, test runners, scripts)
  // gets the entry that reads the wasm from disk; browsers and bundlers the one that fetches it.
  exports: {
    ".": { types: "./index.d.ts", node: "./node.js", default: "./index.js" },
    "./react": { types: "./react.d.ts", default: "./react.js" },
    "./inline": { types: "./tokenstore.inline.d.ts", default: "./tokenstore.inline.js" },
    "./global": { types: "./global.d.ts", default: "./tokenstore.global.js" },
    "./tokenstore_bg.wasm": "./tokenstore_bg.wasm",
    "./package.json": "./package.json",
  },
  main: "./index.js",
  types: "./index.d.ts",
  files: [
    "index.js", "index.d.ts", "node.js", "core.d.ts", "tokenstore_bg.wasm", "tokenstore_bg.wasm.d.ts",
    "react.js", "react.d.ts", "tokenstore.global.js", "global.d.ts", "tokenstore.inline.js",
    "tokenstore.inline.d.ts", "LICENSE-MIT", "LICENSE-APACHE",
  ],
  sideEffects: ["./tokenstore.global.js", "./tokenstore.inline.js"],
  peerDependencies: { react: ">=18" },
  peerDependenciesMeta: { react: { optional: true } },
  engines: { node: ">=18" },
};
writeFileSync(new URL("../pkg/package.json", import.meta.url), `${JSON.stringify(pkg, null, 2)}\n`);
