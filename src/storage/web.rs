//! What localStorage and sessionStorage share: a `web_sys::Storage` and the mapping of its exceptions.

use wasm_bindgen::JsValue;

use super::Storage;
use crate::error::{Error, Result};

/// A Web Storage object (localStorage or sessionStorage) seen through the [`Storage`] trait.
pub struct WebStorage {
    storage: web_sys::Storage,
    name: &'static str,
}

impl WebStorage {
    /// Wraps the storage that `get` returns; `name` ("localStorage") is used in messages.
    pub fn open(
        name: &'static str,
        get: impl FnOnce(&web_sys::Window) -> core::result::Result<Option<web_sys::Storage>, JsValue>,
    ) -> Result<WebStorage> {
        let window = web_sys::window()
            .ok_or_else(|| Error::StorageUnavailable(format!("{name}: there is no window here")))?;
        match get(&window) {
            Ok(Some(storage)) => Ok(WebStorage { storage, name }),
            Ok(None) => Err(Error::StorageUnavailable(format!(
                "{name} is not available"
            ))),
            Err(error) => Err(Error::StorageUnavailable(format!(
                "{name} is blocked ({})",
                exception_name(&error)
            ))),
        }
    }

    fn failure(&self, action: &str, error: &JsValue) -> Error {
        let name = exception_name(error);
        // Firefox used to name it NS_ERROR_DOM_QUOTA_REACHED.
        if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" {
            Error::QuotaExceeded(format!("{} is full", self.name))
        } else {
            Error::StorageUnavailable(format!("{} could not {action} ({name})", self.name))
        }
    }
}

impl Storage for WebStorage {
    fn read(&self, key: &str) -> Result<Option<String>> {
        self.storage
            .get_item(key)
            .map_err(|error| self.failure("read", &error))
    }

    fn write(&self, key: &str, value: &str) -> Result<()> {
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

/// The `name` of a thrown DOMException or Error, such as "SecurityError".
fn exception_name(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|name| name.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}
