//! tokenstore: one API over localStorage, sessionStorage and memory for a JWT, with strict decoding and
//! expiry checks, for browsers through WebAssembly.
//!
//! The crate is two layers. A pure core, with no browser API in it and tested natively: [`jwt`]
//! (decoding), [`time`] (expiry checks, with "now" always passed in), [`store`] (what a store holds) and
//! [`storage`] (the backends behind one trait). And a thin wasm-bindgen facade, [`wasm`], which is the
//! JavaScript API and the only place that reads the clock or turns errors into JS values.
//!
//! Decoding is not verification: a token's signature is never checked here, because a browser cannot
//! hold the key that would make that meaningful. Servers verify; this crate only reads.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod error;
pub mod json;
pub mod jwt;
pub mod session;
pub mod storage;
pub mod store;
pub mod time;
pub mod wasm;

#[cfg(test)]
mod test_tokens;

pub use error::{Error, Part};
