//! What every store of the page shares: the registry of live stores, the page's memory backend, and
//! the page's identity on the logout channel.
//!
//! Without the standard library there is no `thread_local!`, and a `static` must be `Sync`. wasm32
//! without the `atomics` feature runs on exactly one thread, so [`PageLocal`] can promise that.
#![allow(unsafe_code)]

use alloc::rc::{Rc, Weak};
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, OnceCell, RefCell};

use super::dom;
use super::inner::Inner;
use crate::broadcast::{KnownLogouts, LogoutId, Stored, NO_LOGOUT};
use crate::memory::MemoryStorage;

#[cfg(target_feature = "atomics")]
compile_error!(
    "tokenstore keeps page state for a single thread: build without the atomics feature"
);

/// A value for a `static` in a module that only ever runs on one thread.
pub struct PageLocal<T>(T);

impl<T> PageLocal<T> {
    /// Wraps `value`.
    pub const fn new(value: T) -> PageLocal<T> {
        PageLocal(value)
    }
}

impl<T> core::ops::Deref for PageLocal<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

// SAFETY: this module is only built for wasm32 without the `atomics` feature (checked above), where
// there is one thread and no shared memory, so no value can ever be reached from two threads.
unsafe impl<T> Sync for PageLocal<T> {}

/// Page-wide state.
pub struct Page {
    /// Every store that has not been dropped, with its id. A page has a handful, so a list beats a map
    /// (and a map's code weighs kilobytes in the module).
    stores: RefCell<Vec<(u32, Weak<Inner>)>>,
    next_store_id: Cell<u32>,
    /// The memory backend's map, one for the page, so two stores on one key see one token.
    pub memory: MemoryStorage,
    /// This page on the logout channel: messages carrying it are this page's own.
    pub id: f64,
    /// Which logout the writer of the memory backend's token under each key knew of, so that every
    /// store of the page dates it alike.
    memory_stored: RefCell<Vec<(String, LogoutId)>>,
    /// What the page knows of each key's logouts.
    logouts: RefCell<Vec<(String, KnownLogouts)>>,
}

static PAGE: PageLocal<OnceCell<Page>> = PageLocal::new(OnceCell::new());

/// The page's shared state.
pub fn page() -> &'static Page {
    PAGE.get_or_init(|| Page {
        stores: RefCell::new(Vec::new()),
        next_store_id: Cell::new(0),
        memory: MemoryStorage::default(),
        id: js_sys::Math::random(),
        memory_stored: RefCell::new(Vec::new()),
        logouts: RefCell::new(Vec::new()),
    })
}

impl Page {
    /// A new store id.
    pub fn next_id(&self) -> u32 {
        let id = self.next_store_id.get().wrapping_add(1);
        self.next_store_id.set(id);
        id
    }

    /// Adds a store to the registry.
    pub fn register(&self, id: u32, inner: Weak<Inner>) {
        self.stores.borrow_mut().push((id, inner));
    }

    /// Removes a store from the registry. `try_`: it runs in `Drop`, which must not panic; should the
    /// list be busy, the entry stays behind, harmless: its `Weak` no longer upgrades.
    pub fn unregister(&self, id: u32) {
        if let Ok(mut stores) = self.stores.try_borrow_mut() {
            stores.retain(|(live, _)| *live != id);
        }
    }

    /// Which logout the writer of the memory backend's token under `key` knew of, if a store of this
    /// page wrote it.
    pub fn memory_stored(&self, key: &str) -> Stored {
        let stored = self.memory_stored.try_borrow().ok()?;
        stored.iter().find(|(k, _)| k == key).map(|(_, knew)| *knew)
    }

    /// Records which logout the writer of the memory backend's token under `key` knew of, or forgets
    /// it (`None`).
    pub fn set_memory_stored(&self, key: &str, stored: Stored) {
        let Ok(mut all) = self.memory_stored.try_borrow_mut() else {
            return;
        };
        all.retain(|(k, _)| k != key);
        if let Some(knew) = stored {
            all.push((key.into(), knew));
        }
    }

    /// What the page knows of the logouts of `key`, with the mark read afresh.
    pub fn logouts(&self, key: &str) -> KnownLogouts {
        let mark = dom::read_mark(key).map_or(NO_LOGOUT, |mark| mark.id);
        self.with_logouts(key, |known| known.read_mark(mark))
    }

    /// The page logged out of `key`, or heard of the logout `id` by message.
    pub fn hear_logout(&self, key: &str, id: LogoutId) {
        self.with_logouts(key, |known| known.hear(id));
    }

    fn with_logouts(&self, key: &str, update: impl FnOnce(&mut KnownLogouts)) -> KnownLogouts {
        let Ok(mut all) = self.logouts.try_borrow_mut() else {
            return KnownLogouts::default();
        };
        let index = match all.iter().position(|(k, _)| k == key) {
            Some(index) => index,
            None => {
                all.push((key.into(), KnownLogouts::default()));
                all.len() - 1
            }
        };
        let known = &mut all[index].1;
        update(known);
        *known
    }

    /// Every live store but `except`, collected first so that the caller may call into them while
    /// stores come and go.
    pub fn others(&self, except: u32) -> Vec<Rc<Inner>> {
        let Ok(stores) = self.stores.try_borrow() else {
            return Vec::new();
        };
        stores
            .iter()
            .filter(|(id, _)| *id != except)
            .filter_map(|(_, inner)| inner.upgrade())
            .collect()
    }
}
