//! The Rust API in a browser: the issue's names, typed claims, guards that detach on drop, a Rust
//! store and a JS store on one key, and another tab.
#![cfg(target_arch = "wasm32")]

mod common;
#[path = "../src/test_tokens.rs"]
mod test_tokens;

use std::cell::RefCell;
use std::rc::Rc;

use common::{run, run_with};
use js_sys::{Array, Function, Promise};
use tokenstore::{Backend, Event, LogoutReason, Options, RefreshOptions, Subscription, TokenStore};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SCENARIOS: &str = include_str!("scenarios/rust_api.mjs");

#[derive(serde::Deserialize, Debug, PartialEq)]
struct Claims {
    sub: String,
    name: String,
    roles: Vec<String>,
}

/// A token for `sub` named `name`, expiring `seconds` from now.
fn token(sub: &str, name: &str, seconds: f64) -> String {
    let exp = js_sys::Date::now() / 1000.0 + seconds;
    test_tokens::token(&format!(
        r#"{{"sub":"{sub}","name":"{name}","roles":["user"],"exp":{exp}}}"#
    ))
}

/// A promise the page resolves by calling `globalThis[opener]()`.
fn gate(opener: &str) -> JsFuture {
    let make = Function::new_with_args(
        "opener",
        "return new Promise((open) => { globalThis[opener] = open; })",
    );
    let promise: Promise = make
        .call1(&JsValue::NULL, &opener.into())
        .unwrap()
        .unchecked_into();
    JsFuture::from(promise)
}

/// Counts what the page reports from now on (`reportError`, where the store reports a handler that
/// threw): the returned function puts `reportError` back and gives the count.
fn count_reports() -> impl Fn() -> usize {
    let stop = Function::new_no_args(
        "const reported = []; const original = globalThis.reportError; \
         globalThis.reportError = (error) => reported.push(String(error)); \
         return () => { globalThis.reportError = original; return reported.length; };",
    )
    .call0(&JsValue::NULL)
    .unwrap()
    .unchecked_into::<Function>();
    move || stop.call0(&JsValue::NULL).unwrap().as_f64().unwrap_or(-1.0) as usize
}

/// Resolves after `ms` milliseconds of the page's timers.
fn sleep(ms: u32) -> JsFuture {
    let sleep = Function::new_with_args("ms", "return new Promise((done) => setTimeout(done, ms))");
    let promise: Promise = sleep
        .call1(&JsValue::NULL, &ms.into())
        .unwrap()
        .unchecked_into();
    JsFuture::from(promise)
}

/// Waits until `condition` holds, polling, or fails naming `what` after five seconds.
async fn until(condition: impl Fn() -> bool, what: &str) {
    let deadline = js_sys::Date::now() + 5000.0;
    while !condition() {
        assert!(js_sys::Date::now() < deadline, "timed out: {what}");
        sleep(10).await.unwrap();
    }
}

/// What the handlers of a test heard, in order.
#[derive(Clone, Default)]
struct Heard(Rc<RefCell<Vec<String>>>);

impl Heard {
    fn push(&self, what: impl Into<String>) {
        self.0.borrow_mut().push(what.into());
    }
    fn all(&self) -> Vec<String> {
        self.0.borrow().clone()
    }
    fn len(&self) -> usize {
        self.0.borrow().len()
    }
}

/// An auto-login hook on `store` that records "login <name>" (the name from the token's claims)
/// and "logout <reason>" in `heard`.
fn record_logins(store: &TokenStore, heard: &Heard) -> Subscription {
    let (login, logout) = (heard.clone(), heard.clone());
    store
        .auto_login(
            move |token: &str| {
                let name = tokenstore::decode_claims::<Claims>(token).map(|claims| claims.name);
                login.push(format!("login {}", name.unwrap_or_default()))
            },
            move |reason: LogoutReason| logout.push(format!("logout {}", reason.name())),
        )
        .unwrap()
}

