//! The JS objects the store hands out: snapshots, fallback details, logout messages, frozen claims.

use alloc::vec;

use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

use crate::broadcast::Logout;
use crate::error::{Error, Part, Result};
use crate::hub::Fallback;
use crate::session::Status;
use crate::storage::Backend;

/// A fresh frozen object with `fields`. Fields are defined, not assigned, so no setter on
/// `Object.prototype` can see them.
fn frozen(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in fields {
        let descriptor = Object::new();
        let _ = Reflect::set(&descriptor, &JsValue::from_str("value"), value);
        let _ = Reflect::set(
            &descriptor,
            &JsValue::from_str("enumerable"),
            &JsValue::TRUE,
        );
        Object::define_property(&object, &JsValue::from_str(name), &descriptor);
    }
    Object::freeze(&object).into()
}

/// `{ token, claims, status, backend, expiresAt }`, frozen.
pub fn snapshot(
    token: &JsValue,
    claims: &JsValue,
    status: Status,
    backend: Backend,
    expires_at: Option<f64>,
) -> JsValue {
    frozen(&[
        ("token", token.clone()),
        ("claims", claims.clone()),
        ("status", JsValue::from_str(status.name())),
        ("backend", JsValue::from_str(backend.name())),
        (
            "expiresAt",
            expires_at.map_or(JsValue::NULL, JsValue::from_f64),
        ),
    ])
}

/// The `{ from, to, reason }` of the `fallback` event, frozen.
pub fn fallback_detail(fallback: &Fallback) -> JsValue {
    frozen(&[
        ("from", JsValue::from_str(fallback.from.name())),
        ("to", JsValue::from_str(Backend::Memory.name())),
        ("reason", JsValue::from_str(fallback.reason)),
    ])
}

/// `{ type: "logout", at, page, backend }`: when, where and on which backend; never a token.
pub fn logout_message(logout: &Logout) -> JsValue {
    frozen(&[
        ("type", JsValue::from_str("logout")),
        ("at", JsValue::from_f64(logout.at)),
        ("page", JsValue::from_f64(logout.page)),
        (
            "backend",
            logout
                .backend
                .map_or(JsValue::NULL, |backend| JsValue::from_str(backend.name())),
        ),
    ])
}

/// The logout a channel message announces, if it is one. A bare `{ type: "logout" }` (as older
/// versions sent) is a logout now, from another page, on an unnamed backend.
pub fn read_logout_message(message: &JsValue, now_ms: f64) -> Option<Logout> {
    let field = |name: &str| Reflect::get(message, &JsValue::from_str(name)).ok();
    if field("type")?.as_string()? != "logout" {
        return None;
    }
    Some(Logout {
        at: field("at").and_then(|at| at.as_f64()).unwrap_or(now_ms),
        page: field("page")
            .and_then(|page| page.as_f64())
            .unwrap_or(f64::NAN),
        backend: field("backend")
            .and_then(|backend| backend.as_string())
            .and_then(|name| Backend::from_name(&name).ok()),
    })
}

/// JSON text that the core has already checked, turned into JS values by the engine's own parser.
pub fn parse_json(json: &str, part: Part) -> Result<JsValue> {
    // JSON.parse accepts every text the core's scanner does; a refusal would be an engine bug, so it is
    // reported rather than trusted.
    JSON::parse(json)
        .map_err(|_| Error::InvalidJson(part, "the browser's JSON.parse refused it".into()))
}

/// Freezes `value` and everything inside it, so a store's claims cannot be changed behind its back.
/// Iterative: claims may nest far deeper than the wasm stack could follow by recursion.
pub fn deep_freeze(value: JsValue) -> JsValue {
    let mut pending = vec![value.clone()];
    while let Some(next) = pending.pop() {
        if let Some(object) = next.dyn_ref::<Object>() {
            pending.extend(Object::values(object).iter().filter(JsValue::is_object));
            Object::freeze(object);
        }
    }
    value
}
