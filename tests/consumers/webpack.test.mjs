// webpack 5 with its defaults: the bundle and the wasm it emitted, served as static files.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, loginFlow, serveStatic } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

test("the bundled page: log in, reload and stay logged in, log out", async () => {
  const server = await serveStatic(new URL("./webpack/", import.meta.url).pathname);
  try {
    await loginFlow(browser, `${server.url}/index.html`);
    assert.ok(server.requests.some((path) => /^\/dist\/.*\.wasm$/.test(path)), "webpack emitted the wasm");
  } finally {
    await server.close();
  }
});

test("a require() of tokenstore in the app is bundled as the same copy as its imports", async () => {
  const server = await serveStatic(new URL("./webpack/", import.meta.url).pathname);
  const page = await browser.newPage();
  try {
    await page.goto(`${server.url}/index.html`);
    await page.locator("body[data-ready]").waitFor({ timeout: 15_000 });
    assert.equal(await page.locator("body").getAttribute("data-one-copy"), "true");
  } finally {
    await page.close();
    await server.close();
  }
});
