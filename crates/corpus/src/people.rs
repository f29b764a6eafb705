//! Who writes to the team: customers with Japanese or English names, several per company
//! domain or on free-mail domains, each with the mailer they always use. The mailer decides
//! the charset, transfer encoding, HTML and quoting style, as in real Japanese traffic:
//! ISO-2022-JP from Outlook, Thunderbird, Becky! and web forms, UTF-8 from Gmail, iPhone and
//! Microsoft 365, Shift_JIS from carrier phones and older business systems.
//! Domains use the reserved `.example` TLD (RFC 2606): nobody real is named.

use crate::encode::Charset;
use crate::rng::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    Ja,
    En,
}

/// The mail program; decides headers, structure and quoting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Client {
    Outlook,
    Gmail,
    AppleMail,
    IPhone,
    Thunderbird,
    Becky,
    /// Feature phones and carrier mail (docomo, au, SoftBank).
    Carrier,
    /// A web form's PHP `mb_send_mail`.
    WebForm,
    /// An in-house business system (order or billing notices written by a person).
    System,
}

/// Content-Transfer-Encoding of text parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cte {
    SevenBit,
    EightBit,
    Base64,
    QuotedPrintable,
}

impl Cte {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Cte::SevenBit => "7bit",
            Cte::EightBit => "8bit",
            Cte::Base64 => "base64",
            Cte::QuotedPrintable => "quoted-printable",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Mailer {
    pub client: Client,
    pub charset: Charset,
    pub cte: Cte,
    /// Sends multipart/alternative with an HTML twin.
    pub html: bool,
    /// Labels Shift_JIS as `windows-31j` (Java mailers) — a label hako must alias.
    pub cp932_label: bool,
    /// Splits encoded-words inside characters (RFC 2047 forbids it; some mailers do it).
    pub split_words: bool,
}

pub(crate) struct Customer {
    pub lang: Lang,
    /// Display name as written in From:.
    pub name: String,
    /// How a reply addresses them: `山田` (様 is added) or `John`.
    pub short: String,
    pub address: String,
    pub company: Option<&'static str>,
    pub mailer: Mailer,
    /// UTC offset of their Date: headers, in seconds.
    pub utc_offset: i32,
}

const JA_FAMILY: &[(&str, &str)] = &[
    ("佐藤", "sato"),
    ("鈴木", "suzuki"),
    ("高橋", "takahashi"),
    ("田中", "tanaka"),
    ("伊藤", "ito"),
    ("渡辺", "watanabe"),
    ("山本", "yamamoto"),
    ("中村", "nakamura"),
    ("小林", "kobayashi"),
    ("加藤", "kato"),
    ("吉田", "yoshida"),
    ("山田", "yamada"),
    ("佐々木", "sasaki"),
    ("山口", "yamaguchi"),
    ("松本", "matsumoto"),
    ("井上", "inoue"),
    ("木村", "kimura"),
    ("林", "hayashi"),
    ("斎藤", "saito"),
    ("清水", "shimizu"),
    ("山崎", "yamazaki"),
    ("森", "mori"),
    ("池田", "ikeda"),
    ("橋本", "hashimoto"),
    ("阿部", "abe"),
    ("石川", "ishikawa"),
    ("前田", "maeda"),
    ("藤田", "fujita"),
    ("岡田", "okada"),
    ("後藤", "goto"),
    ("長谷川", "hasegawa"),
    ("村上", "murakami"),
    ("近藤", "kondo"),
    ("坂本", "sakamoto"),
    ("遠藤", "endo"),
    ("青木", "aoki"),
    ("髙橋", "takahashi"),
    ("山﨑", "yamasaki"),
    ("渡邉", "watanabe"),
    ("齋藤", "saito"),
];

const JA_GIVEN: &[(&str, &str)] = &[
    ("太郎", "taro"),
    ("花子", "hanako"),
    ("健太", "kenta"),
    ("美咲", "misaki"),
    ("翔太", "shota"),
    ("陽子", "yoko"),
    ("大輔", "daisuke"),
    ("由美", "yumi"),
    ("直樹", "naoki"),
    ("恵", "megumi"),
    ("誠", "makoto"),
    ("彩", "aya"),
    ("拓也", "takuya"),
    ("真由美", "mayumi"),
    ("浩二", "koji"),
    ("久美子", "kumiko"),
    ("亮", "ryo"),
    ("愛", "ai"),
    ("隆", "takashi"),
    ("智子", "tomoko"),
];

const EN_FIRST: &[&str] = &[
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Susan",
    "Emma",
    "Olivia",
    "Liam",
    "Noah",
    "Sophie",
    "Lucas",
    "Chloe",
    "Daniel",
    "José",
    "Zoë",
    "Renée",
    "François",
    "Søren",
];

const EN_LAST: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson",
    "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Lee", "Clark", "Lewis", "Walker", "Nguyen",
    "Kim", "Chen", "Schmidt", "O'Brien", "Müller", "Dubois",
];

