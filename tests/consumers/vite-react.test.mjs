// Vite + React + TypeScript: built (after strict tsc) into dist/ and served as static files.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { NAME, launchChromium, loginFlow, serveStatic, token } from "./lib.mjs";

let browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

test("the built app: log in, reload and stay logged in, log out", async () => {
  const server = await serveStatic(new URL("./vite-react/dist/", import.meta.url).pathname);
  try {
    await loginFlow(browser, `${server.url}/`);
    assert.ok(server.requests.some((path) => path.endsWith(".wasm")), "Vite emitted the wasm as an asset");
  } finally {
    await server.close();
  }
});

test("the early answer: useTokenStore's first render shows the stored login, before the module is ready", async () => {
  const server = await serveStatic(new URL("./vite-react/dist/", import.meta.url).pathname);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/early.html`);
    await page.evaluate((jwt) => localStorage.setItem("vite.jwt", jwt), token());
    await page.reload();
    await page.waitForFunction(() => window.result);
    const { renders, logins } = await page.evaluate(() => window.result);
    assert.equal(renders[0], `Welcome, ${NAME}`, "the first render");
    assert.ok(renders.every((render) => render === `Welcome, ${NAME}`), "never anonymous on the way");
    assert.deepEqual(logins, [NAME], "one onLogin in all");
  } finally {
    await context.close();
    await server.close();
  }
});
