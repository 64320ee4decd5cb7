// jsdom: window === globalThis but not `instanceof Window`; the package must still find its browser
// features there, and `await init()` must load the wasm with no argument.
import { afterEach, beforeAll, expect, test } from "vitest";
import { act, createElement as h, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import init, { TokenStore } from "tokenstore";
import { Auth } from "./Auth.js";
import { token } from "./token.js";

globalThis.IS_REACT_ACT_ENVIRONMENT = true;
let root;
let container;
beforeAll(async () => {
  await init();
});
afterEach(() => {
  act(() => root?.unmount());
  localStorage.clear();
});

function render(element) {
  container = document.createElement("div");
  root = createRoot(container);
  act(() => root.render(element));
  return () => container.querySelector("#status").textContent;
}

test("the store lives in jsdom's localStorage: log in, a reloaded store still logged in, log out", () => {
  const store = new TokenStore({ key: "vitest.jwt" });
  expect(store.backend).toBe("local");
  const logins = [];
  const status = render(h(Auth, { store, onLogin: (_token, claims) => logins.push(claims.name) }));
  expect(status()).toBe("anonymous");
  act(() => store.set(token("Zoë 東京")));
  expect(status()).toBe("Welcome, Zoë 東京");
  expect(logins).toEqual(["Zoë 東京"]);

  act(() => root.unmount());
  const reloaded = new TokenStore({ key: "vitest.jwt" });
  const again = [];
  const statusAgain = render(h(Auth, { store: reloaded, onLogin: (_token, claims) => again.push(claims.name) }));
  expect(statusAgain()).toBe("Welcome, Zoë 東京");
  expect(again).toEqual(["Zoë 東京"]);

  act(() => reloaded.clear());
  expect(statusAgain()).toBe("anonymous");
  expect(localStorage.getItem("vitest.jwt")).toBeNull();
});

// React's StrictMode mounts, unmounts and mounts every effect again in development. The first hook is
// disposed, the second starts afresh and reports the stored login again: documented in the README, and
// held here so a change is noticed.
test("StrictMode in development: a hook registered in an effect reports a stored login twice", () => {
  localStorage.setItem("vitest.strict", token("Zoë"));
  const store = new TokenStore({ key: "vitest.strict" });
  const logins = [];
  const onLogin = () => logins.push("login");
  render(h(StrictMode, null, h(Auth, { store, onLogin })));
  expect(logins).toEqual(["login", "login"]);
});

test("outside StrictMode, or with the hook registered once outside React, it reports the login once", () => {
  localStorage.setItem("vitest.once", token("Zoë"));
  const store = new TokenStore({ key: "vitest.once" });
  const logins = [];
  render(h(Auth, { store, onLogin: () => logins.push("effect") }));
  expect(logins).toEqual(["effect"]);

  const outside = [];
  const hooks = new TokenStore({ key: "vitest.once" }).autoLogin({ onLogin: () => outside.push("module") });
  expect(outside).toEqual(["module"]);
  hooks.dispose();
});
