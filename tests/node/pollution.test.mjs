// The Node entry imported, initialised and used with an enumerable property on Object.prototype, as
// another library's bug leaves it: one child process per name, so the pollution and the module state
// of one case never reach the next.
import "./package.mjs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

// The descriptor members (esbuild's helpers and our entry define properties), every option and handler
// name the store reads, and what the glue reads from objects it is given. Not `path`: Node's own ES
// module resolver trips over an inherited one (fileURLToPath), before any code of the package runs.
const NAMES = ["get", "set", "value", "writable", "enumerable", "configurable", "backend", "key", "leeway",
  "expiringIn", "fallback", "cookie", "serverClock", "domain", "sameSite", "secure", "onLogin",
  "onLogout", "refresh", "ahead", "onStart", "retry", "initial", "max", "timeout", "type", "page", "at",
  "module", "module_or_path"];

const CHILD = `
// Node loads its own fetch (undici) on first use, and undici's bundle trips over an inherited get or
// set by itself: loaded here first, as any app that used fetch before has it.
void globalThis.Response;
const [name, entry] = process.argv.slice(-2);
const hostile = name === "onLogin" || name === "onLogout" || name === "refresh"
  ? (...args) => { console.log("LEAK " + name); } : name === "key" ? "evil" : name === "backend" ? "session" : 1;
Object.defineProperty(Object.prototype, name, { value: hostile, enumerable: true, configurable: true, writable: true });
const ts = await import("tokenstore");
if (entry === "sync") {
  const { readFileSync } = await import("node:fs");
  ts.initSync({ module: readFileSync(new URL(import.meta.resolve("tokenstore/tokenstore_bg.wasm"))) });
} else {
  await ts.default();
}
const b64 = (text) => Buffer.from(text).toString("base64url");
const jwt = b64('{"alg":"HS256"}') + "." + b64(JSON.stringify({ sub: "own", exp: Date.now() / 1000 + 600 })) + "." + b64("sig");
const store = new ts.TokenStore({ backend: "memory" });
store.set(jwt);
let logins = 0;
const hooks = store.autoLogin({ onLogin: () => logins++ });
const out = [store.backend, store.key, store.leeway, store.claims.sub, store.isValid(), ts.decodeClaims(jwt).sub];
await store.refresh(async () => jwt, {});
hooks.dispose();
console.log(JSON.stringify(out));
`;

for (const entry of ["init", "sync"]) {
  test(`node.js with each name on Object.prototype: import, ${entry === "sync" ? "initSync()" : "init()"}, a store`, () => {
    for (const name of NAMES) {
      const child = spawnSync(process.execPath, ["--input-type=module", "-e", CHILD, name, entry], {
        cwd: new URL(".", import.meta.url).pathname,
        encoding: "utf8",
      });
      assert.equal(child.stderr, "", name);
      assert.equal(child.stdout.trim(), JSON.stringify(["memory", "tokenstore.jwt", 0, "own", true, "own"]), name);
    }
  });
}
