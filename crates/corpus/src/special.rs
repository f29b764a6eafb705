//! Mail no person wrote to the team: out-of-office replies to our answers (RFC 3834
//! `Auto-Submitted: auto-replied`), bounces of our answers (RFC 3464 multipart/report with
//! `message/delivery-status`), and newsletters (RFC 2369 `List-Unsubscribe`, `Precedence:
//! bulk`, heavy HTML).

use chrono::{DateTime, Duration, FixedOffset};

use crate::encode::{self, Charset};
use crate::mime::{self, Part};
use crate::people::{Client, Cte, Customer, Lang, Mailer};
use crate::rng::Rng;
use crate::trace::{self, rfc5322};

/// An out-of-office reply from `c` to our answer `answer_id`.
pub(crate) fn auto_reply(
    rng: &mut Rng,
    c: &Customer,
    to: &str,
    subject: &str,
    answer_id: &str,
    at: DateTime<FixedOffset>,
) -> Vec<u8> {
    let domain = c.address.rsplit('@').next().unwrap_or("example");
    let back = at + Duration::days(rng.range(2, 10) as i64);
    let (subj, body) = match c.lang {
        Lang::Ja => (
            format!(
                "{}{subject}",
                rng.pick(&["自動応答: ", "【自動返信】", "不在通知: "])
            ),
            format!(
                "誠に恐れ入りますが、{}まで不在にしております。\n期間中はメールを確認できませんので、{}以降に順次ご返信いたします。\nお急ぎの場合は、代表番号（03-1234-5678）までご連絡ください。\n\n{}\n",
                back.format("%-m月%-d日"),
                back.format("%-m月%-d日"),
                c.name
            ),
        ),
        Lang::En => (
            format!("Automatic reply: {subject}"),
            format!(
                "Thank you for your message. I am out of the office until {} with limited access to email.\nFor urgent matters please contact our office.\n\n{}\n",
                back.format("%B %-d"),
                c.name
            ),
        ),
    };
    let mut h = trace::trace(
        rng,
        c.mailer.client,
        domain,
        &c.address,
        to,
        at,
        at + Duration::seconds(2),
    );
    h.push(format!(
        "From: {}",
        encode::mailbox(c.mailer.charset, &c.name, &c.address)
    ));
    h.push(format!("To: Example Support <{to}>"));
    h.push(format!(
        "Subject: {}",
        encode::encoded_words(c.mailer.charset, &subj)
    ));
    h.push(format!("Date: {}", rfc5322(at)));
    h.push(format!(
        "Message-ID: <{}>",
        trace::message_id(rng, c.mailer.client, domain, at)
    ));
    h.push(format!("In-Reply-To: <{answer_id}>"));
    h.push(format!("References: <{answer_id}>"));
    h.push("Auto-Submitted: auto-replied".into());
    if c.mailer.client == Client::Outlook {
        h.push("X-Auto-Response-Suppress: All".into());
    } else {
        h.push("X-Autoreply: yes".into());
    }
    let plain = Mailer {
        html: false,
        ..c.mailer
    };
    mime::message(&h, &mime::text(&plain, "plain", &body))
}

