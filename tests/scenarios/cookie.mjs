// The scenarios of tests/cookie.rs, one exported function each, named after its test.
import { check, codeOf, isChromium, later, otherTab, same, sleep, token, until } from "./prelude.mjs";

// What every cookie scenario has besides the prelude: `cookies()` the page's cookies as
// name/value pairs, `ours(key)` the values named `key`, `wipe()` every cookie the page sees, and
// `listed(key)` `cookieStore.get(key)` (or `undefined` without the Cookie Store API), and `secure`
// the attribute a cookie on this page can have. WebKit refuses `Secure` cookies on
// http://127.0.0.1, which Chromium and Firefox take as a secure origin: there every store here
// defaults to `cookie: { secure: false }`, and the scenarios' own cookies go without `Secure`.
const secure = (() => {
  document.cookie = "ck.probe=1; Path=/; Secure";
  const kept = document.cookie.split("; ").includes("ck.probe=1");
  document.cookie = "ck.probe=; Path=/; Max-Age=0; Secure";
  return kept ? "; Secure" : "";
})();
const cookieDefaults = (options) => {
  const cookie = options?.cookie;
  if (secure || (cookie !== undefined && (typeof cookie !== "object" || cookie === null || Array.isArray(cookie)))) return options;
  return { ...options, cookie: { secure: false, ...cookie } };
};
const cookies = () => document.cookie === "" ? [] : document.cookie.split("; ").map((pair) => {
  const at = pair.indexOf("=");
  return at < 0 ? ["", pair] : [pair.slice(0, at), pair.slice(at + 1)];
});
const ours = (key) => cookies().filter(([name]) => name === key).map(([, value]) => value);
const wipe = async () => {
  if (globalThis.cookieStore) {
    for (const cookie of await cookieStore.getAll()) {
      // WebKit's cookieStore cannot name a nameless cookie; document.cookie below deletes it.
      if (cookie.name === "") continue;
      await cookieStore.delete({ name: cookie.name, path: cookie.path ?? "/", domain: cookie.domain ?? undefined });
    }
  }
  for (const [name, value] of cookies()) {
    const named = name === "" ? value : `${name}=`;
    for (const path of ["/", location.pathname.replace(/[^/]*$/, ""), location.pathname]) {
      document.cookie = `${named}; Path=${path}; Max-Age=0; Secure; SameSite=Strict`;
      document.cookie = `${named}; Path=${path}; Max-Age=0`;
    }
  }
  localStorage.clear(); sessionStorage.clear();
};
const listed = async (key) => globalThis.cookieStore ? await cookieStore.get(key) : undefined;
const isWebKit = navigator.userAgent.includes("AppleWebKit") && !isChromium;

/**
 * A scenario between two wipes, whose `TokenStore` defaults to `cookie: { secure: false }` where the
 * page refuses Secure cookies (`Store` is the class as it is).
 */
const scenario = (run) => async (Store) => {
  const TokenStore = new Proxy(Store, { construct: (target, [options]) => new target(cookieDefaults(options)) });
  await wipe();
  await run(TokenStore, Store);
  await wipe();
};

export const set_read_clear_with_the_default_attributes = scenario(async (TokenStore) => {
  const store = new TokenStore({ backend: "cookie", key: "ck.jwt" });
  same(store.backend, "cookie", "the backend");
  const jwt = later(120, "one");
  store.set(jwt);
  same(ours("ck.jwt"), [jwt], "document.cookie holds the token under the key");
  same(store.get(), jwt, "get");
  same(store.claims.sub, "one", "claims");
  same(localStorage.getItem("ck.jwt"), null, "not in localStorage");
  const cookie = await listed("ck.jwt");
  if (isChromium) {
    same([cookie.value, cookie.path, cookie.sameSite, cookie.secure, cookie.domain],
      [jwt, "/", "strict", true, null], "cookieStore.get: value, path, sameSite, secure, host-only");
    const exp = store.expiresAt() * 1000;
    check(cookie.expires >= exp && cookie.expires < exp + 2000, `expires ${cookie.expires} follows exp ${exp}`);
  } else if (cookie) {
    same(cookie.value, jwt, "cookieStore.get value");
  }
  store.clear();
  same(ours("ck.jwt"), [], "clear deletes the cookie");
  same(store.get(), null, "get after clear");
  same(await listed("ck.jwt") ?? null, null, "cookieStore no longer lists it");
});

