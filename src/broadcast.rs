//! Which logout news a store acts on, and how. Pure: the facade sends, stores and reads the news.
//!
//! A `clear()` removes the token from every backend it can reach (localStorage, its tab's
//! sessionStorage, its page's memory), tells the page's other stores directly, tells running tabs by
//! a message, and leaves a mark in localStorage for tabs that are not running (in the back/forward
//! cache, frozen, discarded, reloading): they read it when they run again. Neither the message nor
//! the mark holds token material: only which logout it was (and, for the message, on which backend
//! and from which page). A page never acts on its own messages, and a logout never removes a token
//! stored after it.
//!
//! Order without clocks: every logout draws an id, and every copy of the token remembers the id of
//! the last logout its writer knew of (see [`Stored`]). A copy predates a logout exactly when it
//! remembers another one: wall-clock times would misorder a login after a logout whenever the
//! system clock steps back (NTP does).
//!
//! A cookie store's `set()` (and a move into or out of the cookie) also posts a [`Change`], as token
//! free: other tabs hear of localStorage writes through the `storage` event, but browsers without
//! the Cookie Store API have no event for a cookie another tab wrote.

use crate::storage::Backend;

/// The id of a logout: a random number its page draws, so that no two logouts share one. `0` stands
/// for "no logout known".
pub type LogoutId = f64;

/// The id that stands for "no logout known on this key".
pub const NO_LOGOUT: LogoutId = 0.0;

/// A logout, as the message on the channel carries it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Logout {
    /// Which logout it is; `NaN` from a sender that did not say (an older version of the package in
    /// another tab), which every dated copy then predates.
    pub id: LogoutId,
    /// The page that logged out: a random number each page draws once.
    pub page: f64,
    /// The backend the logout removed the token from; `None` from a sender that did not say.
    pub backend: Option<Backend>,
}

/// A tab wrote the token, or moved it, on a backend the tabs share: no token, only who and where.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    /// The page that wrote: a random number each page draws once.
    pub page: f64,
    /// The backend written; `None` when the message did not name one this version knows.
    pub backend: Option<Backend>,
}

/// Whether a store on `backend` announces its writes and moves on the channel: only the cookie, the
/// one shared backend whose changes not every browser reports to other tabs.
pub fn announces_writes(backend: Backend) -> bool {
    backend == Backend::Cookie
}

/// Whether a store on `backend` in the page `page` reads its backend again on hearing `change`:
/// when another page wrote the cookie it reads too.
pub fn on_change(change: &Change, page: f64, backend: Backend) -> bool {
    change.page != page && backend == Backend::Cookie && change.backend == Some(Backend::Cookie)
}

/// What a store does about a logout it hears of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Nothing: the news is this page's own, and the page's stores were told directly.
    Ignore,
    /// Read the backend again. The logout removed the token from storage this store shares with
    /// the sender; removing it here as well could remove a token written after the logout.
    Reread,
    /// Read the backend again, then remove the token if it predates the logout: it is a copy the
    /// sender could not reach (another backend, or another tab's sessionStorage or memory). A token
    /// stored after the logout stays.
    ClearIfOlder,
}

/// What a store on `backend` in the page `page` does about a logout message from the channel.
pub fn on_message(logout: &Logout, page: f64, backend: Backend) -> Action {
    if logout.page == page {
        Action::Ignore
    } else if backend.shared_between_tabs() {
        // localStorage and cookies are shared between tabs, and the logout removed the token there
        // itself.
        Action::Reread
    } else {
        Action::ClearIfOlder
    }
}

/// What a store on `backend` does about a logout by another store of its own page.
pub fn on_peer_logout(logout: &Logout, backend: Backend) -> Action {
    // Within a page every backend is shared between stores: the sender removed the token already.
    if Some(backend) == logout.backend {
        Action::Reread
    } else {
        Action::ClearIfOlder
    }
}

/// What is known of when a copy of the token was stored: the last logout its writer knew of
/// ([`NO_LOGOUT`] for none), or `None` for a copy no store of this version wrote (a value put in
/// sessionStorage by other code), which cannot be dated.
pub type Stored = Option<LogoutId>;

/// Whether a copy stored knowing of `stored` predates the logout `logout`: its writer knew of another
/// logout, or of none, so this one came later. A copy written after `logout` knew of it: an account
/// switch, `clear()` then `set()`, keeps the new token however fast it is. A copy that cannot be
/// dated is left alone: the logout removed every copy it could reach, and one it cannot date may
/// well have come after it.
pub fn predates(stored: Stored, logout: LogoutId) -> bool {
    stored.is_some_and(|knew| knew != logout)
}

/// How long a mark is kept when the logout had no token expiry to go by: a day, in milliseconds.
const MARK_WITHOUT_EXPIRY_MS: f64 = 86_400_000.0;

/// The mark a logout leaves for tabs that were not running.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mark {
    /// Which logout it was.
    pub id: LogoutId,
    /// Until when it matters (ms since the epoch): the copies it must end are copies of the token
    /// the logout removed, which the browser's clock expires by then anyway. Without an expiry, a
    /// day. Only this uses the clock: a clock that steps misjudges how long a mark is kept, never
    /// which copies it ends.
    pub until: f64,
}

