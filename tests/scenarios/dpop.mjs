// The scenarios of tests/dpop.rs, one exported function each, named after its test.
import { check, later, same } from "./prelude.mjs";
import { b64 } from "./tokens.mjs";

// Helpers of these scenarios: SHA-256, a proof's parts, the stored key, a clean
// start, and a stand-in `fetch` that records requests and answers with `answer(request, n)`.
const sha = async (text) => b64(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
const unb64 = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const parts = (jws) => {
  const [h, p, s] = jws.split(".");
  return { header: JSON.parse(new TextDecoder().decode(unb64(h))),
           claims: JSON.parse(new TextDecoder().decode(unb64(p))), input: h + "." + p, signature: unb64(s) };
};
const verifies = async (jws) => {
  const { header, input, signature } = parts(jws);
  const key = await crypto.subtle.importKey("jwk", header.jwk, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  return crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, signature, new TextEncoder().encode(input));
};
const request = (operation) => new Promise((done, fail) => {
  const opening = indexedDB.open("tokenstore-dpop", 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore("keys");
  opening.onsuccess = () => {
    const db = opening.result;
    const tx = db.transaction("keys", "readwrite");
    const req = operation(tx.objectStore("keys"));
    tx.oncomplete = () => { db.close(); done(req.result); };
    tx.onerror = () => fail(tx.error);
  };
  opening.onerror = () => fail(opening.error);
});
const storedKey = (name) => request((keys) => keys.get(name));
const fresh = () => new Promise((done) => {
  localStorage.clear();
  const deleting = indexedDB.deleteDatabase("tokenstore-dpop");
  deleting.onsuccess = deleting.onerror = deleting.onblocked = () => done();
});
const serve = (answer) => {
  const seen = [];
  const real = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const req = new Request(input, init);
    seen.push({ auth: req.headers.get("Authorization"), dpop: req.headers.get("DPoP"), method: req.method,
                url: req.url, body: await req.text() });
    return answer(seen.at(-1), seen.length);
  };
  return { seen, restore: () => { globalThis.fetch = real; } };
};

export async function a_proof_verifies_against_its_embedded_key_and_claims_what_rfc_9449_asks(TokenStore) {
  await fresh();
  const store = new TokenStore({ key: "proof", dpop: true });
  const access = later(3600, "zoe");
  store.set(access);
  const proof = await store.dpopProof("get", "https://rs.test/api/me?page=2#top");
  const { header, claims } = parts(proof);
  check(await verifies(proof), "WebCrypto verifies the ES256 signature with the header's jwk");
  same([header.typ, header.alg, Object.keys(header.jwk).sort()], ["dpop+jwt", "ES256", ["crv", "kty", "x", "y"]],
    "the header: typ, alg and the public key only");
  same([claims.htm, claims.htu], ["GET", "https://rs.test/api/me"], "htm and htu without query and fragment");
  check(Math.abs(claims.iat - Date.now() / 1000) < 5 && Number.isInteger(claims.iat), "iat is now, whole seconds");
  same(claims.ath, await sha(access), "ath is the hash of the stored token");
  same(claims.jti.length, 22, "jti: 16 random bytes");
  const again = parts(await store.dpopProof("POST", "https://rs.test/token"));
  check(again.claims.jti !== claims.jti, "each proof has its own jti");
  same(again.header.jwk, header.jwk, "and the same key");
  const { crv, kty, x, y } = header.jwk;
  same(await store.dpopThumbprint(), await sha(JSON.stringify({ crv, kty, x, y })),
    "the thumbprint is RFC 7638's over the same key");
  store.setServerTime(Date.now() / 1000 + 3600);
  const late = parts(await store.dpopProof("GET", "/relative?q")).claims;
  check(Math.abs(late.iat - (Date.now() / 1000 + 3600)) < 5, "iat follows the store's clock");
  same(late.htu, location.origin + "/relative", "a relative URL is resolved against the page");
  store.clear();
  same(parts(await store.dpopProof("GET", "https://rs.test/")).claims.ath, undefined, "no token, no ath");
  store.free();

}

export async function the_key_is_a_non_extractable_crypto_key_in_indexeddb_shared_by_stores_and_reloads(TokenStore) {
  await fresh();
  const a = new TokenStore({ key: "shared", dpop: true });
  const b = new TokenStore({ key: "shared", dpop: true });
  // Both find no key and make one at once: one ends up stored, and both use it.
  const [ta, tb] = await Promise.all([a.dpopThumbprint(), b.dpopThumbprint()]);
  same(ta, tb, "two stores making the key at once end with one key");
  const stored = await storedKey("shared");
  check(stored.privateKey instanceof CryptoKey, "a CryptoKey is stored");
  same([stored.privateKey.extractable, stored.privateKey.algorithm.name, stored.privateKey.algorithm.namedCurve],
    [false, "ECDSA", "P-256"], "non-extractable ECDSA P-256");
  a.free(); b.free();
  const reloaded = new TokenStore({ key: "shared", dpop: true });
  same(await reloaded.dpopThumbprint(), ta, "a new store (a reload, another tab) finds the same key");
  const other = new TokenStore({ key: "another", dpop: true });
  check(await other.dpopThumbprint() !== ta, "another storage key has its own key");
  reloaded.free(); other.free();

}

export async function a_logout_or_a_failed_refresh_discards_the_key(TokenStore) {
  await fresh();
  const store = new TokenStore({ key: "logout", dpop: true });
  const first = await store.dpopThumbprint();
  store.set(later(3600, "zoe"));
  store.clear();
  const second = await store.dpopThumbprint();
  check(second !== first, "clear() discards the key: the next session has a new one");
  store.set(later(3600, "zoe"));
  await store.refresh(async () => null);
  check(await store.dpopThumbprint() !== second, "a refresh answered null discards it too");
  const plain = new TokenStore({ key: "plain" });
  plain.set(later(3600, "zoe"));
  plain.clear();
  same(await storedKey("plain"), undefined, "a store without dpop makes no key");
  store.free(); plain.free();

}

export async function a_lost_key_is_replaced_and_reported(TokenStore) {
  await fresh();
  const store = new TokenStore({ key: "lost", dpop: true });
  const heard = [];
  store.on("dpopKey", (detail) => heard.push(detail.reason));
  const first = await store.dpopThumbprint();
  same(heard, [], "a first key made before login is no news");
  store.set(later(3600, "zoe"));
  await request((keys) => keys.delete("lost"));
  const second = await store.dpopThumbprint();
  check(second !== first, "the lost key is replaced");
  same(heard, ["lost"], "and the app hears it was lost");
  await store.dpopThumbprint();
  same(heard, ["lost"], "once");
  store.free();

}

export async function without_indexeddb_the_key_lives_in_the_page(TokenStore) {
  await fresh();
  const real = Object.getOwnPropertyDescriptor(globalThis, "indexedDB");
  Object.defineProperty(globalThis, "indexedDB", { value: undefined, configurable: true });
  try {
    const store = new TokenStore({ key: "page-only", dpop: true });
    const heard = [];
    store.on("dpopKey", (detail) => heard.push(detail));
    const first = await store.dpopThumbprint();
    same(await store.dpopThumbprint(), first, "the page keeps its key");
    same(heard, [{ reason: "memory" }], "reported like a fallback");
    check(Object.isFrozen(heard[0]), "a frozen detail");
    check(await verifies(await store.dpopProof("GET", "https://rs.test/")), "and it signs");
    store.clear();
    check(await store.dpopThumbprint() !== first, "a logout discards it");
    store.free();
  } finally {
    if (real) Object.defineProperty(globalThis, "indexedDB", real);
    else delete globalThis.indexedDB;
  }

}

export async function fetch_sends_dpop_learns_nonces_and_retries_once_with_the_same_body(TokenStore) {
  await fresh();
  const store = new TokenStore({ key: "fetch", dpop: true });
  const access = later(3600, "zoe");
  store.set(access);
  // A resource server that wants a nonce: the first answer asks for one.
  let server = serve((req, n) => n === 1
    ? new Response(null, { status: 401, headers: { "WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": "n-1" } })
    : new Response("ok", { headers: { "DPoP-Nonce": "n-2" } }));
  const response = await store.fetch("https://rs.test/api/items?x=1", { method: "POST", body: "payload" });
  server.restore();
  same(await response.text(), "ok", "the retried answer is the one returned");
  same(server.seen.map((s) => [s.auth, s.method, s.body]), [["DPoP " + access, "POST", "payload"], ["DPoP " + access, "POST", "payload"]],
    "sent twice, with the same token and body");
  const [first, second] = server.seen.map((s) => parts(s.dpop).claims);
  same([first.nonce, second.nonce], [undefined, "n-1"], "the retry carries the nonce the server gave");
  check(first.jti !== second.jti && second.ath === await sha(access), "a fresh proof bound to the token");
  check(await verifies(server.seen[1].dpop), "which verifies");
  // A nonce is kept per origin, for later proofs and other stores (and tabs, through localStorage).
  const other = new TokenStore({ key: "fetch", dpop: true });
  same(parts(await other.dpopProof("GET", "https://rs.test/other")).claims.nonce, "n-2", "the latest nonce of the origin");
  same(parts(await other.dpopProof("GET", "https://elsewhere.test/")).claims.nonce, undefined, "not another origin's");
  // An authorization server asks with a 400 JSON error; a second refusal is returned, not retried.
  server = serve(() => new Response('{"error":"use_dpop_nonce"}', { status: 400, headers: { "DPoP-Nonce": "as-1", "Content-Type": "application/json" } }));
  const refused = await store.fetch("https://as.test/token", { method: "POST", body: new URLSearchParams({ a: "1" }) });
  server.restore();
  same([refused.status, server.seen.length], [400, 2], "one retry only");
  same(server.seen.map((s) => s.body), ["a=1", "a=1"], "the same form body both times");
  same(parts(server.seen[1].dpop).claims.nonce, "as-1", "with the nonce learnt from the 400");
  other.free(); store.free();

}

export async function without_dpop_fetch_sends_bearer_and_proofs_are_refused(TokenStore) {
  await fresh();
  const store = new TokenStore({ key: "bearer" });
  const access = later(3600, "zoe");
  store.set(access);
  const server = serve(() => new Response(null, { status: 401, headers: { "WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": "n" } }));
  await store.fetch("https://rs.test/api/me");
  store.set(later(-10, "old"));
  await store.fetch("https://rs.test/api/me");
  server.restore();
  same(server.seen.map((s) => [s.auth, s.dpop]), [["Bearer " + access, null], [null, null]],
    "Bearer, no proof, no retry; an expired token is not sent");
  same(localStorage.getItem("tokenstore:dpop-nonce:https://rs.test"), null, "and no nonce is kept");
  for (const call of [() => store.dpopProof("GET", "https://rs.test/"), () => store.dpopThumbprint()]) {
    try { await call(); check(false, "refused"); } catch (error) { same(error.code, "INVALID_OPTION", "dpop is off"); }
  }
  const dpop = new TokenStore({ key: "bearer", dpop: true });
  for (const [method, url, code] of [[1, "https://rs.test/", "INVALID_ARGUMENT"], ["GE T", "https://rs.test/", "INVALID_ARGUMENT"],
                                      ["GET", "ftp://x/", "INVALID_ARGUMENT"], ["GET", "http://[", "INVALID_ARGUMENT"]]) {
    try { await dpop.dpopProof(method, url); check(false, `refused ${url}`); } catch (error) { same(error.code, code, `${method} ${url}`); }
  }
  try { new TokenStore({ dpop: "yes" }); check(false, "refused"); } catch (error) { same(error.code, "INVALID_OPTION", "dpop is a boolean"); }
  store.free(); dpop.free();

}

export async function without_webcrypto_dpop_is_a_token_error(TokenStore) {
  await fresh();
  const store = new TokenStore({ key: "nocrypto", dpop: true });
  Object.defineProperty(globalThis.crypto, "subtle", { value: undefined, configurable: true });
  try {
    await store.dpopProof("GET", "https://rs.test/");
    check(false, "refused");
  } catch (error) {
    same([error.name, error.code], ["TokenError", "CRYPTO_UNAVAILABLE"], "a TokenError with its own code, not a TypeError");
  } finally {
    delete globalThis.crypto.subtle;
  }
  store.free();

}
