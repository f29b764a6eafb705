//! Pages: the minijinja templates of `templates/web/` compiled into the binary, HTML
//! auto-escaping on, undefined variables an error (a typo fails the page tests, not a user's
//! screen). Templates get `t("key")` (the message catalogue in the page's language),
//! `csrf_field()`, and the `dt` filter (an instant in the user's timezone).

use axum::response::Html;
use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, SecondsFormat};
use chrono_tz::Tz;
use hako_domain::Timestamp;
use minijinja::value::{Enumerator, Object, Value};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior, context};
use std::sync::{Arc, LazyLock};

use crate::i18n::{self, Lang};
use crate::session::User;
use crate::static_files;
use crate::{AppState, WebError};

#[rustfmt::skip]
const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../../../templates/web/layout.html")),
    ("login.html", include_str!("../../../templates/web/login.html")),
    ("error.html", include_str!("../../../templates/web/error.html")),
    ("inbox.html", include_str!("../../../templates/web/inbox.html")),
    ("ticket.html", include_str!("../../../templates/web/ticket.html")),
    ("history.html", include_str!("../../../templates/web/history.html")),
    ("me.html", include_str!("../../../templates/web/me.html")),
    ("board.html", include_str!("../../../templates/web/board.html")),
    ("board_ticket.html", include_str!("../../../templates/web/board_ticket.html")),
    ("board_assign.html", include_str!("../../../templates/web/board_assign.html")),
    ("report.html", include_str!("../../../templates/web/report.html")),
    ("settings_nav.html", include_str!("../../../templates/web/settings_nav.html")),
    ("settings_labels.html", include_str!("../../../templates/web/settings_labels.html")),
    ("settings_templates.html", include_str!("../../../templates/web/settings_templates.html")),
    ("settings_template.html", include_str!("../../../templates/web/settings_template.html")),
    ("settings_users.html", include_str!("../../../templates/web/settings_users.html")),
    ("settings_user.html", include_str!("../../../templates/web/settings_user.html")),
    ("settings_inbox.html", include_str!("../../../templates/web/settings_inbox.html")),
    ("settings_audit.html", include_str!("../../../templates/web/settings_audit.html")),
    ("settings_inboxes.html", include_str!("../../../templates/web/settings_inboxes.html")),
    ("settings_rules.html", include_str!("../../../templates/web/settings_rules.html")),
    ("settings_rule.html", include_str!("../../../templates/web/settings_rule.html")),
    ("settings_assignment.html", include_str!("../../../templates/web/settings_assignment.html")),
];

pub(crate) struct Pages {
    env: Environment<'static>,
}

fn lang_of(state: &State<'_, '_>) -> Lang {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::parse))
        .unwrap_or(Lang::En)
}

/// `t("key")`: an unknown key is an error, so a missing translation cannot ship silently.
fn t(state: &State<'_, '_>, key: &str) -> Result<String, Error> {
    i18n::lookup(lang_of(state), key)
        .map(str::to_string)
        .ok_or_else(|| Error::new(ErrorKind::UndefinedError, format!("no message `{key}`")))
}

/// The hidden CSRF field of every form (the token is hex, nothing to escape).
fn csrf_field(state: &State<'_, '_>) -> Result<Value, Error> {
    let token = state
        .lookup("csrf")
        .and_then(|v| v.as_str().map(str::to_string))
        .ok_or_else(|| Error::new(ErrorKind::UndefinedError, "no csrf token on this page"))?;
    Ok(Value::from_safe_string(format!(
        r#"<input type="hidden" name="_csrf" value="{token}">"#
    )))
}

/// How `dt` writes an instant, parsed once (a page formats ~150 of them).
static DT_FORMAT: LazyLock<Vec<Item<'static>>> = LazyLock::new(|| {
    StrftimeItems::new("%Y-%m-%d %H:%M")
        .parse_to_owned()
        .expect("a valid format")
});

/// An RFC 3339 instant as `2026-11-25 15:00` in the page's timezone.
fn dt(state: &State<'_, '_>, v: Value) -> String {
    let tz: Tz = state
        .lookup("tz")
        .and_then(|v| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(chrono_tz::UTC);
    match v
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
    {
        Some(t) => t
            .with_timezone(&tz)
            .format_with_items(DT_FORMAT.iter())
            .to_string(),
        None => String::new(),
    }
}

impl Pages {
    pub fn new() -> Result<Pages, WebError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .map_err(|e| WebError::Internal(format!("template {name}: {e}")))?;
        }
        env.add_function("t", t);
        env.add_function("csrf_field", csrf_field);
        env.add_filter("dt", dt);
        Ok(Pages { env })
    }

    pub fn render(&self, name: &str, ctx: Value) -> Result<String, WebError> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| WebError::Internal(format!("page {name}: {e:#}")))
    }
}

