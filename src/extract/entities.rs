//! Entities: the people, organisations (armed groups and parties among them) and places an
//! article names, each with every mention's position and the other names it goes by.
//!
//! Recognition is rules over capitalisation and word lists, not a statistical model: runs of
//! capitalised words are read as names, and their kind comes from what they contain (an
//! organisation's head word such as "Ministry" or "Front", a place's such as "Province"), from
//! the gazetteers in `lists/` (places, given names, adjectives of nationality), from a title
//! before a person's name ("Russian President Vladimir Putin") and from the alias table.
//! (A CRF model that ships inside a crate from crates.io was tried: it took about 100 ms per
//! kilobyte and ran names across clauses; see the README.)
//!
//! Aliases are resolved within an article: a surname or a part of a name to the full name
//! given elsewhere ("Peskov" -> "Dmitry Peskov"), titles stripped and kept as roles, spelling
//! and transliteration variants folded alike ("al-Nusra" / "al-Nusrah", "Jabhat al-Nusra" /
//! "Nusra Front"), acronyms to the names whose initials they are, and known alternative names
//! through the [`AliasTable`] that newsfold ships and the user can extend. Entities of
//! different articles that resolve to one name share [`Entity::name`], which is what a story
//! joins them on. This module does not link entities to a knowledge base, and it reads
//! English text only.

use super::names::{is_title, Lexicon, CONNECTORS, NOT_NAMES};
use super::CharOffsets;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Person,
    /// A government body, company, outlet, party or armed group.
    Organization,
    /// A country, region, city or other place.
    Place,
    /// A name whose kind the text does not tell.
    Other,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
            EntityKind::Other => "other",
        }
    }

    fn parse(s: &str) -> Option<EntityKind> {
        Some(match s {
            "person" => EntityKind::Person,
            "organization" | "organisation" => EntityKind::Organization,
            "place" => EntityKind::Place,
            "other" => EntityKind::Other,
            _ => return None,
        })
    }
}

/// Where an entity is named: its words and their character offsets, `start..end`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// One entity of an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// The name it is known by: the alias table's, else the fullest the article gives.
    pub name: String,
    pub kind: EntityKind,
    /// The other names the article calls it by, in order of first use.
    pub aliases: Vec<String>,
    /// What the article says the entity is ("Kremlin spokesman"), in order of first use.
    pub roles: Vec<String>,
    /// Every mention, in text order.
    pub mentions: Vec<Mention>,
}

/// An error in an alias table, with the line it is on.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct AliasTableError {
    pub line: usize,
    pub message: String,
}

/// Known names of entities: each entry a kind, a canonical name and other names. Names match
/// folded ([`fold_word`]); a short name in capitals ("IS", "AP") matches only as written.
#[derive(Debug, Clone, Default)]
pub struct AliasTable {
    entries: Vec<(EntityKind, String, Vec<String>)>,
    /// Folded first word -> phrases starting with it: (folded words, entry, exact surface).
    phrases: HashMap<String, Vec<Phrase>>,
}

/// One name of a table entry: its folded words, the entry's index, and the exact surface a
/// short capitalised name must match.
type Phrase = (Vec<String>, usize, Option<String>);

const SHIPPED_ALIASES: &str = include_str!("lists/aliases.tsv");
const PLACES: &str = include_str!("lists/places.txt");
const GIVEN_NAMES: &str = include_str!("lists/given_names.txt");
const DEMONYMS: &str = include_str!("lists/demonyms.txt");

/// The lines of a word list, without comments and blank lines.
fn list_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn word_set(text: &'static str) -> HashSet<String> {
    list_lines(text).map(str::to_lowercase).collect()
}

fn given_names() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| word_set(GIVEN_NAMES))
}

/// Whether `word` is an adjective of nationality, region, party or faith ("Russian",
/// "Democratic", "Sunni"), or its plural: a modifier, not a name.
pub fn is_demonym(word: &str) -> bool {
    let w = word.to_lowercase();
    demonyms().contains(&w) || w.strip_suffix('s').is_some_and(|w| demonyms().contains(w))
}

fn demonyms() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| word_set(DEMONYMS))
}

impl AliasTable {
    /// The table newsfold ships, with the place gazetteer's names as entries of their own.
    pub fn shipped() -> &'static AliasTable {
        static TABLE: OnceLock<AliasTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            let mut t = AliasTable::parse(SHIPPED_ALIASES).expect("the shipped alias table parses");
            for place in list_lines(PLACES) {
                t.add(EntityKind::Place, place, &[]);
            }
            t
        })
    }

    /// A table read from TSV lines: `kind<TAB>canonical<TAB>alias|alias|...`; `#` opens a
    /// comment line.
    pub fn parse(text: &str) -> Result<AliasTable, AliasTableError> {
        let mut table = AliasTable::default();
        table.extend(text)?;
        Ok(table)
    }

    /// This table with the entries of `text` added; an entry whose canonical name is already
    /// here replaces the old one.
    pub fn with(&self, text: &str) -> Result<AliasTable, AliasTableError> {
        let mut entries = self.entries.clone();
        let added = AliasTable::parse(text)?;
        for (kind, name, aliases) in added.entries {
            entries.retain(|(_, n, _)| !n.eq_ignore_ascii_case(&name));
            entries.push((kind, name, aliases));
        }
        let mut table = AliasTable::default();
        for (kind, name, aliases) in entries {
            table.add(kind, &name, &aliases);
        }
        Ok(table)
    }

    fn extend(&mut self, text: &str) -> Result<(), AliasTableError> {
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let err = |message: String| AliasTableError {
                line: i + 1,
                message,
            };
            let mut cols = line.split('\t');
            let kind = cols.next().unwrap_or_default().trim();
            let kind = EntityKind::parse(kind).ok_or_else(|| {
                err(format!(
                    "kind {kind:?} is not person, organization, place or other"
                ))
            })?;
            let name = cols.next().map(str::trim).unwrap_or_default();
            if name.is_empty() || phrase_words(name).is_empty() {
                return Err(err("no canonical name in the second column".into()));
            }
            let aliases: Vec<String> = cols
                .next()
                .unwrap_or_default()
                .split('|')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(String::from)
                .collect();
            if cols.next().is_some() {
                return Err(err("more than three tab-separated columns".into()));
            }
            self.add(kind, name, &aliases);
        }
        Ok(())
    }

    fn add(&mut self, kind: EntityKind, name: &str, aliases: &[String]) {
        let entry = self.entries.len();
        self.entries
            .push((kind, name.to_string(), aliases.to_vec()));
        for surface in std::iter::once(name).chain(aliases.iter().map(String::as_str)) {
            let words = phrase_words(surface);
            let Some(first) = words.first().cloned() else {
                continue;
            };
            let exact = (surface.len() <= 4
                && surface.chars().all(|c| c.is_uppercase() || c == '.'))
            .then(|| surface.to_string());
            let list = self.phrases.entry(first).or_default();
            if !list
                .iter()
                .any(|(w, e, x)| *w == words && *e == entry && *x == exact)
            {
                list.push((words, entry, exact));
            }
        }
        // Longest phrases first, so that the longest match wins.
        for list in self.phrases.values_mut() {
            list.sort_by_key(|(w, e, _)| (std::cmp::Reverse(w.len()), *e));
        }
    }

    /// The entries, as the TSV this table reads (the place gazetteer's names included).
    pub fn to_tsv(&self) -> String {
        let mut out = String::new();
        for (kind, name, aliases) in &self.entries {
            out.push_str(&format!(
                "{}\t{name}\t{}\n",
                kind.as_str(),
                aliases.join("|")
            ));
        }
        out
    }

    /// The entry whose name is matched by the tokens at `i`: (entry, tokens matched).
    fn match_at(&self, toks: &[Tok], text: &str, i: usize) -> Option<(usize, usize)> {
        // Names are written with capitals: "ill" is not Illinois, nor "mass" Massachusetts.
        if !toks[i].cap {
            return None;
        }
        let list = self.phrases.get(&toks[i].key)?;
        list.iter().find_map(|(words, entry, exact)| {
            let n = words.len();
            let fits = i + n <= toks.len()
                && (1..n).all(|k| toks[i + k].joined && !toks[i + k - 1].ends_clause)
                && words.iter().zip(&toks[i..i + n]).all(|(w, t)| *w == t.key)
                && exact
                    .as_ref()
                    .is_none_or(|x| n == 1 && &text[toks[i].start..toks[i].end] == x);
            fits.then_some((*entry, n))
        })
    }
}

