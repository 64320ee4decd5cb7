//! The one error type of tokenstore, with the stable codes callers branch on.

use alloc::borrow::ToOwned;
use alloc::string::String;
use core::fmt;

/// Which of the three dot-separated parts of a compact JWS a problem was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The JOSE header, part 1.
    Header,
    /// The claims set, part 2.
    Payload,
    /// The signature, part 3 (never verified, only checked to be base64url).
    Signature,
}

impl Part {
    fn describe(self) -> &'static str {
        match self {
            Part::Header => "header (part 1)",
            Part::Payload => "payload (part 2)",
            Part::Signature => "signature (part 3)",
        }
    }
}

/// Everything that can go wrong in tokenstore.
///
/// Messages say what failed but never contain the token itself, so an error can be logged safely.
///
/// # Example
///
/// ```
/// let error = tokenstore::jwt::decode("a.b").err();
/// assert_eq!(error.as_ref().map(tokenstore::Error::code), Some("INVALID_TOKEN"));
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// The value is not a compact JWS: not a string, not exactly three parts, or an empty header or payload.
    InvalidToken(String),
    /// A part is not base64url without padding (RFC 7515, section 2).
    InvalidBase64(Part),
    /// A decoded part is not valid UTF-8.
    InvalidUtf8(Part),
    /// A decoded part is not valid JSON.
    InvalidJson(Part, String),
    /// The header is valid JSON but not a JSON object.
    InvalidHeader(String),
    /// The payload is not a JSON object, or `exp`, `nbf` or `iat` is present but not a finite number.
    InvalidClaims(String),
    /// A `TokenStore` option or a backend name is missing its mark.
    InvalidOption(String),
    /// A method argument other than the token has the wrong type or value.
    InvalidArgument(String),
    /// The requested storage cannot be used here (blocked by the browser, or no `window`).
    StorageUnavailable(String),
    /// The storage refused the write because it is full.
    QuotaExceeded(String),
    /// The `TokenStore` or `AutoLogin` handle was freed with `free()` (or `[Symbol.dispose]`).
    Freed(&'static str),
    /// The WebAssembly module has not been loaded: `init()` has not finished.
    NotInitialized(&'static str),
    /// A refresh was cut short: it took longer than its time limit, or the page was hidden away.
    Aborted(&'static str),
    /// DPoP needs WebCrypto with ECDSA P-256, which this context lacks (an insecure page, an old
    /// browser) or which refused the key.
    CryptoUnavailable(&'static str),
}

impl Error {
    /// The stable code of this error, e.g. `"INVALID_BASE64"`. Codes never change between versions.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidToken(_) => "INVALID_TOKEN",
            Error::InvalidBase64(_) => "INVALID_BASE64",
            Error::InvalidUtf8(_) => "INVALID_UTF8",
            Error::InvalidJson(..) => "INVALID_JSON",
            Error::InvalidHeader(_) => "INVALID_HEADER",
            Error::InvalidClaims(_) => "INVALID_CLAIMS",
            Error::InvalidOption(_) => "INVALID_OPTION",
            Error::InvalidArgument(_) => "INVALID_ARGUMENT",
            Error::StorageUnavailable(_) => "STORAGE_UNAVAILABLE",
            Error::QuotaExceeded(_) => "QUOTA_EXCEEDED",
            Error::Freed(_) => "FREED",
            Error::NotInitialized(_) => "NOT_INITIALIZED",
            Error::Aborted(_) => "ABORTED",
            Error::CryptoUnavailable(_) => "CRYPTO_UNAVAILABLE",
        }
    }

    /// The message shown to people, e.g. "invalid base64url in the payload (part 2)".
    ///
    /// Built by concatenation rather than `core::fmt`, which would add kilobytes to the wasm module.
    pub fn message(&self) -> String {
        match self {
            Error::InvalidToken(why) => concat(&["invalid token: ", why]),
            Error::InvalidBase64(part) => concat(&["invalid base64url in the ", part.describe()]),
            Error::InvalidUtf8(part) => concat(&["invalid UTF-8 in the ", part.describe()]),
            Error::InvalidJson(part, why) => {
                concat(&["invalid JSON in the ", part.describe(), ": ", why])
            }
            Error::InvalidHeader(why) => concat(&["invalid header: ", why]),
            Error::InvalidClaims(why) => concat(&["invalid claims: ", why]),
            Error::InvalidOption(why) => concat(&["invalid option: ", why]),
            Error::InvalidArgument(why) => concat(&["invalid argument: ", why]),
            Error::StorageUnavailable(why) => concat(&["storage unavailable: ", why]),
            Error::QuotaExceeded(why) => concat(&["storage quota exceeded: ", why]),
            Error::Freed(what) => concat(&["this ", what, " has been freed"]),
            Error::NotInitialized(why) => concat(&["tokenstore is not initialized: ", why]),
            Error::Aborted(why) => concat(&["refresh aborted: ", why]),
            Error::CryptoUnavailable(why) => concat(&["WebCrypto unavailable: ", why]),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for Error {}

/// The pieces joined into one `String`. By hand: the length check inside `[&str]::concat` brings
/// `core::fmt` into the wasm module.
pub(crate) fn concat(pieces: &[&str]) -> String {
    let mut text = String::with_capacity(pieces.iter().map(|piece| piece.len()).sum());
    for piece in pieces {
        text.push_str(piece);
    }
    text
}

/// `n` in decimal, for messages, without `core::fmt`.
pub(crate) fn decimal(mut n: usize) -> String {
    // Written from the last digit back into room for the longest `usize`. Iterators and `get`, where
    // indexing would bring a bounds-check panic and its formatting code.
    let mut digits = [b'0'; 20];
    let mut written = 0;
    for slot in digits.iter_mut().rev() {
        // `n % 10` is below 10, so the cast cannot truncate.
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
        written += 1;
        if n == 0 {
            break;
        }
    }
    let digits = core::str::from_utf8(&digits).unwrap_or_default();
    digits
        .get(digits.len() - written..)
        .unwrap_or_default()
        .to_owned()
}

/// Shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_spells_numbers() {
        for n in [0, 7, 10, 99, 100, 4096, usize::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    #[test]
    fn an_aborted_refresh_has_its_own_code() {
        let error = Error::Aborted("the page was hidden");
        assert_eq!(error.code(), "ABORTED");
        assert_eq!(error.message(), "refresh aborted: the page was hidden");
    }

    #[test]
    fn display_is_the_message() {
        let error = Error::InvalidJson(Part::Payload, "expected a value at byte 3".into());
        assert_eq!(
            error.to_string(),
            "invalid JSON in the payload (part 2): expected a value at byte 3"
        );
        assert_eq!(error.to_string(), error.message());
    }
}
