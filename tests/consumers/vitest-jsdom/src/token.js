const b64 = (text) => Buffer.from(text).toString("base64url");
export const token = (name) =>
  `${b64('{"alg":"HS256"}')}.${b64(JSON.stringify({ name, exp: Math.floor(Date.now() / 1000) + 3600 }))}.${b64("sig")}`;
