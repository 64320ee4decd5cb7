//! Which logout news a store acts on, and how. Pure: the facade sends, stores and reads the news.
//!
//! A `clear()` removes the token from every backend it can reach (localStorage, its tab's
//! sessionStorage, its page's memory), tells the page's other stores directly, tells running tabs by
//! a message, and leaves a mark in localStorage for tabs that are not running (in the back/forward
//! cache, frozen, discarded, reloading): they read it when they run again. Neither the message nor
//! the mark holds token material: only when the logout happened (and, for the message, on which
//! backend and from which page). A page never acts on its own messages, and a logout never removes a
//! token stored after it.
//!
//! A cookie store's `set()` (and a move into or out of the cookie) also posts a [`Change`], as token
//! free: other tabs hear of localStorage writes through the `storage` event, but browsers without
//! the Cookie Store API have no event for a cookie another tab wrote.

use crate::storage::Backend;

/// A logout, as the message on the channel carries it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Logout {
    /// When it happened, in milliseconds since the epoch by the sender's clock (the tabs of one
    /// browser share the clock).
    pub at: f64,
    /// The page that logged out: a random number each page draws once.
    pub page: f64,
    /// The backend the logout removed the token from; `None` from a sender that did not say (an
    /// older version of the package in another tab).
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
    /// Read the backend again, then remove the token if this store first saw it at or before the
    /// logout: it is a copy the sender could not reach (another backend, or another tab's
    /// sessionStorage or memory). A token first seen after the logout stays.
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

/// Whether a token this store first saw, or stored, at `stored_at` (milliseconds since the epoch)
/// predates a logout at `logout_at`. Within the same millisecond the token wins: an account switch,
/// `clear()` then `set()`, easily fits in one, and the new token must stay. A token whose time is
/// unknown (written to sessionStorage by code other than tokenstore) is left alone: the logout
/// removed every copy it could reach, and a token it cannot date may well have come after it.
pub fn predates(stored_at: Option<f64>, logout_at: f64) -> bool {
    stored_at.is_some_and(|stored_at| stored_at < logout_at)
}

/// How long a mark is kept when the logout had no token expiry to go by: a day, in milliseconds.
const MARK_WITHOUT_EXPIRY_MS: f64 = 86_400_000.0;

/// The mark a logout leaves for tabs that were not running.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mark {
    /// When the logout happened, in milliseconds since the epoch.
    pub at: f64,
    /// Until when it matters: the copies it must end are copies of the token the logout removed,
    /// which the browser's clock expires by then anyway. Without an expiry, a day.
    pub until: f64,
}

impl Mark {
    /// The mark of a logout at `at` that removed a token expiring at `expires` (ms, leeway included).
    pub fn new(at: f64, expires: Option<f64>) -> Mark {
        let until = expires.unwrap_or(at + MARK_WITHOUT_EXPIRY_MS);
        Mark {
            at,
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

/// What a store on `backend` holding a token stored at `stored_at` (`None`: unknown) does, at `now`
/// (ms), about `mark`. `has_token` is whether it holds one. Only private copies need the mark:
/// localStorage and cookies are shared, and the logout removed the token there itself.
pub fn on_mark(
    mark: &Mark,
    backend: Backend,
    has_token: bool,
    stored_at: Option<f64>,
    now: f64,
) -> MarkAction {
    if now > mark.until {
        MarkAction::Forget
    } else if !backend.shared_between_tabs() && has_token && predates(stored_at, mark.at) {
        MarkAction::ClearOwnCopy
    } else {
        MarkAction::Keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HERE: f64 = 0.25;
    const THERE: f64 = 0.75;

    fn logout(page: f64, backend: Backend) -> Logout {
        Logout {
            at: 1000.0,
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
            at: 1000.0,
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
    fn only_tokens_stored_by_the_logout_predate_it() {
        assert!(predates(Some(999.0), 1000.0));
        assert!(
            !predates(Some(1000.0), 1000.0),
            "an account switch within a millisecond"
        );
        assert!(!predates(Some(1001.0), 1000.0));
        assert!(
            !predates(None, 1000.0),
            "a token it cannot date is left alone"
        );
    }

    #[test]
    fn a_mark_lasts_until_the_removed_token_would_have_expired() {
        assert_eq!(
            Mark::new(1000.0, Some(5000.0)),
            Mark {
                at: 1000.0,
                until: 5000.0
            }
        );
        assert_eq!(Mark::new(1000.0, None).until, 1000.0 + 86_400_000.0);
        assert_eq!(
            Mark::new(1000.0, Some(10.0)).until,
            1000.0,
            "an expired token: the mark still informs tabs that run at once"
        );
    }

    #[test]
    fn a_tab_that_runs_again_ends_copies_older_than_the_mark() {
        let mark = Mark::new(1000.0, Some(5000.0));
        for backend in [Backend::Session, Backend::Memory] {
            assert_eq!(
                on_mark(&mark, backend, true, Some(900.0), 2000.0),
                MarkAction::ClearOwnCopy
            );
            assert_eq!(
                on_mark(&mark, backend, true, None, 2000.0),
                MarkAction::Keep
            );
            assert_eq!(
                on_mark(&mark, backend, true, Some(1500.0), 2000.0),
                MarkAction::Keep,
                "a login after the logout stays"
            );
            assert_eq!(
                on_mark(&mark, backend, false, None, 2000.0),
                MarkAction::Keep
            );
            assert_eq!(
                on_mark(&mark, backend, true, Some(900.0), 5001.0),
                MarkAction::Forget
            );
        }
        for shared in [Backend::Local, Backend::Cookie] {
            assert_eq!(
                on_mark(&mark, shared, true, Some(900.0), 2000.0),
                MarkAction::Keep,
                "shared storage was cleared by the logout itself"
            );
        }
    }
}
