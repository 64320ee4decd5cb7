// Makes esbuild's runtime helpers in a bundle work under a polluted Object.prototype (another script's
// bug leaving an enumerable `get`, `value`, `enumerable`... there). esbuild writes its helpers as
// `__defProp(target, name, { get, enumerable: true })`: a descriptor literal inherits `set` or `value`
// from Object.prototype (TypeError at import), and `__export` walks its exports with `for ... in`,
// which visits inherited names too. Rewritten here: every descriptor is copied into an object without
// a prototype, and `__export` walks own keys only.
//
// Used by scripts/build.mjs on esbuild's output before minification; throws a BundleShapeError when the
// bundle uses esbuild's helpers in a shape this does not know.

const REWRITES = [
  {
    from: "var __defProp = Object.defineProperty;",
    to: "var __defProp = (target, key, descriptor) => Object.defineProperty(target, key, { __proto__: null, ...descriptor });",
  },
  { from: "for (var name in all)", to: "for (var name of Object.keys(all))" },
];

/** The bundle uses esbuild's runtime helpers in a shape hardenBundle does not know. */
export class BundleShapeError extends Error {
  name = "BundleShapeError";
}

/** Returns `text`, the bundle `file`, with esbuild's helpers hardened. */
export function hardenBundle(text, file) {
  const fail = (why) => {
    throw new BundleShapeError(`${file}: ${why}`);
  };
  for (const { from, to } of REWRITES) {
    const count = text.split(from).length - 1;
    if (count > 1) fail(`${JSON.stringify(from)} appears ${count} times`);
    text = text.replace(from, to);
  }
  // What is left must hold no way in: every helper goes through the rewritten __defProp, and nothing
  // walks an object with for ... in.
  if (/\b__defProp\b/.test(text) && !text.includes(REWRITES[0].to)) {
    fail("esbuild's __defProp has a shape this script does not know");
  }
  if (/\bfor \((var|let|const) \w+ in /.test(text)) fail("a for ... in loop is left");
  return text;
}
