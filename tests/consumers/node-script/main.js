// A plain Node script: `await init()` reads the wasm from disk; a store on the server uses memory.
import assert from "node:assert/strict";
import init, { TokenStore, TokenError, decodeClaims, isTokenError } from "tokenstore";

// A store can be made before init(); what needs the module throws NOT_INITIALIZED.
assert.throws(() => new TokenStore().set("a.b.c"), (error) => error instanceof TokenError && error.code === "NOT_INITIALIZED");
await init();
const [, , token] = process.argv;
const store = new TokenStore({ key: "script.jwt" });
assert.equal(store.backend, "memory");
store.set(token);
assert.equal(store.claims.name, decodeClaims(token).name);
assert.equal(store.getSnapshot().status, "authenticated");
assert.equal(store.getServerSnapshot().status, "anonymous");
try {
  store.set("nope");
  assert.fail("a malformed token was accepted");
} catch (error) {
  assert.ok(error instanceof TokenError && isTokenError(error) && error.code === "INVALID_TOKEN");
}
store.clear();
console.log(`ok ${decodeClaims(token).name}`);
