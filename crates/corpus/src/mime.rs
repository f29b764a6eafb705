//! MIME structure (RFC 2045–2046): text parts in a mailer's charset and transfer encoding,
//! multipart/alternative, /related and /mixed, attachments with their names encoded the way
//! the sending mailer encodes them, and the whole message written with CRLF line ends.

use crate::encode::{self, Charset, base64_lines, quoted_printable, to_bytes};
use crate::people::{Client, Cte, Mailer};
use crate::rng::Rng;

pub(crate) enum Part {
    Leaf {
        /// Complete header lines without the final CRLF (folded lines use CRLF SP).
        headers: Vec<String>,
        /// Transfer-encoded body, CRLF line ends.
        body: Vec<u8>,
    },
    Multi {
        subtype: &'static str,
        /// Extra Content-Type parameters, e.g. `report-type=delivery-status`.
        params: String,
        boundary: String,
        parts: Vec<Part>,
    },
}

impl Part {
    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Part::Leaf { headers, body } => {
                for h in headers {
                    out.extend_from_slice(h.as_bytes());
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"\r\n");
                out.extend_from_slice(body);
            }
            Part::Multi {
                subtype,
                params,
                boundary,
                parts,
            } => {
                out.extend_from_slice(
                    format!("Content-Type: multipart/{subtype};{params}\r\n\tboundary=\"{boundary}\"\r\n\r\n").as_bytes(),
                );
                if *subtype == "mixed" {
                    out.extend_from_slice(b"This is a multi-part message in MIME format.\r\n");
                }
                for p in parts {
                    out.extend_from_slice(format!("\r\n--{boundary}\r\n").as_bytes());
                    p.write(out);
                }
                out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
            }
        }
    }
}

/// A boundary in the style of `client`.
pub(crate) fn boundary(rng: &mut Rng, client: Client) -> String {
    match client {
        Client::Outlook => format!(
            "_000_{}_",
            rng.token(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 40)
        ),
        Client::Gmail => format!("000000000000{}", rng.hex(16)),
        Client::AppleMail | Client::IPhone => format!("Apple-Mail-{}", rng.hex(8).to_uppercase()),
        Client::Thunderbird => format!(
            "------------{}",
            rng.token(
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                24
            )
        ),
        _ => format!(
            "----=_Part_{}_{}.{}",
            rng.range(1000, 99999),
            rng.range(100_000, 999_999),
            rng.range(1_000_000_000, 9_999_999_999)
        ),
    }
}

/// A text part: `subtype` is `plain` or `html`; `text` has `\n` line ends.
pub(crate) fn text(m: &Mailer, subtype: &str, text: &str) -> Part {
    let charset = m.charset.for_text(text);
    let crlf = text.replace('\n', "\r\n");
    let data = to_bytes(charset, &crlf);
    // 7bit promises ASCII bytes; a fallback to UTF-8 needs an encoding that can carry it.
    let cte = match (charset, m.cte) {
        (Charset::Iso2022Jp, _) => Cte::SevenBit,
        (_, Cte::SevenBit) if !data.is_ascii() => Cte::QuotedPrintable,
        (_, cte) => cte,
    };
    let cte = if subtype == "html" && cte == Cte::SevenBit && m.client == Client::Outlook {
        Cte::QuotedPrintable
    } else {
        cte
    };
    let label = if charset == Charset::ShiftJis && m.cp932_label {
        "windows-31j"
    } else {
        charset.label()
    };
    let ctype = match (m.client, subtype) {
        (Client::Thunderbird, "plain") => {
            format!("Content-Type: text/plain; charset={label}; format=flowed")
        }
        (Client::Thunderbird | Client::Becky | Client::Carrier, _) => {
            format!("Content-Type: text/{subtype}; charset={label}")
        }
        _ => format!("Content-Type: text/{subtype}; charset=\"{label}\""),
    };
    let mut body = Vec::with_capacity(data.len() * 4 / 3 + 64);
    match cte {
        Cte::Base64 => base64_lines(&data, &mut body),
        Cte::QuotedPrintable => quoted_printable(&data, &mut body),
        Cte::SevenBit | Cte::EightBit => {
            body.extend_from_slice(&data);
            if !body.ends_with(b"\r\n") {
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    Part::Leaf {
        headers: vec![ctype, format!("Content-Transfer-Encoding: {}", cte.name())],
        body,
    }
}

/// An attachment; its name encoded as `m`'s mailer does (encoded-words in quotes from
/// Outlook, Gmail and Becky!, RFC 2231 from Thunderbird, Apple and business systems).
pub(crate) fn attachment(
    m: &Mailer,
    name: &str,
    ctype: &str,
    data: &[u8],
    inline_cid: Option<&str>,
) -> Part {
    let charset = if m.charset == Charset::Ascii {
        Charset::Utf8
    } else {
        m.charset
    };
    let (ct_name, disp_name) = match m.client {
        Client::Outlook | Client::Gmail | Client::Becky | Client::Carrier => {
            let w = encode::encoded_words(charset, name).replace("\r\n ", " ");
            (format!("name=\"{w}\""), format!("filename=\"{w}\""))
        }
        _ => (
            encode::rfc2231("name", charset, name),
            encode::rfc2231("filename", charset, name),
        ),
    };
    let disposition = if inline_cid.is_some() {
        "inline"
    } else {
        "attachment"
    };
    let mut headers = vec![
        format!("Content-Type: {ctype};\r\n {ct_name}"),
        format!("Content-Disposition: {disposition};\r\n {disp_name}"),
        "Content-Transfer-Encoding: base64".to_string(),
    ];
    if let Some(cid) = inline_cid {
        headers.push(format!("Content-ID: <{cid}>"));
    }
    let mut body = Vec::with_capacity(data.len() * 4 / 3 + data.len() / 38 + 4);
    base64_lines(data, &mut body);
    Part::Leaf { headers, body }
}

/// A whole message: top-level header lines, then MIME-Version and the root part.
pub(crate) fn message(headers: &[String], root: &Part) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 * 1024);
    for h in headers {
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"MIME-Version: 1.0\r\n");
    root.write(&mut out);
    out
}
