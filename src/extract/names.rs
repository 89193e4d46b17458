//! Names in a phrase and across an article: the words that name a speaker split into name
//! and role ("Russian President Vladimir Putin" -> "Vladimir Putin", "Russian President"),
//! and a registry that takes a surname or a pronoun back to the full name the article gave
//! earlier ("Peskov" -> "Dmitry Peskov").
//!
//! These are rules over capitalisation and a short list of titles, for English text. They
//! are not an entity recogniser: they only read the phrases that `quotes` hands them and the
//! names the article spells out in full.

/// A word list looked up by hashing: the lists here are read for every word of a text.
pub struct Lexicon {
    words: &'static [&'static str],
    set: std::sync::OnceLock<foldhash::HashSet<&'static str>>,
}

impl Lexicon {
    pub const fn new(words: &'static [&'static str]) -> Lexicon {
        Lexicon {
            words,
            set: std::sync::OnceLock::new(),
        }
    }

    /// The words on the list.
    pub fn words(&self) -> &'static [&'static str] {
        self.words
    }

    /// Whether `word` (lower case, bare) is on the list.
    pub fn has(&self, word: &str) -> bool {
        self.set
            .get_or_init(|| self.words.iter().copied().collect())
            .contains(word)
    }
}

/// Titles that stand before a name and are not part of it.
pub(crate) static TITLES: Lexicon = Lexicon::new(&[
    "president",
    "vice",
    "secretary",
    "minister",
    "prime",
    "foreign",
    "defense",
    "defence",
    "senator",
    "sen",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "gov",
    "governor",
    "mayor",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "gen",
    "general",
    "col",
    "colonel",
    "lt",
    "adm",
    "admiral",
    "capt",
    "captain",
    "sgt",
    "judge",
    "justice",
    "chief",
    "chairman",
    "chairwoman",
    "chair",
    "speaker",
    "leader",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "ambassador",
    "envoy",
    "commissioner",
    "director",
    "ceo",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "rev",
    "reverend",
    "sheikh",
    "ayatollah",
    "chancellor",
    "premier",
    "attorney",
    "deputy",
    "assistant",
    "press",
    "first",
    "lady",
    "candidate",
    "nominee",
    "sir",
    "lord",
    "dame",
    "former",
    "late",
    "then",
    "acting",
    "interim",
]);

/// Words that join the parts of one name ("Abu Mohammad al-Julani", "Ursula von der Leyen").
pub(crate) static CONNECTORS: Lexicon = Lexicon::new(&[
    "al", "el", "bin", "ibn", "de", "da", "di", "du", "van", "von", "der", "den", "la", "le",
    "del", "dos", "bint", "abu",
]);

/// Pronouns that can stand for a speaker.
pub static PRONOUNS: Lexicon = Lexicon::new(&["he", "she", "they", "i", "we", "it"]);

/// Words written with a capital that do not start a name.
pub(crate) static NOT_NAMES: Lexicon = Lexicon::new(&[
    "the",
    "a",
    "an",
    "and",
    "but",
    "or",
    "in",
    "on",
    "at",
    "of",
    "for",
    "to",
    "as",
    "by",
    "with",
    "from",
    "this",
    "that",
    "these",
    "those",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "when",
    "while",
    "after",
    "before",
    "if",
    "there",
    "here",
    "what",
    "who",
    "why",
    "how",
    "some",
    "many",
    "most",
    "one",
    "two",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mr",
    "mrs",
    "ms",
    "dr",
    "also",
    "now",
    "then",
    "still",
    "yes",
    "no",
    "so",
    "not",
    "asked",
    "according",
]);

/// A word without the punctuation around it, lower-cased and without a possessive.
fn bare(word: &str) -> String {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    let w = w
        .strip_suffix("’s")
        .or_else(|| w.strip_suffix("'s"))
        .unwrap_or(w);
    w.trim_end_matches('.').to_lowercase()
}

/// A word that can be part of a name: capitalised, or a prefix joined to a capitalised word
/// ("al-Julani").
fn capitalised(word: &str) -> bool {
    let upper = |w: &str| {
        w.trim_start_matches(|c: char| !c.is_alphanumeric())
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    };
    upper(word)
        || word
            .split_once('-')
            .is_some_and(|(head, tail)| CONNECTORS.has(&head.to_lowercase()) && upper(tail))
}

pub(crate) fn is_title(word: &str) -> bool {
    TITLES.has(&bare(word))
}

