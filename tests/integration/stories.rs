//! Stories on the seeds (issue 6): the events and the storyline the corpus README expects, ids
//! that do not depend on the order of the inputs, the story report, and bad input.

use crate::support::{by_source, config, ingest, ingest_with, newsfold, seeds_dir, stdout};
use newsfold::pipeline::{self, Quiet};
use newsfold::store::Store;
use std::path::PathBuf;

fn seed(n: usize) -> PathBuf {
    let dir = seeds_dir();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names.remove(n)
}

/// (event, storyline) of each seed, 000 to 004.
fn seed_stories(store: &Store) -> Vec<(String, String)> {
    let articles = store.articles(None, None).unwrap();
    (0..5)
        .map(|n| {
            let name = seed(n).file_name().unwrap().to_string_lossy().into_owned();
            let s = by_source(&articles, &name)
                .story
                .clone()
                .expect("every article has a story");
            (s.event, s.storyline)
        })
        .collect()
}

#[test]
fn seeds_make_two_events_of_two_and_one_storyline() {
    let (store, report) = ingest(&[&seeds_dir()]);
    assert!(report.stories.rebuilt);
    let s = seed_stories(&store);
    assert_eq!(s[0].0, s[1].0, "000 and 001 are one event (copies)");
    assert_eq!(s[3].0, s[4].0, "003 and 004 report the same meeting");
    assert_ne!(s[0].0, s[3].0);
    assert_ne!(s[2].0, s[0].0);
    assert_ne!(s[2].0, s[3].0);
    assert!(
        s.iter().all(|x| x.1 == s[0].1),
        "all five are one storyline: {s:?}"
    );
    assert_eq!((report.stories.events, report.stories.storylines), (3, 1));
}

/// With embeddings the copies stay one event and the five one storyline. (The undated 003
/// does not reach the higher bar of `event_threshold_embeddings` against 004 without a date's
/// help, so it is an event of its own there; the closing note of issue 6 says so.)
#[test]
fn seeds_with_embeddings_keep_copies_and_the_storyline() {
    let mut cfg = config();
    cfg.stories.embeddings = true;
    if let Err(why) = newsfold::stories::embedder(&cfg.stories) {
        eprintln!("skipped: {why}");
        return;
    }
    let (store, report) = ingest_with(&[&seeds_dir()], &cfg);
    assert!(report.stories.embeddings && report.stories_note.is_none());
    let s = seed_stories(&store);
    assert_eq!(s[0].0, s[1].0);
    assert_ne!(s[0].0, s[2].0);
    assert!(s.iter().all(|x| x.1 == s[0].1), "{s:?}");
}

