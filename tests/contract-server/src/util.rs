//! Small helpers: times in the IAM documents' form, random keys, request ids.

use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as `2020-01-08T06:26:08.123059Z`.
pub fn now_timestamp() -> String {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    format_timestamp(since_epoch.as_secs() as i64, since_epoch.subsec_micros())
}

pub fn format_timestamp(seconds: i64, micros: u32) -> String {
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        of_day / 3600,
        (of_day % 3600) / 60,
        of_day % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `length` characters drawn uniformly from `alphabet`, from the kernel's random source.
pub fn random_string(alphabet: &[u8], length: usize) -> String {
    let mut out = String::with_capacity(length);
    let mut source = std::fs::File::open("/dev/urandom").ok();
    let mut byte = [0u8; 1];
    // Rejection sampling keeps every character equally likely.
    let limit = 256 - (256 % alphabet.len());
    while out.len() < length {
        let ok = source
            .as_mut()
            .is_some_and(|f| f.read_exact(&mut byte).is_ok());
        if !ok {
            // No random source at all: fall back on the clock (a test server only).
            byte[0] = (SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .subsec_nanos()
                % 256) as u8;
        }
        if usize::from(byte[0]) < limit {
            out.push(alphabet[usize::from(byte[0]) % alphabet.len()] as char);
        }
    }
    out
}

pub fn request_id(counter: u64) -> String {
    format!("req-{}-{counter:06}", random_string(b"0123456789abcdef", 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_the_documented_form() {
        assert_eq!(
            format_timestamp(1_578_464_768, 123_059),
            "2020-01-08T06:26:08.123059Z"
        );
        assert_eq!(format_timestamp(0, 0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(
            format_timestamp(951_782_400, 0),
            "2000-02-29T00:00:00.000000Z"
        );
        assert_eq!(now_timestamp().len(), "2020-01-08T06:26:08.123059Z".len());
    }

    #[test]
    fn random_strings_use_only_the_alphabet() {
        let text = random_string(b"AB", 64);
        assert_eq!(text.len(), 64);
        assert!(text.chars().all(|c| c == 'A' || c == 'B'));
        assert_ne!(
            random_string(b"0123456789", 20),
            random_string(b"0123456789", 20)
        );
    }
}
