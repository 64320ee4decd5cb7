//! What the module exports for the API, in this file but for the handle of a listener (`handle.rs`,
//! which the store's members make): a store's members behind one function, and the standalone
//! functions, with their TypeScript declarations. Each export
//! carries its own glue in the module, so the `TokenStore`, `AutoLogin` and `AutoRefresh` classes apps
//! use are JavaScript classes (`token_store.js`) that forward every call here; this file turns the
//! call into the Rust one. The objects the plumbing calls (`PageEvents`, `Flight`, `StoreFunctions`)
//! are exported beside the plumbing they serve.

use wasm_bindgen::prelude::*;

use super::error::is_token_error;
use super::handle::Handle;
use super::token_store::{decode_claims, decode_header, TokenStore};
use crate::error::Error;

#[wasm_bindgen(module = "/src/wasm/token_store.js")]
extern "C" {
    /// The `AutoLogin` (`refresh` false) or `AutoRefresh` handle apps get for `handle`.
    #[wasm_bindgen(js_name = handleOf)]
    fn handle_of(refresh: bool, handle: Handle) -> JsValue;
}

/// A store as `token_store.js` holds it. Not part of the API.
#[wasm_bindgen(skip_typescript)]
pub struct Core(TokenStore);

/// The members of `TokenStore` that call the Rust store, as `token_store.js` names them: each
/// variant is the member of its name.
#[wasm_bindgen(skip_typescript)]
pub enum Member {
    Set = "set",
    Get = "get",
    Clear = "clear",
    Claims = "claims",
    Header = "header",
    Backend = "backend",
    Key = "key",
    Leeway = "leeway",
    UseBackend = "useBackend",
    IsExpired = "isExpired",
    IsValid = "isValid",
    ExpiresAt = "expiresAt",
    AuthorizationHeader = "authorizationHeader",
    AutoLogin = "autoLogin",
    AutoLoginAnnounced = "autoLoginAnnounced",
    Subscribe = "subscribe",
    GetSnapshot = "getSnapshot",
    GetServerSnapshot = "getServerSnapshot",
    On = "on",
    Refresh = "refresh",
    AutoRefresh = "autoRefresh",
    ClockOffset = "clockOffset",
    SetServerTime = "setServerTime",
    DpopThumbprint = "dpopThumbprint",
    DpopProof = "dpopProof",
    Fetch = "fetch",
    Free = "free",
}

#[wasm_bindgen]
impl Core {
    /// `new TokenStore(options)`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Core, JsValue> {
        TokenStore::new(optional(options)).map(Core)
    }

    /// `store.member(first, second)`, or the getter `member` with neither.
    pub fn call(
        &self,
        member: Member,
        first: JsValue,
        second: JsValue,
    ) -> Result<JsValue, JsValue> {
        let store = &self.0;
        let done = |()| JsValue::UNDEFINED;
        match member {
            Member::Set => store.set(first).map(done),
            Member::Get => store.get(),
            Member::Clear => store.clear().map(done),
            Member::Claims => store.claims(),
            Member::Header => store.header(),
            Member::Backend => store.backend().map(JsValue::from),
            Member::Key => store.key().map(JsValue::from),
            Member::Leeway => store.leeway().map(JsValue::from),
            Member::UseBackend => store.use_backend(first).map(done),
            Member::IsExpired => store.is_expired(optional(first)).map(JsValue::from),
            Member::IsValid => store.is_valid(optional(first)).map(JsValue::from),
            Member::ExpiresAt => store.expires_at(),
            Member::AuthorizationHeader => store.authorization_header(optional(first)),
            Member::AutoLogin => store
                .auto_login(first.unchecked_into())
                .map(|handle| handle_of(false, handle)),
            Member::AutoLoginAnnounced => store
                .auto_login_announced(
                    first.unchecked_into(),
                    second.as_string().unwrap_or_default(),
                )
                .map(|handle| handle_of(false, handle)),
            Member::Subscribe => store.subscribe(first),
            Member::GetSnapshot => Ok(store.get_snapshot()),
            Member::GetServerSnapshot => Ok(store.get_server_snapshot()),
            Member::On => store.on(first, second),
            Member::Refresh => store.refresh(first, optional(second)),
            Member::AutoRefresh => store
                .auto_refresh(first)
                .map(|handle| handle_of(true, handle)),
            Member::ClockOffset => store.clock_offset().map(JsValue::from),
            Member::SetServerTime => store.set_server_time(first).map(done),
            Member::DpopThumbprint => store.dpop_thumbprint().map(JsValue::from),
            Member::DpopProof => store.dpop_proof(first, second).map(JsValue::from),
            Member::Fetch => store.fetch(first, optional(second)).map(JsValue::from),
            Member::Free => {
                store.free_store();
                Ok(JsValue::UNDEFINED)
            }
            _ => Err(Error::InvalidArgument("no such member".into()).into()),
        }
    }
}