/// A word folded for matching: lower case, accents, hyphens and apostrophes gone, the
/// Arabic article dropped ("al-Nusrah" -> "nusra"), doubled letters single, a final "h" after
/// a vowel dropped, British spellings and the Arabic words for "front", "army", "movement",
/// "party" and "brigade" made English, so that spelling variants of one name fold alike.
pub fn fold_word(word: &str) -> String {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    let w = w
        .strip_suffix("’s")
        .or_else(|| w.strip_suffix("'s"))
        .unwrap_or(w);
    let lower = w.to_lowercase();
    let lower = ["al-", "el-", "al ", "el "]
        .iter()
        .find_map(|p| lower.strip_prefix(p))
        .unwrap_or(&lower);
    let mut out = String::with_capacity(lower.len());
    let mut push = |c: char| {
        if c.is_alphanumeric() && !out.ends_with(c) {
            out.push(c);
        }
    };
    for c in lower.chars() {
        if c.is_ascii() {
            push(c);
        } else {
            use unicode_normalization::UnicodeNormalization;
            for d in std::iter::once(c).nfkd() {
                if !unicode_normalization::char::is_combining_mark(d) {
                    push(d);
                }
            }
        }
    }
    if out.len() > 3 && out.ends_with('h') {
        let before = out.as_bytes()[out.len() - 2];
        if b"aeiou".contains(&before) {
            out.pop();
        }
    }
    match out.as_str() {
        "jabhat" | "jabha" => "front".into(),
        "jaish" | "jaysh" => "army".into(),
        "harakat" | "haraka" => "movement".into(),
        "hizb" => "party".into(),
        "liwa" => "brigade".into(),
        "defence" => "defense".into(),
        "organisation" => "organization".into(),
        "centre" => "center".into(),
        _ => out,
    }
}

/// The folded words of a name, without the words that only join ("al", "the").
fn phrase_words(name: &str) -> Vec<String> {
    scan(name)
        .iter()
        .map(|t| t.key.clone())
        .filter(|k| !k.is_empty() && !matches!(k.as_str(), "al" | "el" | "the"))
        .collect()
}

