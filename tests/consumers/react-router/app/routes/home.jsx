import { useEffect, useState, useSyncExternalStore } from "react";
import { useTokenStore } from "tokenstore/react";
import { loginCount, store } from "../auth.js";

export default function Home() {
  const auth = useTokenStore(store);
  const logins = useSyncExternalStore(loginCount.subscribe, loginCount.get, loginCount.getServer);
  const [token, setToken] = useState("");
  useEffect(() => {
    document.body.dataset.ready = "yes";
  }, []);
  return (
    <main>
      <p id="status">{auth.status === "authenticated" ? `Welcome, ${auth.claims?.name}` : "anonymous"}</p>
      <p>
        logins: <span id="logins">{logins}</span>
      </p>
      <input id="token" aria-label="token" value={token} onChange={(event) => setToken(event.target.value)} />
      <button id="login" onClick={() => store.set(token)}>Log in</button>
      <button id="logout" onClick={() => store.clear()}>Log out</button>
    </main>
  );
}
