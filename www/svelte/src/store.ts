import init, { TokenStore, type Backend } from "tokenstore";

await init();

// Which backend the user picked is not a secret; remembering it lets a reload find the token again.
export const BACKEND_KEY = "tokenstore-demo.backend";

const saved = localStorage.getItem(BACKEND_KEY);
// "secure": the token in memory only, back from the httpOnly refresh cookie after a reload.
const backend: Backend =
  saved === "session" || saved === "memory" || saved === "cookie" ? saved : saved === "secure" ? "memory" : "local";

/** Whether the store proves its requests with DPoP (read at start-up: the switch reloads). */
export const DPOP_KEY = "tokenstore-demo.dpop";
/** DPoP: tokens bound to a key kept in IndexedDB, which a copied token cannot prove. */
export const dpop = localStorage.getItem(DPOP_KEY) === "1";

/** A TokenStore is a Svelte store as it is: `$store` is its snapshot. */
export const store = new TokenStore({ key: "tokenstore-demo.jwt", backend, expiringIn: 10, serverClock: true, dpop });

/** With DPoP, requests go through store.fetch: it proves each one and learns the server's nonces. */
export const send = (input: string, init?: RequestInit): Promise<Response> =>
  dpop ? store.fetch(input, init) : fetch(input, init);

/** Whether a "stay signed in" login made a refresh session (a flag, not a secret). */
export const REMEMBER_KEY = "tokenstore-demo.remember";

/** The app's part of a refresh: ask the server, which reads its httpOnly cookie. 401: the session is over. */
export async function refreshFromCookie(_current: string | null, signal: AbortSignal): Promise<string | null> {
  const response = await send("/api/refresh", { method: "POST", signal });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`/api/refresh answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}
