//! A strict JSON (RFC 8259) validator that keeps only what tokenstore needs: the kind of the top-level
//! value and the raw text of its top-level members. Values are handed to JS as text and parsed there by
//! `JSON.parse`, so nothing here builds a tree.
//!
//! It loops with an explicit stack instead of recursing, so no nesting depth can exhaust the wasm stack.

use alloc::vec::Vec;

/// The kind of a JSON value, named as messages name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `{...}`
    Object,
    /// `[...]`
    Array,
    /// `"..."`
    String,
    /// `-1.5e3`
    Number,
    /// `true` or `false`
    Boolean,
    /// `null`
    Null,
}

impl Kind {
    fn of(first: u8) -> Kind {
        match first {
            b'{' => Kind::Object,
            b'[' => Kind::Array,
            b'"' => Kind::String,
            b't' | b'f' => Kind::Boolean,
            b'n' => Kind::Null,
            _ => Kind::Number,
        }
    }

    /// "an object", "a string", ...
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Object => "an object",
            Kind::Array => "an array",
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Boolean => "a boolean",
            Kind::Null => "null",
        }
    }
}

/// Where and why a text is not JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset of the problem.
    pub at: usize,
    /// What was expected or found.
    pub what: &'static str,
}

/// A member name as written between its quotes, escapes and all.
#[derive(Clone, Copy, Debug)]
pub struct Name<'a>(&'a str);

impl Name<'_> {
    /// Whether this name, unescaped, is `ascii`, a name made of ASCII characters. Compares as it
    /// unescapes, without building the name: only a few names are ever looked for.
    pub fn is(self, ascii: &str) -> bool {
        let mut expected = ascii.bytes();
        let mut written = self.0.bytes();
        while let Some(byte) = written.next() {
            let unit = if byte == b'\\' {
                match written.next() {
                    Some(b'b') => 0x08,
                    Some(b'f') => 0x0c,
                    Some(b'n') => 0x0a,
                    Some(b'r') => 0x0d,
                    Some(b't') => 0x09,
                    Some(b'u') => {
                        let mut unit = 0;
                        for _ in 0..4 {
                            let digit = written
                                .next()
                                .and_then(|digit| char::from(digit).to_digit(16));
                            let Some(digit) = digit else {
                                return false;
                            };
                            unit = unit << 4 | digit;
                        }
                        unit
                    }
                    // `"`, `\` and `/` stand for themselves.
                    Some(other) => u32::from(other),
                    None => return false,
                }
            } else {
                // A byte of a multi-byte character is 0x80 or more and never matches ASCII.
                u32::from(byte)
            };
            if expected.next().map(u32::from) != Some(unit) {
                return false;
            }
        }
        expected.next().is_none()
    }
}

/// Validates `text` as exactly one JSON value (with optional surrounding whitespace) and returns its
/// kind. For each member of a top-level object, in order, calls `member(name, kind, raw)` where `raw`
/// is the member's value exactly as written.
pub fn scan<'a>(
    text: &'a str,
    mut member: impl FnMut(Name<'a>, Kind, &'a str),
) -> Result<Kind, SyntaxError> {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    scanner.skip_whitespace();
    let kind = scanner.value(&mut member)?;
    scanner.skip_whitespace();
    if scanner.at != scanner.bytes.len() {
        return Err(scanner.error("trailing characters after the JSON value"));
    }
    Ok(kind)
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

/// A top-level member whose value is being scanned: its name and where the value starts.
struct Pending<'a> {
    name: Name<'a>,
    start: usize,
}

impl<'a> Scanner<'a> {
    fn error(&self, what: &'static str) -> SyntaxError {
        SyntaxError { at: self.at, what }
    }

