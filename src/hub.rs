//! Who listens to one store, what each listener has been told, and the order in which it hears the
//! rest. Pure: the facade supplies the callbacks (`F`), the published view of a state (`V`, its JS
//! snapshot) and the clock, and makes the calls this module hands back one at a time.
//!
//! Notifications run to completion, as JS events do: a change made by a handler is queued behind the
//! notifications already owed, so every listener hears of states in the order they happened and ends
//! on the latest, a listener removed during a dispatch is not called afterwards, and the store can be
//! closed from inside a handler.

use alloc::rc::Rc;
use alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::jwt::Jwt;
use crate::session::{Cause, LogoutReason, Seen, Status, Tracker, Transition};
use crate::storage::Backend;

/// The events `store.on(name, handler)` accepts (`tokenstore::Event` in the Rust API).
///
/// # Example
///
/// ```
/// use tokenstore::Event;
///
/// assert_eq!(Event::from_name("expiring"), Ok(Event::Expiring));
/// ```
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
    /// A refresh of this store ended with a new token, fetched or adopted.
    Refresh,
    /// A refresh of this store failed; the token stays.
    RefreshError,
    /// The DPoP key was made anew while a token was stored, or lives in the page only.
    DpopKey,
}

impl EventName {
    /// Parses an event name as JS callers spell it.
    pub fn from_name(name: &str) -> Result<EventName> {
        match name {
            "change" => Ok(EventName::Change),
            "expiring" => Ok(EventName::Expiring),
            "expired" => Ok(EventName::Expired),
            "fallback" => Ok(EventName::Fallback),
            "refresh" => Ok(EventName::Refresh),
            "refreshError" => Ok(EventName::RefreshError),
            "dpopKey" => Ok(EventName::DpopKey),
            _ => Err(Error::InvalidArgument(
                "event must be \"change\", \"expiring\", \"expired\", \"fallback\", \"refresh\", \"refreshError\" or \"dpopKey\"".into(),
            )),
        }
    }
}

/// A store that moved to memory: from which backend, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Fallback {
    /// The backend that failed.
    pub from: Backend,
    /// `STORAGE_UNAVAILABLE` or `QUOTA_EXCEEDED`.
    pub reason: &'static str,
}

/// What one call delivers. `D` is the detail of a failed refresh, made by the facade.
#[derive(Clone, Debug, PartialEq)]
pub enum Message<V, D = ()> {
    /// A snapshot, for `subscribe` and the `change`, `expiring`, `expired` and `refresh` events.
    Snapshot(V),
    /// `onLogin(token, claims)` with the view of the state that logged in.
    Login(V),
    /// `onLogout(reason)`.
    Logout(LogoutReason),
    /// The `fallback` event.
    Fallback(Fallback),
    /// The `refreshError` event.
    RefreshError(D),
    /// The `dpopKey` event, with its reason.
    DpopKey(&'static str),
}

/// One look at the store: what the facade read and when.
pub struct Observation<'a, V> {
    /// The current token, if any.
    pub token: Option<&'a Rc<Jwt>>,
    /// Its status at `now`.
    pub status: Status,
    /// The backend in use.
    pub backend: Backend,
    /// Seconds since the epoch.
    pub now: f64,
    /// The store's clock-skew tolerance, in seconds.
    pub leeway: f64,
    /// Why the store was looked at.
    pub cause: Cause,
    /// The view listeners receive for this state; made by the facade.
    pub view: V,
}

struct Handler<F> {
    id: u32,
    event: EventName,
    callback: F,
}

struct Hook<F> {
    id: u32,
    on_login: Option<F>,
    on_logout: Option<F>,
    seen: Seen,
    /// False until the document has loaded: a hook reports nothing before its first check.
    active: bool,
}

/// A call owed to the listener `listener`.
struct Delivery<F, V, D> {
    listener: u32,
    callback: F,
    message: Message<V, D>,
}