fn is_connector(word: &str) -> bool {
    let b = bare(word);
    // "al-Assad" joins by its hyphen; "al" alone joins the next word.
    CONNECTORS.has(&b)
        || b.split_once('-')
            .is_some_and(|(head, _)| CONNECTORS.has(head))
}

/// A phrase without the headline or dateline it runs on from ("HILLARY CLINTON IS FEELING
/// THE BERN As the race tightens, Bernie Sanders", "WASHINGTON, Sen. Chuck Grassley"): words
/// in capitals, two or more in a row, or a long one closed by a comma or a dash.
fn after_headline(phrase: &str) -> &str {
    let capitals = |w: &str| {
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        letters >= 2 && !w.chars().any(char::is_lowercase)
    };
    let words: Vec<&str> = phrase.split_whitespace().collect();
    let mut cut = None;
    for (i, w) in words.iter().enumerate() {
        let in_run = capitals(w)
            && (i > 0 && capitals(words[i - 1]) || words.get(i + 1).is_some_and(|n| capitals(n)));
        let dateline = capitals(w)
            && w.chars().filter(|c| c.is_alphabetic()).count() >= 6
            && (w.ends_with([',', '—', '–'])
                || words
                    .get(i + 1)
                    .is_some_and(|n| matches!(*n, "—" | "–" | "-")));
        if in_run || dateline {
            cut = Some(i);
        }
    }
    match cut {
        Some(i) if i + 1 < words.len() => {
            let next = words[i + 1];
            let at = next.as_ptr() as usize - phrase.as_ptr() as usize;
            &phrase[at..]
        }
        Some(_) => "",
        None => phrase,
    }
}

/// A phrase that names a speaker, split.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Named {
    /// The name: a person's or a body's ("Dmitry Peskov", "State Department"); `None` for a
    /// pronoun or a phrase with only a role ("the official").
    pub name: Option<String>,
    /// What the phrase says the speaker is ("Kremlin spokesman"), without articles.
    pub role: Option<String>,
    /// The phrase is a pronoun ("he").
    pub pronoun: Option<String>,
}

