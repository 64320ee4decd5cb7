// A logout reaches every tab of the origin on the same key, whatever its backend, including tabs
// that were in the back/forward cache, frozen or reloading at the time; and a listening store does not
// keep its page out of the back/forward cache. Chromium runs with the back/forward cache on, which
// playwright-core otherwise turns off.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { launch, servePackageFile, valid as token } from "./chromium.mjs";

// Each page: a store on `backend` with an autoLogin hook whose calls land in `window.log`, and a
// record of every pageshow.
const page = (backend) => `<!doctype html><meta charset="utf-8"><title>${backend}</title>
<script type="module">
  import init, { TokenStore } from "/pkg/index.js";
  await init();
  window.log = [];
  window.shows = [];
  addEventListener("pageshow", (event) => shows.push(event.persisted));
  window.store = new TokenStore({ key: "everywhere", backend: "${backend}" });
  store.autoLogin({
    onLogin: (token, claims) => log.push("login " + claims.sub),
    onLogout: (reason) => log.push("logout " + reason),
  });
  window.ready = true;
</script>`;

let server;
let origin;
let browser;
before(async () => {
  server = createServer(async (request, response) => {
    const path = new URL(request.url, "http://x").pathname;
    if (path.startsWith("/pkg/")) return servePackageFile(path, response);
    const backend = path.match(/^\/(local|session|memory)\.html$/)?.[1];
    if (backend) return response.writeHead(200, { "Content-Type": "text/html" }).end(page(backend));
    if (path === "/elsewhere.html") return response.writeHead(200, { "Content-Type": "text/html" }).end("<!doctype html><title>elsewhere</title>");
    response.writeHead(404).end();
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch({ backForwardCache: true });
});
after(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
});


async function open(context, backend) {
  const tab = await context.newPage();
  const errors = [];
  tab.on("pageerror", (error) => errors.push(String(error)));
  await tab.goto(`${origin}/${backend}.html`);
  await tab.waitForFunction(() => window.ready);
  return { tab, errors };
}

/** Waits until `tab` is back after `goBack`: restored from the back/forward cache (then `null`) or
 * loaded afresh (then the browser's reasons for not restoring it). The first pageshow may come before
 * the module has loaded; a restore always comes after. */
async function returned(tab) {
  await tab.waitForFunction(() => window.shows?.at(-1) === true || (window.ready && !window.shows.includes(true)));
  return tab.evaluate(() => (window.shows.at(-1) === true ? null : performance.getEntriesByType("navigation")[0].notRestoredReasons ?? "reloaded"));
}

const logOf = (tab) => tab.evaluate(() => window.log);
const storedIn = (tab) => tab.evaluate(() => window.store.get());

for (const backend of ["local", "session", "memory"]) {
  test(`${backend}: a tab in the back/forward cache comes back logged out, and is restored from the cache`, async () => {
    const context = await browser.newContext();
    const { tab: a } = await open(context, "local");
    const { tab: b, errors } = await open(context, backend);
    await b.evaluate((jwt) => store.set(jwt), token("bea"));
    await b.goto(`${origin}/elsewhere.html`);
    await a.evaluate(() => store.clear());
    await b.goBack({ waitUntil: "commit" });
    const reasons = await returned(b);
    assert.equal(reasons, null, `nothing kept the page out of the cache: ${JSON.stringify(reasons)}`);
    await b.waitForFunction(() => window.log.at(-1) === "logout removed");
    assert.deepEqual(await logOf(b), ["login bea", "logout removed"]);
    assert.equal(await storedIn(b), null);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`${backend}: a tab reloaded after a logout elsewhere is logged out`, async () => {
    const context = await browser.newContext();
    const { tab: a } = await open(context, "local");
    const { tab: b } = await open(context, backend);
    await b.evaluate((jwt) => store.set(jwt), token("rae"));
    await b.goto(`${origin}/elsewhere.html`);
    await a.evaluate(() => store.clear());
    await b.goto(`${origin}/${backend}.html`);
    await b.waitForFunction(() => window.ready);
    assert.equal(await storedIn(b), null);
    const log = await logOf(b);
    assert.ok(!log.some((line) => line.startsWith("login")), `no login after the logout: ${log}`);
    await context.close();
  });

  test(`${backend}: a login after a logout elsewhere stays`, async () => {
    const context = await browser.newContext();
    const { tab: a } = await open(context, "local");
    const { tab: b } = await open(context, backend);
    await b.evaluate((jwt) => store.set(jwt), token("old"));
    await a.evaluate(() => store.clear());
    await b.waitForFunction(() => window.log.at(-1) === "logout removed");
    await b.evaluate((jwt) => store.set(jwt), token("new"));
    // Away and back, and a reload: the new login predates nothing.
    await b.goto(`${origin}/elsewhere.html`);
    await b.goBack({ waitUntil: "commit" });
    const reasons = await returned(b);
    if (reasons === null || backend !== "memory") {
      assert.equal(await b.evaluate(() => store.claims?.sub), "new");
    } else {
      // A busy machine may evict the page (a reload loses memory by design); never for our channel.
      assert.ok(!JSON.stringify(reasons).includes("broadcastchannel"), JSON.stringify(reasons));
    }
    if (backend !== "memory") {
      await b.reload();
      await b.waitForFunction(() => window.ready);
      assert.equal(await b.evaluate(() => store.claims?.sub), "new", "after a reload too");
      assert.deepEqual(await logOf(b), ["login new"]);
    }
    await context.close();
  });

  test(`${backend}: a tab frozen while hidden is logged out when it runs again`, async () => {
    const context = await browser.newContext();
    const { tab: a } = await open(context, "local");
    const { tab: b } = await open(context, backend);
    await b.evaluate((jwt) => store.set(jwt), token("fay"));
    const cdp = await context.newCDPSession(b);
    await cdp.send("Page.setWebLifecycleState", { state: "frozen" });
    await a.evaluate(() => store.clear());
    await new Promise((done) => setTimeout(done, 100));
    await cdp.send("Page.setWebLifecycleState", { state: "active" });
    await b.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    await b.waitForFunction(() => window.log.at(-1) === "logout removed", null, { timeout: 10_000 }).catch(async (error) => {
      throw new Error(`${error.message}: the tab heard ${JSON.stringify(await b.evaluate(() => window.log))}`);
    });
    assert.equal(await storedIn(b), null);
    await context.close();
  });
}

test("a logout leaves no token material behind, and its mark goes once it has served", async () => {
  const context = await browser.newContext();
  const { tab: a } = await open(context, "session");
  const jwt = token("mark");
  await a.evaluate((jwt) => store.set(jwt), jwt);
  await a.evaluate(() => store.clear());
  const records = await a.evaluate(() => ({ ...localStorage, ...sessionStorage }));
  for (const [name, value] of Object.entries(records)) {
    assert.ok(!value.includes(jwt.split(".")[1].slice(0, 16)), `${name} holds no token material`);
  }
  const mark = JSON.parse(records["tokenstore:everywhere:logout"]);
  assert.deepEqual(Object.keys(mark), ["id", "until"]);
  assert.ok(mark.until > Date.now(), "kept until the removed token would have expired");
  // Once past its time, the next tab to run forgets it.
  await a.evaluate(() => localStorage.setItem("tokenstore:everywhere:logout", JSON.stringify({ id: 0.5, until: 2 })));
  const { tab: b } = await open(context, "session");
  assert.equal(await b.evaluate(() => localStorage.getItem("tokenstore:everywhere:logout")), null);
  await context.close();
});
