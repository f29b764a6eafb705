//! Mail text as people write it: a new inquiry (greeting, who is writing, one to three
//! paragraphs, details, closing, signature), the team's answer that a customer later quotes,
//! a customer's reply above the quoted history in their mailer's quoting style, and the
//! HTML twin of a text body as Outlook or Gmail renders it.

use chrono::{DateTime, Datelike, FixedOffset};

use crate::people::{Client, Customer, Lang};
use crate::rng::Rng;
use crate::topics::{PRODUCTS_EN, PRODUCTS_JA, Topic};

/// Quoted history kept in a reply: long threads are cut here, as mailers' users trim them.
const MAX_QUOTE: usize = 4000;

const AGENTS: &[(&str, &str)] = &[
    ("佐藤", "Sato"),
    ("田中", "Tanaka"),
    ("加藤", "Kato"),
    ("小川", "Ogawa"),
    ("石井", "Ishii"),
];

/// Fills `{order}`, `{date}`, `{amount}`, `{product}` and `{id}`.
pub(crate) fn fill(
    rng: &mut Rng,
    lang: Lang,
    template: &str,
    when: DateTime<FixedOffset>,
) -> String {
    if !template.contains('{') {
        return template.to_string();
    }
    let later = when + chrono::Duration::days(rng.range(2, 20) as i64);
    let date = match lang {
        Lang::Ja => format!("{}月{}日", later.month(), later.day()),
        Lang::En => later.format("%B %-d").to_string(),
    };
    let amount = match lang {
        Lang::Ja => format!("{}円", thousands(rng.range(12, 980) * 100)),
        Lang::En => format!("${}.00", rng.range(19, 2400)),
    };
    let product = match lang {
        Lang::Ja => rng.pick(PRODUCTS_JA),
        Lang::En => rng.pick(PRODUCTS_EN),
    };
    template
        .replace("{order}", &format!("A-{:06}", rng.range(100_000, 999_999)))
        .replace("{date}", &date)
        .replace("{amount}", &amount)
        .replace("{product}", product)
        .replace("{id}", &format!("{}", rng.range(10_000, 99_999)))
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The subject of a new inquiry.
pub(crate) fn subject(
    rng: &mut Rng,
    c: &Customer,
    topic: &Topic,
    when: DateTime<FixedOffset>,
) -> String {
    let list = match c.lang {
        Lang::Ja => topic.ja_subjects,
        Lang::En => topic.en_subjects,
    };
    let template = rng.pick(list);
    let s = fill(rng, c.lang, template, when);
    match (c.lang, c.mailer.client) {
        (Lang::Ja, Client::WebForm) => format!("【お問い合わせフォーム】{s}"),
        _ => s,
    }
}

/// The body of a new inquiry, `\n` line ends.
pub(crate) fn inquiry(
    rng: &mut Rng,
    c: &Customer,
    topic: &Topic,
    when: DateTime<FixedOffset>,
) -> String {
    let mut out = String::new();
    let paragraphs = match c.lang {
        Lang::Ja => topic.ja_paragraphs,
        Lang::En => topic.en_paragraphs,
    };
    match c.lang {
        Lang::Ja => {
            if c.mailer.client == Client::WebForm {
                out.push_str("以下の内容でお問い合わせを受け付けました。\n\n");
                out.push_str(&format!(
                    "■お名前：{}\n■メールアドレス：{}\n■お問い合わせ内容：\n",
                    c.name, c.address
                ));
            } else {
                out.push_str(rng.pick(&[
                    "Example サポートご担当者様",
                    "ご担当者様",
                    "サポートセンター御中",
                    "お世話になっております。",
                ]));
                out.push_str("\n\n");
                match c.company {
                    Some(company) => out.push_str(&format!(
                        "いつもお世話になっております。\n{company}の{}です。\n\n",
                        c.short
                    )),
                    None => out.push_str(&format!("{}と申します。\n\n", c.name)),
                }
            }
        }
        Lang::En => {
            out.push_str(rng.pick(&["Hello,", "Hi there,", "Dear Support Team,", "Hi,"]));
            out.push_str("\n\n");
        }
    }
    let n = 1 + rng.below(3);
    let first = rng.below(paragraphs.len());
    for i in 0..n {
        let p = paragraphs[(first + i) % paragraphs.len()];
        out.push_str(&fill(rng, c.lang, p, when));
        out.push_str("\n\n");
    }
    if rng.chance(0.4) {
        let details = match c.lang {
            Lang::Ja => "■注文番号：{order}\n■ご購入日：{date}\n■ご利用環境：Windows 11 / Chrome\n",
            Lang::En => "Order: {order}\nDate: {date}\nBrowser: Chrome on Windows 11\n",
        };
        out.push_str(&fill(rng, c.lang, details, when));
        out.push('\n');
    }
    if rng.chance(0.05) {
        out.push_str(&log_excerpt(rng, when));
    }
    out.push_str(closing(rng, c.lang));
    out.push_str("\n\n");
    out.push_str(&c.signature(rng));
    out.push('\n');
    out
}

/// A pasted error log: occasionally makes a plain mail long.
fn log_excerpt(rng: &mut Rng, when: DateTime<FixedOffset>) -> String {
    let mut s = String::from("--- log ---\n");
    for i in 0..rng.range(20, 120) {
        s.push_str(&format!(
            "{} [ERROR] worker-{} request_id={} path=/api/v2/export status=500 elapsed={}ms\n",
            (when + chrono::Duration::seconds(i as i64)).format("%Y-%m-%dT%H:%M:%S%:z"),
            rng.below(8),
            rng.hex(16),
            rng.range(3, 9000)
        ));
    }
    s.push_str("--- end ---\n\n");
    s
}

fn closing(rng: &mut Rng, lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => rng.pick(&[
            "お忙しいところ恐れ入りますが、よろしくお願いいたします。",
            "お手数をおかけしますが、ご確認のほどよろしくお願い申し上げます。",
            "以上、よろしくお願いいたします。",
            "ご回答お待ちしております。",
        ]),
        Lang::En => rng.pick(&["Thanks,", "Best regards,", "Thank you,", "Kind regards,"]),
    }
}

