//! The JavaScript API: the only layer that knows about wasm-bindgen, JS values, the DOM and the
//! browser clock. It turns JS values into core calls and core decisions into effects.

#[cfg(feature = "js")]
mod auto_login;
mod backend;
#[cfg(feature = "js")]
mod bound;
mod dispatch;
mod dom;
// Without `js` only the key's discarding at logout is left of it: the store's DPoP methods and the
// plumbing's questions are the JS API's, and so are most of its imports.
#[cfg_attr(not(feature = "js"), allow(unused_imports))]
mod dpop;
mod error;
#[cfg(feature = "js")]
mod exports;
#[cfg(feature = "js")]
mod handle;
mod inner;
mod logout;
mod notify;
mod number;
mod objects;
mod options;
mod page;
mod page_events;
mod records;
mod refresh;
#[cfg(feature = "rust")]
pub(crate) mod rust;
#[cfg(feature = "js")]
mod token_store;
#[cfg(feature = "js")]
mod types;

#[cfg(feature = "js")]
pub use auto_login::AutoLoginHandlers;
#[cfg(feature = "js")]
pub use error::is_token_error;
#[cfg(feature = "js")]
pub use exports::Core;
#[cfg(feature = "js")]
pub use handle::Handle;
pub(crate) use number::parse_float;
#[cfg(feature = "js")]
pub use token_store::{decode_claims, decode_header, Seconds, TokenStore, TokenStoreOptions};
