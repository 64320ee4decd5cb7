// The single-file build (tokenstore.inline.js): the wasm travels inside this module and is instantiated
// before the import finishes, for hosts that cannot serve .wasm files (or not as application/wasm).
import init from "./index.js";
import bytes from "./tokenstore_bg.wasm";

export * from "./index.js";

await init({ module_or_path: bytes });

/** Already done when the import resolves; kept so code written for the other entries runs unchanged. */
export default function ready() {
  return init({ module_or_path: bytes });
}
