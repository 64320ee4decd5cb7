// The demo's auth server, over real HTTP on 127.0.0.1.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { DEMO_USER, TOKEN_COOKIE, startServer } from "../../www/server.mjs";
import { claimsOf } from "../scenarios/tokens.mjs";

let server;
before(async () => {
  server = await startServer({ port: 0, secret: "test-secret-please-ignore", log: () => {} });
});
after(() => server.close());

const post = (path, body, headers = {}) =>
  fetch(new URL(path, server.url), {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const me = (token) => fetch(new URL("/api/me", server.url), { headers: { Authorization: `Bearer ${token}` } });

test("the seeded demo user logs in and gets an HS256 token with sub, name, iat, exp", async () => {
  const response = await post("/api/login", { username: DEMO_USER.username, password: DEMO_USER.password });
  assert.equal(response.status, 200);
  const { token } = await response.json();
  const header = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString("utf8"));
  assert.equal(header.alg, "HS256");
  const claims = claimsOf(token);
  assert.equal(claims.sub, "zoe");
  assert.equal(claims.name, "Zoë 東京");
  assert.equal(claims.exp - claims.iat, 3600);
  const profile = await me(token);
  assert.equal(profile.status, 200);
  assert.deepEqual(await profile.json(), { sub: "zoe", name: "Zoë 東京", exp: claims.exp });
});

test("signup creates a user once; a duplicate is refused", async () => {
  const first = await post("/api/signup", { username: "newbie", password: "long enough", name: "José", ttl: 60 });
  assert.equal(first.status, 201);
  const claims = claimsOf((await first.json()).token);
  assert.equal(claims.name, "José");
  assert.equal(claims.exp - claims.iat, 60);
  const again = await post("/api/signup", { username: "newbie", password: "another one" });
  assert.equal(again.status, 409);
  assert.match((await again.json()).error, /taken/);
  const login = await post("/api/login", { username: "newbie", password: "long enough" });
  assert.equal(login.status, 200);
});

test("wrong passwords and unknown users get 401 with a JSON error", async () => {
  for (const body of [{ username: "zoe", password: "nope nope" }, { username: "ghost", password: "whatever1" }]) {
    const response = await post("/api/login", body);
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { error: "wrong username or password" });
  }
});

test("bad requests get a clear 4xx and the server keeps serving", async () => {
  const cases = [
    [post("/api/login", "{not json"), 400],
    [post("/api/login", "[]"), 400],
    [post("/api/login", {}), 400],
    [post("/api/signup", { username: "x", password: "long enough" }), 400],
    [post("/api/signup", { username: "shorty", password: "short" }), 400],
    [post("/api/login", { username: "zoe", password: DEMO_USER.password, ttl: 0 }), 400],
    [post("/api/login", "x".repeat(100_000)), 413],
    [fetch(new URL("/api/login", server.url), { method: "POST", body: "{}" }), 415],
    [fetch(new URL("/api/nothing", server.url)), 404],
    [fetch(new URL("/pkg/../server.mjs", server.url)), 404],
    [fetch(new URL("/static/%2e%2e/server.mjs", server.url)), 404],
    [fetch(new URL("/static/%E0%A4%A", server.url)), 400],
  ];
  for (const [response, status] of cases) {
    const answer = await response;
    assert.equal(answer.status, status, `${answer.url} → ${answer.status}`);
    assert.equal(typeof (await answer.json()).error, "string");
  }
  const healthy = await post("/api/login", { username: "zoe", password: DEMO_USER.password });
  assert.equal(healthy.status, 200);
});

test("/api/me refuses missing, garbage, forged, expired and logged-out tokens", async () => {
  const { token } = await (await post("/api/login", { username: "zoe", password: DEMO_USER.password, ttl: 1 })).json();
  const forged = `${token.split(".").slice(0, 2).join(".")}.${Buffer.from("forged").toString("base64url")}`;
  assert.equal((await fetch(new URL("/api/me", server.url))).status, 401);
  assert.equal((await me("garbage")).status, 401);
  assert.equal((await me(forged)).status, 401);
  assert.equal((await me(token)).status, 200);
  // The one-second token expires by the server's clock: ask until it is refused.
  let expired = await me(token);
  for (const deadline = Date.now() + 5000; expired.status === 200 && Date.now() < deadline; expired = await me(token)) {
    await new Promise((done) => setTimeout(done, 100));
  }
  assert.equal(expired.status, 401);
  assert.deepEqual(await expired.json(), { error: "token expired" });

  const fresh = (await (await post("/api/login", { username: "zoe", password: DEMO_USER.password })).json()).token;
  const logout = await post("/api/logout", {}, { Authorization: `Bearer ${fresh}` });
  assert.equal(logout.status, 204);
  const revoked = await me(fresh);
  assert.equal(revoked.status, 401);
  assert.match((await revoked.json()).error, /revoked/);
});

test("/api/me also takes the token from the cookie backend's cookie, and only /api/me does", async () => {
  const { token } = await (await post("/api/login", { username: "zoe", password: DEMO_USER.password })).json();
  const withCookie = (cookie, init = {}) =>
    fetch(new URL("/api/me", server.url), { ...init, headers: { Cookie: cookie, ...init.headers } });
  // Other cookies around it, with `=`, spaces and quotes, are skipped.
  const ok = await withCookie(`theme=dark; q="a=b"; ${TOKEN_COOKIE}=${token}; x=1`);
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).sub, "zoe");
  assert.equal((await withCookie(`${TOKEN_COOKIE}x=${token}`)).status, 401, "a name that only starts like it");
  assert.equal((await withCookie(`${TOKEN_COOKIE}=garbage`)).status, 401);
  // An Authorization header, when sent, is the one that counts.
  assert.equal((await withCookie(`${TOKEN_COOKIE}=${token}`, { headers: { Authorization: "Bearer x.y.z" } })).status, 401);
  // A state-changing request does not accept the cookie: that would need CSRF protection.
  const logout = await fetch(new URL("/api/logout", server.url), { method: "POST", headers: { Cookie: `${TOKEN_COOKIE}=${token}` } });
  assert.equal(logout.status, 401);
  assert.equal((await withCookie(`${TOKEN_COOKIE}=${token}`)).status, 200, "not logged out by it");
});

test("static files are served with the right types", async () => {
  const index = await fetch(server.url);
  assert.equal(index.status, 200);
  assert.match(index.headers.get("content-type"), /text\/html/);
  const wasm = await fetch(new URL("/pkg/tokenstore_bg.wasm", server.url));
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get("content-type"), "application/wasm");
  const deepLink = await fetch(new URL("/static/profile", server.url));
  assert.equal(deepLink.status, 200, "an in-app path serves the app");
  assert.match(await deepLink.text(), /<script type="module" src="\/static\/app.js">/);
});
