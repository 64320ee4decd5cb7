//! Refreshing from Rust: the app's async fetch becomes the JS function the facade's flight calls,
//! so a Rust store shares the page's single flight and the tabs' lock with the JS stores on its key.

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use core::cell::RefCell;
use core::fmt;
use core::future::Future;

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::error::Error;
use crate::jwt;

/// Why [`TokenStore::refresh`](crate::TokenStore::refresh) failed. The token stays as it was.
///
/// # Example
///
/// ```
/// use tokenstore::RefreshError;
///
/// let error = RefreshError::Fetch("the server is down".into());
/// assert_eq!(error.code(), None);
/// assert_eq!(error.to_string(), "the refresh's fetch failed: the server is down");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum RefreshError {
    /// The fetch failed: its error's message (of this store's fetch, or of the fetch of the refresh
    /// this one joined).
    Fetch(String),
    /// The refresh could not end with a token: the fetch answered a malformed token, took longer
    /// than its time limit ([`Error::Aborted`]), or the storage refused it.
    Store(Error),
}

impl RefreshError {
    /// The stable code of a [`RefreshError::Store`] (the JS `TokenError` codes); `None` for a
    /// fetch's own failure.
    ///
    /// # Example
    ///
    /// ```
    /// let error = tokenstore::RefreshError::Store(tokenstore::Error::QuotaExceeded("full".into()));
    /// assert_eq!(error.code(), Some("QUOTA_EXCEEDED"));
    /// ```
    pub fn code(&self) -> Option<&'static str> {
        match self {
            RefreshError::Fetch(_) => None,
            RefreshError::Store(error) => Some(error.code()),
        }
    }
}

impl fmt::Display for RefreshError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefreshError::Fetch(why) => write!(formatter, "the refresh's fetch failed: {why}"),
            RefreshError::Store(error) => fmt::Display::fmt(error, formatter),
        }
    }
}

impl core::error::Error for RefreshError {}

impl From<Error> for RefreshError {
    fn from(error: Error) -> RefreshError {
        RefreshError::Store(error)
    }
}

/// Where a fetch leaves the store error it met, which the JS rejection cannot carry.
pub(super) type Refused = Rc<RefCell<Option<Error>>>;

/// The JS `fetchToken(current)` of the flight over an app's async `fetch`: the token it resolves to
/// is decoded here first, so a malformed one is refused with the core's own error.
pub(super) fn fetch_function<F, Fut, E>(
    mut fetch: F,
    refused: Refused,
) -> Closure<dyn FnMut(JsValue) -> Promise>
where
    F: FnMut(Option<String>) -> Fut + 'static,
    Fut: Future<Output = Result<Option<String>, E>> + 'static,
    E: fmt::Display,
{
    let call = move |current: JsValue| {
        let fetched = fetch(current.as_string());
        let refused = Rc::clone(&refused);
        future_to_promise(async move {
            match fetched.await {
                Ok(None) => Ok(JsValue::NULL),
                Ok(Some(token)) => match jwt::decode(&token) {
                    Ok(_) => Ok(JsValue::from_str(&token)),
                    Err(error) => {
                        let rejection = JsValue::from_str(&error.message());
                        refused.replace(Some(error));
                        Err(rejection)
                    }
                },
                Err(why) => Err(js_sys::Error::new(&why.to_string()).into()),
            }
        })
    };
    Closure::wrap(Box::new(call) as Box<dyn FnMut(JsValue) -> Promise>)
}

/// Awaits the flight's promise: the token it ended with, or why not.
pub(super) async fn outcome(
    promise: JsValue,
    refused: &Refused,
) -> Result<Option<String>, RefreshError> {
    match JsFuture::from(Promise::from(promise)).await {
        Ok(token) => Ok(token.as_string()),
        Err(rejection) => Err(match refused.take() {
            Some(error) => RefreshError::Store(error),
            None => rejected(&rejection),
        }),
    }
}

/// A rejection of the flight as a `RefreshError`: the facade's `TokenError`s by their code, anything
/// else the fetch's failure.
fn rejected(rejection: &JsValue) -> RefreshError {
    let text = |name: &str| {
        Reflect::get(rejection, &JsValue::from_str(name))
            .ok()
            .and_then(|value| value.as_string())
    };
    let message = text("message")
        .or_else(|| rejection.as_string())
        .unwrap_or_default();
    match text("code").as_deref() {
        Some("ABORTED") if message.contains("hidden") => {
            RefreshError::Store(Error::Aborted("the page was hidden"))
        }
        Some("ABORTED") => {
            RefreshError::Store(Error::Aborted("it took longer than its time limit"))
        }
        Some("QUOTA_EXCEEDED") => RefreshError::Store(Error::QuotaExceeded(message)),
        Some("STORAGE_UNAVAILABLE") => RefreshError::Store(Error::StorageUnavailable(message)),
        Some("FREED") => RefreshError::Store(Error::Freed("TokenStore")),
        _ => RefreshError::Fetch(message),
    }
}
