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
    channel.onmessage = (event) => events.heard("message", event.data);
  };
  const close = () => {
    channel?.close();
    channel = null;
  };
  const document = globalThis.document;
  on(globalThis, "popstate", () => events.heard("look"));
  on(globalThis, "storage", (event) => events.heard("storage", event.key));
  // A refresh that failed while offline is retried when the network comes back.
  on(globalThis, "online", () => events.heard("runsAgain"));
  on(globalThis, "pagehide", close);
  on(globalThis, "pageshow", (event) => {
    open();
    events.heard("shown", event.persisted);
  });
  // Cookies: where the Cookie Store API exists, each changed or deleted cookie's name. Elsewhere the
  // channel's "change" messages and the visibility check below carry other tabs' changes.
  const cookieStore = globalThis.cookieStore;
  if (cookieStore && typeof cookieStore.addEventListener === "function") {
    on(cookieStore, "change", (event) => {
      for (const cookie of [...event.changed, ...event.deleted]) events.heard("storage", cookie.name);
    });
  }
  if (document) {
    on(document, "visibilitychange", () => events.heard("visibility", document.hidden));
    on(document, "DOMContentLoaded", () => events.heard("loaded"));
    // Page Lifecycle: a frozen page runs again.
    on(document, "resume", () => events.heard("runsAgain"));
  }
  open();
  removers.push(close);
  return () => removers.forEach((remove) => remove());
}

// setTimeout for `delay` ms; returns the function that cancels it.
export function wakeAt(events, delay) {
  const id = setTimeout(() => events.heard("timerFired"), delay);
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

// The page's last store on the channel's key is gone: its sending end closes. A message already posted
// is still delivered.
export function forget(channelName) {
  senders.get(channelName)?.close();
  senders.delete(channelName);
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

// The async plumbing of one refresh: the lock, the time limit, the AbortSignal and the call of the
// app's fetchToken. Every decision (adopt or fetch, when to take the lock from a holder that does not
// let go, what the answer means, what a failure does) is made by the `flight` object, in Rust.
export function fly(flight, lockName, fetchToken, limitMs, quiet) {
  const controller = new AbortController();
  // Why tokenstore cut the refresh short, for Rust to word: 1 the time limit, 2 the page was hidden.
  let cut = 0;
  const stop = (why, reason) => {
    if (!controller.signal.aborted) cut = why;
    controller.abort(reason);
  };
  let timer;
  // A page that holds or awaits a lock cannot enter the back/forward cache.
  const hide = () => stop(2, new DOMException("the page was hidden", "AbortError"));
  globalThis.addEventListener?.("pagehide", hide);
  const aborted = new Promise((_, fail) =>
    controller.signal.addEventListener("abort", () => fail(controller.signal.reason), { __proto__: null, once: true }),
  );
  aborted.catch(() => {});
  // Under the lock: the token another tab stored meanwhile, or what fetchToken answers. The time limit
  // runs from here: waiting for the lock is bounded by the holder's lease instead, so a frozen holder
  // costs a wait, not a failure.
  const attempt = async () => {
    flight.lock("lease");
    timer = setTimeout(
      () => stop(1, new DOMException("the refresh took longer than its time limit", "TimeoutError")),
      limitMs,
    );
    try {
      const adopted = flight.begin();
      if (adopted !== undefined) return adopted;
      const token = flight.fetched(await Promise.race([fetchToken(flight.current(), controller.signal), aborted]));
      // Held a moment longer: localStorage reaches other tabs' processes asynchronously, and a tab
      // granted the lock before the new token reaches it would fetch again instead of adopting it.
      if (token !== null) await new Promise((done) => setTimeout(done, 50));
      return token;
    } finally {
      flight.lock("release");
    }
  };
  const locks = globalThis.navigator?.locks;
  const held = locks?.request
    ? lock(locks, flight, lockName, controller.signal, attempt)
    : lease(flight, controller.signal, attempt);
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

// Runs `attempt` under the Web Lock, taking the lock (`steal`) from a holder past its lease: a frozen
// tab keeps its locks, and would keep every other tab from refreshing. Settles with the attempt's own
// result once the lock is let go; a holder whose lock was taken still finishes what it began.
function lock(locks, flight, lockName, signal, attempt) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const waiting = new AbortController();
    let outcome = null;
    let taking = false;
    let recheck;
    const run = () => {
      clearTimeout(recheck);
      signal.removeEventListener("abort", giveUp);
      outcome = attempt();
      return outcome;
    };
    // `stolenFrom`: whether this request's own failure is expected (the wait ended to take the lock).
    const request = (options, stolenFrom) =>
      locks.request(lockName, options, run).then(
        () => outcome.then(resolve, reject),
        (error) => {
          if (outcome) outcome.then(resolve, reject);
          else if (!stolenFrom()) reject(signal.aborted ? signal.reason : error);
        },
      );
    const giveUp = () => {
      clearTimeout(recheck);
      waiting.abort(signal.reason);
    };
    signal.addEventListener("abort", giveUp, { __proto__: null, once: true });
    request({ __proto__: null, signal: waiting.signal }, () => taking);
    const look = () => {
      const next = flight.lock("wait", Date.now() - started);
      if (next >= 0) {
        recheck = setTimeout(look, next);
        return;
      }
      taking = true;
      waiting.abort();
      request({ __proto__: null, steal: true }, () => false);
    };
    if (!signal.aborted) recheck = setTimeout(look, flight.lock("wait", 0));
  });
}

