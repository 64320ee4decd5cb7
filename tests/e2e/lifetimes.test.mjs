// The built package as a JavaScript object in a real page: it outlives the references an app drops
// (with real garbage collections, `--js-flags=--expose-gc`), and a logout in one tab never removes the
// token another tab wrote after it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { valid } from "./chromium.mjs";
import { demoInChromium } from "./tabs.mjs";

const demo = demoInChromium({ gc: true });


async function open(context, html, { slowMs = 0 } = {}) {
  const page = await context.newPage();
  await page.route("**/fixture.html", (route) => route.fulfill({ contentType: "text/html", body: html }));
  await page.route("**/slow.js", async (route) => {
    await new Promise((done) => setTimeout(done, slowMs));
    await route.fulfill({ contentType: "text/javascript", body: "" });
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (line) => line.type() === "error" && errors.push(line.text()));
  await page.goto(new URL("/fixture.html", demo.server.url).href);
  return { page, errors };
}

/** Full collections, with time between them for finalizers to run. */
const collect = (page) =>
  page.evaluate(async () => {
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((done) => setTimeout(done, 50));
    }
  });

test("the README's static page keeps reacting to other tabs after a garbage collection", async () => {
  const context = await demo.browser.newContext();
  const { page, errors } = await open(context, `<!doctype html><script type="module">
    import init, { TokenStore } from "/pkg/index.js";
    await init();
    const store = new TokenStore();
    store.autoLogin({
      onLogin(token, claims) { document.body.dataset.user = claims.sub; },
      onLogout(reason) { document.body.dataset.user = ""; },
    });
    window.ready = true;
  </script><body></body>`);
  await page.waitForFunction(() => window.ready);
  await collect(page);
  const other = await context.newPage();
  await other.goto(new URL("/", demo.server.url).href);
  await other.evaluate((jwt) => localStorage.setItem("tokenstore.jwt", jwt), valid("after-gc"));
  await page.waitForFunction(() => document.body.dataset.user === "after-gc", null, { timeout: 5000 });
  await collect(page);
  await other.evaluate(() => localStorage.removeItem("tokenstore.jwt"));
  await page.waitForFunction(() => document.body.dataset.user === "", null, { timeout: 5000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test("an autoLogin handle discarded while the document loads still reports the login", async () => {
  const context = await demo.browser.newContext();
  await context.addInitScript((jwt) => localStorage.setItem("early.jwt", jwt), valid("early"));
  // An async module runs as soon as it is fetched; the slow classic script after it keeps the parser
  // busy, so the document is still loading when autoLogin is called and the handle dropped.
  const { page, errors } = await open(context, `<!doctype html><html><head>
    <script type="module" async>
      import init, { TokenStore } from "/pkg/index.js";
      await init();
      window.log = [];
      window.readyStateAtCall = document.readyState;
      new TokenStore({ key: "early.jwt" }).autoLogin({ onLogin: (t, claims) => log.push("login " + claims.sub) });
      for (let i = 0; i < 3; i++) { gc(); await new Promise((done) => setTimeout(done, 50)); }
      log.push("collected");
    </script></head><body><script src="/slow.js"></script><p>parsed</p></body></html>`, { slowMs: 1500 });
  await page.waitForFunction(() => window.log?.some((line) => line.startsWith("login")), null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => window.readyStateAtCall), "loading");
  assert.deepEqual(await page.evaluate(() => window.log), ["collected", "login early"]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a logout in one tab never removes the token another tab wrote after it (30 races)", async () => {
  const context = await demo.browser.newContext();
  const page = `<!doctype html><script type="module">
    import init, { TokenStore } from "/pkg/index.js";
    await init();
    window.TokenStore = TokenStore;
    window.ready = true;
  </script>`;
  const { page: a } = await open(context, page);
  const { page: b, errors } = await open(context, page);
  await Promise.all([a, b].map((tab) => tab.waitForFunction(() => window.ready)));
  await b.evaluate(() => {
    window.store = new TokenStore({ key: "race.jwt" });
    window.log = [];
    window.hooks = store.autoLogin({
      onLogin: (t, claims) => log.push(claims.sub),
      onLogout: (reason) => log.push(reason),
    });
  });
  await a.evaluate(() => (window.store = new TokenStore({ key: "race.jwt" })));
  for (let run = 0; run < 30; run++) {
    const [first, second] = [valid(`first-${run}`), valid(`second-${run}`)];
    await a.evaluate((jwt) => store.set(jwt), first);
    await b.waitForFunction((sub) => log.at(-1) === sub, `first-${run}`);
    // Tab A, with no listener of its own, switches account: its logout reaches B after the new token.
    await a.evaluate((jwt) => { store.clear(); store.set(jwt); }, second);
    await b.waitForFunction((sub) => log.at(-1) === sub, `second-${run}`);
    await new Promise((done) => setTimeout(done, 20));
    assert.equal(await a.evaluate(() => localStorage.getItem("race.jwt")), second, `run ${run}: the new token stays`);
    assert.equal(await b.evaluate(() => store.claims?.sub), `second-${run}`, `run ${run}: B follows`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
