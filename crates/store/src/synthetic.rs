//! Generated data for benchmarks: a support team's year of mail, fast.
//!
//! Inboxes, agents and labels go through the public API; tickets, contacts, messages, labels
//! on tickets and a few audit events are bulk-inserted with plain SQL in large transactions.
//! The rows obey the schema (CHECK constraints and foreign keys stay on) and the invariants
//! the operations keep: a ticket's `last_activity_at`, `last_customer_message_at`,
//! `waiting_since` and `first_response_at` are what `recompute_timeline` would compute from
//! its messages, a snoozed ticket has a wake time in the future, assignees are members of the
//! ticket's inbox. The same spec and seed give the same data (for the same "now").

use std::time::{Duration, Instant};

use hako_domain::{
    AgentId, Channel, Direction, EmailAddress, InboxId, LabelId, Participant, Role, StatusKind,
};
use rusqlite::{Transaction, TransactionBehavior, params};

use crate::codec::{from_ms, ms, to_json};
use crate::{NewAgent, NewInbox, Result, Store, StoreError};

/// What to generate. `Default` is the benchmark's size: 100k tickets, 500k messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticSpec {
    pub tickets: u64,
    /// At least one per ticket.
    pub messages: u64,
    pub inboxes: u32,
    pub agents: u32,
    pub labels: u32,
    /// Tickets are created over this many weeks, ending now.
    pub weeks: u32,
    pub seed: u64,
}

impl Default for SyntheticSpec {
    fn default() -> Self {
        SyntheticSpec {
            tickets: 100_000,
            messages: 500_000,
            inboxes: 3,
            agents: 12,
            labels: 12,
            weeks: 52,
            seed: 1,
        }
    }
}

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticSummary {
    pub inboxes: Vec<InboxId>,
    pub agents: Vec<AgentId>,
    pub labels: Vec<LabelId>,
    pub contacts: u64,
    pub contact_addresses: u64,
    pub tickets: u64,
    pub messages: u64,
    pub ticket_labels: u64,
    pub events: u64,
    pub elapsed: Duration,
}

/// The SQLite library version the store runs on, for benchmark records.
pub fn sqlite_version() -> &'static str {
    rusqlite::version()
}

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
/// Japan: the team's office hours decide when mail arrives.
const JST: i64 = 9 * HOUR;
/// Tickets per write transaction.
const BATCH: usize = 10_000;
/// Progress is reported about every this many rows (tickets + messages).
const PROGRESS_EVERY: u64 = 10_000;

/// Fills an empty store with `spec`'s inboxes, agents, labels, tickets and messages, then
/// runs `ANALYZE`. `progress(done, total)` is called about every 10k rows, counting tickets
/// plus messages.
pub fn generate(
    store: &mut Store,
    spec: &SyntheticSpec,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<SyntheticSummary> {
    let started = Instant::now();
    check_spec(store, spec)?;
    let now = ms(store.now());
    let mut rng = Rng::new(spec.seed);

    let mut inboxes = make_inboxes(store, spec)?;
    let agents = make_agents(store, spec, &mut inboxes, &mut rng)?;
    let labels = make_labels(store, spec)?;

    let (plans, contacts) = plan_tickets(spec, now, &inboxes, labels.len(), &mut rng);
    let total_rows = spec.tickets + spec.messages;
    let mut w = Writer {
        now,
        inboxes: &inboxes,
        agents: &agents,
        labels: &labels,
        contacts: &contacts,
        written_contacts: 0,
        counts: Counts::default(),
        next_message_id: 1,
    };
    let mut rows_done = 0u64;
    let mut last_report = 0u64;
    for (b, chunk) in plans.chunks(BATCH).enumerate() {
        let tx = store
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::sql("begin a bulk insert"))?;
        for (k, plan) in chunk.iter().enumerate() {
            let index = b * BATCH + k;
            w.ticket(&tx, index, plan, &mut rng)
                .map_err(StoreError::sql("insert generated tickets"))?;
            rows_done += 1 + plan.messages as u64;
            if rows_done - last_report >= PROGRESS_EVERY {
                last_report = rows_done;
                progress(rows_done, total_rows);
            }
        }
        tx.commit()
            .map_err(StoreError::sql("commit a bulk insert"))?;
    }
    progress(rows_done, total_rows);

    store
        .conn
        .execute_batch("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);")
        .map_err(StoreError::sql("analyze the generated data"))?;
    let c = w.counts;
    Ok(SyntheticSummary {
        inboxes: inboxes.iter().map(|i| i.id).collect(),
        agents: agents.iter().map(|a| a.id).collect(),
        labels: labels.iter().map(|l| l.0).collect(),
        contacts: c.contacts,
        contact_addresses: c.contact_addresses,
        tickets: c.tickets,
        messages: c.messages,
        ticket_labels: c.ticket_labels,
        events: c.events,
        elapsed: started.elapsed(),
    })
}

fn check_spec(store: &Store, spec: &SyntheticSpec) -> Result<()> {
    let bad = |why: &str| Err(StoreError::invalid("synthetic data spec", why));
    if spec.messages < spec.tickets {
        return bad("needs at least one message per ticket");
    }
    if spec.inboxes == 0 || spec.agents == 0 || spec.weeks == 0 {
        return bad("needs at least one inbox, one agent and one week");
    }
    let used: i64 = store
        .conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM tickets) + (SELECT COUNT(*) FROM contacts)
                  + (SELECT COUNT(*) FROM inboxes) + (SELECT COUNT(*) FROM agents)
                  + (SELECT COUNT(*) FROM labels)",
            [],
            |r| r.get(0),
        )
        .map_err(StoreError::sql("check the store is empty"))?;
    if used > 0 {
        return Err(StoreError::invalid(
            format!("database {}", store.path().display()),
            "is not empty; synthetic data goes into a fresh store",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Randomness: SplitMix64, small and deterministic.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo).max(1) as u64) as i64
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    /// Exponentially distributed with this mean.
    fn exp(&mut self, mean: f64) -> f64 {
        -(1.0 - self.unit()).ln() * mean
    }
}

/// Picks an index with probability proportional to its weight.
struct Weighted(Vec<f64>);

impl Weighted {
    fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut sum = 0.0;
        Weighted(
            weights
                .into_iter()
                .map(|w| {
                    sum += w;
                    sum
                })
                .collect(),
        )
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.0.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.0.partition_point(|&c| c <= x).min(self.0.len() - 1)
    }
}

/// Zipf-like weights: the first items are the busy ones.
fn zipf(n: usize, s: f64) -> Weighted {
    Weighted::new((0..n).map(|i| 1.0 / ((i + 1) as f64).powf(s)))
}

// ---------------------------------------------------------------------------------------------
// The team: inboxes, agents, labels through the public API.

struct InboxInfo {
    id: InboxId,
    address: String,
    display: &'static str,
    display_en: &'static str,
    /// Agents who are members (plus supervisors and admins), and how busy each is.
    members: Vec<usize>,
    member_weights: Weighted,
}

struct AgentInfo {
    id: AgentId,
    email: String,
    surname_ja: &'static str,
    surname_en: &'static str,
}

const INBOXES: [(&str, &str, &str); 6] = [
    ("support", "カスタマーサポート", "Customer Support"),
    ("info", "お問い合わせ窓口", "Information Desk"),
    ("billing", "請求窓口", "Billing Team"),
    ("sales", "営業部", "Sales"),
    ("partners", "パートナー窓口", "Partner Support"),
    ("recruit", "採用担当", "Recruiting"),
];

