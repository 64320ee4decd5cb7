// The classes apps use: TokenStore, and the AutoLogin and AutoRefresh handles. Each member forwards to
// the Rust store (`Core`, src/wasm/exports.rs), which decides, answers and throws: every member goes
// through one export, as each export carries its own glue in the module.

// The Rust store of each TokenStore. A WeakMap rather than a property: nothing the app or a polluted
// Object.prototype sets stands in for it, and a store made before the module was ready gets its
// own later (`attach`).
const cores = new WeakMap();
let Core;

/** Hands the classes the glue's `Core` class; returns the TokenStore class. */
export function install(core) {
  Core = core;
  return TokenStore;
}

/** Gives `store` its Rust store. */
export function attach(store, core) {
  cores.set(store, core);
}

const call = (store, member, first, second) => cores.get(store).call(member, first, second);

// A listener's handle. Dropping it leaves the listener running; `free()` is `dispose()`.
class Handle {
  #handle;
  constructor(handle) {
    this.#handle = handle;
  }
  dispose() {
    this.#handle.dispose();
  }
  free() {
    this.dispose();
  }
  static {
    if (Symbol.dispose) Handle.prototype[Symbol.dispose] = Handle.prototype.free;
  }
}

export class AutoLogin extends Handle {}

export class AutoRefresh extends Handle {}

/** What `autoLogin` (`refresh` false) or `autoRefresh` returns for the Rust `handle`. */
export function handleOf(refresh, handle) {
  return new (refresh ? AutoRefresh : AutoLogin)(handle);
}

export class TokenStore {
  constructor(options) {
    cores.set(this, new Core(options));
  }
  static {
    const getters = [
      "backend", "claims", "clockOffset", "getServerSnapshot", "getSnapshot", "header", "key", "leeway",
      "subscribe",
    ];
    const methods = [
      "authorizationHeader", "autoLogin", "autoLoginAnnounced", "autoRefresh", "clear", "dpopProof",
      "dpopThumbprint", "expiresAt", "fetch", "free", "get", "isExpired", "isValid", "on", "refresh", "set",
      "setServerTime", "useBackend",
    ];
    // Descriptors without a prototype: a polluted Object.prototype must not lend them fields.
    for (const name of getters) {
      Object.defineProperty(TokenStore.prototype, name, {
        __proto__: null,
        configurable: true,
        get() {
          return call(this, name);
        },
      });
    }
    for (const name of methods) {
      Object.defineProperty(TokenStore.prototype, name, {
        __proto__: null,
        configurable: true,
        writable: true,
        value: function (first, second) {
          return call(this, name, first, second);
        },
      });
    }
    if (Symbol.dispose) TokenStore.prototype[Symbol.dispose] = TokenStore.prototype.free;
  }
}
