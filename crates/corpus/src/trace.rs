//! The headers a mail collects on its way: Message-IDs in each mailer's format, Received
//! lines from the sender's servers and ours (RFC 5321 §4.4), DKIM/ARC signatures, and the
//! bulky X-MS-Exchange and X-Google blocks that make real headers several KB long.
//! Addresses come from the documentation ranges (RFC 5737).

use chrono::{DateTime, Duration, FixedOffset};

use crate::people::Client;
use crate::rng::Rng;

const B64CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// The date format of RFC 5322 §3.3.
pub(crate) fn rfc5322(t: DateTime<FixedOffset>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S %z").to_string()
}

/// `name: value` with a long unbroken value folded every 72 characters.
fn folded(name: &str, value: &str) -> String {
    let mut out = format!("{name}: ");
    let mut width = out.len();
    for chunk in value.as_bytes().chunks(72) {
        if width + chunk.len() > 78 {
            out.push_str("\r\n\t");
            width = 1;
        }
        out.push_str(std::str::from_utf8(chunk).expect("ASCII"));
        width += chunk.len();
    }
    out
}

fn blob(rng: &mut Rng, n: usize) -> String {
    rng.token(B64CHARS, n)
}

fn uuid(rng: &mut Rng) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        rng.hex(8),
        rng.hex(4),
        rng.hex(4),
        rng.hex(4),
        rng.hex(12)
    )
}

/// A Message-ID (without brackets) as `client` writes it.
pub(crate) fn message_id(
    rng: &mut Rng,
    client: Client,
    domain: &str,
    at: DateTime<FixedOffset>,
) -> String {
    match client {
        Client::Outlook => {
            let server = format!(
                "TY{}PR01MB{}",
                rng.pick(&["C", "W", "A"]),
                rng.range(1000, 99999)
            );
            format!(
                "{server}{}@{server}.jpnprd01.prod.outlook.example",
                rng.token(UPPER, 24)
            )
        }
        Client::Gmail => format!(
            "CA{}@mail.gmail.example",
            rng.token(
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
                44
            )
        ),
        Client::AppleMail | Client::IPhone => format!("{}@{domain}", uuid(rng).to_uppercase()),
        Client::Thunderbird => format!("{}@{domain}", uuid(rng)),
        Client::Becky => format!(
            "{}.{}.{}@{domain}",
            at.format("%Y%m%d%H%M%S"),
            rng.hex(4).to_uppercase(),
            rng.hex(8).to_uppercase()
        ),
        Client::Carrier => format!("{}.{}@{domain}", rng.hex(12), rng.range(1, 99)),
        Client::WebForm => format!("{}@www.{domain}", rng.hex(32)),
        Client::System => format!(
            "{}.{}.JavaMail.app@{domain}",
            at.format("%Y%m%d%H%M%S"),
            rng.range(1, 99999)
        ),
    }
}

/// The Message-ID of one of our own replies (sent by SMTP, so never in the corpus).
pub(crate) fn our_message_id(rng: &mut Rng) -> String {
    format!("hako.{}.{}@example.test", rng.hex(12), rng.hex(16))
}

fn ip(rng: &mut Rng) -> String {
    let net = rng.pick(&["192.0.2", "198.51.100", "203.0.113"]);
    format!("{net}.{}", rng.range(1, 254))
}

