//! The state behind one `TokenStore`: the core's store and hub, the JS objects made from its token,
//! and the page resources that exist while anyone listens. It carries out what the core decides.
//!
//! Lifetime: while the store has listeners it holds a strong reference to itself (`pin`), so it lives
//! on when the app drops every reference to it (wasm-bindgen's finalizer then only frees the JS
//! wrapper). Removing the last listener, or `free()`, lets it go.
//!
//! Re-entrancy: app code runs only when no `RefCell` here is borrowed, except the storage's own
//! methods, which a page may patch to dispatch events synchronously: everything reached from such an
//! event uses `try_borrow` and, finding the store busy, looks again once the store is free.

use alloc::boxed::Box;
use alloc::rc::{Rc, Weak};
use alloc::vec::Vec;
use core::cell::{Cell, OnceCell, RefCell};

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::bound::unsubscriber;
use super::dispatch::{as_function, call};
use super::dom::{self, Timer, Watch};
use super::objects::{fallback_detail, parse_json_frozen, snapshot};
use super::page::page;
use super::refresh::{self, error_detail, AutoEntry};
use crate::broadcast::{self, Action, Change, Logout, Mark, MarkAction};
use crate::clock;
use crate::cookie::{self, CookieOptions};
use crate::error::{Error, Part, Result};
use crate::fallback::fall_back;
use crate::hub::{EventName, Fallback, Hub, Message, Observation};
use crate::jwt::Jwt;
use crate::refresh::Due;
use crate::session::{next_wakeup, Cause, Status};
use crate::storage::{Backend, CookieSettings, MemoryStorage, Storage};
use crate::store::{Loaded, Store};

/// What listeners receive for one state: its snapshot, and the token and claims `onLogin` gets.
#[derive(Clone)]
pub struct View {
    snapshot: JsValue,
    token: JsValue,
    claims: JsValue,
}

/// The claims and header of one token as frozen JS objects, kept so repeated reads return the same
/// objects.
struct Decoded {
    jwt: Rc<Jwt>,
    claims: JsValue,
    header: JsValue,
}

/// The options a store keeps.
pub struct Settings {
    /// Seconds of clock skew tolerated.
    pub leeway: f64,
    /// Whether a blocked or full web storage means memory rather than an error.
    pub fallback: bool,
    /// Seconds before `exp` at which `expiring` fires.
    pub expiring_in: f64,
    /// The attributes of the cookie backend's cookie.
    pub cookie: CookieOptions,
    /// Whether tokens given to `set()` or fetched by a refresh teach the server's clock.
    pub server_clock: bool,
}

/// Everything behind a `TokenStore`.
pub struct Inner {
    store: RefCell<Store>,
    /// The backend as configured, for the server snapshot.
    configured: Backend,
    pub settings: Settings,
    hub: RefCell<Hub<Function, View, JsValue>>,
    decoded: RefCell<Option<Decoded>>,
    /// The token last read, answered while the storage is busy (a storage event handler reading the
    /// store in the middle of a write).
    known: RefCell<Option<Rc<Jwt>>>,
    /// When this store first saw `known`, in ms since the epoch: a logout elsewhere removes only a
    /// token seen before it.
    seen_at: Cell<Option<f64>>,
    /// A malformed value was removed by a read that did not publish; the next publish reports it.
    discarded: Cell<bool>,
    /// Something asked for a look while the store was busy.
    deferred: Cell<bool>,
    /// A logout this page learnt of late removed its copy; the next publish reports it.
    revoked: Cell<bool>,
    /// The JS object of the fallback the store is in, so every handler receives the same one.
    fallback_object: RefCell<Option<(Fallback, JsValue)>>,
    watch: RefCell<Option<Watch>>,
    timer: RefCell<Option<Timer>>,
    /// Seconds added to the local clock in every check: the server's clock, as far as it is known.
    offset: Cell<f64>,
    /// The `autoRefresh` registrations; the latest is in charge.
    autos: RefCell<Vec<AutoEntry>>,
    /// The auto-refresh in charge is due: start it once the listeners have been told.
    auto_due: Cell<bool>,
    /// Itself, while anyone listens.
    pin: RefCell<Option<Rc<Inner>>>,
    closed: Cell<bool>,
    /// No window: server-side rendering. The store then listens to nothing and shares nothing.
    server: bool,
    pub id: u32,
    this: Weak<Inner>,
}

