// The classic-script build (tokenstore.global.js): one global, `tokenstore`, whose `ready` promise
// resolves to it once the wasm next to this script is loaded.
import init from "./index.js";

export * from "./index.js";
export { init };

// currentScript is only set while this script first runs, so the wasm's address is taken now.
const script = document.currentScript;
const wasm = new URL("tokenstore_bg.wasm", script ? script.src : location.href);
export const ready = init({ module_or_path: wasm }).then(() => globalThis.tokenstore);
