// The README's Vite setup: initialise once, one store typed by the app's claims.
import init, { decodeClaims, TokenStore } from "tokenstore";

await init();

/** What this app's tokens carry besides the registered claims. */
export interface AppClaims {
  name: string;
  roles?: string[];
}

export const store = new TokenStore<AppClaims>({ key: "vite.jwt" });

/** Typed without a cast: `name` is a string, `exp` still a number. */
export function describe(token: string): string {
  const claims = decodeClaims<AppClaims>(token);
  const expires: number | undefined = claims.exp;
  return `${claims.name.toUpperCase()} until ${expires ?? "never"}`;
}
