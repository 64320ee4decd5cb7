//! When a store moves its token to memory instead of failing. Pure: the facade opens the backends.

use crate::error::Error;
use crate::hub::Fallback;
use crate::storage::Backend;

/// Whether a store on `backend`, with the `fallback` option set as given, answers `error` from its web
/// storage by moving to memory (`Some`, with what the `fallback` event reports) or by throwing
/// `error` (`None`). Only a blocked or full web storage falls back; memory has nowhere to go.
pub fn fall_back(error: &Error, backend: Backend, fallback: bool) -> Option<Fallback> {
    let reason = match error {
        Error::StorageUnavailable(_) | Error::QuotaExceeded(_) => error.code(),
        _ => return None,
    };
    (fallback && backend != Backend::Memory).then_some(Fallback {
        from: backend,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocked_or_full_web_storage_falls_back_when_allowed() {
        let blocked = Error::StorageUnavailable("blocked".into());
        let full = Error::QuotaExceeded("full".into());
        for backend in [Backend::Local, Backend::Session] {
            assert_eq!(
                fall_back(&blocked, backend, true),
                Some(Fallback {
                    from: backend,
                    reason: "STORAGE_UNAVAILABLE"
                })
            );
            assert_eq!(
                fall_back(&full, backend, true).map(|f| f.reason),
                Some("QUOTA_EXCEEDED")
            );
            assert_eq!(fall_back(&blocked, backend, false), None);
            assert_eq!(fall_back(&full, backend, false), None);
        }
        assert_eq!(fall_back(&full, Backend::Memory, true), None);
    }

    #[test]
    fn other_errors_never_fall_back() {
        let malformed = Error::InvalidToken("nope".into());
        assert_eq!(fall_back(&malformed, Backend::Local, true), None);
    }
}
