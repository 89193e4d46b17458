//! Extract: who said what, read from an article's cleaned text.
//!
//! Today this stage finds quotes: direct quotes in any quotation marks with their speakers,
//! and reported speech ("X said that ...") as a second, marked kind ([`quotes`]). The names
//! it needs (a surname to the full name introduced earlier, titles and roles apart from the
//! name) are read by [`names`]. The dates the text mentions, absolute and relative, are
//! resolved against the publication date and tied to the sentences they date ([`dates`]).
//! Every function here is pure: text in, typed values out, with character offsets into the
//! text it was given. It is not a parser of any markup: it reads the text `clean` leaves,
//! paragraphs separated by blank lines.

pub mod dates;
pub mod entities;
pub mod labels;
pub mod names;
pub mod quotes;

use serde::{Deserialize, Serialize};

/// Settings of the extract stage (`[extract]` in the configuration file).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ExtractConfig {
    /// A TSV file of aliases read on top of the shipped table (`newsfold aliases` prints
    /// the shipped one, in the same form); default none.
    pub aliases: Option<std::path::PathBuf>,
}

impl ExtractConfig {
    /// The alias table: the shipped one, with the user's file on top when one is set.
    pub fn alias_table(
        &self,
    ) -> crate::error::Result<std::borrow::Cow<'static, entities::AliasTable>> {
        let shipped = entities::AliasTable::shipped();
        let Some(path) = &self.aliases else {
            return Ok(std::borrow::Cow::Borrowed(shipped));
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| crate::error::Error::io(format!("reading {}", path.display()), e))?;
        shipped
            .with(&text)
            .map(std::borrow::Cow::Owned)
            .map_err(|e| crate::error::Error::Usage(format!("{}: {e}", path.display())))
    }
}

/// How a quote reached the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    /// Words in quotation marks.
    Direct,
    /// Speech without quotation marks, introduced by a reporting verb ("X said that ...").
    Reported,
}

/// One quote and who said it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// The quoted words, without the quotation marks; paragraphs of a quote that runs over
    /// several are joined by a space.
    pub text: String,
    /// The person or body that said it, by the fullest name the article gives; `None` when
    /// the text does not say or a pronoun has no one to stand for.
    pub speaker: Option<String>,
    /// What the text calls the speaker ("Kremlin spokesman").
    pub speaker_role: Option<String>,
    /// The reporting verb or phrase ("said", "according to").
    pub cue: Option<String>,
    pub kind: QuoteKind,
    /// Character offsets of the quoted words in the text: `start..end`.
    pub start: usize,
    pub end: usize,
    /// Character offsets of the words that name the speaker where the cue is ("he",
    /// "Kremlin spokesman Dmitry Peskov"), when there are such words.
    pub speaker_at: Option<(usize, usize)>,
}

/// Character offsets from byte offsets, for one text: what the offsets of quotes and dates
/// count.
pub(crate) struct CharOffsets(Vec<usize>);

impl CharOffsets {
    pub(crate) fn new(text: &str) -> Self {
        CharOffsets(text.char_indices().map(|(b, _)| b).collect())
    }

    pub(crate) fn at(&self, byte: usize) -> usize {
        self.0.partition_point(|&b| b < byte)
    }
}

/// A word before a full stop that does not end a sentence: a title, a month, a company
/// suffix ("Mr", "Sept", "Inc"), an initial ("J"), or a dotted abbreviation ("U.S").
pub(crate) fn is_abbreviation(stem: &str) -> bool {
    const ABBREVIATIONS: [&str; 40] = [
        "Mr", "Mrs", "Ms", "Dr", "Gen", "Sen", "Rep", "Gov", "St", "No", "Jan", "Feb", "Mar",
        "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Lt", "Col", "Capt", "Sgt",
        "Jr", "Sr", "Prof", "Rev", "vs", "Adm", "Inc", "Corp", "Co", "Ltd", "Ft", "Mt", "Maj",
        "Pres",
    ];
    ABBREVIATIONS.contains(&stem)
        || (stem.chars().count() <= 2 && stem.chars().next().is_some_and(char::is_uppercase))
        || stem.contains('.')
}
