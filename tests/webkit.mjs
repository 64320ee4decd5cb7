// WebKit, Safari's engine, for the JavaScript suites (tests/consumers, tests/e2e): WebKitGTK's WebDriver
// (Debian's webkit2gtk-driver), which opens its MiniBrowser. WebKitGTK has no headless mode, so the
// driver runs on a virtual display of its own (xvfb-run -a); without one, a new session never answers.
// Only Node's own modules here: each suite drives the browser with its own selenium-webdriver.
import { spawn } from "node:child_process";
import { createServer } from "node:net";

/** The capabilities WebKitWebDriver takes: its MiniBrowser, nothing else needed. */
export const WEBKIT_CAPABILITIES = { browserName: "MiniBrowser" };

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

/** Starts WebKitWebDriver on its own display; resolves to `{ url, stop }` once it answers `/status`.
 * `stop()` ends the driver's process group (the driver, its browsers and the display) and only it. */
export async function startWebKitDriver() {
  const port = await freePort();
  const child = spawn("xvfb-run", ["-a", "/usr/bin/WebKitWebDriver", `--port=${port}`], { detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  child.stderr.on("data", (chunk) => (output += chunk));
  const stop = () => { try { process.kill(-child.pid, "SIGTERM"); } catch {} };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited: ${output}`);
    try {
      if ((await fetch(`${url}/status`)).ok) return { url, stop };
    } catch {}
    if (Date.now() > deadline) { stop(); throw new Error(`WebKitWebDriver did not answer: ${output}`); }
    await new Promise((done) => setTimeout(done, 100));
  }
}
