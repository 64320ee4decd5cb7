// initSync() with no argument reads the wasm from disk too (a process of its own, so init is fresh).
import "./package.mjs";
import { test } from "node:test";
import assert from "node:assert/strict";

const ts = await import("tokenstore");

test("initSync() with no argument works in Node", () => {
  assert.throws(() => new ts.TokenStore().set("a.b.c"), (error) => error.code === "NOT_INITIALIZED");
  ts.initSync();
  const store = new ts.TokenStore();
  assert.equal(store.backend, "memory");
  assert.equal(store.getSnapshot().status, "anonymous");
});
