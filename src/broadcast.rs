//! Which logout news a store acts on, and how. Pure: the facade sends and receives the messages.
//!
//! A `clear()` tells the page's other stores directly and other tabs by a message that holds no token
//! material: only when the logout happened, on which backend, and which page sent it. A page never
//! acts on its own messages, and a logout never removes a token that came after it.

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
    // Only localStorage is shared between tabs.
    if backend == Backend::Local && logout.backend == Some(Backend::Local) {
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
    fn shared_local_storage_is_only_read_again() {
        assert_eq!(
            on_message(&logout(THERE, Backend::Local), HERE, Backend::Local),
            Action::Reread
        );
    }

    #[test]
    fn copies_the_sender_could_not_reach_go_if_older() {
        let cases = [
            (Backend::Session, Backend::Session),
            (Backend::Memory, Backend::Memory),
            (Backend::Local, Backend::Session),
            (Backend::Session, Backend::Local),
            (Backend::Memory, Backend::Local),
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
