//! Content addresses for raw messages and attachments: the SHA-256 of the bytes, so the same
//! mail fetched twice (two folders, two addresses) is stored once and can be re-parsed later.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ContentHash(String);

impl ContentHash {
    pub fn of(bytes: &[u8]) -> Self {
        ContentHash(hex::encode(Sha256::digest(bytes)))
    }

    /// Wraps a hash read back from storage.
    pub fn from_hex(hex: String) -> Self {
        ContentHash(hex)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_same_address() {
        let a = ContentHash::of(b"Subject: x\r\n\r\nhi");
        assert_eq!(a, ContentHash::of(b"Subject: x\r\n\r\nhi"));
        assert_ne!(a, ContentHash::of(b"Subject: x\r\n\r\nho"));
        assert_eq!(a.as_str().len(), 64);
    }
}
