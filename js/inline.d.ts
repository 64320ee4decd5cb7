// tokenstore.inline.js: the same API as the module entry; the wasm is already instantiated when the
// import resolves, so init() only returns what it did.
export * from "./index.js";
export default function init(): Promise<void>;
