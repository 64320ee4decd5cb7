// What the end-to-end tests share: Debian's Chromium as playwright-core launches it here, tokens, and
// pkg/'s files for a test's own server.
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { token } from "../scenarios/tokens.mjs";

const ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Headless Chromium; `gc: true` exposes `gc()` to pages, `backForwardCache: true` keeps the cache
 * that playwright-core otherwise turns off, `args` are added to the usual ones. */
export function launch({ gc = false, backForwardCache = false, args = [] } = {}) {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [...ARGS, ...(gc ? ["--js-flags=--expose-gc"] : []), ...args],
    ignoreDefaultArgs: backForwardCache ? ["--disable-back-forward-cache"] : [],
  });
}

/** A persistent context on `profile`, launched like `launch()`. */
export function launchPersistent(profile) {
  return chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", args: ARGS });
}

/** A token for `sub`, valid for ten minutes. */
export const valid = (sub) => token({ sub, exp: Math.floor(Date.now() / 1000) + 600 });

const PKG = fileURLToPath(new URL("../../pkg/", import.meta.url));
const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm" };

/** Answers a request for `/pkg/<path>` with the built package's file, or 404. */
export async function servePackageFile(path, response) {
  const file = normalize(join(PKG, path.slice("/pkg/".length)));
  if (!file.startsWith(PKG)) return response.writeHead(404).end();
  try {
    const body = await readFile(file);
    return response.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
  } catch {
    return response.writeHead(404).end();
  }
}
