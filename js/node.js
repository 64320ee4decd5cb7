// The entry Node (server-side rendering, test runners, scripts) resolves through the "node" condition:
// the same API, with init() and initSync() reading the wasm from disk when given nothing, since Node's
// fetch does not read file: URLs.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import init, { initSync, notReady } from "./index.js";

export * from "./index.js";

notReady.hint =
  "call `await init()` (in Node it reads tokenstore_bg.wasm from disk) or `initSync()` from \"tokenstore\" first";

// A path, not `new URL("…", import.meta.url)`: bundlers rewrite that pattern into an asset URL.
const wasmPath = () => fileURLToPath(import.meta.url).replace(/node\.js$/, "tokenstore_bg.wasm");

async function nodeInit(input) {
  return init(input === undefined ? { module_or_path: await readFile(wasmPath()) } : input);
}

function nodeInitSync(input) {
  return initSync(input === undefined ? { module: readFileSync(wasmPath()) } : input);
}

export { nodeInit as default, nodeInitSync as initSync };
