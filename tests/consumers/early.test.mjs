// The early answer, in Chromium and Firefox, against the packed package: a page that makes its store and
// autoLogin right after the import, without awaiting init(), is told of a valid stored token before the
// module is ready, once in all; and for every stored state it ends with the same calls as the page that
// awaits init() first, given the same storage: the early answer is held to the core.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { Builder } from "selenium-webdriver";
import firefox from "selenium-webdriver/firefox.js";
import { launchChromium, serveStatic, token } from "./lib.mjs";
import { b64 } from "../scenarios/tokens.mjs";

const root = new URL("./static/", import.meta.url).pathname;
const KEY = "app.jwt";
const seconds = () => Math.floor(Date.now() / 1000);
const header = b64('{"alg":"HS256","typ":"JWT"}');

// Each stored state, made when the test runs, and the hook calls both pages must end with. A store
// discards a malformed value, or a session copy a logout everywhere ended, when it is made, before
// any hook can hear of it: the core reports nothing for those, and the early answer must not either.
const states = () => [
  { name: "a valid token", local: { [KEY]: token() }, calls: ["login zoe"] },
  { name: "no token", calls: [] },
  { name: "an expired token", local: { [KEY]: token({ exp: seconds() - 30 }) }, calls: ["logout expired"] },
  { name: "a token expired within the leeway", options: { leeway: 120 }, local: { [KEY]: token({ exp: seconds() - 30 }) }, calls: ["login zoe"] },
  { name: "a token not yet valid", local: { [KEY]: token({ nbf: seconds() + 600 }) }, calls: [] },
  { name: "a token valid within the leeway of its nbf", options: { leeway: 600 }, local: { [KEY]: token({ nbf: seconds() + 60 }) }, calls: ["login zoe"] },
  { name: "a value that is not a token", local: { [KEY]: "not a token" }, calls: [] },
  { name: "padded base64url", local: { [KEY]: `${header}.${b64(JSON.stringify({ sub: "zoe" }))}=.${b64("sig")}` }, calls: [] },
  { name: "claims that are not an object", local: { [KEY]: `${header}.${b64("[1]")}.${b64("sig")}` }, calls: [] },
  { name: "an exp that is not a number", local: { [KEY]: token({ exp: "soon" }) }, calls: [] },
  { name: "malformed UTF-8", local: { [KEY]: `${header}.${b64(Uint8Array.of(0x7b, 0xff, 0x7d))}.${b64("sig")}` }, calls: [] },
  {
    name: "a session token older than a logout everywhere",
    options: { backend: "session" },
    session: { [KEY]: token(), [`tokenstore:${KEY}:stored`]: JSON.stringify({ after: 0.25 }) },
    local: { [`tokenstore:${KEY}:logout`]: JSON.stringify({ id: 0.5, until: Date.now() + 3_600_000 }) },
    calls: [],
  },
  {
    name: "a session token stored after a logout everywhere",
    options: { backend: "session" },
    session: { [KEY]: token(), [`tokenstore:${KEY}:stored`]: JSON.stringify({ after: 0.5 }) },
    local: { [`tokenstore:${KEY}:logout`]: JSON.stringify({ id: 0.5, until: Date.now() + 3_600_000 }) },
    calls: ["login zoe"],
  },
  { name: "a valid token in sessionStorage", options: { backend: "session" }, session: { [KEY]: token() }, calls: ["login zoe"] },
  { name: "a serverClock store with no recorded offset", options: { serverClock: true }, local: { [KEY]: token() }, calls: ["login zoe"] },
  {
    // The offset the key's tabs share moves the store's "now": the early answer leaves that to the core.
    name: "a serverClock store with an offset the key's tabs recorded",
    options: { serverClock: true },
    local: { [KEY]: token(), [`tokenstore:${KEY}:clock`]: JSON.stringify({ offset: 0 }) },
    calls: ["login zoe"],
    early: [],
  },
];

const hookCalls = (calls) => calls.filter((call) => !call.startsWith("run "));
const lastRun = (calls) => calls.filter((call) => call.startsWith("run ")).at(-1);

