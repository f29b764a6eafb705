//! A reply's attachments: each a base64 part (RFC 2045 §6.8) after the text, with
//! `Content-Disposition: attachment` naming the file per RFC 2231 (lettre writes
//! `filename*0*=utf-8''…`), and the same name as `name=` on Content-Type: an RFC 2047
//! encoded-word inside the quotes. RFC 2047 §5 does not allow that, but Outlook and Thunderbird
//! write it, and older Japanese groupware reads only it (without it the file shows as
//! "ATT00001").

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, SinglePart};

use super::ComposeError;
use super::charset::{Charset, encoded_words};

/// A file sent with a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// As the customer will see it; no directories.
    pub filename: String,
    /// A MIME type such as `application/pdf`, parameters allowed.
    pub content_type: String,
    pub data: Vec<u8>,
}

/// What filesystems allow for one name; longer names could not be saved anyway.
const MAX_FILENAME_BYTES: usize = 255;

fn refuse(filename: &str, why: &str) -> ComposeError {
    ComposeError::Unsafe(format!("attachment {filename:?}: {why}"))
}

fn check_filename(name: &str) -> Result<(), ComposeError> {
    if name.trim().is_empty() {
        return Err(refuse(name, "the filename is empty"));
    }
    if name.chars().any(char::is_control) {
        return Err(refuse(name, "the filename contains control characters"));
    }
    if name.contains(['/', '\\']) {
        return Err(refuse(name, "the filename contains a path separator"));
    }
    if name.len() > MAX_FILENAME_BYTES {
        return Err(refuse(name, "the filename is longer than 255 bytes"));
    }
    Ok(())
}

/// The attachment as a MIME part.
pub(crate) fn part(a: &Attachment) -> Result<SinglePart, ComposeError> {
    check_filename(&a.filename)?;
    let given = a.content_type.trim();
    ContentType::parse(given).map_err(|e| {
        refuse(
            &a.filename,
            &format!("the content type {given:?} does not parse: {e}"),
        )
    })?;
    let essence = given.split(';').next().unwrap_or("").trim();
    let top = essence.split('/').next().unwrap_or("");
    if top.eq_ignore_ascii_case("multipart") || top.eq_ignore_ascii_case("message") {
        // RFC 2046 §5: these may not be base64-encoded, and hako does not build them.
        return Err(refuse(
            &a.filename,
            &format!("the content type {essence} cannot be attached"),
        ));
    }
    let plain = a.filename.chars().all(|c| c.is_ascii_graphic() || c == ' ');
    let name = if plain && !a.filename.contains('"') {
        a.filename.clone()
    } else {
        // 68 leaves room for ` name="` and the closing quote on a folded line.
        encoded_words(&a.filename, Charset::Utf8, 68)
    };
    let content_type = ContentType::parse(&format!("{given}; name=\"{name}\"")).map_err(|e| {
        refuse(
            &a.filename,
            &format!("cannot name the file in its content type: {e}"),
        )
    })?;
    let body = Body::new_with_encoding(a.data.clone(), ContentTransferEncoding::Base64)
        .unwrap_or_else(|_| unreachable!("base64 takes any bytes"));
    Ok(lettre::message::Attachment::new(a.filename.clone()).body(body, content_type))
}

/// The media type for a file name, from its extension: the common types a support team
/// sends; anything else is `application/octet-stream` (the client offers to save it).
pub fn content_type_for(filename: &str) -> &'static str {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "zip" => "application/zip",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "xls" => "application/vnd.ms-excel",
        "doc" => "application/msword",
        _ => "application/octet-stream",
    }
}