/// Any serialisable value for a template (instants become RFC 3339 strings for `dt`).
pub(crate) fn ser<T: serde::Serialize>(v: &T) -> Value {
    Value::from(minijinja::value::Serde(v))
}

/// An instant for `dt`, or none: the string `ser` makes of it (chrono's serde form, RFC 3339
/// in UTC with `Z`), written directly. Through serde it took ~4% of the inbox view's CPU.
pub(crate) fn instant(t: Option<&Timestamp>) -> Value {
    Value::from(t.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true)))
}

/// The variables every page has; `me` and `csrf` only when signed in.
#[derive(Debug)]
struct Base {
    lang: Value,
    tz: Value,
    me: Value,
    csrf: Value,
    css_url: Value,
    js_url: Value,
}

const BASE_NAMES: [&str; 6] = ["lang", "tz", "me", "csrf", "css_url", "js_url"];

fn base(lang: Lang, tz: Tz, user: Option<&User>) -> Base {
    let me = user.map(|u| {
        context! {
            name => u.agent.name.clone(),
            email => u.agent.email.as_str(),
            role => u.agent.role.as_str(),
            colour => u.agent.colour.as_str(),
        }
    });
    Base {
        lang: Value::from(lang.code()),
        tz: Value::from(tz.name()),
        me: Value::from(me),
        csrf: Value::from(user.map(|u| u.csrf.clone())),
        css_url: Value::from(static_files::url("app.css")),
        js_url: Value::from(static_files::url("app.js")),
    }
}

/// A page's variables: its own and [`Base`]'s, which no page defines. One object instead of
/// `context! { ..page, ..base }`: minijinja looks a name up in each part of a merged context
/// in turn, through a temporary value, and a page looks names up thousands of times (`lang`
/// at every `t()`, `tz` at every `dt`, each row's fields); on the inbox view that merging was
/// about a third of the rendering.
#[derive(Debug)]
struct PageVars {
    base: Base,
    page: Value,
}

impl Object for PageVars {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        let b = &self.base;
        match key {
            "lang" => Some(b.lang.clone()),
            "tz" => Some(b.tz.clone()),
            "me" => Some(b.me.clone()),
            "csrf" => Some(b.csrf.clone()),
            "css_url" => Some(b.css_url.clone()),
            "js_url" => Some(b.js_url.clone()),
            _ => self.page.get_attr(key).ok().filter(|v| !v.is_undefined()),
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let page = self.page.try_iter().into_iter().flatten();
        Enumerator::Values(
            BASE_NAMES
                .iter()
                .map(|k| Value::from(*k))
                .chain(page)
                .collect(),
        )
    }
}

fn vars(ctx: Value, base: Base) -> Value {
    debug_assert!(
        BASE_NAMES
            .iter()
            .all(|k| ctx.get_attr(k).is_ok_and(|v| v.is_undefined())),
        "a page defines a variable every page has"
    );
    Value::from_object(PageVars { base, page: ctx })
}

/// Renders a page for the signed-in user.
pub(crate) fn page(
    state: &AppState,
    user: &User,
    name: &str,
    ctx: Value,
) -> Result<Html<String>, WebError> {
    let all = vars(ctx, base(user.lang, user.tz, Some(user)));
    state.0.pages.render(name, all).map(Html)
}

/// Renders a page for someone not signed in (sign-in, error pages).
pub(crate) fn anonymous_page(
    state: &AppState,
    lang: Lang,
    name: &str,
    ctx: Value,
) -> Result<Html<String>, WebError> {
    let tz = state.settings().timezone;
    let all = vars(ctx, base(lang, tz, None));
    state.0.pages.render(name, all).map(Html)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn an_instant_is_the_string_serde_makes() {
        let whole = Utc.with_ymd_and_hms(2026, 11, 25, 3, 0, 0).unwrap();
        for t in [whole, whole + chrono::Duration::milliseconds(7)] {
            assert_eq!(instant(Some(&t)), ser(&t));
            assert_eq!(instant(Some(&t)), ser(&Some(t)));
        }
        assert_eq!(instant(None), ser(&None::<Timestamp>));
    }
}
