//! `TokenStore`: one JWT in one backend, for Rust callers.

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;

use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use super::options::{Options, RefreshOptions};
use super::refresh::{fetch_function, outcome, RefreshError, Refused};
use super::subscription::Subscription;
use crate::claims::{header_as, payload_as};
use crate::clock;
use crate::error::{concat, Result};
use crate::hub::EventName;
use crate::session::{LogoutReason, Seen};
use crate::storage::Backend;
use crate::store::Store;
use crate::time::Validity;
use crate::wasm::backend::window;
use crate::wasm::inner::{open_backend, Inner};
use crate::wasm::options::{auto_entry, timeout_option};
use crate::wasm::refresh::refresh;
use core::future::Future;

/// One JWT in one storage backend, with the rules and storage formats of the JS API's `TokenStore`:
/// a token set here is read by a JS store on the same key and the other way round, in this tab and
/// in the others, and both hear each other's changes and logouts.
///
/// Cloning gives another handle on the same store. Single-threaded: neither `Send` nor `Sync`, as
/// the page it lives in has one thread. Dropping the last handle leaves the store to the
/// handlers still attached to it ([`Subscription`]s), and ends it with the last of them.
///
/// # Example
///
/// ```no_run
/// use tokenstore::{Backend, Options, TokenStore};
///
/// #[derive(serde::Deserialize)]
/// struct Claims {
///     sub: String,
///     name: String,
/// }
///
/// # fn run(token: &str) -> Result<(), tokenstore::Error> {
/// let store = TokenStore::open(Options::new("app.jwt").backend(Backend::Local))?;
/// store.set(token)?;
/// if let Some(claims) = store.claims::<Claims>()? {
///     web_sys::console::log_1(&format!("Welcome, {}", claims.name).into());
/// }
/// store.clear()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct TokenStore {
    inner: Rc<Inner>,
}

impl TokenStore {
    /// Opens a store: checks the options, opens the backend (or memory, when it is blocked and
    /// [`Options::fallback`] allows it) and joins the page's other stores on the key. Outside a
    /// browser window (a worker, a server) the store keeps its token in a memory of its own.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use tokenstore::{Backend, Options, TokenStore};
    ///
    /// let store = TokenStore::open(Options::new("app.jwt").backend(Backend::Session))?;
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn open(options: Options) -> Result<TokenStore> {
        let (key, kept, backend) = options.checked()?;
        let server = window().is_none();
        let (opened, storage, fell_back) = open_backend(backend, &key, &kept, server)?;
        let store = Store::new(key, opened, storage);
        let inner = Inner::new(store, backend, kept, fell_back, server);
        Ok(TokenStore { inner })
    }

    /// Decodes `token` and stores it, telling this page's stores and the other tabs. A malformed
    /// token is an error and nothing is stored.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// match store.set("not a token") {
    ///     Err(error) => assert_eq!(error.code(), "INVALID_TOKEN"),
    ///     Ok(()) => unreachable!(),
    /// }
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn set(&self, token: &str) -> Result<()> {
        self.inner.set(token)
    }

    /// The stored token. Reads the backend, so a change made by another tab is seen; a backend
    /// that cannot be read counts as holding no token.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// let token: Option<String> = store.get();
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn get(&self) -> Option<String> {
        self.inner
            .current()
            .ok()
            .flatten()
            .map(|jwt| String::from(jwt.raw()))
    }

    /// Logs out: removes the token from the backend and tells this page's stores and the other
    /// tabs (their auto-login hooks hear [`LogoutReason::Logout`] here, `Removed` elsewhere).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// store.clear()?;
    /// assert_eq!(store.get(), None);
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn clear(&self) -> Result<()> {
        self.inner.clear()
    }

    /// The current token's claims read into your own type through serde, or `None` when there is
    /// no token. Claims that do not fit `T` are an [`Error`](crate::Error) with code
    /// `INVALID_CLAIMS`, never a panic. Valid or not: check [`is_valid`](Self::is_valid) too.
    ///
    /// # Example
    ///
    /// ```no_run
    /// #[derive(serde::Deserialize)]
    /// struct Claims {
    ///     sub: String,
    ///     roles: Vec<String>,
    /// }
    ///
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// let admin = store
    ///     .claims::<Claims>()?
    ///     .is_some_and(|claims| claims.roles.iter().any(|role| role == "admin"));
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn claims<T: DeserializeOwned>(&self) -> Result<Option<T>> {
        self.inner
            .current()?
            .map(|jwt| payload_as(&jwt))
            .transpose()
    }

