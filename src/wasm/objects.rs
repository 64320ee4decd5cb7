//! The JS objects the store hands out: snapshots, fallback details, logout messages, frozen claims.
//! `objects.js` builds them; this module decides what goes in.

use js_sys::JSON;
use wasm_bindgen::prelude::*;

use crate::broadcast::{Change, Logout};
use crate::error::{Error, Part, Result};
use crate::hub::Fallback;
use crate::session::Status;
use crate::storage::Backend;

#[wasm_bindgen(module = "/src/wasm/objects.js")]
extern "C" {
    #[wasm_bindgen(js_name = snapshot)]
    fn make_snapshot(
        token: &JsValue,
        claims: &JsValue,
        status: &str,
        backend: &str,
        expires_at: JsValue,
    ) -> JsValue;

    #[wasm_bindgen(js_name = fallbackDetail)]
    fn make_fallback_detail(from: &str, reason: &str) -> JsValue;

    #[wasm_bindgen(js_name = logoutMessage)]
    fn make_logout_message(id: f64, page: f64, backend: JsValue) -> JsValue;

    #[wasm_bindgen(js_name = changeMessage)]
    fn make_change_message(page: f64, backend: &str) -> JsValue;

    #[wasm_bindgen(js_name = parseFrozen, catch)]
    fn parse_frozen(text: &str) -> core::result::Result<JsValue, JsValue>;

    /// `object[name]` if `object` has it as its own property, else `undefined`; throws what reading
    /// it throws, and for `null` or `undefined`.
    #[wasm_bindgen(js_name = ownField, catch)]
    pub fn own_field(object: &JsValue, name: &str) -> core::result::Result<JsValue, JsValue>;
}

/// `{ token, claims, status, backend, expiresAt }`, frozen.
pub fn snapshot(
    token: &JsValue,
    claims: &JsValue,
    status: Status,
    backend: Backend,
    expires_at: Option<f64>,
) -> JsValue {
    make_snapshot(
        token,
        claims,
        status.name(),
        backend.name(),
        expires_at.map_or(JsValue::NULL, JsValue::from_f64),
    )
}

/// The `{ from, to, reason }` of the `fallback` event, frozen.
pub fn fallback_detail(fallback: &Fallback) -> JsValue {
    make_fallback_detail(fallback.from.name(), fallback.reason)
}

/// `{ type: "logout", id, page, backend }`: which logout, where and on which backend; never a token.
pub fn logout_message(logout: &Logout) -> JsValue {
    make_logout_message(
        logout.id,
        logout.page,
        logout
            .backend
            .map_or(JsValue::NULL, |backend| JsValue::from_str(backend.name())),
    )
}

/// `{ type: "change", page, backend }`: who wrote and where; never a token.
pub fn change_message(change: &Change, backend: Backend) -> JsValue {
    make_change_message(change.page, backend.name())
}

/// What a message on the channel announces.
pub enum News {
    /// A logout.
    Logout(Logout),
    /// A write or a move on a shared backend.
    Change(Change),
}

/// The news a channel message carries, if any. A bare `{ type: "logout" }` (as older versions sent)
/// is a logout now, from another page, on an unnamed backend.
pub fn read_message(message: &JsValue) -> Option<News> {
    // Anything may be posted on the channel; reading a field of `null` would throw, which costs a
    // slot of the externref table for good (see `dom::number`).
    if !message.is_object() {
        return None;
    }
    let field = |name: &str| own_field(message, name).ok();
    let page = field("page")
        .and_then(|page| page.as_f64())
        .unwrap_or(f64::NAN);
    let backend = field("backend")
        .and_then(|backend| backend.as_string())
        .and_then(|name| Backend::from_name(&name).ok());
    match field("type")?.as_string()?.as_str() {
        "logout" => Some(News::Logout(Logout {
            id: field("id").and_then(|id| id.as_f64()).unwrap_or(f64::NAN),
            page,
            backend,
        })),
        "change" => Some(News::Change(Change { page, backend })),
        _ => None,
    }
}

/// JSON text that the core has already checked, turned into JS values by the engine's own parser.
pub fn parse_json(json: &str, part: Part) -> Result<JsValue> {
    // JSON.parse accepts every text the core's scanner does; a refusal would be an engine bug, so it is
    // reported rather than trusted.
    JSON::parse(json).map_err(|_| refused(part))
}

/// Like [`parse_json`], with every object and array inside frozen.
pub fn parse_json_frozen(json: &str, part: Part) -> Result<JsValue> {
    parse_frozen(json).map_err(|_| refused(part))
}

fn refused(part: Part) -> Error {
    Error::InvalidJson(part, "the browser's JSON.parse refused it".into())
}
