//! Telling listeners: a look at the store, published to the hub, and the calls it owes made one at a
//! time; the store's one timer; snapshots; adding subscribers, handlers and hooks, and watching the
//! page once someone listens.

use alloc::rc::{Rc, Weak};
use alloc::vec::Vec;
use core::cell::RefCell;

use js_sys::Function;
use wasm_bindgen::prelude::*;

#[cfg(feature = "js")]
use super::bound::unsubscriber;
use super::dispatch::{as_function, call};
use super::dom::{self, Timer};
use super::dpop::key_detail;
use super::inner::{closed_snapshot, Inner, View};
use super::objects::{fallback_detail, snapshot};
use super::page::PageLocal;
use super::page_events::watch;
use crate::error::{Error, Result};
use crate::hub::{EventName, Fallback, Message, Observation};
use crate::jwt::Jwt;
use crate::refresh::Due;
use crate::session::{next_wakeup, Cause, Seen, Status};
use crate::storage::Backend;

impl Inner {
    /// Looks at the storage and the clock again, and tells every listener what changed.
    pub fn look(&self) {
        self.look_because(Cause::Observed);
    }

    pub(super) fn look_because(&self, cause: Cause) {
        let mut cause = cause;
        loop {
            if self.closed.get() {
                return;
            }
            self.deferred.set(false);
            if !self.hub.borrow().is_idle() {
                self.publish(cause);
            }
            self.deliver();
            if self.auto_due.take() {
                self.start_auto();
            }
            // A look asked for while the storage was busy: take it now.
            if !self.deferred.get() || self.store.try_borrow_mut().is_err() {
                return;
            }
            cause = Cause::Observed;
        }
    }

    /// Reads the state and hands it to the hub, which queues what each listener is owed.
    pub(super) fn publish(&self, cause: Cause) {
        // A storage that cannot be read right now is seen as holding nothing new.
        let Ok(token) = self.current() else { return };
        if self.store.try_borrow_mut().is_err() {
            return;
        }
        let cause = if self.discarded.take() {
            Cause::Discarded
        } else if self.revoked.take() {
            Cause::LoggedOutElsewhere
        } else {
            cause
        };
        let now_ms = self.clock_ms();
        let seen = self.observation(token.as_ref(), now_ms, cause);
        self.hub.borrow_mut().publish(seen);
        self.schedule(token.as_deref(), now_ms);
    }

    pub(super) fn view(&self, token: Option<&Rc<Jwt>>, status: Status, backend: Backend) -> View {
        let claims = token
            .and_then(|jwt| self.decoded(jwt).ok())
            .map_or(JsValue::NULL, |(claims, _)| claims);
        let token_value = token.map_or(JsValue::NULL, |jwt| JsValue::from_str(jwt.raw()));
        let expires_at = token.and_then(|jwt| jwt.times().exp);
        View {
            snapshot: snapshot(&token_value, &claims, status, backend, expires_at),
            token: token_value,
            claims,
        }
    }

    /// Makes the calls the hub says are owed, one at a time, with nothing borrowed while app code
    /// runs. A dispatch already under way further up the stack makes them instead.
    pub(super) fn deliver(&self) {
        let Ok(mut hub) = self.hub.try_borrow_mut() else {
            return;
        };
        if !hub.begin_dispatch() {
            return;
        }
        drop(hub);
        loop {
            let next = match self.hub.try_borrow_mut() {
                Ok(mut hub) => hub.next_call(),
                Err(_) => return,
            };
            let Some((callback, message)) = next else {
                return;
            };
            match message {
                Message::Snapshot(view) => call(&callback, &[view.snapshot]),
                Message::Login(view) => call(&callback, &[view.token, view.claims]),
                Message::Logout(reason) => call(&callback, &[JsValue::from_str(reason.name())]),
                Message::Fallback(detail) => call(&callback, &[self.fallback_object(&detail)]),
                Message::RefreshError(detail) => call(&callback, &[detail]),
                Message::DpopKey(reason) => call(&callback, &[key_detail(reason)]),
            }
        }
    }

    /// The `fallback` event's detail for `detail`, made once per fallback.
    pub(super) fn fallback_object(&self, detail: &Fallback) -> JsValue {
        let mut made = self.fallback_object.borrow_mut();
        match made.as_ref() {
            Some((fallback, object)) if fallback == detail => object.clone(),
            _ => made
                .insert((detail.clone(), fallback_detail(detail)))
                .1
                .clone(),
        }
    }

    /// Sets the one timer to the next instant at which the clock alone changes the state.
    pub(super) fn schedule(&self, token: Option<&Jwt>, now_ms: f64) {
        if self.server {
            return;
        }
        let now = now_ms / 1000.0;
        let mut due = next_wakeup(token, now, self.options.leeway, self.options.expiring_in);
        match self.with_auto_in_charge(|entry| entry.auto.due(token, now)) {
            Some(Due::Now) => self.auto_due.set(true),
            Some(Due::At(at)) => due = Some(due.map_or(at - now, |due| due.min(at - now))),
            Some(Due::Idle) | None => {}
        }
        let due_ms = due.map(|seconds| now_ms + seconds * 1000.0);
        let mut timer = self.timer.borrow_mut();
        if timer.as_ref().map(|timer| timer.due_ms) == due_ms {
            return;
        }
        *timer = None;
        let watch = self.watch.borrow();
        if let (Some(due_ms), Some(watch)) = (due_ms, watch.as_ref()) {
            *timer = Timer::at(watch, due_ms, now_ms);
        }
    }

