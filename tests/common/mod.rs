//! What the JS-driven browser tests share: a prelude of helpers and a runner for scenarios written
//! as JS async function bodies, driving the store through wasm-bindgen's own glue.
#![allow(dead_code)]

use js_sys::{Function, Promise};
use tokenstore::wasm::TokenStore;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// What every scenario can use: the `TokenStore` class, `token(claims)`, `sleep(ms)`,
/// `until(condition, what, ms?)` (polls until `condition()` holds, or throws after `ms`), `collect()`
/// (a full garbage collection where the browser exposes one, and time for finalizers to run),
/// `otherTab()` (a same-origin iframe: its storage writes fire real `storage` events here),
/// `holdLock(name)` (a Web Lock held as another tab would),
/// `check(condition, what)` and `same(actual, expected, what)`.
const PRELUDE: &str = r#"
const b64 = (text) => btoa(String.fromCharCode(...new TextEncoder().encode(text)))
  .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const token = (claims) => `${b64('{"alg":"HS256"}')}.${b64(JSON.stringify(claims))}.${b64("sig")}`;
const later = (seconds, sub) => token({ sub, exp: Date.now() / 1000 + seconds });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const collect = async () => {
  for (let i = 0; i < 3; i++) {
    if (typeof gc === "function") gc();
    await sleep(30);
  }
};
const otherTab = () => {
  const frame = document.createElement("iframe");
  document.body.append(frame);
  return { window: frame.contentWindow, close: () => frame.remove() };
};
const until = async (condition, what, ms = 5000) => {
  for (const deadline = Date.now() + ms; !condition(); await sleep(10)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
  }
};
const check = (condition, what) => { if (!condition) throw new Error(`failed: ${what}`); };
const same = (actual, expected, what) => {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a !== e) throw new Error(`${what}: got ${a}, expected ${e}`);
};
const sub = (snapshot) => snapshot.claims?.sub ?? snapshot.status;
const isChromium = navigator.userAgent.includes("Chrome");
// Holds the Web Lock `name` as another tab would, until the returned function is called. A lock taken
// from it (`steal`) is no failure.
const holdLock = async (name) => {
  let release;
  await new Promise((granted) => navigator.locks.request(name, () => {
    granted();
    return new Promise((done) => { release = done; });
  }).catch(() => {}));
  return release;
};
"#;

pub async fn scenario(body: &str) {
    // The class, reached through an instance: wasm-bindgen's glue does not expose it globally.
    let class = js_sys::Reflect::get(
        &JsValue::from(TokenStore::new(None).unwrap()),
        &"constructor".into(),
    )
    .unwrap();
    let source = format!("{PRELUDE}\nreturn (async () => {{\n{body}\n}})();");
    let run = Function::new_with_args("TokenStore", &source);
    let promise: Promise = run.call1(&JsValue::NULL, &class).unwrap().unchecked_into();
    if let Err(error) = JsFuture::from(promise).await {
        let message = js_sys::Reflect::get(&error, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| format!("{error:?}"));
        panic!("{message}");
    }
}
