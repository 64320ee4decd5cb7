//! DPoP in the browser: `dpopThumbprint`, `dpopProof` and `fetch`. The plumbing in `page_events.js`
//! keeps the key in IndexedDB and calls WebCrypto and fetch; every choice it needs (the proof's header
//! and claims, the nonce, whether to send again, the key news) it asks of the store's
//! [`StoreFunctions`], which asks the core (`crate::dpop`). One job, so one file for its three
//! `impl`s: the `TokenStore` methods, what the plumbing asks of `StoreFunctions`, and the key an
//! `Inner` discards at logout.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;

#[cfg(feature = "js")]
use super::bound::StoreFunctions;
use super::inner::Inner;
use super::records::{read_record, write_record};
#[cfg(feature = "js")]
use super::token_store::TokenStore;
use crate::base64url;
use crate::dpop::{self, Claims, PublicKey};
use crate::error::{Error, Result};
use crate::time::Validity;

// DPoP's declarations, merged into those of `types.rs`.
#[cfg(feature = "js")]
#[wasm_bindgen(typescript_custom_section)]
const DPOP_TYPES: &'static str = r#"
export interface TokenStoreOptions {
  /**
   * DPoP (RFC 9449): `fetch` sends `Authorization: DPoP` with a proof signed by a non-extractable
   * P-256 key kept in IndexedDB, one per storage key, discarded at logout. Default `false`.
   */
  dpop?: boolean;
}

export interface TokenEventMap<C extends object = JwtClaims> {
  /** The DPoP key was made anew while a token was stored (`"lost"`), or lives in this page only (`"memory"`). */
  dpopKey: DpopKeyDetail;
}

/** The detail of the `"dpopKey"` event. */
export interface DpopKeyDetail {
  /** `"lost"`: the token's key is gone, a server that bound the token will refuse it. `"memory"`: no IndexedDB. */
  readonly reason: "lost" | "memory";
}
"#;

// What the JS API's DPoP methods ask the plumbing.
#[cfg(feature = "js")]
#[wasm_bindgen(module = "/src/wasm/page_events.js")]
extern "C" {
    #[wasm_bindgen(js_name = dpopThumbprint)]
    fn thumbprint(rules: StoreFunctions, name: &str) -> Promise;

    #[wasm_bindgen(js_name = dpopProof)]
    fn proof(
        rules: StoreFunctions,
        name: &str,
        method: &str,
        url: &JsValue,
        token: Option<String>,
    ) -> Promise;

    #[wasm_bindgen(js_name = dpopFetch)]
    fn send(
        rules: StoreFunctions,
        name: &str,
        input: &JsValue,
        init: &JsValue,
        token: Option<String>,
        authorization: Option<String>,
        dpop: bool,
    ) -> Promise;
}

#[wasm_bindgen(module = "/src/wasm/page_events.js")]
extern "C" {
    /// Deletes the key stored under `name` and the page's own copy.
    #[wasm_bindgen(js_name = dpopForget)]
    fn forget(name: &str);

    #[wasm_bindgen(js_name = dpopKeyDetail)]
    fn key_detail_object(reason: &str) -> JsValue;
}

/// The `dpopKey` event's detail, `{ reason }`, frozen.
pub fn key_detail(reason: &str) -> JsValue {
    key_detail_object(reason)
}

#[cfg(feature = "js")]
impl TokenStore {
    /// The RFC 7638 SHA-256 thumbprint of the store's DPoP public key, base64url: the `dpop_jkt` of
    /// a login, and the `cnf.jkt` a server binds tokens to. Makes the key on first need. Needs the
    /// `dpop` option.
    pub fn dpop_thumbprint(&self) -> Result<Promise, JsValue> {
        let rules = self.dpop_rules()?;
        Ok(thumbprint(rules, &self.inner.key()))
    }

    /// A DPoP proof (RFC 9449) for a request: a compact JWS signed with the store's key, with `typ`
    /// "dpop+jwt", `alg` "ES256" and the public `jwk` in its header, and `jti`, `htm`, `htu` (the URL
    /// without query and fragment), `iat` (the store's clock), `ath` (the hash of the valid token
    /// stored, if any) and `nonce` (the server's latest for that origin, if any). Needs `dpop`.
    pub fn dpop_proof(&self, method: JsValue, url: JsValue) -> Result<Promise, JsValue> {
        let rules = self.dpop_rules()?;
        // Checked with the URL when the proof is made.
        let method = method
            .as_string()
            .ok_or_else(|| Error::InvalidArgument("the method must be a string".into()))?;
        let token = request_token(&self.inner);
        Ok(proof(rules, &self.inner.key(), &method, &url, token))
    }

    /// `fetch(input, init)` with the stored token, if valid: `Authorization: DPoP <token>` and a
    /// `DPoP` proof with the `dpop` option, `Authorization: Bearer <token>` without. It learns every
    /// `DPoP-Nonce` the server sends, and sends the request once more, same body, when the server
    /// asks for a nonce.
    pub fn fetch(&self, input: JsValue, init: Option<JsValue>) -> Result<Promise, JsValue> {
        self.inner.check_open()?;
        let dpop = self.inner.options.dpop;
        // Read once: every attempt of the request presents the same token.
        let token = request_token(&self.inner);
        let authorization = token
            .as_deref()
            .map(|token| dpop::authorization(dpop, token));
        let rules = StoreFunctions {
            inner: Rc::clone(&self.inner),
        };
        Ok(send(
            rules,
            &self.inner.key(),
            &input,
            &init.unwrap_or(JsValue::UNDEFINED),
            token,
            authorization,
            dpop,
        ))
    }
}

