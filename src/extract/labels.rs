//! Labels: what one party calls another, as triples `(actor, target, label)` read from the
//! text, each with the sentence it is in.
//!
//! Two sources of labels are told apart. A *reported* label is one the text attributes to an
//! actor: "X has labeled the group as extremist", "Y, which X considers a terrorist
//! organisation", "X categorised Y as Z", "Y was designated a terrorist group by X". An
//! *outlet's own* label is one the article applies in its own voice: "the so-called moderate
//! opposition", "the al-Nusra Front terrorist group", "X and Y are terrorist organisations";
//! its actor is the outlet. These are patterns over the words around the entities that
//! [`super::entities`] found, for English text; they are not a parser, and a label the text
//! gives in a construction not listed here is missed rather than guessed.

use super::entities::{Entity, EntityKind};
use super::names::Lexicon;
use super::CharOffsets;
use serde::{Deserialize, Serialize};

/// One label one party attaches to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// Who applies the label: an entity's name, the outlet's name for the article's own
    /// voice, or `None` when the text does not say (a passive without "by") or the outlet is
    /// unknown.
    pub actor: Option<String>,
    /// Who or what is labelled: an entity's name, or the words labelled when they name no
    /// entity ("opposition groups").
    pub target: String,
    /// The label, as the text words it ("extremist", "so-called moderate opposition").
    pub label: String,
    /// The word that carries the label ("labeled", "so-called", "is", "attribute").
    pub cue: String,
    /// The article applies the label in its own voice.
    pub by_outlet: bool,
    /// The sentence it is in.
    pub sentence: String,
    /// Character offsets of the label's words in the text.
    pub start: usize,
    pub end: usize,
}

/// Verbs that attach a label, by their forms in the text; `true` when the label follows
/// "as" ("described X as Y"), `false` when it may follow the target directly ("called X Y").
fn labelling_verb(word: &str) -> Option<bool> {
    const AS: &[&str] = &[
        "describe",
        "describes",
        "described",
        "describing",
        "regard",
        "regards",
        "regarded",
        "view",
        "views",
        "viewed",
        "see",
        "sees",
        "saw",
        "seen",
        "categorize",
        "categorizes",
        "categorized",
        "categorise",
        "categorises",
        "categorised",
        "classify",
        "classifies",
        "classified",
        "list",
        "lists",
        "listed",
        "portray",
        "portrays",
        "portrayed",
        "characterize",
        "characterizes",
        "characterized",
        "characterise",
        "characterised",
        "treat",
        "treats",
        "treated",
        "recognize",
        "recognizes",
        "recognized",
        "recognise",
        "recognised",
        "depict",
        "depicts",
        "depicted",
        "define",
        "defines",
        "defined",
    ];
    const DIRECT: &[&str] = &[
        "label",
        "labels",
        "labeled",
        "labelled",
        "labeling",
        "labelling",
        "call",
        "calls",
        "called",
        "calling",
        "brand",
        "brands",
        "branded",
        "branding",
        "designate",
        "designates",
        "designated",
        "designating",
        "term",
        "terms",
        "termed",
        "dub",
        "dubs",
        "dubbed",
        "consider",
        "considers",
        "considered",
        "deem",
        "deems",
        "deemed",
        "declare",
        "declares",
        "declared",
        "name",
        "names",
        "named",
    ];
    if AS.contains(&word) {
        Some(true)
    } else if DIRECT.contains(&word) {
        Some(false)
    } else {
        None
    }
}

/// Words that make a label loaded: what an outlet's own words about a group are checked for.
pub static LOADED: Lexicon = Lexicon::new(&[
    "terrorist",
    "terrorists",
    "terrorism",
    "terror",
    "extremist",
    "extremists",
    "extremism",
    "militant",
    "militants",
    "jihadist",
    "jihadists",
    "jihadi",
    "jihadis",
    "takfiri",
    "takfiris",
    "rebel",
    "rebels",
    "insurgent",
    "insurgents",
    "radical",
    "radicals",
    "moderate",
    "moderates",
    "fanatic",
    "fanatics",
    "thug",
    "thugs",
    "mercenary",
    "mercenaries",
    "regime",
    "puppet",
    "proxy",
    "proxies",
    "separatist",
    "separatists",
    "dissident",
    "dissidents",
    "criminal",
    "criminals",
    "gang",
    "gangs",
    "bandits",
    "occupiers",
    "occupation",
    "invaders",
    "aggressor",
    "aggressors",
    "fascist",
    "fascists",
    "nazi",
    "nazis",
    "neo-nazi",
    "neo-nazis",
    "junta",
    "dictator",
    "dictatorship",
    "tyrant",
    "murderous",
    "illegitimate",
    "hardline",
    "hardliners",
    "islamist",
    "islamists",
    "wahhabi",
    "salafi",
    "salafist",
    "salafists",
    "so-called",
    "self-proclaimed",
    "self-styled",
    "notorious",
    "infamous",
    "barbaric",
    "genocidal",
    "opposition",
]);

