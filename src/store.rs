//! The state of one token store: which backend holds the token, and the decoded form of what it holds.

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;

use crate::error::{concat, Error, Result};
use crate::jwt::{self, Jwt};
use crate::storage::{Backend, Storage};

/// What a read of the backend found.
#[derive(Debug)]
pub enum Loaded {
    /// A well-formed token (it may still be expired).
    Token(Rc<Jwt>),
    /// Nothing under the key.
    Empty,
    /// Something under the key that is not a token; it has been removed and is reported once.
    Discarded(Error),
}

impl Loaded {
    /// The token, if one was found.
    pub fn token(self) -> Option<Rc<Jwt>> {
        match self {
            Loaded::Token(jwt) => Some(jwt),
            Loaded::Empty | Loaded::Discarded(_) => None,
        }
    }
}

/// One store: a key in one backend, plus the last token decoded from it.
///
/// Every read goes to the backend, so a value another tab wrote is seen, but a value is decoded only
/// when it differs from the one decoded last.
pub struct Store {
    key: String,
    backend: Backend,
    storage: Box<dyn Storage>,
    decoded: Option<Rc<Jwt>>,
    /// The backend's shared copy of `decoded`'s text, once a read has returned it: while the backend
    /// keeps handing out this same copy, the value has not changed and needs no comparison.
    seen: Option<Rc<str>>,
}

impl Store {
    /// A store over `storage`, which must be the storage of `backend`.
    pub fn new(key: String, backend: Backend, storage: Box<dyn Storage>) -> Store {
        Store {
            key,
            backend,
            storage,
            decoded: None,
            seen: None,
        }
    }

    /// The key the token is kept under.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Decodes `token` and, only if it is well-formed, writes it to the backend.
    pub fn set(&mut self, token: &str) -> Result<Rc<Jwt>> {
        let jwt = Rc::new(jwt::decode(token)?);
        self.storage.write(&self.key, token, jwt.times().exp)?;
        self.remember(Some(Rc::clone(&jwt)));
        Ok(jwt)
    }

    /// Removes the token from the backend.
    pub fn clear(&mut self) -> Result<()> {
        self.storage.remove(&self.key)?;
        self.remember(None);
        Ok(())
    }

    /// Reads the backend. A value that is not a well-formed token is removed, so it is reported once.
    pub fn load(&mut self) -> Result<Loaded> {
        let Some(raw) = self.storage.read(&self.key)? else {
            self.remember(None);
            return Ok(Loaded::Empty);
        };
        if let Some(jwt) = &self.decoded {
            let unchanged = self
                .seen
                .as_ref()
                .is_some_and(|seen| Rc::ptr_eq(seen, &raw));
            if unchanged || jwt.raw() == &*raw {
                let jwt = Rc::clone(jwt);
                self.seen = Some(raw);
                return Ok(Loaded::Token(jwt));
            }
        }
        match jwt::decode(&raw) {
            Ok(jwt) => {
                let jwt = Rc::new(jwt);
                self.remember(Some(Rc::clone(&jwt)));
                self.seen = Some(raw);
                Ok(Loaded::Token(jwt))
            }
            Err(error) => {
                self.remember(None);
                self.storage.remove(&self.key)?;
                Ok(Loaded::Discarded(error))
            }
        }
    }

    /// Leaves the current backend for `backend` without taking the token along, as when the current
    /// one turns out to be full or blocked. The key is removed from the old backend on a best-effort
    /// basis, so an older token left there cannot resurface on the next page load.
    pub fn abandon_to(&mut self, backend: Backend, storage: Box<dyn Storage>) {
        let _ = self.storage.remove(&self.key);
        self.backend = backend;
        self.storage = storage;
        self.remember(None);
    }

    /// Makes `decoded` the last token decoded; no read has returned its text yet.
    fn remember(&mut self, decoded: Option<Rc<Jwt>>) {
        self.decoded = decoded;
        self.seen = None;
    }

