//! The clean stage through the store: furniture learned across an outlet's articles and
//! earlier articles cleaned again, copies that teach nothing, the user's rules, HTML and the
//! extractor's text coming out alike, and pages that are all furniture.

use crate::support::{ingest, samples_dir};
use newsfold::config::Config;
use newsfold::ingest::{parse_document, IngestConfig};
use newsfold::model::{Compression, RawDocument, RecordHints};
use newsfold::pipeline::{self, Quiet};
use newsfold::store::Store;
use std::path::Path;

/// A plain-text article of the made-up outlet "Northfield Ledger" with an appeal that has
/// no furniture phrase in it: only recurrence can tell it is furniture.
fn ledger_article(dir: &Path, name: &str, body: &[&str]) -> String {
    let mut text = String::from("Ledger : ");
    text.push_str(&body.join("\n\n"));
    text.push_str("\n\nThe Ledger is owned by its readers and answers to nobody else.\n\nWe print what the powerful would rather keep quiet.\n");
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const FIRST: [&str; 2] = [
    "The harbour board met on Monday and agreed to raise mooring fees for the first time in a decade.",
    "Fishermen said the increase would hit small boats hardest and asked for a delay until the spring.",
];
const SECOND: [&str; 2] = [
    "The new ferry to the islands made its first crossing on Saturday, forty minutes late.",
    "The operator blamed a fault in the loading ramp and promised a full timetable by the end of the month.",
];

fn ingest_paths(store: &mut Store, paths: &[String]) -> pipeline::IngestReport {
    pipeline::ingest(store, paths, &crate::support::config(), &Quiet).unwrap()
}

#[test]
fn the_second_article_teaches_and_the_first_is_cleaned_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let first = ledger_article(dir.path(), "a.txt", &FIRST);
    let report = ingest_paths(&mut store, &[first]);
    assert_eq!(report.articles_added, 1);
    let a = &store.articles(None, None).unwrap()[0].article;
    // Alone, the appeal is two ordinary sentences: kept. Only the lead-in goes.
    assert_eq!(a.paragraphs.len(), 4, "{:#?}", a.paragraphs);

    let second = ledger_article(dir.path(), "b.txt", &SECOND);
    let report = ingest_paths(&mut store, &[second]);
    assert_eq!(report.articles_recleaned, 1);
    for stored in store.articles(None, None).unwrap() {
        let a = &stored.article;
        assert_eq!(a.paragraphs.len(), 2, "{:#?}", a.paragraphs);
        let learned: Vec<_> = a
            .furniture
            .iter()
            .filter(|f| f.reason.starts_with("learned: recurs in 2 articles"))
            .collect();
        assert_eq!(learned.len(), 2, "{:#?}", a.furniture);
    }
    // The evidence is in the store, listed per outlet: the appeal's two lines and the lead-in.
    let learned = store.learned_blocks("Ledger", 2).unwrap();
    assert_eq!(learned.len(), 3, "{learned:?}");
    assert!(learned
        .iter()
        .any(|(n, t)| *n == 2 && t.starts_with("We print what")));
}

/// Issue 3 (Dragnet pages R874-R880): pages of one site whose visible text is mostly one long
/// sidebar look like copies of each other. One copy teaches nothing; further pages with the
/// same blocks show they are the outlet's template, and the sidebar is learned.
#[test]
fn pages_of_one_template_teach_their_sidebar() {
    const SIDEBAR: [&str; 6] = [
        "Letters to the editor are welcome by post or at the front desk, and we print a selection of them every week.",
        "Our photographers sell prints of the pictures in this paper, framed or unframed, from the shop on Quay Street.",
        "Advertising rates for local businesses, charities and clubs are set out in the booklet available at the desk.",
        "The Ledger has covered the northern coast since 1921, from the harbour board to the parish councils and every storm in between.",
        "Our reporters live in the towns they write about, and our editors answer every letter that readers send to the newsroom.",
        "Subscribers receive the printed paper on Saturdays and the full archive of back issues online at no extra charge.",
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
    let paths: Vec<String> = days
        .iter()
        .map(|day| {
            let body = [
                format!("The lifeboat crew was called out on {day} night to a yacht in trouble off the point."),
                format!("The crew of the {day} yacht was brought ashore safely and the boat was towed in at first light."),
            ];
            let mut blocks: Vec<&str> = body.iter().map(String::as_str).collect();
            blocks.extend(SIDEBAR);
            ledger_article(dir.path(), &format!("{day}.txt"), &blocks)
        })
        .collect();
    let has_sidebar = |store: &Store| -> Vec<bool> {
        let articles = store.articles(None, None).unwrap();
        articles
            .iter()
            .map(|a| a.article.paragraphs.iter().any(|p| p == SIDEBAR[0]))
            .collect()
    };
    // Two pages: the second is taken for a copy of the first, and nothing is learned.
    ingest_paths(&mut store, &paths[..2]);
    assert_eq!(has_sidebar(&store), [true, true]);
    ingest_paths(&mut store, &paths[2..]);
    assert_eq!(has_sidebar(&store), [false; 5]);
    for stored in store.articles(None, None).unwrap() {
        assert_eq!(
            stored.article.paragraphs.len(),
            2,
            "{:#?}",
            stored.article.paragraphs
        );
    }
}

#[test]
fn one_article_in_two_formats_teaches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let plain = ledger_article(dir.path(), "a.txt", &FIRST);
    let markdown = dir.path().join("a.md");
    std::fs::write(
        &markdown,
        format!(
            "# Harbour board raises mooring fees\n\n{}\n",
            std::fs::read_to_string(&plain).unwrap()
        ),
    )
    .unwrap();
    let (store, report) = ingest(&[Path::new(&plain), &markdown]);
    assert_eq!(report.articles_added, 2);
    for stored in store.articles(None, None).unwrap() {
        assert!(
            stored
                .article
                .furniture
                .iter()
                .all(|f| !f.reason.starts_with("learned")),
            "{:#?}",
            stored.article.furniture
        );
        assert_eq!(stored.article.paragraphs.len(), 4);
    }
}

