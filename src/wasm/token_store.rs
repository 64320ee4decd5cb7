//! A store's members and the standalone decoders: JS values in, core calls out. `exports.rs` hands
//! them the calls of the JavaScript `TokenStore` class (`token_store.js`).

use alloc::borrow::ToOwned;
use alloc::rc::Rc;
use alloc::string::String;

use wasm_bindgen::prelude::*;

use super::auto_login::{self, AutoLoginHandlers};
use super::dispatch::as_function;
use super::dom::window;
use super::handle::Handle;
use super::inner::{open_backend, Inner};
use super::objects::parse_json;
use super::options::{auto_entry, timeout_option, CheckedOptions, KeptOptions};
use super::refresh::refresh;
use crate::clock;
use crate::error::{concat, Error, Part, Result};
use crate::hub::EventName;
use crate::jwt;
use crate::session::Seen;
use crate::storage::Backend;
use crate::store::Store;
use crate::time::{check_now, Validity};

#[wasm_bindgen]
extern "C" {
    /// The options object, checked field by field at run time whatever its static type.
    #[wasm_bindgen(typescript_type = "TokenStoreOptions")]
    pub type TokenStoreOptions;

    /// An instant in seconds since the epoch, checked at run time.
    #[wasm_bindgen(typescript_type = "number")]
    pub type Seconds;

    /// The options of `refresh`, checked field by field at run time.
    #[wasm_bindgen(typescript_type = "RefreshOptions")]
    pub type RefreshOptions;
}

/// One JWT in one storage backend: set it, read its claims, check its expiry, move it, clear it, and
/// hear about every change.
pub struct TokenStore {
    pub(super) inner: Rc<Inner>,
}

impl TokenStore {
    /// Creates a store. Options: `backend` ("local", default, "session", "memory" or "cookie"), `key`
    /// (default "tokenstore.jwt"; for the cookie backend, a valid cookie name), `cookie` (`{ path: "/",
    /// domain, sameSite: "strict", secure: true }`, the cookie's attributes), `leeway` (seconds of
    /// clock skew, default 0), `expiringIn` (seconds before `exp` for the "expiring" event, default
    /// 60), `fallback` (default true: use memory when the web storage or cookie is blocked or full,
    /// instead of throwing) and `serverClock` (default false: learn the server's clock from the `iat`
    /// of tokens given to `set()` or fetched by a refresh) and `dpop` (default false: `fetch` sends
    /// DPoP proofs signed by a key kept in IndexedDB, see `dpopProof`).
    pub fn new(options: Option<TokenStoreOptions>) -> Result<TokenStore, JsValue> {
        let options = CheckedOptions::from_js(&options.map_or(JsValue::UNDEFINED, JsValue::from))?;
        let server = window().is_none();
        let kept = KeptOptions {
            leeway: options.leeway,
            fallback: options.fallback,
            expiring_in: options.expiring_in,
            cookie: options.cookie,
            server_clock: options.server_clock,
            dpop: options.dpop,
        };
        let (backend, storage, fell_back) =
            open_backend(options.backend, &options.key, &kept, server)?;
        let store = Store::new(options.key, backend, storage);
        let inner = Inner::new(store, options.backend, kept, fell_back, server);
        Ok(TokenStore { inner })
    }

    /// Ends the store: removes every listener, hook, timer and channel it added, and makes every
    /// later call throw a `TokenError` with code `FREED` (`getSnapshot()` then returns an anonymous
    /// snapshot, unsubscribe functions do nothing). Calling it twice, or inside a handler, is safe.
    // The Rust value is not freed here but by the glue's finalizer, once the JS store is collected.
    pub fn free_store(&self) {
        self.inner.close();
    }

    /// Decodes `token` and stores it. A malformed token throws a `TokenError` and is never stored.
    pub fn set(&self, token: JsValue) -> Result<(), JsValue> {
        Ok(self.inner.set(&token_text(&token)?)?)
    }

