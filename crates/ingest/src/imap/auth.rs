//! SASL XOAUTH2 for `AUTHENTICATE XOAUTH2` (Google's and Microsoft's
//! profile: <https://developers.google.com/gmail/imap/xoauth2-protocol>).
//! async-imap base64-encodes what [`XOAuth2::process`] returns.

use async_imap::Authenticator;

/// The XOAUTH2 exchange for one login. Its `Debug` hides the token.
pub(crate) struct XOAuth2 {
    user: String,
    token: String,
    sent: bool,
}

impl XOAuth2 {
    pub(crate) fn new(user: &str, token: &str) -> Self {
        Self {
            user: user.to_owned(),
            token: token.to_owned(),
            sent: false,
        }
    }
}

impl std::fmt::Debug for XOAuth2 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "XOAuth2 {{ user: {:?}, token: *** }}", self.user)
    }
}

/// The initial client response: `user=U ^A auth=Bearer T ^A ^A`.
pub(crate) fn xoauth2_response(user: &str, token: &str) -> String {
    format!("user={user}\x01auth=Bearer {token}\x01\x01")
}

impl Authenticator for XOAuth2 {
    type Response = String;

    /// First challenge (empty): the credentials. On failure the server sends
    /// a second challenge carrying a JSON error, which must be answered with
    /// an empty response so the server can finish with a tagged NO.
    fn process(&mut self, _challenge: &[u8]) -> String {
        if self.sent {
            return String::new();
        }
        self.sent = true;
        xoauth2_response(&self.user, &self.token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The test Dovecot has no OAuth2 backend, so XOAUTH2 is tested here only:
    // the string and the empty answer to the error challenge.
    #[test]
    fn sasl_string_matches_the_spec_example() {
        // From Google's XOAUTH2 documentation.
        assert_eq!(
            xoauth2_response(
                "someuser@example.com",
                "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"
            ),
            "user=someuser@example.com\x01auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01"
        );
    }

    #[test]
    fn error_challenge_gets_an_empty_answer() {
        let mut auth = XOAuth2::new("u@example.test", "s3cret-t0ken");
        assert_eq!(
            auth.process(b""),
            "user=u@example.test\x01auth=Bearer s3cret-t0ken\x01\x01"
        );
        assert_eq!(auth.process(br#"{"status":"401"}"#), "");
        assert!(!format!("{auth:?}").contains("s3cret"));
    }
}