/// A word of the text with what the tokenizer saw around it.
#[derive(Debug, Clone)]
struct Tok {
    /// Byte offsets of the word, a possessive "'s" not included.
    start: usize,
    end: usize,
    /// Folded, for matching ([`fold_word`]).
    key: String,
    /// Lower case, without a possessive: what the word lists are looked up by.
    lower: String,
    /// Opens with a capital letter, or is a connector joined to one ("al-Nusra").
    cap: bool,
    /// Starts a sentence, a paragraph or a quotation: its capital says nothing.
    sentence_start: bool,
    /// Only spaces and at most one line break stand between it and the word before.
    joined: bool,
    /// Punctuation follows it, or a possessive: no name runs on past it.
    ends_clause: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The words of `text`, with their offsets and surroundings.
fn scan(text: &str) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut gap_start = 0;
    while let Some(&(start, c)) = chars.peek() {
        if !is_word_char(c) {
            chars.next();
            continue;
        }
        // A word: letters and digits, with inner hyphens, apostrophes, dots and ampersands.
        let mut end = start;
        while let Some(&(i, c)) = chars.peek() {
            if is_word_char(c) {
                end = i + c.len_utf8();
                chars.next();
            } else if matches!(c, '-' | '\'' | '’' | '.' | '&')
                && text[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(is_word_char)
            {
                chars.next();
            } else {
                break;
            }
        }
        let mut word = &text[start..end];
        // Initials keep their final dot ("U.S.").
        if text[end..].starts_with('.') && word.contains('.') && word.len() <= 6 {
            end += 1;
            chars.next();
            word = &text[start..end];
        }
        let mut word_end = end;
        let mut possessive = false;
        for suffix in ["'s", "’s"] {
            if word.len() > suffix.len() + 1 && word.ends_with(suffix) {
                word_end = end - suffix.len();
                possessive = true;
            }
        }
        let gap = &text[gap_start..start];
        let prev_word = toks.last().map(|t| &text[t.start..t.end]);
        let full_stop = gap.contains(['!', '?', ':', ';'])
            || (gap.contains('.')
                && !prev_word.is_some_and(|w| super::is_abbreviation(w.trim_end_matches('.'))));
        let sentence_start = toks.is_empty()
            || full_stop
            || gap.contains("\n\n")
            || gap.contains(['“', '"', '«', '„', '(', '[', '‘'])
            || gap.trim_start().starts_with('\'');
        // "Mr. Trump", "George W. Bush": the full stop of a title or an initial joins.
        let initial = prev_word.is_some_and(|w| {
            TITLE_ABBREVIATIONS.has(&w.to_lowercase())
                || (w.len() == 1 && w.chars().all(|c| c.is_ascii_uppercase()))
        }) && gap.starts_with(". ");
        let gap = if initial { &gap[1..] } else { gap };
        let joined = !toks.is_empty()
            && gap
                .chars()
                .all(|c| c == ' ' || c == '\t' || c == '\n' || c == '\u{a0}')
            && gap.matches('\n').count() <= 1;
        if let Some(prev) = toks.last_mut() {
            if !joined && gap.chars().any(|c| !c.is_whitespace()) {
                prev.ends_clause = true;
            }
        }
        let surface = &text[start..word_end];
        let first = surface.chars().next().unwrap_or(' ');
        let cap = first.is_uppercase()
            || surface.split_once('-').is_some_and(|(head, tail)| {
                CONNECTORS.has(&head.to_lowercase())
                    && tail.chars().next().is_some_and(char::is_uppercase)
            });
        toks.push(Tok {
            start,
            end: word_end,
            key: fold_word(surface),
            lower: surface.to_lowercase().replace('’', "'"),
            cap,
            sentence_start,
            joined,
            ends_clause: possessive,
        });
        gap_start = end;
    }
    toks
}

/// Verbs of saying: a lone capitalised word before one is a speaker's name.
static SPEECH: Lexicon = Lexicon::new(&[
    "said",
    "says",
    "told",
    "added",
    "argued",
    "asked",
    "noted",
    "wrote",
    "tweeted",
    "insisted",
    "claimed",
    "stated",
    "warned",
    "explained",
    "replied",
    "responded",
    "countered",
    "recalled",
    "acknowledged",
    "suggested",
    "predicted",
    "conceded",
    "announced",
    "declared",
    "urged",
]);

/// Titles written short before a name, whose full stop does not end the name's run.
static TITLE_ABBREVIATIONS: Lexicon = Lexicon::new(&[
    "mr", "mrs", "ms", "dr", "sen", "sens", "rep", "reps", "gov", "gen", "lt", "col", "capt",
    "sgt", "adm", "maj", "prof", "rev", "pres", "st", "cmdr", "cpl", "supt", "insp",
]);

/// Titles that do not make the name after them a person's on their own ("Foreign Policy",
/// "First Amendment", "Press TV").
static WEAK_TITLES: Lexicon = Lexicon::new(&[
    "foreign",
    "first",
    "press",
    "chief",
    "general",
    "former",
    "late",
    "then",
    "acting",
    "interim",
    "vice",
    "deputy",
    "assistant",
    "prime",
    "lady",
    "candidate",
    "nominee",
    "special",
    "senior",
    "top",
    "head",
    "chair",
    "speaker",
    "leader",
    "director",
    "justice",
    "attorney",
    "official",
    "officials",
    "king",
    "queen",
    "prince",
    "princess",
    "lord",
    "dame",
    "sir",
]);

/// Head words of names that are neither people, organisations nor places: laws, wars,
/// events and prizes ("Affordable Care Act", "World War II").
static OTHER_HEADS: Lexicon = Lexicon::new(&[
    "act",
    "law",
    "bill",
    "war",
    "treaty",
    "accord",
    "accords",
    "agreement",
    "doctrine",
    "amendment",
    "initiative",
    "program",
    "programme",
    "plan",
    "award",
    "awards",
    "prize",
    "games",
    "cup",
    "day",
    "festival",
    "olympics",
    "convention",
    "protocol",
    "deal",
    "reform",
    "crisis",
    "revolution",
    "spring",
    "summit",
    "ii",
    "iii",
    "iv",
]);

/// Outlet head words, which alone name no one ("TV", "News").
static OUTLET_WORDS: Lexicon = Lexicon::new(&[
    "tv",
    "news",
    "media",
    "post",
    "times",
    "daily",
    "press",
    "radio",
    "television",
    "journal",
    "mail",
    "express",
    "today",
    "review",
    "standard",
    "monitor",
    "channel",
    "magazine",
]);

/// Head words that make a name an organisation's ("Foreign Ministry", "Al-Nusra Front").
static ORG_HEADS: Lexicon = Lexicon::new(&[
    "ministry",
    "department",
    "agency",
    "front",
    "army",
    "party",
    "council",
    "committee",
    "commission",
    "union",
    "organization",
    "organisation",
    "forces",
    "force",
    "group",
    "brigade",
    "brigades",
    "battalion",
    "regiment",
    "division",
    "corps",
    "militia",
    "corporation",
    "company",
    "inc",
    "ltd",
    "llc",
    "university",
    "institute",
    "center",
    "centre",
    "foundation",
    "times",
    "post",
    "news",
    "tv",
    "television",
    "radio",
    "journal",
    "herald",
    "tribune",
    "gazette",
    "court",
    "bank",
    "office",
    "congress",
    "senate",
    "parliament",
    "assembly",
    "coalition",
    "alliance",
    "movement",
    "network",
    "association",
    "federation",
    "service",
    "services",
    "administration",
    "authority",
    "police",
    "navy",
    "guard",
    "guards",
    "command",
    "board",
    "bureau",
    "club",
    "church",
    "school",
    "college",
    "hospital",
    "airlines",
    "fund",
    "reserve",
    "kremlin",
    "pentagon",
    "duma",
    "cabinet",
    "government",
    "daily",
    "magazine",
    "review",
    "channel",
    "media",
    "watch",
    "international",
    "observatory",
    "nations",
    "league",
    "society",
    "trust",
    "holdings",
    "partners",
    "systems",
    "technologies",
    "mission",
    "delegation",
    "secretariat",
    "directorate",
    "press",
    "express",
    "today",
    "monitor",
    "telegraph",
    "mail",
    "guardian",
    "standard",
    "chronicle",
    "insider",
    "caucus",
    "taliban",
    "hezbollah",
    "foundation",
    "institution",
    "lab",
    "labs",
    "group",
    "legion",
    "rebels",
    "opposition",
    "commonwealth",
    "conference",
    "order",
    "academy",
    "ministries",
    "team",
    "unit",
    "images",
    "motors",
    "policy",
    "airways",
    "pictures",
    "studios",
    "records",
]);

/// Words that open an organisation's name ("Ministry of Defence", "Jabhat al-Nusra").
static ORG_OPENERS: Lexicon = Lexicon::new(&[
    "ministry",
    "department",
    "university",
    "bank",
    "council",
    "committee",
    "office",
    "jabhat",
    "jaish",
    "harakat",
    "hizb",
    "liwa",
    "ahrar",
    "hayat",
    "hay'at",
    "house",
    "court",
    "board",
    "institute",
    "league",
    "church",
    "museum",
    "organization",
    "organisation",
    "union",
]);

/// Head words that make a name a place's ("Idlib Province", "Red Sea").
static PLACE_HEADS: Lexicon = Lexicon::new(&[
    "province",
    "city",
    "county",
    "valley",
    "sea",
    "river",
    "mountains",
    "mountain",
    "island",
    "islands",
    "street",
    "square",
    "region",
    "strait",
    "gulf",
    "bay",
    "desert",
    "peninsula",
    "district",
    "governorate",
    "oblast",
    "lake",
    "ocean",
    "coast",
    "heights",
    "plain",
    "plains",
    "border",
    "crossing",
    "park",
    "avenue",
    "road",
    "highway",
    "bridge",
    "base",
    "port",
    "airport",
    "state",
    "village",
    "town",
    "capital",
    "neighborhood",
    "neighbourhood",
    "territory",
    "territories",
    "republic",
    "kingdom",
    "emirate",
    "canal",
    "hills",
    "camp",
    "hill",
    "hall",
]);

/// Words that open a place's name ("Lake Chad", "Mount Sinjar").
static PLACE_OPENERS: Lexicon = Lexicon::new(&[
    "lake", "mount", "camp", "port", "gulf", "sea", "strait", "bay", "fort", "cape", "isle",
    "kingdom", "republic",
]);

/// Words that open a sentence with a capital and are not names.
static OPENERS: Lexicon = Lexicon::new(&[
    "however",
    "meanwhile",
    "although",
    "though",
    "despite",
    "during",
    "earlier",
    "later",
    "last",
    "next",
    "since",
    "until",
    "instead",
    "yet",
    "thus",
    "therefore",
    "moreover",
    "furthermore",
    "indeed",
    "overall",
    "finally",
    "first",
    "second",
    "third",
    "today",
    "yesterday",
    "tomorrow",
    "tonight",
    "speaking",
    "under",
    "over",
    "among",
    "against",
    "without",
    "within",
    "unlike",
    "like",
    "both",
    "each",
    "every",
    "all",
    "any",
    "such",
    "other",
    "another",
    "more",
    "less",
    "few",
    "several",
    "much",
    "only",
    "even",
    "just",
    "perhaps",
    "maybe",
    "please",
    "let",
    "you",
    "your",
    "our",
    "their",
    "these",
    "those",
    "because",
    "where",
    "whether",
    "unless",
    "once",
    "about",
    "above",
    "below",
    "between",
    "through",
    "throughout",
    "toward",
    "towards",
    "upon",
    "via",
    "per",
    "regardless",
    "given",
    "including",
    "following",
    "amid",
    "amidst",
    "as",
    "at",
    "by",
    "from",
    "into",
    "onto",
    "off",
    "out",
    "up",
    "down",
    "well",
    "oh",
    "ok",
    "okay",
    "thank",
    "thanks",
    "sir",
    "dear",
    "hello",
    "many",
    "most",
    "some",
    "no",
    "not",
    "nor",
    "neither",
    "either",
    "again",
    "already",
    "always",
    "never",
    "often",
    "sometimes",
    "usually",
    "soon",
    "recently",
    "currently",
    "now",
    "here",
    "there",
    "then",
    "what",
    "which",
    "who",
    "whom",
    "whose",
    "why",
    "how",
    "when",
    "while",
    "if",
    "so",
    "do",
    "does",
    "did",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "must",
    "shall",
    "it's",
    "i'm",
    "that's",
    "there's",
    "we're",
    "they're",
    "read",
    "watch",
    "see",
    "click",
    "sign",
    "subscribe",
    "share",
    "follow",
    "photo",
    "video",
    "image",
    "update",
    "editor's",
    "note",
    "related",
    "more",
    "advertisement",
    "breaking",
    "exclusive",
    "opinion",
    "analysis",
    "report",
    "reports",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "sept",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
]);

/// Words of a role that the quote reader's titles do not hold ("Special Envoy").
static MORE_TITLES: Lexicon = Lexicon::new(&[
    "special",
    "senior",
    "top",
    "envoy",
    "spokesperson",
    "official",
    "officials",
    "adviser",
    "advisor",
    "aide",
    "analyst",
    "expert",
    "professor",
    "researcher",
    "correspondent",
    "reporter",
    "editor",
    "columnist",
    "founder",
    "head",
    "commander",
    "emir",
    "cleric",
    "imam",
    "lawmaker",
    "legislator",
    "diplomat",
    "negotiator",
    "mp",
    "sheikh",
]);

fn title_word(w: &str) -> bool {
    is_title(w) || MORE_TITLES.has(&w.to_lowercase())
}

/// Words too general to tell one entity from another when they stand alone.
fn generic(key: &str) -> bool {
    ORG_HEADS.has(key)
        || PLACE_HEADS.has(key)
        || matches!(
            key,
            "the" | "of" | "and" | "for" | "al" | "el" | "on" | "in"
        )
        || TITLE_KEYS.has(key)
}

static TITLE_KEYS: Lexicon = Lexicon::new(&[
    "president",
    "minister",
    "secretary",
    "spokesman",
    "spokeswoman",
    "chairman",
    "director",
    "general",
    "foreign",
    "national",
    "federal",
    "united",
    "state",
    "states",
    "supreme",
    "prime",
    "deputy",
    "chief",
    "royal",
    "democratic",
    "republican",
    "islamic",
    "arab",
    "free",
    "people",
    "peoples",
    "popular",
    "revolutionary",
    "human",
    "rights",
    "security",
    "defense",
    "interior",
    "justice",
    "public",
    "central",
    "new",
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
]);

/// One reading of a run of words as a name, before the article's names are resolved.
#[derive(Debug, Clone)]
struct Candidate {
    /// Tokens `from..to` that are the name.
    from: usize,
    to: usize,
    /// Alias-table entry that matched, if any.
    entry: Option<usize>,
    /// Evidence for each kind: (kind, strength).
    hints: Vec<(EntityKind, u8)>,
    role: Option<String>,
    /// A single capitalised word at a sentence's start: kept only when it resolves to an
    /// entity named elsewhere.
    weak: bool,
}

/// Strengths of the evidence for a kind.
const FROM_TABLE: u8 = 5;
const FROM_HEAD: u8 = 4;
const FROM_TITLE: u8 = 3;
const FROM_SHAPE: u8 = 1;

/// Every entity `text` names, in order of first mention, read with `table`.
pub fn find_entities(text: &str, table: &AliasTable) -> Vec<Entity> {
    let toks = scan(text);
    // Words seen in lower case, and capitalised words seen inside sentences: what tells a
    // name at a sentence's start from an ordinary word.
    let mut lower_seen: HashSet<&str> = HashSet::new();
    let mut mid_caps: HashSet<&str> = HashSet::new();
    for t in &toks {
        if !t.cap {
            lower_seen.insert(t.lower.as_str());
        } else if !t.sentence_start {
            mid_caps.insert(t.lower.as_str());
        }
    }
    let headline = title_case_lines(text, &toks);
    let mut candidates = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let matched = table.match_at(&toks, text, i).filter(|&(entry, n)| {
            // A place's name that opens a longer name is read with it ("Idlib Province",
            // "The Moscow Times").
            let next = toks.get(i + n);
            table.entries[entry].0 != EntityKind::Place
                || !next.is_some_and(|t| t.cap && t.joined && !toks[i + n - 1].ends_clause)
        });
        if let Some((entry, n)) = matched {
            let kind = table.entries[entry].0;
            let role = if kind == EntityKind::Person {
                role_before(text, &toks, i)
            } else {
                None
            };
            candidates.push(Candidate {
                from: i,
                to: i + n,
                entry: Some(entry),
                hints: vec![(kind, FROM_TABLE)],
                role,
                weak: false,
            });
            i += n;
            continue;
        }
        if !toks[i].cap {
            i += 1;
            continue;
        }
        // A run of capitalised words; "of", "for" and name connectors may join two of them.
        let mut j = i + 1;
        while j < toks.len() && !toks[j - 1].ends_clause && toks[j].joined {
            if table.match_at(&toks, text, j).is_some() {
                break;
            }
            let joiner = !toks[j].cap
                && (CONNECTORS.has(&toks[j].lower)
                    || matches!(toks[j].lower.as_str(), "of" | "for"))
                && toks.get(j + 1).is_some_and(|n| n.cap && n.joined)
                && !toks[j].ends_clause;
            // In a headline written in title case, a word the article writes in lower
            // case elsewhere ends the name ("Ted Cruz Refuses").
            let common = headline[j] && lower_seen.contains(toks[j].lower.as_str());
            if toks[j].cap && !common {
                j += 1;
            } else if joiner {
                j += 2;
            } else {
                break;
            }
        }
        let j = j.min(toks.len());
        if let Some(c) = read_run(text, &toks, i, j, &lower_seen, &mid_caps) {
            candidates.push(c);
        }
        i = j;
    }
    resolve(text, &toks, table, candidates)
}

