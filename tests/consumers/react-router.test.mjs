// React Router 7 in framework mode on Vite 7: server-rendered, hydrated, then used; once under the Vite 7
// dev server (with the README's optimizeDeps line) and once as a production build served by
// react-router-serve.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { freePort, launchChromium, loginFlow, startProcess } from "./lib.mjs";

const cwd = new URL("./react-router/", import.meta.url).pathname;
let browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

async function served(command, args, env, run) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const server = await startProcess(command, [...args, ...(env ? [] : ["--port", String(port), "--host", "127.0.0.1", "--strictPort"])], {
    cwd,
    env: env ? { ...env, PORT: String(port), HOST: "127.0.0.1" } : {},
    url,
  });
  try {
    await run(url, server);
  } finally {
    server.stop();
  }
}

test("vite 7 dev server: server render, then log in, reload and stay logged in, log out", async () => {
  await served("node_modules/.bin/react-router", ["dev"], null, async (url, server) => {
    assert.match(await (await fetch(url)).text(), /<p id="status">anonymous<\/p>/);
    await loginFlow(browser, url);
    assert.doesNotMatch(server.output(), /Error|error/);
  });
});

test("production build served by react-router-serve: the same flow", async () => {
  await served("node_modules/.bin/react-router-serve", ["build/server/index.js"], { NODE_ENV: "production" }, async (url, server) => {
    assert.match(await (await fetch(url)).text(), /<p id="status">anonymous<\/p>/);
    await loginFlow(browser, url);
    assert.doesNotMatch(server.output(), /Error|error/);
  });
});
