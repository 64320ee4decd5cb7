// Server-side rendering: the package imported and used in Node, where there is no window.
import "./package.mjs";
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { b64, token } from "../scenarios/tokens.mjs";

const now = () => Date.now() / 1000;

let ts;
before(async () => {
  assert.equal(typeof globalThis.window, "undefined");
  ts = await import("tokenstore");
  await ts.default();
});

test("importing and initialising touches no window", () => {
  assert.equal(typeof globalThis.window, "undefined");
  assert.equal(typeof globalThis.localStorage, "undefined");
});

test("a store with default options uses memory and works", () => {
  const store = new ts.TokenStore();
  assert.equal(store.backend, "memory");
  const jwt = token({ sub: "ssr", name: "Zoë 東京", exp: now() + 60 });
  store.set(jwt);
  assert.equal(store.get(), jwt);
  assert.equal(store.claims.name, "Zoë 東京");
  assert.equal(store.isValid(), true);
  assert.equal(store.authorizationHeader(), `Bearer ${jwt}`);
  store.clear();
  assert.equal(store.get(), null);
});

test("the fallback is reported, and refused when fallback is off", () => {
  for (const backend of ["local", "session"]) {
    const store = new ts.TokenStore({ backend, key: `ssr.${backend}` });
    assert.equal(store.backend, "memory");
    const details = [];
    const off = store.on("fallback", (detail) => details.push({ ...detail }));
    assert.deepEqual(details, [{ from: backend, to: "memory", reason: "STORAGE_UNAVAILABLE" }]);
    off();
    assert.throws(
      () => new ts.TokenStore({ backend, fallback: false }),
      (error) => ts.isTokenError(error) && error.code === "STORAGE_UNAVAILABLE",
    );
  }
});

test("auto-login hooks are no-ops; subscriptions still work", () => {
  const store = new ts.TokenStore({ key: "ssr.hooks" });
  store.set(token({ sub: "x", exp: now() + 60 }));
  const calls = [];
  const hooks = store.autoLogin({ onLogin: () => calls.push("login"), onLogout: () => calls.push("logout") });
  const seen = [];
  const unsubscribe = store.subscribe((snapshot) => seen.push(snapshot.status));
  store.clear();
  assert.deepEqual(calls, []);
  assert.deepEqual(seen, ["authenticated", "anonymous"]);
  assert.equal(store.getSnapshot(), store.getSnapshot());
  unsubscribe();
  hooks.dispose();
  store.free();
});

test("decoders throw TokenErrors with codes, and the module keeps working", () => {
  const cases = [
    [null, "INVALID_TOKEN"],
    [42, "INVALID_TOKEN"],
    ["a.b", "INVALID_TOKEN"],
    [`${b64("{}")}.e30=.`, "INVALID_BASE64"],
    [`${b64("{}")}.${b64("[1]")}.`, "INVALID_CLAIMS"],
    [`${b64("{}")}.${b64("{nope")}.`, "INVALID_JSON"],
  ];
  for (const [input, code] of cases) {
    assert.throws(() => ts.decodeClaims(input), (error) => {
      assert.equal(error.name, "TokenError");
      assert.equal(error.code, code);
      assert.ok(error instanceof Error);
      return true;
    });
  }
  assert.deepEqual(ts.decodeClaims(token({ sub: "still fine" })), { sub: "still fine" });
});

test("on a server, stores share nothing: one request's token never shows in another's render", () => {
  const first = new ts.TokenStore({ key: "ssr.shared", backend: "memory" });
  const second = new ts.TokenStore({ key: "ssr.shared", backend: "memory" });
  first.set(token({ sub: "request one", exp: now() + 60 }));
  assert.equal(second.get(), null);
  assert.equal(second.getSnapshot().status, "anonymous");
  const fallen = new ts.TokenStore({ key: "ssr.shared" });
  assert.equal(fallen.backend, "memory");
  assert.equal(fallen.get(), null, "a fallback to memory is private too");
  for (const store of [first, second, fallen]) store.free();
});

test("the server snapshot is anonymous, frozen, and the same object every call", () => {
  const store = new ts.TokenStore({ key: "ssr.server", backend: "session" });
  store.set(token({ sub: "x", exp: now() + 60 }));
  const { getServerSnapshot } = store;
  const snapshot = getServerSnapshot();
  assert.equal(snapshot, getServerSnapshot());
  assert.equal(snapshot, store.getServerSnapshot());
  assert.deepEqual({ ...snapshot }, { token: null, claims: null, status: "anonymous", backend: "session", expiresAt: null });
  assert.ok(Object.isFrozen(snapshot));
  store.free();
});

test("the server snapshot is one frozen anonymous object, and stores are isolated", () => {
  const a = new ts.TokenStore({ key: "ssr.isolated" });
  const b = new ts.TokenStore({ key: "ssr.isolated" });
  const { getServerSnapshot } = a;
  const snapshot = getServerSnapshot();
  assert.equal(getServerSnapshot(), snapshot);
  assert.ok(Object.isFrozen(snapshot));
  assert.equal(snapshot.status, "anonymous");
  assert.equal(snapshot.token, null);
  a.set(token({ sub: "a", exp: now() + 60 }));
  assert.equal(getServerSnapshot(), snapshot);
  assert.equal(b.get(), null, "a second store on the same key does not see the first one's token");
  a.free();
  b.free();
});
