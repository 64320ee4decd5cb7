// The README's pattern without top-level await: the store is made while the module loads, and
// useTokenStore's first render already shows a stored login. Records every render's status and every
// onLogin, and `window.result` once the module is ready.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import init, { TokenStore } from "tokenstore";
import { useTokenStore } from "tokenstore/react";
import type { AppClaims } from "./auth";

const ready = init();
const store = new TokenStore<AppClaims>({ key: "vite.jwt" });
const renders: string[] = [];
const logins: string[] = [];
store.autoLogin({ onLogin: (_token, claims) => logins.push(claims.name) });

function Early() {
  const auth = useTokenStore(store);
  renders.push(auth.status === "authenticated" ? `Welcome, ${auth.claims?.name}` : auth.status);
  return <p id="status">{renders.at(-1)}</p>;
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Early />
  </StrictMode>,
);
ready.then(() => {
  (window as unknown as { result: unknown }).result = { renders, logins };
});