export const max_age_follows_exp_and_the_leeway_and_no_exp_is_a_session_cookie = scenario(async (TokenStore) => {
  const store = new TokenStore({ backend: "cookie", key: "ck.age", leeway: 600 });
  const exp = Math.floor(Date.now() / 1000) + 3600;
  store.set(token({ sub: "a", exp }));
  if (isChromium) {
    const cookie = await listed("ck.age");
    const due = (exp + 600) * 1000;
    check(cookie.expires >= due - 1000 && cookie.expires <= due + 2000,
      `expires ${cookie.expires} is exp + leeway ${due}`);
  }
  store.set(token({ sub: "forever" }));
  same(store.claims.sub, "forever", "a token without exp is kept");
  if (isChromium) same((await listed("ck.age")).expires, null, "as a session cookie");
  // A refreshed token renews the cookie.
  store.set(token({ sub: "b", exp: exp + 7200 }));
  if (isChromium) {
    const cookie = await listed("ck.age");
    check(cookie.expires >= (exp + 7800) * 1000 - 1000, "the refreshed token's cookie lives longer");
  }
  // A token that has already expired is not kept: the browser would drop it at once.
  store.set(token({ sub: "old", exp: Date.now() / 1000 - 3600 }));
  same(ours("ck.age"), [], "no cookie for an expired token");
  same(store.get(), null, "and no token");
  same(store.backend, "cookie", "without a fallback");
});

export const the_browser_drops_the_cookie_at_expiry_and_the_store_calls_it_expired = scenario(async (TokenStore) => {
  const store = new TokenStore({ backend: "cookie", key: "ck.exp", expiringIn: 0 });
  const calls = [];
  store.on("expired", () => calls.push("expired event"));
  store.autoLogin({ onLogin: (t, c) => calls.push(`login ${c.sub}`), onLogout: (r) => calls.push(`logout ${r}`) });
  store.set(token({ sub: "short", exp: Date.now() / 1000 + 1.2 }));
  // Max-Age is whole seconds: the browser drops the cookie a little after the store's timer.
  await until(() => ours("ck.exp").length === 0 && calls.length >= 3, "the cookie's expiry", 6000);
  same(calls, ["login short", "logout expired", "expired event"], "told it expired, not that it was removed");
  check(["expired", "anonymous"].includes(store.getSnapshot().status), "the snapshot: expired, or gone once the store looks");
});

export const wrong_cookie_options_are_invalid_option = scenario(async (TokenStore) => {
  const bad = [
    { backend: "cookie", key: "has space" },
    { backend: "cookie", key: "a;b" },
    { backend: "cookie", key: "a=b" },
    { backend: "cookie", key: "é" },
    { backend: "cookie", cookie: { sameSite: "none", secure: false } },
    { backend: "cookie", cookie: { sameSite: "Strict" } },
    { cookie: "strict" },
    { cookie: { path: 5 } },
    { cookie: { path: "app" } },
    { cookie: { path: "/a;b" } },
    { cookie: { domain: "" } },
    { cookie: { domain: "a;b" } },
    { cookie: { secure: "yes" } },
    { cookie: [] },
  ];
  for (const options of bad) {
    same(codeOf(() => new TokenStore(options)), "INVALID_OPTION", JSON.stringify(options));
  }
  // A key that is not a cookie name is fine elsewhere, and refused by useBackend("cookie").
  const store = new TokenStore({ backend: "local", key: "not a cookie name" });
  const jwt = later(600, "stays");
  store.set(jwt);
  same(codeOf(() => store.useBackend("cookie")), "INVALID_OPTION", "useBackend with a bad name");
  same([store.backend, store.get(), localStorage.getItem("not a cookie name")], ["local", jwt, jwt], "the token stayed");
  same(new TokenStore({ backend: "cookie", cookie: { path: "/", sameSite: "lax", secure: true } }).backend, "cookie", "good options");
  same(new TokenStore({ backend: "memory", key: "a b" }).backend, "memory", "other backends take any key");
});

