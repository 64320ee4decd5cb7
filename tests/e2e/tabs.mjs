// What the end-to-end test files share to set up: the demo server and a Chromium for a file's tests
// (demoInChromium), and tabs of Chromium (playwright-core), Firefox ESR (geckodriver) and WebKit on the
// demo server's origin, driven alike, for the cross-tab tests. Each tab runs a page with one store on the key
// `hostile`, an autoLogin hook logging into `window.log`, and the app's part of a refresh.
import { createServer, request as forward } from "node:http";
import { after, before } from "node:test";
import { execFileSync } from "node:child_process";
import { Builder, Capabilities, WebDriver } from "selenium-webdriver";
import { Executor, HttpClient } from "selenium-webdriver/http/index.js";
import firefox from "selenium-webdriver/firefox.js";
import { startServer } from "../../www/server.mjs";
import { startWebKitDriver, WEBKIT_CAPABILITIES } from "../webkit.mjs";
import { launch } from "./chromium.mjs";

export const KEY = "hostile";

/**
 * The demo server and a headless Chromium (`launch(options)`: `gc`, `backForwardCache`, `args`) for
 * the calling file's tests: started before them, closed after them. The tests read `demo.server` and
 * `demo.browser`.
 */
export function demoInChromium(options = {}) {
  const demo = { server: undefined, browser: undefined };
  before(async () => {
    demo.server = await startServer({ port: 0, log: () => {} });
    demo.browser = await launch(options);
  });
  after(async () => {
    await demo.browser?.close();
    await demo.server?.close();
  });
  return demo;
}

// The page every tab runs: a store on the backend the query names, an autoLogin hook logging into
// `window.log`, and the app's part of a refresh. `nolocks` hides Web Locks (an http origin that is
// not localhost, older Safari); `insecure` turns the cookie's Secure off (WebKit refuses it on http);
// `skew` moves this page's clock by that many seconds, and
// `shiftClock(seconds)` moves it later.
const PAGE = `<!doctype html><meta charset="utf-8"><title>hostile</title>
<script type="module">
  const params = new URLSearchParams(location.search);
  if (params.has("nolocks")) Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined, configurable: true });
  let skew = Number(params.get("skew") ?? 0) * 1000;
  const now = Date.now;
  Date.now = () => now() + skew;
  window.shiftClock = (seconds) => { skew += seconds * 1000; };
  const { default: init, TokenStore } = await import("/pkg/index.js");
  await init();
  window.log = [];
  const cookie = params.has("insecure") ? { secure: false } : undefined;
  window.store = new TokenStore({ key: "${KEY}", backend: params.get("backend") ?? "local", serverClock: true, cookie });
  store.autoLogin({
    onLogin: (token, claims) => log.push("login " + claims.jti),
    onLogout: (reason) => log.push("logout " + reason),
  });
  window.refreshFromCookie = async (current, signal) => {
    const response = await fetch("/api/refresh", { method: "POST", signal });
    if (response.status === 401) return null;
    if (!response.ok) throw new Error("/api/refresh answered " + response.status);
    return (await response.json()).token;
  };
  window.login = async (ttl) => {
    const response = await fetch("/api/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: "zoe", password: "correct horse battery", ttl, remember: true }),
    });
    store.set((await response.json()).token);
  };
  window.ready = true;
</script>`;

// Where a tab goes unless `open` names another page of the site, and when that page is ready. `ready`
// runs in the page: playwright-core passes it as a function, WebDriver as its source.
const PAGE_PATH = "/hostile.html";
const pageReady = () => window.ready === true;

/** Starts the demo server and, in front of it, the site that serves the test page; resolves to
 * `{ demo, url, close() }`. */
export async function startSite() {
  const demo = await startServer({ port: 0, log: () => {} });
  // The test page, on the demo server's origin: everything else is passed through to it, cookies
  // included, so the page's requests reach the real refresh sessions.
  const site = createServer((incoming, outgoing) => {
    if (new URL(incoming.url, "http://x").pathname === "/hostile.html") {
      return outgoing.writeHead(200, { "Content-Type": "text/html" }).end(PAGE);
    }
    const upstream = forward(`${demo.url.replace(/\/$/, "")}${incoming.url}`, { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on("error", () => outgoing.writeHead(502).end());
    incoming.pipe(upstream);
  });
  await new Promise((done) => site.listen(0, "127.0.0.1", done));
  return {
    demo,
    url: `http://127.0.0.1:${site.address().port}`,
    async close() {
      await new Promise((done) => site.close(done));
      await demo.close();
    },
  };
}

// How long a tab may take to answer `run`: WebDriver's default script timeout, which bounds the other
// engines, so that a page that never answers fails the step it was on rather than the whole test.
const SCRIPT_LIMIT_MS = 30_000;

function withinScriptLimit(answer, fn) {
  let timer;
  const late = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`the page did not answer within ${SCRIPT_LIMIT_MS} ms: ${String(fn).slice(0, 200)}`)), SCRIPT_LIMIT_MS);
  });
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

