// The scenarios of tests/refresh.rs, one exported function each, named after its test.
import { check, later, otherTab, same, sleep, sub, token, until } from "./prelude.mjs";

export async function concurrent_refreshes_share_one_promise_and_one_fetch(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "single" });
  const other = new TokenStore({ key: "single" });
  store.set(later(30, "old"));
  const fresh = later(3600, "new");
  const calls = [];
  const fetchToken = async (current, signal) => {
    calls.push([sub({ claims: JSON.parse(atob(current.split(".")[1])) }), signal instanceof AbortSignal]);
    await sleep(50);
    return fresh;
  };
  const refreshed = [];
  store.on("refresh", (s) => refreshed.push(sub(s)));
  const [a, b, c] = [store.refresh(fetchToken), store.refresh(fetchToken), other.refresh(fetchToken)];
  same(await Promise.all([a, b, c]), [fresh, fresh, fresh], "every caller gets the new token");
  same(calls, [["old", true]], "one call of fetchToken, with the token it replaces and a signal");
  same(store.claims?.sub, "new", "stored");
  same(other.claims?.sub, "new", "and seen by the page's other store");
  same(refreshed, ["new"], "one refresh event");
  const third = await store.refresh(async () => later(3600, "third"));
  same(third, store.get(), "a later refresh is a new flight");
  same(store.claims?.sub, "third", "which fetched again");
  store.free(); other.free();

}

export async function a_token_stored_by_another_tab_while_waiting_for_the_lock_is_adopted(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "adopt" });
  store.set(later(10, "old"));
  const refreshed = [];
  store.on("refresh", (s) => refreshed.push(sub(s)));
  let release;
  // The other tab holds the lock while it refreshes.
  const held = new Promise((granted) => navigator.locks.request("tokenstore:adopt:refresh",
    () => { granted(); return new Promise((r) => { release = r; }); }));
  await held;
  let called = 0;
  const pending = store.refresh(async () => { called++; return later(3600, "mine"); });
  await sleep(50);
  same(called, 0, "nothing is fetched while another tab holds the lock");
  const tab = otherTab();
  tab.window.localStorage.setItem("adopt", later(3600, "theirs"));
  release();
  const token = await pending;
  tab.close();
  same(called, 0, "the token the other tab stored was adopted, not fetched again");
  same(token, store.get(), "refresh() resolves with it");
  same(store.claims?.sub, "theirs", "the store holds it");
  same(refreshed, ["theirs"], "and says it refreshed");
  same((await navigator.locks.query()).held.length, 0, "no lock is left held");
  store.free();

}

export async function null_ends_the_session_with_refresh_failed(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "null" });
  store.set(later(10, "old"));
  const heard = [];
  store.autoLogin({ onLogin: (t, c) => heard.push(c.sub), onLogout: (r) => heard.push(r) });
  same(await store.refresh(async () => null), null, "resolves with null");
  same(store.get(), null, "the token is cleared");
  same(localStorage.getItem("null"), null, "from the storage too");
  same(heard, ["old", "refreshFailed"], "hooks hear the new reason");
  store.free();
  // A silent login that finds no session ends nothing: a logout would reach every copy.
  sessionStorage.clear();
  const kept = new TokenStore({ key: "null.kept", backend: "session" });
  kept.set(later(3600, "kept"));
  const empty = new TokenStore({ key: "null.kept", backend: "memory" });
  same(await empty.refresh(async () => null), null, "no session found");
  same(kept.claims?.sub, "kept", "the other backend's token stays");
  kept.free(); empty.free();

}

