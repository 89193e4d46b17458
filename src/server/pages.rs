//! The desk's HTML pages, rendered on the server with `maud` (which escapes every value it is
//! given, so stored titles and bodies always render as text). They work without JavaScript:
//! filters are plain GET forms, removed furniture and copies fold with `<details>`, the chart
//! is inline SVG. [`story_document`] is also the self-contained report `newsfold report
//! --format html` writes.

use super::article::{ArticleView, Block};
use super::params::{Page, Params, StoryFilter, STORY_LIST};
use super::{blocking, Desk, Failure};
use crate::dedup::diff::{Hunk, WordOp};
use crate::stories::report::{ArticleLine, StoryReport};
use crate::stories::timeline::Entry;
use crate::stories::{Level, Summary};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::fmt::Write as _;
use std::sync::Arc;

const CSS: &str = r#"
:root { --ink:#1d2329; --muted:#5b6670; --line:#d9dee3; --accent:#1f5fa8; --bg:#fbfbfa; --mark:#fff1a8; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui, sans-serif; color:var(--ink); background:var(--bg); }
header.top { display:flex; gap:1.5rem; align-items:center; padding:.6rem 1.2rem; border-bottom:1px solid var(--line); background:#fff; }
header.top a.brand { font-weight:700; color:var(--ink); text-decoration:none; }
header.top form { margin-left:auto; }
main { max-width:1100px; margin:0 auto; padding:1rem 1.2rem 3rem; }
a { color:var(--accent); }
h1 { font-size:1.5rem; margin:.4rem 0; } h2 { font-size:1.15rem; margin-top:2rem; border-bottom:1px solid var(--line); }
table { border-collapse:collapse; width:100%; margin:.5rem 0; }
th, td { text-align:left; vertical-align:top; padding:.3rem .5rem; border-bottom:1px solid var(--line); }
th { font-weight:600; color:var(--muted); font-size:.85rem; }
.muted, .meta { color:var(--muted); font-size:.9rem; }
form.filters { display:flex; flex-wrap:wrap; gap:.5rem; align-items:end; margin:.5rem 0 1rem; }
form.filters label { display:flex; flex-direction:column; font-size:.8rem; color:var(--muted); }
input, select, button { font:inherit; padding:.25rem .4rem; }
ol.timeline { list-style:none; padding:0; } ol.timeline li { padding:.4rem 0; border-bottom:1px dotted var(--line); }
.when { font-weight:600; font-variant-numeric:tabular-nums; margin-right:.6rem; }
.sources { font-size:.85rem; color:var(--muted); }
blockquote { margin:.4rem 0; padding:.2rem .8rem; border-left:3px solid var(--line); }
.altered { color:#9a3b00; font-size:.85rem; }
details.furniture { margin:.5rem 0; padding:.3rem .6rem; background:#f1f1ee; border-left:3px solid #b9b9b0; color:var(--muted); }
details.furniture summary { cursor:pointer; font-size:.85rem; }
p.para { margin:.7rem 0; }
span.hl-quote { background:#e6f0ff; } span.hl-date { border-bottom:2px solid #2e8b57; } span.hl-entity { font-weight:600; }
span.hl-quote.hl-entity { background:#dde9ff; }
table.diff td { width:50%; font-size:.92rem; } del { background:#ffe0e0; text-decoration:line-through; } ins { background:#dff5df; text-decoration:none; }
tr.same td { color:var(--muted); }
.pager { display:flex; gap:1rem; margin:1rem 0; }
mark { background:var(--mark); }
.group { margin:1rem 0 1.5rem; } .hit { margin:.5rem 0 .5rem 1rem; } .hit .snippet { margin:.1rem 0; }
svg text { font-size:10px; fill:var(--muted); }
"#;

/// Where links to articles and stories lead: the desk's pages, or anchors inside one
/// self-contained report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    Desk,
    Report,
}

impl Links {
    fn article(self, id: &str) -> String {
        match self {
            Links::Desk => format!("/articles/{id}"),
            Links::Report => format!("#a-{id}"),
        }
    }
}

/// A whole page. `nav` is the header's search box text: `None` leaves the header out (the
/// self-contained report).
fn document(title: &str, body: Markup, nav: Option<&str>) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · newsfold" }
                style { (PreEscaped(CSS)) }
            }
            body {
                @if let Some(query) = nav {
                    header.top {
                        a.brand href="/stories" { "newsfold" }
                        a href="/stories" { "Stories" }
                        a href="/stories?level=event" { "Events" }
                        a href="/search" { "Search" }
                        form action="/search" method="get" role="search" {
                            input type="search" name="q" value=(query) placeholder="Search articles" aria-label="Search articles";
                            " " button type="submit" { "Search" }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

pub(super) fn render(title: &str, body: Markup) -> Response {
    render_searched(title, body, "")
}

/// A page whose header search box shows `query`.
pub(super) fn render_searched(title: &str, body: Markup, query: &str) -> Response {
    Html(document(title, body, Some(query)).into_string()).into_response()
}

pub fn error_page(status: StatusCode, message: &str) -> Response {
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    let body = html! {
        h1 { (title) }
        p.error { (message) }
        p { a href="/stories" { "Back to the stories" } }
    };
    render(&title, body)
}

fn dates(first: Option<NaiveDate>, last: Option<NaiveDate>) -> String {
    match (first, last) {
        (Some(f), Some(l)) if f == l => f.to_string(),
        (Some(f), Some(l)) => format!("{f} – {l}"),
        _ => "undated".into(),
    }
}

fn untitled(t: Option<&str>) -> &str {
    t.unwrap_or("(untitled)")
}

pub async fn home() -> Redirect {
    Redirect::to("/stories")
}

/// A link to the same listing with another offset.
fn page_link(base: &str, query: &[(&str, String)], offset: usize) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in query {
        if !v.is_empty() && *k != "offset" {
            s.append_pair(k, v);
        }
    }
    s.append_pair("offset", &offset.to_string());
    format!("{base}?{}", s.finish())
}

pub(super) fn pager(base: &str, query: &[(&str, String)], page: Page, total: usize) -> Markup {
    html! {
        nav.pager {
            @if page.offset > 0 {
                a rel="prev" href=(page_link(base, query, page.offset.saturating_sub(page.limit))) { "← newer" }
            }
            span.muted { (page.offset.min(total)) "–" ((page.offset + page.limit).min(total)) " of " (total) }
            @if page.offset + page.limit < total {
                a rel="next" href=(page_link(base, query, page.offset + page.limit)) { "older →" }
            }
        }
    }
}

pub async fn stories(State(desk): State<Arc<Desk>>, RawQuery(q): RawQuery) -> Response {
    let result: Result<Response, Failure> = async {
        let p = Params::parse(q.as_deref(), STORY_LIST)?;
        let filter = StoryFilter::read(&p)?;
        let page = Page::read(&p, 50)?;
        let query: Vec<(&str, String)> = STORY_LIST
            .iter()
            .map(|k| (*k, p.text(k).unwrap_or("").to_string()))
            .collect();
        let f = filter.clone();
        let found = blocking(move || Ok(desk.stories(&f)?)).await?;
        Ok(page_of_stories(&filter, &query, page, &found))
    }
    .await;
    result.unwrap_or_else(|f| f.page().into_response())
}

fn page_of_stories(
    filter: &StoryFilter,
    query: &[(&str, String)],
    page: Page,
    found: &[Summary],
) -> Response {
    let value = |k: &str| {
        query
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let level = filter.level();
    let title = match level {
        Level::Storyline => "Storylines",
        Level::Event => "Events",
    };
    let body = html! {
        h1 { (title) }
        form.filters method="get" action="/stories" {
            label { "Level"
                select name="level" {
                    option value="storyline" selected[level == Level::Storyline] { "storylines" }
                    option value="event" selected[level == Level::Event] { "events" }
                }
            }
            label { "From" input type="date" name="from" value=(value("from")); }
            label { "To" input type="date" name="to" value=(value("to")); }
            label { "Outlet" input type="text" name="outlet" value=(value("outlet")); }
            label { "Entity" input type="text" name="entity" value=(value("entity")); }
            button type="submit" { "Filter" }
        }
        @if found.is_empty() {
            p.empty { "No story matches these filters." }
        } @else {
            table #stories {
                thead { tr { th { "Headline" } th { "Dates" } th { "Outlets" } th { "Articles / sources" } } }
                tbody {
                    @for s in found.iter().skip(page.offset).take(page.limit) {
                        tr.story {
                            td { a.headline href={"/stories/" (s.id)} { (untitled(s.headline.as_deref())) } }
                            td.dates { (dates(s.first_seen, s.last_seen)) }
                            td.outlets { (s.outlets.iter().map(|(o, _)| o.as_str()).collect::<Vec<_>>().join(", ")) }
                            td.counts { (s.articles) " / " (s.sources) }
                        }
                    }
                }
            }
            (pager("/stories", query, page, found.len()))
        }
    };
    render(title, body)
}

pub async fn story(
    State(desk): State<Arc<Desk>>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Response {
    let result: Result<Response, Failure> = async {
        let id = super::params::story_request(id, q.as_deref())?;
        let html = blocking(move || {
            if let Some(page) = desk.rendered(&id)? {
                return Ok(page);
            }
            let report = desk
                .report(&id)?
                .ok_or_else(|| Failure::not_found(format!("no story {id:?}")))?;
            let title = untitled(report.summary.headline.as_deref()).to_string();
            let page = desk.cache.page(&report.summary.id, || {
                Ok(document(&title, story_body(&report, Links::Desk), Some(""))
                    .into_string()
                    .into())
            })?;
            // Asked for by a prefix: found by it next time too.
            if id != report.summary.id {
                desk.cache.page(&id, || Ok(page.clone()))?;
            }
            Ok(page)
        })
        .await?;
        Ok(Html(html).into_response())
    }
    .await;
    result.unwrap_or_else(|f| f.page().into_response())
}

/// A story as a self-contained HTML document (no links out of it but the articles' URLs).
pub fn story_document(report: &StoryReport) -> String {
    let title = untitled(report.summary.headline.as_deref()).to_string();
    document(&title, story_body(report, Links::Report), None).into_string()
}

fn article_cell(a: &ArticleLine, links: Links) -> Markup {
    html! {
        a href=(links.article(&a.id)) { (untitled(a.title.as_deref())) }
        " " span.muted { (a.outlet.as_deref().unwrap_or("(unknown outlet)")) " · " (a.published.as_deref().unwrap_or("undated")) }
    }
}

fn story_body(r: &StoryReport, links: Links) -> Markup {
    let s = &r.summary;
    html! {
        article.story {
            h1 #headline { (untitled(s.headline.as_deref())) }
            p.meta {
                (s.level.as_str()) " · " (dates(s.first_seen, s.last_seen)) " · "
                span #counts { (s.articles) " articles, " (s.sources) " independent sources" }
                " · " code { (s.id) }
            }
            @if let Some(parent) = &s.parent {
                @if links == Links::Desk { p.meta { "Part of storyline " a href={"/stories/" (parent)} { (parent) } } }
            }
            @if !s.events.is_empty() && links == Links::Desk {
                p.meta { "Events: "
                    @for (i, e) in s.events.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href={"/stories/" (e)} { (e) }
                    }
                }
            }
            p.meta { "Outlets: " (s.outlets.iter().map(|(o, n)| format!("{o} ({n})")).collect::<Vec<_>>().join(", ")) }
            @if !s.entities.is_empty() {
                section #entities {
                    h2 { "Main entities" }
                    p { @for (i, (e, n)) in s.entities.iter().enumerate() {
                        @if i > 0 { " · " }
                        @if links == Links::Desk {
                            a.entity href=(format!("/stories?level={}&entity={}", s.level.as_str(), urlencode(e))) { (e) }
                        } @else { span.entity { (e) } }
                        " " span.muted { "(" (n) ")" }
                    } }
                }
            }
            section #chart {
                h2 { "Articles per day" }
                (PreEscaped(chart(r)))
            }
            section #timeline-section {
                h2 { "Timeline" }
                @if r.timeline.is_empty() { p.empty { "No dated facts." } }
                @let (entries, hidden) = shown_timeline(&r.timeline);
                @if hidden > 0 {
                    p.muted.note { "Showing the " (entries.len()) " entries reported by the most sources, of " (r.timeline.len()) "; the JSON API and `newsfold report` have them all." }
                }
                ol.timeline #timeline {
                    @for e in entries {
                        li.entry data-kind=(format!("{:?}", e.kind).to_lowercase()) {
                            span.when { @if e.date == e.end { (e.date) } @else { (e.date) " – " (e.end) } }
                            span.text { (e.text) }
                            div.sources { "— "
                                @for (i, src) in e.sources.iter().enumerate() {
                                    @if i > 0 { ", " }
                                    a.source href=(links.article(&src.article)) title=(src.sentence) { (src.outlet.as_deref().unwrap_or("(unknown outlet)")) }
                                }
                            }
                        }
                    }
                }
            }
            section #coverage-section {
                h2 { "Coverage" }
                table #coverage {
                    thead { tr { th { "Published" } th { "Outlet" } th { "Article" } th { "Copies" } } }
                    tbody {
                        @for c in r.coverage.iter().take(COVERAGE_ROWS) {
                            tr.report id=(format!("a-{}", c.article.id)) {
                                td { (c.article.published.as_deref().unwrap_or("undated")) }
                                td { (c.article.outlet.as_deref().unwrap_or("(unknown outlet)")) }
                                td { a href=(links.article(&c.article.id)) { (untitled(c.article.title.as_deref())) } }
                                td {
                                    @if !c.copies.is_empty() {
                                        details.copies {
                                            summary { (c.copies.len()) @if c.copies.len() == 1 { " copy" } @else { " copies" } }
                                            ul { @for k in &c.copies {
                                                li id=(format!("a-{}", k.id)) { (article_cell(k, links)) " "
                                                    span.relation { (k.copy_relation.as_deref().unwrap_or("")) } }
                                            } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if r.coverage.len() > COVERAGE_ROWS {
                p.muted.note { "Showing the first " (COVERAGE_ROWS) " of " (r.coverage.len()) " independent reports." }
            }
            section #quotes {
                h2 { "Who said what" }
                @if r.quotes.is_empty() { p.empty { "No attributed quotes." } }
                @for sq in &r.quotes {
                    div.speaker-quotes {
                        h3.speaker { (sq.speaker) }
                        @for q in &sq.quotes {
                            blockquote.quote {
                                "“" (q.text) "”"
                                div.sources { "carried by " (q.outlets.join(", "))
                                    " (" @for (i, a) in q.articles.iter().enumerate() {
                                        @if i > 0 { ", " } a href=(links.article(a)) { (a) }
                                    } ")"
                                }
                                @for alt in &q.altered {
                                    div.altered { "⚠ altered in the copy " a href=(links.article(&alt.article)) { (alt.article) }
                                        " (" (alt.outlet.as_deref().unwrap_or("(unknown outlet)")) "): “" (alt.text) "”" }
                                }
                            }
                        }
                    }
                }
            }
            section #labels-section {
                h2 { "Labels" }
                @if r.labels.is_empty() { p.empty { "No labels found." } }
                @else {
                    table #labels {
                        thead { tr { th { "Actor" } th { "Target" } th { "Label" } th { "Outlets" } th { "Articles" } } }
                        tbody { @for l in &r.labels {
                            tr.label-row title=(l.sentence) {
                                td.actor { @if l.by_outlet { "the outlet itself" } @else { (l.actor.as_deref().unwrap_or("(unattributed)")) } }
                                td.target { (l.target) }
                                td.label { (l.label) }
                                td { (l.outlets.join(", ")) }
                                td { (l.articles.len()) }
                            }
                        } }
                    }
                }
            }
            @if !r.vocabulary.is_empty() {
                section #vocabulary {
                    h2 { "Each outlet's words" }
                    table {
                        thead { tr { th { "Entity" } th { "Outlet" } th { "Names used" } th { "Own labels" } } }
                        tbody { @for v in &r.vocabulary { @for (i, o) in v.outlets.iter().enumerate() {
                            tr {
                                td { @if i == 0 { strong { (v.entity) } } }
                                td { (o.outlet) }
                                td { (counts(&o.names)) }
                                td { (counts(&o.labels)) }
                            }
                        } } }
                    }
                }
            }
            @if links == Links::Report {
                section #articles {
                    h2 { "Articles" }
                    table { tbody { @for a in &r.articles {
                        tr id=(format!("a-{}", a.id)) { td { code { (a.id) } } td { (a.published.as_deref().unwrap_or("undated")) }
                            td { (a.outlet.as_deref().unwrap_or("")) } td { (untitled(a.title.as_deref())) }
                            td { (a.copy_relation.as_deref().unwrap_or("")) } }
                    } } }
                }
            }
        }
    }
}

/// Timeline entries and coverage rows a page shows at most: a storyline of a thousand articles
/// has thousands of dated facts, more than a reader scrolls through.
const TIMELINE_ENTRIES: usize = 200;
const COVERAGE_ROWS: usize = 300;

/// The timeline a page shows, in date order: all of it, or the entries with the most sources
/// (earlier first among equals); and how many are left out.
fn shown_timeline(all: &[Entry]) -> (Vec<&Entry>, usize) {
    if all.len() <= TIMELINE_ENTRIES {
        return (all.iter().collect(), 0);
    }
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(all[i].sources.len()), i));
    order.truncate(TIMELINE_ENTRIES);
    order.sort_unstable();
    (
        order.into_iter().map(|i| &all[i]).collect(),
        all.len() - TIMELINE_ENTRIES,
    )
}

fn counts(v: &[(String, usize)]) -> String {
    v.iter()
        .map(|(k, n)| format!("{k} ({n})"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Escape text for the hand-built SVG (attributes and text alike).
fn esc(s: &str) -> String {
    maud::html! { (s) }.into_string().replace('"', "&quot;")
}

/// Articles per day as an inline SVG bar chart, and one dot row per outlet beneath it.
fn chart(r: &StoryReport) -> String {
    let (Some(first), Some(last)) = (r.per_day.first(), r.per_day.last()) else {
        return "<p class=\"empty\">No dated articles.</p>".into();
    };
    let days = (last.date - first.date).num_days() as usize + 1;
    let outlets: Vec<&str> = r
        .summary
        .outlets
        .iter()
        .take(12)
        .map(|(o, _)| o.as_str())
        .collect();
    let (w, bars_h, row_h, left) = (900.0_f64, 90.0_f64, 14.0_f64, 150.0_f64);
    let plot = w - left - 10.0;
    let h = bars_h + 20.0 + row_h * outlets.len() as f64 + 6.0;
    let step = plot / days as f64;
    let peak = r.per_day.iter().map(|d| d.articles).max().unwrap_or(1) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg id="per-day" role="img" viewBox="0 0 {w} {h}" width="100%" xmlns="http://www.w3.org/2000/svg"><title>Articles per day, {} to {}</title>"#,
        first.date, last.date
    );
    for d in &r.per_day {
        let x = left + (d.date - first.date).num_days() as f64 * step;
        let bh = (d.articles as f64 / peak * (bars_h - 12.0)).max(1.0);
        let tip = format!(
            "{}: {} article{} ({})",
            d.date,
            d.articles,
            if d.articles == 1 { "" } else { "s" },
            counts(&d.outlets)
        );
        let _ = write!(
            svg,
            r##"<rect class="bar" x="{x:.1}" y="{:.1}" width="{:.1}" height="{bh:.1}" fill="#1f5fa8"><title>{}</title></rect>"##,
            bars_h - bh,
            (step - 1.0).max(1.0),
            esc(&tip)
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{left}" y="{}">{}</text><text x="{}" y="{}" text-anchor="end">{}</text><text x="{}" y="10" text-anchor="end">{peak}</text>"#,
        bars_h + 12.0,
        first.date,
        w - 10.0,
        bars_h + 12.0,
        last.date,
        left - 4.0
    );
    for (k, o) in outlets.iter().enumerate() {
        let y = bars_h + 20.0 + row_h * k as f64 + row_h / 2.0;
        let _ = write!(
            svg,
            r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 4.0,
            y + 3.0,
            esc(o)
        );
        for d in &r.per_day {
            if let Some((_, n)) = d.outlets.iter().find(|(name, _)| name == o) {
                let x = left + (d.date - first.date).num_days() as f64 * step + step / 2.0;
                let _ = write!(
                    svg,
                    r##"<circle cx="{x:.1}" cy="{y:.1}" r="{:.1}" fill="#9a3b00"><title>{}</title></circle>"##,
                    (2.0 + *n as f64).min(6.0),
                    esc(&format!("{o}, {}: {n}", d.date))
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

pub async fn article(
    State(desk): State<Arc<Desk>>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> Response {
    let result: Result<Response, Failure> = async {
        let (id, compare) = super::params::article_request(id, q.as_deref())?;
        let view = blocking(move || {
            desk.article(&id, compare.as_deref())?
                .ok_or_else(|| Failure::not_found(format!("no article {id:?}")))
        })
        .await?;
        let title = view
            .meta
            .title
            .as_ref()
            .map(|t| t.value.clone())
            .unwrap_or_else(|| "(untitled)".into());
        Ok(render(&title, article_body(&view)))
    }
    .await;
    result.unwrap_or_else(|f| f.page().into_response())
}

/// One highlight: character offsets into the body, a class and what a hover shows.
struct Mark {
    start: usize,
    end: usize,
    class: &'static str,
    tip: String,
}

fn marks(v: &ArticleView) -> Vec<Mark> {
    let mut out = Vec::new();
    for q in &v.quotes {
        let who = q.speaker.as_deref().unwrap_or("speaker unknown");
        let kind = match q.kind {
            crate::extract::QuoteKind::Direct => "quote",
            crate::extract::QuoteKind::Reported => "reported speech",
        };
        out.push(Mark {
            start: q.start,
            end: q.end,
            class: "hl-quote",
            tip: format!("{kind}: {who}"),
        });
    }
    for d in &v.dates {
        let when = if d.date == d.end {
            d.date.to_string()
        } else {
            format!("{} – {}", d.date, d.end)
        };
        out.push(Mark {
            start: d.start,
            end: d.stop,
            class: "hl-date",
            tip: format!("date: {when}"),
        });
    }
    for e in &v.entities {
        for m in &e.mentions {
            out.push(Mark {
                start: m.start,
                end: m.end,
                class: "hl-entity",
                tip: format!("{}: {}", e.kind.as_str(), e.name),
            });
        }
    }
    out
}

/// A paragraph (starting at character `at` of the body) with its highlights as spans: every
/// stretch of characters under the same marks is one span, so overlapping marks never cross.
fn highlighted(text: &str, at: usize, marks: &[Mark]) -> Markup {
    let chars: Vec<char> = text.chars().collect();
    let end = at + chars.len();
    let here: Vec<&Mark> = marks
        .iter()
        .filter(|m| m.start < end && m.end > at)
        .collect();
    let mut cuts: Vec<usize> = vec![0, chars.len()];
    for m in &here {
        cuts.push(m.start.saturating_sub(at).min(chars.len()));
        cuts.push(m.end.saturating_sub(at).min(chars.len()));
    }
    cuts.sort_unstable();
    cuts.dedup();
    html! {
        @for w in cuts.windows(2) {
            @let piece: String = chars[w[0]..w[1]].iter().collect();
            @let on: Vec<&&Mark> = here.iter().filter(|m| m.start <= at + w[0] && m.end >= at + w[1]).collect();
            @if on.is_empty() { (piece) } @else {
                @let mut classes: Vec<&str> = on.iter().map(|m| m.class).collect();
                @let classes = { classes.sort_unstable(); classes.dedup(); classes };
                span class=(classes.join(" ")) title=(on.iter().map(|m| m.tip.as_str()).collect::<Vec<_>>().join("; ")) { (piece) }
            }
        }
    }
}

/// One metadata row: the value, its source, confidence and evidence.
fn field_row<T>(
    name: &str,
    f: &Option<crate::model::Field<T>>,
    show: impl Fn(&T) -> String,
) -> Markup {
    html! {
        tr.field {
            th { (name) }
            @if let Some(f) = f {
                td.value { (show(&f.value)) }
                td.source { (f.source.as_str()) }
                td { (format!("{:.2}", f.confidence)) }
                td.evidence { (f.evidence.as_deref().unwrap_or("")) }
            } @else {
                td.value { "—" } td {} td {} td {}
            }
        }
    }
}

fn article_body(v: &ArticleView) -> Markup {
    let marks = marks(v);
    let m = &v.meta;
    html! {
        article.article {
            h1 #title { (m.title.as_ref().map(|t| t.value.as_str()).unwrap_or("(untitled)")) }
            p.meta {
                (v.outlet.as_deref().unwrap_or("(unknown outlet)")) " · "
                (m.published.as_ref().map(|p| p.value.date.to_string()).unwrap_or_else(|| "undated".into()))
                " · " code { (v.id) }
                @if let Some(s) = &v.story {
                    " · event " a href={"/stories/" (s.event)} { (s.event) }
                    " · storyline " a href={"/stories/" (s.storyline)} { (s.storyline) }
                }
            }
            details #provenance {
                summary { "Metadata and where each value came from" }
                table {
                    thead { tr { th { "Field" } th { "Value" } th { "Source" } th { "Confidence" } th { "Read from" } } }
                    tbody {
                        (field_row("title", &m.title, |v| v.clone()))
                        (field_row("outlet", &m.outlet, |v| v.clone()))
                        (field_row("url", &m.url, |v| v.clone()))
                        (field_row("author", &m.author, |v| v.clone()))
                        (field_row("published", &m.published, |v| v.date.to_string()))
                        (field_row("language", &m.language, |v| v.clone()))
                        tr.field { th { "format" } td.value { (v.format) } td {} td {} td {} }
                        tr.field { th { "source" } td.value { (v.source_path) } td {} td {} td {} }
                    }
                }
            }
            p.legend.muted { "Highlighted: " span.hl-quote { "quotes" } ", " span.hl-date { "dates" } ", " span.hl-entity { "entities" } " (hover for details). Removed furniture is shown folded where it stood." }
            section #body {
                @for b in &v.blocks {
                    @match b {
                        Block::Paragraph { index, text } => {
                            p.para { (highlighted(text, v.paragraph_starts[*index], &marks)) }
                        }
                        Block::Furniture(f) => {
                            details.furniture data-kind=(f.kind.as_str()) {
                                summary { "removed: " strong.kind { (f.kind.as_str()) } " — " span.reason { (f.reason) } }
                                div.removed-text { (f.text) }
                            }
                        }
                    }
                }
            }
            @if !v.comments.is_empty() {
                details #comments { summary { (v.comments.len()) " reader comments (kept apart from the body)" }
                    @for c in &v.comments { p { (c) } } }
            }
            @if let Some(c) = &v.copy {
                section #copies {
                    h2 { "Copies" }
                    p.meta { "This article is " strong { (c.relation) } @if let Some(of) = &c.copy_of { " of " a href={"/articles/" (of)} { (of) } } "." }
                    ul { @for mm in &c.members {
                        li { a href={"/articles/" (mm.id)} { (untitled(mm.title.as_deref())) } " " span.muted { (mm.outlet.as_deref().unwrap_or("")) " · " (mm.relation) }
                            @if mm.id != v.id && c.compared_with.as_deref() != Some(mm.id.as_str()) {
                                " · " a href={"/articles/" (v.id) "?compare=" (mm.id)} { "compare" }
                            }
                        }
                    } }
                    @if let (Some(other), Some(d)) = (&c.compared_with, &c.diff) {
                        h3 { "Differences from " a href={"/articles/" (other)} { (other) } }
                        p.meta { (d.summary.same) " paragraphs the same, " (d.summary.changed) " changed, " (d.summary.dropped) " dropped, " (d.summary.added) " added" }
                        @if let Some(hc) = &d.headline {
                            p { "Headline: " del { (hc.old.as_deref().unwrap_or("(none)")) } " → " ins { (hc.new.as_deref().unwrap_or("(none)")) } }
                        }
                        table.diff #diff {
                            thead { tr { th { (other) } th { (v.id) " (this article)" } } }
                            tbody { @for h in &d.hunks { (hunk(h, v)) } }
                        }
                    }
                }
            }
            section #extracted {
                h2 { "Quotes" }
                @if v.quotes.is_empty() { p.empty { "None found." } }
                ul #quote-list { @for q in &v.quotes {
                    li.quote { span.speaker { (q.speaker.as_deref().unwrap_or("(speaker unknown)")) } ": “" (q.text) "”" }
                } }
                h2 { "Dates" }
                ul #date-list { @for d in &v.dates {
                    li { strong { (d.text) } " → " (d.date) @if d.end != d.date { " – " (d.end) } }
                } }
                h2 { "Entities" }
                ul #entity-list { @for e in &v.entities {
                    li { strong { (e.name) } " " span.muted { (e.kind.as_str()) ", " (e.mentions.len()) " mentions" @if !e.aliases.is_empty() { "; also " (e.aliases.join(", ")) } } }
                } }
            }
        }
    }
}

fn hunk(h: &Hunk, v: &ArticleView) -> Markup {
    let mine = |n: usize| -> String {
        v.blocks
            .iter()
            .find_map(|b| match b {
                Block::Paragraph { index, text } if *index + 1 == n => Some(text.clone()),
                _ => None,
            })
            .unwrap_or_default()
    };
    html! {
        @match h {
            Hunk::Same { new, .. } => { tr.same { td { (mine(*new)) } td { (mine(*new)) } } }
            Hunk::Dropped { text, .. } => { tr.dropped { td { del { (text) } } td {} } }
            Hunk::Added { text, .. } => { tr.added { td {} td { ins { (text) } } } }
            Hunk::Changed { words, .. } => {
                tr.changed {
                    td { @for w in words { @match w.op {
                        WordOp::Same => { (w.text) " " }
                        WordOp::Dropped => { del { (w.text) } " " }
                        WordOp::Added => {}
                    } } }
                    td { @for w in words { @match w.op {
                        WordOp::Same => { (w.text) " " }
                        WordOp::Added => { ins { (w.text) } " " }
                        WordOp::Dropped => {}
                    } } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize, class: &'static str) -> Mark {
        Mark {
            start,
            end,
            class,
            tip: format!("{class} <b>"),
        }
    }

    #[test]
    fn overlapping_highlights_become_flat_spans() {
        // "Kerry said "<quote>" on Monday": an entity inside a quote, a date crossing its end.
        let text = "ab cd ef gh";
        let marks = [
            mark(3, 8, "hl-quote"),
            mark(3, 5, "hl-entity"),
            mark(6, 11, "hl-date"),
        ];
        let html = highlighted(text, 0, &marks).into_string();
        assert_eq!(
            html,
            "ab <span class=\"hl-entity hl-quote\" title=\"hl-quote &lt;b&gt;; hl-entity &lt;b&gt;\">cd</span>\
<span class=\"hl-quote\" title=\"hl-quote &lt;b&gt;\"> </span>\
<span class=\"hl-date hl-quote\" title=\"hl-quote &lt;b&gt;; hl-date &lt;b&gt;\">ef</span>\
<span class=\"hl-date\" title=\"hl-date &lt;b&gt;\"> gh</span>"
        );
    }

    #[test]
    fn highlights_count_from_the_paragraph_start_and_escape_text() {
        // The second paragraph of a body starts at character 7 ("<p>ü!" + blank line).
        let html = highlighted("<i>x</i> é", 7, &[mark(7, 15, "hl-quote")]).into_string();
        assert_eq!(
            html,
            "<span class=\"hl-quote\" title=\"hl-quote &lt;b&gt;\">&lt;i&gt;x&lt;/i&gt;</span> é"
        );
        // Marks outside the paragraph leave it plain.
        assert_eq!(
            highlighted("plain", 100, &[mark(0, 5, "hl-date")]).into_string(),
            "plain"
        );
    }

    #[test]
    fn chart_titles_are_escaped() {
        assert_eq!(esc("a<b>\"&"), "a&lt;b&gt;&quot;&amp;");
    }
}
