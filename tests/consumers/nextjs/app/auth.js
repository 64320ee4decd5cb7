"use client";
import { useEffect, useSyncExternalStore } from "react";
import { useTokenStore } from "tokenstore/react";
import { loginCount, store } from "./store.js";

export default function Auth() {
  const auth = useTokenStore(store);
  const logins = useSyncExternalStore(loginCount.subscribe, loginCount.get, loginCount.getServer);
  useEffect(() => {
    document.body.dataset.ready = "yes";
  }, []);
  return (
    <section>
      <p id="status">{auth.status === "authenticated" ? `Welcome, ${auth.claims?.name}` : "anonymous"}</p>
      <p>
        logins: <span id="logins">{logins}</span>
      </p>
      <input id="token" aria-label="token" />
      <button id="login" onClick={() => store.set(document.getElementById("token").value)}>
        Log in
      </button>
      <button id="logout" onClick={() => store.clear()}>
        Log out
      </button>
    </section>
  );
}
