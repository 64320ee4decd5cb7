/**
 * @jest-environment node
 */
// Jest's own default environment, node: the same CommonJS build, the wasm read from disk, a store in
// memory (there is no window).
import init, { TokenStore, decodeHeader } from "tokenstore";

beforeAll(() => init());

test("a store in Jest's node environment keeps its token in memory", () => {
  const token = "eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiWm_DqyJ9.c2ln";
  const store = new TokenStore({ key: "jest.node" });
  expect(store.backend).toBe("memory");
  store.set(token);
  expect(store.claims.name).toBe("Zoë");
  expect(decodeHeader(token).alg).toBe("HS256");
  store.free();
});
