//! The cookie backend's rules: which keys are cookie names, which options make sense, how long the
//! cookie lives, the string that writes or deletes it, and which cookie of a `document.cookie` string
//! is the store's. Pure: the backend (`storage/cookie.rs`) reads the clock and touches the document.

use alloc::string::String;

use crate::ascii;
use crate::error::{concat, decimal, Error, Result};

/// The most a cookie may weigh, name, value and attributes together: RFC 6265 section 6.1 asks
/// browsers for at least 4096 bytes per cookie, and that is all they promise.
pub const MAX_COOKIE_BYTES: usize = 4096;

/// The longest lifetime browsers keep (RFC 6265bis caps `Max-Age` at 400 days); a token valid for
/// longer gets a cookie that ends then.
pub const MAX_AGE_CAP: u32 = 400 * 24 * 60 * 60;

/// The `SameSite` attribute: which cross-site requests carry the cookie.
///
/// # Example
///
/// ```
/// use tokenstore::SameSite;
///
/// assert_eq!(SameSite::from_name("lax"), Ok(SameSite::Lax));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SameSite {
    /// Only same-site requests carry it.
    Strict,
    /// Same-site requests and top-level navigations from other sites.
    Lax,
    /// Every request; browsers then require `Secure`.
    None,
}

impl SameSite {
    /// Parses the option as JS callers spell it: `"strict"`, `"lax"` or `"none"`.
    pub fn from_name(name: &str) -> Result<SameSite> {
        match name {
            "strict" => Ok(SameSite::Strict),
            "lax" => Ok(SameSite::Lax),
            "none" => Ok(SameSite::None),
            _ => Err(Error::InvalidOption(
                "cookie.sameSite must be \"strict\", \"lax\" or \"none\"".into(),
            )),
        }
    }

    fn attribute(self) -> &'static str {
        match self {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
        }
    }
}

/// The attributes the cookie is written with (the `cookie` option).
///
/// # Example
///
/// ```
/// use tokenstore::{CookieOptions, SameSite};
///
/// let lax = CookieOptions { same_site: SameSite::Lax, ..CookieOptions::default() };
/// assert!(lax.check().is_ok());
/// let refused = CookieOptions { same_site: SameSite::None, secure: false, ..lax };
/// assert_eq!(refused.check().map_err(|error| error.code()), Err("INVALID_OPTION"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CookieOptions {
    /// `Path`; `"/"` by default, so every page of the site reads the same cookie.
    pub path: String,
    /// `Domain`; `None` (the default) makes a host-only cookie.
    pub domain: Option<String>,
    /// `SameSite`; `Strict` by default.
    pub same_site: SameSite,
    /// `Secure`; on by default.
    pub secure: bool,
}

impl Default for CookieOptions {
    fn default() -> CookieOptions {
        CookieOptions {
            path: "/".into(),
            domain: None,
            same_site: SameSite::Strict,
            secure: true,
        }
    }
}

impl CookieOptions {
    /// Checks the options together. `SameSite=None` without `Secure` is refused by browsers, so it is
    /// an option error here rather than a cookie that silently never appears; a path or domain that
    /// would end the attribute early (`;`) or break the header (control characters) is refused too.
    pub fn check(&self) -> Result<()> {
        if self.same_site == SameSite::None && !self.secure {
            return Err(Error::InvalidOption(
                "cookie.sameSite \"none\" needs cookie.secure".into(),
            ));
        }
        let path_ok = self.path.as_bytes().first() == Some(&b'/') && attribute_value(&self.path);
        // A host name: no spaces either.
        let domain_ok = self.domain.as_ref().is_none_or(|domain| {
            !domain.is_empty() && attribute_value(domain) && domain.bytes().all(|byte| byte != b' ')
        });
        if path_ok && domain_ok {
            Ok(())
        } else {
            Err(Error::InvalidOption(
                "cookie.path must start with / and neither it nor cookie.domain hold ; or control characters"
                    .into(),
            ))
        }
    }
}

