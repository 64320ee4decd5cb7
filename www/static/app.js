// The seeds' login glue, done with tokenstore and no build step.
import init, { TokenStore, isTokenError } from "/pkg/index.js";

await init();

const $ = (id) => document.getElementById(id);
// Which backend the user picked is not a secret; remembering it lets a reload find the token again.
const BACKEND_KEY = "tokenstore-demo.backend";
const store = new TokenStore({
  key: "tokenstore-demo.jwt",
  backend: localStorage.getItem(BACKEND_KEY) ?? "local",
  expiringIn: 10,
});

function log(line) {
  const item = document.createElement("li");
  item.textContent = `${new Date().toLocaleTimeString()} ${line}`;
  $("events").append(item);
}

function render(snapshot) {
  $("status").textContent = snapshot.status;
  $("status").dataset.status = snapshot.status;
  $("backend").value = snapshot.backend;
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
  const { expiresAt, status } = store.getSnapshot();
  $("countdown").textContent =
    status === "authenticated" && expiresAt !== null ? String(Math.max(0, Math.ceil(expiresAt - Date.now() / 1000))) : "";
}

function renderPage() {
  $("page").textContent = location.pathname.endsWith("/profile") ? "profile" : "home";
}

async function authenticate(path) {
  $("auth-error").textContent = "";
  const ttl = Number($("ttl").value);
  const body = { username: $("username").value, password: $("password").value };
  if (path === "/api/signup" && $("name").value) body.name = $("name").value;
  if (ttl > 0) body.ttl = ttl;
  const response = await fetch(path, {
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
  const authorization = store.authorizationHeader();
  store.clear();
  if (authorization) await fetch("/api/logout", { method: "POST", headers: { Authorization: authorization } });
});

// On the cookie backend the browser sends the token by itself: the call shows that, with no header.
function meRequest() {
  const authorization = store.authorizationHeader();
  return store.backend === "cookie" || !authorization ? {} : { headers: { Authorization: authorization } };
}

$("call-me").addEventListener("click", async () => {
  const response = await fetch("/api/me", meRequest());
  $("me-result").textContent = `${response.status} ${JSON.stringify(await response.json())}`;
});

$("backend").addEventListener("change", (event) => {
  try {
    store.useBackend(event.target.value);
  } catch (error) {
    log(`useBackend failed: ${error.code ?? error}`);
  }
  localStorage.setItem(BACKEND_KEY, store.backend);
});

for (const link of [$("nav-home"), $("nav-profile")]) {
  link.addEventListener("click", (event) => {
    event.preventDefault();
    history.pushState(null, "", link.href);
    renderPage();
  });
}
window.addEventListener("popstate", renderPage);

store.on("expiring", () => log("expiring soon"));
store.on("fallback", ({ from, reason }) => log(`fallback from ${from} to memory: ${reason}`));
store.subscribe(render);
store.autoLogin({
  onLogin: (_token, claims) => log(`login: ${claims.name ?? claims.sub}`),
  onLogout: (reason) => log(`logout: ${reason}`),
});
renderPage();
setInterval(tick, 250);
