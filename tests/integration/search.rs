//! `newsfold search` on the seeds: the index made by ingest, hits grouped by event, filters,
//! bad dates, a deleted index folder, an outlet renamed.

use crate::support::{newsfold, seeds_dir, stderr, stdout};
use serde_json::Value;

fn json(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "{}", stderr(out));
    serde_json::from_str(&stdout(out)).unwrap()
}

/// Every hit of a `--json` answer.
fn hits(v: &Value) -> Vec<&Value> {
    v["events"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["hits"].as_array().unwrap())
        .collect()
}

#[test]
fn search_groups_copies_under_their_event_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let seeds = seeds_dir().display().to_string();
    let report = json(&newsfold(&["--db", "s.db", "ingest", &seeds, "--json"], d));
    assert_eq!(report["search"]["indexed"], 5);
    assert_eq!(report["search"]["total"], 5);
    assert!(d.join("s.db.search").is_dir());

    let found = newsfold(&["--db", "s.db", "search", "ceasefire", "--json"], d);
    // Ingest left the index current: nothing to do first.
    assert!(
        !stderr(&found).contains("brought up to date"),
        "{}",
        stderr(&found)
    );
    let v = json(&found);
    assert_eq!(v["total"], 4);
    let moscow: Vec<&Value> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["hits"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h["outlet"] == "The Moscow Times")
        })
        .collect();
    assert_eq!(moscow.len(), 1, "{v:#}");
    let group = moscow[0]["hits"].as_array().unwrap();
    assert_eq!(group.len(), 2, "{v:#}");
    assert!(moscow[0]["event"].as_str().unwrap().starts_with("ev_"));
    assert!(moscow[0]["headline"].is_string());
    for h in hits(&v) {
        assert!(
            h["snippet_html"].as_str().unwrap().contains("<mark>"),
            "{h:#}"
        );
    }

    // The text output: events with their headlines, matches in brackets.
    let text = stdout(&newsfold(&["--db", "s.db", "search", "ceasefire"], d));
    assert!(text.contains("4 articles match"), "{text}");
    assert!(
        text.contains("ev_") && text.contains("[ceasefire]"),
        "{text}"
    );

    let none = json(&newsfold(
        &[
            "--db",
            "s.db",
            "search",
            "ceasefire",
            "--from",
            "2099-01-01",
            "--json",
        ],
        d,
    ));
    assert_eq!(none["total"], 0);
    let bad = newsfold(
        &[
            "--db",
            "s.db",
            "search",
            "ceasefire",
            "--from",
            "2016-13-45",
        ],
        d,
    );
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    let bad = newsfold(&["--db", "s.db", "search", "x", "--limit", "100000"], d);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));

    // Hostile query text is only words.
    let odd = newsfold(
        &["--db", "s.db", "search", "\"unbalanced AND OR title: *"],
        d,
    );
    assert!(odd.status.success(), "{}", stderr(&odd));

    // The folder deleted: the next search builds it again.
    std::fs::remove_dir_all(d.join("s.db.search")).unwrap();
    let again = newsfold(&["--db", "s.db", "search", "ceasefire", "--json"], d);
    assert!(
        stderr(&again).contains("5 articles indexed"),
        "{}",
        stderr(&again)
    );
    assert_eq!(json(&again)["total"], 4);

    // A renamed outlet shows at the next search.
    let by_outlet = |name: &str| {
        json(&newsfold(
            &["--db", "s.db", "search", "--outlet", name, "--json"],
            d,
        ))
    };
    let before = by_outlet("the moscow times")["total"].as_u64().unwrap();
    assert!(before >= 2);
    let renamed = newsfold(
        &[
            "--db",
            "s.db",
            "outlets",
            "rename",
            "The Moscow Times",
            "Moscow Times Daily",
        ],
        d,
    );
    assert!(renamed.status.success(), "{}", stderr(&renamed));
    let v = by_outlet("moscow times daily");
    assert_eq!(v["total"].as_u64(), Some(before), "{v:#}");
    assert!(hits(&v).iter().all(|h| h["outlet"] == "Moscow Times Daily"));
    assert_eq!(by_outlet("the moscow times")["total"], 0);
}
