//! The stylesheet and the script, built into the binary and served under `/static/` with a
//! year-long cache: their URLs carry a hash of the content (`?v=…`), so a new build is a new
//! URL. Also `/colours.css`: one class per agent and label colour (`.c-2563eb`), because the
//! Content-Security-Policy forbids inline `style` attributes.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeSet;
use std::sync::LazyLock;

use crate::session::User;
use crate::{AppState, WebError};

const FILES: &[(&str, &str, &str)] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../static/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../static/app.js"),
    ),
];

/// Short content hashes, computed once.
static VERSIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(_, _, body)| hako_domain::ContentHash::of(body.as_bytes()).as_str()[..12].into())
        .collect()
});

/// The URL of a built-in file, with its version.
pub(crate) fn url(name: &str) -> String {
    let i = FILES
        .iter()
        .position(|(n, _, _)| *n == name)
        .expect("a built-in file");
    format!("/static/{name}?v={}", VERSIONS[i])
}

pub(crate) async fn serve(Path(name): Path<String>) -> Result<Response, WebError> {
    let (_, mime, body) = FILES
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or_else(|| WebError::not_found(format!("file {name}")))?;
    let mut r = (*body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Ok(r)
}

/// A class per colour in use. Colours are validated `#rrggbb` (hako_domain::Colour), so
/// nothing else can reach this stylesheet.
pub(crate) async fn colours(
    State(state): State<AppState>,
    _user: User,
) -> Result<Response, WebError> {
    let colours: BTreeSet<String> = state
        .db(|s| {
            let mut set: BTreeSet<String> = s
                .agents()?
                .into_iter()
                .map(|a| a.colour.to_string())
                .collect();
            set.extend(s.labels()?.into_iter().map(|l| l.colour.to_string()));
            Ok(set)
        })
        .await?;
    let css: String = colours
        .iter()
        .map(|c| format!(".c-{}{{--c:{c}}}\n", &c[1..]))
        .collect();
    let mut r = css.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=60"),
    );
    Ok(r)
}
