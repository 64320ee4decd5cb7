//! `Subscription`: the guard that keeps a Rust handler attached to a store.

use alloc::rc::Weak;
use alloc::vec::Vec;

use wasm_bindgen::prelude::*;

use crate::wasm::inner::Inner;

/// A handler attached to a store, by [`TokenStore::subscribe`](crate::TokenStore::subscribe),
/// [`TokenStore::on`](crate::TokenStore::on) or
/// [`TokenStore::auto_login`](crate::TokenStore::auto_login). Dropping it detaches the handler: it is
/// never called again, and the listeners and timers the store added for it go with the last one.
/// Keep it as long as the handler should run (in a component's state, say). Not `Send`: a store
/// belongs to the page's one thread.
///
/// # Example
///
/// ```no_run
/// use tokenstore::{Options, TokenStore};
///
/// let store = TokenStore::open(Options::new("app.jwt"))?;
/// let subscription = store.subscribe(|| web_sys::console::log_1(&"changed".into()))?;
/// // ... later, to stop hearing of changes:
/// drop(subscription);
/// # Ok::<(), tokenstore::Error>(())
/// ```
#[must_use = "dropping the subscription detaches its handler at once"]
pub struct Subscription {
    inner: Weak<Inner>,
    id: u32,
    /// The handlers as JS functions, freed only once detached.
    handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl Subscription {
    /// The guard of the listener `id` of `inner`, holding its handlers.
    pub(super) fn new(
        inner: Weak<Inner>,
        id: u32,
        handlers: Vec<Closure<dyn FnMut(JsValue)>>,
    ) -> Subscription {
        Subscription {
            inner,
            id,
            handlers,
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.upgrade() {
            inner.remove(self.id);
        }
        // Detached first: the store can no longer call the closures freed after this.
        self.handlers.clear();
    }
}

impl core::fmt::Debug for Subscription {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter
            .debug_struct("Subscription")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}
