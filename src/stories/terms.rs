//! The words an article is about, as weighted terms: stemmed body words, its title's words
//! counted several times over, and the entities it names as terms of their own
//! (`e:vladimir putin`). [`Vocabulary`] turns them into TF-IDF vectors over a corpus.
//!
//! This is what stories compare articles on. It is not a search tokeniser (search keeps every
//! word, offsets and all) and not a language detector: the stopword list and the stemmer are
//! English, and text in other languages goes through them unchanged but for case.

use crate::extract::entities::{Entity, EntityKind};
use foldhash::{HashMap, HashMapExt};
use rust_stemmers::{Algorithm, Stemmer};
use std::sync::OnceLock;

/// How many times a title word counts against one body word: headlines name the event.
pub const TITLE_WEIGHT: f32 = 3.0;
/// How many times an entity named in the article counts, per mention (sublinear).
pub const ENTITY_WEIGHT: f32 = 2.0;
/// The share of a corpus's documents below which a term is simply rare: its IDF stops growing
/// there. Left to grow, the rarest terms (a name quoted once, a misspelling, an aside) led
/// each article's vector, and two reports of one event, which share the event's words but
/// quote other people, came out far apart. Capping at 3% (IDF ln(1/0.03) = 3.5) raised
/// pairwise F1 on stories-dev among AllSides from 0.850 to 0.866, and on each half of the
/// gold stories alone (README); 2% and 5% did about as well, no cap was worst.
pub const RARE_SHARE: f32 = 0.03;
/// Terms kept per article vector, by weight.
pub const VECTOR_TERMS: usize = 160;

/// Words too common in English news to tell one story from another.
const STOPWORDS: &str = "a about above according across after afterwards again against ago ahead all almost alone along
already also although always am among amongst an and another any anyone anything anyway anywhere are aren't around as
at back be became because become becomes been before being below beside besides between beyond both but by can cannot
could couldn't did didn't do does doesn't doing don't done down during each either else elsewhere enough even ever
every everyone everything except few first for former formerly from further get gets getting given gives go goes going
gone got had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how
however i i'd i'll i'm i've if in including inside instead into is isn't it it's its itself just last later least less
let like likely made make makes making many may maybe me meanwhile might mine more moreover most mostly mr mrs ms much
must my myself near nearly neither never nevertheless new next no nobody none nor not nothing now nowhere of off often
on once one only onto or other others otherwise our ours ourselves out over own per perhaps please put rather re really
said same say saying says see seem seemed seems seen several shall she she'd she'll she's should shouldn't since so
some somehow someone something sometimes somewhere still such take taken than that that's the their theirs them
themselves then there there's thereby therefore these they they'd they'll they're they've this those though through
throughout thus to together told too toward towards two under until up upon us use used very via was wasn't we we'd
we'll we're we've well were weren't what what's whatever when whenever where whereas wherever whether which while who
who's whoever whole whom whose why will with within without won't would wouldn't yes yet you you'd you'll you're
you've your yours yourself yourselves year years week weeks day days time times people just told tell tells asked
week monday tuesday wednesday thursday friday saturday sunday january february march april june july august
september october november december percent million billion three four five six seven eight nine ten";

fn stopwords() -> &'static foldhash::HashSet<&'static str> {
    static SET: OnceLock<foldhash::HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS.split_whitespace().collect())
}

/// Whether `word` (lower case) is one of the stopwords left out of an article's terms.
pub fn is_stopword(word: &str) -> bool {
    stopwords().contains(word)
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// The stemmed content words of `text`, in order: lower case, letters only (an apostrophe's
/// tail dropped: "Russia's" is "russia"), stopwords and words under three letters left out.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter_map(|w| {
            let w = w.split(['\'', '’']).next().unwrap_or("");
            if w.chars().count() < 3 || !w.chars().all(char::is_alphabetic) {
                return None;
            }
            let lower = w.to_lowercase();
            if stopwords().contains(lower.as_str()) {
                return None;
            }
            Some(stemmer().stem(&lower).into_owned())
        })
}

