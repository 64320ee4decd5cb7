//! What the page keeps for stores the app is done with, counted rather than timed: the externref
//! table slots wasm-bindgen holds for the module, the BroadcastChannels open, and the stores a logout
//! visits. Freed stores need no garbage collector, so every check runs in Chromium and Firefox alike.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::scenario;

/// Live externref table slots: every JS value the module holds.
fn slots() -> u32 {
    wasm_bindgen::externref_heap_live_count()
}

#[wasm_bindgen_test]
async fn a_freed_store_holds_no_externref_slot() {
    // Warm-up: the page's own values, made once, and the class the scenarios reach.
    scenario("new TokenStore({ backend: 'memory' }).free(); await collect();").await;
    let before = slots();
    // A memory store holds no JS value of its own: freed, it holds none even before it is collected.
    scenario("for (let i = 0; i < 500; i++) new TokenStore({ backend: 'memory' }).free();").await;
    let after = slots();
    assert!(
        after <= before + 10,
        "500 memory stores made and freed: {before} slots in use before, {after} after"
    );
    // A localStorage store holds the storage object until the collector frees it: where the browser
    // exposes one (Chromium here).
    let collects = js_sys::Reflect::has(&js_sys::global(), &"gc".into()).unwrap_or(false);
    if collects {
        scenario(
            r#"
            localStorage.clear();
            for (let i = 0; i < 500; i++) new TokenStore({ key: "slots" });
            await collect();
            "#,
        )
        .await;
        let collected = slots();
        assert!(
            collected <= before + 10,
            "500 localStorage stores dropped and collected: {before} slots in use before, {collected} after"
        );
    }
}

#[wasm_bindgen_test]
async fn a_key_keeps_its_channel_only_while_a_store_is_on_it() {
    scenario(
        r#"
        localStorage.clear();
        const Original = globalThis.BroadcastChannel;
        const open = new Set();
        globalThis.BroadcastChannel = class extends Original {
          constructor(name) { super(name); open.add(this); }
          close() { open.delete(this); super.close(); }
        };
        try {
          for (let i = 0; i < 300; i++) {
            const store = new TokenStore({ key: `channels-${i}` });
            store.set(later(600, "many"));
            store.clear();
            store.free();
          }
          same(open.size, 0, "no channel is open once every store is freed");
          const one = new TokenStore({ key: "channels-0" });
          const two = new TokenStore({ key: "channels-0" });
          one.clear();
          same(open.size, 1, "a logout opens its key's channel again");
          one.free();
          same(open.size, 1, "it stays while another store is on the key");
          two.free();
          same(open.size, 0, "and goes with the last one");
        } finally {
          globalThis.BroadcastChannel = Original;
        }
        "#,
    )
    .await;
}

#[wasm_bindgen_test]
async fn a_logout_visits_listened_stores_not_every_store_on_its_key() {
    scenario(
        r#"
        localStorage.clear();
        let reads = 0;
        const getItem = Storage.prototype.getItem;
        Storage.prototype.getItem = function (name) {
          if (name === "visits") reads++;
          return getItem.call(this, name);
        };
        try {
          const heard = [];
          const listened = new TokenStore({ key: "visits" });
          listened.subscribe((snapshot) => heard.push(sub(snapshot)));
          const logoutWith = (count) => {
            // Stores on localStorage that nobody listens to; the logout comes from the memory backend.
            const idle = [];
            for (let i = 0; i < count; i++) idle.push(new TokenStore({ key: "visits" }));
            listened.set(later(600, `with ${count}`));
            const memory = new TokenStore({ key: "visits", backend: "memory" });
            reads = 0;
            memory.clear();
            const visits = reads;
            memory.free();
            idle.forEach((store) => store.free());
            return visits;
          };
          const [small, large] = [logoutWith(200), logoutWith(400)];
          check(large <= small + 2, `localStorage reads in a logout with 200 and 400 idle stores: ${small}, ${large}`);
          check(small < 10, `localStorage reads in a logout with 200 idle stores: ${small}`);
          same(heard, ["anonymous", "with 200", "anonymous", "with 400", "anonymous"], "the listened store hears each logout");
          listened.free();
        } finally {
          Storage.prototype.getItem = getItem;
        }
        "#,
    )
    .await;
}
