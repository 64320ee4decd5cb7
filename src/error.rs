//! The one error type of tokenstore, with the stable codes callers branch on.

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
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidToken(why) => write!(f, "invalid token: {why}"),
            Error::InvalidBase64(part) => {
                write!(f, "invalid base64url in the {}", part.describe())
            }
            Error::InvalidUtf8(part) => write!(f, "invalid UTF-8 in the {}", part.describe()),
            Error::InvalidJson(part, why) => {
                write!(f, "invalid JSON in the {}: {why}", part.describe())
            }
            Error::InvalidHeader(why) => write!(f, "invalid header: {why}"),
            Error::InvalidClaims(why) => write!(f, "invalid claims: {why}"),
            Error::InvalidOption(why) => write!(f, "invalid option: {why}"),
            Error::InvalidArgument(why) => write!(f, "invalid argument: {why}"),
            Error::StorageUnavailable(why) => write!(f, "storage unavailable: {why}"),
            Error::QuotaExceeded(why) => write!(f, "storage quota exceeded: {why}"),
        }
    }
}

impl std::error::Error for Error {}

/// Shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
