//! Copies: the seeds through `parse_document` and the copy stage (000 and 001 are one article
//! in two formats, nothing else is a copy), the bad inputs the copy stage must survive, and the
//! `newsfold dedup` batch command end to end.

use crate::support::{newsfold, seeds_dir};
use newsfold::dedup::{dedup, DedupConfig, Document, Relation};
use newsfold::ingest::{input, parse_document, IngestConfig};

fn seed_bodies() -> Vec<(String, String)> {
    let mut paths: Vec<_> = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let opened = input::open(&input::Input::File(p.clone()), None, 1 << 24).unwrap();
            let raw = opened.documents.take(1).next().unwrap().unwrap();
            let parsed = parse_document(&raw, &IngestConfig::default()).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, parsed.article.text())
        })
        .collect()
}

#[test]
fn seeds_000_and_001_are_one_group_and_nothing_else_is() {
    let seeds = seed_bodies();
    assert_eq!(seeds.len(), 5);
    let docs: Vec<Document> = seeds.iter().map(|(_, t)| Document::new(t)).collect();
    let out = dedup(&docs, &DedupConfig::default()).unwrap();
    assert!(seeds[0].0.starts_with("000") && seeds[1].0.starts_with("001"));
    assert_eq!(out[0].relation, Relation::Original);
    assert_eq!(out[1].representative, 0);
    // 000 carries the outlet's donation appeal (parse_document does not clean), 001 does not:
    // an edited reprint, 001 almost wholly contained in 000.
    assert_eq!(out[1].relation, Relation::EditedReprint);
    assert!(out[1].figures.containment >= 0.9, "{:?}", out[1]);
    for (i, a) in out.iter().enumerate().skip(2) {
        assert_eq!(
            (a.representative, a.relation),
            (i as u32, Relation::Unique),
            "{}",
            seeds[i].0
        );
    }
}

/// `n` made-up words from a seed (seeds that differ only in their lowest bit give the same
/// words), each followed by a space.
pub fn words(seed: u64, n: usize) -> String {
    let mut x = seed | 1;
    let mut s = String::with_capacity(n * 7);
    for _ in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.push_str(&format!("w{} ", x % 50_000));
    }
    s
}

/// The text with every `n`th word replaced by a new one.
pub fn edit_every(text: &str, n: usize) -> String {
    let edited: Vec<String> = text
        .split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            if i % n == 0 {
                format!("x{i}")
            } else {
                w.to_string()
            }
        })
        .collect();
    edited.join(" ")
}

#[test]
fn empty_one_word_and_furniture_only_pages_form_no_group() {
    let furniture = "Subscribe to our newsletter\n\nShare this article\n\nAll rights reserved";
    let texts = [
        "", "", "   \n\n ", "Breaking", "Breaking", furniture, furniture, furniture,
    ];
    let docs: Vec<Document> = texts.iter().map(|t| Document::new(t)).collect();
    let out = dedup(&docs, &DedupConfig::default()).unwrap();
    for (i, a) in out.iter().enumerate() {
        assert_eq!((a.representative, a.relation), (i as u32, Relation::Unique));
    }
}

#[test]
fn a_ten_megabyte_article_and_its_truncated_copy() {
    let big = words(42, 1_500_000);
    assert!(big.len() > 10_000_000);
    let cut = &big[..big.len() * 3 / 4];
    let other = words(7, 500);
    let docs = [
        Document::new(&big),
        Document::new(&other),
        Document::new(cut),
    ];
    let out = dedup(&docs, &DedupConfig::default()).unwrap();
    assert_eq!(out[2].representative, 0);
    assert_eq!(out[2].relation, Relation::EditedReprint);
    assert!(out[2].figures.containment > 0.99);
    assert_eq!(out[1].relation, Relation::Unique);
}

#[test]
fn batch_command_keeps_originals_and_writes_clusters_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let story = words(1, 400);
    // Every 20th word changed: about 0.74 of the shingles shared.
    let edited = edit_every(&story, 20);
    let lines = [
        serde_json::json!({"id": "a", "source": "Wire", "date": "2020-03-02", "text": story}),
        serde_json::json!({"id": "b", "source": "Other", "date": "2020-03-01", "text": format!("**{story}**")}),
        serde_json::json!({"id": "c", "source": "Wire", "text": words(2, 300)}),
        serde_json::json!({"id": "d", "source": "Wire", "date": "2020-03-05", "text": edited}),
        serde_json::json!({"id": "e", "text": ""}),
        serde_json::json!({"id": "f", "title": "no body"}),
    ];
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(d.join("in.jsonl"), &body).unwrap();
    let run = |out: &str, clusters: &str| {
        let o = newsfold(&["dedup", "in.jsonl", "-o", out, "--clusters", clusters], d);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    run("kept.jsonl", "clusters.jsonl");
    run("kept2.jsonl", "clusters2.jsonl");
    run("kept3.jsonl", "clusters.parquet");
    let kept = std::fs::read_to_string(d.join("kept.jsonl")).unwrap();
    let ids: Vec<String> = kept
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    // b is the earliest dated copy of the story: it stays, a and d go.
    assert_eq!(ids, ["\"b\"", "\"c\"", "\"e\"", "\"f\""]);
    assert_eq!(kept.lines().next().unwrap(), lines[1].to_string().as_str());
    let clusters = std::fs::read_to_string(d.join("clusters.jsonl")).unwrap();
    let rows: Vec<serde_json::Value> = clusters
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0]["cluster"], "b");
    assert_eq!(rows[0]["relation"], "reprint");
    assert_eq!(rows[1]["relation"], "original");
    assert_eq!(rows[3]["cluster"], "b");
    assert_eq!(rows[3]["relation"], "edited_reprint");
    assert!(rows[3]["jaccard"].as_f64().unwrap() < 0.9);
    assert_eq!(rows[4]["relation"], "unique");
    assert_eq!(
        std::fs::read(d.join("clusters.jsonl")).unwrap(),
        std::fs::read(d.join("clusters2.jsonl")).unwrap()
    );
    assert_eq!(
        std::fs::read(d.join("kept.jsonl")).unwrap(),
        std::fs::read(d.join("kept2.jsonl")).unwrap()
    );
    let parquet = std::fs::read(d.join("clusters.parquet")).unwrap();
    assert_eq!(&parquet[..4], b"PAR1");
}