    /// Moves to `backend`, whose storage is `storage`, taking the token along: write to the new
    /// backend, read it back, and only then remove it from the old one. If any step fails, the
    /// store stays on the old backend with its token, and the new backend is left as it was found
    /// as far as the failure allows.
    ///
    /// With no token, the key is removed from the new backend too, so a stale token left there
    /// cannot log the user back in.
    pub fn switch(&mut self, backend: Backend, storage: Box<dyn Storage>) -> Result<()> {
        if backend == self.backend {
            return Ok(());
        }
        match self.load()?.token() {
            Some(jwt) => {
                storage.write(&self.key, jwt.raw(), jwt.times().exp)?;
                if storage.read(&self.key)?.as_deref() != Some(jwt.raw()) {
                    // Best effort: the write did not stick, so there is nothing worth keeping there.
                    let _ = storage.remove(&self.key);
                    return Err(Error::StorageUnavailable(concat(&[
                        "the ",
                        backend.name(),
                        " backend did not keep the token",
                    ])));
                }
                if let Err(error) = self.storage.remove(&self.key) {
                    let _ = storage.remove(&self.key);
                    return Err(error);
                }
            }
            None => storage.remove(&self.key)?,
        }
        self.backend = backend;
        self.storage = storage;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use super::*;
    use crate::memory::MemoryStorage;
    use crate::test_tokens::token;

    /// A storage whose failures a test chooses, standing in for a browser's full or blocked storage.
    #[derive(Default)]
    struct FaultyStorage {
        values: RefCell<HashMap<String, Rc<str>>>,
        fail_writes: bool,
        drop_writes: bool,
        fail_removes: bool,
        /// The `exp` of every write, in order.
        expiries: RefCell<Vec<Option<f64>>>,
    }

    impl Storage for Rc<FaultyStorage> {
        fn read(&self, key: &str) -> Result<Option<Rc<str>>> {
            Ok(self.values.borrow().get(key).cloned())
        }
        fn write(&self, key: &str, value: &str, exp: Option<f64>) -> Result<()> {
            self.expiries.borrow_mut().push(exp);
            if self.fail_writes {
                return Err(Error::QuotaExceeded("test storage is full".into()));
            }
            if !self.drop_writes {
                self.values.borrow_mut().insert(key.into(), Rc::from(value));
            }
            Ok(())
        }
        fn remove(&self, key: &str) -> Result<()> {
            if self.fail_removes {
                return Err(Error::StorageUnavailable("test storage refuses".into()));
            }
            self.values.borrow_mut().remove(key);
            Ok(())
        }
    }

    fn memory_store(memory: &MemoryStorage, key: &str) -> Store {
        Store::new(key.into(), Backend::Memory, Box::new(memory.clone()))
    }

    #[test]
    fn set_load_clear() {
        let memory = MemoryStorage::default();
        let mut store = memory_store(&memory, "set_load_clear");
        let jwt = token(r#"{"sub":"1","exp":2000}"#);
        store.set(&jwt).unwrap();
        let loaded = store.load().unwrap().token().unwrap();
        assert_eq!(loaded.raw(), jwt);
        assert_eq!(loaded.times().exp, Some(2000.0));
        store.clear().unwrap();
        assert!(matches!(store.load().unwrap(), Loaded::Empty));
    }

    #[test]
    fn malformed_token_is_never_stored() {
        let memory = MemoryStorage::default();
        let mut store = memory_store(&memory, "malformed_token_is_never_stored");
        let good = token(r#"{"sub":"1"}"#);
        store.set(&good).unwrap();
        assert_eq!(
            store.set("not.a.token").unwrap_err().code(),
            "INVALID_BASE64"
        );
        assert_eq!(store.load().unwrap().token().unwrap().raw(), good);
    }

    #[test]
    fn load_reuses_the_decoded_token_until_the_value_changes() {
        let memory = MemoryStorage::default();
        let mut store = memory_store(&memory, "reuse");
        store.set(&token(r#"{"sub":"1"}"#)).unwrap();
        let first = store.load().unwrap().token().unwrap();
        let again = store.load().unwrap().token().unwrap();
        assert!(Rc::ptr_eq(&first, &again));

        // Another store on the same key (another tab, in the browser) replaces the value.
        let other = token(r#"{"sub":"2"}"#);
        memory_store(&memory, "reuse").set(&other).unwrap();
        assert_eq!(store.load().unwrap().token().unwrap().raw(), other);
    }

    /// A storage that hands out a new copy of its value on every read, as a backend without sharing
    /// would. The test keeps a handle on the value, to change it behind the store's back.
    struct CopyingStorage(Rc<RefCell<String>>);

    impl Storage for CopyingStorage {
        fn read(&self, _: &str) -> Result<Option<Rc<str>>> {
            Ok(Some(Rc::from(self.0.borrow().as_str())))
        }
        fn write(&self, _: &str, value: &str, _: Option<f64>) -> Result<()> {
            *self.0.borrow_mut() = value.into();
            Ok(())
        }
        fn remove(&self, _: &str) -> Result<()> {
            Ok(())
        }
    }

    #[test]
    fn an_equal_copy_is_the_same_token_and_a_changed_one_is_not() {
        let value = Rc::new(RefCell::new(token(r#"{"sub":"1"}"#)));
        let storage = Box::new(CopyingStorage(Rc::clone(&value)));
        let mut store = Store::new("k".into(), Backend::Memory, storage);
        let one = store.load().unwrap().token().unwrap();
        let again = store.load().unwrap().token().unwrap();
        assert!(
            Rc::ptr_eq(&one, &again),
            "an equal copy is not decoded again"
        );

        let second = token(r#"{"sub":"2"}"#);
        *value.borrow_mut() = second.clone();
        assert_eq!(store.load().unwrap().token().unwrap().raw(), second);
    }

    #[test]
    fn garbage_in_storage_is_removed_and_reported_once() {
        let memory = MemoryStorage::default();
        let mut store = memory_store(&memory, "garbage");
        memory
            .write("garbage", "{\"not\":\"a token\"}", None)
            .unwrap();
        match store.load().unwrap() {
            Loaded::Discarded(error) => assert_eq!(error.code(), "INVALID_TOKEN"),
            other => panic!("expected Discarded, got {other:?}"),
        }
        assert_eq!(memory.read("garbage").unwrap(), None);
        assert!(matches!(store.load().unwrap(), Loaded::Empty));
    }

    #[test]
    fn switch_moves_the_token_and_leaves_nothing_behind() {
        let memory = MemoryStorage::default();
        let mut store = memory_store(&memory, "switch");
        let jwt = token(r#"{"sub":"1"}"#);
        store.set(&jwt).unwrap();
        let target = Rc::new(FaultyStorage::default());
        store
            .switch(Backend::Session, Box::new(Rc::clone(&target)))
            .unwrap();
        assert_eq!(store.backend(), Backend::Session);
        assert_eq!(
            target.read("switch").unwrap().as_deref(),
            Some(jwt.as_str())
        );
        assert_eq!(memory.read("switch").unwrap(), None);
        assert_eq!(store.load().unwrap().token().unwrap().raw(), jwt);
    }

    #[test]
    fn the_backend_is_told_when_the_token_expires() {
        let storage = Rc::new(FaultyStorage::default());
        let mut store = Store::new("exp".into(), Backend::Cookie, Box::new(Rc::clone(&storage)));
        store.set(&token(r#"{"sub":"1","exp":2000.5}"#)).unwrap();
        store.set(&token(r#"{"sub":"2"}"#)).unwrap();
        store.set(&token(r#"{"sub":"3","exp":3000}"#)).unwrap();
        let target = Rc::new(FaultyStorage::default());
        store
            .switch(Backend::Local, Box::new(Rc::clone(&target)))
            .unwrap();
        assert_eq!(
            *storage.expiries.borrow(),
            [Some(2000.5), None, Some(3000.0)]
        );
        assert_eq!(*target.expiries.borrow(), [Some(3000.0)]);
    }

    #[test]
    fn switch_without_a_token_clears_a_stale_one_in_the_new_backend() {
        let memory = MemoryStorage::default();
        let mut store = memory_store(&memory, "stale");
        let target = Rc::new(FaultyStorage::default());
        target.write("stale", &token("{}"), None).unwrap();
        store
            .switch(Backend::Local, Box::new(Rc::clone(&target)))
            .unwrap();
        assert_eq!(target.read("stale").unwrap(), None);
    }

    #[test]
    fn failed_switch_keeps_the_token_where_it_was() {
        let jwt = token(r#"{"sub":"1"}"#);
        let failures = [
            FaultyStorage {
                fail_writes: true,
                ..Default::default()
            },
            FaultyStorage {
                drop_writes: true,
                ..Default::default()
            },
        ];
        for (i, target) in failures.into_iter().enumerate() {
            let key = format!("failed_switch_{i}");
            let memory = MemoryStorage::default();
            let mut store = memory_store(&memory, &key);
            store.set(&jwt).unwrap();
            let target = Rc::new(target);
            assert!(store
                .switch(Backend::Local, Box::new(Rc::clone(&target)))
                .is_err());
            assert_eq!(store.backend(), Backend::Memory);
            assert_eq!(memory.read(&key).unwrap().as_deref(), Some(jwt.as_str()));
            assert_eq!(target.read(&key).unwrap(), None);
        }
    }

    #[test]
    fn abandon_removes_the_old_copy_without_moving_it() {
        let old = Rc::new(FaultyStorage::default());
        let mut store = Store::new("abandon".into(), Backend::Local, Box::new(Rc::clone(&old)));
        store.set(&token(r#"{"sub":"old"}"#)).unwrap();
        store.abandon_to(Backend::Memory, Box::new(MemoryStorage::default()));
        assert_eq!(store.backend(), Backend::Memory);
        assert_eq!(old.read("abandon").unwrap(), None);
        assert!(matches!(store.load().unwrap(), Loaded::Empty));
    }

    #[test]
    fn switch_that_cannot_remove_the_old_copy_rolls_back() {
        let jwt = token(r#"{"sub":"1"}"#);
        let old = Rc::new(FaultyStorage {
            fail_removes: true,
            ..Default::default()
        });
        let mut store = Store::new("k".into(), Backend::Local, Box::new(Rc::clone(&old)));
        store.set(&jwt).unwrap();
        let new = Rc::new(FaultyStorage::default());
        let error = store
            .switch(Backend::Session, Box::new(Rc::clone(&new)))
            .unwrap_err();
        assert_eq!(error.code(), "STORAGE_UNAVAILABLE");
        assert_eq!(store.backend(), Backend::Local);
        assert_eq!(old.read("k").unwrap().as_deref(), Some(jwt.as_str()));
        assert_eq!(new.read("k").unwrap(), None);
    }
}
