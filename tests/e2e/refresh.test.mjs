// Refreshing against the demo server's real refresh sessions, in headless Chromium, with the static app:
// tabs sharing localStorage refresh once per expiry window and all follow the new token; tabs keeping
// the token in memory take turns, so the rotating refresh token is never spent twice; the secure mode
// survives a reload with no token in script-readable storage; a network cut is retried and recovered
// from; a clock ten minutes fast stays logged in with serverClock; and refreshing does not keep the page
// out of the back/forward cache.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch } from "./chromium.mjs";
import { demoInChromium } from "./tabs.mjs";

const KEY = "tokenstore-demo.jwt";

const demo = demoInChromium();

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
/** Waits until `condition()` holds, looking every 50 ms; fails naming `what` after `ms`. */
async function until(condition, what, ms) {
  for (const deadline = Date.now() + ms; !condition(); await sleep(50)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
  }
}
const expectStatus = (page, value, timeout = 8000) =>
  page.waitForFunction((v) => document.getElementById("status")?.textContent === v, value, { timeout });
const stored = (page) =>
  page.evaluate((key) => ({ local: localStorage.getItem(key), session: sessionStorage.getItem(key) }), KEY);
const events = (page) => page.locator("#events").innerText();
const claims = (page) => page.locator("#claims").innerText();

// Every /api/refresh the context sends, with its status.
function watchRefreshes(context) {
  const seen = [];
  context.on("response", (response) => {
    if (new URL(response.url()).pathname === "/api/refresh") seen.push({ at: Date.now(), status: response.status() });
  });
  context.on("requestfailed", (request) => {
    if (new URL(request.url()).pathname === "/api/refresh") seen.push({ at: Date.now(), status: "failed" });
  });
  return seen;
}

async function open(context, path = "/static/") {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  page.problems = problems;
  await page.goto(new URL(path, demo.server.url).href);
  await page.waitForFunction(() => ["anonymous", "authenticated", "expired"].includes(document.getElementById("status")?.textContent ?? ""));
  return page;
}

async function useMode(page, mode) {
  await page.selectOption("#backend", mode);
}

async function login(page, { ttl, remember = true } = {}) {
  await page.fill("#username", "zoe");
  await page.fill("#password", "correct horse battery");
  await page.fill("#ttl", ttl ? String(ttl) : "");
  if (remember) await page.check("#remember");
  await page.click("#login");
  await expectStatus(page, "authenticated");
}

test("three tabs on localStorage: one /api/refresh per expiry window, and every tab on the new token", async () => {
  const context = await demo.browser.newContext();
  const refreshes = watchRefreshes(context);
  const a = await open(context);
  await useMode(a, "local");
  // 4-second tokens: refreshed at half their life, every 2 seconds.
  await login(a, { ttl: 4 });
  const b = await open(context);
  const c = await open(context);
  await expectStatus(b, "authenticated");
  await expectStatus(c, "authenticated");
  const start = refreshes.length;
  // Three 2-second windows, each refreshed once by one of the three tabs.
  await until(() => refreshes.length - start >= 3, "three refreshes", 12_000);
  const window = refreshes.slice(start);
  assert.ok(window.every((r) => r.status === 200), JSON.stringify(window));
  for (let i = 1; i < window.length; i++) {
    assert.ok(window[i].at - window[i - 1].at > 1000, `one refresh per window: ${JSON.stringify(window)}`);
  }
  // Every tab follows each refresh. The three are read one after another, and a refresh may land in
  // between (on a busy machine reading them takes a while): look again until they agree.
  let seen = [];
  for (let look = 0; look < 20; look++) {
    seen = [await claims(a), await claims(b), await claims(c)];
    if (seen.every((one) => one === seen[0])) break;
    await sleep(100);
  }
  assert.ok(seen.every((one) => one === seen[0]), `every tab on the same token: ${JSON.stringify(seen)}`);
  for (const page of [a, b, c]) assert.equal(await page.locator("#status").innerText(), "authenticated");
  assert.match(await events(a) + await events(b) + await events(c), /refreshed: new token/);
  for (const page of [a, b, c]) assert.deepEqual(page.problems, []);
  await a.click("#logout");
  await context.close();
});

test("three tabs on memory: refreshes take turns, no reuse-detection 401", async () => {
  const context = await demo.browser.newContext();
  const refreshes = watchRefreshes(context);
  const a = await open(context);
  await useMode(a, "secure");
  await login(a, { ttl: 4 });
  // Only what follows the login counts: before it, the page's start-up refresh found no session.
  const start = refreshes.length;
  const reused = demo.server.refreshStats.reused;
  const b = await open(context);
  const c = await open(context);
  // Each new tab logs in silently from the cookie: each spends the refresh token the last one got.
  await expectStatus(b, "authenticated");
  await expectStatus(c, "authenticated");
  await until(() => refreshes.length - start >= 5, "five refreshes", 12_000);
  const after = refreshes.slice(start);
  assert.ok(after.length >= 5, `every tab refreshed, in turn (${after.length})`);
  assert.deepEqual(after.filter((r) => r.status !== 200), [], "never a 401");
  assert.equal(demo.server.refreshStats.reused, reused, "no refresh token was spent twice");
  for (const page of [a, b, c]) {
    assert.equal(await page.locator("#status").innerText(), "authenticated");
    assert.deepEqual(await stored(page), { local: null, session: null });
  }
  await a.click("#logout");
  await context.close();
});

