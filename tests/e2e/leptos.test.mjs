// The Leptos app (www/leptos): tokenstore's Rust API in a Rust frontend, served by the demo server and
// driven in Chromium, Firefox and WebKit. A login through its form greets the name the app reads into its
// own serde type, a reload keeps it, a second tab follows logins and logouts, and the static JS app on the
// same key sees the same session both ways. Needs the app built (www/build.sh builds it).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, firefoxEsr, startSite, until, webkit } from "./tabs.mjs";

const KEY = "tokenstore-demo.jwt";
const NAME = "Zoë 東京";
const built = fileURLToPath(new URL("../../www/leptos/dist/index.html", import.meta.url));

// Both apps use the same element ids; either is ready once it shows a status.
const shown = () => ["anonymous", "authenticated"].includes(document.getElementById("status")?.textContent);
const LEPTOS = { path: "/leptos/", ready: shown };
const STATIC = { path: "/static/", ready: shown };

/** What a tab of either app shows, and the token in its localStorage. */
const seen = (tab) =>
  tab.run(async (key) => {
    const text = (id) => document.getElementById(id)?.textContent ?? null;
    return { status: text("status"), welcome: text("welcome"), events: text("events"), stored: localStorage.getItem(key) };
  }, KEY);

/** Waits until `tab` shows `status` (and, authenticated, the welcome with the demo user's name). */
const showing = (tab, status) =>
  until(
    tab,
    async ([status, welcome]) =>
      document.getElementById("status")?.textContent === status && document.getElementById("welcome")?.textContent === welcome,
    [status, status === "authenticated" ? `Welcome, ${NAME}` : ""],
    `the tab shows ${status}`,
  );

/** Logs in through the app's form, as the demo user unless `password` says otherwise. */
const logIn = (tab, password = "correct horse battery") =>
  tab.run(async (password) => {
    const type = (id, value) => {
      const input = document.getElementById(id);
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    };
    type("username", "zoe");
    type("password", password);
    document.getElementById("login").click();
    return true;
  }, password);

const logOut = (tab) => tab.run(async () => (document.getElementById("logout").click(), true));

/** The claims of a stored token, read here in the test. */
const payload = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());

let site;
before(async () => {
  assert.ok(existsSync(built), "www/leptos is built (bash www/leptos/build.sh)");
  site = await startSite();
});
after(() => site?.close());

for (const driver of [chromium, firefoxEsr, webkit]) {
  describe(`Leptos app in ${driver.name}`, () => {
    let session;
    let first;
    let second;
    before(async () => {
      await driver.start();
      session = await driver.session(site);
    });
    after(async () => {
      // A session with no tab open (its tests filtered out) has nothing to close.
      if (first) await session.close();
      await driver.stop();
    });

    test("a login through the form greets the name from the app's typed claims; a wrong password is told", async () => {
      first = await session.open("", LEPTOS);
      assert.equal((await seen(first)).status, "anonymous");
      await logIn(first, "not the password");
      await until(first, async () => document.getElementById("auth-error")?.textContent !== "", null, "the login's error");
      assert.equal(await first.run(async () => document.getElementById("auth-error").textContent), "wrong username or password");
      assert.deepEqual(await seen(first), { status: "anonymous", welcome: "", events: "", stored: null });
      await logIn(first);
      await showing(first, "authenticated");
      const { stored, events } = await seen(first);
      assert.ok(stored, "the token is in localStorage under the demo's key, where the JS apps look");
      assert.equal(payload(stored).name, NAME, "the token the server issued is the one stored");
      assert.match(events, new RegExp(`login: ${NAME}`), "auto_login's on_login fired");
      const claims = await first.run(async () => document.getElementById("claims").textContent);
      assert.match(claims, /Claims \{\s+sub: "zoe",\s+name: "Zoë 東京",\s+exp: \d+,?\s+\}/, "the app's own struct, decoded");
    });

    test("a reload stays logged in (auto-login from storage)", async () => {
      await first.reload();
      await showing(first, "authenticated");
      assert.match((await seen(first)).events, new RegExp(`login: ${NAME}`));
    });

    test("a second tab is logged in; a logout there logs this tab out, and a login there logs it in", async () => {
      second = await session.open("", LEPTOS);
      await showing(second, "authenticated");
      await logOut(second);
      await showing(second, "anonymous");
      await showing(first, "anonymous");
      assert.match((await seen(first)).events, /logout: /, "auto_login's on_logout fired in the other tab");
      assert.equal((await seen(first)).stored, null);
      await logIn(second);
      await showing(second, "authenticated");
      await showing(first, "authenticated");
    });

    test("the JS app on the same key sees the Rust app's login and logout, and the Rust app sees the JS app's", async () => {
      const js = await session.open("", STATIC);
      await showing(js, "authenticated");
      assert.equal((await seen(js)).stored, (await seen(first)).stored, "one token for both APIs");
      await logOut(first);
      await showing(js, "anonymous");
      await showing(second, "anonymous");
      await logIn(js);
      await showing(js, "authenticated");
      await showing(first, "authenticated");
      await showing(second, "authenticated");
      await logOut(js);
      await showing(first, "anonymous");
      await showing(second, "anonymous");
    });
  });
}
