//! Search on the desk: `/search` (the page) and `/api/search` (JSON), over the tantivy index
//! that ingest keeps beside the store (`store::search`). Hits come in score order and are
//! grouped by their event, each group where its best hit ranks, so that one story's many
//! reports read as one result.

use super::params::{range, Page, Params, MAX_QUERY};
use super::{blocking, Desk, Failure};
use crate::store::search::{group_hits, Hit, SearchQuery};
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use maud::{html, PreEscaped};
use serde::Serialize;
use std::sync::Arc;

const KNOWN: &[&str] = &["q", "outlet", "from", "to", "entity", "limit", "offset"];

/// The hits of one story.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// The hits' event; `None` for articles the stories do not cover yet.
    pub story: Option<String>,
    pub headline: Option<String>,
    pub hits: Vec<Hit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub query: String,
    /// Matching articles.
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub groups: Vec<Group>,
}

fn read(q: Option<&str>) -> Result<(SearchQuery, Page), Failure> {
    let p = Params::parse(q, KNOWN)?;
    let text = p.text("q").unwrap_or("").to_string();
    if text.chars().count() > MAX_QUERY {
        return Err(Failure::bad_request(format!(
            "the query is {} characters; at most {MAX_QUERY} are accepted",
            text.chars().count()
        )));
    }
    let (from, to) = range(&p)?;
    let page = Page::read(&p, 20)?;
    Ok((
        SearchQuery {
            text,
            outlet: p.text("outlet").map(str::to_string),
            from,
            to,
            entity: p.text("entity").map(str::to_string),
            limit: page.limit,
            offset: page.offset,
        },
        page,
    ))
}

impl Desk {
    fn search(&self, q: &SearchQuery, page: Page) -> crate::error::Result<Found> {
        let empty = q.text.is_empty()
            && q.outlet.is_none()
            && q.entity.is_none()
            && q.from.is_none()
            && q.to.is_none();
        let results = if empty {
            crate::store::search::SearchResults {
                total: 0,
                hits: Vec::new(),
            }
        } else {
            self.index.search(q)?
        };
        let placed = self.placement()?;
        let groups = group_hits(results.hits, |h| {
            Ok(placed.event_of.get(&h.article).cloned())
        })?
        .into_iter()
        .map(|(story, hits)| Group {
            headline: story
                .as_ref()
                .and_then(|e| placed.headline.get(e).cloned().flatten()),
            story,
            hits,
        })
        .collect();
        Ok(Found {
            query: q.text.clone(),
            total: results.total,
            offset: page.offset,
            limit: page.limit,
            groups,
        })
    }
}

/// Hits a page may ask for and still be searched on the worker thread that read the request.
const INLINE_HITS: usize = 100;

/// The search, once a core is free for it. A page of up to [`INLINE_HITS`] hits is searched
/// right on the worker thread that read the request: it takes a fraction of a millisecond,
/// less than handing it to another thread and back cost (`newsfold bench serve` at 50
/// clients: 3,500 searches a second against 2,300). Bigger pages, and a search that first
/// has to place the hits in stories again after a rebuild, go to a blocking thread so as
/// not to hold the worker up.
async fn found(desk: Arc<Desk>, query: SearchQuery, page: Page) -> Result<Found, Failure> {
    let _turn = desk.searching.acquire().await.map_err(|e| {
        Failure::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            format!("search is shut: {e}"),
        )
    })?;
    if query.limit <= INLINE_HITS && desk.cache.has_placement() {
        return Ok(desk.search(&query, page)?);
    }
    let desk = Arc::clone(&desk);
    blocking(move || Ok(desk.search(&query, page)?)).await
}

pub async fn api(
    State(desk): State<Arc<Desk>>,
    RawQuery(q): RawQuery,
) -> Result<Json<Found>, Failure> {
    let (query, page) = read(q.as_deref())?;
    Ok(Json(found(desk, query, page).await?))
}

pub async fn page(State(desk): State<Arc<Desk>>, RawQuery(q): RawQuery) -> Response {
    let result: Result<Response, Failure> = async {
        let (query, page) = read(q.as_deref())?;
        let shown = query.clone();
        Ok(render(&shown, &found(desk, query, page).await?))
    }
    .await;
    result.unwrap_or_else(|f| f.page().into_response())
}

fn render(q: &SearchQuery, found: &Found) -> Response {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut pairs: Vec<(&str, String)> = vec![("q", q.text.clone())];
    pairs.push(("outlet", q.outlet.clone().unwrap_or_default()));
    pairs.push(("from", day(q.from)));
    pairs.push(("to", day(q.to)));
    pairs.push(("entity", q.entity.clone().unwrap_or_default()));
    pairs.push(("limit", q.limit.to_string()));
    let page = Page {
        limit: found.limit,
        offset: found.offset,
    };
    let title = if q.text.is_empty() {
        "Search".to_string()
    } else {
        format!("Search: {}", q.text)
    };
    let body = html! {
        h1 { "Search" }
        form.filters #search-form method="get" action="/search" {
            label { "Words" input type="search" name="q" value=(q.text) autofocus; }
            label { "Outlet" input type="text" name="outlet" value=(q.outlet.as_deref().unwrap_or("")); }
            label { "From" input type="date" name="from" value=(day(q.from)); }
            label { "To" input type="date" name="to" value=(day(q.to)); }
            label { "Entity" input type="text" name="entity" value=(q.entity.as_deref().unwrap_or("")); }
            button type="submit" { "Search" }
        }
        p.muted { "All words must match; \"quoted words\" match as a phrase." }
        @if !found.groups.is_empty() || !q.text.is_empty() {
            p #result-count { (found.total) @if found.total == 1 { " article" } @else { " articles" } " match" @if found.total == 1 { "es" } "." }
        }
        @for g in &found.groups {
            div.group {
                h3 {
                    @match &g.story {
                        Some(id) => { a.story href={"/stories/" (id)} { (g.headline.as_deref().unwrap_or("(untitled story)")) } }
                        None => { "Not yet in a story" }
                    }
                }
                @for h in &g.hits {
                    div.hit {
                        a.title href={"/articles/" (h.article)} { (PreEscaped(&h.title_html)) }
                        " " span.muted { (h.outlet.as_deref().unwrap_or("(unknown outlet)")) " · " (h.published.map(|d| d.to_string()).unwrap_or_else(|| "undated".into())) }
                        p.snippet { (PreEscaped(&h.snippet_html)) }
                    }
                }
            }
        }
        @if found.total > found.limit || found.offset > 0 {
            (super::pages::pager("/search", &pairs, page, found.total))
        }
    };
    super::pages::render_searched(&title, body, &q.text)
}
