//! Refreshing the token: one refresh at a time, adopting what another tab fetched, what a result
//! means, when an auto-refresh is due, and how long to wait before trying again. Pure: the facade
//! takes the lock, calls the app's `fetchToken`, reads the clock and draws the random numbers.

use crate::error::{Error, Result};
use crate::jwt::{self, Jwt};
use crate::time::Validity;

/// Seconds a refresh may take, waiting for the lock included, when the app does not say.
pub const DEFAULT_TIMEOUT: f64 = 10.0;

/// Milliseconds a lease outlasts its holder's own time limit: past it, the holder's attempt would have
/// ended by itself, so a holder still in the lock is not running (frozen, as browsers freeze
/// background tabs, or stuck).
pub const LEASE_GRACE_MS: f64 = 1_000.0;

/// Milliseconds a waiting tab waits at least before taking the lock: a lease already past when it
/// began waiting may be a closed tab's, and a new holder writes its own at once.
pub const MIN_WAIT_MS: f64 = 250.0;

/// Milliseconds between looks at a lease another tab holds, where the lease is the lock.
pub const LEASE_POLL_MS: f64 = 50.0;

/// Milliseconds a tab that wrote a lease waits before reading it back, where the lease is the lock:
/// another tab that saw the lease free at the same moment writes its own meanwhile, and the last
/// writer holds it.
pub const LEASE_CONFIRM_MS: f64 = 30.0;

/// What the tab holding the refresh lock leaves beside the token: who holds the lock and until when.
/// Tabs waiting for the Web Lock read it to tell a holder at work from one that will not release the
/// lock (a frozen tab); where a browser has no Web Locks, the lease is the lock itself.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lease {
    /// The attempt holding it: a random number each attempt draws.
    pub holder: f64,
    /// Until when, in ms since the epoch.
    pub until: f64,
}

impl Lease {
    /// The lease of `holder`, taken at `now` (ms) for an attempt limited to `limit_ms`.
    pub fn new(holder: f64, now: f64, limit_ms: f64) -> Lease {
        Lease {
            holder,
            until: now + limit_ms + LEASE_GRACE_MS,
        }
    }

    /// Whether the attempt `holder` holds it.
    pub fn held_by(&self, holder: f64) -> bool {
        self.holder == holder
    }
}

/// What a tab waiting for the Web Lock does next.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Wait {
    /// Take the lock from its holder (`steal`).
    Take,
    /// Look again in this many ms.
    Recheck(f64),
}

/// What a tab that has waited `waited_ms` for the lock does at `now` (ms), the holder's lease being
/// `lease`; `limit_ms` is its own time limit.
pub fn waiting(lease: Option<&Lease>, waited_ms: f64, now: f64, limit_ms: f64) -> Wait {
    match lease {
        Some(lease) if now < lease.until => Wait::Recheck(lease.until - now),
        Some(_) if waited_ms < MIN_WAIT_MS => Wait::Recheck(MIN_WAIT_MS - waited_ms),
        Some(_) => Wait::Take,
        None if waited_ms < limit_ms => Wait::Recheck(limit_ms - waited_ms),
        None => Wait::Take,
    }
}

/// What a tab that wants the lock does where the lease is the lock.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Claim {
    /// Write its own lease, then read it back after [`LEASE_CONFIRM_MS`]: it holds the lock if the
    /// lease is still its own.
    Take,
    /// Another attempt holds the lease: look again in this many ms.
    Wait(f64),
}

/// Whether a tab may claim the lease, finding `lease` at `now` (ms).
pub fn claim(lease: Option<&Lease>, now: f64) -> Claim {
    match lease {
        Some(lease) if now < lease.until => Claim::Wait(LEASE_POLL_MS),
        _ => Claim::Take,
    }
}

/// What a tab that holds the refresh lock does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnderLock {
    /// Take the token in the backend: another tab refreshed (or logged in) while this one waited.
    Adopt,
    /// Call `fetchToken`.
    Fetch,
    /// Stop without fetching: the session it was to refresh was logged out while it waited. Fetching
    /// would log the user back in with whatever refresh credential the server still holds.
    Abandon,
}

