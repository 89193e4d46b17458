//! HTML pages: main content through the `trafilatura` crate (a maintained port of the
//! trafilatura extractor), metadata read by newsfold from the page's own declarations so that
//! each value says where it came from: JSON-LD, OpenGraph and article `<meta>` tags, `<time>`,
//! `<title>`, the canonical link and the `lang` attribute.
//!
//! The extractor's own metadata fill the gaps, marked as such. This module does not judge what
//! in the extracted text is furniture; `clean` does, for HTML and text alike.

use crate::error::InputError;
use crate::ingest::meta::Candidates;
use crate::ingest::text::fold_whitespace;
use crate::ingest::IngestConfig;
use crate::model::{Field, MetaSource};
use serde_json::Value;
use trafilatura::dom::Document;

/// Extract the paragraphs of a page and add its metadata to `cands`.
pub fn read(
    html: &str,
    cfg: &IngestConfig,
    cands: &mut Candidates,
) -> Result<Vec<String>, InputError> {
    if html.len() > cfg.max_html_bytes {
        return Err(InputError::TooLarge {
            size: html.len() as u64,
            limit: cfg.max_html_bytes as u64,
        });
    }
    let depth = nesting_depth(html);
    if depth > cfg.max_html_depth {
        return Err(InputError::TooDeep {
            depth,
            limit: cfg.max_html_depth,
        });
    }
    let mut doc = Document::parse(html);
    read_declared_metadata(&doc, cands);
    remove_hidden(&mut doc);
    // The fallback (readability and baseline extraction when the main pass finds too little)
    // raises word-4-gram F1 on the Dragnet pages from 0.79 to 0.80 for article text.
    let options = trafilatura::Options::default().with_fallback(true);
    let result = trafilatura::extract_document(doc, &options).map_err(|e| match e {
        trafilatura::TrafilaturaError::TreeTooLarge { .. } => InputError::TooDeep {
            depth,
            limit: cfg.max_html_depth,
        },
        other => InputError::NotArticle(format!("no main content ({other})")),
    })?;
    add_extractor_metadata(&result.metadata, cands);
    // The extractor's plain text runs paragraphs together; its HTML keeps them apart.
    let blocks = |html: &str| -> Vec<String> {
        visible_text(html)
            .split("\n\n")
            .map(fold_whitespace)
            .filter(|p| !p.is_empty())
            .collect()
    };
    cands.comments = blocks(&result.comments_html);
    let extracted = blocks(&result.content_html);
    Ok(fill_gaps(extracted, &cands.comments, &blocks(html)))
}

/// Whether an element's own attributes hide it from a reader: the `hidden` attribute, or an
/// inline style with `display: none` or `visibility: hidden` (a collapsed comment thread, a
/// pop-up's text). What a browser does not show is not part of the article.
fn hides(attr: &dyn Fn(&str) -> Option<String>) -> bool {
    if attr("hidden").is_some() {
        return true;
    }
    attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}

/// Detach the elements that [`hides`] finds, with their subtrees, before the extractor runs.
fn remove_hidden(doc: &mut Document) {
    let root = doc.root();
    let hidden: Vec<_> = doc
        .iter_descendants(root, &[])
        .into_iter()
        .filter(|&id| hides(&|name| doc.get_attribute(id, name)))
        .collect();
    for id in hidden {
        doc.remove(id, true);
    }
}

