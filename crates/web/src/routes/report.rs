//! The weekly label report (`/reports/labels`, supervisors and admins) and its CSV
//! (`/reports/labels.csv`). The numbers come from exactly what `hako report labels` runs: the
//! week range from `WeekRange::resolve` (same `from`, `to`, `weeks` parameters, the team's
//! timezone), the counts from `Store::label_report`, the CSV from `LabelReport::to_csv` — so
//! the page and the CLI cannot disagree, and the CSV is byte for byte the CLI's. This module
//! only lays the report out: a table and an SVG chart (`chart`).

mod chart;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono_tz::Tz;
use hako_domain::report::{DEFAULT_WEEKS, IsoWeek, LabelReport, WeekRange};
use hako_store::Store;
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;

use super::guard;
use crate::form::encode;
use crate::i18n::text;
use crate::render::page;
use crate::session::User;
use crate::{AppState, WebError};

/// The page's and the CSV's parameters, the CLI's flags by the same names.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ReportQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    weeks: String,
    /// An inbox name; empty for all.
    #[serde(default)]
    inbox: String,
}

impl ReportQuery {
    fn query_string(&self) -> String {
        format!(
            "from={}&to={}&weeks={}&inbox={}",
            encode(&self.from),
            encode(&self.to),
            encode(&self.weeks),
            encode(&self.inbox)
        )
    }
}

/// What `hako report labels --from … --to … --weeks … --inbox …` computes.
pub(crate) fn label_report(s: &Store, q: &ReportQuery, tz: Tz) -> Result<LabelReport, WebError> {
    let bad = |e: &dyn std::fmt::Display| WebError::BadRequest(e.to_string());
    let week = |v: &str| -> Result<Option<IsoWeek>, WebError> {
        match v.trim() {
            "" => Ok(None),
            w => IsoWeek::parse(w).map(Some).map_err(|e| bad(&e)),
        }
    };
    let weeks = match q.weeks.trim() {
        "" => None,
        n => Some(
            n.parse::<usize>()
                .map_err(|_| WebError::BadRequest(format!("weeks {n}: not a number")))?,
        ),
    };
    let range = WeekRange::resolve(week(&q.from)?, week(&q.to)?, weeks, s.now(), tz)
        .map_err(|e| bad(&e))?;
    let inbox = match q.inbox.trim() {
        "" => None,
        name => {
            let i = s.inbox_by_name(name)?;
            Some((i.id, i.name))
        }
    };
    Ok(s.label_report(range, tz, inbox)?)
}

pub(crate) async fn csv(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<ReportQuery>,
) -> Result<Response, WebError> {
    guard::supervisor(&user)?;
    let tz = state.settings().timezone;
    let report = state.db(move |s| label_report(s, &q, tz)).await?;
    let (first, last) = match (report.weeks.first(), report.weeks.last()) {
        (Some(f), Some(l)) => (f.week.to_string(), l.week.to_string()),
        _ => (String::new(), String::new()),
    };
    // Inbox names are ASCII letters, digits, - and _: safe in a quoted filename.
    let inbox = report
        .inbox
        .as_ref()
        .map(|i| format!("-{i}"))
        .unwrap_or_default();
    let disposition = format!("attachment; filename=\"labels-{first}-{last}{inbox}.csv\"");
    let mut r = report.to_csv().into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition)
            .map_err(|e| WebError::Internal(format!("content-disposition: {e}")))?,
    );
    Ok(r)
}

pub(crate) async fn show(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<ReportQuery>,
) -> Result<Response, WebError> {
    guard::supervisor(&user)?;
    let tz = state.settings().timezone;
    let lang = user.lang;
    let ctx = state
        .db(move |s| {
            let report = label_report(s, &q, tz)?;
            let labels = s.labels()?;
            let colours: Vec<String> = report
                .labels
                .iter()
                .map(|n| {
                    labels
                        .iter()
                        .find(|l| &l.name == n)
                        .map_or("#9ca3af".to_string(), |l| l.colour.to_string())
                })
                .collect();
            let words = chart::Words {
                title: text(lang, "report.chart_title"),
                no_label: text(lang, "report.no_label"),
                total: text(lang, "report.total"),
            };
            let svg = chart::svg(&report, &colours, &words);
            let inboxes: Vec<Value> = s
                .inboxes()?
                .into_iter()
                .map(|i| context! { name => i.name, display_name => i.display_name })
                .collect();
            Ok(view(&report, &colours, &q, svg, inboxes))
        })
        .await?;
    Ok(page(&state, &user, "report.html", ctx)?.into_response())
}

fn view(
    r: &LabelReport,
    colours: &[String],
    q: &ReportQuery,
    svg: String,
    inboxes: Vec<Value>,
) -> Value {
    let rows: Vec<Value> = r
        .weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            context! {
                week => w.week.to_string(),
                monday => w.monday.to_string(),
                counts => r.counts.iter().map(|c| c[i]).collect::<Vec<u64>>(),
                no_label => r.no_label[i],
                total => r.totals[i],
            }
        })
        .collect();
    let labels: Vec<Value> = r
        .labels
        .iter()
        .zip(colours)
        .enumerate()
        .map(|(l, (name, colour))| {
            context! { name => name, colour => colour, total => r.label_total(l) }
        })
        .collect();
    let first = r.weeks.first().map(|w| w.week.to_string());
    let last = r.weeks.last().map(|w| w.week.to_string());
    context! {
        rows,
        labels,
        no_label_total => r.no_label_total(),
        grand_total => r.grand_total(),
        timezone => r.timezone.clone(),
        first,
        last,
        svg => Value::from_safe_string(svg),
        inboxes,
        f => context! {
            from => q.from.clone(), to => q.to.clone(), weeks => q.weeks.clone(), inbox => q.inbox.clone(),
        },
        week_choices => [4, DEFAULT_WEEKS, 12, 26, 52],
        csv_url => format!("/reports/labels.csv?{}", q.query_string()),
    }
}