/// What a tab does once it holds the lock, having set out to replace `replacing` and found `stored`
/// in the backend at `now`; `logged_out` is whether a logout of the key happened since the refresh
/// began. A logout wins over every refresh that began or queued before it. A valid token other than
/// the one it set out to replace was stored by someone else meanwhile; fetching again would spend a
/// rotating refresh token for nothing.
pub fn under_lock(
    replacing: Option<&str>,
    stored: Option<&Jwt>,
    logged_out: bool,
    now: f64,
    leeway: f64,
) -> UnderLock {
    match stored {
        _ if logged_out && stored.is_none_or(|jwt| Some(jwt.raw()) == replacing) => {
            UnderLock::Abandon
        }
        Some(jwt)
            if Some(jwt.raw()) != replacing
                && jwt.times().validity(now, leeway) == Validity::Valid =>
        {
            UnderLock::Adopt
        }
        _ => UnderLock::Fetch,
    }
}

/// What the answer of `fetchToken` does to the store.
#[derive(Debug)]
pub enum Outcome {
    /// A well-formed token: store it, as `set()` would.
    Store(Jwt),
    /// `null`: the session is over. Clear the token; hooks hear "refreshFailed".
    Clear,
    /// `null` with no token here: there was no session to end (a silent login found none), so
    /// nothing is cleared and no other tab is told of a logout.
    Absent,
    /// A string that is not a token: report it; the current token stays.
    Malformed(Error),
    /// The store changed while the request was out (a logout, another login): the answer is about a
    /// session that is no longer current, and is dropped.
    Superseded,
}

/// What `result` (a token, or `None` for `null`) means for a store that fetched while holding
/// `fetched_from` and now holds `stored_now`; `logged_out` is whether a logout of the key happened
/// since the refresh began: its answer belongs to a session that is over.
pub fn outcome(
    fetched_from: Option<&str>,
    stored_now: Option<&str>,
    logged_out: bool,
    result: Option<&str>,
) -> Outcome {
    if logged_out || fetched_from != stored_now {
        return Outcome::Superseded;
    }
    match result.map(jwt::decode) {
        None if stored_now.is_none() => Outcome::Absent,
        None => Outcome::Clear,
        Some(Ok(jwt)) => Outcome::Store(jwt),
        Some(Err(error)) => Outcome::Malformed(error),
    }
}

/// Exponential backoff between failed attempts, in seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    initial: f64,
    max: f64,
}

impl Backoff {
    /// The first delay `initial` doubles on every failure up to `max`: both finite, `initial` above
    /// zero and no more than `max`.
    pub fn new(initial: f64, max: f64) -> Result<Backoff> {
        if initial > 0.0 && initial <= max && max.is_finite() {
            Ok(Backoff { initial, max })
        } else {
            Err(Error::InvalidOption(
                "retry needs 0 < initial <= max, in finite seconds".into(),
            ))
        }
    }

    /// The wait after failure number `attempt` (from 1), given `random` from 0 to 1: between half and
    /// all of the doubled delay, so tabs that failed together do not all retry together.
    pub fn delay(&self, attempt: u32, random: f64) -> f64 {
        let mut base = self.initial;
        for _ in 1..attempt {
            base *= 2.0;
            if base >= self.max {
                break;
            }
        }
        let base = if base > self.max { self.max } else { base };
        // Written out: `clamp` would keep a NaN.
        let random = if random >= 0.0 { random.min(1.0) } else { 0.0 };
        base * (0.5 + random / 2.0)
    }
}

/// When an auto-refresh should next run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Due {
    /// Now.
    Now,
    /// At this instant (seconds since the epoch, by the store's clock).
    At(f64),
    /// Not by the clock: nothing to refresh, or an attempt is out.
    Idle,
}

