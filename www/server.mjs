// The demo's auth server: what the seeds' Flask, PHP and Express back ends do, on node:http.
//
//   POST /api/signup  { username, password, name?, ttl? }  -> 201 { token }   (409 if the username is taken)
//   POST /api/login   { username, password, ttl?, remember? } -> 200 { token }   (401 on a wrong password)
//   GET  /api/me      Authorization: Bearer <token>        -> 200 { sub, name, exp } or 401
//                     or the cookie tokenstore-demo.jwt=<token> (the cookie backend's), for this GET only
//   POST /api/refresh (the refresh cookie)                 -> 200 { token } and a new cookie, or 401
//   POST /api/logout  Authorization: Bearer <token>, and/or the refresh cookie
//                                                          -> 204, the token is refused from then on and
//                                                             the cookie's session is revoked
//
// DPoP (RFC 9449): a login or signup that carries a `DPoP` proof, or `dpop_jkt` in its body, gets a token
// bound to that key (`cnf.jkt`, `token_type: "DPoP"`), and so does every refresh of its session. A bound
// token is accepted only as `Authorization: DPoP <token>` with a fresh proof signed by that key (embedded
// JWK, typ, alg, thumbprint, htm, htu, iat window, jti never seen before, ath, and this server's nonce),
// never as Bearer. /api/refresh of a bound session wants a proof too. A missing or old nonce is answered
// with a new one in `DPoP-Nonce`: a 401 with `WWW-Authenticate: DPoP error="use_dpop_nonce"` from /api/me
// and /api/logout (a resource server), a 400 `{"error":"use_dpop_nonce"}` from /api/refresh (an
// authorization server).
//
// "Stay signed in" (`remember: true` on login or signup) starts a refresh session: a random refresh
// token in an httpOnly, Secure, SameSite=Strict cookie scoped to /api/, which no script can read. Each
// /api/refresh spends it and sets the next one (rotation); every refresh token of one login belongs to
// one family, and a refresh token used twice (stolen, or two tabs racing) revokes the whole family.
// Access tokens of such a session live REFRESH_ACCESS_TTL_SECONDS (default 30) unless `ttl` says.
//
// Tokens are HS256 JWTs signed with jose, carrying sub, name, iat, exp and jti. `ttl` (seconds, 1 to 86400)
// asks for a shorter or longer token than TOKEN_TTL_SECONDS, so the demo can show expiry in seconds.
// Everything else is a static file: / (index), /static/, /react/, /svelte/, /leptos/ (built apps) and /pkg/.

import { createServer } from "node:http";
import { randomBytes, randomUUID, scrypt, timingSafeEqual } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createHash } from "node:crypto";
import { EmbeddedJWK, SignJWT, calculateJwkThumbprint, jwtVerify } from "jose";

const scryptAsync = promisify(scrypt);
const here = resolve(fileURLToPath(new URL(".", import.meta.url)));
const MAX_BODY_BYTES = 16 * 1024;
// An over-limit body is read to its end (so the client gets the 413 rather than a reset) up to this size.
const MAX_DRAIN_BYTES = 1024 * 1024;
const MAX_TTL_SECONDS = 86_400;
const REFRESH_COOKIE = "tokenstore_refresh";
const REFRESH_SESSION_SECONDS = 30 * 86_400;

// The demo apps' store key, which the cookie backend uses as the cookie's name.
export const TOKEN_COOKIE = "tokenstore-demo.jwt";
const JWS = "[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*";
// How far a proof's iat may be from this server's clock, in seconds, and how long a nonce is good for.
const DPOP_IAT_WINDOW_SECONDS = 60;
const DPOP_NONCE_SECONDS = 300;

/** The token in the request's Cookie header under TOKEN_COOKIE, or null. Other cookies are skipped. */
function tokenCookie(req) {
  for (const pair of (req.headers.cookie ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at > 0 && pair.slice(0, at).trim() === TOKEN_COOKIE) {
      const value = pair.slice(at + 1).trim();
      if (new RegExp(`^${JWS}$`).test(value)) return value;
    }
  }
  return null;
}

export const DEMO_USER = { username: "zoe", password: "correct horse battery", name: "Zoë 東京" };

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ts": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