/// Trace and signature headers, newest first, for a mail from `client` at `domain` that
/// reached `to` (one of our addresses) at `arrived`.
pub(crate) fn trace(
    rng: &mut Rng,
    client: Client,
    domain: &str,
    from: &str,
    to: &str,
    sent: DateTime<FixedOffset>,
    arrived: DateTime<FixedOffset>,
) -> Vec<String> {
    let mut h = Vec::with_capacity(24);
    let ours = arrived;
    h.push(format!("Return-Path: <{from}>"));
    h.push(format!("Delivered-To: {to}"));
    let (relay, relay_ip) = match client {
        Client::Gmail => (
            format!(
                "mail-{}-f{}.google.example",
                rng.pick(&["yw1", "pl1", "lf1", "ej1"]),
                rng.range(41, 199)
            ),
            ip(rng),
        ),
        Client::Outlook => (
            format!(
                "{}.outbound.protection.outlook.example",
                rng.pick(&["JPN01-TYC-obe", "JPN01-OS0-obe", "APC01-TYZ-obe"])
            ),
            ip(rng),
        ),
        _ => (format!("mx{}.{domain}", rng.range(1, 3)), ip(rng)),
    };
    h.push(format!(
        "Received: from {relay} ({relay} [{relay_ip}])\r\n\tby mx.example.test (Postfix) with ESMTPS id {}\r\n\tfor <{to}>; {} (JST)",
        rng.token(UPPER, 11),
        rfc5322(ours)
    ));
    h.push(format!(
        "Authentication-Results: mx.example.test;\r\n\tdkim=pass (2048-bit key; unprotected) header.d={domain} header.i=@{domain} header.b={};\r\n\tspf=pass (mx.example.test: domain of {from} designates {relay_ip} as permitted sender) smtp.mailfrom={from};\r\n\tdmarc=pass (p=none dis=none) header.from={domain}",
        blob(rng, 8)
    ));
    let hop = |rng: &mut Rng, back: i64| {
        format!(
            "Received: from {} ([{}])\r\n\tby {} with {} id {}\r\n\tfor <{to}>; {}",
            rng.pick(&["localhost", "submission", "[127.0.0.1]"]),
            ip(rng),
            relay,
            rng.pick(&["ESMTPSA", "SMTP", "HTTP"]),
            rng.token(UPPER, 12),
            rfc5322(sent + Duration::seconds(back))
        )
    };
    match client {
        Client::Gmail => {
            h.push(format!(
                "Received: by {relay} with SMTP id {}\r\n\tfor <{to}>; {}",
                rng.token(UPPER, 18),
                rfc5322(sent)
            ));
            h.push(folded(
                "ARC-Seal",
                &format!(
                    "i=1; a=rsa-sha256; t={}; cv=none; d=google.example; s=arc-20240605; b={}",
                    sent.timestamp(),
                    blob(rng, 344)
                ),
            ));
            h.push(folded("ARC-Message-Signature", &format!("i=1; a=rsa-sha256; c=relaxed/relaxed; d=google.example; s=arc-20240605; h=to:subject:message-id:date:from:mime-version:dkim-signature; bh={}; b={}", blob(rng, 44), blob(rng, 344))));
            h.push(folded("DKIM-Signature", &format!("v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=20230601; t={}; x={}; h=to:subject:message-id:date:from:mime-version:from:to:cc:subject:date:message-id:reply-to; bh={}; b={}", sent.timestamp(), sent.timestamp() + 604800, blob(rng, 44), blob(rng, 344))));
            h.push(folded("X-Google-DKIM-Signature", &format!("v=1; a=rsa-sha256; c=relaxed/relaxed; d=1e100.example; s=20230601; t={}; bh={}; b={}", sent.timestamp(), blob(rng, 44), blob(rng, 344))));
            h.push(folded("X-Gm-Message-State", &blob(rng, 160)));
            h.push(folded("X-Google-Smtp-Source", &blob(rng, 96)));
            h.push(format!(
                "X-Received: by 2002:a05:{}::{} with SMTP id {}; {}",
                rng.hex(4),
                rng.hex(4),
                rng.token(UPPER, 12),
                rfc5322(sent)
            ));
        }
        Client::Outlook => {
            h.push(hop(rng, 1));
            h.push(folded(
                "ARC-Seal",
                &format!(
                    "i=1; a=rsa-sha256; s=arcselector10001; d=microsoft.example; cv=none; b={}",
                    blob(rng, 344)
                ),
            ));
            h.push(folded("ARC-Message-Signature", &format!("i=1; a=rsa-sha256; c=relaxed/relaxed; d=microsoft.example; s=arcselector10001; h=From:Date:Subject:Message-ID:Content-Type:MIME-Version:X-MS-Exchange-AntiSpam-MessageData-ChunkCount:X-MS-Exchange-AntiSpam-MessageData-0; bh={}; b={}", blob(rng, 44), blob(rng, 344))));
            h.push(folded("DKIM-Signature", &format!("v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=selector1; h=From:Date:Subject:Message-ID:Content-Type:MIME-Version; bh={}; b={}", blob(rng, 44), blob(rng, 344))));
            h.push(format!("Thread-Topic: {}", rng.hex(8)));
            h.push(format!("Thread-Index: {}", blob(rng, 44)));
            h.push("Accept-Language: ja-JP, en-US".into());
            h.push("Content-Language: ja-JP".into());
            h.push("X-MS-Has-Attach:".into());
            h.push("X-MS-TNEF-Correlator:".into());
            h.push(format!(
                "x-ms-office365-filtering-correlation-id: {}",
                uuid(rng)
            ));
            h.push(folded(
                "x-microsoft-antispam",
                "BCL:0;ARA:13230040|366016|1800799024|376014|38070700018;",
            ));
            h.push(folded("x-microsoft-antispam-message-info", &{
                let n = rng.range(900, 1600) as usize;
                blob(rng, n)
            }));
            h.push(folded("x-forefront-antispam-report", "CIP:255.255.255.255;CTRY:;LANG:ja;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:TYCPR01MB;PTR:;CAT:NONE;SFS:(13230040)(366016)(1800799024)(376014)(38070700018);DIR:OUT;SFP:1102;"));
            h.push("x-ms-exchange-antispam-messagedata-chunkcount: 1".into());
            h.push(folded("x-ms-exchange-antispam-messagedata-0", &{
                let n = rng.range(1500, 3200) as usize;
                blob(rng, n)
            }));
            h.push(format!("X-MS-Exchange-CrossTenant-Id: {}", uuid(rng)));
            h.push(format!(
                "X-MS-Exchange-CrossTenant-originalarrivaltime: {}",
                sent.format("%d %b %Y %H:%M:%S%.3f (UTC)")
            ));
            h.push("X-MS-Exchange-CrossTenant-fromentityheader: Hosted".into());
            h.push(format!(
                "X-MS-Exchange-Transport-CrossTenantHeadersStamped: TYCPR01MB{}",
                rng.range(1000, 9999)
            ));
        }
        Client::WebForm => {
            h.push(format!(
                "Received: by www.{domain} (Postfix, from userid 33)\r\n\tid {}; {}",
                rng.token(UPPER, 10),
                rfc5322(sent)
            ));
        }
        _ => {
            h.push(hop(rng, 2));
            if rng.chance(0.6) {
                h.push(folded("DKIM-Signature", &format!("v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=default; t={}; bh={}; h=From:To:Subject:Date:Message-ID; b={}", sent.timestamp(), blob(rng, 44), blob(rng, 344))));
            }
        }
    }
    h
}
