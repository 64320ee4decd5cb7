//! The page events a listened-to store reacts to, its timer, and the logout channel: DOM plumbing.
//! A small JS module (`page_events.js`) adds the listeners and hands each event to [`PageEvents`] as
//! plain facts; what the store then does is decided here and in the core.

use alloc::rc::Weak;
use alloc::string::String;

use js_sys::Function;
use wasm_bindgen::prelude::*;

pub use super::backend::window;
use super::objects::{change_message, logout_message, read_message, News};
use super::records::{clock_name, mark_name};
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

/// What the page tells a store, sorted by [`PageEvents`]. The store implements [`Listener`] to hear
/// it, so that this plumbing never names the store it serves.
pub enum Heard {
    /// Something that may have changed the token happened: history navigation, or a write under the
    /// store's key in another tab.
    Look,
    /// Another tab on the key learnt or was told the server's clock.
    Clock,
    /// A logout in another tab left its mark, for browsers or frames the channel's message does not
    /// reach.
    Mark,
    /// The page runs again after missing events: restored, shown, or resumed after a freeze.
    RunsAgain,
    /// `DOMContentLoaded`: waiting hooks run their first check.
    Loaded,
    /// Another page's news on the channel.
    News(News),
    /// The store's timer fired.
    TimerFired,
}

/// What a watched store does with what the page tells it.
pub trait Listener {
    /// Hears `heard`.
    fn hear(&self, heard: Heard);
}

/// What the page tells a store. Not part of the API: the listeners in `page_events.js` call it.
#[wasm_bindgen(skip_typescript)]
pub struct PageEvents {
    listener: Weak<dyn Listener>,
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
        let heard = match event {
            PageEvent::Look => Some(Heard::Look),
            PageEvent::Storage => self.storage(detail.as_string()),
            // `pageshow`: a page restored from the back/forward cache has missed everything meanwhile.
            PageEvent::Shown => detail.is_truthy().then_some(Heard::RunsAgain),
            // `visibilitychange`: timers do not run while a laptop sleeps, and a hidden tab may have
            // been frozen, so a page coming back looks again.
            PageEvent::Visibility => (!detail.is_truthy()).then_some(Heard::RunsAgain),
            PageEvent::RunsAgain => Some(Heard::RunsAgain),
            PageEvent::Loaded => Some(Heard::Loaded),
            PageEvent::Message => read_message(&detail).map(Heard::News),
            PageEvent::TimerFired => Some(Heard::TimerFired),
            _ => None,
        };
        if let (Some(heard), Some(listener)) = (heard, self.listener.upgrade()) {
            listener.hear(heard);
        }
    }
}

impl PageEvents {
    /// Another tab wrote web storage under `key` (`null`: it cleared the whole storage), or a cookie
    /// named `key` changed (the Cookie Store API's `change` event, which also reports this page's).
    fn storage(&self, key: Option<String>) -> Option<Heard> {
        let Some(key) = key else {
            return Some(Heard::Look);
        };
        if key == self.key {
            Some(Heard::Look)
        } else if key == clock_name(&self.key) {
            Some(Heard::Clock)
        } else if key == mark_name(&self.key) {
            Some(Heard::Mark)
        } else {
            None
        }
    }
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
    /// Listens for what can change the store `listener` on `key`. `None` where there is no window or
    /// the browser refused.
    pub fn start(listener: Weak<dyn Listener>, key: &str) -> Option<Watch> {
        window()?;
        let events = PageEvents {
            listener,
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
