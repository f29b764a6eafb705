//! What happens to mail on the server after ingest (`after_ingest`): mark
//! it `\Seen`, or move it to another folder. hako never sets `\Deleted` and
//! never expunges: without the MOVE extension (RFC 6851) a "move" is a
//! COPY plus `\Seen`, and the original stays where it was.

use super::client::Client;
use super::error::ImapError;
use super::wire::{quoted_mailbox, uid_set};

impl Client {
    /// Sets `\Seen` on `uids` in the selected folder. Needs a folder opened
    /// read-write (`after_ingest` other than "leave").
    pub async fn mark_seen(&mut self, uids: &[u32]) -> Result<(), ImapError> {
        let op = "mark mail as seen";
        self.require_write(op)?;
        if uids.is_empty() {
            return Ok(());
        }
        let command = format!("UID STORE {} +FLAGS.SILENT (\\Seen)", uid_set(uids));
        self.run(op, &command, |_| {}).await.map(drop)
    }

    /// Moves `uids` from the selected folder to `folder` (which must
    /// exist) with UID MOVE. Servers without MOVE get UID COPY and
    /// [`mark_seen`](Self::mark_seen) instead; the originals then stay in
    /// place, and a later sync skips them because their UIDs are below the
    /// stored cursor. Check [`has_move`](Self::has_move) to know which.
    pub async fn move_to(&mut self, uids: &[u32], folder: &str) -> Result<(), ImapError> {
        let op = "move mail";
        self.require_write(op)?;
        let target = quoted_mailbox(folder).map_err(|reason| ImapError::Usage {
            at: self.here(),
            op,
            reason,
        })?;
        if uids.is_empty() {
            return Ok(());
        }
        let set = uid_set(uids);
        if self.has_move() {
            return self
                .run(op, &format!("UID MOVE {set} {target}"), |_| {})
                .await
                .map(drop);
        }
        self.run(op, &format!("UID COPY {set} {target}"), |_| {})
            .await?;
        self.mark_seen(uids).await
    }
}