/// Our answer to `c` bounced: a DSN from our own MTA.
pub(crate) fn bounce(
    rng: &mut Rng,
    c: &Customer,
    to: &str,
    subject: &str,
    answer_id: &str,
    at: DateTime<FixedOffset>,
) -> Vec<u8> {
    let id = rng.token(b"ABCDEF0123456789", 11);
    let mut h = vec![
        "Return-Path: <>".to_string(),
        format!("Delivered-To: {to}"),
        format!(
            "Received: by mx.example.test (Postfix)\r\n\tid {id}; {} (JST)",
            rfc5322(at)
        ),
        format!("Date: {}", rfc5322(at)),
        "From: MAILER-DAEMON@mx.example.test (Mail Delivery System)".to_string(),
        "Subject: Undelivered Mail Returned to Sender".to_string(),
        format!("To: {to}"),
        "Auto-Submitted: auto-replied".to_string(),
        format!(
            "Message-Id: <{}.{id}@mx.example.test>",
            at.format("%Y%m%d%H%M%S")
        ),
    ];
    let reason = rng.pick(&[
        (
            "5.1.1",
            "550 5.1.1 <ADDR>: Recipient address rejected: User unknown",
        ),
        ("5.2.2", "552 5.2.2 <ADDR>: Mailbox full"),
        (
            "4.4.1",
            "connect to mx.DOMAIN[203.0.113.9]:25: Connection timed out",
        ),
    ]);
    let domain = c.address.rsplit('@').next().unwrap_or("example");
    let diag = reason
        .1
        .replace("ADDR", &c.address)
        .replace("DOMAIN", domain);
    let explanation = format!(
        "This is the mail system at host mx.example.test.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\n                   The mail system\n\n<{}>: host mx.{domain}[203.0.113.9] said: {diag}\n",
        c.address
    );
    let status = format!(
        "Reporting-MTA: dns; mx.example.test\r\nX-Postfix-Queue-ID: {id}\r\nArrival-Date: {}\r\n\r\nFinal-Recipient: rfc822; {}\r\nOriginal-Recipient: rfc822;{}\r\nAction: failed\r\nStatus: {}\r\nRemote-MTA: dns; mx.{domain}\r\nDiagnostic-Code: smtp; {diag}\r\n",
        rfc5322(at - Duration::seconds(5)),
        c.address,
        c.address,
        reason.0
    );
    let original = format!(
        "Return-Path: <{to}>\r\nFrom: Example Support <{to}>\r\nTo: {}\r\nSubject: {}\r\nDate: {}\r\nMessage-ID: <{answer_id}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n",
        encode::mailbox(Charset::Utf8, &c.name, &c.address),
        encode::encoded_words(Charset::Utf8, &format!("Re: {subject}")),
        rfc5322(at - Duration::seconds(6))
    );
    let ascii = Mailer {
        client: Client::System,
        charset: Charset::Ascii,
        cte: Cte::SevenBit,
        html: false,
        cp932_label: false,
        split_words: false,
    };
    let root = Part::Multi {
        subtype: "report",
        params: " report-type=delivery-status;".into(),
        boundary: format!("{id}.{}/mx.example.test", at.timestamp()),
        parts: vec![
            mime::text(&ascii, "plain", &explanation),
            Part::Leaf {
                headers: vec![
                    "Content-Description: Delivery report".into(),
                    "Content-Type: message/delivery-status".into(),
                ],
                body: status.into_bytes(),
            },
            Part::Leaf {
                headers: vec![
                    "Content-Description: Undelivered Message Headers".into(),
                    "Content-Type: text/rfc822-headers".into(),
                ],
                body: original.into_bytes(),
            },
        ],
    };
    h.push("Content-Description: Notification".into());
    mime::message(&h, &root)
}

const SENDERS: &[(&str, &str, Lang)] = &[
    (
        "クラウド通信ニュース",
        "news@cloud-tsushin.example",
        Lang::Ja,
    ),
    (
        "ビジネスセミナー事務局",
        "seminar@biz-seminar.example",
        Lang::Ja,
    ),
    ("EC運営ノウハウ通信", "info@ec-knowhow.example", Lang::Ja),
    ("SaaS Weekly", "newsletter@saasweekly.example", Lang::En),
    ("DevOps Digest", "digest@devops.example", Lang::En),
];

