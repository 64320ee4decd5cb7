//! What the page tells a listened-to store: the listeners `page_events.js` adds (through
//! [`Watch`]) hand each event to [`PageEvents`] as plain facts, and it calls the store's method for
//! it. Above the store's state, so that the plumbing below (`dom.rs`) never names the store.

use alloc::rc::Weak;
use alloc::string::String;

use wasm_bindgen::prelude::*;

use super::dom::Watch;
use super::inner::Inner;
use super::objects::{read_message, News};
use super::records;

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
        } else if key == records::clock_name(&self.key) {
            if let Some(inner) = self.inner.upgrade() {
                inner.adopt_shared_offset();
            }
        } else if key == records::mark_name(&self.key) {
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

/// Listens for what can change the store `inner` on `key`. `None` where there is no window or the
/// browser refused.
pub fn watch(inner: Weak<Inner>, key: &str) -> Option<Watch> {
    let events = PageEvents {
        inner,
        key: key.into(),
    };
    // The JS object of `events`: the listeners hold it, and so does the timer.
    Watch::start(events.into(), key)
}
