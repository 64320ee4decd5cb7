//! Differential tests: the hand-written JSON validator, base64url decoder and number parser held to
//! serde_json, the `base64` crate's strict engine and `str::parse::<f64>`, on arbitrary input and on
//! input made to sit near the edge of validity. The checks are in `oracles/agree.rs`, which the
//! `differential` fuzz target shares.
#![cfg(not(target_arch = "wasm32"))]

#[path = "oracles/agree.rs"]
mod agree;

use base64::Engine as _;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::strategy::ValueTree as _;
use proptest::test_runner::TestRunner;
use serde::de::IgnoredAny;
use tokenstore::json;

// -------------------------------------------------------------------------------------------------
// Generators

/// Characters that change the meaning of JSON or of base64url when inserted, plus a few that must
/// always be refused (controls, whitespace JSON does not allow, a byte order mark).
const INTERESTING: &[char] = &[
    '{', '}', '[', ']', ',', ':', '"', '\\', '/', 'u', 'e', 'E', '.', '-', '+', '0', '1', '9', 'a',
    'f', 'n', 't', 'x', ' ', '\t', '\n', '\r', '\0', '\u{1f}', '\u{7f}', 'é', '\u{2028}',
    '\u{feff}', '\'', '*', '=', '_', 'A', 'Z', 'z', '\u{b}', '\u{c}', '\u{a0}',
];

/// Pieces of JSON, valid and not, for texts that are mostly almost JSON.
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    " ",
    "\n",
    "\"a\"",
    "\"exp\"",
    "\"\\u0065xp\"",
    "\"\"",
    "0",
    "-0",
    "1",
    "01",
    "1.",
    ".5",
    "1e",
    "1e+",
    "1E-2",
    "-",
    "+1",
    "1.5e300",
    "1e400",
    "00",
    "-01",
    "true",
    "tru",
    "false",
    "null",
    "nul",
    "NaN",
    "\"\\ud800\"",
    "\"\\udc00\\ud800\"",
    "\"\\ud83d\\udd11\"",
    "\"\\u12\"",
    "\"\\u12G4\"",
    "\"\\x\"",
    "\"\\/\"",
    "\"\t\"",
    "\"é\"",
    "\"",
    "\\",
    "\u{feff}",
    "//",
];

fn whitespace() -> impl Strategy<Value = String> + Clone {
    "[ \t\n\r]{0,2}"
}

/// A JSON string literal: plain characters, every escape, and `\u` escapes that are often surrogates,
/// paired or not.
fn json_string() -> impl Strategy<Value = String> + Clone {
    prop::collection::vec(string_piece(), 0..6)
        .prop_map(|pieces| format!("\"{}\"", pieces.concat()))
}

/// Like `json_string`, but now and then with a piece no string may hold: a backslash before any
/// other printable character, a short or non-hex `\u`, a raw control character, a lone backslash.
fn sloppy_string() -> impl Strategy<Value = String> + Clone {
    let wrong = prop_oneof![
        (b' '..=b'~').prop_map(|c| format!("\\{}", char::from(c))),
        select(&["\\u12", "\\u12G4", "\\U0041", "\t", "\u{1}", "\u{1f}", "\\", "\n"][..])
            .prop_map(String::from),
    ];
    let piece = prop_oneof![30 => string_piece(), 1 => wrong];
    prop::collection::vec(piece, 0..6).prop_map(|pieces| format!("\"{}\"", pieces.concat()))
}

fn string_piece() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        4 => "[^\"\\\\\\x00-\\x1f]",
        1 => select(&["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"][..])
            .prop_map(String::from),
        1 => any::<u16>().prop_map(|unit| format!("\\u{unit:04x}")),
        1 => (0xd800u16..0xe000).prop_map(|unit| format!("\\u{unit:04X}")),
        // ASCII spelled as an escape, as a name like `\u0065xp` hides a claim name.
        1 => (0u16..0x80).prop_map(|unit| format!("\\u{unit:04x}")),
        1 => (0u16..0x80).prop_map(|unit| format!("\\u{unit:04X}")),
    ]
}

