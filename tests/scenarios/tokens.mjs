// The JS tests' one token maker (Node tests, the e2e driver, the consumer runners, the browser
// scenarios): JWT-shaped strings whose signature nobody checks, and the readers of their parts. Plain
// JavaScript (btoa, TextEncoder), so it runs in Node and in a page alike.

/** `data` (a string, as UTF-8, or bytes) in unpadded base64url. */
export const b64 = (data) => {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : new Uint8Array(data);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

/** A token with `claims`, `header` (HS256 unless given) and a placeholder signature. */
export const token = (claims, header = { alg: "HS256" }) =>
  `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}.${b64("sig")}`;

/** The text of the base64url part `part`. */
const text = (part) => {
  const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
};

/** The claims of `jwt`. */
export const claimsOf = (jwt) => JSON.parse(text(jwt.split(".")[1]));

/** The header of `jwt`. */
export const headerOf = (jwt) => JSON.parse(text(jwt.split(".")[0]));
