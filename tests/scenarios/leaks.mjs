// The scenarios of tests/leaks.rs, one exported function each, named after its test or, for the
// steps of a_freed_store_holds_no_externref_slot, after what they do.
import { check, collect, later, same, sub } from "./prelude.mjs";

/** The page's own values, made once, and the class the scenarios reach. */
export async function warm_up(TokenStore) {
  new TokenStore({ backend: "memory" }).free();
  await collect();
}

export async function free_memory_stores(TokenStore) {
  for (let i = 0; i < 500; i++) new TokenStore({ backend: "memory" }).free();
}

export async function drop_local_stores(TokenStore) {
  localStorage.clear();
  for (let i = 0; i < 500; i++) new TokenStore({ key: "slots" });
  await collect();
}

export async function a_key_keeps_its_channel_only_while_a_store_is_on_it(TokenStore) {
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

}

export async function a_logout_visits_listened_stores_not_every_store_on_its_key(TokenStore) {
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

}
