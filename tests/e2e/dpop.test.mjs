// DPoP against the demo server, in headless Chromium with the three apps: a login with the DPoP switch
// on gets a token bound to the page's key (cnf.jkt), the page's proofs pass the server's jose checks
// (nonce asked for and retried once, then remembered), a refresh proves the session's key, and a token
// copied out of the page is refused whichever way it is sent: as Bearer, as DPoP without a proof, with
// a proof by another key, or with a proof replayed. The key stays in IndexedDB across a reload and is
// gone after logout.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { b64, claimsOf, headerOf } from "../scenarios/tokens.mjs";
import { demoInChromium } from "./tabs.mjs";

const KEY = "tokenstore-demo.jwt";

const demo = demoInChromium();

const thumbprint = ({ crv, kty, x, y }) => b64(createHash("sha256").update(JSON.stringify({ crv, kty, x, y })).digest());

// A proof that says everything right but is signed by a key of this process, not the page's.
function foreignProof(method, url, token, nonce) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const { kty, crv, x, y } = publicKey.export({ format: "jwk" });
  const header = b64(JSON.stringify({ typ: "dpop+jwt", alg: "ES256", jwk: { kty, crv, x, y } }));
  const claims = b64(JSON.stringify({
    jti: b64(randomBytes(16)), htm: method, htu: url, iat: Math.floor(Date.now() / 1000),
    ath: b64(createHash("sha256").update(token).digest()), nonce,
  }));
  const signature = sign("sha256", Buffer.from(`${header}.${claims}`), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return `${header}.${claims}.${b64(signature)}`;
}

const expectStatus = (page, value, timeout = 8000) =>
  page.waitForFunction((v) => document.getElementById("status")?.textContent === v, value, { timeout });
