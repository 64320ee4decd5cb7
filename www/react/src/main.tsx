import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import init, { TokenStore, type Backend } from "tokenstore";
import { App, BACKEND_KEY } from "./App";

await init();

const saved = localStorage.getItem(BACKEND_KEY);
const backend: Backend = saved === "session" || saved === "memory" || saved === "cookie" ? saved : "local";
const store = new TokenStore({ key: "tokenstore-demo.jwt", backend, expiringIn: 10 });

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
