// The static module page in headless Firefox ESR, through geckodriver (selenium-webdriver, told where
// both are so it downloads nothing): NOT_INITIALIZED before init(), the module page under
// script-src 'self' 'wasm-unsafe-eval', and init()'s error under script-src 'self'.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { Builder, By, until } from "selenium-webdriver";
import firefox from "selenium-webdriver/firefox.js";
import { errorBeforeInit, NAME, serveStatic, token } from "./lib.mjs";

const root = new URL("./static/", import.meta.url).pathname;
const geckodriver = execFileSync("sh", ["-c", 'PATH="$HOME/.cargo/bin:$PATH" command -v geckodriver'], { encoding: "utf8" }).trim();
let driver;
before(async () => {
  const options = new firefox.Options().setBinary("/usr/bin/firefox-esr").addArguments("-headless");
  driver = await new Builder()
    .forBrowser("firefox")
    .setFirefoxOptions(options)
    .setFirefoxService(new firefox.ServiceBuilder(geckodriver))
    .build();
});
after(() => driver?.quit());

async function withServer(options, body) {
  const server = await serveStatic(root, options);
  try {
    await body(server.url);
  } finally {
    await server.close();
  }
}

test("Firefox: before init(), what needs the module throws TokenError NOT_INITIALIZED", () =>
  withServer({}, async (url) => {
    await driver.get(`${url}/blank.html`);
    const result = await errorBeforeInit(driver);
    assert.equal(result.instance, true);
    assert.equal(result.code, "NOT_INITIALIZED");
    assert.match(result.message, /await init\(\)/);
  }));

test("Firefox: the module page under script-src 'self' 'wasm-unsafe-eval' logs in", () =>
  withServer({ headers: () => ({ "Content-Security-Policy": "script-src 'self' 'wasm-unsafe-eval'" }) }, async (url) => {
    await driver.get(`${url}/module.html`);
    await driver.wait(until.elementLocated(By.css("body[data-ready=yes]")), 15_000);
    await driver.findElement(By.id("token")).sendKeys(token());
    await driver.findElement(By.id("login")).click();
    await driver.wait(until.elementTextIs(driver.findElement(By.id("status")), `Welcome, ${NAME}`), 5_000);
    await driver.findElement(By.id("logout")).click();
    await driver.wait(until.elementTextIs(driver.findElement(By.id("status")), "anonymous"), 5_000);
  }));

test("Firefox: under script-src 'self', init() rejects naming script-src 'wasm-unsafe-eval'", () =>
  withServer({ headers: () => ({ "Content-Security-Policy": "script-src 'self'" }) }, async (url) => {
    await driver.get(`${url}/module.html`);
    await driver.wait(until.elementLocated(By.css("body[data-ready=error]")), 15_000);
    const message = await driver.findElement(By.id("error")).getText();
    assert.match(message, /^CompileError: /);
    assert.ok(message.includes("script-src 'wasm-unsafe-eval'"), message);
  }));

// Every name the package could read or hand on, on Object.prototype before the import: each entry loads
// and its store ignores them. The page runs by itself (the pollution is cleaned before the driver
// reads the result from <body>).
const POLLUTED_PAGE = (load) => `
  const done = arguments[arguments.length - 1];
  const leaked = [];
  const hostile = { get: 1, set: 1, value: 1, writable: 1, enumerable: 1, configurable: 1, backend: "session",
    key: "evil", leeway: 1e6, cookie: { domain: "evil.example" }, domain: "evil.example", sameSite: "none",
    onLogin: () => leaked.push("onLogin"), onLogout: () => leaked.push("onLogout"), signal: 1, once: 1,
    steal: true, module_or_path: 1 };
  for (const [name, value] of Object.entries(hostile)) {
    Object.defineProperty(Object.prototype, name, { __proto__: null, value, enumerable: true, configurable: true, writable: true });
  }
  const clean = () => { for (const name of Object.keys(hostile)) delete Object.prototype[name]; };
  (async () => {
    const ts = await (${load})();
    const store = new ts.TokenStore({});
    store.set(arguments[0]);
    let logins = 0;
    store.autoLogin({ onLogout() {} });
    store.autoLogin({ onLogin: () => logins++ });
    for (let i = 0; i < 500 && logins === 0; i++) await new Promise((next) => setTimeout(next, 10));
    const out = [store.backend, store.key, store.leeway, localStorage.getItem("tokenstore.jwt") === arguments[0], logins, leaked];
    store.clear();
    return out;
  })().then((out) => out, (error) => String(error)).then((out) => { clean(); done(out); });`;

const ENTRIES = {
  "index.js": `async () => { const ts = await import("/node_modules/tokenstore/index.js"); await ts.default(); return ts; }`,
  "tokenstore.global.js": `() => new Promise((loaded, failed) => {
    const script = document.createElement("script");
    script.src = "/node_modules/tokenstore/tokenstore.global.js";
    script.onload = () => tokenstore.ready.then(loaded, failed);
    script.onerror = failed;
    document.head.append(script);
  })`,
  "tokenstore.inline.js": `() => import("/node_modules/tokenstore/tokenstore.inline.js")`,
};

for (const [entry, load] of Object.entries(ENTRIES)) {
  test(`Firefox: ${entry} loads and ignores what a polluted Object.prototype holds`, () =>
    withServer({}, async (url) => {
      await driver.get(`${url}/blank.html`);
      const result = await driver.executeAsyncScript(POLLUTED_PAGE(load), token());
      assert.deepEqual(result, ["local", "tokenstore.jwt", 0, true, 1, []]);
    }));
}