#[test]
fn rules_keep_a_kind_and_drop_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.txt");
    std::fs::write(
        &path,
        format!(
            "Ledger : {}\n\n{}\n\nRelated posts:\n\nViews: 12\n",
            FIRST[0], FIRST[1]
        ),
    )
    .unwrap();
    let mut store = Store::open_in_memory().unwrap();
    ingest_paths(&mut store, &[path.display().to_string()]);
    let cfg = Config::default().clean;
    let kinds = |store: &Store| {
        let a = store.articles(None, None).unwrap().remove(0).article;
        (
            a.furniture
                .iter()
                .map(|f| f.kind.to_string())
                .collect::<Vec<_>>(),
            a.paragraphs.len(),
        )
    };
    assert_eq!(kinds(&store).0, ["source_line", "related", "counter"]);
    store
        .add_rule("Ledger", "keep_kind", "counter", &cfg)
        .unwrap();
    assert_eq!(
        kinds(&store),
        (vec!["source_line".into(), "related".into()], 3)
    );
    let changed = store
        .add_rule("Ledger", "drop_line", FIRST[1], &cfg)
        .unwrap();
    assert_eq!(changed, 1);
    let (k, n) = kinds(&store);
    assert_eq!((k.len(), n), (3, 2));
    assert!(store
        .add_rule("Ledger", "keep_kind", "banner", &cfg)
        .is_err());
}

/// Issue 3: a page ingested as HTML and as the text an extractor made from it comes out with
/// the same body.
#[test]
fn html_and_its_extracted_text_clean_alike() {
    for page in [
        "courier-tessel-watch.html",
        "harbourgazette_strike_vote.html",
    ] {
        let bytes = std::fs::read(samples_dir().join(page)).unwrap();
        let raw = RawDocument {
            source_path: page.into(),
            container: None,
            compression: Compression::None,
            bytes,
            hints: RecordHints::default(),
        };
        let parsed = parse_document(&raw, &IngestConfig::default()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("extracted.txt");
        std::fs::write(&text, parsed.article.paragraphs.join("\n\n")).unwrap();
        let html = dir.path().join(page);
        std::fs::write(&html, &raw.bytes).unwrap();
        let body = |p: &Path| {
            let (store, _) = ingest(&[p]);
            store
                .articles(None, None)
                .unwrap()
                .remove(0)
                .article
                .paragraphs
        };
        let (a, b) = (body(&html), body(&text));
        assert!(!a.is_empty());
        assert_eq!(a, b, "{page}");
    }
}

#[test]
fn a_page_of_furniture_keeps_its_record_with_an_empty_body() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all-furniture.txt");
    std::fs::write(
        &path,
        "Related posts:\n\nShare this article\n\nViews: 0\n\nAll rights reserved.\n",
    )
    .unwrap();
    let (store, report) = ingest(&[&path]);
    assert_eq!(report.articles_added, 1);
    let a = store.articles(None, None).unwrap().remove(0).article;
    assert!(a.paragraphs.is_empty());
    assert!(a.furniture.len() >= 3, "{:#?}", a.furniture);
    assert_eq!(store.stats().unwrap().empty_bodies, 1);
}

/// Regression (issue 3): a page and the visible text of the same page (WARC records 3 and 4
/// of the sample crawl) once taught each other that the article itself was furniture.
#[test]
fn a_page_and_its_visible_text_keep_their_article() {
    let (store, _) = ingest(&[&samples_dir().join("crawl-20250321.warc.gz")]);
    let articles = store.articles(None, None).unwrap();
    let page = crate::support::by_source(&articles, "#3");
    let text = crate::support::by_source(&articles, "#4");
    assert!(page
        .article
        .furniture
        .iter()
        .all(|f| !f.reason.starts_with("learned")));
    assert_eq!(page.article.paragraphs.len(), 8);
    for p in &page.article.paragraphs[1..] {
        assert!(text.article.paragraphs.contains(p), "{p}");
    }
    // The visible text's menus before the headline are page chrome.
    assert!(text
        .article
        .furniture
        .iter()
        .any(|f| f.text == "Weather & Tides"));
}