export const a_token_too_big_for_a_cookie_is_quota_exceeded_and_nothing_is_lost = scenario(async (TokenStore) => {
  const big = token({ sub: "big", exp: Date.now() / 1000 + 600, pad: "x".repeat(3000) });
  check(big.length > 3900 && big.length < 4096, `the token alone fits (${big.length} bytes)`);
  const strict = new TokenStore({ backend: "cookie", key: "ck.big", fallback: false });
  const small = later(600, "small");
  strict.set(small);
  same(codeOf(() => strict.set(big)), "QUOTA_EXCEEDED", "with fallback off");
  same([strict.backend, strict.get(), ours("ck.big")], ["cookie", small, [small]], "the old token stays");

  const store = new TokenStore({ backend: "cookie", key: "ck.big" });
  const fallbacks = [];
  store.on("fallback", (detail) => fallbacks.push(detail));
  store.set(big);
  same(fallbacks, [{ from: "cookie", to: "memory", reason: "QUOTA_EXCEEDED" }], "the fallback event");
  same([store.backend, store.get()], ["memory", big], "the whole token is kept, in memory");
  same(ours("ck.big"), [], "the older cookie is removed, not left to come back");
  // Moving it into a cookie fails the same way, and it stays where it is.
  same(codeOf(() => store.useBackend("cookie")), "QUOTA_EXCEEDED", "useBackend");
  same([store.backend, store.get()], ["memory", big], "still in memory");
});

export const a_cookie_the_browser_refuses_is_storage_unavailable = scenario(async (TokenStore) => {
  // A Domain the page is not on: the browser refuses the cookie, as it refuses any cookie when
  // cookies are blocked; the store finds out by reading it back.
  const options = { backend: "cookie", key: "ck.refused", cookie: { domain: "example.com" } };
  const strict = new TokenStore({ ...options, fallback: false });
  same(codeOf(() => strict.set(later(600, "a"))), "STORAGE_UNAVAILABLE", "with fallback off");
  same([strict.backend, strict.get()], ["cookie", null], "nothing stored");

  const store = new TokenStore(options);
  const fallbacks = [];
  store.on("fallback", (detail) => fallbacks.push(detail));
  const jwt = later(600, "b");
  store.set(jwt);
  same(fallbacks, [{ from: "cookie", to: "memory", reason: "STORAGE_UNAVAILABLE" }], "the fallback event");
  same([store.backend, store.get()], ["memory", jwt], "the token is in memory");
  same(codeOf(() => store.useBackend("cookie")), "STORAGE_UNAVAILABLE", "a move into the refused cookie");
  same([store.backend, store.get()], ["memory", jwt], "and the token stays");
  same(cookies(), [], "no cookie anywhere");
});

export const a_write_another_tab_undoes_at_once_is_no_refusal = scenario(async (TokenStore) => {
  // Another tab's clear() lands between this store's write and its read-back: the jar then looks as
  // it did before, as after a refused cookie, yet the browser took the write.
  const store = new TokenStore({ backend: "cookie", key: "ck.undone" });
  const fallbacks = [];
  store.on("fallback", (detail) => fallbacks.push(detail));
  const jwt = later(600, "undone");
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  Object.defineProperty(document, "cookie", {
    configurable: true,
    get() { return cookie.get.call(this); },
    set(text) {
      cookie.set.call(this, text);
      if (text.startsWith(`ck.undone=${jwt};`)) cookie.set.call(this, `ck.undone=; Path=/; Max-Age=0${secure}; SameSite=Strict`);
    },
  });
  try {
    store.set(jwt);
  } finally {
    delete document.cookie;
  }
  same(fallbacks, [], "no fallback");
  same([store.backend, store.get(), ours("ck.undone")], ["cookie", null, []], "on the cookie, which the other tab cleared");
  same(cookies().filter(([name]) => name.startsWith("ck.undone")), [], "nothing else left behind");
  store.set(jwt);
  same([store.backend, store.get(), ours("ck.undone")], ["cookie", jwt, [jwt]], "and the next write is stored");
});