/// Words that end a label written without quotation marks.
static LABEL_STOP: Lexicon = Lexicon::new(&[
    "and", "but", "or", "while", "whereas", "because", "which", "who", "whom", "that", "by", "for",
    "in", "on", "at", "after", "before", "since", "with", "to", "from", "over", "under", "despite",
    "amid", "as", "if", "though", "although", "when", "where", "of", "is", "are", "was", "were",
    "has", "have", "had", "will", "would", "said", "says",
]);

static MODALS: Lexicon = Lexicon::new(&[
    "should", "must", "can", "could", "will", "would", "may", "might", "shall", "do", "does",
    "did", "be", "been", "not",
]);

/// Nouns that stand for an organisation named before ("the group").
static GROUP_NOUNS: Lexicon = Lexicon::new(&[
    "group",
    "groups",
    "organization",
    "organisation",
    "organizations",
    "organisations",
    "movement",
    "militia",
    "faction",
    "outfit",
    "network",
    "party",
    "front",
]);

#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
}

/// A mention with byte offsets and its entity.
#[derive(Debug, Clone, Copy)]
struct At {
    start: usize,
    end: usize,
    entity: usize,
}

struct Reader<'a> {
    text: &'a str,
    words: Vec<Word>,
    lower: Vec<String>,
    mentions: Vec<At>,
    /// Indices into `mentions`, by where each ends.
    by_end: Vec<usize>,
    entities: &'a [Entity],
    outlet: Option<&'a str>,
    offsets: CharOffsets,
}

/// Every label `text` attaches, read with the entities found in it; `outlet` is the actor of
/// the article's own words.
pub fn find_labels(text: &str, entities: &[Entity], outlet: Option<&str>) -> Vec<Label> {
    let bytes_of: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let byte = |c: usize| bytes_of[c.min(bytes_of.len() - 1)];
    let mut mentions: Vec<At> = entities
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            e.mentions.iter().map(move |m| At {
                start: byte(m.start),
                end: byte(m.end),
                entity: i,
            })
        })
        .collect();
    mentions.sort_by_key(|m| (m.start, m.end));
    let words = words(text);
    let lower = words
        .iter()
        .map(|w| text[w.start..w.end].to_lowercase().replace('’', "'"))
        .collect();
    let mut by_end: Vec<usize> = (0..mentions.len()).collect();
    by_end.sort_by_key(|&m| (mentions[m].end, std::cmp::Reverse(mentions[m].start)));
    let r = Reader {
        text,
        words,
        lower,
        by_end,
        mentions,
        entities,
        outlet,
        offsets: CharOffsets::new(text),
    };
    let mut out = Vec::new();
    for (s, e) in super::dates::sentences(text) {
        let first = r.words.partition_point(|w| w.start < s);
        let last = r.words.partition_point(|w| w.start < e);
        r.sentence(first, last, (s, e), &mut out);
    }
    out
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner = matches!(c, '-' | '\'' | '’')
            && start.is_some()
            && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
        if c.is_alphanumeric() || inner {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(Word { start: s, end: i });
        }
    }
    if let Some(s) = start {
        out.push(Word {
            start: s,
            end: text.len(),
        });
    }
    out
}

