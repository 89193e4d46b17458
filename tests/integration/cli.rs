//! The command line as a user drives it.

use crate::support::{newsfold, samples_dir, seeds_dir, stderr, stdout};

#[test]
fn ingest_list_show_export_and_reingest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let seeds = seeds_dir().display().to_string();
    // --db after the subcommand is accepted as well as before.
    let out = newsfold(&["ingest", &seeds, "--db", "s.db", "--json"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["articles_added"], 5);

    // The same bytes again change nothing.
    let again = newsfold(&["--db", "s.db", "ingest", &seeds, "--json"], d);
    let report: serde_json::Value = serde_json::from_str(&stdout(&again)).unwrap();
    assert_eq!(
        (
            report["articles_added"].as_u64(),
            report["inputs_unchanged"].as_u64()
        ),
        (Some(0), Some(5))
    );

    let list = newsfold(&["--db", "s.db", "articles", "--json"], d);
    let articles: Vec<serde_json::Value> = serde_json::from_str(&stdout(&list)).unwrap();
    assert_eq!(articles.len(), 5);
    let markdown = articles.iter().find(|a| a["format"] == "markdown").unwrap();
    let id = markdown["id"].as_str().unwrap();

    let show = newsfold(&["--db", "s.db", "show", &id[..6]], d);
    let text = stdout(&show);
    assert!(
        text.contains("from dateline") && text.contains("September 15, 2016"),
        "{text}"
    );
    let raw = newsfold(&["--db", "s.db", "show", id, "--raw"], d);
    assert_eq!(
        raw.stdout,
        std::fs::read(seeds_dir().join("001_0f187259eea0d079.txt")).unwrap()
    );

    let export = newsfold(&["--db", "s.db", "export", "--format", "jsonl"], d);
    let lines: Vec<serde_json::Value> = stdout(&export)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    for field in [
        "id",
        "external_id",
        "source_path",
        "format",
        "outlet",
        "url",
        "title",
        "author",
        "language",
        "published",
        "published_confidence",
        "published_source",
        "text",
        "paragraphs",
    ] {
        assert!(lines[0].get(field).is_some(), "export lacks {field}");
    }
    // Deterministic: the same store exports the same bytes.
    let export2 = newsfold(&["--db", "s.db", "export"], d);
    assert_eq!(export.stdout, export2.stdout);

    let csv = newsfold(
        &["--db", "s.db", "export", "--format", "csv", "-o", "a.csv"],
        d,
    );
    assert!(csv.status.success());
    let csv_text = std::fs::read_to_string(d.join("a.csv")).unwrap();
    assert!(csv_text.starts_with("id,external_id,source_path,format,outlet"));
    let parquet = newsfold(
        &[
            "--db",
            "s.db",
            "export",
            "--format",
            "parquet",
            "-o",
            "a.parquet",
        ],
        d,
    );
    assert!(parquet.status.success(), "{}", stderr(&parquet));
    let bytes = std::fs::read(d.join("a.parquet")).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let reader =
        SerializedFileReader::new(std::fs::File::open(d.join("a.parquet")).unwrap()).unwrap();
    let meta = reader.metadata().file_metadata();
    assert_eq!(meta.num_rows(), 5);
    let columns: Vec<&str> = meta
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.path().parts()[0].as_str())
        .collect();
    assert!(columns.contains(&"published_source") && columns.contains(&"paragraphs"));

    let stats = newsfold(&["--db", "s.db", "stats", "--json"], d);
    let stats: serde_json::Value = serde_json::from_str(&stdout(&stats)).unwrap();
    assert_eq!(stats["articles"], 5);
    assert_eq!(stats["outlets"], 3);
}

#[test]
fn exit_codes_say_what_happened() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("empty.txt"), "").unwrap();
    let out = newsfold(&["--db", "x.db", "ingest", "empty.txt"], d);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("empty.txt: empty input"));
    let out = newsfold(&["--db", "x.db", "show", "abcdef"], d);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no article with id"));
    let out = newsfold(&["--db", "missing.db", "articles"], d);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !d.join("missing.db").exists(),
        "reading commands do not create a store"
    );
    let out = newsfold(
        &["--db", "x.db", "ingest", "empty.txt", "--field", "nonsense"],
        d,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn standard_input_is_an_input() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsfold"))
        .args(["--db", "in.db", "ingest", "-", "--json"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let feed = std::fs::read(samples_dir().join("meridian_feed.jsonl")).unwrap();
    child.stdin.take().unwrap().write_all(&feed).unwrap();
    let out = child.wait_with_output().unwrap();
    let report: serde_json::Value =
        serde_json::from_str(&String::from_utf8_lossy(&out.stdout)).unwrap();
    assert_eq!(report["articles_added"], 3);
    let list = newsfold(&["--db", "in.db", "articles", "--json"], dir.path());
    let articles: Vec<serde_json::Value> = serde_json::from_str(&stdout(&list)).unwrap();
    assert_eq!(articles[0]["source_path"], "-#1");
    assert_eq!(articles[0]["external_id"], "mws-2025-0305-0117");
}

#[test]
fn outlet_registry_can_be_edited() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let seeds = seeds_dir().display().to_string();
    newsfold(&["--db", "o.db", "ingest", &seeds], d);
    let out = newsfold(
        &["--db", "o.db", "outlets", "alias", "Press TV", "nsnbc"],
        d,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let list = newsfold(
        &[
            "--db",
            "o.db",
            "articles",
            "--outlet",
            "presstv.ir",
            "--json",
        ],
        d,
    );
    let articles: Vec<serde_json::Value> = serde_json::from_str(&stdout(&list)).unwrap();
    assert_eq!(articles.len(), 2, "merged outlets share their articles");
    let out = newsfold(
        &["--db", "o.db", "outlets", "rename", "Press TV", "PressTV"],
        d,
    );
    assert!(out.status.success());
    let list = newsfold(
        &["--db", "o.db", "articles", "--outlet", "Press TV", "--json"],
        d,
    );
    let articles: Vec<serde_json::Value> = serde_json::from_str(&stdout(&list)).unwrap();
    assert_eq!(articles[0]["outlet"], "PressTV");
}

#[test]
fn demo_runs_on_the_bundled_samples() {
    let dir = tempfile::tempdir().unwrap();
    let out = newsfold(&["demo", "--dir", "demo", "--no-serve"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("16 articles added"), "{text}");
    assert!(text.contains("Calloway dockworkers vote to strike"));
}