fn make_inboxes(store: &mut Store, spec: &SyntheticSpec) -> Result<Vec<InboxInfo>> {
    let mut out = vec![];
    for i in 0..spec.inboxes as usize {
        let (name, display, display_en) = match INBOXES.get(i) {
            Some(&(n, d, e)) => (n.to_string(), d, e),
            None => (format!("inbox{}", i + 1), "サポート", "Support"),
        };
        let address = format!("{name}@hako.example");
        let inbox = store.sync_inbox(&NewInbox {
            name: name.clone(),
            address: EmailAddress::parse(&address).map_err(StoreError::domain("inbox address"))?,
            display_name: display.to_string(),
            signature: format!("{display}\n{address}"),
            requires_approval: false,
            auto_reply: None,
        })?;
        out.push(InboxInfo {
            id: inbox.id,
            address,
            display,
            display_en,
            members: vec![],
            member_weights: Weighted(vec![]),
        });
    }
    Ok(out)
}

const AGENT_NAMES: [(&str, &str, &str); 16] = [
    ("管理 者", "kanri", "Kanri"),
    ("高橋 誠", "takahashi", "Takahashi"),
    ("佐藤 美咲", "sato", "Sato"),
    ("鈴木 翔太", "suzuki", "Suzuki"),
    ("田中 陽子", "tanaka", "Tanaka"),
    ("伊藤 大輔", "ito", "Ito"),
    ("渡辺 さくら", "watanabe", "Watanabe"),
    ("山本 健", "yamamoto", "Yamamoto"),
    ("中村 優花", "nakamura", "Nakamura"),
    ("小林 拓也", "kobayashi", "Kobayashi"),
    ("加藤 真由", "kato", "Kato"),
    ("吉田 亮", "yoshida", "Yoshida"),
    ("山田 愛", "yamada", "Yamada"),
    ("松本 直樹", "matsumoto", "Matsumoto"),
    ("井上 彩", "inoue", "Inoue"),
    ("木村 修", "kimura", "Kimura"),
];

fn make_agents(
    store: &mut Store,
    spec: &SyntheticSpec,
    inboxes: &mut [InboxInfo],
    rng: &mut Rng,
) -> Result<Vec<AgentInfo>> {
    let n_inboxes = inboxes.len();
    let all: Vec<InboxId> = inboxes.iter().map(|i| i.id).collect();
    let mut out = vec![];
    let mut weights = vec![];
    for i in 0..spec.agents as usize {
        let (name, local, en) = AGENT_NAMES[i % AGENT_NAMES.len()];
        let local = if i < AGENT_NAMES.len() {
            local.to_string()
        } else {
            format!("{local}{}", i / AGENT_NAMES.len() + 1)
        };
        // The first is the admin, the second a supervisor: they see every inbox and hold
        // few tickets. The rest are agents of one inbox, some of two.
        let (role, member_of, weight) = match i {
            0 => (Role::Admin, (0..n_inboxes).collect::<Vec<_>>(), 0.05),
            1 => (Role::Supervisor, (0..n_inboxes).collect(), 0.3),
            _ => {
                let first = (i - 2) % n_inboxes;
                let mut m = vec![first];
                if n_inboxes > 1 && rng.chance(0.35) {
                    let other = (first + 1 + rng.below(n_inboxes as u64 - 1) as usize) % n_inboxes;
                    m.push(other);
                }
                (Role::Agent, m, 0.6 + rng.unit() * 0.8)
            }
        };
        let email = format!("{local}@hako.example");
        let agent = store.add_agent(
            hako_domain::Actor::System,
            &NewAgent {
                name: name.to_string(),
                email: EmailAddress::parse(&email).map_err(StoreError::domain("agent address"))?,
                role,
                colour: None,
                inboxes: member_of.iter().map(|&m| all[m]).collect(),
                password: None,
                can_send: true,
            },
        )?;
        for &m in &member_of {
            inboxes[m].members.push(i);
        }
        weights.push(weight);
        let (surname_ja, _) = name.split_once(' ').unwrap_or((name, ""));
        out.push(AgentInfo {
            id: agent.id,
            email,
            surname_ja,
            surname_en: en,
        });
    }
    for inbox in inboxes.iter_mut() {
        inbox.member_weights = Weighted::new(inbox.members.iter().map(|&a| weights[a]));
    }
    Ok(out)
}

const LABELS: [&str; 16] = [
    "請求",
    "配送",
    "返品・交換",
    "不具合",
    "アカウント",
    "要望",
    "解約",
    "その他",
    "至急",
    "VIP",
    "クレーム",
    "bug",
    "feature-request",
    "法人",
    "partner",
    "FAQ候補",
];

/// Label ids in generation order: the first eight match the topics' indexes.
struct LabelInfo(LabelId);

