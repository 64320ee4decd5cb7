// The package's README is read by someone who has only the tarball: it links only within itself, and
// every file it names as part of the package is in pkg/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const pkg = new URL("../../pkg/", import.meta.url);
const readme = readFileSync(new URL("README.md", pkg), "utf8");
const slug = (heading) => heading.toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-");

test("every link is an anchor of a heading in the README", () => {
  const anchors = new Set([...readme.matchAll(/^#+ (.*)$/gm)].map(([, heading]) => slug(heading)));
  const prose = readme.replace(/```[\s\S]*?```/g, "").replace(/`[^`]*`/g, "");
  const links = [...prose.matchAll(/\]\(([^)]*)\)/g)].map(([, target]) => target);
  assert.ok(links.length > 0);
  for (const target of links) {
    assert.match(target, /^#/, `${target} leaves the package`);
    assert.ok(anchors.has(target.slice(1)), `no heading for ${target}`);
  }
  assert.doesNotMatch(readme, /https?:\/\//);
});

test("it starts from npm install, and names only files the package has", () => {
  assert.match(readme, /npm install tokenstore/);
  for (const [, file] of readme.matchAll(/`((?:tokenstore|index|core|LICENSE)[\w.-]*\.(?:js|wasm)|LICENSE-\w+)`/g)) {
    assert.ok(existsSync(new URL(file, pkg)), `${file} is not in pkg/`);
  }
  const { exports } = JSON.parse(readFileSync(new URL("package.json", pkg), "utf8"));
  for (const [, subpath] of readme.matchAll(/`tokenstore\/([\w.]+)`/g)) {
    assert.ok(exports[`./${subpath}`], `tokenstore/${subpath} is not in the exports map`);
  }
});

// Measured as users measure: gzip -9 of each file (whose output zlib's settings do not reproduce), in kB
// of 1000 bytes, the unit bundlers print.
test("the size table states today's gzip -9 sizes", () => {
  const gzipped = (file) => execFileSync("gzip", ["-9", "--stdout", fileURLToPath(new URL(file, pkg))]).length;
  const kb = (...files) => `${(files.reduce((sum, file) => sum + gzipped(file), 0) / 1000).toFixed(1)} kB`;
  const row = (label) => readme.split("\n").find((line) => line.startsWith(`| ${label}`)) ?? "";
  assert.ok(row("`tokenstore` (module").includes(`| ${kb("index.js", "tokenstore_bg.wasm")}, of which ${kb("tokenstore_bg.wasm")} wasm |`), row("`tokenstore` (module"));
  assert.ok(row("`tokenstore.global.js`").endsWith(`| ${kb("tokenstore.global.js", "tokenstore_bg.wasm")} |`), row("`tokenstore.global.js`"));
  assert.ok(row("`tokenstore.inline.js`").endsWith(`| ${kb("tokenstore.inline.js")} |`), row("`tokenstore.inline.js`"));
});
