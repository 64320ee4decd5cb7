// The built package on hostile pages, where only the release glue shows the fault: a document.cookie
// getter that answers a non-string, a polluted Object.prototype before and after the import, and a
// cookie of the store's name on a longer path.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, valid } from "./chromium.mjs";
import { startServer } from "../../www/server.mjs";

let server;
let browser;
before(async () => {
  server = await startServer({ port: 0, log: () => {} });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page on the demo server at `path`, whose HTML is `html`; its errors are collected. */
async function open(path = "/fixture.html", html = "<!doctype html><p>fixture</p>") {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route(`**${path}`, (route) => route.fulfill({ contentType: "text/html", body: html }));
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (line) => line.type() === "error" && errors.push(line.text()));
  await page.goto(new URL(path, server.url).href);
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
