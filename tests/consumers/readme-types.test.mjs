// The package README's TypeScript samples and types.ts, type-checked by readme-types/check.mjs.
import { test } from "node:test";
import { execFileSync } from "node:child_process";

test("every TypeScript sample of the README type-checks: strict, skipLibCheck off, Vite's and Next's lib", () => {
  const cwd = new URL("./readme-types/", import.meta.url).pathname;
  execFileSync(process.execPath, ["check.mjs"], { cwd, stdio: ["ignore", "inherit", "inherit"] });
});