/// The listeners of one store and the calls owed to them.
pub struct Hub<F, V, D = ()> {
    next_id: u32,
    handlers: Vec<Handler<F>>,
    hooks: Vec<Hook<F>>,
    /// The `autoRefresh` registrations: they are told nothing, but keep the store listening.
    refreshers: Vec<u32>,
    tracker: Tracker,
    /// The view of the latest state published, handed to `getSnapshot` and new subscribers.
    latest: Option<V>,
    /// `expiringIn`: seconds before `exp` at which `expiring` fires.
    expiring_in: f64,
    queue: Vec<Delivery<F, V, D>>,
    dispatching: bool,
    fallback: Option<Fallback>,
}

impl<F: Clone, V: Clone, D: Clone> Hub<F, V, D> {
    /// A hub with no listeners.
    pub fn new(expiring_in: f64) -> Hub<F, V, D> {
        Hub {
            next_id: 0,
            handlers: Vec::new(),
            hooks: Vec::new(),
            refreshers: Vec::new(),
            tracker: Tracker::default(),
            latest: None,
            expiring_in,
            queue: Vec::new(),
            dispatching: false,
            fallback: None,
        }
    }

    /// Whether nobody listens: no handler, no hook and no auto-refresh.
    pub fn is_idle(&self) -> bool {
        self.handlers.is_empty() && self.hooks.is_empty() && self.refreshers.is_empty()
    }

    /// Registers an `autoRefresh`, which keeps the store listening like a handler; returns its id.
    pub fn add_refresher(&mut self) -> u32 {
        let id = self.next_id();
        self.refreshers.push(id);
        id
    }

    /// The view last published or primed.
    pub fn latest(&self) -> Option<&V> {
        self.latest.as_ref()
    }

    /// Records the state `seen` without owing anyone a call: for `getSnapshot` while nobody listens,
    /// and before the first listener joins, so that it hears only of what comes after. The view is
    /// kept only if the state changed, so `getSnapshot` returns the same object until it does.
    /// `expiring` and `expired` are not marked as told: a handler that joins later still hears them.
    pub fn prime(&mut self, seen: Observation<'_, V>) {
        let change = self.tracker.note(seen.token, seen.status, seen.backend);
        if change || self.latest.is_none() {
            self.latest = Some(seen.view);
        }
    }

    fn next_id(&mut self) -> u32 {
        self.next_id = self.next_id.wrapping_add(1);
        self.next_id
    }

    /// Adds a handler for `event`; returns its id. The caller published the current state first, so
    /// the handler hears only of what happens after it joined, except the first call owed to a
    /// subscriber or to a `fallback` handler joining during a fallback: see [`Hub::welcome`].
    pub fn add_handler(&mut self, event: EventName, callback: F) -> u32 {
        let id = self.next_id();
        self.handlers.push(Handler {
            id,
            event,
            callback,
        });
        id
    }

    /// What a handler that just joined is owed at once: its first snapshot for a subscriber, the
    /// current fallback for a `fallback` handler (a fallback in the constructor happens before anyone
    /// can listen). Called synchronously, outside the queue: `subscribe` must have called its run
    /// function before it returns (Svelte's `get(store)` relies on it).
    pub fn welcome(&self, event: EventName, subscriber: bool) -> Option<Message<V, D>> {
        match event {
            EventName::Change if subscriber => self.latest.clone().map(Message::Snapshot),
            EventName::Fallback => self.fallback.clone().map(Message::Fallback),
            _ => None,
        }
    }

    /// Registers an `autoLogin` hook; it stays silent until it is active. `seen` is what its app
    /// was already told: [`Seen::Nothing`], or the token the package announced before the core ran
    /// (which its first check then confirms or retracts).
    pub fn add_hook(
        &mut self,
        on_login: Option<F>,
        on_logout: Option<F>,
        active: bool,
        seen: Seen,
    ) -> u32 {
        let id = self.next_id();
        self.hooks.push(Hook {
            id,
            on_login,
            on_logout,
            seen,
            active,
        });
        id
    }

