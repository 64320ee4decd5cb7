// What a page keeps for stores the app is done with, in a real Chromium with real garbage collections
// (`--js-flags=--expose-gc`): counts after many cycles, never timings. The externref table is the
// module's own export; BroadcastChannels are counted by a subclass installed before the package loads;
// the stores a logout visits, by the localStorage reads they make.
import { test } from "node:test";
import assert from "node:assert/strict";
import { valid } from "./chromium.mjs";
import { demoInChromium } from "./tabs.mjs";

const demo = demoInChromium({ gc: true });

/** A page of the demo's origin with the package initialised: `TokenStore`, `wasm` (the module's
 * exports), `collect()` (full collections with time for finalizers), `slotsInUse()` (the externref
 * table's entries that hold a value: wasm-bindgen empties a slot when it frees it) and `openChannels`. */
async function open(context) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.addInitScript(() => {
    window.openChannels = new Set();
    globalThis.BroadcastChannel = class extends BroadcastChannel {
      constructor(name) {
        super(name);
        openChannels.add(this);
      }
      close() {
        openChannels.delete(this);
        super.close();
      }
    };
  });
  await page.goto(new URL("/", demo.server.url).href);
  await page.evaluate(async () => {
    const { default: init, TokenStore } = await import("/pkg/index.js");
    window.wasm = await init();
    window.TokenStore = TokenStore;
    window.collect = async () => {
      for (let i = 0; i < 4; i++) {
        gc();
        await new Promise((done) => setTimeout(done, 50));
      }
    };
    window.slotsInUse = () => {
      const table = wasm.__wbindgen_externrefs;
      let used = 0;
      for (let i = 0; i < table.length; i++) if (table.get(i) !== null) used++;
      return used;
    };
  });
  return { page, errors };
}

test("stores made and freed, or dropped, give back every externref table slot", async () => {
  const context = await demo.browser.newContext();
  const { page, errors } = await open(context);
  const rounds = await page.evaluate(async () => {
    const rounds = [];
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 300; i++) new TokenStore().free();
      for (let i = 0; i < 300; i++) new TokenStore({ key: "dropped", backend: "memory" });
      await collect();
      rounds.push({ used: slotsInUse(), size: wasm.__wbindgen_externrefs.length });
    }
    return rounds;
  });
  const [first, last] = [rounds[0], rounds.at(-1)];
  assert.ok(last.used <= first.used + 20, `slots in use after 6,000 stores: ${JSON.stringify(rounds)}`);
  assert.equal(last.size, first.size, `the table stops growing: ${JSON.stringify(rounds)}`);
  assert.deepEqual(errors, []);
  await context.close();
});

// Cycles per round: enough for a slot per store to show, few enough for a shared machine.
const CYCLES = 4_000;

test("3 x 4,000 autoLogin and autoRefresh dispose cycles leave nothing behind", async () => {
  const context = await demo.browser.newContext();
  const { page, errors } = await open(context);
  const rounds = await page.evaluate(async ({ jwt, CYCLES }) => {
    const kept = new TokenStore({ key: "cycles" });
    kept.set(jwt);
    const rounds = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < CYCLES; i++) {
        // One store kept for the page's life, and one made per cycle and dropped.
        const store = i % 2 === 0 ? kept : new TokenStore({ key: "cycles" });
        store.autoLogin({ onLogin() {}, onLogout() {} }).dispose();
        store.autoRefresh({ refresh: async () => null, onStart: false }).dispose();
      }
      await collect();
      rounds.push({ used: slotsInUse(), channels: openChannels.size });
    }
    return rounds;
  }, { jwt: valid("cycles"), CYCLES });
  assert.ok(rounds[2].used <= rounds[0].used + 20, `slots in use: ${JSON.stringify(rounds)}`);
  assert.equal(rounds[2].channels, 0, `no listener is left, so no channel: ${JSON.stringify(rounds)}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("logging out of 3,000 keys leaves no channel open once their stores are gone", async () => {
  const context = await demo.browser.newContext();
  const { page, errors } = await open(context);
  const { page: other } = await open(context);
  // Another tab listens on one of the keys' channels: the logout posted just before its store went
  // reaches it.
  await other.evaluate(() => {
    window.heard = [];
    new BroadcastChannel("tokenstore:k-2999").onmessage = (event) => heard.push(event.data.type);
  });
  const rounds = await page.evaluate(async (jwt) => {
    const rounds = [];
    // Stores made in a function of their own, whose frame is gone when the collector runs.
    const logOutOfEveryKey = (round) => {
      for (let i = 0; i < 3000; i++) {
        const store = new TokenStore({ key: `k-${i}` });
        store.set(jwt);
        store.clear();
        // Freed in odd rounds; in even ones dropped for the collector.
        if (round % 2 === 1) store.free();
      }
    };
    for (let round = 0; round < 3; round++) {
      logOutOfEveryKey(round);
      const before = openChannels.size;
      await collect();
      rounds.push({ before, after: openChannels.size });
    }
    return rounds;
  }, valid("many"));
  assert.deepEqual(rounds.map((round) => round.after), [0, 0, 0], JSON.stringify(rounds));
  await other.waitForFunction(() => heard.length === 3, null, { timeout: 5000 });
  // The key's channel comes back with its next store.
  await page.evaluate((jwt) => {
    window.again = new TokenStore({ key: "k-2999" });
    again.set(jwt);
    again.clear();
  }, valid("again"));
  await other.waitForFunction(() => heard.length === 4, null, { timeout: 5000 });
  assert.deepEqual(await other.evaluate(() => heard), ["logout", "logout", "logout", "logout"]);
  assert.equal(await page.evaluate(() => openChannels.size), 1, "the sending end of the live store's key");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a logout visits the stores someone listens to, not every store made on its key", async () => {
  const context = await demo.browser.newContext();
  const { page, errors } = await open(context);
  const reads = await page.evaluate(async (jwt) => {
    let reads = 0;
    const getItem = Storage.prototype.getItem;
    Storage.prototype.getItem = function (name) {
      if (name === "many.jwt") reads++;
      return getItem.call(this, name);
    };
    const logoutWith = (count) => {
      // Stores on localStorage that nobody keeps or listens to; the logout comes from memory.
      for (let i = 0; i < count; i++) new TokenStore({ key: "many.jwt" });
      const memory = new TokenStore({ key: "many.jwt", backend: "memory" });
      localStorage.setItem("many.jwt", jwt);
      reads = 0;
      memory.clear();
      memory.free();
      return reads;
    };
    return { small: logoutWith(2000), large: logoutWith(4000) };
  }, valid("many"));
  assert.ok(reads.large <= reads.small + 2, `reads with 2,000 and 4,000 idle stores: ${JSON.stringify(reads)}`);
  assert.ok(reads.small < 20, `reads with 2,000 idle stores: ${reads.small}`);
  assert.deepEqual(errors, []);
  await context.close();
});