/// An article's weighted terms before IDF: title words, body words and entity terms.
/// Sorted by term, so that equal inputs give equal outputs whatever the hash seed.
pub fn article_terms(title: &str, body: &str, entities: &[Entity]) -> Vec<(String, f32)> {
    let mut counts: HashMap<String, f32> = HashMap::new();
    for w in words(title) {
        *counts.entry(w).or_default() += TITLE_WEIGHT;
    }
    for w in words(body) {
        *counts.entry(w).or_default() += 1.0;
    }
    for e in entities {
        if e.kind == EntityKind::Other {
            continue;
        }
        let n = e.mentions.len().max(1) as f32;
        *counts.entry(entity_term(&e.name)).or_default() += ENTITY_WEIGHT * (1.0 + n.ln());
    }
    let mut out: Vec<(String, f32)> = counts.into_iter().collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The term an entity adds: its canonical name in lower case behind `e:`.
pub fn entity_term(name: &str) -> String {
    format!("e:{}", name.to_lowercase())
}

/// A sparse vector: (term id, weight) sorted by term id, unit length.
pub type Vector = Vec<(u32, f32)>;

/// Term names to ids, as articles come: their terms kept as (id, weight), 8 bytes each,
/// so that a corpus's terms fit in memory. [`Interner::finish`] renumbers the ids in the
/// names' sorted order, so ids never depend on the order articles came in.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    pub fn intern(&mut self, terms: Vec<(String, f32)>) -> Vec<(u32, f32)> {
        terms
            .into_iter()
            .map(|(t, w)| {
                let next = self.names.len() as u32;
                let id = *self.ids.entry(t).or_insert_with_key(|t| {
                    self.names.push(t.clone());
                    next
                });
                (id, w)
            })
            .collect()
    }

    /// Renumber in sorted order: returns old id -> new id.
    pub fn finish(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.names[a as usize].cmp(&self.names[b as usize]));
        let mut new = vec![0; order.len()];
        for (rank, old) in order.into_iter().enumerate() {
            new[old as usize] = rank as u32;
        }
        new
    }
}

/// Document frequencies over a corpus, fixed once built.
#[derive(Debug, Default)]
pub struct Vocabulary {
    df: Vec<u32>,
    docs: u32,
}

impl Vocabulary {
    /// Count the document frequency of every term id of `docs` (ids below `terms`).
    pub fn build<'a>(terms: usize, docs: impl IntoIterator<Item = &'a [(u32, f32)]>) -> Vocabulary {
        let mut df = vec![0u32; terms];
        let mut n = 0;
        for d in docs {
            n += 1;
            for (t, _) in d {
                df[*t as usize] += 1;
            }
        }
        Vocabulary { df, docs: n }
    }

    /// Inverse document frequency of a term id: `ln(N / df)`.
    pub fn idf(&self, id: u32) -> f32 {
        (self.docs.max(1) as f32 / self.df[id as usize].max(1) as f32).ln()
    }

    /// The TF-IDF vector of one document's terms: sublinear term frequency times IDF, the
    /// [`VECTOR_TERMS`] heaviest kept, unit length. Terms found in one document only (they can
    /// match nothing) and terms in over a tenth of the corpus are left out; a term in fewer
    /// than [`RARE_SHARE`] of the documents weighs as one in that share.
    pub fn vector(&self, terms: &[(u32, f32)]) -> Vector {
        let common = (self.docs / 10).max(20);
        let rare = -RARE_SHARE.ln();
        let mut v: Vec<(u32, f32)> = terms
            .iter()
            .filter_map(|&(id, tf)| {
                let df = self.df[id as usize];
                (df >= 2 && df <= common).then(|| (id, (1.0 + tf.ln()) * self.idf(id).min(rare)))
            })
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(VECTOR_TERMS);
        v.sort_unstable_by_key(|x| x.0);
        normalise(&mut v);
        v
    }
}

/// Each title's words (stemmed, stopwords out) as a unit TF-IDF vector over the titles given,
/// sorted by term id; a missing title gives an empty vector. Terms are numbered in the order
/// they first appear, so the same titles in the same order give the same vectors.
pub fn title_vectors<'a>(titles: impl Iterator<Item = Option<&'a str>>) -> Vec<Vector> {
    let mut interner = Interner::default();
    let docs: Vec<Vec<(u32, f32)>> = titles
        .map(|t| {
            let mut d = interner.intern(words(t.unwrap_or("")).map(|w| (w, 1.0)).collect());
            d.sort_unstable_by_key(|x| x.0);
            d.dedup_by_key(|x| x.0);
            d
        })
        .collect();
    let vocab = Vocabulary::build(interner.names.len(), docs.iter().map(|d| d.as_slice()));
    docs.into_iter()
        .map(|d| {
            let mut v: Vector = d
                .into_iter()
                .filter(|&(t, _)| vocab.df[t as usize] >= 2)
                .map(|(t, _)| (t, vocab.idf(t)))
                .collect();
            normalise(&mut v);
            v
        })
        .collect()
}