/// The team's answer (never in the corpus: it went out by SMTP), quoted by the customer.
pub(crate) fn answer(
    rng: &mut Rng,
    c: &Customer,
    topic: &Topic,
    when: DateTime<FixedOffset>,
    quoted: &str,
) -> String {
    let (agent_ja, agent_en) = rng.pick(AGENTS);
    let template = match c.lang {
        Lang::Ja => rng.pick(topic.ja_answers),
        Lang::En => rng.pick(topic.en_answers),
    };
    let text = fill(rng, c.lang, template, when);
    let body = match c.lang {
        Lang::Ja => format!(
            "{}様\n\nいつもご利用いただきありがとうございます。\nExample サポート窓口の{agent_ja}でございます。\n\n{}\n\nご不明な点がございましたら、お気軽にお問い合わせください。\n今後ともよろしくお願いいたします。\n\n--\nExample サポート窓口 / Example Support\nsupport@example.test\n",
            c.short, text
        ),
        Lang::En => format!(
            "Hi {},\n\n{}\n\nLet us know if there is anything else.\n\nBest regards,\n{agent_en}\nExample Support\n",
            c.short, text
        ),
    };
    let header = match c.lang {
        Lang::Ja => format!("{} {}:", when.format("%Y年%-m月%-d日 %H:%M"), c.name),
        Lang::En => format!(
            "On {}, {} wrote:",
            when.format("%a, %b %-d, %Y at %-I:%M %p"),
            c.name
        ),
    };
    format!("{body}\n{header}\n{}", quote(quoted))
}

