//! The JSON API under `/api/`: the same content as the pages, for scripts and other front
//! ends. `docs/openapi.json` describes it and is served at `/openapi.json`; a test checks that
//! the two agree on the routes.

use super::params::{self, Page, Params, StoryFilter, STORY_LIST};
use super::{blocking, Desk, Failure};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

type Answer = Result<Json<Value>, Failure>;

/// The OpenAPI document, as kept in the repository.
pub const OPENAPI: &str = include_str!("../../docs/openapi.json");

fn to_json(v: &impl serde::Serialize) -> Answer {
    serde_json::to_value(v)
        .map(Json)
        .map_err(|e| Failure::from(crate::error::Error::Internal(e.to_string())))
}

pub async fn stories(State(desk): State<Arc<Desk>>, RawQuery(q): RawQuery) -> Answer {
    let p = Params::parse(q.as_deref(), STORY_LIST)?;
    let filter = StoryFilter::read(&p)?;
    let page = Page::read(&p, 50)?;
    blocking(move || {
        let found = desk.stories(&filter)?;
        let total = found.len();
        let shown: Vec<_> = found
            .into_iter()
            .skip(page.offset)
            .take(page.limit)
            .collect();
        Ok(Json(json!({
            "level": filter.level(),
            "total": total,
            "offset": page.offset,
            "limit": page.limit,
            "stories": shown,
        })))
    })
    .await
}

pub async fn story(
    State(desk): State<Arc<Desk>>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Answer {
    let id = params::story_request(id, q.as_deref())?;
    blocking(move || match desk.report(&id)? {
        Some(r) => to_json(&*r),
        None => Err(Failure::not_found(format!("no story {id:?}"))),
    })
    .await
}

pub async fn article(
    State(desk): State<Arc<Desk>>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Answer {
    let (id, compare) = params::article_request(id, q.as_deref())?;
    blocking(move || match desk.article(&id, compare.as_deref())? {
        Some(a) => to_json(&a),
        None => Err(Failure::not_found(format!("no article {id:?}"))),
    })
    .await
}

pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}