impl Mark {
    /// The mark of the logout `id` at `at` (ms) that removed a token expiring at `expires` (ms,
    /// leeway included).
    pub fn new(id: LogoutId, at: f64, expires: Option<f64>) -> Mark {
        let until = expires.unwrap_or(at + MARK_WITHOUT_EXPIRY_MS);
        Mark {
            id,
            until: if until > at { until } else { at },
        }
    }
}

/// What a store that runs again does about the mark it finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkAction {
    /// Nothing to do: no private copy, or one stored after the logout.
    Keep,
    /// Remove this store's copy: it predates the logout.
    ClearOwnCopy,
    /// The mark has outlived its purpose: remove it (and do nothing else).
    Forget,
}

/// What a store on `backend` holding a copy stored knowing of `stored` does, at `now` (ms), about
/// `mark`. `has_token` is whether it holds one. Only private copies need the mark: localStorage and
/// cookies are shared, and the logout removed the token there itself.
pub fn on_mark(
    mark: &Mark,
    backend: Backend,
    has_token: bool,
    stored: Stored,
    now: f64,
) -> MarkAction {
    if now > mark.until {
        MarkAction::Forget
    } else if !backend.shared_between_tabs() && has_token && predates(stored, mark.id) {
        MarkAction::ClearOwnCopy
    } else {
        MarkAction::Keep
    }
}

/// What a page knows of the logouts of one key: which was the last, by the mark other tabs leave
/// and by what the page made or heard itself, and how many it made or heard.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct KnownLogouts {
    /// The mark's id when the page last read it.
    mark_read: LogoutId,
    /// The last logout the page learnt of, whichever way; [`NO_LOGOUT`] for none.
    latest: LogoutId,
    /// Logouts the page made or heard of by message.
    heard: u32,
}

impl KnownLogouts {
    /// The page read the mark `mark` ([`NO_LOGOUT`]: there is none): a mark other than the one read
    /// last time is news. A mark that went away (forgotten once it outlived its purpose) is none.
    pub fn read_mark(&mut self, mark: LogoutId) {
        if mark != self.mark_read {
            self.mark_read = mark;
            if mark != NO_LOGOUT {
                self.latest = mark;
            }
        }
    }

    /// The page logged out, or heard by message of the logout `id`: news that may reach it before
    /// the mark does (the storage of another process is updated later).
    pub fn hear(&mut self, id: LogoutId) {
        self.latest = id;
        self.heard = self.heard.wrapping_add(1);
    }

    /// The last logout known: what a copy written now knew of.
    pub fn latest(&self) -> LogoutId {
        self.latest
    }