    /// Activates every waiting hook (the document has loaded); whether any was waiting. The caller
    /// then publishes, which runs their first check.
    pub fn activate_hooks(&mut self) -> bool {
        let mut any = false;
        for hook in self.hooks.iter_mut().filter(|hook| !hook.active) {
            hook.active = true;
            any = true;
        }
        any
    }

    /// Removes the handler or hook `id`, with every call still owed to it. Removing it twice, or an
    /// id that never existed, does nothing.
    pub fn remove(&mut self, id: u32) {
        self.handlers.retain(|handler| handler.id != id);
        self.hooks.retain(|hook| hook.id != id);
        self.refreshers.retain(|refresher| *refresher != id);
        self.queue.retain(|delivery| delivery.listener != id);
    }

    /// Removes every listener and every call owed: the store is closed.
    pub fn close(&mut self) {
        self.handlers.clear();
        self.hooks.clear();
        self.refreshers.clear();
        self.queue.clear();
        self.latest = None;
    }

    /// Records that the store moved to memory, and owes the `fallback` handlers a call.
    pub fn fall_back(&mut self, fallback: Fallback) {
        self.fallback = Some(fallback.clone());
        self.announce(EventName::Fallback, &Message::Fallback(fallback));
    }

    /// Owes every handler of `event` the call `message`.
    fn announce(&mut self, event: EventName, message: &Message<V, D>) {
        let owed: Vec<_> = self
            .handlers
            .iter()
            .filter(|handler| handler.event == event)
            .map(|handler| Delivery {
                listener: handler.id,
                callback: handler.callback.clone(),
                message: message.clone(),
            })
            .collect();
        self.queue.extend(owed);
    }

    /// A refresh stored (or adopted) a token, already published: the `refresh` handlers get the
    /// latest view, after the `change` it made.
    pub fn refreshed(&mut self) {
        if let Some(view) = self.latest.clone() {
            self.announce(EventName::Refresh, &Message::Snapshot(view));
        }
    }

    /// A refresh failed: the `refreshError` handlers get `detail`.
    pub fn refresh_failed(&mut self, detail: D) {
        self.announce(EventName::RefreshError, &Message::RefreshError(detail));
    }

    /// The DPoP key news `reason` (see `crate::dpop::KeyNews`): the `dpopKey` handlers get it.
    pub fn dpop_key(&mut self, reason: &'static str) {
        self.announce(EventName::DpopKey, &Message::DpopKey(reason));
    }

    /// An explicit `useBackend` ended the fallback.
    pub fn end_fallback(&mut self) {
        self.fallback = None;
    }

    /// Records the state `seen` and queues what it owes each listener, in this order: each hook's
    /// `onLogin` / `onLogout`, then the `expiring`, `expired` and `change` handlers.
    pub fn publish(&mut self, seen: Observation<'_, V>) {
        if self.is_idle() {
            return;
        }
        let events = self.tracker.observe(
            seen.token,
            seen.status,
            seen.backend,
            seen.now,
            self.expiring_in,
            seen.leeway,
        );
        let cause = if events.dropped && seen.cause == Cause::Observed {
            Cause::Dropped
        } else {
            seen.cause
        };
        let mut owed = Vec::new();
        for hook in self.hooks.iter_mut().filter(|hook| hook.active) {
            let (callback, message) = match hook.seen.advance(seen.token, seen.status, cause) {
                Some(Transition::Login(_)) => (&hook.on_login, Message::Login(seen.view.clone())),
                Some(Transition::Logout(reason)) => (&hook.on_logout, Message::Logout(reason)),
                None => continue,
            };
            if let Some(callback) = callback {
                owed.push(Delivery {
                    listener: hook.id,
                    callback: callback.clone(),
                    message,
                });
            }
        }
        if events.change || self.latest.is_none() {
            self.latest = Some(seen.view);
        }
        for (event, fires) in [
            (EventName::Expiring, events.expiring),
            (EventName::Expired, events.expired),
            (EventName::Change, events.change),
        ] {
            if !fires {
                continue;
            }
            for handler in self
                .handlers
                .iter()
                .filter(|handler| handler.event == event)
            {
                if let Some(view) = &self.latest {
                    owed.push(Delivery {
                        listener: handler.id,
                        callback: handler.callback.clone(),
                        message: Message::Snapshot(view.clone()),
                    });
                }
            }
        }
        self.queue.extend(owed);
    }

