//! What a change of token or time means for an app: login and logout transitions, store events, and
//! when to look again. Pure decisions; the facade supplies "now" and carries them out.

use alloc::rc::Rc;

use crate::jwt::Jwt;
use crate::storage::Backend;
use crate::time::Validity;

/// Where the app stands, as one word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// No token.
    Anonymous,
    /// A token that is valid now.
    Authenticated,
    /// A token past its `exp` (with leeway).
    Expired,
    /// A token before its `nbf` (with leeway).
    NotYetValid,
}

impl Status {
    /// The status a token (or its absence) gives at `now`.
    pub fn of(token: Option<&Jwt>, now: f64, leeway: f64) -> Status {
        match token.map(|jwt| jwt.times().validity(now, leeway)) {
            None => Status::Anonymous,
            Some(Validity::Valid) => Status::Authenticated,
            Some(Validity::Expired) => Status::Expired,
            Some(Validity::NotYetValid) => Status::NotYetValid,
        }
    }

    /// The name JS sees in snapshots.
    pub fn name(self) -> &'static str {
        match self {
            Status::Anonymous => "anonymous",
            Status::Authenticated => "authenticated",
            Status::Expired => "expired",
            Status::NotYetValid => "notYetValid",
        }
    }
}

/// Why the store was looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// A read of the storage or the clock: a page event, a timer, another tab, a getter.
    Observed,
    /// This page called `clear()`.
    Logout,
    /// A value under the key was not a token and has been removed.
    Discarded,
    /// A logout in another tab, which this page learnt of late, removed this page's copy.
    LoggedOutElsewhere,
    /// The token seen valid is gone, and it had expired by now: the browser dropped it at its expiry
    /// (the cookie's `Max-Age`) before the store looked. An expiry, not a removal.
    Dropped,
    /// A refresh answered `null`: the server ended the session, and the token was cleared.
    RefreshFailed,
}

/// Why `onLogout` is called.
///
/// # Example
///
/// ```
/// use tokenstore::LogoutReason;
///
/// assert_eq!(LogoutReason::RefreshFailed.name(), "refreshFailed");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogoutReason {
    /// This page logged out with `clear()`.
    Logout,
    /// The token expired.
    Expired,
    /// The token disappeared without a `clear()` here: another tab logged out, or code outside
    /// tokenstore removed it.
    Removed,
    /// What was stored is not a usable token: malformed, or not valid yet.
    Invalid,
    /// A refresh answered `null`: the server ended the session.
    RefreshFailed,
}

impl LogoutReason {
    /// The name JS sees.
    pub fn name(self) -> &'static str {
        match self {
            LogoutReason::Logout => "logout",
            LogoutReason::Expired => "expired",
            LogoutReason::Removed => "removed",
            LogoutReason::Invalid => "invalid",
            LogoutReason::RefreshFailed => "refreshFailed",
        }
    }
}

/// A call an auto-login registration has to make.
#[derive(Clone, Debug, PartialEq)]
pub enum Transition {
    /// A valid token became current: call `onLogin`.
    Login(Rc<Jwt>),
    /// A valid token stopped being valid: call `onLogout`.
    Logout(LogoutReason),
}

/// What one auto-login registration has told its app so far.
#[derive(Clone, Debug, Default)]
pub enum Seen {
    /// Nothing yet: the first check has not run.
    #[default]
    Nothing,
    /// The app was told it is logged out, or was never told it is logged in.
    LoggedOut,
    /// The app was told this token is logged in.
    LoggedIn(Rc<Jwt>),
    /// The app was told this token (its text) is logged in before the core looked: the package's
    /// early answer from storage while the module loaded. The core confirms it without a second
    /// call, or retracts it with a logout.
    Announced(Rc<str>),
}

