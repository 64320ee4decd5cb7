//! The store methods JS may call unbound (`const { subscribe, getSnapshot } = store`, as React and
//! Svelte do). Each is a JS function bound to a small object that holds the store, so a function the
//! app keeps keeps its store alive, as a JS closure would, and the garbage collector frees both once
//! neither is reachable.

use alloc::rc::{Rc, Weak};
use core::cell::OnceCell;

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;

use super::exports::Handle;
use super::inner::Inner;

/// What the bound functions call, and what the DPoP plumbing asks (`dpop.rs`): one class for both,
/// as each class carries its own glue in the module. Not part of the API.
#[wasm_bindgen(skip_typescript)]
pub struct StoreFunctions {
    pub(super) inner: Rc<Inner>,
}

#[wasm_bindgen]
impl StoreFunctions {
    /// `subscribe(run)`.
    pub fn subscribe(&self, run: JsValue) -> Result<JsValue, JsValue> {
        Ok(self.inner.subscribe(run)?)
    }

    /// `getSnapshot()`.
    #[wasm_bindgen(js_name = getSnapshot)]
    pub fn get_snapshot(&self) -> JsValue {
        self.inner.snapshot()
    }

    /// `getServerSnapshot()`.
    #[wasm_bindgen(js_name = getServerSnapshot)]
    pub fn get_server_snapshot(&self) -> JsValue {
        self.inner.server_snapshot()
    }
}

/// The function that removes the listener `id` of `inner`: the `dispose` of a handle like the one
/// `autoLogin` returns, which does nothing after `free()` or a first call.
pub fn unsubscriber(inner: Weak<Inner>, id: u32) -> JsValue {
    bind(&JsValue::from(Handle::new(inner, id)), "dispose")
}

/// `object[name]` bound to `object`.
fn bind(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name))
        .ok()
        .filter(JsValue::is_function)
        .map_or(JsValue::UNDEFINED, |method| {
            method.unchecked_into::<Function>().bind0(object).into()
        })
}

/// A store's bound functions, made on first use and then always the same, so React does not
/// resubscribe on every render.
#[derive(Default)]
pub struct Bound {
    functions: OnceCell<JsValue>,
    subscribe: OnceCell<JsValue>,
    get_snapshot: OnceCell<JsValue>,
    get_server_snapshot: OnceCell<JsValue>,
}

/// The methods `Bound` hands out.
#[derive(Clone, Copy)]
pub enum Method {
    /// `subscribe`
    Subscribe,
    /// `getSnapshot`
    GetSnapshot,
    /// `getServerSnapshot`
    GetServerSnapshot,
}

impl Bound {
    /// `method` bound to the functions object of `inner`.
    pub fn get(&self, inner: &Rc<Inner>, method: Method) -> JsValue {
        let (cell, name) = match method {
            Method::Subscribe => (&self.subscribe, "subscribe"),
            Method::GetSnapshot => (&self.get_snapshot, "getSnapshot"),
            Method::GetServerSnapshot => (&self.get_server_snapshot, "getServerSnapshot"),
        };
        cell.get_or_init(|| {
            let functions = self.functions.get_or_init(|| {
                JsValue::from(StoreFunctions {
                    inner: Rc::clone(inner),
                })
            });
            bind(functions, name)
        })
        .clone()
    }
}
