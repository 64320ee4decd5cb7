// The package's module entry. It wraps wasm-bindgen's glue (core.js) and the classes over it
// (token_store.js): a call that needs the module before
// init() throws a TokenError NOT_INITIALIZED instead of a TypeError from inside the glue, and a
// Content-Security-Policy that refuses WebAssembly is named in the error.
//
// A store made before the module is ready gives the early answer: the token stored under its key, read
// with the strict fast-path decoder (decode.js) and judged by the core's rules (exp with leeway, nbf,
// the logout mark), answers getSnapshot(), subscribe() and the first autoLogin check at once. When the
// module is ready each such store gets its Rust store, which takes over: its hooks start from what the
// early answer announced (no second onLogin; a logout where the core disagrees), its subscribers hear
// the core's snapshot. Where the early answer cannot vouch for a stored value, it announces nothing.
import * as core from "./core.js";
// The build (scripts/build.mjs) replaces each placeholder with the snippet path wasm-bindgen wrote: errors from Rust are made
// with the class exported here, and the early answer decodes and builds snapshots as the store does.
import { decodePart } from "./snippets/DECODE_JS";
import { freezeDeep, snapshot } from "./snippets/OBJECTS_JS";
import { AutoLogin, AutoRefresh, TokenError, attach, install } from "./snippets/TOKEN_STORE_JS";

export { TokenError, AutoLogin, AutoRefresh };

const Base = install(core.Core);

let ready = false;

// In Node the entry is node.js, whose init() reads the wasm from disk: say so there.
const hint =
  typeof process === "object" && process.versions?.node
    ? "call `await init()` (in Node it reads tokenstore_bg.wasm from disk) or `initSync()` from \"tokenstore\" first"
    : "call `await init()` (or `initSync()`) from \"tokenstore\" first";

function assertReady(what = "tokenstore") {
  if (!ready) throw new TokenError("NOT_INITIALIZED", `${what} is not initialized: ${hint}`);
}

const reportError = (error) => (globalThis.reportError ?? console.error)(error);

// Calls app code as the core does: an exception is reported and stops nothing else.
function report(run, ...args) {
  try {
    run(...args);
  } catch (error) {
    reportError(error);
  }
}

// When compiling is refused, compile and instantiate the smallest valid module too: if that fails as well,
// WebAssembly itself is blocked, which only a policy does (Chromium and Firefox refuse the compile, WebKit
// the instance). Browsers word the error differently, so no message is read.
function explain(error) {
  if (!(error instanceof WebAssembly.CompileError)) return error;
  try {
    new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])));
    return error;
  } catch {
    return new WebAssembly.CompileError(
      "tokenstore cannot start: the page's Content-Security-Policy does not allow WebAssembly. Allow it " +
        "with script-src 'wasm-unsafe-eval' (for example script-src 'self' 'wasm-unsafe-eval'). " +
        `The browser said: ${error.message}`,
      { cause: error },
    );
  }
}

/** Loads and instantiates the wasm module; see core.js for what `input` may be. Safe to call again. */
export default async function init(input) {
  try {
    return started(await core.default(input));
  } catch (error) {
    throw explain(error);
  }
}

/** Instantiates the wasm module synchronously from its bytes or a compiled `WebAssembly.Module`. */
export function initSync(input) {
  try {
    return started(core.initSync(input));
  } catch (error) {
    throw explain(error);
  }
}

// An option or handler the object holds itself: a polluted Object.prototype adds nothing.
const own = (object, name) => (typeof object === "object" && object && Object.hasOwn(object, name) ? object[name] : undefined);

// A record in web storage, as the core reads it: parsed JSON, null when absent or unreadable.
function record(area, name) {
  try {
    return JSON.parse(globalThis[area + "Storage"].getItem(name));
  } catch {
    return null;
  }
}
// A number the record holds itself: a polluted Object.prototype adds nothing.
const number = (value, field) =>
  typeof value === "object" && value && Object.hasOwn(value, field) && typeof value[field] === "number" ? value[field] : undefined;

/**
 * The early answer for a store made with `options`: its token in storage now, with its claims, backend
 * and leeway, or undefined where it cannot vouch for the core's answer (options it does not read
 * alone, storage that throws, a value the fast path does not vouch for, a logout mark that applies).
 */
