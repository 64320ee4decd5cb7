//! What the tabs on a key leave for each other in web storage: the logout mark (localStorage), which
//! logout a session copy's writer knew of (sessionStorage), the refresh lock's lease and the shared
//! server clock offset (localStorage). Each is a small JSON record that `page_events.js` reads and
//! writes, swallowing what a blocked storage throws.

use alloc::string::String;

use wasm_bindgen::prelude::*;

use super::objects::own_field;
use crate::broadcast::{Mark, Stored};
use crate::error::concat;
use crate::refresh::Lease;

#[wasm_bindgen(module = "/src/wasm/page_events.js")]
extern "C" {
    /// The JSON record `name` in `area` ("local" or "session"), or `null`.
    #[wasm_bindgen(js_name = readRecord)]
    pub(super) fn read_record(area: &str, name: &str) -> JsValue;

    /// Writes the JSON record `name` in `area`, or removes it when `record` is `null`.
    #[wasm_bindgen(js_name = writeRecord)]
    pub(super) fn write_record(area: &str, name: &str, record: &JsValue);
}

/// The name of the logout mark of `key`.
pub fn mark_name(key: &str) -> String {
    concat(&["tokenstore:", key, ":logout"])
}

fn stored_name(key: &str) -> String {
    concat(&["tokenstore:", key, ":stored"])
}

fn lease_name(key: &str) -> String {
    concat(&["tokenstore:", key, ":lease"])
}

/// The name of the record of the server clock offset that the stores on `key` share.
pub fn clock_name(key: &str) -> String {
    concat(&["tokenstore:", key, ":clock"])
}

fn number(record: &JsValue, field: &str) -> Option<f64> {
    // Not on `null`: the thrown TypeError would cost a slot of the externref table for good
    // (wasm-bindgen drops a throwing import's return slot on the floor), once per store.
    if !record.is_object() {
        return None;
    }
    own_field(record, field).ok()?.as_f64()
}

/// The mark the last logout on `key` left in localStorage, if any.
pub fn read_mark(key: &str) -> Option<Mark> {
    let record = read_record("local", &mark_name(key));
    Some(Mark {
        id: number(&record, "id")?,
        until: number(&record, "until")?,
    })
}

/// Leaves `mark` in localStorage for the tabs that are not running, or removes it (`None`).
pub fn write_mark(key: &str, mark: Option<&Mark>) {
    let record = mark.map_or(JsValue::NULL, |mark| {
        record(&[("id", mark.id), ("until", mark.until)])
    });
    write_record("local", &mark_name(key), &record);
}

/// `{ name: value, ... }`.
fn record(fields: &[(&str, f64)]) -> JsValue {
    let record = js_sys::Object::new();
    for (name, value) in fields {
        let _ = js_sys::Reflect::set(
            &record,
            &JsValue::from_str(name),
            &JsValue::from_f64(*value),
        );
    }
    record.into()
}

/// Which logout the writer of this tab's sessionStorage token under `key` knew of, if recorded: a
/// reloaded tab needs it to tell whether a logout elsewhere came after its token.
pub fn read_stored(key: &str) -> Stored {
    number(&read_record("session", &stored_name(key)), "after")
}

/// Records which logout the writer of this tab's sessionStorage token under `key` knew of, or
/// forgets it (`None`).
pub fn write_stored(key: &str, stored: Stored) {
    let record = stored.map_or(JsValue::NULL, |knew| record(&[("after", knew)]));
    write_record("session", &stored_name(key), &record);
}

/// The lease of the refresh lock of `key`, if one is left.
pub fn read_lease(key: &str) -> Option<Lease> {
    let record = read_record("local", &lease_name(key));
    Some(Lease {
        holder: number(&record, "holder")?,
        until: number(&record, "until")?,
    })
}

/// Leaves `lease` for the refresh lock of `key`, or removes it (`None`).
pub fn write_lease(key: &str, lease: Option<&Lease>) {
    let record = lease.map_or(JsValue::NULL, |lease| {
        record(&[("holder", lease.holder), ("until", lease.until)])
    });
    write_record("local", &lease_name(key), &record);
}

/// The server clock offset (seconds) a store on `key` learnt or was told, if one is recorded.
pub fn read_clock(key: &str) -> Option<f64> {
    number(&read_record("local", &clock_name(key)), "offset")
}

/// Records the server clock offset the stores on `key` share.
pub fn write_clock(key: &str, offset: f64) {
    write_record("local", &clock_name(key), &record(&[("offset", offset)]));
}
