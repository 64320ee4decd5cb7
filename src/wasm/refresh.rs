//! `store.refresh(fetchToken)` and `store.autoRefresh(options)`: one refresh at a time per key in the
//! page, and across tabs under the Web Lock `tokenstore:<key>:refresh`. `page_events.js` runs the async
//! plumbing and calls back into [`Flight`] for every decision, which the core makes
//! ([`crate::refresh`]).

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, RefCell};

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::dom::now_ms;
use super::inner::Inner;
use super::options::AutoEntry;
use super::page::{page, PageLocal};
use super::records;
use crate::broadcast::KnownLogouts;
use crate::error::{concat, Error, Result};
use crate::refresh::{
    claim, outcome, under_lock, waiting, Claim, Lease, Outcome, UnderLock, Wait, LEASE_CONFIRM_MS,
};

#[wasm_bindgen(module = "/src/wasm/page_events.js")]
extern "C" {
    /// Runs `flight` under the lock `lock_name`, calling `fetch_token` within `limit_ms`; returns the
    /// promise every caller shares.
    fn fly(
        flight: Flight,
        lock_name: &str,
        fetch_token: &Function,
        limit_ms: f64,
        quiet: bool,
    ) -> JsValue;
}

#[wasm_bindgen(module = "/src/wasm/objects.js")]
extern "C" {
    /// `{ error, attempt, retryIn }`, frozen.
    #[wasm_bindgen(js_name = refreshErrorDetail)]
    fn make_error_detail(error: &JsValue, attempt: u32, retry_in: JsValue) -> JsValue;
}

/// One refresh under way: the stores waiting for it.
struct State {
    key: String,
    /// The token the first caller set out to replace.
    replacing: Option<String>,
    /// What the page knew of the key's logouts when the refresh began: a logout since then wins.
    logouts: KnownLogouts,
    /// This attempt in the lease it leaves while it holds the lock: a random number.
    holder: f64,
    /// Milliseconds the attempt may take once it holds the lock.
    limit_ms: f64,
    /// Where there are no Web Locks: whether its last claim wrote its lease.
    claimed: Cell<bool>,
    /// The token in the backend when the fetch began, under the lock.
    fetched_from: RefCell<Option<String>>,
    /// The stores that asked: they hear the outcome. Strong: a flight is short, and its answer must
    /// reach the store even if the app dropped it meanwhile.
    members: RefCell<Vec<Rc<Inner>>>,
    promise: RefCell<JsValue>,
}

/// The refreshes under way in this page, one per key.
static FLIGHTS: PageLocal<RefCell<Vec<Rc<State>>>> = PageLocal::new(RefCell::new(Vec::new()));

/// What `fly` in `page_events.js` calls. Not part of the API.
#[wasm_bindgen(skip_typescript)]
pub struct Flight {
    state: Rc<State>,
}

#[wasm_bindgen]
impl Flight {
    /// The lock is held: returns the token another tab stored meanwhile, adopted (or `null` when
    /// every store that asked is gone), or `undefined` to fetch.
    pub fn begin(&self) -> JsValue {
        let Some(lead) = self.lead() else {
            self.leave();
            return JsValue::NULL;
        };
        let stored = lead.current().ok().flatten();
        let decision = under_lock(
            self.state.replacing.as_deref(),
            stored.as_deref(),
            self.logged_out(),
            lead.clock(),
            lead.options.leeway,
        );
        match (decision, stored) {
            (UnderLock::Adopt, Some(jwt)) => {
                self.leave();
                self.succeed(true);
                JsValue::from_str(jwt.raw())
            }
            (UnderLock::Abandon, _) => {
                self.leave();
                self.succeed(false);
                JsValue::NULL
            }
            (_, stored) => {
                self.state
                    .fetched_from
                    .replace(stored.map(|jwt| jwt.raw().into()));
                JsValue::UNDEFINED
            }
        }
    }