    /// The current token's JOSE header read into your own type, like [`claims`](Self::claims).
    ///
    /// # Example
    ///
    /// ```no_run
    /// #[derive(serde::Deserialize)]
    /// struct Header {
    ///     alg: String,
    /// }
    ///
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// let alg = store.header::<Header>()?.map(|header| header.alg);
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn header<T: DeserializeOwned>(&self) -> Result<Option<T>> {
        self.inner.current()?.map(|jwt| header_as(&jwt)).transpose()
    }

    /// Whether there is a token that is neither expired nor before its `nbf` now, by the store's
    /// clock (the browser's, moved by the server's clock when known) with the leeway.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// let logged_in = store.is_valid();
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn is_valid(&self) -> bool {
        self.validity() == Some(Validity::Valid)
    }

    /// Whether the current token has expired (`exp <= now - leeway`); `false` when there is no
    /// token or it has no `exp`.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// if store.is_expired() {
    ///     store.clear()?;
    /// }
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn is_expired(&self) -> bool {
        self.validity() == Some(Validity::Expired)
    }

    /// The current token's `exp`, in seconds since the epoch; `None` when there is no token or it
    /// never expires.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// let expires_at: Option<f64> = store.expires_at();
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn expires_at(&self) -> Option<f64> {
        self.inner
            .current()
            .ok()
            .flatten()
            .and_then(|jwt| jwt.times().exp)
    }

    /// `"Bearer <token>"` while the token is valid, ready for an `Authorization` header.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// let header: Option<String> = store.authorization_header();
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn authorization_header(&self) -> Option<String> {
        let jwt = self.inner.current().ok().flatten()?;
        let valid = jwt
            .times()
            .validity(self.inner.clock(), self.inner.options.leeway);
        (valid == Validity::Valid).then(|| concat(&["Bearer ", jwt.raw()]))
    }

    /// The storage key.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// assert_eq!(store.key(), "app.jwt");
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn key(&self) -> String {
        self.inner.key()
    }

    /// The backend in use: after a fallback, [`Backend::Memory`].
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// let remembered = store.backend() != tokenstore::Backend::Memory;
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn backend(&self) -> Backend {
        self.inner.backend()
    }

    /// Moves the token to another backend: writes it there, reads it back, then removes it from the
    /// old one. On failure the token stays where it was, unless a blocked web storage means memory
    /// (with an [`Event::Fallback`](crate::Event::Fallback)).
    ///
    /// # Example
    ///
    /// ```no_run
    /// use tokenstore::Backend;
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// // "Stay signed in" unticked: forget the token with the tab.
    /// store.use_backend(Backend::Session)?;
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn use_backend(&self, backend: Backend) -> Result<()> {
        self.inner.use_backend(backend)
    }

    /// Seconds added to the local clock in every check: the server's clock minus this one, learnt
    /// with [`Options::server_clock`] or set by [`set_server_time`](Self::set_server_time); 0 until
    /// then.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// let skew: f64 = store.clock_offset();
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn clock_offset(&self) -> f64 {
        self.inner.offset()
    }

    /// Tells the store the server's time now, in seconds since the epoch (from a response's `Date`
    /// header, say): the offset is set outright, capped at a day, and shared with the key's other
    /// stores and tabs. A time that is not a finite number is an `INVALID_ARGUMENT` error.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// # let date_header_seconds = 1_700_000_000.0;
    /// store.set_server_time(date_header_seconds)?;
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn set_server_time(&self, seconds: f64) -> Result<()> {
        let local = js_sys::Date::now() / 1000.0;
        let offset = clock::told(seconds, local)
            .map_err(|why| crate::error::Error::InvalidArgument(why.into()))?;
        self.inner.set_offset(offset);
        Ok(())
    }

    /// Calls `run` at once and on every change of the store's state: a token set or cleared here,
    /// in another store on the key or in another tab, expiry, a backend switch. Read the store
    /// in it. Dropping the returned guard detaches `run`.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// let reader = store.clone();
    /// let subscription = store.subscribe(move || {
    ///     let logged_in = reader.is_valid();
    ///     web_sys::console::log_1(&logged_in.into());
    /// })?;
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn subscribe(&self, mut run: impl FnMut() + 'static) -> Result<Subscription> {
        let closure = handler(move |_| run());
        let id = self.inner.listen(
            EventName::Change,
            function(&closure).into(),
            true,
            "subscribe",
            |_, id| id,
        )?;
        Ok(self.guard(id, alloc::vec![closure]))
    }

