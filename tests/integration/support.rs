//! Helpers shared by the integration tests.

use newsfold::config::Config;
use newsfold::pipeline::{self, IngestReport, Quiet};
use newsfold::store::{Store, StoredArticle};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the checkout, as CI lays it out.
pub fn shared() -> PathBuf {
    let p = root().join("../shared");
    assert!(
        p.exists(),
        "../shared is missing beside the checkout: {}",
        p.display()
    );
    p
}

pub fn seeds_dir() -> PathBuf {
    shared().join("corpus/seeds")
}

pub fn samples_dir() -> PathBuf {
    root().join("samples/corpus")
}

/// The default settings, but stories on lexical similarity alone whether or not the embedding
/// model is installed, so that tests give the same stories on every machine (the embedding
/// tests turn it on).
pub fn config() -> Config {
    let mut c = Config::default();
    c.stories.embeddings = false;
    c
}

/// Ingest paths into a fresh in-memory store.
pub fn ingest(paths: &[&Path]) -> (Store, IngestReport) {
    ingest_with(paths, &config())
}

/// Ingest paths into a fresh in-memory store with these settings.
pub fn ingest_with(paths: &[&Path], config: &Config) -> (Store, IngestReport) {
    let mut store = Store::open_in_memory().unwrap();
    let args: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let report = pipeline::ingest(&mut store, &args, config, &Quiet).unwrap();
    (store, report)
}

/// The stored article whose source path ends with `suffix`.
pub fn by_source<'a>(articles: &'a [StoredArticle], suffix: &str) -> &'a StoredArticle {
    articles
        .iter()
        .find(|a| a.article.source_path.ends_with(suffix))
        .unwrap_or_else(|| panic!("no article from {suffix}"))
}

/// Run the newsfold binary.
pub fn newsfold(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsfold"))
        .args(args)
        .current_dir(dir)
        .env_remove("NEWSFOLD_DB")
        // Stories on lexical similarity, as `config()` (no model folder there).
        .env(
            "NEWSFOLD_MODEL_DIR",
            root().join("target/no-model-for-tests"),
        )
        .output()
        .expect("newsfold runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A store on disk holding the sample corpus and, when given, extra inputs after it; the
/// folder goes when the `TempDir` does. The desk needs a file, not an in-memory store.
pub fn demo_store(extra: &[&Path]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let mut store = Store::open(&db).unwrap();
    let mut args = vec![samples_dir().display().to_string()];
    args.extend(extra.iter().map(|p| p.display().to_string()));
    pipeline::ingest(&mut store, &args, &config(), &Quiet).unwrap();
    drop(store);
    (dir, db)
}

/// The desk on a store, started on a free loopback port (with `token`, if given).
pub fn start_desk(db: &Path, token: Option<&str>) -> newsfold::server::Running {
    let desk = newsfold::server::Desk::open(db, &config()).unwrap();
    newsfold::server::start(
        desk,
        &newsfold::server::Options {
            addr: "127.0.0.1:0".parse().unwrap(),
            token: token.map(str::to_string),
            until_interrupted: false,
        },
    )
    .unwrap()
}

/// The desk on the sample corpus, started once and shared by the tests that only read it.
pub fn demo_desk() -> std::net::SocketAddr {
    use std::sync::OnceLock;
    static DESK: OnceLock<(tempfile::TempDir, newsfold::server::Running)> = OnceLock::new();
    DESK.get_or_init(|| {
        let (dir, db) = demo_store(&[]);
        let running = start_desk(&db, None);
        (dir, running)
    })
    .1
    .addr
}