#[wasm_bindgen_test]
fn the_issues_names_set_read_and_clear() {
    let store = TokenStore::open(Options::new("rs.names").backend(Backend::Local)).unwrap();
    let jwt = token("zoe", "Zoë 東京", 600.0);
    store.set(&jwt).unwrap();
    assert_eq!(store.get().as_deref(), Some(jwt.as_str()));
    let claims: Option<Claims> = store.claims().unwrap();
    assert_eq!(
        claims,
        Some(Claims {
            sub: "zoe".into(),
            name: "Zoë 東京".into(),
            roles: vec!["user".into()]
        })
    );
    assert!(store.is_valid());
    assert!(!store.is_expired());
    assert_eq!(store.authorization_header(), Some(format!("Bearer {jwt}")));
    assert_eq!(store.backend(), Backend::Local);
    assert_eq!(store.key(), "rs.names");
    let decoded: Claims = tokenstore::decode_claims(&jwt).unwrap();
    assert_eq!(decoded.sub, "zoe");
    store.clear().unwrap();
    assert_eq!(store.get(), None);
    assert_eq!(store.claims::<Claims>().unwrap(), None);
    assert!(!store.is_valid());
}

#[wasm_bindgen_test]
fn errors_carry_the_js_codes_and_store_nothing() {
    let store = TokenStore::open(Options::new("rs.errors")).unwrap();
    let jwt = token("zoe", "Zoë", 600.0);
    store.set(&jwt).unwrap();
    assert_eq!(store.set("a.b").map_err(|e| e.code()), Err("INVALID_TOKEN"));
    assert_eq!(
        store.set("a.b.c").map_err(|e| e.code()),
        Err("INVALID_BASE64")
    );
    assert_eq!(store.get().as_deref(), Some(jwt.as_str()), "nothing stored");
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Wrong {
        sub: u64,
    }
    assert_eq!(
        store.claims::<Wrong>().map_err(|e| e.code()).err(),
        Some("INVALID_CLAIMS")
    );
    assert_eq!(
        TokenStore::open(Options::new(""))
            .map_err(|e| e.code())
            .err(),
        Some("INVALID_OPTION")
    );
    assert_eq!(
        TokenStore::open(Options::new("k").leeway(f64::NAN))
            .map_err(|e| e.code())
            .err(),
        Some("INVALID_OPTION")
    );
    assert_eq!(
        TokenStore::open(Options::new("not a cookie name;").backend(Backend::Cookie))
            .map_err(|e| e.code())
            .err(),
        Some("INVALID_OPTION")
    );
    store.clear().unwrap();
}

#[wasm_bindgen_test]
fn guards_detach_on_drop() {
    let store = TokenStore::open(Options::new("rs.guards").backend(Backend::Memory)).unwrap();
    let heard = Heard::default();
    let changes = {
        let heard = heard.clone();
        store.subscribe(move || heard.push("change")).unwrap()
    };
    assert_eq!(heard.all(), ["change"], "told at once");
    let hook = record_logins(&store, &heard);
    let jwt = token("zoe", "Zoë", 600.0);
    store.set(&jwt).unwrap();
    store.clear().unwrap();
    assert_eq!(
        heard.all(),
        ["change", "login Zoë", "change", "logout logout", "change"],
        "a hook hears before the subscribers"
    );
    drop(changes);
    drop(hook);
    // A handler still registered would be a freed closure, whose call the store reports.
    let reported = count_reports();
    store.set(&jwt).unwrap();
    store.clear().unwrap();
    assert_eq!(
        reported(),
        0,
        "the store calls no handler of a dropped guard"
    );
    assert_eq!(heard.len(), 5, "nothing heard once the guards are dropped");
}

