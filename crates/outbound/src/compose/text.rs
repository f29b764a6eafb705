//! The text of a reply as the customer reads it: the agent's body, the inbox's signature, and
//! the quoted message under a "date who:" line with `> ` before each of its lines.

use super::Reply;

/// The text as the customer will read it, lines ending in LF.
pub(super) fn text_of(r: &Reply<'_>) -> String {
    let mut text = r.body.trim_end().replace("\r\n", "\n");
    if !r.signature.trim().is_empty() {
        text.push_str("\n\n");
        text.push_str(r.signature.trim_end());
    }
    if let Some(q) = r.quote {
        let when = q.date.format("%Y-%m-%d %H:%M UTC");
        text.push_str(&format!("\n\n{when} {}:\n", q.who));
        for line in q.text.lines() {
            text.push_str(if line.is_empty() { ">" } else { "> " });
            text.push_str(line);
            text.push('\n');
        }
    }
    text.push('\n');
    text
}
