//! What a Rust frontend writes with tokenstore: its own claims type, and a login state read from the
//! store.

use serde::Deserialize;
use tokenstore::{Backend, Options, TokenStore};

/// This app's claims.
#[derive(Deserialize, Debug, PartialEq)]
pub struct Claims {
    pub sub: String,
    pub name: String,
    pub roles: Vec<String>,
}

/// The app's store.
pub fn open_store() -> Result<TokenStore, tokenstore::Error> {
    TokenStore::open(Options::new("app.jwt").backend(Backend::Local))
}

/// "Welcome, <name>" while logged in.
pub fn greeting(store: &TokenStore) -> Result<Option<String>, tokenstore::Error> {
    if !store.is_valid() {
        return Ok(None);
    }
    Ok(store
        .claims::<Claims>()?
        .map(|claims| format!("Welcome, {}", claims.name)))
}
