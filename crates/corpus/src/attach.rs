//! Attachments customers send: PDFs (invoices, quotes, forms), screenshots and phone photos,
//! spreadsheets, and Outlook's inline signature logo. The content is random after a real
//! file signature: incompressible, like the compressed formats it stands for. Sizes follow
//! what such files weigh; phone photos are the few large mails.

use chrono::{DateTime, FixedOffset};

use crate::people::{Client, Lang};
use crate::rng::Rng;

pub(crate) struct File {
    pub name: String,
    pub ctype: &'static str,
    pub data: Vec<u8>,
}

fn content(rng: &mut Rng, magic: &[u8], trailer: &[u8], size: usize) -> Vec<u8> {
    let mut data = vec![0u8; size.max(magic.len() + trailer.len())];
    rng.fill(&mut data);
    data[..magic.len()].copy_from_slice(magic);
    let n = data.len();
    data[n - trailer.len()..].copy_from_slice(trailer);
    data
}

/// A file a customer attaches to an inquiry or reply.
pub(crate) fn customer_file(
    rng: &mut Rng,
    lang: Lang,
    client: Client,
    when: DateTime<FixedOffset>,
) -> File {
    let kind = rng.weighted(&[45, 28, 10, 17]);
    match kind {
        0 => {
            let name = match lang {
                Lang::Ja => rng
                    .pick(&[
                        "請求書.pdf",
                        "御見積書_2026年度.pdf",
                        "注文書（控え）.pdf",
                        "申込書①.pdf",
                        "セキュリティチェックシート回答.pdf",
                    ])
                    .to_string(),
                Lang::En => rng
                    .pick(&[
                        "invoice.pdf",
                        "quote-2026.pdf",
                        "purchase order.pdf",
                        "signed form.pdf",
                    ])
                    .to_string(),
            };
            let size = rng.range(10_000, 70_000) as usize;
            File {
                name,
                ctype: "application/pdf",
                data: content(rng, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"\n%%EOF\n", size),
            }
        }
        1 => {
            let name = match (lang, client) {
                (Lang::Ja, Client::AppleMail) => format!(
                    "スクリーンショット {}.png",
                    when.format("%Y-%m-%d %H.%M.%S")
                ),
                (Lang::Ja, _) => rng
                    .pick(&[
                        "画面キャプチャ.png",
                        "エラー画面.png",
                        "スクリーンショット.png",
                    ])
                    .to_string(),
                (Lang::En, _) => format!("Screenshot {}.png", when.format("%Y-%m-%d %H%M%S")),
            };
            let size = rng.range(20_000, 110_000) as usize;
            File {
                name,
                ctype: "image/png",
                data: content(
                    rng,
                    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
                    b"IEND\xaeB`\x82",
                    size,
                ),
            }
        }
        2 => {
            let name = format!("IMG_{:04}.JPG", rng.range(1000, 9999));
            // The large mails of the corpus: phone photos of damaged goods and paper forms.
            let size = rng.range(120_000, 360_000) as usize;
            File {
                name,
                ctype: "image/jpeg",
                data: content(rng, b"\xff\xd8\xff\xe1\0\x18Exif\0\0", b"\xff\xd9", size),
            }
        }
        _ => {
            let name = match lang {
                Lang::Ja => rng
                    .pick(&["注文一覧.xlsx", "取込データ.csv", "利用者一覧（最新）.xlsx"])
                    .to_string(),
                Lang::En => rng
                    .pick(&["orders.xlsx", "import.csv", "users.xlsx"])
                    .to_string(),
            };
            if name.ends_with(".csv") {
                let mut csv = String::from("id,name,email,plan\n");
                for i in 0..rng.range(20, 400) {
                    csv.push_str(&format!("{i},user{i},user{i}@example.test,standard\n"));
                }
                return File {
                    name,
                    ctype: "text/csv",
                    data: csv.into_bytes(),
                };
            }
            let size = rng.range(9_000, 60_000) as usize;
            File {
                name,
                ctype: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                data: content(rng, b"PK\x03\x04\x14\0\x06\0", b"PK\x05\x06", size),
            }
        }
    }
}

/// Outlook's inline signature logo (`image001.png`), referenced by `cid:` from the HTML.
pub(crate) fn logo(rng: &mut Rng) -> File {
    let size = rng.range(3_000, 14_000) as usize;
    File {
        name: "image001.png".to_string(),
        ctype: "image/png",
        data: content(
            rng,
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            b"IEND\xaeB`\x82",
            size,
        ),
    }
}