/// Opens `backend` for `key`, or memory when that storage is blocked and `settings.fallback` allows
/// it: the backend opened, its storage, and the fallback that happened. `server` stores get a memory
/// of their own. A key that cannot name a cookie is an option error for the cookie backend.
pub fn open_backend(
    backend: Backend,
    key: &str,
    settings: &Settings,
    server: bool,
) -> Result<(Backend, Box<dyn Storage>, Option<Fallback>)> {
    let fallback = settings.fallback;
    let memory = || -> Box<dyn Storage> {
        if server {
            Box::new(MemoryStorage::default())
        } else {
            Box::new(page().memory.clone())
        }
    };
    if backend == Backend::Memory {
        return Ok((Backend::Memory, memory(), None));
    }
    if backend == Backend::Cookie {
        cookie::check_name(key)?;
    }
    match backend.open(&page().memory, cookie_settings(settings)) {
        Ok(storage) => Ok((backend, storage, None)),
        Err(error) => match fall_back(&error, backend, fallback) {
            Some(detail) => Ok((Backend::Memory, memory(), Some(detail))),
            None => Err(error),
        },
    }
}

/// What the cookie backend needs besides the key: the store's cookie options, its leeway, the clock.
fn cookie_settings(settings: &Settings) -> CookieSettings<'_> {
    CookieSettings {
        options: &settings.cookie,
        leeway: settings.leeway,
        now: || now_ms() / 1000.0,
    }
}

