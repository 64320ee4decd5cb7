//! The state behind one `TokenStore`: the core's store and hub, the JS objects made from its token,
//! and the page resources that exist while anyone listens. It carries out what the core decides. This
//! file holds the state, reading and writing the token, and the store's lifetime; `logout.rs` holds
//! logout everywhere and news from other tabs, `notify.rs` telling listeners, `refresh.rs` refreshing,
//! `dpop.rs` the store's DPoP key. One `impl Inner` a job rather than one file: each job needs the
//! state's private fields, and a file of all five would be the largest in the crate by far.
//!
//! Imports go one way (`scripts/module-cycles.mjs` checks it): those job files import this one, this
//! one imports none of them (it only calls their methods), and the plumbing below (`dom.rs`,
//! `records.rs`, `page.rs`, `options.rs`, `backend/`) never names the store: the page's listeners
//! reach it through `page_events.rs`, a file above this one, and the stores peers tell are listed
//! here rather than in `page.rs`.
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

use super::backend::{self, CookieContext};
use super::dom::{forget_channel, now_ms, Timer, Watch};
use super::objects::{parse_json_frozen, snapshot};
use super::options::{AutoEntry, KeptOptions};
use super::page::{page, PageLocal};
use super::records;
use crate::broadcast::Stored;
use crate::clock;
use crate::cookie;
use crate::error::{Error, Part, Result};
use crate::fallback::fall_back;
use crate::hub::{Fallback, Hub};
use crate::jwt::Jwt;
use crate::memory::MemoryStorage;
use crate::session::{Cause, Status};
use crate::storage::{Backend, Storage};
use crate::store::{Loaded, Store};

/// What listeners receive for one state: its snapshot, and the token and claims `onLogin` gets.
#[derive(Clone)]
pub struct View {
    pub(super) snapshot: JsValue,
    pub(super) token: JsValue,
    pub(super) claims: JsValue,
}

/// The claims and header of one token as frozen JS objects, kept so repeated reads return the same
/// objects.
pub(super) struct Decoded {
    pub(super) jwt: Rc<Jwt>,
    pub(super) claims: JsValue,
    pub(super) header: JsValue,
}

/// Everything behind a `TokenStore`.
pub struct Inner {
    pub(super) store: RefCell<Store>,
    /// The backend as configured, for the server snapshot.
    pub(super) configured: Backend,
    pub options: KeptOptions,
    pub(super) hub: RefCell<Hub<Function, View, JsValue>>,
    pub(super) decoded: RefCell<Option<Decoded>>,
    /// The token last read, answered while the storage is busy (a storage event handler reading the
    /// store in the middle of a write).
    pub(super) known: RefCell<Option<Rc<Jwt>>>,
    /// Which logout the writer of `known` knew of: a logout elsewhere removes only a copy written
    /// before it.
    pub(super) stored: Cell<Stored>,
    /// A malformed value was removed by a read that did not publish; the next publish reports it.
    pub(super) discarded: Cell<bool>,
    /// Something asked for a look while the store was busy.
    pub(super) deferred: Cell<bool>,
    /// A logout this page learnt of late removed its copy; the next publish reports it.
    pub(super) revoked: Cell<bool>,
    /// The JS object of the fallback the store is in, so every handler receives the same one.
    pub(super) fallback_object: RefCell<Option<(Fallback, JsValue)>>,
    pub(super) watch: RefCell<Option<Watch>>,
    pub(super) timer: RefCell<Option<Timer>>,
    /// Seconds added to the local clock in every check: the server's clock, as far as it is known.
    pub(super) offset: Cell<f64>,
    /// The `autoRefresh` registrations; the latest is in charge.
    pub(super) autos: RefCell<Vec<AutoEntry>>,
    /// The auto-refresh in charge is due: start it once the listeners have been told.
    pub(super) auto_due: Cell<bool>,
    /// Itself, while anyone listens.
    pub(super) pin: RefCell<Option<Rc<Inner>>>,
    pub(super) closed: Cell<bool>,
    /// No window: server-side rendering. The store then listens to nothing and shares nothing.
    pub(super) server: bool,
    pub id: u32,
    pub(super) this: Weak<Inner>,
}

/// Opens `backend` for `key`, or memory when that storage is blocked and `options.fallback` allows
/// it: the backend opened, its storage, and the fallback that happened. `server` stores get a memory
/// of their own. A key that cannot name a cookie is an option error for the cookie backend.
pub fn open_backend(
    backend: Backend,
    key: &str,
    options: &KeptOptions,
    server: bool,
) -> Result<(Backend, Box<dyn Storage>, Option<Fallback>)> {
    let fallback = options.fallback;
    let memory = || memory_for(server);
    if backend == Backend::Memory {
        return Ok((Backend::Memory, memory(), None));
    }
    if backend == Backend::Cookie {
        cookie::check_name(key)?;
    }
    match backend::open(backend, &page().memory, cookie_context(options)) {
        Ok(storage) => Ok((backend, storage, None)),
        Err(error) => match fall_back(&error, backend, fallback) {
            Some(detail) => Ok((Backend::Memory, memory(), Some(detail))),
            None => Err(error),
        },
    }
}

