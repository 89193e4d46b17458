//! What a copy is to its group's original, named from the measured figures and the outlets:
//! the same document again, a reprint by another outlet, or an edited reprint. Pure naming: the
//! decision that two texts are copies at all is `verify`'s.

use super::verify::Figures;
use super::DedupConfig;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A text's place in its copy group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// In no group: no other text is a copy of it, or it is too short to judge.
    Unique,
    /// The group's representative: its earliest dated copy (input order breaks ties and
    /// stands in for a missing date).
    Original,
    /// The original's text again from the same outlet (or where an outlet is unknown).
    SameDocument,
    /// Another outlet carries the same text.
    Reprint,
    /// Substantial overlap with changes: edits, a truncation, added or lost passages.
    EditedReprint,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Unique => "unique",
            Relation::Original => "original",
            Relation::SameDocument => "same_document",
            Relation::Reprint => "reprint",
            Relation::EditedReprint => "edited_reprint",
        }
    }

    pub fn parse(s: &str) -> Option<Relation> {
        [
            Relation::Unique,
            Relation::Original,
            Relation::SameDocument,
            Relation::Reprint,
            Relation::EditedReprint,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    /// The relation of a copy to its original, from their figures and outlets. "The same
    /// text" is a Jaccard similarity of at least `reprint_jaccard`; outlets are compared by
    /// their names with case and spacing ignored.
    pub fn of_copy(
        figures: Figures,
        outlet: Option<&str>,
        original_outlet: Option<&str>,
        cfg: &DedupConfig,
    ) -> Relation {
        if figures.jaccard < cfg.reprint_jaccard {
            return Relation::EditedReprint;
        }
        match (outlet, original_outlet) {
            (Some(a), Some(b)) if outlet_key(a) != outlet_key(b) => Relation::Reprint,
            _ => Relation::SameDocument,
        }
    }
}

fn outlet_key(name: &str) -> String {
    name.split_whitespace()
        .flat_map(str::chars)
        .flat_map(char::to_lowercase)
        .collect()
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naming() {
        let cfg = DedupConfig::default();
        let same = Figures::IDENTICAL;
        let edited = Figures {
            jaccard: 0.7,
            containment: 0.8,
        };
        assert_eq!(
            Relation::of_copy(same, Some("AP"), Some(" ap "), &cfg),
            Relation::SameDocument
        );
        assert_eq!(
            Relation::of_copy(same, None, Some("AP"), &cfg),
            Relation::SameDocument
        );
        assert_eq!(
            Relation::of_copy(same, Some("Reuters"), Some("AP"), &cfg),
            Relation::Reprint
        );
        assert_eq!(
            Relation::of_copy(edited, Some("AP"), Some("AP"), &cfg),
            Relation::EditedReprint
        );
        assert_eq!(Relation::parse("reprint"), Some(Relation::Reprint));
        assert_eq!(Relation::parse("copy"), None);
        assert_eq!(
            serde_json::to_string(&Relation::EditedReprint).unwrap(),
            "\"edited_reprint\""
        );
    }
}
