// The built package in WebKit, Safari's engine, through WebKitWebDriver (tests/webkit.mjs), with real
// tabs: logout everywhere, including a tab in the back/forward cache; three tabs refreshing one token
// under the Web Lock; and the cookie backend, whose default Secure cookie WebKit refuses on http.
// The pages are this file's own: a store on the backend the URL names, whose autoLogin calls land in
// `window.log`, and an autoRefresh whose fetchToken asks this server for a short-lived token.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Capabilities, WebDriver } from "selenium-webdriver";
import { Executor, HttpClient } from "selenium-webdriver/http/index.js";
import { startWebKitDriver, WEBKIT_CAPABILITIES } from "../webkit.mjs";
import { servePackageFile, valid } from "./chromium.mjs";
import { token } from "../scenarios/tokens.mjs";

/** Seconds each token from /token lives: autoRefresh asks for the next one at half of that. */
const REFRESHED_LIFETIME = 4;
const shortLived = (sub) => token({ sub, iat: Date.now() / 1000, exp: Date.now() / 1000 + REFRESHED_LIFETIME });

const page = (options) => `<!doctype html><meta charset="utf-8"><title>tokenstore</title>
<script type="module">
  import init, { TokenStore } from "/pkg/index.js";
  await init();
  window.log = [];
  window.store = new TokenStore(${JSON.stringify({ key: "webkit", ...options })});
  store.on("fallback", ({ from, to, reason }) => log.push(\`fallback \${from} \${to} \${reason}\`));
  store.autoLogin({
    onLogin: (token, claims) => log.push("login " + claims.sub),
    onLogout: (reason) => log.push("logout " + reason),
  });
  window.startRefreshing = () => store.autoRefresh({ refresh: () => fetch("/token", { method: "POST" }).then((r) => r.text()) });
  window.ready = true;
</script>`;

