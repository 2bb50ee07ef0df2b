//! When a read is tried again: a busy (429) or briefly unavailable (503) server is asked at most
//! [`MAX_RETRIES`] more times, waiting what its `Retry-After` says or else backing off
//! exponentially. Writes are never repeated: a create that reached the server must not run twice.

use super::time::parse_http_date_ms;

pub const MAX_RETRIES: u32 = 3;
/// The first back-off; each further retry waits twice as long.
const FIRST_DELAY_MS: u32 = 500;
/// A server asking for a longer wait than this is answered with its error at once, rather than
/// leaving the user in front of a spinner.
pub const LONGEST_WAIT_MS: u32 = 10_000;

/// How long to wait before asking again, after `retries_done` retries of a read answered with
/// `status`; `None` when the answer stands.
pub fn delay_before_retry(
    retries_done: u32,
    status: u16,
    retry_after: Option<&str>,
    now_ms: i64,
) -> Option<u32> {
    if !matches!(status, 429 | 503) || retries_done >= MAX_RETRIES {
        return None;
    }
    let asked = retry_after.and_then(|value| retry_after_ms(value, now_ms));
    let delay = asked.unwrap_or(FIRST_DELAY_MS << retries_done);
    (delay <= LONGEST_WAIT_MS).then_some(delay)
}

/// `Retry-After` as a wait in milliseconds: delta-seconds or an HTTP date (a date already past
/// means no wait).
fn retry_after_ms(value: &str, now_ms: i64) -> Option<u32> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(u32::try_from(seconds.saturating_mul(1000)).unwrap_or(u32::MAX));
    }
    let wait = parse_http_date_ms(value)?.saturating_sub(now_ms).max(0);
    Some(u32::try_from(wait).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 784_111_777_000; // Sun, 06 Nov 1994 08:49:37 GMT

    #[test]
    fn only_busy_and_unavailable_answers_are_retried_at_most_three_times() {
        for status in [200, 400, 401, 403, 404, 409, 413, 415, 500, 502, 504] {
            assert_eq!(delay_before_retry(0, status, None, NOW), None, "{status}");
        }
        let waits: Vec<_> = (0..5)
            .map(|done| delay_before_retry(done, 503, None, NOW))
            .collect();
        assert_eq!(waits, [Some(500), Some(1000), Some(2000), None, None]);
        assert_eq!(delay_before_retry(0, 429, None, NOW), Some(500));
    }

    #[test]
    fn retry_after_is_honoured_in_seconds_or_as_a_date_and_a_long_wait_is_not_sat_out() {
        assert_eq!(delay_before_retry(0, 429, Some("2"), NOW), Some(2000));
        assert_eq!(delay_before_retry(2, 503, Some(" 0 "), NOW), Some(0));
        assert_eq!(
            delay_before_retry(0, 503, Some("Sun, 06 Nov 1994 08:49:40 GMT"), NOW),
            Some(3000)
        );
        assert_eq!(
            delay_before_retry(0, 503, Some("Sun, 06 Nov 1994 08:00:00 GMT"), NOW),
            Some(0),
            "a date already past"
        );
        assert_eq!(delay_before_retry(0, 429, Some("3600"), NOW), None);
        assert_eq!(
            delay_before_retry(0, 429, Some("99999999999999999999"), NOW),
            None
        );
        assert_eq!(
            delay_before_retry(1, 503, Some("soon"), NOW),
            Some(1000),
            "an unreadable value falls back to backing off"
        );
        assert_eq!(delay_before_retry(3, 429, Some("1"), NOW), None);
    }
}
