// Start-up as a user sees it: from navigation start to the first onLogin of a page whose localStorage
// holds a valid token, each run in a cold browser (a fresh context in Chromium, a fresh profile in
// Firefox), the pages taking turns run by run. Three pages:
//   early     the package README's pattern: preload hints, init() not awaited, store and autoLogin at once
//   early, no wasm hint   the same with only the modulepreload hint: the entry has the link to itself
//   awaited   `await init()` first, then the store (the pattern before the early answer), no hints
//   by hand   jwt-decode + localStorage, five lines, the baseline
// Files are served gzip -9 from 127.0.0.1, as a real host compresses them. Chromium runs twice: on the
// loopback link, and throttled through CDP (9 Mbit/s, 60 ms). Each page must log in exactly once.
// Prints medians and ratios to the hand-written page; writes bench/results/startup.json.
// RUNS (default 15) sets the runs per page and setting; SETTINGS (a comma-separated list of words
// each setting's name contains, such as "throttled,Firefox") picks settings.
import { build } from "esbuild";
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { Builder } from "selenium-webdriver";
import firefox from "selenium-webdriver/firefox.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = resolve(here, "..");
const RUNS = Number(process.env.RUNS ?? 15);
const KEY = "app.jwt";

const b64 = (text) => Buffer.from(text).toString("base64url");
const TOKEN = `${b64('{"alg":"RS256","typ":"JWT","kid":"k1"}')}.${b64(
  JSON.stringify({ sub: "f1b3c5d7", name: "Zoë 東京", iss: "https://login.example.com", exp: 4102444800, iat: 1700000000 }),
)}.${b64("s".repeat(256))}`;

const login = `performance.mark("login"); window.logins = (window.logins ?? 0) + 1; document.title = claims.name;`;
// The package README's pattern: the entry's hint, the wasm's if `wasmHint`, init() not awaited.
const earlyPage = (wasmHint) => `<!doctype html><meta charset="utf-8"><title>early</title>
<link rel="modulepreload" href="/tokenstore/index.js">${
  wasmHint ? `\n<link rel="preload" href="/tokenstore/tokenstore_bg.wasm" as="fetch" type="application/wasm" crossorigin>` : ""
}
<script type="module">
import init, { TokenStore } from "/tokenstore/index.js";
const ready = init();
const store = new TokenStore({ key: "${KEY}" });
store.autoLogin({ onLogin(token, claims) { ${login} } });
ready.then(() => (window.settled = true));
</script>`;
const pages = {
  early: earlyPage(true),
  "early, no wasm hint": earlyPage(false),
  awaited: `<!doctype html><meta charset="utf-8"><title>awaited</title>
<script type="module">
import init, { TokenStore } from "/tokenstore/index.js";
await init();
const store = new TokenStore({ key: "${KEY}" });
store.autoLogin({ onLogin(token, claims) { ${login} } });
window.settled = true;
</script>`,
  "by hand": `<!doctype html><meta charset="utf-8"><title>by hand</title>
<script type="module">
import { jwtDecode } from "/jwt-decode.js";
const token = localStorage.getItem("${KEY}");
const claims = token && jwtDecode(token);
if (claims && !(claims.exp <= Date.now() / 1000)) { ${login} }
window.settled = true;
</script>`,
};

// What the server holds: path -> [content type, gzipped bytes].
const files = new Map();
const add = (path, type, bytes) => files.set(path, [type, gzipSync(bytes, { level: 9 })]);
for (const [name, html] of Object.entries(pages)) add(`/${encodeURIComponent(name)}.html`, "text/html", Buffer.from(html));
add("/tokenstore/index.js", "text/javascript", readFileSync(join(root, "pkg/index.js")));
add("/tokenstore/tokenstore_bg.wasm", "application/wasm", readFileSync(join(root, "pkg/tokenstore_bg.wasm")));
const jwtDecode = await build({
  stdin: { contents: `export { jwtDecode } from "jwt-decode";`, resolveDir: here, loader: "js" },
  bundle: true,
  minify: true,
  format: "esm",
  write: false,
});
add("/jwt-decode.js", "text/javascript", jwtDecode.outputFiles[0].contents);

