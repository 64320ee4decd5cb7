//! Splitting text at ASCII separators without `str`'s pattern machinery: its char searchers and
//! slicing panics cost about 0.6 KB gzipped of the wasm module for what a byte scan does.

/// `text` before and after its first byte that `is_separator` accepts, or `None` if there is none.
/// The separator must be ASCII, so both halves are whole UTF-8.
pub fn split_once(text: &str, is_separator: impl Fn(u8) -> bool) -> Option<(&str, &str)> {
    let at = text.bytes().position(is_separator)?;
    let (before, separator_and_after) = text.split_at_checked(at)?;
    Some((before, separator_and_after.get(1..)?))
}

/// `text` without its first byte if that byte is `prefix`.
pub fn strip_prefix(text: &str, prefix: u8) -> Option<&str> {
    if text.as_bytes().first() == Some(&prefix) {
        text.get(1..)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_first_separator_only() {
        assert_eq!(split_once("a.b.c", |b| b == b'.'), Some(("a", "b.c")));
        assert_eq!(split_once(".", |b| b == b'.'), Some(("", "")));
        assert_eq!(
            split_once("1e5", |b| b == b'e' || b == b'E'),
            Some(("1", "5"))
        );
        assert_eq!(
            split_once("1E-5", |b| b == b'e' || b == b'E'),
            Some(("1", "-5"))
        );
        assert_eq!(split_once("é.ü", |b| b == b'.'), Some(("é", "ü")));
        assert_eq!(split_once("abc", |b| b == b'.'), None);
        assert_eq!(split_once("", |b| b == b'.'), None);
    }

    #[test]
    fn strips_one_leading_byte() {
        assert_eq!(strip_prefix("-12", b'-'), Some("12"));
        assert_eq!(strip_prefix("--1", b'-'), Some("-1"));
        assert_eq!(strip_prefix("12", b'-'), None);
        assert_eq!(strip_prefix("", b'-'), None);
    }
}