test("the secure mode: a reload is still logged in, with no token in localStorage or sessionStorage", async () => {
  const context = await demo.browser.newContext();
  const page = await open(context);
  await useMode(page, "secure");
  await login(page);
  await page.reload();
  await expectStatus(page, "authenticated");
  assert.match(await events(page), /login: Zoë 東京/);
  assert.deepEqual(await stored(page), { local: null, session: null });
  const cookies = await context.cookies();
  const refresh = cookies.find((cookie) => cookie.name === "tokenstore_refresh");
  assert.ok(refresh.httpOnly && refresh.secure && refresh.sameSite === "Strict" && refresh.path === "/api/");
  assert.equal(await page.evaluate(() => document.cookie), "", "no script sees the cookie");
  // Logout ends the session on the server: the next reload is logged out.
  await page.click("#logout");
  await expectStatus(page, "anonymous");
  // The reloaded page asks the server once, which says the session is over.
  const refused = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/refresh");
  await page.reload();
  assert.equal((await refused).status(), 401);
  await expectStatus(page, "anonymous");
  await context.close();
});

test("a network cut: refreshes fail and are retried, then recover", async () => {
  const context = await demo.browser.newContext();
  const refreshes = watchRefreshes(context);
  const page = await open(context);
  await useMode(page, "secure");
  await login(page, { ttl: 4 });
  await context.route("**/api/refresh", (route) => route.abort("internetdisconnected"));
  await until(() => refreshes.filter((r) => r.status === "failed").length >= 2, "two failed refreshes", 10_000);
  assert.match(await events(page), /refresh failed \(attempt 2\).*retry in/s);
  await context.unroute("**/api/refresh");
  await expectStatus(page, "authenticated", 15000);
  await page.waitForFunction(() => /refreshed: new token/.test(document.getElementById("events").innerText), null, { timeout: 15000 });
  assert.deepEqual(page.problems, []);
  await context.close();
});

test("a clock ten minutes fast stays logged in with serverClock", async () => {
  const context = await demo.browser.newContext();
  await context.addInitScript(() => {
    const now = Date.now.bind(Date);
    Date.now = () => now() + 600_000;
  });
  const page = await open(context);
  await useMode(page, "secure");
  // A five-minute token looks five minutes expired to this clock.
  await login(page, { ttl: 300 });
  // Once the countdown has ticked, the store's timers have run by this clock.
  await page.waitForFunction(() => Number(document.getElementById("countdown").textContent) < 300);
  assert.equal(await page.locator("#status").innerText(), "authenticated");
  const left = Number(await page.locator("#countdown").innerText());
  assert.ok(left > 290 && left <= 300, `counts down by the server's clock (${left})`);
  await page.reload();
  await expectStatus(page, "authenticated");
  await page.click("#logout");
  await context.close();
});

for (const app of ["react", "svelte"]) {
  test(`the ${app} app: the secure mode logs in again after a reload with one /api/refresh`, async () => {
    const context = await demo.browser.newContext();
    const page = await open(context, `/${app}/`);
    await useMode(page, "secure");
    await login(page, { ttl: 30 });
    // Requests sent from the reloaded page on.
    const sent = [];
    context.on("request", (request) => new URL(request.url()).pathname === "/api/refresh" && sent.push(request));
    await page.reload();
    await expectStatus(page, "authenticated");
    await page.waitForLoadState("networkidle");
    // React's StrictMode mounts the component that starts autoRefresh twice.
    assert.equal(sent.length, 1, "one silent login per window");
    assert.match(await events(page), /login: Zoë 東京/);
    assert.deepEqual(await stored(page), { local: null, session: null });
    await page.click("#logout");
    await expectStatus(page, "anonymous");
    assert.deepEqual(page.problems, []);
    await context.close();
  });
}

test("refreshing keeps the page eligible for the back/forward cache", async () => {
  const cached = await launch({ backForwardCache: true });
  try {
    const context = await cached.newContext();
    await context.addInitScript(() => {
      window.shows = [];
      addEventListener("pageshow", (event) => window.shows.push(event.persisted));
    });
    const page = await context.newPage();
    await page.goto(new URL("/static/", demo.server.url).href);
    await expectStatus(page, "anonymous");
    await useMode(page, "secure");
    await login(page, { ttl: 4 });
    // Through at least one refresh, so a lock has been taken and let go.
    await page.waitForFunction(() => /refreshed: new token/.test(document.getElementById("events").innerText), null, { timeout: 8000 });
    await page.goto(new URL("/", demo.server.url).href);
    await page.goBack({ waitUntil: "commit" });
    await page.waitForFunction(() => window.shows?.includes(true), null, { timeout: 5000 });
    await expectStatus(page, "authenticated");
    await page.click("#logout");
  } finally {
    await cached.close();
  }
});