    /// The token `fetchToken` replaces: the one in the backend under the lock.
    pub fn current(&self) -> JsValue {
        self.state
            .fetched_from
            .borrow()
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str)
    }

    /// `fetchToken` answered `result`: returns what the refresh resolves with, or the error it
    /// rejects with (which `fly` hands to [`Flight::failed`]).
    pub fn fetched(&self, result: JsValue) -> Result<JsValue, JsValue> {
        let Some(lead) = self.lead() else {
            self.leave();
            return Ok(JsValue::NULL);
        };
        let text = result.as_string();
        if text.is_none() && !result.is_null() {
            let error = Error::InvalidToken("fetchToken must resolve to a string or null".into());
            return Err(error.into());
        }
        let stored = lead.current().ok().flatten();
        let stored = stored.as_ref().map(|jwt| jwt.raw());
        let fetched_from = self.state.fetched_from.borrow().clone();
        let logged_out = self.logged_out();
        let (result, refreshed) =
            match outcome(fetched_from.as_deref(), stored, logged_out, text.as_deref()) {
                Outcome::Store(jwt) => {
                    lead.set(jwt.raw())?;
                    (JsValue::from_str(jwt.raw()), true)
                }
                Outcome::Clear => {
                    // Removed everywhere, as a logout is; the hooks hear why.
                    lead.clear_because_refresh_failed()?;
                    (JsValue::NULL, false)
                }
                Outcome::Absent => (JsValue::NULL, false),
                Outcome::Malformed(error) => return Err(error.into()),
                Outcome::Superseded => (stored.map_or(JsValue::NULL, JsValue::from_str), false),
            };
        // Left first, so a handler that refreshes again starts a new flight.
        self.leave();
        self.succeed(refreshed);
        Ok(result)
    }

    /// The flight failed: `fetchToken` rejected or answered something unusable (`cut` 0), the time
    /// limit passed (1), or the page was hidden (2). Returns what the shared promise rejects with:
    /// the app's own error as it is, a `TokenError` for what tokenstore cut short.
    pub fn failed(&self, error: JsValue, cut: u8) -> JsValue {
        let error = match cut {
            1 => Error::Aborted("it took longer than its time limit").into(),
            2 => Error::Aborted("the page was hidden").into(),
            _ => error,
        };
        self.leave();
        for member in self.members() {
            member.refresh_failed(&error);
        }
        error
    }
}

/// A step of taking and keeping the refresh lock, which `page_events.js` names.
#[wasm_bindgen(skip_typescript)]
pub enum LockStep {
    /// How long to wait, given the ms waited (-1: take the lock).
    Wait = "wait",
    /// Claims the lease where there are no Web Locks: the ms to wait.
    Claim = "claim",
    /// Whether the claim held, as 1 or 0.
    Held = "held",
    /// Leaves the lease that tells waiting tabs until when.
    Lease = "lease",
    /// Removes the lease, if it is still this attempt's.
    Release = "release",
}

// One export for the lock's steps: each export carries its own glue in the module.
#[wasm_bindgen]
impl Flight {
    /// Takes `step` of the lock; returns its answer as a number (0 for those that answer nothing).
    pub fn lock(&self, step: LockStep, waited_ms: f64) -> f64 {
        match step {
            LockStep::Wait => self.wait(waited_ms),
            LockStep::Claim => self.claim(),
            LockStep::Held => f64::from(u8::from(self.held())),
            LockStep::Lease => {
                self.lease();
                0.0
            }
            LockStep::Release => {
                self.release();
                0.0
            }
            _ => 0.0,
        }
    }
}

impl Flight {
    /// Waiting `waited_ms` for the Web Lock: the ms to wait before looking again, or `-1` to take
    /// the lock from a holder past its lease.
    fn wait(&self, waited_ms: f64) -> f64 {
        let lease = records::read_lease(&self.state.key);
        match waiting(lease.as_ref(), waited_ms, now_ms(), self.state.limit_ms) {
            Wait::Take => -1.0,
            Wait::Recheck(ms) => ms,
        }
    }

    /// Where there are no Web Locks: claims the lease if it is free. Returns the ms to wait before
    /// asking whether the claim held, or before claiming again.
    fn claim(&self) -> f64 {
        let key = &self.state.key;
        match claim(records::read_lease(key).as_ref(), now_ms()) {
            Claim::Take => {
                records::write_lease(key, Some(&self.new_lease()));
                self.state.claimed.set(true);
                LEASE_CONFIRM_MS
            }
            Claim::Wait(ms) => {
                self.state.claimed.set(false);
                ms
            }
        }
    }

    /// Whether this attempt holds the lease it claimed. A lease that cannot be read back (storage
    /// blocked) holds: there is nothing to share it through.
    fn held(&self) -> bool {
        self.state.claimed.get()
            && records::read_lease(&self.state.key)
                .is_none_or(|lease| lease.held_by(self.state.holder))
    }

    /// The lock is held: leaves the lease that tells waiting tabs until when.
    fn lease(&self) {
        records::write_lease(&self.state.key, Some(&self.new_lease()));
    }

    /// The attempt is over: removes its lease, if it is still its own.
    fn release(&self) {
        let key = &self.state.key;
        if records::read_lease(key).is_some_and(|lease| lease.held_by(self.state.holder)) {
            records::write_lease(key, None);
        }
    }
}

impl Flight {
    fn new_lease(&self) -> Lease {
        Lease::new(self.state.holder, now_ms(), self.state.limit_ms)
    }

    /// Whether the key was logged out since the refresh began, in this page or another tab.
    fn logged_out(&self) -> bool {
        page()
            .logouts(&self.state.key)
            .logged_out_since(&self.state.logouts)
    }

    fn members(&self) -> Vec<Rc<Inner>> {
        self.state.members.borrow().clone()
    }

    /// The store that acts for the flight: the first that asked and is still open.
    fn lead(&self) -> Option<Rc<Inner>> {
        self.members()
            .into_iter()
            .find(|inner| inner.check_open().is_ok())
    }