#[cfg(feature = "js")]
impl TokenStore {
    fn dpop_rules(&self) -> Result<StoreFunctions> {
        self.inner.check_open()?;
        if !self.inner.options.dpop {
            return Err(Error::InvalidOption(
                "DPoP is off: create the store with { dpop: true }".into(),
            ));
        }
        Ok(StoreFunctions {
            inner: Rc::clone(&self.inner),
        })
    }
}

impl Inner {
    /// A logout: the next session proves with a new key. Other tabs lose it too, as IndexedDB is
    /// shared.
    pub(super) fn discard_dpop_key(&self) {
        if self.options.dpop && !self.server {
            forget(&self.key());
        }
    }
}

/// What the DPoP plumbing asks a store. Strings and bytes come and go as JS values, which the
/// plumbing's own calls make right: the glue that copies them in and out weighed more than the copies.
#[cfg(feature = "js")]
#[wasm_bindgen]
impl StoreFunctions {
    /// The key in hand, as WebCrypto exports it ("raw"): its canonical JWK, for the thumbprint. Tells
    /// the `dpopKey` handlers when the core says so.
    pub fn key(&self, raw: JsValue, created: bool, persisted: bool) -> Result<JsValue, JsValue> {
        let key = PublicKey::from_raw(&bytes(&raw))?;
        let stored = matches!(self.inner.current(), Ok(Some(_)));
        if let Some(news) = dpop::key_news(created, persisted, stored) {
            if let Ok(mut hub) = self.inner.hub.try_borrow_mut() {
                hub.dpop_key(news.name());
            }
            self.inner.deliver();
        }
        Ok(key.canonical_jwk().into())
    }

    /// What the key signs for a request: the header and claims of the proof, base64url.
    pub fn input(
        &self,
        raw: JsValue,
        method: JsValue,
        url: JsValue,
        ath: JsValue,
        jti: JsValue,
    ) -> Result<JsValue, JsValue> {
        let key = PublicKey::from_raw(&bytes(&raw))?;
        let target = dpop::target(&text(&url))?;
        let htm = dpop::method(&text(&method))?;
        let ath = (!ath.is_undefined()).then(|| bytes(&ath));
        let jti = bytes(&jti);
        let nonce = nonce(&target.origin);
        let claims = Claims {
            jti: &jti,
            htm: &htm,
            htu: &target.htu,
            iat: self.inner.clock(),
            ath: ath.as_deref(),
            nonce: nonce.as_deref(),
        };
        Ok(dpop::signing_input(&key, &claims).into())
    }

    /// `bytes` in base64url.
    pub fn encode(&self, raw: JsValue) -> JsValue {
        base64url::encode(&bytes(&raw)).into()
    }

    /// The answer to a request to `url` sent `attempt` times before: with DPoP, its `DPoP-Nonce` becomes
    /// the nonce of that origin for every later proof, in every tab (kept in localStorage; where that is
    /// blocked, a request that needs a nonce is sent twice every time). Returns whether to send the
    /// request again. For a 400, `body_error` is its JSON body's `error` member, when a string.
    pub fn answered(
        &self,
        url: JsValue,
        nonce: JsValue,
        attempt: u32,
        status: u16,
        www_authenticate: JsValue,
        body_error: JsValue,
    ) -> bool {
        if let (Ok(target), Some(nonce)) = (dpop::target(&text(&url)), nonce.as_string()) {
            if dpop::keeps_nonce(self.inner.options.dpop, &nonce) {
                write_record(
                    "local",
                    &dpop::nonce_record(&target.origin),
                    &JsValue::from_str(&nonce),
                );
            }
        }
        dpop::retries(
            self.inner.options.dpop,
            attempt,
            status,
            www_authenticate.as_string().as_deref(),
            body_error.as_string().as_deref(),
        )
    }

    /// The error for a context without WebCrypto's ECDSA P-256.
    pub fn unavailable(&self) -> JsValue {
        Error::CryptoUnavailable(
            "DPoP needs ECDSA P-256 keys from crypto.subtle, which needs a secure context (https: or localhost)",
        )
        .into()
    }
}

/// The bytes of a `Uint8Array` the plumbing passes.
fn bytes(array: &JsValue) -> Vec<u8> {
    array.unchecked_ref::<Uint8Array>().to_vec()
}

/// A string the plumbing passes; anything else reads as empty, which the rules refuse.
fn text(value: &JsValue) -> String {
    value.as_string().unwrap_or_default()
}

/// The token a request presents: the stored one while valid by the store's clock.
fn request_token(inner: &Inner) -> Option<String> {
    let jwt = inner.current().ok()??;
    let valid = jwt.times().validity(inner.clock(), inner.options.leeway) == Validity::Valid;
    valid.then(|| jwt.raw().into())
}

/// The latest nonce of `origin`, learnt by any tab.
fn nonce(origin: &str) -> Option<String> {
    read_record("local", &dpop::nonce_record(origin)).as_string()
}
