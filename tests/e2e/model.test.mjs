// A model-based test across real tabs: random interleavings of logins, logouts, refreshes (some held
// open while other steps run) against the
// demo server's rotating refresh sessions, frozen tabs (Chromium), system clock steps and other tabs'
// storage writes, on localStorage. After each run every tab must agree with the storage, the state
// must be what the last step decided (a logout wins over every refresh that began before it; a login
// stays), and no refresh token may have been spent twice. The seed is random and printed on failure;
// MODEL_SEED=<seed> replays one, MODEL_RUNS=<n> runs n seeds.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { KEY, chromium, firefoxEsr, startSite, until } from "./tabs.mjs";
import { token } from "../scenarios/tokens.mjs";

let site;
before(async () => {
  site = await startSite();
});
after(() => site?.close());

// A small deterministic generator, so a failing seed can be replayed.
const generator = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const fake = (jti) => token({ sub: "zoe", jti, exp: Math.floor(Date.now() / 1000) + 600 });

async function run(driver, seed, steps) {
  const random = generator(seed);
  const pick = (items) => items[Math.floor(random() * items.length)];
  const session = await driver.session(site);
  const trail = [];
  const reused = site.demo.refreshStats.reused;
  try {
    const tabs = [];
    for (let i = 0; i < 3; i++) tabs.push(await session.open("backend=local"));
    await tabs[0].run(async () => login(600));
    // What the last step that decides the state was: a login or token write ("set", with the token),
    // a logout ("clear"), a refresh started ("refresh": a new session may come of it), or another
    // script's removal of the token ("removed": no logout, so a refresh under way may still store).
    let last = { kind: "set", token: await tabs[0].run(async () => store.get()) };
    const frozen = new Set();
    const running = () => tabs.filter((tab) => !frozen.has(tab));
    const operations = [
      ["set", async () => {
        const tab = pick(running());
        const token = fake(`s${trail.length}`);
        trail.push(`set on ${tabs.indexOf(tab)}`);
        await tab.run(async (token) => store.set(token), token);
        last = { kind: "set", token };
      }],
      ["login", async () => {
        const tab = pick(running());
        trail.push(`login on ${tabs.indexOf(tab)}`);
        await tab.run(async () => login(600));
        last = { kind: "set", token: await tab.run(async () => store.get()) };
      }],
      ["clear", async () => {
        const tab = pick(running());
        trail.push(`clear on ${tabs.indexOf(tab)}`);
        await tab.run(async () => store.clear());
        last = { kind: "clear" };
      }],
      ["refresh", async () => {
        const tab = pick(running());
        trail.push(`refresh on ${tabs.indexOf(tab)}`);
        await tab.run(async () => {
          (window.pending ??= []).push(store.refresh(refreshFromCookie, { timeout: 1 }).catch((error) => error.code ?? String(error)));
        });
        last = { kind: "refresh" };
      }],
      ["slow refresh", async () => {
        // The server answers, but the answer reaches the store only when a later step lets it: the
        // lock stays held meanwhile, and refreshes in other tabs queue behind it.
        const tab = pick(running());
        trail.push(`slow refresh on ${tabs.indexOf(tab)}`);
        await tab.run(async () => {
          let letGo;
          const gate = new Promise((done) => { letGo = done; });
          (window.gates ??= []).push(letGo);
          (window.pending ??= []).push(store.refresh(async (current, signal) => {
            const token = await refreshFromCookie(current, signal);
            await gate;
            return token;
          }, { timeout: 30 }).catch((error) => error.code ?? String(error)));
        });
        last = { kind: "refresh" };
      }],
      ["an answer arrives", async () => {
        const tab = pick(running());
        trail.push(`an answer arrives on ${tabs.indexOf(tab)}`);
        await tab.run(async () => window.gates?.shift()?.());
      }],
      ["other tab writes", async () => {
        const tab = pick(running());
        const token = random() < 0.5 ? fake(`w${trail.length}`) : null;
        trail.push(`another script on ${tabs.indexOf(tab)} writes ${token ? "a token" : "nothing"}`);
        await tab.run(async ([key, token]) => (token === null ? localStorage.removeItem(key) : localStorage.setItem(key, token)), [KEY, token]);
        // Removing the token is no logout: a refresh under way may still store its answer.
        last = token === null ? { kind: "removed" } : { kind: "set", token };
      }],
      ["clock step", async () => {
        // The system clock steps back, as NTP does: every tab at once.
        trail.push("clock steps back 5 s");
        for (const tab of running()) await tab.run(async () => shiftClock(-5));
      }],
    ];
    if (driver.canFreeze) {
      operations.push(["freeze", async () => {
        const tab = pick(running());
        if (running().length < 2) return;
        trail.push(`freeze ${tabs.indexOf(tab)}`);
        await tab.freeze();
        frozen.add(tab);
      }], ["resume", async () => {
        const tab = pick([...frozen]);
        if (!tab) return;
        trail.push(`resume ${tabs.indexOf(tab)}`);
        await tab.resume();
        frozen.delete(tab);
      }]);
    }
    for (let step = 0; step < steps; step++) await pick(operations)[1]();
    // Quiet: every tab runs, every refresh has settled, and the tabs have heard of each other.
    for (const tab of frozen) await tab.resume();
    frozen.clear();
    for (const tab of tabs) await tab.run(async () => { for (const letGo of window.gates ?? []) letGo(); });
    for (const tab of tabs) await tab.run(async () => Promise.all(window.pending ?? []));
    const stored = await tabs[0].run(async (key) => localStorage.getItem(key), KEY);
    for (const tab of tabs) {
      await until(tab, async (stored) => store.get() === stored, stored, `seed ${seed}: a tab disagrees with the storage`, 5000);
    }
    if (last.kind === "clear") assert.equal(stored, null, "the last step logged out: a refresh that began before it must not undo it");
    if (last.kind === "set") assert.equal(stored, last.token, "the last login stays");
    assert.equal(site.demo.refreshStats.reused, reused, "no refresh token was spent twice");
  } catch (error) {
    error.message = `seed ${seed} on ${driver.name} (MODEL_SEED=${seed} replays it): ${error.message}\nsteps: ${trail.join("; ")}`;
    throw error;
  } finally {
    await session.close();
  }
}

const seeds = process.env.MODEL_SEED
  ? [Number(process.env.MODEL_SEED)]
  : Array.from({ length: Number(process.env.MODEL_RUNS ?? 3) }, () => Math.floor(Math.random() * 2 ** 31));

for (const driver of [chromium, firefoxEsr]) {
  describe(driver.name, () => {
    before(() => driver.start());
    after(() => driver.stop());
    for (const seed of seeds) {
      test(`seed ${seed}: tabs agree with the model after 30 random steps`, { timeout: 180_000 }, () => run(driver, seed, 30));
    }
  });
}
