//! The memory backend: a map in this page's memory.

use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use alloc::string::String;
use core::cell::RefCell;

use super::Storage;
use crate::error::Result;

/// The memory backend. Clones share one map, so every store given a clone of the page's map sees the
/// same token under the same key, as they would with localStorage. Values are lost when the page unloads.
#[derive(Clone, Debug, Default)]
pub struct MemoryStorage {
    tokens: Rc<RefCell<BTreeMap<String, Rc<str>>>>,
}

impl Storage for MemoryStorage {
    fn read(&self, key: &str) -> Result<Option<Rc<str>>> {
        Ok(self.tokens.borrow().get(key).cloned())
    }

    fn write(&self, key: &str, value: &str) -> Result<()> {
        self.tokens.borrow_mut().insert(key.into(), Rc::from(value));
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<()> {
        self.tokens.borrow_mut().remove(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_one_map() {
        let page = MemoryStorage::default();
        let other = page.clone();
        page.write("k", "v").unwrap();
        assert_eq!(other.read("k").unwrap().as_deref(), Some("v"));
        other.remove("k").unwrap();
        assert_eq!(page.read("k").unwrap(), None);
        assert_eq!(MemoryStorage::default().read("k").unwrap(), None);
    }
}