fn make_labels(store: &mut Store, spec: &SyntheticSpec) -> Result<Vec<LabelInfo>> {
    (0..spec.labels as usize)
        .map(|i| {
            let name = match LABELS.get(i) {
                Some(n) => n.to_string(),
                None => format!("label-{}", i + 1),
            };
            Ok(LabelInfo(
                store.add_label(hako_domain::Actor::System, &name, None)?.id,
            ))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Planning: every ticket's shape before anything is written.

struct ContactPlan {
    name: Option<String>,
    /// Used in greetings: a surname, or the address's local part.
    salutation: String,
    addresses: Vec<String>,
    ja: bool,
}

struct TicketPlan {
    created: i64,
    inbox: usize,
    contact: usize,
    status: StatusKind,
    topic: usize,
    ja: bool,
    channel: Channel,
    assignee: Option<usize>,
    labels: [u8; 3],
    n_labels: u8,
    messages: u32,
}

fn plan_tickets(
    spec: &SyntheticSpec,
    now: i64,
    inboxes: &[InboxInfo],
    n_labels: usize,
    rng: &mut Rng,
) -> (Vec<TicketPlan>, Vec<ContactPlan>) {
    let created = creation_times(spec, now, rng);
    let inbox_w = zipf(inboxes.len(), 1.2);
    let topic_w = Weighted::new(TOPICS.iter().map(|t| t.weight));
    let label_w = zipf(n_labels, 0.9);
    let mut contacts: Vec<ContactPlan> = vec![];
    let mut plans = Vec::with_capacity(created.len());
    for created in created {
        let age = now - created;
        let status = pick_status(age, rng);
        let junk = matches!(status, StatusKind::Spam | StatusKind::Trash);
        let inbox = inbox_w.sample(rng);
        let ja = rng.chance(0.75);
        // Repeat customers are common (weighted towards the oldest, the regulars); spam
        // always comes from somebody new.
        let contact = if !junk && !contacts.is_empty() && rng.chance(0.42) {
            let u = rng.unit().powf(1.6);
            ((contacts.len() as f64 * u) as usize).min(contacts.len() - 1)
        } else {
            contacts.push(new_contact(contacts.len() + 1, ja, junk, rng));
            contacts.len() - 1
        };
        let ja = contacts[contact].ja;
        let channel = match rng.below(100) {
            _ if junk => Channel::Email,
            0..=3 => Channel::Phone,
            4 => Channel::Line,
            _ => Channel::Email,
        };
        let p_assigned = match status {
            StatusKind::Open => 0.75,
            StatusKind::Pending | StatusKind::Snoozed => 0.97,
            StatusKind::Closed => 0.93,
            _ => 0.0,
        };
        let assignee = (rng.chance(p_assigned) || channel != Channel::Email && !junk).then(|| {
            let i = &inboxes[inbox];
            i.members[i.member_weights.sample(rng)]
        });
        let topic = topic_w.sample(rng);
        let mut labels = [0u8; 3];
        let mut count = 0u8;
        if !junk && n_labels > 0 {
            let want = match rng.below(100) {
                0..=17 => 0,
                18..=69 => 1,
                70..=91 => 2,
                _ => 3,
            }
            .min(n_labels);
            let mut tries = 0;
            while (count as usize) < want && tries < 20 {
                tries += 1;
                let l = if count == 0 && topic < n_labels && rng.chance(0.7) {
                    topic
                } else {
                    label_w.sample(rng)
                };
                if !labels[..count as usize].contains(&(l as u8)) {
                    labels[count as usize] = l as u8;
                    count += 1;
                }
            }
        }
        plans.push(TicketPlan {
            created,
            inbox,
            contact,
            status,
            topic,
            ja,
            channel,
            assignee,
            labels,
            n_labels: count,
            messages: 1,
        });
    }
    allocate_messages(&mut plans, spec.messages, rng);
    (plans, contacts)
}

/// Creation times over `weeks` weeks ending an hour ago, sorted: busier on weekdays and in
/// office hours (JST), growing slowly over the year.
fn creation_times(spec: &SyntheticSpec, now: i64, rng: &mut Rng) -> Vec<i64> {
    let days = spec.weeks as i64 * 7;
    let start = now - days * DAY;
    let latest = now - HOUR;
    // Local midnight on or before the start.
    let base = (start + JST).div_euclid(DAY) * DAY - JST;
    let mut out = Vec::with_capacity(spec.tickets as usize);
    while (out.len() as u64) < spec.tickets {
        let day = rng.range(0, days + 1);
        let local_day = (base + JST).div_euclid(DAY) + day;
        // 1970-01-01 was a Thursday: Monday is 0.
        let weekend = (local_day + 3).rem_euclid(7) >= 5;
        let growth = 0.75 + 0.25 * day as f64 / days as f64;
        if !rng.chance(if weekend { 0.35 * growth } else { growth }) {
            continue;
        }
        let hour = if rng.chance(0.78) {
            rng.range(9, 18)
        } else {
            rng.range(0, 24)
        };
        let t = base + day * DAY + hour * HOUR + rng.range(0, HOUR);
        if t >= start && t <= latest {
            out.push(t);
        }
    }
    out.sort_unstable();
    out
}

/// Mostly closed; the recent ones are still being worked on; a few spam.
fn pick_status(age: i64, rng: &mut Rng) -> StatusKind {
    use StatusKind::*;
    // Percent: open, pending, snoozed, spam, trash; the rest is closed.
    let table: [(StatusKind, f64); 5] = if age < 3 * DAY {
        [
            (Open, 45.0),
            (Pending, 15.0),
            (Snoozed, 5.0),
            (Spam, 4.0),
            (Trash, 1.0),
        ]
    } else if age < 14 * DAY {
        [
            (Open, 15.0),
            (Pending, 12.0),
            (Snoozed, 6.0),
            (Spam, 4.0),
            (Trash, 1.0),
        ]
    } else if age < 60 * DAY {
        [
            (Open, 2.0),
            (Pending, 3.0),
            (Snoozed, 2.0),
            (Spam, 3.0),
            (Trash, 1.0),
        ]
    } else {
        [
            (Open, 0.3),
            (Pending, 0.5),
            (Snoozed, 0.2),
            (Spam, 2.5),
            (Trash, 0.5),
        ]
    };
    let mut x = rng.unit() * 100.0;
    for (s, p) in table {
        if x < p {
            return s;
        }
        x -= p;
    }
    Closed
}

/// Spreads the messages over the tickets: one each, the rest exponentially distributed over
/// the real conversations (spam and trash keep their single message), exactly `total`.
fn allocate_messages(plans: &mut [TicketPlan], total: u64, rng: &mut Rng) {
    let extra = total - plans.len() as u64;
    let mut eligible: Vec<usize> = (0..plans.len())
        .filter(|&i| !matches!(plans[i].status, StatusKind::Spam | StatusKind::Trash))
        .collect();
    if eligible.is_empty() {
        eligible = (0..plans.len()).collect();
    }
    if eligible.is_empty() || extra == 0 {
        return;
    }
    let mean = extra as f64 / eligible.len() as f64;
    let cap = (mean * 12.0).max(40.0) as u64;
    let mut given = 0u64;
    for &i in &eligible {
        let n = (rng.exp(mean) as u64).min(cap);
        plans[i].messages += n as u32;
        given += n;
    }
    // Then to the exact total, one message at a time on random conversations.
    while given < extra {
        plans[*rng.pick(&eligible)].messages += 1;
        given += 1;
    }
    while given > extra {
        let i = *rng.pick(&eligible);
        if plans[i].messages > 1 {
            plans[i].messages -= 1;
            given -= 1;
        }
    }
}

/// (Japanese, romaji).
type Name = (&'static str, &'static str);

const SURNAMES: [Name; 20] = [
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
];

const GIVEN: [Name; 16] = [
    ("太郎", "taro"),
    ("花子", "hanako"),
    ("健太", "kenta"),
    ("由美", "yumi"),
    ("大輔", "daisuke"),
    ("恵", "megumi"),
    ("翔", "sho"),
    ("美穂", "miho"),
    ("浩二", "koji"),
    ("直美", "naomi"),
    ("拓海", "takumi"),
    ("千尋", "chihiro"),
    ("隆", "takashi"),
    ("明美", "akemi"),
    ("悠人", "yuto"),
    ("綾香", "ayaka"),
];

const EN_FIRST: [&str; 12] = [
    "Emily", "James", "Olivia", "Daniel", "Sophie", "Michael", "Hannah", "David", "Grace",
    "Thomas", "Chloe", "Robert",
];
const EN_LAST: [&str; 12] = [
    "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Clark", "Lee", "Walker", "Young", "King",
    "Wright", "Green",
];
const DOMAINS_JA: [&str; 4] = [
    "example.jp",
    "example.co.jp",
    "example.ne.jp",
    "mail.example.jp",
];
const DOMAINS_EN: [&str; 3] = ["example.com", "example.net", "example.org"];

fn new_contact(n: usize, ja: bool, spam: bool, rng: &mut Rng) -> ContactPlan {
    if spam {
        let local = format!("promo{n}");
        return ContactPlan {
            name: rng.chance(0.5).then(|| "Marketing Team".to_string()),
            salutation: local.clone(),
            addresses: vec![format!("{local}@spam.example")],
            ja,
        };
    }
    let (name, surname, local, domains): (String, String, String, &[&str]) = if ja {
        let s = rng.pick(&SURNAMES);
        let g = rng.pick(&GIVEN);
        (
            format!("{} {}", s.0, g.0),
            s.0.to_string(),
            format!("{}.{}{n}", g.1, s.1),
            &DOMAINS_JA,
        )
    } else {
        let f = rng.pick(&EN_FIRST);
        let l = rng.pick(&EN_LAST);
        (
            format!("{f} {l}"),
            l.to_string(),
            format!("{}.{}{n}", f.to_lowercase(), l.to_lowercase()),
            &DOMAINS_EN,
        )
    };
    let mut addresses = vec![format!("{local}@{}", rng.pick(domains))];
    if rng.chance(0.08) {
        addresses.push(format!("{local}@mobile.example.jp"));
    }
    let named = rng.chance(0.85);
    ContactPlan {
        name: named.then_some(name),
        salutation: if named { surname } else { local },
        addresses,
        ja,
    }
}

// ---------------------------------------------------------------------------------------------
// Writing.

#[derive(Default, Clone, Copy)]
struct Counts {
    contacts: u64,
    contact_addresses: u64,
    tickets: u64,
    messages: u64,
    ticket_labels: u64,
    events: u64,
}

struct Writer<'a> {
    now: i64,
    inboxes: &'a [InboxInfo],
    agents: &'a [AgentInfo],
    labels: &'a [LabelInfo],
    contacts: &'a [ContactPlan],
    written_contacts: usize,
    counts: Counts,
    next_message_id: i64,
}

/// One message of a generated thread.
struct Msg {
    dir: Direction,
    at: i64,
}

impl Writer<'_> {
    fn ticket(
        &mut self,
        tx: &Transaction<'_>,
        index: usize,
        p: &TicketPlan,
        rng: &mut Rng,
    ) -> rusqlite::Result<()> {
        // Contacts are numbered in order of first use, which is ticket order.
        if p.contact == self.written_contacts {
            self.contact(tx, p.contact, p.created)?;
        }
        let id = index as i64 + 1;
        let number = hako_domain::TicketNumber::FIRST.0 + index as i64;
        let thread = self.thread(p, rng);
        let topic = &TOPICS[p.topic];
        let junk = matches!(p.status, StatusKind::Spam | StatusKind::Trash);
        let subject = if junk {
            rng.pick(if p.ja { &SPAM_JA } else { &SPAM_EN }).to_string()
        } else {
            subject(topic, p.ja, rng)
        };

        // The timeline exactly as recompute_timeline derives it from the messages.
        let last_activity = thread.iter().map(|m| m.at).max().unwrap_or(p.created);
        let incoming = thread.iter().filter(|m| m.dir == Direction::Incoming);
        let last_customer = incoming.clone().map(|m| m.at).max();
        let last_out = thread
            .iter()
            .filter(|m| m.dir == Direction::Outgoing)
            .map(|m| m.at)
            .max();
        let first_response = thread
            .iter()
            .filter(|m| m.dir == Direction::Outgoing)
            .map(|m| m.at)
            .min();
        let waiting_since = incoming
            .map(|m| m.at)
            .filter(|&at| at > last_out.unwrap_or(-1))
            .min();
        let updated = (last_activity + rng.range(0, 2 * HOUR)).min(self.now);
        let snoozed_until =
            (p.status == StatusKind::Snoozed).then(|| self.now + rng.range(HOUR, 14 * DAY));
        let pending_reason = (p.status == StatusKind::Pending && rng.chance(0.75)).then(|| {
            *rng.pick(if p.ja {
                &PENDING_JA[..]
            } else {
                &PENDING_EN[..]
            })
        });
        let version = 1
            + thread.len() as i64
            + p.n_labels as i64
            + p.assignee.is_some() as i64
            + (p.status != StatusKind::Open) as i64;

        tx.prepare_cached(
            "INSERT INTO tickets (id, number, inbox_id, subject, contact_id, status,
                 pending_reason, snoozed_until, assignee_id, channel, created_at, updated_at,
                 last_activity_at, last_customer_message_at, waiting_since, first_response_at,
                 version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        )?
        .execute(params![
            id,
            number,
            self.inboxes[p.inbox].id.0,
            subject,
            p.contact as i64 + 1,
            p.status.as_str(),
            pending_reason,
            snoozed_until,
            p.assignee.map(|a| self.agents[a].id.0),
            p.channel.as_str(),
            p.created,
            updated,
            last_activity,
            last_customer,
            waiting_since,
            first_response,
            version,
        ])?;
        self.counts.tickets += 1;

        let mut label_stmt = tx.prepare_cached(
            "INSERT INTO ticket_labels (ticket_id, label_id, added_at) VALUES (?1, ?2, ?3)",
        )?;
        for &l in &p.labels[..p.n_labels as usize] {
            let at = (p.created + rng.range(MINUTE, 6 * HOUR)).min(updated);
            label_stmt.execute(params![id, self.labels[l as usize].0.0, at])?;
            self.counts.ticket_labels += 1;
        }

        self.messages(tx, id, number, p, &subject, &thread, rng)?;
        self.events(
            tx,
            id,
            number,
            p,
            updated,
            snoozed_until,
            pending_reason,
            rng,
        )?;
        Ok(())
    }

    fn contact(&mut self, tx: &Transaction<'_>, index: usize, at: i64) -> rusqlite::Result<()> {
        let c = &self.contacts[index];
        let id = index as i64 + 1;
        tx.prepare_cached("INSERT INTO contacts (id, name, created_at) VALUES (?1, ?2, ?3)")?
            .execute(params![id, c.name, at])?;
        let mut st = tx.prepare_cached(
            "INSERT INTO contact_addresses (address, contact_id, created_at) VALUES (?1, ?2, ?3)",
        )?;
        for a in &c.addresses {
            st.execute(params![a, id, at])?;
            self.counts.contact_addresses += 1;
        }
        self.written_contacts += 1;
        self.counts.contacts += 1;
        Ok(())
    }

    /// Directions and arrival times: the customer writes first, then we and they take turns
    /// (sometimes twice in a row), with internal notes in between. The last word fits the
    /// status: the customer's for open tickets, ours for pending and snoozed ones.
    fn thread(&self, p: &TicketPlan, rng: &mut Rng) -> Vec<Msg> {
        let n = p.messages as usize;
        let mut is_note: Vec<bool> = (0..n).map(|k| k > 0 && rng.chance(0.1)).collect();
        let mut m = is_note.iter().filter(|&&x| !x).count();
        let want_last = match p.status {
            StatusKind::Open => Direction::Incoming,
            StatusKind::Pending | StatusKind::Snoozed => Direction::Outgoing,
            StatusKind::Closed if rng.chance(0.85) => Direction::Outgoing,
            _ => Direction::Incoming,
        };
        if m == 1 && want_last == Direction::Outgoing && n > 1 {
            // Make the last note our reply instead.
            let last = is_note
                .iter()
                .rposition(|&x| x)
                .expect("n > 1 and one non-note");
            is_note[last] = false;
            m = 2;
        }
        let natural_last = if m % 2 == 1 {
            Direction::Incoming
        } else {
            Direction::Outgoing
        };
        // A double (two in a row from one side) flips who has the last word.
        let double = (natural_last != want_last && m >= 2).then(|| rng.range(1, m as i64) as usize);
        let mut dirs = Vec::with_capacity(n);
        let mut prev = Direction::Incoming;
        let mut j = 0;
        for &note in &is_note {
            if note {
                dirs.push(Direction::Note);
                continue;
            }
            let d = if j == 0 {
                Direction::Incoming
            } else if Some(j) == double {
                prev
            } else if prev == Direction::Incoming {
                Direction::Outgoing
            } else {
                Direction::Incoming
            };
            dirs.push(d);
            prev = d;
            j += 1;
        }

        // Gaps before each message: we answer within hours, customers within a day or so.
        let gaps: Vec<f64> = dirs
            .iter()
            .skip(1)
            .map(|d| match d {
                Direction::Outgoing => 5.0 * MINUTE as f64 + rng.exp(4.0 * HOUR as f64),
                Direction::Incoming => 10.0 * MINUTE as f64 + rng.exp(DAY as f64),
                Direction::Note => MINUTE as f64 + rng.exp(30.0 * MINUTE as f64),
            })
            .collect();
        let total: f64 = gaps.iter().sum();
        let latest = self.now - MINUTE;
        let natural_end = p.created as f64 + total;
        // Work in progress has its last message lately; finished work ends when it ended.
        let end = if p.status.is_active() {
            let lately = (self.now - rng.range(5 * MINUTE, 5 * DAY)) as f64;
            natural_end.max(lately)
        } else {
            natural_end
        };
        // A thread that would run past now is squeezed into a random part of the time
        // since it began, so recent tickets do not all end at the same instant.
        let end = if end > latest as f64 {
            p.created as f64 + (latest - p.created) as f64 * (0.3 + 0.7 * rng.unit())
        } else {
            end
        };
        let scale = if total > 0.0 {
            ((end - p.created as f64) / total).max(0.0)
        } else {
            0.0
        };
        let mut out = Vec::with_capacity(n);
        let mut at = p.created;
        let mut acc = 0.0;
        for (k, d) in dirs.into_iter().enumerate() {
            if k > 0 {
                acc += gaps[k - 1] * scale;
                at = (p.created + acc as i64).max(at + 1000).min(self.now);
            }
            out.push(Msg { dir: d, at });
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn messages(
        &mut self,
        tx: &Transaction<'_>,
        ticket: i64,
        number: i64,
        p: &TicketPlan,
        subject: &str,
        thread: &[Msg],
        rng: &mut Rng,
    ) -> rusqlite::Result<()> {
        let inbox = &self.inboxes[p.inbox];
        let contact = &self.contacts[p.contact];
        let email = p.channel == Channel::Email;
        let junk = matches!(p.status, StatusKind::Spam | StatusKind::Trash);
        let customer = Participant {
            name: contact.name.clone(),
            address: contact.addresses[0].clone(),
        };
        let us = Participant {
            name: Some(
                if p.ja {
                    inbox.display
                } else {
                    inbox.display_en
                }
                .to_string(),
            ),
            address: inbox.address.clone(),
        };
        // Who writes our side: the assignee, else a member of the inbox.
        let writer = p
            .assignee
            .unwrap_or_else(|| inbox.members[inbox.member_weights.sample(rng)]);
        let agent = &self.agents[writer];
        let topic = &TOPICS[p.topic];
        let mut st = tx.prepare_cached(
            "INSERT INTO messages (id, ticket_id, direction, message_id, in_reply_to, refs,
                 from_name, from_address, to_json, cc_json, date, subject, body_text,
                 author_id, received_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '[]', ?10, ?11, ?12, ?13, ?14, ?14)",
        )?;
        let mut ids: Vec<String> = vec![];
        for (k, m) in thread.iter().enumerate() {
            let id = self.next_message_id;
            self.next_message_id += 1;
            let mail = email && m.dir != Direction::Note;
            let message_id = mail.then(|| match m.dir {
                Direction::Outgoing => format!("<hako.{number}.{id}@hako.example>"),
                _ => format!("<{:016x}@{}>", rng.next_u64(), domain_of(&customer.address)),
            });
            let in_reply_to = match (&message_id, ids.last()) {
                (Some(_), Some(prev)) => to_json(&[prev]),
                _ => "[]".to_string(),
            };
            let refs = match &message_id {
                Some(_) => to_json(&&ids[ids.len().saturating_sub(5)..]),
                None => "[]".to_string(),
            };
            let (from, to, author, subj, body) = match m.dir {
                Direction::Incoming => {
                    let body = if junk {
                        spam_body(p.ja, rng)
                    } else if k == 0 {
                        first_body(topic, contact, p.ja, rng)
                    } else {
                        followup_body(topic, contact, p.ja, rng)
                    };
                    let subj = if k == 0 {
                        subject.to_string()
                    } else {
                        format!("Re: {subject} [#{number}]")
                    };
                    // A phone call or LINE message is typed in by the agent who took it.
                    let author = (!email).then_some(agent.id.0);
                    let from = if email { Some(&customer) } else { None };
                    (from, Some(&us), author, subj, body)
                }
                Direction::Outgoing => (
                    Some(&us),
                    Some(&customer),
                    Some(agent.id.0),
                    format!("Re: {subject} [#{number}]"),
                    reply_body(topic, contact, agent, inbox, p.ja, rng),
                ),
                Direction::Note => (
                    None,
                    None,
                    Some(agent.id.0),
                    String::new(),
                    rng.pick(if p.ja { &NOTES_JA[..] } else { &NOTES_EN[..] })
                        .to_string(),
                ),
            };
            let (from_name, from_address) = match (from, m.dir, email) {
                (Some(f), _, _) => (f.name.clone(), Some(f.address.clone())),
                (None, Direction::Incoming, false) => (contact.name.clone(), None),
                _ => (None, None),
            };
            let to_json_s = match to {
                Some(t) if mail => to_json(&[t]),
                _ => "[]".to_string(),
            };
            let date = mail.then(|| {
                if m.dir == Direction::Incoming {
                    m.at - rng.range(0, 30_000)
                } else {
                    m.at
                }
            });
            st.execute(params![
                id,
                ticket,
                m.dir.as_str(),
                message_id,
                in_reply_to,
                refs,
                from_name,
                from_address,
                to_json_s,
                date,
                subj,
                body,
                author,
                m.at,
            ])?;
            if let Some(mid) = message_id {
                ids.push(mid);
            }
            self.counts.messages += 1;
        }
        Ok(())
    }

    /// The audit events that matter to readers of a ticket's history: created, assigned, and
    /// the change to its present status.
    #[allow(clippy::too_many_arguments)]
    fn events(
        &mut self,
        tx: &Transaction<'_>,
        ticket: i64,
        number: i64,
        p: &TicketPlan,
        updated: i64,
        snoozed_until: Option<i64>,
        pending_reason: Option<&str>,
        rng: &mut Rng,
    ) -> rusqlite::Result<()> {
        let mut st = tx.prepare_cached(
            "INSERT INTO events (ticket_id, actor_kind, actor_id, action, before, after, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let assignee = p.assignee.map(|a| &self.agents[a]);
        let (kind, actor) = match (p.channel, assignee) {
            (Channel::Email, _) | (_, None) => ("system", None),
            (_, Some(a)) => ("agent", Some(a.id.0)),
        };
        let created = format!("#{number} via {}", p.channel.as_str());
        st.execute(params![
            ticket,
            kind,
            actor,
            "created",
            None::<String>,
            created,
            p.created
        ])?;
        self.counts.events += 1;
        if let Some(a) = assignee {
            let at = (p.created + rng.range(MINUTE, 2 * HOUR)).min(updated);
            st.execute(params![
                ticket,
                "agent",
                a.id.0,
                "assigned",
                None::<String>,
                a.email,
                at
            ])?;
            self.counts.events += 1;
        }
        if p.status != StatusKind::Open {
            let (action, after) = match (p.status, snoozed_until, pending_reason) {
                (StatusKind::Snoozed, Some(u), _) => (
                    "snoozed",
                    format!("snoozed until {}", from_ms(u).to_rfc3339()),
                ),
                (StatusKind::Pending, _, Some(r)) => ("status_changed", format!("pending ({r})")),
                (s, _, _) => ("status_changed", s.as_str().to_string()),
            };
            let (kind, actor) = match assignee {
                Some(a) => ("agent", Some(a.id.0)),
                None => ("system", None),
            };
            st.execute(params![ticket, kind, actor, action, "open", after, updated])?;
            self.counts.events += 1;
        }
        Ok(())
    }
}

fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map_or("example.jp", |(_, d)| d)
}

// ---------------------------------------------------------------------------------------------
// Text: subjects and bodies of a few hundred bytes, Japanese or English.

struct Topic {
    weight: f64,
    subjects_ja: &'static [&'static str],
    subjects_en: &'static [&'static str],
    asks_ja: &'static [&'static str],
    asks_en: &'static [&'static str],
    answers_ja: &'static [&'static str],
    answers_en: &'static [&'static str],
}

