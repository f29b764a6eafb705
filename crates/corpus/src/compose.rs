//! Customer mail put together: a new inquiry starts a thread; a reply quotes the team's
//! answer and points at it and the earlier mail with In-Reply-To/References (RFC 5322
//! §3.6.4), unless the customer's mailer dropped them and only the `Re:` subject is left;
//! an addendum follows the customer's own mail ("forgot the attachment"). Headers, body
//! structure and encodings come from the customer's mailer.

use chrono::{DateTime, Duration, FixedOffset};

use crate::attach::{self, File};
use crate::encode;
use crate::mime::{self, Part};
use crate::people::{Client, Customer, Lang};
use crate::rng::Rng;
use crate::topics::TOPICS;
use crate::trace::{self, rfc5322};
use crate::{Corpus, Thread, special, text};

/// Threading headers of a mail: In-Reply-To and References.
struct Refs<'a> {
    in_reply_to: &'a str,
    references: &'a [String],
}

/// A mailer's identification header, if it writes one.
fn agent_header(c: &Customer) -> Option<&'static str> {
    match c.mailer.client {
        Client::Outlook if c.mailer.charset == encode::Charset::Iso2022Jp => {
            Some("X-Mailer: Microsoft Outlook 16.0")
        }
        Client::AppleMail => Some("X-Mailer: Apple Mail (2.3826.200.121)"),
        Client::IPhone => Some("X-Mailer: iPhone Mail (22B91)"),
        Client::Thunderbird => Some("User-Agent: Mozilla Thunderbird"),
        Client::Becky => Some("X-Mailer: Becky! ver. 2.81.04 [ja]"),
        Client::WebForm => Some("X-Mailer: PHP/8.1.2"),
        Client::System => Some("X-Mailer: JavaMail"),
        _ => None,
    }
}

fn subject_header(rng: &mut Rng, c: &Customer, subject: &str) -> String {
    let m = &c.mailer;
    if m.split_words && !subject.is_ascii() {
        return encode::split_encoded_words(m.charset, subject, 7);
    }
    if m.client == Client::AppleMail && rng.chance(0.5) {
        return encode::q_encoded_words(subject);
    }
    encode::encoded_words(m.charset, subject)
}

