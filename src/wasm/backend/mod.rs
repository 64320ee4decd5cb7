//! The backends that reach the browser, behind the core's [`Storage`] trait: localStorage and
//! sessionStorage through one Web Storage wrapper, and `document.cookie`. The page's memory is the
//! core's [`MemoryStorage`].

mod document_cookie;
mod local_storage;
mod session_storage;
mod web_storage;

use alloc::boxed::Box;

use crate::error::Result;
use crate::memory::MemoryStorage;
use crate::storage::{Backend, Storage};

pub use document_cookie::CookieContext;
pub use web_storage::window;

/// Opens `backend`; `memory` is the page's map, used for [`Backend::Memory`], and `cookie` what
/// [`Backend::Cookie`] needs besides. Web storage and cookies fail with `StorageUnavailable` where
/// the browser blocks them (sandboxed frames, blocked site data, some private modes) or where there
/// is no `window`.
pub fn open(
    backend: Backend,
    memory: &MemoryStorage,
    cookie: CookieContext<'_>,
) -> Result<Box<dyn Storage>> {
    match backend {
        Backend::Local => local_storage::open().map(|s| Box::new(s) as Box<dyn Storage>),
        Backend::Session => session_storage::open().map(|s| Box::new(s) as Box<dyn Storage>),
        Backend::Memory => Ok(Box::new(memory.clone())),
        Backend::Cookie => document_cookie::open(cookie).map(|s| Box::new(s) as Box<dyn Storage>),
    }
}
