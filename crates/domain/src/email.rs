//! Email addresses as a validated newtype: the key that ties a customer's mail to a contact
//! and that outgoing mail is sent to, so header injection (CR/LF) is refused at parse time.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::DomainError;

/// An `addr-spec` (RFC 5322 §3.4.1), stored with the domain lowercased. The local part keeps
/// its case: RFC 5321 says it may matter, though lookups compare case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let err = |why| DomainError::InvalidEmail(s.to_string(), why);
        let s = s.trim();
        if s.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(err("contains whitespace or control characters"));
        }
        let (local, domain) = s.rsplit_once('@').ok_or_else(|| err("missing @"))?;
        if local.is_empty() || domain.is_empty() {
            return Err(err("empty local part or domain"));
        }
        if local.contains('@') && !local.starts_with('"') {
            return Err(err("more than one @"));
        }
        if domain.starts_with('.') || domain.ends_with('.') || domain.contains("..") {
            return Err(err("malformed domain"));
        }
        if s.len() > 320 {
            return Err(err("longer than 320 characters"));
        }
        Ok(EmailAddress(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
    }

    /// The form used for lookups: customers type `Taro@Example.JP` one day and
    /// `taro@example.jp` the next, and mean the same mailbox.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        EmailAddress::parse(&s)
    }
}

impl From<EmailAddress> for String {
    fn from(e: EmailAddress) -> String {
        e.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_the_domain() {
        let a = EmailAddress::parse(" Taro.Yamada@Example.CO.JP ").unwrap();
        assert_eq!(a.as_str(), "Taro.Yamada@example.co.jp");
        assert_eq!(a.domain(), "example.co.jp");
        assert_eq!(a.normalized(), "taro.yamada@example.co.jp");
    }

    #[test]
    fn refuses_header_injection_and_garbage() {
        for bad in [
            "a@b.c\r\nBcc: x@y.z",
            "no-at-sign",
            "@example.com",
            "a@",
            "a b@c.d",
            "a@b..c",
            "a@@b.c",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