    /// Calls `handler` on each `event`: [`Event::Change`](crate::Event::Change),
    /// [`Event::Expiring`](crate::Event::Expiring) (`expiring_in` seconds before `exp`),
    /// [`Event::Expired`](crate::Event::Expired), [`Event::Fallback`](crate::Event::Fallback)
    /// (the store moved to memory), and the refresh events. Unlike [`subscribe`](Self::subscribe)
    /// it is not called at once. Dropping the returned guard detaches it.
    ///
    /// # Example
    ///
    /// ```no_run
    /// use tokenstore::Event;
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// let warning = store.on(Event::Expiring, || {
    ///     web_sys::console::warn_1(&"the session ends in a minute".into());
    /// })?;
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn on(
        &self,
        event: EventName,
        mut handler_fn: impl FnMut() + 'static,
    ) -> Result<Subscription> {
        let closure = handler(move |_| handler_fn());
        let id = self
            .inner
            .listen(event, function(&closure).into(), false, "on", |_, id| id)?;
        Ok(self.guard(id, alloc::vec![closure]))
    }

    /// Calls `on_login(token)` when a valid token becomes current and `on_logout(reason)` when it
    /// stops being valid: at once if the document has loaded (else when it has), then on
    /// back/forward navigation and cache restores, the page becoming visible, other tabs' changes,
    /// and at expiry. Each login is told once. Dropping the returned guard detaches both.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// let hook = store.auto_login(
    ///     |token: &str| web_sys::console::log_1(&"logged in".into()),
    ///     |reason| web_sys::console::log_1(&reason.name().into()),
    /// )?;
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn auto_login(
        &self,
        mut on_login: impl FnMut(&str) + 'static,
        mut on_logout: impl FnMut(LogoutReason) + 'static,
    ) -> Result<Subscription> {
        let login = handler(move |token| {
            if let Some(token) = token.as_string() {
                on_login(&token);
            }
        });
        let logout = handler(move |reason| {
            if let Some(reason) = reason.as_string().as_deref().and_then(reason_named) {
                on_logout(reason);
            }
        });
        let id = self.inner.add_hook(
            Some(function(&login)),
            Some(function(&logout)),
            Seen::Nothing,
        )?;
        Ok(self.guard(id, alloc::vec![login, logout]))
    }