// What a browser needs to run one page: prepare storage on the origin, open a page, read its result.
async function runPage(browser, origin, state, query) {
  await browser.open(`${origin}/blank.html`);
  await browser.run(
    (stored) => {
      localStorage.clear();
      sessionStorage.clear();
      for (const [area, entries] of Object.entries(stored)) {
        for (const [name, value] of Object.entries(entries)) globalThis[`${area}Storage`].setItem(name, value);
      }
    },
    { local: state.local ?? {}, session: state.session ?? {} },
  );
  const options = JSON.stringify({ key: KEY, ...state.options });
  await browser.open(`${origin}/early.html?options=${encodeURIComponent(options)}${query}`);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const result = await browser.run(() => globalThis.result ?? null);
    if (result) {
      assert.equal(result.error, undefined, result.error);
      return result;
    }
    assert.ok(Date.now() < deadline, "the page never finished");
    await new Promise((done) => setTimeout(done, 50));
  }
}

function suite(name, launch) {
  describe(name, () => {
    let browser;
    let server;
    before(async () => {
      browser = await launch();
      server = await serveStatic(root);
    });
    after(async () => {
      await server?.close();
      await browser?.close();
    });

    for (const state of states()) {
      test(`${state.name}: the early page ends as the page that awaits init(), with no early answer the core retracts`, async () => {
        const early = await runPage(browser, server.url, state, "");
        const awaited = await runPage(browser, server.url, state, "&await");
        assert.deepEqual(hookCalls(awaited.calls), state.calls, "the core's answer");
        assert.deepEqual(hookCalls(early.calls), state.calls, "the same calls, early or not");
        const logins = state.early ?? state.calls.filter((call) => call.startsWith("login"));
        assert.deepEqual(hookCalls(early.calls.slice(0, early.early)), logins, "a login is told before the module is ready, and only a login");
        // Where the early answer cannot vouch, it is anonymous until the module is ready.
        const first = state.early ? { ...awaited.first, token: null, claims: null, status: "anonymous", expiresAt: null } : awaited.first;
        assert.deepEqual(early.first, first, "the first snapshot is the core's");
        assert.equal(early.calls[0], `run ${first.status}`, "a subscriber (Svelte's $store, React's hook) starts from it at once");
        assert.deepEqual(early.last, awaited.last);
        assert.equal(lastRun(early.calls), `run ${awaited.last.status}`, "subscribers end on the core's snapshot");
      });
    }

    test("init() given a module that is not ours rejects, and the next init() succeeds", async () => {
      await browser.open(`${server.url}/blank.html`);
      const result = await browser.run(async (jwt) => {
        const ts = await import("/node_modules/tokenstore/index.js");
        // The smallest valid module: it compiles and instantiates, with no exports at all.
        const foreign = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
        const refused = await ts.default({ module_or_path: foreign }).then(() => "resolved", (error) => String(error));
        await ts.default();
        const store = new ts.TokenStore({ backend: "memory" });
        store.set(jwt);
        return { refused, sub: store.claims.sub };
      }, token());
      assert.match(result.refused, /not tokenstore_bg\.wasm/);
      assert.equal(result.sub, "zoe");
    });

    test("a valid token removed before the module is ready: the early login is retracted as a logout", async () => {
      const result = await runPage(browser, server.url, { local: { [KEY]: token() } }, "&removeBeforeReady");
      assert.deepEqual(hookCalls(result.calls), ["login zoe", "logout removed"]);
      assert.equal(result.early, 2, "the login and the subscriber's first call came early");
      assert.equal(result.last.status, "anonymous");
      assert.equal(result.last.token, null);
      assert.equal(lastRun(result.calls), "run anonymous");
    });
  });
}

suite("Chromium", async () => {
  const chromium = await launchChromium();
  return {
    // A fresh context for each page would lose sessionStorage between the two navigations.
    page: null,
    async open(url) {
      this.page ??= await (await chromium.newContext()).newPage();
      await this.page.goto(url);
    },
    run(fn, arg) {
      return this.page.evaluate(fn, arg);
    },
    close: () => chromium.close(),
  };
});

suite("Firefox", async () => {
  const geckodriver = execFileSync("sh", ["-c", 'PATH="$HOME/.cargo/bin:$PATH" command -v geckodriver'], { encoding: "utf8" }).trim();
  const options = new firefox.Options().setBinary("/usr/bin/firefox-esr").addArguments("-headless");
  const driver = await new Builder()
    .forBrowser("firefox")
    .setFirefoxOptions(options)
    .setFirefoxService(new firefox.ServiceBuilder(geckodriver))
    .build();
  return {
    open: (url) => driver.get(url),
    run: (fn, arg) => driver.executeScript(`return (${fn})(arguments[0]);`, arg),
    close: () => driver.quit(),
  };
});
