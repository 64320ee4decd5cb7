//! The server's clock: how far the local clock is from the one that issues the tokens. Pure: the
//! facade reads the local clock and hands in what the server said.

/// Offsets smaller than this, in seconds, are the time a response took, not a wrong clock.
pub const MIN_OFFSET: f64 = 5.0;

/// The largest offset believed, in seconds: a day. A clock further off is beyond repair here.
pub const MAX_OFFSET: f64 = 86_400.0;

/// The offset (server minus local, in seconds) taught by a token issued at `iat` by the server's
/// clock and received at `local_now`: the token is taken to be freshly issued.
pub fn learn(iat: f64, local_now: f64) -> f64 {
    let offset = iat - local_now;
    if offset > -MIN_OFFSET && offset < MIN_OFFSET {
        0.0
    } else {
        cap(offset)
    }
}

/// The offset when the app says the server's time is `server` (seconds) at `local_now`: set
/// outright, however small, and capped like a learnt one.
pub fn told(server: f64, local_now: f64) -> Result<f64, &'static str> {
    if server.is_finite() {
        Ok(cap(server - local_now))
    } else {
        Err("the server time must be a finite number of seconds since the epoch")
    }
}

/// The offset another tab on the key learnt or was told, as it left it beside the token: believed
/// when it is a finite number, capped like one learnt here. Every tab talks to the same server, so
/// what one learnt serves all; a tab that never refreshes would otherwise trust its own wrong clock.
pub fn shared(recorded: f64) -> Option<f64> {
    recorded.is_finite().then(|| cap(recorded))
}

fn cap(offset: f64) -> f64 {
    offset.clamp(-MAX_OFFSET, MAX_OFFSET)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iat_teaches_the_offset_between_the_server_and_this_clock() {
        // A laptop ten minutes fast: the token says it was issued ten minutes before "now" here.
        assert_eq!(learn(1_000.0, 1_600.0), -600.0);
        assert_eq!(learn(1_600.0, 1_000.0), 600.0);
    }

    #[test]
    fn small_offsets_are_latency_not_skew() {
        assert_eq!(learn(1_000.0, 1_004.0), 0.0);
        assert_eq!(learn(1_004.9, 1_000.0), 0.0);
        assert_eq!(learn(1_000.0, 1_005.0), -5.0);
    }

    #[test]
    fn offsets_are_capped_at_a_day() {
        assert_eq!(learn(0.0, 1e9), -MAX_OFFSET);
        assert_eq!(learn(1e9, 0.0), MAX_OFFSET);
        assert_eq!(told(1e9, 0.0), Ok(MAX_OFFSET));
    }

    #[test]
    fn a_time_told_outright_sets_the_offset_even_when_small() {
        assert_eq!(told(1_002.0, 1_000.0), Ok(2.0));
        assert!(told(f64::NAN, 1_000.0).is_err());
        assert!(told(f64::INFINITY, 1_000.0).is_err());
    }

    #[test]
    fn an_offset_shared_by_another_tab_is_believed_within_the_cap() {
        assert_eq!(shared(3_600.0), Some(3_600.0));
        assert_eq!(shared(-1e9), Some(-MAX_OFFSET));
        assert_eq!(shared(f64::NAN), None);
    }
}
