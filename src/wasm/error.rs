//! Turns the crate's [`Error`] into the `TokenError` that callers catch: a JS `Error` subclass with
//! `name` "TokenError" and a stable `code`.

#[cfg(feature = "js")]
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::error::Error;

#[wasm_bindgen(module = "/src/wasm/token_store.js")]
extern "C" {
    /// `new TokenError(code, message)`.
    #[wasm_bindgen(js_name = tokenError)]
    fn token_error(code: &str, message: &str) -> JsValue;
}

impl From<Error> for JsValue {
    fn from(error: Error) -> JsValue {
        token_error(error.code(), &error.message())
    }
}

/// Whether `error` is an error thrown by tokenstore: a JS `Error` named "TokenError" with a string
/// `code`. Unlike `instanceof TokenError`, it also recognises errors from another copy of the package.
#[cfg(feature = "js")]
pub fn is_token_error(error: JsValue) -> bool {
    error.is_instance_of::<js_sys::Error>()
        && Reflect::get(&error, &JsValue::from_str("name"))
            .ok()
            .and_then(|name| name.as_string())
            .as_deref()
            == Some("TokenError")
        && Reflect::get(&error, &JsValue::from_str("code")).is_ok_and(|code| code.is_string())
}
