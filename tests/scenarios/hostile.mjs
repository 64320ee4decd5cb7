// The scenarios of tests/hostile.rs, one exported function each, named after its test.
import { check, codeOf, isChromium, later, same, until } from "./prelude.mjs";

// `pollute(name, value, run)`: `Object.prototype[name] = value` (enumerable, as another library's
// bug leaves it) while `run` runs, removed afterwards whatever happens.
const pollute = async (name, value, run) => {
  Object.defineProperty(Object.prototype, name, { value, enumerable: true, configurable: true, writable: true });
  try { await run(); } finally { delete Object.prototype[name]; }
};

export async function options_are_read_from_own_properties_only(TokenStore) {
  localStorage.clear();
  const jwt = later(600, "own");
  // Wrong types would throw INVALID_OPTION if read; the others would change what the store does.
  const hostile = { backend: "memory", key: "evil", leeway: 1e6, expiringIn: "soon", fallback: "no",
    cookie: { domain: "evil.example", sameSite: "none" }, serverClock: "yes" };
  for (const [name, value] of Object.entries(hostile)) {
    await pollute(name, value, () => {
      for (const options of [undefined, {}, { backend: "local" }]) {
        const store = new TokenStore(options);
        same([store.backend, store.key, store.leeway], ["local", "tokenstore.jwt", 0], `${name} on the prototype`);
        store.set(jwt);
        same(localStorage.getItem("tokenstore.jwt"), jwt, `${name}: stored under the default key`);
        same(store.isValid(), true, `${name}: checked without the inherited leeway`);
        store.clear();
        store.free();
      }
    });
  }

}

export async function cookie_options_are_read_from_own_properties_only(TokenStore) {
  const jwt = later(600, "own");
  const hostile = { path: "/evil", domain: "evil.example", sameSite: "none", secure: "no" };
  // WebKit refuses Secure cookies on http://127.0.0.1: there the stores turn Secure off themselves.
  document.cookie = "own.probe=1; Path=/; Secure";
  const secureKept = document.cookie.split("; ").includes("own.probe=1");
  document.cookie = "own.probe=; Path=/; Max-Age=0; Secure";
  for (const [name, value] of Object.entries(hostile)) {
    await pollute(name, value, async () => {
      for (const cookie of secureKept ? [undefined, {}] : [{ secure: false }]) {
        const store = new TokenStore({ backend: "cookie", key: "own.ck", cookie, fallback: false });
        store.set(jwt);
        same([store.backend, store.get()], ["cookie", jwt], `${name} on the prototype`);
        check(document.cookie.split("; ").includes(`own.ck=${jwt}`), `${name}: the cookie is on this page`);
        if (isChromium) {
          const listed = await cookieStore.get("own.ck");
          same([listed.path, listed.domain, listed.sameSite, listed.secure], ["/", null, "strict", true],
            `${name}: the default attributes`);
        }
        store.clear();
        store.free();
      }
    });
  }

}

export async function handlers_are_read_from_own_properties_only(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "own.handlers" });
  const jwt = later(600, "own");
  store.set(jwt);
  const leaked = [];
  const spy = (...args) => leaked.push(args);
  for (const name of ["onLogin", "onLogout"]) {
    await pollute(name, spy, async () => {
      same(codeOf(() => store.autoLogin({})), "INVALID_ARGUMENT", `${name}: an empty handlers object`);
      const other = name === "onLogin" ? "onLogout" : "onLogin";
      const first = store.autoLogin({ [other]: () => {} });
      // Handlers run in the order they were given: once this one has run, the first has had its turn.
      let reported = 0;
      const second = store.autoLogin({ onLogin: () => reported++, onLogout: () => reported++ });
      await until(() => reported > 0, `${name}: the own handler runs`);
      store.clear();
      await until(() => reported > 1, `${name}: the own handler hears the logout`);
      store.set(jwt);
      await until(() => reported > 2, `${name}: and the login`);
      first.dispose();
      second.dispose();
    });
  }
  same(leaked, [], "no inherited handler was called");
  store.clear();
  store.free();

}

export async function refresh_options_are_read_from_own_properties_only(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "own.refresh" });
  const leaked = [];
  await pollute("refresh", (...args) => leaked.push(args), () => {
    same(codeOf(() => store.autoRefresh({})), "INVALID_ARGUMENT", "an inherited refresh is no refresh");
  });
  const hostile = { ahead: "soon", onStart: "yes", retry: 5, initial: "x", max: -1, timeout: -1 };
  for (const [name, value] of Object.entries(hostile)) {
    await pollute(name, value, async () => {
      const auto = store.autoRefresh({ refresh: async () => null, retry: {} });
      auto.dispose();
      same(await store.refresh(async () => null, {}), null, `${name}: refresh with options`);
    });
  }
  same(leaked, [], "the inherited refresh was never called");
  store.free();

}

export async function news_from_other_tabs_is_read_from_own_properties_only(TokenStore) {
  localStorage.clear();
  const key = "own.news";
  const memory = new TokenStore({ key, backend: "memory" });
  const jwt = later(600, "own");
  memory.set(jwt);
  const events = [];
  const hooks = memory.autoLogin({ onLogout: (reason) => events.push(reason) });
  const channel = new BroadcastChannel(`tokenstore:${key}`);
  // Made after the store's channel: a message reaches it after it reached the store's.
  const probe = new BroadcastChannel(`tokenstore:${key}`);
  await pollute("type", "logout", async () => {
    const heard = new Promise((done) => { probe.onmessage = done; });
    channel.postMessage({});
    await heard;
  });
  same([memory.get(), events], [jwt, []], "other code's message without a type of its own is no logout");
  probe.close();
  hooks.dispose();
  memory.free();
  channel.close();
  localStorage.clear();

}
