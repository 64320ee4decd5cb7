//! DPoP (RFC 9449): the rules of a proof of possession, pure. The facade holds the key in WebCrypto,
//! signs, hashes and fetches; this module decides what a proof says, which URL and method it names,
//! which nonce it carries, when a request is sent again, and what the key's thumbprint is made of.

use alloc::string::String;
use alloc::vec::Vec;

use crate::base64url;
use crate::error::{concat, Error, Result};

/// The public half of a P-256 key: its coordinates, base64url.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    x: String,
    y: String,
}

impl PublicKey {
    /// The key from WebCrypto's "raw" export: an uncompressed point, `0x04 || x || y`, 32 bytes each.
    pub fn from_raw(raw: &[u8]) -> Result<PublicKey> {
        match raw {
            [4, point @ ..] if point.len() == 64 => {
                let (x, y) = point.split_at(32);
                Ok(PublicKey {
                    x: base64url::encode(x),
                    y: base64url::encode(y),
                })
            }
            _ => Err(Error::CryptoUnavailable(
                "the key is not an uncompressed P-256 public key",
            )),
        }
    }

    /// The JWK's required members in lexicographic order with no whitespace: what RFC 7638 hashes
    /// with SHA-256 for the thumbprint (`cnf.jkt`, `dpop_jkt`). It is also the `jwk` of every proof.
    pub fn canonical_jwk(&self) -> String {
        concat(&[
            r#"{"crv":"P-256","kty":"EC","x":""#,
            &self.x,
            r#"","y":""#,
            &self.y,
            r#""}"#,
        ])
    }

    /// The proof's JOSE header: `typ`, `alg` and the public key only.
    pub fn header(&self) -> String {
        concat(&[
            r#"{"typ":"dpop+jwt","alg":"ES256","jwk":"#,
            &self.canonical_jwk(),
            "}",
        ])
    }
}

/// Where a request goes, as a proof names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The `htu` claim: scheme, host, port and path, without query or fragment, normalised.
    pub htu: String,
    /// `scheme://host[:port]`: the server a nonce belongs to.
    pub origin: String,
}

/// Normalises an absolute http(s) URL for `htu` (RFC 9449 section 4.3 and RFC 3986 section 6): the
/// scheme and host in lower case, the default port and any user information dropped, an empty path
/// as `/`, and the query and fragment cut off.
pub fn target(url: &str) -> Result<Target> {
    // Byte searches only: a `&str` pattern would bring the two-way string searcher into the module.
    let wrong = || Error::InvalidArgument("the URL must be an absolute http: or https: URL".into());
    let bytes = url.as_bytes();
    // Nothing a URL parser leaves unescaped in a path, so `htu` needs no JSON escaping.
    if bytes
        .iter()
        .any(|&byte| byte <= b' ' || byte >= 0x7f || byte == b'"' || byte == b'\\')
    {
        return Err(wrong());
    }
    let colon = bytes
        .iter()
        .position(|&byte| byte == b':')
        .ok_or_else(wrong)?;
    let scheme = url.get(..colon).unwrap_or_default().to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => return Err(wrong()),
    };
    let rest = url
        .get(colon + 1..)
        .and_then(|rest| rest.strip_prefix("//"))
        .ok_or_else(wrong)?;
    let end = rest
        .bytes()
        .position(|byte| byte == b'?' || byte == b'#')
        .unwrap_or(rest.len());
    let rest = rest.get(..end).unwrap_or_default();
    let slash = rest.bytes().position(|byte| byte == b'/');
    let (authority, path) = slash.map_or((rest, "/"), |at| rest.split_at(at));
    let user_end = authority.bytes().rposition(|byte| byte == b'@');
    let host_port = user_end.map_or(authority, |at| authority.get(at + 1..).unwrap_or_default());
    // The port starts at the last colon after an IPv6 literal's closing bracket.
    let port_at = host_port
        .bytes()
        .rposition(|byte| byte == b':' || byte == b']')
        .filter(|&at| host_port.as_bytes().get(at) == Some(&b':'));
    let (host, port) = port_at.map_or((host_port, ""), |at| host_port.split_at(at));
    let port = if port == default_port || port == ":" {
        ""
    } else {
        port
    };
    if host.is_empty() || !port.bytes().skip(1).all(|byte| byte.is_ascii_digit()) {
        return Err(wrong());
    }
    let origin = concat(&[&scheme, "://", &host.to_ascii_lowercase(), port]);
    Ok(Target {
        htu: concat(&[&origin, path]),
        origin,
    })
}

