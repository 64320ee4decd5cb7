// The model of tests/model.rs: random sequences of API calls on stores sharing a key, checked after
// every step against what the store should hold and report.
import { token } from "./prelude.mjs";

// A small deterministic generator, so a failing seed can be replayed.
const rng = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

async function run(TokenStore, seed, backend, steps) {
  const random = rng(seed);
  const pick = (items) => items[Math.floor(random() * items.length)];
  const key = `model.${backend}.${seed}`;
  const area = { local: localStorage, session: sessionStorage }[backend];
  const trail = [];
  const fail = (what) => { throw new Error(`seed ${seed} on ${backend}: ${what}\nsteps: ${trail.join("; ")}`); };

  // The model: the token the key holds, or null; every token is fresh, so each names one state.
  let expected = null;
  const history = [null];
  let serial = 0;
  const freshToken = () => {
    serial += 1;
    const now = Date.now() / 1000;
    const exp = pick([now + 3600, now + 3600, now - 60]);
    return token({ sub: `t${serial}`, exp });
  };
  const claimsOf = (jwt) => JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
  const label = (jwt) => (jwt === null || jwt === undefined ? String(jwt) : claimsOf(jwt).sub);
  const valid = (jwt) => jwt !== null && claimsOf(jwt).exp > Date.now() / 1000;

  const stores = [];        // { store (null once the app dropped it), freed }
  const subscribers = [];   // { owner, seen: [snapshot], off, removed }
  const hooks = [];         // { owner, calls: [[kind, arg]], handle, removed }
  let depth = 0;

  const mutate = (reason) => {
    const live = stores.filter((s) => s.store && !s.freed);
    if (live.length === 0) return;
    const target = pick(live);
    // The model moves first: handlers run inside the call and may move it again.
    if (random() < 0.5) {
      const jwt = freshToken();
      trail.push(`${reason}set(${label(jwt)}) on ${stores.indexOf(target)}`);
      expected = jwt;
      history.push(expected);
      target.store.set(jwt);
    } else {
      trail.push(`${reason}clear() on ${stores.indexOf(target)}`);
      expected = null;
      history.push(expected);
      target.store.clear();
    }
  };
  // A handler that, now and then, changes the store while a dispatch is under way.
  const reentrant = () => {
    if (depth < 2 && random() < 0.15) {
      depth += 1;
      try { mutate("  re-entrant "); } finally { depth -= 1; }
    }
  };

  const newStore = () => {
    const entry = { store: new TokenStore({ key, backend }), freed: false };
    stores.push(entry);
    return entry;
  };
  newStore();
  newStore();

  const operations = [
    ["mutate", () => mutate("")],
    ["subscribe", () => {
      const owner = pick(stores.filter((s) => s.store && !s.freed));
      if (!owner) return;
      const entry = { owner, seen: [], removed: false };
      entry.off = owner.store.subscribe((snapshot) => { entry.seen.push(snapshot); reentrant(); });
      subscribers.push(entry);
    }],
    ["unsubscribe", () => {
      const entry = pick(subscribers.filter((s) => !s.removed));
      if (!entry) return;
      entry.off();
      entry.removed = true;
    }],
    ["autoLogin", () => {
      const owner = pick(stores.filter((s) => s.store && !s.freed));
      if (!owner) return;
      const entry = { owner, calls: [], removed: false };
      entry.handle = owner.store.autoLogin({
        onLogin: (jwt) => { entry.calls.push(["login", jwt]); reentrant(); },
        onLogout: (reason) => { entry.calls.push(["logout", reason]); reentrant(); },
      });
      hooks.push(entry);
    }],
    ["dispose", () => {
      const entry = pick(hooks.filter((h) => !h.removed));
      if (!entry) return;
      pick([() => entry.handle.dispose(), () => entry.handle.free()])();
      entry.removed = true;
    }],
    ["storage event", () => {
      if (area && random() < 0.5) {
        // Another tab's write, announced as the browser would.
        const jwt = random() < 0.7 ? freshToken() : null;
        if (jwt === null) area.removeItem(key); else area.setItem(key, jwt);
        expected = jwt;
        history.push(expected);
        trail.push(`  other tab wrote ${label(jwt)}`);
      }
      window.dispatchEvent(new StorageEvent("storage", { key, storageArea: area ?? null }));
    }],
    ["drop a reference", () => {
      // The app forgets a store; its listeners must keep it alive and working.
      const entry = pick(stores.filter((s) => s.store && !s.freed));
      if (entry && stores.filter((s) => s.store && !s.freed).length > 1) entry.store = null;
    }],
    ["free", () => {
      const entry = pick(stores.filter((s) => s.store && !s.freed));
      if (!entry) return;
      entry.store.free();
      entry.freed = true;
      for (const s of subscribers) if (s.owner === entry) s.removed = true;
      for (const h of hooks) if (h.owner === entry) h.removed = true;
      newStore();
    }],
    ["popstate", () => window.dispatchEvent(new PopStateEvent("popstate"))],
  ];

  for (let step = 0; step < steps; step++) {
    const [name, operation] = pick(operations);
    trail.push(name);
    try {
      operation();
    } catch (error) {
      fail(`${name} threw ${error?.name}: ${error?.message}`);
    }
    if (step % 25 === 0) {
      if (typeof gc === "function") gc();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }

    // Check everything against the model.
    for (const entry of stores) {
      if (!entry.store || entry.freed) continue;
      const snapshot = entry.store.getSnapshot();
      if (entry.store.get() !== expected) fail(`get() is ${label(entry.store.get())}, expected ${label(expected)}`);
      if (snapshot.token !== expected) fail(`getSnapshot().token is ${label(snapshot.token)}, expected ${label(expected)}`);
      const status = expected === null ? "anonymous" : valid(expected) ? "authenticated" : "expired";
      if (snapshot.status !== status) fail(`status ${snapshot.status}, expected ${status}`);
    }
    for (const entry of subscribers) {
      if (entry.removed) continue;
      const last = entry.seen.at(-1);
      if (!last || last.token !== expected) fail(`a subscriber ended on ${label(last?.token)}, expected ${label(expected)}`);
      if (entry.owner.store && last !== entry.owner.store.getSnapshot()) fail("a subscriber's last snapshot is not getSnapshot()");
      // Never an older state after a newer one.
      let at = -1;
      for (const seen of entry.seen) {
        if (seen.token === null) continue;
        const index = history.indexOf(seen.token);
        if (index < at) fail(`a subscriber heard ${label(seen.token)} after a newer state`);
        at = index;
      }
    }
    for (const entry of hooks) {
      if (entry.removed) continue;
      const last = entry.calls.at(-1);
      if (expected !== null && valid(expected)) {
        if (!last || last[0] !== "login" || last[1] !== expected) fail(`a hook's last call is ${last && [last[0], last[0] === "login" ? label(last[1]) : last[1]]}, expected login ${label(expected)}`);
      } else if (last && last[0] === "login") {
        fail(`a hook still says login ${label(last[1])} with ${label(expected)} stored`);
      }
    }
  }
  for (const entry of stores) if (entry.store && !entry.freed) entry.store.free();
}

/**
 * Runs the model on `backend` with each of `seeds`, then, with `random`, one random seed; a failure
 * names its seed and how to replay it.
 */
export async function checkModel(TokenStore, backend, seeds, random) {
  const all = [...seeds, ...(random ? [crypto.getRandomValues(new Uint32Array(1))[0]] : [])];
  for (const seed of all) {
    try {
      await run(TokenStore, seed, backend, 400);
    } catch (error) {
      throw new Error(`${error.message}\nreplay: MODEL_SEED=${seed} wasm-pack test --headless --chrome -- --test model`);
    }
  }
}
