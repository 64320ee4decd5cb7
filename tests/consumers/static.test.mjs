// The static pages, with no bundler: the module entry, the classic-script build, the single-file module
// served by a host that knows no wasm, and Content-Security-Policy with and without 'wasm-unsafe-eval'.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, loginFlow, serveStatic, watchErrors } from "./lib.mjs";

const root = new URL("./static/", import.meta.url).pathname;
let browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

test("module page: import init from the package's files, await init()", async () => {
  const server = await serveStatic(root);
  try {
    await loginFlow(browser, `${server.url}/module.html`);
  } finally {
    await server.close();
  }
});

// A host that types nothing: every file is application/octet-stream except the HTML. The classic
// script runs anyway and the glue falls back from streaming compilation, with a console warning.
const octetStream = (path) => (path.endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream");

test("classic-script page: one global and its ready promise, on a host that serves octet-stream", async () => {
  const server = await serveStatic(root, { type: octetStream });
  try {
    await loginFlow(browser, `${server.url}/classic.html`);
    assert.ok(server.requests.includes("/node_modules/tokenstore/tokenstore_bg.wasm"));
  } finally {
    await server.close();
  }
});

test("single-file module: no .wasm requested, every file but the HTML and the module as octet-stream", async () => {
  // Module scripts are only run with a JavaScript MIME type, by every browser; so those two are typed.
  const type = (path) => (path.endsWith(".js") ? "text/javascript" : octetStream(path));
  const server = await serveStatic(root, { type });
  try {
    await loginFlow(browser, `${server.url}/inline.html`);
    assert.deepEqual(server.requests.filter((path) => path.endsWith(".wasm")), []);
  } finally {
    await server.close();
  }
});

test("module page under script-src 'self' 'wasm-unsafe-eval' (no inline scripts, no eval)", async () => {
  const policy = "default-src 'self'; img-src 'self' data:; script-src 'self' 'wasm-unsafe-eval'";
  const server = await serveStatic(root, { headers: () => ({ "Content-Security-Policy": policy }) });
  try {
    await loginFlow(browser, `${server.url}/module.html`);
  } finally {
    await server.close();
  }
});

test("under script-src 'self', init() rejects with an error naming script-src 'wasm-unsafe-eval'", async () => {
  const server = await serveStatic(root, { headers: () => ({ "Content-Security-Policy": "script-src 'self'" }) });
  const context = await browser.newContext();
  const page = await context.newPage();
  watchErrors(page);
  try {
    await page.goto(`${server.url}/module.html`);
    await page.locator("body[data-ready=error]").waitFor({ timeout: 15_000 });
    const message = await page.locator("#error").textContent();
    assert.match(message, /^CompileError: /);
    assert.ok(message.includes("script-src 'wasm-unsafe-eval'"), message);
  } finally {
    await context.close();
    await server.close();
  }
});

test("before init(), what needs the module throws TokenError NOT_INITIALIZED", async () => {
  const server = await serveStatic(root);
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/blank.html`);
    const result = await page.evaluate(async () => {
      const ts = await import("/node_modules/tokenstore/index.js");
      try {
        // A store can be made before init() (its early answer); setting a token needs the module.
        new ts.TokenStore().set("a.b.c");
        return "no error";
      } catch (error) {
        return { instance: error instanceof ts.TokenError, code: error.code, message: error.message, is: ts.isTokenError(error) };
      }
    });
    assert.equal(result.instance, true);
    assert.equal(result.is, true);
    assert.equal(result.code, "NOT_INITIALIZED");
    assert.match(result.message, /await init\(\)/);
  } finally {
    await context.close();
    await server.close();
  }
});
