import { useEffect, useState } from "react";
import { useTokenStore } from "tokenstore/react";
import { store } from "./auth";

export function App() {
  const auth = useTokenStore(store);
  const [logins, setLogins] = useState(0);
  const [token, setToken] = useState("");
  useEffect(() => {
    const hooks = store.autoLogin({ onLogin: (_token, claims) => setLogins((n) => n + (claims.name ? 1 : 0)) });
    document.body.dataset.ready = "yes";
    return () => hooks.dispose();
  }, []);
  return (
    <main>
      <p id="status">{auth.status === "authenticated" ? <>Welcome, {auth.claims?.name}</> : "anonymous"}</p>
      <p>
        logins: <span id="logins">{logins}</span>
      </p>
      <input id="token" aria-label="token" value={token} onChange={(event) => setToken(event.target.value)} />
      <button id="login" onClick={() => store.set(token)}>Log in</button>
      <button id="logout" onClick={() => store.clear()}>Log out</button>
    </main>
  );
}
