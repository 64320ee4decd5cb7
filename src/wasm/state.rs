//! The state behind one `TokenStore`: the store, the JS objects made from its token, and everyone
//! listening to it. Listeners, timers and channels hold only a `Weak` to it, so dropping the
//! `TokenStore` (JS `free()`) drops them all.

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::rc::{Rc, Weak};
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::{Cell, OnceCell, RefCell};

use js_sys::{Function, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

use super::page::PageLocal;
use super::watch::{Channel, Listener, Sender, Timer};
use crate::error::{concat, Error, Part, Result};
use crate::jwt::Jwt;
use crate::session::{next_wakeup, Cause, Events, Seen, Status, Tracker, Transition};
use crate::storage::{Backend, MemoryStorage, Storage};
use crate::store::{Loaded, Store};

/// The events `store.on(name, handler)` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventName {
    /// The snapshot changed.
    Change,
    /// The token entered its `expiringIn` window.
    Expiring,
    /// The token expired.
    Expired,
    /// The store moved to memory because its web storage failed.
    Fallback,
}

impl EventName {
    pub fn from_name(name: &str) -> Result<EventName> {
        match name {
            "change" => Ok(EventName::Change),
            "expiring" => Ok(EventName::Expiring),
            "expired" => Ok(EventName::Expired),
            "fallback" => Ok(EventName::Fallback),
            _ => Err(Error::InvalidArgument(
                "event must be \"change\", \"expiring\", \"expired\" or \"fallback\"".into(),
            )),
        }
    }

    fn fires_on(self, events: Events) -> bool {
        match self {
            EventName::Change => events.change,
            EventName::Expiring => events.expiring,
            EventName::Expired => events.expired,
            EventName::Fallback => false,
        }
    }
}

/// The JS objects made from one token, kept so repeated reads return the same objects.
struct View {
    jwt: Rc<Jwt>,
    claims: JsValue,
    header: JsValue,
}

struct Handler {
    id: u32,
    event: EventName,
    callback: Function,
}

/// One `autoLogin` registration.
struct Hook {
    id: u32,
    on_login: Option<Function>,
    on_logout: Option<Function>,
    seen: Seen,
    /// False until the document has loaded; a hook reports nothing before its first check.
    active: bool,
}

#[derive(Default)]
struct Observers {
    next_id: u32,
    handlers: Vec<Handler>,
    hooks: Vec<Hook>,
    tracker: Tracker,
    snapshot: Option<JsValue>,
}

impl Observers {
    fn next_id(&mut self) -> u32 {
        self.next_id = self.next_id.wrapping_add(1);
        self.next_id
    }

    fn is_empty(&self) -> bool {
        self.handlers.is_empty() && self.hooks.is_empty()
    }
}

/// The page listeners and the channel that exist while anyone listens to the store.
struct Watch {
    _listeners: Vec<Listener>,
    _channel: Option<Channel>,
}

/// The functions JS may call unbound (`const { subscribe } = store`, as React and Svelte do). They
/// are made once per page and find their store by id, so a function handed out before `free()`
/// stays safe to call after it: `unsubscribe` does nothing, `subscribe` throws a `TokenError`.
struct Shared {
    subscribe: Closure<dyn Fn(u32, JsValue) -> core::result::Result<JsValue, JsValue>>,
    get_snapshot: Closure<dyn Fn(u32) -> JsValue>,
    unsubscribe: Closure<dyn Fn(u32, u32)>,
}

/// What every store in the page shares.
struct Page {
    /// Every store that has not been freed, with its id. A page has a handful, so a list beats a map
    /// (and a map's code weighs kilobytes in the module).
    live: RefCell<Vec<(u32, Weak<Inner>)>>,
    next_store_id: Cell<u32>,
    shared: Shared,
    /// The memory backend's map, one for the page, so two stores on one key see one token.
    memory: MemoryStorage,
}

static PAGE: PageLocal<OnceCell<Page>> = PageLocal::new(OnceCell::new());

