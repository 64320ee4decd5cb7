//! The page listeners of a listened-to store, its timer, the logout channel and the browser clock: DOM
//! plumbing. A small JS module (`page_events.js`) adds the listeners, which hand each event to the
//! store's `PageEvents` (`page_events.rs`).

use alloc::string::String;

use js_sys::Function;
use wasm_bindgen::prelude::*;

pub use super::backend::window;
use super::objects::{change_message, logout_message};
use crate::broadcast::{Change, Logout};
use crate::error::concat;
use crate::storage::Backend;

#[wasm_bindgen(module = "/src/wasm/page_events.js")]
extern "C" {
    /// Adds the page listeners and opens the logout channel; returns the function that removes them.
    #[wasm_bindgen(catch)]
    fn watch(events: &JsValue, channel_name: &str) -> Result<Function, JsValue>;

    /// Tells `events` the timer fired after `delay` ms; returns the function that cancels it.
    #[wasm_bindgen(js_name = wakeAt, catch)]
    fn wake_at(events: &JsValue, delay: f64) -> Result<Function, JsValue>;

    /// Posts `message` on the channel `channel_name`.
    #[wasm_bindgen(catch)]
    fn post(channel_name: &str, message: &JsValue) -> Result<(), JsValue>;

    /// Closes the page's sending end of the channel `channel_name`, if it has one.
    fn forget(channel_name: &str);
}

/// Now, in ms since the epoch, by the browser's clock: the one place the facade reads it.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn channel_name(key: &str) -> String {
    concat(&["tokenstore:", key])
}

/// Whether the document has loaded (`Some(false)` while it is still loading); `None` without one.
pub fn document_ready() -> Option<bool> {
    let document = window()?.document()?;
    // Read as a `JsValue`: web-sys's `String` getter would pass whatever a page redefined it to
    // answer into the allocator as a string.
    let state = js_sys::Reflect::get(&document, &JsValue::from_str("readyState")).ok()?;
    Some(state.as_string().as_deref() != Some("loading"))
}

/// The listeners and the channel of a store that someone listens to, and the object they call;
/// the listeners are removed and the channel closed on drop.
pub struct Watch {
    events: JsValue,
    stop: Function,
}

impl Watch {
    /// Adds the page listeners, which hand what they hear to `events` (a `PageEvents`), and opens the
    /// channel of `key`. `None` where there is no window or the browser refused.
    pub fn start(events: JsValue, key: &str) -> Option<Watch> {
        window()?;
        let stop = watch(&events, &channel_name(key)).ok()?;
        Some(Watch { events, stop })
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.stop.call0(&JsValue::UNDEFINED);
    }
}

/// The longest delay `setTimeout` honours; a longer one fires at once (2^31 - 1 ms, about 24.8 days).
const MAX_TIMEOUT_MS: f64 = 2_147_483_647.0;

/// A `setTimeout` that is cleared on drop. Delays beyond what browsers honour are cut to the maximum;
/// the store looks again when it fires and sets the next one.
pub struct Timer {
    cancel: Function,
    /// When it fires, in ms since the epoch, so an unchanged deadline keeps the running timer.
    pub due_ms: f64,
}

impl Timer {
    /// Wakes the store of `watch` at `due_ms` (ms since the epoch), or after the longest honoured delay.
    pub fn at(watch: &Watch, due_ms: f64, now_ms: f64) -> Option<Timer> {
        let delay = (due_ms - now_ms).clamp(0.0, MAX_TIMEOUT_MS);
        // Whole milliseconds, rounded up so the timer never fires early (`setTimeout` truncates, and
        // `f64::ceil` needs the standard library). `delay` fits an i32, so the cast is exact.
        let whole = f64::from(delay as i32);
        let delay = if whole < delay { whole + 1.0 } else { whole };
        let cancel = wake_at(&watch.events, delay).ok()?;
        Some(Timer { cancel, due_ms })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        let _ = self.cancel.call0(&JsValue::UNDEFINED);
    }
}

/// Tells other tabs that this page wrote the token on `backend` under `key`.
pub fn post_change(key: &str, change: &Change, backend: Backend) {
    let _ = post(&channel_name(key), &change_message(change, backend));
}

/// Tells other tabs about `logout` on `key`.
pub fn post_logout(key: &str, logout: &Logout) {
    let _ = post(&channel_name(key), &logout_message(logout));
}

/// No store of the page is on `key` any more: its sending channel closes (the next post opens it
/// again).
pub fn forget_channel(key: &str) {
    forget(&channel_name(key));
}