/// The `htm` claim for `method`: a method name as fetch sends it (the six it normalises in upper
/// case, any other as given), or `INVALID_ARGUMENT` when it is not an HTTP token.
pub fn method(method: &str) -> Result<String> {
    let token = !method.is_empty()
        && method
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte));
    if !token {
        return Err(Error::InvalidArgument(
            "the method must be an HTTP method name".into(),
        ));
    }
    let upper = method.to_ascii_uppercase();
    let normalised = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"].contains(&upper.as_str());
    Ok(if normalised { upper } else { method.into() })
}

/// What one proof claims.
pub struct Claims<'a> {
    /// Random bytes, at least 16: the proof's unique `jti`.
    pub jti: &'a [u8],
    /// The method, from [`method`].
    pub htm: &'a str,
    /// The target, from [`target`].
    pub htu: &'a str,
    /// Now by the store's clock (the server's, as far as it is known), in seconds.
    pub iat: f64,
    /// The SHA-256 of the access token the request carries, if it carries one.
    pub ath: Option<&'a [u8]>,
    /// The latest nonce the server gave for this origin, if any.
    pub nonce: Option<&'a str>,
}

impl Claims<'_> {
    /// The claims as JSON. `iat` is whole seconds.
    pub fn json(&self) -> String {
        let mut json = String::from(r#"{"jti":""#);
        json.push_str(&base64url::encode(self.jti));
        json.push_str(r#"","htm":"#);
        push_string(&mut json, self.htm);
        json.push_str(r#","htu":"#);
        push_string(&mut json, self.htu);
        json.push_str(r#","iat":"#);
        push_integer(&mut json, self.iat);
        if let Some(ath) = self.ath {
            json.push_str(r#","ath":""#);
            json.push_str(&base64url::encode(ath));
            json.push('"');
        }
        if let Some(nonce) = self.nonce {
            json.push_str(r#","nonce":"#);
            push_string(&mut json, nonce);
        }
        json.push('}');
        json
    }
}

/// What the key signs: the header and claims, each base64url, joined by a dot. The proof is this, a
/// dot, and the base64url of the signature (WebCrypto's ECDSA signature is already JWS's `r || s`).
pub fn signing_input(key: &PublicKey, claims: &Claims<'_>) -> String {
    concat(&[
        &base64url::encode(key.header().as_bytes()),
        ".",
        &base64url::encode(claims.json().as_bytes()),
    ])
}

/// `text` as a JSON string. Every caller's text has been checked to need no escape: a method is a
/// token, a nonce NQCHAR, an `htu` printable ASCII without `"` and `\`.
fn push_string(json: &mut String, text: &str) {
    json.push('"');
    json.push_str(text);
    json.push('"');
}

/// The whole seconds of `seconds` in decimal, without `core::fmt`; 0 for anything negative or not
/// finite (the clock never gives one).
fn push_integer(json: &mut String, seconds: f64) {
    // `as` saturates, and NaN becomes 0.
    let mut n = seconds as u64;
    let mut digits = Vec::new();
    loop {
        // Below 10: the cast cannot truncate.
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    json.extend(digits.iter().rev().map(|&digit| char::from(digit)));
}

/// Whether `nonce` may be used as one (RFC 9449: `1*NQCHAR`, printable ASCII without `"` and `\`).
/// Anything else a server sends in `DPoP-Nonce` is ignored.
pub fn is_nonce(nonce: &str) -> bool {
    !nonce.is_empty()
        && nonce
            .bytes()
            .all(|byte| (0x21..=0x7e).contains(&byte) && byte != b'"' && byte != b'\\')
}

/// Whether a `DPoP-Nonce` answered to a store is kept for its later proofs: only with DPoP on (a store
/// without it never proves, and writes nothing), and only a well-formed nonce.
pub fn keeps_nonce(dpop: bool, nonce: &str) -> bool {
    dpop && is_nonce(nonce)
}

/// The name under which the latest nonce of `origin` is kept for every tab.
pub fn nonce_record(origin: &str) -> String {
    concat(&["tokenstore:dpop-nonce:", origin])
}

/// Whether a response asks for a (new) nonce: a 401 whose `WWW-Authenticate` has a `DPoP` challenge
/// with `error="use_dpop_nonce"` (a resource server), or a 400 whose JSON body's `error` member is
/// `"use_dpop_nonce"` (an authorization server; `body_error` is that member when it is a string,
/// read with the browser's JSON parser).
pub fn asks_for_nonce(
    status: u16,
    www_authenticate: Option<&str>,
    body_error: Option<&str>,
) -> bool {
    match status {
        401 => www_authenticate.is_some_and(challenges_nonce),
        400 => body_error == Some("use_dpop_nonce"),
        _ => false,
    }
}

/// Whether a request sent `attempt` times before (0 for the first) goes again: only with `dpop`, only
/// once, and only when the server asked for a nonce, which the response that asked has taught.
pub fn retries(
    dpop: bool,
    attempt: u32,
    status: u16,
    www_authenticate: Option<&str>,
    body_error: Option<&str>,
) -> bool {
    dpop && attempt == 0 && asks_for_nonce(status, www_authenticate, body_error)
}

/// The `Authorization` header for `token`: `DPoP` with DPoP on, else `Bearer`.
pub fn authorization(dpop: bool, token: &str) -> String {
    concat(&[if dpop { "DPoP " } else { "Bearer " }, token])
}

/// Reads a `WWW-Authenticate` value (RFC 9110 section 11.6.1: challenges separated by commas, each a
/// scheme and parameters, quoted or not) for a `DPoP` challenge with `error="use_dpop_nonce"`.
fn challenges_nonce(header: &str) -> bool {
    let mut scheme = "";
    split_outside_quotes(header).into_iter().any(|item| {
        let mut param = item.trim_ascii();
        let space = param.bytes().position(|byte| byte == b' ');
        let equals = param.bytes().position(|byte| byte == b'=');
        // A word followed by a space and then something other than `=` starts a new challenge.
        if let Some((word, rest)) = space.map(|at| param.split_at(at)) {
            let rest = rest.trim_ascii();
            if !rest.starts_with('=') && equals.is_none_or(|equals| equals > word.len()) {
                scheme = word;
                param = rest;
            }
        } else if equals.is_none() {
            scheme = param;
            return false;
        }
        let Some(equals) = param.bytes().position(|byte| byte == b'=') else {
            return false;
        };
        let (name, value) = param.split_at(equals);
        let value = value.get(1..).unwrap_or_default().trim_ascii();
        let value = value
            .strip_prefix('"')
            .and_then(|quoted| quoted.strip_suffix('"'))
            .unwrap_or(value);
        scheme.eq_ignore_ascii_case("DPoP")
            && name.trim_ascii().eq_ignore_ascii_case("error")
            && value == "use_dpop_nonce"
    })
}

/// `header` cut at the commas outside quoted strings.
fn split_outside_quotes(header: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (at, byte) in header.bytes().enumerate() {
        match byte {
            _ if escaped => escaped = false,
            b'\\' if quoted => escaped = true,
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                items.push(header.get(start..at).unwrap_or_default());
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(header.get(start..).unwrap_or_default());
    items
}

/// What the app hears about the key when one is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyNews {
    /// A new key was made while a token was stored: the token's key is gone (site data evicted,
    /// private browsing, a page-only key after a reload), and a server that bound the token to it
    /// will refuse it.
    Lost,
    /// IndexedDB is unavailable: the key lives in this page only, and dies with it.
    PageOnly,
}

impl KeyNews {
    /// The event detail's `reason`.
    pub fn name(self) -> &'static str {
        match self {
            KeyNews::Lost => "lost",
            KeyNews::PageOnly => "memory",
        }
    }
}

/// What to tell the app once the key is in hand: `created` (this page made it, rather than finding
/// it), `persisted` (it is in IndexedDB), `token_stored` (a token is stored right now).
pub fn key_news(created: bool, persisted: bool, token_stored: bool) -> Option<KeyNews> {
    match (created, persisted, token_stored) {
        (true, _, true) => Some(KeyNews::Lost),
        (true, false, false) => Some(KeyNews::PageOnly),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    fn key() -> PublicKey {
        let mut raw = [0u8; 65];
        raw[0] = 4;
        for (at, byte) in raw.iter_mut().enumerate().skip(1) {
            *byte = at as u8;
        }
        PublicKey::from_raw(&raw).unwrap()
    }

    #[test]
    fn the_thumbprint_input_is_rfc_7638_canonical_json() {
        // RFC 7638 section 3.2 for EC keys: crv, kty, x, y, in that order, no whitespace.
        let key = PublicKey {
            x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU".into(),
            y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0".into(),
        };
        assert_eq!(
            key.canonical_jwk(),
            r#"{"crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#
        );
    }

    #[test]
    fn the_key_comes_from_an_uncompressed_point() {
        let key = key();
        let x: Vec<u8> = (1..=32).collect();
        let y: Vec<u8> = (33..=64).collect();
        assert_eq!(key.x, base64url::encode(&x));
        assert_eq!(key.y, base64url::encode(&y));
        for raw in [&[4u8; 64][..], &[4u8; 66][..], &[2u8; 65][..], &[][..]] {
            assert_eq!(
                PublicKey::from_raw(raw).unwrap_err().code(),
                "CRYPTO_UNAVAILABLE"
            );
        }
    }

    #[test]
    fn the_header_names_the_type_the_algorithm_and_the_public_key_only() {
        let header = key().header();
        let mut members = Vec::new();
        crate::json::scan(&header, |name, _, raw| members.push((name, raw))).unwrap();
        assert!(members[0].0.is("typ") && members[0].1 == r#""dpop+jwt""#);
        assert!(members[1].0.is("alg") && members[1].1 == r#""ES256""#);
        assert!(members[2].0.is("jwk") && members[2].1 == key().canonical_jwk());
        assert_eq!(members.len(), 3);
        assert!(!header.contains("\"d\""));
    }

    #[test]
    fn htu_drops_query_and_fragment_and_normalises() {
        let cases = [
            (
                "https://api.example.com/me?x=1#top",
                "https://api.example.com/me",
            ),
            (
                "HTTPS://API.Example.COM:443/Me",
                "https://api.example.com/Me",
            ),
            ("http://127.0.0.1:80", "http://127.0.0.1/"),
            ("http://127.0.0.1:8080?q", "http://127.0.0.1:8080/"),
            ("https://user:pw@host.test/a/b/", "https://host.test/a/b/"),
            ("https://[::1]:8443/x", "https://[::1]:8443/x"),
            ("https://[::1]/x", "https://[::1]/x"),
            ("https://h.test:/x#f", "https://h.test/x"),
        ];
        for (url, htu) in cases {
            assert_eq!(target(url).unwrap().htu, htu, "{url}");
        }
        assert_eq!(
            target("http://127.0.0.1:8080/api/me").unwrap().origin,
            "http://127.0.0.1:8080"
        );
        for url in [
            "",
            "/api/me",
            "ftp://host/",
            "https://",
            "https:///x",
            "https://host:12a/",
            "https://ho st/",
            "javascript:alert(1)",
            "https://host/a\"b",
            "https://host/a\\b",
            "https://hôst/",
        ] {
            assert_eq!(target(url).unwrap_err().code(), "INVALID_ARGUMENT", "{url}");
        }
    }

    #[test]
    fn htm_is_the_method_as_fetch_sends_it() {
        assert_eq!(method("get").unwrap(), "GET");
        assert_eq!(method("Post").unwrap(), "POST");
        assert_eq!(method("PATCH").unwrap(), "PATCH");
        assert_eq!(method("patch").unwrap(), "patch");
        for wrong in ["", "GE T", "GET\n", "\"GET\"", "ÉTÉ"] {
            assert_eq!(method(wrong).unwrap_err().code(), "INVALID_ARGUMENT");
        }
    }

    #[test]
    fn claims_carry_jti_htm_htu_iat_and_optionally_ath_and_nonce() {
        let jti = [0xfbu8; 16];
        let digest = [7u8; 32];
        let claims = Claims {
            jti: &jti,
            htm: "POST",
            htu: "https://as.test/token",
            iat: 1_700_000_000.9,
            ath: Some(&digest),
            nonce: Some("eyJ7S_zG.eyJH0-Z.HX4w-7v"),
        };
        let expected = [
            r#"{"jti":""#,
            &base64url::encode(&jti),
            r#"","htm":"POST","htu":"https://as.test/token","iat":1700000000,"ath":""#,
            &base64url::encode(&digest),
            r#"","nonce":"eyJ7S_zG.eyJH0-Z.HX4w-7v"}"#,
        ]
        .concat();
        assert_eq!(claims.json(), expected);
        assert_eq!(
            crate::json::scan(&claims.json(), |_, _, _| {}),
            Ok(crate::json::Kind::Object)
        );
        let bare = Claims {
            ath: None,
            nonce: None,
            iat: 0.0,
            ..claims
        };
        assert!(bare.json().ends_with(r#""iat":0}"#));
        assert!(!bare.json().contains("ath") && !bare.json().contains("nonce"));
    }

    #[test]
    fn iat_is_whole_seconds_of_the_clock_given() {
        for (seconds, text) in [
            (1_733_370_000.0, "1733370000"),
            (9.99, "9"),
            (-5.0, "0"),
            (f64::NAN, "0"),
            (4_294_967_296.5, "4294967296"),
        ] {
            let mut json = String::new();
            push_integer(&mut json, seconds);
            assert_eq!(json, text);
        }
    }

    #[test]
    fn the_signing_input_is_header_dot_claims() {
        let jti = [1u8; 16];
        let claims = Claims {
            jti: &jti,
            htm: "GET",
            htu: "https://rs.test/",
            iat: 1.0,
            ath: None,
            nonce: None,
        };
        let input = signing_input(&key(), &claims);
        let (header, payload) = input.split_once('.').unwrap();
        assert_eq!(
            base64url::decode(header).unwrap(),
            key().header().into_bytes()
        );
        assert_eq!(
            base64url::decode(payload).unwrap(),
            claims.json().into_bytes()
        );
    }

    #[test]
    fn nonces_are_nqchar() {
        assert!(is_nonce("eyJ7S_zG.eyJH0-Z.HX4w-7v"));
        assert!(is_nonce("!#[]~"));
        for wrong in ["", "a b", "a\"b", "a\\b", "é", "a\nb"] {
            assert!(!is_nonce(wrong), "{wrong:?}");
        }
        assert!(keeps_nonce(true, "abc"));
        assert!(!keeps_nonce(false, "abc"));
        assert!(!keeps_nonce(true, "a b"));
        assert_eq!(
            nonce_record("https://rs.test"),
            "tokenstore:dpop-nonce:https://rs.test"
        );
    }

    #[test]
    fn a_401_challenge_asks_for_a_nonce() {
        for header in [
            r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#,
            r#"dpop error=use_dpop_nonce"#,
            r#"Bearer realm="x", DPoP algs="ES256", error="use_dpop_nonce""#,
            r#"DPoP algs="ES256 PS256", error = "use_dpop_nonce""#,
        ] {
            assert!(asks_for_nonce(401, Some(header), None), "{header}");
        }
        for header in [
            r#"DPoP error="invalid_token""#,
            r#"Bearer error="use_dpop_nonce""#,
            r#"DPoP error_description="say error=\"use_dpop_nonce\", please""#,
            r#"DPoP realm="a,error=use_dpop_nonce""#,
            "DPoP",
            "",
        ] {
            assert!(!asks_for_nonce(401, Some(header), None), "{header}");
        }
        assert!(!asks_for_nonce(401, None, None));
        assert!(!asks_for_nonce(
            403,
            Some(r#"DPoP error="use_dpop_nonce""#),
            None
        ));
    }

    #[test]
    fn a_400_json_error_asks_for_a_nonce() {
        assert!(asks_for_nonce(400, None, Some("use_dpop_nonce")));
        assert!(!asks_for_nonce(400, None, Some("invalid_dpop_proof")));
        assert!(!asks_for_nonce(400, None, None));
        assert!(!asks_for_nonce(500, None, Some("use_dpop_nonce")));
    }

    #[test]
    fn a_request_goes_again_once_and_only_with_dpop() {
        let asks = Some(r#"DPoP error="use_dpop_nonce""#);
        assert!(retries(true, 0, 401, asks, None));
        assert!(!retries(true, 1, 401, asks, None));
        assert!(!retries(false, 0, 401, asks, None));
        assert!(!retries(true, 0, 200, None, None));
    }

    #[test]
    fn the_authorization_scheme_follows_the_option() {
        assert_eq!(authorization(true, "t"), "DPoP t");
        assert_eq!(authorization(false, "t"), "Bearer t");
    }

    #[test]
    fn a_key_made_under_a_stored_token_is_a_lost_key() {
        assert_eq!(key_news(true, true, true), Some(KeyNews::Lost));
        assert_eq!(key_news(true, false, true), Some(KeyNews::Lost));
        assert_eq!(key_news(true, false, false), Some(KeyNews::PageOnly));
        assert_eq!(key_news(true, true, false), None);
        assert_eq!(key_news(false, true, true), None);
        assert_eq!(key_news(false, false, false), None);
        assert_eq!(KeyNews::Lost.name(), "lost");
        assert_eq!(KeyNews::PageOnly.name(), "memory");
        assert_eq!(
            Error::CryptoUnavailable("x").to_string(),
            "WebCrypto unavailable: x"
        );
    }
}