// URL prefix -> folder. Apps built by Vite are single-page apps: unknown paths under them get index.html,
// so a reload after history.pushState still finds the app.
const MOUNTS = [
  { prefix: "/pkg/", dir: resolve(here, "../pkg"), spa: false },
  { prefix: "/static/", dir: resolve(here, "static"), spa: true },
  { prefix: "/react/", dir: resolve(here, "react/dist"), spa: true },
  { prefix: "/svelte/", dir: resolve(here, "svelte/dist"), spa: true },
  { prefix: "/leptos/", dir: resolve(here, "leptos/dist"), spa: true },
];

class HttpError extends Error {
  constructor(status, message, headers = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

// The refresh cookie: httpOnly (no script reads it), Secure (Chromium and Firefox accept it on
// http://127.0.0.1 and localhost), SameSite=Strict (no other site's request carries it), and sent only
// to /api/. `maxAge` 0 removes it.
function refreshCookie(value, maxAge) {
  return `${REFRESH_COOKIE}=${value}; Path=/api/; HttpOnly; Secure; SameSite=Strict; Max-Age=${maxAge}`;
}

function cookies(req) {
  const jar = {};
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0) jar[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return jar;
}

/** Starts the server; resolves to { url, port, close() } once it listens. */
export async function startServer({
  port = 8080,
  host = "127.0.0.1",
  secret = process.env.TOKENSTORE_DEMO_SECRET,
  ttlSeconds = Number(process.env.TOKEN_TTL_SECONDS ?? 3600),
  refreshTtlSeconds = Number(process.env.REFRESH_ACCESS_TTL_SECONDS ?? 30),
  log = console.log,
} = {}) {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new Error(`TOKEN_TTL_SECONDS must be a whole number from 1 to ${MAX_TTL_SECONDS}`);
  }
  const randomSecret = !secret;
  const key = new TextEncoder().encode(secret || randomBytes(32).toString("base64url"));
  const users = new Map();
  const revoked = new Map(); // jti -> exp, so logged-out tokens stay refused until they expire anyway
  // Refresh sessions: refresh token -> { family, used }, and family -> { username, ttl, revoked, expires }.
  const refreshTokens = new Map();
  const families = new Map();
  /** How many /api/refresh calls were answered, by status: the e2e tests count them. */
  const refreshStats = { ok: 0, refused: 0, reused: 0 };
  await addUser(users, DEMO_USER);
  // DPoP: the proofs' jti seen within the iat window (replays are refused), and the nonces handed out:
  // the current one and the one before it are accepted, so a rotation does not fail requests in flight.
  const seenProofs = new Map(); // jti -> when it may be forgotten (ms)
  let nonces = { current: randomBytes(16).toString("base64url"), previous: null, since: Date.now() };
  function nonce() {
    if (Date.now() - nonces.since > DPOP_NONCE_SECONDS * 1000) {
      nonces = { current: randomBytes(16).toString("base64url"), previous: nonces.current, since: Date.now() };
    }
    return nonces.current;
  }

  // The thumbprint of the key that signed the request's DPoP proof, once every check passes; `token`
  // is the access token it must be bound to (ath), `asServer` how to ask for a nonce. Throws a 400 or
  // 401 HttpError.
  async function proven(req, { token = null, wantNonce = true, asServer = "resource" } = {}) {
    const proof = req.headers.dpop;
    const refuse = (why) => {
      throw new HttpError(asServer === "resource" ? 401 : 400, `invalid DPoP proof: ${why}`,
        asServer === "resource" ? { "WWW-Authenticate": `DPoP error="invalid_dpop_proof", algs="ES256"` } : {});
    };
    if (typeof proof !== "string" || !new RegExp(`^${JWS}$`).test(proof)) refuse("missing or malformed DPoP header");
    let payload, protectedHeader;
    try {
      ({ payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: ["ES256"] }));
    } catch (error) {
      refuse(error?.code ?? "bad signature");
    }
    if (protectedHeader.jwk.d !== undefined) refuse("the jwk holds a private key");
    const now = Date.now() / 1000;
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    if (payload.htm !== req.method) refuse("htm does not match the method");
    if (payload.htu !== `${url.origin}${url.pathname}`) refuse("htu does not match the URL");
    if (typeof payload.iat !== "number" || Math.abs(now - payload.iat) > DPOP_IAT_WINDOW_SECONDS) refuse("iat out of the window");
    if (typeof payload.jti !== "string" || payload.jti.length < 16) refuse("missing jti");
    if (token !== null && payload.ath !== createHash("sha256").update(token).digest("base64url")) refuse("ath does not match the token");
    if (wantNonce && payload.nonce !== nonce() && (payload.nonce === undefined || payload.nonce !== nonces.previous)) {
      const message = "use_dpop_nonce";
      if (asServer === "resource") {
        throw new HttpError(401, "a DPoP nonce is required", { "WWW-Authenticate": `DPoP error="${message}"` });
      }
      throw new HttpError(400, message);
    }
    // Checked last: a proof refused above (for its nonce, say) was not spent.
    for (const [jti, until] of seenProofs) if (until <= Date.now()) seenProofs.delete(jti);
    if (seenProofs.has(payload.jti)) refuse("jti replayed");
    seenProofs.set(payload.jti, Date.now() + 2 * DPOP_IAT_WINDOW_SECONDS * 1000);
    return calculateJwkThumbprint(protectedHeader.jwk, "sha256");
  }