/// For each token, whether its line is written in title case: four words or more, nearly
/// all capitalised (a headline).
fn title_case_lines(text: &str, toks: &[Tok]) -> Vec<bool> {
    let mut out = vec![false; toks.len()];
    let mut first = 0;
    while first < toks.len() {
        let line_end = text[toks[first].start..]
            .find('\n')
            .map_or(text.len(), |n| toks[first].start + n);
        let last = first + toks[first..].partition_point(|t| t.start < line_end);
        let line = &toks[first..last];
        let letters: Vec<&Tok> = line
            .iter()
            .filter(|t| text[t.start..].starts_with(char::is_alphabetic))
            .collect();
        let caps = letters.iter().filter(|t| t.cap).count();
        if letters.len() >= 4 && caps * 10 >= letters.len() * 8 {
            out[first..last].iter_mut().for_each(|h| *h = true);
        }
        first = last.max(first + 1);
    }
    out
}

/// The words before a person's name, within its clause, that say what the person is:
/// titles, adjectives of nationality and the names they go with ("Kremlin spokesman",
/// "Russian President", "Secretary of State"); `None` when there are no titles among them.
fn role_before(text: &str, toks: &[Tok], name: usize) -> Option<String> {
    let word = |k: usize| &text[toks[k].start..toks[k].end];
    let mut k = name;
    let mut titled = false;
    while k > 0 && name - k < 5 && toks[k].joined && !toks[k - 1].ends_clause {
        let w = word(k - 1);
        let title = title_word(w) || demonyms().contains(toks[k - 1].lower.as_str());
        let of = toks[k - 1].lower == "of" && k >= 2 && title_word(word(k - 2));
        if !(title || of || (toks[k - 1].cap && !NOT_NAMES.has(&toks[k - 1].lower))) {
            break;
        }
        titled |= title;
        k -= 1;
    }
    (titled && k < name).then(|| text[toks[k].start..toks[name - 1].end].to_string())
}

