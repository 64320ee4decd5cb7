// Vitest with jsdom and happy-dom: the consumer's own component tests (vitest-jsdom/src/*.test.js).
import { test } from "node:test";
import { execFileSync } from "node:child_process";

test("vitest run: component tests in jsdom and happy-dom pass", () => {
  const cwd = new URL("./vitest-jsdom/", import.meta.url).pathname;
  execFileSync("node_modules/.bin/vitest", ["run", "--reporter=dot"], { cwd, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, CI: "1" } });
});
