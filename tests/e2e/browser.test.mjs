// The package in situations the demo apps do not reach: a document still loading when autoLogin is
// called, and a browser that really refuses web storage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, launchPersistent } from "./chromium.mjs";
import { b64, token } from "../scenarios/tokens.mjs";
import { demoInChromium } from "./tabs.mjs";

const demo = demoInChromium();

/** A page at `path` on the demo server whose HTML is `html`; `/slow.js` answers after `delayMs`. */
async function fixture(html, { delayMs = 0 } = {}) {
  const context = await demo.browser.newContext();
  const page = await context.newPage();
  await page.route("**/fixture.html", (route) => route.fulfill({ contentType: "text/html", body: html }));
  await page.route("**/slow.js", async (route) => {
    await new Promise((done) => setTimeout(done, delayMs));
    await route.fulfill({ contentType: "text/javascript", body: "window.slowScriptRan = true;" });
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (line) => line.type() === "error" && errors.push(line.text()));
  return { context, page, errors };
}

test("autoLogin called while the document is still loading waits for DOMContentLoaded", async () => {
  const jwt = token({ sub: "early", exp: Math.floor(Date.now() / 1000) + 600 });
  // An async module runs as soon as it is fetched; the slow classic script after it keeps the parser busy,
  // so the document is still "loading" when autoLogin is called.
  const { context, page, errors } = await fixture(`<!doctype html><html><head>
    <script type="module" async>
      import init, { TokenStore } from "/pkg/index.js";
      await init();
      localStorage.setItem("early.jwt", ${JSON.stringify(jwt)});
      const store = new TokenStore({ key: "early.jwt" });
      window.log = [];
      document.addEventListener("DOMContentLoaded", () => log.push("DOMContentLoaded"));
      window.readyStateAtCall = document.readyState;
      window.hooks = store.autoLogin({ onLogin: (t, claims) => log.push("login " + claims.sub + " " + document.readyState) });
      log.push("autoLogin returned");
    </script></head><body>
    <script src="/slow.js"></script>
    <p>parsed</p></body></html>`, { delayMs: 1500 });
  await page.goto(new URL("/fixture.html", demo.server.url).href);
  await page.waitForFunction(() => window.log?.some((line) => line.startsWith("login")), null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => window.readyStateAtCall), "loading");
  const log = await page.evaluate(() => window.log);
  assert.deepEqual(log.slice(0, 1), ["autoLogin returned"], "nothing runs before the document has loaded");
  assert.match(log.find((line) => line.startsWith("login")), /^login early (interactive|complete)$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("with site data blocked, web storage throws SecurityError and the store falls back to memory", async () => {
  // A real profile whose content settings block site data for every site, as a user can choose.
  const profile = mkdtempSync(join(tmpdir(), "tokenstore-blocked-"));
  mkdirSync(join(profile, "Default"));
  writeFileSync(
    join(profile, "Default", "Preferences"),
    JSON.stringify({ profile: { default_content_setting_values: { cookies: 2 } } }),
  );
  const context = await launchPersistent(profile);
  try {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.route("**/fixture.html", (route) =>
      route.fulfill({ contentType: "text/html", body: "<!doctype html><title>blocked</title>" }),
    );
    await page.goto(new URL("/fixture.html", demo.server.url).href);
    const result = await page.evaluate(async (jwt) => {
      const { default: init, TokenStore } = await import("/pkg/index.js");
      await init();
      const out = {};
      try { localStorage.length; out.direct = "readable"; } catch (error) { out.direct = error.name; }
      const store = new TokenStore({ backend: "local" });
      out.backend = store.backend;
      out.fallback = [];
      store.on("fallback", (detail) => out.fallback.push({ ...detail }));
      store.set(jwt);
      out.sub = store.claims.sub;
      store.useBackend("session");
      out.afterUseBackend = store.backend;
      out.fallbackAfterUseBackend = out.fallback.at(-1);
      try { new TokenStore({ backend: "session", fallback: false }); out.strict = "no error"; }
      catch (error) { out.strict = `${error.name} ${error.code}`; }
      // The cookie backend: the same profile blocks cookies. Chromium still says navigator.cookieEnabled
      // and lets document.cookie be read, so the refusal shows at the first write.
      const cookies = new TokenStore({ backend: "cookie", key: "blocked.jwt" });
      cookies.on("fallback", (detail) => { out.cookieFallback = { ...detail }; });
      cookies.set(jwt);
      out.cookieBackend = cookies.backend;
      out.cookieSub = cookies.claims.sub;
      out.cookies = document.cookie;
      const strict = new TokenStore({ backend: "cookie", key: "blocked.jwt", fallback: false });
      try { strict.set(jwt); out.cookieStrict = "no error"; }
      catch (error) { out.cookieStrict = `${error.name} ${error.code}`; }
      return out;
    }, token({ sub: "blocked" }));
    assert.equal(result.direct, "SecurityError", "the browser really refuses storage here");
    assert.equal(result.backend, "memory");
    assert.deepEqual(result.fallback[0], { from: "local", to: "memory", reason: "STORAGE_UNAVAILABLE" });
    assert.equal(result.sub, "blocked");
    assert.equal(result.afterUseBackend, "memory");
    assert.deepEqual(result.fallbackAfterUseBackend, { from: "session", to: "memory", reason: "STORAGE_UNAVAILABLE" });
    assert.equal(result.strict, "TokenError STORAGE_UNAVAILABLE");
    assert.equal(result.cookies, "", "the browser really refuses cookies here");
    assert.equal(result.cookieBackend, "memory");
    assert.deepEqual(result.cookieFallback, { from: "cookie", to: "memory", reason: "STORAGE_UNAVAILABLE" });
    assert.equal(result.cookieSub, "blocked");
    assert.equal(result.cookieStrict, "TokenError STORAGE_UNAVAILABLE");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test("a Secure cookie on plain http off localhost is refused, and the store falls back to memory", async () => {
  // A host name that is not localhost, resolved to the demo server: http:// there is not a secure context.
  const insecure = await launch({ args: ["--host-resolver-rules=MAP tokenstore.test 127.0.0.1"] });
  try {
    const page = await insecure.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    // The demo's index page, fetched for real: a routed page here could not import the package.
    const url = new URL("/", demo.server.url);
    url.hostname = "tokenstore.test";
    await page.goto(url.href);
    const result = await page.evaluate(async (jwt) => {
      const { default: init, TokenStore } = await import("/pkg/index.js");
      await init();
      const out = { secureContext: isSecureContext };
      const store = new TokenStore({ backend: "cookie", key: "plain.jwt" });
      store.on("fallback", (detail) => { out.fallback = { ...detail }; });
      store.set(jwt);
      out.backend = store.backend;
      out.sub = store.claims.sub;
      out.cookies = document.cookie;
      // Without Secure (a choice the app makes, and documents) the cookie is kept.
      const plain = new TokenStore({ backend: "cookie", key: "plain2.jwt", cookie: { secure: false } });
      plain.set(jwt);
      out.plain = [plain.backend, document.cookie.includes("plain2.jwt=")];
      plain.clear();
      return out;
    }, token({ sub: "plain", exp: Math.floor(Date.now() / 1000) + 600 }));
    assert.equal(result.secureContext, false);
    assert.deepEqual(result.fallback, { from: "cookie", to: "memory", reason: "STORAGE_UNAVAILABLE" });
    assert.deepEqual([result.backend, result.sub, result.cookies], ["memory", "plain", ""]);
    assert.deepEqual(result.plain, ["cookie", true]);
    assert.deepEqual(errors, []);
  } finally {
    await insecure.close();
  }
});

test("a cookie of the store's name on another path does not break the cookie store", async () => {
  // A page below "/" sees the cookies of its own directory too, listed before those of "/".
  const foreign = token({ sub: "foreign", exp: Math.floor(Date.now() / 1000) + 600 });
  const mine = token({ sub: "mine", exp: Math.floor(Date.now() / 1000) + 600 });
  const context = await demo.browser.newContext();
  const page = await context.newPage();
  await page.route("**/deep/fixture.html", (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><p>deep</p>" }));
  await page.goto(new URL("/deep/fixture.html", demo.server.url).href);
  const result = await page.evaluate(async ([foreign, mine]) => {
    const { default: init, TokenStore } = await import("/pkg/index.js");
    await init();
    const ours = () => document.cookie.split("; ").filter((p) => p.startsWith("same.jwt=")).map((p) => p.slice(9));
    document.cookie = `same.jwt=${foreign}; Path=/deep/; Secure; SameSite=Strict`;
    const store = new TokenStore({ backend: "cookie", key: "same.jwt" });
    const out = { before: store.claims?.sub };
    store.set(mine);
    out.both = ours();
    out.afterSet = store.claims?.sub;
    store.clear();
    out.afterClear = [ours(), store.get()];
    store.set(mine);
    out.again = store.claims?.sub;
    store.clear();
    // A store whose cookie has this directory as its Path deletes it with that Path.
    const deep = new TokenStore({ backend: "cookie", key: "deep.jwt", cookie: { path: "/deep/" } });
    deep.set(mine);
    out.deep = [document.cookie.includes(`deep.jwt=${mine}`), (await cookieStore.get("deep.jwt"))?.path];
    deep.clear();
    out.deepCleared = document.cookie.includes("deep.jwt=");
    return out;
  }, [foreign, mine]);
  assert.equal(result.before, "foreign", "it cannot tell them apart before a clear");
  assert.deepEqual(result.both, [foreign, mine], "both cookies, the longer path first");
  assert.equal(result.afterSet, "mine", "it reads what it wrote");
  assert.deepEqual(result.afterClear, [[foreign, "~/"], null], "clear replaces only its own, with its tombstone; the survivor is not its");
  assert.equal(result.again, "mine", "and it keeps working");
  assert.deepEqual(result.deep, [true, "/deep/"], "set with its Path");
  assert.equal(result.deepCleared, false, "and cleared with it");
  await context.close();
});

test("the package as built decodes alike through the browser's decoders and through the core", async () => {
  const { context, page, errors } = await fixture("<!doctype html><p>decode</p>");
  await page.goto(new URL("/fixture.html", demo.server.url).href);
  const header = b64('{"alg":"HS256"}');
  const tokens = [
    token({ sub: "1", name: "Zoë 東京", exp: 4102444800, nbf: 1.5, roles: ["a"] }),
    `${header}.${b64('{"\\u0065xp":1,"exp":2,"__proto__":{"x":1}}')}.`,
    `${b64(" { \"alg\" : \"none\" } ")}.${b64("\t{}\n")}.c2ln`,
    `${header}.${b64('{"exp":"soon"}')}.c2ln`,
    `${header}.${b64('{"exp":1e400}')}.c2ln`,
    `${header}.${b64("\ufeff{}")}.c2ln`,
    `${header}.${b64("[]")}.c2ln`,
    `${header}.e31.c2ln`,
    `${header}.e30.c2ln=`,
    `${header}.e3 0.c2ln`,
    `${header}.e30`,
    "e31.e30.",
  ];
  const result = await page.evaluate(async (tokens) => {
    const { default: init, decodeClaims, decodeHeader } = await import("/pkg/index.js");
    await init();
    const run = () => tokens.map((t) => [decodeClaims, decodeHeader].map((decode) => {
      try { return JSON.stringify(decode(t)); } catch (error) { return `${error.name} ${error.code}`; }
    }));
    const proto = Uint8Array.prototype;
    const native = proto.setFromBase64;
    let calls = 0;
    proto.setFromBase64 = function (...args) { calls++; return native.apply(this, args); };
    const withNative = run();
    delete proto.setFromBase64;
    const coreOnly = run();
    proto.setFromBase64 = native;
    return { withNative, coreOnly, calls };
  }, tokens);
  assert.ok(result.calls > 0, "the native path ran");
  assert.deepEqual(result.withNative, result.coreOnly);
  assert.equal(result.withNative[0][0], JSON.stringify({ sub: "1", name: "Zoë 東京", exp: 4102444800, nbf: 1.5, roles: ["a"] }));
  assert.equal(result.withNative[1][0], '{"exp":2,"__proto__":{"x":1}}');
  assert.deepEqual(
    result.withNative.slice(3).map(([claims]) => claims),
    ["INVALID_CLAIMS", "INVALID_CLAIMS", "INVALID_JSON", "INVALID_CLAIMS", "INVALID_BASE64", "INVALID_BASE64", "INVALID_BASE64", "INVALID_TOKEN", "INVALID_BASE64"].map((code) => `TokenError ${code}`),
  );
  assert.deepEqual(errors, []);
  await context.close();
});