/// Checks that `key` can name a cookie: an RFC 6265 `token` (RFC 9110 `tchar`s), so that
/// `document.cookie` cannot read it as anything else.
pub fn check_name(key: &str) -> Result<()> {
    if !key.is_empty() && key.bytes().all(is_tchar) {
        Ok(())
    } else {
        Err(Error::InvalidOption(
            "the cookie backend's key must be a cookie name (RFC 6265 token)".into(),
        ))
    }
}

/// RFC 9110 `tchar`.
fn is_tchar(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
        || matches!(
            byte,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}

/// RFC 6265 `cookie-octet`: what a value may hold unquoted. Compact JWS characters all are.
fn is_cookie_octet(byte: u8) -> bool {
    matches!(byte, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

/// RFC 6265 `av-octet`s, as `Path` and `Domain` values must be: no control characters, no `;`.
fn attribute_value(text: &str) -> bool {
    text.bytes()
        .all(|byte| (0x20..0x7F).contains(&byte) && byte != b';')
}

/// How long the browser keeps the cookie.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifetime {
    /// No `Max-Age`: a session cookie, for a token without `exp`.
    Session,
    /// `Max-Age` in whole seconds, more than zero.
    Seconds(u32),
    /// The token has already expired: the cookie is deleted rather than written.
    Expired,
}

/// The cookie's lifetime for a token expiring at `exp`, written at `now` (both seconds since the
/// epoch) by a store that tolerates `leeway` seconds: the browser drops the cookie when the store
/// would call the token expired (`exp <= now - leeway`), rounded up to a whole second so that it is
/// never dropped before, and capped at [`MAX_AGE_CAP`].
pub fn lifetime(exp: Option<f64>, now: f64, leeway: f64) -> Lifetime {
    let Some(exp) = exp else {
        return Lifetime::Session;
    };
    let left = exp + leeway - now;
    // `is_nan` too: `exp` and `now` are finite, but nothing is lost by being careful.
    if left <= 0.0 || left.is_nan() {
        return Lifetime::Expired;
    }
    if left >= f64::from(MAX_AGE_CAP) {
        return Lifetime::Seconds(MAX_AGE_CAP);
    }
    // `left` lies in (0, MAX_AGE_CAP), so the cast is exact for its whole part; rounded up by hand
    // because `f64::ceil` needs the standard library.
    let whole = left as u32;
    Lifetime::Seconds(if f64::from(whole) < left {
        whole + 1
    } else {
        whole
    })
}

/// The string assigned to `document.cookie` to store `value` under `name` for `lifetime`. An expired
/// lifetime gives the deleting string. `QuotaExceeded` when it would weigh more than
/// [`MAX_COOKIE_BYTES`]: the browser would drop it whole, or truncate it.
pub fn set_string(
    name: &str,
    value: &str,
    options: &CookieOptions,
    lifetime: Lifetime,
) -> Result<String> {
    if !value.bytes().all(is_cookie_octet) {
        // A decoded compact JWS never gets here: base64url and dots are all cookie octets.
        return Err(Error::InvalidToken(
            "the token holds characters a cookie cannot".into(),
        ));
    }
    let seconds;
    let max_age = match lifetime {
        Lifetime::Session => None,
        Lifetime::Seconds(n) => {
            seconds = decimal(n as usize);
            Some(seconds.as_str())
        }
        Lifetime::Expired => Some("0"),
    };
    let value = if lifetime == Lifetime::Expired {
        ""
    } else {
        value
    };
    let text = attributes(name, value, options, max_age);
    if text.len() > MAX_COOKIE_BYTES {
        return Err(Error::QuotaExceeded(concat(&[
            "the cookie would take ",
            &decimal(text.len()),
            " bytes, over 4096",
        ])));
    }
    Ok(text)
}

/// The string that deletes the cookie `name`: the same `Path` and `Domain` it was set with (a cookie
/// is identified by name, path and domain), an empty value and `Max-Age=0`.
pub fn delete_string(name: &str, options: &CookieOptions) -> String {
    attributes(name, "", options, Some("0"))
}

fn attributes(name: &str, value: &str, options: &CookieOptions, max_age: Option<&str>) -> String {
    let mut text = concat(&[name, "=", value, "; Path=", &options.path]);
    if let Some(domain) = &options.domain {
        text.push_str("; Domain=");
        text.push_str(domain);
    }
    if let Some(max_age) = max_age {
        text.push_str("; Max-Age=");
        text.push_str(max_age);
    }
    text.push_str("; SameSite=");
    text.push_str(options.same_site.attribute());
    if options.secure {
        text.push_str("; Secure");
    }
    text
}

/// The values of every cookie named exactly `name` in a `document.cookie` string, in its order.
///
/// Browsers serialise the cookies as `name=value` pairs joined by `"; "`; a value never holds `;`,
/// but may hold `=`, spaces and anything else, and a cookie without a name shows as its value alone.
/// Nothing is trimmed or unquoted beyond the separator's one space: a name matches byte for byte.
pub fn values<'a>(cookies: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    // By hand rather than `str::split`, whose searcher weighs about 1 KB in the wasm module.
    let mut rest = Some(cookies);
    core::iter::from_fn(move || loop {
        let text = rest?;
        let (pair, after) = match ascii::split_once(text, is_semicolon) {
            Some((pair, after)) => (pair, Some(after)),
            None => (text, None),
        };
        rest = after;
        let pair = ascii::strip_prefix(pair, b' ').unwrap_or(pair);
        let value = pair
            .strip_prefix(name)
            .and_then(|after_name| ascii::strip_prefix(after_name, b'='));
        if value.is_some() {
            return value;
        }
    })
}

fn is_semicolon(byte: u8) -> bool {
    byte == b';'
}

/// Whether `value` has the shape of a compact JWS: base64url characters in three dot-separated
/// parts. Other values under the name are some other code's cookie, which the store never touches.
fn looks_like_a_token(value: &str) -> bool {
    value
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
        && value.bytes().filter(|&byte| byte == b'.').count() == 2
}

/// The value the store leaves in its own cookie instead of deleting it when a cookie of the same name
/// on another path or domain would otherwise read as the store's: `~`, the path, and `~` and the domain
/// when there is one, each byte that is no cookie octet (or is `~` or `%`) written `%XX`. Never shaped
/// like a token, and one value for each path and domain, so a store knows its own.
pub fn tombstone(options: &CookieOptions) -> String {
    let mut value = String::from("~");
    escape_into(&mut value, &options.path);
    if let Some(domain) = &options.domain {
        value.push('~');
        escape_into(&mut value, domain);
    }
    value
}

fn escape_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if is_cookie_octet(byte) && byte != b'~' && byte != b'%' {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
}

/// The string that writes the store's [`tombstone`] into its cookie `name`, for as long as browsers
/// keep a cookie; `None` when it would not fit in one. `clear()` writes it first, over the token, so
/// that no page ever sees another path's cookie alone in between, then deletes it unless the page
/// shows a cookie it [`shadows`].
pub fn tombstone_string(name: &str, options: &CookieOptions) -> Option<String> {
    set_string(
        name,
        &tombstone(options),
        options,
        Lifetime::Seconds(MAX_AGE_CAP),
    )
    .ok()
}

/// Whether a value shaped like a token shows under `name` while the store's cookie holds its
/// tombstone: another path's or domain's cookie, which `document.cookie` cannot tell from the store's,
/// so that a store made later (a reload, another tab) would take it for its own. The tombstone then
/// stays, to say it is not.
pub fn shadows(cookies: &str, name: &str) -> bool {
    values(cookies, name).any(looks_like_a_token)
}

/// The values shaped like a token that show under `name` beside the store's `tombstone`, when it
/// shows: the store's cookie holds the tombstone, so they are another path's or domain's.
pub fn beside_tombstone<'a>(
    cookies: &'a str,
    name: &'a str,
    tombstone: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    let marked = values(cookies, name).any(|value| value == tombstone);
    values(cookies, name).filter(move |value| marked && looks_like_a_token(value))
}