  // A new refresh token in `family`, as the Set-Cookie header that hands it to the browser.
  function nextRefreshCookie(family) {
    const token = randomBytes(32).toString("base64url");
    refreshTokens.set(token, { family, used: false });
    return refreshCookie(token, REFRESH_SESSION_SECONDS);
  }

  function startFamily(user, ttl, jkt) {
    const family = randomUUID();
    families.set(family, { username: user.username, ttl, jkt, revoked: false, expires: Date.now() + REFRESH_SESSION_SECONDS * 1000 });
    return nextRefreshCookie(family);
  }

  function revokeFamily(family) {
    const entry = families.get(family);
    if (entry) entry.revoked = true;
    for (const [token, record] of refreshTokens) if (record.family === family) refreshTokens.delete(token);
  }

  async function issue(user, ttl, jkt) {
    return new SignJWT(jkt ? { name: user.name, cnf: { jkt } } : { name: user.name })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(user.username)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttl)
      .setJti(randomUUID())
      .sign(key);
  }

  // `cookie`: whether the token may come from the cookie when there is no Authorization header. Only
  // for GET /api/me: a cookie goes with every request to the site, so a state-changing request that
  // accepted it would need CSRF protection (SameSite=Strict is one layer, not the whole answer).
  async function verified(req, { cookie = false } = {}) {
    const header = req.headers.authorization;
    const match = new RegExp(`^(Bearer|DPoP) (${JWS})$`).exec(header ?? "");
    const token = match?.[2] ?? (header === undefined && cookie ? tokenCookie(req) : null);
    if (!token) {
      throw new HttpError(401, cookie
        ? `missing or malformed Authorization: Bearer header or ${TOKEN_COOKIE} cookie`
        : "missing or malformed Authorization: Bearer header");
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, key, { algorithms: ["HS256"] }));
    } catch (error) {
      throw new HttpError(401, error?.code === "ERR_JWT_EXPIRED" ? "token expired" : "invalid token");
    }
    if (revoked.has(payload.jti)) throw new HttpError(401, "token revoked by logout");
    const jkt = payload.cnf?.jkt;
    if (jkt === undefined) {
      if (match?.[1] === "DPoP") throw new HttpError(401, "this token is not DPoP-bound: send it as Bearer");
      return payload;
    }
    // A bound token: never as Bearer or from the cookie, only with a proof by its key.
    if (match?.[1] !== "DPoP") {
      throw new HttpError(401, "this token is DPoP-bound: send it as Authorization: DPoP with a DPoP proof",
        { "WWW-Authenticate": `DPoP error="invalid_token", algs="ES256"` });
    }
    if ((await proven(req, { token })) !== jkt) {
      throw new HttpError(401, "the DPoP proof is signed by another key than the token's",
        { "WWW-Authenticate": `DPoP error="invalid_token", algs="ES256"` });
    }
    return payload;
  }

  const routes = {
    "POST /api/signup": async (req) => {
      const body = await readJson(req);
      const username = field(body, "username", /^[a-z0-9_.-]{3,32}$/, "3 to 32 of a-z 0-9 _ . -");
      const password = field(body, "password", /^.{8,200}$/su, "8 to 200 characters");
      const name = body.name === undefined ? username : field(body, "name", /^.{1,64}$/su, "1 to 64 characters");
      if (users.has(username)) throw new HttpError(409, "that username is taken");
      const user = await addUser(users, { username, password, name });
      return loggedIn(201, user, body, req);
    },
    "POST /api/login": async (req) => {
      const body = await readJson(req);
      const username = field(body, "username", /^.{1,200}$/su, "a string");
      const password = field(body, "password", /^.{1,200}$/su, "a string");
      const user = users.get(username);
      // Hash even for an unknown user, so timing does not tell which usernames exist.
      const ok = await passwordMatches(user ?? DUMMY_USER, password);
      if (!user || !ok) throw new HttpError(401, "wrong username or password");
      return loggedIn(200, user, body, req);
    },
    "POST /api/refresh": async (req) => {
      const presented = cookies(req)[REFRESH_COOKIE];
      const record = presented && refreshTokens.get(presented);
      const family = record && families.get(record.family);
      const live = () => record && family && !family.revoked && family.expires >= Date.now();
      if (!live()) {
        refreshStats.refused++;
        throw new HttpError(401, "no refresh session", { "Set-Cookie": refreshCookie("", 0) });
      }
      // A bound session refreshes only with a proof by its key. Checked before the token is spent: a
      // request turned away for its nonce comes back with the same refresh token.
      if (family.jkt && (await proven(req, { asServer: "authorization" })) !== family.jkt) {
        refreshStats.refused++;
        throw new HttpError(400, "the DPoP proof is signed by another key than the session's");
      }
      if (!live()) {
        refreshStats.refused++;
        throw new HttpError(401, "no refresh session", { "Set-Cookie": refreshCookie("", 0) });
      }
      if (record.used) {
        // Spent before: someone else holds a copy. End the whole login, theirs and ours.
        revokeFamily(record.family);
        refreshStats.reused++;
        throw new HttpError(401, "refresh token reused: session revoked", { "Set-Cookie": refreshCookie("", 0) });
      }
      // Marked before any further await, so a second request with the same token is a reuse.
      record.used = true;
      const user = users.get(family.username);
      if (!user) throw new HttpError(401, "unknown user");
      const token = await issue(user, family.ttl, family.jkt);
      refreshStats.ok++;
      return [200, { token }, { "Set-Cookie": nextRefreshCookie(record.family) }];
    },
    "GET /api/me": async (req) => {
      const claims = await verified(req, { cookie: true });
      const user = users.get(claims.sub);
      if (!user) throw new HttpError(401, "unknown user");
      return [200, { sub: user.username, name: user.name, exp: claims.exp }];
    },
    "POST /api/logout": async (req) => {
      // The refresh session goes whatever the access token says: it may have expired already.
      const presented = cookies(req)[REFRESH_COOKIE];
      const record = presented && refreshTokens.get(presented);
      if (record) revokeFamily(record.family);
      const headers = presented ? { "Set-Cookie": refreshCookie("", 0) } : {};
      if (!req.headers.authorization && record) return [204, null, headers];
      const claims = await verified(req);
      revoked.set(claims.jti, claims.exp);
      const now = Date.now() / 1000;
      for (const [jti, exp] of revoked) if (exp <= now) revoked.delete(jti);
      return [204, null, headers];
    },
  };

  // A login or signup: the access token, and with "stay signed in" a refresh session in the cookie.
  // `req.headers.dpop` (a proof) or `dpop_jkt` binds the token, and the session, to a key.
  async function loggedIn(status, user, body, req) {
    if (body.remember !== undefined && typeof body.remember !== "boolean") {
      throw new HttpError(400, "remember must be a boolean");
    }
    if (body.dpop_jkt !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(body.dpop_jkt)) {
      throw new HttpError(400, "dpop_jkt must be a base64url SHA-256 thumbprint");
    }
    let jkt = body.dpop_jkt;
    if (req.headers.dpop !== undefined) {
      const proved = await proven(req, { wantNonce: false, asServer: "authorization" });
      if (jkt !== undefined && jkt !== proved) throw new HttpError(400, "dpop_jkt does not match the DPoP proof");
      jkt = proved;
    }
    const answer = (token) => (jkt ? { token, token_type: "DPoP" } : { token });
    if (!body.remember) return [status, answer(await issue(user, ttl(body, ttlSeconds), jkt))];
    const accessTtl = ttl(body, refreshTtlSeconds);
    return [status, answer(await issue(user, accessTtl, jkt)), { "Set-Cookie": startFamily(user, accessTtl, jkt) }];
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    try {
      if (url.pathname.startsWith("/api/")) {
        const route = routes[`${req.method} ${url.pathname}`];
        if (!route) throw new HttpError(404, `no route ${req.method} ${url.pathname}`);
        const [status, body, headers] = await route(req);
        send(res, status, body, { "DPoP-Nonce": nonce(), ...headers });
      } else if (req.method === "GET" || req.method === "HEAD") {
        await serveFile(url.pathname, req, res);
      } else {
        throw new HttpError(405, "method not allowed");
      }
    } catch (error) {
      if (error instanceof HttpError) {
        const nonceHeader = url.pathname.startsWith("/api/") ? { "DPoP-Nonce": nonce() } : {};
        send(res, error.status, { error: error.message }, { ...nonceHeader, ...error.headers });
      } else {
        log(`internal error on ${req.method} ${url.pathname}:`, error);
        send(res, 500, { error: "internal error" });
      }
    }
  });

  await new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, host, done);
  });
  const address = server.address();
  const url = `http://${host}:${address.port}/`;
  log(`tokenstore demo: ${url}`);
  log(`demo user: ${DEMO_USER.username} / ${DEMO_USER.password}; tokens live ${ttlSeconds} s`);
  if (randomSecret) log("signing secret: random for this run (set TOKENSTORE_DEMO_SECRET to keep tokens valid across restarts)");
  return {
    url,
    port: address.port,
    refreshStats,
    close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()); }),
  };
}