export async function a_rejection_or_a_malformed_answer_keeps_the_token_and_reports_it(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "reject" });
  const old = later(10, "old");
  store.set(old);
  const errors = [];
  store.on("refreshError", (d) => errors.push([d.error?.message ?? d.error?.code, d.attempt, d.retryIn]));
  const offline = new Error("offline");
  let thrown = null;
  try { await store.refresh(() => Promise.reject(offline)); } catch (e) { thrown = e; }
  same(thrown === offline, true, "refresh() rejects with the app's error");
  same(store.get(), old, "the token stays");
  try { await store.refresh(async () => "not a token"); } catch (e) { thrown = e; }
  same([thrown.name, thrown.code], ["TokenError", "INVALID_TOKEN"], "a malformed answer rejects with a TokenError");
  same(store.get(), old, "the token still stays");
  try { await store.refresh(async () => 42); } catch (e) { thrown = e; }
  same(thrown.code, "INVALID_TOKEN", "so does an answer that is not a string or null");
  same(errors.map((e) => e[2]), [null, null, null], "with nothing retrying, retryIn is null");
  same(errors[0], ["offline", 1, null], "the detail carries the error and the attempt");
  store.free();

}

export async function auto_refresh_retries_with_backoff_then_recovers(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "backoff", backend: "memory" });
  store.set(later(0.5, "old"));
  let calls = 0;
  const errors = [];
  store.on("refreshError", (d) => errors.push(d));
  const refreshed = [];
  store.on("refresh", (s) => refreshed.push(sub(s)));
  const auto = store.autoRefresh({
    ahead: 1,
    retry: { initial: 0.05, max: 0.1 },
    refresh: async () => { calls++; if (calls < 4) throw new Error("down"); return later(3600, "new"); },
  });
  await until(() => refreshed.length > 0, "the recovery");
  same(calls, 4, "three failures, then the call that worked");
  same(errors.map((e) => e.attempt), [1, 2, 3], "attempts count up");
  check(errors.every((e) => e.retryIn >= 0.025 && e.retryIn <= 0.1), "retryIn stays within the backoff");
  same(refreshed, ["new"], "then it recovers");
  same(store.claims?.sub, "new", "with the new token");
  auto.dispose();
  store.free();
  // The flight keeps the lock a moment after storing: let it go before the next scenario.
  for (let i = 0; i < 100 && (await navigator.locks.query()).held.length > 0; i++) await sleep(10);

}

export async function going_online_retries_at_once(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "online", backend: "memory" });
  store.set(later(0.2, "old"));
  let calls = 0;
  const auto = store.autoRefresh({
    ahead: 1,
    retry: { initial: 30, max: 60 },
    refresh: async () => { calls++; if (calls === 1) throw new Error("offline"); return later(3600, "new"); },
  });
  await sleep(100);
  same(calls, 1, "the first attempt failed and waits at least 15 s");
  dispatchEvent(new Event("online"));
  await sleep(100);
  same(calls, 2, "online retries at once");
  same(store.claims?.sub, "new", "and recovers");
  auto.dispose();
  store.free();

}

export async function the_lock_is_held_only_within_its_time_limit(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "limit" });
  store.set(later(10, "old"));
  let signal;
  const started = Date.now();
  let thrown;
  try {
    await store.refresh((current, s) => { signal = s; return new Promise(() => {}); }, { timeout: 0.15 });
  } catch (e) { thrown = e; }
  const took = Date.now() - started;
  check(took >= 140 && took < 1000, `gave up after the time limit (${took} ms)`);
  same(signal.aborted, true, "the signal was aborted");
  same([thrown?.name, thrown?.code], ["TokenError", "ABORTED"], "refresh() rejects with a TokenError");
  same(signal.reason?.name, "TimeoutError", "fetchToken's signal says why, as AbortSignal.timeout does");
  same((await navigator.locks.query()).held.length, 0, "the lock is free for other tabs");
  same(await store.refresh(async () => later(3600, "next")) !== null, true, "the next refresh runs");
  store.free();

}

export async function a_clear_while_fetching_drops_the_answer(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "superseded" });
  store.set(later(10, "old"));
  const pending = store.refresh(async () => { await sleep(50); return later(3600, "late"); });
  await sleep(10);
  store.clear();
  same(await pending, null, "resolves with what the store holds");
  same(store.get(), null, "a logout during the request is not undone by its answer");
  store.free();

}

