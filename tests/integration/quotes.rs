//! Quotes in the seeds' export: the spokespeople quoted by name, a quote split by "he said"
//! kept with its speaker, and offsets that point at the quoted words in `text`.

use crate::support::{by_source, ingest, seeds_dir};
use newsfold::export::ExportRecord;
use newsfold::extract::QuoteKind;

fn record(suffix: &str) -> ExportRecord {
    let (store, _) = ingest(&[&seeds_dir()]);
    let articles = store.articles(None, None).unwrap();
    ExportRecord::new(
        by_source(&articles, suffix),
        newsfold::extract::entities::AliasTable::shipped(),
    )
}

fn speakers(r: &ExportRecord) -> Vec<(String, Option<String>)> {
    r.quotes
        .iter()
        .filter(|q| q.kind == QuoteKind::Direct)
        .map(|q| (q.text.clone(), q.speaker.clone()))
        .collect()
}

#[test]
fn the_seed_spokespeople_are_quoted_by_name() {
    let moscow = record("001_0f187259eea0d079.txt");
    let said = speakers(&moscow);
    let by = |who: &str| {
        said.iter()
            .filter(|(_, s)| s.as_deref() == Some(who))
            .count()
    };
    assert!(by("Mark Toner") >= 3, "{said:#?}");
    assert!(by("Maria Zakharova") >= 2, "{said:#?}");
    // "... a period of calm," Toner said. "We want to see that move forward."
    assert!(
        said.iter()
            .any(|(t, s)| t.starts_with("We want to see") && s.as_deref() == Some("Mark Toner")),
        "{said:#?}"
    );
    let nsnbc = record("004_fa13a26f4af99de4.txt");
    assert!(
        speakers(&nsnbc)
            .iter()
            .filter(|(_, s)| s.as_deref() == Some("Dmitry Peskov"))
            .count()
            >= 3
    );
}

#[test]
fn quote_offsets_point_into_the_text() {
    for suffix in [
        "001_0f187259eea0d079.txt",
        "003_7a2dca50657290dc.txt",
        "004_fa13a26f4af99de4.txt",
    ] {
        let r = record(suffix);
        let chars: Vec<char> = r.text.chars().collect();
        assert!(!r.quotes.is_empty(), "{suffix}");
        for q in &r.quotes {
            let at: String = chars[q.start..q.end].iter().collect();
            if !q.text.contains("  ") && !at.contains('\n') {
                assert_eq!(at.trim(), q.text, "{suffix}");
            }
        }
    }
}