fn page() -> &'static Page {
    PAGE.get_or_init(|| Page {
        live: RefCell::new(Vec::new()),
        next_store_id: Cell::new(0),
        shared: Shared {
            subscribe: Closure::new(|store: u32, run: JsValue| {
                let inner = live(store).ok_or_else(freed)?;
                Ok(inner.subscribe(run)?)
            }),
            get_snapshot: Closure::new(|store: u32| {
                live(store).map_or(JsValue::NULL, |inner| inner.snapshot())
            }),
            unsubscribe: Closure::new(|store: u32, id: u32| {
                if let Some(inner) = live(store) {
                    inner.remove(id);
                }
            }),
        },
        memory: MemoryStorage::default(),
    })
}

/// The page's memory backend; clones share its map.
pub fn page_memory() -> &'static MemoryStorage {
    &page().memory
}

/// Opens `backend`, or the page's memory when that web storage is blocked and `fallback` allows it:
/// the backend opened, its storage, and why it is not the one asked for.
pub fn open_backend(
    backend: Backend,
    fallback: bool,
) -> Result<(Backend, Box<dyn Storage>, Option<Error>)> {
    match backend.open(page_memory()) {
        Ok(storage) => Ok((backend, storage, None)),
        Err(error @ Error::StorageUnavailable(_)) if fallback => Ok((
            Backend::Memory,
            Box::new(page_memory().clone()),
            Some(error),
        )),
        Err(error) => Err(error),
    }
}

/// The store `id`, unless it has been freed.
fn live(id: u32) -> Option<Rc<Inner>> {
    let live = page().live.borrow();
    let (_, inner) = live.iter().find(|(live_id, _)| *live_id == id)?;
    inner.upgrade()
}

/// `function` with its leading arguments fixed.
fn bind(function: &JsValue, args: &[u32]) -> JsValue {
    let function: &Function = function.unchecked_ref();
    match args {
        [a] => function.bind1(&JsValue::NULL, &JsValue::from(*a)).into(),
        [a, b, ..] => function
            .bind2(&JsValue::NULL, &JsValue::from(*a), &JsValue::from(*b))
            .into(),
        [] => function.clone().into(),
    }
}

/// A JS function call deferred until no `RefCell` is borrowed, since the callee may call back in.
struct Call(Function, Vec<JsValue>);

/// Everything behind a `TokenStore`.
pub struct Inner {
    store: RefCell<Store>,
    pub leeway: f64,
    pub fallback: bool,
    pub expiring_in: f64,
    view: RefCell<Option<View>>,
    /// A malformed value was removed by a read that did not publish; the next publish reports it.
    discarded: Cell<bool>,
    /// The `{ from, to, reason }` of the fallback the store is in, replayed to new "fallback"
    /// handlers: a fallback in the constructor happens before anyone can listen.
    fallen_back: RefCell<Option<JsValue>>,
    observers: RefCell<Observers>,
    watch: RefCell<Option<Watch>>,
    timer: RefCell<Option<Timer>>,
    /// Tells other tabs about a logout.
    sender: Sender,
    /// This store's `subscribe` and `getSnapshot`, made on first use and then always the same.
    bound: OnceCell<(JsValue, JsValue)>,
    id: u32,
    this: Weak<Inner>,
}

impl Inner {
    /// `fell_back` is the backend the constructor could not open, and why.
    pub fn new(
        store: Store,
        leeway: f64,
        fallback: bool,
        expiring_in: f64,
        fell_back: Option<(Backend, Error)>,
    ) -> Rc<Inner> {
        let next = &page().next_store_id;
        next.set(next.get().wrapping_add(1));
        let id = next.get();
        let inner = Rc::new_cyclic(|this| Inner {
            store: RefCell::new(store),
            leeway,
            fallback,
            expiring_in,
            view: RefCell::new(None),
            discarded: Cell::new(false),
            fallen_back: RefCell::new(
                fell_back.map(|(from, reason)| fallback_detail(from, &reason)),
            ),
            observers: RefCell::new(Observers::default()),
            watch: RefCell::new(None),
            timer: RefCell::new(None),
            sender: Sender::default(),
            bound: OnceCell::new(),
            id,
            this: this.clone(),
        });
        page().live.borrow_mut().push((id, Rc::downgrade(&inner)));
        inner
    }

    pub fn key(&self) -> String {
        self.store.borrow().key().to_owned()
    }

    pub fn backend(&self) -> Backend {
        self.store.borrow().backend()
    }

