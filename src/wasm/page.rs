//! A home for state that belongs to the whole page, such as the memory backend's map.
//!
//! Without the standard library there is no `thread_local!`, and a `static` must be `Sync`. wasm32
//! without the `atomics` feature runs on exactly one thread, so [`PageLocal`] can promise that.
#![allow(unsafe_code)]

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
