//! JavaScript's number parser, lent to the core for JSON numbers off its exact fast path.

/// ECMAScript's StringToNumber, the conversion `JSON.parse` uses: correctly rounded.
pub fn parse_float(literal: &str) -> f64 {
    js_sys::Number::parse_float(literal)
}