/// In label order: topic `i` usually carries label `i`.
const TOPICS: [Topic; 8] = [
    Topic {
        weight: 18.0,
        subjects_ja: &[
            "請求書の再発行をお願いします",
            "今月の請求金額について",
            "領収書の宛名変更について",
            "二重に請求されているようです",
            "支払い方法の変更について",
        ],
        subjects_en: &[
            "Please resend my invoice",
            "Question about this month's bill",
            "I was charged twice",
            "Changing my payment method",
        ],
        asks_ja: &[
            "先月分の請求書が見当たらないため、再発行をお願いできますでしょうか。経理への提出期限が迫っております。",
            "今月の請求金額が先月より高くなっているのですが、内訳を教えていただけますでしょうか。プランは変更していないはずです。",
            "クレジットカードの明細を確認したところ、同じ金額が二回引き落とされていました。ご確認いただけますでしょうか。",
            "領収書の宛名を会社名に変更して再発行していただくことは可能でしょうか。",
        ],
        asks_en: &[
            "I can't find last month's invoice in my account. Could you send me a copy? Our accounts team needs it by Friday.",
            "My bill this month is higher than usual, but I haven't changed my plan. Could you explain the charges?",
            "My card statement shows the same amount charged twice on the same day. Could you look into it and refund the duplicate?",
        ],
        answers_ja: &[
            "ご依頼の請求書を再発行し、本メールに添付いたしました。管理画面の「請求履歴」からもダウンロードいただけます。",
            "確認いたしましたところ、システムの不具合により二重に決済されておりました。大変申し訳ございません。重複分は本日返金手続きを行いました。",
            "今月は年次のオプション更新料が含まれているため、通常より金額が高くなっております。内訳は管理画面でご確認いただけます。",
        ],
        answers_en: &[
            "I've attached a copy of the invoice to this email. You can also download it any time under Billing > History.",
            "You're right, the payment went through twice because of an error on our side. I'm sorry about that; the duplicate has been refunded today.",
            "This month's bill includes the yearly renewal of your add-on, which is why it is higher. The breakdown is under Billing in your account.",
        ],
    },
    Topic {
        weight: 22.0,
        subjects_ja: &[
            "注文した商品がまだ届きません",
            "配送先住所の変更について",
            "お届け日時の指定はできますか",
            "発送状況を教えてください",
        ],
        subjects_en: &[
            "My order hasn't arrived yet",
            "Change of delivery address",
            "Where is my parcel?",
        ],
        asks_ja: &[
            "一週間前に注文した商品がまだ届いておりません。発送状況を確認していただけますでしょうか。追跡番号を見ても更新がありません。",
            "注文後に引っ越しが決まったため、配送先の住所を変更したいです。まだ発送前であれば対応いただけますでしょうか。",
            "来週は不在の日が多いため、お届け日時を土曜日の午前中に指定したいのですが可能でしょうか。",
        ],
        asks_en: &[
            "I ordered ten days ago and the tracking page hasn't changed since the parcel left your warehouse. Could you check where it is?",
            "I'm moving next week. Can the delivery address on my order still be changed if it hasn't shipped yet?",
        ],
        answers_ja: &[
            "配送業者に確認いたしましたところ、悪天候の影響で配送が遅れているとのことでした。明後日にはお届けできる見込みです。",
            "配送先住所を変更いたしました。商品は明日発送予定で、発送後に追跡番号をお知らせいたします。",
            "お届け日時を土曜日の午前中に指定いたしました。当日は配送業者よりお届けいたします。",
        ],
        answers_en: &[
            "I checked with the carrier: the parcel was delayed by the weather and should reach you the day after tomorrow.",
            "I've updated the delivery address. Your order ships tomorrow and you'll get the tracking number by email.",
        ],
    },
    Topic {
        weight: 12.0,
        subjects_ja: &[
            "返品の手続きについて",
            "サイズ交換をお願いしたいです",
            "届いた商品が破損していました",
        ],
        subjects_en: &[
            "Returning an item",
            "Exchange for a different size",
            "Item arrived damaged",
        ],
        asks_ja: &[
            "届いた商品のサイズが合わなかったため、ひとつ大きいサイズと交換していただきたいです。手続きの方法を教えてください。",
            "本日届いた商品の箱が潰れており、中の商品にも傷がついていました。写真を添付いたしますのでご確認ください。",
        ],
        asks_en: &[
            "The jacket I received is too small. I'd like to exchange it for the next size up. How do I send it back?",
            "The box was crushed and the item inside is scratched. I've attached photos. What should I do?",
        ],
        answers_ja: &[
            "ご不便をおかけし申し訳ございません。着払い伝票を同封した返送キットをお送りいたします。到着後、交換品を発送いたします。",
            "お写真の確認ありがとうございます。新しい商品を本日発送いたしました。破損品は恐れ入りますがご返送ください。",
        ],
        answers_en: &[
            "Sorry the size didn't work out. I've sent you a prepaid return label; we'll ship the exchange as soon as the parcel reaches us.",
            "Thanks for the photos. A replacement went out today; please send the damaged item back with the enclosed label.",
        ],
    },
    Topic {
        weight: 14.0,
        subjects_ja: &[
            "ログインできません",
            "アプリが起動しなくなりました",
            "決済画面でエラーが表示されます",
            "データが同期されません",
        ],
        subjects_en: &[
            "Can't log in",
            "App crashes on start",
            "Error on the payment page",
            "Data not syncing",
        ],
        asks_ja: &[
            "昨日からアプリを起動するとすぐに終了してしまいます。再インストールも試しましたが改善しません。端末はiPhone 15、iOSは最新です。",
            "決済画面で「エラーが発生しました（E-402）」と表示され、購入を完了できません。カードは他のサイトでは使えています。",
            "パソコンで入力したデータがスマートフォンのアプリに反映されません。ログアウトと再ログインも試しました。",
        ],
        asks_en: &[
            "Since yesterday the app closes as soon as I open it. Reinstalling didn't help. I'm on an iPhone 15 with the latest iOS.",
            "The payment page says \"Something went wrong (E-402)\" and I can't complete my purchase. The card works elsewhere.",
        ],
        answers_ja: &[
            "ご報告ありがとうございます。開発チームで調査したところ、特定の条件で発生する不具合であることが分かりました。本日公開の修正版で解消しております。",
            "ご不便をおかけしております。お手数ですが、アプリのキャッシュを削除したうえで再度お試しいただけますでしょうか。改善しない場合はご連絡ください。",
        ],
        answers_en: &[
            "Thanks for reporting this. Our developers found the cause and today's update fixes it; please update the app and try again.",
            "Sorry for the trouble. Could you clear the app's cache and try once more? If it still fails, please reply with a screenshot.",
        ],
    },
    Topic {
        weight: 11.0,
        subjects_ja: &[
            "パスワードを忘れました",
            "メールアドレスの変更方法",
            "アカウントの統合について",
        ],
        subjects_en: &[
            "Forgot my password",
            "Changing my email address",
            "Merging two accounts",
        ],
        asks_ja: &[
            "パスワードを忘れてしまい、再設定メールも届きません。迷惑メールフォルダも確認しました。どうすればよいでしょうか。",
            "登録しているメールアドレスを会社のものから個人のものに変更したいです。手順を教えていただけますでしょうか。",
        ],
        asks_en: &[
            "I forgot my password and the reset email never arrives. I've checked the spam folder. What can I do?",
            "I'd like to change the email address on my account from my work address to my personal one.",
        ],
        answers_ja: &[
            "再設定メールを手動でお送りいたしました。リンクの有効期限は24時間ですので、お早めにお手続きください。",
            "メールアドレスは「設定」→「アカウント」から変更いただけます。変更後、新しいアドレスに確認メールが届きます。",
        ],
        answers_en: &[
            "I've sent a new reset link by hand. It is valid for 24 hours.",
            "You can change it under Settings > Account. We'll send a confirmation link to the new address.",
        ],
    },
    Topic {
        weight: 7.0,
        subjects_ja: &[
            "CSV出力機能の追加要望",
            "請求書をPDFでダウンロードしたい",
            "機能追加のお願い",
        ],
        subjects_en: &[
            "Feature request: CSV export",
            "Suggestion for the dashboard",
        ],
        asks_ja: &[
            "いつも便利に使わせていただいております。注文履歴をCSVで出力できる機能があると、経理処理がとても楽になるのですが、ご検討いただけますでしょうか。",
        ],
        asks_en: &[
            "We love the product. Exporting the order history as CSV would save our accounts team hours every month. Is that planned?",
        ],
        answers_ja: &[
            "貴重なご意見ありがとうございます。開発チームに共有いたしました。実装時期は未定ですが、決まり次第お知らせいたします。",
        ],
        answers_en: &[
            "Thank you for the suggestion. I've passed it on to our product team; we'll let you know when it is scheduled.",
        ],
    },
    Topic {
        weight: 6.0,
        subjects_ja: &["解約の手続きについて", "プランのダウングレードについて"],
        subjects_en: &["Cancel my subscription", "Downgrading my plan"],
        asks_ja: &[
            "今月末で解約したいと考えております。手続きの方法と、解約後のデータの扱いについて教えてください。",
        ],
        asks_en: &[
            "I'd like to cancel at the end of this month. How do I do that, and what happens to my data afterwards?",
        ],
        answers_ja: &[
            "解約は管理画面の「契約」からお手続きいただけます。解約後30日間はデータをダウンロードいただけます。これまでのご利用ありがとうございました。",
        ],
        answers_en: &[
            "You can cancel under Account > Subscription. Your data stays available for download for 30 days. Thank you for having been with us.",
        ],
    },
    Topic {
        weight: 10.0,
        subjects_ja: &["営業時間について", "法人契約の見積もり依頼", "お問い合わせ"],
        subjects_en: &["Opening hours", "Quote for a business account", "Question"],
        asks_ja: &[
            "年末年始の営業時間と、期間中のお問い合わせ対応について教えていただけますでしょうか。",
            "社内で20名ほどで利用を検討しております。法人向けプランのお見積もりをお願いできますでしょうか。",
        ],
        asks_en: &[
            "What are your opening hours over the holidays, and will support answer emails during that time?",
            "We are about 20 people and considering the business plan. Could you send us a quote?",
        ],
        answers_ja: &[
            "年末年始は12月29日から1月3日まで休業とさせていただきます。期間中のお問い合わせは1月4日より順次回答いたします。",
            "お見積書を添付いたしました。ご不明な点がございましたらお気軽にお問い合わせください。",
        ],
        answers_en: &[
            "We're closed from 29 December to 3 January; emails sent during that time are answered from 4 January.",
            "I've attached a quote for 20 seats. Happy to set up a call if you have questions.",
        ],
    },
];

