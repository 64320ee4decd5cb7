// What passes between the page and a store, and between pages: the page events a store listens to,
// handed to Rust as plain facts (which key or cookie changed, whether the page was restored, whether
// it is hidden, what a message said), the logout channel, small records in web storage, and the
// refresh lock. Rust decides what each means. Option dictionaries handed to the browser have no
// prototype: the browser reads inherited members too, and a polluted Object.prototype.steal or .signal
// would change or break the call. `events` is the store's PageEvents object; while a listener here
// holds it, it is reachable.

export function watch(events, channelName) {
  const removers = [];
  const on = (target, type, listener) => {
    target.addEventListener(type, listener);
    removers.push(() => target.removeEventListener(type, listener));
  };
  // An open channel that receives a message evicts a page from the back/forward cache, so it is
  // closed whenever the page is hidden away and opened again when it shows.
  let channel = null;
  const open = () => {
    if (channel || typeof BroadcastChannel !== "function") return;
    channel = new BroadcastChannel(channelName);
    channel.onmessage = (event) => events.message(event.data);
  };
  const close = () => {
    channel?.close();
    channel = null;
  };
  const document = globalThis.document;
  on(globalThis, "popstate", () => events.look());
  on(globalThis, "storage", (event) => events.storage(event.key));
  // A refresh that failed while offline is retried when the network comes back.
  on(globalThis, "online", () => events.resumed());
  on(globalThis, "pagehide", close);
  on(globalThis, "pageshow", (event) => {
    open();
    events.shown(event.persisted);
  });
  // Cookies: where the Cookie Store API exists, each changed or deleted cookie's name. Elsewhere the
  // channel's "change" messages and the visibility check below carry other tabs' changes.
  const cookieStore = globalThis.cookieStore;
  if (cookieStore && typeof cookieStore.addEventListener === "function") {
    on(cookieStore, "change", (event) => {
      for (const cookie of [...event.changed, ...event.deleted]) events.storage(cookie.name);
    });
  }
  if (document) {
    on(document, "visibilitychange", () => events.visibility(document.hidden));
    on(document, "DOMContentLoaded", () => events.loaded());
    // Page Lifecycle: a frozen page runs again.
    on(document, "resume", () => events.resumed());
  }
  open();
  removers.push(close);
  return () => removers.forEach((remove) => remove());
}

// setTimeout for `delay` ms; returns the function that cancels it.
export function wakeAt(events, delay) {
  const id = setTimeout(() => events.wake(), delay);
  return () => clearTimeout(id);
}

// The sending end of each logout channel, opened on first use and kept while the page shows: opening
// and closing a BroadcastChannel for every logout made each one slower than the last in Chromium and
// Node. Closed on pagehide, like the listening ends.
const senders = new Map();

export function post(channelName, message) {
  if (typeof BroadcastChannel !== "function") return;
  let channel = senders.get(channelName);
  if (!channel) {
    if (senders.size === 0 && typeof addEventListener === "function") {
      addEventListener("pagehide", () => {
        senders.forEach((sender) => sender.close());
        senders.clear();
      }, { __proto__: null, once: true });
    }
    senders.set(channelName, (channel = new BroadcastChannel(channelName)));
  }
  channel.postMessage(message);
}

// A small JSON record in localStorage or sessionStorage ("local" or "session"); null when absent,
// unreadable, or the storage is blocked.
export function readRecord(area, name) {
  try {
    return JSON.parse(globalThis[area + "Storage"].getItem(name));
  } catch {
    return null;
  }
}

export function writeRecord(area, name, record) {
  try {
    if (record === null) globalThis[area + "Storage"].removeItem(name);
    else globalThis[area + "Storage"].setItem(name, JSON.stringify(record));
  } catch {
    // Blocked or full storage: the record is a hint for other tabs, and they do without it.
  }
}

// The async plumbing of one refresh: the Web Lock, the time limit, the AbortSignal and the call of the
// app's fetchToken. Every decision (adopt or fetch, what the answer means, what a failure does) is made
// by the `flight` object, in Rust.
export function fly(flight, lockName, fetchToken, limitMs, quiet) {
  const controller = new AbortController();
  // Why tokenstore cut the refresh short, for Rust to word: 1 the time limit, 2 the page was hidden.
  let cut = 0;
  const stop = (why, reason) => {
    if (!controller.signal.aborted) cut = why;
    controller.abort(reason);
  };
  // One limit for the whole flight, the wait for the lock included: a stuck fetch or a stuck holder
  // cannot keep this tab waiting, and an aborted fetch lets the lock go.
  const timer = setTimeout(
    () => stop(1, new DOMException("the refresh took longer than its time limit", "TimeoutError")),
    limitMs,
  );
  // A page that holds or awaits a lock cannot enter the back/forward cache.
  const hide = () => stop(2, new DOMException("the page was hidden", "AbortError"));
  globalThis.addEventListener?.("pagehide", hide);
  const aborted = new Promise((_, fail) =>
    controller.signal.addEventListener("abort", () => fail(controller.signal.reason), { __proto__: null, once: true }),
  );
  aborted.catch(() => {});
  // Under the lock: the token another tab stored meanwhile, or what fetchToken answers.
  const attempt = async () => {
    const adopted = flight.begin();
    if (adopted !== undefined) return adopted;
    const token = flight.fetched(await Promise.race([fetchToken(flight.current(), controller.signal), aborted]));
    // Held a moment longer: localStorage reaches other tabs' processes asynchronously, and a tab granted
    // the lock before the new token reaches it would fetch again instead of adopting it.
    if (token !== null) await new Promise((done) => setTimeout(done, 50));
    return token;
  };
  const locks = globalThis.navigator?.locks;
  const held = locks?.request
    ? locks.request(lockName, { __proto__: null, signal: controller.signal }, attempt)
    : Promise.resolve().then(attempt);
  const done = held
    .catch((error) => {
      throw flight.failed(error, cut);
    })
    .finally(() => {
      clearTimeout(timer);
      globalThis.removeEventListener?.("pagehide", hide);
    });
  // Nobody awaits an autoRefresh's flight: its failures are reported by the refreshError event.
  if (quiet) done.catch(() => {});
  return done;
}