/// The store's cookie among the cookies named `name` in `cookies`.
///
/// `document.cookie` does not say which path or domain a cookie has, so a cookie of the same name set
/// with another path or domain (by other code, or by this app with other options) may show beside
/// the store's. The store's own `tombstone` among them means its cookie holds no token: nothing is
/// picked. Otherwise only values shaped like a token are read: `known`, the value the store last wrote
/// or read, while it is there, else the first one not in `foreign` (values that stayed visible after
/// the store deleted its own cookie, which proves they belong to another path or domain): browsers
/// list longer paths first.
pub fn pick<'a>(
    cookies: &'a str,
    name: &'a str,
    tombstone: &str,
    known: Option<&str>,
    foreign: &[String],
) -> Option<&'a str> {
    let mut first = None;
    let mut found_known = None;
    for value in values(cookies, name) {
        if value == tombstone {
            return None;
        }
        if !looks_like_a_token(value) {
            continue;
        }
        if Some(value) == known {
            found_known = Some(value);
        } else if first.is_none() && !foreign.iter().any(|other| other == value) {
            first = Some(value);
        }
    }
    found_known.or(first)
}

/// What the jar, read back after the store wrote its cookie, says of the write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteCheck {
    /// The cookie holds the value written.
    Stored,
    /// Another tab wrote or deleted the cookie right after: the write happened, and is already
    /// history. The store reads the jar again rather than taking it for a refusal.
    Overtaken,
    /// The jar holds what it did before: the browser refused the cookie, or another tab put the jar
    /// back at once (its `clear()` right after this write). A [`probe_name`] cookie tells which.
    Unchanged,
    /// The browser refused the cookie (blocked, `Secure` on plain http, a `Domain` the page is not
    /// on), which it does without a word.
    Refused,
}