    /// Each member's auto-refresh learns the attempt is over; with `refreshed`, its `refresh`
    /// handlers hear of the new token.
    fn succeed(&self, refreshed: bool) {
        for member in self.members() {
            member.refresh_succeeded(refreshed);
        }
    }

    /// Leaves the page's list: the next refresh is a new flight.
    fn leave(&self) {
        if let Ok(mut flights) = FLIGHTS.try_borrow_mut() {
            flights.retain(|flight| !Rc::ptr_eq(flight, &self.state));
        }
    }
}

/// Refreshes the token of `inner`, joining the refresh of its key already under way in this page.
/// `quiet`: nobody awaits the promise (an auto-refresh), so its rejection is not reported.
pub fn refresh(inner: &Rc<Inner>, fetch_token: &Function, timeout: f64, quiet: bool) -> JsValue {
    let key = inner.key();
    let under_way = FLIGHTS
        .try_borrow()
        .ok()
        .and_then(|flights| flights.iter().find(|f| f.key == key).cloned());
    if let Some(state) = under_way {
        let mut members = state.members.borrow_mut();
        if !members.iter().any(|member| Rc::ptr_eq(member, inner)) {
            members.push(Rc::clone(inner));
        }
        drop(members);
        let promise = state.promise.borrow().clone();
        return promise;
    }
    let replacing = inner
        .current()
        .ok()
        .flatten()
        .map(|jwt| String::from(jwt.raw()));
    let state = Rc::new(State {
        logouts: page().logouts(&key),
        key: key.clone(),
        replacing,
        holder: js_sys::Math::random(),
        limit_ms: timeout * 1000.0,
        claimed: Cell::new(false),
        fetched_from: RefCell::new(None),
        members: RefCell::new(alloc::vec![Rc::clone(inner)]),
        promise: RefCell::new(JsValue::UNDEFINED),
    });
    if let Ok(mut flights) = FLIGHTS.try_borrow_mut() {
        flights.push(Rc::clone(&state));
    }
    let lock = concat(&["tokenstore:", &key, ":refresh"]);
    let flight = Flight {
        state: Rc::clone(&state),
    };
    let promise = fly(flight, &lock, fetch_token, state.limit_ms, quiet);
    state.promise.replace(promise.clone());
    promise
}

/// The detail of the `refreshError` event: `{ error, attempt, retryIn }`, frozen.
pub fn error_detail(error: &JsValue, attempt: u32, retry_in: Option<f64>) -> JsValue {
    make_error_detail(
        error,
        attempt,
        retry_in.map_or(JsValue::NULL, JsValue::from_f64),
    )
}

impl Inner {
    /// Registers an `autoRefresh`, in charge from now on, and looks at once: a start-up refresh or
    /// one that is due runs now.
    pub fn add_auto(&self, mut entry: AutoEntry) -> Result<u32> {
        self.check_open()?;
        self.look();
        self.prime_if_idle();
        let id = self.hub.borrow_mut().add_refresher();
        entry.id = id;
        self.autos.borrow_mut().push(entry);
        self.started();
        self.look();
        Ok(id)
    }

    /// `act` on the auto-refresh in charge (the latest), if there is one and it is not busy.
    pub(super) fn with_auto_in_charge<R>(
        &self,
        act: impl FnOnce(&mut AutoEntry) -> R,
    ) -> Option<R> {
        let mut autos = self.autos.try_borrow_mut().ok()?;
        autos.last_mut().map(act)
    }

    /// Starts (or joins) the refresh the auto-refresh in charge found due.
    pub(super) fn start_auto(&self) {
        let Some(this) = self.this.upgrade() else {
            return;
        };
        let next = self.with_auto_in_charge(|entry| {
            entry.auto.began();
            (entry.fetch.clone(), entry.timeout)
        });
        if let Some((fetch, timeout)) = next {
            refresh(&this, &fetch, timeout, true);
        }
    }

    /// A refresh this store asked for is over without a failure; with `refreshed`, it brought a new
    /// token, and the `refresh` handlers hear of it once the others have heard of the change.
    pub fn refresh_succeeded(&self, refreshed: bool) {
        self.with_auto_in_charge(|entry| entry.auto.succeeded());
        self.look();
        if refreshed {
            if let Ok(mut hub) = self.hub.try_borrow_mut() {
                hub.refreshed();
            }
            self.look();
        }
    }

    /// A refresh this store asked for failed with `error`: the auto-refresh in charge, if any,
    /// plans the next attempt, and the `refreshError` handlers hear when it comes (`null`: never).
    pub fn refresh_failed(&self, error: &JsValue) {
        let planned = self.with_auto_in_charge(|entry| {
            let delay = entry.auto.failed(self.clock(), js_sys::Math::random());
            (entry.auto.attempt(), Some(delay))
        });
        let (attempt, retry_in) = planned.unwrap_or((1, None));
        if let Ok(mut hub) = self.hub.try_borrow_mut() {
            hub.refresh_failed(error_detail(error, attempt, retry_in));
        }
        self.look();
    }
}