export async function strict_mode_mount_unmount_mount_fetches_once(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "strict", backend: "memory" });
  let calls = 0;
  const refresh = async () => { calls++; await sleep(20); return later(3600, "silent"); };
  const heard = [];
  store.autoLogin({ onLogin: (t, c) => heard.push(c.sub) });
  const first = store.autoRefresh({ refresh });
  first.dispose();
  const second = store.autoRefresh({ refresh });
  await until(() => heard.length > 0, "the silent login");
  same(calls, 1, "one fetchToken for the window");
  same(heard, ["silent"], "the silent login logged in");
  second[Symbol.dispose]?.();
  second.free();
  store.free();

}

export async function auto_refresh_runs_ahead_of_expiry_and_not_on_start_when_logged_in(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "ahead" });
  const exp = Date.now() + 1300;
  store.set(later(1.3, "old"));
  const calls = [];
  const auto = store.autoRefresh({ ahead: 1, onStart: false, refresh: async (current) => {
    calls.push(Date.now()); return later(3600, "new");
  } });
  await until(() => store.claims?.sub === "new", "the refresh ahead of exp");
  same(calls.length, 1, "one refresh");
  check(calls[0] >= exp - 1000, `a second before exp, not at start (${exp - calls[0]} ms before)`);
  auto.dispose();
  const none = new TokenStore({ key: "ahead.none", backend: "memory" });
  let called = 0;
  const off = none.autoRefresh({ onStart: false, refresh: async () => { called++; return null; } });
  await sleep(50);
  same(called, 0, "onStart: false does not log in silently");
  off.dispose();
  store.free(); none.free();

}

export async function the_server_clock_keeps_a_fast_laptop_logged_in(TokenStore) {
  localStorage.clear();
  // The server's clock is ten minutes behind this one: its five-minute token looks expired here.
  const serverNow = Date.now() / 1000 - 600;
  const issued = token({ sub: "fast", iat: serverNow, exp: serverNow + 300 });
  const plain = new TokenStore({ key: "clock.plain" });
  plain.set(issued);
  same([plain.isValid(), plain.clockOffset], [false, 0], "without the option, nothing changes");
  const store = new TokenStore({ key: "clock", serverClock: true });
  store.set(issued);
  check(Math.abs(store.clockOffset + 600) < 2, `learnt the offset (${store.clockOffset})`);
  same([store.isValid(), store.getSnapshot().status], [true, "authenticated"], "stays logged in");
  check(store.authorizationHeader() !== null, "and sends the token");
  const reader = new TokenStore({ key: "clock.reader", serverClock: true });
  reader.set(issued);
  reader.setServerTime(Date.now() / 1000 + 3);
  check(Math.abs(reader.clockOffset - 3) < 0.5, "setServerTime sets it outright, even when small");
  const small = new TokenStore({ key: "clock.small", serverClock: true });
  small.set(token({ iat: Date.now() / 1000 - 2, exp: Date.now() / 1000 + 300 }));
  same(small.clockOffset, 0, "a few seconds are the network, not the clock");
  let thrown;
  try { reader.setServerTime(NaN); } catch (e) { thrown = e; }
  same(thrown?.code, "INVALID_ARGUMENT", "a bad time is a TokenError");
  plain.free(); store.free(); reader.free(); small.free();

}

export async function wrong_arguments_are_token_errors(TokenStore) {
  const store = new TokenStore({ key: "args" });
  const codes = [];
  for (const call of [
    () => store.refresh("nope"),
    () => store.autoRefresh({}),
    () => store.autoRefresh({ refresh: () => null, retry: { initial: 5, max: 1 } }),
    () => store.autoRefresh({ refresh: () => null, ahead: -1 }),
    () => new TokenStore({ serverClock: "yes" }),
  ]) {
    try { await call(); codes.push("none"); } catch (e) { codes.push(e.code); }
  }
  same(codes, ["INVALID_ARGUMENT", "INVALID_ARGUMENT", "INVALID_OPTION", "INVALID_OPTION", "INVALID_OPTION"], "codes");
  store.free();

}