impl Reader<'_> {
    fn name(&self, m: &At) -> String {
        self.entities[m.entity].name.clone()
    }

    /// The mention that starts at word `k`, if any.
    fn mention_at(&self, k: usize) -> Option<&At> {
        let w = self.words.get(k)?;
        let i = self.mentions.partition_point(|m| m.start < w.start);
        self.mentions.get(i).filter(|m| m.start == w.start)
    }

    /// The mention that ends at word `k` (its last word), if any.
    fn mention_ending(&self, k: usize) -> Option<&At> {
        let w = self.words.get(k)?;
        let i = self
            .by_end
            .partition_point(|&m| self.mentions[m].end < w.end);
        self.by_end
            .get(i)
            .map(|&m| &self.mentions[m])
            .filter(|m| m.end == w.end)
    }

    /// The index of the word after the mention `m`.
    fn after(&self, m: &At) -> usize {
        self.words.partition_point(|w| w.start < m.end)
    }

    fn before(&self, m: &At) -> usize {
        self.words.partition_point(|w| w.start < m.start)
    }

    /// The latest organisation named before byte `at`.
    fn group_before(&self, at: usize) -> Option<&At> {
        let before = self.mentions.partition_point(|m| m.start < at);
        self.mentions[..before]
            .iter()
            .rev()
            .filter(|m| m.end <= at)
            .find(|m| self.entities[m.entity].kind == EntityKind::Organization)
    }

    /// The target at word `k`: an entity's mention, after an article, or "the group" for the
    /// organisation named last. Returns the target and the word after it.
    fn target_at(&self, k: usize, lo: usize) -> Option<(String, usize)> {
        let skip = usize::from(self.lower.get(k).is_some_and(|w| w == "the"));
        if let Some(m) = self.mention_at(k + skip).or_else(|| self.mention_at(k)) {
            return Some((self.name(m), self.after(m)));
        }
        let noun = self.lower.get(k + skip)?;
        if skip == 1 && GROUP_NOUNS.has(noun) {
            let at = self.words[lo].start;
            let m = self.group_before(self.words[k].start.max(at))?;
            return Some((self.name(m), k + skip + 1));
        }
        None
    }

    /// The label that starts at word `k`, after "as", "to be" and an article: the words in
    /// quotation marks when a quotation opens there, else the words up to a clause's end.
    /// Returns its byte range.
    fn label_at(&self, mut k: usize, hi: usize, needs_as: bool) -> Option<(usize, usize, usize)> {
        let word = |k: usize| self.lower.get(k).map(String::as_str);
        let mut had_as = false;
        if word(k) == Some("as") {
            k += 1;
            had_as = true;
        } else if word(k) == Some("to") && word(k + 1) == Some("be") {
            k += 2;
            had_as = true;
        }
        if needs_as && !had_as {
            return None;
        }
        while matches!(word(k), Some("a" | "an" | "the")) {
            k += 1;
        }
        if k >= hi {
            return None;
        }
        let gap_start = if k > 0 { self.words[k - 1].end } else { 0 };
        let gap = &self.text[gap_start..self.words[k].start];
        if gap.contains(['“', '"', '‘', '«']) {
            // The quotation: up to its closing mark.
            let from = self.words[k].start;
            let close = self.text[from..].find(['”', '"', '’', '»'])? + from;
            let label = self.text[from..close].trim_end_matches(['.', ',', ';', ':', '!', '?']);
            if label.is_empty() || label.split_whitespace().count() > 8 {
                return None;
            }
            let next = self.words.partition_point(|w| w.start < close);
            return Some((from, from + label.len(), next));
        }
        let mut end = k;
        while end < hi && end - k < 6 {
            let w = self.lower[end].as_str();
            // A clause's next word, a verb ("banned", "should") or a name ends the label.
            if end > k && (LABEL_STOP.has(w) || MODALS.has(w) || w.ends_with("ed")) {
                break;
            }
            if self.mention_at(end).is_some() && end > k {
                break;
            }
            end += 1;
            // A group's noun ends it too ("opposition groups").
            if GROUP_NOUNS.has(w) {
                break;
            }
            // Punctuation after a word ends the label.
            let after = &self.text[self.words[end - 1].end..];
            if after.starts_with([',', '.', ';', ':', '!', '?', ')', '(']) {
                break;
            }
        }
        (end > k).then(|| (self.words[k].start, self.words[end - 1].end, end))
    }

    fn push(&self, out: &mut Vec<Label>, l: LabelParts, sentence: (usize, usize)) {
        let label = self.text[l.span.0..l.span.1].trim().to_string();
        if label.is_empty() || l.target.is_empty() || Some(&l.target) == l.actor.as_ref() {
            return;
        }
        let record = Label {
            actor: l.actor,
            target: l.target,
            label,
            cue: l.cue,
            by_outlet: l.by_outlet,
            sentence: self.text[sentence.0..sentence.1].to_string(),
            start: self.offsets.at(l.span.0),
            end: self.offsets.at(l.span.1),
        };
        if !out.contains(&record) {
            out.push(record);
        }
    }

    fn outlet(&self) -> Option<String> {
        self.outlet.map(String::from)
    }

    /// The labels of the sentence of words `lo..hi`.
    fn sentence(&self, lo: usize, hi: usize, bounds: (usize, usize), out: &mut Vec<Label>) {
        for k in lo..hi {
            let w = self.lower[k].as_str();
            if w == "so-called" || w == "self-proclaimed" || w == "self-styled" {
                self.so_called(k, hi, bounds, out);
                continue;
            }
            if matches!(w, "is" | "are" | "was" | "were") {
                self.copula(k, lo, hi, bounds, out);
            }
            let Some(needs_as) = labelling_verb(w) else {
                continue;
            };
            // "called on", "called for": a request, not a name.
            if matches!(
                self.lower.get(k + 1).map(String::as_str),
                Some("on" | "for" | "off" | "up" | "in" | "upon" | "out")
            ) {
                continue;
            }
            let mut aux = k;
            while aux > lo && is_adverb(&self.lower[aux - 1]) {
                aux -= 1;
            }
            let passive = aux > lo
                && matches!(
                    self.lower[aux - 1].as_str(),
                    "is" | "are" | "was" | "were" | "be" | "been" | "being"
                );
            if passive {
                self.passive(k, aux - 1, lo, hi, needs_as, bounds, out);
            } else {
                self.active(k, lo, hi, needs_as, bounds, out);
            }
        }
        self.attributes(lo, hi, bounds, out);
    }

    /// "X labeled Y as Z", "Y, which X considers Z".
    fn active(
        &self,
        k: usize,
        lo: usize,
        hi: usize,
        needs_as: bool,
        bounds: (usize, usize),
        out: &mut Vec<Label>,
    ) {
        let verb_at = self.words[k].start;
        let before = self.mentions.partition_point(|m| m.start < verb_at);
        let actor = self.mentions[..before]
            .iter()
            .rev()
            .take_while(|m| m.start >= self.words[lo].start)
            .filter(|m| m.end <= verb_at)
            .find(|m| k - self.after(m) <= 5)
            .copied();
        let (target, next) = match self.target_at(k + 1, lo) {
            Some(t) => t,
            None => {
                // "Y, which X considers Z": the target stands before the relative word.
                let Some(a) = actor else { return };
                let b = self.before(&a);
                if b == 0
                    || b <= lo
                    || !matches!(
                        self.lower[b - 1].as_str(),
                        "which" | "whom" | "that" | "who"
                    )
                {
                    return;
                }
                let Some(t) = self
                    .mention_ending(b.saturating_sub(2))
                    .or_else(|| self.mention_ending(b - 1))
                else {
                    return;
                };
                (self.name(t), k + 1)
            }
        };
        let Some((s, e, _)) = self.label_at(next, hi, needs_as) else {
            return;
        };
        self.push(
            out,
            LabelParts {
                actor: actor.map(|a| self.name(&a)),
                target,
                span: (s, e),
                cue: self.lower[k].clone(),
                by_outlet: false,
            },
            bounds,
        );
    }

    /// "Y was designated (as) Z by X"; "Y and W, who have been designated Z by X".
    #[allow(clippy::too_many_arguments)]
    fn passive(
        &self,
        k: usize,
        aux: usize,
        lo: usize,
        hi: usize,
        needs_as: bool,
        bounds: (usize, usize),
        out: &mut Vec<Label>,
    ) {
        // The subject: a mention just before the auxiliary, past a relative word and the
        // auxiliaries ("who both have been").
        let mut b = aux;
        while b > lo
            && matches!(
                self.lower[b - 1].as_str(),
                "who"
                    | "which"
                    | "that"
                    | "both"
                    | "all"
                    | "have"
                    | "has"
                    | "had"
                    | "also"
                    | "long"
                    | "since"
                    | "already"
                    | "officially"
                    | "formally"
            )
        {
            b -= 1;
        }
        let Some(first) = (b > lo)
            .then(|| self.mention_ending(b - 1))
            .flatten()
            .copied()
        else {
            return;
        };
        let mut targets = vec![first];
        // "X and Y, who ...": both.
        let fb = self.before(&first);
        if fb >= 2 && self.lower[fb - 1] == "and" {
            if let Some(m) = self.mention_ending(fb - 2) {
                targets.insert(0, *m);
            }
        }
        let Some((s, e, next)) = self.label_at(k + 1, hi, needs_as) else {
            return;
        };
        let actor = (self.lower.get(next).map(String::as_str) == Some("by"))
            .then(|| self.target_at(next + 1, lo).map(|t| t.0))
            .flatten();
        for t in targets {
            self.push(
                out,
                LabelParts {
                    actor: actor.clone(),
                    target: self.name(&t),
                    span: (s, e),
                    cue: self.lower[k].clone(),
                    by_outlet: false,
                },
                bounds,
            );
        }
    }

    /// "the so-called moderate opposition": the outlet's own distance from a name.
    fn so_called(&self, k: usize, hi: usize, bounds: (usize, usize), out: &mut Vec<Label>) {
        let Some((_, e, next)) = self.label_at(k + 1, hi, false) else {
            return;
        };
        let s = self.words[k].start;
        let target = (k + 1..next)
            .find_map(|j| self.mention_at(j))
            .map(|m| self.name(m))
            .unwrap_or_else(|| self.text[self.words[k + 1].start..e].trim().to_string());
        self.push(
            out,
            LabelParts {
                actor: self.outlet(),
                target,
                span: (s, e),
                cue: self.lower[k].clone(),
                by_outlet: true,
            },
            bounds,
        );
    }

    /// "X and the Y are terrorist organizations": a loaded label in the outlet's own voice.
    fn copula(&self, k: usize, lo: usize, hi: usize, bounds: (usize, usize), out: &mut Vec<Label>) {
        let Some(first) = (k > lo)
            .then(|| self.mention_ending(k - 1))
            .flatten()
            .copied()
        else {
            return;
        };
        let mut targets = vec![first];
        let mut b = self.before(&first);
        if b > lo && self.lower[b - 1] == "the" {
            b -= 1;
        }
        if b >= 2 && self.lower[b - 1] == "and" {
            if let Some(m) = self.mention_ending(b - 2) {
                targets.insert(0, *m);
            }
        }
        // Not a clause inside a reported one: the subject opens the sentence.
        let opens = self.before(&targets[0]);
        if opens > lo + 1 || (opens == lo + 1 && self.lower[lo] != "the") {
            return;
        }
        let Some((s, e, _)) = self.label_at(k + 1, hi, false) else {
            return;
        };
        let words = self.text[s..e].to_lowercase();
        if !words.split_whitespace().take(3).any(|w| LOADED.has(w)) {
            return;
        }
        for t in targets {
            self.push(
                out,
                LabelParts {
                    actor: self.outlet(),
                    target: self.name(&t),
                    span: (s, e),
                    cue: self.lower[k].clone(),
                    by_outlet: true,
                },
                bounds,
            );
        }
    }

    /// Loaded words written next to a name: "the al-Nusra Front terrorist group", "Takfiri
    /// Daesh terrorists", "the terrorist group Daesh".
    fn attributes(&self, lo: usize, hi: usize, bounds: (usize, usize), out: &mut Vec<Label>) {
        if lo >= hi {
            return;
        }
        let (from, to) = (self.words[lo].start, bounds.1);
        let first = self.mentions.partition_point(|m| m.start < from);
        let in_sentence = self.mentions[first..]
            .iter()
            .take_while(|m| m.start < to)
            .filter(|m| m.end <= to);
        for m in in_sentence {
            if self.entities[m.entity].kind == EntityKind::Place {
                continue;
            }
            let a = self.after(m);
            let joined = |k: usize| {
                k > 0
                    && k < self.words.len()
                    && self.text[self.words[k - 1].end..self.words[k].start]
                        .trim()
                        .is_empty()
            };
            // After: "Daesh terrorists", "Front terrorist group".
            if a < hi && joined(a) && LOADED.has(&self.lower[a]) {
                let mut e = a + 1;
                if e < hi && joined(e) && GROUP_NOUNS.has(&self.lower[e]) {
                    e += 1;
                }
                self.push(out, self.attribute(m, a, e), bounds);
            }
            // Before: "Takfiri Daesh", "the terrorist group Daesh".
            let b = self.before(m);
            let mut s = b;
            if s > lo && joined(s) && GROUP_NOUNS.has(&self.lower[s - 1]) {
                s -= 1;
            }
            if s > lo
                && joined(s)
                && LOADED.has(&self.lower[s - 1])
                && self.lower[s - 1] != "so-called"
            {
                self.push(out, self.attribute(m, s - 1, b), bounds);
            }
        }
    }

    fn attribute(&self, m: &At, from: usize, to: usize) -> LabelParts {
        LabelParts {
            actor: self.outlet(),
            target: self.name(m),
            span: (self.words[from].start, self.words[to - 1].end),
            cue: "attribute".into(),
            by_outlet: true,
        }
    }
}

