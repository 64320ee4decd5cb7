// Next.js App Router with cacheComponents, built with `next build` and served by `next start`: the page
// is prerendered on the server (the store's server snapshot), hydrated without a mismatch, then used; a
// server component decodes the request's cookie.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { NAME, freePort, launchChromium, loginFlow, startProcess, token } from "./lib.mjs";

const cwd = new URL("./nextjs/", import.meta.url).pathname;
let server;
let browser;
let url;
before(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}/`;
  server = await startProcess("node_modules/.bin/next", ["start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd,
    env: { NEXT_TELEMETRY_DISABLED: "1" },
    url,
  });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test("the server renders the store's server snapshot", async () => {
  const html = await (await fetch(url)).text();
  assert.match(html, /<p id="status">anonymous<\/p>/);
  assert.match(html, /rendered on the server/);
});

test("a server component decodes the token of the request's cookie (init() at the module's top level)", async () => {
  // The fallback is prerendered; the answer streams in after it.
  const who = async (headers) => [...(await (await fetch(`${url}server`, { headers })).text()).matchAll(/<p id="who">([^<]*)<\/p>/g)].map(([, text]) => text);
  assert.deepEqual(await who({ cookie: `next.jwt=${token()}` }), ["…", `Signed in as ${NAME}`]);
  assert.deepEqual(await who({}), ["…", "anonymous"]);
  assert.deepEqual(await who({ cookie: "next.jwt=not.a.token" }), ["…", "anonymous"]);
});

test("log in, reload and stay logged in, log out; no hydration error in the console", async () => {
  await loginFlow(browser, url);
  assert.doesNotMatch(server.output(), /Error|error/);
});

// `next dev` renders the same page on demand (it answered HTTP 500 with the package's first layout).
test("next dev: the page renders on the server, then logs in and out in the browser", async () => {
  const port = await freePort();
  const devUrl = `http://127.0.0.1:${port}/`;
  const dev = await startProcess("node_modules/.bin/next", ["dev", "-H", "127.0.0.1", "-p", String(port)], {
    cwd,
    env: { NEXT_TELEMETRY_DISABLED: "1" },
    url: devUrl,
  });
  try {
    const response = await fetch(devUrl);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<p id="status">anonymous<\/p>/);
    await loginFlow(browser, devUrl);
  } finally {
    dev.stop();
  }
});
