//! The bundled sample corpus against its answer key (samples/README.md): every format is
//! detected by content and every document's metadata recovered.

use crate::support::{ingest, samples_dir};

/// Source path suffix, format, title, outlet, url, author, date: a row of the answer key.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
);

const EXPECTED: &[Row] = &[
    ("harbourgazette_strike_vote.html", "html", "Calloway dockworkers vote to strike over night-shift pay", Some("Harbour Gazette"),
     Some("https://harbourgazette.example/news/2025/03/03/calloway-dockworkers-vote-to-strike"), Some("Nadia Pell"), "2025-03-03"),
    ("scrape_0142.txt", "text", "Calloway dockworkers vote to strike over night-shift pay", None, None, Some("Nadia Pell"), "2025-03-03"),
    ("meridian_feed.jsonl#1", "jsonl", "Calloway port strike halts container traffic", Some("Meridian Wire Service"),
     Some("https://meridianwire.example/stories/2025/03/05/calloway-port-strike-halts-container-traffic"), Some("Jonas Aberly"), "2025-03-05"),
    ("crawl-20250321.warc.gz#2", "warc", "Calloway port strike halts container traffic", Some("The Northfield Ledger"),
     Some("https://northfieldledger.example/news/2025/03/05/calloway-port-strike-halts-container-traffic"), Some("Meridian Wire Service"), "2025-03-05"),
    ("courier_mediation.txt", "text", "Port authority offers mediation as Calloway strike enters second week", Some("Valemouth Courier"),
     Some("http://valemouthcourier.example/news/2025/03/12/calloway-strike-mediation"), Some("Aurelio Banks"), "2025-03-12"),
    ("crawl-20250321.warc.gz#3", "warc", "Calloway dock strike ends with deal on night-shift pay", Some("Harbour Gazette"),
     Some("https://harbourgazette.example/news/2025/03/20/calloway-dock-strike-ends"), Some("Nadia Pell"), "2025-03-20"),
    ("crawl-20250321.warc.gz#4", "warc", "Calloway dock strike ends with deal on night-shift pay", Some("Harbour Gazette"),
     Some("https://harbourgazette.example/news/2025/03/20/calloway-dock-strike-ends"), None, "2025-03-20"),
    ("ledger_0407.txt", "html", "Brenmark accuses Ostvale of stalling flood relief payments", Some("The Northfield Ledger"),
     Some("https://northfieldledger.example/region/2025/04/07/brenmark-accuses-ostvale-flood-relief"), Some("Gareth Moll"), "2025-04-07"),
    ("meridian_feed.jsonl#2", "jsonl", "Ostvale moves against volunteer flood group Tessel Watch", Some("Meridian Wire Service"),
     Some("https://meridianwire.example/stories/2025/04/09/ostvale-moves-against-tessel-watch"), Some("Mirela Stan"), "2025-04-09"),
    ("courier-tessel-watch.html", "html", "Police to investigate Tessel Watch over unlicensed donations", Some("Valemouth Courier"),
     Some("https://valemouthcourier.example/news/2025/04/10/police-to-investigate-tessel-watch"), Some("Mirela Stan"), "2025-04-10"),
    ("signal-basin-audit.md", "markdown", "Basin fund agrees independent audit as Tessel relief row cools", Some("The Eastbrook Signal"),
     Some("https://eastbrooksignal.example/2025/04/22/basin-fund-audit"), Some("Kit Harrow"), "2025-04-22"),
    ("feed_item_2291.txt", "text", "Basin fund agrees independent audit as Tessel relief row cools", Some("The Eastbrook Signal"),
     Some("http://eastbrooksignal.example/2025/04/22/basin-fund-audit"), Some("Kit Harrow"), "2025-04-22"),
    ("meridian_feed.jsonl#3", "jsonl", "Kestland trade talks open in Dunmere with steel and fish on the table", Some("Meridian Wire Service"),
     Some("https://meridianwire.example/stories/2025/05/06/kestland-trade-talks-open"), Some("Jonas Aberly"), "2025-05-06"),
    ("signal_kestland_explainer.txt", "markdown", "Five things to know about the Kestland trade talks", Some("The Eastbrook Signal"),
     Some("https://eastbrooksignal.example/2025/05/16/kestland-talks-explainer"), Some("Kit Harrow"), "2025-05-16"),
    ("ledger_kestland_stall.txt.gz", "text", "Kestland talks stall over fishing quotas as deadline passes", Some("The Northfield Ledger"),
     Some("https://northfieldledger.example/business/2025/05/23/kestland-talks-stall"), Some("Gareth Moll"), "2025-05-23"),
    ("hg_kestland_deal.zst", "markdown", "Kestland deal agreed in principle as Calloway cuts steel fees", Some("Harbour Gazette"),
     Some("https://harbourgazette.example/news/2025/05/30/kestland-deal-calloway-steel-fees"), Some("Nadia Pell"), "2025-05-30"),
];

#[test]
fn sample_corpus_metadata_matches_the_answer_key() {
    let (store, report) = ingest(&[&samples_dir()]);
    assert_eq!(report.failed_total(), 0, "{:?}", report.failures);
    assert_eq!(report.articles_added, EXPECTED.len());
    let articles = store.articles(None, None).unwrap();
    let mut wrong = Vec::new();
    for (suffix, format, title, outlet, url, author, date) in EXPECTED {
        let a = articles
            .iter()
            .find(|a| a.article.source_path.ends_with(suffix))
            .unwrap_or_else(|| panic!("no article from {suffix}"));
        let m = &a.article.meta;
        let got = (
            a.article.format.as_str(),
            m.title.as_ref().map(|f| f.value.as_str()),
            a.outlet.as_deref(),
            m.url.as_ref().map(|f| f.value.as_str()),
            m.author.as_ref().map(|f| f.value.as_str()),
            m.published.as_ref().map(|f| f.value.date.to_string()),
        );
        let want = (
            *format,
            Some(*title),
            *outlet,
            *url,
            *author,
            Some(date.to_string()),
        );
        if got != want {
            wrong.push(format!("{suffix}:\n  got  {got:?}\n  want {want:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn crawl_date_is_not_a_publication_date() {
    let (store, _) = ingest(&[&samples_dir().join("crawl-20250321.warc.gz")]);
    for a in store.articles(None, None).unwrap() {
        let m = &a.article.meta;
        assert!(m.crawled.as_deref().unwrap().starts_with("2025-03-21"));
        assert_ne!(
            m.published.as_ref().unwrap().value.date.to_string(),
            "2025-03-21"
        );
    }
}

#[test]
fn windows_1252_page_decodes() {
    let (store, _) = ingest(&[&samples_dir().join("courier-tessel-watch.html")]);
    let a = &store.articles(None, None).unwrap()[0];
    let text = a.article.text();
    assert!(text.contains("Renée"), "é decoded from windows-1252");
    assert!(text.contains('’') && !text.contains('\u{92}'));
}