const DUMMY_USER = { salt: randomBytes(16), hash: Buffer.alloc(64) };

async function addUser(users, { username, password, name }) {
  const salt = randomBytes(16);
  const user = { username, name, salt, hash: await scryptAsync(password, salt, 64) };
  users.set(username, user);
  return user;
}

async function passwordMatches(user, password) {
  const hash = await scryptAsync(password, user.salt, 64);
  return timingSafeEqual(hash, user.hash);
}

function ttl(body, fallback) {
  if (body.ttl === undefined) return fallback;
  if (!Number.isInteger(body.ttl) || body.ttl < 1 || body.ttl > MAX_TTL_SECONDS) {
    throw new HttpError(400, `ttl must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}`);
  }
  return body.ttl;
}

function field(body, name, pattern, what) {
  const value = body[name];
  if (typeof value !== "string") throw new HttpError(400, `${name} is required (${what})`);
  if (!pattern.test(value)) throw new HttpError(400, `${name} must be ${what}`);
  return value;
}

async function readJson(req) {
  if (!/^application\/json\b/.test(req.headers["content-type"] ?? "")) {
    throw new HttpError(415, "send JSON with Content-Type: application/json");
  }
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_DRAIN_BYTES) req.destroy();
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) throw new HttpError(413, `body over ${MAX_BODY_BYTES} bytes`);
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "the body is not valid JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new HttpError(400, "the body must be a JSON object");
  }
  return body;
}