/// The extractor sometimes keeps a part of the article and drops paragraphs between the parts
/// it kept, or the lead paragraph above them. The page's visible text puts them back: every
/// sentence-length paragraph of the page that lies between two blocks the extractor kept is
/// added in its place, and so are up to two such paragraphs right above the first one.
fn fill_gaps(extracted: Vec<String>, comments: &[String], page: &[String]) -> Vec<String> {
    use std::collections::HashMap;
    let key = |s: &str| crate::clean::learn::key(s);
    let wanted: HashMap<u64, usize> = extracted
        .iter()
        .enumerate()
        .map(|(i, b)| (key(b), i))
        .collect();
    let comments: std::collections::HashSet<u64> = comments.iter().map(|c| key(c)).collect();
    let matched: Vec<usize> = page
        .iter()
        .enumerate()
        .filter(|(_, b)| wanted.contains_key(&key(b)))
        .map(|(i, _)| i)
        .collect();
    let (Some(&first), Some(&last)) = (matched.first(), matched.last()) else {
        return extracted;
    };
    if matched.len() * 2 < extracted.len() {
        // The extractor's blocks do not line up with the page's: nothing to fill.
        return extracted;
    }
    let fills = |b: &String| {
        crate::clean::cues::is_prose(b)
            && b.split_whitespace().count() >= 15
            && !comments.contains(&key(b))
    };
    // A lead paragraph the extractor skipped stands right before the first block it kept.
    let lead = page[..first]
        .iter()
        .rev()
        .take_while(|b| fills(b))
        .count()
        .min(2);
    let mut out = Vec::with_capacity(extracted.len());
    out.extend(page[first - lead..first].iter().cloned());
    let mut next = 0; // the next extracted block not yet placed
    for b in &page[first..=last] {
        let k = key(b);
        if let Some(&i) = wanted.get(&k) {
            if i >= next {
                out.extend(extracted[next..=i].iter().cloned());
                next = i + 1;
            }
        } else if fills(b) {
            out.push(b.clone());
        }
    }
    out.extend(extracted[next..].iter().cloned());
    out
}

/// Every visible text node of a page, blocks separated by blank lines and `<br>` by line
/// breaks: the page as a browser's "select all, copy" would give it, furniture and all.
/// Elements their own attributes hide (the `hidden` attribute, an inline `display: none` or
/// `visibility: hidden`) are left out, as a browser leaves them.
pub fn visible_text(html: &str) -> String {
    use ego_tree::iter::Edge;
    use scraper::Node;
    const HIDDEN: [&str; 10] = [
        "script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas",
        "select",
    ];
    const BLOCK: [&str; 36] = [
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "td",
        "th",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "form",
        "address",
        "hr",
        "body",
        "center",
        "fieldset",
        "option",
    ];
    let doc = scraper::Html::parse_document(html);
    let mut out = String::new();
    let mut hidden = 0usize;
    let block_break = |out: &mut String| {
        let trimmed = out.trim_end_matches([' ', '\t']).len();
        out.truncate(trimmed);
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        }
    };
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if hidden > 0
                        || HIDDEN.contains(&name)
                        || hides(&|a| e.attr(a).map(str::to_owned))
                    {
                        hidden += 1;
                    } else if hidden == 0 && name == "br" {
                        out.push('\n');
                    } else if hidden == 0 && BLOCK.contains(&name) {
                        block_break(&mut out);
                    }
                }
                Node::Text(t) if hidden == 0 => {
                    let t: &str = t;
                    let text = fold_whitespace(t);
                    if !text.is_empty() {
                        if !out.is_empty()
                            && !out.ends_with(['\n', ' '])
                            && t.starts_with(char::is_whitespace)
                        {
                            out.push(' ');
                        }
                        out.push_str(&text);
                        if t.ends_with(char::is_whitespace) {
                            out.push(' ');
                        }
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if hidden > 0 {
                        hidden -= 1;
                    } else if hidden == 0 && BLOCK.contains(&e.name()) {
                        block_break(&mut out);
                    }
                }
            }
        }
    }
    out.trim().to_string()
}

/// The deepest element nesting in the markup, counted without a parser: elements that close
/// themselves implicitly (`p`, `li`, ...) and void elements are not counted, so ordinary
/// sloppy markup does not look deep.
pub fn nesting_depth(html: &str) -> usize {
    const UNCOUNTED: [&str; 24] = [
        "p", "li", "td", "th", "tr", "dt", "dd", "option", "br", "img", "hr", "input", "meta",
        "link", "area", "base", "col", "embed", "source", "track", "wbr", "param", "!doctype",
        "!--",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
        i += off + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = bytes[start..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'!' || *b == b'-'))
            .map_or(bytes.len(), |e| start + e);
        let name = html[start..end].to_ascii_lowercase();
        if name.is_empty() || UNCOUNTED.contains(&name.as_str()) {
            continue;
        }
        let tag_end = bytes[end..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |e| end + e);
        let self_closing = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            max = max.max(depth);
        }
        if matches!(name.as_str(), "script" | "style") && !closing {
            // Skip to the closing tag: their content is not markup. Searched in place, without
            // copying the rest of the page, so many scripts cost linear time.
            let close = format!("</{name}");
            let from = tag_end.min(bytes.len());
            match bytes[from..]
                .windows(close.len())
                .position(|w| w.eq_ignore_ascii_case(close.as_bytes()))
            {
                Some(pos) => i = from + pos,
                None => break,
            }
        }
    }
    max
}

