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

test("node main.cjs: require() and initSync() with no argument", () => {
  const cwd = new URL("./node-script/", import.meta.url).pathname;
  const output = execFileSync(process.execPath, ["main.cjs", token()], { cwd, encoding: "utf8" });
  assert.equal(output.trim(), `ok ${NAME} ${NAME}`);
});
