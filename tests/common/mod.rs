//! What the JS-driven browser tests share: the runner of their scenarios, JS async functions in
//! `tests/scenarios/<test file>.mjs` that drive the store through wasm-bindgen's own glue, with the
//! helpers of `tests/scenarios/prelude.mjs` and the token maker of `tests/scenarios/tokens.mjs`.
//!
//! The files are ES modules (Node parses them in the lint stage, and the Node tests import
//! `tokens.mjs`), but the page does not fetch them: each test carries their text (`include_str!`) and
//! runs it as one function, imports and `export` keywords dropped. In WebKit, a test page whose
//! glue imported three more module files from the test runner's server often never started its tests.
#![allow(dead_code)]

use js_sys::{Array, Function, Promise};
use tokenstore::wasm::Core;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

const TOKENS: &str = include_str!("../scenarios/tokens.mjs");
const PRELUDE: &str = include_str!("../scenarios/prelude.mjs");

/// `module` as a function body: its `import` lines dropped (everything it imports is in scope
/// already) and its `export` keywords too.
fn body_of(module: &str) -> String {
    module
        .lines()
        .filter(|line| !line.starts_with("import ") && !line.starts_with("export {"))
        .map(|line| line.strip_prefix("export ").unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

#[wasm_bindgen(module = "/src/wasm/token_store.js")]
extern "C" {
    /// Hands the package's classes the glue's `Core` class; returns the `TokenStore` class.
    fn install(core: &JsValue) -> JsValue;
}

/// The package's `TokenStore` class over the glue's `Core`, reached through an instance:
/// wasm-bindgen's glue does not expose it globally.
pub fn store_class() -> JsValue {
    let core = js_sys::Reflect::get(
        &JsValue::from(Core::new(JsValue::UNDEFINED).unwrap()),
        &"constructor".into(),
    )
    .unwrap();
    install(&core)
}

/// Awaits `promise`, failing the test with its rejection's message.
pub async fn settle(promise: Promise) {
    if let Err(error) = JsFuture::from(promise).await {
        let message = js_sys::Reflect::get(&error, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| format!("{error:?}"));
        panic!("{message}");
    }
}

/// Calls `name(TokenStore, ...args)`, a function of the scenario file whose text is `scenarios`.
pub async fn run_with(scenarios: &str, name: &str, args: &Array) {
    let source = format!(
        "{}\n{}\n{}\nreturn {name}(TokenStore, ...args);",
        body_of(TOKENS),
        body_of(PRELUDE),
        body_of(scenarios)
    );
    let call = Function::new_with_args("TokenStore, args", &source);
    let promise = call
        .call2(&JsValue::NULL, &store_class(), args)
        .unwrap()
        .unchecked_into();
    settle(promise).await;
}

/// Runs the scenario `name` of the scenario file whose text is `scenarios`: an async function of
/// the `TokenStore` class.
pub async fn run(scenarios: &str, name: &str) {
    run_with(scenarios, name, &Array::new()).await;
}