    /// The stored token, or `null`. Reads the backend, so a change made by another tab is seen.
    pub fn get(&self) -> Result<JsValue, JsValue> {
        Ok(self
            .inner
            .current()?
            .map_or(JsValue::NULL, |jwt| JsValue::from_str(jwt.raw())))
    }

    /// Logs out: removes the token from the backend and tells the other tabs.
    pub fn clear(&self) -> Result<(), JsValue> {
        Ok(self.inner.clear()?)
    }

    /// The decoded payload of the current token, or `null`. The object is frozen and stays the same
    /// object until the token changes.
    pub fn claims(&self) -> Result<JsValue, JsValue> {
        Ok(match self.inner.current()? {
            Some(jwt) => self.inner.decoded(&jwt)?.0,
            None => JsValue::NULL,
        })
    }

    /// The decoded JOSE header of the current token, or `null`. Frozen, like `claims`.
    pub fn header(&self) -> Result<JsValue, JsValue> {
        Ok(match self.inner.current()? {
            Some(jwt) => self.inner.decoded(&jwt)?.1,
            None => JsValue::NULL,
        })
    }

    /// The backend in use: "local", "session", "memory" or "cookie". After a fallback this is "memory".
    pub fn backend(&self) -> Result<String, JsValue> {
        self.inner.check_open()?;
        Ok(self.inner.backend().name().to_owned())
    }

    /// The storage key.
    pub fn key(&self) -> Result<String, JsValue> {
        self.inner.check_open()?;
        Ok(self.inner.key())
    }

    /// The clock-skew tolerance in seconds.
    pub fn leeway(&self) -> Result<f64, JsValue> {
        self.inner.check_open()?;
        Ok(self.inner.options.leeway)
    }

    /// Switches to another backend and moves the token there: write to the new backend, read it back,
    /// then remove it from the old one. If anything fails, the token stays where it was and a
    /// `TokenError` is thrown, except that a blocked web storage means memory when `fallback` is on
    /// (with a "fallback" event).
    pub fn use_backend(&self, backend: JsValue) -> Result<(), JsValue> {
        let name = backend
            .as_string()
            .ok_or_else(|| Error::InvalidOption("backend must be a string".into()))?;
        Ok(self.inner.use_backend(Backend::from_name(&name)?)?)
    }

    /// Whether the current token has expired at `now` (seconds since the epoch, default the browser
    /// clock): `exp <= now - leeway`. `false` when there is no token or it has no `exp`.
    pub fn is_expired(&self, now: Option<Seconds>) -> Result<bool, JsValue> {
        Ok(self.validity(now)? == Some(Validity::Expired))
    }

    /// Whether there is a token that is neither expired nor before its `nbf` at `now`.
    pub fn is_valid(&self, now: Option<Seconds>) -> Result<bool, JsValue> {
        Ok(self.validity(now)? == Some(Validity::Valid))
    }

    /// The `exp` of the current token in seconds since the epoch, or `null` when there is no token or
    /// it never expires.
    pub fn expires_at(&self) -> Result<JsValue, JsValue> {
        Ok(self
            .inner
            .current()?
            .and_then(|jwt| jwt.times().exp)
            .map_or(JsValue::NULL, JsValue::from_f64))
    }

    /// `"Bearer <token>"` while the token is valid at `now`, else `null`: ready for an
    /// `Authorization` header.
    pub fn authorization_header(&self, now: Option<Seconds>) -> Result<JsValue, JsValue> {
        let now = self.now_or_clock(now)?;
        Ok(match self.inner.current()? {
            Some(jwt)
                if jwt.times().validity(now, self.inner.options.leeway) == Validity::Valid =>
            {
                JsValue::from_str(&concat(&["Bearer ", jwt.raw()]))
            }
            _ => JsValue::NULL,
        })
    }