impl Seen {
    /// Moves to the state given by `token` and `status`, returning the call the app must receive, if
    /// any. The same state never produces a second call.
    ///
    /// At the first check, a stored token that has expired is reported as a logout ("expired"), so
    /// an app can say the session ended; simply having no token is not reported. A discarded value is
    /// always reported ("invalid"): it is removed, so it is reported once.
    pub fn advance(
        &mut self,
        token: Option<&Rc<Jwt>>,
        status: Status,
        cause: Cause,
    ) -> Option<Transition> {
        if let (Status::Authenticated, Some(jwt)) = (status, token) {
            let told = match self {
                Seen::LoggedIn(seen) => seen.raw() == jwt.raw(),
                Seen::Announced(raw) => **raw == *jwt.raw(),
                Seen::Nothing | Seen::LoggedOut => false,
            };
            *self = Seen::LoggedIn(Rc::clone(jwt));
            return (!told).then(|| Transition::Login(Rc::clone(jwt)));
        }
        let before = core::mem::replace(self, Seen::LoggedOut);
        let reason = match (cause, status) {
            (Cause::Discarded, _) => return Some(Transition::Logout(LogoutReason::Invalid)),
            // Reported even at the first check: the app never saw this page logged in, but the
            // session it restored has ended.
            (Cause::LoggedOutElsewhere, _) => {
                return Some(Transition::Logout(LogoutReason::Removed))
            }
            (Cause::Logout, _) => LogoutReason::Logout,
            (Cause::Dropped, _) => LogoutReason::Expired,
            (Cause::RefreshFailed, _) => LogoutReason::RefreshFailed,
            (_, Status::Expired) => LogoutReason::Expired,
            (_, Status::NotYetValid) => LogoutReason::Invalid,
            _ => LogoutReason::Removed,
        };
        match before {
            Seen::LoggedIn(_) | Seen::Announced(_) => Some(Transition::Logout(reason)),
            Seen::Nothing if reason == LogoutReason::Expired => Some(Transition::Logout(reason)),
            Seen::Nothing | Seen::LoggedOut => None,
        }
    }
}

/// The store-wide events one look at the store produced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Events {
    /// The snapshot changed: token, status or backend.
    pub change: bool,
    /// The current token entered its `expiringIn` window (once per token).
    pub expiring: bool,
    /// The current token expired (once per token).
    pub expired: bool,
    /// The token seen valid last time is gone after its expiry (see [`Cause::Dropped`]); `expiring`
    /// and `expired` then speak of it.
    pub dropped: bool,
}

/// Tracks what subscribers and event handlers have been told, to report each change once.
#[derive(Debug, Default)]
pub struct Tracker {
    last: Option<(Option<Rc<Jwt>>, Status, Backend)>,
    expiring_told: Option<Rc<Jwt>>,
    expired_told: Option<Rc<Jwt>>,
}

impl Tracker {
    /// Records the state without producing events (nobody listens); whether it changed.
    pub fn note(&mut self, token: Option<&Rc<Jwt>>, status: Status, backend: Backend) -> bool {
        let change = match &self.last {
            Some((last_token, last_status, last_backend)) => {
                !same(last_token.as_ref(), token)
                    || *last_status != status
                    || *last_backend != backend
            }
            None => true,
        };
        self.last = Some((token.cloned(), status, backend));
        change
    }

    /// Records the state at `now` and says which events it produces. `expiring_in` is how many
    /// seconds before `exp` the expiring event fires; `leeway` is the store's.
    pub fn observe(
        &mut self,
        token: Option<&Rc<Jwt>>,
        status: Status,
        backend: Backend,
        now: f64,
        expiring_in: f64,
        leeway: f64,
    ) -> Events {
        // A token seen valid, gone now that it has expired, is what the expiry events speak of.
        let dropped = match (&self.last, token) {
            (Some((Some(last), Status::Authenticated, _)), None)
                if last.times().validity(now, leeway) == Validity::Expired =>
            {
                Some(Rc::clone(last))
            }
            _ => None,
        };
        let (subject, status_then) = match &dropped {
            Some(last) => (Some(last), Status::Expired),
            None => (token, status),
        };
        let same_token = |told: &Option<Rc<Jwt>>| same(told.as_ref(), subject);
        let was_valid =
            matches!(&self.last, Some((last, Status::Authenticated, _)) if same_token(last));
        let change = self.note(token, status, backend);
        let (token, status) = (subject, status_then);

        let in_window = token
            .and_then(|jwt| jwt.times().exp)
            .is_some_and(|exp| now >= exp - expiring_in);
        // A token seen valid is always announced as expiring before it is announced as expired, even
        // when the two come at one look: with `expiringIn: 0`, or after a sleep that skipped the window.
        // A token first seen already expired was never about to expire here.
        let expiring = in_window
            && (status == Status::Authenticated || (status == Status::Expired && was_valid))
            && !same_token(&self.expiring_told);
        if expiring {
            self.expiring_told = token.cloned();
        }
        let expired = status == Status::Expired && !same_token(&self.expired_told);
        if expired {
            self.expired_told = token.cloned();
        }
        Events {
            change,
            expiring,
            expired,
            dropped: dropped.is_some(),
        }
    }
}

