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

test("Firefox: before init(), TokenError NOT_INITIALIZED", () =>
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
