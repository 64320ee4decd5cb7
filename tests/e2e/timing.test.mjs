// Auth state under hostile timing, across real tabs against the demo server's rotating refresh
// sessions: a logout wins over the refreshes queued before it, and over an answer that arrives after
// it; a frozen tab holding the refresh lock does not keep the others from refreshing (Chromium: the
// page lifecycle's freeze through CDP); without Web Locks tabs still refresh one at a time, with no
// refresh token spent twice; what one tab learns of the server's clock serves the others; bursts of
// logins and logouts from three tabs end with every tab agreeing. Chromium through playwright-core,
// Firefox ESR through geckodriver, WebKit through WebKitWebDriver (what needs no refresh session: it
// refuses the demo server's Secure refresh cookie on http); the same scenarios drive all three.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { KEY, chromium, firefoxEsr, startSite, until, view, webkit } from "./tabs.mjs";
import { token } from "../scenarios/tokens.mjs";

let site;
let demo;
before(async () => {
  site = await startSite();
  demo = site.demo;
});
after(() => site?.close());

for (const driver of [chromium, firefoxEsr, webkit]) {
  // What needs a refresh session: WebKit refuses the demo server's Secure refresh cookie on http.
  // A bound on every scenario, so that a hang is a failure with its name rather than a stuck run.
  const bounded = { timeout: 120_000 };
  const needsRefreshSession = driver.refusesSecureCookies ? { ...bounded, skip: "WebKit refuses the Secure refresh cookie on http" } : bounded;
  describe(driver.name, () => {
    before(() => driver.start());
    after(() => driver.stop());

    for (const backend of ["local", "memory"]) {
      test(`${backend}: a logout while four tabs wait for the refresh lock stays a logout in every tab`, needsRefreshSession, async () => {
        const session = await driver.session(site);
        try {
          const tabs = [];
          for (let i = 0; i < 5; i++) tabs.push(await session.open(`backend=${backend}`));
          const [leaving, holder, ...waiting] = tabs;
          await leaving.run(async () => login(600));
          // On localStorage, every tab holds the login first: one still without it would adopt it under
          // the lock. (Memory is each tab's own: the others wait with no token.)
          if (backend === "local") {
            for (const tab of tabs) await until(tab, async () => store.get() !== null, null, "every tab heard the login");
          }
          const ok = demo.refreshStats.ok;
          // Another tab holds the lock, as a refresh under way does; three tabs queue behind it.
          await holder.run(async (key) => {
            await new Promise((held) =>
              navigator.locks.request(`tokenstore:${key}:refresh`, () => {
                held();
                return new Promise((release) => { window.release = release; });
              }));
          }, KEY);
          for (const tab of waiting) await tab.run(async () => { window.pending = store.refresh(refreshFromCookie); });
          // The logout tells the server nothing: its refresh cookie is still good, which is what a
          // refresh queued before the logout would spend.
          await leaving.run(async () => store.clear());
          await holder.run(async () => window.release());
          for (const tab of waiting) assert.equal(await tab.run(async () => window.pending), null, "the queued refresh ends with no token");
          assert.equal(demo.refreshStats.ok, ok, "no refresh reached the server");
          for (const tab of tabs) {
            await until(tab, async () => store.get() === null, null, "every tab logged out");
            const seen = await view(tab);
            assert.equal(seen.status, "anonymous");
          }
        } finally {
          await session.close();
        }
      });
    }

    test("an answer that arrives after a logout in another tab is not stored", needsRefreshSession, async () => {
      const session = await driver.session(site);
      try {
        const [leaving, late, watcher] = [await session.open("backend=local"), await session.open("backend=local"), await session.open("backend=local")];
        await leaving.run(async () => login(600));
        // Until its copy of localStorage has caught up with the login (browsers pass writes to other tabs'
        // processes asynchronously), the late tab would find the login under the lock and adopt it
        // rather than fetch.
        await until(late, async () => store.get() !== null, null, "the late tab heard the login");
        // The request is answered by the server, but reaches the store only after the logout.
        const started = await late.run(async () => {
          let answered;
          window.answered = new Promise((done) => { answered = done; });
          let letGo;
          window.letGo = () => letGo();
          const held = new Promise((done) => { letGo = done; });
          window.pending = store.refresh(async (current, signal) => {
            const token = await refreshFromCookie(current, signal);
            answered();
            await held;
            return token;
          });
          // Settling without fetching would leave `answered` waiting for good: a failure, not a hang.
          const settled = window.pending.then((token) => `settled with ${token} before fetching`, (error) => `failed before fetching: ${error}`);
          return Promise.race([window.answered.then(() => "answered"), settled]);
        });
        assert.equal(started, "answered", "the refresh reached the server");
        await leaving.run(async () => store.clear());
        await late.run(async () => { window.letGo(); await window.pending.catch(() => null); });
        for (const tab of [leaving, late, watcher]) {
          await until(tab, async () => store.get() === null, null, "every tab logged out");
          assert.equal((await view(tab)).status, "anonymous");
        }
        assert.equal(await watcher.run(async (key) => localStorage.getItem(key), KEY), null, "nothing was written back");
      } finally {
        await session.close();
      }
    });

    test("without Web Locks, five tabs on memory refresh one at a time: no refresh token spent twice", needsRefreshSession, async () => {
      const session = await driver.session(site);
      try {
        const tabs = [];
        for (let i = 0; i < 5; i++) tabs.push(await session.open("backend=memory&nolocks"));
        assert.equal(await tabs[0].run(async () => navigator.locks === undefined), true);
        await tabs[0].run(async () => login(600));
        const reused = demo.refreshStats.reused;
        // Every tab asks at once (a silent login in each, as on a reload of the secure flow).
        for (const tab of tabs.slice(1)) await tab.run(async () => { window.pending = store.refresh(refreshFromCookie); });
        for (const tab of tabs.slice(1)) {
          const token = await tab.run(async () => window.pending);
          assert.equal(typeof token, "string", "each tab got a token");
        }
        assert.equal(demo.refreshStats.reused, reused, "no refresh token was used twice");
        for (const tab of tabs) assert.equal((await view(tab)).status, "authenticated");
      } finally {
        await session.close();
      }
    });

    test("what one tab learns of the server clock serves the others", bounded, async () => {
      const session = await driver.session(site);
      try {
        // This browser's clock is an hour slow: the server's 4-second tokens look valid for an hour.
        const [learner, other] = [await session.open("backend=local&skew=-3600"), await session.open("backend=local&skew=-3600")];
        await learner.run(async () => login(4));
        await until(other, async () => Math.abs(store.clockOffset - 3600) < 5, null, "the other tab shares the offset");
        // It judges the token by the server's clock: expired after 4 seconds, not after an hour.
        await until(other, async () => store.getSnapshot().status === "expired", null, "expired by the server's clock", 15_000);
      } finally {
        await session.close();
      }
    });

    for (const backend of ["local", "cookie"]) {
      test(`${backend}: bursts of logins and logouts from three tabs end with every tab agreeing`, bounded, async () => {
        const session = await driver.session(site);
        try {
          const tabs = [];
          const insecure = driver.refusesSecureCookies ? "&insecure" : "";
          for (let i = 0; i < 3; i++) tabs.push(await session.open(`backend=${backend}${insecure}`));
          const fake = (jti) => token({ sub: "zoe", jti, exp: Math.floor(Date.now() / 1000) + 600 });
          for (let burst = 0; burst < 10; burst++) {
            // Each tab runs its part of the burst on its own timers, 0 to 3 ms apart.
            for (const [index, tab] of tabs.entries()) {
              const steps = Array.from({ length: 4 }, (_, step) => ({
                delay: (step * 7 + index * 3 + burst) % 4,
                token: (burst + step + index) % 3 === 0 ? null : fake(`b${burst}-t${index}-s${step}`),
              }));
              await tab.run(async (steps) => {
                window.burst = (async () => {
                  for (const step of steps) {
                    await new Promise((done) => setTimeout(done, step.delay));
                    if (step.token === null) store.clear();
                    else store.set(step.token);
                  }
                })();
              }, steps);
            }
            for (const tab of tabs) await tab.run(async () => window.burst);
            // Then one tab logs in: every tab must reach it, whatever the burst left behind.
            const final = fake(`final-${burst}`);
            await tabs[burst % 3].run(async (final) => store.set(final), final);
            for (const tab of tabs) {
              await until(tab, async (final) => store.get() === final && store.getSnapshot().status === "authenticated", final, `burst ${burst}: every tab on the last login`, 5000)
                .catch(async (error) => {
                  // What each tab's store holds, what a new store reads from the same storage, and what
                  // the tab's store holds once it looks again: a missed change or a wrong reading.
                  const views = await Promise.all(tabs.map((t) => t.run(async (key) => {
                    const held = store.get()?.slice(40, 90);
                    const { TokenStore } = await import("/pkg/index.js");
                    const fresh = new TokenStore({ key, backend: store.backend, cookie: { secure: false } });
                    const read = fresh.get()?.slice(40, 90);
                    fresh.free();
                    window.dispatchEvent(new PopStateEvent("popstate"));
                    return { held, read, afterLooking: store.get()?.slice(40, 90), cookie: document.cookie.slice(0, 200), log: log.slice(-6) };
                  }, KEY)));
                  throw new Error(error.message + JSON.stringify(views, null, 1));
                });
            }
            const lastHeard = await Promise.all(tabs.map((tab) => tab.run(async () => log.at(-1))));
            for (const heard of lastHeard) assert.equal(heard, `login final-${burst}`, `burst ${burst}: the hooks end on the last login`);
          }
        } finally {
          await session.close();
        }
      });
    }

    if (driver === chromium) {
      test("a frozen tab holding the refresh lock does not keep the others from refreshing", bounded, async () => {
        const session = await driver.session(site);
        try {
          const [frozen, front, third] = [await session.open("backend=local"), await session.open("backend=local"), await session.open("backend=local")];
          await front.run(async () => login(600));
          // Else the frozen tab could find the login under the lock and adopt it rather than fetch.
          await until(frozen, async () => store.get() !== null, null, "the frozen tab heard the login");
          // The frozen tab was refreshing (its request never answers) when the browser froze it.
          await frozen.run(async () => {
            window.pending = store.refresh(() => new Promise(() => {}), { timeout: 2 });
            const key = "tokenstore:hostile:lease";
            while (localStorage.getItem(key) === null) await new Promise((done) => setTimeout(done, 5));
          });
          await frozen.freeze();
          const ok = demo.refreshStats.ok;
          await front.run(async () => {
            store.refresh(refreshFromCookie).then((token) => { window.refreshed = token; }, (error) => { window.refreshed = String(error); });
          });
          await until(front, async () => window.refreshed !== undefined, null, "the refresh in front settles", 30_000);
          const token = await front.run(async () => window.refreshed);
          assert.equal(typeof token, "string", "the tab in front refreshed, taking the lock once the lease ran out");
          assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, `a token, not ${token}`);
          assert.equal(demo.refreshStats.ok, ok + 1, "with one request");
          await until(third, async (token) => store.get() === token, token, "the other tabs follow");
          await frozen.resume();
          await until(frozen, async (token) => store.get() === token, token, "the frozen tab, running again, too");
          assert.equal(demo.refreshStats.reused, 0);
        } finally {
          await session.close();
        }
      });
    }
  });
}