/// Japanese companies: name as written in signatures, domain slug.
pub(crate) const JA_COMPANIES: &[(&str, &str)] = &[
    ("株式会社山田商事", "yamada-shoji"),
    ("有限会社さくら電機", "sakura-denki"),
    ("東京工業株式会社", "tokyo-kogyo"),
    ("株式会社ミドリ産業", "midori-sangyo"),
    ("大阪物産株式会社", "osaka-bussan"),
    ("株式会社ひかりソフト", "hikari-soft"),
    ("北海フーズ株式会社", "hokkai-foods"),
    ("株式会社青空デザイン", "aozora-design"),
    ("合同会社みなと企画", "minato-kikaku"),
    ("株式会社ナカムラ建設", "nakamura-kensetsu"),
    ("㈱丸三商店", "marusan"),
    ("株式会社フジ精密", "fuji-seimitsu"),
    ("医療法人さくら会", "sakurakai"),
    ("学校法人みらい学園", "mirai-gakuen"),
    ("株式会社ユニバース・ネット", "universe-net"),
    ("株式会社エムアンドケイ", "mk-corp"),
];

const EN_COMPANIES: &[(&str, &str)] = &[
    ("Acme Corp", "acme"),
    ("Globex", "globex"),
    ("Initech", "initech"),
    ("Northwind Traders", "northwind"),
    ("Contoso Ltd", "contoso"),
    ("Fabrikam", "fabrikam"),
    ("Tailspin Toys", "tailspin"),
    ("Wide World Importers", "wideworld"),
];

const JA_DEPTS: &[&str] = &[
    "総務部",
    "経理部",
    "営業部",
    "情報システム部",
    "購買課",
    "管理部",
];

/// Japanese senders' mailers with their share of traffic (weights).
const JA_MAILERS: &[(u32, Client, Charset, Cte, bool)] = &[
    (22, Client::Outlook, Charset::Iso2022Jp, Cte::SevenBit, true),
    (14, Client::Outlook, Charset::Utf8, Cte::Base64, true),
    (20, Client::Gmail, Charset::Utf8, Cte::Base64, true),
    (
        10,
        Client::IPhone,
        Charset::Utf8,
        Cte::QuotedPrintable,
        false,
    ),
    (
        3,
        Client::AppleMail,
        Charset::Utf8,
        Cte::QuotedPrintable,
        true,
    ),
    (
        6,
        Client::Thunderbird,
        Charset::Iso2022Jp,
        Cte::SevenBit,
        false,
    ),
    (3, Client::Thunderbird, Charset::Utf8, Cte::EightBit, false),
    (4, Client::Becky, Charset::Iso2022Jp, Cte::SevenBit, false),
    (6, Client::Carrier, Charset::ShiftJis, Cte::EightBit, false),
    (8, Client::WebForm, Charset::Iso2022Jp, Cte::SevenBit, false),
    (4, Client::System, Charset::ShiftJis, Cte::Base64, false),
];

const EN_MAILERS: &[(u32, Client, Charset, Cte, bool)] = &[
    (40, Client::Gmail, Charset::Utf8, Cte::QuotedPrintable, true),
    (
        30,
        Client::Outlook,
        Charset::Ascii,
        Cte::QuotedPrintable,
        true,
    ),
    (15, Client::AppleMail, Charset::Ascii, Cte::SevenBit, false),
    (15, Client::Thunderbird, Charset::Utf8, Cte::SevenBit, false),
];

fn mailer(rng: &mut Rng, table: &[(u32, Client, Charset, Cte, bool)]) -> Mailer {
    let weights: Vec<u32> = table.iter().map(|m| m.0).collect();
    let (_, client, charset, cte, html) = table[rng.weighted(&weights)];
    Mailer {
        client,
        charset,
        cte,
        html,
        cp932_label: charset == Charset::ShiftJis && client == Client::System && rng.chance(0.6),
        split_words: charset != Charset::Iso2022Jp && rng.chance(0.03),
    }
}

