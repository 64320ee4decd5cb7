// Vite + React + TypeScript: built (after strict tsc) into dist/ and served as static files.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, loginFlow, serveStatic } from "./lib.mjs";

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