const FOLLOWUPS_JA: [&str; 5] = [
    "ご回答ありがとうございます。教えていただいた方法で試してみましたが、まだ同じ状態です。",
    "早速のご対応ありがとうございます。追加で確認したいのですが、手続きにはどのくらい時間がかかりますか。",
    "お返事ありがとうございます。無事に解決いたしました。",
    "ご連絡ありがとうございます。念のため確認ですが、追加の費用はかかりませんでしょうか。",
    "その後いかがでしょうか。まだ状況が変わっていないため、再度ご確認をお願いいたします。",
];
const FOLLOWUPS_EN: [&str; 4] = [
    "Thanks for getting back to me. I tried what you suggested but nothing has changed.",
    "Thanks! One more question: how long will this take?",
    "That worked, thank you very much.",
    "Any news on this? I still haven't heard anything.",
];
const NOTES_JA: [&str; 5] = [
    "電話でも同じ内容の問い合わせあり。折り返し済み。",
    "開発チームに確認中。回答待ち。",
    "過去にも同様の問い合わせあり（VIP顧客）。丁寧に対応すること。",
    "返金処理は経理に依頼済み。処理完了後にお客様へ連絡する。",
    "テンプレート「配送遅延」で回答。",
];
const NOTES_EN: [&str; 3] = [
    "Called the customer back, they will reply by email.",
    "Asked the dev team, waiting for an answer.",
    "Refund requested from accounts.",
];
const PENDING_JA: [&str; 3] = ["お客様の返信待ち", "配送業者に確認中", "開発チームに確認中"];
const PENDING_EN: [&str; 2] = ["awaiting customer reply", "waiting for the warehouse"];
const SPAM_JA: [&str; 3] = [
    "【重要】お客様のアカウントが一時停止されました",
    "未払い料金のお知らせ",
    "SEO対策で売上アップしませんか？",
];
const SPAM_EN: [&str; 3] = [
    "Congratulations! You have been selected",
    "Increase your website traffic today",
    "Invoice overdue - action required",
];

