//! Browser tests of auto-login, subscriptions, expiry events and cross-tab sync, with real timers, real
//! history navigation, and a same-origin iframe standing in for another tab: its storage writes fire
//! genuine `storage` events here, and its BroadcastChannel is a separate sender.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Reflect, JSON};
use tokenstore::wasm::TokenStore;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

// The token maker the crate's own unit tests use: one for every Rust test.
#[allow(dead_code)]
#[path = "../src/test_tokens.rs"]
mod test_tokens;
use test_tokens::token;

fn now() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// A token valid for `seconds` from now (fractions allowed).
fn token_for(seconds: f64, sub: &str) -> String {
    token(&format!(r#"{{"sub":"{sub}","exp":{}}}"#, now() + seconds))
}

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

fn local() -> web_sys::Storage {
    window().local_storage().unwrap().unwrap()
}

fn store(options: &str) -> TokenStore {
    TokenStore::new(Some(JSON::parse(options).unwrap().unchecked_into())).unwrap()
}

fn prop(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(name)).unwrap()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Waits until the clock has passed `exp` (seconds) and the timers due by then have run: a timer due
/// later runs after them.
async fn past(exp: f64) {
    until("the time to pass", || now() > exp).await;
    sleep(10).await;
}

/// Waits until `done()` holds, looking every 10 ms; fails naming `what` after five seconds.
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = js_sys::Date::now() + 5000.0;
    while !done() {
        assert!(
            js_sys::Date::now() < deadline,
            "timed out waiting for {what}"
        );
        sleep(10).await;
    }
}

/// A JS function that records the arguments of every call.
struct Recorder {
    calls: Rc<RefCell<Vec<(JsValue, JsValue)>>>,
    function: Closure<dyn FnMut(JsValue, JsValue)>,
}

impl Recorder {
    fn new() -> Recorder {
        let calls = Rc::new(RefCell::new(Vec::new()));
        let sink = Rc::clone(&calls);
        let function = Closure::new(move |a, b| sink.borrow_mut().push((a, b)));
        Recorder { calls, function }
    }

    fn function(&self) -> JsValue {
        self.function.as_ref().clone()
    }

    fn count(&self) -> usize {
        self.calls.borrow().len()
    }

    fn arg(&self, call: usize) -> JsValue {
        self.calls.borrow()[call].0.clone()
    }

    fn args(&self, call: usize) -> (JsValue, JsValue) {
        self.calls.borrow()[call].clone()
    }
}

/// `onLogin` and `onLogout` recorders and the handlers object holding them.
struct Hooks {
    login: Recorder,
    logout: Recorder,
}

impl Hooks {
    fn new() -> Hooks {
        Hooks {
            login: Recorder::new(),
            logout: Recorder::new(),
        }
    }

    fn handlers(&self) -> tokenstore::wasm::AutoLoginHandlers {
        let handlers = Object::new();
        Reflect::set(&handlers, &"onLogin".into(), &self.login.function()).unwrap();
        Reflect::set(&handlers, &"onLogout".into(), &self.logout.function()).unwrap();
        handlers.unchecked_into()
    }

    fn logouts(&self) -> Vec<String> {
        (0..self.logout.count())
            .map(|i| self.logout.arg(i).as_string().unwrap())
            .collect()
    }
}

/// A same-origin iframe: another document on the same storage, like another tab.
struct OtherTab {
    frame: web_sys::HtmlIFrameElement,
}

impl OtherTab {
    fn open() -> OtherTab {
        let document = window().document().unwrap();
        let frame: web_sys::HtmlIFrameElement =
            document.create_element("iframe").unwrap().unchecked_into();
        document.body().unwrap().append_child(&frame).unwrap();
        OtherTab { frame }
    }

    fn window(&self) -> web_sys::Window {
        self.frame.content_window().unwrap()
    }

    fn local(&self) -> web_sys::Storage {
        self.window().local_storage().unwrap().unwrap()
    }

    /// A BroadcastChannel made by the other document.
    fn channel(&self, name: &str) -> JsValue {
        let constructor: Function = prop(&self.window(), "BroadcastChannel").unchecked_into();
        Reflect::construct(&constructor, &js_sys::Array::of1(&name.into())).unwrap()
    }
}

impl Drop for OtherTab {
    fn drop(&mut self) {
        self.frame.remove();
    }
}

fn post(channel: &JsValue, message: &JsValue) {
    let post: Function = prop(channel, "postMessage").unchecked_into();
    post.call1(channel, message).unwrap();
}

fn close(channel: &JsValue) {
    let close: Function = prop(channel, "close").unchecked_into();
    close.call0(channel).unwrap();
}

fn call0(function: &JsValue) -> JsValue {
    function
        .unchecked_ref::<Function>()
        .call0(&JsValue::UNDEFINED)
        .unwrap()
}

fn status(snapshot: &JsValue) -> String {
    prop(snapshot, "status").as_string().unwrap()
}

#[wasm_bindgen_test]
fn auto_login_runs_at_once_when_the_document_has_loaded() {
    local().clear().unwrap();
    let jwt = token_for(3600.0, "ana");
    local().set_item("hooks.loaded", &jwt).unwrap();
    let store = store(r#"{"key":"hooks.loaded"}"#);
    let hooks = Hooks::new();
    let _auto = store.auto_login(hooks.handlers()).unwrap();
    assert_eq!(hooks.login.count(), 1, "onLogin runs during autoLogin()");
    let (token, claims) = hooks.login.args(0);
    assert_eq!(token.as_string(), Some(jwt));
    assert_eq!(prop(&claims, "sub").as_string().as_deref(), Some("ana"));
    assert_eq!(hooks.logout.count(), 0);
    window()
        .dispatch_event(&web_sys::Event::new("popstate").unwrap())
        .unwrap();
    assert_eq!(hooks.login.count(), 1, "never twice for one state");
}

#[wasm_bindgen_test]
fn no_token_at_start_up_calls_nothing() {
    local().clear().unwrap();
    let store = store(r#"{"key":"hooks.none"}"#);
    let hooks = Hooks::new();
    let _auto = store.auto_login(hooks.handlers()).unwrap();
    assert_eq!((hooks.login.count(), hooks.logout.count()), (0, 0));
}

#[wasm_bindgen_test]
fn an_expired_token_at_start_up_is_a_logout_not_a_login() {
    local().clear().unwrap();
    local()
        .set_item("hooks.expired", &token_for(-10.0, "old"))
        .unwrap();
    let store = store(r#"{"key":"hooks.expired"}"#);
    let hooks = Hooks::new();
    let _auto = store.auto_login(hooks.handlers()).unwrap();
    assert_eq!(hooks.login.count(), 0);
    assert_eq!(hooks.logouts(), ["expired"]);
    assert_eq!(status(&store.get_snapshot()), "expired");
}

#[wasm_bindgen_test]
fn a_malformed_value_at_start_up_is_removed_and_reported_as_invalid() {
    local().clear().unwrap();
    local()
        .set_item("hooks.garbage", "eyJhbGciOi...truncated")
        .unwrap();
    let store = store(r#"{"key":"hooks.garbage"}"#);
    let hooks = Hooks::new();
    let _auto = store.auto_login(hooks.handlers()).unwrap();
    assert_eq!(hooks.login.count(), 0);
    assert_eq!(hooks.logouts(), ["invalid"]);
    assert_eq!(local().get_item("hooks.garbage").unwrap(), None);
}

#[wasm_bindgen_test]
fn login_and_logout_in_this_page() {
    local().clear().unwrap();
    let store = store(r#"{"key":"hooks.page"}"#);
    let hooks = Hooks::new();
    let _auto = store.auto_login(hooks.handlers()).unwrap();
    let first = token_for(3600.0, "a");
    store.set(first.clone().into()).unwrap();
    store.set(first.into()).unwrap();
    assert_eq!(
        hooks.login.count(),
        1,
        "setting the same token again is not a new login"
    );
    store.set(token_for(3600.0, "b").into()).unwrap();
    assert_eq!(hooks.login.count(), 2, "a different token is");
    store.clear().unwrap();
    assert_eq!(hooks.logouts(), ["logout"]);
    store.set(token_for(-1.0, "expired").into()).unwrap();
    assert_eq!(hooks.login.count(), 2, "an expired token never logs in");
    let not_yet = token(&format!(r#"{{"nbf":{}}}"#, now() + 3600.0));
    store.set(not_yet.into()).unwrap();
    assert_eq!(hooks.login.count(), 2, "nor does one that is not valid yet");
}

#[wasm_bindgen_test]
async fn popstate_rechecks_after_the_token_was_removed_meanwhile() {
    local().clear().unwrap();
    local()
        .set_item("hooks.popstate", &token_for(3600.0, "p"))
        .unwrap();
    let store = store(r#"{"key":"hooks.popstate"}"#);
    let hooks = Hooks::new();
    let _auto = store.auto_login(hooks.handlers()).unwrap();
    assert_eq!(hooks.login.count(), 1);

    // Removed by this page's own code, which fires no storage event here: only popstate can tell.
    local().remove_item("hooks.popstate").unwrap();
    let history = window().history().unwrap();
    history
        .push_state_with_url(&JsValue::NULL, "", Some("#popstate-test"))
        .unwrap();
    history.back().unwrap();
    until("the logout", || hooks.logout.count() > 0).await;
    assert_eq!(hooks.logouts(), ["removed"]);
}

#[wasm_bindgen_test]
async fn a_year_long_token_does_not_expire_at_once() {
    local().clear().unwrap();
    let store = store(r#"{"key":"hooks.year"}"#);
    let hooks = Hooks::new();
    let expired = Recorder::new();
    let _off = store.on("expired".into(), expired.function()).unwrap();
    let _auto = store.auto_login(hooks.handlers()).unwrap();
    // Beyond 2^31 - 1 ms (24.8 days), a naive setTimeout fires at once.
    store
        .set(token_for(365.0 * 86400.0, "year").into())
        .unwrap();
    // Timers run in the order they are due: one the store set to fire at once has run before this.
    sleep(1).await;
    assert_eq!(expired.count(), 0);
    assert_eq!(hooks.logout.count(), 0);
    assert_eq!(status(&store.get_snapshot()), "authenticated");
}

#[wasm_bindgen_test]
async fn expiring_then_expired_with_a_short_token() {
    local().clear().unwrap();
    let store = store(r#"{"key":"hooks.short","expiringIn":1}"#);
    let hooks = Hooks::new();
    let order = Rc::new(RefCell::new(Vec::<&str>::new()));
    let (on_expiring, on_expired) = {
        let (a, b) = (Rc::clone(&order), Rc::clone(&order));
        (
            Closure::<dyn FnMut(JsValue)>::new(move |snapshot| {
                assert_eq!(status(&snapshot), "authenticated");
                a.borrow_mut().push("expiring");
            }),
            Closure::<dyn FnMut(JsValue)>::new(move |snapshot| {
                assert_eq!(status(&snapshot), "expired");
                b.borrow_mut().push("expired");
            }),
        )
    };
    let _a = store
        .on("expiring".into(), on_expiring.as_ref().clone())
        .unwrap();
    let _b = store
        .on("expired".into(), on_expired.as_ref().clone())
        .unwrap();
    let _auto = store.auto_login(hooks.handlers()).unwrap();
    let exp = now() + 1.6;
    store.set(token_for(1.6, "short").into()).unwrap();
    assert_eq!(hooks.login.count(), 1);
    assert!(order.borrow().is_empty(), "outside the 1 s window");
    until("expiring", || !order.borrow().is_empty()).await;
    assert!(now() >= exp - 1.0, "expiring only within the last second");
    assert_eq!(*order.borrow(), ["expiring"]);
    until("expired", || order.borrow().len() == 2).await;
    assert!(now() >= exp, "expired only once exp has passed");
    assert_eq!(*order.borrow(), ["expiring", "expired"]);
    assert_eq!(hooks.logouts(), ["expired"]);
    assert_eq!(status(&store.get_snapshot()), "expired");
    sleep(300).await;
    assert_eq!(order.borrow().len(), 2, "each fires once");
}

#[wasm_bindgen_test]
fn snapshots_are_identical_until_a_change() {
    local().clear().unwrap();
    let store = store(r#"{"key":"snap"}"#);
    let first = store.get_snapshot();
    assert!(Object::is(&first, &store.get_snapshot()), "same object");
    assert_eq!(status(&first), "anonymous");
    assert!(prop(&first, "token").is_null());
    assert_eq!(
        prop(&first, "backend").as_string().as_deref(),
        Some("local")
    );

    let jwt = token_for(3600.0, "s");
    store.set(jwt.clone().into()).unwrap();
    let second = store.get_snapshot();
    assert!(!Object::is(&first, &second));
    assert!(Object::is(&second, &store.get_snapshot()));
    assert_eq!(status(&second), "authenticated");
    assert_eq!(prop(&second, "token").as_string(), Some(jwt));
    assert!(prop(&second, "expiresAt").as_f64().is_some());
    assert!(Object::is_frozen(second.unchecked_ref::<Object>()));
}

#[wasm_bindgen_test]
fn svelte_style_subscription() {
    local().clear().unwrap();
    let store = store(r#"{"key":"svelte"}"#);
    let run = Recorder::new();
    let unsubscribe = store.subscribe(run.function()).unwrap();
    assert_eq!(run.count(), 1, "called at once");
    assert_eq!(status(&run.arg(0)), "anonymous");
    store.set(token_for(3600.0, "s").into()).unwrap();
    assert_eq!(run.count(), 2);
    assert_eq!(status(&run.arg(1)), "authenticated");
    let _ = store.claims().unwrap();
    assert_eq!(run.count(), 2, "reads are not changes");
    call0(&unsubscribe);
    call0(&unsubscribe);
    store.clear().unwrap();
    assert_eq!(run.count(), 2, "no calls after unsubscribe");
}

#[wasm_bindgen_test]
fn react_style_subscription() {
    local().clear().unwrap();
    let store = store(r#"{"key":"react"}"#);
    // What useSyncExternalStore(store.subscribe, store.getSnapshot) does.
    let before = store.get_snapshot();
    let notified = Recorder::new();
    let unsubscribe = store.subscribe(notified.function()).unwrap();
    assert!(
        Object::is(&before, &store.get_snapshot()),
        "subscribing changes nothing"
    );
    store.set(token_for(3600.0, "r").into()).unwrap();
    let after = store.get_snapshot();
    assert!(!Object::is(&before, &after));
    assert!(Object::is(&notified.arg(notified.count() - 1), &after));
    call0(&unsubscribe);
}

#[wasm_bindgen_test]
async fn another_tab_logs_in_and_out_through_storage_events() {
    local().clear().unwrap();
    let store = store(r#"{"key":"tabs.local"}"#);
    let hooks = Hooks::new();
    let changes = Recorder::new();
    let _auto = store.auto_login(hooks.handlers()).unwrap();
    let _off = store.on("change".into(), changes.function()).unwrap();
    let other = OtherTab::open();

    let jwt = token_for(3600.0, "elsewhere");
    other.local().set_item("tabs.local", &jwt).unwrap();
    until("the login", || hooks.login.count() > 0).await;
    assert_eq!(hooks.login.count(), 1);
    assert_eq!(hooks.login.arg(0).as_string(), Some(jwt));
    assert_eq!(status(&changes.arg(changes.count() - 1)), "authenticated");

    // Storage events arrive in order: once the removal is heard, so was the unrelated key.
    let settled = changes.count();
    other.local().set_item("unrelated.key", "x").unwrap();
    other.local().remove_item("tabs.local").unwrap();
    until("the logout", || hooks.logout.count() > 0).await;
    assert_eq!(hooks.logouts(), ["removed"]);
    assert_eq!(changes.count(), settled + 1);
    assert_eq!(status(&changes.arg(settled)), "anonymous");
}

#[wasm_bindgen_test]
async fn a_broadcast_logout_reaches_session_and_memory_stores() {
    for backend in ["session", "memory"] {
        let key = format!("tabs.{backend}");
        let store = store(&format!(r#"{{"key":"{key}","backend":"{backend}"}}"#));
        store.set(token_for(3600.0, backend).into()).unwrap();
        let hooks = Hooks::new();
        let _auto = store.auto_login(hooks.handlers()).unwrap();
        assert_eq!(hooks.login.count(), 1);

        let other = OtherTab::open();
        let channel = other.channel(&format!("tokenstore:{key}"));
        post(&channel, &JSON::parse(r#"{"type":"logout"}"#).unwrap());
        until("the logout", || hooks.logout.count() > 0).await;
        close(&channel);
        assert_eq!(hooks.logouts(), ["removed"], "{backend}");
        assert!(
            store.get().unwrap().is_null(),
            "{backend}: our copy is gone too"
        );
    }
}

#[wasm_bindgen_test]
async fn clear_broadcasts_a_logout_without_token_material() {
    local().clear().unwrap();
    let store = store(r#"{"key":"tabs.broadcast","backend":"session"}"#);
    let jwt = token_for(3600.0, "secret-subject");
    store.set(jwt.clone().into()).unwrap();
    let other = OtherTab::open();
    let channel = other.channel("tokenstore:tabs.broadcast");
    let received = Recorder::new();
    let on_message = Closure::<dyn FnMut(JsValue)>::new({
        let sink = Rc::clone(&received.calls);
        move |event: JsValue| {
            sink.borrow_mut()
                .push((prop(&event, "data"), JsValue::UNDEFINED))
        }
    });
    Reflect::set(&channel, &"onmessage".into(), on_message.as_ref()).unwrap();
    store.clear().unwrap();
    until("the message", || received.count() > 0).await;
    close(&channel);
    assert_eq!(received.count(), 1);
    let message = received.arg(0);
    let keys = JSON::stringify(&Object::keys(message.unchecked_ref::<Object>()))
        .unwrap()
        .as_string()
        .unwrap();
    assert_eq!(keys, r#"["type","id","page","backend"]"#);
    assert_eq!(
        prop(&message, "type").as_string().as_deref(),
        Some("logout")
    );
    assert_eq!(
        prop(&message, "backend").as_string().as_deref(),
        Some("session")
    );
    let text = JSON::stringify(&message).unwrap().as_string().unwrap();
    assert!(!text.contains(&jwt[..20]));
    assert!(!text.contains(&jwt[jwt.len() - 20..]));
}

#[wasm_bindgen_test]
async fn nothing_fires_after_dispose() {
    local().clear().unwrap();
    let store = store(r#"{"key":"life.dispose"}"#);
    let hooks = Hooks::new();
    let auto = store.auto_login(hooks.handlers()).unwrap();
    auto.dispose();
    auto.dispose();
    let other = OtherTab::open();
    other
        .local()
        .set_item("life.dispose", &token_for(3600.0, "x"))
        .unwrap();
    let exp = now() + 0.3;
    store.set(token_for(0.3, "y").into()).unwrap();
    past(exp).await;
    assert_eq!((hooks.login.count(), hooks.logout.count()), (0, 0));
}

#[wasm_bindgen_test]
async fn nothing_fires_after_free() {
    local().clear().unwrap();
    let hooks = Hooks::new();
    let changes = Recorder::new();
    let expired = Recorder::new();
    let run = Recorder::new();
    let exp = now() + 0.3;
    let unsubscribe = {
        let store = store(r#"{"key":"life.free","expiringIn":0}"#);
        let _auto = store.auto_login(hooks.handlers()).unwrap();
        let _off = store.on("change".into(), changes.function()).unwrap();
        let _off = store.on("expired".into(), expired.function()).unwrap();
        let unsubscribe = store.subscribe(run.function()).unwrap();
        store.set(token_for(0.3, "brief").into()).unwrap();
        store.free_store();
        unsubscribe
    };
    let counts = || {
        (
            hooks.login.count(),
            hooks.logout.count(),
            changes.count(),
            expired.count(),
            run.count(),
        )
    };
    let before = counts();
    let other = OtherTab::open();
    // Heard here once every listener of the page has had the other tab's storage event.
    let heard = Rc::new(std::cell::Cell::new(false));
    let on_storage = Closure::<dyn FnMut()>::new({
        let heard = Rc::clone(&heard);
        move || heard.set(true)
    });
    window()
        .add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref())
        .unwrap();
    other.local().remove_item("life.free").unwrap();
    until("the storage event", || heard.get()).await;
    past(exp).await;
    window()
        .remove_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref())
        .unwrap();
    assert_eq!(
        counts(),
        before,
        "no storage event, timer or channel reaches a freed store"
    );
    // Svelte may unsubscribe after the store is gone: that must do nothing, not throw.
    unsubscribe
        .unchecked_ref::<Function>()
        .call0(&JsValue::UNDEFINED)
        .unwrap();
    assert!(TokenStore::new(None).is_ok(), "the module still works");
}

#[wasm_bindgen_test]
fn bad_listener_arguments_are_typed_errors() {
    let store = store(r#"{"key":"bad.listeners"}"#);
    let code =
        |result: Result<JsValue, JsValue>| prop(&result.unwrap_err(), "code").as_string().unwrap();
    let function = Recorder::new();
    assert_eq!(
        code(store.on("chnage".into(), function.function())),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        code(store.on(JsValue::NULL, function.function())),
        "INVALID_ARGUMENT"
    );
    assert_eq!(
        code(store.on("change".into(), JsValue::from(1))),
        "INVALID_ARGUMENT"
    );
    let thrown = store.subscribe("not a function".into()).unwrap_err();
    assert_eq!(
        prop(&thrown, "code").as_string().as_deref(),
        Some("INVALID_ARGUMENT")
    );
    for bad in [JsValue::from(5), JSON::parse(r#"{"onLogin":1}"#).unwrap()] {
        let error = store.auto_login(bad.unchecked_into()).err().unwrap();
        assert_eq!(
            prop(&error, "code").as_string().as_deref(),
            Some("INVALID_ARGUMENT")
        );
    }
}

#[wasm_bindgen_test]
fn a_full_local_storage_falls_back_to_memory_and_says_so() {
    local().clear().unwrap();
    // Fill localStorage to its quota under other keys.
    let chunk = "x".repeat(512 * 1024);
    let mut junk = 0;
    while local().set_item(&format!("junk.{junk}"), &chunk).is_ok() {
        junk += 1;
        assert!(junk < 200, "no quota reached");
    }
    let small = "y".repeat(1024);
    let mut crumbs = 0;
    while local().set_item(&format!("crumb.{crumbs}"), &small).is_ok() {
        crumbs += 1;
    }

    let store = store(r#"{"key":"full"}"#);
    let fallback = Recorder::new();
    let _off = store.on("fallback".into(), fallback.function()).unwrap();
    let jwt = token(&format!(r#"{{"sub":"big","pad":"{}"}}"#, "z".repeat(4096)));
    store.set(jwt.clone().into()).unwrap();
    local().clear().unwrap();

    assert_eq!(store.backend().unwrap(), "memory");
    assert_eq!(store.get().unwrap().as_string(), Some(jwt));
    assert_eq!(fallback.count(), 1);
    let detail = fallback.arg(0);
    assert_eq!(prop(&detail, "from").as_string().as_deref(), Some("local"));
    assert_eq!(prop(&detail, "to").as_string().as_deref(), Some("memory"));
    assert_eq!(
        prop(&detail, "reason").as_string().as_deref(),
        Some("QUOTA_EXCEEDED")
    );

    // A handler added while the store is in the fallback hears about it at once.
    let late = Recorder::new();
    let _late = store.on("fallback".into(), late.function()).unwrap();
    assert_eq!(late.count(), 1);
    assert!(Object::is(&late.arg(0), &detail));
    // Once the app moves back on purpose, there is no fallback to report.
    store.use_backend("local".into()).unwrap();
    let after = Recorder::new();
    let _after = store.on("fallback".into(), after.function()).unwrap();
    assert_eq!(after.count(), 0);
    assert_eq!(fallback.count(), 1);
    store.clear().unwrap();
}

/// Dispatches `event` built by the page's own constructor `kind` with `init`.
fn dispatch(target: &web_sys::EventTarget, kind: &str, name: &str, init: &str) {
    let constructor: Function = prop(&window(), kind).unchecked_into();
    let args = js_sys::Array::of2(&name.into(), &JSON::parse(init).unwrap());
    let event: web_sys::Event = Reflect::construct(&constructor, &args)
        .unwrap()
        .unchecked_into();
    target.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
fn a_page_restored_from_the_back_forward_cache_is_rechecked() {
    local().clear().unwrap();
    local()
        .set_item("hooks.bfcache", &token_for(3600.0, "b"))
        .unwrap();
    let store = store(r#"{"key":"hooks.bfcache"}"#);
    let hooks = Hooks::new();
    let _auto = store.auto_login(hooks.handlers()).unwrap();
    local().remove_item("hooks.bfcache").unwrap();
    dispatch(
        &window(),
        "PageTransitionEvent",
        "pageshow",
        r#"{"persisted":false}"#,
    );
    assert_eq!(hooks.logout.count(), 0, "an ordinary load is not a restore");
    dispatch(
        &window(),
        "PageTransitionEvent",
        "pageshow",
        r#"{"persisted":true}"#,
    );
    assert_eq!(hooks.logouts(), ["removed"]);
}

#[wasm_bindgen_test]
fn a_page_becoming_visible_is_rechecked() {
    local().clear().unwrap();
    let store = store(r#"{"key":"hooks.visible"}"#);
    let hooks = Hooks::new();
    let _auto = store.auto_login(hooks.handlers()).unwrap();
    // Written by this page's own code: no storage event, so only the visibility check can see it.
    local()
        .set_item("hooks.visible", &token_for(3600.0, "v"))
        .unwrap();
    let document: web_sys::EventTarget = window().document().unwrap().into();
    // A page going to the background is not looked at: `hidden` shadowed on this document says so.
    let hidden = Function::new_with_args(
        "document, value",
        "Object.defineProperty(document, 'hidden', { value, configurable: true })",
    );
    hidden
        .call2(&JsValue::UNDEFINED, &document, &true.into())
        .unwrap();
    dispatch(&document, "Event", "visibilitychange", "{}");
    assert_eq!(hooks.login.count(), 0, "a hidden page is not rechecked");
    hidden
        .call2(&JsValue::UNDEFINED, &document, &false.into())
        .unwrap();
    dispatch(&document, "Event", "visibilitychange", "{}");
    assert_eq!(hooks.login.count(), 1);
    Reflect::delete_property(&document, &"hidden".into()).unwrap();
}

#[wasm_bindgen_test]
// The unbound functions handed out before free(), in JS: lifetimes.rs, every_throw_is_a_token_error.
fn subscribe_and_get_snapshot_are_safe_after_free() {
    local()
        .set_item("life.stale", &token_for(3600.0, "s"))
        .unwrap();
    let store = store(r#"{"key":"life.stale"}"#);
    store.free_store();
    let error = store.subscribe(Recorder::new().function()).unwrap_err();
    assert_eq!(
        prop(&error, "name").as_string().as_deref(),
        Some("TokenError")
    );
    assert_eq!(prop(&error, "code").as_string().as_deref(), Some("FREED"));
    let snapshot = store.get_snapshot();
    assert_eq!(status(&snapshot), "anonymous");
    assert!(prop(&snapshot, "token").is_null());
    assert!(Object::is_frozen(snapshot.unchecked_ref::<Object>()));
    assert!(
        Object::is(&store.get_snapshot(), &snapshot),
        "the same object"
    );
    local().remove_item("life.stale").unwrap();
}
