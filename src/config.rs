//! newsfold's settings: one typed section per stage, loadable from a TOML file (`--config`)
//! and overridden by flags. Every default is documented where it is defined, in the stage's
//! own config struct; a file with an unknown key is refused at start, not ignored mid-run.

use crate::clean::CleanConfig;
use crate::dedup::DedupConfig;
use crate::error::{Error, Result};
use crate::extract::ExtractConfig;
use crate::ingest::IngestConfig;
use crate::stories::StoryConfig;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub ingest: IngestConfig,
    pub clean: CleanConfig,
    pub dedup: DedupConfig,
    pub extract: ExtractConfig,
    pub stories: StoryConfig,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
        Config::parse(&text).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))
    }

    pub fn parse(text: &str) -> std::result::Result<Config, toml::de::Error> {
        toml::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_unknown_keys() {
        let c = Config::parse(
            "[ingest]\nmax_document_bytes = 100\n[ingest.fields]\ntext = [\"maintext\"]\n",
        )
        .unwrap();
        assert_eq!(c.ingest.max_document_bytes, 100);
        assert_eq!(c.ingest.fields.text, vec!["maintext"]);
        assert_eq!(c.ingest.batch_size, IngestConfig::default().batch_size);
        assert!(Config::parse("[ingest]\nmax_documnet_bytes = 1\n").is_err());
        let c = Config::parse("[dedup]\nbands = 16\nmin_jaccard = 0.7\n").unwrap();
        assert_eq!((c.dedup.bands, c.dedup.min_jaccard), (16, 0.7));
        assert_eq!(c.dedup.permutations, DedupConfig::default().permutations);
        assert!(Config::parse("[dedup]\nband = 16\n").is_err());
        let c = Config::parse("[extract]\naliases = \"my.tsv\"\n").unwrap();
        assert_eq!(c.extract.aliases.as_deref(), Some(Path::new("my.tsv")));
        let c = Config::parse("[stories]\nwindow_days = 3\n").unwrap();
        assert_eq!(c.stories.window_days, 3);
        assert!(Config::parse("[stories]\nwindow = 3\n").is_err());
    }
}
