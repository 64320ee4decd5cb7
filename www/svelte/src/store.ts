import init, { TokenStore, type Backend } from "tokenstore";

await init();

// Which backend the user picked is not a secret; remembering it lets a reload find the token again.
export const BACKEND_KEY = "tokenstore-demo.backend";

const saved = localStorage.getItem(BACKEND_KEY);
const backend: Backend = saved === "session" || saved === "memory" || saved === "cookie" ? saved : "local";

/** A TokenStore is a Svelte store as it is: `$store` is its snapshot. */
export const store = new TokenStore({ key: "tokenstore-demo.jwt", backend, expiringIn: 10 });
