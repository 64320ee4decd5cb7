// The page events a store listens to, handed to Rust as plain facts (which key or cookie changed, whether the
// page was restored, whether it is hidden, what a message said): Rust decides what each means.
// `events` is the store's PageEvents object; while any listener here holds it, it is reachable.

export function watch(events, channelName) {
  const removers = [];
  const on = (target, type, listener) => {
    target.addEventListener(type, listener);
    removers.push(() => target.removeEventListener(type, listener));
  };
  const document = globalThis.document;
  on(globalThis, "popstate", () => events.look());
  on(globalThis, "storage", (event) => events.storage(event.key));
  on(globalThis, "pageshow", (event) => events.shown(event.persisted));
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
  }
  if (typeof BroadcastChannel === "function") {
    const channel = new BroadcastChannel(channelName);
    channel.onmessage = (event) => events.message(event.data);
    removers.push(() => channel.close());
  }
  return () => removers.forEach((remove) => remove());
}

// setTimeout for `delay` ms; returns the function that cancels it.
export function wakeAt(events, delay) {
  const id = setTimeout(() => events.wake(), delay);
  return () => clearTimeout(id);
}

// The sending end of each logout channel, opened on first use and kept: opening and closing a
// BroadcastChannel for every logout made each one slower than the last in Chromium and Node.
const senders = new Map();

export function post(channelName, message) {
  if (typeof BroadcastChannel !== "function") return;
  let channel = senders.get(channelName);
  if (!channel) senders.set(channelName, (channel = new BroadcastChannel(channelName)));
  channel.postMessage(message);
}
