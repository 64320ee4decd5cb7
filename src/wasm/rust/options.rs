//! `Options`, what `TokenStore::open` takes, and `RefreshOptions`, what a refresh takes: builders.

use alloc::string::String;

use wasm_bindgen::JsValue;

use crate::cookie::CookieOptions;
use crate::error::{Error, Result};
use crate::storage::Backend;
use crate::time::check_leeway;
use crate::wasm::options::{KeptOptions, DEFAULT_EXPIRING_IN};

/// How to open a [`TokenStore`](crate::TokenStore): the storage key, the backend and the rules, with
/// the JS API's defaults (local storage, no leeway, "expiring" 60 seconds before `exp`, fallback to
/// memory on).
///
/// # Example
///
/// ```
/// use tokenstore::{Backend, Options};
///
/// let options = Options::new("app.jwt")
///     .backend(Backend::Session)
///     .leeway(30.0)
///     .expiring_in(120.0);
/// ```
#[derive(Clone, Debug)]
pub struct Options {
    key: String,
    backend: Backend,
    leeway: f64,
    expiring_in: f64,
    fallback: bool,
    server_clock: bool,
    cookie: CookieOptions,
}

impl Options {
    /// Options for the storage key `key` (for the cookie backend, the cookie's name), with every
    /// other option at its default.
    ///
    /// # Example
    ///
    /// ```
    /// let options = tokenstore::Options::new("app.jwt");
    /// ```
    pub fn new(key: impl Into<String>) -> Options {
        Options {
            key: key.into(),
            backend: Backend::Local,
            leeway: 0.0,
            expiring_in: DEFAULT_EXPIRING_IN,
            fallback: true,
            server_clock: false,
            cookie: CookieOptions::default(),
        }
    }

    /// The backend to store the token in: [`Backend::Local`] unless told.
    ///
    /// # Example
    ///
    /// ```
    /// use tokenstore::{Backend, Options};
    /// let options = Options::new("app.jwt").backend(Backend::Memory);
    /// ```
    pub fn backend(mut self, backend: Backend) -> Options {
        self.backend = backend;
        self
    }

    /// Seconds of clock skew tolerated by every expiry check (0 unless told): a finite number, zero
    /// or more, checked by [`TokenStore::open`](crate::TokenStore::open).
    ///
    /// # Example
    ///
    /// ```
    /// let options = tokenstore::Options::new("app.jwt").leeway(30.0);
    /// ```
    pub fn leeway(mut self, seconds: f64) -> Options {
        self.leeway = seconds;
        self
    }

    /// Seconds before `exp` at which [`Event::Expiring`](crate::Event::Expiring) fires (60 unless
    /// told).
    ///
    /// # Example
    ///
    /// ```
    /// let options = tokenstore::Options::new("app.jwt").expiring_in(300.0);
    /// ```
    pub fn expiring_in(mut self, seconds: f64) -> Options {
        self.expiring_in = seconds;
        self
    }

    /// Whether a blocked or full web storage or cookie means memory (with an
    /// [`Event::Fallback`](crate::Event::Fallback)) rather than an error: on unless told.
    ///
    /// # Example
    ///
    /// ```
    /// let options = tokenstore::Options::new("app.jwt").fallback(false);
    /// ```
    pub fn fallback(mut self, fallback: bool) -> Options {
        self.fallback = fallback;
        self
    }

    /// Whether the server's clock is learnt from the `iat` of the tokens given to
    /// [`TokenStore::set`](crate::TokenStore::set) or fetched by a refresh: off unless told.
    ///
    /// # Example
    ///
    /// ```
    /// let options = tokenstore::Options::new("app.jwt").server_clock(true);
    /// ```
    pub fn server_clock(mut self, server_clock: bool) -> Options {
        self.server_clock = server_clock;
        self
    }

    /// The cookie backend's attributes (`Path=/; SameSite=Strict; Secure` unless told).
    ///
    /// # Example
    ///
    /// ```
    /// use tokenstore::{Backend, CookieOptions, Options, SameSite};
    ///
    /// let cookie = CookieOptions { same_site: SameSite::Lax, ..CookieOptions::default() };
    /// let options = Options::new("app_jwt").backend(Backend::Cookie).cookie(cookie);
    /// ```
    pub fn cookie(mut self, cookie: CookieOptions) -> Options {
        self.cookie = cookie;
        self
    }