    /// The current token, read from the backend.
    pub fn current(&self) -> Result<Option<Rc<Jwt>>> {
        let loaded = self.store.borrow_mut().load()?;
        if matches!(loaded, Loaded::Discarded(_)) {
            self.discarded.set(true);
        }
        Ok(loaded.token())
    }

    /// The claims and header of `jwt` as frozen JS objects, made once per token.
    pub fn view(&self, jwt: &Rc<Jwt>) -> Result<(JsValue, JsValue)> {
        let mut view = self.view.borrow_mut();
        if let Some(view) = view.as_ref().filter(|view| Rc::ptr_eq(&view.jwt, jwt)) {
            return Ok((view.claims.clone(), view.header.clone()));
        }
        let claims = deep_freeze(parse_json(jwt.payload_json(), Part::Payload)?);
        let header = deep_freeze(parse_json(jwt.header_json(), Part::Header)?);
        *view = Some(View {
            jwt: Rc::clone(jwt),
            claims: claims.clone(),
            header: header.clone(),
        });
        Ok((claims, header))
    }

    /// Stores `token`, moving to memory first if the web storage is full or blocked and `fallback`
    /// allows it.
    pub fn set(&self, token: &str) -> Result<()> {
        let outcome = self.store.borrow_mut().set(token);
        let fell_back = match outcome {
            Ok(_) => None,
            Err(error @ (Error::QuotaExceeded(_) | Error::StorageUnavailable(_)))
                if self.fallback && self.backend() != Backend::Memory =>
            {
                let from = self.backend();
                let mut store = self.store.borrow_mut();
                store.abandon_to(Backend::Memory, Box::new(page_memory().clone()));
                store.set(token)?;
                Some((from, error))
            }
            Err(error) => return Err(error),
        };
        if let Some((from, error)) = fell_back {
            self.emit_fallback(from, &error);
        }
        self.refresh_with(Cause::Observed);
        Ok(())
    }

    /// Logs out: removes the token, tells other tabs, and reports `onLogout("logout")`.
    pub fn clear(&self) -> Result<()> {
        self.store.borrow_mut().clear()?;
        self.sender.post(&self.channel_name(), &logout_message());
        self.refresh_with(Cause::Logout);
        Ok(())
    }

