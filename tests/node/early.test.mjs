// Before the module is ready, in Node (no document, no web storage): a store can be made and read as
// anonymous, what needs the module throws NOT_INITIALIZED, and a failed init() (a module that is not
// ours) leaves the next init() free to succeed. Runs in a process of its own, so init is fresh.
import "./package.mjs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { b64 } from "../scenarios/tokens.mjs";

const ts = await import("tokenstore");
const notInitialized = (error) => error instanceof ts.TokenError && error.code === "NOT_INITIALIZED" && /await init\(\)/.test(error.message);

const early = new ts.TokenStore({ backend: "memory", key: "early" });
// A hook and a subscriber the handover must pass on as they are, even with a polluted Object.prototype.
const hooked = new ts.TokenStore({ backend: "memory", key: "hooked" });
hooked.autoLogin({ onLogout() {} });
const runs = [];
const unsubscribe = early.subscribe((snapshot) => runs.push(snapshot.status));

test("a store made before init() answers its snapshot, and throws NOT_INITIALIZED for what needs the module", () => {
  assert.ok(early instanceof ts.TokenStore);
  assert.equal(early.getSnapshot().status, "anonymous");
  assert.equal(early.getSnapshot(), early.getSnapshot(), "the same object until something changes");
  assert.equal(early.getSnapshot, early.getSnapshot, "the same functions on every read, as React compares them");
  assert.equal(early.subscribe, early.subscribe);
  const { getSnapshot } = early;
  assert.equal(getSnapshot(), early.getSnapshot(), "callable unbound");
  assert.equal(early.getServerSnapshot().status, "anonymous");
  assert.deepEqual(runs, ["anonymous"]);
  for (const call of [() => early.get(), () => early.isValid(), () => early.key, () => early.claims]) {
    assert.throws(call, notInitialized);
  }
  assert.throws(() => early.set("a.b.c"), notInitialized);
  assert.throws(() => early.clear(), notInitialized);
  assert.throws(() => early.on("change", () => {}), notInitialized);
  assert.throws(() => ts.decodeClaims("a.b.c"), notInitialized);
  assert.throws(() => early.subscribe(42), (error) => error.code === "INVALID_ARGUMENT");
});

test("a freed early store throws FREED and gives the anonymous snapshot", () => {
  const store = new ts.TokenStore({ backend: "memory" });
  store.free();
  assert.throws(() => store.get(), (error) => error instanceof ts.TokenError && error.code === "FREED");
  assert.equal(store.getSnapshot().status, "anonymous");
  store.free();
});

test("init() given a module that is not ours rejects, and the next init() succeeds", async () => {
  // The smallest valid module: it compiles and instantiates, with no exports at all.
  const foreign = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
  await assert.rejects(ts.default({ module_or_path: foreign }), /not tokenstore_bg\.wasm/);
  assert.throws(() => early.set("a.b.c"), notInitialized, "still not initialized");
  assert.throws(() => ts.initSync({ module: foreign }), /not tokenstore_bg\.wasm/);
  // Another library's bug: properties on Object.prototype must not become a hook or a subscriber.
  const leaked = [];
  const spy = (...args) => leaked.push(args);
  Object.defineProperty(Object.prototype, "run", { value: spy, configurable: true, writable: true });
  Object.defineProperty(Object.prototype, "handlers", { value: { onLogin: spy }, configurable: true, writable: true });
  try {
    await ts.default();
  } finally {
    delete Object.prototype.run;
    delete Object.prototype.handlers;
  }
  assert.deepEqual(leaked, []);
  const store = new ts.TokenStore({ backend: "memory" });
  store.set(`${b64('{"alg":"none"}')}.${b64('{"sub":"x"}')}.`);
  assert.equal(store.claims.sub, "x");
});

test("the early store is handed to the core: the same functions, now backed by the Rust store", () => {
  const before = early.getSnapshot;
  early.set(`${b64('{"alg":"none"}')}.${b64('{"sub":"handed"}')}.`);
  assert.equal(early.getSnapshot, before);
  assert.equal(early.getSnapshot().status, "authenticated");
  assert.equal(early.getSnapshot().claims.sub, "handed");
  assert.deepEqual(runs, ["anonymous", "anonymous", "authenticated"], "told the core's snapshot at the handover, then the change");
  unsubscribe();
  early.clear();
  assert.deepEqual(runs.length, 3);
});

test("a second init() after success keeps working, and the wasm bytes from disk work with initSync", async () => {
  await ts.default();
  assert.ok(ts.initSync({ module: await readFile(new URL("../../pkg/tokenstore_bg.wasm", import.meta.url)) }));
});