    /// Replaces the token with the one `fetch(current)` resolves to: `Ok(Some(token))` is stored as by
    /// [`set`](Self::set), `Ok(None)` ends the session (hooks hear
    /// [`LogoutReason::RefreshFailed`]), an `Err` leaves the token and fires
    /// [`Event::RefreshError`](crate::Event::RefreshError). One refresh at a time per key and page,
    /// JS stores included: a refresh already under way is joined (and `fetch` not called), and tabs
    /// take turns under a Web Lock, adopting a token another tab stored meanwhile. The refresh may
    /// take 10 seconds once this tab holds the lock ([`refresh_with`](Self::refresh_with) sets
    /// another limit).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn post_refresh() -> Result<Option<String>, String> { Ok(None) }
    /// # async fn run(store: tokenstore::TokenStore) -> Result<(), tokenstore::RefreshError> {
    /// // `post_refresh` asks the server for a new token, say with gloo-net or reqwest.
    /// let token: Option<String> = store.refresh(|_current| post_refresh()).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn refresh<F, Fut, E>(
        &self,
        fetch: F,
    ) -> core::result::Result<Option<String>, RefreshError>
    where
        F: FnMut(Option<String>) -> Fut + 'static,
        Fut: Future<Output = core::result::Result<Option<String>, E>> + 'static,
        E: core::fmt::Display,
    {
        self.refresh_with(&RefreshOptions::new(), fetch).await
    }

    /// [`refresh`](Self::refresh) with `options`: of them, only the time limit
    /// ([`RefreshOptions::timeout`]) applies to a single refresh.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn post_refresh() -> Result<Option<String>, String> { Ok(None) }
    /// # async fn run(store: tokenstore::TokenStore) -> Result<(), tokenstore::RefreshError> {
    /// let within_5_seconds = tokenstore::RefreshOptions::new().timeout(5.0);
    /// let token = store.refresh_with(&within_5_seconds, |_current| post_refresh()).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn refresh_with<F, Fut, E>(
        &self,
        options: &RefreshOptions,
        fetch: F,
    ) -> core::result::Result<Option<String>, RefreshError>
    where
        F: FnMut(Option<String>) -> Fut + 'static,
        Fut: Future<Output = core::result::Result<Option<String>, E>> + 'static,
        E: core::fmt::Display,
    {
        self.inner.check_open()?;
        let refused = Refused::default();
        // Handed to the JS garbage collector: the flight may call it after this future is dropped.
        let fetch = fetch_function(fetch, Rc::clone(&refused)).into_js_value();
        let timeout = timeout_option(&options.to_js(&fetch)?)?;
        let promise = refresh(&self.inner, fetch.unchecked_ref(), timeout, false);
        outcome(promise, &refused).await
    }

    /// Keeps the session alive: refreshes with `fetch` ahead of expiry ([`Options::expiring_in`]
    /// seconds before `exp`), once at start-up when there is no token (a silent login), and after a
    /// failure with exponential backoff (1 to 60 seconds), at once when the page comes back online,
    /// visible or from the back/forward cache. The refreshes are those of
    /// [`refresh`](Self::refresh); [`auto_refresh_with`](Self::auto_refresh_with) sets other
    /// timings. Dropping the returned guard stops it.
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn post_refresh() -> Result<Option<String>, String> { Ok(None) }
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// let keep_alive = store.auto_refresh(|_current| post_refresh())?;
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn auto_refresh<F, Fut, E>(&self, fetch: F) -> Result<Subscription>
    where
        F: FnMut(Option<String>) -> Fut + 'static,
        Fut: Future<Output = core::result::Result<Option<String>, E>> + 'static,
        E: core::fmt::Display,
    {
        self.auto_refresh_with(&RefreshOptions::new(), fetch)
    }

    /// [`auto_refresh`](Self::auto_refresh) with `options`: how long ahead of expiry, whether at
    /// start-up, how to retry and each refresh's time limit. An option out of range is an
    /// [`Error::InvalidOption`](crate::Error::InvalidOption).
    ///
    /// # Example
    ///
    /// ```no_run
    /// # async fn post_refresh() -> Result<Option<String>, String> { Ok(None) }
    /// # let store = tokenstore::TokenStore::open(tokenstore::Options::new("app.jwt"))?;
    /// let options = tokenstore::RefreshOptions::new().ahead(120.0).retry(2.0, 30.0);
    /// let keep_alive = store.auto_refresh_with(&options, |_current| post_refresh())?;
    /// # Ok::<(), tokenstore::Error>(())
    /// ```
    pub fn auto_refresh_with<F, Fut, E>(
        &self,
        options: &RefreshOptions,
        fetch: F,
    ) -> Result<Subscription>
    where
        F: FnMut(Option<String>) -> Fut + 'static,
        Fut: Future<Output = core::result::Result<Option<String>, E>> + 'static,
        E: core::fmt::Display,
    {
        self.inner.check_open()?;
        let fetch = fetch_function(fetch, Refused::default()).into_js_value();
        let options = options.to_js(&fetch)?;
        let entry = auto_entry(&options, &self.inner.key(), self.inner.options.expiring_in)?;
        let id = self.inner.add_auto(entry)?;
        Ok(self.guard(id, alloc::vec::Vec::new()))
    }

    fn guard(
        &self,
        id: u32,
        handlers: alloc::vec::Vec<Closure<dyn FnMut(JsValue)>>,
    ) -> Subscription {
        Subscription::new(Rc::downgrade(&self.inner), id, handlers)
    }

    fn validity(&self) -> Option<Validity> {
        let jwt = self.inner.current().ok().flatten()?;
        Some(
            jwt.times()
                .validity(self.inner.clock(), self.inner.options.leeway),
        )
    }
}

impl core::fmt::Debug for TokenStore {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter
            .debug_struct("TokenStore")
            .field("key", &self.key())
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

/// A Rust handler as a JS function's closure; the JS arguments beyond the first are not needed.
fn handler(run: impl FnMut(JsValue) + 'static) -> Closure<dyn FnMut(JsValue)> {
    Closure::wrap(Box::new(run) as Box<dyn FnMut(JsValue)>)
}

/// The JS function of `closure`, which the closure must outlive.
fn function(closure: &Closure<dyn FnMut(JsValue)>) -> js_sys::Function {
    closure.as_ref().unchecked_ref::<js_sys::Function>().clone()
}

/// The reason JS names `name`.
fn reason_named(name: &str) -> Option<LogoutReason> {
    [
        LogoutReason::Logout,
        LogoutReason::Expired,
        LogoutReason::Removed,
        LogoutReason::Invalid,
        LogoutReason::RefreshFailed,
    ]
    .into_iter()
    .find(|reason| reason.name() == name)
}