/// One mail from customer `ci` to inbox `inbox`; returns the bytes and its Message-ID.
#[allow(clippy::too_many_arguments)]
fn customer_mail(
    corpus: &mut Corpus,
    ci: usize,
    inbox: usize,
    subject: &str,
    body: &str,
    refs: Option<Refs<'_>>,
    files: Vec<File>,
    arrived: DateTime<FixedOffset>,
) -> (Vec<u8>, Option<String>) {
    let rng = &mut corpus.rng;
    let c = &corpus.customers[ci];
    let to = &corpus.spec.inboxes[inbox];
    let tz = FixedOffset::east_opt(c.utc_offset).expect("valid offset");
    let sent = (arrived - Duration::seconds(rng.range(2, 90) as i64)).with_timezone(&tz);
    let domain = c
        .address
        .rsplit('@')
        .next()
        .unwrap_or("example")
        .to_string();
    let id = trace::message_id(rng, c.mailer.client, &domain, sent);
    let m = c.mailer;

    let mut h = trace::trace(rng, m.client, &domain, &c.address, to, sent, arrived);
    h.push(format!(
        "From: {}",
        encode::mailbox(m.charset, &c.name, &c.address)
    ));
    h.push(format!(
        "To: {}",
        encode::mailbox(
            m.charset,
            if c.lang == Lang::Ja {
                "Example サポート窓口"
            } else {
                "Example Support"
            },
            to
        )
    ));
    if corpus.spec.inboxes.len() > 1 && rng.chance(0.04) {
        let other = &corpus.spec.inboxes[(inbox + 1) % corpus.spec.inboxes.len()];
        h.push(format!("Cc: {other}"));
    }
    h.push(format!("Subject: {}", subject_header(rng, c, subject)));
    h.push(format!("Date: {}", rfc5322(sent)));
    // A few web forms send without a Message-ID; hako derives one, and later mail cannot
    // refer to it.
    let id = (!(m.client == Client::WebForm && rng.chance(0.1))).then_some(id);
    if let Some(id) = &id {
        h.push(format!("Message-ID: <{id}>"));
    }
    if let Some(r) = &refs {
        h.push(format!("In-Reply-To: <{}>", r.in_reply_to));
        // Mailers keep the first and the latest references when the list grows long.
        let refs: Vec<&String> = if r.references.len() > 10 {
            r.references[..1]
                .iter()
                .chain(&r.references[r.references.len() - 9..])
                .collect()
        } else {
            r.references.iter().collect()
        };
        let list: Vec<String> = refs.iter().map(|r| format!("<{r}>")).collect();
        h.push(format!("References: {}", list.join("\r\n ")));
    }
    if let Some(agent) = agent_header(c) {
        h.push(agent.to_string());
    }

    let charset_label = m.charset.for_text(body).label();
    let mut content = if m.html {
        let logo = (m.client == Client::Outlook && rng.chance(0.15)).then(|| attach::logo(rng));
        let cid = logo.as_ref().map(|_| {
            format!(
                "image001.png@01DB{}.{}",
                rng.hex(4).to_uppercase(),
                rng.hex(8).to_uppercase()
            )
        });
        let html = mime::text(
            &m,
            "html",
            &text::html(body, m.client, charset_label, cid.as_deref()),
        );
        let html = match (logo, cid) {
            (Some(logo), Some(cid)) => Part::Multi {
                subtype: "related",
                params: " type=\"text/html\";".into(),
                boundary: mime::boundary(rng, m.client),
                parts: vec![
                    html,
                    mime::attachment(&m, &logo.name, logo.ctype, &logo.data, Some(&cid)),
                ],
            },
            _ => html,
        };
        Part::Multi {
            subtype: "alternative",
            params: String::new(),
            boundary: mime::boundary(rng, m.client),
            parts: vec![mime::text(&m, "plain", body), html],
        }
    } else {
        mime::text(&m, "plain", body)
    };
    if !files.is_empty() {
        let mut parts = vec![content];
        parts.extend(
            files
                .iter()
                .map(|f| mime::attachment(&m, &f.name, f.ctype, &f.data, None)),
        );
        content = Part::Multi {
            subtype: "mixed",
            params: String::new(),
            boundary: mime::boundary(rng, m.client),
            parts,
        };
    }
    (mime::message(&h, &content), id)
}

fn files(rng: &mut Rng, c: &Customer, p: f64, at: DateTime<FixedOffset>) -> Vec<File> {
    let mut out = vec![];
    if rng.chance(p) {
        out.push(attach::customer_file(rng, c.lang, c.mailer.client, at));
        // A second file, unless the first was a large photo: mails stay under 500 KB.
        if out[0].data.len() < 100_000 && rng.chance(0.15) {
            out.push(attach::customer_file(rng, c.lang, c.mailer.client, at));
        }
    }
    out
}

/// A new inquiry: starts a thread.
pub(crate) fn inquiry(corpus: &mut Corpus, at: DateTime<FixedOffset>) -> Vec<u8> {
    let ci = corpus.rng.below(corpus.customers.len());
    let inbox = corpus.inbox();
    let topic = corpus.rng.below(TOPICS.len());
    let c = &corpus.customers[ci];
    let subject = text::subject(&mut corpus.rng, c, &TOPICS[topic], at);
    let body = text::inquiry(&mut corpus.rng, c, &TOPICS[topic], at);
    let attachments = files(&mut corpus.rng, c, 0.05, at);
    let (mail, id) = customer_mail(corpus, ci, inbox, &subject, &body, None, attachments, at);
    corpus.threads.push_back(Thread {
        customer: ci,
        inbox,
        topic,
        subject,
        ids: id.into_iter().collect(),
        last_text: body,
        last_at: at,
        mails: 1,
    });
    mail
}

/// The prefix a mailer puts before a reply's subject.
fn re_prefix(rng: &mut Rng, client: Client) -> &'static str {
    if rng.chance(0.04) {
        return "Re: Re: ";
    }
    match client {
        Client::Outlook => "RE: ",
        Client::Carrier => "Re:",
        _ => "Re: ",
    }
}

