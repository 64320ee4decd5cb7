//! Browser tests of the JS API (run by `wasm-pack test --headless --chrome` and `--firefox`).
//!
//! They call the exported functions with JS values, as the generated glue does, and check what JS would
//! see: return values, the stored strings in the real Web Storage, and the thrown `TokenError`s.
#![cfg(target_arch = "wasm32")]

use js_sys::{Object, Reflect, JSON};
use tokenstore::wasm::{decode_claims, decode_header, is_token_error, TokenStore};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

// The token maker the crate's own unit tests use: one for every Rust test.
#[allow(dead_code)]
#[path = "../src/test_tokens.rs"]
mod test_tokens;
use test_tokens::{b64, token};

const NOW: f64 = 1_700_000_000.0;

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn session() -> web_sys::Storage {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
}

/// Every test starts from empty web storage.
fn fresh() {
    local().clear().unwrap();
    session().clear().unwrap();
}

fn store(options: &str) -> TokenStore {
    TokenStore::new(Some(JSON::parse(options).unwrap().unchecked_into())).unwrap()
}

fn get(store: &TokenStore) -> Option<String> {
    store.get().unwrap().as_string()
}

fn prop(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(name)).unwrap()
}

/// The `code` of the TokenError that `result` failed with; fails the test on anything else.
fn code<T>(result: Result<T, JsValue>) -> String {
    let Err(error) = result else {
        panic!("expected a TokenError")
    };
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "not an Error: {error:?}"
    );
    assert_eq!(
        prop(&error, "name").as_string().as_deref(),
        Some("TokenError")
    );
    assert!(is_token_error(error.clone()));
    prop(&error, "code").as_string().unwrap()
}

fn seconds(now: f64) -> Option<tokenstore::wasm::Seconds> {
    Some(JsValue::from_f64(now).unchecked_into())
}