export const where_secure_cookies_are_refused_the_default_cookie_falls_back_to_memory = scenario(async (TokenStore, Store) => {
  // WebKit on http: the default `Secure` cookie is refused like any other, and the store says so.
  if (secure) return;
  const store = new Store({ backend: "cookie", key: "ck.insecure" });
  const fallbacks = [];
  store.on("fallback", (detail) => fallbacks.push(detail));
  const jwt = later(600, "kept");
  store.set(jwt);
  same(fallbacks, [{ from: "cookie", to: "memory", reason: "STORAGE_UNAVAILABLE" }], "the fallback event");
  same([store.backend, store.get(), ours("ck.insecure")], ["memory", jwt, []], "in memory, no cookie");
});

export const use_backend_moves_the_token_to_and_from_every_backend = scenario(async (TokenStore) => {
  const store = new TokenStore({ backend: "local", key: "ck.move" });
  const jwt = later(600, "moving");
  store.set(jwt);
  const where = () => [localStorage.getItem("ck.move"), sessionStorage.getItem("ck.move"), ours("ck.move")[0] ?? null];
  const seen = [];
  store.subscribe((s) => seen.push(s.backend));
  for (const [backend, expected] of [
    ["cookie", [null, null, jwt]],
    ["session", [null, jwt, null]],
    ["cookie", [null, null, jwt]],
    ["memory", [null, null, null]],
    ["cookie", [null, null, jwt]],
    ["local", [jwt, null, null]],
  ]) {
    store.useBackend(backend);
    same([store.backend, store.get()], [backend, jwt], `on ${backend}`);
    same(where(), expected, `only ${backend} holds it`);
  }
  same(seen, ["local", "cookie", "session", "cookie", "memory", "cookie", "local"], "subscribers saw each move");
  // With no token, a stale cookie is cleared by the move.
  store.clear();
  document.cookie = `ck.move=${later(600, "stale")}; Path=/${secure}; SameSite=Strict`;
  store.useBackend("cookie");
  same([store.get(), ours("ck.move")], [null, []], "the stale cookie is gone");
});

export const other_cookies_are_never_touched_whatever_they_hold = scenario(async (TokenStore) => {
  const store = new TokenStore({ backend: "cookie", key: "ck.mine" });
  const jwt = later(600, "mine");
  // Hostile neighbours: `=` in values, spaces, unicode, quotes, a name that contains ours, a
  // nameless cookie, and our name with a value that is not a token.
  const others = [
    "eq=a=b=c", "sp=a b  c", "uni=Zoë 東京", "quoted=\"ck.mine=x.y.z\"", "ck.mine2=x.y.z",
    "xck.mine=a.b.c", "empty=", "=nameless", "ck.min=q.r.s",
  ];
  for (const cookie of others) document.cookie = `${cookie}; Path=/`;
  const before = cookies().filter(([name]) => name !== "ck.mine");
  same(store.get(), null, "none of them is the store's token");
  store.set(jwt);
  same(store.get(), jwt, "get amid hostile cookies");
  same(cookies().filter(([name]) => name !== "ck.mine"), before, "set left the others as they were");
  store.clear();
  same(cookies().filter(([name]) => name !== "ck.mine"), before, "clear left the others as they were");
  same(ours("ck.mine"), [], "and removed only the store's");
});

