//! Turns the crate's [`Error`] into the JS `Error` that callers catch: `name` "TokenError", a stable `code`.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::error::Error;

impl From<Error> for JsValue {
    fn from(error: Error) -> JsValue {
        let js_error = js_sys::Error::new(&error.message());
        js_error.set_name("TokenError");
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(
            &js_error,
            &JsValue::from_str("code"),
            &JsValue::from_str(error.code()),
        );
        js_error.into()
    }
}

/// Whether `error` is an error thrown by tokenstore (a JS `Error` named "TokenError" with a `code`).
#[wasm_bindgen(js_name = isTokenError, unchecked_return_type = "error is TokenError")]
pub fn is_token_error(#[wasm_bindgen(unchecked_param_type = "unknown")] error: JsValue) -> bool {
    error.is_instance_of::<js_sys::Error>()
        && Reflect::get(&error, &JsValue::from_str("name"))
            .ok()
            .and_then(|name| name.as_string())
            .as_deref()
            == Some("TokenError")
        && Reflect::get(&error, &JsValue::from_str("code")).is_ok_and(|code| code.is_string())
}
