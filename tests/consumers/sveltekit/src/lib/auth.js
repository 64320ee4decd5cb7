// As the package README shows it: initialise once (from disk on the server, fetched in the browser) and
// create the app's one store; Svelte reads it as $store with no adapter.
import init, { TokenStore } from "tokenstore";
import { readable } from "svelte/store";

await init();

export const store = new TokenStore({ key: "sveltekit.jwt" });

// autoLogin's onLogin calls since the page loaded; nothing is called on the server.
export const logins = readable(0, (set) => {
  let count = 0;
  const hooks = store.autoLogin({ onLogin: () => set(++count) });
  return () => hooks.dispose();
});
