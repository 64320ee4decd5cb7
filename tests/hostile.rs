//! Hostile input through the JS API in a real browser: hundreds of malformed tokens and wrongly typed
//! arguments, and for the cookie backend hostile neighbouring cookies and hostile values in its own. Each must end in a `TokenError` (or a documented default), never a trap, never a
//! corrupted store; afterwards the module must still work.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Object, Reflect, JSON};
use tokenstore::jwt;
use tokenstore::wasm::{decode_claims, decode_header, TokenStore};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::run;

/// The scenarios, one exported function per test, named after it.
const SCENARIOS: &str = include_str!("scenarios/hostile.mjs");

// The token maker the crate's own unit tests use: one for every Rust test.
#[allow(dead_code)]
#[path = "../src/test_tokens.rs"]
mod test_tokens;
use test_tokens::{b64, token};

fn good_token() -> String {
    token(r#"{"sub":"1","name":"Zoë 東京","roles":["a","b"],"exp":4102444800,"nbf":1,"iat":1}"#)
}

/// Malformed and borderline token strings: every truncation and a set of targeted corruptions.
fn token_corpus() -> Vec<String> {
    let good = good_token();
    let mut corpus: Vec<String> = (0..good.len()).map(|end| good[..end].to_owned()).collect();
    let parts: Vec<&str> = good.split('.').collect();
    let (h, p, s) = (parts[0], parts[1], parts[2]);
    let json_payloads: &[&[u8]] = &[
        b"",
        b"{",
        b"}",
        b"[]",
        b"null",
        b"1",
        b"\"s\"",
        b"{\"a\":}",
        b"{\"exp\":\"soon\"}",
        b"{\"nbf\":true}",
        b"{\"iat\":null}",
        b"{\"exp\":1e400}",
        b"{\"a\":1,}",
        b"{}x",
        b"\xef\xbb\xbf{}",
        b"{\"a\":\"\xff\"}",
        // Where the browser's JSON.parse and the core could part ways, were the native path careless.
        b"{\"\\u0065xp\":\"x\"}",
        b"{\"exp\":1,\"exp\":\"x\"}",
        b"{\"exp\":\"x\",\"exp\":1}",
        b"{\"__proto__\":{\"exp\":\"x\"}}",
        b" {\"exp\":1} ",
        b"\x0c{}",
        b"{}\x00",
        b"{\"a\":\"\x01\"}",
        b"{\"a\":\"\\ud800\"}",
        b"{\"a\":01}",
        b"{\"a\":1.}",
        b"{\"a\":\"\\x\"}",
        b"{'a':1}",
        b"\xed\xa0\x80",
    ];
    for payload in json_payloads.iter().copied() {
        corpus.push(format!("{h}.{}.{s}", b64(payload)));
        corpus.push(format!("{}.{h}.{s}", b64(payload)));
    }
    for (i, bad) in [
        "=",
        "==",
        "+",
        "/",
        " ",
        "\n",
        "%",
        "!",
        "\u{0}",
        "é",
        "\u{feff}",
        "\u{1F511}",
    ]
    .iter()
    .enumerate()
    {
        corpus.push(format!("{h}{bad}.{p}.{s}"));
        corpus.push(format!("{h}.{p}{bad}.{s}"));
        corpus.push(format!("{h}.{p}.{s}{bad}"));
        corpus.push(format!("{}{bad}{}", &good[..i * 7], &good[i * 7..]));
    }
    corpus.extend([
        format!("{h}.{p}"),
        format!("{h}.{p}.{s}."),
        format!("{h}.{p}.{s}.{s}.{s}"),
        format!(".{p}.{s}"),
        format!("{h}..{s}"),
        format!("{h}.{p}.A"),
        format!("{h}.{p}.AB"),
        // "e30" is `{}`; "e31" spells it with non-zero trailing bits, which lenient decoders accept.
        format!("e30.e30.{s}"),
        format!("e31.e30.{s}"),
        format!("{h}.e31.{s}"),
        format!("{h}.{p}.e31"),
        format!("{h}.{p}.MR"),
        format!("{h}.{p}.{s}=="),
        format!("{h}.{p}.c2 ln"),
        "...".to_owned(),
        ".".repeat(1000),
        "a".repeat(1 << 20),
        format!("{h}.{}.{s}", "A".repeat(1 << 20)),
        format!(
            "{h}.{}.{s}",
            b64(format!("{{\"a\":{}1{}}}", "[".repeat(50_000), "]".repeat(50_000)).as_bytes())
        ),
        good.replace('.', ","),
        good.to_uppercase(),
        format!(" {good}"),
        format!("{good} "),
        format!("Bearer {good}"),
        format!("\"{good}\""),
    ]);
    corpus
}

/// Values of every JS type that is not a string, plus strings JS can hold and Rust cannot.
fn wrong_types() -> Vec<JsValue> {
    let symbol = js_sys::Symbol::for_("tokenstore");
    vec![
        JsValue::NULL,
        JsValue::UNDEFINED,
        JsValue::TRUE,
        JsValue::from(0),
        JsValue::from(-1),
        JsValue::from_f64(f64::NAN),
        JsValue::from_f64(f64::INFINITY),
        JsValue::from(js_sys::BigInt::from(7u32)),
        symbol.into(),
        Object::new().into(),
        Array::of1(&good_token().into()).into(),
        Function::new_no_args("return 1").into(),
        js_sys::Date::new_0().into(),
        js_sys::Uint8Array::new_with_length(8).into(),
        js_sys::Promise::resolve(&JsValue::NULL).into(),
    ]
}

/// Strings with lone UTF-16 surrogates, which only JS can make.
fn lone_surrogates() -> Vec<JsValue> {
    ["\"\\ud800\"", "\"\\udfff.a.b\"", "\"a.\\ud83d.b\""]
        .iter()
        .map(|json| JSON::parse(json).unwrap())
        .collect()
}

fn code_of(error: &JsValue) -> String {
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "not an Error: {error:?}"
    );
    assert_eq!(
        Reflect::get(error, &"name".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("TokenError")
    );
    Reflect::get(error, &"code".into())
        .unwrap()
        .as_string()
        .unwrap()
}

fn options(json: &str) -> Option<tokenstore::wasm::TokenStoreOptions> {
    Some(JSON::parse(json).unwrap().unchecked_into())
}

#[wasm_bindgen_test]
fn hundreds_of_bad_inputs_end_in_token_errors_and_the_module_keeps_working() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let store = TokenStore::new(options(r#"{"key":"hostile"}"#)).unwrap();
    let good = good_token();
    store.set(good.clone().into()).unwrap();
    let mut cases = 0;

    for text in token_corpus() {
        let expected = jwt::decode(&text)
            .err()
            .map(|error| error.code().to_owned());
        for result in [
            store.set(text.clone().into()).err(),
            decode_claims(text.clone().into()).err(),
            decode_header(text.clone().into()).err(),
        ] {
            assert_eq!(
                result.as_ref().map(code_of),
                expected,
                "{:?}",
                &text[..text.len().min(80)]
            );
            cases += 1;
        }
        if expected.is_some() {
            assert_eq!(
                storage.get_item("hostile").unwrap(),
                Some(good.clone()),
                "a bad token never replaces a good one"
            );
        } else {
            store.set(good.clone().into()).unwrap();
        }
    }

    let mut bad_values = wrong_types();
    bad_values.extend(lone_surrogates());
    for value in &bad_values {
        // A lone surrogate reaches Rust as U+FFFD, which the core then refuses like any stray character.
        let expected_for_token = match value.as_string() {
            Some(text) => jwt::decode(&text).unwrap_err().code(),
            None => "INVALID_TOKEN",
        };
        assert_eq!(
            code_of(&store.set(value.clone()).unwrap_err()),
            expected_for_token,
            "set({value:?})"
        );
        assert_eq!(
            code_of(&decode_claims(value.clone()).unwrap_err()),
            expected_for_token
        );
        assert_eq!(
            code_of(&decode_header(value.clone()).unwrap_err()),
            expected_for_token
        );
        assert_eq!(
            code_of(&store.use_backend(value.clone()).unwrap_err()),
            "INVALID_OPTION"
        );
        let event = store.on(value.clone(), Function::new_no_args("").into());
        assert_eq!(code_of(&event.unwrap_err()), "INVALID_ARGUMENT");
        if !value.is_function() {
            let handler = store.on("change".into(), value.clone());
            assert_eq!(code_of(&handler.unwrap_err()), "INVALID_ARGUMENT");
        }
        if !value.is_undefined()
            && !value.is_null()
            && value.as_f64().is_none_or(|n| !n.is_finite())
        {
            let now = Some(value.clone().unchecked_into());
            assert_eq!(
                code_of(&store.is_valid(now).unwrap_err()),
                "INVALID_ARGUMENT",
                "isValid({value:?})"
            );
        }
        let hooks = store.auto_login(value.clone().unchecked_into());
        assert_eq!(
            code_of(&hooks.err().unwrap()),
            "INVALID_ARGUMENT",
            "autoLogin({value:?})"
        );
        cases += 6;
    }

    let bad_options = [
        "1",
        "\"local\"",
        "true",
        "[]",
        "[{}]",
        r#"{"backend":"Local"}"#,
        r#"{"backend":"Cookie"}"#,
        r#"{"backend":"cookie","key":"a b"}"#,
        r#"{"backend":"cookie","key":"a;b=c"}"#,
        r#"{"backend":"cookie","key":"東京"}"#,
        r#"{"cookie":null}"#,
        r#"{"cookie":"/"}"#,
        r#"{"cookie":{"sameSite":"none","secure":false}}"#,
        r#"{"cookie":{"sameSite":null}}"#,
        r#"{"cookie":{"secure":1}}"#,
        r#"{"cookie":{"path":"/a;b"}}"#,
        r#"{"cookie":{"path":"/a\nb"}}"#,
        r#"{"cookie":{"domain":"x; Secure"}}"#,
        r#"{"cookie":{"domain":1}}"#,
        r#"{"backend":""}"#,
        r#"{"backend":null}"#,
        r#"{"backend":["local"]}"#,
        r#"{"key":""}"#,
        r#"{"key":null}"#,
        r#"{"key":1}"#,
        r#"{"key":{}}"#,
        r#"{"leeway":-1}"#,
        r#"{"leeway":-0.001}"#,
        r#"{"leeway":"5"}"#,
        r#"{"leeway":null}"#,
        r#"{"leeway":[]}"#,
        r#"{"expiringIn":-5}"#,
        r#"{"expiringIn":"60"}"#,
        r#"{"fallback":1}"#,
        r#"{"fallback":"false"}"#,
    ];
    for json in bad_options {
        assert_eq!(
            code_of(&TokenStore::new(options(json)).err().unwrap()),
            "INVALID_OPTION",
            "{json}"
        );
        cases += 1;
    }
    for leeway in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let object = Object::new();
        Reflect::set(&object, &"leeway".into(), &JsValue::from_f64(leeway)).unwrap();
        assert_eq!(
            code_of(
                &TokenStore::new(Some(object.unchecked_into()))
                    .err()
                    .unwrap()
            ),
            "INVALID_OPTION"
        );
        cases += 1;
    }
    // A getter that throws, and a Proxy-like trap, are reported, not propagated as a foreign error.
    let throwing = JSON::parse("{}").unwrap();
    let getter = Function::new_no_args("throw new Error('boom')");
    let descriptor = Object::new();
    Reflect::set(&descriptor, &"get".into(), &getter).unwrap();
    Reflect::define_property(
        throwing.unchecked_ref::<Object>(),
        &"backend".into(),
        &descriptor,
    )
    .unwrap();
    assert_eq!(
        code_of(
            &TokenStore::new(Some(throwing.unchecked_into()))
                .err()
                .unwrap()
        ),
        "INVALID_OPTION"
    );
    cases += 1;

    assert!(cases >= 200, "only {cases} cases");

    // Still healthy: the store holds the good token, and new stores work.
    assert_eq!(store.get().unwrap().as_string(), Some(good.clone()));
    let claims = store.claims().unwrap();
    assert_eq!(
        Reflect::get(&claims, &"name".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("Zoë 東京")
    );
    let fresh = TokenStore::new(options(r#"{"key":"hostile.after","backend":"session"}"#)).unwrap();
    fresh.set(good.clone().into()).unwrap();
    assert!(fresh.is_valid(None).unwrap());
    storage.clear().unwrap();
}

/// `document.cookie`, read and written as a page does.
fn document() -> web_sys::HtmlDocument {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .unchecked_into()
}

/// The page's cookies other than `key`, as the browser lists them.
fn others(key: &str) -> Vec<String> {
    let all = document().cookie().unwrap();
    all.split("; ")
        .filter(|pair| pair.split('=').next() != Some(key))
        .map(str::to_owned)
        .collect()
}

/// Deletes every cookie the page sees (all the tests' cookies have Path=/).
fn wipe_cookies() {
    for pair in document().cookie().unwrap().split("; ") {
        let name = pair.split_once('=').map_or("", |(name, _)| name);
        document()
            .set_cookie(&format!("{name}=; Path=/; Max-Age=0"))
            .unwrap();
    }
}

/// Whether this page can hold a `Secure` cookie: WebKit refuses them on http://127.0.0.1, which
/// Chromium and Firefox take as a secure origin.
fn secure_cookies_are_kept() -> bool {
    document()
        .set_cookie("hostile.probe=1; Path=/; Secure")
        .unwrap();
    let kept = document()
        .cookie()
        .unwrap()
        .split("; ")
        .any(|pair| pair == "hostile.probe=1");
    document()
        .set_cookie("hostile.probe=; Path=/; Max-Age=0; Secure")
        .unwrap();
    kept
}

#[wasm_bindgen_test]
fn hostile_cookie_strings_neither_break_the_cookie_store_nor_are_touched_by_it() {
    wipe_cookies();
    let key = "hostile.ck";
    let store = TokenStore::new(options(if secure_cookies_are_kept() {
        r#"{"key":"hostile.ck","backend":"cookie"}"#
    } else {
        r#"{"key":"hostile.ck","backend":"cookie","cookie":{"secure":false}}"#
    }))
    .unwrap();
    let good = good_token();
    // Neighbours with ;, =, spaces, quotes, commas, unicode, names that contain or extend the key,
    // a nameless cookie, and token-shaped values under other names.
    let neighbours = [
        "semi=a;b".to_owned(),
        "eq=a=b==".to_owned(),
        "=nameless".to_owned(),
        "sp ace=v".to_owned(),
        "spaced=  a  b  ".to_owned(),
        "quoted=\"a;b\"".to_owned(),
        "comma=a,b".to_owned(),
        "uni=Zoë 東京 🙂".to_owned(),
        "名前=値".to_owned(),
        format!("{key}x={good}"),
        format!("x{key}={good}"),
        format!("{key}.={good}"),
        format!("HOSTILE.CK={good}"),
        format!("q=\"{key}={good}\""),
        format!("tab=\t{good}"),
    ];
    let mut cases = 0;
    for neighbour in &neighbours {
        // The browser may refuse or trim some of them; whatever it keeps must stay as it is.
        document()
            .set_cookie(&format!("{neighbour}; Path=/"))
            .unwrap();
        let before = others(key);
        assert_eq!(store.get().unwrap(), JsValue::NULL, "{neighbour}");
        store.set(good.clone().into()).unwrap();
        assert_eq!(store.get().unwrap().as_string(), Some(good.clone()));
        assert_eq!(store.backend().unwrap(), "cookie");
        store.clear().unwrap();
        assert_eq!(others(key), before, "{neighbour}");
        assert_eq!(store.get().unwrap(), JsValue::NULL);
        cases += 1;
    }

    // Hostile values in the store's own cookie: every malformed token the browser will keep reads
    // as no token, never throws, and the store still takes a good token afterwards.
    for text in token_corpus() {
        if text.contains(';') || text.is_empty() {
            continue;
        }
        document()
            .set_cookie(&format!("{key}={text}; Path=/"))
            .unwrap();
        // What the browser kept: it trims spaces and tabs around a value.
        let all = document().cookie().unwrap();
        let kept = all
            .split("; ")
            .find_map(|pair| pair.strip_prefix(&format!("{key}=")))
            .unwrap_or_default()
            .to_owned();
        let read = store.get();
        assert!(read.is_ok(), "{text:?}");
        if jwt::decode(&kept).is_err() {
            assert_eq!(read.unwrap(), JsValue::NULL, "{text:?}");
            assert_eq!(store.claims().unwrap(), JsValue::NULL);
        }
        cases += 1;
    }
    store.set(good.clone().into()).unwrap();
    assert_eq!(store.get().unwrap().as_string(), Some(good));
    assert!(cases >= 100, "only {cases} cases");
    store.clear().unwrap();
    wipe_cookies();
}

#[wasm_bindgen_test]
async fn options_are_read_from_own_properties_only() {
    run(SCENARIOS, "options_are_read_from_own_properties_only").await;
}

#[wasm_bindgen_test]
async fn cookie_options_are_read_from_own_properties_only() {
    run(
        SCENARIOS,
        "cookie_options_are_read_from_own_properties_only",
    )
    .await;
}

#[wasm_bindgen_test]
async fn handlers_are_read_from_own_properties_only() {
    run(SCENARIOS, "handlers_are_read_from_own_properties_only").await;
}

#[wasm_bindgen_test]
async fn refresh_options_are_read_from_own_properties_only() {
    run(
        SCENARIOS,
        "refresh_options_are_read_from_own_properties_only",
    )
    .await;
}

#[wasm_bindgen_test]
async fn news_from_other_tabs_is_read_from_own_properties_only() {
    run(
        SCENARIOS,
        "news_from_other_tabs_is_read_from_own_properties_only",
    )
    .await;
}
