//! The Rust API: the same stores as the JS API, for Rust frontends (Leptos, Yew, Dioxus) compiled to
//! wasm32. A thin layer over the facade's `Inner`, so a Rust store and a JS store on one key share
//! the page's record, its events and its refresh flight, and read each other's tokens.
//!
//! Rust handlers reach `Inner` as JS functions made by wasm-bindgen's `Closure`, which the guard
//! returned for them holds: dropping the guard detaches the handler, then frees it.

mod options;
mod refresh;
mod store;
mod subscription;

pub use options::{Options, RefreshOptions};
pub use refresh::RefreshError;
pub use store::TokenStore;
pub use subscription::Subscription;
