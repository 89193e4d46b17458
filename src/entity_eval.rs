//! `newsfold eval entities`: the entity recogniser scored on the named sources of PolNeAR's
//! attribution annotations, the one annotated set of names at hand.
//!
//! PolNeAR marks who said each thing, not every entity, so this measures recall on the names
//! that matter most to a reader of quotes: a *named source* is an annotated source span with
//! a capitalised word that does not open its sentence and is not a pronoun, an article or an
//! adjective of nationality or party ("Mr. Trump", "the State Department", "Clinton's
//! campaign"; not "Critics", "Democratic leaders"). It is *found* when one of newsfold's entity mentions
//! overlaps it and shares a word with it. A named source of one word ("Trump") is *resolved*
//! when the entity found for it has a fuller name whose last word it is ("Donald Trump"),
//! which is what alias resolution within an article is for; a one-word source with no fuller
//! name in its text counts apart, as it cannot be resolved. Precision is not measured: most
//! entities are nobody's source.

use crate::error::{Error, Result};
use crate::eval;
use crate::extract::entities::{find_entities, is_demonym, AliasTable, EntityKind};
use crate::quote_eval::parse_ann;
use std::collections::BTreeMap;
use std::path::Path;

/// One annotator's file with its text: (split, text, the `.ann` file).
pub type Annotated = (String, String, String);

/// The PolNeAR files of `data` (a folder or a tar, zstd or not): every annotator's file with
/// the text it annotates, in a stable order.
pub fn read_polnear(data: &Path) -> Result<Vec<Annotated>> {
    let mut texts: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut anns: Vec<(String, String, String)> = Vec::new();
    eval::read_files(data, |path, bytes| {
        let p = Path::new(path);
        let (Some(stem), Some(dir)) = (p.file_stem(), p.parent()) else {
            return;
        };
        let stem = stem.to_string_lossy().into_owned();
        let folder = dir.file_name().map(|d| d.to_string_lossy().into_owned());
        let split = dir
            .parent()
            .and_then(|s| s.file_name())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match (folder.as_deref(), p.extension().and_then(|e| e.to_str())) {
            (Some("text"), Some("txt")) => {
                texts.insert((split, stem), eval::lossy(&bytes));
            }
            (Some("attributions"), Some("ann")) => {
                // NAME_ANNOTATOR.ann: the text's name is what stands before the last '_'.
                let name = stem.rsplit_once('_').map_or(stem.as_str(), |(n, _)| n);
                anns.push((split, name.to_string(), eval::lossy(&bytes)));
            }
            _ => {}
        }
    })?;
    if anns.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no attribution files (SPLIT/attributions/NAME_ANNOTATOR.ann beside SPLIT/text/NAME.txt)",
            data.display()
        )));
    }
    anns.sort();
    Ok(anns
        .into_iter()
        .filter_map(|(split, name, ann)| {
            let text = texts.get(&(split.clone(), name))?.clone();
            Some((split, text, ann))
        })
        .collect())
}

/// Counts over any number of annotator files.
#[derive(Debug, Clone, Default)]
pub struct EntityTally {
    pub named_sources: usize,
    pub found: usize,
    /// Found sources by the kind newsfold gave them.
    pub kinds: BTreeMap<EntityKind, usize>,
    /// One-word named sources whose text gives a fuller name ending in that word.
    pub resolvable: usize,
    pub resolved: usize,
    /// Named sources not found or not resolved: "missed"/"unresolved", the source, the
    /// entity newsfold found there (if any), the words around.
    pub misses: Vec<String>,
}

impl EntityTally {
    pub fn add(&mut self, o: &EntityTally) {
        self.named_sources += o.named_sources;
        self.found += o.found;
        self.resolvable += o.resolvable;
        self.resolved += o.resolved;
        self.misses.extend(o.misses.iter().cloned());
        for (k, n) in &o.kinds {
            *self.kinds.entry(*k).or_default() += n;
        }
    }
}

const NOT_NAMES: [&str; 16] = [
    "He", "She", "They", "I", "We", "It", "You", "The", "A", "An", "His", "Her", "Their", "Its",
    "This", "That",
];

fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_end_matches("'s"))
        .collect()
}

/// Score one annotator's file (`ann`) against newsfold's entities of `text`.
pub fn score_entities(text: &str, ann: &str, table: &AliasTable) -> EntityTally {
    let entities = find_entities(text, table);
    let chars: Vec<char> = text.chars().collect();
    let span = |(s, e): (usize, usize)| -> String {
        chars[s.min(chars.len())..e.min(chars.len())]
            .iter()
            .collect()
    };
    let mut tally = EntityTally::default();
    let mut seen = std::collections::HashSet::new();
    for source in parse_ann(ann).into_iter().filter_map(|a| a.source) {
        if !seen.insert(source) {
            continue;
        }
        let source_text = span(source);
        // Does the source open a sentence? Then its first word's capital says nothing.
        let before: String = chars[..source.0.min(chars.len())]
            .iter()
            .rev()
            .take_while(|c| c.is_whitespace() || matches!(c, '"' | '“' | '‘' | '(' | '\''))
            .collect();
        let opens = source.0 == before.chars().count()
            || chars
                .get(source.0 - before.chars().count() - 1)
                .is_some_and(|c| matches!(c, '.' | '!' | '?' | ':' | '\n'));
        let named: Vec<&str> = words(&source_text)
            .into_iter()
            .enumerate()
            .filter(|(i, w)| {
                let capital = w.chars().next().is_some_and(char::is_uppercase);
                let opener = *i == 0 && opens;
                capital && !opener && !NOT_NAMES.contains(w) && !is_demonym(w)
            })
            .map(|(_, w)| w)
            .collect();
        if named.is_empty() {
            continue;
        }
        tally.named_sources += 1;
        let hit = entities.iter().find(|e| {
            e.mentions.iter().any(|m| {
                m.start < source.1
                    && source.0 < m.end
                    && words(&m.text).iter().any(|w| named.contains(w))
            })
        });
        let around =
            || span((source.0.saturating_sub(60), source.1 + 60)).replace(['\n', '\t'], " ");
        match hit {
            Some(e) => {
                tally.found += 1;
                *tally.kinds.entry(e.kind).or_default() += 1;
            }
            None => tally
                .misses
                .push(format!("missed\t{source_text}\t\t{}", around())),
        }
        if named.len() == 1 {
            let word = named[0];
            let fuller = |name: &str| {
                let ws = words(name);
                ws.len() >= 2 && ws.last() == Some(&word)
            };
            if entities.iter().any(|e| fuller(&e.name)) {
                tally.resolvable += 1;
                if hit.is_some_and(|e| fuller(&e.name)) {
                    tally.resolved += 1;
                } else {
                    let ours = hit.map_or("", |e| e.name.as_str());
                    tally
                        .misses
                        .push(format!("unresolved\t{source_text}\t{ours}\t{}", around()));
                }
            }
        }
    }
    tally
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_sources_are_found_and_resolved() {
        let text = "Kremlin spokesman Dmitry Peskov spoke. Later Peskov said no. He left.";
        // T1 "Dmitry Peskov", T2 "Peskov", T3 "He"; three attributions.
        let ann = "T1\tSource 18 31\tDmitry Peskov\nT2\tSource 45 51\tPeskov\nT3\tSource 60 62\tHe\n\
                   T4\tContent 32 37\tspoke\nT5\tContent 52 59\tsaid no\nT6\tContent 63 67\tleft\n\
                   E1\tAttribution:T4 Source:T1 Content:T4\nE2\tAttribution:T5 Source:T2 Content:T5\n\
                   E3\tAttribution:T6 Source:T3 Content:T6\n";
        let t = score_entities(text, ann, AliasTable::shipped());
        assert_eq!(t.named_sources, 2, "{t:?}");
        assert_eq!(t.found, 2);
        assert_eq!((t.resolvable, t.resolved), (1, 1));
        assert_eq!(t.kinds.get(&EntityKind::Person), Some(&2));
    }
}
