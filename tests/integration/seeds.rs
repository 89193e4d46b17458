//! The five seed documents of ../shared/corpus/seeds: golden snapshots of what ingest makes of
//! them, and the properties the corpus README asks for.

use crate::support::{by_source, ingest, seeds_dir};
use serde::Serialize;

#[derive(Serialize)]
struct Snapshot {
    format: String,
    title: Option<String>,
    outlet: Option<String>,
    url: Option<String>,
    author: Option<String>,
    published: Option<String>,
    published_source: Option<String>,
    paragraphs: Vec<String>,
    /// `kind @position: text (reason)` for each removed block.
    furniture: Vec<String>,
    /// `relation` or `relation of FILE`, when the article is in a copy group.
    copy: Option<String>,
}

#[test]
fn seeds_golden() {
    let (store, report) = ingest(&[&seeds_dir()]);
    assert_eq!(report.articles_added, 5);
    assert_eq!(report.failed_total(), 0);
    let articles = store.articles(None, None).unwrap();
    let file = |a: &newsfold::store::StoredArticle| {
        a.article
            .source_path
            .rsplit('/')
            .next()
            .unwrap()
            .to_string()
    };
    let file_of = |id: &str| file(articles.iter().find(|a| a.article.id == id).unwrap());
    for a in &articles {
        let m = &a.article.meta;
        let name = file(a);
        let snap = Snapshot {
            format: a.article.format.to_string(),
            title: m.title.as_ref().map(|f| f.value.clone()),
            outlet: a.outlet.clone(),
            url: m.url.as_ref().map(|f| f.value.clone()),
            author: m.author.as_ref().map(|f| f.value.clone()),
            published: m.published.as_ref().map(|f| {
                let bound = if f.value.not_before { ">=" } else { "" };
                format!("{bound}{}", f.value.date)
            }),
            published_source: m.published.as_ref().map(|f| f.source.as_str().to_string()),
            paragraphs: a.article.paragraphs.clone(),
            furniture: a
                .article
                .furniture
                .iter()
                .map(|f| format!("{} @{}: {} ({})", f.kind, f.position, f.text, f.reason))
                .collect(),
            copy: a.copy.as_ref().map(|c| match &c.copy_of {
                Some(of) => format!("{} of {}", c.relation, file_of(of)),
                None => c.relation.to_string(),
            }),
        };
        insta::assert_yaml_snapshot!(name, snap);
    }
}

#[test]
fn plain_and_markdown_copies_read_alike() {
    let (store, _) = ingest(&[&seeds_dir()]);
    let articles = store.articles(None, None).unwrap();
    let plain = by_source(&articles, "000_fae5dc1a4d6e1dde.txt");
    let markdown = by_source(&articles, "001_0f187259eea0d079.txt");
    assert_eq!(plain.article.format.as_str(), "text");
    assert_eq!(markdown.article.format.as_str(), "markdown");
    // The article proper: everything before the plain copy's donation appeal and the Markdown
    // copy's "Original url:" line. Hard wraps and the stray blank line must not show.
    let body = |ps: &[String], stop: &str| {
        ps.iter()
            .take_while(|p| !p.starts_with(stop))
            .cloned()
            .collect::<Vec<_>>()
    };
    let a = body(&plain.article.paragraphs, "A Message from");
    let b = body(&markdown.article.paragraphs, "Original url");
    // Cleaning took exactly the furniture away: the bodies are those parts.
    assert_eq!(a, plain.article.paragraphs);
    assert_eq!(b, markdown.article.paragraphs);
    // Where the plain copy puts a paragraph break after a full sentence cannot be told from
    // its layout (the Markdown copy has "...said Wednesday. “What..." in one paragraph); the
    // words and the sentence ends must agree.
    assert_eq!(a.join(" "), b.join(" "));
    assert_eq!(a.len(), 10);
    assert!(
        a.iter().all(|p| p.ends_with(['.', '”'])),
        "no paragraph ends mid-sentence: {a:#?}"
    );
    // Only the Markdown copy states title, date and URL; the plain copy inherits them, and
    // says from which article.
    let m = &markdown.article.meta;
    for (own, inherited) in [
        (&m.title, &plain.article.meta.title),
        (&m.url, &plain.article.meta.url),
    ] {
        let (own, inherited) = (own.as_ref().unwrap(), inherited.as_ref().unwrap());
        assert_eq!(own.value, inherited.value);
        assert_eq!(inherited.source, newsfold::model::MetaSource::Inherited);
        let evidence = inherited.evidence.as_deref().unwrap();
        assert!(evidence.contains(&markdown.article.id), "{evidence}");
    }
    let date = plain.article.meta.published.as_ref().unwrap();
    assert_eq!(date.source, newsfold::model::MetaSource::Inherited);
    assert_eq!(date.value, m.published.as_ref().unwrap().value);
    assert_eq!(
        m.published.as_ref().unwrap().value.date.to_string(),
        "2016-09-15"
    );
    assert!(m
        .url
        .as_ref()
        .unwrap()
        .value
        .contains("themoscowtimes.com/2016/09/15/"));
}

