// SvelteKit with server-side rendering, built with adapter-node and served by `node build`: the page is
// rendered on the server with the store as $store, hydrated, then used.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { freePort, launchChromium, loginFlow, startProcess } from "./lib.mjs";

const cwd = new URL("./sveltekit/", import.meta.url).pathname;
let server;
let browser;
let url;
before(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}/`;
  server = await startProcess(process.execPath, ["build"], { cwd, env: { HOST: "127.0.0.1", PORT: String(port) }, url });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test("the server renders the page with the store's snapshot", async () => {
  const html = await (await fetch(url)).text();
  assert.match(html, /<p id="status">anonymous<\/p>/);
});

test("log in, reload and stay logged in, log out; no error in the console", async () => {
  await loginFlow(browser, url);
  assert.doesNotMatch(server.output(), /Error|error/);
});