/// Whether two tokens (or their absence) are the same text.
fn same(a: Option<&Rc<Jwt>>, b: Option<&Rc<Jwt>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.raw() == b.raw(),
        (None, None) => true,
        _ => false,
    }
}

/// Seconds from `now` until the state of `token` can next change by the clock alone: it enters the
/// expiring window, expires, or becomes valid. `None` when only a storage change can alter it.
pub fn next_wakeup(token: Option<&Jwt>, now: f64, leeway: f64, expiring_in: f64) -> Option<f64> {
    let times = token?.times();
    let candidates = [
        times.exp.map(|exp| exp - expiring_in),
        // The first instant at which `exp <= now - leeway` holds.
        times.exp.map(|exp| exp + leeway),
        // The first instant after which `nbf > now + leeway` no longer holds.
        times.nbf.map(|nbf| nbf - leeway),
    ];
    candidates
        .into_iter()
        .flatten()
        .filter(|at| *at > now)
        .map(|at| at - now)
        .reduce(f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::decode;
    use crate::test_tokens::token;

    fn jwt(payload: &str) -> Rc<Jwt> {
        Rc::new(decode(&token(payload)).unwrap())
    }

    fn login(jwt: &Rc<Jwt>) -> Option<Transition> {
        Some(Transition::Login(Rc::clone(jwt)))
    }

    fn logout(reason: LogoutReason) -> Option<Transition> {
        Some(Transition::Logout(reason))
    }

    #[test]
    fn status_follows_the_time_checks() {
        let t = jwt(r#"{"exp":100,"nbf":50}"#);
        assert_eq!(Status::of(None, 0.0, 0.0), Status::Anonymous);
        assert_eq!(Status::of(Some(&t), 40.0, 0.0), Status::NotYetValid);
        assert_eq!(Status::of(Some(&t), 60.0, 0.0), Status::Authenticated);
        assert_eq!(Status::of(Some(&t), 100.0, 0.0), Status::Expired);
        assert_eq!(Status::of(Some(&t), 100.0, 1.0), Status::Authenticated);
    }

    #[test]
    fn login_once_per_token() {
        let mut seen = Seen::default();
        let a = jwt(r#"{"sub":"a"}"#);
        assert_eq!(
            seen.advance(Some(&a), Status::Authenticated, Cause::Observed),
            login(&a)
        );
        assert_eq!(
            seen.advance(Some(&a), Status::Authenticated, Cause::Observed),
            None
        );
        let same_text = jwt(r#"{"sub":"a"}"#);
        assert_eq!(
            seen.advance(Some(&same_text), Status::Authenticated, Cause::Observed),
            None
        );
        let b = jwt(r#"{"sub":"b"}"#);
        assert_eq!(
            seen.advance(Some(&b), Status::Authenticated, Cause::Observed),
            login(&b)
        );
    }

    #[test]
    fn an_announced_token_is_confirmed_without_a_second_login() {
        let a = jwt(r#"{"sub":"a","exp":100}"#);
        let announced = || Seen::Announced(Rc::from(a.raw()));
        let mut seen = announced();
        assert_eq!(
            seen.advance(Some(&a), Status::Authenticated, Cause::Observed),
            None
        );
        assert_eq!(
            seen.advance(None, Status::Anonymous, Cause::Logout),
            logout(LogoutReason::Logout),
            "once confirmed it is a login like any other"
        );
        let b = jwt(r#"{"sub":"b","exp":100}"#);
        assert_eq!(
            announced().advance(Some(&b), Status::Authenticated, Cause::Observed),
            login(&b),
            "another valid token is a new login"
        );
    }

    #[test]
    fn the_core_retracts_an_announcement_it_disagrees_with() {
        let a = jwt(r#"{"sub":"a","exp":100}"#);
        let announced = || Seen::Announced(Rc::from(a.raw()));
        for (token, status, cause, reason) in [
            (
                Some(&a),
                Status::Expired,
                Cause::Observed,
                LogoutReason::Expired,
            ),
            (
                Some(&a),
                Status::NotYetValid,
                Cause::Observed,
                LogoutReason::Invalid,
            ),
            (
                None,
                Status::Anonymous,
                Cause::Discarded,
                LogoutReason::Invalid,
            ),
            (
                None,
                Status::Anonymous,
                Cause::LoggedOutElsewhere,
                LogoutReason::Removed,
            ),
            (
                None,
                Status::Anonymous,
                Cause::Observed,
                LogoutReason::Removed,
            ),
        ] {
            let mut seen = announced();
            assert_eq!(
                seen.advance(token, status, cause),
                logout(reason),
                "{status:?} {cause:?}"
            );
            assert_eq!(seen.advance(token, status, Cause::Observed), None);
        }
    }

    #[test]
    fn logout_reasons() {
        let t = jwt(r#"{"exp":100}"#);
        let cases = [
            (None, Status::Anonymous, Cause::Logout, LogoutReason::Logout),
            (
                None,
                Status::Anonymous,
                Cause::Observed,
                LogoutReason::Removed,
            ),
            (
                None,
                Status::Anonymous,
                Cause::Discarded,
                LogoutReason::Invalid,
            ),
            (
                Some(&t),
                Status::Expired,
                Cause::Observed,
                LogoutReason::Expired,
            ),
            (
                Some(&t),
                Status::NotYetValid,
                Cause::Observed,
                LogoutReason::Invalid,
            ),
        ];
        for (token, status, cause, reason) in cases {
            let mut seen = Seen::default();
            seen.advance(Some(&t), Status::Authenticated, Cause::Observed);
            assert_eq!(
                seen.advance(token, status, cause),
                logout(reason),
                "{status:?} {cause:?}"
            );
            assert_eq!(
                seen.advance(token, status, Cause::Observed),
                None,
                "never twice"
            );
        }
    }

    #[test]
    fn first_check_reports_an_expired_session_but_not_an_absent_one() {
        let t = jwt(r#"{"exp":100}"#);
        assert_eq!(
            Seen::default().advance(None, Status::Anonymous, Cause::Observed),
            None
        );
        assert_eq!(
            Seen::default().advance(Some(&t), Status::Expired, Cause::Observed),
            logout(LogoutReason::Expired)
        );
        assert_eq!(
            Seen::default().advance(Some(&t), Status::NotYetValid, Cause::Observed),
            None
        );
        assert_eq!(
            Seen::default().advance(None, Status::Anonymous, Cause::Discarded),
            logout(LogoutReason::Invalid)
        );
    }

    #[test]
    fn a_refresh_that_ends_the_session_says_so() {
        let t = jwt(r#"{"exp":100}"#);
        let mut seen = Seen::default();
        seen.advance(Some(&t), Status::Authenticated, Cause::Observed);
        assert_eq!(
            seen.advance(None, Status::Anonymous, Cause::RefreshFailed),
            logout(LogoutReason::RefreshFailed)
        );
        assert_eq!(LogoutReason::RefreshFailed.name(), "refreshFailed");
        assert_eq!(
            Seen::default().advance(None, Status::Anonymous, Cause::RefreshFailed),
            None,
            "a start-up refresh that finds no session ends nothing the app was told of"
        );
    }

    #[test]
    fn a_logout_learnt_late_is_reported_even_at_the_first_check() {
        assert_eq!(
            Seen::default().advance(None, Status::Anonymous, Cause::LoggedOutElsewhere),
            logout(LogoutReason::Removed)
        );
    }

    #[test]
    fn no_login_for_unusable_tokens() {
        let t = jwt(r#"{"exp":100}"#);
        let mut seen = Seen::default();
        for status in [Status::Expired, Status::NotYetValid, Status::Anonymous] {
            let transition = seen.advance(Some(&t), status, Cause::Observed);
            assert!(!matches!(transition, Some(Transition::Login(_))));
        }
    }

    #[test]
    fn tracker_reports_each_change_once() {
        let mut tracker = Tracker::default();
        let t = jwt(r#"{"exp":100}"#);
        let observe = |tracker: &mut Tracker, token, status, now| {
            tracker.observe(token, status, Backend::Local, now, 10.0, 0.0)
        };
        let first = observe(&mut tracker, None, Status::Anonymous, 0.0);
        assert_eq!(
            first,
            Events {
                change: true,
                ..Events::default()
            }
        );
        assert_eq!(
            observe(&mut tracker, None, Status::Anonymous, 1.0),
            Events::default()
        );

        let set = observe(&mut tracker, Some(&t), Status::Authenticated, 50.0);
        assert_eq!(
            set,
            Events {
                change: true,
                ..Events::default()
            }
        );
        let expiring = observe(&mut tracker, Some(&t), Status::Authenticated, 90.0);
        assert_eq!(
            expiring,
            Events {
                expiring: true,
                ..Events::default()
            }
        );
        assert_eq!(
            observe(&mut tracker, Some(&t), Status::Authenticated, 95.0),
            Events::default()
        );

        let expired = observe(&mut tracker, Some(&t), Status::Expired, 100.0);
        assert_eq!(
            expired,
            Events {
                change: true,
                expired: true,
                ..Events::default()
            }
        );
        assert_eq!(
            observe(&mut tracker, Some(&t), Status::Expired, 200.0),
            Events::default()
        );

        let moved = tracker.observe(Some(&t), Status::Expired, Backend::Memory, 200.0, 10.0, 0.0);
        assert_eq!(
            moved,
            Events {
                change: true,
                ..Events::default()
            }
        );
    }

    #[test]
    fn a_token_set_inside_its_expiring_window_is_reported_at_once() {
        let mut tracker = Tracker::default();
        let t = jwt(r#"{"exp":100}"#);
        let events = tracker.observe(
            Some(&t),
            Status::Authenticated,
            Backend::Local,
            95.0,
            10.0,
            0.0,
        );
        assert_eq!(
            events,
            Events {
                change: true,
                expiring: true,
                expired: false,
                dropped: false,
            }
        );
    }

    #[test]
    fn wakeups() {
        let t = jwt(r#"{"exp":100,"nbf":50}"#);
        assert_eq!(next_wakeup(None, 0.0, 0.0, 10.0), None);
        assert_eq!(
            next_wakeup(Some(&t), 0.0, 0.0, 10.0),
            Some(50.0),
            "nbf comes first"
        );
        assert_eq!(
            next_wakeup(Some(&t), 0.0, 5.0, 10.0),
            Some(45.0),
            "leeway makes it valid sooner"
        );
        assert_eq!(
            next_wakeup(Some(&t), 60.0, 0.0, 10.0),
            Some(30.0),
            "the expiring window"
        );
        assert_eq!(next_wakeup(Some(&t), 95.0, 0.0, 10.0), Some(5.0), "expiry");
        assert_eq!(
            next_wakeup(Some(&t), 95.0, 2.0, 10.0),
            Some(7.0),
            "expiry with leeway"
        );
        assert_eq!(
            next_wakeup(Some(&t), 102.0, 2.0, 10.0),
            None,
            "nothing left to wait for"
        );
        let forever = jwt(r#"{"sub":"x"}"#);
        assert_eq!(next_wakeup(Some(&forever), 0.0, 0.0, 10.0), None);
        let year = jwt(r#"{"exp":31536000}"#);
        assert_eq!(next_wakeup(Some(&year), 0.0, 0.0, 60.0), Some(31535940.0));
    }
}
