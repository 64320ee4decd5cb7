// The entry Node (server-side rendering, test runners, scripts) resolves through the "node" condition:
// the same API, with init() and initSync() reading the wasm from disk when given nothing, since Node's
// fetch does not read file: URLs.
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import init, { initSync } from "./index.js";

export * from "./index.js";

// Not `new URL("./tokenstore_bg.wasm", import.meta.url)`: bundlers turn that pattern into a public
// asset URL, which a server cannot read. Next to this file when it runs from the package; through
// node_modules when a server bundle has moved this code elsewhere. The turbopackIgnore comments keep
// Next.js from taking these paths for imports of the wasm as a module.
function wasmPath() {
  const tried = [];
  try {
    const beside = fileURLToPath(/* turbopackIgnore: true */ new URL(".", import.meta.url)) + "tokenstore_bg.wasm";
    if (existsSync(beside)) return beside;
    tried.push(beside);
  } catch {}
  try {
    return createRequire(/* turbopackIgnore: true */ import.meta.url).resolve(
      /* turbopackIgnore: true */ "tokenstore/tokenstore_bg.wasm",
    );
  } catch {}
  throw new Error(
    `tokenstore: cannot find tokenstore_bg.wasm (looked beside the module${tried.length ? ` at ${tried[0]}` : ""} ` +
      'and through node_modules); pass its bytes: init({ module_or_path: bytes })',
  );
}

async function nodeInit(input) {
  return init(input === undefined ? { module_or_path: await readFile(wasmPath()) } : input);
}

function nodeInitSync(input) {
  return initSync(input === undefined ? { module: readFileSync(wasmPath()) } : input);
}

export { nodeInit as default, nodeInitSync as initSync };