/// What writing `written` as the cookie `name` did, given the jar before (`before`) and after
/// (`after`) the write; `logged_out` is whether a logout of the key (another tab's, which deletes the
/// cookie) was learnt of in between.
pub fn check_write(
    before: &str,
    after: &str,
    name: &str,
    written: &str,
    logged_out: bool,
) -> WriteCheck {
    if values(after, name).any(|value| value == written) {
        WriteCheck::Stored
    } else if logged_out || !values(after, name).eq(values(before, name)) {
        WriteCheck::Overtaken
    } else {
        WriteCheck::Unchanged
    }
}

/// The name of the probe cookie for the cookie `name`: after an [`WriteCheck::Unchanged`] write, the
/// store writes its tombstone under this name with the same attributes ([`tombstone_string`]), reads
/// it back, then deletes it. Whether it shows says whether the browser takes such cookies at all
/// (another tab's probe, written at the same moment, says it too).
pub fn probe_name(name: &str) -> String {
    concat(&[name, ".probe"])
}

/// What the jar `after` writing the probe `probe` holding `tombstone` says of the write it checks.
pub fn probe_check(after: &str, probe: &str, tombstone: &str) -> WriteCheck {
    if values(after, probe).any(|value| value == tombstone) {
        WriteCheck::Overtaken
    } else {
        WriteCheck::Refused
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_tokens::token;

    fn options() -> CookieOptions {
        CookieOptions::default()
    }

    #[test]
    fn a_write_overtaken_by_another_tab_is_no_refusal() {
        let mine = token(r#"{"sub":"mine"}"#);
        let theirs = token(r#"{"sub":"theirs"}"#);
        let jar = |value: &str| std::format!("a=1; jwt={value}");
        assert_eq!(
            check_write("a=1", &jar(&mine), "jwt", &mine, false),
            WriteCheck::Stored
        );
        assert_eq!(
            check_write("a=1", &jar(&theirs), "jwt", &mine, false),
            WriteCheck::Overtaken,
            "another tab logged in right after"
        );
        assert_eq!(
            check_write(&jar(&theirs), "a=1", "jwt", &mine, false),
            WriteCheck::Overtaken,
            "another tab logged out right after"
        );
        assert_eq!(
            check_write("a=1", "a=1", "jwt", &mine, true),
            WriteCheck::Overtaken,
            "a logout elsewhere deleted what was written"
        );
        assert_eq!(
            check_write("a=1", "a=1", "jwt", &mine, false),
            WriteCheck::Unchanged
        );
        assert_eq!(
            check_write(&jar(&theirs), &jar(&theirs), "jwt", &mine, false),
            WriteCheck::Unchanged,
            "the jar is as it was: refused, or put back by another tab at once"
        );
    }

    #[test]
    fn a_probe_of_the_same_attributes_tells_a_refusal_from_a_write_undone() {
        let probe = probe_name("jwt");
        assert_eq!(probe, "jwt.probe");
        assert_eq!(check_name(&probe), Ok(()), "a cookie name");
        assert_eq!(
            probe_check("a=1; jwt.probe=~/", &probe, "~/"),
            WriteCheck::Overtaken,
            "the browser keeps such cookies: another tab undid the write"
        );
        assert_eq!(probe_check("a=1", &probe, "~/"), WriteCheck::Refused);
        assert_eq!(
            probe_check("a=1; other.probe=~/; jwt=~/", &probe, "~/"),
            WriteCheck::Refused,
            "only the probe of this name counts"
        );
    }

    #[test]
    fn cookie_names_are_rfc_6265_tokens() {
        for good in ["tokenstore.jwt", "a", "__Host-jwt", "x!#$%&'*+-.^_`|~9"] {
            assert_eq!(check_name(good), Ok(()), "{good}");
        }
        for bad in [
            "", "a b", "a=b", "a;b", "a,b", "\"a\"", "a\tb", "(a)", "a/b", "a:b", "é", "a\u{0}",
            "[a]", "{a}", "a?", "a@b", "a\\b",
        ] {
            assert_eq!(
                check_name(bad).map_err(|e| e.code()),
                Err("INVALID_OPTION"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn same_site_none_needs_secure() {
        let none = CookieOptions {
            same_site: SameSite::None,
            secure: false,
            ..options()
        };
        assert_eq!(none.check().map_err(|e| e.code()), Err("INVALID_OPTION"));
        let none_secure = CookieOptions {
            secure: true,
            ..none.clone()
        };
        assert_eq!(none_secure.check(), Ok(()));
        let lax_plain = CookieOptions {
            same_site: SameSite::Lax,
            secure: false,
            ..options()
        };
        assert_eq!(lax_plain.check(), Ok(()));
        assert_eq!(
            SameSite::from_name("Strict").map_err(|e| e.code()),
            Err("INVALID_OPTION")
        );
    }

    #[test]
    fn paths_and_domains_cannot_break_the_cookie_string() {
        for path in ["", "app", "/a;b", "/a\nb", "/a\u{7f}"] {
            let bad = CookieOptions {
                path: path.into(),
                ..options()
            };
            assert_eq!(bad.check().map_err(|e| e.code()), Err("INVALID_OPTION"));
        }
        for domain in ["", "a;b", "a b", "a\r"] {
            let bad = CookieOptions {
                domain: Some(domain.into()),
                ..options()
            };
            assert_eq!(bad.check().map_err(|e| e.code()), Err("INVALID_OPTION"));
        }
        let good = CookieOptions {
            path: "/app/".into(),
            domain: Some("example.com".into()),
            ..options()
        };
        assert_eq!(good.check(), Ok(()));
    }

    #[test]
    fn max_age_follows_exp_with_the_leeway_rounded_up() {
        assert_eq!(lifetime(None, 1000.0, 30.0), Lifetime::Session);
        assert_eq!(lifetime(Some(1060.0), 1000.0, 0.0), Lifetime::Seconds(60));
        assert_eq!(lifetime(Some(1060.0), 1000.0, 30.0), Lifetime::Seconds(90));
        assert_eq!(lifetime(Some(1060.0), 1000.5, 0.0), Lifetime::Seconds(60));
        assert_eq!(lifetime(Some(1000.25), 1000.0, 0.0), Lifetime::Seconds(1));
        // Expired for the store (`exp <= now - leeway`) is expired for the cookie.
        assert_eq!(lifetime(Some(1000.0), 1000.0, 0.0), Lifetime::Expired);
        assert_eq!(lifetime(Some(990.0), 1000.0, 0.0), Lifetime::Expired);
        assert_eq!(lifetime(Some(990.0), 1000.0, 10.0), Lifetime::Expired);
        assert_eq!(lifetime(Some(990.0), 1000.0, 11.0), Lifetime::Seconds(1));
        assert_eq!(
            lifetime(Some(1e300), 0.0, 0.0),
            Lifetime::Seconds(MAX_AGE_CAP)
        );
        assert_eq!(lifetime(Some(f64::NAN), 0.0, 0.0), Lifetime::Expired);
    }

    #[test]
    fn the_cookie_dies_no_earlier_and_no_more_than_a_second_later_than_the_token() {
        for (exp, now, leeway) in [
            (1_800_000_000.0, 1_799_999_000.123, 0.0),
            (1_800_000_000.5, 1_799_000_000.0, 45.0),
            (1_800_000_000.0, 1_799_999_999.999, 0.0),
        ] {
            let Lifetime::Seconds(seconds) = lifetime(Some(exp), now, leeway) else {
                panic!("expected seconds")
            };
            let dies = now + f64::from(seconds);
            assert!(dies >= exp + leeway && dies < exp + leeway + 1.0);
        }
    }

    #[test]
    fn set_and_delete_strings() {
        let jwt = token(r#"{"sub":"1"}"#);
        assert_eq!(
            set_string("k", &jwt, &options(), Lifetime::Seconds(60)).unwrap(),
            format!("k={jwt}; Path=/; Max-Age=60; SameSite=Strict; Secure")
        );
        assert_eq!(
            set_string("k", &jwt, &options(), Lifetime::Session).unwrap(),
            format!("k={jwt}; Path=/; SameSite=Strict; Secure")
        );
        let custom = CookieOptions {
            path: "/app".into(),
            domain: Some("example.com".into()),
            same_site: SameSite::Lax,
            secure: false,
        };
        assert_eq!(
            set_string("k", &jwt, &custom, Lifetime::Expired).unwrap(),
            "k=; Path=/app; Domain=example.com; Max-Age=0; SameSite=Lax"
        );
        assert_eq!(
            delete_string("k", &custom),
            "k=; Path=/app; Domain=example.com; Max-Age=0; SameSite=Lax"
        );
        assert_eq!(
            set_string("k", "a;b", &options(), Lifetime::Session).map_err(|e| e.code()),
            Err("INVALID_TOKEN")
        );
    }

    #[test]
    fn a_cookie_over_4096_bytes_is_quota_exceeded_and_never_cut() {
        let fits = |value_len: usize| {
            let value = "a".repeat(value_len);
            set_string("k", &value, &options(), Lifetime::Seconds(60))
        };
        let overhead = fits(0).unwrap().len();
        assert_eq!(fits(MAX_COOKIE_BYTES - overhead).unwrap().len(), 4096);
        let error = fits(MAX_COOKIE_BYTES - overhead + 1).unwrap_err();
        assert_eq!(error.code(), "QUOTA_EXCEEDED");
        assert!(
            error.message().contains("4097 bytes"),
            "{}",
            error.message()
        );
    }

    #[test]
    fn values_parse_document_cookie_strictly() {
        let cookies = "a=1; k=x.y.z; kk=2; k =3;  k=4; =k=5; k; k=v=w; é=6; k=a b";
        assert_eq!(
            values(cookies, "k").collect::<Vec<_>>(),
            ["x.y.z", "v=w", "a b"]
        );
        assert_eq!(values(cookies, "é").collect::<Vec<_>>(), ["6"]);
        assert_eq!(values("", "k").count(), 0);
        assert_eq!(values("k=", "k").collect::<Vec<_>>(), [""]);
    }

    #[test]
    fn pick_reads_only_the_stores_cookie() {
        let one = token(r#"{"sub":"1"}"#);
        let two = token(r#"{"sub":"2"}"#);
        // Other cookies, however odd, are passed over; so are non-token values under the name.
        let cookies = format!("x=\"{one}\"; k=not a token; k={one}; k={two}; y=é=; k");
        assert_eq!(pick(&cookies, "k", "~/", None, &[]), Some(one.as_str()));
        assert_eq!(
            pick(&cookies, "k", "~/", Some(&two), &[]),
            Some(two.as_str())
        );
        assert_eq!(
            pick(&cookies, "k", "~/", Some("gone"), &[]),
            Some(one.as_str())
        );
        assert_eq!(
            pick(&cookies, "k", "~/", None, core::slice::from_ref(&one)),
            Some(two.as_str())
        );
        assert_eq!(
            pick(&cookies, "k", "~/", None, &[one.clone(), two.clone()]),
            None
        );
        // What the store wrote itself is its own, even if an equal value once survived a delete.
        assert_eq!(
            pick(&cookies, "k", "~/", Some(&one), core::slice::from_ref(&one)),
            Some(one.as_str())
        );
        assert_eq!(pick("k=a.b; k=..", "k", "~/", None, &[]), Some(".."));
        assert_eq!(pick("k=a.b.c.d", "k", "~/", None, &[]), None);
        assert_eq!(pick(&cookies, "K", "~/", None, &[]), None);
    }

    #[test]
    fn a_tombstone_names_its_path_and_domain_and_is_never_a_token() {
        assert_eq!(tombstone(&options()), "~/");
        let odd = CookieOptions {
            path: "/a b,\"c\\~%/".into(),
            domain: Some("example.com".into()),
            ..options()
        };
        assert_eq!(tombstone(&odd), "~/a%20b%2C%22c%5C%7E%25/~example.com");
        let other_path = CookieOptions {
            path: "/app/".into(),
            ..options()
        };
        let with_domain = CookieOptions {
            domain: Some("example.com".into()),
            ..options()
        };
        let all = [options(), odd, other_path, with_domain].map(|o| tombstone(&o));
        for (i, one) in all.iter().enumerate() {
            assert!(!looks_like_a_token(one), "{one}");
            assert!(one.bytes().all(is_cookie_octet), "{one}");
            assert!(all[i + 1..].iter().all(|other| other != one), "{one}");
        }
    }

    #[test]
    fn the_tombstone_stays_only_over_another_paths_token() {
        let custom = CookieOptions {
            path: "/app".into(),
            domain: Some("example.com".into()),
            ..options()
        };
        assert_eq!(
            tombstone_string("k", &custom).as_deref(),
            Some("k=~/app~example.com; Path=/app; Domain=example.com; Max-Age=34560000; SameSite=Strict; Secure")
        );
        // A path too long for a cookie: no tombstone rather than a cut one.
        let long = CookieOptions {
            path: format!("/{}", " ".repeat(2000)),
            ..options()
        };
        assert_eq!(tombstone_string("k", &long), None);
        let other = token(r#"{"sub":"other"}"#);
        assert!(shadows(&format!("a=1; k={other}; k=~/"), "k"));
        // Only the tombstone, other stores' tombstones or values that are no token, other names.
        for cookies in [
            "",
            "a=1",
            "k=~/",
            "k=; k=~/other/; kk=x.y.z",
            &format!("k2={other}"),
        ] {
            assert!(!shadows(cookies, "k"), "{cookies}");
        }
    }

    #[test]
    fn the_stores_own_tombstone_means_no_token_whatever_else_shows() {
        let other = token(r#"{"sub":"other"}"#);
        let mine = token(r#"{"sub":"mine"}"#);
        // Another path's cookie first (longer paths are listed first), the store's tombstone after.
        let cookies = format!("k={other}; k=~/");
        assert_eq!(pick(&cookies, "k", "~/", None, &[]), None);
        assert_eq!(pick(&cookies, "k", "~/", Some(&other), &[]), None);
        // Another store's tombstone (another path) is just a value that is not a token.
        assert_eq!(
            pick(&cookies, "k", "~/app/", None, &[]),
            Some(other.as_str())
        );
        // What shows beside the store's tombstone is proven another path's.
        let beside = |cookies: &str, tombstone: &str| {
            beside_tombstone(cookies, "k", tombstone)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            beside(&format!("k={other}; k=x; k=~/; k2={mine}"), "~/"),
            core::slice::from_ref(&other)
        );
        assert!(beside(&format!("k={other}; k=~/"), "~/app/").is_empty());
        assert!(beside(&format!("k={other}"), "~/").is_empty());
        // Once the store writes a token, the tombstone is gone from its cookie.
        let cookies = format!("k={other}; k={mine}");
        assert_eq!(
            pick(&cookies, "k", "~/", Some(&mine), &[]),
            Some(mine.as_str())
        );
    }
}