fn subject(topic: &Topic, ja: bool, rng: &mut Rng) -> String {
    let s = rng.pick(if ja {
        topic.subjects_ja
    } else {
        topic.subjects_en
    });
    if rng.chance(0.3) {
        let order = rng.range(100_000, 999_999);
        if ja {
            format!("{s}（注文番号：{order}）")
        } else {
            format!("{s} (order #{order})")
        }
    } else {
        s.to_string()
    }
}

fn first_body(topic: &Topic, c: &ContactPlan, ja: bool, rng: &mut Rng) -> String {
    let ask = rng.pick(if ja { topic.asks_ja } else { topic.asks_en });
    let name = c.name.as_deref().unwrap_or(&c.salutation);
    if ja {
        format!(
            "ご担当者様\n\nお世話になっております。{}と申します。\n\n{ask}\n\nお忙しいところ恐れ入りますが、ご確認のほどよろしくお願いいたします。\n\n{name}\n",
            c.salutation
        )
    } else {
        format!("Hello,\n\n{ask}\n\nThanks in advance for your help.\n\nBest regards,\n{name}\n")
    }
}

fn followup_body(topic: &Topic, c: &ContactPlan, ja: bool, rng: &mut Rng) -> String {
    let f = rng.pick(if ja {
        &FOLLOWUPS_JA[..]
    } else {
        &FOLLOWUPS_EN[..]
    });
    let quoted = rng.pick(if ja {
        topic.answers_ja
    } else {
        topic.answers_en
    });
    if ja {
        format!(
            "お世話になっております。{}です。\n\n{f}\nよろしくお願いいたします。\n\n> {quoted}\n",
            c.salutation
        )
    } else {
        format!("Hi,\n\n{f}\n\nRegards,\n{}\n\n> {quoted}\n", c.salutation)
    }
}

