//! Where a token is kept: one small trait, and one module per backend.

mod local;
mod memory;
mod session;
mod web;

use alloc::boxed::Box;
use alloc::rc::Rc;

use crate::error::{Error, Result};

pub use memory::MemoryStorage;
pub use web::window;

/// A key-value store for the raw token, shaped like the Web Storage API.
pub trait Storage {
    /// The value under `key`, if any. Shared, so a backend can hand out the same value again cheaply
    /// when it has not changed: reads happen on every getter call.
    fn read(&self, key: &str) -> Result<Option<Rc<str>>>;
    /// Stores `value` under `key`, replacing what was there.
    fn write(&self, key: &str, value: &str) -> Result<()>;
    /// Removes `key`; removing a missing key is not an error.
    fn remove(&self, key: &str) -> Result<()>;
}

/// The storage backends a `TokenStore` can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// `window.localStorage`: shared by the origin's tabs, survives restarts.
    Local,
    /// `window.sessionStorage`: one tab, survives reloads of that tab.
    Session,
    /// This page's memory: lost on reload, out of reach of other tabs.
    Memory,
}

impl Backend {
    /// The name JS callers use: `"local"`, `"session"` or `"memory"`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Local => "local",
            Backend::Session => "session",
            Backend::Memory => "memory",
        }
    }

    /// Parses a backend name as JS callers spell it.
    pub fn from_name(name: &str) -> Result<Backend> {
        match name {
            "local" => Ok(Backend::Local),
            "session" => Ok(Backend::Session),
            "memory" => Ok(Backend::Memory),
            _ => Err(Error::InvalidOption(
                "backend must be \"local\", \"session\" or \"memory\"".into(),
            )),
        }
    }

    /// Opens this backend; `memory` is the page's map, used for [`Backend::Memory`]. Web storage
    /// fails with `StorageUnavailable` where the browser blocks it (sandboxed frames, blocked site
    /// data, some private modes) or where there is no `window`.
    pub fn open(self, memory: &MemoryStorage) -> Result<Box<dyn Storage>> {
        match self {
            Backend::Local => local::open().map(|s| Box::new(s) as Box<dyn Storage>),
            Backend::Session => session::open().map(|s| Box::new(s) as Box<dyn Storage>),
            Backend::Memory => Ok(Box::new(memory.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_names_round_trip() {
        for backend in [Backend::Local, Backend::Session, Backend::Memory] {
            assert_eq!(Backend::from_name(backend.name()), Ok(backend));
        }
        for bad in ["", "Local", "cookie", "local "] {
            assert_eq!(
                Backend::from_name(bad).map_err(|e| e.code()),
                Err("INVALID_OPTION")
            );
        }
    }
}
