import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import init, { TokenStore, type Backend } from "tokenstore";
import { App, BACKEND_KEY, DPOP_KEY } from "./App";

await init();

const saved = localStorage.getItem(BACKEND_KEY);
// "secure": the token in memory only, back from the httpOnly refresh cookie after a reload.
const backend: Backend =
  saved === "session" || saved === "memory" || saved === "cookie" ? saved : saved === "secure" ? "memory" : "local";
// DPoP: tokens bound to a key kept in IndexedDB, which a copied token cannot prove. A store option, so
// the switch reloads the page.
const dpop = localStorage.getItem(DPOP_KEY) === "1";
const store = new TokenStore({ key: "tokenstore-demo.jwt", backend, expiringIn: 10, serverClock: true, dpop });

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <App store={store} dpop={dpop} />
  </StrictMode>,
);