    /// Starts delivering what is owed; `false` when a dispatch is already under way further up the
    /// stack, which will deliver it in turn.
    pub fn begin_dispatch(&mut self) -> bool {
        !core::mem::replace(&mut self.dispatching, true)
    }

    /// The next call to make, oldest first; `None` when nothing is owed, which ends the dispatch.
    pub fn next_call(&mut self) -> Option<(F, Message<V, D>)> {
        if self.queue.is_empty() {
            self.dispatching = false;
            return None;
        }
        let delivery = self.queue.remove(0);
        Some((delivery.callback, delivery.message))
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::string::{String, ToString};
    use std::vec;

    use super::*;
    use crate::jwt::decode;
    use crate::test_tokens::token;

    fn jwt(sub: &str) -> Rc<Jwt> {
        Rc::new(decode(&token(&std::format!(r#"{{"sub":"{sub}","exp":100}}"#))).unwrap())
    }

    /// A listener in these tests is its name; the view is the subject of the token, or "-".
    type TestHub = Hub<&'static str, String>;

    fn observe<'a>(token: Option<&'a Rc<Jwt>>, now: f64, cause: Cause) -> Observation<'a, String> {
        let status = Status::of(token.map(|t| &**t), now, 0.0);
        let view = token.map_or("-".to_string(), |t| {
            let claims = t.payload_json();
            let at = claims.find("\"sub\":\"").unwrap() + 7;
            claims[at..at + claims[at..].find('"').unwrap()].to_string()
        });
        Observation {
            token,
            status,
            backend: Backend::Local,
            now,
            leeway: 0.0,
            cause,
            view,
        }
    }

    /// Delivers everything owed, letting `react` act as the handlers do (and publish again).
    fn drain(
        hub: &RefCell<TestHub>,
        log: &mut Vec<String>,
        mut react: impl FnMut(&RefCell<TestHub>, &str, &Message<String>),
    ) {
        if !hub.borrow_mut().begin_dispatch() {
            return;
        }
        loop {
            // Not `while let`: its borrow would last through the handler, which publishes again.
            let next = hub.borrow_mut().next_call();
            let Some((who, message)) = next else { break };
            log.push(std::format!("{who} {message:?}"));
            react(hub, who, &message);
        }
    }

    #[test]
    fn a_change_made_by_a_handler_is_heard_after_the_one_being_delivered() {
        let (one, two) = (jwt("one"), jwt("two"));
        let hub = RefCell::new(TestHub::new(10.0));
        for who in ["A", "B", "C"] {
            hub.borrow_mut().add_handler(EventName::Change, who);
        }
        hub.borrow_mut()
            .publish(observe(Some(&one), 0.0, Cause::Observed));
        let mut log = Vec::new();
        let mut switched = false;
        drain(&hub, &mut log, |hub, who, message| {
            if who == "A" && *message == Message::Snapshot("one".into()) && !switched {
                switched = true;
                hub.borrow_mut()
                    .publish(observe(Some(&two), 0.0, Cause::Observed));
                // A nested dispatch defers to the one under way.
                assert!(!hub.borrow_mut().begin_dispatch());
            }
        });
        assert_eq!(
            log,
            [
                "A Snapshot(\"one\")",
                "B Snapshot(\"one\")",
                "C Snapshot(\"one\")",
                "A Snapshot(\"two\")",
                "B Snapshot(\"two\")",
                "C Snapshot(\"two\")",
            ]
        );
        assert_eq!(hub.borrow().latest().map(String::as_str), Some("two"));
    }

    #[test]
    fn hooks_hear_logins_in_the_order_they_happened() {
        let (one, two) = (jwt("one"), jwt("two"));
        let hub = RefCell::new(TestHub::new(10.0));
        hub.borrow_mut()
            .add_hook(Some("h1"), None, true, Seen::Nothing);
        hub.borrow_mut()
            .add_hook(Some("h2"), None, true, Seen::Nothing);
        hub.borrow_mut()
            .publish(observe(Some(&one), 0.0, Cause::Observed));
        let mut log = Vec::new();
        drain(&hub, &mut log, |hub, who, message| {
            if who == "h1" && *message == Message::Login("one".into()) {
                hub.borrow_mut()
                    .publish(observe(Some(&two), 0.0, Cause::Observed));
            }
        });
        assert_eq!(
            log,
            [
                "h1 Login(\"one\")",
                "h2 Login(\"one\")",
                "h1 Login(\"two\")",
                "h2 Login(\"two\")"
            ]
        );
    }

    #[test]
    fn a_listener_removed_during_a_dispatch_is_not_called_again() {
        let one = jwt("one");
        let hub = RefCell::new(TestHub::new(10.0));
        let a = hub.borrow_mut().add_handler(EventName::Change, "A");
        let b = hub.borrow_mut().add_handler(EventName::Change, "B");
        assert_ne!(a, b);
        hub.borrow_mut()
            .publish(observe(Some(&one), 0.0, Cause::Observed));
        let mut log = Vec::new();
        drain(&hub, &mut log, |hub, who, _| {
            if who == "A" {
                hub.borrow_mut().remove(b);
            }
        });
        assert_eq!(log, ["A Snapshot(\"one\")"]);
    }

    /// A hub whose change handlers "A" and "B" are owed the state with token "one".
    fn two_heard_of_one() -> RefCell<TestHub> {
        let hub = RefCell::new(TestHub::new(10.0));
        hub.borrow_mut().add_handler(EventName::Change, "A");
        hub.borrow_mut().add_handler(EventName::Change, "B");
        hub.borrow_mut()
            .publish(observe(Some(&jwt("one")), 0.0, Cause::Observed));
        hub
    }

    #[test]
    fn closing_inside_a_handler_ends_the_dispatch() {
        let hub = two_heard_of_one();
        let mut log = Vec::new();
        drain(&hub, &mut log, |hub, _, _| hub.borrow_mut().close());
        assert_eq!(log, ["A Snapshot(\"one\")"]);
        assert!(hub.borrow().is_idle());
        assert!(hub.borrow_mut().begin_dispatch(), "the dispatch ended");
    }

    #[test]
    fn a_clear_made_by_a_change_handler_leaves_everyone_anonymous() {
        let hub = two_heard_of_one();
        let mut log = Vec::new();
        drain(&hub, &mut log, |hub, who, message| {
            if who == "A" && *message == Message::Snapshot("one".into()) {
                hub.borrow_mut().publish(observe(None, 0.0, Cause::Logout));
            }
        });
        assert_eq!(log.last().map(String::as_str), Some("B Snapshot(\"-\")"));
        assert_eq!(hub.borrow().latest().map(String::as_str), Some("-"));
    }

    #[test]
    fn waiting_hooks_say_nothing_until_activated() {
        let one = jwt("one");
        let mut hub = TestHub::new(10.0);
        hub.add_hook(Some("h"), Some("h"), false, Seen::Nothing);
        hub.publish(observe(Some(&one), 0.0, Cause::Observed));
        assert!(hub.begin_dispatch());
        assert_eq!(hub.next_call(), None);
        assert!(hub.activate_hooks());
        assert!(!hub.activate_hooks(), "only once");
        hub.publish(observe(Some(&one), 0.0, Cause::Observed));
        assert!(hub.begin_dispatch());
        assert_eq!(hub.next_call(), Some(("h", Message::Login("one".into()))));
    }

    #[test]
    fn a_hook_told_early_hears_no_second_login_for_the_same_token() {
        let one = jwt("one");
        let two = jwt("two");
        let announced = || Seen::Announced(Rc::from(one.raw()));
        let mut hub = TestHub::new(10.0);
        hub.add_hook(Some("early"), Some("early"), true, announced());
        hub.add_hook(Some("plain"), Some("plain"), true, Seen::Nothing);
        hub.publish(observe(Some(&one), 0.0, Cause::Observed));
        let mut log = vec![];
        drain(&RefCell::new(hub), &mut log, |_, _, _| {});
        assert_eq!(log, ["plain Login(\"one\")"]);

        // Another token by the time the core looks: a login; nothing at all: the early login retracted.
        let mut hub = TestHub::new(10.0);
        hub.add_hook(Some("early"), Some("early"), true, announced());
        hub.publish(observe(Some(&two), 0.0, Cause::Observed));
        let mut log = vec![];
        drain(&RefCell::new(hub), &mut log, |_, _, _| {});
        assert_eq!(log, ["early Login(\"two\")"]);
        let mut hub = TestHub::new(10.0);
        hub.add_hook(Some("early"), Some("early"), true, announced());
        hub.publish(observe(None, 0.0, Cause::Observed));
        let mut log = vec![];
        drain(&RefCell::new(hub), &mut log, |_, _, _| {});
        assert_eq!(log, ["early Logout(Removed)"]);
    }

    #[test]
    fn welcome_gives_a_subscriber_the_latest_state_and_a_fallback_handler_the_fallback() {
        let one = jwt("one");
        let mut hub = TestHub::new(10.0);
        hub.add_handler(EventName::Change, "s");
        hub.publish(observe(Some(&one), 0.0, Cause::Observed));
        assert_eq!(
            hub.welcome(EventName::Change, true),
            Some(Message::Snapshot("one".into()))
        );
        assert_eq!(hub.welcome(EventName::Change, false), None);
        assert_eq!(hub.welcome(EventName::Fallback, false), None);
        let fallback = Fallback {
            from: Backend::Local,
            reason: "QUOTA_EXCEEDED",
        };
        hub.fall_back(fallback.clone());
        assert_eq!(
            hub.welcome(EventName::Fallback, false),
            Some(Message::Fallback(fallback))
        );
        hub.end_fallback();
        assert_eq!(hub.welcome(EventName::Fallback, false), None);
    }

    #[test]
    fn an_idle_hub_owes_nothing_but_keeps_its_view_while_the_state_stands() {
        let (one, two) = (jwt("one"), jwt("two"));
        let mut hub = Hub::<&str, Rc<str>>::new(10.0);
        let view = |text: &str| -> Rc<str> { Rc::from(text) };
        let seen = |token, view| Observation {
            token,
            status: Status::Authenticated,
            backend: Backend::Local,
            now: 0.0,
            leeway: 0.0,
            cause: Cause::Observed,
            view,
        };
        hub.publish(seen(Some(&one), view("one")));
        assert_eq!(hub.latest(), None, "publishing to nobody keeps nothing");
        hub.prime(seen(Some(&one), view("one")));
        let first = Rc::clone(hub.latest().unwrap());
        hub.prime(seen(Some(&one), view("one")));
        assert!(
            Rc::ptr_eq(hub.latest().unwrap(), &first),
            "same state, same view"
        );
        hub.prime(seen(Some(&two), view("two")));
        assert_eq!(hub.latest().map(|v| &**v), Some("two"));
        assert!(hub.begin_dispatch());
        assert_eq!(hub.next_call(), None);
    }

    #[test]
    fn a_handler_joining_inside_the_expiring_window_still_hears_expiring() {
        let one = jwt("one");
        let mut hub = TestHub::new(10.0);
        hub.prime(observe(Some(&one), 95.0, Cause::Observed));
        hub.add_handler(EventName::Expiring, "expiring");
        hub.publish(observe(Some(&one), 95.0, Cause::Observed));
        assert!(hub.begin_dispatch());
        assert_eq!(
            hub.next_call(),
            Some(("expiring", Message::Snapshot("one".into())))
        );
        assert_eq!(hub.next_call(), None);
    }

    #[test]
    fn refresh_events_reach_their_handlers_after_the_change_they_made() {
        let one = jwt("one");
        let mut hub: Hub<&str, String, u32> = Hub::new(10.0);
        hub.add_handler(EventName::Change, "change");
        hub.add_handler(EventName::Refresh, "refresh");
        hub.add_handler(EventName::RefreshError, "error");
        hub.refresh_failed(7);
        hub.publish(Observation {
            token: Some(&one),
            status: Status::Authenticated,
            backend: Backend::Local,
            now: 0.0,
            leeway: 0.0,
            cause: Cause::Observed,
            view: "one".to_string(),
        });
        hub.refreshed();
        assert!(hub.begin_dispatch());
        let mut calls = vec![];
        while let Some(call) = hub.next_call() {
            calls.push(call);
        }
        assert_eq!(
            calls,
            [
                ("error", Message::RefreshError(7)),
                ("change", Message::Snapshot("one".to_string())),
                ("refresh", Message::Snapshot("one".to_string())),
            ]
        );
        assert_eq!(EventName::from_name("refresh"), Ok(EventName::Refresh));
        assert_eq!(
            EventName::from_name("refreshError"),
            Ok(EventName::RefreshError)
        );
    }

    #[test]
    fn a_refresher_keeps_the_hub_busy_until_removed() {
        let mut hub = TestHub::new(10.0);
        let id = hub.add_refresher();
        assert!(!hub.is_idle());
        hub.remove(id);
        assert!(hub.is_idle());
    }

    #[test]
    fn events_in_order_expiring_expired_then_change() {
        let one = jwt("one");
        let mut hub = TestHub::new(10.0);
        hub.add_handler(EventName::Change, "change");
        hub.add_handler(EventName::Expired, "expired");
        hub.add_handler(EventName::Expiring, "expiring");
        hub.publish(observe(Some(&one), 0.0, Cause::Observed));
        hub.publish(observe(Some(&one), 100.0, Cause::Observed));
        assert!(hub.begin_dispatch());
        let mut order = vec![];
        while let Some((who, _)) = hub.next_call() {
            order.push(who);
        }
        assert_eq!(order, ["change", "expiring", "expired", "change"]);
    }

    #[test]
    fn a_token_gone_after_its_expiry_expired_rather_than_was_removed() {
        // The browser drops a cookie when its token expires. A store that looks only afterwards (a
        // sleeping laptop, a throttled tab) finds nothing, and tells of an expiry, in the usual order.
        let one = jwt("one");
        let mut hub = TestHub::new(10.0);
        hub.add_hook(Some("hook"), Some("hook"), true, Seen::Nothing);
        hub.add_handler(EventName::Expiring, "expiring");
        hub.add_handler(EventName::Expired, "expired");
        hub.add_handler(EventName::Change, "change");
        hub.publish(observe(Some(&one), 0.0, Cause::Observed));
        hub.publish(observe(None, 150.0, Cause::Observed));
        hub.publish(observe(None, 160.0, Cause::Observed));
        let mut log = vec![];
        drain(&RefCell::new(hub), &mut log, |_, _, _| {});
        assert_eq!(
            log,
            [
                "hook Login(\"one\")",
                "change Snapshot(\"one\")",
                "hook Logout(Expired)",
                "expiring Snapshot(\"-\")",
                "expired Snapshot(\"-\")",
                "change Snapshot(\"-\")",
            ]
        );

        // Gone before its expiry, it was removed.
        let mut hub = TestHub::new(10.0);
        hub.add_hook(Some("hook"), Some("hook"), true, Seen::Nothing);
        hub.add_handler(EventName::Expired, "expired");
        hub.publish(observe(Some(&one), 0.0, Cause::Observed));
        hub.publish(observe(None, 50.0, Cause::Observed));
        let mut log = vec![];
        drain(&RefCell::new(hub), &mut log, |_, _, _| {});
        assert_eq!(log, ["hook Login(\"one\")", "hook Logout(Removed)"]);
    }
}
