//! Logout everywhere, and the news a store hears from other tabs: `clear()` removes every copy the page
//! can reach, tells the page's other stores, posts the message and leaves the mark; a store hearing of
//! a logout, a change, or running again after missing events does what `crate::broadcast` decides.

use super::backend;
use super::dom::{self, now_ms};
use super::inner::{cookie_context, peers, Inner};
use super::page::page;
use super::records;
use crate::broadcast::{
    self, Action, Change, Logout, LogoutId, Mark, MarkAction, Stored, NO_LOGOUT,
};
use crate::cookie;
use crate::error::Result;
use crate::session::Cause;
use crate::storage::Backend;

impl Inner {
    /// Tells other tabs, without any token, that this page wrote on `backend`, if that is a backend
    /// whose writes the core says to announce.
    pub(super) fn announce(&self, backend: Backend) {
        if !self.server && broadcast::announces_writes(backend) {
            let change = Change {
                page: page().id,
                backend: Some(backend),
            };
            dom::post_change(&self.key(), &change, backend);
        }
    }

    /// Another page wrote or moved the token; reads again if the core says it concerns this store.
    pub fn hear_change(&self, change: &Change) {
        if broadcast::on_change(change, page().id, self.backend()) {
            self.look();
        }
    }

    /// Logs out: removes the token, tells the page's other stores and other tabs, and reports
    /// `onLogout("logout")`.
    pub fn clear(&self) -> Result<()> {
        self.clear_because(Cause::Logout)
    }

    /// A refresh answered `null`: the session is over. Removed as by `clear()`; hooks hear
    /// "refreshFailed".
    pub fn clear_because_refresh_failed(&self) -> Result<()> {
        self.clear_because(Cause::RefreshFailed)
    }

    pub(super) fn clear_because(&self, cause: Cause) -> Result<()> {
        self.check_open()?;
        let expires = self.known.borrow().as_ref().and_then(|jwt| jwt.times().exp);
        self.store()?.clear()?;
        self.discard_dpop_key();
        let logout = Logout {
            id: new_logout_id(),
            page: page().id,
            backend: Some(self.backend()),
        };
        if !self.server {
            let key = self.key();
            // Logout everywhere: the copies this page can reach go now, running tabs hear the message,
            // and tabs that are not running find the mark when they run again.
            for backend in [
                Backend::Local,
                Backend::Session,
                Backend::Memory,
                Backend::Cookie,
            ] {
                // A key that cannot name a cookie has none to remove.
                let reachable = backend != self.backend()
                    && (backend != Backend::Cookie || cookie::check_name(&key).is_ok());
                if !reachable {
                    continue;
                }
                if let Ok(storage) =
                    backend::open(backend, &page().memory, cookie_context(&self.options))
                {
                    let _ = storage.remove(&key);
                }
            }
            records::write_stored(&key, None);
            page().set_memory_stored(&key, None);
            let expires = expires.map(|exp| (exp + self.options.leeway) * 1000.0);
            records::write_mark(&key, Some(&Mark::new(logout.id, now_ms(), expires)));
            page().hear_logout(&key, logout.id);
            dom::post_logout(&key, &logout);
        }
        self.tell_peers(Some(&logout));
        self.look_because(cause);
        Ok(())
    }

    /// Tells the page's other stores on this key that the token changed (they cannot hear a
    /// `storage` event from their own page), or that it logged out.
    pub(super) fn tell_peers(&self, logout: Option<&Logout>) {
        if self.server {
            return;
        }
        let key = self.key();
        let backend = self.backend();
        for peer in peers(self.id) {
            if peer.closed.get() || peer.key() != key {
                continue;
            }
            match logout {
                Some(logout) => {
                    peer.hear_logout(broadcast::on_peer_logout(logout, peer.backend()), logout)
                }
                None if peer.backend() == backend => peer.look(),
                None => {}
            }
        }
    }

    /// A logout elsewhere: does what the core decided.
    pub fn hear_logout(&self, action: Action, logout: &Logout) {
        match action {
            Action::Ignore => {}
            Action::Reread => self.look(),
            Action::ClearIfOlder => {
                // Read first: a token written after the logout is then seen now, after it.
                if self.current().is_err() {
                    return;
                }
                if self.known.borrow().is_some()
                    && broadcast::predates(self.stored.get(), logout.id)
                {
                    self.clear_own_copy();
                }
                self.look();
            }
        }
    }

    /// Removes this store's copy because of a logout elsewhere; the next publish reports it.
    pub(super) fn clear_own_copy(&self) {
        if let Ok(mut store) = self.store.try_borrow_mut() {
            if store.clear().is_ok() {
                self.revoked.set(true);
            }
        }
        self.record_stored(None);
    }

    /// The last logout of the key this page knows of: what a copy written now knows of.
    pub(super) fn latest_logout(&self) -> LogoutId {
        if self.server {
            return NO_LOGOUT;
        }
        page().logouts(&self.key()).latest()
    }

    /// Which logout the writer of the token in the backend knew of, as far as this page can tell:
    /// sessionStorage and the page's memory outlive a store (a reload, a new store), so it is kept
    /// beside them; for localStorage and cookies, or a value no store of this page wrote, it is the
    /// last logout known now, when first seen.
    pub(super) fn stored_record(&self) -> Stored {
        if self.server {
            return Some(NO_LOGOUT);
        }
        match self.backend() {
            Backend::Session => records::read_stored(&self.key()),
            Backend::Memory => page()
                .memory_stored(&self.key())
                .or(Some(self.latest_logout())),
            Backend::Local | Backend::Cookie => Some(self.latest_logout()),
        }
    }

    /// Keeps which logout the writer of this store's token knew of (`None`: removed it) where
    /// [`Inner::stored_record`] finds it.
    pub(super) fn record_stored(&self, stored: Stored) {
        if self.server {
            return;
        }
        match self.backend() {
            Backend::Session => records::write_stored(&self.key(), stored),
            Backend::Memory => page().set_memory_stored(&self.key(), stored),
            Backend::Local | Backend::Cookie => {}
        }
    }

    /// Reads the mark the last logout left, and ends this store's copy if it predates it.
    pub(super) fn check_mark(&self) {
        let backend = self.backend();
        let key = self.key();
        let Some(mark) = records::read_mark(&key) else {
            return;
        };
        page().logouts(&key);
        let Ok(token) = self.current() else { return };
        match broadcast::on_mark(&mark, backend, token.is_some(), self.stored.get(), now_ms()) {
            MarkAction::Keep => {}
            MarkAction::ClearOwnCopy => self.clear_own_copy(),
            MarkAction::Forget => records::write_mark(&key, None),
        }
    }

    /// The page runs again after missing events (restored from the back/forward cache, shown, resumed
    /// after a freeze): a logout may have happened meanwhile.
    pub fn run_again(&self) {
        if self.closed.get() {
            return;
        }
        self.check_mark();
        if let Ok(mut autos) = self.autos.try_borrow_mut() {
            autos.iter_mut().for_each(|entry| entry.auto.retry_now());
        }
        self.look();
    }

    /// A logout message from another page.
    pub fn hear_message(&self, logout: &Logout) {
        let action = broadcast::on_message(logout, page().id, self.backend());
        if action != Action::Ignore {
            page().hear_logout(&self.key(), logout.id);
        }
        self.hear_logout(action, logout);
    }
}

/// A new logout's id: random, and never [`NO_LOGOUT`].
fn new_logout_id() -> LogoutId {
    let id = js_sys::Math::random();
    if id == NO_LOGOUT {
        0.5
    } else {
        id
    }
}
