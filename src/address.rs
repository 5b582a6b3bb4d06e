//! Email address validation shared by the header check, policies and rendering: a plain
//! `local@domain.tld` with no whitespace, control characters or characters that need quoting.

/// Whether `address` is an address pimrules accepts (a conservative subset of RFC 5322's addr-spec).
pub fn is_valid(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return false;
    };
    let allowed_local = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c);
    let allowed_domain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    !local.is_empty()
        && local.len() <= 64
        && address.len() <= 254
        && local.chars().all(allowed_local)
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && domain.contains('.')
        && domain.chars().all(allowed_domain)
        && domain
            .split('.')
            .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
}

#[cfg(test)]
mod tests {
    use super::is_valid;

    #[test]
    fn accepts_plain_addresses() {
        assert!(is_valid("MSSecurity-noreply@microsoft.com"));
        assert!(is_valid("first.last+tag@sub.contoso.com"));
    }

    #[test]
    fn rejects_malformed_and_injected_addresses() {
        for bad in [
            "",
            "no-at-sign",
            "@contoso.com",
            "user@",
            "user@localhost",
            "user name@contoso.com",
            "user@contoso.com\r\nBcc: x@evil.com",
            "<user@contoso.com>",
            "user@-contoso.com",
            "a..b@contoso.com",
            "user@contoso..com",
        ] {
            assert!(!is_valid(bad), "{bad:?} should be rejected");
        }
    }
}