const server = createServer((req, res) => {
  const file = files.get(new URL(req.url, "http://x").pathname);
  if (!file) return res.writeHead(404).end();
  res.writeHead(200, { "Content-Type": file[0], "Content-Encoding": "gzip", "Cache-Control": "no-store" }).end(file[1]);
});
await new Promise((done) => server.listen(0, "127.0.0.1", done));
const origin = `http://127.0.0.1:${server.address().port}`;
const url = (name) => `${origin}/${encodeURIComponent(name)}.html`;

// Reads the page's first login once the page has settled (the module ready, for tokenstore's pages).
const MEASURE = `return (async () => {
  const deadline = Date.now() + 20000;
  while (!window.settled && Date.now() < deadline) await new Promise((done) => setTimeout(done, 10));
  await new Promise((done) => setTimeout(done, 0));
  const mark = performance.getEntriesByName("login")[0];
  return { at: mark ? mark.startTime : null, logins: window.logins ?? 0 };
})();`;

function check(name, result) {
  if (result.logins !== 1 || result.at === null) throw new Error(`${name}: ${result.logins} onLogin calls, expected exactly one`);
  return result.at;
}

async function chromiumRuns(throttled) {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
  const times = Object.fromEntries(Object.keys(pages).map((name) => [name, []]));
  try {
    for (let run = 0; run < RUNS; run++) {
      const names = Object.keys(pages);
      // Each page goes first as often as the others.
      for (const name of [...names.slice(run % names.length), ...names.slice(0, run % names.length)]) {
        const context = await browser.newContext();
        await context.addInitScript(([key, token]) => localStorage.setItem(key, token), [KEY, TOKEN]);
        const page = await context.newPage();
        if (throttled) {
          const cdp = await context.newCDPSession(page);
          await cdp.send("Network.enable");
          await cdp.send("Network.emulateNetworkConditions", {
            offline: false,
            latency: 60,
            downloadThroughput: (9e6 / 8) | 0,
            uploadThroughput: (9e6 / 8) | 0,
          });
        }
        await page.goto(url(name));
        times[name].push(check(name, await page.evaluate(`(() => { ${MEASURE} })()`)));
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return times;
}

async function firefoxRuns() {
  const geckodriver = execFileSync("sh", ["-c", 'PATH="$HOME/.cargo/bin:$PATH" command -v geckodriver'], { encoding: "utf8" }).trim();
  const times = Object.fromEntries(Object.keys(pages).map((name) => [name, []]));
  for (let run = 0; run < RUNS; run++) {
    const names = Object.keys(pages);
    for (const name of [...names.slice(run % names.length), ...names.slice(0, run % names.length)]) {
      // A new session is a new profile: nothing cached. The token is stored from a blank page of the
      // origin first (Firefox has no init script through WebDriver classic).
      const driver = await new Builder()
        .forBrowser("firefox")
        .setFirefoxOptions(new firefox.Options().setBinary("/usr/bin/firefox-esr").addArguments("-headless"))
        .setFirefoxService(new firefox.ServiceBuilder(geckodriver))
        .build();
      try {
        await driver.get(`${origin}/missing`);
        await driver.executeScript(`localStorage.setItem(${JSON.stringify(KEY)}, ${JSON.stringify(TOKEN)});`);
        await driver.get(url(name));
        times[name].push(check(name, await driver.executeScript(MEASURE)));
      } finally {
        await driver.quit();
      }
    }
  }
  return times;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const settings = Object.fromEntries(
  Object.entries({
    "Chromium, loopback": () => chromiumRuns(false),
    "Chromium, throttled to 9 Mbit/s and 60 ms (CDP)": () => chromiumRuns(true),
    "Firefox ESR, loopback": () => firefoxRuns(),
  }).filter(([name]) => !process.env.SETTINGS || process.env.SETTINGS.split(",").some((word) => name.includes(word))),
);
const results = { runs: RUNS, chromium: execFileSync("/usr/bin/chromium", ["--version"], { encoding: "utf8" }).trim(), settings: {} };
for (const [setting, measure] of Object.entries(settings)) {
  const times = await measure();
  const medians = Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]));
  results.settings[setting] = { medians, times };
  const hand = medians["by hand"];
  console.log(`\n${setting}: ms from navigation start to the first onLogin, median of ${RUNS} cold runs`);
  for (const [name, ms] of Object.entries(medians)) {
    console.log(`  ${name.padEnd(20)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / hand).toFixed(2)}x the hand-written page`);
  }
}
server.close();
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results/startup.json"), JSON.stringify(results, null, 2) + "\n");
