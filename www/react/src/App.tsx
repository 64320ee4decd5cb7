import { useEffect, useState, useSyncExternalStore, type FormEvent } from "react";
import { isTokenError, type Backend, type TokenStore } from "tokenstore";

// Which backend the user picked is not a secret; remembering it lets a reload find the token again.
export const BACKEND_KEY = "tokenstore-demo.backend";

const pageFromLocation = () => (location.pathname.endsWith("/profile") ? "profile" : "home");

export function App({ store }: { store: TokenStore }) {
  const auth = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [page, setPage] = useState(pageFromLocation);
  const [events, setEvents] = useState<string[]>([]);
  // Redraws the countdown; the clock itself is read at each render, so a token that just arrived never
  // shows more than its lifetime.
  const [, setTick] = useState(0);
  const [error, setError] = useState("");
  const [me, setMe] = useState("");

  useEffect(() => {
    const log = (line: string) => setEvents((lines) => [...lines, `${new Date().toLocaleTimeString()} ${line}`]);
    const hooks = store.autoLogin({
      onLogin: (_token, claims) => log(`login: ${String(claims.name ?? claims.sub)}`),
      onLogout: (reason) => log(`logout: ${reason}`),
    });
    const offExpiring = store.on("expiring", () => log("expiring soon"));
    const offFallback = store.on("fallback", ({ from, reason }) => log(`fallback from ${from} to memory: ${reason}`));
    return () => {
      hooks.dispose();
      offExpiring();
      offFallback();
    };
  }, [store]);

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
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const result = (await response.json()) as { token?: string; error?: string };
    if (!response.ok || !result.token) return setError(result.error ?? `HTTP ${response.status}`);
    try {
      store.set(result.token);
    } catch (thrown) {
      setError(isTokenError(thrown) ? `${thrown.code}: ${thrown.message}` : String(thrown));
    }
  }

  async function logout() {
    const authorization = store.authorizationHeader();
    store.clear();
    if (authorization) await fetch("/api/logout", { method: "POST", headers: { Authorization: authorization } });
  }

  // On the cookie backend the browser sends the token by itself: the call shows that, with no header.
  function meRequest(): RequestInit {
    const authorization = store.authorizationHeader();
    return store.backend === "cookie" || !authorization ? {} : { headers: { Authorization: authorization } };
  }

  async function callMe() {
    const response = await fetch("/api/me", meRequest());
    setMe(`${response.status} ${JSON.stringify(await response.json())}`);
  }

  function switchBackend(backend: Backend) {
    try {
      store.useBackend(backend);
    } catch (thrown) {
      setError(isTokenError(thrown) ? `useBackend failed: ${thrown.code}` : String(thrown));
    }
    localStorage.setItem(BACKEND_KEY, store.backend);
  }

  function navigate(to: "home" | "profile") {
    history.pushState(null, "", to === "profile" ? "/react/profile" : "/react/");
    setPage(to);
  }

  const signedIn = auth.status === "authenticated";
  const secondsLeft = auth.expiresAt === null ? "" : String(Math.max(0, Math.ceil(auth.expiresAt - Date.now() / 1000)));
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
          <button id="login" type="submit">Log in</button>
          <button id="signup" type="button" onClick={(e) => void authenticate("/api/signup", e.currentTarget.form!)}>Sign up</button>
          <p id="auth-error" className="error">{error}</p>
        </form>
      )}

      {signedIn && (
        <section id="session">
          <h2 id="welcome">Welcome, {String(auth.claims?.name ?? auth.claims?.sub)}</h2>
          <p>Expires in <b id="countdown">{secondsLeft}</b> s</p>
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
          <select id="backend" value={auth.backend} onChange={(e) => switchBackend(e.target.value as Backend)}>
            <option value="local">localStorage</option>
            <option value="session">sessionStorage</option>
            <option value="memory">memory</option>
            <option value="cookie">cookie</option>
          </select>
        </label>
        <p>Backend in use: <b id="backend-now">{auth.backend}</b></p>
      </section>

      <section>
        <h3>Events</h3>
        <ol id="events">{events.map((line, i) => <li key={i}>{line}</li>)}</ol>
      </section>
    </main>
  );
}