function send(res, status, body, headers = {}) {
  if (res.headersSent) return;
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers });
  res.end(body === null ? undefined : JSON.stringify(body));
}

async function serveFile(pathname, req, res) {
  if (pathname === "/") pathname = "/index.html";
  const mount = MOUNTS.find((m) => pathname.startsWith(m.prefix) || pathname === m.prefix.slice(0, -1));
  const dir = mount ? mount.dir : here;
  if (mount && pathname === mount.prefix.slice(0, -1)) {
    res.writeHead(301, { Location: mount.prefix });
    return res.end();
  }
  let relative;
  try {
    relative = decodeURIComponent(mount ? pathname.slice(mount.prefix.length) : pathname.slice(1));
  } catch {
    throw new HttpError(400, "bad path encoding");
  }
  if (!mount && pathname !== "/index.html") throw new HttpError(404, "not found");
  let file = resolve(dir, normalize(relative || "index.html"));
  if (file !== dir && !file.startsWith(dir + sep)) throw new HttpError(404, "not found");
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, "index.html");
    info = await stat(file).catch(() => null);
  }
  if (!info && mount?.spa && !extname(relative)) {
    file = join(mount.dir, "index.html");
    info = await stat(file).catch(() => null);
  }
  if (!info) throw new HttpError(404, "not found");
  const body = await readFile(file);
  res.writeHead(200, {
    "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
    "Content-Length": body.length,
    "Cache-Control": "no-cache",
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await startServer({ port: Number(process.env.PORT ?? 8080) });
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
