// The seeds' login glue, done with tokenstore and no build step.
import init, { TokenStore, isTokenError } from "/pkg/index.js";

// Not awaited yet: the store below answers its snapshot and first auto-login from storage while the
// WebAssembly loads (index.html preloads both files), so a logged-in user never sees "anonymous" first.
const ready = init();
let started = false;

const $ = (id) => document.getElementById(id);
// Which mode the user picked is not a secret; remembering it lets a reload find the token again. The
// "secure" mode keeps the token in memory only and gets it back from the server's httpOnly refresh
// cookie: a persistent login with no token in any storage a script can read.
const BACKEND_KEY = "tokenstore-demo.backend";
// Whether a "stay signed in" login made a refresh session (a flag, not a secret).
const REMEMBER_KEY = "tokenstore-demo.remember";
// DPoP: tokens bound to a key kept in IndexedDB, which a copied token cannot prove. A store option, so
// the switch reloads the page.
const DPOP_KEY = "tokenstore-demo.dpop";
const dpop = localStorage.getItem(DPOP_KEY) === "1";
let mode = localStorage.getItem(BACKEND_KEY) ?? "local";
const store = new TokenStore({
  key: "tokenstore-demo.jwt",
  backend: mode === "secure" ? "memory" : mode,
  expiringIn: 10,
  serverClock: true,
  dpop,
});
// With DPoP, requests go through store.fetch: it proves each one with the key and learns the server's nonces.
const send = (input, init) => (dpop ? store.fetch(input, init) : fetch(input, init));

// The app's part of a refresh: ask the server, which reads its cookie. 401 means the session is over.
async function refreshFromCookie(_current, signal) {
  const response = await send("/api/refresh", { method: "POST", signal });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`/api/refresh answered ${response.status}`);
  return (await response.json()).token;
}

// Refreshing runs while a refresh session may exist: in the secure mode, or after "stay signed in".
let refresher = null;
function syncRefresher() {
  const wanted = mode === "secure" || localStorage.getItem(REMEMBER_KEY) === "1";
  if (wanted && !refresher) refresher = store.autoRefresh({ refresh: refreshFromCookie });
  if (!wanted && refresher) {
    refresher.dispose();
    refresher = null;
  }
}
addEventListener("storage", (event) => {
  if (event.key === REMEMBER_KEY) syncRefresher();
});

function log(line) {
  const item = document.createElement("li");
  item.textContent = `${new Date().toLocaleTimeString()} ${line}`;
  $("events").append(item);
}

function render(snapshot) {
  $("status").textContent = snapshot.status;
  $("status").dataset.status = snapshot.status;
  $("backend").value = mode === "secure" && snapshot.backend === "memory" ? "secure" : snapshot.backend;
  $("backend-now").textContent = snapshot.backend;
  const signedIn = snapshot.status === "authenticated";
  $("auth-form").hidden = signedIn;
  $("session").hidden = !signedIn;
  $("welcome").textContent = signedIn ? `Welcome, ${snapshot.claims?.name ?? snapshot.claims?.sub}` : "";
  $("claims").textContent = signedIn ? JSON.stringify(snapshot.claims, null, 2) : "";
  if (!signedIn) $("me-result").textContent = "";
  tick();
}

function tick() {
  const { expiresAt, status, claims } = store.getSnapshot();
  // The store's clock: this one moved by what the server's tokens taught it.
  const offset = started ? store.clockOffset : 0;
  const left = expiresAt === null ? 0 : Math.max(0, expiresAt - (Date.now() / 1000 + offset));
  const live = status === "authenticated" && expiresAt !== null;
  $("countdown").textContent = live ? String(Math.ceil(left)) : "";
  const life = live && typeof claims?.iat === "number" ? expiresAt - claims.iat : 0;
  $("life").value = life > 0 ? left / life : 0;
}

function renderPage() {
  $("page").textContent = location.pathname.endsWith("/profile") ? "profile" : "home";
}

