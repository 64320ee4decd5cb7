//! The JavaScript API: the only layer that knows about wasm-bindgen, JS values and the browser clock.

mod error;
mod options;
mod token_store;
mod types;

pub use error::is_token_error;
pub use token_store::{decode_claims, decode_header, Seconds, TokenStore, TokenStoreOptions};
