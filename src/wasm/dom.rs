//! The page events a listened-to store reacts to, and the logout channel: DOM plumbing that turns
//! each event into a call on the store. What the store then does is the core's decision.

use alloc::rc::Weak;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::RefCell;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use web_sys::BroadcastChannel;

use super::inner::Inner;
use super::objects::{logout_message, read_logout_message};
use super::page::PageLocal;
pub use super::watch::Timer as RawTimer;
use super::watch::{Channel, Listener};
use crate::broadcast::Logout;
use crate::error::concat;
pub use crate::storage::window;

/// Whether the document has loaded (`Some(false)` while it is still loading); `None` without one.
pub fn document_ready() -> Option<bool> {
    let document = window()?.document()?;
    Some(document.ready_state() != "loading")
}

/// A timer that calls its store.
pub struct Timer(RawTimer);

impl Timer {
    /// A timer due at `due_ms`; `None` where there is no window.
    pub fn at(due_ms: f64, now_ms: f64, handler: impl FnMut() + 'static) -> Option<Timer> {
        RawTimer::at(&window()?, due_ms, now_ms, handler).map(Timer)
    }
}

impl core::ops::Deref for Timer {
    type Target = RawTimer;

    fn deref(&self) -> &RawTimer {
        &self.0
    }
}

/// The listeners and the channel of a store that someone listens to; all removed on drop.
pub struct Watch {
    _listeners: Vec<Listener>,
    _channel: Option<Channel>,
}

fn channel_name(key: &str) -> String {
    concat(&["tokenstore:", key])
}

impl Watch {
    /// Listens for what can change the store `inner` on `key`: another tab's storage writes, history
    /// navigation, a restore from the back/forward cache, the page becoming visible, the document
    /// loading, and logouts in other tabs. `None` where there is no window.
    pub fn start(inner: Weak<Inner>, key: &str) -> Option<Watch> {
        let window = window()?;
        let look = |inner: &Weak<Inner>| {
            let inner = inner.clone();
            move |_: web_sys::Event| {
                if let Some(inner) = inner.upgrade() {
                    inner.refresh();
                }
            }
        };
        let on_storage = {
            let inner = inner.clone();
            let key = String::from(key);
            move |event: web_sys::Event| {
                // A null key means the whole storage was cleared.
                let changed = Reflect::get(&event, &JsValue::from_str("key"))
                    .ok()
                    .is_none_or(|changed| {
                        changed.is_null() || changed.as_string().as_deref() == Some(&*key)
                    });
                if let (true, Some(inner)) = (changed, inner.upgrade()) {
                    inner.refresh();
                }
            }
        };
        let on_page_show = {
            let inner = inner.clone();
            move |event: web_sys::Event| {
                let restored = Reflect::get(&event, &JsValue::from_str("persisted"))
                    .is_ok_and(|persisted| persisted.is_truthy());
                if let (true, Some(inner)) = (restored, inner.upgrade()) {
                    inner.refresh();
                }
            }
        };
        let on_visibility = {
            let inner = inner.clone();
            move |_: web_sys::Event| {
                // `hidden` is false exactly when visibilityState is "visible", and reads as a plain
                // boolean, where the enum brings web-sys conversion code.
                let visible = super::dom::window()
                    .and_then(|window| window.document())
                    .is_some_and(|document| !document.hidden());
                if let (true, Some(inner)) = (visible, inner.upgrade()) {
                    inner.refresh();
                }
            }
        };
        let on_loaded = {
            let inner = inner.clone();
            move |_: web_sys::Event| {
                if let Some(inner) = inner.upgrade() {
                    inner.document_loaded();
                }
            }
        };
        let mut listeners = vec![
            Listener::new(&window, "popstate", look(&inner)),
            Listener::new(&window, "storage", on_storage),
            Listener::new(&window, "pageshow", on_page_show),
        ];
        if let Some(document) = window.document() {
            listeners.push(Listener::new(&document, "visibilitychange", on_visibility));
            listeners.push(Listener::new(&document, "DOMContentLoaded", on_loaded));
        }
        let channel = Channel::open(&channel_name(key), move |message| {
            if let (Some(logout), Some(inner)) = (
                read_logout_message(&message, js_sys::Date::now()),
                inner.upgrade(),
            ) {
                inner.hear_message(&logout);
            }
        });
        Some(Watch {
            _listeners: listeners.into_iter().flatten().collect(),
            _channel: channel,
        })
    }
}

/// The sending ends of the logout channels, one per key, opened on first use and kept: opening and
/// closing a `BroadcastChannel` for every logout made each one slower than the last in Chromium and
/// Node.
static SENDERS: PageLocal<RefCell<Vec<(String, BroadcastChannel)>>> =
    PageLocal::new(RefCell::new(Vec::new()));

/// Tells other tabs about `logout` on `key`.
pub fn post_logout(key: &str, logout: &Logout) {
    let Ok(mut senders) = SENDERS.try_borrow_mut() else {
        return;
    };
    let name = channel_name(key);
    let index = match senders.iter().position(|(open, _)| *open == name) {
        Some(index) => index,
        None => {
            let Ok(channel) = BroadcastChannel::new(&name) else {
                return;
            };
            senders.push((name, channel));
            senders.len() - 1
        }
    };
    if let Some((_, channel)) = senders.get(index) {
        let _ = channel.post_message(&logout_message(logout));
    }
}
