//! The cookie backend: the token in a cookie named after the key, which the browser drops when the
//! token expires. This module reads and writes `document.cookie`, with the clock the facade gives it;
//! what to write and which cookie to read are decided in [`crate::cookie`].

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::web_storage::{exception_name, window};
use crate::broadcast::KnownLogouts;
use crate::cookie::{self, CookieOptions, Lifetime, WriteCheck};
use crate::error::{concat, Error, Result};
use crate::storage::Storage;

#[wasm_bindgen]
extern "C" {
    /// A document seen through its `cookie` accessor, which throws `SecurityError` in a sandboxed
    /// frame without `allow-same-origin`.
    type CookieDocument;

    /// A `JsValue`, not a `String`: a page may redefine the getter to answer anything, and the glue
    /// would hand a non-string to the allocator as a zero-length string, corrupting it.
    #[wasm_bindgen(method, getter, catch, js_name = cookie)]
    fn cookie(this: &CookieDocument) -> core::result::Result<JsValue, JsValue>;

    #[wasm_bindgen(method, setter, catch, js_name = cookie)]
    fn set_cookie(this: &CookieDocument, value: &str) -> core::result::Result<(), JsValue>;
}

/// What the cookie backend needs besides the key: the store's cookie options and leeway, and what
/// the page lends it (its clock, its logouts).
#[derive(Clone, Copy)]
pub struct CookieContext<'a> {
    /// The cookie's attributes.
    pub options: &'a CookieOptions,
    /// The store's leeway: the cookie lives until the store would call the token expired.
    pub leeway: f64,
    /// The clock, in seconds since the epoch: the facade's, so that it stays the one place that
    /// reads it.
    pub now: fn() -> f64,
    /// What the page knows of a key's logouts: a write whose cookie is gone when read back was
    /// deleted by another tab's logout, not refused.
    pub logouts: fn(&str) -> KnownLogouts,
}

/// The page's cookies, seen through the [`Storage`] trait.
pub struct CookieStorage {
    document: web_sys::Document,
    options: CookieOptions,
    /// The store's leeway: the cookie lives until the store would call the token expired.
    leeway: f64,
    /// The clock, in seconds since the epoch.
    now: fn() -> f64,
    /// What the page knows of a key's logouts.
    logouts: fn(&str) -> KnownLogouts,
    /// The value last written or read, so that a read hands out the same copy while it is unchanged,
    /// and prefers it over a cookie of the same name on another path.
    last: RefCell<Option<Rc<str>>>,
    /// Values of the key's name that stayed visible after the store deleted its own cookie: they
    /// belong to another path or domain, and are not the store's.
    foreign: RefCell<Vec<String>>,
    /// What the store's cookie holds when it was cleared beside another path's or domain's cookie.
    tombstone: String,
}

/// Opens the page's cookies. `StorageUnavailable` where there is no document, where the browser says
/// cookies are disabled, or where reading them throws (a sandboxed frame).
pub fn open(context: CookieContext<'_>) -> Result<CookieStorage> {
    let unavailable = || Error::StorageUnavailable("cookies are disabled or out of reach".into());
    let window = window().ok_or_else(unavailable)?;
    let get = |target: &JsValue, name: &str| js_sys::Reflect::get(target, &JsValue::from_str(name));
    // Only an explicit `false` counts: a browser without the flag may still keep cookies, and the
    // first write finds out.
    let enabled = get(&window, "navigator")
        .and_then(|navigator| get(&navigator, "cookieEnabled"))
        .map_or(true, |enabled| enabled.as_bool() != Some(false));
    if !enabled {
        return Err(unavailable());
    }
    let document = window.document().ok_or_else(unavailable)?;
    let storage = CookieStorage {
        document,
        options: context.options.clone(),
        tombstone: cookie::tombstone(context.options),
        leeway: context.leeway,
        now: context.now,
        logouts: context.logouts,
        last: RefCell::new(None),
        foreign: RefCell::new(Vec::new()),
    };
    storage.all()?;
    Ok(storage)
}

impl CookieStorage {
    /// `document.cookie`; `StorageUnavailable` when it throws or is not a string.
    fn all(&self) -> Result<String> {
        self.document
            .unchecked_ref::<CookieDocument>()
            .cookie()
            .map_err(|error| blocked(&error))?
            .as_string()
            .ok_or_else(|| Error::StorageUnavailable("document.cookie is not a string".into()))
    }