function earlyAnswer(options) {
  const backend = own(options, "backend") ?? "local";
  const key = own(options, "key") ?? "tokenstore.jwt";
  const leeway = own(options, "leeway") ?? 0;
  if (typeof key !== "string" || !key || typeof leeway !== "number" || !(leeway >= 0 && leeway < Infinity)) return;
  // A serverClock store starts from the offset the key's tabs recorded, if any: that moves "now", so
  // the core alone answers then. Without a record its offset starts at zero, as here.
  if (own(options, "serverClock") && record("local", `tokenstore:${key}:clock`) !== null) return;
  const answer = { __proto__: null, token: null, claims: null, backend, leeway };
  // A page's memory is empty until a store writes, which none can before the module is ready.
  if (backend === "memory") return answer;
  if (backend !== "local" && backend !== "session") return;
  try {
    answer.token = globalThis[backend + "Storage"].getItem(key);
  } catch {
    return;
  }
  if (answer.token === null) return answer;
  const claims = decodePart(answer.token, 0) && decodePart(answer.token, 1);
  if (!claims) return;
  if (backend === "session") {
    // A logout elsewhere ends a sessionStorage copy whose writer knew of another logout, or of none
    // (src/broadcast.rs, on_mark and predates); a copy it cannot date stays.
    const mark = record("local", `tokenstore:${key}:logout`);
    const after = number(record("session", `tokenstore:${key}:stored`), "after");
    if (Date.now() <= number(mark, "until") && after !== undefined && after !== number(mark, "id")) return;
  }
  answer.claims = freezeDeep(claims);
  return answer;
}

/** The status the core gives `answer`'s token at `now` (seconds): src/time.rs, src/session.rs. */
function statusOf({ token, claims, leeway }, now) {
  if (token === null) return "anonymous";
  if (claims.exp <= now - leeway) return "expired";
  if (claims.nbf > now + leeway) return "notYetValid";
  return "authenticated";
}

// What each store made before the module was ready knows and owes; and those still waiting for their
// Rust store.
const early = new WeakMap();
const waiting = new Set();

// A store made early that was freed, or whose options the core refused, is ended: FREED.
function open(state) {
  if (state.ended) throw new TokenError("FREED", "this TokenStore has been freed");
  return state;
}

function end(state) {
  state.ended = true;
  state.snapshot = state.anonymous;
}

class Store extends Base {
  constructor(options) {
    if (ready) {
      super(options);
      return;
    }
    // No Rust store yet: an object of the Waiting class below, which becomes a plain store later.
    const store = Object.create(Waiting.prototype);
    const answer = earlyAnswer(options);
    const anonymous = snapshot(null, null, "anonymous", own(options, "backend") ?? "local", null);
    // Objects without a prototype, here and below: a polluted Object.prototype must not add a handler
    // or a subscriber, or any field this code reads.
    const state = {
      __proto__: null,
      options,
      anonymous,
      snapshot: answer
        ? snapshot(answer.token, answer.claims, statusOf(answer, Date.now() / 1000), answer.backend, answer.claims?.exp ?? null)
        : anonymous,
      // Hooks and subscribers, in the order the app added them: the Rust store gets them in that order.
      listeners: [],
      // The functions handed out: callable unbound (React and Svelte call them so), the same on every
      // read until the handover (React compares them), and usable after it.
      getSnapshot: () => (state.handed ? store.getSnapshot() : state.snapshot),
      getServerSnapshot: () => (state.handed ? store.getServerSnapshot() : anonymous),
      subscribe(run) {
        if (state.handed) return store.subscribe(run);
        open(state);
        if (typeof run !== "function") throw new TokenError("INVALID_ARGUMENT", "subscribe needs a function");
        const subscriber = { __proto__: null, run };
        state.listeners.push(subscriber);
        report(run, state.snapshot);
        return () => {
          subscriber.run = undefined;
          subscriber.unsubscribe?.();
        };
      },
    };
    early.set(store, state);
    waiting.add(store);
    return store;
  }
}

