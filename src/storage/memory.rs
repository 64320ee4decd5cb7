//! The memory backend: a map in this page's memory, shared by every store in the page.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::Storage;
use crate::error::Result;

thread_local! {
    // One map for the whole page, so two stores on the same key see the same token, as they would
    // with localStorage. wasm in the browser is single-threaded; natively each test thread has its own.
    static TOKENS: RefCell<HashMap<String, Rc<str>>> = RefCell::new(HashMap::new());
}

/// The memory backend. Values are lost when the page unloads.
#[derive(Clone, Copy, Debug, Default)]
pub struct MemoryStorage;

impl Storage for MemoryStorage {
    fn read(&self, key: &str) -> Result<Option<Rc<str>>> {
        Ok(TOKENS.with(|tokens| tokens.borrow().get(key).cloned()))
    }

    fn write(&self, key: &str, value: &str) -> Result<()> {
        TOKENS.with(|tokens| tokens.borrow_mut().insert(key.to_owned(), Rc::from(value)));
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<()> {
        TOKENS.with(|tokens| tokens.borrow_mut().remove(key));
        Ok(())
    }
}
