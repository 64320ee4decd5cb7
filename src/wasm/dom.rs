//! The page events a listened-to store reacts to, its timer, and the logout channel: DOM plumbing.
//! A small JS module (`page_events.js`) adds the listeners and hands each event to [`PageEvents`] as
//! plain facts; what the store then does is decided here and in the core.

use alloc::rc::Weak;
use alloc::string::String;

use js_sys::Function;
use wasm_bindgen::prelude::*;

pub use super::backend::window;
use super::inner::Inner;
use super::objects::{change_message, logout_message, own_field, read_message, News};
use crate::broadcast::{Change, Logout, Mark, Stored};
use crate::error::concat;
use crate::refresh::Lease;
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

    /// The JSON record `name` in `area` ("local" or "session"), or `null`.
    #[wasm_bindgen(js_name = readRecord)]
    pub(super) fn read_record(area: &str, name: &str) -> JsValue;

    /// Writes the JSON record `name` in `area`, or removes it when `record` is `null`.
    #[wasm_bindgen(js_name = writeRecord)]
    pub(super) fn write_record(area: &str, name: &str, record: &JsValue);
}

/// What the page tells a store. Not part of the API: the listeners in `page_events.js` call it.
#[wasm_bindgen(skip_typescript)]
pub struct PageEvents {
    inner: Weak<Inner>,
    /// The storage key, to tell which `storage` events concern the store.
    key: String,
}

/// What happened in the page, as the listeners in `page_events.js` name it.
#[wasm_bindgen(skip_typescript)]
pub enum PageEvent {
    /// History navigation: `popstate`.
    Look = "look",
    /// A `storage` event or a changed cookie; the detail is the key or cookie name.
    Storage = "storage",
    /// `pageshow`; the detail is whether the page was restored.
    Shown = "shown",
    /// `visibilitychange`; the detail is whether the page is hidden.
    Visibility = "visibility",
    /// `online` or the Page Lifecycle's `resume`: the page runs again after missing events.
    RunsAgain = "runsAgain",
    /// `DOMContentLoaded`.
    Loaded = "loaded",
    /// A message on the channel; the detail is its data.
    Message = "message",
    /// The store's timer fired.
    TimerFired = "timerFired",
}

// One export for every event: each export carries its own glue in the module.
#[wasm_bindgen]
impl PageEvents {
    /// Hands `event` and its detail to the store.
    pub fn heard(&self, event: PageEvent, detail: JsValue) {
        match event {
            PageEvent::Look => self.look(),
            PageEvent::Storage => self.storage(detail.as_string()),
            PageEvent::Shown => self.shown(detail.is_truthy()),
            PageEvent::Visibility => self.visibility(detail.is_truthy()),
            PageEvent::RunsAgain => self.run_again(),
            PageEvent::Loaded => self.loaded(),
            PageEvent::Message => self.message(detail),
            PageEvent::TimerFired => self.timer_fired(),
            _ => {}
        }
    }
}

impl PageEvents {
    /// Something that may have changed the token happened (history navigation).
    fn look(&self) {
        if let Some(inner) = self.inner.upgrade() {
            inner.look();
        }
    }

    /// Another tab wrote web storage under `key` (`null`: it cleared the whole storage), or a cookie
    /// named `key` changed (the Cookie Store API's `change` event, which also reports this page's).
    fn storage(&self, key: Option<String>) {
        let Some(key) = key else {
            return self.look();
        };
        if key == self.key {
            self.look();
        } else if key == clock_name(&self.key) {
            if let Some(inner) = self.inner.upgrade() {
                inner.adopt_shared_offset();
            }
        } else if key == mark_name(&self.key) {
            // A logout in another tab, for browsers or frames the channel's message does not reach.
            if let Some(inner) = self.inner.upgrade() {
                inner.check_mark();
                inner.look();
            }
        }
    }

    /// `pageshow`: a page restored from the back/forward cache has missed everything meanwhile.
    fn shown(&self, persisted: bool) {
        if persisted {
            self.run_again();
        }
    }

    /// `visibilitychange`: timers do not run while a laptop sleeps, and a hidden tab may have been
    /// frozen, so a page coming back looks again.
    fn visibility(&self, hidden: bool) {
        if !hidden {
            self.run_again();
        }
    }

    /// The page runs again after missing events: restored, shown, or resumed after a freeze.
    fn run_again(&self) {
        if let Some(inner) = self.inner.upgrade() {
            inner.run_again();
        }
    }

    /// `DOMContentLoaded`: waiting hooks run their first check.
    fn loaded(&self) {
        if let Some(inner) = self.inner.upgrade() {
            inner.document_loaded();
        }
    }

    /// A message on the channel.
    fn message(&self, data: JsValue) {
        let news = read_message(&data);
        let (Some(news), Some(inner)) = (news, self.inner.upgrade()) else {
            return;
        };
        match news {
            News::Logout(logout) => inner.hear_message(&logout),
            News::Change(change) => inner.hear_change(&change),
        }
    }

    /// The store's timer fired.
    fn timer_fired(&self) {
        if let Some(inner) = self.inner.upgrade() {
            inner.timer_fired();
        }
    }
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
    /// Listens for what can change the store `inner` on `key`. `None` where there is no window or
    /// the browser refused.
    pub fn start(inner: Weak<Inner>, key: &str) -> Option<Watch> {
        window()?;
        let events = PageEvents {
            inner,
            key: key.into(),
        };
        // The JS object of `events`: the listeners hold it, and so does the timer.
        let events: JsValue = events.into();
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

fn mark_name(key: &str) -> String {
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
