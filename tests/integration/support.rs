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
