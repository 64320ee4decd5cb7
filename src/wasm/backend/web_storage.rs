//! What localStorage and sessionStorage share: a `web_sys::Storage` and the mapping of its exceptions.

use alloc::borrow::ToOwned;
use alloc::rc::Rc;
use alloc::string::String;
use core::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::error::{concat, Error, Result};
use crate::storage::Storage;

#[wasm_bindgen]
extern "C" {
    /// A Storage seen through the one method declared below.
    type RawStorage;

    /// `getItem` returning the JS string itself, so an unchanged value can be recognised in JS without
    /// copying it into wasm, and taking the key as a JS string made once rather than on every read.
    #[wasm_bindgen(method, catch, js_name = getItem)]
    fn get_item_value(this: &RawStorage, key: &JsValue) -> core::result::Result<JsValue, JsValue>;
}

/// A Web Storage object (localStorage or sessionStorage) seen through the [`Storage`] trait.
pub struct WebStorage {
    storage: web_sys::Storage,
    name: &'static str,
    /// The last value read, as JS and as Rust text.
    last: RefCell<Option<(JsValue, Rc<str>)>>,
    /// The last key read, as Rust and as JS text.
    key: RefCell<Option<(String, JsValue)>>,
}

impl WebStorage {
    /// Wraps the storage that `get` returns; `name` ("localStorage") is used in messages.
    pub fn open(
        name: &'static str,
        get: impl FnOnce(&web_sys::Window) -> core::result::Result<Option<web_sys::Storage>, JsValue>,
    ) -> Result<WebStorage> {
        let window = window().ok_or_else(|| {
            Error::StorageUnavailable(concat(&[name, ": there is no window here"]))
        })?;
        match get(&window) {
            Ok(Some(storage)) => Ok(WebStorage {
                storage,
                name,
                last: RefCell::new(None),
                key: RefCell::new(None),
            }),
            Ok(None) => Err(Error::StorageUnavailable(concat(&[
                name,
                " is not available",
            ]))),
            Err(error) => Err(Error::StorageUnavailable(concat(&[
                name,
                " is blocked (",
                &exception_name(&error),
                ")",
            ]))),
        }
    }

    fn failure(&self, action: &str, error: &JsValue) -> Error {
        let name = exception_name(error);
        // Firefox used to name it NS_ERROR_DOM_QUOTA_REACHED.
        if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" {
            Error::QuotaExceeded(concat(&[self.name, " is full"]))
        } else {
            Error::StorageUnavailable(concat(&[
                self.name,
                " could not ",
                action,
                " (",
                &name,
                ")",
            ]))
        }
    }
}

impl Storage for WebStorage {
    fn read(&self, key: &str) -> Result<Option<Rc<str>>> {
        let js_key = {
            let mut cached = self.key.borrow_mut();
            match cached.as_ref().filter(|(text, _)| text == key) {
                Some((_, js_key)) => js_key.clone(),
                None => cached
                    .insert((key.to_owned(), JsValue::from_str(key)))
                    .1
                    .clone(),
            }
        };
        let value = self
            .storage
            .unchecked_ref::<RawStorage>()
            .get_item_value(&js_key)
            .map_err(|error| self.failure("read", &error))?;
        let mut last = self.last.borrow_mut();
        if let Some((_, text)) = last.as_ref().filter(|(seen, _)| *seen == value) {
            return Ok(Some(Rc::clone(text)));
        }
        let Some(text) = value.as_string() else {
            *last = None;
            return Ok(None);
        };
        let text: Rc<str> = Rc::from(text);
        *last = Some((value, Rc::clone(&text)));
        Ok(Some(text))
    }

    fn write(&self, key: &str, value: &str, _exp: Option<f64>) -> Result<()> {
        self.storage
            .set_item(key, value)
            .map_err(|error| self.failure("write", &error))
    }

    fn remove(&self, key: &str) -> Result<()> {
        self.storage
            .remove_item(key)
            .map_err(|error| self.failure("remove", &error))
    }
}

/// The browser window, found by its features rather than by `instanceof Window`, which is false in
/// jsdom and happy-dom although their `window` is the global object. `None` on a server.
pub fn window() -> Option<web_sys::Window> {
    let global = js_sys::global();
    let has = |name: &str| {
        js_sys::Reflect::get(&global, &JsValue::from_str(name))
            .is_ok_and(|value| !value.is_undefined())
    };
    (has("document") && has("addEventListener")).then(|| global.unchecked_into())
}

/// The `name` of a thrown DOMException or Error, such as "SecurityError".
pub(super) fn exception_name(error: &JsValue) -> String {
    // A page's storage shim may throw anything; `Reflect.get` on a primitive would throw in turn and
    // cost a slot of the externref table for good (see `dom::number`).
    if !error.is_object() {
        return "unknown error".to_owned();
    }
    js_sys::Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|name| name.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}