fn add(list: &mut Vec<Field<String>>, value: Option<String>, source: MetaSource, confidence: f32) {
    if let Some(v) = value {
        Candidates::add_text(list, &v, source, confidence);
    }
}

fn meta_content(doc: &Document, selectors: &[&str]) -> Option<String> {
    selectors.iter().find_map(|sel| {
        doc.query_selector(doc.root(), sel)
            .and_then(|id| doc.get_attribute(id, "content"))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    })
}

fn read_declared_metadata(doc: &Document, cands: &mut Candidates) {
    let root = doc.root();
    for id in doc.query_selector_all(root, "script[type='application/ld+json']") {
        if let Ok(value) = serde_json::from_str::<Value>(doc.text(id).trim()) {
            read_json_ld(&value, cands);
        }
    }
    // A page whose OpenGraph URL is its site's home page carries the site's OpenGraph block,
    // not the article's: its title and URL name the site and yield to the page's own.
    let og_url = meta_content(doc, &["meta[property='og:url']"]);
    let site_level = og_url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .is_some_and(|u| u.path() == "/" && u.query().is_none());
    add(
        &mut cands.title,
        meta_content(
            doc,
            &["meta[property='og:title']", "meta[name='twitter:title']"],
        ),
        MetaSource::MetaTag,
        if site_level { 0.4 } else { 0.85 },
    );
    add(
        &mut cands.outlet,
        meta_content(
            doc,
            &[
                "meta[property='og:site_name']",
                "meta[name='application-name']",
            ],
        ),
        MetaSource::MetaTag,
        0.85,
    );
    add(
        &mut cands.author,
        meta_content(
            doc,
            &[
                "meta[name='author']",
                "meta[property='article:author']",
                "meta[name='byl']",
            ],
        ),
        MetaSource::MetaTag,
        0.8,
    );
    if let Some(url) = og_url {
        cands.add_url(
            &url,
            MetaSource::MetaTag,
            if site_level { 0.3 } else { 0.85 },
        );
    }
    if let Some(href) = doc
        .query_selector(root, "link[rel='canonical']")
        .and_then(|id| doc.get_attribute(id, "href"))
    {
        cands.add_url(&href, MetaSource::MetaTag, 0.9);
    }
    let date_tags = [
        "meta[property='article:published_time']",
        "meta[name='article:published_time']",
        "meta[itemprop='datePublished']",
        "meta[name='pubdate']",
        "meta[name='publish-date']",
        "meta[name='date']",
        "meta[name='dc.date']",
        "meta[name='DC.date.issued']",
        "meta[name='parsely-pub-date']",
        "meta[name='sailthru.date']",
    ];
    if let Some(date) = meta_content(doc, &date_tags) {
        cands.add_date(&date, MetaSource::MetaTag, 0.9);
    }
    if let Some(datetime) = doc
        .query_selector(root, "time[datetime]")
        .and_then(|id| doc.get_attribute(id, "datetime"))
    {
        cands.add_date(&datetime, MetaSource::TimeElement, 0.75);
    }
    if let Some(title) = doc.query_selector(root, "title").map(|id| doc.text(id)) {
        Candidates::add_text(
            &mut cands.title,
            strip_site_suffix(&title),
            MetaSource::TitleLine,
            0.6,
        );
    }
    if let Some(lang) = doc
        .query_selector(root, "html[lang]")
        .and_then(|id| doc.get_attribute(id, "lang"))
        .and_then(|l| crate::ingest::meta::language_tag(&l))
    {
        cands
            .language
            .push(Field::new(lang, MetaSource::LangAttribute, 0.8));
    }
}

/// "Headline | Site" -> "Headline": the part before the last separator, when the rest is short.
fn strip_site_suffix(title: &str) -> &str {
    for sep in [" | ", " - ", " – ", " — ", " :: "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            if tail.split_whitespace().count() <= 5 && head.split_whitespace().count() >= 2 {
                return head.trim();
            }
        }
    }
    title.trim()
}

