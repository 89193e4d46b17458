//! The guards every request passes before a route sees it: size limits (long URLs and request
//! bodies are refused; the desk takes none) and, when the desk has an access token, the token.
//!
//! The token comes as `Authorization: Bearer T`, as the `newsfold_token` cookie, or once as
//! `?token=T` in a browser's address bar, which sets the cookie so that the links work after.

use super::Failure;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Longest request target (path and query) accepted, in bytes.
pub const MAX_URI: usize = 4096;
/// Largest request body accepted: the desk only reads, so a body is never needed.
pub const MAX_BODY: u64 = 16 * 1024;
const COOKIE: &str = "newsfold_token";

pub struct Guard {
    token: Option<String>,
}

impl Guard {
    pub fn new(token: Option<String>) -> Guard {
        Guard { token }
    }

    /// Whether `given` is the token, compared in time independent of where they differ.
    fn matches(&self, given: &str) -> bool {
        let Some(t) = &self.token else { return true };
        let (a, b) = (t.as_bytes(), given.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// The token a request carries, and whether it came in the query string.
fn presented(req: &Request) -> Option<(String, bool)> {
    let headers = req.headers();
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        if let Some(t) = v.strip_prefix("Bearer ") {
            return Some((t.trim().to_string(), false));
        }
    }
    for v in headers.get_all(header::COOKIE) {
        for part in v.to_str().unwrap_or("").split(';') {
            if let Some(t) = part.trim().strip_prefix("newsfold_token=") {
                return Some((t.to_string(), false));
            }
        }
    }
    let query = req.uri().query()?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| (v.into_owned(), true))
}

pub async fn guard(State(guard): State<Arc<Guard>>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/") || req.uri().path() == "/openapi.json";
    let fail = |f: Failure| if api { f } else { f.page() }.into_response();
    let target = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if target > MAX_URI {
        return fail(Failure::new(
            StatusCode::URI_TOO_LONG,
            format!("the request target is {target} bytes; at most {MAX_URI} are accepted"),
        ));
    }
    let length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if length.is_some_and(|n| n > MAX_BODY) || req.headers().contains_key(header::TRANSFER_ENCODING)
    {
        return fail(Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the desk takes no request bodies",
        ));
    }
    let mut set_cookie = None;
    if guard.token.is_some() {
        match presented(&req) {
            Some((t, from_query)) if guard.matches(&t) => {
                if from_query {
                    set_cookie = Some(t);
                }
            }
            _ => {
                let mut r = fail(Failure::new(
                    StatusCode::UNAUTHORIZED,
                    "this desk needs its access token: `Authorization: Bearer TOKEN`, or open any page once with ?token=TOKEN",
                ));
                r.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"newsfold\""),
                );
                return r;
            }
        }
    }
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    // Pages carry no script of their own; nothing in a stored article may run either.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if let Some(t) = set_cookie {
        if let Ok(v) =
            HeaderValue::from_str(&format!("{COOKIE}={t}; Path=/; HttpOnly; SameSite=Strict"))
        {
            headers.insert(header::SET_COOKIE, v);
        }
    }
    response
}
