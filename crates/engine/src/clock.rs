//! The engine's one source of time. Every timestamp Keyport stores, every
//! "older than" comparison and every token expiry check asks the engine's
//! [`Clock`], so tests make time pass with a [`ManualClock`] instead of
//! rewriting stored rows.

use std::sync::{Arc, Mutex, PoisonError};

use time::OffsetDateTime;

pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The operating system's clock, in UTC.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock that stands still until a test moves it. Clones share the time.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<OffsetDateTime>>);

impl ManualClock {
    pub fn at(time: OffsetDateTime) -> ManualClock {
        ManualClock(Arc::new(Mutex::new(time)))
    }

    /// Starts at the system's current time (so tokens signed now are valid).
    pub fn starting_now() -> ManualClock {
        ManualClock::at(OffsetDateTime::now_utc())
    }

    pub fn advance(&self, by: time::Duration) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// UTC as RFC 3339 with milliseconds (`2026-11-23T06:05:57.123Z`): sorts as
/// text, reads as a date. Every timestamp Keyport stores has this form.
pub fn format_timestamp(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.millisecond()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc_with_milliseconds_and_sort_as_text() {
        let at = time::macros::datetime!(2026-11-23 06:05:57.123 +02:00);
        assert_eq!(format_timestamp(at), "2026-11-23T04:05:57.123Z");
        let later = at + time::Duration::milliseconds(1);
        assert!(format_timestamp(later) > format_timestamp(at));
    }

    #[test]
    fn a_manual_clock_moves_only_when_told_and_clones_share_it() {
        let clock = ManualClock::at(time::macros::datetime!(2026-01-01 0:00 UTC));
        let shared = clock.clone();
        clock.advance(time::Duration::minutes(2));
        assert_eq!(shared.now(), time::macros::datetime!(2026-01-01 0:02 UTC));
    }
}