    // Always inlined, like `skip_whitespace`: the release profile optimises for size and would
    // otherwise call it for every byte.
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    #[inline(always)]
    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: &'static str) -> Result<(), SyntaxError> {
        self.skip_whitespace();
        if self.peek() != Some(byte) {
            return Err(self.error(what));
        }
        self.at += 1;
        Ok(())
    }

    /// One value, with everything nested in it. `open` holds the containers entered so far.
    fn value(
        &mut self,
        member: &mut impl FnMut(Name<'a>, Kind, &'a str),
    ) -> Result<Kind, SyntaxError> {
        let top = Kind::of(
            self.peek()
                .ok_or_else(|| self.error("expected a JSON value"))?,
        );
        let mut open: Vec<u8> = Vec::new();
        let mut pending: Option<Pending<'a>> = None;
        loop {
            // A value starts here.
            self.skip_whitespace();
            match self.peek() {
                Some(b'{') => {
                    self.at += 1;
                    self.skip_whitespace();
                    if self.peek() == Some(b'}') {
                        self.at += 1;
                    } else {
                        open.push(b'{');
                        self.member_name(open.len() == 1, &mut pending)?;
                        continue;
                    }
                }
                Some(b'[') => {
                    self.at += 1;
                    self.skip_whitespace();
                    if self.peek() == Some(b']') {
                        self.at += 1;
                    } else {
                        open.push(b'[');
                        continue;
                    }
                }
                Some(b'"') => {
                    self.string()?;
                }
                Some(b't') => self.literal("true")?,
                Some(b'f') => self.literal("false")?,
                Some(b'n') => self.literal("null")?,
                Some(b'-' | b'0'..=b'9') => self.number()?,
                _ => return Err(self.error("expected a JSON value")),
            }
            // A value ended here: close whatever containers end with it.
            loop {
                if open.len() == 1 {
                    if let Some(done) = pending.take() {
                        let (raw, first) = self.slice(done.start)?;
                        member(done.name, Kind::of(first), raw);
                    }
                }
                let Some(&container) = open.last() else {
                    return Ok(top);
                };
                self.skip_whitespace();
                match (container, self.peek()) {
                    (_, Some(b',')) => {
                        self.at += 1;
                        if container == b'{' {
                            self.skip_whitespace();
                            self.member_name(open.len() == 1, &mut pending)?;
                        }
                        break;
                    }
                    (b'{', Some(b'}')) | (b'[', Some(b']')) => {
                        self.at += 1;
                        open.pop();
                    }
                    (b'{', _) => return Err(self.error("expected ',' or '}' in an object")),
                    _ => return Err(self.error("expected ',' or ']' in an array")),
                }
            }
        }
    }

    /// `"name":` inside an object; at the top level, remembers the name for the member callback.
    fn member_name(
        &mut self,
        top_level: bool,
        pending: &mut Option<Pending<'a>>,
    ) -> Result<(), SyntaxError> {
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a member name in double quotes"));
        }
        let name = self.string()?;
        self.expect(b':', "expected ':' after a member name")?;
        self.skip_whitespace();
        if top_level {
            *pending = Some(Pending {
                name: Name(name),
                start: self.at,
            });
        }
        Ok(())
    }

    /// A string; returns its contents between the quotes, still escaped.
    fn string(&mut self) -> Result<&'a str, SyntaxError> {
        self.at += 1;
        let start = self.at;
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    let (contents, _) = self.slice(start)?;
                    self.at += 1;
                    return Ok(contents);
                }
                Some(b'\\') => {
                    self.at += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.at += 1
                        }
                        Some(b'u') => {
                            let hex = self.bytes.get(self.at + 1..self.at + 5);
                            if !hex.is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) {
                                return Err(self.error("expected four hex digits after \\u"));
                            }
                            self.at += 5;
                        }
                        _ => return Err(self.error("invalid escape in a string")),
                    }
                }
                Some(0x00..=0x1f) => return Err(self.error("control character in a string")),
                Some(_) => self.at += 1,
            }
        }
    }

    /// The text from `start` to here, and its first byte (0 when empty). The scanner stops only at
    /// ASCII bytes, so both ends are on char boundaries; checked anyway, as a slice that panics would
    /// take the whole module down.
    fn slice(&self, start: usize) -> Result<(&'a str, u8), SyntaxError> {
        let text = self
            .text
            .get(start..self.at)
            .ok_or_else(|| self.error("internal error: not on a char boundary"))?;
        Ok((text, text.bytes().next().unwrap_or(0)))
    }

    fn literal(&mut self, word: &'static str) -> Result<(), SyntaxError> {
        let rest = self.bytes.get(self.at..).unwrap_or_default();
        if !rest.starts_with(word.as_bytes()) {
            return Err(self.error("expected true, false or null"));
        }
        self.at += word.len();
        Ok(())
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<(), SyntaxError> {
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.required_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.required_digits()?;
        }
        Ok(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }

    fn required_digits(&mut self) -> Result<(), SyntaxError> {
        if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
            return Err(self.error("expected a digit"));
        }
        self.digits();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Members = Vec<(String, Kind, String)>;

    /// The members, with each name as written.
    fn members(text: &str) -> Result<(Kind, Members), SyntaxError> {
        let mut found = Vec::new();
        let kind = scan(text, |name, kind, raw| {
            found.push((name.0.to_owned(), kind, raw.to_owned()))
        })?;
        Ok((kind, found))
    }

    fn is_json(text: &str) -> bool {
        scan(text, |_, _, _| {}).is_ok()
    }

    #[test]
    fn top_level_members_and_their_raw_values() {
        let (kind, found) = members(
            r#" { "exp" : 1.5e3 , "nested": {"exp": 1}, "s": "a\"b", "l": [1, [2]], "n": null } "#,
        )
        .unwrap();
        assert_eq!(kind, Kind::Object);
        let expected = [
            ("exp", Kind::Number, "1.5e3"),
            ("nested", Kind::Object, r#"{"exp": 1}"#),
            ("s", Kind::String, r#""a\"b""#),
            ("l", Kind::Array, "[1, [2]]"),
            ("n", Kind::Null, "null"),
        ];
        let expected: Vec<(String, Kind, String)> = expected
            .iter()
            .map(|(n, k, r)| (n.to_string(), *k, r.to_string()))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn escaped_member_names_are_compared_unescaped() {
        let is = |written: &str, ascii: &str| Name(written).is(ascii);
        assert!(is("exp", "exp"));
        assert!(is(r"\u0065xp", "exp"));
        assert!(is(r"e\u0078p", "exp"));
        assert!(is(r"\u0065\u0078\u0070", "exp"));
        assert!(is(r"\u0045XP", "EXP"));
        assert!(is(r#"a\/b\n\t\"\\"#, "a/b\n\t\"\\"));
        assert!(is("", ""));
        for (written, ascii) in [
            ("ex", "exp"),
            ("expp", "exp"),
            ("Exp", "exp"),
            (r"\u0065x", "exp"),
            (r"\u00650xp", "exp"),
            (r"\u0165xp", "exp"),
            (r"\ud800xp", "exp"),
            (r"\ud83d\udd11", "exp"),
            ("éxp", "exp"),
            ("\u{2028}", "exp"),
        ] {
            assert!(!is(written, ascii), "{written:?} is not {ascii:?}");
        }
        let (_, found) = members(r#"{"\u0065xp":1,"a\/b":2}"#).unwrap();
        assert_eq!(found[0].0, r"\u0065xp", "names are handed over as written");
    }

    #[test]
    fn every_kind_at_the_top() {
        for (text, kind) in [
            ("{}", Kind::Object),
            ("[]", Kind::Array),
            ("\"\"", Kind::String),
            ("-0", Kind::Number),
            ("true", Kind::Boolean),
            ("false", Kind::Boolean),
            ("null", Kind::Null),
        ] {
            assert_eq!(scan(text, |_, _, _| {}), Ok(kind), "{text}");
        }
    }

    #[test]
    fn valid_json() {
        for text in [
            "0",
            "-0.0",
            "1e5",
            "1E+5",
            "1e-5",
            "123456789012345678901234567890",
            "1.5e400",
            r#""\u00e9\ud83d\udd11\ud800""#,
            "\"é東京🔑\"",
            "[1,\"a\",{\"b\":[null,true,false]}]",
            "{\"a\":{}}",
            "[[],[[]]]",
            " \t\r\n{} \n",
        ] {
            assert!(is_json(text), "{text}");
        }
    }

    #[test]
    fn invalid_json() {
        for text in [
            "",
            " ",
            "{",
            "}",
            "[",
            "]",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "[1,]",
            "[,1]",
            "{,}",
            "{a:1}",
            "{'a':1}",
            "01",
            "1.",
            ".1",
            "-",
            "+1",
            "1e",
            "1e+",
            "0x10",
            "NaN",
            "Infinity",
            "tru",
            "nul",
            "True",
            "\"a",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\u12G4\"",
            "\"a\u{1}b\"",
            "{} {}",
            "[1] x",
            "\u{feff}{}",
            "{\"a\":1 \"b\":2}",
            "[1 2]",
            "{\"a\" 1}",
            "[}",
            "{]",
            "/* c */ {}",
        ] {
            assert!(!is_json(text), "{text:?}");
        }
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(
            scan("{\"a\":}", |_, _, _| {}),
            Err(SyntaxError {
                at: 5,
                what: "expected a JSON value"
            })
        );
        assert_eq!(
            scan("[1] x", |_, _, _| {}),
            Err(SyntaxError {
                at: 4,
                what: "trailing characters after the JSON value"
            })
        );
    }

    #[test]
    fn depth_costs_no_stack() {
        let deep = format!("{}{}", "[".repeat(1_000_000), "]".repeat(1_000_000));
        assert_eq!(scan(&deep, |_, _, _| {}), Ok(Kind::Array));
        let unbalanced = "[".repeat(1_000_000);
        assert!(scan(&unbalanced, |_, _, _| {}).is_err());
    }
}
