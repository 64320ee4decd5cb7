//! What the page keeps for stores the app is done with, counted rather than timed: the externref
//! table slots wasm-bindgen holds for the module, the BroadcastChannels open, and the stores a logout
//! visits. Freed stores need no garbage collector, so every check runs in Chromium and Firefox alike.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::run;

/// The scenarios, one exported function per test, named after it.
const SCENARIOS: &str = include_str!("scenarios/leaks.mjs");

/// Live externref table slots: every JS value the module holds.
fn slots() -> u32 {
    wasm_bindgen::externref_heap_live_count()
}

#[wasm_bindgen_test]
async fn a_freed_store_holds_no_externref_slot() {
    // Warm-up: the page's own values, made once, and the class the scenarios reach.
    run(SCENARIOS, "warm_up").await;
    let before = slots();
    // A memory store holds no JS value of its own: freed, it holds none even before it is collected.
    run(SCENARIOS, "free_memory_stores").await;
    let after = slots();
    assert!(
        after <= before + 10,
        "500 memory stores made and freed: {before} slots in use before, {after} after"
    );
    // A localStorage store holds the storage object until the collector frees it: where the browser
    // exposes one (Chromium here).
    let collects = js_sys::Reflect::has(&js_sys::global(), &"gc".into()).unwrap_or(false);
    if collects {
        run(SCENARIOS, "drop_local_stores").await;
        let collected = slots();
        assert!(
            collected <= before + 10,
            "500 localStorage stores dropped and collected: {before} slots in use before, {collected} after"
        );
    }
}

#[wasm_bindgen_test]
async fn a_key_keeps_its_channel_only_while_a_store_is_on_it() {
    run(
        SCENARIOS,
        "a_key_keeps_its_channel_only_while_a_store_is_on_it",
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_logout_visits_listened_stores_not_every_store_on_its_key() {
    run(
        SCENARIOS,
        "a_logout_visits_listened_stores_not_every_store_on_its_key",
    )
    .await;
}
