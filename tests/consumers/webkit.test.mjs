// The static pages in WebKit, Safari's engine, through WebKitWebDriver (tests/webkit.mjs): the module
// entry, the classic script on an octet-stream host, the single file with no .wasm request, CSP with and
// without 'wasm-unsafe-eval', and NOT_INITIALIZED before init(). WebKit refuses Secure cookies on http,
// which no page here uses: the stores are on localStorage.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { By, Capabilities, until, WebDriver } from "selenium-webdriver";
import { Executor, HttpClient } from "selenium-webdriver/http/index.js";
import { startWebKitDriver, WEBKIT_CAPABILITIES } from "../webkit.mjs";
import { errorBeforeInit, NAME, serveStatic, token } from "./lib.mjs";

const root = new URL("./static/", import.meta.url).pathname;
let webkit;
let driver;
before(async () => {
  webkit = await startWebKitDriver();
  driver = await WebDriver.createSession(new Executor(new HttpClient(webkit.url)), new Capabilities(WEBKIT_CAPABILITIES));
});
after(async () => {
  await driver?.quit();
  webkit?.stop();
});

async function withServer(options, body) {
  const server = await serveStatic(root, options);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

const ready = () => driver.wait(until.elementLocated(By.css("body[data-ready]")), 15_000);
const text = (id) => driver.findElement(By.id(id)).getText();
const shows = (id, expected) => driver.wait(async () => (await text(id)) === expected, 5_000, `#${id} shows ${expected}`);

/** The flow of lib.mjs's loginFlow: log in, reload (logged in, one onLogin), log out, reload. */
async function loginFlow(url) {
  await driver.get(url);
  await driver.executeScript("localStorage.clear()");
  await driver.navigate().refresh();
  await ready();
  assert.equal(await text("status"), "anonymous");
  await driver.findElement(By.id("token")).sendKeys(token());
  await driver.findElement(By.id("login")).click();
  await shows("status", `Welcome, ${NAME}`);
  assert.equal(await text("logins"), "1");
  await driver.navigate().refresh();
  await ready();
  await shows("status", `Welcome, ${NAME}`);
  assert.equal(await text("logins"), "1", "autoLogin reports the stored login once after a reload");
  await driver.findElement(By.id("logout")).click();
  await shows("status", "anonymous");
  await driver.navigate().refresh();
  await ready();
  assert.equal(await text("status"), "anonymous");
  assert.equal(await text("logins"), "0");
}

const octetStream = (path) => (path.endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream");

test("WebKit: the module page logs in, reloads and logs out", () =>
  withServer({}, ({ url }) => loginFlow(`${url}/module.html`)));

test("WebKit: the classic-script page on a host that serves octet-stream", () =>
  withServer({ type: octetStream }, async ({ url, requests }) => {
    await loginFlow(`${url}/classic.html`);
    assert.ok(requests.includes("/node_modules/tokenstore/tokenstore_bg.wasm"));
  }));

test("WebKit: the single-file module requests no .wasm", () =>
  withServer({ type: (path) => (path.endsWith(".js") ? "text/javascript" : octetStream(path)) }, async ({ url, requests }) => {
    await loginFlow(`${url}/inline.html`);
    assert.deepEqual(requests.filter((path) => path.endsWith(".wasm")), []);
  }));

test("WebKit: the module page under script-src 'self' 'wasm-unsafe-eval' logs in", () =>
  withServer({ headers: () => ({ "Content-Security-Policy": "script-src 'self' 'wasm-unsafe-eval'" }) }, ({ url }) => loginFlow(`${url}/module.html`)));

test("WebKit: under script-src 'self', init() rejects naming script-src 'wasm-unsafe-eval'", () =>
  withServer({ headers: () => ({ "Content-Security-Policy": "script-src 'self'" }) }, async ({ url }) => {
    await driver.get(`${url}/module.html`);
    await driver.wait(until.elementLocated(By.css("body[data-ready=error]")), 15_000);
    const message = await text("error");
    assert.match(message, /^CompileError: /);
    assert.ok(message.includes("script-src 'wasm-unsafe-eval'"), message);
  }));

test("WebKit: before init(), TokenError NOT_INITIALIZED", () =>
  withServer({}, async ({ url }) => {
    await driver.get(`${url}/blank.html`);
    const result = await errorBeforeInit(driver);
    assert.equal(result.instance, true);
    assert.equal(result.code, "NOT_INITIALIZED");
    assert.match(result.message, /await init\(\)/);
  }));