struct LabelParts {
    actor: Option<String>,
    target: String,
    span: (usize, usize),
    cue: String,
    by_outlet: bool,
}

fn is_adverb(w: &str) -> bool {
    w.ends_with("ly")
        || matches!(
            w,
            "has"
                | "have"
                | "had"
                | "long"
                | "also"
                | "once"
                | "not"
                | "never"
                | "still"
                | "now"
                | "already"
                | "even"
        )
}

/// What each outlet calls each entity, over many articles: the names it uses and the labels
/// it applies in its own voice, beside the labels its articles report others applying.
/// Copies of one article count once each; a caller that wants one count per copy group
/// passes only the groups' originals.
#[derive(Debug, Default, Serialize)]
pub struct LabelReport {
    /// Entity name -> its kind and, per outlet, what that outlet wrote.
    pub entities: std::collections::BTreeMap<String, EntityTerms>,
    /// Outlet -> the loaded words ([`LOADED`]) its articles use anywhere -> times used.
    pub loaded_words: std::collections::BTreeMap<String, std::collections::BTreeMap<String, usize>>,
}

/// One entity across outlets.
#[derive(Debug, Default, Serialize)]
pub struct EntityTerms {
    pub kind: Option<EntityKind>,
    pub mentions: usize,
    /// Outlet -> the names and own labels it used.
    pub outlets: std::collections::BTreeMap<String, OutletTerms>,
    /// Labels that articles report an actor applying to this entity: (actor, label) -> count.
    pub reported: std::collections::BTreeMap<String, usize>,
}

