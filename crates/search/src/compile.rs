//! Turns a [`SearchQuery`] and a [`Scope`] into a tantivy query, built by hand rather than
//! with tantivy's `QueryParser`, whose syntax fights ours (`from:` values, bigram phrases,
//! one-character prefixes).
//!
//! Free text is matched in these fields, scores summed (BM25):
//! subject ×3, sender (name and address) ×2, attachment names ×1.5, body ×1, recipients ×1.
//! Keyword operators (`label:`, `status:`, dates, scope…) filter without scoring.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, InvertedIndexRangeQuery, Occur,
    PhrasePrefixQuery, PhraseQuery, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::Token;

use crate::query::{AddressMatch, Atom, Condition, SearchQuery};
use crate::schema::Fields;
use crate::search::Scope;
use crate::tokenizer::{Mode, is_lone_cjk, tokenize};

/// How many terms a trailing one-character prefix in a phrase (`11月` → `11` then `月…`) may
/// expand to.
const MAX_PREFIX_EXPANSIONS: u32 = 10_000;

type BoxQuery = Box<dyn Query>;

pub(crate) fn compile(q: &SearchQuery, scope: &Scope, f: &Fields) -> BoxQuery {
    let mut parts: Vec<(Occur, BoxQuery)> = Vec::new();
    for clause in &q.clauses {
        let mut alternatives: Vec<(bool, BoxQuery)> = clause
            .alternatives
            .iter()
            .filter_map(|atom| Some((atom.negated, atom_query(atom, f)?)))
            .collect();
        match alternatives.len() {
            0 => {}
            1 => {
                let (negated, query) = alternatives.remove(0);
                parts.push((if negated { Occur::MustNot } else { Occur::Must }, query));
            }
            _ => {
                let any = alternatives
                    .into_iter()
                    .map(|(negated, query)| {
                        (Occur::Should, if negated { not(query) } else { query })
                    })
                    .collect();
                parts.push((Occur::Must, Box::new(BooleanQuery::new(any))));
            }
        }
    }
    if let Some(inboxes) = &scope.inboxes {
        let terms = inboxes
            .iter()
            .map(|&id| Term::from_field_i64(f.inbox_id, id));
        parts.push((Occur::Must, filter(Box::new(TermSetQuery::new(terms)))));
    }
    if !parts.iter().any(|(occur, _)| *occur == Occur::Must) {
        parts.push((Occur::Must, all()));
    }
    Box::new(BooleanQuery::new(parts))
}

fn not(query: BoxQuery) -> BoxQuery {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, all()),
        (Occur::MustNot, query),
    ]))
}

/// Every message, scoring 0.
fn all() -> BoxQuery {
    filter(Box::new(AllQuery))
}

/// Matches without adding to the score.
fn filter(query: BoxQuery) -> BoxQuery {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

fn keyword(field: Field, value: &str) -> BoxQuery {
    filter(Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    )))
}

/// `None` when the atom has nothing to match on (text without a single token).
fn atom_query(atom: &Atom, f: &Fields) -> Option<BoxQuery> {
    Some(match &atom.condition {
        Condition::Text(text) => {
            let tokens = query_tokens(text);
            let fields = [
                (f.subject, 3.0),
                (f.from_text, 2.0),
                (f.attachments, 1.5),
                (f.body, 1.0),
                (f.to_text, 1.0),
            ];
            let any = fields
                .iter()
                .filter_map(|&(field, boost)| {
                    let query = text_query(field, &tokens)?;
                    Some((
                        Occur::Should,
                        Box::new(BoostQuery::new(query, boost)) as BoxQuery,
                    ))
                })
                .collect::<Vec<_>>();
            if any.is_empty() {
                return None;
            }
            Box::new(BooleanQuery::new(any))
        }
        Condition::Subject(text) => text_query(f.subject, &query_tokens(text))?,
        Condition::From(m) => address(m, f.from_address, f.from_domain, f.from_text)?,
        Condition::To(m) => address(m, f.to_address, f.to_domain, f.to_text)?,
        Condition::Label(label) => keyword(f.labels, label),
        Condition::Status(status) => keyword(f.status, status),
        Condition::Assignee(assignee) => {
            keyword(f.assignee_key, assignee.as_deref().unwrap_or("none"))
        }
        Condition::Inbox(inbox) => keyword(f.inbox, inbox),
        Condition::HasAttachment => filter(Box::new(TermQuery::new(
            Term::from_field_bool(f.has_attachment, true),
            IndexRecordOption::Basic,
        ))),
        Condition::Before(t) => filter(Box::new(RangeQuery::new(
            Bound::Unbounded,
            Bound::Excluded(Term::from_field_i64(f.date, t.timestamp())),
        ))),
        Condition::After(t) => filter(Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_i64(f.date, t.timestamp())),
            Bound::Unbounded,
        ))),
    })
}

fn address(m: &AddressMatch, exact: Field, domain: Field, words: Field) -> Option<BoxQuery> {
    Some(match m {
        AddressMatch::Exact(address) => keyword(exact, address),
        AddressMatch::Domain(d) => keyword(domain, d),
        AddressMatch::Words(text) => text_query(words, &query_tokens(text))?,
    })
}

pub(crate) fn query_tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    tokenize(text, Mode::Query, &mut Vec::new(), &mut tokens);
    tokens
}

/// The tokens of one word or phrase in one field: a term, a phrase, or — for a lone CJK
/// character, which the index holds only as the start of longer terms — a prefix.
pub(crate) fn text_query(field: Field, tokens: &[Token]) -> Option<BoxQuery> {
    let term = |t: &Token| Term::from_field_text(field, &t.text);
    match tokens {
        [] => None,
        [t] if is_lone_cjk(&t.text) => Some(prefix(field, &t.text)),
        [t] => Some(Box::new(TermQuery::new(
            term(t),
            IndexRecordOption::WithFreqs,
        ))),
        [.., last] => {
            let terms: Vec<(usize, Term)> = tokens.iter().map(|t| (t.position, term(t))).collect();
            if is_lone_cjk(&last.text) {
                let mut query = PhrasePrefixQuery::new_with_offset(terms);
                query.set_max_expansions(MAX_PREFIX_EXPANSIONS);
                Some(Box::new(query))
            } else {
                Some(Box::new(PhraseQuery::new_with_offset(terms)))
            }
        }
    }
}

/// Every term starting with the character `c`.
fn prefix(field: Field, c: &str) -> BoxQuery {
    let next = c.chars().next().and_then(|c| char::from_u32(c as u32 + 1));
    let upper = match next {
        Some(next) => Bound::Excluded(Term::from_field_text(field, &next.to_string())),
        None => Bound::Unbounded,
    };
    Box::new(InvertedIndexRangeQuery::new(
        Bound::Included(Term::from_field_text(field, c)),
        upper,
    ))
}
