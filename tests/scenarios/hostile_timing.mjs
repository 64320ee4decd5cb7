// The scenarios of tests/hostile_timing.rs, one exported function each, named after its test.
import { check, holdLock, later, otherTab, same, sleep, token, until } from "./prelude.mjs";

export async function a_logout_wins_over_a_refresh_queued_for_the_lock(TokenStore) {
  localStorage.clear();
  // Another tab logs out while this one waits for the lock: it removes the token and leaves its
  // mark, as a tab of this version does.
  const store = new TokenStore({ key: "queued" });
  store.set(later(10, "old"));
  let release = await holdLock("tokenstore:queued:refresh");
  let called = 0;
  const fetchToken = async () => { called++; return later(3600, "undone"); };
  const pending = store.refresh(fetchToken);
  const tab = otherTab();
  tab.window.localStorage.removeItem("queued");
  tab.window.localStorage.setItem("tokenstore:queued:logout",
    JSON.stringify({ id: 0.123, until: Date.now() + 60000 }));
  tab.close();
  release();
  same(await pending, null, "the refresh ends with no token");
  same(called, 0, "fetchToken is never called: the server may still hold a refresh cookie");
  same(store.get(), null, "the logout stays");

  // The same with the logout made by another store of this page, and a start-up refresh (no
  // token yet) queued before it.
  const memory = new TokenStore({ key: "queued.page", backend: "memory" });
  const peer = new TokenStore({ key: "queued.page", backend: "memory" });
  release = await holdLock("tokenstore:queued.page:refresh");
  const startUp = memory.refresh(fetchToken);
  peer.clear();
  release();
  same(await startUp, null, "the start-up refresh ends with no token");
  same(called, 0, "and fetches nothing");
  same(memory.get(), null, "the logout stays");
  store.free(); memory.free(); peer.free();

}

export async function an_answer_after_a_logout_elsewhere_is_dropped(TokenStore) {
  localStorage.clear();
  // The logout's mark has reached this tab, the removal of the token not yet (storage reaches
  // other processes asynchronously): the answer belongs to a session that is over.
  const store = new TokenStore({ key: "late" });
  const old = later(10, "old");
  store.set(old);
  let answer;
  const pending = store.refresh(() => new Promise((resolve) => { answer = resolve; }));
  await until(() => answer, "fetchToken was called");
  const tab = otherTab();
  tab.window.localStorage.setItem("tokenstore:late:logout",
    JSON.stringify({ id: 0.321, until: Date.now() + 60000 }));
  tab.close();
  answer(later(3600, "undone"));
  await pending;
  check(store.get() === old || store.get() === null, "the answer is not stored");
  check(localStorage.getItem("late") !== null && localStorage.getItem("late") === old,
    "nor written for other tabs");

  // A memory store (the secure flow) hears the logout by message while its request is out.
  const memory = new TokenStore({ key: "late.memory", backend: "memory" });
  memory.set(later(10, "old"));
  const heard = [];
  memory.autoLogin({ onLogin: (t, c) => heard.push(c.sub), onLogout: (r) => heard.push(r) });
  let reply;
  const out = memory.refresh(() => new Promise((resolve) => { reply = resolve; }));
  await until(() => reply, "fetchToken was called");
  const channel = new BroadcastChannel("tokenstore:late.memory");
  channel.postMessage({ type: "logout", id: 0.654, page: 0.5, backend: "session" });
  channel.close();
  await until(() => heard.includes("removed"), "the logout is heard");
  reply(later(3600, "undone"));
  same(await out, null, "the refresh resolves with no token");
  same(memory.get(), null, "the logout stays");
  same(heard, ["old", "removed"], "no login after it");
  store.free(); memory.free();

}

export async function a_holder_past_its_lease_loses_the_lock(TokenStore) {
  localStorage.clear();
  // A frozen tab holds the lock and keeps it: its lease ran out a moment ago.
  const store = new TokenStore({ key: "frozen" });
  store.set(later(10, "old"));
  const release = await holdLock("tokenstore:frozen:refresh");
  localStorage.setItem("tokenstore:frozen:lease", JSON.stringify({ holder: 0.9, until: Date.now() + 200 }));
  let called = 0;
  const token = await store.refresh(async () => { called++; return later(3600, "new"); }, { timeout: 30 });
  same(called, 1, "this tab took the lock and fetched");
  same(store.claims?.sub, "new", "and stored the new token");
  same(token, store.get(), "refresh() resolves with it");
  same(localStorage.getItem("tokenstore:frozen:lease"), null, "its own lease is gone when it is done");
  release();

  // A holder that left no lease (an older version) loses it after this tab's own time limit.
  const release2 = await holdLock("tokenstore:frozen:refresh");
  const next = await store.refresh(async () => { called++; return later(3600, "next"); }, { timeout: 0.3 });
  same(called, 2, "fetched once the time limit had passed");
  same(next, store.get(), "and stored");
  release2();

  // A holder at work within its lease is waited for, and its token adopted.
  const release3 = await holdLock("tokenstore:frozen:refresh");
  localStorage.setItem("tokenstore:frozen:lease", JSON.stringify({ holder: 0.8, until: Date.now() + 60000 }));
  const waiting = store.refresh(async () => { called++; return later(3600, "mine"); });
  const tab = otherTab();
  tab.window.localStorage.setItem("frozen", later(3600, "theirs"));
  tab.window.localStorage.removeItem("tokenstore:frozen:lease");
  tab.close();
  release3();
  await waiting;
  same([called, store.claims?.sub], [2, "theirs"], "not taken from a holder within its lease");
  store.free();

}

