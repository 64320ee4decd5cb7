// Type-checked only (the app does not import it): the declarations of the single-file and classic-script
// builds, under the same strict settings.
/// <reference types="tokenstore/global" />
import type * as Inline from "tokenstore/inline";
import type { AppClaims } from "./auth";

export async function inlineName(inline: typeof Inline, token: string): Promise<string> {
  await inline.default();
  const store = new inline.TokenStore<AppClaims>();
  store.set(token);
  return store.claims?.name ?? inline.decodeClaims<AppClaims>(token).name;
}

export async function globalName(token: string): Promise<string> {
  const api = await tokenstore.ready;
  const store = new api.TokenStore<AppClaims>();
  store.set(token);
  return store.claims?.name ?? "";
}