#[wasm_bindgen_test]
async fn events_reach_rust_handlers() {
    let store = TokenStore::open(
        Options::new("rs.events")
            .backend(Backend::Memory)
            .expiring_in(60.0),
    )
    .unwrap();
    let heard = Heard::default();
    let _expiring = {
        let heard = heard.clone();
        store
            .on(Event::Expiring, move || heard.push("expiring"))
            .unwrap()
    };
    let _expired = {
        let heard = heard.clone();
        store
            .on(Event::Expired, move || heard.push("expired"))
            .unwrap()
    };
    // Inside the expiring window at once, expired a second later.
    store.set(&token("zoe", "Zoë", 1.0)).unwrap();
    until(|| heard.len() >= 2, "expiring, then expired").await;
    assert_eq!(heard.all(), ["expiring", "expired"]);
    assert!(store.is_expired());
}

#[wasm_bindgen_test]
async fn a_rust_store_and_a_js_store_share_the_key() {
    let store = TokenStore::open(Options::new("rs.shared")).unwrap();
    let heard = Heard::default();
    let _hook = record_logins(&store, &heard);
    let jwt = token("zoe", "Zoë", 600.0);
    store.set(&jwt).unwrap();
    // The JS API reads what Rust set, then sets and clears; the Rust hook hears both.
    run_with(
        SCENARIOS,
        "js_store_reads_and_writes_the_rust_key",
        &Array::of1(&JsValue::from_str(&jwt)),
    )
    .await;
    until(|| heard.len() >= 3, "the JS store's login and logout").await;
    // As for two JS stores: a clear by another store of the page is a removal here.
    assert_eq!(heard.all(), ["login Zoë", "login Ann", "logout removed"]);
    assert_eq!(store.get(), None);
}

#[wasm_bindgen_test]
async fn another_tab_hears_a_rust_store_and_is_heard() {
    let store = TokenStore::open(Options::new("rs.tab")).unwrap();
    let heard = Heard::default();
    let _hook = record_logins(&store, &heard);
    // Another tab logs in and out: its storage writes reach this page as storage events.
    let theirs = token("ann", "Ann", 600.0);
    run_with(
        SCENARIOS,
        "other_tab_logs_in",
        &Array::of1(&JsValue::from_str(&theirs)),
    )
    .await;
    until(|| heard.len() >= 1, "the other tab's login").await;
    assert_eq!(store.get().as_deref(), Some(theirs.as_str()));
    run(SCENARIOS, "other_tab_logs_out").await;
    until(|| heard.len() >= 2, "the other tab's logout").await;
    assert_eq!(heard.all(), ["login Ann", "logout removed"]);
    // And this store's login and logout reach the other tab.
    let mine = token("zoe", "Zoë", 600.0);
    store.set(&mine).unwrap();
    store.clear().unwrap();
    run_with(
        SCENARIOS,
        "other_tab_saw_the_rust_store",
        &Array::of1(&JsValue::from_str(&mine)),
    )
    .await;
}

#[wasm_bindgen_test]
async fn refresh_with_an_async_fetch() {
    let store = TokenStore::open(Options::new("rs.refresh")).unwrap();
    let heard = Heard::default();
    let _hook = record_logins(&store, &heard);
    let old = token("zoe", "Zoë", 600.0);
    let new = token("zoe", "Zoë again", 900.0);
    store.set(&old).unwrap();
    let (given, answer) = (Heard::default(), new.clone());
    let fetched = {
        let given = given.clone();
        store
            .refresh(move |current| {
                given.push(current.unwrap_or_default());
                let answer = answer.clone();
                async move { Ok::<_, String>(Some(answer)) }
            })
            .await
    };
    assert_eq!(fetched, Ok(Some(new.clone())));
    assert_eq!(
        given.all(),
        std::slice::from_ref(&old),
        "fetch is given the current token"
    );
    assert_eq!(store.get(), Some(new.clone()));

    // A failing fetch leaves the token; a malformed answer is refused with the core's code.
    let failed = store
        .refresh(|_| async { Err::<Option<String>, _>("down") })
        .await;
    assert_eq!(failed, Err(tokenstore::RefreshError::Fetch("down".into())));
    let malformed = store
        .refresh(|_| async { Ok::<_, String>(Some("a.b".into())) })
        .await;
    assert_eq!(malformed.map_err(|e| e.code()), Err(Some("INVALID_TOKEN")));
    assert_eq!(store.get(), Some(new), "the token stays");

    // `None`: the server ended the session.
    let ended = store.refresh(|_| async { Ok::<_, String>(None) }).await;
    assert_eq!(ended, Ok(None));
    assert_eq!(store.get(), None);
    // As in JS, the refreshed token is told to `on_login` too.
    assert_eq!(
        heard.all(),
        ["login Zoë", "login Zoë again", "logout refreshFailed"]
    );
}

