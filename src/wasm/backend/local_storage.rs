//! The localStorage backend: shared by every tab of the origin, kept across browser restarts.

use super::web_storage::WebStorage;
use crate::error::Result;

/// Opens `window.localStorage`.
pub fn open() -> Result<WebStorage> {
    WebStorage::open("localStorage", |window| window.local_storage())
}