/// Scale a sparse vector to unit length (an empty or zero vector stays as it is).
pub fn normalise(v: &mut [(u32, f32)]) {
    let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in v.iter_mut() {
            x.1 /= norm;
        }
    }
}

/// Dot product of two sparse vectors sorted by term id.
pub fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_vectors_weigh_the_rarer_shared_words() {
        let v = title_vectors(
            [
                Some("Senate passes gun bill"),
                Some("Gun bill fails in House"),
                Some("Senate confirms judge"),
                None,
            ]
            .into_iter(),
        );
        assert_eq!(v.len(), 4);
        assert!(v[3].is_empty());
        // Words in one title only carry no weight; the rest are unit vectors.
        let norm = |x: &Vector| x.iter().map(|t| t.1 * t.1).sum::<f32>();
        for x in &v[..3] {
            assert!((norm(x) - 1.0).abs() < 1e-5, "{x:?}");
        }
        assert!(dot(&v[0], &v[1]) > dot(&v[1], &v[2]));
        assert_eq!(dot(&v[1], &v[2]), 0.0);
    }

    #[test]
    fn terms_rarer_than_the_rare_share_weigh_alike() {
        // 400 documents: term 0 in 2 of them, term 1 in 6 (both under 3%, 12 documents),
        // term 2 in 30 (7.5%), term 3 in every one (left out as too common).
        let docs: Vec<Vec<(u32, f32)>> = (0..400u32)
            .map(|i| {
                let mut d = vec![(3, 1.0)];
                for (t, n) in [(0, 2), (1, 6), (2, 30)] {
                    if i < n {
                        d.push((t, 1.0));
                    }
                }
                d.sort_unstable_by_key(|x| x.0);
                d
            })
            .collect();
        let vocab = Vocabulary::build(4, docs.iter().map(|d| d.as_slice()));
        assert!(
            vocab.idf(0) > vocab.idf(1),
            "the raw IDF still tells them apart"
        );
        let v = vocab.vector(&docs[0]);
        let w: Vec<f32> = v.iter().map(|x| x.1).collect();
        assert_eq!(v.iter().map(|x| x.0).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(w[0], w[1], "{v:?}");
        assert!(w[2] < w[1], "{v:?}");
    }

    #[test]
    fn words_are_stemmed_content_words() {
        let w: Vec<String> =
            words("Russia's airstrikes in Syria were coordinated, he said.").collect();
        assert_eq!(w, ["russia", "airstrik", "syria", "coordin"]);
    }

    #[test]
    fn title_words_weigh_more_and_ids_ignore_document_order() {
        let a = article_terms("Syria talks", "talks in Geneva", &[]);
        let talk = a.iter().find(|t| t.0 == "talk").unwrap().1;
        assert_eq!(talk, TITLE_WEIGHT + 1.0);
        let b = article_terms("Geneva", "Syria", &[]);
        let c = article_terms("Budget", "Geneva budget", &[]);
        let interned = |docs: [&Vec<(String, f32)>; 3]| {
            let mut i = Interner::default();
            let ids: Vec<Vec<(u32, f32)>> = docs.iter().map(|d| i.intern(d.to_vec())).collect();
            let new = i.finish();
            let mut ids: Vec<Vec<(u32, f32)>> = ids
                .into_iter()
                .map(|d| d.into_iter().map(|(t, w)| (new[t as usize], w)).collect())
                .collect();
            for d in &mut ids {
                d.sort_unstable_by_key(|x| x.0);
            }
            ids
        };
        let one = interned([&a, &b, &c]);
        let other = interned([&c, &a, &b]);
        assert_eq!(one[0], other[1]);
        let v1 = Vocabulary::build(4, one.iter().map(|d| d.as_slice()));
        // "geneva" is in all three documents but the corpus is tiny, so it is kept; "talk" is
        // in one only and dropped.
        let va = v1.vector(&one[0]);
        assert_eq!(va.len(), 2, "{va:?}");
        assert!(va.iter().all(|(id, _)| v1.df[*id as usize] >= 2));
        let norm: f32 = va.iter().map(|x| x.1 * x.1).sum();
        assert!((norm - 1.0).abs() < 1e-5, "{norm}");
    }

    #[test]
    fn dot_of_sorted_sparse_vectors() {
        assert_eq!(dot(&[(1, 0.5), (3, 0.5)], &[(2, 1.0), (3, 0.4)]), 0.2);
        assert_eq!(dot(&[], &[(1, 1.0)]), 0.0);
    }
}