#[wasm_bindgen_test]
async fn a_js_refresh_joins_the_rust_one() {
    let store = TokenStore::open(Options::new("rs.flight")).unwrap();
    store.set(&token("zoe", "Zoë", 600.0)).unwrap();
    let new = token("zoe", "Zoë again", 900.0);
    let (calls, outcome) = (Heard::default(), Rc::new(RefCell::new(None)));
    {
        let (store, calls, outcome, new) =
            (store.clone(), calls.clone(), outcome.clone(), new.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let result = store
                .refresh(move |_| {
                    calls.push("rust fetch");
                    let (new, open) = (new.clone(), gate("openRustFetch"));
                    async move {
                        open.await.unwrap();
                        Ok::<_, String>(Some(new))
                    }
                })
                .await;
            outcome.replace(Some(result));
        });
    }
    until(|| calls.len() == 1, "the Rust fetch under way").await;
    run_with(
        SCENARIOS,
        "js_refresh_joins_the_rust_one",
        &Array::of1(&JsValue::from_str(&new)),
    )
    .await;
    until(|| outcome.borrow().is_some(), "the Rust refresh").await;
    assert_eq!(outcome.borrow_mut().take(), Some(Ok(Some(new.clone()))));
    assert_eq!(calls.all(), ["rust fetch"]);
    store.clear().unwrap();
}

#[wasm_bindgen_test]
async fn auto_refresh_logs_in_at_start_up_until_dropped() {
    let store = TokenStore::open(Options::new("rs.auto").backend(Backend::Memory)).unwrap();
    let calls = Heard::default();
    let new = token("zoe", "Zoë", 600.0);
    let keep_alive = {
        let (calls, new) = (calls.clone(), new.clone());
        store
            .auto_refresh(move |current| {
                calls.push(current.unwrap_or_else(|| "none".into()));
                let new = new.clone();
                async move { Ok::<_, String>(Some(new)) }
            })
            .unwrap()
    };
    until(|| store.get().is_some(), "the start-up refresh").await;
    assert_eq!(store.get(), Some(new));
    assert_eq!(calls.all(), ["none"]);
    drop(keep_alive);
    store.clear().unwrap();
}

#[wasm_bindgen_test]
async fn refresh_options_bound_a_refresh_and_steer_auto_refresh() {
    let store =
        TokenStore::open(Options::new("rs.refresh_options").backend(Backend::Memory)).unwrap();
    let old = token("zoe", "Zoë", 100.0);
    store.set(&old).unwrap();

    // An answer after the time limit (and well within the default one) is not taken.
    let late = token("zoe", "Zoë late", 900.0);
    let limited = store
        .refresh_with(&RefreshOptions::new().timeout(0.2), move |_| {
            let (late, answer) = (late.clone(), sleep(1000));
            async move {
                answer.await.unwrap();
                Ok::<_, String>(Some(late))
            }
        })
        .await;
    assert_eq!(limited.map_err(|e| e.code()), Err(Some("ABORTED")));
    assert_eq!(store.get(), Some(old));

    // The options are checked as the JS API checks them.
    let refused = store
        .refresh_with(&RefreshOptions::new().timeout(0.0), |_| async {
            Ok::<_, String>(None)
        })
        .await;
    assert_eq!(refused.map_err(|e| e.code()), Err(Some("INVALID_OPTION")));
    let refused = store.auto_refresh_with(&RefreshOptions::new().retry(-1.0, 60.0), |_| async {
        Ok::<_, String>(None)
    });
    assert_eq!(
        refused.map(drop).map_err(|e| e.code()),
        Err("INVALID_OPTION")
    );

    // 200 seconds ahead of expiry, which the token is within already: refreshed at once (by the
    // default of 60 seconds it would not be due yet).
    let new = token("zoe", "Zoë again", 900.0);
    let keep_alive = {
        let new = new.clone();
        store
            .auto_refresh_with(&RefreshOptions::new().ahead(200.0), move |_| {
                let new = new.clone();
                async move { Ok::<_, String>(Some(new)) }
            })
            .unwrap()
    };
    until(
        || store.get() == Some(new.clone()),
        "the refresh 200 seconds ahead",
    )
    .await;
    drop(keep_alive);
    store.clear().unwrap();
}

