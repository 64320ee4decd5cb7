//! `TokenStore` and the standalone decoders, as JavaScript sees them.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, JSON};
use wasm_bindgen::prelude::*;

use super::options::Options;
use crate::error::{Error, Result};
use crate::jwt::{self, Jwt};
use crate::storage::{Backend, MemoryStorage};
use crate::store::Store;
use crate::time::{check_now, Validity};

#[wasm_bindgen]
extern "C" {
    /// The options object, checked field by field at run time whatever its static type.
    #[wasm_bindgen(typescript_type = "TokenStoreOptions")]
    pub type TokenStoreOptions;

    /// An instant in seconds since the epoch, checked at run time.
    #[wasm_bindgen(typescript_type = "number")]
    pub type Seconds;
}

/// One JWT in one storage backend: set it, read its claims, check its expiry, move it, clear it.
#[wasm_bindgen]
pub struct TokenStore {
    store: RefCell<Store>,
    leeway: f64,
    fallback: bool,
    view: RefCell<Option<View>>,
}

/// The JS objects made from the current token, kept so repeated reads return the same objects.
struct View {
    jwt: Rc<Jwt>,
    claims: JsValue,
    header: JsValue,
}

#[wasm_bindgen]
impl TokenStore {
    /// Creates a store. Options: `backend` ("local", default, "session" or "memory"), `key` (default
    /// "tokenstore.jwt"), `leeway` (seconds of clock skew, default 0) and `fallback` (default true:
    /// use memory when the web storage is blocked, instead of throwing `STORAGE_UNAVAILABLE`).
    #[wasm_bindgen(constructor)]
    pub fn new(options: Option<TokenStoreOptions>) -> Result<TokenStore, JsValue> {
        let options = Options::from_js(&options.map_or(JsValue::UNDEFINED, JsValue::from))?;
        let (backend, storage) = match options.backend.open() {
            Ok(storage) => (options.backend, storage),
            Err(Error::StorageUnavailable(_)) if options.fallback => {
                (Backend::Memory, Box::new(MemoryStorage) as _)
            }
            Err(error) => return Err(error.into()),
        };
        Ok(TokenStore {
            store: RefCell::new(Store::new(options.key, backend, storage)),
            leeway: options.leeway,
            fallback: options.fallback,
            view: RefCell::new(None),
        })
    }

    /// Decodes `token` and stores it. A malformed token throws a `TokenError` and is never stored.
    pub fn set(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    ) -> Result<(), JsValue> {
        let token = token_text(&token)?;
        let mut store = self.store.borrow_mut();
        match store.set(&token) {
            Err(Error::QuotaExceeded(_) | Error::StorageUnavailable(_))
                if self.fallback && store.backend() != Backend::Memory =>
            {
                store.abandon_to(Backend::Memory, Box::new(MemoryStorage));
                store.set(&token)?;
            }
            outcome => {
                outcome?;
            }
        }
        Ok(())
    }

    /// The stored token, or `null`. Reads the backend, so a change made by another tab is seen.
    #[wasm_bindgen(unchecked_return_type = "string | null")]
    pub fn get(&self) -> Result<JsValue, JsValue> {
        Ok(self
            .current()?
            .map_or(JsValue::NULL, |jwt| JsValue::from_str(jwt.raw())))
    }

    /// Removes the token from the backend (logout).
    pub fn clear(&self) -> Result<(), JsValue> {
        self.store.borrow_mut().clear()?;
        Ok(())
    }

    /// The decoded payload of the current token, or `null`. The object is frozen and stays the same
    /// object until the token changes.
    #[wasm_bindgen(getter, unchecked_return_type = "JwtClaims | null")]
    pub fn claims(&self) -> Result<JsValue, JsValue> {
        Ok(self
            .with_view(|view| view.claims.clone())?
            .unwrap_or(JsValue::NULL))
    }

    /// The decoded JOSE header of the current token, or `null`. Frozen, like `claims`.
    #[wasm_bindgen(getter, unchecked_return_type = "JwtHeader | null")]
    pub fn header(&self) -> Result<JsValue, JsValue> {
        Ok(self
            .with_view(|view| view.header.clone())?
            .unwrap_or(JsValue::NULL))
    }

    /// The backend in use: "local", "session" or "memory". After a fallback this is "memory".
    #[wasm_bindgen(getter, unchecked_return_type = "Backend")]
    pub fn backend(&self) -> String {
        self.store.borrow().backend().name().to_owned()
    }

    /// The storage key.
    #[wasm_bindgen(getter)]
    pub fn key(&self) -> String {
        self.store.borrow().key().to_owned()
    }

    /// The clock-skew tolerance in seconds.
    #[wasm_bindgen(getter)]
    pub fn leeway(&self) -> f64 {
        self.leeway
    }

    /// Switches to another backend and moves the token there: write to the new backend, read it back,
    /// then remove it from the old one. If anything fails, the token stays where it was and a
    /// `TokenError` is thrown.
    #[wasm_bindgen(js_name = useBackend)]
    pub fn use_backend(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Backend")] backend: JsValue,
    ) -> Result<(), JsValue> {
        let name = backend
            .as_string()
            .ok_or_else(|| Error::InvalidOption("backend must be a string".into()))?;
        let backend = Backend::from_name(&name)?;
        if backend == self.store.borrow().backend() {
            return Ok(());
        }
        let storage = backend.open()?;
        self.store.borrow_mut().switch(backend, storage)?;
        Ok(())
    }

