//! `store.autoLogin({ onLogin, onLogout })`: the seeds' DOMContentLoaded and popstate glue, done once.

use alloc::rc::Rc;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::dispatch::as_function;
use super::handle::Handle;
use super::inner::Inner;
use super::objects::own_field;
use crate::error::{concat, Error, Result};
use crate::session::Seen;

#[wasm_bindgen]
extern "C" {
    /// The handlers object, checked field by field at run time.
    #[wasm_bindgen(typescript_type = "AutoLoginHandlers")]
    pub type AutoLoginHandlers;
}

/// Registers the hook and runs its first check now if the document has loaded, else on
/// DOMContentLoaded. Where there is no document (server-side rendering) it never runs. `seen` is
/// what the app was already told: the package's early answer, or `Seen::Nothing`. Returns its handle.
pub fn start(inner: &Rc<Inner>, handlers: JsValue, seen: Seen) -> Result<Handle> {
    inner.check_open()?;
    if !handlers.is_object() {
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
    let id = inner.add_hook(on_login, on_logout, seen)?;
    Ok(Handle::new(Rc::downgrade(inner), id))
}

/// An optional handler, an own property: absent (`undefined` or inherited) or a function.
fn handler(handlers: &JsValue, name: &str) -> Result<Option<Function>> {
    let value = own_field(handlers, name)
        .map_err(|_| Error::InvalidArgument(concat(&["reading ", name, " threw"])))?;
    if value.is_undefined() {
        return Ok(None);
    }
    as_function(value)
        .map(Some)
        .ok_or_else(|| Error::InvalidArgument(concat(&[name, " must be a function"])))
}