/// A valid JSON text, with whitespace wherever the grammar allows it.
fn json_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        select(&["null", "true", "false"][..]).prop_map(String::from),
        any_number_literal(),
        fast_path_literal(),
        json_string(),
    ];
    let value = leaf.prop_recursive(4, 24, 5, |inner| {
        let element =
            (whitespace(), inner, whitespace()).prop_map(|(a, v, b)| format!("{a}{v}{b}"));
        prop_oneof![
            (prop::collection::vec(element.clone(), 0..5), whitespace())
                .prop_map(|(items, space)| format!("[{space}{}]", items.join(","))),
            (
                prop::collection::vec((whitespace(), json_string(), whitespace(), element), 0..5),
                whitespace()
            )
                .prop_map(|(members, space)| {
                    let members: Vec<String> = members
                        .into_iter()
                        .map(|(a, name, b, value)| format!("{a}{name}{b}:{value}"))
                        .collect();
                    format!("{{{space}{}}}", members.join(","))
                }),
        ]
    });
    (whitespace(), value, whitespace()).prop_map(|(a, v, b)| format!("{a}{v}{b}"))
}

/// Like `json_text`, but every bracket, comma, colon and name has a small chance of being wrong:
/// missing, doubled, of the other kind, unquoted or trailing. Nearly every structural rule is then a
/// close call somewhere.
fn sloppy_json() -> impl Strategy<Value = String> {
    fn usually(
        right: &'static str,
        wrong: &'static [&'static str],
    ) -> impl Strategy<Value = String> + Clone {
        prop_oneof![12 => Just(right), 1 => select(wrong)].prop_map(String::from)
    }
    let leaf = prop_oneof![
        4 => select(&["null", "true", "false"][..]).prop_map(String::from),
        4 => fast_path_literal(),
        4 => sloppy_string(),
        1 => select(FRAGMENTS).prop_map(String::from),
    ];
    let name = prop_oneof![
        12 => sloppy_string(),
        1 => select(&["", "a", "'a'", "1", "null", "{}"][..]).prop_map(String::from),
    ];
    let value = leaf.prop_recursive(4, 24, 5, move |inner| {
        let element =
            (whitespace(), inner, whitespace()).prop_map(|(a, v, b)| format!("{a}{v}{b}"));
        let member = (
            whitespace(),
            name.clone(),
            whitespace(),
            usually(":", &["", "::", ",", "="]),
            element.clone(),
        )
            .prop_map(|(a, name, b, colon, value)| format!("{a}{name}{b}{colon}{value}"));
        let comma = usually(",", &["", ",,", ":", " , ,"]);
        let edge = usually("", &[",", ":"]);
        prop_oneof![
            (
                usually("[", &["", "[[", "{"]),
                edge.clone(),
                prop::collection::vec((element, comma.clone()), 0..5),
                edge.clone(),
                usually("]", &["", "]]", "}"]),
            )
                .prop_map(|(open, lead, items, trail, close)| {
                    format!("{open}{lead}{}{trail}{close}", separated(items))
                }),
            (
                usually("{", &["", "{{", "["]),
                edge.clone(),
                prop::collection::vec((member, comma), 0..5),
                edge,
                usually("}", &["", "}}", "]"]),
            )
                .prop_map(|(open, lead, members, trail, close)| {
                    format!("{open}{lead}{}{trail}{close}", separated(members))
                }),
        ]
    });
    (whitespace(), value, whitespace()).prop_map(|(a, v, b)| format!("{a}{v}{b}"))
}

/// The items, each but the last followed by its separator.
fn separated(items: Vec<(String, String)>) -> String {
    let last = items.len().saturating_sub(1);
    let mut text = String::new();
    for (at, (item, separator)) in items.into_iter().enumerate() {
        text += &item;
        if at < last {
            text += &separator;
        }
    }
    text
}

/// One edit of a text: insert, replace or delete a character, cut the text short, or repeat a piece.
#[derive(Clone, Debug)]
enum Edit {
    Insert(Index, char),
    Replace(Index, char),
    Delete(Index),
    Truncate(Index),
    Repeat(Index, Index),
}

fn edit(alphabet: &'static [char]) -> impl Strategy<Value = Edit> {
    let character = prop_oneof![3 => select(alphabet), 1 => any::<char>()];
    prop_oneof![
        (any::<Index>(), character.clone()).prop_map(|(at, c)| Edit::Insert(at, c)),
        (any::<Index>(), character).prop_map(|(at, c)| Edit::Replace(at, c)),
        any::<Index>().prop_map(Edit::Delete),
        any::<Index>().prop_map(Edit::Truncate),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::Repeat(a, b)),
    ]
}

