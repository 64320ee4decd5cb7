//! tokenstore: one API over localStorage, sessionStorage, memory and a cookie for a JWT, with strict
//! decoding and expiry checks, for browsers through WebAssembly.
//!
//! The crate is two layers. A pure core, with no browser API in it and tested natively, decides every
//! rule: [`jwt`] (decoding), [`time`] (expiry checks, with "now" always passed in), `store` (what a
//! store holds), `storage` (the trait every backend implements, and their names), `memory` (the
//! page's memory backend), `cookie` (the cookie backend's rules), `session` (statuses, login and
//! logout transitions, events, wake-ups), `hub` (who listens and in what order they hear),
//! `broadcast` (which logout news to act on, and their order), `refresh` (single flight, adoption,
//! the lock's lease), `clock` (the server's clock), `dpop` (what a DPoP proof says, and when to send again) and
//! `fallback` (when to move to memory). And a
//! thin wasm-bindgen facade, `wasm` (built for wasm32), which turns JS values into core calls and core decisions into
//! effects: the only place that reads the clock, touches the DOM or builds JS values.
//!
//! [`jwt`] decodes with three small hand-written parts: [`json`], [`base64url`] and [`number`]. They are
//! public so that `tests/oracles.rs` and the fuzz targets can hold each to a well-kept crate directly.
//!
//! The Rust API (the default `rust` feature; the store itself on wasm32): `TokenStore` over the same
//! facade, with claims read into your own serde types, guards that detach on drop and `Result`
//! everywhere. The JS API (the `js` feature) is what the npm package exports.
//!
//! ```no_run
//! # #[cfg(target_arch = "wasm32")]
//! # fn main() -> Result<(), tokenstore::Error> {
//! use tokenstore::{Backend, Options, TokenStore};
//!
//! #[derive(serde::Deserialize)]
//! struct Claims {
//!     sub: String,
//!     name: String,
//! }
//!
//! let store = TokenStore::open(Options::new("app.jwt").backend(Backend::Local))?;
//! let hook = store.auto_login(
//!     |token: &str| {
//!         if let Ok(claims) = tokenstore::decode_claims::<Claims>(token) {
//!             web_sys::console::log_1(&format!("Welcome, {}", claims.name).into());
//!         }
//!     },
//!     |reason| web_sys::console::log_1(&reason.name().into()),
//! )?;
//! // Keep `hook` as long as the app should hear logins and logouts.
//! # drop(hook);
//! # Ok(())
//! # }
//! # #[cfg(not(target_arch = "wasm32"))]
//! # fn main() {}
//! ```
//!
//! Decoding is not verification: a token's signature is never checked here, because a browser cannot
//! hold the key that would make that meaningful. Servers verify; this crate only reads.
//!
//! The crate is `no_std` with `alloc`. With the default `std` feature the standard library supplies the
//! allocator and panic handler; the release build turns it off and `runtime` supplies small ones,
//! which keeps `core::fmt` and the standard library's panic machinery out of the wasm module.
// The rules' modules are the crate's own: only the facade, built for wasm32 alone, calls them, so
// natively (where `cargo test` runs them) they would all look unused.
#![cfg_attr(not(test), no_std)]
// Without `js`, what only the JS API calls (DPoP, the options reader, snapshots) is unused, as the
// core's rules are natively.
#![cfg_attr(not(feature = "js"), allow(dead_code))]
#![deny(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod ascii;
pub mod base64url;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod broadcast;
#[cfg(feature = "rust")]
mod claims;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod clock;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod cookie;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod dpop;
pub mod error;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod fallback;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod hub;
pub mod json;
pub mod jwt;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod memory;
pub mod number;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod refresh;
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
mod runtime;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod session;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod storage;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod store;
pub mod time;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

#[cfg(test)]
mod test_tokens;

pub use error::{Error, Part};

#[cfg(feature = "rust")]
pub use claims::{decode_claims, decode_header};
#[cfg(feature = "rust")]
pub use cookie::{CookieOptions, SameSite};
#[cfg(feature = "rust")]
pub use hub::EventName as Event;
#[cfg(feature = "rust")]
pub use session::LogoutReason;
#[cfg(feature = "rust")]
pub use storage::Backend;
#[cfg(all(target_arch = "wasm32", feature = "rust"))]
pub use wasm::rust::{Options, RefreshError, RefreshOptions, Subscription, TokenStore};
