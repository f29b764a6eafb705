//! Middleware around every response: renders [`ErrorPage`]s in the user's language, and sets
//! the security headers — a strict Content-Security-Policy (no inline script or style, no
//! plugins, no framing, no `<base>`, forms only to us; remote images only on a page that
//! asked for them), `nosniff`, no referrer to other sites, and no caching of private pages.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use std::sync::{Arc, Mutex};

use crate::AppState;
use crate::error::ErrorPage;
use crate::i18n::Lang;
use crate::render;
use crate::session::User;

/// Filled by the [`User`] extractor, so an error page can greet the user in their language.
#[derive(Clone, Default)]
pub(crate) struct PageSlot(Arc<Mutex<Option<User>>>);

impl PageSlot {
    pub fn set(&self, user: &User) {
        if let Ok(mut s) = self.0.lock() {
            *s = Some(user.clone());
        }
    }

    fn get(&self) -> Option<User> {
        self.0.lock().ok().and_then(|s| s.clone())
    }
}

/// Response extension: this page shows remote images (the agent clicked "show images").
#[derive(Clone, Copy)]
pub(crate) struct RemoteImages;

pub(crate) const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
     script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; \
     form-action 'self'";
const CSP_IMAGES: &str = "default-src 'self'; img-src 'self' data: https:; style-src 'self'; \
     script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; \
     form-action 'self'";

pub(crate) async fn chrome(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let slot = PageSlot::default();
    req.extensions_mut().insert(slot.clone());
    let browser_lang = Lang::from_headers(req.headers());
    let mut resp = next.run(req).await;
    if let Some(err) = resp.extensions_mut().remove::<ErrorPage>() {
        resp = error_page(&state, slot.get(), browser_lang, err, resp);
    }
    let images = resp.extensions().get::<RemoteImages>().is_some();
    let h = resp.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        let csp = if images { CSP_IMAGES } else { CSP };
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // same-origin, not no-referrer: a same-site form post must keep its Origin header.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

fn error_page(
    state: &AppState,
    user: Option<User>,
    browser_lang: Lang,
    err: ErrorPage,
    plain: Response,
) -> Response {
    let ctx = context! {
        title_key => err.title_key,
        message => err.message,
        ticket => err.ticket,
    };
    let html = match &user {
        Some(u) => render::page(state, u, "error.html", ctx),
        None => render::anonymous_page(state, browser_lang, "error.html", ctx),
    };
    match html {
        Ok(html) => {
            let mut r = (err.status, html).into_response();
            for name in [header::RETRY_AFTER, header::SET_COOKIE] {
                if let Some(v) = plain.headers().get(&name) {
                    r.headers_mut().insert(name, v.clone());
                }
            }
            r
        }
        // The page itself failed: the plain text says what went wrong.
        Err(_) => plain,
    }
}
