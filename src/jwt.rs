//! Decoding of compact JWS tokens (RFC 7515 / RFC 7519): structure, base64url, UTF-8, JSON and time claims.
//!
//! Decoding is not verification: nothing here checks a signature, and nothing here can.

use alloc::borrow::ToOwned;
use alloc::string::String;
use core::fmt;

use crate::ascii;
use crate::base64url;
use crate::error::{concat, decimal, Error, Part, Result};
use crate::json::{self, Kind};
use crate::number;
use crate::time::TimeClaims;

/// A token that passed every decoding rule: the raw text plus its decoded header and payload JSON.
///
/// `Debug` leaves the token text out, so the token cannot reach a log line by accident.
#[derive(Clone, PartialEq)]
pub struct Jwt {
    raw: String,
    header_json: String,
    payload_json: String,
    times: TimeClaims,
}

impl Jwt {
    /// The compact token exactly as it was given.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The header, as the JSON text that was decoded from part 1 (always a JSON object).
    pub fn header_json(&self) -> &str {
        &self.header_json
    }

    /// The claims set, as the JSON text that was decoded from part 2 (always a JSON object).
    pub fn payload_json(&self) -> &str {
        &self.payload_json
    }

    /// The registered time claims found in the payload.
    pub fn times(&self) -> TimeClaims {
        self.times
    }
}

impl fmt::Debug for Jwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwt")
            .field("raw", &format_args!("<{} bytes, redacted>", self.raw.len()))
            .field("times", &self.times)
            .finish_non_exhaustive()
    }
}

/// Decodes a compact JWS: exactly three dot-separated base64url parts, a non-empty header and payload
/// that are UTF-8 JSON objects, and a signature that may be empty (an unsecured JWT) but is never checked.
///
/// Padding (`=`) is rejected, as RFC 7515 section 2 requires, and so are the `+` and `/` of standard
/// base64 and non-zero trailing bits: a token has one spelling.
pub fn decode(token: &str) -> Result<Jwt> {
    let is_dot = |byte| byte == b'.';
    let parts = ascii::split_once(token, is_dot)
        .and_then(|(header, rest)| {
            let (payload, signature) = ascii::split_once(rest, is_dot)?;
            Some((header, payload, signature))
        })
        .filter(|(_, _, signature)| !signature.bytes().any(is_dot));
    let Some((header, payload, signature)) = parts else {
        let dots = token.bytes().filter(|&byte| is_dot(byte)).count();
        return Err(Error::InvalidToken(concat(&[
            "expected 3 dot-separated parts (a compact JWS), found ",
            &decimal(dots + 1),
        ])));
    };
    if header.is_empty() {
        return Err(Error::InvalidToken("the header (part 1) is empty".into()));
    }
    if payload.is_empty() {
        return Err(Error::InvalidToken("the payload (part 2) is empty".into()));
    }

    let header_json = decode_text(header, Part::Header)?;
    let payload_json = decode_text(payload, Part::Payload)?;
    check_base64url(signature, Part::Signature)?;

    let header_kind =
        json::scan(&header_json, |_, _, _| {}).map_err(|e| syntax(Part::Header, e))?;
    if header_kind != Kind::Object {
        let kind = header_kind.describe();
        return Err(Error::InvalidHeader(concat(&[
            "the header is ",
            kind,
            ", not a JSON object",
        ])));
    }
    let times = time_claims(&payload_json)?;

    Ok(Jwt {
        raw: token.to_owned(),
        header_json,
        payload_json,
        times,
    })
}

fn decode_text(encoded: &str, part: Part) -> Result<String> {
    let bytes = base64url::decode(encoded).ok_or(Error::InvalidBase64(part))?;
    String::from_utf8(bytes).map_err(|_| Error::InvalidUtf8(part))
}

/// Checks the base64url spelling of a part whose bytes are not needed (the signature).
fn check_base64url(encoded: &str, part: Part) -> Result<()> {
    if base64url::is_canonical(encoded) {
        Ok(())
    } else {
        Err(Error::InvalidBase64(part))
    }
}

fn syntax(part: Part, error: json::SyntaxError) -> Error {
    Error::InvalidJson(part, concat(&[error.what, " at byte ", &decimal(error.at)]))
}

