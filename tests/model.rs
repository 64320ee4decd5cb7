//! A stateful, model-based test in the browser: random sequences of API calls on stores sharing a key,
//! with re-entrant handlers, storage events, stores the app stops referencing and, in Chromium, real
//! garbage collections. After every step the stores, their snapshots, their subscribers and their
//! hooks are checked against a small model of what the store should hold and report. Each backend
//! runs fixed seeds and a random one; a failure names the seed, the steps that led to it, and how to
//! replay it (`MODEL_SEED`).
#![cfg(target_arch = "wasm32")]

mod common;

use common::run_with;
use js_sys::Array;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The seed to replay, read when the test is built: `MODEL_SEED=<n>` runs that seed alone, on every
/// backend, in place of the fixed seeds and the random one.
const REPLAY: Option<&str> = option_env!("MODEL_SEED");

/// The model, and `checkModel`, which runs it.
const SCENARIOS: &str = include_str!("scenarios/model.mjs");

/// Runs the model on `backend` with each of `seeds` and one random seed; a failure names its seed and
/// how to replay it.
async fn model(backend: &str, seeds: &[u32]) {
    let (seeds, random) = match REPLAY {
        Some(seed) => (
            vec![seed.parse::<u32>().expect("MODEL_SEED is a whole number")],
            false,
        ),
        None => (seeds.to_vec(), true),
    };
    let seeds: Array = seeds.into_iter().map(JsValue::from).collect();
    let args = Array::of3(&backend.into(), &seeds, &random.into());
    run_with(SCENARIOS, "checkModel", &args).await;
}

#[wasm_bindgen_test]
async fn local_stores_behave_like_the_model() {
    model("local", &[1, 2, 3, 4]).await;
}

#[wasm_bindgen_test]
async fn session_stores_behave_like_the_model() {
    model("session", &[5, 6, 7]).await;
}

#[wasm_bindgen_test]
async fn memory_stores_behave_like_the_model() {
    model("memory", &[8, 9, 10]).await;
}