/// JSON-LD: the first news or article object, wherever it sits (`@graph`, arrays).
fn read_json_ld(value: &Value, cands: &mut Candidates) {
    let Some(article) = find_article(value) else {
        return;
    };
    let text = |v: Option<&Value>| v.and_then(crate::ingest::jsonl::as_text);
    add(
        &mut cands.title,
        text(article.get("headline")),
        MetaSource::JsonLd,
        0.9,
    );
    add(
        &mut cands.author,
        text(article.get("author")),
        MetaSource::JsonLd,
        0.9,
    );
    add(
        &mut cands.outlet,
        text(article.get("publisher")),
        MetaSource::JsonLd,
        0.9,
    );
    if let Some(d) = text(article.get("datePublished")).or_else(|| text(article.get("dateCreated")))
    {
        cands.add_date(&d, MetaSource::JsonLd, 0.95);
    }
    if let Some(u) = text(article.get("url"))
        .or_else(|| text(article.get("mainEntityOfPage").and_then(|m| m.get("@id"))))
    {
        cands.add_url(&u, MetaSource::JsonLd, 0.9);
    }
    if let Some(lang) =
        text(article.get("inLanguage")).and_then(|l| crate::ingest::meta::language_tag(&l))
    {
        cands
            .language
            .push(Field::new(lang, MetaSource::JsonLd, 0.9));
    }
}

fn find_article(value: &Value) -> Option<&serde_json::Map<String, Value>> {
    match value {
        Value::Array(items) => items.iter().find_map(find_article),
        Value::Object(o) => {
            let is_article = match o.get("@type") {
                Some(Value::String(t)) => {
                    t.ends_with("Article") || t == "Report" || t == "BlogPosting"
                }
                Some(Value::Array(ts)) => ts
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|t| t.ends_with("Article")),
                _ => false,
            };
            if is_article {
                Some(o)
            } else {
                o.get("@graph").and_then(find_article)
            }
        }
        _ => None,
    }
}

