//! Groups matching messages into tickets while collecting: per ticket the number of matching
//! messages, the newest one and the best-scoring one, read from fast fields only. Messages of
//! a ticket are added together, so within a segment they mostly arrive in one run, which is
//! folded before the per-ticket hash map sees it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, ColumnIndex, ColumnValues};
use tantivy::index::SegmentReader;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal};

/// One matching message, as far as ordering needs it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MessageHit {
    pub date: i64,
    pub message_id: i64,
    pub score: Score,
    pub doc: DocAddress,
}

impl MessageHit {
    fn newer_than(&self, other: &MessageHit) -> bool {
        (self.date, self.message_id) > (other.date, other.message_id)
    }

    fn better_than(&self, other: &MessageHit) -> bool {
        match self.score.total_cmp(&other.score) {
            std::cmp::Ordering::Equal => self.newer_than(other),
            ordering => ordering.is_gt(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct TicketAgg {
    pub ticket_id: i64,
    pub count: u32,
    pub newest: MessageHit,
    pub best: MessageHit,
}

impl TicketAgg {
    fn new(ticket_id: i64, hit: MessageHit) -> TicketAgg {
        TicketAgg {
            ticket_id,
            count: 1,
            newest: hit,
            best: hit,
        }
    }

    fn absorb(&mut self, other: &TicketAgg) {
        self.count += other.count;
        if other.newest.newer_than(&self.newest) {
            self.newest = other.newest;
        }
        if other.best.better_than(&self.best) {
            self.best = other.best;
        }
    }
}

pub(crate) struct TicketCollector {
    /// Scores cost time; sorting by date does not need them (every score is then 0).
    pub scoring: bool,
}

impl Collector for TicketCollector {
    type Fruit = Vec<TicketAgg>;
    type Child = TicketSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let fast = reader.fast_fields();
        Ok(TicketSegmentCollector {
            segment,
            ticket_id: values(fast.i64("ticket_id")?),
            message_id: values(fast.i64("message_id")?),
            date: values(fast.i64("date")?),
            runs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, segments: Vec<Vec<TicketAgg>>) -> tantivy::Result<Vec<TicketAgg>> {
        Ok(merge_runs(&segments))
    }
}

/// Folds runs of the same ticket together. Ticket ids are database row ids, so mostly
/// dense: then a table indexed by id beats hashing; sparse ids fall back to a hash map.
fn merge_runs(segments: &[Vec<TicketAgg>]) -> Vec<TicketAgg> {
    let runs = || segments.iter().flatten();
    let count = segments.iter().map(Vec::len).sum::<usize>();
    let (Some(min), Some(max)) = (
        runs().map(|r| r.ticket_id).min(),
        runs().map(|r| r.ticket_id).max(),
    ) else {
        return Vec::new();
    };
    let span = max.abs_diff(min).saturating_add(1);
    let mut out: Vec<TicketAgg> = Vec::with_capacity(count);
    if span <= (count as u64).saturating_mul(8).max(1 << 16) {
        // slot[id - min] is 1 + the ticket's index in `out`, 0 when not seen yet.
        let mut slot = vec![0u32; span as usize];
        for run in runs() {
            let s = &mut slot[run.ticket_id.abs_diff(min) as usize];
            if *s == 0 {
                out.push(*run);
                *s = out.len() as u32;
            } else {
                out[*s as usize - 1].absorb(run);
            }
        }
    } else {
        let mut at: HashMap<i64, usize, BuildHasherDefault<IdHasher>> =
            HashMap::with_capacity_and_hasher(count, BuildHasherDefault::default());
        for run in runs() {
            match at.get(&run.ticket_id) {
                Some(&i) => out[i].absorb(run),
                None => {
                    at.insert(run.ticket_id, out.len());
                    out.push(*run);
                }
            }
        }
    }
    out
}

type Values = Arc<dyn ColumnValues<i64>>;

/// A column's values by document. Every document has each of our fast fields, so the
/// column is full and its values are read directly, skipping the per-document index lookup.
fn values(column: Column<i64>) -> Values {
    match column.index {
        ColumnIndex::Full => column.values,
        _ => column.first_or_default_col(0),
    }
}

pub(crate) struct TicketSegmentCollector {
    segment: SegmentOrdinal,
    ticket_id: Values,
    message_id: Values,
    date: Values,
    runs: Vec<TicketAgg>,
}

impl SegmentCollector for TicketSegmentCollector {
    type Fruit = Vec<TicketAgg>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let ticket_id = self.ticket_id.get_val(doc);
        let hit = MessageHit {
            date: self.date.get_val(doc),
            message_id: self.message_id.get_val(doc),
            score,
            doc: DocAddress::new(self.segment, doc),
        };
        let one = TicketAgg::new(ticket_id, hit);
        match self.runs.last_mut() {
            Some(run) if run.ticket_id == ticket_id => run.absorb(&one),
            _ => self.runs.push(one),
        }
    }

    fn harvest(self) -> Vec<TicketAgg> {
        self.runs
    }
}

/// A multiplicative hash (as in rustc's FxHash) for i64 keys: the default SipHash costs more
/// than the rest of the grouping when a query matches hundreds of thousands of messages.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_i64(&mut self, n: i64) {
        self.write_u64(n as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(ticket_id: i64, date: i64, score: f32) -> TicketAgg {
        let hit = MessageHit {
            date,
            message_id: date,
            score,
            doc: DocAddress::new(0, 0),
        };
        TicketAgg::new(ticket_id, hit)
    }

    fn merged(segments: &[Vec<TicketAgg>]) -> Vec<(i64, u32, i64, i64)> {
        let mut out: Vec<_> = merge_runs(segments)
            .iter()
            .map(|t| (t.ticket_id, t.count, t.newest.date, t.best.date))
            .collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn runs_of_one_ticket_fold_dense_and_sparse() {
        // Ticket 3 split across two segments.
        let one = vec![run(3, 10, 1.0), run(5, 11, 0.5), run(3, 12, 0.2)];
        let other = vec![run(3, 9, 2.0)];
        assert_eq!(merged(&[one, other]), [(3, 3, 12, 9), (5, 1, 11, 11)]);
        let sparse = vec![
            run(1, 1, 0.0),
            run(i64::MAX, 2, 0.0),
            run(1, 3, 0.0),
            run(i64::MIN, 4, 0.0),
        ];
        assert_eq!(
            merged(&[sparse]),
            [(i64::MIN, 1, 4, 4), (1, 2, 3, 3), (i64::MAX, 1, 2, 2)]
        );
        assert!(merge_runs(&[]).is_empty());
    }
}
