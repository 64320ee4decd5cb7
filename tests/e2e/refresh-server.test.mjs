// The demo server's refresh sessions over real HTTP: "stay signed in" sets an httpOnly refresh cookie,
// /api/refresh rotates it, a refresh token used twice revokes its family, logout revokes and clears it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { DEMO_USER, startServer } from "../../www/server.mjs";
import { claimsOf } from "../scenarios/tokens.mjs";

let server;
before(async () => {
  server = await startServer({ port: 0, secret: "test-secret-please-ignore", log: () => {} });
});
after(() => server.close());

const login = (extra = {}) =>
  fetch(new URL("/api/login", server.url), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: DEMO_USER.username, password: DEMO_USER.password, ...extra }),
  });
const refresh = (cookie) =>
  fetch(new URL("/api/refresh", server.url), { method: "POST", headers: cookie ? { Cookie: cookie } : {} });
// The cookie's name=value, and its attributes.
const cookieOf = (response) => {
  const header = response.headers.get("set-cookie");
  if (!header) return null;
  const [pair, ...attributes] = header.split(";").map((part) => part.trim());
  return { pair, attributes };
};

test("a login without 'stay signed in' sets no cookie", async () => {
  const response = await login();
  assert.equal(response.status, 200);
  assert.equal(cookieOf(response), null);
});

test("'stay signed in' sets an httpOnly, Secure, SameSite=Strict refresh cookie on /api/ and a short token", async () => {
  const response = await login({ remember: true });
  assert.equal(response.status, 200);
  const { token } = await response.json();
  const claims = claimsOf(token);
  assert.equal(claims.exp - claims.iat, 30, "short access tokens in this mode");
  const cookie = cookieOf(response);
  assert.match(cookie.pair, /^tokenstore_refresh=[A-Za-z0-9_-]{43}$/);
  for (const attribute of ["Path=/api/", "HttpOnly", "Secure", "SameSite=Strict"]) {
    assert.ok(cookie.attributes.includes(attribute), attribute);
  }
  assert.equal((await login({ remember: "yes" })).status, 400);
});

test("/api/refresh rotates the refresh token and answers a new access token", async () => {
  let cookie = cookieOf(await login({ remember: true })).pair;
  const seen = new Set([cookie]);
  for (let i = 0; i < 3; i++) {
    const response = await refresh(cookie);
    assert.equal(response.status, 200);
    const { token } = await response.json();
    assert.equal(claimsOf(token).sub, "zoe");
    const me = await fetch(new URL("/api/me", server.url), { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
    cookie = cookieOf(response).pair;
    assert.ok(!seen.has(cookie), "a new refresh token every time");
    seen.add(cookie);
  }
});

test("a refresh token used twice revokes its whole family", async () => {
  const first = cookieOf(await login({ remember: true })).pair;
  const second = cookieOf(await refresh(first)).pair;
  const reused = await refresh(first);
  assert.equal(reused.status, 401);
  assert.match((await reused.json()).error, /reused/);
  assert.match(cookieOf(reused).pair, /^tokenstore_refresh=$/, "the cookie is cleared");
  assert.equal((await refresh(second)).status, 401, "the newer token of the family is revoked too");
  const other = cookieOf(await login({ remember: true })).pair;
  assert.equal((await refresh(other)).status, 200, "other logins are untouched");
});

test("no cookie, or an unknown one, is a 401", async () => {
  assert.equal((await refresh()).status, 401);
  assert.equal((await refresh("tokenstore_refresh=nope")).status, 401);
});

test("logout revokes the refresh session and clears the cookie, even with an expired access token", async () => {
  const cookie = cookieOf(await login({ remember: true })).pair;
  const response = await fetch(new URL("/api/logout", server.url), { method: "POST", headers: { Cookie: cookie } });
  assert.equal(response.status, 204);
  assert.match(cookieOf(response).pair, /^tokenstore_refresh=$/);
  assert.equal((await refresh(cookie)).status, 401);
});
