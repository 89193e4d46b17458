//! A kill in the middle of an ingest loses nothing already accepted, and running the same
//! command again finishes the job: the store then exports exactly what a clean run exports.

use crate::support::{newsfold, stderr};
use std::process::Command;
use std::time::{Duration, Instant};

/// A JSONL feed of `n` distinct short articles.
fn feed(n: usize) -> String {
    const WORDS: [&str; 16] = [
        "harbour", "council", "strike", "minister", "river", "talks", "budget", "union", "court",
        "election", "ferry", "report", "workers", "vote", "bridge", "flood",
    ];
    let mut out = String::new();
    for i in 0..n {
        let words: Vec<&str> = (0..40)
            .map(|k| WORDS[(i * 7 + k * 13 + i / 16 + k * k) % 16])
            .collect();
        out.push_str(&format!(
            "{{\"id\": \"r{i}\", \"title\": \"Report number {i}\", \"source\": \"Outlet {}\", \"date\": \"2024-01-{:02}\", \"text\": \"Item {i}: {}.\"}}\n",
            i % 7,
            i % 28 + 1,
            words.join(" ")
        ));
    }
    out
}

fn articles_in(db: &std::path::Path) -> i64 {
    let Ok(conn) =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return 0;
    };
    conn.query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .unwrap_or(0)
}

#[test]
fn killed_ingest_resumes_to_the_same_store() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let total = 40_000;
    std::fs::write(d.join("feed.jsonl"), feed(total)).unwrap();
    std::fs::write(d.join("small-batches.toml"), "[ingest]\nbatch_size = 200\n").unwrap();
    let args = ["--config", "small-batches.toml", "ingest", "feed.jsonl"];

    let clean = newsfold(&[&["--db", "clean.db"], &args[..]].concat(), d);
    assert!(clean.status.success(), "{}", stderr(&clean));
    let expected = newsfold(&["--db", "clean.db", "export"], d).stdout;

    let mut child = Command::new(env!("CARGO_BIN_EXE_newsfold"))
        .args([&["--db", "crash.db", "--quiet"], &args[..]].concat())
        .current_dir(d)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while articles_in(&d.join("crash.db")) == 0 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let survived = articles_in(&d.join("crash.db"));
    assert!(
        survived > 0 && survived < total as i64,
        "the kill landed mid-run ({survived} of {total})"
    );
    assert_eq!(survived % 200, 0, "only whole batches are committed");

    let resumed = newsfold(
        &[
            "--db",
            "crash.db",
            "--quiet",
            "ingest",
            "feed.jsonl",
            "--json",
        ],
        d,
    );
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    let report: serde_json::Value = serde_json::from_slice(&resumed.stdout).unwrap();
    assert_eq!(report["already_stored"].as_i64(), Some(survived));
    let got = newsfold(&["--db", "crash.db", "export"], d).stdout;
    assert!(
        got == expected,
        "the resumed store exports what a clean run exports"
    );
}