/// Split the words that name a speaker into name, role or pronoun. The name is the last run
/// of capitalised words, less the titles that open it; what stands before it is the role.
/// An apposition after a comma ("Dmitry Peskov, the Kremlin's spokesman") is a role too.
pub fn split_phrase(phrase: &str) -> Named {
    let phrase = phrase
        .trim()
        .trim_matches(|c: char| c == ',' || c == '—' || c == '–');
    let phrase = after_headline(phrase);
    let (head, apposition) = match phrase.split_once(", ") {
        Some((h, a)) => (h.trim(), Some(a.trim())),
        None => (phrase, None),
    };
    // A one-word aside ("(D-Mo.)", "(R)") is no part of the name.
    let words: Vec<&str> = head
        .split_whitespace()
        .filter(|w| !(w.starts_with('(') && w.ends_with(')')))
        .collect();
    if words.len() == 1 && PRONOUNS.has(&bare(words[0])) {
        return Named {
            pronoun: Some(bare(words[0])),
            ..Named::default()
        };
    }
    // The last run of capitalised words (connectors inside it allowed).
    let run_before = |mut end: usize| {
        while end > 0 && !capitalised(words[end - 1]) {
            end -= 1;
        }
        let mut start = end;
        while start > 0 {
            let w = words[start - 1];
            let inside = capitalised(w)
                || (is_connector(w) && start < end)
                || (bare(w) == "of" && start > 1 && is_title(words[start - 2]));
            if !inside {
                break;
            }
            start -= 1;
        }
        (start, end)
    };
    let (mut start, mut end) = run_before(words.len());
    // "Sen. Ted Cruz of Texas", "Tom Reyes of the University of Oregon": the name is the
    // run before the place or body it is "of".
    loop {
        let of = (1..=2).find(|&k| {
            start > k
                && matches!(bare(words[start - k]).as_str(), "of" | "from")
                && (k == 1 || bare(words[start - 1]) == "the")
        });
        let Some(k) = of else { break };
        let at = start - k;
        if !capitalised(words[at - 1]) || is_title(words[at - 1]) {
            break;
        }
        (start, end) = run_before(at);
    }
    while start < end && NOT_NAMES.has(&bare(words[start])) && !is_title(words[start]) {
        start += 1;
    }
    // Titles (with their "of State") that open the run belong to the role.
    let mut name_start = start;
    let mut i = start;
    while i < end {
        if is_title(words[i]) {
            name_start = i + 1;
            if words.get(i + 1).is_some_and(|w| bare(w) == "of") && i + 2 < end {
                name_start = i + 3;
                i += 2;
            }
        } else if name_start > start && i > name_start {
            break;
        }
        i += 1;
    }
    if name_start >= end {
        name_start = if end > start && !is_title(words[end - 1]) {
            end - 1
        } else {
            end
        };
    }
    let clean = |ws: &[&str]| -> Option<String> {
        let s = ws
            .iter()
            .map(|w| {
                let w = w.trim_matches(|c: char| {
                    matches!(c, ',' | ';' | ':' | '(' | ')' | '"' | '“' | '”')
                });
                // A full stop ends the sentence, not the name ("Sanders."); initials keep theirs.
                match w.strip_suffix('.') {
                    Some(stem) if stem.chars().count() > 2 && !matches!(stem, "Jr" | "Sr") => stem,
                    _ => w,
                }
            })
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        (!s.is_empty()).then_some(s)
    };
    // An office's word left over from a cut title ("State John Kerry" from "Secretary of
    // State John Kerry") opens no name.
    const OFFICES: &[&str] = &[
        "state", "defense", "defence", "foreign", "interior", "justice", "treasury", "homeland",
    ];
    if end - name_start >= 3 && OFFICES.contains(&bare(words[name_start]).as_str()) {
        name_start += 1;
    }
    let name = clean(&words[name_start..end])
        .map(|n| n.trim_end_matches("’s").trim_end_matches("'s").to_string());
    let role_words: Vec<&str> = words[..name_start]
        .iter()
        .copied()
        .filter(|w| !matches!(bare(w).as_str(), "the" | "a" | "an"))
        .collect();
    let role = clean(&role_words).or_else(|| {
        apposition.and_then(|a| {
            clean(
                &a.split_whitespace()
                    .filter(|w| !matches!(bare(w).as_str(), "the" | "a" | "an"))
                    .collect::<Vec<_>>(),
            )
        })
    });
    if end == start {
        // Nothing capitalised ("the official"): a role only.
        let role_words: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| !matches!(bare(w).as_str(), "the" | "a" | "an"))
            .collect();
        return Named {
            name: None,
            role: clean(&role_words),
            pronoun: None,
        };
    }
    Named {
        name,
        role,
        pronoun: None,
    }
}

/// The full names an article gives, in text order, with where each was given; and the roles
/// given with them.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// (byte offset, full name, role).
    names: Vec<(usize, String, Option<String>)>,
}

impl Registry {
    /// Names of two or more words in `text` (capitalised runs, titles set apart).
    pub fn read(text: &str) -> Registry {
        let mut names = Vec::new();
        let mut run: Vec<(usize, &str)> = Vec::new();
        // The words before the run, for its role ("Kremlin spokesman Dmitry Peskov").
        let mut before: Vec<&str> = Vec::new();
        let flush = |run: &mut Vec<(usize, &str)>,
                     before: &[&str],
                     names: &mut Vec<(usize, String, Option<String>)>| {
            if run.len() >= 2 {
                let lead = before
                    .iter()
                    .rposition(|w| w.ends_with([',', '.', ';', ':']))
                    .map_or(before, |i| &before[i + 1..]);
                let phrase: Vec<&str> = lead
                    .iter()
                    .copied()
                    .chain(run.iter().map(|(_, w)| *w))
                    .collect();
                let named = split_phrase(&phrase.join(" "));
                if let Some(name) = named.name.filter(|n| n.split_whitespace().count() >= 2) {
                    names.push((run[0].0, name, named.role));
                }
            }
            run.clear();
        };
        for (byte, word) in text
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        {
            let joins = capitalised(word) || (is_connector(word) && !run.is_empty());
            if joins && (!NOT_NAMES.has(&bare(word)) || !run.is_empty()) {
                run.push((byte, word));
                // A word that ends a clause ends the run after it.
                if word.ends_with([',', '.', ';', ':', '"', '”', ')']) && !word.ends_with("Jr.") {
                    flush(&mut run, &before, &mut names);
                    before.clear();
                }
            } else {
                if !run.is_empty() {
                    flush(&mut run, &before, &mut names);
                    before.clear();
                }
                before.push(word);
                if before.len() > 3 {
                    before.remove(0);
                }
            }
        }
        flush(&mut run, &before, &mut names);
        Registry { names }
    }

