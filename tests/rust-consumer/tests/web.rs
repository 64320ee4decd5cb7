//! The issue's names, used as an app outside the crate uses them, in headless Chromium.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use rust_consumer::{greeting, open_store, Claims};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// {"alg":"HS256"} . {"sub":"zoe","name":"Zoë","roles":["admin"],"exp":4102444800} . "sig"
const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ6b2UiLCJuYW1lIjoiWm_DqyIsInJvbGVzIjpbImFkbWluIl0sImV4cCI6NDEwMjQ0NDgwMH0.c2ln";

#[wasm_bindgen_test]
fn the_issues_names_from_outside_the_crate() -> Result<(), tokenstore::Error> {
    let store = open_store()?;
    let heard = Rc::new(RefCell::new(Vec::<String>::new()));
    let subscription = {
        let heard = Rc::clone(&heard);
        store.subscribe(move || heard.borrow_mut().push("change".into()))?
    };
    let hook = {
        let (login, logout) = (Rc::clone(&heard), Rc::clone(&heard));
        store.auto_login(
            move |token: &str| login.borrow_mut().push(format!("login {}", token.len())),
            move |reason| {
                logout
                    .borrow_mut()
                    .push(format!("logout {}", reason.name()))
            },
        )?
    };

    store.set(TOKEN)?;
    assert_eq!(store.get().as_deref(), Some(TOKEN));
    assert!(store.is_valid());
    let claims: Option<Claims> = store.claims()?;
    assert_eq!(
        claims.map(|claims| claims.roles),
        Some(vec!["admin".to_string()])
    );
    assert_eq!(greeting(&store)?.as_deref(), Some("Welcome, Zoë"));
    let decoded: Claims = tokenstore::decode_claims(TOKEN)?;
    assert_eq!(decoded.sub, "zoe");

    let error = store.set("a.b.c").err();
    assert_eq!(
        error.as_ref().map(tokenstore::Error::code),
        Some("INVALID_BASE64")
    );
    let error = tokenstore::decode_claims::<Claims>("no").err();
    assert_eq!(
        error.as_ref().map(tokenstore::Error::code),
        Some("INVALID_TOKEN")
    );

    store.clear()?;
    assert_eq!(greeting(&store)?, None);
    drop(subscription);
    drop(hook);
    store.set(TOKEN)?;
    store.clear()?;
    let login = format!("login {}", TOKEN.len());
    assert_eq!(
        *heard.borrow(),
        [
            "change",
            login.as_str(),
            "change",
            "logout logout",
            "change"
        ]
    );
    Ok(())
}

#[wasm_bindgen_test]
fn the_module_exports_no_js_api() {
    let exports = wasm_bindgen::exports();
    let exported = |name: &str| js_sys::Reflect::has(&exports, &name.into()).unwrap_or(true);
    for name in [
        "core_new",
        "core_call",
        "handle_dispose",
        "storefunctions_key",
        "decodeClaims",
        "decodeHeader",
        "isTokenError",
    ] {
        assert!(!exported(name), "{name} is exported");
    }
    // What the page's listeners call is there: the check would see an export.
    assert!(exported("pageevents_heard"));
}