/// One `autoRefresh`: when it refreshes, and its failures so far.
#[derive(Clone, Debug)]
pub struct Auto {
    ahead: f64,
    backoff: Backoff,
    /// A start-up refresh (no token yet) is owed until one succeeds or a token is seen.
    start: bool,
    in_flight: bool,
    attempt: u32,
    retry_at: Option<f64>,
}

impl Auto {
    /// Refreshes `ahead` seconds before `exp`; with `start`, once at start-up when there is no token.
    pub fn new(ahead: f64, start: bool, backoff: Backoff) -> Auto {
        Auto {
            ahead,
            backoff,
            start,
            in_flight: false,
            attempt: 0,
            retry_at: None,
        }
    }

    /// Failures since the last success.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// When to refresh `token` (or the absence of one), at `now` by the store's clock.
    pub fn due(&mut self, token: Option<&Jwt>, now: f64) -> Due {
        if self.in_flight {
            return Due::Idle;
        }
        let wanted = match token {
            None => self.start,
            Some(jwt) => {
                // A session is here: no start-up refresh is owed, even after a later logout.
                self.start = false;
                let times = jwt.times();
                let Some(exp) = times.exp else {
                    return Due::Idle;
                };
                // Never more than half the token's life ahead, or a token shorter than `ahead` would be
                // due the moment it arrives, and every refresh would start the next.
                let ahead = match times.iat {
                    Some(iat) if (exp - iat) / 2.0 < self.ahead => (exp - iat) / 2.0,
                    _ => self.ahead,
                };
                let at = exp - ahead;
                if now < at {
                    // Fresh, so whatever failed before is over.
                    self.attempt = 0;
                    self.retry_at = None;
                    return Due::At(at);
                }
                true
            }
        };
        match self.retry_at {
            _ if !wanted => Due::Idle,
            Some(at) if now < at => Due::At(at),
            _ => Due::Now,
        }
    }

    /// An attempt started.
    pub fn began(&mut self) {
        self.in_flight = true;
    }

    /// The attempt stored a token, adopted one, ended the session or was overtaken: nothing to retry.
    pub fn succeeded(&mut self) {
        self.in_flight = false;
        self.start = false;
        self.attempt = 0;
        self.retry_at = None;
    }

    /// The attempt failed at `now`; returns the seconds until the next one (`random` from 0 to 1).
    pub fn failed(&mut self, now: f64, random: f64) -> f64 {
        self.in_flight = false;
        self.attempt = self.attempt.saturating_add(1);
        let delay = self.backoff.delay(self.attempt, random);
        self.retry_at = Some(now + delay);
        delay
    }