fn reply_body(
    topic: &Topic,
    c: &ContactPlan,
    agent: &AgentInfo,
    inbox: &InboxInfo,
    ja: bool,
    rng: &mut Rng,
) -> String {
    let answer = rng.pick(if ja {
        topic.answers_ja
    } else {
        topic.answers_en
    });
    if ja {
        format!(
            "{}様\n\nいつもご利用いただき、誠にありがとうございます。\n{}の{}でございます。\n\n{answer}\n\n今後ともどうぞよろしくお願いいたします。\n\n--\n{}\n{}\n",
            c.salutation, inbox.display, agent.surname_ja, inbox.display, inbox.address
        )
    } else {
        format!(
            "Dear {},\n\nThank you for contacting us.\n\n{answer}\n\nKind regards,\n{} ({})\n--\n{}\n",
            c.salutation, agent.surname_en, inbox.display_en, inbox.address
        )
    }
}

fn spam_body(ja: bool, rng: &mut Rng) -> String {
    let code = rng.range(1000, 9999);
    if ja {
        format!(
            "お客様各位\n\nお客様のアカウントで不審なアクセスが検出されたため、一時的に利用を制限しております。\n下記のURLより24時間以内に本人確認を行ってください。\nhttp://verify.spam.example/{code}\n\n※本メールは送信専用です。\n"
        )
    } else {
        format!(
            "Dear friend,\n\nYou have been selected for an exclusive offer. Click the link below within 24 hours to claim your reward.\nhttp://claim.spam.example/{code}\n\nUnsubscribe: reply STOP.\n"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Page, Sort, TicketFilter};
    use chrono::{TimeZone, Utc};
    use hako_domain::report::WeekRange;
    use std::sync::Arc;

    fn pinned_store() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0).unwrap();
        store.set_clock(Arc::new(move || now));
        store
    }

    fn small() -> SyntheticSpec {
        SyntheticSpec {
            tickets: 200,
            messages: 1000,
            inboxes: 2,
            agents: 5,
            labels: 6,
            weeks: 8,
            seed: 7,
        }
    }

    fn count(store: &Store, sql: &str) -> i64 {
        store.conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn generates_what_the_spec_asks_for() {
        let mut store = pinned_store();
        let mut calls = vec![];
        let s = generate(&mut store, &small(), &mut |d, t| calls.push((d, t))).unwrap();
        assert_eq!((s.tickets, s.messages), (200, 1000));
        assert_eq!(calls.last(), Some(&(1200, 1200)));

        let stats = store.stats().unwrap();
        assert_eq!(stats.tickets, 200);
        assert_eq!(stats.messages, 1000);
        assert_eq!(stats.inboxes, 2);
        assert_eq!(stats.agents, 5);
        assert_eq!(stats.labels, 6);
        assert_eq!(stats.contacts, s.contacts);
        assert!(stats.tickets_by_status["closed"] > 100, "{stats:?}");
        assert!(stats.tickets_by_status["open"] > 0, "{stats:?}");

        // Every ticket has a message; keys and the snooze rule hold.
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM tickets t
                 WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id)"
            ),
            0
        );
        let fk: Vec<String> = store
            .conn
            .prepare("PRAGMA foreign_key_check")
            .unwrap()
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(fk.is_empty(), "{fk:?}");
        let now = ms(store.now());
        assert_eq!(
            count(
                &store,
                &format!(
                    "SELECT COUNT(*) FROM tickets WHERE status = 'snoozed' AND snoozed_until <= {now}"
                )
            ),
            0
        );
        assert_eq!(
            count(
                &store,
                &format!("SELECT COUNT(*) FROM messages WHERE received_at > {now}")
            ),
            0
        );
        // Some tickets have no label, none has more than three.
        assert!(
            count(
                &store,
                "SELECT COUNT(*) FROM tickets t WHERE status NOT IN ('spam', 'trash')
                 AND NOT EXISTS (SELECT 1 FROM ticket_labels tl WHERE tl.ticket_id = t.id)"
            ) > 0
        );
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM (SELECT ticket_id FROM ticket_labels GROUP BY ticket_id
                 HAVING COUNT(*) > 3)"
            ),
            0
        );
    }

    #[test]
    fn timelines_match_what_the_operations_compute() {
        let mut store = pinned_store();
        generate(&mut store, &small(), &mut |_, _| {}).unwrap();
        type Timeline = (i64, i64, Option<i64>, Option<i64>, Option<i64>);
        let snapshot = |store: &Store| -> Vec<Timeline> {
            store
                .conn
                .prepare(
                    "SELECT id, last_activity_at, last_customer_message_at, waiting_since,
                            first_response_at FROM tickets ORDER BY id",
                )
                .unwrap()
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        let before = snapshot(&store);
        for (id, ..) in &before {
            crate::ops::recompute_timeline(&store.conn, hako_domain::TicketId(*id)).unwrap();
        }
        assert_eq!(snapshot(&store), before);
        // Open tickets wait for us, pending ones for the customer.
        assert_eq!(
            count(
                &store,
                "SELECT COUNT(*) FROM tickets WHERE status = 'open' AND waiting_since IS NULL"
            ),
            0
        );
    }

    #[test]
    fn the_queries_run_on_it() {
        let mut store = pinned_store();
        let s = generate(&mut store, &small(), &mut |_, _| {}).unwrap();
        let open = TicketFilter {
            inbox: Some(s.inboxes[0]),
            statuses: vec![StatusKind::Open],
            ..Default::default()
        };
        let page = store
            .list_tickets(&open, Sort::LastActivity, Page::default())
            .unwrap();
        assert!(page.total > 0);
        assert!(
            page.items
                .iter()
                .all(|t| t.status.kind() == StatusKind::Open)
        );
        let labelled = TicketFilter {
            label: Some(s.labels[0]),
            ..Default::default()
        };
        assert!(
            store
                .list_tickets(&labelled, Sort::OldestWaiting, Page::default())
                .unwrap()
                .total
                > 0
        );
        assert!(!store.agent_load().unwrap().is_empty());
        assert!(!store.counts(None).unwrap().is_empty());

        let tz = chrono_tz::Asia::Tokyo;
        let report = store
            .label_report(WeekRange::last_n(store.now(), tz, 52), tz, None)
            .unwrap();
        let counted = count(
            &store,
            "SELECT COUNT(*) FROM tickets WHERE status NOT IN ('spam', 'trash')",
        );
        assert_eq!(report.grand_total() as i64, counted);
        let one = store
            .label_report(
                WeekRange::last_n(store.now(), tz, 52),
                tz,
                Some((s.inboxes[1], "info".into())),
            )
            .unwrap();
        assert!(one.grand_total() < report.grand_total());
    }

    #[test]
    fn the_same_seed_gives_the_same_data() {
        let rows = |seed: u64| {
            let mut store = pinned_store();
            let spec = SyntheticSpec { seed, ..small() };
            generate(&mut store, &spec, &mut |_, _| {}).unwrap();
            store
                .conn
                .prepare(
                    "SELECT number || subject || status || last_activity_at || COALESCE(assignee_id, '')
                     FROM tickets ORDER BY id",
                )
                .unwrap()
                .query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap()
        };
        assert_eq!(rows(7), rows(7));
        assert_ne!(rows(7), rows(8));
    }

    #[test]
    fn refuses_a_store_in_use_and_impossible_specs() {
        let mut store = pinned_store();
        let bad = SyntheticSpec {
            messages: 10,
            ..small()
        };
        assert!(generate(&mut store, &bad, &mut |_, _| {}).is_err());
        generate(&mut store, &small(), &mut |_, _| {}).unwrap();
        assert!(generate(&mut store, &small(), &mut |_, _| {}).is_err());
    }
}