    /// Calls `onLogin(token, claims)` when a valid token becomes current and `onLogout(reason)` when
    /// it stops being valid: at once if the document has loaded (else on DOMContentLoaded), then on
    /// popstate, back/forward-cache restores, the page becoming visible, other tabs' changes, and
    /// at expiry. Returns an object whose `dispose()` removes it.
    pub fn auto_login(&self, handlers: AutoLoginHandlers) -> Result<Handle, JsValue> {
        Ok(auto_login::start(
            &self.inner,
            handlers.into(),
            Seen::Nothing,
        )?)
    }

    /// `autoLogin` for a hook whose `onLogin` the package's entry already called with `announced`,
    /// answering from storage before the module was ready: the first check confirms that login
    /// without a second call, or retracts it. For the entry only, hence not in the types.
    pub fn auto_login_announced(
        &self,
        handlers: AutoLoginHandlers,
        announced: String,
    ) -> Result<Handle, JsValue> {
        let seen = Seen::Announced(announced.into());
        Ok(auto_login::start(&self.inner, handlers.into(), seen)?)
    }

    /// `subscribe(run)` calls `run(snapshot)` at once and on every change, and returns the function
    /// that unsubscribes: the Svelte store contract. The JS class makes it callable unbound.
    pub fn subscribe(&self, run: JsValue) -> Result<JsValue, JsValue> {
        Ok(self.inner.subscribe(run)?)
    }

    /// `getSnapshot()` returns the current snapshot, the same object until something changes: the
    /// React `useSyncExternalStore` contract. The JS class makes it callable unbound.
    pub fn get_snapshot(&self) -> JsValue {
        self.inner.snapshot()
    }

    /// `getServerSnapshot()` returns what a server renders, and what the client renders first while
    /// it hydrates: an anonymous snapshot on the configured backend, the same frozen object every
    /// call. The third argument of React's `useSyncExternalStore`. Callable unbound, as the others.
    pub fn get_server_snapshot(&self) -> JsValue {
        self.inner.server_snapshot()
    }

    /// Calls `handler` on "change" (with the snapshot), "expiring" (the token is `expiringIn`
    /// seconds from `exp`; with the snapshot), "expired" (with the snapshot) or "fallback" (with
    /// `{ from, to, reason }`). Returns the function that removes the handler.
    // Declared in types.rs, where TypeScript can tie each event to its handler's argument.
    pub fn on(&self, event: JsValue, handler: JsValue) -> Result<JsValue, JsValue> {
        let name = event
            .as_string()
            .ok_or_else(|| Error::InvalidArgument("event must be a string".into()))?;
        Ok(self.inner.on(EventName::from_name(&name)?, handler)?)
    }

    /// Replaces the token with the one `fetchToken(current, signal)` resolves to: a string is stored
    /// as by `set()`, `null` ends the session (hooks hear "refreshFailed"), a rejection leaves the
    /// token and fires "refreshError". One refresh at a time: concurrent calls in the page share one
    /// promise and one call of `fetchToken`, and tabs take turns under the Web Lock
    /// `tokenstore:<key>:refresh`, adopting a token another tab stored meanwhile. Option: `timeout`,
    /// seconds the refresh may take, waiting for the lock included (default 10), after which
    /// `signal` aborts.
    pub fn refresh(
        &self,
        fetch_token: JsValue,
        options: Option<RefreshOptions>,
    ) -> Result<JsValue, JsValue> {
        self.inner.check_open()?;
        let fetch_token = as_function(fetch_token)
            .ok_or_else(|| Error::InvalidArgument("refresh needs fetchToken: a function".into()))?;
        let timeout = timeout_option(&options.map_or(JsValue::UNDEFINED, JsValue::from))?;
        Ok(refresh(&self.inner, &fetch_token, timeout, false))
    }

