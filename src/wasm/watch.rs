//! Browser hooks owned by Rust values: each is removed when its owner is dropped, so nothing keeps
//! firing after `dispose()` or `free()`.

use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, EventTarget};

/// The longest delay `setTimeout` honours; a longer one fires at once (2^31 - 1 ms, about 24.8 days).
pub const MAX_TIMEOUT_MS: f64 = 2_147_483_647.0;

/// An event listener that removes itself on drop.
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    /// Adds `handler` for `kind` events on `target`; `None` if the browser refuses.
    pub fn new(
        target: &EventTarget,
        kind: &'static str,
        handler: impl FnMut(web_sys::Event) + 'static,
    ) -> Option<Listener> {
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
        target
            .add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref())
            .ok()?;
        Some(Listener {
            target: target.clone(),
            kind,
            callback,
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}

/// A `setTimeout` that is cleared on drop. Delays beyond what browsers honour are cut to the maximum;
/// the owner looks again when it fires and sets the next one.
pub struct Timer {
    window: web_sys::Window,
    id: i32,
    /// When it fires, in ms since the epoch, so an unchanged deadline keeps the running timer.
    pub due_ms: f64,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    /// Calls `handler` at `due_ms` (ms since the epoch), or after the longest honoured delay.
    pub fn at(
        window: &web_sys::Window,
        due_ms: f64,
        now_ms: f64,
        handler: impl FnMut() + 'static,
    ) -> Option<Timer> {
        let callback = Closure::<dyn FnMut()>::new(handler);
        let delay = (due_ms - now_ms).clamp(0.0, MAX_TIMEOUT_MS);
        // `delay` is clamped to [0, 2^31 - 1], so the cast only drops the sub-millisecond part, which
        // is rounded up so the timer never fires early (`f64::ceil` needs the standard library).
        let whole = delay as i32;
        let delay = whole + i32::from(f64::from(whole) < delay);
        let id = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                delay,
            )
            .ok()?;
        Some(Timer {
            window: window.clone(),
            id,
            due_ms,
            _callback: callback,
        })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.window.clear_timeout_with_handle(self.id);
    }
}

/// A `BroadcastChannel` with its message handler, closed on drop.
pub struct Channel {
    channel: BroadcastChannel,
    _callback: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl Channel {
    /// Opens the channel `name` and calls `handler` with each message's data.
    pub fn open(name: &str, mut handler: impl FnMut(JsValue) + 'static) -> Option<Channel> {
        let channel = BroadcastChannel::new(name).ok()?;
        let callback = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| handler(event.data()),
        );
        channel.set_onmessage(Some(callback.as_ref().unchecked_ref()));
        Some(Channel {
            channel,
            _callback: callback,
        })
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}
