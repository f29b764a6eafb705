//! Who else is on a ticket right now: viewing it, or writing a reply. Kept in memory (one
//! hako process serves the UI), refreshed by each page view and by the page's heartbeat
//! (`app.js`, every 15 s); an entry older than [`FRESH`] has left.

use hako_domain::{AgentId, TicketNumber};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a heartbeat counts: three missed beats and the agent is gone.
pub(crate) const FRESH: Duration = Duration::from_secs(45);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Present {
    pub name: String,
    pub colour: String,
    /// Writing a reply (the composer has text), not only viewing.
    pub replying: bool,
}

/// The people on one ticket, each with their last heartbeat.
type OnTicket = HashMap<AgentId, (Present, Instant)>;

#[derive(Default)]
pub(crate) struct Presence {
    tickets: Mutex<HashMap<TicketNumber, OnTicket>>,
}

impl Presence {
    /// Records `who` on ticket `n` now.
    pub fn seen(&self, n: TicketNumber, who: AgentId, p: Present) {
        self.seen_at(n, who, p, Instant::now());
    }

    fn seen_at(&self, n: TicketNumber, who: AgentId, p: Present, at: Instant) {
        let mut all = self.tickets.lock().unwrap_or_else(|e| e.into_inner());
        // Forget tickets nobody has looked at for a while, so the map stays small.
        all.retain(|_, people| {
            people.retain(|_, (_, t)| at.saturating_duration_since(*t) < FRESH);
            !people.is_empty()
        });
        all.entry(n).or_default().insert(who, (p, at));
    }

    /// The others on ticket `n`, writers first, then by name.
    pub fn others(&self, n: TicketNumber, me: AgentId) -> Vec<Present> {
        self.others_at(n, me, Instant::now())
    }

    fn others_at(&self, n: TicketNumber, me: AgentId, now: Instant) -> Vec<Present> {
        let all = self.tickets.lock().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<Present> = all
            .get(&n)
            .into_iter()
            .flatten()
            .filter(|(id, (_, t))| **id != me && now.saturating_duration_since(*t) < FRESH)
            .map(|(_, (p, _))| p.clone())
            .collect();
        out.sort_by(|a, b| b.replying.cmp(&a.replying).then(a.name.cmp(&b.name)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, replying: bool) -> Present {
        Present {
            name: name.into(),
            colour: "#2563eb".into(),
            replying,
        }
    }

    #[test]
    fn others_are_shown_until_their_heartbeat_stops() {
        let pr = Presence::default();
        let (n, t0) = (TicketNumber(1001), Instant::now());
        pr.seen_at(n, AgentId(1), p("佐藤", false), t0);
        pr.seen_at(n, AgentId(2), p("田中", true), t0);
        assert_eq!(pr.others_at(n, AgentId(1), t0), vec![p("田中", true)]);
        assert!(pr.others_at(TicketNumber(1002), AgentId(1), t0).is_empty());
        let later = t0 + FRESH + Duration::from_secs(1);
        assert!(
            pr.others_at(n, AgentId(1), later).is_empty(),
            "gone after 45 s"
        );
        // A heartbeat keeps them, and writers come first.
        pr.seen_at(n, AgentId(3), p("Boss", false), later);
        pr.seen_at(n, AgentId(2), p("田中", true), later);
        let names: Vec<String> = pr
            .others_at(n, AgentId(1), later)
            .into_iter()
            .map(|x| x.name)
            .collect();
        assert_eq!(names, ["田中", "Boss"]);
    }
}
