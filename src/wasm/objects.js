// The JS objects a store hands out, built here where object literals are smaller than field-by-field
// calls from wasm. What goes into them is decided in Rust.

export const snapshot = (token, claims, status, backend, expiresAt) =>
  Object.freeze({ token, claims, status, backend, expiresAt });

export const fallbackDetail = (from, reason) => Object.freeze({ from, to: "memory", reason });

export const refreshErrorDetail = (error, attempt, retryIn) => Object.freeze({ error, attempt, retryIn });

export const logoutMessage = (id, page, backend) => ({ type: "logout", id, page, backend });

export const changeMessage = (page, backend) => ({ type: "change", page, backend });

// `object[name]` when it is the object's own property, else undefined: what the app hands in (options,
// handlers) and what other tabs send is read from own properties only, so a property another script
// put on Object.prototype is never taken for an option, a handler or news. Throws what `object` throws
// (a Proxy's trap), and for null or undefined.
export const ownField = (object, name) => (Object.hasOwn(object, name) ? object[name] : undefined);

// `JSON.parse(text)` with everything inside frozen, so a store's claims cannot be changed behind its
// back.
export const parseFrozen = (text) => freezeDeep(JSON.parse(text));

// `value` with everything inside frozen. Iterative: claims may nest deeper than a recursive walk could
// follow. The package's entry freezes the claims of its early answer with it too.
export function freezeDeep(value) {
  const pending = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next !== null && typeof next === "object") {
      Object.freeze(next);
      for (const inner of Object.values(next)) pending.push(inner);
    }
  }
  return value;
}
