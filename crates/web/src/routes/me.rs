//! `/me`: the user's own language and timezone, and changing their password. A new password
//! ends every session of the user (the store deletes them with the change); this browser
//! gets a fresh session at once, so only the others are signed out.

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono_tz::Tz;
use hako_domain::password::verify_password;
use hako_store::Preferences;
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;

use crate::form::PostForm;
use crate::i18n::{Lang, text};
use crate::render::page;
use crate::session::{self, IDLE, User};
use crate::{AppState, WebError, csrf};

/// Offered in the timezone field's list (any IANA name is accepted).
const ZONES: &[&str] = &[
    "Asia/Tokyo",
    "UTC",
    "Asia/Seoul",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Australia/Sydney",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
];

#[derive(Deserialize)]
pub(crate) struct MeQuery {
    saved: Option<String>,
}

async fn render(
    state: &AppState,
    user: &User,
    saved: Option<&str>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let id = user.agent.id;
    let prefs = state.db(move |s| Ok(s.preferences(id)?)).await?;
    let saved = saved.filter(|s| ["settings", "password"].contains(s));
    let ctx: Value = context! {
        saved,
        error,
        pref_lang => prefs.language,
        pref_tz => prefs.timezone.unwrap_or_default(),
        team_tz => state.settings().timezone.name(),
        zones => ZONES.to_vec(),
    };
    let status = if ctx.get_attr("error").is_ok_and(|e| !e.is_none()) {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok((status, page(state, user, "me.html", ctx)?).into_response())
}

pub(crate) async fn show(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<MeQuery>,
) -> Result<Response, WebError> {
    render(&state, &user, q.saved.as_deref(), None).await
}

pub(crate) async fn save(
    State(state): State<AppState>,
    form: PostForm,
) -> Result<Response, WebError> {
    let language = form.get("language").map(str::to_string);
    if let Some(l) = &language
        && Lang::parse(l).is_none()
    {
        return Err(WebError::BadRequest(format!(
            "language {l}: choose ja or en"
        )));
    }
    let timezone = form.get("timezone").map(str::to_string);
    if let Some(tz) = &timezone
        && tz.parse::<Tz>().is_err()
    {
        let msg = format!("{} {tz}", text(form.user.lang, "me.bad_timezone"));
        return render(&state, &form.user, None, Some(msg)).await;
    }
    let id = form.user.agent.id;
    state
        .db(move |s| Ok(s.set_preferences(id, &Preferences { language, timezone })?))
        .await?;
    Ok(Redirect::to("/me?saved=settings").into_response())
}

pub(crate) async fn password(
    State(state): State<AppState>,
    form: PostForm,
) -> Result<Response, WebError> {
    let lang = form.user.lang;
    let (current, new, confirm) = (
        form.get("current").unwrap_or("").to_string(),
        form.get("new").unwrap_or("").to_string(),
        form.get("confirm").unwrap_or("").to_string(),
    );
    if new != confirm {
        return render(
            &state,
            &form.user,
            None,
            Some(text(lang, "me.password_mismatch").into()),
        )
        .await;
    }
    let id = form.user.agent.id;
    let (sid, ctok) = (csrf::random_token(), csrf::random_token());
    let new_session = sid.clone();
    let outcome = state
        .db(move |s| {
            let hash = s.password_hash(id)?;
            if !hash
                .as_deref()
                .is_some_and(|h| verify_password(&current, h))
            {
                return Ok(Err(text(lang, "me.password_wrong").to_string()));
            }
            if let Err(e) = s.set_password(hako_domain::Actor::Agent(id), id, &new) {
                return Ok(Err(e.to_string()));
            }
            let now = s.now();
            s.create_session(id, &sid, &ctok, now + IDLE)?;
            Ok(Ok(()))
        })
        .await?;
    if let Err(msg) = outcome {
        return render(&state, &form.user, None, Some(msg)).await;
    }
    let mut r = Redirect::to("/me?saved=password").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        session::set_cookie(&new_session, state.settings().secure_cookies()),
    );
    Ok(r)
}