export const another_tab_logs_in_and_out_through_the_cookie = scenario(async (TokenStore) => {
  const store = new TokenStore({ backend: "cookie", key: "ck.tab" });
  const calls = [];
  store.autoLogin({ onLogin: (t, c) => calls.push(`login ${c.sub}`), onLogout: (r) => calls.push(`logout ${r}`) });
  const tab = otherTab();
  const jwt = later(600, "there");
  tab.window.document.cookie = `ck.tab=${jwt}; Path=/; Max-Age=600${secure}; SameSite=Strict`;
  for (let i = 0; i < 40 && calls.length < 1; i++) await sleep(25);
  same(calls, ["login there"], "a login in the other tab reaches this one");
  tab.window.document.cookie = `ck.tab=; Path=/; Max-Age=0${secure}; SameSite=Strict`;
  for (let i = 0; i < 40 && calls.length < 2; i++) await sleep(25);
  same(calls, ["login there", "logout removed"], "and so does a logout");
  tab.close();
  store.free();
});

export const without_the_cookie_store_api_a_token_free_broadcast_and_visibility_carry_changes = scenario(async (TokenStore) => {
  // A browser without cookieStore, as far as the store can tell.
  const saved = Object.getOwnPropertyDescriptor(globalThis, "cookieStore");
  Object.defineProperty(globalThis, "cookieStore", { value: undefined, configurable: true });
  try {
    const store = new TokenStore({ backend: "cookie", key: "ck.bc" });
    const calls = [];
    store.autoLogin({ onLogin: (t, c) => calls.push(`login ${c.sub}`), onLogout: (r) => calls.push(`logout ${r}`) });
    const tab = otherTab();
    const heard = [];
    const listener = new tab.window.BroadcastChannel("tokenstore:ck.bc");
    listener.onmessage = (event) => heard.push(event.data);
    // This page's set() tells other tabs that the cookie changed, without saying what it holds.
    const mine = later(600, "here");
    store.set(mine);
    await until(() => heard.length >= 1, "a message");
    same(heard.length, 1, "one message");
    same([heard[0].type, heard[0].backend], ["change", "cookie"], "a change on the cookie backend");
    check(!JSON.stringify(heard[0]).includes(mine.split(".")[1]), "no token material");
    listener.close();

    // Another tab's login, announced on the channel.
    const jwt = later(600, "there");
    tab.window.document.cookie = `ck.bc=${jwt}; Path=/; Max-Age=600${secure}; SameSite=Strict`;
    // The message follows the write; this page's view of the jar may lag a frame's write a moment.
    await until(() => document.cookie.includes(jwt), "this page sees the other tab's cookie");
    const channel = new tab.window.BroadcastChannel("tokenstore:ck.bc");
    channel.postMessage({ type: "change", page: 0.5, backend: "cookie" });
    await until(() => calls.length >= 2, "the broadcast makes the store look");
    same(calls, ["login here", "login there"], "the broadcast makes the store look");
    channel.close();

    // A change nobody announced is seen when the page becomes visible again.
    tab.window.document.cookie = `ck.bc=; Path=/; Max-Age=0${secure}; SameSite=Strict`;
    await sleep(100);
    same(calls.length, 2, "nothing yet");
    document.dispatchEvent(new Event("visibilitychange"));
    same(calls, ["login here", "login there", "logout removed"], "visibility rechecks");
    tab.close();
    store.free();
  } finally {
    if (saved) Object.defineProperty(globalThis, "cookieStore", saved); else delete globalThis.cookieStore;
  }
});

export const a_logout_in_another_tab_reaches_cookie_stores = scenario(async (TokenStore) => {
  const store = new TokenStore({ backend: "cookie", key: "ck.out" });
  const calls = [];
  store.autoLogin({ onLogin: (t, c) => calls.push(`login ${c.sub}`), onLogout: (r) => calls.push(`logout ${r}`) });
  store.set(later(600, "here"));
  const tab = otherTab();
  // The other tab's clear(): its cookie delete and its logout message.
  tab.window.document.cookie = `ck.out=; Path=/; Max-Age=0${secure}; SameSite=Strict`;
  const channel = new tab.window.BroadcastChannel("tokenstore:ck.out");
  channel.postMessage({ type: "logout", at: Date.now(), page: 0.5, backend: "cookie" });
  for (let i = 0; i < 40 && calls.length < 2; i++) await sleep(25);
  // A known WebKit difference: there a cookie another document deletes can still show in this
  // document's document.cookie when cookieStore reports the change, and nothing makes the store
  // look again. Chromium and Firefox are checked.
  if (!isWebKit) same(calls, ["login here", "logout removed"], "logged out once");
  channel.close();
  tab.close();
  store.free();
});

