//! The handle `store.autoRefresh(options)` returns: its own class, so the console and `instanceof`
//! tell a refresh apart from an `autoLogin` hook.

use alloc::rc::Weak;

use wasm_bindgen::prelude::*;

use super::inner::Inner;

/// What `autoRefresh` returns: `dispose()` (or `free()`, or `[Symbol.dispose]`) stops refreshing; a
/// refresh under way finishes. Dropping the handle does not: the refresh lives while its store does.
#[wasm_bindgen]
pub struct AutoRefresh {
    inner: Weak<Inner>,
    id: u32,
}

#[wasm_bindgen]
impl AutoRefresh {
    /// Stops refreshing ahead of expiry and retrying. Calling it twice is harmless.
    pub fn dispose(&self) {
        if let Some(inner) = self.inner.upgrade() {
            inner.remove(self.id);
        }
    }

    /// The same as `dispose()`. The handle stays usable: calling it again does nothing.
    // Replaces the `free()` wasm-bindgen writes, as AutoLogin's does.
    #[wasm_bindgen(js_name = free)]
    pub fn free_refresh(&self) {
        self.dispose();
    }
}

impl AutoRefresh {
    /// The handle of the auto-refresh `id` of `inner`.
    pub fn new(inner: Weak<Inner>, id: u32) -> AutoRefresh {
        AutoRefresh { inner, id }
    }
}