// A store made before the module was ready, until then: getSnapshot, getServerSnapshot, subscribe and
// autoLogin answer early; every other member of the class (whatever it has: new ones need nothing
// here) throws NOT_INITIALIZED, or FREED after free().
class Waiting extends Store {
  static {
    Waiting.prototype[Symbol.dispose] = Waiting.prototype.free;
    for (const name of ["getSnapshot", "getServerSnapshot", "subscribe"]) {
      Object.defineProperty(Waiting.prototype, name, { __proto__: null, get: function () { return early.get(this)[name]; } });
    }
    for (const name of Reflect.ownKeys(Base.prototype)) {
      if (Object.hasOwn(Waiting.prototype, name)) continue;
      const fail = function () {
        const state = early.get(this);
        if (state) open(state);
        assertReady(`\`${String(name)}\``);
      };
      // Own properties only: a polluted Object.prototype would lend a data property a `get`.
      const accessor = Object.hasOwn(Object.getOwnPropertyDescriptor(Base.prototype, name), "get");
      Object.defineProperty(Waiting.prototype, name, accessor ? { __proto__: null, get: fail } : { __proto__: null, value: fail });
    }
  }

  autoLogin(handlers) {
    const state = open(early.get(this));
    const onLogin = own(handlers, "onLogin");
    const onLogout = own(handlers, "onLogout");
    if (!(onLogin || onLogout) || ![onLogin, onLogout].every((handler) => handler === undefined || typeof handler === "function")) {
      throw new TokenError("INVALID_ARGUMENT", "autoLogin needs { onLogin, onLogout }, functions");
    }
    const hook = { __proto__: null, handlers, onLogout };
    state.listeners.push(hook);
    // The first check, as the core runs it: now if the document has loaded, else at DOMContentLoaded.
    const check = () => {
      if (hook.handlers && !hook.handle && state.snapshot.status === "authenticated") {
        hook.announced = state.snapshot.token;
        if (onLogin) report(onLogin, hook.announced, state.snapshot.claims);
      }
    };
    const document = globalThis.document;
    if (document?.readyState === "loading") document.addEventListener("DOMContentLoaded", check, { __proto__: null, once: true });
    else if (document) check();
    return new AutoLogin({
      dispose() {
        hook.handlers = undefined;
        hook.handle?.dispose();
      },
    });
  }

  /** Ends the store before it got its Rust store: its hooks and subscribers are never called again. */
  free() {
    end(early.get(this));
    waiting.delete(this);
  }

  /** The module is ready: each Rust store takes over from what the early answer told the app. */
  static handOver() {
    for (const store of waiting) {
      const state = early.get(store);
      let rust;
      try {
        rust = new core.Core(state.options);
      } catch (error) {
        // Options the core refuses: the store ends (FREED), what it announced is taken back, and the
        // error is reported.
        reportError(error);
        end(state);
        for (const { handlers, announced, onLogout, run } of state.listeners) {
          if (handlers && announced && onLogout) report(onLogout, "invalid");
          if (run) report(run, state.anonymous);
        }
        continue;
      }
      // The object the app holds becomes a plain store.
      Object.setPrototypeOf(store, Store.prototype);
      attach(store, rust);
      state.handed = true;
      for (const listener of state.listeners) {
        if (listener.handlers) {
          listener.handle = listener.announced
            ? store.autoLoginAnnounced(listener.handlers, listener.announced)
            : store.autoLogin(listener.handlers);
        }
        if (listener.run) listener.unsubscribe = store.subscribe(listener.run);
      }
    }
    waiting.clear();
  }
}
export { Store as TokenStore };

function started(exports) {
  ready = true;
  Waiting.handOver();
  return exports;
}

// build.sh bundles this file with core.js, and bundling renames classes whose names clash; the console
// shows these by name.
for (const [named, name] of [
  [Store, "TokenStore"],
  [AutoLogin, "AutoLogin"],
  [AutoRefresh, "AutoRefresh"],
]) {
  // No prototype: a descriptor would inherit `get` or `writable` from a polluted Object.prototype.
  Object.defineProperty(named, "name", { __proto__: null, value: name });
}

/** The decoded claims; before init() only of a token the fast path vouches for, else NOT_INITIALIZED. */
export function decodeClaims(token) {
  return ready ? core.decodeClaims(token) : (decodePart(token, 1) ?? assertReady());
}

/** The decoded header; before init() as decodeClaims. */
export function decodeHeader(token) {
  return ready ? core.decodeHeader(token) : (decodePart(token, 0) ?? assertReady());
}

/**
 * Whether `error` is a TokenError, from this copy of the package or another. Before init() it answers
 * in JS, by the same rule, so a `catch` around the first call can use it.
 */
export function isTokenError(error) {
  if (ready) return core.isTokenError(error);
  return error instanceof Error && error.name === "TokenError" && typeof error.code === "string";
}

