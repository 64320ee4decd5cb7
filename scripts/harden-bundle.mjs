// Makes esbuild's runtime helpers in a bundle work under a polluted Object.prototype (another script's
// bug leaving an enumerable `get`, `value`, `enumerable`... there). esbuild writes its helpers as
// `__defProp(target, name, { get, enumerable: true })`: a descriptor literal inherits `set` or `value`
// from Object.prototype (TypeError at import), and `__export` walks its exports with `for ... in`,
// which visits inherited names too. Rewritten here: every descriptor is copied into an object without
// a prototype, and `__export` walks own keys only.
//
// Usage: node scripts/harden-bundle.mjs FILE... (esbuild's output before minification). Fails, writing
// nothing, when a file uses esbuild's helpers in a shape this script does not know.
import { readFileSync, writeFileSync } from "node:fs";

const REWRITES = [
  {
    from: "var __defProp = Object.defineProperty;",
    to: "var __defProp = (target, key, descriptor) => Object.defineProperty(target, key, { __proto__: null, ...descriptor });",
  },
  { from: "for (var name in all)", to: "for (var name of Object.keys(all))" },
];

const fail = (why) => {
  console.error(`harden-bundle: ${why}`);
  process.exit(1);
};

const files = process.argv.slice(2);
if (files.length === 0) fail("usage: node scripts/harden-bundle.mjs FILE...");
const hardened = files.map((file) => {
  let text = readFileSync(file, "utf8");
  for (const { from, to } of REWRITES) {
    const count = text.split(from).length - 1;
    if (count > 1) fail(`${file}: ${JSON.stringify(from)} appears ${count} times`);
    text = text.replace(from, to);
  }
  // What is left must hold no way in: every helper goes through the rewritten __defProp, and nothing
  // walks an object with for ... in.
  if (/\b__defProp\b/.test(text) && !text.includes(REWRITES[0].to)) {
    fail(`${file}: esbuild's __defProp has a shape this script does not know`);
  }
  if (/\bfor \((var|let|const) \w+ in /.test(text)) fail(`${file}: a for ... in loop is left`);
  return [file, text];
});
for (const [file, text] of hardened) writeFileSync(file, text);
