// The package's API. core.d.ts is what wasm-bindgen declares (scripts/types.mjs drops its init functions and raw
// exports); this file adds what the entry module changes: init() that may be called with nothing, the
// TokenError class, and claims typed by the app.
import * as core from "./core.js";
import type {
  AutoLogin,
  AutoLoginHandlers,
  JwtClaims,
  JwtHeader,
  TokenErrorCode,
  TokenEventMap,
  TokenEventName,
  TokenSnapshot,
  TokenStoreOptions,
} from "./core.js";

export * from "./core.js";

declare global {
  // Stores and handles declare `[Symbol.dispose]()`. TypeScript declares the symbol only with
  // `esnext.disposable` in `lib`; this declaration, the one TypeScript's lib has, lets the types check
  // under the ES2022/ES2023 `lib` of app scaffolds too.
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** Where `init()` may find the wasm: its URL, a response, its bytes or a compiled module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** What `initSync()` takes: the wasm's bytes or a compiled module. */
export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Loads and instantiates the wasm module, once; later calls return the same promise's result.
 * In a browser it fetches `tokenstore_bg.wasm` next to this file (bundlers copy it); in Node it reads
 * it from disk. Rejects with a `WebAssembly.CompileError` naming `script-src 'wasm-unsafe-eval'` when a
 * Content-Security-Policy refuses WebAssembly.
 */
export default function init(input?: { module_or_path: InitInput | Promise<InitInput> }): Promise<void>;

/** Instantiates the wasm module synchronously; in Node, with no argument, from the file on disk. */
export function initSync(input?: { module: SyncInitInput }): void;

/** What tokenstore throws: `name` is `"TokenError"`, `code` is stable across versions. */
export declare class TokenError extends Error {
  constructor(code: TokenErrorCode, message: string);
  name: "TokenError";
  code: TokenErrorCode;
}

/** The members of the generated class that do not mention claims, kept with their documentation. */
type ClaimFreeMembers = Omit<
  core.TokenStore,
  "claims" | "getSnapshot" | "getServerSnapshot" | "subscribe" | "autoLogin" | "on"
>;

/**
 * A token in localStorage, sessionStorage, memory or a cookie. `C` names the app's own claims, so that
 * `store.claims?.name` is typed: `new TokenStore<{ name: string }>()`. Registered claims stay typed.
 */
export interface TokenStore<C extends object = JwtClaims> extends ClaimFreeMembers {
  /** The decoded payload, deeply frozen, the same object until the token changes. */
  readonly claims: Readonly<C & JwtClaims> | null;
  /** The current snapshot, the same object until something changes. Works unbound. */
  readonly getSnapshot: () => TokenSnapshot<C>;
  /** The snapshot a server renders and the client hydrates with: anonymous, the same every call. */
  readonly getServerSnapshot: () => TokenSnapshot<C>;
  /** Calls `run(snapshot)` now and on every change; returns the unsubscribe function. Works unbound. */
  readonly subscribe: (run: (snapshot: TokenSnapshot<C>) => void) => () => void;
  /** Calls `onLogin` / `onLogout` as the token becomes valid or stops being valid. */
  autoLogin(handlers: AutoLoginHandlers<C>): AutoLogin;
  /** Calls `handler` on each `event`; returns the function that removes it. */
  on<E extends TokenEventName>(event: E, handler: (detail: TokenEventMap<C>[E]) => void): () => void;
}

export declare const TokenStore: {
  /** Works before `init()` has finished, with the early answer (the README's "Before the module is ready"). */
  new <C extends object = JwtClaims>(options?: TokenStoreOptions | null): TokenStore<C>;
  readonly prototype: TokenStore;
};

/** Decodes a token's payload (never verifies it). `C` names the app's own claims. */
export function decodeClaims<C extends object = JwtClaims>(token: string): C & JwtClaims;

/** Decodes a token's JOSE header. */
export function decodeHeader<H extends object = JwtHeader>(token: string): H & JwtHeader;

/** Whether `error` is a TokenError, from this copy of the package or another. */
export function isTokenError(error: unknown): error is TokenError;
