//! The rule editor (`/settings/rules/new`, `/settings/rules/{id}`): a name, a box of values
//! per condition (one per line; values in a box are alternatives, boxes must all match — the
//! same shape as `hako rule add --if-…`; a field gets a second box only for a rule with two
//! conditions on it), the actions (labels, an assignee, a status), and
//! "test against ticket #N", which shows what the rule would make of that ticket's first
//! customer message before anything is saved.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hako_domain::rules::{Condition, Field, RULE_STATUSES, Rule, RuleAction};
use hako_domain::{AgentId, LabelId, RuleId, StatusKind, TicketNumber};
use hako_store::{RuleTest, Store, StoreError};
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;

use super::{guard, refusal};
use crate::form::PostForm;
use crate::i18n::{Lang, text};
use crate::session::User;
use crate::{AppState, WebError};

/// The condition boxes, in the order the form shows them (form field `if_<name>`).
pub(crate) const FIELDS: [Field; 6] = [
    Field::Sender,
    Field::Domain,
    Field::Recipient,
    Field::Subject,
    Field::Body,
    Field::Inbox,
];

/// The rule the form describes (not checked: the store's `normalized` does that).
fn rule_from(form: &PostForm, id: Option<RuleId>) -> Result<Rule, WebError> {
    // Each box is one condition; a field has a second box only when a rule made in the CLI
    // has two conditions on it (both must match), so a save keeps them apart.
    let conditions = FIELDS
        .iter()
        .flat_map(|f| {
            form.all(&format!("if_{}", f.as_str()))
                .into_iter()
                .filter_map(|text| {
                    let values: Vec<String> = text
                        .lines()
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(str::to_string)
                        .collect();
                    (!values.is_empty()).then_some(Condition { field: *f, values })
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut actions = vec![];
    for l in form.all("label") {
        let id = l
            .parse()
            .map_err(|_| WebError::BadRequest(format!("label {l}: not an id")))?;
        actions.push(RuleAction::AddLabel(LabelId(id)));
    }
    if let Some(a) = form.get("assign") {
        let id = a
            .parse()
            .map_err(|_| WebError::BadRequest(format!("user {a}: not an id")))?;
        actions.push(RuleAction::Assign(AgentId(id)));
    }
    if let Some(s) = form.get("status") {
        let kind = StatusKind::parse(s).map_err(|e| WebError::BadRequest(e.to_string()))?;
        actions.push(RuleAction::SetStatus(kind));
    }
    Ok(Rule {
        id,
        name: form.get("name").unwrap_or("").to_string(),
        enabled: form.checked("enabled"),
        conditions,
        actions,
    })
}

/// The form's values for `rule`, with the labels and agents to choose from.
fn form_view(s: &Store, lang: Lang, rule: &Rule) -> Result<Value, WebError> {
    // One box per condition of the field, and one empty box for a field with none.
    let boxes = |f: Field| -> Vec<String> {
        let mut b: Vec<String> = rule
            .conditions
            .iter()
            .filter(|c| c.field == f)
            .map(|c| c.values.join("\n"))
            .collect();
        if b.is_empty() {
            b.push(String::new());
        }
        b
    };
    let fields: Vec<Value> = FIELDS
        .iter()
        .map(|f| {
            context! {
                name => f.as_str(),
                label => text(lang, &format!("rules.field.{}", f.as_str())),
                boxes => boxes(*f),
            }
        })
        .collect();
    let has = |a: RuleAction| rule.actions.contains(&a);
    let labels: Vec<Value> = s
        .labels()?
        .into_iter()
        .map(|l| {
            context! {
                id => l.id.0, name => l.name.clone(), colour => l.colour.as_str(),
                checked => has(RuleAction::AddLabel(l.id)),
            }
        })
        .collect();
    let assignee = rule.actions.iter().find_map(|a| match a {
        RuleAction::Assign(id) => Some(id.0),
        _ => None,
    });
    let status = rule.actions.iter().find_map(|a| match a {
        RuleAction::SetStatus(k) => Some(k.as_str()),
        _ => None,
    });
    let agents: Vec<Value> = s
        .agents()?
        .into_iter()
        .filter(|a| a.active || Some(a.id.0) == assignee)
        .map(|a| context! { id => a.id.0, name => a.name, email => a.email.as_str() })
        .collect();
    let statuses: Vec<Value> = RULE_STATUSES
        .iter()
        .map(|k| context! { value => k.as_str(), label => text(lang, &format!("status.{}", k.as_str())) })
        .collect();
    Ok(context! {
        id => rule.id.map(|i| i.0),
        name => rule.name.clone(),
        enabled => rule.enabled,
        fields,
        labels,
        agents,
        assignee,
        statuses,
        status,
    })
}

/// A rule test for the page: each condition with what matched, each action with why it
/// would be skipped.
fn test_view(lang: Lang, t: &RuleTest) -> Value {
    let checks: Vec<Value> = t
        .checks
        .iter()
        .map(|c| {
            context! {
                field => text(lang, &format!("rules.field.{}", c.condition.field.as_str())),
                values => c.condition.values.join(", "),
                matched => c.matched.clone(),
            }
        })
        .collect();
    let actions: Vec<Value> = t
        .actions
        .iter()
        .map(|a| context! { description => a.description.clone(), skipped => a.skipped.clone() })
        .collect();
    context! { ticket => t.ticket.0, matched => t.matched, checks, actions }
}

struct Shown {
    rule: Rule,
    ticket: Option<String>,
    test: Option<RuleTest>,
    refused: Option<(StatusCode, String)>,
}

async fn render(state: &AppState, user: &User, shown: Shown) -> Result<Response, WebError> {
    let lang = user.lang;
    let Shown {
        rule,
        ticket,
        test,
        refused,
    } = shown;
    let form = state.db(move |s| form_view(s, lang, &rule)).await?;
    let ctx = context! {
        section => "rules",
        r => form,
        ticket,
        test => test.as_ref().map(|t| test_view(lang, t)),
    };
    super::draw(state, user, "settings_rule.html", ctx, refused)
}

#[derive(Deserialize)]
pub(crate) struct NewQuery {
    ticket: Option<String>,
}

pub(crate) async fn new(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<NewQuery>,
) -> Result<Response, WebError> {
    guard::admin(&user)?;
    let rule = Rule {
        id: None,
        name: String::new(),
        enabled: true,
        conditions: vec![],
        actions: vec![],
    };
    let shown = Shown {
        rule,
        ticket: q.ticket,
        test: None,
        refused: None,
    };
    render(&state, &user, shown).await
}

pub(crate) async fn edit(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    guard::admin(&user)?;
    let rule = state.db(move |s| Ok(s.rule(RuleId(id))?.rule)).await?;
    let shown = Shown {
        rule,
        ticket: None,
        test: None,
        refused: None,
    };
    render(&state, &user, shown).await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    form: PostForm,
) -> Result<Response, WebError> {
    submit(state, form, None).await
}

pub(crate) async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: PostForm,
) -> Result<Response, WebError> {
    submit(state, form, Some(RuleId(id))).await
}

/// `do=test`: shows what the rule would do to ticket `ticket`, saving nothing; `do=save`:
/// saves (a new rule goes last). A rule the store refuses is shown again with the reason.
async fn submit(state: AppState, form: PostForm, id: Option<RuleId>) -> Result<Response, WebError> {
    guard::admin(&form.user)?;
    let rule = rule_from(&form, id)?;
    let ticket = form.get("ticket").map(str::to_string);
    let user = form.user.clone();
    let testing = form.get("do") == Some("test");
    let r = rule.clone();
    let t = ticket.clone();
    let outcome: Result<Option<RuleTest>, StoreError> = state
        .db(move |s| {
            if testing {
                let raw = t.ok_or_else(|| {
                    WebError::BadRequest("give the number of a ticket to test the rule on".into())
                })?;
                let n = TicketNumber::parse(&raw)
                    .map_err(|_| WebError::BadRequest(format!("ticket {raw}: not a number")))?;
                return Ok(s.test_rule(&r, n).map(Some));
            }
            let actor = user.actor();
            Ok(match id {
                Some(id) => s.update_rule(actor, id, &r).map(|_| None),
                None => s.add_rule(actor, &r, None).map(|_| None),
            })
        })
        .await?;
    let user = form.user.clone();
    match outcome {
        Ok(None) => Ok(Redirect::to("/settings/rules").into_response()),
        Ok(Some(test)) => {
            let shown = Shown {
                rule,
                ticket,
                test: Some(test),
                refused: None,
            };
            render(&state, &user, shown).await
        }
        Err(e) => {
            // A ticket (or label, or user) that is not there is the form's problem here.
            let refused = match e {
                StoreError::NotFound { .. } => (StatusCode::BAD_REQUEST, e.to_string()),
                other => refusal(other)?,
            };
            let shown = Shown {
                rule,
                ticket,
                test: None,
                refused: Some(refused),
            };
            render(&state, &user, shown).await
        }
    }
}
