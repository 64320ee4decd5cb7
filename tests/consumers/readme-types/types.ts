// What the declarations must refuse or say, beside the README's samples (checked with them by check.mjs).
import init, { AutoLogin, AutoRefresh, TokenStore, initSync } from "tokenstore";
// @ts-expect-error: the raw wasm exports are not part of the API
import type { InitOutput } from "tokenstore";

const tokens = new TokenStore();
// @ts-expect-error: autoLogin throws INVALID_ARGUMENT without onLogin or onLogout
tokens.autoLogin({});
const hook: AutoLogin = tokens.autoLogin({ onLogout: (reason) => console.log(reason) });
// A refresh's handle is declared as the class it is at run time.
const refreshing: AutoRefresh = tokens.autoRefresh({ refresh: async () => null });
// init() and initSync() hand back nothing to use.
const loaded: void = await init();
const loadedSync: void = initSync();

export { hook, refreshing, loaded, loadedSync };
export type { InitOutput };