#[wasm_bindgen_test]
fn the_cookie_backend_and_use_backend() {
    let cookie = tokenstore::CookieOptions {
        secure: false,
        ..Default::default()
    };
    let store = TokenStore::open(
        Options::new("rs_cookie")
            .backend(Backend::Cookie)
            .cookie(cookie)
            .fallback(false),
    )
    .unwrap();
    let jwt = token("zoe", "Zoë", 600.0);
    store.set(&jwt).unwrap();
    assert_eq!(store.backend(), Backend::Cookie);
    let document: web_sys::HtmlDocument = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .unchecked_into();
    assert!(document
        .cookie()
        .unwrap()
        .contains(&format!("rs_cookie={jwt}")));
    store.use_backend(Backend::Session).unwrap();
    assert_eq!(store.backend(), Backend::Session);
    assert_eq!(store.get(), Some(jwt.clone()));
    assert!(
        !document.cookie().unwrap().contains(&jwt),
        "moved, not copied"
    );
    let session = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    assert_eq!(session.get_item("rs_cookie").unwrap(), Some(jwt));
    store.clear().unwrap();
}

#[wasm_bindgen_test]
fn the_server_clock_moves_every_check() {
    let store = TokenStore::open(Options::new("rs.clock").backend(Backend::Memory)).unwrap();
    store.set(&token("zoe", "Zoë", 600.0)).unwrap();
    assert_eq!(store.clock_offset(), 0.0);
    // The server is twenty minutes ahead: the token, ten minutes from `exp` here, expired there.
    store
        .set_server_time(js_sys::Date::now() / 1000.0 + 1200.0)
        .unwrap();
    assert!((store.clock_offset() - 1200.0).abs() < 5.0);
    assert!(store.is_expired());
    assert_eq!(store.authorization_header(), None);
    assert_eq!(
        store.set_server_time(f64::NAN).map_err(|e| e.code()),
        Err("INVALID_ARGUMENT")
    );
    store.clear().unwrap();
}

#[wasm_bindgen_test]
fn a_handler_may_drop_its_own_guard() {
    let store = TokenStore::open(Options::new("rs.once").backend(Backend::Memory)).unwrap();
    let heard = Heard::default();
    let slot: Rc<RefCell<Option<Subscription>>> = Rc::default();
    let once = {
        let (heard, slot) = (heard.clone(), Rc::clone(&slot));
        store
            .on(Event::Change, move || {
                heard.push("change");
                // A one-shot handler: it detaches and frees itself while it runs.
                drop(slot.borrow_mut().take());
            })
            .unwrap()
    };
    slot.replace(Some(once));
    let reported = count_reports();
    let jwt = token("zoe", "Zoë", 600.0);
    store.set(&jwt).unwrap();
    store.clear().unwrap();
    store.set(&jwt).unwrap();
    assert_eq!(reported(), 0, "no call of a freed closure");
    assert_eq!(heard.all(), ["change"], "heard once");
    assert!(slot.borrow().is_none());
    store.clear().unwrap();
}
