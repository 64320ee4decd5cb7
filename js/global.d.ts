// tokenstore.global.js: a classic script that defines one global, `tokenstore`.
type Api = typeof import("./index.js");

declare global {
  /** The package's API; `ready` resolves to this object once the wasm is loaded. */
  var tokenstore: Omit<Api, "default"> & { init: Api["default"]; ready: Promise<Omit<Api, "default">> };
}
export {};