/// A run of capitalised words `i..j` read as a name, or `None` when it is no name.
fn read_run(
    text: &str,
    toks: &[Tok],
    mut i: usize,
    j: usize,
    lower_seen: &HashSet<&str>,
    mid_caps: &HashSet<&str>,
) -> Option<Candidate> {
    let word = |k: usize| &text[toks[k].start..toks[k].end];
    // Words that open a sentence or join a clause, not the name.
    while i < j {
        let key = toks[i].lower.as_str();
        let stop = NOT_NAMES.has(key) && !is_title(word(i))
            || OPENERS.has(key)
            || (toks[i].sentence_start && j - i > 1 && lower_seen.contains(key))
            || !toks[i].cap;
        if !stop {
            break;
        }
        i += 1;
    }
    if i >= j {
        return None;
    }
    let keys: Vec<&str> = toks[i..j].iter().map(|t| t.lower.as_str()).collect();
    let last = *keys.last()?;
    let mut hints = Vec::new();
    let demonym = |k: &str| {
        demonyms().contains(k) || k.strip_suffix('s').is_some_and(|k| demonyms().contains(k))
    };
    let only_demonym = keys.len() == 1 && (demonym(last) || last.starts_with("i'"));
    if only_demonym {
        return None;
    }
    // "the Times", "the Post": an outlet named short.
    let outlet_short = keys.len() == 1
        && OUTLET_WORDS.has(last)
        && i > 0
        && toks[i - 1].lower == "the"
        && toks[i].joined;
    if keys.len() == 1 && (title_word(word(i)) || OUTLET_WORDS.has(last)) && !outlet_short {
        return None;
    }
    if outlet_short {
        hints.push((EntityKind::Organization, FROM_HEAD));
    }
    let headed = |ks: &[&str]| {
        ks.iter()
            .any(|k| ORG_HEADS.has(k) || PLACE_HEADS.has(k) || OTHER_HEADS.has(k))
    };
    // A person's name after the titles in the run ("Senate Majority Leader Mitch McConnell",
    // "Sen. Ted Cruz"): the last title whose words after it hold no head word.
    let titled = (i..j.saturating_sub(1)).rev().find_map(|t| {
        if !title_word(word(t)) {
            return None;
        }
        let from = if keys[t + 1 - i] == "of" {
            t + 3
        } else {
            t + 1
        };
        let tail = keys.get(from.checked_sub(i)?..)?;
        let strong = !WEAK_TITLES.has(keys[t - i]) || given_names().contains(*tail.first()?);
        (!tail.is_empty() && tail.len() <= 4 && !headed(tail) && strong).then_some(from)
    });
    if titled.is_none() {
        if keys[1..].iter().any(|k| ORG_HEADS.has(k))
            || ORG_OPENERS.has(keys[0]) && keys.len() > 1
            || (keys.len() == 1 && ORG_HEADS.has(last) && mid_caps.contains(last))
        {
            hints.push((EntityKind::Organization, FROM_HEAD));
        } else if keys.len() > 1 && (PLACE_HEADS.has(last) || PLACE_OPENERS.has(keys[0])) {
            hints.push((EntityKind::Place, FROM_HEAD));
        } else if keys.len() > 1 && OTHER_HEADS.has(last) {
            hints.push((EntityKind::Other, FROM_HEAD));
        }
    }
    let mut from = i;
    let mut role = None;
    if hints.is_empty() {
        // Adjectives of nationality, titles and the places they go with ("U.S. Secretary
        // of State") that open the run are a role.
        while let Some(t) = titled.filter(|&t| from < t) {
            from = t;
        }
        while from + 1 < j {
            let w = word(from);
            let place_before_title = AliasTable::shipped()
                .phrases
                .get(&toks[from].key)
                .is_some_and(|l| l.iter().any(|(words, _, _)| words.len() == 1))
                && title_word(word(from + 1));
            if !(demonyms().contains(toks[from].lower.as_str())
                || title_word(w)
                || place_before_title)
            {
                break;
            }
            from += 1;
            if matches!(toks[from].lower.as_str(), "of" | "for") && from + 2 < j {
                from += 2;
            }
        }
        role = role_before(text, toks, from);
        if from > i
            && toks[i..from]
                .iter()
                .any(|t| title_word(&text[t.start..t.end]))
        {
            hints.push((EntityKind::Person, FROM_TITLE));
        }
        if from >= j {
            return None;
        }
    }
    let name_keys: Vec<&str> = toks[from..j].iter().map(|t| t.lower.as_str()).collect();
    let surface = &text[toks[from].start..toks[j - 1].end];
    let acronym = name_keys.len() == 1
        && surface.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && surface
            .chars()
            .all(|c| c.is_uppercase() || c == '.' || c == '-');
    if hints.is_empty() {
        if acronym {
            hints.push((EntityKind::Organization, FROM_SHAPE));
        } else if given_names().contains(name_keys[0]) && name_keys.len() > 1 {
            hints.push((EntityKind::Person, FROM_TITLE));
        } else if name_keys.len() > 1
            && name_keys.len() <= 4
            && !name_keys.iter().any(|k| generic(k))
        {
            hints.push((EntityKind::Person, FROM_SHAPE));
        }
    }
    let single = j - from == 1;
    if single && compound_modifier(surface) {
        return None;
    }
    // "Rubio said": a speech verb after a lone word makes it a speaker, most often a person.
    let speaks = single
        && toks
            .get(j)
            .is_some_and(|n| n.joined && !toks[j - 1].ends_clause && SPEECH.has(&n.lower));
    if speaks && hints.is_empty() {
        hints.push((EntityKind::Person, FROM_SHAPE));
    }
    let weak = single
        && toks[from].sentence_start
        && !mid_caps.contains(toks[from].lower.as_str())
        && !acronym
        && !speaks;
    if single && generic(&toks[from].lower) && hints.is_empty() {
        return None;
    }
    if single && lower_seen.contains(toks[from].lower.as_str()) && !acronym {
        // A capitalised common word ("Thank", a headline's "Deal").
        return None;
    }
    Some(Candidate {
        from,
        to: j,
        entry: None,
        hints,
        role,
        weak,
    })
}