/// What `getSnapshot()` returns on a freed store: anonymous, frozen, the same object every time.
pub fn closed_snapshot() -> JsValue {
    static CLOSED: super::page::PageLocal<OnceCell<JsValue>> =
        super::page::PageLocal::new(OnceCell::new());
    CLOSED
        .get_or_init(|| {
            snapshot(
                &JsValue::NULL,
                &JsValue::NULL,
                Status::Anonymous,
                Backend::Memory,
                None,
            )
        })
        .clone()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Inner {
    /// A store over `store`; `fell_back` is the fallback that happened while opening it.
    pub fn new(
        store: Store,
        configured: Backend,
        settings: Settings,
        fell_back: Option<Fallback>,
        server: bool,
    ) -> Rc<Inner> {
        let id = page().next_id();
        let mut hub = Hub::new(settings.expiring_in);
        if let Some(detail) = fell_back {
            hub.fall_back(detail);
        }
        let inner = Rc::new_cyclic(|this| Inner {
            store: RefCell::new(store),
            configured,
            settings,
            hub: RefCell::new(hub),
            decoded: RefCell::new(None),
            known: RefCell::new(None),
            seen_at: Cell::new(None),
            discarded: Cell::new(false),
            deferred: Cell::new(false),
            revoked: Cell::new(false),
            fallback_object: RefCell::new(None),
            watch: RefCell::new(None),
            timer: RefCell::new(None),
            offset: Cell::new(0.0),
            autos: RefCell::new(Vec::new()),
            auto_due: Cell::new(false),
            pin: RefCell::new(None),
            closed: Cell::new(false),
            server,
            id,
            this: this.clone(),
        });
        page().register(id, Rc::downgrade(&inner));
        if !server {
            // A tab reloaded, or restored from the disk cache, after a logout elsewhere.
            inner.check_mark();
        }
        inner
    }

    /// Now in seconds by the store's clock: the local one moved by the server clock offset.
    pub fn clock(&self) -> f64 {
        self.clock_ms() / 1000.0
    }

    fn clock_ms(&self) -> f64 {
        now_ms() + self.offset.get() * 1000.0
    }

    /// The server clock offset in seconds.
    pub fn offset(&self) -> f64 {
        self.offset.get()
    }

    /// Sets the server clock offset and looks again: statuses and timers follow it.
    pub fn set_offset(&self, offset: f64) {
        self.offset.set(offset);
        self.refresh();
    }

    /// `Err(FREED)` once `free()` was called.
    pub fn check_open(&self) -> Result<()> {
        if self.closed.get() {
            Err(Error::Freed("TokenStore"))
        } else {
            Ok(())
        }
    }

    /// The store, unless a storage event handler reached us in the middle of a storage call.
    fn store(&self) -> Result<core::cell::RefMut<'_, Store>> {
        self.store.try_borrow_mut().map_err(|_| {
            Error::StorageUnavailable(
                "the store is busy: a storage event handler called it during a storage write"
                    .into(),
            )
        })
    }

    pub fn key(&self) -> alloc::string::String {
        self.store
            .try_borrow()
            .map(|store| store.key().into())
            .unwrap_or_default()
    }

    pub fn backend(&self) -> Backend {
        self.store
            .try_borrow()
            .map_or(Backend::Memory, |store| store.backend())
    }

    /// The current token, read from the backend.
    pub fn current(&self) -> Result<Option<Rc<Jwt>>> {
        self.check_open()?;
        let Ok(mut store) = self.store.try_borrow_mut() else {
            self.deferred.set(true);
            return Ok(self.known.borrow().clone());
        };
        let loaded = store.load();
        drop(store);
        let token = match loaded? {
            Loaded::Token(jwt) => Some(jwt),
            Loaded::Empty => None,
            Loaded::Discarded(_) => {
                self.discarded.set(true);
                None
            }
        };
        self.note(token.as_ref());
        Ok(token)
    }

    /// Remembers `token` as the one last read, and when this store first saw it.
    fn note(&self, token: Option<&Rc<Jwt>>) {
        let mut known = self.known.borrow_mut();
        let same = match (known.as_ref(), token) {
            // The store hands out the same `Rc` while the value is unchanged: no text to compare.
            (Some(known), Some(token)) => Rc::ptr_eq(known, token) || known.raw() == token.raw(),
            (None, None) => true,
            _ => false,
        };
        if !same {
            self.seen_at.set(token.and_then(|_| self.written_at()));
            *known = token.cloned();
        }
    }

    /// The claims and header of `jwt` as frozen JS objects, made once per token.
    pub fn decoded(&self, jwt: &Rc<Jwt>) -> Result<(JsValue, JsValue)> {
        if let Some(decoded) = self
            .decoded
            .borrow()
            .as_ref()
            .filter(|decoded| Rc::ptr_eq(&decoded.jwt, jwt))
        {
            return Ok((decoded.claims.clone(), decoded.header.clone()));
        }
        let claims = parse_json_frozen(jwt.payload_json(), Part::Payload)?;
        let header = parse_json_frozen(jwt.header_json(), Part::Header)?;
        *self.decoded.borrow_mut() = Some(Decoded {
            jwt: Rc::clone(jwt),
            claims: claims.clone(),
            header: header.clone(),
        });
        Ok((claims, header))
    }

    /// Stores `token`, moving to memory first if the web storage is full or blocked and `fallback`
    /// allows it.
    pub fn set(&self, token: &str) -> Result<()> {
        self.check_open()?;
        let mut store = self.store()?;
        let (jwt, fell_back) = match store.set(token) {
            Ok(jwt) => (jwt, None),
            Err(error) => {
                let detail =
                    fall_back(&error, store.backend(), self.settings.fallback).ok_or(error)?;
                store.abandon_to(Backend::Memory, self.memory());
                (store.set(token)?, Some(detail))
            }
        };
        drop(store);
        // With `serverClock`, a token given to `set()` is taken to be freshly issued.
        if let (true, Some(iat)) = (self.settings.server_clock, jwt.times().iat) {
            self.offset.set(clock::learn(iat, now_ms() / 1000.0));
        }
        // Written now: a logout heard later removes it only if it happened after this instant.
        let now = now_ms();
        self.known.replace(Some(jwt));
        self.seen_at.set(Some(now));
        self.record_written(Some(now));
        if let Some(detail) = fell_back {
            self.hub.borrow_mut().fall_back(detail);
        }
        self.announce(self.backend());
        self.tell_peers(None);
        self.refresh_with(Cause::Observed);
        Ok(())
    }

    /// Tells other tabs, without any token, that this page wrote on `backend`, if that is a backend
    /// whose writes the core says to announce.
    fn announce(&self, backend: Backend) {
        if !self.server && broadcast::announces_writes(backend) {
            let change = Change {
                page: page().id,
                backend: Some(backend),
            };
            dom::post_change(&self.key(), &change, backend);
        }
    }

    /// Another page wrote or moved the token; reads again if the core says it concerns this store.
    pub fn hear_change(&self, change: &Change) {
        if broadcast::on_change(change, page().id, self.backend()) {
            self.refresh();
        }
    }

    fn memory(&self) -> Box<dyn Storage> {
        if self.server {
            Box::new(MemoryStorage::default())
        } else {
            Box::new(page().memory.clone())
        }
    }

    /// Logs out: removes the token, tells the page's other stores and other tabs, and reports
    /// `onLogout("logout")`.
    pub fn clear(&self) -> Result<()> {
        self.clear_because(Cause::Logout)
    }

    /// A refresh answered `null`: the session is over. Removed as by `clear()`; hooks hear
    /// "refreshFailed".
    pub fn clear_because_refresh_failed(&self) -> Result<()> {
        self.clear_because(Cause::RefreshFailed)
    }

    fn clear_because(&self, cause: Cause) -> Result<()> {
        self.check_open()?;
        let expires = self.known.borrow().as_ref().and_then(|jwt| jwt.times().exp);
        self.store()?.clear()?;
        let logout = Logout {
            at: now_ms(),
            page: page().id,
            backend: Some(self.backend()),
        };
        if !self.server {
            let key = self.key();
            // Logout everywhere: the copies this page can reach go now, running tabs hear the message,
            // and tabs that are not running find the mark when they run again.
            for backend in [
                Backend::Local,
                Backend::Session,
                Backend::Memory,
                Backend::Cookie,
            ] {
                // A key that cannot name a cookie has none to remove.
                let reachable = backend != self.backend()
                    && (backend != Backend::Cookie || cookie::check_name(&key).is_ok());
                if !reachable {
                    continue;
                }
                if let Ok(storage) = backend.open(&page().memory, cookie_settings(&self.settings)) {
                    let _ = storage.remove(&key);
                }
            }
            dom::write_stored_at(&key, None);
            page().set_memory_written(&key, None);
            let expires = expires.map(|exp| (exp + self.settings.leeway) * 1000.0);
            dom::write_mark(&key, Some(&Mark::new(logout.at, expires)));
            dom::post_logout(&key, &logout);
        }
        self.tell_peers(Some(&logout));
        self.refresh_with(cause);
        Ok(())
    }

    /// Tells the page's other stores on this key that the token changed (they cannot hear a
    /// `storage` event from their own page), or that it logged out.
    fn tell_peers(&self, logout: Option<&Logout>) {
        if self.server {
            return;
        }
        let key = self.key();
        let backend = self.backend();
        for peer in page().others(self.id) {
            if peer.closed.get() || peer.key() != key {
                continue;
            }
            match logout {
                Some(logout) => {
                    peer.hear_logout(broadcast::on_peer_logout(logout, peer.backend()), logout)
                }
                None if peer.backend() == backend => peer.refresh(),
                None => {}
            }
        }
    }

    /// A logout elsewhere: does what the core decided.
    pub fn hear_logout(&self, action: Action, logout: &Logout) {
        match action {
            Action::Ignore => {}
            Action::Reread => self.refresh(),
            Action::ClearIfOlder => {
                // Read first: a token written after the logout is then seen now, after it.
                if self.current().is_err() {
                    return;
                }
                if self.known.borrow().is_some()
                    && broadcast::predates(self.seen_at.get(), logout.at)
                {
                    self.clear_own_copy();
                }
                self.refresh();
            }
        }
    }

    /// Removes this store's copy because of a logout elsewhere; the next publish reports it.
    fn clear_own_copy(&self) {
        if let Ok(mut store) = self.store.try_borrow_mut() {
            if store.clear().is_ok() {
                self.revoked.set(true);
            }
        }
        self.record_written(None);
    }

    /// When the token in the backend was written, as far as this page can tell: sessionStorage and
    /// the page's memory outlive a store (a reload, a new store), so the time is kept beside them;
    /// for localStorage and cookies, or a value no store of this page wrote, it is now, when first
    /// seen.
    fn written_at(&self) -> Option<f64> {
        if self.server {
            return Some(now_ms());
        }
        match self.backend() {
            Backend::Session => dom::read_stored_at(&self.key()),
            Backend::Memory => page().memory_written(&self.key()).or(Some(now_ms())),
            Backend::Local | Backend::Cookie => Some(now_ms()),
        }
    }

    /// Keeps when this store wrote its token (`None`: removed it) where [`Inner::written_at`] finds it.
    fn record_written(&self, at: Option<f64>) {
        if self.server {
            return;
        }
        match self.backend() {
            Backend::Session => dom::write_stored_at(&self.key(), at),
            Backend::Memory => page().set_memory_written(&self.key(), at),
            Backend::Local | Backend::Cookie => {}
        }
    }

    /// Reads the mark the last logout left, and ends this store's copy if it predates it.
    fn check_mark(&self) {
        let backend = self.backend();
        let key = self.key();
        let Some(mark) = dom::read_mark(&key) else {
            return;
        };
        let Ok(token) = self.current() else { return };
        match broadcast::on_mark(
            &mark,
            backend,
            token.is_some(),
            self.seen_at.get(),
            now_ms(),
        ) {
            MarkAction::Keep => {}
            MarkAction::ClearOwnCopy => self.clear_own_copy(),
            MarkAction::Forget => dom::write_mark(&key, None),
        }
    }

    /// The page runs again after missing events (restored from the back/forward cache, shown, resumed
    /// after a freeze): a logout may have happened meanwhile.
    pub fn wake_up(&self) {
        if self.closed.get() {
            return;
        }
        self.check_mark();
        if let Ok(mut autos) = self.autos.try_borrow_mut() {
            autos.iter_mut().for_each(|entry| entry.auto.wake());
        }
        self.refresh();
    }

    /// A logout message from another page.
    pub fn hear_message(&self, logout: &Logout) {
        let action = broadcast::on_message(logout, page().id, self.backend());
        self.hear_logout(action, logout);
    }

    /// Moves the token to `backend`; if that web storage is blocked and `fallback` allows it, to
    /// memory instead, with a "fallback" event.
    pub fn use_backend(&self, backend: Backend) -> Result<()> {
        self.check_open()?;
        if backend == self.backend() {
            return Ok(());
        }
        let (target, storage, fell_back) =
            open_backend(backend, &self.key(), &self.settings, self.server)?;
        let from = self.backend();
        if target != from {
            self.store()?.switch(target, storage)?;
            // The token keeps its date where it went.
            if self.known.borrow().is_some() {
                self.record_written(self.seen_at.get());
            }
            self.announce(from);
            self.announce(target);
        }
        {
            let mut hub = self.hub.borrow_mut();
            match fell_back {
                Some(detail) => hub.fall_back(detail),
                None => hub.end_fallback(),
            }
        }
        self.refresh_with(Cause::Observed);
        Ok(())
    }

    /// Looks at the storage and the clock, and tells every listener what changed.
    pub fn refresh(&self) {
        self.refresh_with(Cause::Observed);
    }

    fn refresh_with(&self, cause: Cause) {
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
    fn publish(&self, cause: Cause) {
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

    fn view(&self, token: Option<&Rc<Jwt>>, status: Status, backend: Backend) -> View {
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
    fn deliver(&self) {
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
            }
        }
    }

    /// The `fallback` event's detail for `detail`, made once per fallback.
    fn fallback_object(&self, detail: &Fallback) -> JsValue {
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
    fn schedule(&self, token: Option<&Jwt>, now_ms: f64) {
        if self.server {
            return;
        }
        let now = now_ms / 1000.0;
        let mut due = next_wakeup(token, now, self.settings.leeway, self.settings.expiring_in);
        if let Some(entry) = self
            .autos
            .try_borrow_mut()
            .ok()
            .as_mut()
            .and_then(|a| a.last_mut())
        {
            match entry.auto.due(token, now) {
                Due::Now => self.auto_due.set(true),
                Due::At(at) => due = Some(due.map_or(at - now, |due| due.min(at - now))),
                Due::Idle => {}
            }
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
    pub fn woke(&self) {
        self.timer.replace(None);
        self.refresh();
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
    fn prime_if_idle(&self) {
        if !self.hub.borrow().is_idle() {
            return;
        }
        let Ok(token) = self.current() else { return };
        let seen = self.observation(token.as_ref(), self.clock_ms(), Cause::Observed);
        self.hub.borrow_mut().prime(seen);
    }

    /// The state `token` gives at `now_ms`, with the view listeners receive for it.
    fn observation<'a>(
        &self,
        token: Option<&'a Rc<Jwt>>,
        now_ms: f64,
        cause: Cause,
    ) -> Observation<'a, View> {
        let now = now_ms / 1000.0;
        let status = Status::of(token.map(|jwt| &**jwt), now, self.settings.leeway);
        let backend = self.backend();
        Observation {
            token,
            status,
            backend,
            now,
            leeway: self.settings.leeway,
            cause,
            view: self.view(token, status, backend),
        }
    }

    /// The snapshot a server renders, and the client renders first while hydrating: anonymous, on the
    /// configured backend, the same frozen object every call.
    pub fn server_snapshot(&self) -> JsValue {
        static SERVER: super::page::PageLocal<RefCell<Vec<(Backend, JsValue)>>> =
            super::page::PageLocal::new(RefCell::new(Vec::new()));
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

    /// `subscribe(run)`: calls `run(snapshot)` now and on every change; returns the unsubscribe.
    pub fn subscribe(&self, run: JsValue) -> Result<JsValue> {
        self.listen(EventName::Change, run, true, "subscribe")
    }

    /// `on(event, handler)`; returns the unsubscribe.
    pub fn on(&self, event: EventName, handler: JsValue) -> Result<JsValue> {
        self.listen(event, handler, false, "on")
    }

    fn listen(
        &self,
        event: EventName,
        callback: JsValue,
        subscriber: bool,
        method: &str,
    ) -> Result<JsValue> {
        self.check_open()?;
        let callback = as_function(callback).ok_or_else(|| {
            Error::InvalidArgument(crate::error::concat(&[method, " needs a function"]))
        })?;
        // Existing listeners catch up first, so the new one hears only of what comes after it joined.
        self.refresh();
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
        self.refresh();
        Ok(unsubscriber(self.this.clone(), id))
    }

    /// Registers an `autoLogin` hook, active at once if the document has loaded (else from
    /// DOMContentLoaded), and runs its first check. Where there is no document it never runs.
    pub fn add_hook(&self, on_login: Option<Function>, on_logout: Option<Function>) -> Result<u32> {
        self.check_open()?;
        self.refresh();
        self.prime_if_idle();
        let ready = dom::document_ready() == Some(true);
        let id = self.hub.borrow_mut().add_hook(on_login, on_logout, ready);
        self.started();
        // The hook's first check, if the document has loaded.
        self.refresh();
        Ok(id)
    }

    /// Registers an `autoRefresh`, in charge from now on, and looks at once: a start-up refresh or
    /// one that is due runs now.
    pub fn add_auto(&self, mut entry: AutoEntry) -> Result<u32> {
        self.check_open()?;
        self.refresh();
        self.prime_if_idle();
        let id = self.hub.borrow_mut().add_refresher();
        entry.id = id;
        self.autos.borrow_mut().push(entry);
        self.started();
        self.refresh();
        Ok(id)
    }

    /// Starts (or joins) the refresh the auto-refresh in charge found due.
    fn start_auto(&self) {
        let Some(this) = self.this.upgrade() else {
            return;
        };
        let next = {
            let Ok(mut autos) = self.autos.try_borrow_mut() else {
                return;
            };
            autos.last_mut().map(|entry| {
                entry.auto.began();
                (entry.fetch.clone(), entry.timeout)
            })
        };
        if let Some((fetch, timeout)) = next {
            refresh::refresh(&this, &fetch, timeout, true);
        }
    }

    /// A refresh this store asked for is over without a failure; with `refreshed`, it brought a new
    /// token, and the `refresh` handlers hear of it once the others have heard of the change.
    pub fn refresh_succeeded(&self, refreshed: bool) {
        if let Some(entry) = self
            .autos
            .try_borrow_mut()
            .ok()
            .as_mut()
            .and_then(|a| a.last_mut())
        {
            entry.auto.succeeded();
        }
        self.refresh();
        if refreshed {
            if let Ok(mut hub) = self.hub.try_borrow_mut() {
                hub.refreshed();
            }
            self.refresh();
        }
    }

    /// A refresh this store asked for failed with `error`: the auto-refresh in charge, if any,
    /// plans the next attempt, and the `refreshError` handlers hear when it comes (`null`: never).
    pub fn refresh_failed(&self, error: &JsValue) {
        let planned = self
            .autos
            .try_borrow_mut()
            .ok()
            .as_mut()
            .and_then(|autos| autos.last_mut())
            .map(|entry| {
                let delay = entry.auto.failed(self.clock(), js_sys::Math::random());
                (entry.auto.attempt(), Some(delay))
            });
        let (attempt, retry_in) = planned.unwrap_or((1, None));
        if let Ok(mut hub) = self.hub.try_borrow_mut() {
            hub.refresh_failed(error_detail(error, attempt, retry_in));
        }
        self.refresh();
    }

    /// The document has loaded: waiting hooks run their first check.
    pub fn document_loaded(&self) {
        let activated = self.hub.borrow_mut().activate_hooks();
        if activated {
            self.refresh();
        }
    }

    /// Whether a hook waits for DOMContentLoaded.
    pub fn has_waiting_hooks(&self) -> bool {
        self.hub.borrow().has_waiting_hooks()
    }

    /// A listener was added: pin the store and watch the page, if not done yet.
    fn started(&self) {
        if self.pin.borrow().is_none() {
            self.pin.replace(self.this.upgrade());
        }
        if !self.server && self.watch.borrow().is_none() {
            let watch = Watch::start(self.this.clone(), &self.key());
            self.watch.replace(watch);
        }
    }

    /// Removes a handler or hook; the page listeners, the timer and the pin go when the last one does.
    pub fn remove(&self, id: u32) {
        let idle = {
            let Ok(mut hub) = self.hub.try_borrow_mut() else {
                return;
            };
            hub.remove(id);
            hub.is_idle()
        };
        if let Ok(mut autos) = self.autos.try_borrow_mut() {
            autos.retain(|entry| entry.id != id);
        }
        if idle {
            self.stop();
        }
    }

    fn stop(&self) {
        self.watch.replace(None);
        self.timer.replace(None);
        // Last: this may drop the store itself, once nothing else holds it.
        let pin = self.pin.take();
        drop(pin);
    }

    /// `free()`: removes every listener, and every method throws `FREED` from now on. Harmless twice,
    /// and safe inside a handler.
    pub fn close(&self) {
        if self.closed.replace(true) {
            return;
        }
        if let Ok(mut hub) = self.hub.try_borrow_mut() {
            hub.close();
        }
        self.autos.replace(Vec::new());
        page().unregister(self.id);
        self.stop();
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        page().unregister(self.id);
    }
}