/// The customer answers our (unseen) answer to their last mail.
pub(crate) fn reply(corpus: &mut Corpus, t: usize, at: DateTime<FixedOffset>) -> Vec<u8> {
    let (ci, topic, last_at) = {
        let th = &corpus.threads[t];
        (th.customer, th.topic, th.last_at)
    };
    let answered_at = last_at + (at - last_at) / 2;
    let answer_id = trace::our_message_id(&mut corpus.rng);
    let c = &corpus.customers[ci];
    let answer = text::answer(
        &mut corpus.rng,
        c,
        &TOPICS[topic],
        answered_at,
        &corpus.threads[t].last_text,
    );
    let our_subject = format!("Re: {}", corpus.threads[t].subject);
    let body = text::reply(&mut corpus.rng, c, &answer, &our_subject, answered_at, at);
    let subject = format!(
        "{}{}",
        re_prefix(&mut corpus.rng, c.mailer.client),
        corpus.threads[t].subject
    );
    let drop_refs = corpus.rng.chance(match c.mailer.client {
        Client::Carrier | Client::WebForm => 0.5,
        _ => 0.08,
    });
    let attachments = files(&mut corpus.rng, c, 0.03, at);
    corpus.threads[t].ids.push(answer_id.clone());
    let references = corpus.threads[t].ids.clone();
    let refs = (!drop_refs).then_some(Refs {
        in_reply_to: &answer_id,
        references: &references,
    });
    let inbox = corpus.threads[t].inbox;
    let (mail, id) = customer_mail(corpus, ci, inbox, &subject, &body, refs, attachments, at);
    let th = &mut corpus.threads[t];
    th.ids.extend(id);
    th.last_text = body;
    th.last_at = at;
    th.mails += 1;
    if th.mails >= 8 {
        corpus.threads.remove(t);
    }
    mail
}

/// The customer adds to their own last mail, often the attachment they forgot.
pub(crate) fn addendum(corpus: &mut Corpus, t: usize, at: DateTime<FixedOffset>) -> Vec<u8> {
    let ci = corpus.threads[t].customer;
    let c = &corpus.customers[ci];
    let (lead, note) = match c.lang {
        Lang::Ja => (
            "Re: ",
            "先ほどお送りしたメールに追記いたします。\n添付ファイルを付け忘れておりましたので、改めてお送りいたします。\n\n大変失礼いたしました。",
        ),
        Lang::En => (
            "Re: ",
            "Sorry, I forgot the attachment in my previous email. Here it is.",
        ),
    };
    let body = format!("{note}\n\n{}\n", c.signature(&mut corpus.rng));
    let mut attachments = files(&mut corpus.rng, c, 0.7, at);
    if attachments.is_empty() && corpus.rng.chance(0.5) {
        attachments.push(attach::customer_file(
            &mut corpus.rng,
            c.lang,
            c.mailer.client,
            at,
        ));
    }
    let subject = format!("{lead}{}", corpus.threads[t].subject);
    let Some(last) = corpus.threads[t].ids.last().cloned() else {
        return inquiry(corpus, at);
    };
    let references = corpus.threads[t].ids.clone();
    let inbox = corpus.threads[t].inbox;
    let refs = Some(Refs {
        in_reply_to: &last,
        references: &references,
    });
    let (mail, id) = customer_mail(corpus, ci, inbox, &subject, &body, refs, attachments, at);
    let th = &mut corpus.threads[t];
    th.ids.extend(id);
    th.mails += 1;
    mail
}

/// An out-of-office reply to the answer we just sent in thread `t`.
pub(crate) fn auto_reply(corpus: &mut Corpus, t: usize, at: DateTime<FixedOffset>) -> Vec<u8> {
    let answer_id = trace::our_message_id(&mut corpus.rng);
    let th = &corpus.threads[t];
    let c = &corpus.customers[th.customer];
    let to = &corpus.spec.inboxes[th.inbox];
    let mail = special::auto_reply(
        &mut corpus.rng,
        c,
        to,
        &format!("Re: {}", th.subject),
        &answer_id,
        at,
    );
    corpus.threads[t].ids.push(answer_id);
    mail
}

/// Our answer in thread `t` bounced.
pub(crate) fn bounce(corpus: &mut Corpus, t: usize, at: DateTime<FixedOffset>) -> Vec<u8> {
    let answer_id = trace::our_message_id(&mut corpus.rng);
    let th = &corpus.threads[t];
    let c = &corpus.customers[th.customer];
    let to = &corpus.spec.inboxes[th.inbox];
    special::bounce(&mut corpus.rng, c, to, &th.subject, &answer_id, at)
}