#[test]
fn story_ids_do_not_depend_on_input_order() {
    let mut paths: Vec<PathBuf> = (0..5).map(seed).collect();
    let (forward, _) = ingest(&paths.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    paths.reverse();
    let (backward, _) = ingest(&paths.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    assert_eq!(seed_stories(&forward), seed_stories(&backward));
    // One by one, into one store: the same again.
    let mut store = Store::open_in_memory().unwrap();
    for p in &paths {
        pipeline::ingest(
            &mut store,
            &[p.display().to_string()],
            &crate::support::config(),
            &Quiet,
        )
        .unwrap();
    }
    assert_eq!(seed_stories(&store), seed_stories(&forward));
}

#[test]
fn story_report_lists_articles_timeline_and_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let seeds = seeds_dir();
    let o = newsfold(
        &["--db", db, "-q", "ingest", seeds.to_str().unwrap()],
        dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let list = stdout(&newsfold(&["--db", db, "stories", "--json"], dir.path()));
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let story = &list[0];
    assert_eq!(story["articles"], 5);
    assert_eq!(story["sources"], 4, "the two copies count once");
    assert_eq!(story["first_seen"], "2016-07-06");
    assert_eq!(story["last_seen"], "2016-09-15");
    let id = story["id"].as_str().unwrap();
    let o = newsfold(&["--db", db, "story", id, "--json"], dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let timeline = r["timeline"].as_array().unwrap();
    let dates: Vec<&str> = timeline
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "in date order");
    // The ceasefire that began on Sept. 12 is an entry of the Moscow Times copies, once.
    let ceasefire: Vec<&serde_json::Value> = timeline
        .iter()
        .filter(|e| e["date"] == "2016-09-12" && e["text"].as_str().unwrap().contains("ceasefire"))
        .collect();
    assert_eq!(ceasefire.len(), 1, "{ceasefire:?}");
    assert_eq!(
        ceasefire[0]["sources"].as_array().unwrap().len(),
        2,
        "both copies are its sources"
    );
    let speakers: Vec<&str> = r["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["speaker"].as_str().unwrap())
        .collect();
    assert!(
        speakers.contains(&"Dmitry Peskov") && speakers.contains(&"John Kerry"),
        "{speakers:?}"
    );
    // Coverage folds the plain copy under the Markdown one: four reports for five articles.
    let coverage = r["coverage"].as_array().unwrap();
    assert_eq!(coverage.len(), 4, "{coverage:?}");
    let folded: Vec<&serde_json::Value> = coverage
        .iter()
        .filter(|c| !c["copies"].as_array().unwrap().is_empty())
        .collect();
    assert_eq!(folded.len(), 1);
    assert_eq!(
        folded[0]["copies"][0]["copy_of"], folded[0]["article"]["id"],
        "the copy sits under its original"
    );
    let per_day: u64 = r["per_day"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["articles"].as_u64().unwrap())
        .sum();
    let dated = r["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| !a["published"].is_null())
        .count() as u64;
    assert_eq!(per_day, dated);
    // The shareable report, in each format.
    let md = stdout(&newsfold(&["--db", db, "report", id], dir.path()));
    assert!(md.starts_with("# "), "{md}");
    assert!(
        md.contains("## Timeline") && md.contains("Dmitry Peskov"),
        "{md}"
    );
    let html_path = dir.path().join("story.html");
    let o = newsfold(
        &[
            "--db",
            db,
            "report",
            id,
            "--format",
            "html",
            "-o",
            html_path.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("id=\"timeline\"") && html.contains("<style>"));
    assert!(!html.contains("<script"), "self-contained and script-free");
    assert!(
        !html.contains("href=\"/articles/"),
        "links stay inside the file"
    );
    let json = stdout(&newsfold(
        &["--db", db, "report", id, "--format", "json"],
        dir.path(),
    ));
    let j: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(j["summary"]["id"], story["id"]);
    // An article id finds its event; an unknown id is a usage error.
    let article = r["articles"][0]["id"].as_str().unwrap();
    let o = newsfold(&["--db", db, "story", article], dir.path());
    assert!(stdout(&o).starts_with("ev_"), "{}", stdout(&o));
    let o = newsfold(&["--db", db, "story", "ev_ffff"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    // The export carries both ids.
    let o = newsfold(&["--db", db, "export", "--format", "jsonl"], dir.path());
    for line in stdout(&o).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["event"].as_str().unwrap().starts_with("ev_"));
        assert_eq!(v["storyline"], story["id"]);
    }
}

/// One JSON line per article: a body, a date (or none) and a title.
fn record(id: usize, date: Option<&str>, title: &str, text: &str) -> String {
    serde_json::json!({"id": id.to_string(), "date": date, "title": title, "text": text, "source": "Test Wire"}).to_string()
}

#[test]
fn stories_take_bad_input_without_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.jsonl");
    let mut lines = vec![
        record(
            1,
            None,
            "No date at all",
            "A council met and nobody said anything of note about it.",
        ),
        record(
            2,
            Some("2016-07-06"),
            "one line",
            "lowercase words only, no names here at all.",
        ),
        record(
            3,
            Some("2099-01-01"),
            "From the future",
            "The Harbour Board of Lisbon met in 2099 to discuss the harbour.",
        ),
    ];
    // 5,000 articles on one day, on a few topics.
    let topics = [
        "harbour strike in Lisbon",
        "wildfire near Athens",
        "election in Lima",
        "flood in Dhaka",
    ];
    for i in 0..5000 {
        let t = topics[i % topics.len()];
        lines.push(record(
            10 + i,
            Some("2020-03-02"),
            &format!("Report {i} on the {t}"),
            &format!(
                "Officials spoke about the {t} on Monday. Item number {i} adds detail {}.",
                i * 7
            ),
        ));
    }
    std::fs::write(&path, lines.join("\n")).unwrap();
    let (store, report) = ingest(&[&path]);
    assert_eq!(report.articles_added, 5003);
    assert!(report.stories.rebuilt);
    assert_eq!(
        report.stories.undated, 1,
        "the article with no date is counted as undated"
    );
    let articles = store.articles(None, None).unwrap();
    assert!(articles.iter().all(|a| a.story.is_some()));
    // The day's articles fall into events by topic, not one event for all.
    let events: std::collections::BTreeSet<&str> = articles
        .iter()
        .skip(3)
        .map(|a| a.story.as_ref().unwrap().event.as_str())
        .collect();
    assert!(events.len() >= topics.len(), "{} events", events.len());
    let future = articles
        .iter()
        .find(|a| a.article.external_id.as_deref() == Some("3"))
        .unwrap();
    let summary = newsfold::store::stories::get(&store, &future.story.as_ref().unwrap().event)
        .unwrap()
        .unwrap();
    assert_eq!(summary.first_seen.unwrap().to_string(), "2099-01-01");
}

/// Issue 7: a copy that words a quote otherwise is marked on the original's quote, not listed
/// as a quote of its own.
#[test]
fn story_report_marks_a_quote_a_copy_altered() {
    let filler: Vec<String> = (0..14)
        .map(|i| format!("Paragraph {i} of the harbour report describes berth {i}, the cranes idle since spring, and the tally of ships waiting offshore near the breakwater."))
        .collect();
    let body = |quote: &str| {
        let mut p = filler.clone();
        p.insert(
            3,
            format!("\"{quote},\" said port director Alan Brook at the briefing."),
        );
        p.join("\n\n")
    };
    let lines = [
        serde_json::json!({"id": "1", "date": "2024-03-01", "title": "Harbour strike enters third week", "source": "Test Wire",
            "text": body("We will not accept any deal that leaves the night shift without cover")}),
        serde_json::json!({"id": "2", "date": "2024-03-02", "title": "Harbour strike enters third week", "source": "Other Paper",
            "text": body("We will never accept a deal that leaves the night shift without cover")}),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wire.jsonl");
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    std::fs::write(&path, text.join("\n")).unwrap();
    let (store, _) = ingest(&[path.as_path()]);
    let articles = store.articles(None, None).unwrap();
    assert!(
        articles
            .iter()
            .any(|a| a.copy.as_ref().is_some_and(|c| c.copy_of.is_some())),
        "the second article is a copy of the first"
    );
    let story = articles[0].story.clone().unwrap();
    let summary = newsfold::store::stories::get(&store, &story.event)
        .unwrap()
        .unwrap();
    let members: Vec<_> = summary
        .members
        .iter()
        .map(|id| store.article(id).unwrap().unwrap())
        .collect();
    let r = newsfold::stories::report::build(
        summary,
        &members,
        newsfold::extract::entities::AliasTable::shipped(),
    );
    let brook = r
        .quotes
        .iter()
        .find(|s| s.speaker == "Alan Brook")
        .unwrap_or_else(|| panic!("{:?}", r.quotes));
    assert_eq!(
        brook.quotes.len(),
        1,
        "one quote, not two: {:?}",
        brook.quotes
    );
    let q = &brook.quotes[0];
    assert!(q.text.contains("will not accept any deal"), "{}", q.text);
    assert_eq!(q.altered.len(), 1);
    assert!(q.altered[0].text.contains("will never accept a deal"));
    assert_eq!(q.altered[0].outlet.as_deref(), Some("Other Paper"));
}