export async function without_web_locks_a_lease_keeps_one_refresh_at_a_time(TokenStore) {
  localStorage.clear();
  const locks = Object.getOwnPropertyDescriptor(Navigator.prototype, "locks");
  Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined, configurable: true });
  try {
    check(navigator.locks === undefined, "no Web Locks here");
    const store = new TokenStore({ key: "leased" });
    store.set(later(10, "old"));
    // Another tab refreshes: it holds the lease.
    localStorage.setItem("tokenstore:leased:lease", JSON.stringify({ holder: 0.7, until: Date.now() + 60000 }));
    let called = 0;
    const pending = store.refresh(async () => { called++; return later(3600, "mine"); });
    // Without the lease, fetchToken would be called within this turn of the event loop.
    await sleep(0);
    same(called, 0, "nothing is fetched while another tab holds the lease");
    const tab = otherTab();
    tab.window.localStorage.setItem("leased", later(3600, "theirs"));
    tab.window.localStorage.removeItem("tokenstore:leased:lease");
    tab.close();
    await pending;
    same([called, store.claims?.sub], [0, "theirs"], "its token is adopted once it lets go");

    // A lease whose holder stopped running expires.
    localStorage.setItem("tokenstore:leased:lease", JSON.stringify({ holder: 0.7, until: Date.now() + 100 }));
    const token = await store.refresh(async (current) => { called++; return later(3600, "after"); });
    same([called, store.claims?.sub, token === store.get()], [1, "after", true], "taken once expired");
    same(localStorage.getItem("tokenstore:leased:lease"), null, "and released");

    // Two refreshes of the page on two keys run side by side; on one key they share a flight.
    const a = store.refresh(async () => { called++; return later(3600, "a"); });
    const b = store.refresh(async () => { called++; return later(3600, "b"); });
    same(await a, await b, "one flight");
    same(called, 2, "one fetch");
    store.free();
  } finally {
    Object.defineProperty(Navigator.prototype, "locks", locks);
  }

}

export async function what_one_tab_learns_of_the_server_clock_serves_the_others(TokenStore) {
  localStorage.clear();
  // The server is an hour ahead: its ten-minute tokens look valid here for seventy minutes.
  const serverNow = () => Date.now() / 1000 + 3600;
  const watching = new TokenStore({ key: "shared.clock", serverClock: true });
  const heard = [];
  watching.autoLogin({ onLogin: (t, c) => heard.push(c.sub), onLogout: (r) => heard.push(r) });
  const learner = new TokenStore({ key: "shared.clock", serverClock: true });
  learner.set(token({ sub: "a", iat: serverNow(), exp: serverNow() + 600 }));
  check(Math.abs(learner.clockOffset - 3600) < 2, `learnt (${learner.clockOffset})`);
  check(Math.abs(watching.clockOffset - 3600) < 2, `shared with the page's stores (${watching.clockOffset})`);
  learner.free();

  // A tab opened later: a token read from storage teaches nothing, the record does.
  const opened = new TokenStore({ key: "shared.clock", serverClock: true });
  check(Math.abs(opened.clockOffset - 3600) < 2, `a new store starts with it (${opened.clockOffset})`);
  same(opened.isValid(), true, "and judges by the server's clock");
  const plain = new TokenStore({ key: "shared.clock" });
  same(plain.clockOffset, 0, "a store without serverClock keeps its own clock");

  // Another tab is told the time outright.
  const tab = otherTab();
  tab.window.localStorage.setItem("tokenstore:shared.clock:clock", JSON.stringify({ offset: 7200 }));
  tab.close();
  await until(() => Math.abs(watching.clockOffset - 7200) < 2, "the storage event carries it");
  // An hour further ahead, the ten-minute token is expired by the server's clock.
  await until(() => heard.includes("expired"), "the token expires by the server's clock");
  same(heard, ["a", "expired"], "judged by the shared offset");
  watching.free(); opened.free(); plain.free();

}

export async function a_login_after_a_logout_stays_when_the_clock_steps_back(TokenStore) {
  localStorage.clear();
  sessionStorage.clear();
  const realNow = Date.now;
  try {
    const tab = new TokenStore({ key: "stepped", backend: "session" });
    tab.set(later(3600, "before"));
    // A logout from another backend of the key, then the system clock steps back (NTP).
    const elsewhere = new TokenStore({ key: "stepped", backend: "local" });
    elsewhere.clear();
    same(tab.get(), null, "the logout reached the session copy");
    const stepped = realNow() - 5000;
    Date.now = () => stepped;
    tab.set(later(3600, "after"));
    tab.free(); elsewhere.free();
    // Reloaded: the new store reads the mark.
    const reloaded = new TokenStore({ key: "stepped", backend: "session" });
    same(reloaded.claims?.sub, "after", "the login after the logout stays");
    reloaded.free();
  } finally {
    Date.now = realNow;
  }

}