#[wasm_bindgen_test]
fn set_get_clear_in_every_backend() {
    fresh();
    let jwt = token(r#"{"sub":"1","name":"José"}"#);
    for backend in ["local", "session", "memory"] {
        let store = store(&format!(r#"{{"backend":"{backend}","key":"app.jwt"}}"#));
        assert_eq!(store.backend().unwrap(), backend);
        assert_eq!(get(&store), None);
        store.set(JsValue::from_str(&jwt)).unwrap();
        assert_eq!(get(&store).as_deref(), Some(jwt.as_str()));
        let in_local = local().get_item("app.jwt").unwrap();
        let in_session = session().get_item("app.jwt").unwrap();
        assert_eq!(
            in_local.as_deref() == Some(jwt.as_str()),
            backend == "local"
        );
        assert_eq!(
            in_session.as_deref() == Some(jwt.as_str()),
            backend == "session"
        );
        store.clear().unwrap();
        assert_eq!(get(&store), None);
        assert_eq!(local().get_item("app.jwt").unwrap(), None);
        assert_eq!(session().get_item("app.jwt").unwrap(), None);
    }
}

#[wasm_bindgen_test]
fn defaults() {
    fresh();
    let store = TokenStore::new(None).unwrap();
    assert_eq!(store.backend().unwrap(), "local");
    assert_eq!(store.key().unwrap(), "tokenstore.jwt");
    assert_eq!(store.leeway().unwrap(), 0.0);
    let jwt = token("{}");
    store.set(JsValue::from_str(&jwt)).unwrap();
    assert_eq!(local().get_item("tokenstore.jwt").unwrap(), Some(jwt));
}

#[wasm_bindgen_test]
fn two_instances_on_one_key_share_the_token() {
    fresh();
    for backend in ["local", "session", "memory"] {
        let options = format!(r#"{{"backend":"{backend}","key":"shared"}}"#);
        let first = store(&options);
        let jwt = token(&format!(r#"{{"sub":"{backend}"}}"#));
        first.set(JsValue::from_str(&jwt)).unwrap();
        let second = store(&options);
        assert_eq!(get(&second).as_deref(), Some(jwt.as_str()), "{backend}");
        assert_eq!(
            prop(&second.claims().unwrap(), "sub")
                .as_string()
                .as_deref(),
            Some(backend)
        );
        second.clear().unwrap();
        assert_eq!(
            get(&first),
            None,
            "{backend}: a clear through one instance is seen by the other"
        );
    }
}

#[wasm_bindgen_test]
fn keys_do_not_collide() {
    fresh();
    let a = store(r#"{"key":"app-a"}"#);
    let b = store(r#"{"key":"app-b"}"#);
    let jwt_a = token(r#"{"sub":"a"}"#);
    a.set(JsValue::from_str(&jwt_a)).unwrap();
    assert_eq!(get(&b), None);
    b.set(JsValue::from_str(&token(r#"{"sub":"b"}"#))).unwrap();
    b.clear().unwrap();
    assert_eq!(get(&a), Some(jwt_a));
}

#[wasm_bindgen_test]
fn use_backend_moves_the_token_and_leaves_nothing_behind() {
    fresh();
    let store = store(r#"{"key":"moving"}"#);
    let jwt = token(r#"{"sub":"1"}"#);
    store.set(JsValue::from_str(&jwt)).unwrap();

    store.use_backend(JsValue::from_str("session")).unwrap();
    assert_eq!(store.backend().unwrap(), "session");
    assert_eq!(local().get_item("moving").unwrap(), None);
    assert_eq!(
        session().get_item("moving").unwrap().as_deref(),
        Some(jwt.as_str())
    );
    assert_eq!(get(&store).as_deref(), Some(jwt.as_str()));

    store.use_backend(JsValue::from_str("memory")).unwrap();
    assert_eq!(store.backend().unwrap(), "memory");
    assert_eq!(session().get_item("moving").unwrap(), None);
    assert_eq!(local().get_item("moving").unwrap(), None);
    assert_eq!(get(&store).as_deref(), Some(jwt.as_str()));

    store.use_backend(JsValue::from_str("local")).unwrap();
    assert_eq!(
        local().get_item("moving").unwrap().as_deref(),
        Some(jwt.as_str())
    );
    let memory_view = self::store(r#"{"key":"moving","backend":"memory"}"#);
    assert_eq!(get(&memory_view), None, "nothing is left in memory");
}

#[wasm_bindgen_test]
fn use_backend_without_a_token_clears_a_stale_one() {
    fresh();
    session()
        .set_item("stale", &token(r#"{"sub":"old"}"#))
        .unwrap();
    let store = store(r#"{"key":"stale"}"#);
    store.use_backend(JsValue::from_str("session")).unwrap();
    assert_eq!(get(&store), None);
    assert_eq!(session().get_item("stale").unwrap(), None);
}

#[wasm_bindgen_test]
fn use_backend_rejects_bad_names_and_keeps_the_token() {
    fresh();
    let store = store(r#"{"key":"k"}"#);
    let jwt = token("{}");
    store.set(JsValue::from_str(&jwt)).unwrap();
    for bad in [
        JsValue::from_str("indexedDB"),
        JsValue::from_str("Cookie"),
        JsValue::from_str(""),
        JsValue::NULL,
        JsValue::from(1),
    ] {
        assert_eq!(code(store.use_backend(bad)), "INVALID_OPTION");
    }
    assert_eq!(store.backend().unwrap(), "local");
    assert_eq!(get(&store), Some(jwt));
}

#[wasm_bindgen_test]
fn claims_and_header_are_decoded_frozen_and_stable() {
    fresh();
    let store = store("{}");
    assert!(store.claims().unwrap().is_null());
    assert!(store.header().unwrap().is_null());
    store
        .set(JsValue::from_str(&token(
            r#"{"name":"Zoë 東京","roles":["a"],"exp":2000000000}"#,
        )))
        .unwrap();
    let claims = store.claims().unwrap();
    assert_eq!(
        prop(&claims, "name").as_string().as_deref(),
        Some("Zoë 東京")
    );
    assert_eq!(
        prop(&store.header().unwrap(), "alg").as_string().as_deref(),
        Some("HS256")
    );
    assert!(Object::is_frozen(claims.unchecked_ref::<Object>()));
    assert!(Object::is_frozen(
        prop(&claims, "roles").unchecked_ref::<Object>()
    ));
    assert!(
        Object::is(&claims, &store.claims().unwrap()),
        "same object until a change"
    );

    local()
        .set_item("tokenstore.jwt", &token(r#"{"name":"other tab"}"#))
        .unwrap();
    let changed = store.claims().unwrap();
    assert_eq!(
        prop(&changed, "name").as_string().as_deref(),
        Some("other tab")
    );
}

#[wasm_bindgen_test]
fn expiry_checks_with_an_injected_clock() {
    fresh();
    let store = store(r#"{"leeway":30}"#);
    assert!(
        !store.is_expired(seconds(NOW)).unwrap(),
        "no token is not expired"
    );
    assert!(!store.is_valid(seconds(NOW)).unwrap());
    assert!(store.expires_at().unwrap().is_null());
    assert!(store.authorization_header(seconds(NOW)).unwrap().is_null());

    let jwt = token(&format!(r#"{{"exp":{},"nbf":{}}}"#, NOW + 60.0, NOW - 60.0));
    store.set(JsValue::from_str(&jwt)).unwrap();
    assert_eq!(store.expires_at().unwrap().as_f64(), Some(NOW + 60.0));
    assert!(store.is_valid(seconds(NOW)).unwrap());
    assert_eq!(
        store
            .authorization_header(seconds(NOW))
            .unwrap()
            .as_string(),
        Some(format!("Bearer {jwt}"))
    );
    assert!(
        !store.is_expired(seconds(NOW + 89.0)).unwrap(),
        "leeway tolerates 30 s of skew"
    );
    assert!(store.is_expired(seconds(NOW + 90.0)).unwrap());
    assert!(!store.is_valid(seconds(NOW + 90.0)).unwrap());
    assert!(store
        .authorization_header(seconds(NOW + 90.0))
        .unwrap()
        .is_null());
    assert!(
        !store.is_valid(seconds(NOW - 91.0)).unwrap(),
        "before nbf, beyond the leeway"
    );
    assert!(!store.is_expired(seconds(NOW - 91.0)).unwrap());

    // The browser clock is the default: this token expired in 2023.
    assert!(store.is_expired(None).unwrap());
}

#[wasm_bindgen_test]
fn a_token_without_exp_never_expires() {
    fresh();
    let store = store("{}");
    store
        .set(JsValue::from_str(&token(r#"{"sub":"1"}"#)))
        .unwrap();
    assert!(store.is_valid(None).unwrap());
    assert!(store.is_valid(seconds(1e15)).unwrap());
    assert!(store.expires_at().unwrap().is_null());
}

#[wasm_bindgen_test]
fn exp_is_read_as_json_parse_reads_it() {
    fresh();
    let store = store("{}");
    // Integers take the exact fast path; the others go to JavaScript's own number parsing.
    for literal in [
        "1516239022",
        "1516239022.25",
        "1.5e9",
        "9007199254740993",
        "0.30000000000000004",
        "1e23",
        "1234567890123456789012e-3",
    ] {
        store
            .set(JsValue::from_str(&token(&format!(
                r#"{{"exp":{literal}}}"#
            ))))
            .unwrap();
        let expected = JSON::parse(literal).unwrap().as_f64().unwrap();
        let exp = store.expires_at().unwrap().as_f64().unwrap();
        assert_eq!(exp.to_bits(), expected.to_bits(), "{literal}");
    }
}

#[wasm_bindgen_test]
fn malformed_tokens_throw_typed_errors_and_are_never_stored() {
    fresh();
    let store = store("{}");
    let good = token(r#"{"sub":"1"}"#);
    store.set(JsValue::from_str(&good)).unwrap();
    let header = b64(br#"{"alg":"none"}"#);
    let cases: Vec<(JsValue, &str)> = vec![
        (JsValue::NULL, "INVALID_TOKEN"),
        (JsValue::UNDEFINED, "INVALID_TOKEN"),
        (JsValue::from(42), "INVALID_TOKEN"),
        (Object::new().into(), "INVALID_TOKEN"),
        (js_sys::Array::new().into(), "INVALID_TOKEN"),
        ("".into(), "INVALID_TOKEN"),
        ("a.b".into(), "INVALID_TOKEN"),
        ("a.b.c.d.e".into(), "INVALID_TOKEN"),
        (format!("{header}.e30=.").into(), "INVALID_BASE64"),
        (
            format!("{header}.{}.", b64(b"{\"a\":\"\xff\"}")).into(),
            "INVALID_UTF8",
        ),
        (
            format!("{header}.{}.", b64(b"{nope}")).into(),
            "INVALID_JSON",
        ),
        (format!("{}.e30.", b64(b"[]")).into(), "INVALID_HEADER"),
        (format!("{header}.{}.", b64(b"[]")).into(), "INVALID_CLAIMS"),
        (
            format!("{header}.{}.", b64(br#"{"exp":"soon"}"#)).into(),
            "INVALID_CLAIMS",
        ),
        ("\u{d7ff}.a.b".into(), "INVALID_BASE64"),
    ];
    for (bad, expected) in cases {
        assert_eq!(code(store.set(bad.clone())), expected, "set({bad:?})");
        assert_eq!(
            code(decode_claims(bad.clone())),
            expected,
            "decodeClaims({bad:?})"
        );
        assert_eq!(
            code(decode_header(bad.clone())),
            expected,
            "decodeHeader({bad:?})"
        );
        assert_eq!(
            get(&store).as_deref(),
            Some(good.as_str()),
            "the stored token is untouched"
        );
    }
}

#[wasm_bindgen_test]
fn error_messages_name_the_part_and_never_the_token() {
    let jwt = format!("{}.not-base64!.", b64(r#"{"alg":"none"}"#));
    let error = decode_claims(JsValue::from_str(&jwt)).unwrap_err();
    let message = prop(&error, "message").as_string().unwrap();
    assert_eq!(message, "invalid base64url in the payload (part 2)");
    assert!(!message.contains("not-base64"));
}

#[wasm_bindgen_test]
fn bad_options_are_typed_errors() {
    fresh();
    let cases = [
        "42",
        "\"local\"",
        "[]",
        r#"{"backend":"cookies"}"#,
        r#"{"backend":""}"#,
        r#"{"backend":1}"#,
        r#"{"backend":null}"#,
        r#"{"key":""}"#,
        r#"{"key":7}"#,
        r#"{"leeway":-1}"#,
        r#"{"leeway":"30"}"#,
        r#"{"leeway":null}"#,
        r#"{"fallback":"yes"}"#,
    ];
    for options in cases {
        let result = TokenStore::new(Some(JSON::parse(options).unwrap().unchecked_into()));
        assert_eq!(code(result), "INVALID_OPTION", "{options}");
    }
    for leeway in [f64::NAN, f64::INFINITY] {
        let options = Object::new();
        Reflect::set(&options, &"leeway".into(), &JsValue::from_f64(leeway)).unwrap();
        assert_eq!(
            code(TokenStore::new(Some(options.unchecked_into()))),
            "INVALID_OPTION"
        );
    }
    // null and an explicit undefined mean "all defaults"; unknown keys are ignored.
    assert!(TokenStore::new(Some(JsValue::NULL.unchecked_into())).is_ok());
    assert!(TokenStore::new(Some(JsValue::UNDEFINED.unchecked_into())).is_ok());
    assert!(TokenStore::new(Some(
        JSON::parse(r#"{"colour":"red"}"#).unwrap().unchecked_into()
    ))
    .is_ok());
}

#[wasm_bindgen_test]
fn bad_now_arguments_are_typed_errors() {
    fresh();
    let store = store("{}");
    for bad in [
        JsValue::from_str("1700000000"),
        JsValue::from_f64(f64::NAN),
        Object::new().into(),
    ] {
        assert_eq!(
            code(store.is_valid(Some(bad.clone().unchecked_into()))),
            "INVALID_ARGUMENT"
        );
        assert_eq!(
            code(store.is_expired(Some(bad.unchecked_into()))),
            "INVALID_ARGUMENT"
        );
    }
}

#[wasm_bindgen_test]
fn garbage_under_the_key_reads_as_no_token_and_is_removed() {
    fresh();
    local()
        .set_item("tokenstore.jwt", "{\"user\":\"not a jwt\"}")
        .unwrap();
    let store = store("{}");
    assert!(store.claims().unwrap().is_null());
    assert_eq!(get(&store), None);
    assert_eq!(local().get_item("tokenstore.jwt").unwrap(), None);
}

#[wasm_bindgen_test]
fn the_module_keeps_working_after_errors() {
    fresh();
    let store = store("{}");
    for _ in 0..50 {
        assert_eq!(code(store.set(JsValue::from_str("x.y"))), "INVALID_TOKEN");
        assert_eq!(
            code(TokenStore::new(Some(JsValue::from(3).unchecked_into()))),
            "INVALID_OPTION"
        );
    }
    let jwt = token(r#"{"sub":"still alive"}"#);
    store.set(JsValue::from_str(&jwt)).unwrap();
    assert_eq!(get(&store), Some(jwt.clone()));
    let claims = decode_claims(JsValue::from_str(&jwt)).unwrap();
    assert_eq!(
        prop(&claims, "sub").as_string().as_deref(),
        Some("still alive")
    );
}

#[wasm_bindgen_test]
fn standalone_decoders_return_fresh_objects() {
    let jwt = token(r#"{"name":"José","n":12345678901234567890,"deep":{"a":[1,{"b":null}]}}"#);
    let claims = decode_claims(JsValue::from_str(&jwt)).unwrap();
    assert_eq!(prop(&claims, "name").as_string().as_deref(), Some("José"));
    assert_eq!(prop(&claims, "n").as_f64(), Some(12345678901234567890.0));
    assert!(!Object::is_frozen(claims.unchecked_ref::<Object>()));
    let header = decode_header(JsValue::from_str(&jwt)).unwrap();
    assert_eq!(prop(&header, "typ").as_string().as_deref(), Some("JWT"));
}

#[wasm_bindgen_test]
fn large_and_deeply_nested_tokens() {
    fresh();
    let roles: Vec<String> = (0..2000).map(|i| format!("\"role-{i}\"")).collect();
    let big = token(&format!(r#"{{"roles":[{}]}}"#, roles.join(",")));
    assert!(big.len() > 20_000);
    let store = store("{}");
    store.set(JsValue::from_str(&big)).unwrap();
    let claims = store.claims().unwrap();
    assert_eq!(js_sys::Array::from(&prop(&claims, "roles")).length(), 2000);

    let depth = 5_000;
    let deep = token(&format!(
        "{{\"a\":{}1{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    ));
    store.set(JsValue::from_str(&deep)).unwrap();
    let mut inner = prop(&store.claims().unwrap(), "a");
    for _ in 1..depth {
        assert!(Object::is_frozen(inner.unchecked_ref::<Object>()));
        inner = Reflect::get_u32(&inner, 0).unwrap();
    }
    assert_eq!(inner.as_f64(), None, "the innermost array holds the number");
}

/// Where the browser has `setFromBase64`, `decodeClaims` and `decodeHeader` decode with the browser's
/// own decoders and leave the core only the tokens they cannot vouch for. Both paths must agree: the
/// same objects for every token the core accepts (the corpus in hostile.rs checks the refusals).
#[wasm_bindgen_test]
fn the_native_decoders_agree_with_the_core() {
    let headers = [
        r#"{"alg":"HS256","typ":"JWT"}"#,
        r#"{"alg":"RS256","kid":"k1"}"#,
        r#" {"alg":"none"} "#,
    ];
    let payloads = [
        "{}",
        "\t{\"sub\":\"x\"}\n",
        r#"{"name":"Zoë Çelik 東京 🔑","escaped":"Zo\u00eb \ud83d\udd11","lone":"\ud800"}"#,
        "{\"separators\":\"\u{2028}\u{2029}\"}",
        r#"{"exp":"later","exp":4102444800}"#,
        r#"{"\u0065xp":4102444800,"nbf":-0,"iat":1.5e2}"#,
        r#"{"__proto__":{"exp":"not a claim"},"constructor":1}"#,
        r#"{"n":12345678901234567890,"f":1E-7,"deep":{"a":[1,{"b":null}]},"t":true}"#,
    ];
    for signature in ["", "c2ln", "c2lnbmF0dXJl", "AA", "AAA"] {
        for header in headers {
            for payload in payloads {
                let jwt = format!("{}.{}.{signature}", b64(header), b64(payload));
                let core = tokenstore::jwt::decode(&jwt).unwrap();
                let same = |decoded: Result<JsValue, JsValue>, json: &str| {
                    let decoded = JSON::stringify(&decoded.unwrap()).unwrap();
                    let expected = JSON::stringify(&JSON::parse(json).unwrap()).unwrap();
                    assert_eq!(decoded, expected, "{header} {payload}");
                };
                same(decode_claims(JsValue::from_str(&jwt)), core.payload_json());
                same(decode_header(JsValue::from_str(&jwt)), core.header_json());
            }
        }
    }
}

/// The native path remembers the last good token and its header, to skip checking them again; a token
/// that shares its header or payload must still be judged on everything.
#[wasm_bindgen_test]
fn a_remembered_token_does_not_let_a_bad_one_through() {
    let good = token(r#"{"sub":"1"}"#);
    let (header, rest) = good.split_once('.').unwrap();
    decode_claims(JsValue::from_str(&good)).unwrap();
    for (bad, expected) in [
        (format!("{header}.{}.c2ln", b64("[]")), "INVALID_CLAIMS"),
        (
            format!("{header}.{}.c2ln", b64(r#"{"exp":"x"}"#)),
            "INVALID_CLAIMS",
        ),
        (format!("{header}.{}.c2ln", b64("{")), "INVALID_JSON"),
        (format!("{header}.{rest}="), "INVALID_BASE64"),
        (format!("{header}.{rest}.x"), "INVALID_TOKEN"),
        (format!("{header}x.{rest}"), "INVALID_BASE64"),
        (format!("{good}!"), "INVALID_BASE64"),
        (format!("{}.{rest}", b64("[]")), "INVALID_HEADER"),
        (format!(" {good}"), "INVALID_BASE64"),
    ] {
        assert_eq!(
            code(decode_claims(JsValue::from_str(&bad))),
            expected,
            "{bad}"
        );
        assert_eq!(
            code(decode_header(JsValue::from_str(&bad))),
            expected,
            "{bad}"
        );
    }
}

/// Both paths are taken where they should be: the native one in a browser with `setFromBase64` (both
/// browsers under test have it), the core alone where it is missing, as in older browsers and Node 20.
#[wasm_bindgen_test]
fn the_native_path_runs_where_the_browser_can_and_the_core_where_it_cannot() {
    let jwt = token(r#"{"sub":"either way"}"#);
    let js = |body: &str| {
        js_sys::Function::new_no_args(body)
            .call0(&JsValue::NULL)
            .unwrap()
    };
    let sub = |claims: JsValue| prop(&claims, "sub").as_string();
    js(r#"
        const proto = Uint8Array.prototype;
        globalThis.nativeBase64 = proto.setFromBase64;
        globalThis.nativeCalls = 0;
        proto.setFromBase64 = function (...args) {
            globalThis.nativeCalls++;
            return globalThis.nativeBase64.apply(this, args);
        };
    "#);
    let native = sub(decode_claims(JsValue::from_str(&jwt)).unwrap());
    let calls = js("return globalThis.nativeCalls").as_f64();
    js("delete Uint8Array.prototype.setFromBase64");
    let core = sub(decode_claims(JsValue::from_str(&jwt)).unwrap());
    let core_header = decode_header(JsValue::from_str(&jwt)).unwrap();
    js("Uint8Array.prototype.setFromBase64 = globalThis.nativeBase64");

    assert!(
        calls.unwrap() >= 2.0,
        "the payload and signature went through setFromBase64"
    );
    assert_eq!(native.as_deref(), Some("either way"));
    assert_eq!(core, native);
    assert_eq!(
        prop(&core_header, "alg").as_string().as_deref(),
        Some("HS256")
    );
}
