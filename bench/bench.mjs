// tokenstore beside jwt-decode and jose, in one headless Chromium run: decode speed on three tokens, the
// store's cached reads, start-up to the first login, memory over 100,000 cycles, and download size.
// Prints a table of ops/s and ratios (ours / peer) and writes bench/results/latest.json.
import { build } from "esbuild";
import { createServer } from "node:http";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = resolve(here, "..");
const dist = join(here, "dist");
mkdirSync(dist, { recursive: true });
mkdirSync(join(here, "results"), { recursive: true });

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

// Each peer as a browser would get it from a bundler: one minified ES module.
const entries = {
  "jwt-decode": `export { jwtDecode } from "jwt-decode";`,
  "jose-decode": `export { decodeJwt } from "jose";`,
  "jose-verify": `export { jwtVerify, createLocalJWKSet } from "jose";`,
  tokenstore: `export { default, TokenStore, decodeClaims } from "${join(root, "pkg/index.js")}";`,
};
const sizes = {};
for (const [name, contents] of Object.entries(entries)) {
  const result = await build({
    stdin: { contents, resolveDir: here, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    write: false,
    platform: "browser",
    // The wasm file is fetched beside the glue, not inlined.
    external: ["*.wasm"],
  });
  const code = result.outputFiles[0].contents;
  writeFileSync(join(dist, `${name}.js`), code);
  sizes[name] = gz(code);
}
const wasm = readFileSync(join(root, "pkg/tokenstore_bg.wasm"));
writeFileSync(join(dist, "tokenstore_bg.wasm"), wasm);
sizes["tokenstore (glue)"] = sizes.tokenstore;
sizes["tokenstore (wasm)"] = gz(wasm);
sizes.tokenstore = sizes["tokenstore (glue)"] + sizes["tokenstore (wasm)"];

const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
const server = createServer((req, res) => {
  const path = new URL(req.url, "http://x").pathname;
  const file = path === "/" ? join(here, "page.html") : join(dist, path.slice(1));
  if (!file.startsWith(dist) && file !== join(here, "page.html")) return res.writeHead(404).end();
  try {
    const body = readFileSync(file);
    res.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((done) => server.listen(0, "127.0.0.1", done));
const origin = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const results = { date: new Date().toISOString(), chromium: browser.version(), sizes };
try {
  const page = await browser.newPage();
  await page.goto(origin);
  await page.waitForFunction(() => window.benchReady === true);
  results.decode = await page.evaluate(() => window.benchDecode());
  results.store = await page.evaluate(() => window.benchStore());
  results.memory = await page.evaluate(() => window.benchMemory());
  results.startup = {
    tokenstore: await startup(browser, "tokenstore"),
    "jwt-decode + localStorage": await startup(browser, "jwt-decode"),
  };
} finally {
  await browser.close();
  server.close();
}

/** Median ms from the start of the page's module to the first login, over fresh pages. */
async function startup(browser, kind) {
  const times = [];
  for (let i = 0; i < 15; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(origin);
    await page.waitForFunction(() => window.benchReady === true);
    times.push(await page.evaluate((kind) => window.benchStartup(kind), kind));
    await context.close();
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

writeFileSync(join(here, "results/latest.json"), `${JSON.stringify(results, null, 2)}\n`);

const fmt = (n) => Math.round(n).toLocaleString("en-US");
console.log(`\nChromium ${results.chromium}; ops/s are medians of timed rounds after warm-up\n`);
console.log("decode claims              ops/s:  tokenstore   jose.decodeJwt   jwt-decode   ours/jose  ours/jwt-decode");
for (const [token, r] of Object.entries(results.decode)) {
  console.log(
    `  ${token.padEnd(24)} ${fmt(r.tokenstore).padStart(19)} ${fmt(r.jose).padStart(16)} ${fmt(r.jwtDecode).padStart(12)} ${(r.tokenstore / r.jose).toFixed(2).padStart(10)}x ${(r.tokenstore / r.jwtDecode).toFixed(2).padStart(15)}x`,
  );
}
console.log("\ncurrent token, read + check  ops/s:  store.claims+isValid   jose.decodeJwt+exp   ratio");
const s = results.store;
console.log(`  typical token ${fmt(s.tokenstore).padStart(36)} ${fmt(s.jose).padStart(20)} ${(s.tokenstore / s.jose).toFixed(2).padStart(7)}x`);
console.log(`\nstart-up to first login (median of 15 fresh pages): tokenstore ${results.startup.tokenstore.toFixed(1)} ms, jwt-decode + localStorage ${results.startup["jwt-decode + localStorage"].toFixed(1)} ms`);
const m = results.memory;
console.log(`memory: wasm ${m.afterFirst1000} bytes after 1,000 set/get/claims/clear cycles (tokens of every size in turn), ${m.after100000} after 100,000`);
console.log("\nsize, gzip -9 of minified ESM (+ wasm for tokenstore):");
for (const [name, bytes] of Object.entries(sizes)) console.log(`  ${name.padEnd(20)} ${(bytes / 1024).toFixed(1).padStart(6)} KB`);
console.log(`\nwritten to bench/results/latest.json`);
