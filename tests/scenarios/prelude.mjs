// What every browser scenario (tests/scenarios/*.mjs, run by tests/common/mod.rs) can use. A scenario
// is an async function of the `TokenStore` class, reached through wasm-bindgen's own glue.
import { token } from "./tokens.mjs";

export { token };

/** A token for `sub` that expires `seconds` from now. */
export const later = (seconds, sub) => token({ sub, exp: Date.now() / 1000 + seconds });

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A full garbage collection where the browser exposes one, and time for finalizers to run. */
export const collect = async () => {
  for (let i = 0; i < 3; i++) {
    if (typeof gc === "function") gc();
    await sleep(30);
  }
};

/** A same-origin iframe: its storage writes fire real `storage` events here. */
export const otherTab = () => {
  const frame = document.createElement("iframe");
  document.body.append(frame);
  return { window: frame.contentWindow, close: () => frame.remove() };
};

/** Polls until `condition()` holds, or throws naming `what` after `ms`. */
export const until = async (condition, what, ms = 5000) => {
  for (const deadline = Date.now() + ms; !condition(); await sleep(10)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
  }
};

export const check = (condition, what) => {
  if (!condition) throw new Error(`failed: ${what}`);
};

export const same = (actual, expected, what) => {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a !== e) throw new Error(`${what}: got ${a}, expected ${e}`);
};

/** The `code` of what `run()` throws, or "no error". */
export const codeOf = (run) => {
  try {
    run();
  } catch (error) {
    return error.code;
  }
  return "no error";
};

/** Who a snapshot is logged in as, or its status. */
export const sub = (snapshot) => snapshot.claims?.sub ?? snapshot.status;

export const isChromium = navigator.userAgent.includes("Chrome");

/**
 * Holds the Web Lock `name` as another tab would, until the returned function is called. A lock taken
 * from it (`steal`) is no failure.
 */
export const holdLock = async (name) => {
  let release;
  await new Promise((granted) => navigator.locks.request(name, () => {
    granted();
    return new Promise((done) => { release = done; });
  }).catch(() => {}));
  return release;
};