    /// Refreshes ahead of expiry (`ahead` seconds before `exp`, default `expiringIn`), once at
    /// start-up when there is no token (`onStart`, default true: a silent login), and after a
    /// failure with exponential backoff and jitter (`retry: { initial, max }`, default 1 and 60
    /// seconds), at once when the page comes back online, visible or from the back/forward cache.
    /// Returns the handle whose `dispose()` stops it.
    pub fn auto_refresh(&self, options: JsValue) -> Result<Handle, JsValue> {
        self.inner.check_open()?;
        let entry = auto_entry(&options, &self.inner.key(), self.inner.options.expiring_in)?;
        let id = self.inner.add_auto(entry)?;
        Ok(Handle::new(Rc::downgrade(&self.inner), id))
    }

    /// Seconds added to the local clock in every check: the server's clock minus this one, learnt
    /// with `serverClock` or set by `setServerTime`. 0 until then.
    pub fn clock_offset(&self) -> Result<f64, JsValue> {
        self.inner.check_open()?;
        Ok(self.inner.offset())
    }

    /// Tells the store the server's time now, in seconds since the epoch (from a response's `Date`
    /// header, say): the offset is set outright, capped at a day.
    pub fn set_server_time(&self, seconds: JsValue) -> Result<(), JsValue> {
        self.inner.check_open()?;
        let local = js_sys::Date::now() / 1000.0;
        let offset = seconds
            .as_f64()
            .ok_or("the server time must be a number of seconds since the epoch")
            .and_then(|server| clock::told(server, local))
            .map_err(|why| Error::InvalidArgument(why.into()))?;
        self.inner.set_offset(offset);
        Ok(())
    }
}

impl TokenStore {
    fn validity(&self, now: Option<Seconds>) -> Result<Option<Validity>> {
        let now = self.now_or_clock(now)?;
        Ok(self
            .inner
            .current()?
            .map(|jwt| jwt.times().validity(now, self.inner.options.leeway)))
    }
}

#[wasm_bindgen(module = "/src/wasm/decode.js")]
extern "C" {
    /// The header (0) or claims (1) of a token that the browser's own decoders can show the core would
    /// accept; `undefined` for anything else, and where the browser lacks `setFromBase64`. The callers
    /// then run the core, which decides and words every error.
    #[wasm_bindgen(js_name = decodePart)]
    fn decode_natively(token: &JsValue, part: u32) -> JsValue;
}

/// Decodes the payload of `token` with the same rules and errors as `TokenStore.set`.
pub fn decode_claims(token: JsValue) -> Result<JsValue, JsValue> {
    let claims = decode_natively(&token, 1);
    if !claims.is_undefined() {
        return Ok(claims);
    }
    let jwt = jwt::decode(&token_text(&token)?)?;
    Ok(parse_json(jwt.payload_json(), Part::Payload)?)
}

/// Decodes the header of `token` with the same rules and errors as `TokenStore.set`.
pub fn decode_header(token: JsValue) -> Result<JsValue, JsValue> {
    let header = decode_natively(&token, 0);
    if !header.is_undefined() {
        return Ok(header);
    }
    let jwt = jwt::decode(&token_text(&token)?)?;
    Ok(parse_json(jwt.header_json(), Part::Header)?)
}

/// The token as a string, or `INVALID_TOKEN` naming the JS type that came instead.
fn token_text(token: &JsValue) -> Result<String> {
    token.as_string().ok_or_else(|| {
        let kind = if token.is_null() {
            "null".to_owned()
        } else {
            token.js_typeof().as_string().unwrap_or_default()
        };
        Error::InvalidToken(concat(&["the token must be a string, not ", &kind]))
    })
}

impl TokenStore {
    /// `now` as given, else the store's clock (the browser's, moved by the server clock offset).
    fn now_or_clock(&self, now: Option<Seconds>) -> Result<f64> {
        match now {
            None => Ok(self.inner.clock()),
            Some(now) => now
                .as_f64()
                .ok_or("now must be a number of seconds since the epoch")
                .and_then(check_now)
                .map_err(|why| Error::InvalidArgument(why.into())),
        }
    }
}
