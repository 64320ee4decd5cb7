import { useEffect, useState, useSyncExternalStore, type FormEvent } from "react";
import { isTokenError, type Backend, type TokenStore } from "tokenstore";

// Which backend the user picked is not a secret; remembering it lets a reload find the token again.
export const BACKEND_KEY = "tokenstore-demo.backend";
// Whether a "stay signed in" login made a refresh session (a flag, not a secret).
const REMEMBER_KEY = "tokenstore-demo.remember";
// Whether the store proves its requests with DPoP (read at start-up: the switch reloads).
export const DPOP_KEY = "tokenstore-demo.dpop";
type Mode = Backend | "secure";
type Send = (input: string, init?: RequestInit) => Promise<Response>;

// The app's part of a refresh: ask the server, which reads its httpOnly cookie. 401: the session is over.
async function refreshFromCookie(send: Send, signal: AbortSignal): Promise<string | null> {
  const response = await send("/api/refresh", { method: "POST", signal });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`/api/refresh answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

const pageFromLocation = () => (location.pathname.endsWith("/profile") ? "profile" : "home");

export function App({ store, dpop = false }: { store: TokenStore; dpop?: boolean }) {
  // With DPoP, requests go through store.fetch: it proves each one and learns the server's nonces.
  const send: Send = (input, init) => (dpop ? store.fetch(input, init) : fetch(input, init));
  const auth = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [page, setPage] = useState(pageFromLocation);
  const [events, setEvents] = useState<string[]>([]);
  // Redraws the countdown; the clock itself is read at each render, so a token that just arrived never
  // shows more than its lifetime.
  const [, setTick] = useState(0);
  const [error, setError] = useState("");
  const [me, setMe] = useState("");
  const [mode, setMode] = useState<Mode>(() => (localStorage.getItem(BACKEND_KEY) === "secure" ? "secure" : store.backend));
  const [remember, setRemember] = useState(() => localStorage.getItem(REMEMBER_KEY) === "1");
  const refreshing = mode === "secure" || remember;

  useEffect(() => {
    const log = (line: string) => setEvents((lines) => [...lines, `${new Date().toLocaleTimeString()} ${line}`]);
    const hooks = store.autoLogin({
      onLogin: (_token, claims) => log(`login: ${String(claims.name ?? claims.sub)}`),
      onLogout: (reason) => log(`logout: ${reason}`),
    });
    const offExpiring = store.on("expiring", () => log("expiring soon"));
    const offFallback = store.on("fallback", ({ from, reason }) => log(`fallback from ${from} to memory: ${reason}`));
    const offRefresh = store.on("refresh", (snapshot) =>
      log(`refreshed: new token until ${new Date((snapshot.expiresAt ?? 0) * 1000).toLocaleTimeString()}`),
    );
    const offDpopKey = store.on("dpopKey", ({ reason }) =>
      log(`DPoP key: ${reason === "lost" ? "lost, a new one was made" : "kept in this page only"}`),
    );
    const offRefreshError = store.on("refreshError", ({ error, attempt, retryIn }) =>
      log(`refresh failed (attempt ${attempt}): ${error instanceof Error ? error.message : String(error)}; ${retryIn === null ? "giving up" : `retry in ${retryIn.toFixed(1)} s`}`),
    );
    return () => {
      hooks.dispose();
      offExpiring();
      offFallback();
      offRefresh();
      offRefreshError();
      offDpopKey();
    };
  }, [store]);

  // StrictMode mounts this twice; the store still calls refreshFromCookie once per window.
  useEffect(() => {
    if (!refreshing) return;
    const send: Send = (input, init) => (dpop ? store.fetch(input, init) : fetch(input, init));
    const auto = store.autoRefresh({ refresh: (_current, signal) => refreshFromCookie(send, signal) });
    return () => auto.dispose();
  }, [store, refreshing, dpop]);

  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === REMEMBER_KEY) setRemember(event.newValue === "1");
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, []);

  useEffect(() => {
    const onPopState = () => setPage(pageFromLocation());
    window.addEventListener("popstate", onPopState);
    const timer = setInterval(() => setTick((tick) => tick + 1), 250);
    return () => {
      window.removeEventListener("popstate", onPopState);
      clearInterval(timer);
    };
  }, []);

  useEffect(() => {
    if (auth.status !== "authenticated") setMe("");
  }, [auth.status]);

  async function authenticate(path: "/api/login" | "/api/signup", form: HTMLFormElement) {
    setError("");
    const data = new FormData(form);
    const body: Record<string, unknown> = { username: data.get("username"), password: data.get("password") };
    const name = String(data.get("name") ?? "");
    const ttl = Number(data.get("ttl"));
    if (path === "/api/signup" && name) body.name = name;
    if (ttl > 0) body.ttl = ttl;
    body.remember = mode === "secure" || data.get("remember") === "on";
    // With DPoP the login carries a proof, and the server binds the token to its key.
    const response = await send(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const result = (await response.json()) as { token?: string; error?: string };
    if (!response.ok || !result.token) return setError(result.error ?? `HTTP ${response.status}`);
    try {
      store.set(result.token);
      if (body.remember) {
        localStorage.setItem(REMEMBER_KEY, "1");
        setRemember(true);
      }
    } catch (thrown) {
      setError(isTokenError(thrown) ? `${thrown.code}: ${thrown.message}` : String(thrown));
    }
  }

  async function logout() {
    if (dpop) {
      // Proven with the key before clear() discards it.
      await store.fetch("/api/logout", { method: "POST" });
      store.clear();
      localStorage.removeItem(REMEMBER_KEY);
      setRemember(false);
      return;
    }
    const authorization = store.authorizationHeader();
    store.clear();
    localStorage.removeItem(REMEMBER_KEY);
    setRemember(false);
    // The server revokes the token and the refresh session, and clears the cookie.
    if (authorization || refreshing) {
      await fetch("/api/logout", { method: "POST", headers: authorization ? { Authorization: authorization } : {} });
    }
  }

  // On the cookie backend the browser sends the token by itself: the call shows that, with no header.
  function meRequest(): RequestInit {
    const authorization = store.authorizationHeader();
    return store.backend === "cookie" || !authorization ? {} : { headers: { Authorization: authorization } };
  }

  async function callMe() {
    const response = dpop ? await store.fetch("/api/me") : await fetch("/api/me", meRequest());
    setMe(`${response.status} ${JSON.stringify(await response.json())}`);
  }

  function switchBackend(next: Mode) {
    let now: Mode = store.backend;
    try {
      store.useBackend(next === "secure" ? "memory" : next);
      now = next === "secure" && store.backend === "memory" ? "secure" : store.backend;
    } catch (thrown) {
      setError(isTokenError(thrown) ? `useBackend failed: ${thrown.code}` : String(thrown));
    }
    localStorage.setItem(BACKEND_KEY, now);
    setMode(now);
  }

  function navigate(to: "home" | "profile") {
    history.pushState(null, "", to === "profile" ? "/react/profile" : "/react/");
    setPage(to);
  }

  const signedIn = auth.status === "authenticated";
  // The store's clock: this one moved by what the server's tokens taught it.
  const left = auth.expiresAt === null ? 0 : Math.max(0, auth.expiresAt - (Date.now() / 1000 + store.clockOffset));
  const secondsLeft = auth.expiresAt === null ? "" : String(Math.ceil(left));
  const iat = auth.claims?.iat;
  const life = auth.expiresAt !== null && typeof iat === "number" ? auth.expiresAt - iat : 0;
  return (
    <main>
      <h1>
        React <span id="status" className="status" data-status={auth.status}>{auth.status}</span>
      </h1>
      <nav>
        <a id="nav-home" href="/react/" onClick={(e) => (e.preventDefault(), navigate("home"))}>Home</a>
        <a id="nav-profile" href="/react/profile" onClick={(e) => (e.preventDefault(), navigate("profile"))}>Profile</a>
        <span>page: <b id="page">{page}</b></span>
      </nav>

      {!signedIn && (
        <form
          id="auth-form"
          onSubmit={(event: FormEvent<HTMLFormElement>) => {
            event.preventDefault();
            void authenticate("/api/login", event.currentTarget);
          }}
        >
          <label>Username <input id="username" name="username" autoComplete="username" required /></label>
          <label>Password <input id="password" name="password" type="password" autoComplete="current-password" required /></label>
          <label>Display name (sign-up) <input id="name" name="name" /></label>
          <label>Token lifetime in seconds (optional) <input id="ttl" name="ttl" type="number" min="1" /></label>
          <label><input id="remember" name="remember" type="checkbox" /> Stay signed in (a refresh cookie no script can read)</label>
          <button id="login" type="submit">Log in</button>
          <button id="signup" type="button" onClick={(e) => void authenticate("/api/signup", e.currentTarget.form!)}>Sign up</button>
          <p id="auth-error" className="error">{error}</p>
        </form>
      )}

      {signedIn && (
        <section id="session">
          <h2 id="welcome">Welcome, {String(auth.claims?.name ?? auth.claims?.sub)}</h2>
          <p>Expires in <b id="countdown">{secondsLeft}</b> s <progress id="life" max={1} value={life > 0 ? left / life : 0} /></p>
          <button id="call-me" type="button" onClick={() => void callMe()}>Call /api/me</button>
          <button id="logout" type="button" onClick={() => void logout()}>Log out</button>
          <pre id="me-result">{me}</pre>
          <h3>Claims</h3>
          <pre id="claims">{JSON.stringify(auth.claims, null, 2)}</pre>
        </section>
      )}

      <section>
        <label>
          Token lives in{" "}
          <select id="backend" value={mode === "secure" && auth.backend === "memory" ? "secure" : auth.backend} onChange={(e) => switchBackend(e.target.value as Mode)}>
            <option value="local">localStorage</option>
            <option value="session">sessionStorage</option>
            <option value="memory">memory</option>
            <option value="cookie">cookie</option>
            <option value="secure">secure: memory + refresh cookie</option>
          </select>
        </label>
        <p>Backend in use: <b id="backend-now">{auth.backend}</b></p>
        <label>
          <input
            id="dpop"
            type="checkbox"
            checked={dpop}
            onChange={(e) => {
              localStorage.setItem(DPOP_KEY, e.target.checked ? "1" : "0");
              location.reload();
            }}
          />{" "}
          DPoP: bind tokens to a key this browser keeps (reloads)
        </label>
      </section>

      <section>
        <h3>Events</h3>
        <ol id="events">{events.map((line, i) => <li key={i}>{line}</li>)}</ol>
      </section>
    </main>
  );
}
