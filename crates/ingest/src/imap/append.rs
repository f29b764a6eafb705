//! APPEND (RFC 3501 §6.3.11): a copy of a reply we sent into the account's Sent folder,
//! flagged `\Seen`. A folder that does not exist yet (`NO [TRYCREATE]`) is created and the
//! append tried once more.

use super::client::Client;
use super::command::{network, within};
use super::error::ImapError;
use super::wire::quoted_mailbox;

impl Client {
    /// Appends `raw` to `folder` as a read message, creating the folder if the server says
    /// it does not exist.
    pub async fn append_seen(&mut self, folder: &str, raw: &[u8]) -> Result<(), ImapError> {
        let op = "copy a reply to the Sent folder";
        let target = quoted_mailbox(folder).map_err(|reason| ImapError::Usage {
            at: self.here(),
            op,
            reason,
        })?;
        match self.append_once(op, folder, raw).await {
            // async-imap drops the response code, so `[TRYCREATE]` cannot be told from other
            // refusals: try to create the folder (an existing one just answers NO) and append
            // once more; a second refusal is the answer.
            Err(ImapError::Refused { .. }) => {
                let _ = self
                    .run(
                        "create the Sent folder",
                        &format!("CREATE {target}"),
                        |_| {},
                    )
                    .await;
                self.append_once(op, folder, raw).await
            }
            other => other,
        }
    }

    async fn append_once(
        &mut self,
        op: &'static str,
        folder: &str,
        raw: &[u8],
    ) -> Result<(), ImapError> {
        let at = self.account.in_folder(folder);
        let limit = self.timeout;
        let Some(session) = self.session.as_mut() else {
            return Err(ImapError::Closed { at, op });
        };
        // async-imap checks APPEND's tagged response (unlike its search and fetch).
        let result = within(
            limit,
            &at,
            op,
            session.append(folder, Some("(\\Seen)"), None, raw),
        )
        .await?;
        result.map_err(|source| match source {
            // No continuation: the server refused at once (NO [TRYCREATE] for a missing
            // folder); the tagged answer was read, so the connection is still usable.
            async_imap::error::Error::Append => ImapError::Refused {
                at: at.clone(),
                op,
                kind: super::error::ErrorKind::Config,
                response: "NO (the server refused the APPEND; does the folder exist?)".into(),
            },
            async_imap::error::Error::No(text) | async_imap::error::Error::Bad(text) => {
                ImapError::Refused {
                    at: at.clone(),
                    op,
                    kind: super::error::refusal_kind(&text),
                    response: text,
                }
            }
            other => {
                // The connection's state is unknown after a network error.
                self.session = None;
                network(&at, op, other)
            }
        })
    }
}
