//! The JavaScript API: the only layer that knows about wasm-bindgen, JS values and the browser clock.

mod auto_login;
mod error;
mod options;
mod page;
mod state;
mod token_store;
mod types;
mod watch;

pub use auto_login::{AutoLogin, AutoLoginHandlers};
pub use error::is_token_error;
pub use token_store::{decode_claims, decode_header, Seconds, TokenStore, TokenStoreOptions};