/// An optional argument as the members take it: absent when `undefined` or `null`.
fn optional<T: JsCast>(value: JsValue) -> Option<T> {
    (!value.is_undefined() && !value.is_null()).then(|| value.unchecked_into())
}

/// `decodeClaims(token)`.
#[wasm_bindgen(js_name = decodeClaims, skip_typescript)]
pub fn export_decode_claims(token: JsValue) -> Result<JsValue, JsValue> {
    decode_claims(token)
}

/// `decodeHeader(token)`.
#[wasm_bindgen(js_name = decodeHeader, skip_typescript)]
pub fn export_decode_header(token: JsValue) -> Result<JsValue, JsValue> {
    decode_header(token)
}

/// `isTokenError(error)`.
#[wasm_bindgen(js_name = isTokenError, skip_typescript)]
pub fn export_is_token_error(error: JsValue) -> bool {
    is_token_error(error)
}

// The classes and functions above, as apps see them (wasm-bindgen declares none of them: they are
// skipped, or JavaScript classes).
#[wasm_bindgen(typescript_custom_section)]
const API: &'static str = r#"
/**
 * What `autoLogin` returns: `dispose()` (or `free()`, or `[Symbol.dispose]`) removes the hook and
 * every listener and timer it added. Dropping the handle does not: a hook lives while its store does.
 */
export class AutoLogin {
    private constructor();
    [Symbol.dispose](): void;
    /**
     * Stops the hook: its handlers are never called again. Calling it twice is harmless.
     */
    dispose(): void;
    /**
     * The same as `dispose()`. The handle stays usable: calling it again does nothing.
     */
    free(): void;
}

/**
 * What `autoRefresh` returns: `dispose()` (or `free()`, or `[Symbol.dispose]`) stops refreshing; a
 * refresh under way finishes. Dropping the handle does not: the refresh lives while its store does.
 */
export class AutoRefresh {
    private constructor();
    [Symbol.dispose](): void;
    /**
     * Stops refreshing ahead of expiry and retrying. Calling it twice is harmless.
     */
    dispose(): void;
    /**
     * The same as `dispose()`. The handle stays usable: calling it again does nothing.
     */
    free(): void;
}

/**
 * One JWT in one storage backend: set it, read its claims, check its expiry, move it, clear it, and
 * hear about every change.
 */
