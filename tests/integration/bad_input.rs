//! Bad input: each broken file is reported with its path and what is wrong, counted by kind,
//! and skipped; the good files of the same run are stored.

use crate::support::ingest;
use std::io::Write;

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn every_bad_input_is_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "a_good.txt",
        b"A good article about the harbour, written in full sentences for the test.\n",
    );
    write(d, "b_empty.txt", b"");
    write(d, "c_binary.bin", &[0u8, 1, 2, 3, 0, 255, 7, 0]);
    write(
        d,
        "d_latin1.txt",
        b"Caf\xe9 au lait was served in the harbour canteen every morning.",
    );
    let gz = gzip(b"A compressed article that will be cut short before its end, sadly.");
    write(d, "e_truncated.txt.gz", &gz[..gz.len() - 8]);
    write(d, "f_feed.jsonl", b"{\"text\": \"First record body, complete and fine.\"}\n{\"text\": broken\n{\"title\": \"no text\"}\n");
    let mut warc = b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: https://example.org/a\r\nContent-Length: 30\r\n\r\nThe first record is complete.\n\r\n\r\n".to_vec();
    warc.extend_from_slice(
        b"WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 500\r\n\r\nThe second is cut",
    );
    write(d, "g_crawl.warc", &gzip(&warc));
    write(
        d,
        "h_deep.html",
        format!("<html><body>{}deep</body></html>", "<div>".repeat(10_000)).as_bytes(),
    );
    let mut big = b"A very large article. ".repeat(100 * 1024 * 1024 / 22);
    big.truncate(100 * 1024 * 1024);
    write(d, "i_huge.txt", &big);

    let (store, report) = ingest(&[d]);
    let by_path = |name: &str| {
        report
            .failures
            .iter()
            .filter(|f| f.path.contains(name))
            .map(|f| f.error.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(by_path("b_empty"), vec!["empty input"]);
    assert!(by_path("c_binary")[0].starts_with("binary data"));
    assert!(by_path("d_latin1")[0].contains("invalid UTF-8 at byte 3"));
    assert!(by_path("e_truncated")[0].contains("truncated or corrupt gzip"));
    let feed = by_path("f_feed.jsonl#");
    assert_eq!(feed.len(), 2, "{feed:?}");
    assert!(feed[0].starts_with("malformed JSON") && feed[1].contains("no text field"));
    assert!(report
        .failures
        .iter()
        .any(|f| f.path.ends_with("f_feed.jsonl#2")));
    assert!(by_path("g_crawl.warc#2")[0].contains("truncated"));
    assert!(by_path("h_deep")[0].contains("nested"));
    assert!(by_path("i_huge")[0].contains("exceeds the limit"));
    assert_eq!(report.failed_total(), 9, "{:#?}", report.failures);
    assert_eq!(report.failed.get("json"), Some(&2));

    // The good documents of the same run: the text file, the first JSONL record, the first WARC record.
    assert_eq!(report.articles_added, 3);
    assert_eq!(store.articles(None, None).unwrap().len(), 3);
    assert_eq!(store.failures().unwrap().len(), 9);
    assert_eq!(store.stats().unwrap().inputs_incomplete, 0);
}

#[test]
fn missing_path_is_an_input_failure_not_a_crash() {
    let (_, report) = ingest(&[std::path::Path::new("/no/such/file.txt")]);
    assert_eq!(report.failed.get("io"), Some(&1));
    assert!(report.failures[0].path.contains("/no/such/file.txt"));
}
