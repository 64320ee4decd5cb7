// Each demo app, driven in headless Debian Chromium as a person would use it. All three apps use the same
// element ids, so one suite covers them; an app is skipped only if it is not part of the demo at all.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { claimsOf } from "../scenarios/tokens.mjs";
import { demoInChromium } from "./tabs.mjs";

const KEY = "tokenstore-demo.jwt";
const screenshots = fileURLToPath(new URL("screenshots/", import.meta.url));
const www = fileURLToPath(new URL("../../www/", import.meta.url));
const APPS = [
  { name: "static", path: "/static/", present: true },
  { name: "react", path: "/react/", present: existsSync(`${www}react/package.json`) },
  { name: "svelte", path: "/svelte/", present: existsSync(`${www}svelte/package.json`) },
];

const demo = demoInChromium();
before(() => mkdirSync(screenshots, { recursive: true }));

const status = (page) => page.locator("#status");
const expectStatus = (page, value, timeout = 5000) =>
  page.waitForFunction((v) => document.getElementById("status")?.textContent === v, value, { timeout });
const stored = (page) =>
  page.evaluate((key) => ({ local: localStorage.getItem(key), session: sessionStorage.getItem(key) }), KEY);
const events = (page) => page.locator("#events").innerText();
/** The value of the store's cookie as the page sees it, or null. */
const cookie = (page) =>
  page.evaluate((key) => document.cookie.split("; ").find((pair) => pair.startsWith(`${key}=`))?.slice(key.length + 1) ?? null, KEY);

async function open(context, app) {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("console", (line) => line.type() === "error" && problems.push(line.text()));
  await page.goto(new URL(app.path, demo.server.url).href);
  await page.waitForFunction(() => ["anonymous", "authenticated", "expired"].includes(document.getElementById("status")?.textContent ?? ""));
  page.problems = problems;
  return page;
}

async function login(page, { username = "zoe", password = "correct horse battery", ttl } = {}) {
  await page.fill("#username", username);
  await page.fill("#password", password);
  await page.fill("#ttl", ttl ? String(ttl) : "");
  await page.click("#login");
  await expectStatus(page, "authenticated");
}

