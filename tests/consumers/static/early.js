// The early answer, or (with ?await) the same page with `await init()` first, for a stored state the
// test prepared. Records every onLogin / onLogout and subscriber call, and how many came before the
// module was ready; `window.result` once init() has settled.
import init, { TokenStore } from "/node_modules/tokenstore/index.js";

const params = new URLSearchParams(location.search);
const options = JSON.parse(params.get("options") ?? "{}");
const calls = [];
const run = async () => {
  if (params.has("await")) await init();
  const ready = init();
  const store = new TokenStore(options);
  const first = store.getSnapshot();
  store.subscribe((snapshot) => calls.push(`run ${snapshot.status}`));
  store.autoLogin({
    onLogin: (token, claims) => calls.push(`login ${claims.sub}`),
    onLogout: (reason) => calls.push(`logout ${reason}`),
  });
  // What the module was not there for: everything so far (with ?await, it was there).
  const early = calls.length;
  // Another tab logging out before the module is ready: the core must retract what was announced.
  if (params.has("removeBeforeReady")) localStorage.removeItem(options.key ?? "tokenstore.jwt");
  await ready;
  const last = store.getSnapshot();
  window.result = {
    calls,
    early,
    // Whole snapshots: token, claims, status, backend, expiresAt.
    first: JSON.parse(JSON.stringify(first)),
    last: JSON.parse(JSON.stringify(last)),
  };
};
run().catch((error) => (window.result = { error: String(error) }));