    /// The full name that a one-word name given at `at` stands for: the latest full name
    /// before it whose last word it is (or, failing that, any word of).
    pub fn full_name(&self, name: &str, at: usize) -> Option<&str> {
        let key = bare(name);
        let before = self.names.iter().rev().filter(|(p, _, _)| *p <= at);
        let mut any = None;
        for (_, full, _) in before {
            let words: Vec<String> = full.split_whitespace().map(bare).collect();
            if words.last() == Some(&key) {
                return Some(full);
            }
            if any.is_none() && words.contains(&key) {
                any = Some(full.as_str());
            }
        }
        any.or_else(|| {
            // Introduced later in the text (a headline before the byline names him in full).
            self.names
                .iter()
                .find(|(_, full, _)| {
                    full.split_whitespace().map(bare).next_back() == Some(key.clone())
                })
                .map(|(_, f, _)| f.as_str())
        })
    }

    /// The latest full name before `at` given with a role that contains `role`'s last word.
    pub fn by_role(&self, role: &str, at: usize) -> Option<&str> {
        let noun = role.split_whitespace().last().map(bare)?;
        self.names
            .iter()
            .rev()
            .filter(|(p, _, _)| *p <= at)
            .find(|(_, _, r)| {
                r.as_ref()
                    .is_some_and(|r| r.split_whitespace().any(|w| bare(w) == noun))
            })
            .map(|(_, n, _)| n.as_str())
    }

    /// The full names given in `from..to` (byte offsets), in text order.
    pub fn within(&self, from: usize, to: usize) -> impl Iterator<Item = (usize, &str)> {
        let first = self.names.partition_point(|(p, _, _)| *p < from);
        self.names[first..]
            .iter()
            .take_while(move |(p, _, _)| *p < to)
            .map(|(p, n, _)| (*p, n.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(p: &str) -> (Option<String>, Option<String>) {
        let n = split_phrase(p);
        (n.name, n.role)
    }

    #[test]
    fn phrases_split_into_name_and_role() {
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            split("Russian President Vladimir Putin"),
            (s("Vladimir Putin"), s("Russian President"))
        );
        assert_eq!(
            split("Kremlin spokesman Dmitry Peskov"),
            (s("Dmitry Peskov"), s("Kremlin spokesman"))
        );
        assert_eq!(
            split("Secretary of State John Kerry"),
            (s("John Kerry"), s("Secretary of State"))
        );
        assert_eq!(split("the State Department"), (s("State Department"), None));
        assert_eq!(split("the official"), (None, s("official")));
        assert_eq!(
            split("Dmitry Peskov, the Kremlin spokesman"),
            (s("Dmitry Peskov"), s("Kremlin spokesman"))
        );
        assert_eq!(
            split("Abu Mohammad al-Julani"),
            (s("Abu Mohammad al-Julani"), None)
        );
        assert_eq!(split_phrase("he").pronoun.as_deref(), Some("he"));
        assert_eq!(
            split("WASHINGTON, Sen. Ann Cole"),
            (s("Ann Cole"), s("Sen"))
        );
        assert_eq!(
            split("STORMS HIT THE COAST Mayor Tom Hale"),
            (s("Tom Hale"), s("Mayor"))
        );
        assert_eq!(split("the FBI").0, s("FBI"));
        assert_eq!(split("Sen. Ted Cruz of Texas").0, s("Ted Cruz"));
        assert_eq!(
            split("Tom Reyes of the University of Oregon School of Law").0,
            s("Tom Reyes")
        );
        assert_eq!(split("Secretary of State John Kerry").0, s("John Kerry"));
        assert_eq!(
            split("Sen. Claire Moss (D-Mo.)"),
            (s("Claire Moss"), s("Sen"))
        );
    }

    #[test]
    fn surnames_go_back_to_full_names() {
        let text = "Kremlin spokesman Dmitry Peskov spoke on Monday. Later, Peskov added more.";
        let r = Registry::read(text);
        assert_eq!(r.full_name("Peskov", 60), Some("Dmitry Peskov"));
        assert_eq!(r.by_role("the spokesman", 60), Some("Dmitry Peskov"));
        assert_eq!(r.full_name("Lavrov", 60), None);
    }
}