    /// Moves the token to `backend`; if that web storage is blocked and `fallback` allows it, to
    /// memory instead, with a "fallback" event.
    pub fn use_backend(&self, backend: Backend) -> Result<()> {
        if backend == self.backend() {
            return Ok(());
        }
        let (target, storage, failure) = open_backend(backend, self.fallback)?;
        if target != self.backend() {
            self.store.borrow_mut().switch(target, storage)?;
        }
        match failure {
            Some(error) => self.emit_fallback(backend, &error),
            None => {
                self.fallen_back.replace(None);
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
        if self.observers.borrow().is_empty() {
            // Nobody listens. The next snapshot() compares with what it last published anyway.
            return;
        }
        // A storage that cannot be read right now is seen as holding nothing new.
        let Ok(token) = self.current() else { return };
        let cause = if self.discarded.take() {
            Cause::Discarded
        } else {
            cause
        };
        let calls = self.publish(token.as_ref(), cause);
        call_all(calls);
    }

    /// Records the state and returns the calls it owes to hooks and handlers, in this order:
    /// `onLogin`/`onLogout`, `expiring`, `expired`, `change`.
    fn publish(&self, token: Option<&Rc<Jwt>>, cause: Cause) -> Vec<Call> {
        let now_ms = js_sys::Date::now();
        let now = now_ms / 1000.0;
        let status = Status::of(token.map(|jwt| &**jwt), now, self.leeway);
        let backend = self.backend();
        // Made before borrowing the observers: JSON.parse cannot call back into us, but keep it simple.
        let view = token.and_then(|jwt| self.view(jwt).ok());
        let token_value = token.map_or(JsValue::NULL, |jwt| JsValue::from_str(jwt.raw()));
        let claims = view.map_or(JsValue::NULL, |(claims, _)| claims);

        let mut calls = Vec::new();
        let mut observers = self.observers.borrow_mut();
        let events = observers
            .tracker
            .observe(token, status, backend, now, self.expiring_in);
        for hook in observers.hooks.iter_mut().filter(|hook| hook.active) {
            match hook.seen.advance(token, status, cause) {
                Some(Transition::Login(_)) => {
                    if let Some(on_login) = &hook.on_login {
                        calls.push(Call(
                            on_login.clone(),
                            vec![token_value.clone(), claims.clone()],
                        ));
                    }
                }
                Some(Transition::Logout(reason)) => {
                    if let Some(on_logout) = &hook.on_logout {
                        calls.push(Call(
                            on_logout.clone(),
                            vec![JsValue::from_str(reason.name())],
                        ));
                    }
                }
                None => {}
            }
        }
        if events.change || observers.snapshot.is_none() {
            let expires_at = token.and_then(|jwt| jwt.times().exp);
            observers.snapshot = Some(snapshot(&token_value, &claims, status, backend, expires_at));
        }
        let snapshot = observers.snapshot.clone().unwrap_or(JsValue::NULL);
        for event in [EventName::Expiring, EventName::Expired, EventName::Change] {
            if event.fires_on(events) {
                calls.extend(
                    observers
                        .handlers
                        .iter()
                        .filter(|handler| handler.event == event)
                        .map(|handler| Call(handler.callback.clone(), vec![snapshot.clone()])),
                );
            }
        }
        drop(observers);
        self.schedule(token.map(|jwt| &**jwt), now_ms);
        calls
    }

    /// Sets the one timer to the next instant at which the clock alone changes the state.
    fn schedule(&self, token: Option<&Jwt>, now_ms: f64) {
        let due_ms = next_wakeup(token, now_ms / 1000.0, self.leeway, self.expiring_in)
            .map(|seconds| now_ms + seconds * 1000.0);
        let mut timer = self.timer.borrow_mut();
        if timer.as_ref().map(|timer| timer.due_ms) == due_ms {
            return;
        }
        *timer = None;
        let (Some(due_ms), Some(window)) = (due_ms, web_sys::window()) else {
            return;
        };
        let this = self.this.clone();
        *timer = Timer::at(&window, due_ms, now_ms, move || {
            if let Some(inner) = this.upgrade() {
                // This timer is spent; clearing it lets `schedule` set the next one even if it is
                // due at the same instant (the browser fired a little early).
                inner.timer.replace(None);
                inner.refresh();
            }
        });
    }

    /// The snapshot JS sees: made fresh when nobody listens, else the one last published (so it
    /// is the same object until something changes, and reading it calls no one back).
    pub fn snapshot(&self) -> JsValue {
        let stale = {
            let observers = self.observers.borrow();
            observers.is_empty() || observers.snapshot.is_none()
        };
        if stale {
            if let Ok(token) = self.current() {
                let cause = if self.discarded.take() {
                    Cause::Discarded
                } else {
                    Cause::Observed
                };
                call_all(self.publish(token.as_ref(), cause));
            }
        }
        self.observers
            .borrow()
            .snapshot
            .clone()
            .unwrap_or(JsValue::NULL)
    }

    /// Brings everything published up to date before a new listener joins, so that it hears only
    /// of changes that happen after it joined.
    fn catch_up(&self) -> JsValue {
        self.refresh();
        self.snapshot()
    }

    /// `subscribe(run)`: calls `run(snapshot)` now and on every change; returns the unsubscribe.
    pub fn subscribe(&self, run: JsValue) -> Result<JsValue> {
        let callback = function(run, "subscribe")?;
        let snapshot = self.catch_up();
        let id = self.add_handler(EventName::Change, callback.clone());
        call_all(vec![Call(callback, vec![snapshot])]);
        Ok(self.unsubscriber(id))
    }

    /// `on(event, handler)`; returns the unsubscribe.
    pub fn on(&self, event: EventName, handler: JsValue) -> Result<JsValue> {
        let handler = function(handler, "on")?;
        self.catch_up();
        let id = self.add_handler(event, handler.clone());
        if event == EventName::Fallback {
            let current = self.fallen_back.borrow().clone();
            if let Some(detail) = current {
                call_all(vec![Call(handler, vec![detail])]);
            }
        }
        Ok(self.unsubscriber(id))
    }

    fn add_handler(&self, event: EventName, callback: Function) -> u32 {
        let id = {
            let mut observers = self.observers.borrow_mut();
            let id = observers.next_id();
            observers.handlers.push(Handler {
                id,
                event,
                callback,
            });
            id
        };
        self.start_watch();
        id
    }

    /// Registers an `autoLogin` hook; it stays silent until `activate_hook`.
    pub fn add_hook(&self, on_login: Option<Function>, on_logout: Option<Function>) -> u32 {
        let id = {
            let mut observers = self.observers.borrow_mut();
            let id = observers.next_id();
            observers.hooks.push(Hook {
                id,
                on_login,
                on_logout,
                seen: Seen::default(),
                active: false,
            });
            id
        };
        self.start_watch();
        id
    }

    /// Runs a hook's first check; later checks come with every change.
    pub fn activate_hook(&self, id: u32) {
        let found = {
            let mut observers = self.observers.borrow_mut();
            observers
                .hooks
                .iter_mut()
                .find(|hook| hook.id == id)
                .map(|hook| hook.active = true)
                .is_some()
        };
        if found {
            self.refresh();
        }
    }

    /// Removes a handler or hook; the page listeners go when the last one does.
    pub fn remove(&self, id: u32) {
        let idle = {
            let mut observers = self.observers.borrow_mut();
            observers.handlers.retain(|handler| handler.id != id);
            observers.hooks.retain(|hook| hook.id != id);
            observers.is_empty()
        };
        if idle {
            self.watch.replace(None);
            self.timer.replace(None);
        }
    }

    fn emit_fallback(&self, from: Backend, reason: &Error) {
        let detail = fallback_detail(from, reason);
        self.fallen_back.replace(Some(detail.clone()));
        let calls = self
            .observers
            .borrow()
            .handlers
            .iter()
            .filter(|handler| handler.event == EventName::Fallback)
            .map(|handler| Call(handler.callback.clone(), vec![detail.clone()]))
            .collect();
        call_all(calls);
    }

    fn channel_name(&self) -> String {
        concat(&["tokenstore:", &self.key()])
    }

    /// Adds the page listeners, the logout channel and the timer, if they are not there yet. Where
    /// there is no window (server-side rendering), there is nothing to listen to.
    fn start_watch(&self) {
        if self.watch.borrow().is_some() {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let refresh = |this: Weak<Inner>| {
            move |_: web_sys::Event| {
                if let Some(inner) = this.upgrade() {
                    inner.refresh();
                }
            }
        };
        let this = self.this.clone();
        let key = self.key();
        let on_storage = move |event: web_sys::Event| {
            let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else {
                return;
            };
            // A null key means the whole storage was cleared.
            if event.key().is_none_or(|changed| changed == key) {
                if let Some(inner) = this.upgrade() {
                    inner.refresh();
                }
            }
        };
        let this = self.this.clone();
        let on_page_show = move |event: web_sys::Event| {
            let restored = event
                .dyn_ref::<web_sys::PageTransitionEvent>()
                .is_some_and(|event| event.persisted());
            if let (true, Some(inner)) = (restored, this.upgrade()) {
                inner.refresh();
            }
        };
        let this = self.this.clone();
        let on_visibility = move |_: web_sys::Event| {
            let visible = web_sys::window()
                .and_then(|window| window.document())
                // `hidden` is false exactly when visibilityState is "visible", and reads as a plain
                // boolean, where the enum brings web-sys conversion code.
                .is_some_and(|document| !document.hidden());
            if let (true, Some(inner)) = (visible, this.upgrade()) {
                inner.refresh();
            }
        };
        let mut listeners = vec![
            Listener::new(&window, "popstate", refresh(self.this.clone())),
            Listener::new(&window, "storage", on_storage),
            Listener::new(&window, "pageshow", on_page_show),
        ];
        if let Some(document) = window.document() {
            listeners.push(Listener::new(&document, "visibilitychange", on_visibility));
        }
        let this = self.this.clone();
        let channel = Channel::open(&self.channel_name(), move |message| {
            if is_logout_message(&message) {
                if let Some(inner) = this.upgrade() {
                    inner.logout_from_elsewhere();
                }
            }
        });
        self.watch.replace(Some(Watch {
            _listeners: listeners.into_iter().flatten().collect(),
            _channel: channel,
        }));
    }

    /// Another tab logged out: drop our copy too (sessionStorage and memory are out of its reach).
    fn logout_from_elsewhere(&self) {
        if self.store.borrow_mut().clear().is_ok() {
            self.refresh_with(Cause::Observed);
        }
    }

    fn bound(&self) -> &(JsValue, JsValue) {
        self.bound.get_or_init(|| {
            let shared = &page().shared;
            (
                bind(shared.subscribe.as_ref(), &[self.id]),
                bind(shared.get_snapshot.as_ref(), &[self.id]),
            )
        })
    }

    pub fn subscribe_function(&self) -> JsValue {
        self.bound().0.clone()
    }

    pub fn get_snapshot_function(&self) -> JsValue {
        self.bound().1.clone()
    }

    /// A function that removes the handler or hook `id`; calling it again, or after `free()`, does
    /// nothing.
    pub fn unsubscriber(&self, id: u32) -> JsValue {
        bind(page().shared.unsubscribe.as_ref(), &[self.id, id])
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // `try_`: a drop must not panic. Should the list be busy, the entry stays behind, harmless: its
        // `Weak` no longer upgrades.
        if let Ok(mut live) = page().live.try_borrow_mut() {
            live.retain(|(id, _)| *id != self.id);
        }
    }
}

/// Calls each function; an exception from one is reported like an uncaught one and does not stop
/// the others.
fn call_all(calls: Vec<Call>) {
    for Call(function, args) in calls {
        let outcome = match args.as_slice() {
            [] => function.call0(&JsValue::UNDEFINED),
            [a] => function.call1(&JsValue::UNDEFINED, a),
            [a, b, ..] => function.call2(&JsValue::UNDEFINED, a, b),
        };
        if let Err(error) = outcome {
            report_error(&error);
        }
    }
}

/// `reportError(error)` where the platform has it, else `console.error`.
fn report_error(error: &JsValue) {
    let global = js_sys::global();
    let reporter = Reflect::get(&global, &JsValue::from_str("reportError"))
        .ok()
        .and_then(|reporter| reporter.dyn_into::<Function>().ok());
    match reporter {
        Some(reporter) => {
            let _ = reporter.call1(&JsValue::UNDEFINED, error);
        }
        None => web_sys::console::error_1(error),
    }
}

fn function(value: JsValue, method: &str) -> Result<Function> {
    value
        .dyn_into::<Function>()
        .map_err(|_| Error::InvalidArgument(concat(&[method, " needs a function"])))
}

fn freed() -> JsValue {
    Error::InvalidArgument("this TokenStore has been freed".into()).into()
}

fn fallback_detail(from: Backend, reason: &Error) -> JsValue {
    let detail = Object::new();
    let fields = [
        ("from", from.name()),
        ("to", Backend::Memory.name()),
        ("reason", reason.code()),
    ];
    for (name, value) in fields {
        let _ = Reflect::set(&detail, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    Object::freeze(&detail).into()
}

fn logout_message() -> JsValue {
    let message = Object::new();
    let _ = Reflect::set(
        &message,
        &JsValue::from_str("type"),
        &JsValue::from_str("logout"),
    );
    message.into()
}

fn is_logout_message(message: &JsValue) -> bool {
    Reflect::get(message, &JsValue::from_str("type"))
        .ok()
        .and_then(|kind| kind.as_string())
        .is_some_and(|kind| kind == "logout")
}

fn snapshot(
    token: &JsValue,
    claims: &JsValue,
    status: Status,
    backend: Backend,
    expires_at: Option<f64>,
) -> JsValue {
    let snapshot = Object::new();
    let fields = [
        ("token", token.clone()),
        ("claims", claims.clone()),
        ("status", JsValue::from_str(status.name())),
        ("backend", JsValue::from_str(backend.name())),
        (
            "expiresAt",
            expires_at.map_or(JsValue::NULL, JsValue::from_f64),
        ),
    ];
    for (name, value) in fields {
        let _ = Reflect::set(&snapshot, &JsValue::from_str(name), &value);
    }
    Object::freeze(&snapshot).into()
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
fn deep_freeze(value: JsValue) -> JsValue {
    let mut pending = vec![value.clone()];
    while let Some(next) = pending.pop() {
        if let Some(object) = next.dyn_ref::<Object>() {
            pending.extend(Object::values(object).iter().filter(JsValue::is_object));
            Object::freeze(object);
        }
    }
    value
}
