// The classes apps use: TokenStore, the AutoLogin and AutoRefresh handles, and TokenError. Each member
// forwards to the Rust store (`Core`, src/wasm/exports.rs), which decides, answers and throws: every
// member goes through one export, as each export carries its own glue in the module. One file for all
// four: a browser test page loads at most four snippet modules reliably (scripts/snippet-modules.mjs).

// The class of every error tokenstore throws, so `error instanceof TokenError` works. The package's entry
// module re-exports it; errors built in Rust come through `tokenError`.
export class TokenError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "TokenError";
    this.code = code;
  }
}

export function tokenError(code, message) {
  return new TokenError(code, message);
}

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

// The functions React and Svelte call unbound, per Rust store: made on first read, then the same on
// every read (React compares them). Each holds the Rust store, which lives while any of them does.
const unbound = new WeakMap();

function unboundFunction(store, member) {
  const core = cores.get(store);
  let functions = unbound.get(core);
  if (!functions) unbound.set(core, (functions = { __proto__: null }));
  return (functions[member] ??= (run) => core.call(member, run));
}

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
    // Descriptors without a prototype: a polluted Object.prototype must not lend them fields.
    const define = (name, descriptor) =>
      Object.defineProperty(TokenStore.prototype, name, { __proto__: null, configurable: true, ...descriptor });
    for (const name of ["backend", "claims", "clockOffset", "header", "key", "leeway"]) {
      define(name, {
        get() {
          return call(this, name);
        },
      });
    }
    for (const name of ["getServerSnapshot", "getSnapshot", "subscribe"]) {
      define(name, {
        get() {
          return unboundFunction(this, name);
        },
      });
    }
    const methods = [
      "authorizationHeader", "autoLogin", "autoLoginAnnounced", "autoRefresh", "clear", "dpopProof",
      "dpopThumbprint", "expiresAt", "fetch", "free", "get", "isExpired", "isValid", "on", "refresh", "set",
      "setServerTime", "useBackend",
    ];
    for (const name of methods) {
      define(name, {
        writable: true,
        value: function (first, second) {
          return call(this, name, first, second);
        },
      });
    }
    if (Symbol.dispose) TokenStore.prototype[Symbol.dispose] = TokenStore.prototype.free;
  }
}
