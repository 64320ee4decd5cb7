// The package's module entry. It wraps wasm-bindgen's glue (core.js) so that a call before init()
// throws a TokenError NOT_INITIALIZED instead of a TypeError from inside the glue, and so that a
// Content-Security-Policy that refuses WebAssembly is named in the error.
import * as core from "./core.js";
// build.sh replaces the placeholder with the one snippet path wasm-bindgen wrote, so the class errors
// from Rust are made with is the class exported here.
import { TokenError } from "./snippets/TOKEN_ERROR_JS";

export { TokenError };

let ready = false;

// In Node the entry is node.js, whose init() reads the wasm from disk: say so there.
const hint =
  typeof process === "object" && process.versions?.node
    ? "call `await init()` (in Node it reads tokenstore_bg.wasm from disk) or `initSync()` from \"tokenstore\" first"
    : "call `await init()` (or `initSync()`) from \"tokenstore\" first";

function assertReady() {
  if (!ready) throw new TokenError("NOT_INITIALIZED", `tokenstore is not initialized: ${hint}`);
}

// When compiling is refused, compile and instantiate the smallest valid module too: if that fails as well,
// WebAssembly itself is blocked, which only a policy does (Chromium and Firefox refuse the compile, WebKit
// the instance). Browsers word the error differently, so no message is read.
function explain(error) {
  if (!(error instanceof WebAssembly.CompileError)) return error;
  try {
    new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])));
    return error;
  } catch {
    return new WebAssembly.CompileError(
      "tokenstore cannot start: the page's Content-Security-Policy does not allow WebAssembly. Allow it " +
        "with script-src 'wasm-unsafe-eval' (for example script-src 'self' 'wasm-unsafe-eval'). " +
        `The browser said: ${error.message}`,
      { cause: error },
    );
  }
}

/** Loads and instantiates the wasm module; see core.js for what `input` may be. Safe to call again. */
export default async function init(input) {
  try {
    const output = await core.default(input);
    ready = true;
    return output;
  } catch (error) {
    throw explain(error);
  }
}

/** Instantiates the wasm module synchronously from its bytes or a compiled `WebAssembly.Module`. */
export function initSync(input) {
  try {
    const output = core.initSync(input);
    ready = true;
    return output;
  } catch (error) {
    throw explain(error);
  }
}

class Store extends core.TokenStore {
  constructor(options) {
    assertReady();
    super(options);
  }
}
export { Store as TokenStore };

// build.sh bundles this file with core.js, and bundling renames classes whose names clash; the console
// shows these two by name.
for (const [named, name] of [
  [Store, "TokenStore"],
  [core.AutoLogin, "AutoLogin"],
]) {
  Object.defineProperty(named, "name", { value: name });
}

export function decodeClaims(token) {
  assertReady();
  return core.decodeClaims(token);
}

export function decodeHeader(token) {
  assertReady();
  return core.decodeHeader(token);
}

/**
 * Whether `error` is a TokenError, from this copy of the package or another. Before init() it answers
 * in JS, by the same rule, so a `catch` around the first call can use it.
 */
export function isTokenError(error) {
  if (ready) return core.isTokenError(error);
  return error instanceof Error && error.name === "TokenError" && typeof error.code === "string";
}

export { AutoLogin } from "./core.js";
