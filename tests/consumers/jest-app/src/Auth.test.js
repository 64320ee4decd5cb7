// A component test as a create-react-app project writes it: Jest's jsdom environment, babel-jest, the
// default configuration. `await init()` with no argument must load the wasm there, with neither
// TextDecoder nor fetch in jsdom's globals.
import { act, StrictMode, useEffect } from "react";
import { createRoot } from "react-dom/client";
import init, { TokenStore, decodeClaims, isTokenError } from "tokenstore";
import { Auth } from "./Auth.js";

globalThis.IS_REACT_ACT_ENVIRONMENT = true;

// jsdom has neither Buffer nor TextEncoder: UTF-8 through encodeURIComponent, then btoa.
const base64url = (text) =>
  btoa(unescape(encodeURIComponent(text))).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const token = (name, exp = Math.floor(Date.now() / 1000) + 3600) =>
  [{ alg: "HS256", typ: "JWT" }, { sub: "zoe", name, exp }]
    .map((part) => base64url(JSON.stringify(part)))
    .concat("sig")
    .join(".");

let root;
beforeAll(() => init());
afterEach(() => {
  act(() => root?.unmount());
  localStorage.clear();
});

function render(element) {
  const container = document.createElement("div");
  root = createRoot(container);
  act(() => root.render(element));
  return () => container.querySelector("#status")?.textContent;
}

test("the environment is the one create-react-app sets up: jsdom without TextDecoder or fetch", () => {
  expect(typeof window).toBe("object");
  expect(typeof TextDecoder).toBe("undefined");
  expect(typeof fetch).toBe("undefined");
});

test("log in, a reloaded store is still logged in, log out: in jsdom's localStorage", () => {
  const store = new TokenStore({ key: "jest.jwt" });
  expect(store.backend).toBe("local");
  const logins = [];
  const status = render(<Auth store={store} onLogin={(_token, claims) => logins.push(claims.name)} />);
  expect(status()).toBe("anonymous");
  act(() => store.set(token("Zoë 東京")));
  expect(status()).toBe("Welcome, Zoë 東京");
  expect(logins).toEqual(["Zoë 東京"]);
  expect(decodeClaims(localStorage.getItem("jest.jwt")).name).toBe("Zoë 東京");

  act(() => root.unmount());
  const reloaded = new TokenStore({ key: "jest.jwt" });
  const statusAgain = render(<Auth store={reloaded} onLogin={() => {}} />);
  expect(statusAgain()).toBe("Welcome, Zoë 東京");
  act(() => reloaded.clear());
  expect(statusAgain()).toBe("anonymous");
  expect(localStorage.getItem("jest.jwt")).toBeNull();
});

test("errors are TokenErrors with their code", () => {
  const store = new TokenStore({ key: "jest.jwt" });
  let thrown;
  try {
    store.set("not a token");
  } catch (error) {
    thrown = error;
  }
  expect(isTokenError(thrown)).toBe(true);
  expect(thrown.code).toBe("INVALID_TOKEN");
});

// React's StrictMode mounts effects twice in development: a hook registered in an effect reports a stored
// expired session twice, as the README says beside the double onLogin.
test("StrictMode in development: a stored expired token is reported as onLogout(\"expired\") twice", () => {
  localStorage.setItem("jest.strict", token("Zoë", Math.floor(Date.now() / 1000) - 60));
  const store = new TokenStore({ key: "jest.strict" });
  const reasons = [];
  function Hooked() {
    useEffect(() => {
      const hooks = store.autoLogin({ onLogout: (reason) => reasons.push(reason) });
      return () => hooks.dispose();
    }, []);
    return null;
  }
  render(<StrictMode><Hooked /></StrictMode>);
  expect(reasons).toEqual(["expired", "expired"]);
});