for (const app of APPS) {
  describe(`${app.name} app`, { skip: !app.present && `www/${app.name} is not in the demo` }, () => {
    let context;
    let page;
    before(async () => {
      context = await demo.browser.newContext();
      page = await open(context, app);
    });
    after(() => context?.close());

    test("signs up a new user and shows the decoded name", async () => {
      assert.equal(await status(page).innerText(), "anonymous");
      await page.fill("#username", `user-${app.name}`);
      await page.fill("#password", "a long password");
      await page.fill("#name", "Zoë Test 東京");
      await page.click("#signup");
      await expectStatus(page, "authenticated");
      assert.equal(await page.locator("#welcome").innerText(), "Welcome, Zoë Test 東京");
      assert.match(await page.locator("#claims").innerText(), /"sub": "user-/);
      const countdown = Number(await page.locator("#countdown").innerText());
      assert.ok(countdown > 3500 && countdown <= 3600, `countdown ${countdown}`);
    });

    test("logs out and logs in", async () => {
      await page.click("#logout");
      await expectStatus(page, "anonymous");
      assert.deepEqual(await stored(page), { local: null, session: null });
      assert.match(await events(page), /logout: logout/);
      await login(page);
      assert.equal(await page.locator("#welcome").innerText(), "Welcome, Zoë 東京");
    });

    test("calls the protected API with store.authorizationHeader()", async () => {
      await page.click("#call-me");
      await page.waitForFunction(() => document.getElementById("me-result")?.textContent !== "");
      assert.match(await page.locator("#me-result").innerText(), /^200 .*"name":"Zoë 東京"/);
    });

    test("stays logged in across a reload (auto-login on load)", async () => {
      await page.reload();
      await expectStatus(page, "authenticated");
      assert.match(await events(page), /login: Zoë 東京/);
    });

    test("navigates in the app and back; popstate re-checks the token", async () => {
      await page.click("#nav-profile");
      await page.waitForFunction(() => document.getElementById("page")?.textContent === "profile");
      assert.match(page.url(), /\/profile$/);
      await page.goBack();
      await page.waitForFunction(() => document.getElementById("page")?.textContent === "home");
      assert.equal(await status(page).innerText(), "authenticated");

      // The token disappears without any storage event in this tab: only the popstate hook can notice.
      await page.click("#nav-profile");
      await page.evaluate((key) => localStorage.removeItem(key), KEY);
      await page.goBack();
      await expectStatus(page, "anonymous");
      assert.match(await events(page), /logout: removed/);
      await login(page);
    });

    test("a second tab is logged in; a logout and a login there reach this tab", async () => {
      const second = await open(context, app);
      await expectStatus(second, "authenticated");
      await second.click("#logout");
      await expectStatus(second, "anonymous");
      await expectStatus(page, "anonymous");
      assert.match(await events(page), /logout: removed/);
      const loginsBefore = (await events(page)).match(/login: /g)?.length ?? 0;
      await login(second);
      await expectStatus(page, "authenticated");
      assert.equal((await events(page)).match(/login: /g)?.length, loginsBefore + 1, "onLogin fired here too");
      await second.close();
    });

    test("switching backend moves the token", async () => {
      const token = (await stored(page)).local;
      assert.ok(token, "starts in localStorage");
      await page.selectOption("#backend", "session");
      await page.waitForFunction(() => document.getElementById("backend-now")?.textContent === "session");
      assert.deepEqual(await stored(page), { local: null, session: token });
      await page.selectOption("#backend", "memory");
      await page.waitForFunction(() => document.getElementById("backend-now")?.textContent === "memory");
      assert.deepEqual(await stored(page), { local: null, session: null });
      assert.equal(await status(page).innerText(), "authenticated", "still logged in from memory");
      await page.selectOption("#backend", "local");
      await page.waitForFunction(() => document.getElementById("backend-now")?.textContent === "local");
      assert.deepEqual(await stored(page), { local: token, session: null });
    });

    test("on the cookie backend the token is a Strict, Secure cookie that /api/me takes and other tabs follow", async () => {
      const token = (await stored(page)).local;
      await page.selectOption("#backend", "cookie");
      await page.waitForFunction(() => document.getElementById("backend-now")?.textContent === "cookie");
      assert.deepEqual(await stored(page), { local: null, session: null });
      assert.equal(await cookie(page), token);
      const [jar] = (await context.cookies()).filter((c) => c.name === KEY);
      const exp = claimsOf(token).exp;
      assert.deepEqual([jar.path, jar.sameSite, jar.secure, jar.httpOnly], ["/", "Strict", true, false]);
      assert.ok(Math.abs(jar.expires - exp) <= 2, `the browser drops it at exp (${jar.expires} vs ${exp})`);
      // The app sends no Authorization header on this backend: the cookie logs the request in.
      await page.click("#call-me");
      await page.waitForFunction(() => /^200 /.test(document.getElementById("me-result")?.textContent ?? ""));

      // A second tab opens on the cookie (the app remembers the backend) and is logged in by it.
      const second = await open(context, app);
      await expectStatus(second, "authenticated");
      await second.click("#logout");
      await expectStatus(second, "anonymous");
      await expectStatus(page, "anonymous");
      assert.equal(await cookie(page), null, "the logout deleted the cookie");
      await login(second);
      await expectStatus(page, "authenticated");
      await second.close();
      const fresh = await cookie(page);
      await page.selectOption("#backend", "local");
      await page.waitForFunction(() => document.getElementById("backend-now")?.textContent === "local");
      assert.deepEqual(await stored(page), { local: fresh, session: null });
      assert.equal(await cookie(page), null, "moved out of the cookie");
    });

    test("a logout in a tab using sessionStorage reaches it through the broadcast", async () => {
      await page.selectOption("#backend", "session");
      await page.waitForFunction(() => document.getElementById("backend-now")?.textContent === "session");
      const second = await open(context, app); // sessionStorage is per tab: this one starts logged out
      await login(second);
      await second.click("#logout");
      await expectStatus(page, "anonymous");
      await second.close();
      await page.selectOption("#backend", "local");
      await login(page);
    });

    test("a 5-second token expires and the app logs out by itself", async () => {
      await page.click("#logout");
      await expectStatus(page, "anonymous");
      await login(page, { ttl: 5 });
      await page.screenshot({ path: `${screenshots}${app.name}.png`, fullPage: true });
      await expectStatus(page, "expired", 9000);
      assert.match(await events(page), /logout: expired/);
      assert.equal(await page.locator("#auth-form").isVisible(), true);
    });

    test("no errors reached the console", () => {
      assert.deepEqual(page.problems, []);
    });
  });
}