    /// Whether the current token has expired at `now` (seconds since the epoch, default the browser
    /// clock): `exp <= now - leeway`. `false` when there is no token or it has no `exp`.
    #[wasm_bindgen(js_name = isExpired)]
    pub fn is_expired(&self, now: Option<Seconds>) -> Result<bool, JsValue> {
        Ok(self.validity(now)? == Some(Validity::Expired))
    }

    /// Whether there is a token that is neither expired nor before its `nbf` at `now`.
    #[wasm_bindgen(js_name = isValid)]
    pub fn is_valid(&self, now: Option<Seconds>) -> Result<bool, JsValue> {
        Ok(self.validity(now)? == Some(Validity::Valid))
    }

    /// The `exp` of the current token in seconds since the epoch, or `null` when there is no token or
    /// it never expires.
    #[wasm_bindgen(js_name = expiresAt, unchecked_return_type = "number | null")]
    pub fn expires_at(&self) -> Result<JsValue, JsValue> {
        Ok(self
            .current()?
            .and_then(|jwt| jwt.times().exp)
            .map_or(JsValue::NULL, JsValue::from_f64))
    }

    /// `"Bearer <token>"` while the token is valid, else `null`: ready for an `Authorization` header.
    #[wasm_bindgen(js_name = authorizationHeader, unchecked_return_type = "string | null")]
    pub fn authorization_header(&self, now: Option<Seconds>) -> Result<JsValue, JsValue> {
        let now = now_or_clock(now)?;
        Ok(match self.current()? {
            Some(jwt) if jwt.times().validity(now, self.leeway) == Validity::Valid => {
                JsValue::from_str(&format!("Bearer {}", jwt.raw()))
            }
            _ => JsValue::NULL,
        })
    }
}

impl TokenStore {
    fn current(&self) -> Result<Option<Rc<Jwt>>> {
        Ok(self.store.borrow_mut().load()?.token())
    }

    fn validity(&self, now: Option<Seconds>) -> Result<Option<Validity>> {
        let now = now_or_clock(now)?;
        Ok(self
            .current()?
            .map(|jwt| jwt.times().validity(now, self.leeway)))
    }

    /// Runs `read` on the JS objects of the current token, making them only when the token changed.
    fn with_view<T>(&self, read: impl FnOnce(&View) -> T) -> Result<Option<T>> {
        let Some(jwt) = self.current()? else {
            self.view.replace(None);
            return Ok(None);
        };
        let mut view = self.view.borrow_mut();
        if !view
            .as_ref()
            .is_some_and(|view| Rc::ptr_eq(&view.jwt, &jwt))
        {
            *view = Some(View {
                claims: deep_freeze(parse_json(jwt.payload_json())?),
                header: deep_freeze(parse_json(jwt.header_json())?),
                jwt,
            });
        }
        Ok(view.as_ref().map(read))
    }
}

/// Decodes the payload of `token` with the same rules and errors as `TokenStore.set`.
#[wasm_bindgen(js_name = decodeClaims, unchecked_return_type = "JwtClaims")]
pub fn decode_claims(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
) -> Result<JsValue, JsValue> {
    let jwt = jwt::decode(&token_text(&token)?)?;
    Ok(parse_json(jwt.payload_json())?)
}

/// Decodes the header of `token` with the same rules and errors as `TokenStore.set`.
#[wasm_bindgen(js_name = decodeHeader, unchecked_return_type = "JwtHeader")]
pub fn decode_header(
    #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
) -> Result<JsValue, JsValue> {
    let jwt = jwt::decode(&token_text(&token)?)?;
    Ok(parse_json(jwt.header_json())?)
}

/// The token as a string, or `INVALID_TOKEN` naming the JS type that came instead.
fn token_text(token: &JsValue) -> Result<String> {
    token.as_string().ok_or_else(|| {
        let kind = if token.is_null() {
            "null".to_owned()
        } else {
            token.js_typeof().as_string().unwrap_or_default()
        };
        Error::InvalidToken(format!("the token must be a string, not {kind}"))
    })
}

fn now_or_clock(now: Option<Seconds>) -> Result<f64> {
    match now {
        None => Ok(js_sys::Date::now() / 1000.0),
        Some(now) => now
            .as_f64()
            .ok_or("now must be a number of seconds since the epoch")
            .and_then(check_now)
            .map_err(|why| Error::InvalidArgument(why.into())),
    }
}

/// JSON text that the core has already checked, turned into JS values by the engine's own parser.
fn parse_json(json: &str) -> Result<JsValue> {
    // The core accepted this text, and JSON.parse accepts every text serde_json does; a failure here
    // would be an engine bug, reported rather than trusted.
    JSON::parse(json).map_err(|_| {
        Error::InvalidJson(
            crate::error::Part::Payload,
            "the browser's JSON.parse refused it".into(),
        )
    })
}

/// Freezes `value` and everything inside it, so a store's claims cannot be changed behind its back.
/// Iterative: claims may nest far deeper than the wasm stack could follow by recursion.
fn deep_freeze(value: JsValue) -> JsValue {
    let mut pending = vec![value.clone()];
    while let Some(next) = pending.pop() {
        if let Some(object) = next.dyn_ref::<Object>() {
            pending.extend(Object::values(object).iter().filter(JsValue::is_object));
            Object::freeze(object);
        }
    }
    value
}
