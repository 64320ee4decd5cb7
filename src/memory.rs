//! The memory backend: a map in this page's memory, pure Rust.

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use crate::error::Result;
use crate::storage::Storage;

/// The memory backend. Clones share one map, so every store given a clone of the page's map sees the
/// same token under the same key, as they would with localStorage. Values are lost when the page unloads.
#[derive(Clone, Debug, Default)]
pub struct MemoryStorage {
    /// Keys and values; a page uses one or two keys, and a map's code weighs kilobytes in the module.
    tokens: Rc<RefCell<Vec<Entry>>>,
}

/// A key and its token.
type Entry = (String, Rc<str>);

impl Storage for MemoryStorage {
    fn read(&self, key: &str) -> Result<Option<Rc<str>>> {
        let tokens = self.tokens.borrow();
        Ok(tokens
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| Rc::clone(v)))
    }

    fn write(&self, key: &str, value: &str, _exp: Option<f64>) -> Result<()> {
        let mut tokens = self.tokens.borrow_mut();
        let value = Rc::from(value);
        match tokens.iter_mut().find(|(k, _)| k == key) {
            Some((_, old)) => *old = value,
            None => tokens.push((key.into(), value)),
        }
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<()> {
        self.tokens.borrow_mut().retain(|(k, _)| k != key);
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
        page.write("k", "v", None).unwrap();
        page.write("k", "w", None).unwrap();
        page.write("j", "x", None).unwrap();
        assert_eq!(other.read("k").unwrap().as_deref(), Some("w"));
        other.remove("k").unwrap();
        assert_eq!(page.read("k").unwrap(), None);
        assert_eq!(page.read("j").unwrap().as_deref(), Some("x"));
        assert_eq!(MemoryStorage::default().read("k").unwrap(), None);
    }
}
