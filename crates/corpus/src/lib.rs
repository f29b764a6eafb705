//! A seeded generator of a realistic support mailbox, for hako's ingest benchmark
//! (BENCHMARKS.md): customers writing in Japanese and English, threads of inquiries and
//! replies that quote the team's answers, the charsets real Japanese traffic mixes
//! (ISO-2022-JP, Shift_JIS, UTF-8), HTML twins, attachments, and a few out-of-office
//! replies, bounces and newsletters. Pure generation plus a Maildir writer: no async, no
//! database. The same [`CorpusSpec`] gives the same bytes on every machine.
//!
//! ```no_run
//! let spec = hako_corpus::CorpusSpec::new(10_000, 1);
//! hako_corpus::write_maildir("/tmp/corpus".as_ref(), hako_corpus::generate(&spec)).unwrap();
//! ```

mod attach;
mod compose;
mod encode;
mod maildir;
mod mime;
mod people;
mod rng;
mod special;
mod text;
mod topics;
mod trace;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use std::collections::VecDeque;

pub use maildir::{arrival_time, write_maildir};

/// `text` as RFC 2047 UTF-8 encoded-words for a header (ASCII stays as is), for other tools
/// that write mail: the search benchmark's Maildir export, tests.
pub fn encoded_header(text: &str) -> String {
    encode::encoded_words(encode::Charset::Utf8, text)
}

use crate::people::Customer;
use crate::rng::Rng;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusSpec {
    /// Mails in the corpus.
    pub messages: u64,
    pub seed: u64,
    /// Distinct customers (senders).
    pub customers: u64,
    /// Our addresses (the shared inboxes); the first receives most mail.
    pub inboxes: Vec<String>,
    /// When the first mail arrives.
    pub start: DateTime<Utc>,
    /// The span the mails arrive over, busier in Japanese office hours.
    pub days: u32,
}

impl CorpusSpec {
    /// `messages` mails for `seed`: one customer per four mails, `support@` and `info@`
    /// `example.test`, half a year from Monday 2026-01-05 09:00 JST.
    pub fn new(messages: u64, seed: u64) -> CorpusSpec {
        CorpusSpec {
            messages,
            seed,
            customers: (messages / 4).max(20),
            inboxes: vec!["support@example.test".into(), "info@example.test".into()],
            start: Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).unwrap(),
            days: 182,
        }
    }
}

/// The raw RFC 5322 mails (CRLF) of `spec`, in arrival order.
pub fn generate(spec: &CorpusSpec) -> Corpus {
    let mut rng = Rng::new(spec.seed);
    let customers = (0..spec.customers.max(1))
        .map(|n| people::customer(&mut rng, n, 0.68))
        .collect();
    let jst = FixedOffset::east_opt(9 * 3600).expect("valid offset");
    Corpus {
        spec: spec.clone(),
        rng,
        customers,
        threads: VecDeque::new(),
        now: spec.start.with_timezone(&jst),
        mean_gap: f64::from(spec.days.max(1)) * 86_400.0 / spec.messages.max(1) as f64,
        produced: 0,
    }
}

/// The iterator [`generate`] returns.
pub struct Corpus {
    spec: CorpusSpec,
    rng: Rng,
    customers: Vec<Customer>,
    /// Conversations that may get another mail, newest last.
    threads: VecDeque<Thread>,
    /// Arrival time of the last mail, in JST (the team's clock).
    now: DateTime<FixedOffset>,
    mean_gap: f64,
    produced: u64,
}

/// One conversation with a customer.
pub(crate) struct Thread {
    pub customer: usize,
    pub inbox: usize,
    pub topic: usize,
    /// The first mail's subject.
    pub subject: String,
    /// Message-IDs so far, the customer's and our answers, oldest first.
    pub ids: Vec<String>,
    /// The customer's last mail, which our next answer quotes.
    pub last_text: String,
    pub last_at: DateTime<FixedOffset>,
    pub mails: u32,
}

/// Threads older than this many mails back stop getting replies.
const OPEN_THREADS: usize = 400;

impl Corpus {
    /// The next arrival: exponential gaps, three times denser in office hours (JST,
    /// weekdays 9–18) than at night, quieter at weekends.
    fn advance(&mut self) -> DateTime<FixedOffset> {
        use chrono::{Datelike, Timelike};
        let weekday = self.now.weekday().num_days_from_monday() < 5;
        let hour = self.now.hour();
        let weight = match (weekday, (9..18).contains(&hour)) {
            (true, true) => 2.0,
            (true, false) => 0.5,
            (false, _) => 0.4,
        };
        // 0.873 is the mean weight over a week, so the corpus spans about `days`.
        let u = self.rng.unit().max(1e-12);
        let gap = -u.ln() * self.mean_gap * 0.873 / weight;
        self.now += Duration::milliseconds((gap * 1000.0) as i64 + 1000);
        self.now
    }

    fn inbox(&mut self) -> usize {
        let n = self.spec.inboxes.len();
        if n <= 1 || self.rng.chance(0.7) {
            0
        } else {
            1 + self.rng.below(n - 1)
        }
    }

    /// A recent open thread, newer ones likelier.
    fn pick_thread(&mut self) -> Option<usize> {
        let n = self.threads.len();
        if n == 0 {
            return None;
        }
        let back = (self.rng.unit().powi(3) * n as f64) as usize;
        Some(n - 1 - back.min(n - 1))
    }
}

impl Iterator for Corpus {
    type Item = Vec<u8>;

    fn next(&mut self) -> Option<Vec<u8>> {
        if self.produced >= self.spec.messages {
            return None;
        }
        self.produced += 1;
        let at = self.advance();
        let kind = self.rng.weighted(&[510, 400, 40, 30, 15, 5]);
        let thread = if kind == 0 { None } else { self.pick_thread() };
        let mail = match (kind, thread) {
            (3, _) => {
                let inbox = self.inbox();
                let to = self.spec.inboxes[inbox].clone();
                special::newsletter(&mut self.rng, &to, self.produced, at)
            }
            (1, Some(t)) => compose::reply(self, t, at),
            (2, Some(t)) => compose::addendum(self, t, at),
            (4, Some(t)) => compose::auto_reply(self, t, at),
            (5, Some(t)) => compose::bounce(self, t, at),
            _ => compose::inquiry(self, at),
        };
        while self.threads.len() > OPEN_THREADS {
            self.threads.pop_front();
        }
        Some(mail)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.spec.messages - self.produced) as usize;
        (left, Some(left))
    }
}
