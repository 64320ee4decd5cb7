//! Reads the options objects JS passes to `new TokenStore(...)`, `refresh` and `autoRefresh`,
//! checking every type.

use alloc::borrow::ToOwned;
use alloc::string::String;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::dispatch::as_function;
use super::objects::own_field;
use super::page::page;
use crate::cookie::{CookieOptions, SameSite};
use crate::error::{concat, Error, Result};
use crate::refresh::{Auto, Backoff, DEFAULT_TIMEOUT};
use crate::storage::Backend;
use crate::time::check_leeway;

/// The key used when none is given.
pub const DEFAULT_KEY: &str = "tokenstore.jwt";

/// Seconds before `exp` at which the `expiring` event fires, when not given.
pub const DEFAULT_EXPIRING_IN: f64 = 60.0;

/// The options of `new TokenStore(...)`, each one checked: what the JS `TokenStoreOptions` becomes.
#[derive(Debug)]
pub struct CheckedOptions {
    pub backend: Backend,
    pub key: String,
    pub leeway: f64,
    pub fallback: bool,
    pub expiring_in: f64,
    pub cookie: CookieOptions,
    pub server_clock: bool,
    pub dpop: bool,
}

/// The checked options a store keeps for its life: all of [`CheckedOptions`] but the backend and
/// the key, which its `Store` holds.
pub struct KeptOptions {
    /// Seconds of clock skew tolerated.
    pub leeway: f64,
    /// Whether a blocked or full web storage means memory rather than an error.
    pub fallback: bool,
    /// Seconds before `exp` at which `expiring` fires.
    pub expiring_in: f64,
    /// The attributes of the cookie backend's cookie.
    pub cookie: CookieOptions,
    /// Whether tokens given to `set()` or fetched by a refresh teach the server's clock.
    pub server_clock: bool,
    /// Whether requests prove possession of the store's key (DPoP).
    pub dpop: bool,
}

impl CheckedOptions {
    /// Reads `options`; `undefined` and `null` mean all defaults, and unknown keys are ignored.
    pub fn from_js(options: &JsValue) -> Result<CheckedOptions> {
        let defaults = CheckedOptions {
            backend: Backend::Local,
            key: DEFAULT_KEY.to_owned(),
            leeway: 0.0,
            fallback: true,
            expiring_in: DEFAULT_EXPIRING_IN,
            cookie: CookieOptions::default(),
            server_clock: false,
            dpop: false,
        };
        if options.is_undefined() || options.is_null() {
            return Ok(defaults);
        }
        if !plain_object(options) {
            return Err(Error::InvalidOption(
                "options must be a plain object".into(),
            ));
        }
        let backend = match field(options, "backend")? {
            None => defaults.backend,
            Some(value) => Backend::from_name(&string(&value, "backend")?)?,
        };
        let key = match field(options, "key")? {
            None => defaults.key,
            Some(value) => {
                let key = string(&value, "key")?;
                if key.is_empty() {
                    return Err(Error::InvalidOption("key must not be empty".into()));
                }
                key
            }
        };
        let leeway = match field(options, "leeway")? {
            None => defaults.leeway,
            Some(value) => seconds(&value, "leeway")?,
        };
        let expiring_in = match field(options, "expiringIn")? {
            None => defaults.expiring_in,
            Some(value) => seconds(&value, "expiringIn")?,
        };
        let fallback = match field(options, "fallback")? {
            None => defaults.fallback,
            Some(value) => value
                .as_bool()
                .ok_or_else(|| Error::InvalidOption("fallback must be a boolean".into()))?,
        };
        let cookie = match field(options, "cookie")? {
            None => defaults.cookie,
            Some(value) => cookie_options(&value)?,
        };
        let server_clock = match field(options, "serverClock")? {
            None => defaults.server_clock,
            Some(value) => value
                .as_bool()
                .ok_or_else(|| Error::InvalidOption("serverClock must be a boolean".into()))?,
        };
        let dpop = match field(options, "dpop")? {
            None => defaults.dpop,
            Some(value) => value
                .as_bool()
                .ok_or_else(|| Error::InvalidOption("dpop must be a boolean".into()))?,
        };
        Ok(CheckedOptions {
            backend,
            key,
            leeway,
            fallback,
            expiring_in,
            cookie,
            server_clock,
            dpop,
        })
    }
}

fn plain_object(value: &JsValue) -> bool {
    value.is_object() && !is_array(value).unwrap_or(true)
}

