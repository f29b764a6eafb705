//! Automatic assignment of new tickets, per inbox: who gets the next one, as a pure function
//! of the inbox's setting and the candidates with their loads. The store decides who is a
//! candidate (an agent of the inbox, active, not away) and counts their loads; this module
//! only chooses, so the fairness rules can be tested without a database.
//!
//! - `manual`: nobody; the team picks tickets up by hand.
//! - `round-robin`: candidates in a fixed order (by id), the next after the one who got the
//!   previous ticket (the store keeps that agent per inbox, so the turn survives restarts and
//!   an agent who joins or leaves does not reset it). In a burst of n tickets over k agents
//!   everyone gets ⌊n/k⌋ or ⌈n/k⌉.
//! - `least-loaded`: the candidate holding the fewest open and pending tickets; ties go to the
//!   one whose last assignment is oldest (never assigned counts as oldest), then to the
//!   lowest id, so the choice is deterministic.
//!
//! Both automatic strategies respect the optional cap: an agent holding `cap` or more open
//! and pending tickets gets none; when every candidate is at the cap, nobody is chosen and
//! the ticket stays unassigned.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{AgentId, DomainError, Timestamp};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    #[default]
    Manual,
    RoundRobin,
    LeastLoaded,
}

impl Strategy {
    pub const ALL: [Strategy; 3] = [
        Strategy::Manual,
        Strategy::RoundRobin,
        Strategy::LeastLoaded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Manual => "manual",
            Strategy::RoundRobin => "round-robin",
            Strategy::LeastLoaded => "least-loaded",
        }
    }

    /// Accepts `round-robin`, `round_robin` and `roundrobin` (people type all three).
    pub fn parse(s: &str) -> Result<Strategy, DomainError> {
        let folded: String = s
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .collect();
        match folded.as_str() {
            "manual" => Ok(Strategy::Manual),
            "roundrobin" => Ok(Strategy::RoundRobin),
            "leastloaded" => Ok(Strategy::LeastLoaded),
            _ => Err(DomainError::UnknownStrategy(s.to_string())),
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An inbox's assignment setting and the round-robin turn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentSettings {
    pub strategy: Strategy,
    /// The most open + pending tickets an agent may hold before getting no more; `None`: no cap.
    pub cap: Option<u32>,
    /// Who got this inbox's previous automatic assignment (round-robin continues after them).
    pub last_agent: Option<AgentId>,
}

/// An agent who may receive the ticket, with what they hold now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub agent: AgentId,
    /// Open + pending tickets the agent holds, in every inbox (what they actually carry).
    pub load: u32,
    /// When the agent was last given a ticket (by anyone); `None`: never.
    pub last_assigned_at: Option<Timestamp>,
}

impl Candidate {
    fn under_cap(&self, cap: Option<u32>) -> bool {
        cap.is_none_or(|cap| self.load < cap)
    }
}

/// The agent who gets the next ticket, or `None` (manual, no candidates, everyone at the cap).
pub fn choose(settings: &AssignmentSettings, candidates: &[Candidate]) -> Option<AgentId> {
    let eligible = candidates.iter().filter(|c| c.under_cap(settings.cap));
    match settings.strategy {
        Strategy::Manual => None,
        Strategy::RoundRobin => {
            let mut ids: Vec<AgentId> = eligible.map(|c| c.agent).collect();
            ids.sort();
            ids.dedup();
            let after_last = settings
                .last_agent
                .and_then(|last| ids.iter().find(|a| **a > last));
            after_last.or(ids.first()).copied()
        }
        Strategy::LeastLoaded => eligible
            .min_by(|a, b| {
                // `None < Some(_)`: never assigned comes before anyone assigned.
                (a.load, a.last_assigned_at, a.agent).cmp(&(b.load, b.last_assigned_at, b.agent))
            })
            .map(|c| c.agent),
    }
}

#[cfg(test)]
mod tests;
