//! Colours for agents and labels, so a supervisor can tell who holds what at a glance.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::DomainError;

/// `#rrggbb`, lowercased. Only this form: it goes into HTML attributes and SVG unescaped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Colour(String);

/// A palette of distinguishable colours handed out in turn when none is given.
const PALETTE: [&str; 8] = [
    "#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777",
];

impl Colour {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let t = s.trim();
        let hex = t.strip_prefix('#').unwrap_or("");
        if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(Colour(format!("#{}", hex.to_ascii_lowercase())))
        } else {
            Err(DomainError::InvalidColour(s.to_string()))
        }
    }

    /// The n-th colour of the default palette, wrapping around.
    pub fn nth_default(n: usize) -> Colour {
        Colour(PALETTE[n % PALETTE.len()].to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Colour {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Colour::parse(&s)
    }
}

impl From<Colour> for String {
    fn from(c: Colour) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hex_triplets_are_colours() {
        assert_eq!(Colour::parse("#AABBCC").unwrap().as_str(), "#aabbcc");
        for bad in ["red", "#abc", "aabbcc", "#aabbcg", "#aabbcc\" onload=\""] {
            assert!(Colour::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(Colour::nth_default(8), Colour::nth_default(0));
    }
}
