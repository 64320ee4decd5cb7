// A plain Node ESM script run as a user would run it, in a process of its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { NAME, token } from "./lib.mjs";

test("node main.js: await init() with no argument, a store, a decoded name", () => {
  const cwd = new URL("./node-script/", import.meta.url).pathname;
  const output = execFileSync(process.execPath, ["main.js", token()], { cwd, encoding: "utf8" });
  assert.equal(output.trim(), `ok ${NAME}`);
});

test("node main.cjs: require() of the ES module (the one import loads) and initSync() with no argument", () => {
  const cwd = new URL("./node-script/", import.meta.url).pathname;
  assert.match(execFileSync(process.execPath, ["-p", 'require.resolve("tokenstore")'], { cwd, encoding: "utf8" }).trim(), /\/node\.js$/);
  const output = execFileSync(process.execPath, ["main.cjs", token()], { cwd, encoding: "utf8" });
  assert.equal(output.trim(), `ok ${NAME} ${NAME}`);
});

// Node before 20.19 cannot require ES modules: require() then resolves to the CommonJS build. This flag
// turns the feature (and with it the "module-sync" condition) off in today's Node.
test("node main.cjs where Node cannot require ES modules: the CommonJS build, initSync() from disk", () => {
  const cwd = new URL("./node-script/", import.meta.url).pathname;
  const resolved = execFileSync(process.execPath, ["--no-experimental-require-module", "-p", 'require.resolve("tokenstore")'], { cwd, encoding: "utf8" });
  assert.match(resolved.trim(), /\/tokenstore\.cjs$/);
  const output = execFileSync(process.execPath, ["--no-experimental-require-module", "main.cjs", token()], { cwd, encoding: "utf8" });
  assert.equal(output.trim(), `ok ${NAME} ${NAME}`);
});
