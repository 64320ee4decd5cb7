"use client";
// As the package README shows it: the module initialises tokenstore once, on the server (from disk)
// and in the browser (fetched), and creates the app's one store.
import init, { TokenStore } from "tokenstore";

await init();

export const store = new TokenStore({ key: "next.jwt" });

// autoLogin's onLogin calls since the page loaded, as an external store (0 on the server).
let logins = 0;
const listeners = new Set();
store.autoLogin({
  onLogin() {
    logins += 1;
    for (const listener of listeners) listener();
  },
});
export const loginCount = {
  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  get: () => logins,
  getServer: () => 0,
};
