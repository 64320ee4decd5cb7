//! The JavaScript API: the only layer that knows about wasm-bindgen, JS values, the DOM and the
//! browser clock. It turns JS values into core calls and core decisions into effects.

mod auto_login;
mod auto_refresh;
mod backend;
mod bound;
mod dispatch;
mod dom;
mod dpop;
mod error;
mod inner;
mod logout;
mod notify;
mod number;
mod objects;
mod options;
mod page;
mod refresh;
mod token_store;
mod types;

pub use auto_login::{AutoLogin, AutoLoginHandlers};
pub use auto_refresh::AutoRefresh;
pub use error::is_token_error;
pub(crate) use number::parse_float;
pub use token_store::{decode_claims, decode_header, Seconds, TokenStore, TokenStoreOptions};