/// What one outlet wrote about one entity.
#[derive(Debug, Default, Serialize)]
pub struct OutletTerms {
    pub articles: usize,
    /// The words it named the entity by -> mentions.
    pub names: std::collections::BTreeMap<String, usize>,
    /// Labels in its own voice -> times applied.
    pub labels: std::collections::BTreeMap<String, usize>,
}

impl LabelReport {
    /// Add one article (its text, entities and labels), written by `outlet`.
    pub fn add(&mut self, outlet: &str, text: &str, entities: &[Entity], labels: &[Label]) {
        let words = self.loaded_words.entry(outlet.to_string()).or_default();
        for w in text.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
            let w = w.to_lowercase();
            if LOADED.has(&w) {
                *words.entry(w).or_default() += 1;
            }
        }
        for e in entities {
            let terms = self.entities.entry(e.name.clone()).or_default();
            terms.kind = Some(e.kind);
            terms.mentions += e.mentions.len();
            let o = terms.outlets.entry(outlet.to_string()).or_default();
            o.articles += 1;
            for m in &e.mentions {
                *o.names.entry(m.text.clone()).or_default() += 1;
            }
        }
        for l in labels {
            let terms = self.entities.entry(l.target.clone()).or_default();
            if l.by_outlet {
                let o = terms.outlets.entry(outlet.to_string()).or_default();
                *o.labels.entry(l.label.to_lowercase()).or_default() += 1;
            } else {
                let actor = l.actor.as_deref().unwrap_or("(unattributed)");
                let key = format!("{actor}: {} ({outlet})", l.label.to_lowercase());
                *terms.reported.entry(key).or_default() += 1;
            }
        }
    }

    /// The entities worth showing, most mentioned first: those that some outlet labels, that
    /// some article reports a label of, or that outlets name in more than one way.
    pub fn notable(&self) -> Vec<(&String, &EntityTerms)> {
        let mut out: Vec<_> = self
            .entities
            .iter()
            .filter(|(_, t)| {
                let names: std::collections::BTreeSet<&String> =
                    t.outlets.values().flat_map(|o| o.names.keys()).collect();
                !t.reported.is_empty()
                    || t.outlets.values().any(|o| !o.labels.is_empty())
                    || names.len() > 1
            })
            .collect();
        out.sort_by(|a, b| b.1.mentions.cmp(&a.1.mentions).then(a.0.cmp(b.0)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::entities::{find_entities, AliasTable};

    fn labels(text: &str) -> Vec<(Option<String>, String, String)> {
        let es = find_entities(text, AliasTable::shipped());
        find_labels(text, &es, Some("The Outlet"))
            .into_iter()
            .map(|l| (l.actor, l.target, l.label))
            .collect()
    }

    fn t(actor: Option<&str>, target: &str, label: &str) -> (Option<String>, String, String) {
        (actor.map(String::from), target.into(), label.into())
    }

    #[test]
    fn reported_labels_with_the_group_resolved() {
        let got = labels(
            "The United States has repeatedly categorized the Al-Nusra Front as “moderate \
             opposition” to the government, while Moscow has labeled the group as “extremist.”",
        );
        assert!(
            got.contains(&t(
                Some("United States"),
                "Al-Nusra Front",
                "moderate opposition"
            )),
            "{got:?}"
        );
        assert!(
            got.contains(&t(Some("Moscow"), "Al-Nusra Front", "extremist")),
            "{got:?}"
        );
    }

    #[test]
    fn relative_passive_and_direct_forms() {
        let got = labels(
            "Washington backs Jaish al-Islam, which Moscow considers a terrorist group. \
             Hezbollah was designated a terrorist organisation by the European Union.",
        );
        assert!(
            got.contains(&t(Some("Moscow"), "Jaish al-Islam", "terrorist group")),
            "{got:?}"
        );
        assert!(
            got.contains(&t(
                Some("European Union"),
                "Hezbollah",
                "terrorist organisation"
            )),
            "{got:?}"
        );
    }

    #[test]
    fn the_outlets_own_words() {
        let got = labels(
            "The so-called moderate opposition groups should leave. Strikes hit the al-Nusra \
             Front terrorist group and Takfiri Daesh militants. The Islamic State and the \
             Al-Nusra Front are terrorist organizations banned in Russia.",
        );
        let outlet = Some("The Outlet");
        assert!(
            got.contains(&t(
                outlet,
                "moderate opposition groups",
                "so-called moderate opposition groups"
            )),
            "{got:?}"
        );
        assert!(
            got.contains(&t(outlet, "Al-Nusra Front", "terrorist group")),
            "{got:?}"
        );
        assert!(
            got.contains(&t(outlet, "Islamic State", "Takfiri")),
            "{got:?}"
        );
        assert!(
            got.contains(&t(outlet, "Islamic State", "militants")),
            "{got:?}"
        );
        assert!(
            got.contains(&t(
                outlet,
                "Islamic State",
                "terrorist organizations banned"
            )) || got.contains(&t(outlet, "Islamic State", "terrorist organizations")),
            "{got:?}"
        );
    }

    #[test]
    fn the_report_sets_outlets_side_by_side() {
        let mut report = LabelReport::default();
        for (outlet, text) in [
            ("A", "Strikes hit Takfiri Daesh militants. Daesh fled."),
            (
                "B",
                "The Islamic State fled. Moscow has labeled the Islamic State as “extremist.”",
            ),
        ] {
            let es = find_entities(text, AliasTable::shipped());
            report.add(outlet, text, &es, &find_labels(text, &es, Some(outlet)));
        }
        let is = &report.entities["Islamic State"];
        assert_eq!(is.outlets["A"].names["Daesh"], 2);
        assert_eq!(is.outlets["A"].labels["takfiri"], 1);
        assert_eq!(is.outlets["B"].names["Islamic State"], 2);
        assert_eq!(is.reported["Moscow: extremist (B)"], 1);
        assert_eq!(report.notable()[0].0, "Islamic State");
        assert_eq!(report.loaded_words["A"]["militants"], 1);
        assert!(!report.loaded_words["B"].contains_key("militants"));
    }

    #[test]
    fn requests_and_plain_verbs_are_not_labels() {
        let got = labels(
            "Washington has called on Moscow not to strike. Kerry described the meeting as \
             useful. Putin considered the proposal.",
        );
        assert!(got.is_empty(), "{got:?}");
    }
}
