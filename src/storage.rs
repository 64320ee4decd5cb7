//! Where a token is kept: the trait every backend implements, and the names of the backends. The
//! backends that reach the browser (Web Storage, the cookie) live in the facade (`wasm::backend`);
//! the page's memory is [`crate::memory`].

use alloc::rc::Rc;

use crate::error::{Error, Result};

/// A key-value store for the raw token, shaped like the Web Storage API.
pub trait Storage {
    /// The value under `key`, if any. Shared, so a backend can hand out the same value again cheaply
    /// when it has not changed: reads happen on every getter call.
    fn read(&self, key: &str) -> Result<Option<Rc<str>>>;
    /// Stores `value` under `key`, replacing what was there. `exp` is the token's expiry (seconds
    /// since the epoch, `None` when it has none): the store decodes every token before writing it, so
    /// a backend that can make a value expire by itself (the cookie) is told, and the others ignore it.
    fn write(&self, key: &str, value: &str, exp: Option<f64>) -> Result<()>;
    /// Removes `key`; removing a missing key is not an error.
    fn remove(&self, key: &str) -> Result<()>;
}

/// The storage backends a `TokenStore` can use.
///
/// # Example
///
/// ```
/// use tokenstore::Backend;
///
/// assert_eq!(Backend::from_name("session"), Ok(Backend::Session));
/// assert_eq!(Backend::Cookie.name(), "cookie");
/// assert!(Backend::Local.shared_between_tabs());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// `window.localStorage`: shared by the origin's tabs, survives restarts.
    Local,
    /// `window.sessionStorage`: one tab, survives reloads of that tab.
    Session,
    /// This page's memory: lost on reload, out of reach of other tabs.
    Memory,
    /// A cookie named after the key: shared by the site's tabs, sent with every request to the site,
    /// dropped by the browser when the token expires.
    Cookie,
}

impl Backend {
    /// The name JS callers use: `"local"`, `"session"`, `"memory"` or `"cookie"`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Local => "local",
            Backend::Session => "session",
            Backend::Memory => "memory",
            Backend::Cookie => "cookie",
        }
    }

    /// Whether every tab of the site reads the same value: a logout elsewhere then needs no
    /// removal here, only a fresh read.
    pub fn shared_between_tabs(self) -> bool {
        matches!(self, Backend::Local | Backend::Cookie)
    }

    /// Parses a backend name as JS callers spell it.
    pub fn from_name(name: &str) -> Result<Backend> {
        match name {
            "local" => Ok(Backend::Local),
            "session" => Ok(Backend::Session),
            "memory" => Ok(Backend::Memory),
            "cookie" => Ok(Backend::Cookie),
            _ => Err(Error::InvalidOption(
                "backend must be \"local\", \"session\", \"memory\" or \"cookie\"".into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_names_round_trip() {
        for backend in [
            Backend::Local,
            Backend::Session,
            Backend::Memory,
            Backend::Cookie,
        ] {
            assert_eq!(Backend::from_name(backend.name()), Ok(backend));
        }
        for bad in ["", "Local", "Cookie", "cookies", "local "] {
            assert_eq!(
                Backend::from_name(bad).map_err(|e| e.code()),
                Err("INVALID_OPTION")
            );
        }
    }
}