async function authenticate(path) {
  // A click can come before the module is ready (setting a token needs it).
  await ready;
  $("auth-error").textContent = "";
  const ttl = Number($("ttl").value);
  const body = { username: $("username").value, password: $("password").value };
  if (path === "/api/signup" && $("name").value) body.name = $("name").value;
  if (ttl > 0) body.ttl = ttl;
  body.remember = mode === "secure" || $("remember").checked;
  // With DPoP the login carries a proof, and the server binds the token to its key.
  const response = await send(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const result = await response.json();
  if (!response.ok) {
    $("auth-error").textContent = result.error;
    return;
  }
  try {
    store.set(result.token);
    if (body.remember) localStorage.setItem(REMEMBER_KEY, "1");
    syncRefresher();
  } catch (error) {
    $("auth-error").textContent = isTokenError(error) ? `${error.code}: ${error.message}` : String(error);
  }
}

$("auth-form").addEventListener("submit", (event) => {
  event.preventDefault();
  authenticate("/api/login");
});
$("signup").addEventListener("click", () => authenticate("/api/signup"));

$("logout").addEventListener("click", async () => {
  await ready;
  if (dpop) {
    // Proven with the key before clear() discards it.
    await store.fetch("/api/logout", { method: "POST" });
    store.clear();
    localStorage.removeItem(REMEMBER_KEY);
    syncRefresher();
    return;
  }
  const authorization = store.authorizationHeader();
  const remembered = mode === "secure" || localStorage.getItem(REMEMBER_KEY) === "1";
  store.clear();
  localStorage.removeItem(REMEMBER_KEY);
  syncRefresher();
  // The server revokes the token and the refresh session, and clears the cookie.
  if (authorization || remembered) {
    await fetch("/api/logout", { method: "POST", headers: authorization ? { Authorization: authorization } : {} });
  }
});

// On the cookie backend the browser sends the token by itself: the call shows that, with no header.
function meRequest() {
  const authorization = store.authorizationHeader();
  return store.backend === "cookie" || !authorization ? {} : { headers: { Authorization: authorization } };
}

$("call-me").addEventListener("click", async () => {
  await ready;
  const response = dpop ? await store.fetch("/api/me") : await fetch("/api/me", meRequest());
  $("me-result").textContent = `${response.status} ${JSON.stringify(await response.json())}`;
});

$("backend").addEventListener("change", async (event) => {
  await ready;
  const next = event.target.value;
  try {
    store.useBackend(next === "secure" ? "memory" : next);
    mode = next === "secure" && store.backend === "memory" ? "secure" : store.backend;
  } catch (error) {
    log(`useBackend failed: ${error.code ?? error}`);
  }
  localStorage.setItem(BACKEND_KEY, mode);
  syncRefresher();
  render(store.getSnapshot());
});

for (const link of [$("nav-home"), $("nav-profile")]) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    history.pushState(null, "", link.href);
    renderPage();
  });
}
window.addEventListener("popstate", renderPage);

$("dpop").checked = dpop;
$("dpop").addEventListener("change", (event) => {
  localStorage.setItem(DPOP_KEY, event.target.checked ? "1" : "0");
  location.reload();
});
// Before the module is ready: the early answer.
store.subscribe(render);
store.autoLogin({
  onLogin: (_token, claims) => log(`login: ${claims.name ?? claims.sub}`),
  onLogout: (reason) => log(`logout: ${reason}`),
});
renderPage();

// Everything else needs the module.
await ready;
started = true;
store.on("dpopKey", ({ reason }) => log(`DPoP key: ${reason === "lost" ? "lost, a new one was made" : "kept in this page only"}`));
store.on("expiring", () => log("expiring soon"));
store.on("fallback", ({ from, reason }) => log(`fallback from ${from} to memory: ${reason}`));
store.on("refresh", (snapshot) => log(`refreshed: new token until ${new Date(snapshot.expiresAt * 1000).toLocaleTimeString()}`));
store.on("refreshError", ({ error, attempt, retryIn }) =>
  log(`refresh failed (attempt ${attempt}): ${error?.message ?? error}; ${retryIn === null ? "giving up" : `retry in ${retryIn.toFixed(1)} s`}`),
);
syncRefresher();
setInterval(tick, 250);