/// `text` with `edits` applied, character by character, so the result is still a `str`.
fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for edit in edits {
        let len = chars.len();
        match *edit {
            Edit::Insert(ref at, c) => chars.insert(at.index(len + 1), c),
            Edit::Replace(ref at, c) if len > 0 => chars[at.index(len)] = c,
            Edit::Delete(ref at) if len > 0 => {
                chars.remove(at.index(len));
            }
            Edit::Truncate(ref at) => chars.truncate(at.index(len + 1)),
            Edit::Repeat(ref a, ref b) if len > 0 => {
                let (a, b) = (a.index(len), b.index(len));
                let piece: Vec<char> = chars[a.min(b)..=a.max(b)].to_vec();
                chars.splice(a.max(b) + 1..a.max(b) + 1, piece);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// Mostly almost-JSON: valid texts, sloppy ones, valid ones with a few edits, texts pieced together
/// from `FRAGMENTS`, deep nesting, and some arbitrary strings.
fn near_json() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => json_text(),
        4 => sloppy_json(),
        4 => (json_text(), prop::collection::vec(edit(INTERESTING), 1..4))
            .prop_map(|(text, edits): (String, Vec<Edit>)| apply(&text, &edits)),
        2 => prop::collection::vec(select(FRAGMENTS), 0..8).prop_map(|pieces| pieces.concat()),
        1 => deep_nesting(),
        1 => "[\\[\\]{}\":, 0-9a-z\\\\.+-]{0,24}",
        1 => ".{0,40}",
    ]
}

/// Up to 2,000 levels of arrays and objects, closed correctly or not.
fn deep_nesting() -> impl Strategy<Value = String> {
    (
        1usize..2_000,
        any::<bool>(),
        0usize..3,
        select(&["", "1", "\"a\"", "[]"][..]),
    )
        .prop_map(|(depth, objects, wrong, inner)| {
            let (open, close) = if objects {
                ("{\"a\":", "}")
            } else {
                ("[", "]")
            };
            // `wrong` is 0 for a balanced text, else one closing bracket too few or too many.
            let closes = match wrong {
                0 => depth,
                1 => depth - 1,
                _ => depth + 1,
            };
            let inner = if objects && inner.is_empty() {
                "0"
            } else {
                inner
            };
            format!("{}{inner}{}", open.repeat(depth), close.repeat(closes))
        })
}

/// The characters of unpadded base64url and the usual wrong ones.
const BASE64URL_CHARACTERS: &[char] = &[
    'A', 'B', 'P', 'Q', 'g', 'w', 'x', 'z', '0', '9', '-', '_', '+', '/', '=', ' ', '\n', '.', 'é',
];

/// Base64url of random bytes, often with edits that make it non-canonical (a last character with
/// trailing bits set, padding, `+`/`/`, a length of 1 modulo 4).
fn near_base64url() -> impl Strategy<Value = String> {
    let encoded = prop::collection::vec(any::<u8>(), 0..40)
        .prop_map(|bytes| agree::STRICT_BASE64URL.encode(bytes));
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        .chars()
        .collect::<Vec<_>>();
    prop_oneof![
        2 => encoded.clone(),
        4 => (encoded.clone(), prop::collection::vec(edit(BASE64URL_CHARACTERS), 1..3))
            .prop_map(|(text, edits): (String, Vec<Edit>)| apply(&text, &edits)),
        // Only the last character changed: most choices leave non-zero trailing bits.
        2 => (encoded.clone(), select(alphabet)).prop_map(|(mut text, last)| {
            if text.pop().is_some() {
                text.push(last);
            }
            text
        }),
        1 => (encoded, select(&["=", "==", "==="][..])).prop_map(|(text, pad)| text + pad),
        1 => "[A-Za-z0-9_+/=-]{0,24}",
        1 => ".{0,24}",
    ]
}

/// Any JSON number literal, mostly beyond the fast path: long mantissas, big exponents.
fn any_number_literal() -> impl Strategy<Value = String> {
    "-?(0|[1-9][0-9]{0,24})(\\.[0-9]{1,24})?([eE][+-]?[0-9]{1,4})?"
}

/// `digits` times ten to `exponent`, spelled as JSON with the decimal point after `point` digits (or
/// as `0.000…digits`), an optional minus and one of the exponent spellings.
fn spell(negative: bool, digits: &str, exponent: i32, point: Index, style: u8) -> String {
    let digits = digits.trim_start_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    // 0: `0.` and the digits; 1 to len - 1: a point among the digits; otherwise no fraction.
    let point = point.index(digits.len() + 2);
    let (mantissa, exponent) = if point == 0 {
        // Leading zeros in the fraction: they add nothing to the mantissa but lower the power.
        let zeros = "0".repeat(style as usize % 4);
        let fraction_len = (zeros.len() + digits.len()) as i32;
        (format!("0.{zeros}{digits}"), exponent + fraction_len)
    } else if point >= digits.len() {
        (digits.to_owned(), exponent)
    } else {
        let (integer, fraction) = digits.split_at(point);
        (
            format!("{integer}.{fraction}"),
            exponent + fraction.len() as i32,
        )
    };
    let sign = if negative { "-" } else { "" };
    let exponent = match (style / 4 % 5, exponent) {
        (0, 0) => String::new(),
        (0 | 1, e) => format!("e{e}"),
        (2, e) => format!("E{e}"),
        (3, e) if e >= 0 => format!("e+{e}"),
        (_, e) => format!("e{}{:03}", if e < 0 { "-" } else { "" }, e.unsigned_abs()),
    };
    format!("{sign}{mantissa}{exponent}")
}

const TWO_TO_53: u64 = 1 << 53;

/// Literals the exact fast path takes or just declines: up to 17 significant digits, mostly at most
/// 2^53, powers of ten around ±22, and the mantissas next to 2^53.
fn fast_path_literal() -> impl Strategy<Value = String> {
    let mantissa = prop_oneof![
        0u64..1_000,
        0u64..=TWO_TO_53 + 8,
        TWO_TO_53 - 8..=TWO_TO_53 + 8,
        Just(999_999_999_999_999_999),
        (1u32..20).prop_map(|p| 10u64.pow(p)),
    ];
    (
        any::<bool>(),
        mantissa,
        -45i32..45,
        any::<Index>(),
        any::<u8>(),
    )
        .prop_map(|(negative, mantissa, exponent, point, style)| {
            spell(negative, &mantissa.to_string(), exponent, point, style)
        })
}

/// Literals that the fast path takes whose exact value lies halfway between two doubles, where only
/// ties-to-even decides: `m × 10^p` with `m` odd has odd part `m × 5^p`, so when that has 54 bits the
/// value sits exactly between the two nearest doubles. (Even `m` gives the neighbouring cases.)
fn halfway_literal() -> impl Strategy<Value = String> {
    (1u32..=22)
        .prop_flat_map(|p| {
            let five = 5u64.pow(p);
            let low = TWO_TO_53.div_ceil(five);
            let high = ((1u64 << 54) / five).min(TWO_TO_53);
            (low..=high, Just(p))
        })
        .prop_flat_map(|(m, p)| (any::<bool>(), Just(m), Just(p), any::<Index>(), any::<u8>()))
        .prop_map(|(negative, m, p, point, style)| {
            spell(negative, &m.to_string(), p as i32, point, style)
        })
}

// -------------------------------------------------------------------------------------------------
// The oracles

// Case counts keep the whole file to a few seconds in a debug build.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    #[test]
    fn json_agrees_with_serde_json_near_json(text in near_json()) {
        agree::json(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn json_agrees_with_serde_json_on_any_string(text in any::<String>()) {
        agree::json(&text);
    }

    #[test]
    fn base64url_agrees_with_the_strict_base64_engine(text in near_base64url()) {
        agree::base64url(&text);
    }

    #[test]
    fn base64url_agrees_on_any_string(text in any::<String>()) {
        agree::base64url(&text);
    }

    #[test]
    fn number_agrees_with_str_parse(
        literal in prop_oneof![any_number_literal(), fast_path_literal(), halfway_literal()]
    ) {
        agree::number(&literal);
        // The fuzz target finds literals inside its input this way.
        let list = format!("[{literal},{literal}]");
        let found: Vec<&str> = agree::number_literals(&list).collect();
        prop_assert_eq!(found, [literal.as_str(); 2]);
    }
}

/// Every text of up to `max_pieces` pieces from `pieces`, shortest first.
fn every_text(pieces: &[&str], max_pieces: u32, mut check: impl FnMut(&str)) {
    let mut text = String::new();
    for length in 0..=max_pieces {
        for mut number in 0..pieces.len().pow(length) {
            text.clear();
            for _ in 0..length {
                text += pieces[number % pieces.len()];
                number /= pieces.len();
            }
            check(&text);
        }
    }
}

/// Small scope, exhaustively: every short arrangement of brackets, commas, colons and values (and
/// `true` cut short), where a random generator could miss a rare one such as `[,`.
#[test]
fn json_agrees_with_serde_json_on_every_short_structure() {
    let pieces = ["[", "]", "{", "}", ",", ":", "0", "\"a\"", " ", "tru", "e"];
    every_text(&pieces, 6, agree::json);
}

/// Small scope, exhaustively: every string of up to four characters that matter to numbers,
/// literals, strings and whitespace.
#[test]
fn json_agrees_with_serde_json_on_every_short_text() {
    let characters = [
        "0", "1", "-", "+", ".", "e", "\"", "\\", "u", "a", "n", "l", "t", "r", "[", "{", "}", ",",
        ":", " ", "\u{c}", "\u{1}", "é",
    ];
    every_text(&characters, 4, agree::json);
}

/// Every number-shaped string of up to six characters: the JSON oracle decides which are numbers,
/// and each number is then held to `str::parse`.
#[test]
fn every_short_number_agrees() {
    let characters = ["0", "1", "9", "-", "+", ".", "e", "E"];
    every_text(&characters, 6, |text| {
        agree::json(text);
        for literal in agree::number_literals(text) {
            agree::number(literal);
        }
    });
}

#[test]
fn number_edges_agree_with_str_parse() {
    for literal in [
        "0",
        "-0",
        "-0.0",
        "0e0",
        "-0e-400",
        "0.0000000000000000000001",
        "0.00000000000000000000001",
        "9007199254740991",
        "9007199254740992",
        "9007199254740993",
        "0.9007199254740993e17",
        "-9007199254740992e22",
        "9007199254740992e-22",
        "9007199254740993e22",
        "1e22",
        "1e23",
        "1e-22",
        "1e-23",
        "1.5e23",
        "1234567890123456.7e6",
        // 2^54 + 6 and 2^54 + 2: halfway between doubles, once rounding up to even, once down.
        "1801439850948199e1",
        "1801439850948198.6e1",
        "18014398509481986e0",
        "4503599627370496.5",
        "4503599627370497.5",
        "18446744073709551615",
        "18446744073709551616",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "1e400",
        "-1e400",
        "5e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "1e-400",
        "1e00000000000000000000022",
        "1.000000000000000000000000000000000000001",
    ] {
        agree::number(literal);
    }
}

/// serde_json's `IgnoredAny` is the oracle because it checks the grammar and nothing more. Its typed
/// deserializers do more, and differ from `json::scan` on purpose: a recursion limit of 128, which
/// leaves 127 levels of nesting (the scanner loops, so depth costs it no stack); "number out of
/// range" for `1e400` (the grammar has no range; the decoder reports a time claim beyond `f64`
/// itself); and refusing lone surrogates, which Rust strings cannot hold but RFC 8259's grammar and
/// `JSON.parse` allow. Pinned here so that a serde_json release that moves any of these into
/// `IgnoredAny` fails loudly instead of silently narrowing the oracle.
#[test]
fn what_the_json_oracle_checks_and_what_it_does_not() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let just_too_deep = format!("{}{}", "[".repeat(128), "]".repeat(128));
    for text in [
        deep.as_str(),
        just_too_deep.as_str(),
        "1e400",
        "-1e400",
        r#""\ud800""#,
        r#""\udc00\ud800""#,
        r#"{"\ud800":0}"#,
    ] {
        assert!(
            serde_json::from_str::<IgnoredAny>(text).is_ok(),
            "{text:.20}"
        );
        assert!(json::scan(text, |_, _, _| {}).is_ok(), "{text:.20}");
        assert!(
            serde_json::from_str::<serde_json::Value>(text).is_err(),
            "{text:.20}"
        );
        agree::json(text);
    }
    let fine = format!("{}{}", "[".repeat(127), "]".repeat(127));
    assert!(serde_json::from_str::<serde_json::Value>(&fine).is_ok());
}

/// Guards the generators, not the code: most near-JSON texts must be close calls, some accepted and
/// many refused, or the oracle would only ever compare two refusals.
#[test]
fn near_json_is_both_valid_and_invalid() {
    let mut runner = TestRunner::deterministic();
    let strategy = near_json();
    let samples = 2_000;
    let valid = (0..samples)
        .filter(|_| {
            let text = strategy.new_tree(&mut runner).unwrap().current();
            agree::serde_json_accepts(&text)
        })
        .count();
    assert!(
        (samples / 5..samples * 4 / 5).contains(&valid),
        "{valid} of {samples} valid"
    );
}