let server;
let origin;
let webkit;
let driver;
/** Every /token request: when it came. */
const issued = [];
before(async () => {
  server = createServer(async (request, response) => {
    const url = new URL(request.url, "http://x");
    if (url.pathname.startsWith("/pkg/")) return servePackageFile(url.pathname, response);
    if (url.pathname === "/page.html") {
      return response.writeHead(200, { "Content-Type": "text/html" }).end(page(JSON.parse(url.searchParams.get("options") ?? "{}")));
    }
    if (url.pathname === "/elsewhere.html") return response.writeHead(200, { "Content-Type": "text/html" }).end("<!doctype html><title>elsewhere</title>");
    if (url.pathname === "/token" && request.method === "POST") {
      issued.push(Date.now());
      return response.writeHead(200, { "Content-Type": "text/plain" }).end(shortLived(`fresh${issued.length}`));
    }
    response.writeHead(404).end();
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  origin = `http://127.0.0.1:${server.address().port}`;
  webkit = await startWebKitDriver();
  driver = await WebDriver.createSession(new Executor(new HttpClient(webkit.url)), new Capabilities(WEBKIT_CAPABILITIES));
});
after(async () => {
  await driver?.quit();
  webkit?.stop();
  await new Promise((done) => server?.close(done));
});

/** Opens a tab (the first one reuses the session's window) on a page with a store made with `options`. */
async function open(options) {
  const handles = await driver.getAllWindowHandles();
  const current = await driver.getWindowHandle();
  if (handles.length > 1 || (await driver.getCurrentUrl()) !== "about:blank") await driver.switchTo().newWindow("tab");
  else await driver.switchTo().window(current);
  const handle = await driver.getWindowHandle();
  await driver.get(`${origin}/page.html?options=${encodeURIComponent(JSON.stringify(options))}`);
  await waitFor(handle, "window.ready === true");
  return handle;
}

/** Runs `script` (a function body) in the tab `handle`. */
async function run(handle, script, ...args) {
  await driver.switchTo().window(handle);
  return driver.executeScript(script, ...args);
}

/** Waits until `expression` holds in tab `handle`; fails with `what` after `ms`. */
async function waitFor(handle, expression, ms = 10_000) {
  await driver.switchTo().window(handle);
  await driver.wait(() => driver.executeScript(`try { return !!(${expression}); } catch { return false; }`), ms, `${expression}`);
}

/** Closes every tab but one, which is left on about:blank, and forgets the origin's storage. */
async function closeTabs() {
  const [first, ...rest] = await driver.getAllWindowHandles();
  for (const handle of rest) {
    await driver.switchTo().window(handle);
    await driver.close();
  }
  await driver.switchTo().window(first);
  await driver.get(`${origin}/elsewhere.html`);
  await driver.executeScript("localStorage.clear(); sessionStorage.clear();");
  await driver.get("about:blank");
}

const log = (handle) => run(handle, "return window.log");

for (const backend of ["local", "session", "memory"]) {
  test(`WebKit, ${backend}: a tab in the back/forward cache comes back logged out`, async () => {
    try {
      const a = await open({ backend: "local" });
      const b = await open({ backend });
      await run(b, "store.set(arguments[0]); window.before = true;", valid("bea"));
      await driver.get(`${origin}/elsewhere.html`);
      await run(a, "store.clear()");
      await driver.switchTo().window(b);
      await driver.navigate().back();
      await waitFor(b, `window.log?.at(-1) === "logout removed"`);
      assert.equal(await run(b, "return window.before === true"), true, "restored from the back/forward cache");
      assert.deepEqual(await log(b), ["login bea", "logout removed"]);
      assert.equal(await run(b, "return store.get()"), null);
    } finally {
      await closeTabs();
    }
  });
}

test("WebKit: three tabs on localStorage refresh once per window and follow the new token", async () => {
  try {
    const tabs = [await open({}), await open({}), await open({})];
    await run(tabs[0], "store.set(arguments[0])", shortLived("first"));
    const start = issued.length;
    for (const tab of tabs) await run(tab, "startRefreshing()");
    // Three windows' worth of refreshes.
    await driver.wait(() => issued.length - start >= 3, 6 * REFRESHED_LIFETIME * 1000, "three refreshes");
    const windows = issued.slice(start);
    for (let i = 1; i < windows.length; i++) {
      assert.ok(windows[i] - windows[i - 1] > 1000, `one refresh per window, not one per tab: ${windows.map((at) => at - windows[0])}`);
    }
    // Every tab follows; a refresh may land while they are read one after another, so read until they agree.
    const subs = () => Promise.all(tabs.map((tab) => run(tab, "return store.claims?.sub")));
    await driver.wait(async () => new Set(await subs()).size === 1, 5_000, "every tab on the same token");
    assert.match((await subs())[0], /^fresh/);
  } finally {
    await closeTabs();
  }
});

test("WebKit: the default Secure cookie is refused on http and the store falls back to memory", async () => {
  try {
    const a = await open({ backend: "cookie" });
    await run(a, "store.set(arguments[0])", valid("kept"));
    assert.deepEqual(await log(a), ["fallback cookie memory STORAGE_UNAVAILABLE", "login kept"]);
    assert.deepEqual(await run(a, "return [store.backend, document.cookie]"), ["memory", ""]);
  } finally {
    await closeTabs();
  }
});

test("WebKit: cookie stores without Secure share a login and a logout across tabs", async () => {
  try {
    const options = { backend: "cookie", cookie: { secure: false } };
    const a = await open(options);
    const b = await open(options);
    await run(a, "store.set(arguments[0])", valid("shared"));
    await waitFor(b, `window.log.at(-1) === "login shared"`);
    await run(a, "store.clear()");
    await waitFor(b, `window.log.at(-1) === "logout removed"`);
    assert.deepEqual(await log(b), ["login shared", "logout removed"]);
  } finally {
    await closeTabs();
  }
});
