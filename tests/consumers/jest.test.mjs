// Jest 29 and 30 with create-react-app's setup and the default configuration (jest-app/, copied into
// jest29/ and jest30/ by run.sh): the component test imports tokenstore and tokenstore/react as is, in
// jsdom, and a test in Jest's own default environment, node, imports tokenstore.
import { test } from "node:test";
import { execFileSync } from "node:child_process";

for (const jest of ["jest29", "jest30"]) {
  test(`${jest}: the component test in jsdom and the node-environment test pass, with babel-jest`, () => {
    const cwd = new URL(`./${jest}/`, import.meta.url).pathname;
    execFileSync("node_modules/.bin/jest", ["--ci"], { cwd, stdio: ["ignore", "inherit", "inherit"] });
  });
}
