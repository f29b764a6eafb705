//! Our outgoing Message-IDs carry a signed ticket reference (FreeScout's rule), so a reply
//! finds its ticket from In-Reply-To/References alone, and a stranger cannot forge their way
//! into another customer's ticket by guessing numbers.
//!
//! Shape: `hako.<ticket id>.<nonce>.<sig>@<domain>`, where `sig` is the first 20 hex digits of
//! HMAC-SHA256(key, "<ticket id>.<nonce>"). The nonce makes every Message-ID unique; the key
//! is generated once per installation and kept in the database.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::TicketId;

const PREFIX: &str = "hako.";
const SIG_HEX: usize = 20;

/// The installation's signing key.
#[derive(Clone)]
pub struct SigningKey(Vec<u8>);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(***)")
    }
}

impl SigningKey {
    pub fn new(bytes: Vec<u8>) -> Self {
        SigningKey(bytes)
    }

    fn sign(&self, payload: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(payload.as_bytes());
        hex::encode(mac.finalize().into_bytes())[..SIG_HEX].to_string()
    }

    /// A new Message-ID (without angle brackets) for a message on `ticket`. `nonce` must be
    /// unique per message (the caller passes random hex).
    pub fn message_id(&self, ticket: TicketId, nonce: &str, domain: &str) -> String {
        let payload = format!("{}.{nonce}", ticket.0);
        format!("{PREFIX}{payload}.{}@{domain}", self.sign(&payload))
    }

    /// The ticket a Message-ID of ours refers to, if the signature checks out.
    pub fn verify(&self, message_id: &str) -> Option<TicketId> {
        let id = message_id
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>');
        let local = id.split_once('@')?.0.strip_prefix(PREFIX)?;
        let (payload, sig) = local.rsplit_once('.')?;
        let (ticket, nonce) = payload.split_once('.')?;
        if nonce.is_empty() || sig.len() != SIG_HEX {
            return None;
        }
        // Constant-time comparison through the MAC itself.
        let expected = self.sign(payload);
        let same = expected
            .bytes()
            .zip(sig.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b.to_ascii_lowercase()));
        (same == 0)
            .then(|| ticket.parse().ok().map(TicketId))
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_ids_verify_and_forgeries_do_not() {
        let key = SigningKey::new(b"installation key".to_vec());
        let id = key.message_id(TicketId(42), "a1b2c3", "example.test");
        assert!(id.starts_with("hako.42.a1b2c3."), "{id}");
        assert_eq!(key.verify(&id), Some(TicketId(42)));
        assert_eq!(key.verify(&format!("<{id}>")), Some(TicketId(42)));
        // Another ticket number with the same signature is refused.
        let forged = id.replacen("hako.42.", "hako.43.", 1);
        assert_eq!(key.verify(&forged), None);
        // Another installation's key does not verify ours.
        let other = SigningKey::new(b"other".to_vec());
        assert_eq!(other.verify(&id), None);
        for junk in [
            "",
            "hako.@x",
            "hako.42.@x",
            "CAF=abc@mail.gmail.com",
            "hako.x.y.z@q",
        ] {
            assert_eq!(key.verify(junk), None, "{junk}");
        }
        assert!(!format!("{key:?}").contains("installation"));
    }
}