fn free_domain(rng: &mut Rng, client: Client) -> &'static str {
    match client {
        Client::Gmail => "gmail.example",
        Client::IPhone => rng.pick(&["icloud.example", "i.softbank.example", "gmail.example"]),
        Client::Carrier => rng.pick(&["docomo.example", "ezweb.example", "softbank.example"]),
        Client::AppleMail => "icloud.example",
        _ => rng.pick(&[
            "yahoo.example",
            "outlook.example",
            "nifty.example",
            "biglobe.example",
        ]),
    }
}

/// Customer number `n` (0-based) of a corpus; `ja_share` of them write Japanese.
pub(crate) fn customer(rng: &mut Rng, n: u64, ja_share: f64) -> Customer {
    let lang = if rng.chance(ja_share) {
        Lang::Ja
    } else {
        Lang::En
    };
    let (name, short, local_a, local_b) = match lang {
        Lang::Ja => {
            let (f, fr) = rng.pick(JA_FAMILY);
            let (g, gr) = rng.pick(JA_GIVEN);
            let name = match rng.below(10) {
                0 => format!("{} {}", capital(gr), capital(fr)),
                1 => format!("{f}{g}"),
                _ => format!("{f} {g}"),
            };
            (name, f.to_string(), gr.to_string(), fr.to_string())
        }
        Lang::En => {
            let first = rng.pick(EN_FIRST);
            let last = rng.pick(EN_LAST);
            (
                format!("{first} {last}"),
                first.to_string(),
                ascii_slug(first),
                ascii_slug(last),
            )
        }
    };
    let mut mailer = mailer(
        rng,
        if lang == Lang::Ja {
            JA_MAILERS
        } else {
            EN_MAILERS
        },
    );
    // Companies use company mail; carriers, iPhones and Gmail are mostly private.
    let business = match mailer.client {
        Client::Carrier => false,
        Client::IPhone | Client::Gmail => rng.chance(0.3),
        _ => rng.chance(0.75),
    };
    let (company, domain) = if business {
        let (c, slug) = rng.pick(if lang == Lang::Ja {
            JA_COMPANIES
        } else {
            EN_COMPANIES
        });
        (Some(c), format!("{slug}.example"))
    } else {
        (None, free_domain(rng, mailer.client).to_string())
    };
    if mailer.client == Client::Carrier {
        mailer.html = false;
    }
    let local = match rng.below(4) {
        0 => format!("{local_a}.{local_b}"),
        1 => format!("{}{local_b}", &local_a[..1]),
        2 => format!("{local_b}{}", n % 100),
        _ => format!("{local_a}_{local_b}{}", 70 + n % 30),
    };
    let utc_offset = match lang {
        Lang::Ja => 9 * 3600,
        Lang::En => rng.pick(&[-8 * 3600, -5 * 3600, 0, 3600, 10 * 3600, 9 * 3600]),
    };
    Customer {
        lang,
        name,
        short,
        address: format!("{local}@{domain}"),
        company,
        mailer,
        utc_offset,
    }
}

impl Customer {
    /// The lines under their name at the end of a mail.
    pub(crate) fn signature(&self, rng: &mut Rng) -> String {
        let phone = format!(
            "0{}-{:04}-{:04}",
            rng.range(3, 9),
            rng.range(1000, 9999),
            rng.range(0, 9999)
        );
        match (self.lang, self.company, self.mailer.client) {
            (_, _, Client::IPhone) if self.lang == Lang::Ja => "iPhoneから送信".to_string(),
            (_, _, Client::IPhone) => "Sent from my iPhone".to_string(),
            (Lang::Ja, Some(company), _) => {
                let rule = if rng.chance(0.5) {
                    "━".repeat(22)
                } else {
                    "-".repeat(40)
                };
                format!(
                    "{rule}\n{company}　{}\n{}\n〒{:03}-{:04} 東京都千代田区丸の内{}-{}-{}\nTEL：{phone}　FAX：{phone}\nMail：{}\n{rule}",
                    rng.pick(JA_DEPTS),
                    self.name,
                    rng.range(100, 999),
                    rng.range(1, 9999),
                    rng.range(1, 3),
                    rng.range(1, 9),
                    rng.range(1, 20),
                    self.address
                )
            }
            (Lang::Ja, None, _) => format!("{}\n{phone}", self.name),
            (Lang::En, Some(company), _) => {
                format!("--\n{}\n{company}\n+1 {phone}\n{}", self.name, self.address)
            }
            (Lang::En, None, _) => format!("-- \n{}", self.name),
        }
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn ascii_slug(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'é' | 'è' => Some('e'),
            'ë' => Some('e'),
            'ç' => Some('c'),
            'ø' => Some('o'),
            'ü' => Some('u'),
            c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}