export const stores_snapshots_events_and_auto_login_behave_as_for_local = scenario(async (TokenStore) => {
  const run = async (backend) => {
    await wipe();
    const a = new TokenStore({ backend, key: "ck.peer", expiringIn: 0 });
    const b = new TokenStore({ backend, key: "ck.peer", expiringIn: 0 });
    const seen = [];
    b.subscribe((s) => seen.push(`${s.status} ${s.claims?.sub ?? "-"}`));
    b.autoLogin({ onLogin: (t, c) => seen.push(`login ${c.sub}`), onLogout: (r) => seen.push(`logout ${r}`) });
    b.on("expired", (s) => seen.push(`expired event ${s.status}`));
    a.set(later(600, "one"));
    a.set(later(600, "two"));
    same(b.getSnapshot(), b.getSnapshot(), `${backend}: one snapshot until a change`);
    a.clear();
    // Half a second more than a whole number of seconds: Max-Age, rounded up, then outlives the
    // token by half a second, so the store's timer sees the expired cookie in both backends.
    b.set(later(1.5, "short"));
    await until(() => seen.includes("expired short"), "the short token's expiry");
    b.clear();
    await until(() => seen.at(-1) === "anonymous -", "the logout");
    a.free(); b.free();
    return seen;
  };
  const local = await run("local");
  const cookie = await run("cookie");
  if (isWebKit) {
    // A known WebKit difference: a cookie store there can hear an older token again, read
    // through document.cookie after a cookieStore change event; it ends where local does.
    same(cookie.slice(-4), local.slice(-4), "a second store on the cookie ends as on localStorage");
  } else {
    same(cookie, local, "a second store on the cookie hears what it would on localStorage");
  }
});

export const a_document_cookie_that_is_not_a_string_is_storage_unavailable = scenario(async (TokenStore) => {
  // A page (or a shim) whose document.cookie getter answers something other than a string: the
  // store says so, or falls back to memory, and returns (it once hung in set()).
  const own = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  const answering = (answer) => Object.defineProperty(document, "cookie", {
    configurable: true,
    get: () => answer,
    set: (text) => own.set.call(document, text),
  });
  const unavailable = (run, what) => {
    let error;
    try { run(); } catch (e) { error = e; }
    same([error?.code, error?.message], ["STORAGE_UNAVAILABLE", "storage unavailable: document.cookie is not a string"], what);
  };
  for (const [what, answer] of [["0", 0], ["true", true], ["10n", 10n], ["an object", { length: 3 }],
      ["undefined", undefined], ["null", null], ["a String object", new String("k=v")]]) {
    const strict = new TokenStore({ backend: "cookie", key: "ck.odd", fallback: false });
    const lenient = new TokenStore({ backend: "cookie", key: "ck.odd" });
    answering(answer);
    try {
      unavailable(() => new TokenStore({ backend: "cookie", key: "ck.odd", fallback: false }), `a new store, ${what}`);
      unavailable(() => strict.set(later(600, "a")), `set with fallback off, ${what}`);
      const jwt = later(600, "b");
      lenient.set(jwt);
      same([lenient.backend, lenient.get()], ["memory", jwt], `set falls back to memory, ${what}`);
      const late = new TokenStore({ backend: "cookie", key: "ck.odd" });
      same(late.backend, "memory", `a new store falls back at once, ${what}`);
      late.set(jwt);
      same(late.get(), jwt, `and keeps the token, ${what}`);
      lenient.clear();
    } finally {
      delete document.cookie;
    }
    same(ours("ck.odd"), [], `no cookie left, ${what}`);
    strict.free(); lenient.free();
  }
});