/// `> ` before every line, cut to [`MAX_QUOTE`] bytes at a line end.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_QUOTE) + 256);
    for line in text.lines() {
        if out.len() + line.len() > MAX_QUOTE {
            break;
        }
        out.push('>');
        if !line.starts_with('>') {
            out.push(' ');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A customer's reply to `previous` (the answer they got), quoted in their mailer's style.
pub(crate) fn reply(
    rng: &mut Rng,
    c: &Customer,
    previous: &str,
    previous_subject: &str,
    previous_at: DateTime<FixedOffset>,
    when: DateTime<FixedOffset>,
) -> String {
    let mut out = String::new();
    match c.lang {
        Lang::Ja => {
            out.push_str(rng.pick(&[
                "ご担当者様",
                "Example サポート窓口\nご担当者様",
                "お世話になっております。",
            ]));
            out.push_str(&format!("\n\n{}です。\n", c.short));
            out.push_str(rng.pick(&[
                "早速のご対応ありがとうございます。\n確認したところ、無事に解決いたしました。",
                "ご回答ありがとうございます。\n承知いたしました。その方法で試してみます。",
                "ご連絡ありがとうございます。\n大変恐縮ですが、ご案内いただいた手順を試してもまだ同じ状態です。\n念のため、画面の写真を添付いたします。",
                "ご回答いただきありがとうございました。\nもう一点確認させてください。社内の別の部署でも同様の手続きが必要になりますが、同じ方法でよろしいでしょうか。",
                "承知いたしました。\nそれでは{date}までお待ちしております。",
            ]));
            out.push_str("\n\n");
            out.push_str(closing(rng, c.lang));
        }
        Lang::En => {
            out.push_str(rng.pick(&["Hi,", "Hello again,", "Thanks for the quick reply."]));
            out.push_str("\n\n");
            out.push_str(rng.pick(&[
                "That fixed it, thank you!",
                "I tried that but it still does not work. Screenshot attached.",
                "Understood. One more question: does the same apply to our second account?",
                "Great, I will wait until {date} then.",
            ]));
            out.push_str("\n\n");
            out.push_str(closing(rng, c.lang));
            out.push('\n');
            out.push_str(&c.short);
        }
    }
    let mut out = fill(rng, c.lang, &out, when);
    out.push_str("\n\n");
    let support = "Example Support <support@example.test>";
    match (c.mailer.client, c.lang) {
        (Client::Outlook, Lang::Ja) => {
            out.push_str(&format!(
                "差出人: {support}\n送信日時: {}\n宛先: {} <{}>\n件名: {previous_subject}\n\n{}",
                previous_at.format("%Y年%-m月%-d日 %H:%M"),
                c.name,
                c.address,
                cut(previous)
            ));
        }
        (Client::Outlook, Lang::En) => {
            out.push_str(&format!(
                "-----Original Message-----\nFrom: {support}\nSent: {}\nTo: {} <{}>\nSubject: {previous_subject}\n\n{}",
                previous_at.format("%A, %B %-d, %Y %-I:%M %p"),
                c.name,
                c.address,
                cut(previous)
            ));
        }
        (Client::Gmail, Lang::Ja) => out.push_str(&format!(
            "{}({}) {} {support}:\n\n{}",
            previous_at.format("%Y年%-m月%-d日"),
            ["月", "火", "水", "木", "金", "土", "日"]
                [previous_at.weekday().num_days_from_monday() as usize],
            previous_at.format("%H:%M"),
            quote(previous)
        )),
        (Client::IPhone, Lang::Ja) => out.push_str(&format!(
            "> {}、{support}のメール:\n>\n{}",
            previous_at.format("%Y/%m/%d %H:%M"),
            quote(previous)
        )),
        (
            Client::Becky
            | Client::Thunderbird
            | Client::Carrier
            | Client::WebForm
            | Client::System,
            Lang::Ja,
        ) => out.push_str(&format!(
            "{} に Example Support さんは書きました:\n{}",
            previous_at.format("%Y/%m/%d %H:%M"),
            quote(previous)
        )),
        _ => out.push_str(&format!(
            "On {}, {support} wrote:\n\n{}",
            previous_at.format("%a, %b %-d, %Y at %-I:%M %p"),
            quote(previous)
        )),
    }
    out
}

fn cut(text: &str) -> &str {
    if text.len() <= MAX_QUOTE {
        return text;
    }
    let mut end = MAX_QUOTE;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..text[..end].rfind('\n').unwrap_or(end)]
}

fn escape(line: &str) -> String {
    line.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Outlook's style block: several KB in every Outlook HTML mail, Japanese font names included.
const OUTLOOK_HEAD: &str = r#"<head>
<meta http-equiv="Content-Type" content="text/html; charset=CHARSET">
<meta name="Generator" content="Microsoft Word 15 (filtered medium)">
<style><!--
/* Font Definitions */
@font-face
	{font-family:"Cambria Math";
	panose-1:2 4 5 3 5 4 6 3 2 4;}
@font-face
	{font-family:游ゴシック;
	panose-1:2 11 4 0 0 0 0 0 0 0;}
@font-face
	{font-family:"ＭＳ Ｐゴシック";
	panose-1:2 11 6 0 7 2 5 8 2 4;}
@font-face
	{font-family:メイリオ;
	panose-1:2 11 6 4 3 5 4 4 2 4;}
/* Style Definitions */
p.MsoNormal, li.MsoNormal, div.MsoNormal
	{margin:0mm;
	text-align:justify;
	text-justify:inter-ideograph;
	font-size:10.5pt;
	font-family:游ゴシック;}
a:link, span.MsoHyperlink
	{mso-style-priority:99;
	color:#0563C1;
	text-decoration:underline;}
span.EmailStyle17
	{mso-style-type:personal-compose;
	font-family:游ゴシック;
	color:windowtext;}
.MsoChpDefault
	{mso-style-type:export-only;
	font-family:游ゴシック;}
/* Page Definitions */
@page WordSection1
	{size:612.0pt 792.0pt;
	margin:99.25pt 30.0mm 30.0mm 30.0mm;}
div.WordSection1
	{page:WordSection1;}
--></style><!--[if gte mso 9]><xml>
<o:shapedefaults v:ext="edit" spidmax="1026" />
</xml><![endif]--><!--[if gte mso 9]><xml>
<o:shapelayout v:ext="edit">
<o:idmap v:ext="edit" data="1" />
</o:shapelayout></xml><![endif]-->
</head>
"#;

/// The HTML twin of a text body, as `client` renders it; `cid` names an inline image.
pub(crate) fn html(text: &str, client: Client, charset: &str, cid: Option<&str>) -> String {
    let mut out = String::with_capacity(text.len() * 2 + 2048);
    match client {
        Client::Outlook => {
            out.push_str("<html xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:w=\"urn:schemas-microsoft-com:office:word\" xmlns:m=\"http://schemas.microsoft.com/office/2004/12/omml\" xmlns=\"http://www.w3.org/TR/REC-html40\">\n");
            out.push_str(&OUTLOOK_HEAD.replace("CHARSET", charset));
            out.push_str("<body lang=\"JA\" link=\"#0563C1\" vlink=\"#954F72\" style=\"text-justify-trim:punctuation\">\n<div class=\"WordSection1\">\n");
            for line in text.lines() {
                if line.is_empty() {
                    out.push_str("<p class=\"MsoNormal\"><o:p>&nbsp;</o:p></p>\n");
                } else {
                    out.push_str(&format!(
                        "<p class=\"MsoNormal\">{}<o:p></o:p></p>\n",
                        escape(line)
                    ));
                }
            }
            if let Some(cid) = cid {
                out.push_str(&format!("<p class=\"MsoNormal\"><img width=\"120\" height=\"40\" style=\"width:1.25in;height:.4166in\" id=\"Picture_x0020_1\" src=\"cid:{cid}\"><o:p></o:p></p>\n"));
            }
            out.push_str("</div>\n</body>\n</html>\n");
        }
        _ => {
            out.push_str("<div dir=\"ltr\">");
            let mut in_quote = false;
            for line in text.lines() {
                let quoted = line.starts_with('>');
                if quoted && !in_quote {
                    out.push_str("<blockquote class=\"gmail_quote\" style=\"margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex\">");
                    in_quote = true;
                } else if !quoted && in_quote {
                    out.push_str("</blockquote>");
                    in_quote = false;
                }
                let line = line.trim_start_matches(['>', ' ']);
                if line.is_empty() {
                    out.push_str("<div><br></div>");
                } else {
                    out.push_str(&format!("<div>{}</div>", escape(line)));
                }
                out.push('\n');
            }
            if in_quote {
                out.push_str("</blockquote>");
            }
            out.push_str("</div>\n");
        }
    }
    out
}
