// What must hold for any input, shared by both targets.
use tokenstore::jwt::decode;
use tokenstore::time::Validity;

/// Decodes `token` and checks the decoder's promises and the time checks at `now`/`leeway`.
pub fn check(token: &str, now: f64, leeway: f64) {
    match decode(token) {
        Ok(jwt) => {
            assert_eq!(jwt.raw(), token);
            assert!(jwt.header_json().trim_start().starts_with('{'));
            assert!(jwt.payload_json().trim_start().starts_with('{'));
            let times = jwt.times();
            for value in [times.exp, times.nbf, times.iat].into_iter().flatten() {
                assert!(value.is_finite(), "time claims are finite numbers");
            }
            if now.is_finite() && leeway.is_finite() && leeway >= 0.0 {
                let expired = times.exp.is_some_and(|exp| exp <= now - leeway);
                let early = times.nbf.is_some_and(|nbf| nbf > now + leeway);
                let expected = if expired {
                    Validity::Expired
                } else if early {
                    Validity::NotYetValid
                } else {
                    Validity::Valid
                };
                assert_eq!(times.validity(now, leeway), expected);
            }
        }
        Err(error) => {
            let message = error.to_string();
            assert!(!message.is_empty() && !error.code().is_empty());
            // Messages never quote the input, so their length does not grow with it. (A short input can
            // still happen to equal a piece of a message's fixed text, so "contains" is no test.)
            assert!(message.len() <= 160, "{message}");
        }
    }
}

/// Splits fuzz input into (now, leeway, rest).
pub fn clock(data: &[u8]) -> Option<(f64, f64, &[u8])> {
    let now = f64::from_le_bytes(data.get(..8)?.try_into().ok()?);
    let leeway = f64::from_le_bytes(data.get(8..16)?.try_into().ok()?);
    Some((now, leeway.abs(), &data[16..]))
}
