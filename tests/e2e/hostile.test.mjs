// The built package on hostile pages, where only the release glue shows the fault: a document.cookie
// getter that answers a non-string, a polluted Object.prototype before and after the import, and a
// cookie of the store's name on a longer path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, valid } from "./chromium.mjs";
import { demoInChromium } from "./tabs.mjs";

const demo = demoInChromium();

/** A fresh page on the demo server at `path`, whose HTML is `html`; its errors are collected. */
async function open(path = "/fixture.html", html = "<!doctype html><p>fixture</p>") {
  const context = await demo.browser.newContext();
  const page = await context.newPage();
  await page.route(`**${path}`, (route) => route.fulfill({ contentType: "text/html", body: html }));
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (line) => line.type() === "error" && errors.push(line.text()));
  await page.goto(new URL(path, demo.server.url).href);
  return { context, page, errors };
}

// Before the fix the release glue passed the non-string to the allocator as an empty string, which
// corrupted its free list: set() with the fallback on then never returned.
test("a document.cookie getter answering a non-string: STORAGE_UNAVAILABLE or memory, never a hang", { timeout: 60_000 }, async () => {
  const { context, page, errors } = await open();
  try {
    const answers = ["0", "true", "10n", "({ length: 3 })", "undefined", "null", "new String('k=v')"];
    const results = await page.evaluate(async ([answers, jwt]) => {
      const { default: init, TokenStore } = await import("/pkg/index.js");
      await init();
      const own = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
      const code = (run) => { try { run(); return "no error"; } catch (e) { return `${e.code}: ${e.message}`; } };
      const out = [];
      for (const answer of answers) {
        const value = new Function(`return ${answer}`)();
        const strict = new TokenStore({ backend: "cookie", key: "odd.jwt", fallback: false });
        const lenient = new TokenStore({ backend: "cookie", key: "odd.jwt" });
        Object.defineProperty(document, "cookie", { configurable: true, get: () => value, set: (text) => own.set.call(document, text) });
        try {
          const fresh = code(() => new TokenStore({ backend: "cookie", key: "odd.jwt", fallback: false }));
          const set = code(() => strict.set(jwt));
          lenient.set(jwt);
          const late = new TokenStore({ backend: "cookie", key: "odd.jwt" });
          late.set(jwt);
          out.push([answer, fresh, set, lenient.backend, lenient.get() === jwt, late.backend, late.get() === jwt]);
          lenient.clear();
        } finally {
          delete document.cookie;
        }
      }
      return out;
    }, [answers, valid("odd")]);
    const unavailable = "STORAGE_UNAVAILABLE: storage unavailable: document.cookie is not a string";
    assert.deepEqual(results, answers.map((answer) => [answer, unavailable, unavailable, "memory", true, "memory", true]));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// Every name at once, with values that would show if read: the descriptor members esbuild's helpers and
// the entry use, every option and handler name, and the members of the dictionaries the package hands
// the browser (addEventListener, the Web Lock, setFromBase64).
const POLLUTE = `
window.leaked = [];
const spy = (name) => (...args) => { window.leaked.push(name); };
const hostile = { get: 1, set: 1, value: 1, writable: 1, enumerable: 1, configurable: 1, backend: "session",
  key: "evil", leeway: 1e6, expiringIn: "x", fallback: "x", cookie: { domain: "evil.example" }, serverClock: 1,
  path: "/evil", domain: "evil.example", sameSite: "none", secure: false, onLogin: spy("onLogin"),
  onLogout: spy("onLogout"), refresh: spy("refresh"), ahead: "x", onStart: "x", retry: 1, initial: "x", max: "x",
  timeout: -1, type: "logout", page: 1, at: 1, until: 1, module: 1, module_or_path: 1, signal: 1, once: 1,
  capture: 1, passive: 1, mode: "shared", steal: true, ifAvailable: true, lastChunkHandling: 1 };
for (const [name, value] of Object.entries(hostile)) {
  // Without a prototype: once get is on Object.prototype, a descriptor literal would inherit it.
  Object.defineProperty(Object.prototype, name, { __proto__: null, value, enumerable: true, configurable: true, writable: true });
}
window.clean = () => { for (const name of Object.keys(hostile)) delete Object.prototype[name]; };
`;

// What each page does with the package once loaded, still polluted; `ts` is its exports.
const EXERCISE = `
async function exercise(ts, jwt, next) {
  const out = {};
  const local = new ts.TokenStore();
  const cookie = new ts.TokenStore({ backend: "cookie", key: "polluted.jwt", cookie: {}, fallback: false });
  local.set(jwt);
  cookie.set(jwt);
  out.local = [local.backend, local.key, local.leeway, localStorage.getItem("tokenstore.jwt") === jwt, local.isValid()];
  out.cookie = [cookie.backend, document.cookie.includes("polluted.jwt=" + jwt)];
  const listed = await cookieStore.get("polluted.jwt");
  out.attributes = [listed.path, listed.domain, listed.sameSite, listed.secure];
  let logins = 0;
  const first = local.autoLogin({ onLogout() {} });
  const second = local.autoLogin({ onLogin: () => logins++ });
  for (let i = 0; i < 500 && logins === 0; i++) await new Promise((done) => setTimeout(done, 10));
  out.logins = logins;
  out.refreshed = (await local.refresh(async (current, signal) => (signal instanceof AbortSignal ? next : null), {})) === next;
  out.decoded = ts.decodeClaims(jwt).sub;
  first.dispose();
  second.dispose();
  local.clear();
  cookie.clear();
  out.leaked = window.leaked;
  return out;
}
`;

// Playwright's evaluate runs in the page's own world, which the pollution would break: the page runs by
// itself and leaves its result on <body>, which a locator (in Playwright's isolated world) reads.
const report = `(run) => run().then((out) => out, (error) => ({ error: String(error) })).then((out) => {
  window.clean();
  document.body.dataset.result = JSON.stringify(out);
})`;

const PAGES = {
  "index.js": `<script type="module">
    import init, * as ts from "/pkg/index.js";
    (${report})(async () => { await init(); return exercise(ts, JWT, NEXT); });
  </script>`,
  "tokenstore.global.js": `<script src="/pkg/tokenstore.global.js"></script><script>
    (${report})(async () => exercise(await tokenstore.ready, JWT, NEXT));
  </script>`,
  "tokenstore.inline.js": `<script type="module">
    import * as ts from "/pkg/tokenstore.inline.js";
    (${report})(async () => exercise(ts, JWT, NEXT));
  </script>`,
};

for (const [entry, html] of Object.entries(PAGES)) {
  test(`${entry} imported and used with Object.prototype polluted before the import`, async () => {
    const tokens = `const JWT = ${JSON.stringify(valid("own"))}, NEXT = ${JSON.stringify(valid("next"))};`;
    const { context, page, errors } = await open("/fixture.html",
      `<!doctype html><body><script>${POLLUTE}${EXERCISE}${tokens}</script>${html}</body>`);
    try {
      await page.locator("body[data-result]").waitFor({ state: "attached", timeout: 15_000 });
      const out = JSON.parse(await page.locator("body").getAttribute("data-result"));
      assert.deepEqual(out, {
        local: ["local", "tokenstore.jwt", 0, true, true],
        cookie: ["cookie", true],
        attributes: ["/", null, "strict", true],
        logins: 1,
        refreshed: true,
        decoded: "own",
        leaked: [],
      });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

// document.cookie does not say which path a cookie has, so another app's cookie of the same name on a
// longer path reads as the store's until the store's own clear() proves it is not. From then on it must
// never read as a login: not in this store, a store made later, another tab, or after a reload.
test("after clear(), another path's cookie of the store's name never reads as a login, in any tab or after a reload", async () => {
  const foreign = valid("foreign");
  const [mine, again] = [valid("mine"), valid("again")];
  const context = await demo.browser.newContext();
  const html = `<!doctype html><script type="module">
    import init, { TokenStore } from "/pkg/index.js";
    await init();
    window.TokenStore = TokenStore;
    window.store = new TokenStore({ backend: "cookie", key: "same.jwt" });
    window.heard = [];
    store.autoLogin({ onLogin: (token, claims) => heard.push(claims.sub), onLogout: (reason) => heard.push(reason) });
    window.ready = true;
  </script>`;
  await context.route("**/deep/*.html", (route) => route.fulfill({ contentType: "text/html", body: html }));
  await context.route("**/top.html", (route) => route.fulfill({ contentType: "text/html", body: html }));
  const open = async (path) => {
    const page = await context.newPage();
    await page.goto(new URL(path, demo.server.url).href);
    await page.waitForFunction(() => window.ready);
    return page;
  };
  const get = (page) => page.evaluate(() => store.get());
  const ours = (page) =>
    page.evaluate(() => document.cookie.split("; ").filter((pair) => pair.startsWith("same.jwt=")).map((pair) => pair.slice(9)));
  try {
    const first = await open("/deep/first.html");
    await first.evaluate((foreign) => { document.cookie = `same.jwt=${foreign}; Path=/deep/; Secure; SameSite=Strict`; }, foreign);
    await first.evaluate((mine) => store.set(mine), mine);
    const second = await open("/deep/second.html");
    assert.equal(await get(second), foreign, "the documented limit: before a clear, the longer path's cookie reads first");
    await second.evaluate((mine) => store.set(mine), mine);

    await first.evaluate(() => store.clear());
    assert.equal(await get(first), null, "this store");
    assert.equal(await first.evaluate(() => new TokenStore({ backend: "cookie", key: "same.jwt" }).get()), null, "a store made later");
    await second.waitForFunction(() => store.get() === null && heard.at(-1) === "removed");
    assert.deepEqual(await second.evaluate(() => heard), ["foreign", "mine", "removed"], "the other tab");
    await first.reload();
    await first.waitForFunction(() => window.ready);
    assert.equal(await get(first), null, "after a reload");
    assert.deepEqual(await first.evaluate(() => heard), [], "no login after a reload");
    const top = await open("/top.html");
    assert.equal(await get(top), null, "a page that sees only the store's own cookie");
    assert.ok((await ours(first)).includes(foreign), "the other path's cookie is never touched");

    // The store keeps working: its next token replaces the tombstone and reads in every store that saw
    // the tombstone beside the other path's cookie.
    await first.evaluate((again) => store.set(again), again);
    await second.waitForFunction((again) => store.get() === again, again);
    assert.equal(await get(top), again);
    assert.deepEqual(await ours(top), [again], "no trace of the tombstone");
    await top.evaluate(() => store.clear());
    assert.deepEqual(await ours(top), [], "cleared from a page that sees no other cookie: a plain delete");
    assert.equal(await get(top), null);
    await second.waitForFunction(() => store.get() === null);
    await top.evaluate(() => (document.cookie = "same.jwt=; Path=/; Max-Age=0; Secure; SameSite=Strict"));
    await first.evaluate(() => (document.cookie = "same.jwt=; Path=/deep/; Max-Age=0; Secure; SameSite=Strict"));
  } finally {
    await context.close();
  }
});

test("after clear(), a cookie of the store's name with a Domain attribute never reads as a login either", async () => {
  // A host below a registrable-looking domain, mapped to the test server: a cookie can name the parent
  // domain there. Plain http on a host that is not localhost: no Secure cookies.
  const mapped = await launch({ args: ["--host-resolver-rules=MAP *.tokenstore.test 127.0.0.1"] });
  try {
    const context = await mapped.newContext();
    const page = await context.newPage();
    // The demo's own page, not a routed one: Chromium treats a routed page on a mapped host as public,
    // and refuses it requests to the loopback address (Private Network Access).
    const url = new URL("/", demo.server.url);
    url.hostname = "app.tokenstore.test";
    await page.goto(url.href);
    const [foreign, mine] = [valid("foreign"), valid("mine")];
    const run = () =>
      page.evaluate(async ([foreign, mine]) => {
        const { default: init, TokenStore } = await import("/pkg/index.js");
        await init();
        const options = { backend: "cookie", key: "dom.jwt", cookie: { secure: false }, fallback: false };
        const ours = () => document.cookie.split("; ").filter((pair) => pair.startsWith("dom.jwt=")).map((pair) => pair.slice(8));
        if (foreign === null) return [new TokenStore(options).get(), ours()];
        document.cookie = `dom.jwt=${foreign}; Domain=tokenstore.test; Path=/; SameSite=Strict`;
        const store = new TokenStore(options);
        store.set(mine);
        const both = ours();
        store.clear();
        return [both, store.get(), new TokenStore(options).get(), ours()];
      }, [foreign, mine]);
    const [both, afterClear, later, left] = await run();
    assert.deepEqual(both.sort(), [foreign, mine].sort(), "both cookies show");
    assert.deepEqual([afterClear, later], [null, null], "no login after clear(), in this store or a later one");
    assert.deepEqual(left, [foreign, "~/"], "the Domain cookie untouched, the store's cookie its tombstone");
    await page.reload();
    const reloaded = await page.evaluate(async () => {
      const { default: init, TokenStore } = await import("/pkg/index.js");
      await init();
      return new TokenStore({ backend: "cookie", key: "dom.jwt", cookie: { secure: false } }).get();
    });
    assert.equal(reloaded, null, "after a reload");
    await context.close();
  } finally {
    await mapped.close();
  }
});
