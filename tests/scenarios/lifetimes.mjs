// The scenarios of tests/lifetimes.rs, one exported function each, named after its test.
import { check, collect, isChromium, later, otherTab, same, sleep, sub, token, until } from "./prelude.mjs";

export async function an_account_switch_keeps_the_new_token(TokenStore) {
  for (const backend of ["local", "session", "memory"]) {
    localStorage.clear(); sessionStorage.clear();
    const store = new TokenStore({ key: "switch", backend });
    const seen = [];
    store.subscribe((s) => seen.push(sub(s)));
    store.set(later(3600, "one"));
    store.clear();
    store.set(later(3600, "two"));
    await sleep(150);
    same(store.claims?.sub, "two", `${backend}: the store keeps the new account`);
    same(seen.at(-1), "two", `${backend}: subscribers end on the new account`);
    same(seen, ["anonymous", "one", "anonymous", "two"], `${backend}: every state once, in order`);
    store.free();
  }

}

export async function a_logout_in_another_tab_never_removes_a_token_written_after_it(TokenStore) {
  localStorage.clear();
  const here = new TokenStore({ key: "race" });
  const logins = [];
  here.autoLogin({ onLogin: (t, c) => logins.push(c.sub), onLogout: (r) => logins.push(r) });
  const tab = otherTab();
  // The other tab logs out, then logs in as someone else at once: its channel message reaches
  // this page after the new token is already in the shared storage.
  tab.window.localStorage.setItem("race", later(3600, "one"));
  await until(() => logins.includes("one"), "the first login");
  const channel = new tab.window.BroadcastChannel("tokenstore:race");
  tab.window.localStorage.removeItem("race");
  channel.postMessage({ type: "logout", at: Date.now(), page: 0.5, backend: "local" });
  tab.window.localStorage.setItem("race", later(3600, "two"));
  await sleep(150);
  channel.close();
  tab.close();
  same(localStorage.getItem("race") !== null, true, "the new token is still stored");
  same(here.claims?.sub, "two", "this tab follows the new login");
  same(logins.at(-1), "two", "the last thing the app heard is the new login");
  here.free();

}

export async function a_store_with_listeners_outlives_every_reference_to_it(TokenStore) {
  localStorage.clear();
  const heard = [];
  (() => {
    // The README's static page: nothing keeps `store` or the handle.
    const store = new TokenStore({ key: "gc.store" });
    store.autoLogin({ onLogin: (t, c) => heard.push(c.sub), onLogout: (r) => heard.push(r) });
    store.subscribe((s) => heard.push(`snapshot ${sub(s)}`));
  })();
  await collect();
  const tab = otherTab();
  tab.window.localStorage.setItem("gc.store", later(3600, "ana"));
  await until(() => heard.includes("snapshot ana"), "the login");
  tab.window.localStorage.removeItem("gc.store");
  await until(() => heard.at(-1) === "snapshot anonymous", "the logout");
  tab.close();
  same(heard, ["snapshot anonymous", "ana", "snapshot ana", "removed", "snapshot anonymous"],
    "the hooks kept working after a garbage collection");
  if (isChromium) check(typeof gc === "function", "the Chromium runner exposes gc()");

}

export async function a_discarded_auto_login_handle_never_stops_its_hook(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "gc.handle" });
  const heard = [];
  store.autoLogin({ onLogin: (t, c) => heard.push(c.sub) });
  await collect();
  const tab = otherTab();
  tab.window.localStorage.setItem("gc.handle", later(3600, "bo"));
  await until(() => heard.length > 0, "the login");
  tab.close();
  same(heard, ["bo"], "the hook outlived its handle");
  store.free();

}

export async function free_and_dispose_end_what_they_started(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "gc.free" });
  const heard = [];
  const hook = store.autoLogin({ onLogin: (t, c) => heard.push(`hook ${c.sub}`) });
  const off = store.on("change", (s) => heard.push(`change ${sub(s)}`));
  store.set(later(3600, "a"));
  hook.free(); // free() on a handle means dispose()
  hook.dispose();
  hook[Symbol.dispose]?.();
  store.set(later(3600, "b"));
  off();
  off();
  store.set(later(3600, "c"));
  same(heard, ["hook a", "change a", "change b"], "each listener stopped when told");
  const other = new TokenStore({ key: "gc.free" });
  other.subscribe(() => heard.push("other"));
  other.free();
  other.free();
  const tab = otherTab();
  tab.window.localStorage.setItem("gc.free", later(3600, "d"));
  await sleep(100);
  tab.close();
  same(heard.filter((h) => h === "other").length, 1, "nothing reaches a freed store");
  store.free();

}