/// What only the extractor found: lower trust, since it does not say where it looked.
fn add_extractor_metadata(m: &trafilatura::Metadata, cands: &mut Candidates) {
    let non_empty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    if cands.title.is_empty() {
        add(
            &mut cands.title,
            non_empty(&m.title),
            MetaSource::Extractor,
            0.5,
        );
    }
    if cands.author.is_empty() {
        add(
            &mut cands.author,
            non_empty(&m.author),
            MetaSource::Extractor,
            0.5,
        );
    }
    if cands.outlet.is_empty() {
        add(
            &mut cands.outlet,
            non_empty(&m.sitename),
            MetaSource::Extractor,
            0.5,
        );
    }
    if cands.published.is_empty() {
        if let Some(d) = m.date {
            cands.add_date(&d.to_string(), MetaSource::Extractor, 0.5);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_and_a_skipped_lead_are_filled_from_the_page() {
        let para = |w: &str| {
            format!(
                "{w} {}.",
                "said the harbour master on Monday morning".repeat(3)
            )
        };
        let page: Vec<String> = vec![
            "Menu".into(),
            para("Lead"),
            para("Second"),
            para("Third"),
            para("Fourth"),
            "Share".into(),
            para("Commenter"),
        ];
        let extracted = vec![page[2].clone(), page[4].clone()];
        let comments = vec![page[6].clone()];
        let out = fill_gaps(extracted, &comments, &page);
        assert_eq!(out, page[1..5].to_vec());
        // Blocks that do not line up with the page are left as they are.
        let odd = vec![
            "Nothing on the page says this.".to_string(),
            page[2].clone(),
            "Nor this.".into(),
        ];
        assert_eq!(fill_gaps(odd.clone(), &[], &page), odd);
    }

    #[test]
    fn visible_text_keeps_every_text_node_and_drops_scripts() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body>\
            <nav><a href=/>Home</a> | <a href=/w>World</a></nav>\
            <p>First <b>bold</b> words.<br>Second line.</p><script>var x;</script>\
            <ul><li>One</li><li>Two</li></ul><footer>© 2016 Example</footer></body></html>";
        assert_eq!(
            visible_text(html),
            "Home | World\n\nFirst bold words.\nSecond line.\n\nOne\n\nTwo\n\n© 2016 Example"
        );
    }

    #[test]
    fn hidden_elements_are_not_text() {
        let html = "<html><body><article><h1>Headline of the story</h1>\
            <p>The first paragraph of the story says what happened in the town today.</p>\
            <div style=\"DISPLAY : None\"><p>A hidden comment thread that nobody sees at all here.</p></div>\
            <p hidden>A hidden notice.</p><span style=\"visibility:hidden\">Invisible</span>\
            <p style=\"display:block\">The second paragraph of the story adds what officials said later.</p>\
            </article></body></html>";
        let text = visible_text(html);
        assert!(text.contains("second paragraph") && text.contains("first paragraph"));
        for hidden in ["hidden comment", "hidden notice", "Invisible"] {
            assert!(!text.contains(hidden), "{hidden} in {text:?}");
        }
        let mut doc = Document::parse(html);
        remove_hidden(&mut doc);
        let root = doc.root();
        let kept = doc.text_content(root);
        assert!(!kept.contains("hidden comment") && !kept.contains("Invisible"));
        assert!(kept.contains("second paragraph"));
    }

    #[test]
    fn depth_ignores_implicitly_closed_elements() {
        let sloppy = format!("<html><body>{}</body></html>", "<p>para".repeat(2000));
        assert!(nesting_depth(&sloppy) < 5);
        let deep = format!("{}x{}", "<div>".repeat(3000), "</div>".repeat(3000));
        assert_eq!(nesting_depth(&deep), 3000);
        assert_eq!(nesting_depth("<script>if (a <b) {}</script><div></div>"), 1);
        assert_eq!(nesting_depth("<SCRIPT>x</Script><div></div>"), 1);
    }

    #[test]
    fn too_deep_is_refused() {
        let deep = format!("<html><body>{}x</body></html>", "<div>".repeat(10_000));
        let err = read(&deep, &IngestConfig::default(), &mut Candidates::default()).unwrap_err();
        assert!(matches!(err, InputError::TooDeep { depth, .. } if depth >= 10_000));
    }

    #[test]
    fn site_level_open_graph_yields_to_the_page() {
        let page = |og_url: &str| {
            format!(
                r#"<html><head><title>Storm closes the harbour - Example News</title>
<meta property="og:title" content="Example News, the blog"><meta property="og:url" content="{og_url}">
</head><body><article><p>The harbour closed on Monday as the storm reached the coast, the port authority said in a statement to the press.</p>
<p>Ships waited outside the breakwater until the wind dropped in the evening, a spokeswoman for the authority added later.</p></article></body></html>"#
            )
        };
        let resolve = |html: &str| {
            let mut c = Candidates::default();
            let paragraphs = read(html, &IngestConfig::default(), &mut c).unwrap();
            c.resolve(&paragraphs.join("\n\n")).0
        };
        let site = resolve(&page("https://news.example/"));
        assert_eq!(site.title.unwrap().value, "Storm closes the harbour");
        let article = resolve(&page("https://news.example/2024/storm"));
        assert_eq!(article.title.unwrap().value, "Example News, the blog");
        assert_eq!(
            article.url.unwrap().value,
            "https://news.example/2024/storm"
        );
    }

    #[test]
    fn declared_metadata_with_provenance() {
        let html = r#"<!doctype html><html lang="en-GB"><head><title>Port Deal Signed | The Gazette</title>
<meta property="og:site_name" content="The Gazette">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","headline":"Port deal signed","datePublished":"2025-03-04T08:00:00Z","author":[{"@type":"Person","name":"Ada Lane"}],"url":"https://gazette.example/a?utm_source=x"}]}</script>
</head><body><article><h1>Port deal signed</h1><p>The port authority and the union signed the agreement on Tuesday, ending a dispute that had lasted three weeks and closed the harbour to night shipping.</p><p>Both sides said the deal would hold until the next review of wages in the autumn, according to a statement.</p></article></body></html>"#;
        let mut c = Candidates::default();
        let paragraphs = read(html, &IngestConfig::default(), &mut c).unwrap();
        assert!(paragraphs
            .iter()
            .any(|p| p.contains("signed the agreement")));
        let (meta, _) = c.resolve(&paragraphs.join("\n\n"));
        assert_eq!(meta.title.as_ref().unwrap().source, MetaSource::JsonLd);
        assert_eq!(meta.author.unwrap().value, "Ada Lane");
        assert_eq!(meta.published.unwrap().value.date.to_string(), "2025-03-04");
        assert_eq!(meta.url.unwrap().value, "https://gazette.example/a");
        assert_eq!(meta.language.unwrap().value, "en");
        assert_eq!(
            strip_site_suffix("Port Deal Signed | The Gazette"),
            "Port Deal Signed"
        );
    }
}
