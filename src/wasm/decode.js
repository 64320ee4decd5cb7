// decodeClaims and decodeHeader through the browser's own base64url, UTF-8 and JSON decoders: copying the
// token into wasm costs more than decoding it there saves. The Rust core (src/jwt.rs) stays the authority.
// This path answers only for tokens it can show the core accepts and returns undefined for anything else,
// so that the core decodes it, or says what is wrong in its own words. tests/hostile.rs and tests/web.rs
// hold both paths to the same verdicts.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// No prototype: setFromBase64 would read an inherited lastChunkHandling too.
const BASE64URL = { __proto__: null, alphabet: "base64url" };
const TIME_CLAIMS = ["exp", "nbf", "iat"];
// Parts up to this many bytes are decoded into one reused buffer; longer ones get their own.
const SCRATCH_LIMIT = 64 * 1024;
let scratch = new Uint8Array(1024);
// fatal: malformed UTF-8 throws instead of becoming U+FFFD. ignoreBOM: a leading BOM stays in the text,
// where JSON.parse refuses it as the core does, instead of being dropped.
let utf8;
// The last token that passed, and its header part. Apps decode the same token again and again (on every
// render, say), and one issuer's tokens share a header: what passed once needs no second look. Claims
// are decoded afresh each time, as callers may change the object they get.
let knownToken = "";
let knownHeader = "";

/** The bytes of one part, or undefined unless it is canonical unpadded base64url. */
function bytesOf(part) {
  const length = part.length;
  const rest = length % 4;
  // One leftover character cannot encode a byte, and the bits after the last whole byte must be zero
  // (a character outside the alphabet gives -1 here, which fails the test too).
  if (rest === 1 || (rest > 1 && (ALPHABET.indexOf(part[length - 1]) & (rest === 2 ? 0xf : 0x3)) !== 0)) {
    return undefined;
  }
  const size = (length * 3) >> 2;
  if (size > scratch.length) {
    if (size > SCRATCH_LIMIT) return exactly(part, size, new Uint8Array(size));
    scratch = new Uint8Array(Math.min(SCRATCH_LIMIT, Math.max(size, 2 * scratch.length)));
  }
  return exactly(part, size, scratch);
}

function exactly(part, size, target) {
  let result;
  try {
    result = target.setFromBase64(part, BASE64URL);
  } catch {
    return undefined;
  }
  // setFromBase64 skips ASCII whitespace and accepts "=" padding. Either leaves fewer bytes than the
  // length promises, since each character of canonical base64url carries 6 bits.
  return result.read === part.length && result.written === size ? target.subarray(0, size) : undefined;
}

/** The JSON object a part encodes, or undefined. */
function objectOf(part) {
  const bytes = bytesOf(part);
  if (bytes === undefined) return undefined;
  let value;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch {
    return undefined;
  }
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
}

/**
 * The decoded header (`part` 0) or claims (`part` 1) of `token`, or undefined when the browser lacks
 * `Uint8Array.prototype.setFromBase64` or the core must look at the token.
 */
export function decodePart(token, part) {
  if (typeof token !== "string" || typeof scratch.setFromBase64 !== "function") return undefined;
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  utf8 ??= new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let header;
  if (part === 0 || parts[0] !== knownHeader) {
    header = objectOf(parts[0]);
    if (header === undefined) return undefined;
  }
  if (token !== knownToken && bytesOf(parts[2]) === undefined) return undefined;
  const claims = objectOf(parts[1]);
  if (claims === undefined) return undefined;
  // A time claim must be a number that JSON.parse can represent.
  for (const name of TIME_CLAIMS) {
    if (Object.hasOwn(claims, name) && !Number.isFinite(claims[name])) return undefined;
  }
  knownToken = token;
  knownHeader = parts[0];
  return part === 0 ? header : claims;
}
