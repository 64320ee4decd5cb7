// @vitest-environment happy-dom
// happy-dom, where `window instanceof Window` is false too: init, the store and autoLogin work.
import { expect, test } from "vitest";
import init, { TokenStore } from "tokenstore";
import { token } from "./token.js";

test("await init(), a store in happy-dom's localStorage, autoLogin reports the login", async () => {
  await init();
  const store = new TokenStore({ key: "happy.jwt" });
  expect(store.backend).toBe("local");
  const logins = [];
  const hooks = store.autoLogin({ onLogin: (_token, claims) => logins.push(claims.name) });
  store.set(token("Zoë"));
  expect(logins).toEqual(["Zoë"]);
  expect(localStorage.getItem("happy.jwt")).toBe(store.get());
  store.clear();
  hooks.dispose();
});
