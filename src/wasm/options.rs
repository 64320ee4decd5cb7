//! Reads the options object JS passes to `new TokenStore(...)`, checking every type.

use alloc::borrow::ToOwned;
use alloc::string::String;

use wasm_bindgen::prelude::*;

use super::objects::own_field;
use crate::cookie::{CookieOptions, SameSite};
use crate::error::{concat, Error, Result};
use crate::storage::Backend;
use crate::time::check_leeway;

/// The key used when none is given.
pub const DEFAULT_KEY: &str = "tokenstore.jwt";

/// Seconds before `exp` at which the `expiring` event fires, when not given.
pub const DEFAULT_EXPIRING_IN: f64 = 60.0;

/// `TokenStore` options, each one checked.
#[derive(Debug)]
pub struct Options {
    pub backend: Backend,
    pub key: String,
    pub leeway: f64,
    pub fallback: bool,
    pub expiring_in: f64,
    pub cookie: CookieOptions,
    pub server_clock: bool,
    pub dpop: bool,
}

impl Options {
    /// Reads `options`; `undefined` and `null` mean all defaults, and unknown keys are ignored.
    pub fn from_js(options: &JsValue) -> Result<Options> {
        let defaults = Options {
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
        Ok(Options {
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