    /// The options checked as the JS constructor checks them: the key, the options the store keeps and
    /// the backend to open.
    pub(super) fn checked(self) -> Result<(String, KeptOptions, Backend)> {
        if self.key.is_empty() {
            return Err(Error::InvalidOption("key must not be empty".into()));
        }
        let seconds = |value: f64, name: &str| {
            check_leeway(value).map_err(|_| {
                Error::InvalidOption(crate::error::concat(&[
                    name,
                    " must be a finite number of seconds, zero or more",
                ]))
            })
        };
        let kept = KeptOptions {
            leeway: seconds(self.leeway, "leeway")?,
            expiring_in: seconds(self.expiring_in, "expiringIn")?,
            fallback: self.fallback,
            cookie: self.cookie,
            server_clock: self.server_clock,
            dpop: false,
        };
        kept.cookie.check()?;
        Ok((self.key, kept, self.backend))
    }
}

/// How [`TokenStore::refresh_with`](crate::TokenStore::refresh_with) and
/// [`TokenStore::auto_refresh_with`](crate::TokenStore::auto_refresh_with) run, with the JS API's
/// defaults: 10 seconds from taking the lock; for an auto-refresh, [`Options::expiring_in`] seconds
/// ahead of expiry, once at start-up when there is no token, and retries after 1 to 60 seconds.
/// Checked when used, as the JS API checks its options.
///
/// # Example
///
/// ```
/// let options = tokenstore::RefreshOptions::new()
///     .timeout(5.0)
///     .ahead(120.0)
///     .on_start(false)
///     .retry(2.0, 30.0);
/// ```
#[derive(Clone, Debug, Default)]
pub struct RefreshOptions {
    timeout: Option<f64>,
    ahead: Option<f64>,
    on_start: Option<bool>,
    retry: Option<(f64, f64)>,
}

impl RefreshOptions {
    /// Every option at its default.
    ///
    /// # Example
    ///
    /// ```
    /// let options = tokenstore::RefreshOptions::new();
    /// ```
    pub fn new() -> RefreshOptions {
        RefreshOptions::default()
    }

    /// Seconds a refresh may take once its tab holds the lock (more than zero; 10 unless told): past
    /// them it fails with [`Error::Aborted`] and the token stays.
    ///
    /// # Example
    ///
    /// ```
    /// let options = tokenstore::RefreshOptions::new().timeout(5.0);
    /// ```
    pub fn timeout(mut self, seconds: f64) -> RefreshOptions {
        self.timeout = Some(seconds);
        self
    }

    /// Auto-refresh only: how many seconds before `exp` to refresh ([`Options::expiring_in`] unless
    /// told).
    ///
    /// # Example
    ///
    /// ```
    /// let options = tokenstore::RefreshOptions::new().ahead(120.0);
    /// ```
    pub fn ahead(mut self, seconds: f64) -> RefreshOptions {
        self.ahead = Some(seconds);
        self
    }

    /// Auto-refresh only: whether to refresh once at start-up when there is no token, a silent login
    /// (on unless told).
    ///
    /// # Example
    ///
    /// ```
    /// let options = tokenstore::RefreshOptions::new().on_start(false);
    /// ```
    pub fn on_start(mut self, on_start: bool) -> RefreshOptions {
        self.on_start = Some(on_start);
        self
    }

    /// Auto-refresh only: after a failure, retry after `initial` seconds, doubling up to `max` (1 and
    /// 60 unless told).
    ///
    /// # Example
    ///
    /// ```
    /// let options = tokenstore::RefreshOptions::new().retry(2.0, 30.0);
    /// ```
    pub fn retry(mut self, initial: f64, max: f64) -> RefreshOptions {
        self.retry = Some((initial, max));
        self
    }

    /// The options as the JS API's options object, `refresh` its fetch function, for the facade to
    /// check and read.
    pub(super) fn to_js(&self, refresh: &JsValue) -> Result<JsValue> {
        let object = js_sys::Object::new();
        let set = |target: &JsValue, name: &str, value: &JsValue| {
            js_sys::Reflect::set(target, &JsValue::from_str(name), value)
                .map(drop)
                .map_err(|_| Error::InvalidArgument("refresh options".into()))
        };
        set(&object, "refresh", refresh)?;
        if let Some(timeout) = self.timeout {
            set(&object, "timeout", &JsValue::from_f64(timeout))?;
        }
        if let Some(ahead) = self.ahead {
            set(&object, "ahead", &JsValue::from_f64(ahead))?;
        }
        if let Some(on_start) = self.on_start {
            set(&object, "onStart", &JsValue::from_bool(on_start))?;
        }
        if let Some((initial, max)) = self.retry {
            let retry = js_sys::Object::new();
            set(&retry, "initial", &JsValue::from_f64(initial))?;
            set(&retry, "max", &JsValue::from_f64(max))?;
            set(&object, "retry", &retry)?;
        }
        Ok(object.into())
    }
}
