//! Which logout news a store acts on, and how. Pure: the facade sends and receives the messages.
//!
//! A `clear()` tells the page's other stores directly and other tabs by a message that holds no token
//! material: only when the logout happened, on which backend, and which page sent it. A page never
//! acts on its own messages, and a logout never removes a token that came after it.
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
        return Action::Ignore;
    }
    // Only localStorage and cookies are shared between tabs.
    if backend.shared_between_tabs() && logout.backend == Some(backend) {
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

/// Whether a token this store first saw at `seen_at` (milliseconds since the epoch; `None` when it
/// has no token) predates `logout`. At the same instant the logout wins.
pub fn predates(seen_at: Option<f64>, logout: &Logout) -> bool {
    seen_at.is_some_and(|seen_at| seen_at <= logout.at)
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
        for backend in [Backend::Local, Backend::Cookie] {
            assert_eq!(
                on_message(&logout(THERE, backend), HERE, backend),
                Action::Reread
            );
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
            (Backend::Session, Backend::Local),
            (Backend::Memory, Backend::Local),
            (Backend::Cookie, Backend::Local),
            (Backend::Local, Backend::Cookie),
            (Backend::Memory, Backend::Cookie),
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
        for backend in [Backend::Local, Backend::Session, Backend::Memory] {
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
    fn only_tokens_seen_by_the_logout_predate_it() {
        let logout = logout(THERE, Backend::Local);
        assert!(predates(Some(999.0), &logout));
        assert!(predates(Some(1000.0), &logout));
        assert!(!predates(Some(1001.0), &logout));
        assert!(!predates(None, &logout));
    }
}