    /// The timer fired. It is spent: clearing it lets `schedule` set the next one even if it is due
    /// at the same instant (the browser fired a little early).
    pub fn timer_fired(&self) {
        self.timer.replace(None);
        self.look();
    }

    /// The snapshot JS sees: the same object until something changes. While anyone listens it is the
    /// one last published; otherwise the store looks again on every call.
    pub fn snapshot(&self) -> JsValue {
        if self.closed.get() {
            return closed_snapshot();
        }
        self.prime_if_idle();
        self.hub
            .borrow()
            .latest()
            .map_or_else(closed_snapshot, |latest| latest.snapshot.clone())
    }

    /// Records the current state in an idle hub, without owing anyone a call: before the first
    /// listener joins (it hears only of what comes after) and for `getSnapshot` while nobody listens.
    pub(super) fn prime_if_idle(&self) {
        if !self.hub.borrow().is_idle() {
            return;
        }
        let Ok(token) = self.current() else { return };
        let seen = self.observation(token.as_ref(), self.clock_ms(), Cause::Observed);
        self.hub.borrow_mut().prime(seen);
    }

    /// The state `token` gives at `now_ms`, with the view listeners receive for it.
    pub(super) fn observation<'a>(
        &self,
        token: Option<&'a Rc<Jwt>>,
        now_ms: f64,
        cause: Cause,
    ) -> Observation<'a, View> {
        let now = now_ms / 1000.0;
        let status = Status::of(token.map(|jwt| &**jwt), now, self.options.leeway);
        let backend = self.backend();
        Observation {
            token,
            status,
            backend,
            now,
            leeway: self.options.leeway,
            cause,
            view: self.view(token, status, backend),
        }
    }

    /// The snapshot a server renders, and the client renders first while hydrating: anonymous, on the
    /// configured backend, the same frozen object every call.
    pub fn server_snapshot(&self) -> JsValue {
        static SERVER: PageLocal<RefCell<Vec<(Backend, JsValue)>>> =
            PageLocal::new(RefCell::new(Vec::new()));
        let Ok(mut made) = SERVER.try_borrow_mut() else {
            return closed_snapshot();
        };
        if let Some((_, snapshot)) = made.iter().find(|(backend, _)| *backend == self.configured) {
            return snapshot.clone();
        }
        let made_now = snapshot(
            &JsValue::NULL,
            &JsValue::NULL,
            Status::Anonymous,
            self.configured,
            None,
        );
        made.push((self.configured, made_now.clone()));
        made_now
    }

    /// A listener was added: pin the store, have peers tell it, and watch the page, if not done yet.
    pub(super) fn started(&self) {
        if self.pin.borrow().is_none() {
            self.pin.replace(self.this.upgrade());
            self.update_told();
        }
        if !self.server && self.watch.borrow().is_none() {
            let watch = watch(self.this.clone(), &self.key());
            self.watch.replace(watch);
        }
    }

    /// `subscribe(run)`: calls `run(snapshot)` now and on every change; returns the unsubscribe.
    #[cfg(feature = "js")]
    pub fn subscribe(&self, run: JsValue) -> Result<JsValue> {
        self.listen(EventName::Change, run, true, "subscribe", unsubscriber)
    }

    /// `on(event, handler)`; returns the unsubscribe.
    #[cfg(feature = "js")]
    pub fn on(&self, event: EventName, handler: JsValue) -> Result<JsValue> {
        self.listen(event, handler, false, "on", unsubscriber)
    }

    /// Adds `callback` as a handler of `event` (a subscriber hears the state at once); returns what
    /// `handle` makes of the store and the handler's id: the JS API's unsubscribe function, the Rust
    /// API's guard.
    pub(super) fn listen<R>(
        &self,
        event: EventName,
        callback: JsValue,
        subscriber: bool,
        method: &str,
        handle: impl FnOnce(Weak<Inner>, u32) -> R,
    ) -> Result<R> {
        self.check_open()?;
        let callback = as_function(callback).ok_or_else(|| {
            Error::InvalidArgument(crate::error::concat(&[method, " needs a function"]))
        })?;
        // Existing listeners catch up first, so the new one hears only of what comes after it joined.
        self.look();
        self.prime_if_idle();
        let id = self.hub.borrow_mut().add_handler(event, callback.clone());
        self.started();
        let welcome = self.hub.borrow().welcome(event, subscriber);
        match welcome {
            Some(Message::Snapshot(view)) => call(&callback, &[view.snapshot]),
            Some(Message::Fallback(detail)) => call(&callback, &[self.fallback_object(&detail)]),
            _ => {}
        }
        // What the clock owes the newcomer now (`expiring`, `expired`), and the timer.
        self.look();
        Ok(handle(self.this.clone(), id))
    }

    /// Registers an `autoLogin` hook, active at once if the document has loaded (else from
    /// DOMContentLoaded), and runs its first check. Where there is no document it never runs.
    /// `seen` is what the app was already told (the package's early answer), else `Seen::Nothing`.
    pub fn add_hook(
        &self,
        on_login: Option<Function>,
        on_logout: Option<Function>,
        seen: Seen,
    ) -> Result<u32> {
        self.check_open()?;
        self.look();
        self.prime_if_idle();
        let ready = dom::document_ready() == Some(true);
        let id = self
            .hub
            .borrow_mut()
            .add_hook(on_login, on_logout, ready, seen);
        self.started();
        // The hook's first check, if the document has loaded.
        self.look();
        Ok(id)
    }

    /// The document has loaded: waiting hooks run their first check.
    pub fn document_loaded(&self) {
        let activated = self.hub.borrow_mut().activate_hooks();
        if activated {
            self.look();
        }
    }
}