#[test]
fn outlets_are_one_per_publisher() {
    let (store, _) = ingest(&[&seeds_dir()]);
    let articles = store.articles(None, None).unwrap();
    let outlet = |f: &str| by_source(&articles, f).outlet.clone().unwrap_or_default();
    assert_eq!(
        outlet("000_fae5dc1a4d6e1dde.txt"),
        outlet("001_0f187259eea0d079.txt")
    );
    assert_eq!(
        outlet("000_fae5dc1a4d6e1dde.txt"),
        outlet("003_7a2dca50657290dc.txt")
    );
    assert_eq!(outlet("000_fae5dc1a4d6e1dde.txt"), "The Moscow Times");
    assert_eq!(outlet("002_80a8fa572f98a536.txt"), "Press TV");
    assert_eq!(outlet("004_fa13a26f4af99de4.txt"), "nsnbc");
    // The Moscow Times' name, its short name and its domain are one registry entry.
    let outlets = store.outlets().unwrap();
    let mt = outlets
        .iter()
        .find(|o| o.name == "The Moscow Times")
        .unwrap();
    assert!(mt.domains.contains(&"themoscowtimes.com".to_string()));
    assert_eq!(store.articles(Some("Moscow Times"), None).unwrap().len(), 3);
    assert_eq!(
        store
            .articles(Some("themoscowtimes.com"), None)
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn dates_say_where_they_came_from() {
    let (store, _) = ingest(&[&seeds_dir()]);
    let articles = store.articles(None, None).unwrap();
    let nsnbc = &by_source(&articles, "004_fa13a26f4af99de4.txt")
        .article
        .meta;
    let p = nsnbc.published.as_ref().unwrap();
    assert_eq!(p.value.date.to_string(), "2016-07-15");
    // The signature's date and the URL path's date agree.
    assert!(p.confidence > 0.75);
    let presstv = &by_source(&articles, "002_80a8fa572f98a536.txt")
        .article
        .meta;
    let p = presstv.published.as_ref().unwrap();
    assert!(p.value.not_before, "Press TV is dated only by its text");
    assert!(p.confidence < 0.5);
    // 003 states no date and mentions no full date: undated, not the crawl date.
    assert!(by_source(&articles, "003_7a2dca50657290dc.txt")
        .article
        .meta
        .published
        .is_none());
}

/// The corpus README's furniture, typed; nothing else removed.
#[test]
fn seed_furniture_is_removed_and_typed() {
    use std::collections::BTreeMap;
    let (store, _) = ingest(&[&seeds_dir()]);
    let articles = store.articles(None, None).unwrap();
    let kinds = |suffix: &str| {
        let mut n: BTreeMap<String, usize> = BTreeMap::new();
        for f in &by_source(&articles, suffix).article.furniture {
            *n.entry(f.kind.to_string()).or_default() += 1;
        }
        n.into_iter()
            .map(|(k, v)| format!("{k}:{v}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    // The donation appeal, paragraph by paragraph, learned from 000 and 003 together.
    assert_eq!(kinds("000_fae5dc1a4d6e1dde.txt"), "donation:8");
    assert_eq!(kinds("003_7a2dca50657290dc.txt"), "donation:8");
    assert_eq!(kinds("001_0f187259eea0d079.txt"), "source_line:2");
    // Breadcrumb, three captions with agency credits, the alternate-address notice with its address, the share footer.
    assert_eq!(
        kinds("002_80a8fa572f98a536.txt"),
        "breadcrumb:1 caption:3 other:2 share:2"
    );
    // Lead-in, signature, source line; "Related posts:"; "Views: 0".
    assert_eq!(
        kinds("004_fa13a26f4af99de4.txt"),
        "counter:1 related:1 source_line:3"
    );
    // No sentence of an article removed: every kept paragraph of the Press TV article that
    // is not furniture is still there, the section heading included.
    let press = &by_source(&articles, "002_80a8fa572f98a536.txt").article;
    assert_eq!(press.paragraphs.len(), 17);
    assert!(press
        .paragraphs
        .iter()
        .any(|p| p.starts_with("'Harbinger for longer-lasting'")));
    let nsnbc = &by_source(&articles, "004_fa13a26f4af99de4.txt").article;
    assert!(nsnbc.paragraphs[0].starts_with("Talks between U.S. Secretary of State"));
    assert_eq!(nsnbc.paragraphs.len(), 7);
}