/// A hyphenated modifier, not a name: "UN-mediated", "al-Qaeda-affiliated", "Russian-U.S".
fn compound_modifier(word: &str) -> bool {
    let parts: Vec<&str> = word.split('-').collect();
    if parts.len() < 2 {
        return false;
    }
    let lower = |p: &str| p.chars().next().is_some_and(char::is_lowercase);
    let last = parts[parts.len() - 1];
    let place = |p: &str| {
        let p = p.trim_end_matches('.').to_lowercase();
        demonyms().contains(&p) || AliasTable::shipped().phrases.contains_key(&fold_word(&p))
    };
    // "R-Texas", "D-Calif.": a party and a state.
    let party = matches!(parts[0], "R" | "D" | "I");
    party
        || (lower(last) && !CONNECTORS.has(&parts[parts.len() - 2].to_lowercase()))
        || parts.iter().all(|p| place(p))
}

/// An entity being gathered: its candidates' indices and what identifies it.
struct Cluster {
    members: Vec<usize>,
    entry: Option<usize>,
    /// Folded words of its fullest name.
    words: Vec<String>,
    first: usize,
}

/// Whether a folded word is too general to tell entities apart ([`generic`], folded).
fn generic_key(key: &str) -> bool {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        [&ORG_HEADS, &PLACE_HEADS, &TITLE_KEYS]
            .iter()
            .flat_map(|l| l.words())
            .chain(["the", "of", "and", "for", "al", "el", "on", "in"].iter())
            .map(|w| fold_word(w))
            .collect()
    })
    .contains(key)
}

