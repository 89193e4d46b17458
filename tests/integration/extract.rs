//! Extraction on the seeds: the dates the Moscow Times article mentions, resolved against its
//! publication date, in both of its formats.

use crate::support::{by_source, ingest, seeds_dir};
use chrono::NaiveDate;
use newsfold::extract::dates::{find_dates, DateGranularity};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn seed_dates_resolve_against_publication() {
    let (store, _) = ingest(&[&seeds_dir()]);
    let articles = store.articles(None, None).unwrap();
    // 001 has its own date line; 000 inherits it from 001, its copy in another format.
    for seed in ["001_0f187259eea0d079.txt", "000_fae5dc1a4d6e1dde.txt"] {
        let article = &by_source(&articles, seed).article;
        let published = article.meta.published.as_ref().map(|f| f.value.date);
        assert_eq!(published, Some(day(2016, 9, 15)), "{seed}");
        let text = article.paragraphs.join("\n\n");
        let found = find_dates(&text, published);
        let sept = found
            .iter()
            .find(|m| m.text == "Sept. 12")
            .unwrap_or_else(|| panic!("{seed}: no Sept. 12 in {found:?}"));
        assert_eq!(sept.date, day(2016, 9, 12), "{seed}");
        assert_eq!(sept.granularity, DateGranularity::Day);
        assert!(
            sept.sentence.text.contains("ceasefire"),
            "{seed}: {:?}",
            sept.sentence
        );
        // "reported Thursday" is the publication day, "said Wednesday" the day before.
        let on = |words: &str| found.iter().find(|m| m.text == words).map(|m| m.date);
        assert_eq!(on("Thursday"), Some(day(2016, 9, 15)), "{seed}");
        assert_eq!(on("Wednesday"), Some(day(2016, 9, 14)), "{seed}");
        // Without the publication date, none of these can be resolved.
        assert!(find_dates(&text, None).is_empty(), "{seed}");
    }
}