/// A newsletter: a long HTML table layout with a text twin.
pub(crate) fn newsletter(
    rng: &mut Rng,
    to: &str,
    issue: u64,
    at: DateTime<FixedOffset>,
) -> Vec<u8> {
    let (name, from, lang) = rng.pick(SENDERS);
    let domain = from.rsplit('@').next().unwrap_or("example");
    let mailer = Mailer {
        client: Client::System,
        charset: if lang == Lang::Ja && rng.chance(0.3) {
            Charset::Iso2022Jp
        } else {
            Charset::Utf8
        },
        cte: Cte::Base64,
        html: true,
        cp932_label: false,
        split_words: false,
    };
    let subject = match lang {
        Lang::Ja => format!("【{name}】第{issue}号 今週の注目トピックと最新セミナー情報"),
        Lang::En => format!("{name} #{issue}: this week in SaaS"),
    };
    let mut text = String::new();
    let mut html = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"CHARSET\"><style>body{margin:0;padding:0}table{border-collapse:collapse}.btn{background:#2563eb;color:#fff;padding:12px 24px;border-radius:4px;text-decoration:none}</style></head><body><table width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" bgcolor=\"#f4f4f4\"><tr><td align=\"center\"><table width=\"600\" cellpadding=\"0\" cellspacing=\"0\" bgcolor=\"#ffffff\">\n",
    );
    for i in 0..rng.range(6, 14) {
        let (title, para) = match lang {
            Lang::Ja => (
                format!("■トピック{}：業務効率化の最新事例", i + 1),
                "クラウドサービスを活用した業務効率化の事例をご紹介します。導入企業の担当者様に、導入前の課題と導入後の変化について詳しくお話を伺いました。詳細は以下のリンクからご覧ください。".to_string(),
            ),
            Lang::En => (
                format!("{}. What we learned from 100 support teams", i + 1),
                "We interviewed support leads about their first-response times, how they split work across shared inboxes, and which reports they actually read every week.".to_string(),
            ),
        };
        let link = format!(
            "https://{domain}/r/{}?utm_source=newsletter&utm_medium=email&utm_campaign=issue{issue}",
            rng.hex(16)
        );
        text.push_str(&format!("{title}\n{para}\n{link}\n\n"));
        html.push_str(&format!("<tr><td style=\"padding:24px 32px;font-family:'Hiragino Sans',Meiryo,sans-serif;font-size:15px;line-height:1.7;color:#333333\"><h2 style=\"font-size:18px;margin:0 0 12px 0;color:#111111\">{title}</h2><p style=\"margin:0 0 16px 0\">{para}</p><a class=\"btn\" href=\"{link}\" style=\"background:#2563eb;color:#ffffff;padding:12px 24px;border-radius:4px;text-decoration:none;display:inline-block\">詳しく見る / Read more</a><img src=\"https://{domain}/img/{}.png\" width=\"536\" height=\"200\" alt=\"\" style=\"display:block;margin-top:16px\"></td></tr>\n", rng.hex(12)));
    }
    let unsubscribe = format!("https://{domain}/unsubscribe?u={}", rng.hex(24));
    text.push_str(&format!("配信停止 / Unsubscribe: {unsubscribe}\n"));
    html.push_str(&format!("<tr><td style=\"padding:16px 32px;font-size:12px;color:#888888\">配信停止は<a href=\"{unsubscribe}\">こちら</a> / Unsubscribe</td></tr></table></td></tr></table><img src=\"https://{domain}/open/{}.gif\" width=\"1\" height=\"1\" alt=\"\"></body></html>\n", rng.hex(20)));
    let envelope = format!("bounce-{}@{domain}", rng.hex(10));
    let mut h = trace::trace(
        rng,
        Client::System,
        domain,
        &envelope,
        to,
        at,
        at + Duration::seconds(3),
    );
    h.push(format!(
        "From: {}",
        encode::mailbox(mailer.charset, name, from)
    ));
    h.push(format!("To: {to}"));
    h.push(format!(
        "Subject: {}",
        encode::encoded_words(mailer.charset, &subject)
    ));
    h.push(format!("Date: {}", rfc5322(at)));
    h.push(format!(
        "Message-ID: <{}.{issue}@mail.{domain}>",
        rng.hex(20)
    ));
    h.push(format!(
        "List-Unsubscribe: <mailto:unsubscribe-{}@{domain}>, <{unsubscribe}>",
        rng.hex(10)
    ));
    h.push("List-Unsubscribe-Post: List-Unsubscribe=One-Click".into());
    h.push(
        format!("List-Id: {name} <news.{domain}>")
            .replace(name, &encode::encoded_words(mailer.charset, name)),
    );
    h.push("Precedence: bulk".into());
    let html = html.replace("CHARSET", mailer.charset.for_text(&html).label());
    let root = Part::Multi {
        subtype: "alternative",
        params: String::new(),
        boundary: mime::boundary(rng, Client::System),
        parts: vec![
            mime::text(&mailer, "plain", &text),
            mime::text(&mailer, "html", &html),
        ],
    };
    mime::message(&h, &root)
}
