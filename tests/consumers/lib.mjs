// What the consumer tests share: Debian's Chromium, a token, a static file server whose headers a test
// chooses, starting a consumer's own server, and the browser flow every web consumer must pass.
import { spawn } from "node:child_process";
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { token as mint } from "../scenarios/tokens.mjs";

/** Headless Debian Chromium, as playwright-core drives it here. */
export const launchChromium = () =>
  chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });

export const NAME = "Zoë 東京";
/** A token for zoe, valid for an hour, with `claims` over those. */
export const token = (claims = {}) =>
  mint({ sub: "zoe", name: NAME, exp: Math.floor(Date.now() / 1000) + 3600, ...claims }, { alg: "HS256", typ: "JWT" });

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };

/**
 * Serves `root` on 127.0.0.1. `type(path)` picks the Content-Type (default: by extension), `headers(path)`
 * adds headers. Every requested path is recorded in `requests`.
 */
export async function serveStatic(root, { type = (path) => TYPES[extname(path)] ?? "application/octet-stream", headers = () => ({}) } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push(path);
    if (path.endsWith("/")) path += "index.html";
    const file = join(root, normalize(path));
    let stat;
    try { stat = statSync(file); } catch {}
    if (!file.startsWith(root) || !stat?.isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "Content-Type": type(path), "Content-Length": stat.size, ...headers(path) });
    createReadStream(file).pipe(res);
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((done) => server.close(done)) };
}

/** A free port on 127.0.0.1. */
export async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

/** Runs a consumer's server until `url` answers; `stop()` ends that process group (and only it). */
export async function startProcess(command, args, { cwd, env, url }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const stop = () => { try { process.kill(-child.pid, "SIGTERM"); } catch {} };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} ${args.join(" ")} exited: ${output}`);
    try {
      if ((await fetch(url)).status < 500) break;
    } catch {}
    if (Date.now() > deadline) { stop(); throw new Error(`${url} did not answer: ${output}`); }
    await new Promise((done) => setTimeout(done, 100));
  }
  return { stop, output: () => output };
}

/** Collects the page's errors: uncaught exceptions and console errors (React reports hydration there). */
export function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (line) => line.type() === "error" && errors.push(line.text()));
  return errors;
}

/**
 * The flow every web consumer passes. The page shows `#status` ("anonymous" or "Welcome, <name>"),
 * `#logins` (onLogin calls of its autoLogin since the page loaded), a `#token` field, `#login` and
 * `#logout`, and sets `data-ready` on <body> once tokenstore is ready.
 */
export async function loginFlow(browser, url, { ignore = [] } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const ready = async () => {
    await page.locator("body[data-ready]").waitFor({ timeout: 15_000 });
  };
  const text = (selector) => page.locator(selector).textContent();
  try {
    await page.goto(url);
    await ready();
    assert.equal(await text("#status"), "anonymous");
    await page.fill("#token", token());
    await page.click("#login");
    await page.locator("#status", { hasText: `Welcome, ${NAME}` }).waitFor({ timeout: 5_000 });
    assert.equal(await text("#logins"), "1");

    await page.reload();
    await ready();
    await page.locator("#status", { hasText: `Welcome, ${NAME}` }).waitFor({ timeout: 5_000 });
    assert.equal(await text("#logins"), "1", "autoLogin reports the stored login once after a reload");

    await page.click("#logout");
    await page.locator("#status", { hasText: "anonymous" }).waitFor({ timeout: 5_000 });
    await page.reload();
    await ready();
    assert.equal(await text("#status"), "anonymous");
    assert.equal(await text("#logins"), "0");
    assert.deepEqual(errors.filter((error) => !ignore.some((pattern) => pattern.test(error))), []);
  } finally {
    await context.close();
  }
}

/** Through a WebDriver session already on a page of the static project: what a method that needs the
 * module throws before `init()`, where a store itself can be made early (`instance`: a TokenError, its
 * `code` and `message`). */
export const errorBeforeInit = (driver) =>
  driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    import("/node_modules/tokenstore/index.js").then((ts) => {
      try { new ts.TokenStore().set("a.b.c"); done("no error"); }
      catch (error) { done({ instance: error instanceof ts.TokenError, code: error.code, message: error.message }); }
    });`);
