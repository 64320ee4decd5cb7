// The JS side of tests/rust_api.rs: a JS store and another tab beside a Rust store, one exported
// function per step, named after what it does.
import { otherTab, same, token, until } from "./prelude.mjs";

export async function js_store_reads_and_writes_the_rust_key(TokenStore, jwt) {
  const store = new TokenStore({ key: "rs.shared" });
  same(store.get(), jwt, "the token Rust set");
  same(store.claims.name, "Zoë", "its claims");
  store.set(token({ sub: "ann", name: "Ann", roles: [], exp: Date.now() / 1000 + 600 }));
  store.clear();
  store.free();
}

export async function other_tab_logs_in(TokenStore, theirs) {
  globalThis.rustTab = otherTab();
  // A document hears of the others' storage writes, not of its own.
  globalThis.rustTabHeard = [];
  rustTab.window.addEventListener("storage", (event) => {
    if (event.key === "rs.tab") rustTabHeard.push(event.newValue);
  });
  rustTab.window.localStorage.setItem("rs.tab", theirs);
}

export async function other_tab_logs_out() {
  rustTab.window.localStorage.removeItem("rs.tab");
}

export async function other_tab_saw_the_rust_store(TokenStore, mine) {
  await until(() => rustTabHeard.length >= 2, "this page's writes in the other tab");
  same(rustTabHeard, [mine, null], "what the other tab saw");
  rustTab.close();
}

export async function js_refresh_joins_the_rust_one(TokenStore, fresh) {
  const store = new TokenStore({ key: "rs.flight" });
  let called = 0;
  const joined = store.refresh(async () => {
    called++;
    return null;
  });
  openRustFetch();
  same(await joined, fresh, "the JS refresh joined the Rust one, and ended with its token");
  same(called, 0, "no JS fetch");
  store.free();
}
