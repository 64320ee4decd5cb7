// The store, created once for the app; the login hook registered next to it, outside React, so the
// StrictMode of React Router's default client entry does not register it twice in development.
import init, { TokenStore } from "tokenstore";

await init();
export const store = new TokenStore({ key: "myapp.jwt" });

let logins = 0;
const listeners = new Set();
store.autoLogin({
  onLogin() {
    logins += 1;
    for (const listener of listeners) listener();
  },
});

/** How many times onLogin ran in this page, as an external store for useSyncExternalStore. */
export const loginCount = {
  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  get: () => logins,
  getServer: () => 0,
};
