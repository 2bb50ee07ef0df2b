//! Addresses that leave the console as text: configured URLs (they become the Content-Security-
//! Policy's `connect-src` and the nginx snippet) and the catalog's endpoints and regions (they are
//! pasted into a shell and into `~/.aws/credentials`). Each is accepted only in a shape that
//! cannot break out of where it is written.

/// Whitespace and control characters (a browser drops some, a shell, INI file or CSP splits on
/// them), and `;` `"` `'` `\` `` ` `` (they end a CSP directive, an nginx string or a shell quote).
fn breaks_out(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, ';' | '"' | '\'' | '\\' | '`')
}

fn host_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')
}

/// `scheme://host[:port]` of an absolute `http://` or `https://` URL, built from its parts; or
/// why the URL is refused, in words for the operator who wrote it.
pub fn http_origin(url: &str) -> Result<String, String> {
    if let Some(c) = url.chars().find(|c| breaks_out(*c)) {
        return Err(format!(
            "contains {c:?}: spaces, control characters and ; \" ' \\ ` are not allowed in it"
        ));
    }
    let lower = url.to_ascii_lowercase();
    let scheme = if lower.starts_with("https://") {
        "https"
    } else if lower.starts_with("http://") {
        "http"
    } else {
        return Err("must be an absolute http:// or https:// URL".to_string());
    };
    let rest = &url[scheme.len() + 3..];
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("must not carry a user name or password (user@host)".to_string());
    }
    let (host, port) = match authority.strip_prefix('[') {
        // An IPv6 literal: `[…]`, then an optional `:port`.
        Some(inner) => {
            let (address, after) = inner.split_once(']').unwrap_or((inner, "!"));
            let valid = !address.is_empty()
                && address
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
            (valid.then(|| format!("[{address}]")), after)
        }
        None => match authority.split_once(':') {
            Some((host, _)) => (Some(host.to_string()), &authority[host.len()..]),
            None => (Some(authority.to_string()), ""),
        },
    };
    let host = host
        .filter(|h| !h.is_empty() && (h.starts_with('[') || h.chars().all(host_char)))
        .ok_or_else(|| {
            "must name a host (letters, digits, '-' and '.') after the scheme".to_string()
        })?;
    let port = match port.strip_prefix(':') {
        None if port.is_empty() => String::new(),
        Some(digits)
            if !digits.is_empty()
                && digits.len() <= 5
                && digits.bytes().all(|b| b.is_ascii_digit()) =>
        {
            match digits.parse::<u32>() {
                Ok(n) if (1..=65_535).contains(&n) => format!(":{n}"),
                _ => return Err(format!("has port {digits}, which is not 1 to 65535")),
            }
        }
        _ => return Err("has a port that is not a number".to_string()),
    };
    Ok(format!("{scheme}://{}{port}", host.to_ascii_lowercase()))
}

/// A region name as catalogs write them (`RegionOne`, `eu-de`, `cn-north-4`): nothing a shell or
/// an INI file would read as more than one word.
pub fn is_region_name(region: &str) -> bool {
    !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_built_from_their_parts() {
        for (url, origin) in [
            ("http://127.0.0.1:5000/v3", "http://127.0.0.1:5000"),
            (
                "https://Keystone.Example.com/identity/v3/",
                "https://keystone.example.com",
            ),
            ("HTTPS://iam.example.com", "https://iam.example.com"),
            ("http://[::1]:5000/v3", "http://[::1]:5000"),
            ("https://k.example.com?x#y", "https://k.example.com"),
        ] {
            assert_eq!(http_origin(url).as_deref(), Ok(origin), "{url}");
        }
    }

    #[test]
    fn urls_that_would_break_out_are_refused() {
        for url in [
            "https://k.example.com *",
            "https://k.example.com;script-src *",
            "https://k.example.com\"; add_header X y",
            "https://k.example.com'",
            "https://k.example.com\n[default]",
            "https://k.example.com\t",
            "https://user:pass@k.example.com",
            "https://k.example.com:99999",
            "https://k.example.com:80x",
            "https://",
            "https://$(touch /tmp/x)",
            "ftp://k.example.com",
            "javascript:alert(1)",
            "//k.example.com",
        ] {
            assert!(http_origin(url).is_err(), "{url:?} was accepted");
        }
    }

    #[test]
    fn regions_are_single_words() {
        assert!(is_region_name("RegionOne"));
        assert!(is_region_name("cn-north-4"));
        for region in ["", "eu de", "x\n[default]", "$(id)", "a;b", "région"] {
            assert!(!is_region_name(region), "{region:?}");
        }
    }
}
