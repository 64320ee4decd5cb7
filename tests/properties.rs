//! Property tests of the core: base64url strictness, claims round-trips and the time-check formulas.
#![cfg(not(target_arch = "wasm32"))]

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use proptest::prelude::*;
use serde_json::{Map, Number, Value};
use tokenstore::jwt::decode;
use tokenstore::time::{TimeClaims, Validity};

// The token maker the crate's own unit tests use: one for every Rust test.
#[allow(dead_code)]
#[path = "../src/test_tokens.rs"]
mod test_tokens;
use test_tokens::{b64, token};

/// The header `token` writes.
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

fn token_with_signature(signature: &str) -> String {
    format!("{}.{}.{signature}", b64(HEADER), b64("{}"))
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".*".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(".*", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn numeric_date() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-4_102_444_800i64..4_102_444_800i64).prop_map(|n| n as f64),
        (-4.1e9f64..4.1e9f64),
        any::<f64>().prop_filter("finite", |f| f.is_finite()),
    ]
}

proptest! {
    #[test]
    fn any_bytes_in_canonical_base64url_decode(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let canonical = URL_SAFE_NO_PAD.encode(&bytes);
        prop_assert!(decode(&token_with_signature(&canonical)).is_ok());

        let padded = URL_SAFE.encode(&bytes);
        if padded != canonical {
            prop_assert_eq!(decode(&token_with_signature(&padded)).unwrap_err().code(), "INVALID_BASE64");
        }
        let standard = STANDARD_NO_PAD.encode(&bytes);
        if standard != canonical {
            prop_assert_eq!(decode(&token_with_signature(&standard)).unwrap_err().code(), "INVALID_BASE64");
        }
    }

    #[test]
    fn claims_round_trip(
        extra in prop::collection::btree_map("[a-z]{1,8}", json_value(), 0..8),
        exp in prop::option::of(numeric_date()),
        nbf in prop::option::of(numeric_date()),
        iat in prop::option::of(numeric_date()),
    ) {
        let mut claims: Map<String, Value> = extra
            .into_iter()
            .filter(|(name, _)| !matches!(name.as_str(), "exp" | "nbf" | "iat"))
            .collect();
        for (name, value) in [("exp", exp), ("nbf", nbf), ("iat", iat)] {
            if let Some(value) = value {
                claims.insert(name.into(), Number::from_f64(value).map_or(Value::Null, Value::Number));
            }
        }
        let payload = serde_json::to_string(&Value::Object(claims)).unwrap();
        let jwt = decode(&token(&payload)).unwrap();
        prop_assert_eq!(jwt.payload_json(), payload.as_str());
        prop_assert_eq!(jwt.header_json(), HEADER);
        prop_assert_eq!(jwt.times(), TimeClaims { exp, nbf, iat });
    }

    #[test]
    fn validity_follows_rfc_7519(
        exp in prop::option::of(numeric_date()),
        nbf in prop::option::of(numeric_date()),
        now in numeric_date(),
        leeway in 0.0f64..100_000.0,
    ) {
        let validity = TimeClaims { exp, nbf, iat: None }.validity(now, leeway);
        let expired = exp.is_some_and(|exp| exp <= now - leeway);
        let early = nbf.is_some_and(|nbf| nbf > now + leeway);
        let expected = match (expired, early) {
            (true, _) => Validity::Expired,
            (false, true) => Validity::NotYetValid,
            (false, false) => Validity::Valid,
        };
        prop_assert_eq!(validity, expected);
        // More leeway never turns a valid token invalid.
        if validity == Validity::Valid {
            prop_assert_eq!(TimeClaims { exp, nbf, iat: None }.validity(now, leeway * 2.0 + 1.0), Validity::Valid);
        }
    }

    #[test]
    fn any_text_decodes_or_fails_cleanly(text in ".{0,400}") {
        if let Err(error) = decode(&text) {
            prop_assert!(!error.code().is_empty());
            prop_assert!(error.to_string().len() <= 160);
        }
    }
}