// A session's `open(query, { path, ready })` opens a tab on `path` (the test page unless named) and
// waits until `ready()` is true in it. A tab: `run(fn, arg)` calls the async function `fn` in the page
// with `arg` (JSON) and returns its result; `reload()` reloads it and waits for `ready()` again;
// `freeze()` and `resume()` where the browser allows (Chromium).
export const chromium = {
  name: "Chromium",
  canFreeze: true,
  async start() {
    this.browser = await launch();
  },
  async stop() {
    await this.browser?.close();
  },
  async session(site) {
    const context = await this.browser.newContext();
    return {
      async open(query, { path = PAGE_PATH, ready = pageReady } = {}) {
        const page = await context.newPage();
        await page.goto(`${site.url}${path}?${query}`);
        await page.waitForFunction(ready);
        return {
          run: (fn, arg = null) => withinScriptLimit(page.evaluate(`(${fn})(${JSON.stringify(arg)})`), fn),
          async reload() {
            await page.reload();
            await page.waitForFunction(ready);
          },
          async freeze() {
            this.cdp ??= await context.newCDPSession(page);
            await this.cdp.send("Page.setWebLifecycleState", { state: "frozen" });
          },
          async resume() {
            await this.cdp.send("Page.setWebLifecycleState", { state: "active" });
          },
        };
      },
      close: () => context.close(),
    };
  },
};

const geckodriver = () =>
  execFileSync("sh", ["-c", 'PATH="$HOME/.cargo/bin:$PATH" command -v geckodriver'], { encoding: "utf8" }).trim();

/** A browser driven through WebDriver (selenium-webdriver): `connect()` resolves to a session. */
const webDriverBrowser = (name, connect, quit = () => {}) => ({
  name,
  async start() {
    this.driver = await connect();
    this.first = await this.driver.getWindowHandle();
  },
  async stop() {
    await this.driver?.quit();
    quit();
  },
  // One WebDriver session is one profile: a session's tabs share storage, and the next session starts
  // with it cleared and the tabs of the last one closed.
  async session(site) {
    const driver = this.driver;
    const first = this.first;
    const handles = [];
    let current = null;
    const focus = async (handle) => {
      if (current !== handle) await driver.switchTo().window(handle);
      current = handle;
    };
    const run = async (handle, fn, arg) => {
      await focus(handle);
      const result = await driver.executeAsyncScript(
        `const done = arguments[arguments.length - 1];
         (${fn})(${JSON.stringify(arg)}).then((value) => done({ value }), (error) => done({ error: String(error) }));`,
      );
      if (result.error) throw new Error(result.error);
      return result.value;
    };
    return {
      async open(query, { path = PAGE_PATH, ready = pageReady } = {}) {
        await driver.switchTo().newWindow("tab");
        const handle = await driver.getWindowHandle();
        current = handle;
        handles.push(handle);
        const loaded = () => driver.wait(async () => (await driver.executeScript(`return (${ready})()`)) === true, 15_000);
        await driver.get(`${site.url}${path}?${query}`);
        await loaded();
        return {
          run: (fn, arg = null) => run(handle, fn, arg),
          async reload() {
            await focus(handle);
            await driver.navigate().refresh();
            await loaded();
          },
        };
      },
      async close() {
        const open = new Set(await driver.getAllWindowHandles());
        const left = handles.filter((handle) => open.has(handle));
        if (left.length > 0) {
          await focus(left[0]);
          await driver.executeScript("localStorage.clear(); sessionStorage.clear();");
          await driver.manage().deleteAllCookies();
        }
        // Every tab but the first, listed again until none is left: WebKitWebDriver may call a tab
        // gone while another one closes, and a tab left open would hear the next session's tabs.
        for (let round = 0; ; round++) {
          const others = (await driver.getAllWindowHandles()).filter((handle) => handle !== first);
          if (others.length === 0) break;
          if (round === 3) throw new Error(`tabs that would not close: ${others.length}`);
          for (const handle of others) {
            try {
              await driver.switchTo().window(handle);
              await driver.close();
            } catch (error) {
              if (error.name !== "NoSuchWindowError") throw error;
            }
          }
        }
        current = null;
        await driver.switchTo().window(first);
      },
    };
  },
});

export const firefoxEsr = webDriverBrowser("Firefox", () => {
  const options = new firefox.Options().setBinary("/usr/bin/firefox-esr").addArguments("-headless");
  return new Builder()
    .forBrowser("firefox")
    .setFirefoxOptions(options)
    .setFirefoxService(new firefox.ServiceBuilder(geckodriver()))
    .build();
});

/** WebKit through WebKitWebDriver on a virtual display. It refuses `Secure` cookies on http, so the
 * demo server's refresh cookie never reaches it: only what needs no refresh session runs there. */
let webkitDriver = null;
export const webkit = {
  ...webDriverBrowser(
    "WebKit",
    async () => {
      webkitDriver = await startWebKitDriver();
      return WebDriver.createSession(new Executor(new HttpClient(webkitDriver.url)), new Capabilities(WEBKIT_CAPABILITIES));
    },
    () => webkitDriver?.stop(),
  ),
  refusesSecureCookies: true,
};

// Awaits `fn` in `tab` until it returns true.
export async function until(tab, fn, arg, what, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await tab.run(fn, arg))) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

// Every tab's view: the token it holds and the last thing its hooks heard.
export const view = (tab) => tab.run(async () => ({ token: store.get(), status: store.getSnapshot().status, last: log.at(-1) ?? null }));

