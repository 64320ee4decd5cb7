//! The handle of a listener, exported to JavaScript: what `token_store.js`'s `AutoLogin` and
//! `AutoRefresh` hold and what an unsubscribe function is bound to. Beside `exports.rs` rather than in
//! it, as the store's members (`token_store.rs`, `auto_login.rs`, `bound.rs`) make it.

use alloc::rc::Weak;

use wasm_bindgen::prelude::*;

use super::inner::Inner;

/// What `token_store.js`'s `AutoLogin` and `AutoRefresh` hold, and what an unsubscribe function is
/// bound to: the listener `id` of a store, which it does not keep alive. Not part of the API.
#[wasm_bindgen(skip_typescript)]
pub struct Handle {
    inner: Weak<Inner>,
    id: u32,
}

#[wasm_bindgen]
impl Handle {
    /// Removes the listener; calling it again, or after the store is gone, does nothing.
    pub fn dispose(&self) {
        if let Some(inner) = self.inner.upgrade() {
            inner.remove(self.id);
        }
    }
}

impl Handle {
    /// The handle of the listener `id` of `inner`.
    pub fn new(inner: Weak<Inner>, id: u32) -> Handle {
        Handle { inner, id }
    }
}