const storedKeys = (page) => page.evaluate(() => new Promise((done, fail) => {
  const opening = indexedDB.open("tokenstore-dpop", 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore("keys");
  opening.onsuccess = () => {
    const request = opening.result.transaction("keys").objectStore("keys").getAll();
    request.onsuccess = () => {
      opening.result.close();
      done(request.result.map((pair) => ({ extractable: pair.privateKey.extractable, type: pair.privateKey.type })));
    };
  };
  opening.onerror = () => fail(opening.error);
}));

// Clicks "Call /api/me" and waits for the page to show a 200 (the retry, if any, included).
async function callMe(page) {
  const answered = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/me" && response.status() === 200, { timeout: 5000 });
  await page.click("#call-me");
  await answered;
  await page.waitForFunction(() => document.getElementById("me-result").textContent.startsWith("200"));
  return page.locator("#me-result").innerText();
}

for (const app of ["static", "react", "svelte"]) test(`${app}: a DPoP-bound token works from the page and is refused anywhere else`, async () => {
  const context = await demo.browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  // What the page sends to /api/, to count requests and to replay a proof.
  const sent = [];
  context.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/api/")) sent.push({ path, dpop: request.headers()["dpop"], authorization: request.headers()["authorization"] });
  });
  await page.goto(new URL(`/${app}/`, demo.server.url).href);
  await expectStatus(page, "anonymous");
  await page.check("#dpop");
  await page.waitForLoadState("load");
  await expectStatus(page, "anonymous");
  assert.equal(await page.isChecked("#dpop"), true, "the switch survives the reload it makes");

  await page.fill("#username", "zoe");
  await page.fill("#password", "correct horse battery");
  await page.click("#login");
  await expectStatus(page, "authenticated");
  const token = await page.evaluate((key) => localStorage.getItem(key), KEY);
  const login = sent.find((request) => request.path === "/api/login");
  assert.ok(login.dpop, "the login carried a proof");
  assert.equal(claimsOf(token).cnf?.jkt, thumbprint(headerOf(login.dpop).jwk), "the token is bound to the page's key");
  assert.deepEqual(await storedKeys(page), [{ extractable: false, type: "private" }], "a non-extractable key in IndexedDB");

  // Every answer of the server carries its nonce, so the login's taught it. Forgotten here (as by a
  // page that has not talked to this server yet): the server asks for one, the page sends again once.
  const forgetNonce = () => page.evaluate(() => localStorage.removeItem(`tokenstore:dpop-nonce:${location.origin}`));
  await forgetNonce();
  let before = sent.length;
  assert.match(await callMe(page), /^200 .*"sub":"zoe"/);
  assert.equal(sent.slice(before).filter((r) => r.path === "/api/me").length, 2, "one retry with the nonce");
  before = sent.length;
  assert.match(await callMe(page), /^200 /);
  const me = sent.slice(before).filter((r) => r.path === "/api/me");
  assert.equal(me.length, 1, "the nonce is remembered: no retry");
  assert.equal(me[0].authorization, `DPoP ${token}`);

  // A copy of the token, outside the page.
  const url = new URL("/api/me", demo.server.url).href;
  const asBearer = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(asBearer.status, 401, "refused as Bearer");
  assert.match(asBearer.headers.get("www-authenticate"), /^DPoP error="invalid_token"/);
  const nonce = asBearer.headers.get("dpop-nonce");
  assert.equal((await fetch(url, { headers: { Authorization: `DPoP ${token}` } })).status, 401, "refused without a proof");
  const foreign = await fetch(url, { headers: { Authorization: `DPoP ${token}`, DPoP: foreignProof("GET", url, token, nonce) } });
  assert.equal(foreign.status, 401, "refused with a proof by another key");
  assert.match((await foreign.json()).error, /another key/);
  const replayed = await fetch(url, { headers: { Authorization: `DPoP ${token}`, DPoP: me[0].dpop } });
  assert.equal(replayed.status, 401, "refused with the page's own proof replayed");
  assert.match((await replayed.json()).error, /replayed/);

  // The key survives a reload: the same token still proves.
  await page.reload();
  await expectStatus(page, "authenticated");
  assert.match(await callMe(page), /^200 /, "the key is still there after a reload");

  // Another tab: the same key from IndexedDB, and the nonce this tab learnt (no retry).
  const other = await context.newPage();
  other.on("pageerror", (error) => problems.push(String(error)));
  await other.goto(new URL(`/${app}/`, demo.server.url).href);
  await expectStatus(other, "authenticated");
  before = sent.length;
  assert.match(await callMe(other), /^200 /, "the other tab proves with the shared key");
  assert.equal(sent.slice(before).filter((r) => r.path === "/api/me").length, 1, "with the shared nonce");

  // Logout in one tab logs both out, and the key is gone for both.
  await page.click("#logout");
  await expectStatus(page, "anonymous");
  await expectStatus(other, "anonymous");
  await page.waitForFunction(() => new Promise((done) => {
    const opening = indexedDB.open("tokenstore-dpop", 1);
    opening.onsuccess = () => {
      const request = opening.result.transaction("keys").objectStore("keys").count();
      request.onsuccess = () => { opening.result.close(); done(request.result === 0); };
    };
  }), null, { timeout: 5000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test("a bound session refreshes with a proof, and the new token is bound to the same key", async () => {
  const context = await demo.browser.newContext();
  const page = await context.newPage();
  const refreshes = [];
  context.on("response", (response) => {
    if (new URL(response.url()).pathname === "/api/refresh") refreshes.push(response.status());
  });
  await page.goto(new URL("/static/", demo.server.url).href);
  await page.evaluate(() => { localStorage.setItem("tokenstore-demo.dpop", "1"); localStorage.setItem("tokenstore-demo.backend", "local"); });
  await page.reload();
  await expectStatus(page, "anonymous");
  await page.fill("#username", "zoe");
  await page.fill("#password", "correct horse battery");
  await page.fill("#ttl", "4");
  await page.check("#remember");
  await page.click("#login");
  await expectStatus(page, "authenticated");
  const first = await page.evaluate((key) => localStorage.getItem(key), KEY);
  // Refreshed at half its life. With no nonce known, the server first asks for one (400), then answers.
  await page.evaluate(() => localStorage.removeItem(`tokenstore:dpop-nonce:${location.origin}`));
  await page.waitForFunction(([key, old]) => localStorage.getItem(key) && localStorage.getItem(key) !== old, [KEY, first], { timeout: 10000 });
  const second = await page.evaluate((key) => localStorage.getItem(key), KEY);
  assert.equal(claimsOf(second).cnf.jkt, claimsOf(first).cnf.jkt, "the same key");
  assert.deepEqual(refreshes.slice(0, 2), [400, 200], "a nonce asked for with a 400, then the refresh");
  assert.match(await callMe(page), /^200 /);
  await context.close();
});
