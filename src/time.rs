//! Time checks on the registered time claims (RFC 7519, section 4.1), with "now" and leeway as inputs.

/// The registered time claims of a token, in seconds since the Unix epoch (non-integers allowed).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TimeClaims {
    /// `exp`: the token must not be accepted on or after this instant.
    pub exp: Option<f64>,
    /// `nbf`: the token must not be accepted before this instant.
    pub nbf: Option<f64>,
    /// `iat`: when the token was issued (informational, never checked).
    pub iat: Option<f64>,
}

/// Where a token stands at one instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validity {
    /// Neither expired nor before its `nbf`.
    Valid,
    /// `exp <= now - leeway`.
    Expired,
    /// `nbf > now + leeway`.
    NotYetValid,
}

impl TimeClaims {
    /// Classifies the token at `now` (seconds since the epoch), tolerating `leeway` seconds of clock skew
    /// in both directions. A token without `exp` never expires. An expired token reports `Expired` even
    /// when its `nbf` also lies in the future.
    pub fn validity(&self, now: f64, leeway: f64) -> Validity {
        match (self.exp, self.nbf) {
            (Some(exp), _) if exp <= now - leeway => Validity::Expired,
            (_, Some(nbf)) if nbf > now + leeway => Validity::NotYetValid,
            _ => Validity::Valid,
        }
    }
}

/// Checks a clock-skew tolerance given by a caller: a finite number of seconds, zero or more.
pub fn check_leeway(leeway: f64) -> Result<f64, &'static str> {
    if leeway.is_finite() && leeway >= 0.0 {
        Ok(leeway)
    } else {
        Err("leeway must be a finite number of seconds, zero or more")
    }
}

/// Checks an instant given by a caller: a finite number of seconds since the epoch.
pub fn check_now(now: f64) -> Result<f64, &'static str> {
    if now.is_finite() {
        Ok(now)
    } else {
        Err("now must be a finite number of seconds since the epoch")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: Option<f64>, nbf: Option<f64>) -> TimeClaims {
        TimeClaims {
            exp,
            nbf,
            iat: None,
        }
    }

    #[test]
    fn expires_exactly_at_exp() {
        let token = claims(Some(1000.0), None);
        assert_eq!(token.validity(999.0, 0.0), Validity::Valid);
        assert_eq!(token.validity(999.999, 0.0), Validity::Valid);
        assert_eq!(token.validity(1000.0, 0.0), Validity::Expired);
        assert_eq!(token.validity(1001.0, 0.0), Validity::Expired);
    }

    #[test]
    fn leeway_extends_exp() {
        let token = claims(Some(1000.0), None);
        assert_eq!(token.validity(1029.0, 30.0), Validity::Valid);
        assert_eq!(token.validity(1030.0, 30.0), Validity::Expired);
    }

    #[test]
    fn not_valid_before_nbf() {
        let token = claims(None, Some(1000.0));
        assert_eq!(token.validity(999.0, 0.0), Validity::NotYetValid);
        assert_eq!(token.validity(1000.0, 0.0), Validity::Valid);
        assert_eq!(token.validity(990.0, 10.0), Validity::Valid);
        assert_eq!(token.validity(989.0, 10.0), Validity::NotYetValid);
    }

    #[test]
    fn non_integer_dates() {
        let token = claims(Some(1000.5), Some(999.25));
        assert_eq!(token.validity(999.2, 0.0), Validity::NotYetValid);
        assert_eq!(token.validity(999.25, 0.0), Validity::Valid);
        assert_eq!(token.validity(1000.49, 0.0), Validity::Valid);
        assert_eq!(token.validity(1000.5, 0.0), Validity::Expired);
        assert_eq!(token.validity(1000.9, 0.5), Validity::Valid);
        assert_eq!(token.validity(1001.0, 0.5), Validity::Expired);
    }

    #[test]
    fn missing_exp_never_expires() {
        assert_eq!(claims(None, None).validity(f64::MAX, 0.0), Validity::Valid);
        assert_eq!(claims(None, None).validity(-1e12, 0.0), Validity::Valid);
    }

    #[test]
    fn expired_wins_over_not_yet_valid() {
        let token = claims(Some(100.0), Some(200.0));
        assert_eq!(token.validity(150.0, 0.0), Validity::Expired);
    }

    #[test]
    fn leeway_and_now_are_checked() {
        assert_eq!(check_leeway(0.0), Ok(0.0));
        assert_eq!(check_leeway(2.5), Ok(2.5));
        assert!(check_leeway(-1.0).is_err());
        assert!(check_leeway(f64::NAN).is_err());
        assert!(check_leeway(f64::INFINITY).is_err());
        assert_eq!(check_now(-5.0), Ok(-5.0));
        assert!(check_now(f64::NAN).is_err());
        assert!(check_now(f64::NEG_INFINITY).is_err());
    }
}