    /// Adds `values` to those known to be another path's or domain's.
    fn remember_foreign<'a>(&self, values: impl Iterator<Item = &'a str>) {
        let mut foreign = self.foreign.borrow_mut();
        for value in values {
            if !foreign.iter().any(|other| other == value) {
                foreign.push(value.into());
            }
        }
    }

    /// Writes a probe cookie beside `key`'s with the store's attributes, reads it back and deletes
    /// it: whether the browser takes such cookies at all, after a write that left the jar as it was.
    /// A probe too long for a cookie proves nothing: refused.
    fn probe(&self, key: &str) -> Result<WriteCheck> {
        let name = cookie::probe_name(key);
        let Some(text) = cookie::tombstone_string(&name, &self.options) else {
            return Ok(WriteCheck::Refused);
        };
        self.assign(&text)?;
        let verdict = cookie::probe_check(&self.all()?, &name, &self.tombstone);
        self.assign(&cookie::delete_string(&name, &self.options))?;
        Ok(verdict)
    }

    /// Assigns `text` to `document.cookie`.
    fn assign(&self, text: &str) -> Result<()> {
        self.document
            .unchecked_ref::<CookieDocument>()
            .set_cookie(text)
            .map_err(|error| blocked(&error))
    }
}

/// `document.cookie` threw: a sandboxed frame without `allow-same-origin` (SecurityError).
fn blocked(error: &JsValue) -> Error {
    Error::StorageUnavailable(concat(&["document.cookie threw ", &exception_name(error)]))
}

impl Storage for CookieStorage {
    fn read(&self, key: &str) -> Result<Option<Rc<str>>> {
        let all = self.all()?;
        let mut last = self.last.borrow_mut();
        let picked = cookie::pick(
            &all,
            key,
            &self.tombstone,
            last.as_deref(),
            &self.foreign.borrow(),
        );
        let Some(value) = picked else {
            self.remember_foreign(cookie::beside_tombstone(&all, key, &self.tombstone));
            return Ok(None);
        };
        if let Some(known) = last.as_ref().filter(|known| ***known == *value) {
            return Ok(Some(Rc::clone(known)));
        }
        let value: Rc<str> = Rc::from(value);
        *last = Some(Rc::clone(&value));
        Ok(Some(value))
    }

    fn write(&self, key: &str, value: &str, exp: Option<f64>) -> Result<()> {
        let lifetime = cookie::lifetime(exp, (self.now)(), self.leeway);
        let text = cookie::set_string(key, value, &self.options, lifetime)?;
        if lifetime == Lifetime::Expired {
            // Nothing to keep: a delete, as clear() does.
            return self.remove(key);
        }
        let before = self.all()?;
        let logouts = (self.logouts)(key);
        self.assign(&text)?;
        // The browser says nothing when it refuses a cookie (blocked, Secure on plain http, a Domain
        // the page is not on): only reading it back tells, and another tab may have written since.
        let after = self.all()?;
        let logged_out = (self.logouts)(key).logged_out_since(&logouts);
        match cookie::check_write(&before, &after, key, value, logged_out) {
            WriteCheck::Stored => {
                *self.last.borrow_mut() = Some(Rc::from(value));
                Ok(())
            }
            WriteCheck::Overtaken => Ok(()),
            WriteCheck::Unchanged if self.probe(key)? == WriteCheck::Overtaken => Ok(()),
            WriteCheck::Unchanged | WriteCheck::Refused => Err(Error::StorageUnavailable(
                "the browser refused the cookie".into(),
            )),
        }
    }

    fn remove(&self, key: &str) -> Result<()> {
        // The tombstone first, over the token: a page never sees another path's cookie alone.
        let tombstone = cookie::tombstone_string(key, &self.options);
        if let Some(text) = &tombstone {
            self.assign(text)?;
        }
        *self.last.borrow_mut() = None;
        // Whatever token shows beside the tombstone now is another path's or domain's.
        let all = self.all();
        if let Ok(all) = &all {
            self.remember_foreign(cookie::beside_tombstone(all, key, &self.tombstone));
            if tombstone.is_some() && cookie::shadows(all, key) {
                // Kept: a store made later would take that cookie for the store's.
                return Ok(());
            }
        }
        // Unreadable cookies or nothing to shadow: a plain delete.
        self.assign(&cookie::delete_string(key, &self.options))?;
        all.map(drop)
    }
}
