//! TypeScript declarations for what wasm-bindgen cannot describe by itself.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Where a `TokenStore` keeps the token. */
export type Backend = "local" | "session" | "memory" | "cookie";

/** The attributes of the cookie backend's cookie (`cookie` option). */
export interface CookieOptions {
  /** `Path`. Default `"/"`. Must start with `/`. */
  path?: string;
  /** `Domain`. Default none: a host-only cookie. */
  domain?: string;
  /** `SameSite`. Default `"strict"`; `"none"` needs `secure`. */
  sameSite?: "strict" | "lax" | "none";
  /** `Secure`. Default `true`. */
  secure?: boolean;
}

/** Options of `new TokenStore(options)`. Unknown keys are ignored. */
export interface TokenStoreOptions {
  /** Where the token lives. Default `"local"`. */
  backend?: Backend;
  /** The storage key. Default `"tokenstore.jwt"`. Must not be empty; for `"cookie"`, a valid cookie name. */
  key?: string;
  /** Seconds of clock skew tolerated by the expiry checks. Default `0`. Finite, zero or more. */
  leeway?: number;
  /** Use memory when the chosen web storage or cookie is blocked or full, instead of throwing. Default `true`. */
  fallback?: boolean;
  /** Seconds before `exp` at which the `"expiring"` event fires. Default `60`. */
  expiringIn?: number;
  /** The cookie's attributes, for the `"cookie"` backend. */
  cookie?: CookieOptions;
  /**
   * Learn the server's clock: every token given to `set()` or fetched by a refresh is taken to be
   * freshly issued, and the gap between its `iat` and this clock (beyond a few seconds, up to a day)
   * is added to the clock in every check. Default `false`.
   */
  serverClock?: boolean;
}

/** Options of `store.refresh(fetchToken, options)`. */
export interface RefreshOptions {
  /** Seconds the refresh may take, waiting for the lock included; then `signal` aborts. Default `10`. */
  timeout?: number;
}

/** Options of `store.autoRefresh(options)`. */
export interface AutoRefreshOptions extends RefreshOptions {
  /** Fetches a new token: a string, or `null` when the session is over. Rejects on a transient failure. */
  refresh: (current: string | null, signal: AbortSignal) => Promise<string | null>;
  /** Seconds before `exp` to refresh (at most half the token's life). Default: the store's `expiringIn`. */
  ahead?: number;
  /** With no token at start-up, try once (a silent login). Default `true`. */
  onStart?: boolean;
  /** Exponential backoff with jitter after a failure, in seconds. Default `{ initial: 1, max: 60 }`. */
  retry?: { initial?: number; max?: number };
}

/** The detail of the `"refreshError"` event. */
export interface RefreshErrorDetail {
  /** What `fetchToken` rejected with, or a `TokenError`: a malformed answer, or `ABORTED` (time limit, page hidden). */
  readonly error: unknown;
  /** Failures in a row, from 1. */
  readonly attempt: number;
  /** Seconds until the next attempt, or `null` when nothing will retry. */
  readonly retryIn: number | null;
}

/** Where the app stands. */
export type TokenStatus = "anonymous" | "authenticated" | "expired" | "notYetValid";

/**
 * What `subscribe` and `getSnapshot` hand out: frozen, and the same object until something changes.
 * `C` is the app's own claims (see `TokenStore<C>`).
 */
export interface TokenSnapshot<C extends object = JwtClaims> {
  readonly token: string | null;
  readonly claims: Readonly<C & JwtClaims> | null;
  readonly status: TokenStatus;
  readonly backend: Backend;
  /** `exp` in seconds since the epoch, or `null`. */
  readonly expiresAt: number | null;
}

/** Why `onLogout` was called. */
export type LogoutReason = "logout" | "expired" | "removed" | "invalid" | "refreshFailed";

/** `onLogin` of `store.autoLogin(handlers)`. */
interface AutoLoginOnLogin<C extends object> {
  /** A valid token became current (at start-up, after a login here or in another tab, or a change). */
  onLogin: (token: string, claims: Readonly<C & JwtClaims>) => void;
}

/** `onLogout` of `store.autoLogin(handlers)`. */
interface AutoLoginOnLogout {
  /** A valid token stopped being valid, or a stored session turned out expired or malformed. */
  onLogout: (reason: LogoutReason) => void;
}

/** The handlers of `store.autoLogin(handlers)`: `onLogin`, `onLogout`, or both (none throws `INVALID_ARGUMENT`). */
export type AutoLoginHandlers<C extends object = JwtClaims> =
  | (AutoLoginOnLogin<C> & Partial<AutoLoginOnLogout>)
  | (Partial<AutoLoginOnLogin<C>> & AutoLoginOnLogout);

/** What each event of `store.on(event, handler)` passes to its handler. */
export interface TokenEventMap<C extends object = JwtClaims> {
  /** The snapshot changed. */
  change: TokenSnapshot<C>;
  /** The token is `expiringIn` seconds from `exp` (once per token). */
  expiring: TokenSnapshot<C>;
  /** The token expired (once per token). */
  expired: TokenSnapshot<C>;
  /** The web storage or cookie failed and the token now lives in memory. */
  fallback: FallbackDetail;
  /** A refresh of this store ended with a new token, fetched or adopted from another tab. */
  refresh: TokenSnapshot<C>;
  /** A refresh of this store failed; the token stays. */
  refreshError: RefreshErrorDetail;
}

/** The events of `store.on(event, handler)`. */
export type TokenEventName = keyof TokenEventMap;

export interface TokenStore {
  /**
   * Calls `handler` on each `event`; returns the function that removes it.
   * Throws `INVALID_ARGUMENT` for an unknown event or a handler that is not a function.
   */
  on<E extends TokenEventName>(event: E, handler: (detail: TokenEventMap[E]) => void): () => void;
}

/** The detail of the `"fallback"` event. */
export interface FallbackDetail {
  readonly from: Backend;
  readonly to: "memory";
  readonly reason: "QUOTA_EXCEEDED" | "STORAGE_UNAVAILABLE";
}

/**
 * The decoded payload of a JWT. Registered claims are typed; any other claim is `unknown` unless the app
 * names its claims: `new TokenStore<MyClaims>()`, `decodeClaims<MyClaims>(token)`.
 */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  /** Expiration time, seconds since the epoch. */
  exp?: number;
  /** Not-before time, seconds since the epoch. */
  nbf?: number;
  /** Issued-at time, seconds since the epoch. */
  iat?: number;
  jti?: string;
  [claim: string]: unknown;
}

/** The decoded JOSE header of a JWT. */
export interface JwtHeader {
  alg?: string;
  typ?: string;
  kid?: string;
  cty?: string;
  [parameter: string]: unknown;
}

/** Every `code` a `TokenError` can carry. Codes are stable across versions. */
export type TokenErrorCode =
  | "INVALID_TOKEN"
  | "INVALID_BASE64"
  | "INVALID_UTF8"
  | "INVALID_JSON"
  | "INVALID_HEADER"
  | "INVALID_CLAIMS"
  | "INVALID_OPTION"
  | "INVALID_ARGUMENT"
  | "STORAGE_UNAVAILABLE"
  | "QUOTA_EXCEEDED"
  | "FREED"
  | "NOT_INITIALIZED"
  | "ABORTED"
  | "CRYPTO_UNAVAILABLE";

/** What tokenstore throws: a JS `Error` whose `name` is `"TokenError"`, with a stable `code`. */
export interface TokenError extends Error {
  name: "TokenError";
  code: TokenErrorCode;
}
"#;
