// The class of every error tokenstore throws, so `error instanceof TokenError` works. The package's entry
// module re-exports it; errors built in Rust come through `tokenError`.
export class TokenError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "TokenError";
    this.code = code;
  }
}

export function tokenError(code, message) {
  return new TokenError(code, message);
}
