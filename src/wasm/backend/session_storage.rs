//! The sessionStorage backend: one tab only, kept across reloads of that tab.

use super::web_storage::WebStorage;
use crate::error::Result;

/// Opens `window.sessionStorage`.
pub fn open() -> Result<WebStorage> {
    WebStorage::open("sessionStorage", |window| window.session_storage())
}