/// The memory backend: the page's map, or one of its own for a store on a server (server-side
/// rendering), where the page's would be shared by every request.
fn memory_for(server: bool) -> Box<dyn Storage> {
    if server {
        Box::new(MemoryStorage::default())
    } else {
        Box::new(page().memory.clone())
    }
}

/// What the cookie backend needs besides the key: the store's cookie options, its leeway, the clock.
pub(super) fn cookie_context(options: &KeptOptions) -> CookieContext<'_> {
    CookieContext {
        options: &options.cookie,
        leeway: options.leeway,
        now: || now_ms() / 1000.0,
        logouts: |key| page().logouts(key),
    }
}

/// What `getSnapshot()` returns on a freed store: anonymous, frozen, the same object every time.
pub fn closed_snapshot() -> JsValue {
    static CLOSED: PageLocal<OnceCell<JsValue>> = PageLocal::new(OnceCell::new());
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

/// The stores a peer's write or logout must reach, with their ids: those someone listens to, and
/// those on the cookie backend (a copy that a peer with other cookie attributes cannot remove). Any
/// other store reads its backend whenever asked and needs no news, so a store the app made and
/// dropped costs a write nothing until the garbage collector frees it. A page has a handful, so a
/// list beats a map (and a map's code weighs kilobytes in the module).
static TOLD: PageLocal<RefCell<Vec<Told>>> = PageLocal::new(RefCell::new(Vec::new()));

/// A store peers tell, with its id.
type Told = (u32, Weak<Inner>);

/// Makes the store `id` one that peers tell (`Some`), or not (`None`). `try_`: it runs in `Drop`,
/// which must not panic; should the list be busy, a leaving entry stays behind, harmless: its `Weak`
/// no longer upgrades.
fn tell(id: u32, inner: Option<Weak<Inner>>) {
    let Ok(mut told) = TOLD.try_borrow_mut() else {
        return;
    };
    let at = told.iter().position(|(told, _)| *told == id);
    match (at, inner) {
        (None, Some(inner)) => told.push((id, inner)),
        (Some(at), None) => {
            told.swap_remove(at);
        }
        _ => {}
    }
}

/// Every store peers tell but `except`, collected first so that the caller may call into them while
/// stores come and go.
pub(super) fn peers(except: u32) -> Vec<Rc<Inner>> {
    let Ok(told) = TOLD.try_borrow() else {
        return Vec::new();
    };
    told.iter()
        .filter(|(id, _)| *id != except)
        .filter_map(|(_, inner)| inner.upgrade())
        .collect()
}

impl Inner {
    /// A store over `store`; `fell_back` is the fallback that happened while opening it.
    pub fn new(
        store: Store,
        configured: Backend,
        options: KeptOptions,
        fell_back: Option<Fallback>,
        server: bool,
    ) -> Rc<Inner> {
        let id = page().next_id();
        let mut hub = Hub::new(options.expiring_in);
        if let Some(detail) = fell_back {
            hub.fall_back(detail);
        }
        let inner = Rc::new_cyclic(|this| Inner {
            store: RefCell::new(store),
            configured,
            options,
            hub: RefCell::new(hub),
            decoded: RefCell::new(None),
            known: RefCell::new(None),
            stored: Cell::new(None),
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
        page().open_key(&inner.key());
        inner.update_told();
        if !server {
            // A tab reloaded, or restored from the disk cache, after a logout elsewhere.
            inner.check_mark();
            // A tab opened after another learnt the server's clock.
            if let Some(offset) = records::read_clock(&inner.key()).and_then(clock::shared) {
                page().set_offset(&inner.key(), offset);
            }
        }
        inner
    }

    /// Now in seconds by the store's clock: the local one moved by the server clock offset.
    pub fn clock(&self) -> f64 {
        self.clock_ms() / 1000.0
    }

    pub(super) fn clock_ms(&self) -> f64 {
        now_ms() + self.offset() * 1000.0
    }

    /// The server clock offset in seconds: with `serverClock`, the one the key's stores and tabs
    /// share, once one learnt or was told it; else the store's own.
    pub fn offset(&self) -> f64 {
        let shared = match self.store.try_borrow() {
            Ok(store) if self.options.server_clock && !self.server => page().offset(store.key()),
            _ => None,
        };
        shared.unwrap_or(self.offset.get())
    }

    /// Sets the server clock offset, shares it with the other stores and tabs on the key, and looks
    /// again: statuses and timers follow it.
    pub fn set_offset(&self, offset: f64) {
        self.offset.set(offset);
        self.share_offset(offset);
        self.look();
    }

    /// Leaves `offset` where the other stores and tabs on the key find it, and has this page's
    /// listened-to stores look again (the others read the clock when asked).
    fn share_offset(&self, offset: f64) {
        if self.server {
            return;
        }
        let key = self.key();
        records::write_clock(&key, offset);
        page().set_offset(&key, offset);
        for peer in peers(self.id) {
            if !peer.closed.get() && peer.key() == key {
                peer.look();
            }
        }
    }

    /// Another tab on the key learnt or was told the server's clock: takes its offset, and looks
    /// again if it moved the clock.
    pub fn adopt_shared_offset(&self) {
        if self.server {
            return;
        }
        let key = self.key();
        let shared = records::read_clock(&key).and_then(clock::shared);
        if let Some(offset) = shared.filter(|offset| Some(*offset) != page().offset(&key)) {
            page().set_offset(&key, offset);
            self.look();
        }
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
    pub(super) fn store(&self) -> Result<core::cell::RefMut<'_, Store>> {
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

    /// Remembers `token` as the one last read, and which logout its writer knew of.
    pub(super) fn note(&self, token: Option<&Rc<Jwt>>) {
        let mut known = self.known.borrow_mut();
        let same = match (known.as_ref(), token) {
            // The store hands out the same `Rc` while the value is unchanged: no text to compare.
            (Some(known), Some(token)) => Rc::ptr_eq(known, token) || known.raw() == token.raw(),
            (None, None) => true,
            _ => false,
        };
        if !same {
            self.stored.set(token.and_then(|_| self.stored_record()));
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
                    fall_back(&error, store.backend(), self.options.fallback).ok_or(error)?;
                store.abandon_to(Backend::Memory, self.memory());
                (store.set(token)?, Some(detail))
            }
        };
        drop(store);
        // With `serverClock`, a token given to `set()` is taken to be freshly issued.
        if let (true, Some(iat)) = (self.options.server_clock, jwt.times().iat) {
            let offset = clock::learn(iat, now_ms() / 1000.0);
            self.offset.set(offset);
            self.share_offset(offset);
        }
        // Written knowing of the last logout: a logout heard later removes it only if it is another.
        let knew = Some(self.latest_logout());
        self.known.replace(Some(jwt));
        self.stored.set(knew);
        self.record_stored(knew);
        if let Some(detail) = fell_back {
            self.hub.borrow_mut().fall_back(detail);
        }
        self.announce(self.backend());
        self.tell_peers(None);
        self.look_because(Cause::Observed);
        Ok(())
    }

    pub(super) fn memory(&self) -> Box<dyn Storage> {
        memory_for(self.server)
    }

    /// Moves the token to `backend`; if that web storage is blocked and `fallback` allows it, to
    /// memory instead, with a "fallback" event.
    pub fn use_backend(&self, backend: Backend) -> Result<()> {
        self.check_open()?;
        if backend == self.backend() {
            return Ok(());
        }
        let (target, storage, fell_back) =
            open_backend(backend, &self.key(), &self.options, self.server)?;
        let from = self.backend();
        if target != from {
            self.store()?.switch(target, storage)?;
            // The token keeps its date where it went.
            if self.known.borrow().is_some() {
                self.record_stored(self.stored.get());
            }
            self.announce(from);
            self.announce(target);
            self.update_told();
        }
        {
            let mut hub = self.hub.borrow_mut();
            match fell_back {
                Some(detail) => hub.fall_back(detail),
                None => hub.end_fallback(),
            }
        }
        self.look_because(Cause::Observed);
        Ok(())
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

    pub(super) fn stop(&self) {
        self.watch.replace(None);
        self.timer.replace(None);
        let pin = self.pin.take();
        self.update_told();
        // Last: this may drop the store itself, once nothing else holds it.
        drop(pin);
    }

    /// Whether peers tell this store of their writes and logouts (see [`peers`]): while it is
    /// open and someone listens, or while it is on the cookie backend.
    pub(super) fn update_told(&self) {
        let told = !self.server
            && !self.closed.get()
            && (self.pin.borrow().is_some() || self.backend() == Backend::Cookie);
        tell(self.id, told.then(|| self.this.clone()));
    }

    /// The store is freed or dropped: the key's channel and records go with its last store.
    fn leave_key(&self) {
        tell(self.id, None);
        let key = self.key();
        if page().close_key(&key) && !self.server {
            forget_channel(&key);
        }
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
        self.leave_key();
        self.stop();
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // A freed store left its key already.
        if !self.closed.get() {
            self.leave_key();
        }
    }
}