/// Checks that the payload is a JSON object and reads its time claims. A repeated claim keeps its last
/// value, as `JSON.parse` does, so the claims an app reads and the times checked here always agree.
fn time_claims(payload: &str) -> Result<TimeClaims> {
    let mut raw: [Option<(Kind, &str)>; 3] = [None; 3];
    let kind = json::scan(payload, |name, kind, value| {
        if let Some(slot) = TIME_CLAIMS.iter().position(|claim| name.is(claim)) {
            raw[slot] = Some((kind, value));
        }
    })
    .map_err(|e| syntax(Part::Payload, e))?;
    if kind != Kind::Object {
        let kind = kind.describe();
        return Err(Error::InvalidClaims(concat(&[
            "the payload is ",
            kind,
            ", not a JSON object",
        ])));
    }
    let [exp, nbf, iat] = raw;
    Ok(TimeClaims {
        exp: numeric_date("exp", exp)?,
        nbf: numeric_date("nbf", nbf)?,
        iat: numeric_date("iat", iat)?,
    })
}

const TIME_CLAIMS: [&str; 3] = ["exp", "nbf", "iat"];

/// A NumericDate (RFC 7519, section 2): a JSON number of seconds, integer or not, parsed with correct
/// rounding as `JSON.parse` does, so the value checked here is the value the app reads.
fn numeric_date(name: &str, raw: Option<(Kind, &str)>) -> Result<Option<f64>> {
    let Some((kind, text)) = raw else {
        return Ok(None);
    };
    if kind != Kind::Number {
        let kind = kind.describe();
        return Err(Error::InvalidClaims(concat(&[
            "`",
            name,
            "` must be a number of seconds, found ",
            kind,
        ])));
    }
    let seconds = number::parse(text);
    if seconds.is_finite() {
        Ok(Some(seconds))
    } else {
        Err(Error::InvalidClaims(concat(&[
            "`",
            name,
            "` is beyond the range of a number",
        ])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_tokens::{b64, token, token_with_header};

    fn code(token: &str) -> &'static str {
        match decode(token) {
            Ok(_) => "OK",
            Err(error) => error.code(),
        }
    }

    #[test]
    fn decodes_an_ascii_token() {
        let jwt = decode(&token(
            r#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#,
        ))
        .unwrap();
        assert_eq!(jwt.header_json(), r#"{"alg":"HS256","typ":"JWT"}"#);
        assert_eq!(
            jwt.payload_json(),
            r#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#
        );
        assert_eq!(
            jwt.times(),
            TimeClaims {
                exp: None,
                nbf: None,
                iat: Some(1516239022.0)
            }
        );
    }

    #[test]
    fn decodes_the_jwt_io_example() {
        let example = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.\
            eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.\
            SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        let jwt = decode(example).unwrap();
        assert_eq!(jwt.raw(), example);
        assert!(jwt.payload_json().contains("John Doe"));
    }

    #[test]
    fn decodes_utf8_names() {
        for name in ["José", "Zoë 東京", "emoji 🔑", "\u{10FFFF}"] {
            let payload = format!(r#"{{"name":"{name}"}}"#);
            assert_eq!(decode(&token(&payload)).unwrap().payload_json(), payload);
        }
        // Escaped forms are valid JSON too and are passed through untouched.
        let escaped = r#"{"name":"Zo\u00eb \ud83d\udd11"}"#;
        assert_eq!(decode(&token(escaped)).unwrap().payload_json(), escaped);
    }

    #[test]
    fn every_padding_length_decodes_without_padding() {
        // Payload lengths 12, 13 and 14 bytes encode to 16, 18 and 19 characters: an unpadded
        // base64url text that would need 0, 2 and 1 "=" respectively.
        for payload in [r#"{"a":"1234"}"#, r#"{"a":"12345"}"#, r#"{"a":"123456"}"#] {
            let encoded = b64(payload);
            assert_eq!(payload.len() % 3, [0, 1, 2][payload.len() - 12]);
            let jwt = format!("{}.{encoded}.", b64(r#"{"alg":"none"}"#));
            assert_eq!(decode(&jwt).unwrap().payload_json(), payload);
        }
    }

    #[test]
    fn padding_is_rejected() {
        let header = b64(r#"{"alg":"none"}"#);
        for payload in [r#"{"a":"12345"}"#, r#"{"a":"123456"}"#] {
            let mut encoded = b64(payload);
            while encoded.len() % 4 != 0 {
                encoded.push('=');
            }
            assert_eq!(code(&format!("{header}.{encoded}.")), "INVALID_BASE64");
        }
        assert_eq!(
            code(&format!("{header}.{}.c2ln=", b64("{}"))),
            "INVALID_BASE64"
        );
    }

    #[test]
    fn unsecured_token_with_empty_signature_decodes() {
        let jwt = format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(r#"{"sub":"x"}"#));
        assert!(decode(&jwt).is_ok());
    }

    #[test]
    fn structure_errors_are_invalid_token() {
        let h = b64(r#"{"alg":"none"}"#);
        let p = b64("{}");
        for bad in [
            String::new(),
            "abc".into(),
            format!("{h}.{p}"),
            format!("{h}.{p}.s.x"),
            format!("{h}.{p}.a.b.c"), // five parts: a JWE
            format!(".{p}.s"),
            format!("{h}..s"),
            "..".into(),
        ] {
            assert_eq!(code(&bad), "INVALID_TOKEN", "{bad:?}");
        }
        let message = decode(&format!("{h}.{p}.a.b.c")).unwrap_err().to_string();
        assert!(message.contains("found 5"), "{message}");
    }

    #[test]
    fn base64_errors_name_the_part() {
        let h = b64(r#"{"alg":"none"}"#);
        let p = b64(r#"{"a":1}"#);
        let cases = [
            (format!("{h}+.{p}."), Part::Header),
            (format!("{h}.{p}/."), Part::Payload),
            (format!("{h}.{p} ."), Part::Payload),
            (format!("{h}.{p}.abc!"), Part::Signature),
            (format!("{h}.{p}.a"), Part::Signature), // 4n+1 characters can encode nothing
            (format!("{h}.{p}.AB"), Part::Signature), // non-zero trailing bits: "AA" is the spelling
            (format!("{h}.{p}ü."), Part::Payload),
        ];
        for (bad, part) in cases {
            assert_eq!(
                decode(&bad).unwrap_err(),
                Error::InvalidBase64(part),
                "{bad:?}"
            );
        }
        assert_eq!(
            Error::InvalidBase64(Part::Payload).to_string(),
            "invalid base64url in the payload (part 2)"
        );
    }

    #[test]
    fn invalid_utf8_is_rejected() {
        let bad_payload = format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(b"{\"a\":\"\xff\"}"));
        assert_eq!(
            decode(&bad_payload).unwrap_err(),
            Error::InvalidUtf8(Part::Payload)
        );
        let bad_header = format!("{}.{}.", b64(b"{\"a\":\"\xc3\x28\"}"), b64("{}"));
        assert_eq!(
            decode(&bad_header).unwrap_err(),
            Error::InvalidUtf8(Part::Header)
        );
        // An encoded surrogate half (CESU-8) is not UTF-8 either.
        let surrogate = format!(
            "{}.{}.",
            b64(r#"{"alg":"none"}"#),
            b64(b"{\"a\":\"\xed\xa0\x80\"}")
        );
        assert_eq!(code(&surrogate), "INVALID_UTF8");
    }

    #[test]
    fn invalid_json_is_rejected() {
        for payload in [
            "{",
            "{\"a\":}",
            "{'a':1}",
            "{\"a\":1,}",
            "{} {}",
            "{\"a\":NaN}",
            "\u{feff}{}",
        ] {
            assert_eq!(code(&token(payload)), "INVALID_JSON", "{payload:?}");
        }
        assert_eq!(code(&token_with_header("{alg}", "{}")), "INVALID_JSON");
        let message = decode(&token("{\"a\":}")).unwrap_err().to_string();
        assert!(
            message.starts_with("invalid JSON in the payload (part 2): "),
            "{message}"
        );
    }

    #[test]
    fn header_and_payload_must_be_objects() {
        for (payload, kind) in [
            ("[]", "an array"),
            ("\"s\"", "a string"),
            ("1", "a number"),
            ("null", "null"),
            (" true", "a boolean"),
        ] {
            let error = decode(&token(payload)).unwrap_err();
            assert_eq!(error.code(), "INVALID_CLAIMS");
            assert_eq!(
                error.to_string(),
                format!("invalid claims: the payload is {kind}, not a JSON object")
            );
        }
        let error = decode(&token_with_header("[\"secret\"]", "{}")).unwrap_err();
        assert_eq!(error.code(), "INVALID_HEADER");
        assert!(!error.to_string().contains("secret"));
    }

    #[test]
    fn time_claims_must_be_numbers() {
        for claim in ["exp", "nbf", "iat"] {
            for value in ["\"1700000000\"", "true", "null", "[1]", "{\"n\":1}"] {
                let error = decode(&token(&format!(r#"{{"{claim}":{value}}}"#))).unwrap_err();
                assert_eq!(error.code(), "INVALID_CLAIMS", "{claim}: {value}");
                assert!(
                    error
                        .to_string()
                        .contains(&format!("`{claim}` must be a number")),
                    "{error}"
                );
            }
        }
    }

    #[test]
    fn messages_never_quote_token_content() {
        let secret = "s3cr3t-value";
        for payload in [
            format!(r#"{{"exp":"{secret}"}}"#),
            format!(r#""{secret}""#),
            format!(r#"{{"a":"{secret}",}}"#),
        ] {
            let error = decode(&token(&payload)).unwrap_err();
            assert!(!error.to_string().contains(secret), "{error}");
            assert!(!format!("{error:?}").contains(secret), "{error:?}");
        }
        let jwt = decode(&token(&format!(r#"{{"sub":"{secret}"}}"#))).unwrap();
        assert!(!format!("{jwt:?}").contains(&b64(secret)[..8]));
    }

    #[test]
    fn numeric_dates_may_be_large_negative_or_fractional() {
        let jwt = decode(&token(r#"{"exp":1.7e9,"nbf":-1,"iat":1700000000.25}"#)).unwrap();
        assert_eq!(
            jwt.times(),
            TimeClaims {
                exp: Some(1.7e9),
                nbf: Some(-1.0),
                iat: Some(1700000000.25)
            }
        );
        let huge = decode(&token(r#"{"exp":123456789012345678901234567890}"#)).unwrap();
        assert_eq!(huge.times().exp, Some(1.2345678901234568e29));
        // A time claim beyond the range of a double is not a usable number.
        let error = decode(&token(r#"{"exp":1e400}"#)).unwrap_err();
        assert_eq!(error.code(), "INVALID_CLAIMS");
        assert!(
            error
                .to_string()
                .contains("`exp` is beyond the range of a number"),
            "{error}"
        );
    }

    #[test]
    fn time_claims_are_rounded_exactly_as_json_parse_rounds_them() {
        // A parser that is not correctly rounded is off by one ulp on this one (found by tests/properties.rs).
        let jwt = decode(&token(
            r#"{"exp":-1.827905556349931e-95,"nbf":1700000000.1}"#,
        ))
        .unwrap();
        assert_eq!(jwt.times().exp, Some(-1.827905556349931e-95));
        assert_eq!(jwt.times().nbf, Some(1700000000.1));
    }

    #[test]
    fn large_numbers_in_other_claims_are_kept_as_text() {
        let payload = r#"{"big":1e400,"id":123456789012345678901234567890,"neg":-0.0}"#;
        assert_eq!(decode(&token(payload)).unwrap().payload_json(), payload);
    }

    #[test]
    fn repeated_time_claim_keeps_the_last_value() {
        let jwt = decode(&token(r#"{"exp":1,"exp":2000000000}"#)).unwrap();
        assert_eq!(jwt.times().exp, Some(2000000000.0));
    }

    #[test]
    fn deep_nesting_in_ordinary_claims_is_skipped_without_recursion() {
        // The scanner loops with its own stack instead of recursing, so depth costs no wasm stack.
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(code(&token(&deep)), "OK");
        let unbalanced = format!("{{\"a\":{}1}}", "[".repeat(100_000));
        assert_eq!(code(&token(&unbalanced)), "INVALID_JSON");
    }

    #[test]
    fn deep_nesting_in_a_time_claim_is_not_a_number() {
        let deep = format!("{{\"exp\":{}1{}}}", "[".repeat(1_000), "]".repeat(1_000));
        assert_eq!(code(&token(&deep)), "INVALID_CLAIMS");
    }

    #[test]
    fn multi_kilobyte_tokens_decode() {
        let roles: Vec<String> = (0..500).map(|i| format!("\"role-{i}\"")).collect();
        let payload = format!(
            r#"{{"sub":"x","roles":[{}],"exp":2000000000}}"#,
            roles.join(",")
        );
        assert!(payload.len() > 5_000);
        let jwt = decode(&token(&payload)).unwrap();
        assert_eq!(jwt.payload_json().len(), payload.len());
        assert_eq!(jwt.times().exp, Some(2e9));
    }
}
