import type { JwtClaims, TokenSnapshot, TokenStore } from "./index.js";

/** The store's current snapshot; re-renders on every change. Safe in server rendering. */
export function useTokenStore<C extends object = JwtClaims>(store: TokenStore<C>): TokenSnapshot<C>;
