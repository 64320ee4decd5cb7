// The package as Node resolves it: before init() every call throws NOT_INITIALIZED; `await init()` with
// no argument reads the wasm from disk. Runs in a process of its own (node --test), so init is fresh.
import "./package.mjs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { token } from "../scenarios/tokens.mjs";

const ts = await import("tokenstore");

test("the node condition picks the entry that reads the wasm from disk", () => {
  assert.match(import.meta.resolve("tokenstore"), /\/node\.js$/);
  assert.match(import.meta.resolve("tokenstore/tokenstore_bg.wasm"), /\/tokenstore_bg\.wasm$/);
});

test("before init(), what needs the module throws NOT_INITIALIZED naming init() and initSync()", () => {
  // A store can be made before init() (its early answer, tests/node/early.test.mjs); writing needs the module.
  const early = new ts.TokenStore({ backend: "memory" });
  for (const call of [() => early.set(token({})), () => ts.decodeClaims(token({})), () => ts.decodeHeader("a.b.c")]) {
    assert.throws(call, (error) => {
      assert.ok(error instanceof ts.TokenError);
      assert.equal(error.name, "TokenError");
      assert.equal(error.code, "NOT_INITIALIZED");
      assert.match(error.message, /await init\(\)/);
      assert.match(error.message, /reads tokenstore_bg\.wasm from disk/);
      assert.match(error.message, /initSync\(\)/);
      assert.ok(ts.isTokenError(error));
      return true;
    });
  }
  assert.equal(ts.isTokenError(new Error("x")), false);
});

test("await init() with no argument works, and errors from Rust are instances of TokenError", async () => {
  await ts.default();
  await ts.default(); // a second call is harmless
  const store = new ts.TokenStore({ backend: "memory" });
  store.set(token({ sub: "node", name: "Zoë", exp: Date.now() / 1000 + 60 }));
  assert.equal(store.claims.name, "Zoë");
  assert.equal(ts.decodeClaims(store.get()).sub, "node");
  assert.throws(() => store.set("not a token"), (error) => {
    assert.ok(error instanceof ts.TokenError);
    assert.equal(error.code, "INVALID_TOKEN");
    return ts.isTokenError(error);
  });
  store.free();
  assert.throws(() => store.subscribe(() => {}), (error) => error instanceof ts.TokenError && error.code === "FREED");
});

test("[Symbol.dispose] is the store's own free(): later calls throw FREED", () => {
  const store = new ts.TokenStore({ backend: "memory" });
  assert.equal(store[Symbol.dispose], store.free);
  store[Symbol.dispose]();
  assert.throws(() => store.get(), (error) => error instanceof ts.TokenError && error.code === "FREED");
});

test("the entry exports only the API", () => {
  assert.deepEqual(Object.keys(ts).sort(), ["AutoLogin", "AutoRefresh", "TokenError", "TokenStore", "decodeClaims", "decodeHeader", "default", "initSync", "isTokenError"]);
});

test("each handle is of its own class, named in the console: AutoLogin for hooks, AutoRefresh for refreshes", () => {
  const store = new ts.TokenStore({ backend: "memory" });
  const hook = store.autoLogin({ onLogin() {} });
  const refreshing = store.autoRefresh({ refresh: async () => null, onStart: false });
  assert.ok(hook instanceof ts.AutoLogin);
  assert.ok(refreshing instanceof ts.AutoRefresh && !(refreshing instanceof ts.AutoLogin));
  assert.deepEqual([ts.AutoLogin.name, ts.AutoRefresh.name], ["AutoLogin", "AutoRefresh"]);
  refreshing.dispose();
  hook.dispose();
  store.free();
});

test("require() and Jest get the CommonJS build where Node cannot require ES modules", () => {
  const { exports } = JSON.parse(readFileSync(new URL("../../pkg/package.json", import.meta.url), "utf8"));
  const cjs = createRequire(import.meta.url)("../../pkg/tokenstore.cjs");
  assert.equal(exports["."].require, "./tokenstore.cjs");
  assert.equal(exports["."].node.require, "./tokenstore.cjs");
  assert.deepEqual(Object.keys(cjs).sort(), Object.keys(ts).sort());
  cjs.initSync();
  const store = new cjs.TokenStore({ backend: "memory" });
  store.set(token({ name: "Zoë 東京" }));
  assert.equal(store.claims.name, "Zoë 東京");
  store.free();
});
