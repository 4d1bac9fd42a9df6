//! Time, injectable: the engine polls and measures through [`Clock`], so
//! tests run a ten-minute deploy in no time and print the same elapsed
//! times on every run.

use std::cell::Cell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub trait Clock {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
    fn sleep(&self, duration: Duration);
}

/// The machine's clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or_default()
    }

    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration)
    }
}

/// A clock that only moves when slept on.
pub struct FakeClock {
    now: Cell<i64>,
}

impl FakeClock {
    pub fn starting_at(ms: i64) -> FakeClock {
        FakeClock { now: Cell::new(ms) }
    }
}

impl Clock for FakeClock {
    fn now_ms(&self) -> i64 {
        self.now.get()
    }

    fn sleep(&self, duration: Duration) {
        self.now.set(self.now.get() + duration.as_millis() as i64);
    }
}

/// `1m05s`, `12s`: an elapsed time as a person reads it.
pub fn elapsed(ms: i64) -> String {
    let seconds = ms.max(0) / 1000;
    if seconds >= 60 {
        format!("{}m{:02}s", seconds / 60, seconds % 60)
    } else {
        format!("{seconds}s")
    }
}

/// `14:03:27`: the UTC time of day of an epoch timestamp.
pub fn time_of_day(ms: i64) -> String {
    let seconds = ms.div_euclid(1000).rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_a_person_writes_them() {
        assert_eq!(elapsed(0), "0s");
        assert_eq!(elapsed(59_999), "59s");
        assert_eq!(elapsed(65_000), "1m05s");
        assert_eq!(time_of_day(1_765_000_000_000), "05:46:40");
        assert_eq!(time_of_day(86_399_000), "23:59:59");
    }

    #[test]
    fn the_fake_clock_moves_only_when_slept_on() {
        let clock = FakeClock::starting_at(1_000);
        assert_eq!(clock.now_ms(), 1_000);
        clock.sleep(Duration::from_secs(2));
        assert_eq!(clock.now_ms(), 3_000);
    }
}