    /// Whether a logout was learnt of since `earlier` was the state: a refresh compares the state it
    /// began under with the one it finds when it gets the lock and when its answer comes.
    pub fn logged_out_since(&self, earlier: &KnownLogouts) -> bool {
        self.heard != earlier.heard || self.latest != earlier.latest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HERE: f64 = 0.25;
    const THERE: f64 = 0.75;

    fn logout(page: f64, backend: Backend) -> Logout {
        Logout {
            id: 0.5,
            page,
            backend: Some(backend),
        }
    }

    #[test]
    fn a_page_ignores_its_own_messages() {
        for backend in [Backend::Local, Backend::Session, Backend::Memory] {
            assert_eq!(
                on_message(&logout(HERE, backend), HERE, backend),
                Action::Ignore
            );
        }
    }

    #[test]
    fn shared_local_storage_and_cookies_are_only_read_again() {
        for sender in [
            Backend::Local,
            Backend::Session,
            Backend::Memory,
            Backend::Cookie,
        ] {
            for here in [Backend::Local, Backend::Cookie] {
                assert_eq!(
                    on_message(&logout(THERE, sender), HERE, here),
                    Action::Reread
                );
            }
        }
    }

    #[test]
    fn cookie_stores_read_again_when_another_page_writes_the_cookie() {
        let change = |page, backend| Change {
            page,
            backend: Some(backend),
        };
        assert!(on_change(
            &change(THERE, Backend::Cookie),
            HERE,
            Backend::Cookie
        ));
        assert!(!on_change(
            &change(HERE, Backend::Cookie),
            HERE,
            Backend::Cookie
        ));
        for (sender, here) in [
            (Backend::Local, Backend::Cookie),
            (Backend::Cookie, Backend::Local),
            (Backend::Cookie, Backend::Memory),
            (Backend::Session, Backend::Session),
        ] {
            assert!(!on_change(&change(THERE, sender), HERE, here));
        }
        let unnamed = Change {
            page: THERE,
            backend: None,
        };
        assert!(!on_change(&unnamed, HERE, Backend::Cookie));
        assert!(announces_writes(Backend::Cookie));
        assert!(!announces_writes(Backend::Local));
    }

    #[test]
    fn copies_the_sender_could_not_reach_go_if_older() {
        let cases = [
            (Backend::Session, Backend::Session),
            (Backend::Memory, Backend::Memory),
            (Backend::Local, Backend::Session),
            (Backend::Local, Backend::Memory),
            (Backend::Session, Backend::Memory),
        ];
        for (sender, here) in cases {
            assert_eq!(
                on_message(&logout(THERE, sender), HERE, here),
                Action::ClearIfOlder,
                "{sender:?} -> {here:?}"
            );
        }
    }

    #[test]
    fn a_sender_that_does_not_name_its_backend_shares_nothing() {
        let logout = Logout {
            id: f64::NAN,
            page: THERE,
            backend: None,
        };
        for backend in [Backend::Session, Backend::Memory] {
            assert_eq!(on_message(&logout, HERE, backend), Action::ClearIfOlder);
        }
    }

    #[test]
    fn peers_of_the_page_share_every_backend() {
        for backend in [Backend::Local, Backend::Session, Backend::Memory] {
            assert_eq!(
                on_peer_logout(&logout(HERE, backend), backend),
                Action::Reread
            );
        }
        assert_eq!(
            on_peer_logout(&logout(HERE, Backend::Local), Backend::Session),
            Action::ClearIfOlder
        );
    }

    #[test]
    fn copies_written_knowing_of_another_logout_predate_it() {
        assert!(predates(Some(0.3), 0.5), "written after an earlier logout");
        assert!(predates(Some(NO_LOGOUT), 0.5), "written knowing of none");
        assert!(
            !predates(Some(0.5), 0.5),
            "written after this logout: an account switch, however fast"
        );
        assert!(!predates(None, 0.5), "a token it cannot date is left alone");
        assert!(
            predates(Some(0.5), f64::NAN),
            "a logout from an older sender ends every dated copy"
        );
    }

    #[test]
    fn order_does_not_depend_on_the_clock() {
        // A login after a logout elsewhere, with the clock stepped back meanwhile: the copy knew of
        // the logout, so the mark leaves it alone whatever the clock said.
        let mark = Mark::new(0.5, 10_000.0, Some(20_000.0));
        assert_eq!(
            on_mark(&mark, Backend::Session, true, Some(0.5), 5_000.0),
            MarkAction::Keep
        );
    }

    #[test]
    fn a_mark_lasts_until_the_removed_token_would_have_expired() {
        assert_eq!(
            Mark::new(0.5, 1000.0, Some(5000.0)),
            Mark {
                id: 0.5,
                until: 5000.0
            }
        );
        assert_eq!(Mark::new(0.5, 1000.0, None).until, 1000.0 + 86_400_000.0);
        assert_eq!(
            Mark::new(0.5, 1000.0, Some(10.0)).until,
            1000.0,
            "an expired token: the mark still informs tabs that run at once"
        );
    }

    #[test]
    fn a_tab_that_runs_again_ends_copies_older_than_the_mark() {
        let mark = Mark::new(0.5, 1000.0, Some(5000.0));
        for backend in [Backend::Session, Backend::Memory] {
            assert_eq!(
                on_mark(&mark, backend, true, Some(0.25), 2000.0),
                MarkAction::ClearOwnCopy
            );
            assert_eq!(
                on_mark(&mark, backend, true, None, 2000.0),
                MarkAction::Keep
            );
            assert_eq!(
                on_mark(&mark, backend, true, Some(0.5), 2000.0),
                MarkAction::Keep,
                "a login after the logout stays"
            );
            assert_eq!(
                on_mark(&mark, backend, false, None, 2000.0),
                MarkAction::Keep
            );
            assert_eq!(
                on_mark(&mark, backend, true, Some(0.25), 5001.0),
                MarkAction::Forget
            );
        }
        for shared in [Backend::Local, Backend::Cookie] {
            assert_eq!(
                on_mark(&mark, shared, true, Some(0.25), 2000.0),
                MarkAction::Keep,
                "shared storage was cleared by the logout itself"
            );
        }
    }

    #[test]
    fn a_refresh_sees_a_logout_by_the_mark_or_by_the_page() {
        let mut known = KnownLogouts::default();
        let began = known;
        known.read_mark(NO_LOGOUT);
        assert!(!known.logged_out_since(&began));
        known.read_mark(0.5);
        assert!(known.logged_out_since(&began), "another tab's mark");
        assert_eq!(known.latest(), 0.5);

        let began = known;
        known.read_mark(0.5);
        assert!(!known.logged_out_since(&began), "the same mark again");
        known.read_mark(NO_LOGOUT);
        assert!(
            !known.logged_out_since(&began),
            "a mark forgotten meanwhile is no logout"
        );
        assert_eq!(known.latest(), 0.5, "copies written now still knew of it");

        let began = known;
        known.hear(0.75);
        assert!(
            known.logged_out_since(&began),
            "a message, or this page's own logout, before the mark reaches this process"
        );
        assert_eq!(known.latest(), 0.75);
        // The stale mark still in this process's storage does not undo what the page heard.
        known.read_mark(NO_LOGOUT);
        assert_eq!(known.latest(), 0.75);
        known.read_mark(0.75);
        assert_eq!(known.latest(), 0.75);
    }
}
