//! `store.autoLogin({ onLogin, onLogout })`: the seeds' DOMContentLoaded and popstate glue, done once.

use alloc::rc::{Rc, Weak};

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;

use super::state::Inner;
use super::watch::Listener;
use crate::error::{concat, Error, Result};

#[wasm_bindgen]
extern "C" {
    /// The handlers object, checked field by field at run time.
    #[wasm_bindgen(typescript_type = "AutoLoginHandlers")]
    pub type AutoLoginHandlers;
}

/// What `autoLogin` returns: `dispose()` removes the hook and every listener and timer it added.
#[wasm_bindgen]
pub struct AutoLogin {
    inner: Weak<Inner>,
    id: u32,
    /// Waits for DOMContentLoaded when the document was still loading.
    dom_ready: Option<Listener>,
}

#[wasm_bindgen]
impl AutoLogin {
    /// Stops the hook: its handlers are never called again. Calling it twice is harmless.
    pub fn dispose(&mut self) {
        self.dom_ready = None;
        if let Some(inner) = self.inner.upgrade() {
            inner.remove(self.id);
        }
    }
}

impl AutoLogin {
    /// Registers the hook and runs its first check now if the document has loaded, else on
    /// DOMContentLoaded. Where there is no document (server-side rendering) it never runs.
    pub fn start(inner: &Rc<Inner>, handlers: JsValue) -> Result<AutoLogin> {
        if !handlers.is_object() || handlers.is_function() || js_sys::Array::is_array(&handlers) {
            return Err(Error::InvalidArgument(
                "autoLogin needs an object: { onLogin, onLogout }".into(),
            ));
        }
        let on_login = handler(&handlers, "onLogin")?;
        let on_logout = handler(&handlers, "onLogout")?;
        if on_login.is_none() && on_logout.is_none() {
            return Err(Error::InvalidArgument(
                "autoLogin needs onLogin or onLogout, or both".into(),
            ));
        }
        let id = inner.add_hook(on_login, on_logout);
        let document = web_sys::window().and_then(|window| window.document());
        let mut dom_ready = None;
        if let Some(document) = document {
            if document.ready_state() == "loading" {
                let weak = Rc::downgrade(inner);
                dom_ready = Listener::new(&document, "DOMContentLoaded", move |_| {
                    if let Some(inner) = weak.upgrade() {
                        inner.activate_hook(id);
                    }
                });
            } else {
                inner.activate_hook(id);
            }
        }
        Ok(AutoLogin {
            inner: Rc::downgrade(inner),
            id,
            dom_ready,
        })
    }
}

/// An optional handler: absent (`undefined`) or a function.
fn handler(handlers: &JsValue, name: &str) -> Result<Option<Function>> {
    let value = Reflect::get(handlers, &JsValue::from_str(name))
        .map_err(|_| Error::InvalidArgument(concat(&["reading ", name, " threw"])))?;
    if value.is_undefined() {
        return Ok(None);
    }
    value
        .dyn_into::<Function>()
        .map(Some)
        .map_err(|_| Error::InvalidArgument(concat(&[name, " must be a function"])))
}
