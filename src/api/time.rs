//! Timestamps as the Identity APIs write them (`2020-01-08T06:26:08.123059Z`), without a date crate.

/// Milliseconds since the Unix epoch of an ISO 8601 UTC timestamp
/// (`YYYY-MM-DDTHH:MM:SS[.fraction][Z|+00:00]`); `None` for anything else.
pub fn parse_timestamp_ms(text: &str) -> Option<i64> {
    let text = text.trim();
    let text = text
        .strip_suffix('Z')
        .or_else(|| text.strip_suffix("+00:00"))
        .unwrap_or(text);
    let (date, time) = text.split_once('T')?;
    let mut date_parts = date.splitn(3, '-');
    let year: i64 = date_parts.next()?.parse().ok()?;
    let month: u32 = date_parts.next()?.parse().ok()?;
    let day: u32 = date_parts.next()?.parse().ok()?;
    let (clock, fraction) = match time.split_once('.') {
        Some((clock, fraction)) => (clock, fraction),
        None => (time, ""),
    };
    let mut clock_parts = clock.splitn(3, ':');
    let hour: i64 = clock_parts.next()?.parse().ok()?;
    let minute: i64 = clock_parts.next()?.parse().ok()?;
    let second: i64 = clock_parts.next()?.parse().ok()?;
    // Four-digit years only: anything else is not a timestamp these APIs write (and would
    // overflow the arithmetic below).
    if !(0..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
        || hour < 0
        || minute < 0
        || second < 0
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let millis: i64 = format!("{fraction:0<3}").get(..3)?.parse().ok()?;
    let days = days_from_civil(year, month, day);
    Some(((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis)
}

/// Milliseconds since the Unix epoch of an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, the
/// IMF-fixdate form HTTP/1.1 servers must send); `None` for anything else.
pub fn parse_http_date_ms(text: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (_, rest) = text.trim().split_once(", ")?;
    let mut parts = rest.split(' ');
    let (day, month, year, clock, zone) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if zone != "GMT" || parts.next().is_some() {
        return None;
    }
    let month = MONTHS.iter().position(|m| *m == month)? + 1;
    parse_timestamp_ms(&format!("{year}-{month:02}-{day}T{clock}Z"))
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A short human duration: `2 h 05 min`, `4 min 09 s`, `12 s`; zero or less is `0 s`.
pub fn format_remaining(millis: i64) -> String {
    let seconds = millis.max(0) / 1000;
    let (hours, minutes, secs) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    if hours > 0 {
        format!("{hours} h {minutes:02} min")
    } else if minutes > 0 {
        format!("{minutes} min {secs:02} s")
    } else {
        format!("{secs} s")
    }
}

/// Seconds to one decimal, `1.5`, without floating-point formatting (which would add its 10 KB of
/// code to the shell for this one line).
pub fn format_seconds_tenths(millis: u32) -> String {
    let tenths = millis.saturating_add(50) / 100;
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_shown_to_one_decimal_rounded() {
        assert_eq!(format_seconds_tenths(0), "0.0");
        assert_eq!(format_seconds_tenths(500), "0.5");
        assert_eq!(format_seconds_tenths(1_000), "1.0");
        assert_eq!(format_seconds_tenths(1_960), "2.0");
        assert_eq!(format_seconds_tenths(1_949), "1.9");
        assert_eq!(format_seconds_tenths(u32::MAX), "4294967.2");
    }

    #[test]
    fn http_dates_are_read_and_anything_else_is_refused() {
        assert_eq!(
            parse_http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777_000)
        );
        for bad in [
            "",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994",
        ] {
            assert_eq!(parse_http_date_ms(bad), None, "{bad}");
        }
    }
}