export async function subscribers_hear_nested_updates_in_order_and_end_on_the_latest(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "nested" });
  const [one, two] = [later(3600, "one"), later(3600, "two")];
  const log = { a: [], b: [], c: [] };
  store.subscribe((s) => {
    log.a.push(sub(s));
    if (s.token === one) {
      store.set(two);
      same(sub(store.getSnapshot()), "two", "getSnapshot inside a handler is the latest");
    }
  });
  store.subscribe((s) => log.b.push(sub(s)));
  store.subscribe((s) => log.c.push(sub(s)));
  store.set(one);
  same(log.b, ["anonymous", "one", "two"], "B hears one, then two");
  same(log.c, ["anonymous", "one", "two"], "C hears one, then two");
  same(sub(store.getSnapshot()), "two", "the store ends on two");
  same(store.get(), two, "and holds it");
  store.free();

}

export async function a_clear_inside_a_change_handler_leaves_everyone_anonymous(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "nested.clear" });
  const last = [];
  store.on("change", (s) => { if (s.status === "authenticated") store.clear(); });
  store.subscribe((s) => last.push(s.status));
  store.set(later(3600, "x"));
  same(last.at(-1), "anonymous", "the subscriber ends anonymous");
  same(store.getSnapshot().status, "anonymous", "as does the store");
  store.free();

}

export async function two_hooks_hear_logins_in_the_order_they_happened(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "nested.hooks" });
  const [one, two] = [later(3600, "one"), later(3600, "two")];
  const log = [];
  store.autoLogin({ onLogin: (t, c) => { log.push(`1 ${c.sub}`); if (t === one) store.set(two); } });
  store.autoLogin({ onLogin: (t, c) => log.push(`2 ${c.sub}`) });
  store.set(one);
  same(log, ["1 one", "2 one", "1 two", "2 two"], "every hook hears both logins, in order");
  store.free();

}

export async function use_backend_inside_a_subscriber_and_removal_during_a_dispatch(TokenStore) {
  localStorage.clear(); sessionStorage.clear();
  const store = new TokenStore({ key: "nested.move" });
  const seen = [];
  let offB;
  store.subscribe((s) => {
    seen.push(`A ${s.backend} ${sub(s)}`);
    if (s.backend === "local" && s.status === "authenticated") {
      offB();
      store.useBackend("session");
    }
  });
  offB = store.subscribe((s) => seen.push(`B ${s.backend} ${sub(s)}`));
  store.set(later(3600, "m"));
  same(seen, ["A local anonymous", "B local anonymous", "A local m", "A session m"],
    "B, removed during the dispatch, is not called again; A ends on session");
  same(store.getSnapshot().backend, "session", "the store is on session");
  same(localStorage.getItem("nested.move"), null, "the token moved");
  store.free();

}

export async function stores_on_one_key_and_backend_see_each_other(TokenStore) {
  for (const backend of ["local", "session", "memory"]) {
    localStorage.clear(); sessionStorage.clear();
    const a = new TokenStore({ key: "pair", backend });
    const b = new TokenStore({ key: "pair", backend });
    const heard = [];
    b.on("change", (s) => heard.push(`change ${sub(s)}`));
    b.autoLogin({ onLogin: (t, c) => heard.push(`login ${c.sub}`), onLogout: (r) => heard.push(r) });
    a.set(later(3600, "p"));
    same(sub(b.getSnapshot()), "p", `${backend}: b's snapshot follows a`);
    a.clear();
    same(b.getSnapshot().status, "anonymous", `${backend}: and its logout`);
    same(heard, ["login p", "change p", "removed", "change anonymous"], `${backend}: b's events and hooks`);
    a.free(); b.free();
  }

}