// Runs `attempt` under a lease in localStorage, where the browser has no Web Locks (an http origin
// other than localhost, older browsers): claimed when free, read back after a moment, held if it is
// still this attempt's.
function lease(flight, signal, attempt) {
  return new Promise((resolve, reject) => {
    let timer;
    const giveUp = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    if (signal.aborted) return giveUp();
    signal.addEventListener("abort", giveUp, { __proto__: null, once: true });
    const look = () => {
      timer = setTimeout(() => {
        if (!flight.lock("held")) return look();
        signal.removeEventListener("abort", giveUp);
        attempt().then(resolve, reject);
      }, flight.lock("claim"));
    };
    look();
  });
}

// DPoP: the key in IndexedDB, WebCrypto and fetch. `rules` is the store's StoreFunctions object, in
// Rust: it makes the proof's header and claims, picks the nonce, says when to send again and what to
// report.
// One non-extractable P-256 key per storage key, in the database "tokenstore-dpop", shared by every
// tab; where IndexedDB cannot be opened, a key for this page only.
const pageKeys = new Map();
let keyDatabase = null;

function openKeys() {
  keyDatabase ??= new Promise((done, fail) => {
    const opening = indexedDB.open("tokenstore-dpop", 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("keys");
    opening.onsuccess = () => {
      const database = opening.result;
      // Another page deleting or upgrading the database must not wait on this connection.
      database.onversionchange = () => {
        database.close();
        keyDatabase = null;
      };
      done(database);
    };
    opening.onerror = () => fail(opening.error);
  }).catch((error) => {
    keyDatabase = null;
    throw error;
  });
  return keyDatabase;
}

// Runs `act(objectStore)` in one transaction; resolves with what its last request gave, once committed.
function inKeys(database, mode, act) {
  return new Promise((done, fail) => {
    const transaction = database.transaction("keys", mode);
    let result;
    act(transaction.objectStore("keys"), (value) => (result = value));
    transaction.oncomplete = () => done(result);
    transaction.onerror = transaction.onabort = () => fail(transaction.error);
  });
}

async function keyPair(rules, name) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw rules.unavailable();
  const generate = () =>
    subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]).catch(() => {
      throw rules.unavailable();
    });
  let pair;
  let created = false;
  let persisted = true;
  try {
    const database = await openKeys();
    pair = await inKeys(database, "readonly", (keys, give) => {
      keys.get(name).onsuccess = (event) => give(event.target.result);
    });
    if (!pair) {
      const fresh = await generate();
      // Read and written in one transaction, which IndexedDB runs alone: of two tabs making a key at
      // once, the second finds the first one's and uses it.
      pair = await inKeys(database, "readwrite", (keys, give) => {
        keys.get(name).onsuccess = (event) => {
          const found = event.target.result;
          if (!found) keys.put(fresh, name);
          give(found ?? fresh);
        };
      });
      created = pair === fresh;
    }
  } catch (error) {
    if (error?.name === "TokenError") throw error;
    persisted = false;
    let made = pageKeys.get(name);
    if (!made) {
      created = true;
      pageKeys.set(name, (made = generate()));
      made.catch(() => pageKeys.delete(name));
    }
    pair = await made;
  }
  const raw = new Uint8Array(await subtle.exportKey("raw", pair.publicKey));
  return { pair, raw, jwk: rules.key(raw, created, persisted) };
}

const sha256 = async (text) =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));

export async function dpopThumbprint(rules, name) {
  return rules.encode(await sha256((await keyPair(rules, name)).jwk));
}

export async function dpopProof(rules, name, method, url, token) {
  const { pair, raw } = await keyPair(rules, name);
  let href = "";
  try {
    href = new URL(url, globalThis.location?.href).href;
  } catch {
    // Not a URL: the rules refuse the empty one with a TokenError.
  }
  const ath = token == null ? undefined : await sha256(token);
  const input = rules.input(raw, method, href, ath, crypto.getRandomValues(new Uint8Array(16)));
  const signature = await crypto.subtle.sign(
    { name: "ECDSA", hash: "SHA-256" },
    pair.privateKey,
    new TextEncoder().encode(input),
  );
  return input + "." + rules.encode(new Uint8Array(signature));
}

export async function dpopFetch(rules, name, input, init, token, authorization, dpop) {
  const request = new Request(input, init);
  for (let attempt = 0; ; attempt++) {
    // A copy per attempt, so the body can be sent again.
    const sent = request.clone();
    if (authorization != null) sent.headers.set("Authorization", authorization);
    if (dpop) sent.headers.set("DPoP", await dpopProof(rules, name, sent.method, sent.url, token));
    const response = await fetch(sent);
    // An authorization server asks for a nonce in a 400's JSON body: its `error` member, for the rules.
    const error = response.status === 400 ? await response.clone().json().then((body) => body?.error, () => null) : null;
    const { headers, status } = response;
    const again = rules.answered(response.url || sent.url, headers.get("DPoP-Nonce"), attempt, status,
      headers.get("WWW-Authenticate"), typeof error === "string" ? error : null);
    if (!again) return response;
  }
}

export function dpopForget(name) {
  pageKeys.delete(name);
  openKeys()
    .then((database) => inKeys(database, "readwrite", (keys) => keys.delete(name)))
    .catch(() => {});
}

export const dpopKeyDetail = (reason) => Object.freeze({ reason });
