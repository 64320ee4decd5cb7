//! What every store of the page shares: what the page keeps per key, the page's memory backend, and
//! the page's identity on the logout channel. The stores peers tell are the store's own business
//! (`inner.rs`), so that this file never names the store.
//!
//! Without the standard library there is no `thread_local!`, and a `static` must be `Sync`. wasm32
//! without the `atomics` feature runs on exactly one thread, so [`PageLocal`] can promise that.
#![allow(unsafe_code)]

use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, OnceCell, RefCell};

use super::records;
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

/// What the page keeps for one key while a store is on it.
struct KeyRecord {
    key: String,
    /// The live stores on the key: the record, and the key's sending channel, go with the last one.
    stores: u32,
    /// An `autoRefresh` on the key has had its start-up refresh.
    started: bool,
    /// What the page knows of the key's logouts.
    logouts: KnownLogouts,
    /// The server clock offset (seconds) a store or tab on the key learnt or was told, if any.
    offset: Option<f64>,
}

/// Page-wide state.
pub struct Page {
    /// The keys that live stores are on.
    keys: RefCell<Vec<KeyRecord>>,
    next_store_id: Cell<u32>,
    /// The memory backend's map, one for the page, so two stores on one key see one token.
    pub memory: MemoryStorage,
    /// This page on the logout channel: messages carrying it are this page's own.
    pub id: f64,
    /// Which logout the writer of the memory backend's token under each key knew of, so that every
    /// store of the page dates it alike. Kept as long as the memory's token is, beyond the stores.
    memory_stored: RefCell<Vec<(String, LogoutId)>>,
}

static PAGE: PageLocal<OnceCell<Page>> = PageLocal::new(OnceCell::new());

/// The page's shared state.
pub fn page() -> &'static Page {
    PAGE.get_or_init(|| Page {
        keys: RefCell::new(Vec::new()),
        next_store_id: Cell::new(0),
        memory: MemoryStorage::default(),
        id: js_sys::Math::random(),
        memory_stored: RefCell::new(Vec::new()),
    })
}

impl Page {
    /// A new store id.
    pub fn next_id(&self) -> u32 {
        let id = self.next_store_id.get().wrapping_add(1);
        self.next_store_id.set(id);
        id
    }

    /// A store is made on `key`.
    pub fn open_key(&self, key: &str) {
        let Ok(mut keys) = self.keys.try_borrow_mut() else {
            return;
        };
        match keys.iter_mut().find(|record| record.key == key) {
            Some(record) => record.stores += 1,
            None => keys.push(KeyRecord {
                key: key.into(),
                stores: 1,
                started: false,
                logouts: KnownLogouts::default(),
                offset: None,
            }),
        }
    }

    /// A store on `key` is freed or dropped; true when it was the last one, whose going ends the
    /// key's record.
    pub fn close_key(&self, key: &str) -> bool {
        let Ok(mut keys) = self.keys.try_borrow_mut() else {
            return false;
        };
        let Some(at) = keys.iter().position(|record| record.key == key) else {
            return false;
        };
        let last = keys.get(at).is_some_and(|record| record.stores <= 1);
        if last {
            keys.swap_remove(at);
        } else if let Some(record) = keys.get_mut(at) {
            record.stores -= 1;
        }
        last
    }

    /// Whether this is the first `autoRefresh` start-up on `key` while stores are on it; from now on
    /// it is not. One per window while the key lives, so React StrictMode's mount, unmount and mount
    /// asks once.
    pub fn first_start(&self, key: &str) -> bool {
        let Ok(mut keys) = self.keys.try_borrow_mut() else {
            return false;
        };
        keys.iter_mut()
            .find(|record| record.key == key)
            .is_some_and(|record| !core::mem::replace(&mut record.started, true))
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

    /// The server clock offset the stores on `key` share, once one learnt or was told it.
    pub fn offset(&self, key: &str) -> Option<f64> {
        let keys = self.keys.try_borrow().ok()?;
        keys.iter().find(|record| record.key == key)?.offset
    }

    /// Records the server clock offset the stores on `key` share.
    pub fn set_offset(&self, key: &str, offset: f64) {
        if let Ok(mut keys) = self.keys.try_borrow_mut() {
            if let Some(record) = keys.iter_mut().find(|record| record.key == key) {
                record.offset = Some(offset);
            }
        }
    }

    /// What the page knows of the logouts of `key`, with the mark read afresh. A key no store is on
    /// has only the mark to go by.
    pub fn logouts(&self, key: &str) -> KnownLogouts {
        let mark = records::read_mark(key).map_or(NO_LOGOUT, |mark| mark.id);
        self.with_logouts(key, |known| known.read_mark(mark))
    }

    /// The page logged out of `key`, or heard of the logout `id` by message.
    pub fn hear_logout(&self, key: &str, id: LogoutId) {
        self.with_logouts(key, |known| known.hear(id));
    }

    fn with_logouts(&self, key: &str, update: impl FnOnce(&mut KnownLogouts)) -> KnownLogouts {
        let mut scratch = KnownLogouts::default();
        let Ok(mut keys) = self.keys.try_borrow_mut() else {
            update(&mut scratch);
            return scratch;
        };
        let known = match keys.iter_mut().find(|record| record.key == key) {
            Some(record) => &mut record.logouts,
            None => &mut scratch,
        };
        update(known);
        *known
    }
}