export async function storage_shims_that_dispatch_synchronous_events_do_not_trap(TokenStore) {
  localStorage.clear();
  const { setItem, removeItem } = Storage.prototype;
  const announce = (key) => window.dispatchEvent(new StorageEvent("storage", { key, storageArea: localStorage }));
  Storage.prototype.setItem = function (key, value) { setItem.call(this, key, value); announce(key); };
  Storage.prototype.removeItem = function (key) { removeItem.call(this, key); announce(key); };
  try {
    const store = new TokenStore({ key: "shim" });
    const seen = [];
    store.subscribe((s) => seen.push(sub(s)));
    // A storage listener of the app's own that reads the store mid-write.
    const reads = [];
    const onStorage = () => reads.push(store.get() === null ? "none" : "some");
    window.addEventListener("storage", onStorage);
    for (let i = 0; i < 3; i++) {
      store.set(later(3600, `s${i}`));
      store.clear();
    }
    store.set(later(3600, "last"));
    window.removeEventListener("storage", onStorage);
    same(sub(store.getSnapshot()), "last", "the store ends on the last token");
    same(seen.at(-1), "last", "and so does its subscriber");
    check(reads.length > 0, "the app's storage listener ran");
    store.free();
    let threw = null;
    try { store.get(); } catch (error) { threw = error.code; }
    same(threw, "FREED", "free() still works and ends the store");
  } finally {
    Object.assign(Storage.prototype, { setItem, removeItem });
  }

}

export async function every_throw_is_a_token_error(TokenStore) {
  const code = (action) => {
    try { action(); } catch (error) {
      check(error instanceof Error && error.name === "TokenError", `a TokenError: ${error}`);
      return error.code;
    }
    return "no error";
  };
  const store = new TokenStore({ key: "errors" });
  const hook = store.autoLogin({ onLogout() {} });
  const { subscribe, getSnapshot } = store;
  check(store.subscribe === subscribe && store.getSnapshot === getSnapshot, "the same functions on every read");
  check(store.getServerSnapshot === store.getServerSnapshot, "the same getServerSnapshot on every read");
  store.free();
  for (const [what, action] of [
    ["get", () => store.get()], ["set", () => store.set(later(60, "x"))], ["clear", () => store.clear()],
    ["claims", () => store.claims], ["isValid", () => store.isValid()], ["backend", () => store.backend],
    ["on", () => store.on("change", () => {})], ["subscribe", () => subscribe(() => {})],
    ["autoLogin", () => store.autoLogin({ onLogin() {} })], ["useBackend", () => store.useBackend("memory")],
  ]) same(code(action), "FREED", `${what} after free()`);
  same(code(() => store.free()), "no error", "free() twice");
  same(code(() => hook.dispose()), "no error", "dispose() after the store's free()");
  same(code(() => { hook.free(); hook.dispose(); }), "no error", "dispose() after the handle's free()");
  const snapshot = getSnapshot();
  same(snapshot.status, "anonymous", "getSnapshot() after free() is anonymous");
  check(Object.isFrozen(snapshot) && getSnapshot() === snapshot, "frozen, and the same object");

  const revoked = () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; };
  same(code(() => new TokenStore(revoked())), "INVALID_OPTION", "options as a revoked Proxy");
  const live = new TokenStore({ key: "errors.proxy" });
  same(code(() => live.autoLogin(revoked())), "INVALID_ARGUMENT", "handlers as a revoked Proxy");
  same(code(() => live.subscribe(revoked())), "INVALID_ARGUMENT", "a revoked Proxy as a handler");
  same(code(() => live.free()), "no error", "free() after those");

  const inside = new TokenStore({ key: "errors.inside" });
  const calls = [];
  let firstCalls = 0;
  inside.subscribe(() => { calls.push("first"); if (++firstCalls === 2) inside.free(); });
  inside.subscribe(() => calls.push("second"));
  inside.set(later(60, "y"));
  same(calls, ["first", "second", "first"], "free() inside a handler stops the dispatch, safely");

}

export async function expiring_in_zero_fires_at_exp_just_before_expired(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "expiring.zero", expiringIn: 0 });
  const heard = [];
  store.on("expiring", () => heard.push("expiring"));
  store.on("expired", () => heard.push("expired"));
  const exp = Date.now() + 300;
  store.set(later(0.3, "z"));
  same(heard, [], "nothing before exp");
  await until(() => heard.length >= 2, "the expiry");
  check(Date.now() >= exp, "not before exp");
  same(heard, ["expiring", "expired"], "at exp: expiring, then expired");
  store.set(token({ sub: "old", exp: Date.now() / 1000 - 10 }));
  same(heard, ["expiring", "expired", "expired"], "a token already expired was never expiring");
  store.free();

}