export class TokenStore {
    [Symbol.dispose](): void;
    /**
     * `"Bearer <token>"` while the token is valid at `now`, else `null`: ready for an
     * `Authorization` header.
     */
    authorizationHeader(now?: number | null): string | null;
    /**
     * Calls `onLogin(token, claims)` when a valid token becomes current and `onLogout(reason)` when
     * it stops being valid: at once if the document has loaded (else on DOMContentLoaded), then on
     * popstate, back/forward-cache restores, the page becoming visible, other tabs' changes, and
     * at expiry. Returns an object whose `dispose()` removes it.
     */
    autoLogin(handlers: AutoLoginHandlers): AutoLogin;
    /**
     * Refreshes ahead of expiry (`ahead` seconds before `exp`, default `expiringIn`), once at
     * start-up when there is no token (`onStart`, default true: a silent login), and after a
     * failure with exponential backoff and jitter (`retry: { initial, max }`, default 1 and 60
     * seconds), at once when the page comes back online, visible or from the back/forward cache.
     * Returns the handle whose `dispose()` stops it.
     */
    autoRefresh(options: AutoRefreshOptions): AutoRefresh;
    /**
     * Logs out: removes the token from the backend and tells the other tabs.
     */
    clear(): void;
    /**
     * A DPoP proof (RFC 9449) for a request: a compact JWS signed with the store's key, with `typ`
     * "dpop+jwt", `alg` "ES256" and the public `jwk` in its header, and `jti`, `htm`, `htu` (the URL
     * without query and fragment), `iat` (the store's clock), `ath` (the hash of the valid token
     * stored, if any) and `nonce` (the server's latest for that origin, if any). Needs `dpop`.
     */
    dpopProof(method: string, url: string | URL): Promise<string>;
    /**
     * The RFC 7638 SHA-256 thumbprint of the store's DPoP public key, base64url: the `dpop_jkt` of
     * a login, and the `cnf.jkt` a server binds tokens to. Makes the key on first need. Needs the
     * `dpop` option.
     */
    dpopThumbprint(): Promise<string>;
    /**
     * The `exp` of the current token in seconds since the epoch, or `null` when there is no token or
     * it never expires.
     */
    expiresAt(): number | null;
    /**
     * `fetch(input, init)` with the stored token, if valid: `Authorization: DPoP <token>` and a
     * `DPoP` proof with the `dpop` option, `Authorization: Bearer <token>` without. It learns every
     * `DPoP-Nonce` the server sends, and sends the request once more, same body, when the server
     * asks for a nonce.
     */
    fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
    /**
     * Ends the store: removes every listener, hook, timer and channel it added, and makes every
     * later call throw a `TokenError` with code `FREED` (`getSnapshot()` then returns an anonymous
     * snapshot, unsubscribe functions do nothing). Calling it twice, or inside a handler, is safe.
     */
    free(): void;
    /**
     * The stored token, or `null`. Reads the backend, so a change made by another tab is seen.
     */
    get(): string | null;
    /**
     * Whether the current token has expired at `now` (seconds since the epoch, default the browser
     * clock): `exp <= now - leeway`. `false` when there is no token or it has no `exp`.
     */
    isExpired(now?: number | null): boolean;
    /**
     * Whether there is a token that is neither expired nor before its `nbf` at `now`.
     */
    isValid(now?: number | null): boolean;
    /**
     * Creates a store. Options: `backend` ("local", default, "session", "memory" or "cookie"), `key`
     * (default "tokenstore.jwt"; for the cookie backend, a valid cookie name), `cookie` (`{ path: "/",
     * domain, sameSite: "strict", secure: true }`, the cookie's attributes), `leeway` (seconds of
     * clock skew, default 0), `expiringIn` (seconds before `exp` for the "expiring" event, default
     * 60), `fallback` (default true: use memory when the web storage or cookie is blocked or full,
     * instead of throwing) and `serverClock` (default false: learn the server's clock from the `iat`
     * of tokens given to `set()` or fetched by a refresh) and `dpop` (default false: `fetch` sends
     * DPoP proofs signed by a key kept in IndexedDB, see `dpopProof`).
     */
    constructor(options?: TokenStoreOptions | null);
    /**
     * Replaces the token with the one `fetchToken(current, signal)` resolves to: a string is stored
     * as by `set()`, `null` ends the session (hooks hear "refreshFailed"), a rejection leaves the
     * token and fires "refreshError". One refresh at a time: concurrent calls in the page share one
     * promise and one call of `fetchToken`, and tabs take turns under the Web Lock
     * `tokenstore:<key>:refresh`, adopting a token another tab stored meanwhile. Option: `timeout`,
     * seconds the refresh may take, waiting for the lock included (default 10), after which
     * `signal` aborts.
     */
    refresh(fetchToken: (current: string | null, signal: AbortSignal) => Promise<string | null>, options?: RefreshOptions | null): Promise<string | null>;
    /**
     * Tells the store the server's time now, in seconds since the epoch (from a response's `Date`
     * header, say): the offset is set outright, capped at a day.
     */
    setServerTime(seconds: number): void;
    /**
     * Decodes `token` and stores it. A malformed token throws a `TokenError` and is never stored.
     */
    set(token: string): void;
    /**
     * Switches to another backend and moves the token there: write to the new backend, read it back,
     * then remove it from the old one. If anything fails, the token stays where it was and a
     * `TokenError` is thrown, except that a blocked web storage means memory when `fallback` is on
     * (with a "fallback" event).
     */
    useBackend(backend: Backend): void;
    /**
     * The backend in use: "local", "session", "memory" or "cookie". After a fallback this is "memory".
     */
    readonly backend: Backend;
    /**
     * The decoded payload of the current token, or `null`. The object is frozen and stays the same
     * object until the token changes.
     */
    readonly claims: JwtClaims | null;
    /**
     * Seconds added to the local clock in every check: the server's clock minus this one, learnt
     * with `serverClock` or set by `setServerTime`. 0 until then.
     */
    readonly clockOffset: number;
    /**
     * `getServerSnapshot()` returns what a server renders, and what the client renders first while
     * it hydrates: an anonymous snapshot on the configured backend, the same frozen object every
     * call. The third argument of React's `useSyncExternalStore`. Works unbound.
     */
    readonly getServerSnapshot: () => TokenSnapshot;
    /**
     * `getSnapshot()` returns the current snapshot, the same object until something changes: the
     * React `useSyncExternalStore` contract. Works unbound.
     */
    readonly getSnapshot: () => TokenSnapshot;
    /**
     * The decoded JOSE header of the current token, or `null`. Frozen, like `claims`.
     */
    readonly header: JwtHeader | null;
    /**
     * The storage key.
     */
    readonly key: string;
    /**
     * The clock-skew tolerance in seconds.
     */
    readonly leeway: number;
    /**
     * `subscribe(run)` calls `run(snapshot)` at once and on every change, and returns the function
     * that unsubscribes: the Svelte store contract. Works unbound, as React and Svelte call it.
     */
    readonly subscribe: (run: (snapshot: TokenSnapshot) => void) => () => void;
}

/**
 * Decodes the payload of `token` with the same rules and errors as `TokenStore.set`.
 */
export function decodeClaims(token: string): JwtClaims;

/**
 * Decodes the header of `token` with the same rules and errors as `TokenStore.set`.
 */
export function decodeHeader(token: string): JwtHeader;

/**
 * Whether `error` is an error thrown by tokenstore: a JS `Error` named "TokenError" with a string
 * `code`. Unlike `instanceof TokenError`, it also recognises errors from another copy of the package.
 */
export function isTokenError(error: unknown): error is TokenError;
"#;