/// The `cookie` option: `{ path, domain, sameSite, secure }`, each optional, checked together by the
/// core (`sameSite: "none"` needs `secure`).
fn cookie_options(value: &JsValue) -> Result<CookieOptions> {
    // One message for every wrong type: the shape says what each field takes.
    let wrong = || {
        Error::InvalidOption(
            "cookie must be { path?: string, domain?: string, sameSite?: string, secure?: boolean }"
                .into(),
        )
    };
    if !plain_object(value) {
        return Err(wrong());
    }
    let text = |name| -> Result<Option<String>> {
        field(value, name)?
            .map(|value| value.as_string().ok_or_else(wrong))
            .transpose()
    };
    let mut cookie = CookieOptions::default();
    if let Some(path) = text("path")? {
        cookie.path = path;
    }
    cookie.domain = text("domain")?;
    if let Some(same_site) = text("sameSite")? {
        cookie.same_site = SameSite::from_name(&same_site)?;
    }
    if let Some(secure) = field(value, "secure")? {
        cookie.secure = secure.as_bool().ok_or_else(wrong)?;
    }
    cookie.check()?;
    Ok(cookie)
}

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, which throws for a revoked `Proxy`.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    fn is_array(value: &JsValue) -> core::result::Result<bool, JsValue>;
}

/// An own field of the options object; `undefined` and inherited properties count as absent.
pub(super) fn field(options: &JsValue, name: &str) -> Result<Option<JsValue>> {
    let value = own_field(options, name)
        .map_err(|_| Error::InvalidOption(concat(&["reading the option ", name, " threw"])))?;
    Ok((!value.is_undefined()).then_some(value))
}

/// A duration option: a finite number of seconds, zero or more.
pub(super) fn seconds(value: &JsValue, name: &str) -> Result<f64> {
    value
        .as_f64()
        .and_then(|seconds| check_leeway(seconds).ok())
        .ok_or_else(|| {
            Error::InvalidOption(concat(&[
                name,
                " must be a finite number of seconds, zero or more",
            ]))
        })
}

fn string(value: &JsValue, name: &str) -> Result<String> {
    value
        .as_string()
        .ok_or_else(|| Error::InvalidOption(concat(&[name, " must be a string"])))
}

/// One `autoRefresh` registration of a store.
pub struct AutoEntry {
    /// Its listener id in the hub.
    pub id: u32,
    /// What the core decides for it.
    pub auto: Auto,
    /// The app's `refresh` function.
    pub fetch: Function,
    /// Seconds each attempt may take.
    pub timeout: f64,
}

/// Reads the `autoRefresh` options of a store on `key` whose `expiringIn` is `expiring_in`.
pub fn auto_entry(options: &JsValue, key: &str, expiring_in: f64) -> Result<AutoEntry> {
    if !options.is_object() {
        return Err(Error::InvalidArgument(
            "autoRefresh needs an object: { refresh }".into(),
        ));
    }
    let fetch = field(options, "refresh")?
        .and_then(as_function)
        .ok_or_else(|| Error::InvalidArgument("autoRefresh needs refresh: a function".into()))?;
    let ahead = match field(options, "ahead")? {
        Some(value) => seconds(&value, "ahead")?,
        None => expiring_in,
    };
    let on_start = match field(options, "onStart")? {
        Some(value) => value
            .as_bool()
            .ok_or_else(|| Error::InvalidOption("onStart must be a boolean".into()))?,
        None => true,
    };
    let (initial, max) = match field(options, "retry")? {
        Some(retry) if retry.is_object() => (
            optional_seconds(&retry, "initial", 1.0)?,
            optional_seconds(&retry, "max", 60.0)?,
        ),
        Some(_) => {
            return Err(Error::InvalidOption(
                "retry must be an object: { initial, max }".into(),
            ))
        }
        None => (1.0, 60.0),
    };
    let timeout = timeout_option(options)?;
    // Evaluated for every registration, so the page counts StrictMode's second mount as a repeat.
    let start = page().first_start(key) && on_start;
    Ok(AutoEntry {
        id: 0,
        auto: Auto::new(ahead, start, Backoff::new(initial, max)?),
        fetch,
        timeout,
    })
}

fn optional_seconds(object: &JsValue, name: &str, default: f64) -> Result<f64> {
    match field(object, name)? {
        Some(value) => seconds(&value, name),
        None => Ok(default),
    }
}

/// The `timeout` option (seconds a refresh may take), from `options` if it is an object.
pub fn timeout_option(options: &JsValue) -> Result<f64> {
    if !options.is_object() {
        return Ok(DEFAULT_TIMEOUT);
    }
    match field(options, "timeout")? {
        Some(value) => {
            let timeout = seconds(&value, "timeout")?;
            if timeout > 0.0 {
                Ok(timeout)
            } else {
                Err(Error::InvalidOption(
                    "timeout must be more than zero seconds".into(),
                ))
            }
        }
        None => Ok(DEFAULT_TIMEOUT),
    }
}