fn distinctive(words: &[String]) -> Vec<&str> {
    words
        .iter()
        .map(String::as_str)
        .filter(|w| !generic_key(w))
        .collect()
}

/// Initials of a name's words, less the words that only join.
fn initials(words: &[String]) -> String {
    words
        .iter()
        .filter(|w| {
            !matches!(
                w.as_str(),
                "of" | "and" | "the" | "for" | "al" | "el" | "on"
            )
        })
        .filter_map(|w| w.chars().next())
        .collect()
}

fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

/// Candidate `ci` into the cluster of its name's key, started with its words if there is none.
fn join_by_name(
    clusters: &mut Vec<Cluster>,
    by_key: &mut HashMap<String, usize>,
    key: String,
    words: Vec<String>,
    ci: usize,
) {
    let k = *by_key.entry(key).or_insert_with(|| {
        clusters.push(Cluster {
            members: Vec::new(),
            entry: None,
            words,
            first: ci,
        });
        clusters.len() - 1
    });
    clusters[k].members.push(ci);
}

/// Gather the candidates into entities: alias-table entries and equal names first, then
/// the shorter names to the fuller ones they are part of, acronyms to the names they
/// abbreviate and near spellings to each other.
fn resolve(text: &str, toks: &[Tok], table: &AliasTable, cands: Vec<Candidate>) -> Vec<Entity> {
    // The folded words of a candidate, hyphenated words taken apart ("Jaish-al-Islam").
    let words_of = |c: &Candidate| -> Vec<String> {
        toks[c.from..c.to]
            .iter()
            .flat_map(|t| text[t.start..t.end].split('-').map(fold_word))
            .filter(|k| !matches!(k.as_str(), "al" | "el" | "the" | ""))
            .collect()
    };
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut by_entry: HashMap<usize, usize> = HashMap::new();
    let mut pending = Vec::new();
    let key_of = |words: &[String]| {
        let mut w: Vec<&str> = words.iter().map(String::as_str).collect();
        w.sort_unstable();
        w.join(" ")
    };
    // Pass 1: table entries and names of two or more words.
    for (ci, c) in cands.iter().enumerate() {
        let words = words_of(c);
        if let Some(entry) = c.entry {
            let k = *by_entry.entry(entry).or_insert_with(|| {
                clusters.push(Cluster {
                    members: Vec::new(),
                    entry: Some(entry),
                    words: phrase_words(&table.entries[entry].1),
                    first: ci,
                });
                clusters.len() - 1
            });
            clusters[k].members.push(ci);
            // The same words written otherwise ("Jaish-al-Islam") join it too.
            by_key.entry(key_of(&words)).or_insert(k);
            by_key.entry(key_of(&clusters[k].words)).or_insert(k);
        } else if c.to - c.from >= 2 {
            join_by_name(&mut clusters, &mut by_key, key_of(&words), words, ci);
        } else {
            pending.push(ci);
        }
    }
    // Pass 2: single words to the entity they are part of, an acronym of, or near to.
    for ci in pending {
        let c = &cands[ci];
        let words = words_of(c);
        let Some(w) = words.first() else { continue };
        let surface = &text[toks[c.from].start..toks[c.to - 1].end];
        let acronym = surface.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && surface.chars().all(|c| c.is_uppercase() || c == '.');
        let candidates_for = |k: &Cluster| -> u8 {
            let d = distinctive(&k.words);
            let full = &k.words;
            // "Trump" is not "Trump University": a name with a head word takes a lone word
            // only as that head ("Times" for "New York Times") or through the alias table.
            let headed = full.last().is_some_and(|l| generic_key(l)) && k.entry.is_none();
            if full.len() > words.len() && full.ends_with(&words) {
                3
            } else if full.len() >= 2
                && ((!headed && words.iter().all(|w| d.contains(&w.as_str())))
                    || (acronym && initials(full) == *w))
            {
                2
            } else if !headed
                && w.chars().count() >= 5
                && d.len() == 1
                && d[0].chars().count() >= 5
                && d[0].chars().next() == w.chars().next()
                && within_one_edit(d[0], w)
            {
                1
            } else {
                0
            }
        };
        // The best match: the strongest, then the latest introduced before it, then the
        // first after.
        let best = clusters
            .iter()
            .enumerate()
            .map(|(k, cl)| (k, candidates_for(cl), cl.first))
            .filter(|(_, s, _)| *s > 0)
            .max_by_key(|(_, s, first)| {
                (
                    *s,
                    *first < ci,
                    if *first < ci {
                        *first
                    } else {
                        usize::MAX - *first
                    },
                )
            });
        match best {
            Some((k, _, _)) => clusters[k].members.push(ci),
            None if !c.weak => {
                join_by_name(&mut clusters, &mut by_key, key_of(&words), words, ci);
            }
            None => {}
        }
    }
    let offsets = CharOffsets::new(text);
    let mut entities: Vec<(usize, Entity)> = clusters
        .into_iter()
        .filter(|cl| !cl.members.is_empty())
        .map(|mut cl| {
            cl.members.sort_unstable();
            let mut score: HashMap<EntityKind, u32> = HashMap::new();
            let mut best: HashMap<EntityKind, u8> = HashMap::new();
            for &m in &cl.members {
                for &(kind, s) in &cands[m].hints {
                    *score.entry(kind).or_default() += u32::from(s);
                    let b = best.entry(kind).or_default();
                    *b = (*b).max(s);
                }
            }
            let kind = best
                .iter()
                .max_by_key(|(k, s)| (**s, score[*k], std::cmp::Reverse(**k)))
                .map_or(EntityKind::Other, |(k, _)| *k);
            let mentions: Vec<Mention> = cl
                .members
                .iter()
                .map(|&m| {
                    let (s, e) = (toks[cands[m].from].start, toks[cands[m].to - 1].end);
                    Mention {
                        text: text[s..e].to_string(),
                        start: offsets.at(s),
                        end: offsets.at(e),
                    }
                })
                .collect();
            let name = match cl.entry {
                Some(e) => table.entries[e].1.clone(),
                None => mentions
                    .iter()
                    .max_by_key(|m| {
                        (
                            m.text.split_whitespace().count(),
                            std::cmp::Reverse(m.start),
                        )
                    })
                    .map(|m| m.text.clone())
                    .unwrap_or_default(),
            };
            let mut aliases: Vec<String> = Vec::new();
            for m in &mentions {
                if m.text != name && !aliases.contains(&m.text) {
                    aliases.push(m.text.clone());
                }
            }
            let mut roles: Vec<String> = Vec::new();
            for &m in &cl.members {
                if let Some(r) = &cands[m].role {
                    if !roles.contains(r) {
                        roles.push(r.clone());
                    }
                }
            }
            (
                cl.members[0],
                Entity {
                    name,
                    kind,
                    aliases,
                    roles,
                    mentions,
                },
            )
        })
        .collect();
    entities.sort_by_key(|(first, _)| *first);
    entities.into_iter().map(|(_, e)| e).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entities(text: &str) -> Vec<Entity> {
        find_entities(text, AliasTable::shipped())
    }

    fn get<'a>(es: &'a [Entity], name: &str) -> &'a Entity {
        es.iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("no entity {name:?} in {es:#?}"))
    }

    #[test]
    fn folding_makes_spelling_variants_alike() {
        assert_eq!(fold_word("al-Nusrah"), fold_word("Al-Nusra"));
        assert_eq!(fold_word("Jabhat"), "front");
        assert_eq!(fold_word("Assad’s"), "asad");
        assert_eq!(fold_word("Erdoğan"), "erdogan");
        assert_eq!(fold_word("Defence"), "defense");
    }

    #[test]
    fn surnames_titles_and_roles() {
        let es = entities(
            "Kremlin spokesman Dmitry Peskov said on Monday that talks went well. \
             Later, Peskov added that Russian President Vladimir Putin would travel.",
        );
        let peskov = get(&es, "Dmitry Peskov");
        assert_eq!(peskov.kind, EntityKind::Person);
        assert_eq!(peskov.aliases, vec!["Peskov"]);
        assert_eq!(peskov.roles, vec!["Kremlin spokesman"]);
        assert_eq!(peskov.mentions.len(), 2);
        let putin = get(&es, "Vladimir Putin");
        assert_eq!(putin.roles, vec!["Russian President"]);
        assert_eq!(get(&es, "Kremlin").kind, EntityKind::Organization);
        // Character offsets point at the words.
        let m = &peskov.mentions[0];
        let chars: String = "Kremlin spokesman Dmitry Peskov"
            .chars()
            .skip(m.start)
            .take(m.end - m.start)
            .collect();
        assert_eq!(chars, "Dmitry Peskov");
    }

    #[test]
    fn alias_table_and_transliterations() {
        assert!(entities("They fell ill en masse.").is_empty());
        let es = entities(
            "The Islamic State and the Al-Nusra Front are banned. Jabhat al-Nusrah fighters \
             and ISIS militants clashed with Daesh near Aleppo.",
        );
        let is = get(&es, "Islamic State");
        assert_eq!(is.kind, EntityKind::Organization);
        assert_eq!(is.aliases, vec!["ISIS", "Daesh"]);
        let nusra = get(&es, "Al-Nusra Front");
        assert_eq!(nusra.aliases, vec!["Jabhat al-Nusrah"]);
        assert_eq!(get(&es, "Aleppo").kind, EntityKind::Place);
    }

    #[test]
    fn acronyms_heads_and_sentence_starts() {
        let es = entities(
            "The Syrian Democratic Forces took the town. The SDF said the Foreign Ministry \
             of Ruritania was told. Meanwhile the talks went on in Idlib Province.",
        );
        let sdf = get(&es, "Syrian Democratic Forces");
        assert_eq!(sdf.kind, EntityKind::Organization);
        assert!(
            sdf.aliases.is_empty() || sdf.aliases == vec!["SDF"],
            "{sdf:?}"
        );
        assert_eq!(
            get(&es, "Foreign Ministry of Ruritania").kind,
            EntityKind::Organization
        );
        assert_eq!(get(&es, "Idlib Province").kind, EntityKind::Place);
        assert!(es.iter().all(|e| e.name != "Meanwhile" && e.name != "The"));
    }

    #[test]
    fn user_entries_replace_shipped_ones() {
        let t = AliasTable::shipped()
            .with("organization\tAcme Widgets\tAWC|Acme\nperson\tVladimir Putin\tVVP\n")
            .unwrap();
        let es = find_entities("Acme Widgets grew. The AWC board met VVP.", &t);
        assert_eq!(get(&es, "Acme Widgets").aliases, vec!["AWC"]);
        assert_eq!(get(&es, "Vladimir Putin").aliases, vec!["VVP"]);
        let err = AliasTable::parse("company\tAcme\t\n").unwrap_err();
        assert_eq!(err.line, 1);
        assert!(AliasTable::parse("person\t\tX\n").is_err());
    }

    /// A name made of letters from a number, so that every one is distinct.
    fn invented(mut n: usize) -> String {
        let mut w = String::from("Z");
        for _ in 0..4 {
            w.push((b'a' + (n % 26) as u8) as char);
            n /= 26;
        }
        w
    }

    #[test]
    fn five_thousand_names_in_one_article() {
        let text: String = (0..5000)
            .map(|i| format!("Then {} {} spoke. ", invented(i), invented(i + 7919)))
            .collect();
        let es = entities(&text);
        assert_eq!(es.len(), 5000);
        assert!(es.iter().all(|e| e.mentions.len() == 1));
        let labels = super::super::labels::find_labels(&text, &es, None);
        assert!(labels.is_empty());
    }

    #[test]
    fn no_panic_on_odd_text() {
        for text in [
            "",
            "'s",
            "A. B. C.",
            "U.S.",
            "al-",
            "Ünïcödé Wörds — “quoted” «Names»",
            "ALL CAPS HEADLINE ABOUT NATO",
            "中文文本 and Москва",
        ] {
            let _ = entities(text);
        }
    }
}
