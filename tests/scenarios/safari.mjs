// The scenarios of tests/safari.rs, one exported function each, named after its test.
import { check, later, same, sub } from "./prelude.mjs";

export async function a_storage_event_in_the_tab_that_wrote_the_value_changes_nothing(TokenStore) {
  localStorage.clear();
  const store = new TokenStore({ key: "safari.same" });
  const calls = [];
  store.autoLogin({ onLogin: (t, c) => calls.push(`login ${c.sub}`), onLogout: (r) => calls.push(`logout ${r}`) });
  const seen = [];
  store.subscribe((s) => seen.push(sub(s)));
  const jwt = later(600, "me");
  store.set(jwt);
  const snapshot = store.getSnapshot();
  const echo = (oldValue, newValue) => dispatchEvent(new StorageEvent("storage",
    { key: "safari.same", oldValue, newValue, storageArea: localStorage, url: location.href }));
  // The events Safari may send this tab for its own set(), and a late one for an older write.
  echo(null, jwt);
  echo(jwt, null);
  await new Promise((resolve) => setTimeout(resolve, 0));
  same(calls, ["login me"], "one login, no logout");
  same(seen, ["anonymous", "me"], "subscribers heard the set() once");
  check(store.getSnapshot() === snapshot, "the snapshot is the same object");
  same(store.get(), jwt, "the token stays");
  store.free();

}
