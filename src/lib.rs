//! tokenstore: one API over localStorage, sessionStorage, memory and a cookie for a JWT, with strict
//! decoding and expiry checks, for browsers through WebAssembly.
//!
//! The crate is two layers. A pure core, with no browser API in it and tested natively, decides every
//! rule: [`jwt`] (decoding), [`time`] (expiry checks, with "now" always passed in), [`store`] (what a
//! store holds), [`storage`] (the trait every backend implements, and their names), [`memory`] (the
//! page's memory backend), [`cookie`] (the cookie backend's
//! rules), [`session`] (statuses, login and logout transitions, events, wake-ups), [`hub`] (who listens and in what order they hear), [`broadcast`]
//! (which logout news to act on) [`fallback`] (when to move to memory) and `dpop` (what a DPoP proof says, and when to send again). And a thin wasm-bindgen
//! facade, [`wasm`], which turns JS values into core calls and core decisions into effects: the only
//! place that reads the clock, touches the DOM or builds JS values.
//!
//! [`jwt`] decodes with three small hand-written parts: [`json`], [`base64url`] and [`number`]. They are
//! public so that `tests/oracles.rs` and the fuzz targets can hold each to a well-kept crate directly.
//!
//! Decoding is not verification: a token's signature is never checked here, because a browser cannot
//! hold the key that would make that meaningful. Servers verify; this crate only reads.
//!
//! The crate is `no_std` with `alloc`. With the default `std` feature the standard library supplies the
//! allocator and panic handler; the release build turns it off and [`runtime`] supplies small ones,
//! which keeps `core::fmt` and the standard library's panic machinery out of the wasm module.
#![cfg_attr(not(test), no_std)]
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
pub mod broadcast;
pub mod clock;
pub mod cookie;
// Only the facade, built for wasm32 alone, calls it: natively (where `cargo test` runs it) it would look unused.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod dpop;
pub mod error;
pub mod fallback;
pub mod hub;
pub mod json;
pub mod jwt;
pub mod memory;
pub mod number;
pub mod refresh;
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
mod runtime;
pub mod session;
pub mod storage;
pub mod store;
pub mod time;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

#[cfg(test)]
mod test_tokens;

pub use error::{Error, Part};