    /// The page is back (online, shown, restored): a pending retry runs at once, since timers do not
    /// run while a laptop sleeps and are throttled in hidden tabs.
    pub fn retry_now(&mut self) {
        if self.retry_at.is_some() {
            self.retry_at = Some(f64::NEG_INFINITY);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::decode;
    use crate::test_tokens::token;

    fn jwt(payload: &str) -> Jwt {
        decode(&token(payload)).unwrap()
    }

    #[test]
    fn under_the_lock_a_valid_token_another_tab_stored_is_adopted() {
        let old = jwt(r#"{"sub":"a","exp":100}"#);
        let new = jwt(r#"{"sub":"a","exp":200}"#);
        assert_eq!(
            under_lock(Some(old.raw()), Some(&new), false, 150.0, 0.0),
            UnderLock::Adopt
        );
        assert_eq!(
            under_lock(None, Some(&new), false, 150.0, 0.0),
            UnderLock::Adopt,
            "another tab logged in while this one had none"
        );
    }

    #[test]
    fn under_the_lock_the_same_token_or_an_unusable_one_is_fetched_again() {
        let old = jwt(r#"{"sub":"a","exp":100}"#);
        let same = jwt(r#"{"sub":"a","exp":100}"#);
        let expired = jwt(r#"{"sub":"b","exp":90}"#);
        let early = jwt(r#"{"sub":"c","nbf":500,"exp":900}"#);
        assert_eq!(
            under_lock(Some(old.raw()), Some(&same), false, 50.0, 0.0),
            UnderLock::Fetch,
            "nobody refreshed meanwhile"
        );
        assert_eq!(
            under_lock(Some(old.raw()), Some(&expired), false, 95.0, 0.0),
            UnderLock::Fetch
        );
        assert_eq!(
            under_lock(Some(old.raw()), Some(&early), false, 95.0, 0.0),
            UnderLock::Fetch
        );
        assert_eq!(
            under_lock(Some(old.raw()), None, false, 50.0, 0.0),
            UnderLock::Fetch
        );
        assert_eq!(under_lock(None, None, false, 50.0, 0.0), UnderLock::Fetch);
    }

    #[test]
    fn a_string_is_stored_null_ends_the_session_and_a_malformed_one_keeps_the_token() {
        let fresh = token(r#"{"sub":"a","exp":200}"#);
        match outcome(Some("old"), Some("old"), false, Some(&fresh)) {
            Outcome::Store(jwt) => assert_eq!(jwt.raw(), fresh),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            outcome(Some("old"), Some("old"), false, None),
            Outcome::Clear
        ));
        match outcome(Some("old"), Some("old"), false, Some("not.a.token!")) {
            Outcome::Malformed(error) => assert_eq!(error.code(), "INVALID_BASE64"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn null_with_no_token_ends_nothing() {
        // A silent login that finds no session must not log out other tabs.
        assert!(matches!(outcome(None, None, false, None), Outcome::Absent));
    }

    #[test]
    fn a_result_for_a_token_that_changed_while_fetching_is_dropped() {
        let fresh = token(r#"{"sub":"a","exp":200}"#);
        // A logout (or a login as someone else) happened while the request was out: the answer
        // must not log the user back in, nor log out the new login.
        assert!(matches!(
            outcome(Some("old"), None, false, Some(&fresh)),
            Outcome::Superseded
        ));
        assert!(matches!(
            outcome(Some("old"), Some("other"), false, None),
            Outcome::Superseded
        ));
        assert!(matches!(
            outcome(None, None, false, Some(&fresh)),
            Outcome::Store(_)
        ));
    }

    #[test]
    fn a_logout_wins_over_a_refresh_that_began_before_it() {
        let old = jwt(r#"{"sub":"a","exp":100}"#);
        let login = jwt(r#"{"sub":"b","exp":200}"#);
        // Queued before a logout in another tab: no fetch, whatever refresh cookie the server holds.
        assert_eq!(
            under_lock(Some(old.raw()), None, true, 50.0, 0.0),
            UnderLock::Abandon
        );
        assert_eq!(
            under_lock(None, None, true, 50.0, 0.0),
            UnderLock::Abandon,
            "a start-up refresh queued before the logout"
        );
        assert_eq!(
            under_lock(Some(old.raw()), Some(&old), true, 50.0, 0.0),
            UnderLock::Abandon,
            "the logout has not reached this tab's storage yet"
        );
        assert_eq!(
            under_lock(Some(old.raw()), Some(&login), true, 150.0, 0.0),
            UnderLock::Adopt,
            "a login after the logout is the session now"
        );
        // The answer arrives after a logout the storage does not show yet.
        let fresh = token(r#"{"sub":"a","exp":300}"#);
        for (from, now) in [(Some("old"), Some("old")), (None, None)] {
            assert!(matches!(
                outcome(from, now, true, Some(&fresh)),
                Outcome::Superseded
            ));
            assert!(matches!(
                outcome(from, now, true, None),
                Outcome::Superseded
            ));
        }
    }

    #[test]
    fn a_waiting_tab_takes_the_lock_only_from_a_holder_past_its_lease() {
        let lease = Lease::new(0.5, 1_000.0, 10_000.0);
        assert_eq!(lease.until, 1_000.0 + 10_000.0 + LEASE_GRACE_MS);
        // The holder is within its lease: wait until it runs out.
        assert_eq!(
            waiting(Some(&lease), 0.0, 2_000.0, 10_000.0),
            Wait::Recheck(lease.until - 2_000.0)
        );
        // Past it: the holder is frozen or stuck, since its own limit would have ended its attempt.
        assert_eq!(
            waiting(Some(&lease), 5_000.0, lease.until, 10_000.0),
            Wait::Take
        );
        // A lease already past when the wait began may be the last holder's, left by a tab that
        // closed: a new holder writes its own at once, so wait a moment for it before taking.
        assert_eq!(
            waiting(Some(&lease), 0.0, lease.until + 1.0, 10_000.0),
            Wait::Recheck(MIN_WAIT_MS)
        );
        assert_eq!(
            waiting(Some(&lease), MIN_WAIT_MS, lease.until + 1.0, 10_000.0),
            Wait::Take
        );
        // No lease to go by (a holder of an older version, or storage blocked): the waiting tab's
        // own time limit.
        assert_eq!(
            waiting(None, 1_000.0, 2_000.0, 10_000.0),
            Wait::Recheck(9_000.0)
        );
        assert_eq!(waiting(None, 10_000.0, 2_000.0, 10_000.0), Wait::Take);
    }

    #[test]
    fn without_web_locks_the_lease_is_the_lock() {
        let mine = Lease::new(0.25, 1_000.0, 10_000.0);
        let theirs = Lease::new(0.75, 1_000.0, 10_000.0);
        assert_eq!(claim(None, 2_000.0), Claim::Take);
        assert_eq!(
            claim(Some(&theirs), theirs.until + 1.0),
            Claim::Take,
            "expired"
        );
        assert_eq!(
            claim(Some(&theirs), 2_000.0),
            Claim::Wait(LEASE_POLL_MS),
            "held: look again soon, a release is not announced to every browser"
        );
        assert!(mine.held_by(0.25) && !mine.held_by(0.75));
    }

    #[test]
    fn retries_back_off_exponentially_with_jitter_up_to_the_cap() {
        let backoff = Backoff::new(1.0, 60.0).unwrap();
        assert_eq!(backoff.delay(1, 0.0), 0.5);
        assert_eq!(backoff.delay(1, 0.5), 0.75);
        assert_eq!(backoff.delay(2, 1.0), 2.0);
        assert_eq!(backoff.delay(2, 7.0), 2.0, "random is taken from 0 to 1");
        assert_eq!(backoff.delay(3, 0.5), 3.0);
        assert_eq!(backoff.delay(7, 0.0), 30.0);
        assert_eq!(
            backoff.delay(8, 0.0),
            30.0,
            "capped at max before the jitter"
        );
        assert_eq!(backoff.delay(5000, 0.5), 45.0);
        assert_eq!(backoff.delay(0, 0.0), 0.5, "attempt 0 counts as the first");
        assert_eq!(
            backoff.delay(3, f64::NAN),
            2.0,
            "a broken random counts as 0"
        );
    }

    #[test]
    fn backoff_settings_are_checked() {
        assert!(Backoff::new(0.0, 60.0).is_err());
        assert!(Backoff::new(-1.0, 60.0).is_err());
        assert!(Backoff::new(10.0, 5.0).is_err());
        assert!(Backoff::new(1.0, f64::INFINITY).is_err());
        assert!(Backoff::new(f64::NAN, 60.0).is_err());
        assert!(Backoff::new(2.0, 2.0).is_ok());
    }

    fn auto(ahead: f64, start: bool) -> Auto {
        Auto::new(ahead, start, Backoff::new(1.0, 60.0).unwrap())
    }

    #[test]
    fn a_token_is_refreshed_ahead_of_its_expiry() {
        let t = jwt(r#"{"iat":0,"exp":1000}"#);
        let mut a = auto(60.0, false);
        assert_eq!(a.due(Some(&t), 100.0), Due::At(940.0));
        assert_eq!(a.due(Some(&t), 940.0), Due::Now);
        assert_eq!(
            a.due(Some(&t), 2000.0),
            Due::Now,
            "expired: still worth a try"
        );
    }

    #[test]
    fn a_short_token_is_refreshed_at_half_its_life_at_the_latest() {
        // A 30-second token with the default 60 seconds ahead would be due the moment it arrives.
        let t = jwt(r#"{"iat":1000,"exp":1030}"#);
        assert_eq!(auto(60.0, false).due(Some(&t), 1000.0), Due::At(1015.0));
        let no_iat = jwt(r#"{"exp":1030}"#);
        assert_eq!(
            auto(10.0, false).due(Some(&no_iat), 1000.0),
            Due::At(1020.0)
        );
    }

    #[test]
    fn a_token_without_exp_is_never_refreshed() {
        let t = jwt(r#"{"sub":"forever"}"#);
        assert_eq!(auto(60.0, true).due(Some(&t), 0.0), Due::Idle);
    }

    #[test]
    fn with_no_token_the_start_up_refresh_is_tried_once() {
        let mut a = auto(60.0, true);
        assert_eq!(a.due(None, 0.0), Due::Now);
        a.began();
        a.succeeded();
        assert_eq!(a.due(None, 1.0), Due::Idle, "once");
        assert_eq!(auto(60.0, false).due(None, 0.0), Due::Idle, "onStart off");
    }

    #[test]
    fn a_failure_waits_with_backoff_and_a_success_resets_it() {
        let t = jwt(r#"{"iat":0,"exp":1000}"#);
        let mut a = auto(60.0, false);
        assert_eq!(a.due(Some(&t), 950.0), Due::Now);
        a.began();
        assert_eq!(a.failed(950.0, 0.0), 0.5);
        assert_eq!(a.attempt(), 1);
        assert_eq!(a.due(Some(&t), 950.2), Due::At(950.5));
        assert_eq!(a.due(Some(&t), 950.5), Due::Now);
        a.began();
        assert_eq!(a.failed(951.0, 0.0), 1.0);
        assert_eq!(a.attempt(), 2);
        a.began();
        a.succeeded();
        assert_eq!(a.attempt(), 0);
        let next = jwt(r#"{"iat":950,"exp":1950}"#);
        assert_eq!(a.due(Some(&next), 952.0), Due::At(1890.0));
    }

    #[test]
    fn a_rejected_start_up_refresh_is_retried() {
        let mut a = auto(60.0, true);
        assert_eq!(a.due(None, 0.0), Due::Now);
        a.began();
        assert_eq!(a.failed(0.0, 0.0), 0.5);
        assert_eq!(a.due(None, 0.1), Due::At(0.5));
        assert_eq!(a.due(None, 0.6), Due::Now);
    }

    #[test]
    fn waking_up_retries_at_once() {
        let t = jwt(r#"{"iat":0,"exp":1000}"#);
        let mut a = auto(60.0, false);
        a.began();
        a.failed(950.0, 0.0);
        a.began();
        a.failed(950.0, 0.0);
        assert_eq!(a.due(Some(&t), 950.1), Due::At(951.0));
        a.retry_now();
        assert_eq!(a.due(Some(&t), 950.1), Due::Now);
    }

    #[test]
    fn a_token_made_fresh_elsewhere_forgets_the_failures() {
        let old = jwt(r#"{"iat":0,"exp":1000}"#);
        let fresh = jwt(r#"{"iat":950,"exp":1950}"#);
        let mut a = auto(60.0, false);
        a.began();
        a.failed(950.0, 0.0);
        assert_eq!(a.due(Some(&fresh), 951.0), Due::At(1890.0));
        assert_eq!(a.attempt(), 0);
        assert_eq!(a.due(Some(&old), 951.0), Due::Now);
    }

    #[test]
    fn a_session_that_ended_is_not_refreshed_again() {
        let t = jwt(r#"{"iat":0,"exp":1000}"#);
        let mut a = auto(60.0, true);
        assert_eq!(a.due(Some(&t), 950.0), Due::Now);
        a.began();
        a.succeeded();
        assert_eq!(
            a.due(None, 951.0),
            Due::Idle,
            "the store was cleared: log in again"
        );
    }
}
