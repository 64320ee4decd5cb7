//! Claims and headers read into the caller's own types through serde: the Rust API's decoding. The
//! token is decoded by [`jwt::decode`] first, with every rule the JS API applies, so a token this
//! accepts is one `decodeClaims` accepts too.

use alloc::string::ToString;

use serde::de::DeserializeOwned;

use crate::error::{concat, Error, Part, Result};
use crate::jwt::{self, Jwt};

/// Decodes the payload of `token` into `T`, with the same rules and errors as
/// `TokenStore::set` (which stores nothing for a token this refuses).
///
/// A token that decodes but whose claims do not fit `T` is an [`Error::InvalidClaims`] naming
/// what serde found wrong (a missing field, or a claim of another type, whose value serde may
/// quote): never a panic.
///
/// # Example
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Claims {
///     sub: String,
/// }
///
/// // {"alg":"none"} . {"sub":"zoe"} . "sig": the signature is never checked
/// let token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ6b2UifQ.c2ln";
/// let claims: Claims = tokenstore::decode_claims(token)?;
/// assert_eq!(claims.sub, "zoe");
///
/// let error = tokenstore::decode_claims::<Claims>("not a token").err();
/// assert_eq!(error.map(|error| error.code()), Some("INVALID_TOKEN"));
/// # Ok::<(), tokenstore::Error>(())
/// ```
pub fn decode_claims<T: DeserializeOwned>(token: &str) -> Result<T> {
    payload_as(&jwt::decode(token)?)
}

/// Decodes the JOSE header of `token` into `T`, with the same rules and errors as
/// [`decode_claims`].
///
/// # Example
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Header {
///     alg: String,
/// }
///
/// let token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ6b2UifQ.c2ln";
/// let header: Header = tokenstore::decode_header(token)?;
/// assert_eq!(header.alg, "none");
/// # Ok::<(), tokenstore::Error>(())
/// ```
pub fn decode_header<T: DeserializeOwned>(token: &str) -> Result<T> {
    header_as(&jwt::decode(token)?)
}

/// The payload of a decoded token as `T`.
pub(crate) fn payload_as<T: DeserializeOwned>(jwt: &Jwt) -> Result<T> {
    read_as(jwt.payload_json(), Part::Payload)
}

/// The header of a decoded token as `T`.
pub(crate) fn header_as<T: DeserializeOwned>(jwt: &Jwt) -> Result<T> {
    read_as(jwt.header_json(), Part::Header)
}

/// `json`, already checked by the core, read as `T`: the only failure left is a shape that does not
/// fit the type.
fn read_as<T: DeserializeOwned>(json: &str, part: Part) -> Result<T> {
    serde_json::from_str(json).map_err(|why| {
        let what = match part {
            Part::Header => "it does not fit the type: ",
            _ => "they do not fit the type: ",
        };
        let why = why.to_string();
        match part {
            Part::Header => Error::InvalidHeader(concat(&[what, &why])),
            _ => Error::InvalidClaims(concat(&[what, &why])),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_tokens::token;
    use alloc::string::String;
    use alloc::vec::Vec;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Claims {
        sub: String,
        roles: Vec<String>,
        exp: Option<f64>,
    }

    #[test]
    fn claims_fit_the_callers_type() {
        let jwt = token(r#"{"sub":"zoe","roles":["admin"],"exp":5}"#);
        let claims: Claims = decode_claims(&jwt).expect("decodes");
        assert_eq!(
            claims,
            Claims {
                sub: "zoe".into(),
                roles: alloc::vec!["admin".into()],
                exp: Some(5.0)
            }
        );
    }

    #[test]
    fn a_wrong_shape_is_an_error_not_a_panic() {
        let jwt = token(r#"{"sub":7,"roles":[]}"#);
        let error = decode_claims::<Claims>(&jwt).expect_err("sub is a number");
        assert_eq!(error.code(), "INVALID_CLAIMS");
        let jwt = token(r#"{"sub":"zoe"}"#);
        let error = decode_claims::<Claims>(&jwt).expect_err("roles is missing");
        assert!(error.message().contains("roles"), "{}", error.message());
    }

    #[test]
    fn the_core_rules_come_first() {
        let error = decode_claims::<Claims>("a.b").expect_err("two parts");
        assert_eq!(error.code(), "INVALID_TOKEN");
        // exp must be a number whatever the type says.
        let jwt = token(r#"{"sub":"zoe","roles":[],"exp":"soon"}"#);
        assert_eq!(
            decode_claims::<serde_json::Value>(&jwt).map_err(|error| error.code()),
            Err("INVALID_CLAIMS")
        );
    }

    #[test]
    fn headers_fit_the_callers_type() {
        #[derive(serde::Deserialize)]
        struct Header {
            alg: String,
        }
        let jwt = token(r#"{"sub":"zoe"}"#);
        assert_eq!(
            decode_header::<Header>(&jwt).map(|h| h.alg),
            Ok("HS256".into())
        );
        let error = decode_header::<Claims>(&jwt)
            .err()
            .map(|error| error.code());
        assert_eq!(error, Some("INVALID_HEADER"));
    }
}
