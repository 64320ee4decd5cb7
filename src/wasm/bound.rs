//! The object the DPoP plumbing asks (`dpop.rs`), and the unsubscribe functions: each is the
//! `dispose` of a listener's handle, bound to it.

use alloc::rc::{Rc, Weak};

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;

use super::handle::Handle;
use super::inner::Inner;

/// What the DPoP plumbing asks (`dpop.rs`). Not part of the API.
#[wasm_bindgen(skip_typescript)]
pub struct StoreFunctions {
    pub(super) inner: Rc<Inner>,
}

/// The function that removes the listener `id` of `inner`: the `dispose` of a handle like the one
/// `autoLogin` returns, which does nothing after `free()` or a first call.
pub fn unsubscriber(inner: Weak<Inner>, id: u32) -> JsValue {
    bind(&JsValue::from(Handle::new(inner, id)), "dispose")
}

/// `object[name]` bound to `object`.
fn bind(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name))
        .ok()
        .filter(JsValue::is_function)
        .map_or(JsValue::UNDEFINED, |method| {
            method.unchecked_into::<Function>().bind0(object).into()
        })
}
