//! Quotes and their speakers.
//!
//! Direct quotes are the words between quotation marks of any style (straight, curly,
//! low-high, guillemets, and single curly marks where they cannot be apostrophes); a quote
//! left open at a paragraph's end goes on when the next paragraph opens with a mark, as news
//! style writes it. Each quote's speaker is read where the reporting verb is: after the quote
//! (`"...," said X`, `"...," X said`), before it (`X said: "..."`, `according to X, "..."`),
//! or, for a quote with no verb of its own, from the quote before it (a quote split by "he
//! said", a paragraph that is only a quote). Pronouns and role nouns go back to the names the
//! article gave ([`Registry`]). Reported speech without marks (`X said that ...`) is found
//! too and marked [`QuoteKind::Reported`].
//!
//! What is not here: quotes in languages without English reporting verbs get no speaker (they
//! are still found), and no coreference beyond "the latest speaker or name before".

use super::names::{split_phrase, Lexicon, Registry, PRONOUNS};
use super::{is_abbreviation, CharOffsets, Quote, QuoteKind};

/// Reporting verbs, in the forms news text uses.
static CUES: Lexicon = Lexicon::new(&[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "asked",
    "asks",
    "explained",
    "explains",
    "stated",
    "wrote",
    "writes",
    "tweeted",
    "tweets",
    "noted",
    "notes",
    "warned",
    "warns",
    "insisted",
    "insists",
    "claimed",
    "claims",
    "argued",
    "argues",
    "declared",
    "declares",
    "announced",
    "announces",
    "replied",
    "replies",
    "responded",
    "responds",
    "continued",
    "continues",
    "recalled",
    "recalls",
    "acknowledged",
    "acknowledges",
    "admitted",
    "admits",
    "urged",
    "urges",
    "suggested",
    "suggests",
    "conceded",
    "concedes",
    "countered",
    "counters",
    "quipped",
    "joked",
    "observed",
    "remarked",
    "commented",
    "complained",
    "complains",
    "predicted",
    "predicts",
    "promised",
    "promises",
    "vowed",
    "vows",
    "boasted",
    "cautioned",
    "stressed",
    "stresses",
    "emphasized",
    "emphasised",
    "maintained",
    "maintains",
    "reiterated",
    "shouted",
    "yelled",
    "testified",
    "posted",
    "wrote",
    "added",
    "mused",
    "exclaimed",
    "confirmed",
    "confirms",
    "denied",
    "denies",
    "thundered",
    "marveled",
    "sighed",
    "laughed",
    "charged",
    "alleged",
    "pointed",
    "told",
    "recounted",
    "reported",
    "reports",
    "assured",
    "agreed",
    "agrees",
    "objected",
    "retorted",
    "demanded",
    "pleaded",
    "proclaimed",
    "asserted",
    "asserts",
    "concluded",
    "began",
    "went",
    "saying",
    "telling",
    "adding",
    "writing",
    "tweeting",
    "calling",
    "called",
    "calls",
    "described",
    "describes",
    "dubbed",
    "labeled",
    "labelled",
    "branded",
    "accused",
    "accuses",
    "accusing",
    "criticized",
    "criticised",
    "criticizes",
    "blamed",
    "blames",
    "pledged",
    "pledges",
    "defended",
    "defends",
    "praised",
    "praises",
    "slammed",
    "slams",
    "blasted",
    "blasts",
    "touted",
    "touts",
    "dismissed",
    "dismisses",
    "mocked",
    "mocks",
    "attacked",
    "attacks",
    "referred",
    "refers",
    "characterized",
    "characterizes",
    "thinks",
    "believes",
    "wants",
    "hopes",
    "fears",
    "argue",
    "insist",
    "claim",
    "warn",
    "promise",
    "vowing",
    "warning",
    "arguing",
    "insisting",
    "claiming",
    "noting",
    "urging",
    "promising",
    "declaring",
    "announcing",
    "explaining",
    "complaining",
    "boasting",
    "questioned",
    "questions",
    "wondered",
    "wonders",
    "lamented",
    "laments",
    "cited",
    "cites",
    "quoted",
    "quoting",
    "texted",
    "emailed",
    "chanted",
    "sang",
    "sings",
    "sung",
    "reads",
]);

/// Reporting verbs that introduce reported speech ("X said that ...").
static REPORTING: Lexicon = Lexicon::new(&[
    "said",
    "says",
    "told",
    "tells",
    "added",
    "adds",
    "explained",
    "stated",
    "wrote",
    "noted",
    "warned",
    "warns",
    "insisted",
    "insists",
    "claimed",
    "claims",
    "argued",
    "argues",
    "declared",
    "announced",
    "acknowledged",
    "admitted",
    "suggested",
    "suggests",
    "predicted",
    "promised",
    "vowed",
    "stressed",
    "emphasized",
    "maintained",
    "reiterated",
    "testified",
    "confirmed",
    "denied",
    "alleged",
    "asserted",
    "believes",
    "believed",
    "thinks",
    "thought",
]);

/// Words that cannot open the subject of a reporting verb in reported speech.
static NOT_SUBJECT: Lexicon =
    Lexicon::new(&["it", "which", "who", "that", "this", "there", "what"]);

/// Role nouns that stand for a speaker without naming one ("the official said").
static ROLE_NOUNS: Lexicon = Lexicon::new(&[
    "official",
    "officials",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "source",
    "sources",
    "statement",
    "analyst",
    "analysts",
    "aide",
    "aides",
    "minister",
    "ministry",
    "president",
    "senator",
    "governor",
    "mayor",
    "candidate",
    "campaign",
    "department",
    "police",
    "spokesmen",
    "lawmaker",
    "lawmakers",
    "diplomat",
    "diplomats",
    "expert",
    "experts",
    "adviser",
    "advisers",
    "advisor",
    "leader",
    "leaders",
    "secretary",
    "ambassador",
    "envoy",
    "chairman",
    "director",
    "executive",
    "researcher",
    "professor",
    "report",
    "government",
    "administration",
    "agency",
    "office",
    "group",
    "committee",
    "organization",
    "organisation",
    "representative",
    "resident",
    "residents",
    "witness",
    "witnesses",
    "man",
    "woman",
    "officer",
    "commander",
    "military",
    "army",
    "ministers",
    "voter",
    "voters",
    "supporter",
    "supporters",
    "critic",
    "critics",
    "lawyer",
    "attorney",
    "judge",
    "manager",
    "strategist",
    "pollster",
    "chief",
    "head",
    "member",
    "members",
    "staffer",
    "staff",
    "team",
]);

/// Marks that open a quote, and the marks that may close each.
fn closers(open: char) -> &'static [char] {
    match open {
        '"' => &['"', '”'],
        // A straight mark closes a curly one in text that mixes them.
        '“' => &['”', '“', '"'],
        '„' => &['“', '”', '"'],
        '«' => &['»'],
        '‘' => &['’'],
        _ => &[],
    }
}

/// A span of quoted words: byte offsets of the inner text, its paragraph, and whether the
/// paragraph ended before it closed.
#[derive(Debug, Clone)]
struct Span {
    open: usize,
    start: usize,
    end: usize,
    close: usize,
    paragraph: usize,
    parts: Vec<(usize, usize)>,
}

/// Paragraphs: byte ranges between line breaks, blank lines skipped.
fn paragraphs(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            if !text[start..i].trim().is_empty() {
                out.push((start, i));
            }
            start = i + 1;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push((start, text.len()));
    }
    out
}

/// The quoted spans of one paragraph, and one left open at its end (its opening mark and
/// inner start).
fn spans_in(
    text: &str,
    (from, to): (usize, usize),
    paragraph: usize,
) -> (Vec<Span>, Option<(char, usize, usize)>) {
    let par = &text[from..to];
    let mut out = Vec::new();
    let mut open: Option<(char, usize, usize)> = None; // mark, mark byte, inner start
    let mut prev: Option<char> = None;
    let mut chars = par.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let at = from + i;
        match open {
            None => {
                let opens = match c {
                    // A straight mark after a word and before a space closes something
                    // already: a stray, not an opening.
                    '"' => {
                        !(prev.is_some_and(|p| p.is_alphanumeric() || ".,!?".contains(p))
                            && next.is_none_or(char::is_whitespace))
                    }
                    '“' | '„' | '«' => true,
                    // A single curly mark opens only at a word's start, never inside a word.
                    '‘' => prev.is_none_or(|p| p.is_whitespace() || "([—–-".contains(p)),
                    _ => false,
                };
                if opens {
                    open = Some((c, at, at + c.len_utf8()));
                }
            }
            Some((mark, mark_at, start)) => {
                if closers(mark).contains(&c)
                    && (c != '’' || next.is_none_or(|n| !n.is_alphanumeric()))
                    && !(mark == '“'
                        && c == '“'
                        && next.is_some_and(|n| !n.is_whitespace() && !",.;:!?".contains(n)))
                {
                    out.push(Span {
                        open: mark_at,
                        start,
                        end: at,
                        close: at + c.len_utf8(),
                        paragraph,
                        parts: vec![(start, at)],
                    });
                    open = None;
                } else if c == '"'
                    && mark == '"'
                    && prev.is_some_and(char::is_whitespace)
                    && next.is_some_and(char::is_alphanumeric)
                    && text[start..at]
                        .trim_end()
                        .ends_with(|p: char| p.is_alphanumeric())
                {
                    // A straight mark that can only open while one is open: the earlier one
                    // was a stray; start again here.
                    open = Some((c, at, at + 1));
                } else if c == mark && mark == '“' {
                    // An opening mark again: the earlier one never closed.
                    open = Some((c, at, at + c.len_utf8()));
                }
            }
        }
        prev = Some(c);
    }
    (out, open)
}

/// Every quoted span of the text, quotes that run over paragraphs joined.
fn find_spans(text: &str, pars: &[(usize, usize)]) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut running: Option<Span> = None;
    for (p, &range) in pars.iter().enumerate() {
        let (mut found, left_open) = spans_in(text, range, p);
        if let Some(mut run) = running.take() {
            // The paragraph goes on with the quote if it opens with a mark.
            let opening = first_non_space(text, range.0);
            if let Some(first) = found.first().filter(|s| s.open == opening) {
                run.parts.push((first.start, first.end));
                run.end = first.end;
                run.close = first.close;
                found.remove(0);
                spans.push(run);
            } else if let Some((_, _, start)) = left_open.filter(|&(_, at, _)| at == opening) {
                run.parts.push((start, range.1));
                run.end = range.1;
                running = Some(run);
                spans.extend(found);
                continue;
            }
        }
        spans.extend(found);
        if let Some((_, at, start)) = left_open {
            running = Some(Span {
                open: at,
                start,
                end: range.1,
                close: range.1,
                paragraph: p,
                parts: vec![(start, range.1)],
            });
        }
    }
    // A quote that never closes is not a quote: its words stay unquoted.
    spans.sort_by_key(|s| s.open);
    spans
}

fn first_non_space(text: &str, from: usize) -> usize {
    from + text[from..].len() - text[from..].trim_start().len()
}

/// A word of the text with its byte range.
#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

fn words_in(text: &str, from: usize, to: usize) -> Vec<Word<'_>> {
    let slice = &text[from..to];
    let base = slice.as_ptr() as usize;
    slice
        .split_whitespace()
        .map(|w| {
            let start = from + (w.as_ptr() as usize - base);
            Word {
                text: w,
                start,
                end: start + w.len(),
            }
        })
        .collect()
}

fn bare(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// Stems of verbs of saying and judging, matched with their inflections ("prais" ->
/// praise, praises, praised, praising) where the list of [`CUES`] has no such form.
const CUE_STEMS: &[&str] = &[
    "prais",
    "criticiz",
    "criticis",
    "accus",
    "describ",
    "defend",
    "compar",
    "demand",
    "predict",
    "acknowledg",
    "reiterat",
    "emphasiz",
    "emphasis",
    "characteriz",
    "dismiss",
    "question",
    "insist",
    "suggest",
    "declar",
    "announc",
    "complain",
    "recall",
    "respond",
    "condemn",
    "denounc",
    "applaud",
    "celebrat",
    "ridicul",
    "rebuk",
    "scold",
    "taunt",
    "blast",
    "slam",
    "tout",
    "mock",
    "attack",
    "label",
    "brand",
    "dub",
    "warn",
    "urg",
    "promis",
    "vow",
    "pledg",
    "argu",
    "claim",
    "assert",
    "admit",
    "conced",
    "confirm",
    "deny",
    "deni",
    "repeat",
    "quot",
    "cit",
    "tweet",
    "post",
    "writ",
    "remember",
    "chant",
    "shout",
    "yell",
    "whisper",
    "scream",
    "reason",
    "echo",
    "muse",
    "conclud",
    "jok",
    "interject",
    "exhort",
    "react",
    "referenc",
    "bemoan",
    "laud",
    "speculat",
    "contend",
    "worr",
    "grous",
    "grumbl",
    "fret",
    "proclaim",
    "scoff",
    "sneer",
    "retort",
    "opin",
    "wrot",
    "plead",
    "lament",
    "hail",
    "chid",
    "quipp",
    "boast",
    "crow",
    "chim",
    "thank",
];

fn is_cue(w: &str) -> bool {
    let b = bare(w);
    let Some(&first) = b.as_bytes().first() else {
        return false;
    };
    CUES.has(&b)
        || CUE_STEMS.iter().any(|stem| {
            stem.as_bytes()[0] == first
                && b.strip_prefix(stem).is_some_and(|rest| {
                    matches!(
                        rest,
                        "e" | "es"
                            | "ed"
                            | "d"
                            | "s"
                            | "ing"
                            | "ies"
                            | "ied"
                            | "ting"
                            | "ted"
                            | "bed"
                            | "bing"
                            | "ged"
                            | "ging"
                    )
                })
        })
}

/// A sentence ends at this word: it ends with a full stop, question or exclamation mark and
/// is not an abbreviation or an initial.
fn ends_sentence(w: &str) -> bool {
    // A one-word aside that closes on its own abbreviation ("Sen. Claire McCaskill (D-Mo.)
    // said") is part of a name.
    if w.starts_with('(') && w.ends_with(".)") && w.chars().count() <= 12 {
        return false;
    }
    let core = w.trim_end_matches(['"', '”', '’', ')', '\'']);
    if !core.ends_with(['.', '!', '?']) {
        return false;
    }
    let stem = core.trim_end_matches(['.', '!', '?']);
    !is_abbreviation(stem)
}

/// Words that may name a speaker: a short phrase with a name, a pronoun or a role noun.
fn plausible_subject(words: &[Word]) -> bool {
    if words.is_empty() || words.len() > 12 {
        return false;
    }
    let first = bare(words[0].text);
    if words.len() == 1 && PRONOUNS.has(&first) {
        return true;
    }
    let named = words.iter().any(|w| {
        w.text
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    });
    let role = words.iter().any(|w| ROLE_NOUNS.has(&bare(w.text)));
    named || role
}

/// Words between a subject and its reporting verb that are not the subject ("he has
/// said", "Trump later told").
static AUXILIARIES: Lexicon = Lexicon::new(&[
    "has",
    "had",
    "have",
    "was",
    "is",
    "were",
    "are",
    "would",
    "will",
    "could",
    "did",
    "does",
    "also",
    "later",
    "then",
    "again",
    "previously",
    "once",
    "recently",
    "often",
    "repeatedly",
    "once",
    "just",
    "simply",
    "reportedly",
    "publicly",
    "privately",
    "flatly",
    "bluntly",
    "quickly",
    "finally",
    "first",
    "had",
    "been",
    "not",
    "never",
    "still",
    "even",
    "even",
]);

fn trim_auxiliaries<'a>(words: &'a [Word<'a>]) -> &'a [Word<'a>] {
    let mut end = words.len();
    while end > 1 && AUXILIARIES.has(&bare(words[end - 1].text)) {
        end -= 1;
    }
    &words[..end]
}

/// Participles ("..., saying") whose subject is the sentence's, not the words before them.
fn is_participle(w: &str) -> bool {
    bare(w).ends_with("ing")
}

/// Who said a quote, as the text has it around the cue.
#[derive(Debug, Clone, Default)]
struct Attribution {
    cue: Option<String>,
    phrase: Option<(usize, usize)>,
    /// The cue goes on the sentence the quote stands in ("“...” and said", "“...,” adding"):
    /// its speaker is that sentence's subject, before the quote.
    of_sentence: bool,
}

impl Attribution {
    fn of(cue: &str, subject: &[Word]) -> Attribution {
        Attribution {
            cue: Some(cue.to_string()),
            phrase: Some((subject[0].start, subject[subject.len() - 1].end)),
            of_sentence: false,
        }
    }

    fn of_sentence(cue: &str) -> Attribution {
        Attribution {
            cue: Some(cue.to_string()),
            phrase: None,
            of_sentence: true,
        }
    }
}

/// The words after a verb that name its subject: a name up to its comma, and an apposition
/// after it up to the sentence's end ("said John Kirby, the State Department spokesman.").
fn subject_after_verb<'a>(words: &[Word<'a>]) -> (Vec<Word<'a>>, usize) {
    let mut subject = Vec::new();
    let mut head = 0;
    for w in words.iter().take(16) {
        // "said Kerry at a news conference in Tbilisi": the name ends where an adjunct begins.
        if head == 0
            && !subject.is_empty()
            && matches!(
                bare(w.text).as_str(),
                "at" | "in"
                    | "on"
                    | "during"
                    | "after"
                    | "before"
                    | "from"
                    | "to"
                    | "with"
                    | "while"
                    | "when"
                    | "as"
                    | "via"
                    | "told"
                    | "last"
                    | "this"
                    | "earlier"
                    | "later"
            )
        {
            head = subject.len();
            break;
        }
        subject.push(*w);
        if head == 0 && w.text.ends_with(',') {
            head = subject.len();
        }
        if ends_sentence(w.text) || w.text.ends_with([';', ':']) {
            break;
        }
    }
    let head = if head == 0 { subject.len() } else { head };
    (subject, head)
}

/// The cue and the speaker's words after a quote: `, said X`, `, X said`, `— X`.
fn after_quote(text: &str, from: usize, limit: usize, open_ended: bool) -> Attribution {
    let mut words = words_in(text, from, limit);
    // The comma that closes the quote outside its marks ("»,"), alone or before a word.
    while words.first().is_some_and(|w| w.text.starts_with(',')) {
        let w = words[0];
        let rest = w.text.trim_start_matches(',');
        if rest.is_empty() {
            words.remove(0);
        } else {
            words[0] = Word {
                text: rest,
                start: w.end - rest.len(),
                end: w.end,
            };
        }
    }
    let Some(first) = words.first() else {
        return Attribution::default();
    };
    // "”― Martha Aguilar": a dash and a name sign the quote.
    if first.text.starts_with(['—', '―', '–'])
        || first.text == "-"
        || first.text.starts_with("-") && first.text.len() > 1 && !first.text.starts_with("--")
    {
        let rest: Vec<Word> = words
            .iter()
            .map(|w| Word {
                text: w.text.trim_start_matches(['—', '―', '–', '-']),
                start: w.start
                    + (w.text.len() - w.text.trim_start_matches(['—', '―', '–', '-']).len()),
                end: w.end,
            })
            .filter(|w| !w.text.is_empty())
            .collect();
        let (subject, head) = subject_after_verb(&rest);
        if head <= 5 && plausible_subject(&subject[..head]) {
            return Attribution::of("—", &subject);
        }
        return Attribution::default();
    }
    // "” by Democrats": a passive attribution.
    if bare(first.text) == "by" && !first.text.ends_with(',') {
        let (subject, head) = subject_after_verb(&words[1..]);
        if head <= 6 && plausible_subject(&subject[..head]) {
            return Attribution::of("by", &subject[..head]);
        }
    }
    let mut window: Vec<Word> = Vec::new();
    for w in words.iter().take(20) {
        window.push(*w);
        if ends_sentence(w.text) || w.text.ends_with([';', ':']) {
            break;
        }
    }
    let verb_like = |w: &Word| {
        let b = bare(w.text);
        b.len() > 4 && b.ends_with("ed") && w.text.chars().next().is_some_and(char::is_lowercase)
    };
    // A quote that ends open ("...," or "...?") and a short subject with any past-tense verb
    // after it ("...," Obama thanked him) is that subject's.
    let found = window.iter().position(|w| is_cue(w.text)).or_else(|| {
        let v = window.iter().take(6).position(verb_like)?;
        (open_ended && v > 0).then_some(v)
    });
    let Some(v) = found else {
        return Attribution::default();
    };
    let verb = bare(window[v].text);
    let before = trim_auxiliaries(&window[..v]);
    // ", said X": nothing before the verb, or a clause that is no subject ("that X can Y,").
    let opens_subject = |w: &Word| {
        let b = bare(w.text);
        w.text.chars().next().is_some_and(char::is_uppercase)
            || PRONOUNS.has(&b)
            || matches!(
                b.as_str(),
                "the" | "a" | "an" | "his" | "her" | "their" | "its" | "one" | "another"
            )
    };
    let clause_word = matches!(
        bare(window[0].text).as_str(),
        "that"
            | "which"
            | "who"
            | "whom"
            | "whose"
            | "and"
            | "but"
            | "or"
            | "because"
            | "if"
            | "when"
            | "while"
            | "as"
            | "so"
            | "though"
            | "although"
            | "after"
            | "before"
            | "since"
            | "until"
            | "unless"
            | "where"
            | "whether"
            | "than"
    );
    // "“...” and said", "“...,” adding": a verb of the sentence's own subject.
    let conjoined = (1..=6).contains(&v)
        && matches!(bare(window[v - 1].text).as_str(), "and" | "but" | "or")
        && (v == 1 || window[v - 2].text.ends_with(','));
    if conjoined || (v == 0 && is_participle(window[0].text)) {
        return Attribution::of_sentence(&verb);
    }
    let verb_first = v == 0 || clause_word || v > 14;
    if verb_first {
        let (mut subject, mut head) = subject_after_verb(&window[v + 1..]);
        // "said Stephen Vladeck of the University of Texas School of Law": a long phrase
        // that opens with a name is that name's.
        let lead = subject
            .iter()
            .take(5)
            .take_while(|w| starts_upper(w.text) && !w.text.ends_with(','))
            .count();
        if head > 8 && lead > 0 && subject.get(lead).is_some_and(|w| bare(w.text) == "of") {
            subject.truncate(lead);
            head = lead;
        }
        if head > 0 && head <= 8 && !subject.is_empty() {
            let head_words = &subject[..head];
            let determiner = matches!(
                bare(head_words[0].text).as_str(),
                "a" | "an" | "the" | "one"
            );
            if plausible_subject(head_words) || (determiner && head <= 5) {
                return Attribution::of(&verb, &subject);
            }
        }
        return Attribution::default();
    }
    // The subject's head: up to its first comma ("Quina Jones, 25, said").
    let head = before
        .iter()
        .position(|w| w.text.ends_with(','))
        .map_or(before.len(), |i| i + 1);
    // Between a quote and its verb, a short phrase is the speaker whatever its words ("one
    // user wrote", "the source said").
    if head <= 8 && (plausible_subject(&before[..head]) || (head <= 5 && opens_subject(&before[0])))
    {
        return Attribution::of(&verb, before);
    }
    // "“...” for criminal behavior, she said.": the sentence closes on its own attribution,
    // after a comma.
    if let Some(c) = before.iter().rposition(|w| w.text.ends_with(',')) {
        let tail = &before[c + 1..];
        let closes = window.len() - v <= 6 && window.last().is_some_and(|w| ends_sentence(w.text));
        if closes
            && (1..=6).contains(&tail.len())
            && (plausible_subject(tail) || (tail.len() <= 4 && opens_subject(&tail[0])))
        {
            return Attribution::of(&verb, tail);
        }
    }
    Attribution::default()
}

/// The words of `from..to` after the last sentence end in it: the clause that leads to `to`.
fn sentence_up_to(text: &str, from: usize, to: usize) -> Vec<Word<'_>> {
    // Read from the end: only the last sentence's words are wanted.
    let slice = &text[from..to];
    let base = slice.as_ptr() as usize;
    let mut words: Vec<Word> = slice
        .split_whitespace()
        .rev()
        .take_while(|w| !ends_sentence(w))
        .map(|w| {
            let start = from + (w.as_ptr() as usize - base);
            Word {
                text: w,
                start,
                end: start + w.len(),
            }
        })
        .collect();
    words.reverse();
    words
}

/// The attribution of the sentence that ends right before a quote which opens the next
/// one, in `from..to`: its last cue and that cue's subject.
fn previous_sentence(cx: &Context, from: usize, to: usize) -> Attribution {
    let lead = cx.text[from..to].trim_end();
    if !lead.ends_with(['.', '!', '?']) || !sentence_up_to(cx.text, from, to).is_empty() {
        return Attribution::default();
    }
    let attribution = before_quote_reaching(cx, from, from + lead.len() - 1, true);
    if attribution.phrase.is_some() {
        attribution
    } else {
        Attribution::default()
    }
}

/// The cue and the speaker's words before a quote: `X said: "`, `X told Y, "`,
/// `according to X, "`, `X added that ... "`.
fn before_quote(cx: &Context, from: usize, to: usize) -> Attribution {
    before_quote_reaching(cx, from, to, false)
}

/// [`before_quote`]; `whole`: the clause is a whole sentence before the quote, so its cue
/// may stand anywhere in it.
fn before_quote_reaching(cx: &Context, from: usize, to: usize, whole: bool) -> Attribution {
    let words = sentence_up_to(cx.text, from, to);
    let clause = &words[..];
    if clause.is_empty() {
        return Attribution::default();
    }
    // "according to X," right before the quote, with no verb of saying before it.
    if let Some(a) = clause
        .windows(2)
        .position(|p| bare(p[0].text) == "according" && bare(p[1].text) == "to")
        .filter(|&a| !clause[..a].iter().any(|w| is_cue(w.text)))
    {
        let subject: Vec<Word> = clause[a + 2..]
            .iter()
            .take_while(|w| !w.text.ends_with(','))
            .chain(clause[a + 2..].iter().find(|w| w.text.ends_with(',')))
            .copied()
            .take(10)
            .collect();
        if plausible_subject(&subject) {
            return Attribution::of("according to", &subject);
        }
    }
    // The last cue in the clause.
    let Some(v) = clause.iter().rposition(|w| is_cue(w.text)) else {
        // "She then addressed the crowd: “...": a colon after a clause its subject opens.
        if clause.last().is_some_and(|w| w.text.ends_with(':')) {
            if let Some((a, b)) = cx.sentence_subject(clause) {
                return Attribution::of(":", &clause[a..b]);
            }
        }
        return Attribution::default();
    };
    let verb = bare(clause[v].text);
    // Close to the mark, or a reported clause that runs into the quote ("X added that ...").
    let that = clause.get(v + 1).is_some_and(|w| bare(w.text) == "that");
    let far = !whole && clause.len() - v > if that { 30 } else { 9 };
    if clause.len() - v > if whole { 40 } else { 30 } {
        return Attribution::default();
    }
    let inverted = matches!(
        verb.as_str(),
        "said" | "says" | "added" | "adds" | "wrote" | "writes" | "explained" | "continued"
    );
    // "“...” and said", "X lamented ... and criticized “...”": the sentence's subject.
    if v > 0 && matches!(bare(clause[v - 1].text).as_str(), "and" | "but" | "or") {
        let found = cx.subject_attribution(&verb, cx.sentence_words(to));
        if found.phrase.is_some() {
            return found;
        }
    }
    // "Said X, ...", "In other words, explained X:": the one comma before the verb closes an
    // adverbial, not a subject.
    let after_adverbial = v > 0
        && clause[v - 1].text.ends_with(',')
        && !clause[..v - 1].iter().any(|w| w.text.ends_with(','));
    if (v == 0 || after_adverbial) && inverted {
        // "Said Ann Lee, who grew up there, “...": the subject follows its verb.
        let (subject, head) = subject_after_verb(&clause[1..]);
        if head > 0
            && plausible_subject(&subject[..head.min(subject.len())])
            && !RELATIVES.has(&bare(subject[0].text))
        {
            return Attribution::of(&verb, &subject[..head]);
        }
    }
    let progressive = v > 0 && AUXILIARIES.has(&bare(clause[v - 1].text));
    if is_participle(clause[v].text) && !progressive {
        // "with Sen. John McCain calling it", "Ryan saying": a name or a pronoun right before
        // the participle is its subject.
        let mut n = v;
        while n > 0 && starts_upper(clause[n - 1].text) && !clause[n - 1].text.ends_with(',') {
            n -= 1;
        }
        let lead = (n > 0).then(|| clause[n - 1].text).filter(|w| {
            w.ends_with(',') || is_dash(w) || matches!(bare(w).as_str(), "with" | "and")
        });
        if n < v && lead.is_some() && cx.may_open_name(&clause[n], false) {
            return Attribution::of(&verb, &clause[n..v]);
        }
        if v > 0 && matches!(bare(clause[v - 1].text).as_str(), "he" | "she" | "they") {
            return Attribution::of(&verb, &clause[v - 1..v]);
        }
        // "X said Tuesday, noting": the subject of the cue before the participle's comma.
        if v >= 2 && clause[v - 1].text.ends_with(',') {
            let earlier = before_quote(cx, clause[0].start, clause[v - 1].end - 1);
            if let Some((a, b)) = earlier.phrase {
                return Attribution {
                    cue: Some(verb),
                    phrase: Some((a, b)),
                    of_sentence: false,
                };
            }
        }
        // "..., saying": the sentence's subject.
        return cx.subject_attribution(&verb, cx.sentence_words(to));
    }
    // The subject: the words before the verb back to a clause break.
    let mut s = v;
    while s > 0 {
        let w = clause[s - 1].text;
        if w.ends_with([';', ':'])
            || is_dash(w)
            || (w.ends_with(',') && s < v && !subject_goes_on(&clause[s..v]))
        {
            break;
        }
        s -= 1;
        if v - s >= 10 {
            break;
        }
    }
    let mut subject = trim_auxiliaries(&clause[s..v]);
    // "and Breitbart News responded": the conjunction is not the subject's.
    while subject.len() > 1
        && matches!(
            bare(subject[0].text).as_str(),
            "and" | "but" | "so" | "then"
        )
    {
        subject = &subject[1..];
    }
    // Words that open a clause, not a subject ("that Trump", "who has told aides", "and"):
    // the verb's subject is the one that opens the sentence.
    let opens_clause = subject.first().is_none_or(|w| {
        let b = bare(w.text);
        w.text.chars().next().is_some_and(char::is_lowercase)
            && !PRONOUNS.has(&b)
            && !matches!(
                b.as_str(),
                "the"
                    | "a"
                    | "an"
                    | "his"
                    | "her"
                    | "their"
                    | "its"
                    | "one"
                    | "another"
                    | "some"
                    | "many"
                    | "several"
            )
    });
    if opens_clause {
        // "what it calls", "which he described as": the pronoun or name after the clause's
        // first word is the verb's subject.
        // "in which he says": a preposition may lead the relative word.
        let relative = subject
            .iter()
            .take(2)
            .position(|w| RELATIVES.has(&bare(w.text)))
            .map(|r| r + 1);
        if let Some(r) = relative.filter(|&r| r < subject.len()) {
            if let Some((0, n)) = cx.sentence_subject(&subject[r..]) {
                return Attribution::of(&verb, &subject[r..r + n]);
            }
        }
        return cx.subject_attribution(&verb, cx.sentence_words(to));
    }
    // Far from the mark, the verb's subject must open the clause ("Ted Cruz accuses Obama of
    // “leading from behind”").
    // Close to the mark, a short phrase that a determiner opens is the speaker whatever its
    // words ("the lawyers said, “...").
    let determined = subject.len() <= 5 && DETERMINERS.has(&bare(subject[0].text));
    if !(plausible_subject(subject) || (determined && !far)) || (far && s != 0) {
        return Attribution::default();
    }
    Attribution::of(&verb, subject)
}

/// Words that open a subordinate clause and stand before its subject ("which he described
/// as", "what it calls").
static RELATIVES: Lexicon = Lexicon::new(&[
    "what", "which", "who", "whom", "as", "when", "where", "while", "whatever", "how",
]);

/// Words that open a sentence without being its subject or the start of a name: prepositions,
/// conjunctions, adverbs of time and manner ("Hours later,", "In other words,").
static OPENERS: Lexicon = Lexicon::new(&[
    "in",
    "on",
    "at",
    "after",
    "before",
    "during",
    "while",
    "when",
    "whenever",
    "as",
    "if",
    "but",
    "and",
    "so",
    "then",
    "yet",
    "or",
    "nor",
    "still",
    "also",
    "though",
    "although",
    "despite",
    "since",
    "because",
    "until",
    "unless",
    "instead",
    "meanwhile",
    "however",
    "later",
    "earlier",
    "hours",
    "days",
    "minutes",
    "moments",
    "weeks",
    "months",
    "years",
    "now",
    "here",
    "there",
    "today",
    "yesterday",
    "tonight",
    "last",
    "next",
    "this",
    "that",
    "these",
    "those",
    "with",
    "without",
    "from",
    "for",
    "by",
    "to",
    "among",
    "amid",
    "asked",
    "speaking",
    "both",
    "each",
    "every",
    "all",
    "much",
    "more",
    "most",
    "some",
    "many",
    "such",
    "even",
    "only",
    "just",
    "again",
    "finally",
    "ultimately",
    "separately",
    "similarly",
    "indeed",
    "afterward",
    "afterwards",
    "recently",
    "previously",
    "once",
    "first",
    "second",
    "third",
    "rather",
    "of",
    "over",
    "under",
    "through",
    "throughout",
    "within",
    "against",
    "toward",
    "towards",
    "behind",
    "beyond",
    "like",
    "unlike",
    "following",
    "according",
    "regarding",
    "contrast",
    "what",
    "which",
    "where",
    "who",
    "how",
    "why",
    "whether",
    "it",
    "its",
    "there",
    "thus",
    "therefore",
    "otherwise",
    "besides",
    "overall",
    "altogether",
    "elsewhere",
    "yes",
    "no",
    "not",
    "never",
    "perhaps",
    "maybe",
    "sometimes",
    "often",
    "again",
    "ever",
    "almost",
    "about",
    "around",
    "into",
    "onto",
    "upon",
    "via",
    "per",
    "outside",
    "inside",
    "near",
    "across",
    "along",
    "above",
    "below",
    "beneath",
    "beside",
    "between",
    "off",
    "out",
    "up",
    "down",
    "back",
    "away",
    "meantime",
    "initially",
    "eventually",
    "soon",
    "shortly",
    "late",
    "early",
    "tomorrow",
    "my",
    "our",
    "your",
]);

/// Determiners that open a noun phrase that may name a speaker ("the former House Speaker").
static DETERMINERS: Lexicon = Lexicon::new(&[
    "the", "a", "an", "his", "her", "their", "its", "one", "another", "some", "many", "several",
    "two", "three", "both", "other",
]);

/// A dash standing alone between words: it sets off an aside.
fn is_dash(w: &str) -> bool {
    matches!(w, "—" | "―" | "–" | "--" | "-")
}

/// A word's core: without the punctuation around it and without a possessive, case kept.
fn core(w: &str) -> &str {
    let t = w.trim_matches(|c: char| !c.is_alphanumeric());
    t.strip_suffix("’s")
        .or_else(|| t.strip_suffix("'s"))
        .unwrap_or(t)
}

fn starts_upper(w: &str) -> bool {
    w.trim_start_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
}

/// How an article writes a word, so that a capitalised word that opens a sentence can be
/// told a name ("Trump said") from a word that only opens it ("Hours later"): a name is
/// capitalised inside sentences too, or never written in lower case. Read by searching the
/// text for the words asked about, each once.
struct Casing<'t> {
    text: &'t str,
    known: std::cell::RefCell<std::collections::HashMap<String, bool>>,
}

impl<'t> Casing<'t> {
    fn new(text: &'t str) -> Casing<'t> {
        Casing {
            text,
            known: Default::default(),
        }
    }

    /// Whether `word` (its core, as written at a sentence's start) is a name by the text's
    /// casing.
    fn names(&self, word: &str) -> bool {
        if let Some(&known) = self.known.borrow().get(word) {
            return known;
        }
        let lower = word.to_lowercase();
        let name = self.capitalised_inside(word)
            || (!self.occurs(&lower) && !lower.ends_with("ing") && !lower.ends_with("ly"));
        self.known.borrow_mut().insert(word.to_string(), name);
        name
    }

    /// Where `word` stands in the text as a whole word.
    fn whole<'a>(&'a self, word: &'a str) -> impl Iterator<Item = usize> + 'a {
        let text = self.text;
        text.match_indices(word).map(|(i, _)| i).filter(move |&i| {
            !text[..i].ends_with(char::is_alphanumeric)
                && !text[i + word.len()..].starts_with(char::is_alphanumeric)
        })
    }

    fn occurs(&self, word: &str) -> bool {
        self.whole(word).next().is_some()
    }

    /// Written with its capital after a word of the same sentence, outside a quote's start.
    fn capitalised_inside(&self, word: &str) -> bool {
        self.whole(word).any(|i| {
            let before = self.text[..i].trim_end_matches([' ', '\t']);
            before.len() < i
                && before.ends_with(|c: char| c.is_alphanumeric() || ",;)".contains(c))
                && !before
                    .rsplit(char::is_whitespace)
                    .next()
                    .is_some_and(ends_sentence)
        })
    }
}

/// After a comma, the words up to the verb are an apposition ("Peskov, the Kremlin's
/// spokesman, said") only when they close with a comma themselves.
fn subject_goes_on(rest: &[Word]) -> bool {
    rest.last().is_some_and(|w| w.text.ends_with(','))
}

/// Where names may stand for a pronoun: the sentences before it, outside quotes.
struct Context<'t> {
    text: &'t str,
    words: Vec<Word<'t>>,
    spans: &'t [Span],
    registry: &'t Registry,
    casing: Casing<'t>,
}

impl<'t> Context<'t> {
    /// A capitalised word that can open a name; `at_start`: it opens its sentence, where
    /// every word has a capital, and counts as a name only if the article capitalises it
    /// inside sentences too, or never writes it in lower case.
    fn may_open_name(&self, w: &Word, at_start: bool) -> bool {
        let b = bare(w.text);
        if !starts_upper(w.text) || OPENERS.has(&b) || DETERMINERS.has(&b) || PRONOUNS.has(&b) {
            return false;
        }
        if !at_start {
            return true;
        }
        self.casing.names(core(w.text))
    }

    /// The subject of the clause that `clause` opens, as a range of its words: past an
    /// opening adverbial ("Hours later,", "On Twitter,"), a pronoun, a name, or a short noun
    /// phrase with a name or a role noun in it ("the former House Speaker").
    fn sentence_subject(&self, clause: &[Word]) -> Option<(usize, usize)> {
        // A sentence that opens with a quote: its subject comes after the quote.
        let quoted = clause.iter().take_while(|w| self.quoted(w.start)).count();
        let (a, b) = self.clause_subject(&clause[quoted..], quoted == 0)?;
        Some((a + quoted, b + quoted))
    }

    /// [`Self::sentence_subject`] of a clause; `at_start`: the clause opens its sentence.
    fn clause_subject(&self, clause: &[Word], at_start: bool) -> Option<(usize, usize)> {
        let first = clause.first()?;
        let fb = bare(first.text);
        let mut i = 0;
        let pronoun = matches!(fb.as_str(), "he" | "she" | "they");
        let name = starts_upper(first.text) && self.may_open_name(first, at_start);
        if !pronoun && !DETERMINERS.has(&fb) && !name {
            i = match clause.iter().take(12).position(|w| w.text.ends_with(',')) {
                Some(c) => c + 1,
                None => {
                    1 + clause[1..]
                        .iter()
                        .take_while(|w| OPENERS.has(&bare(w.text)))
                        .count()
                }
            };
        }
        let w = clause.get(i)?;
        let b = bare(w.text);
        if matches!(b.as_str(), "he" | "she" | "they") {
            return Some((i, i + 1));
        }
        if self.may_open_name(w, i == 0 && at_start) {
            let n = clause[i..]
                .iter()
                .take(6)
                .take_while(|x| {
                    starts_upper(x.text)
                        || CONNECTOR_WORDS.contains(&bare(x.text).as_str())
                        || (x.text.starts_with('(') && x.text.ends_with(')'))
                })
                .count();
            let n = clause[i..i + n]
                .iter()
                .position(|x| x.text.ends_with([',', ';', ':', '.']) && !ends_name(x.text))
                .map_or(n, |c| c + 1);
            return Some((i, i + n));
        }
        // A noun phrase up to its verb.
        let mut j = i;
        while j < clause.len() && j - i < 6 {
            let x = clause[j];
            if is_cue(x.text) || AUXILIARIES.has(&bare(x.text)) || RELATIVES.has(&bare(x.text)) {
                break;
            }
            j += 1;
            if x.text.ends_with([',', ';', ':']) {
                break;
            }
        }
        let phrase = &clause[i..j];
        let opens = phrase.first().is_some_and(|x| {
            DETERMINERS.has(&bare(x.text)) || x.text.chars().next().is_some_and(char::is_lowercase)
        });
        // A name or a role noun in it, or a determiner and a noun or two ("the ad").
        let named = phrase
            .iter()
            .enumerate()
            .any(|(k, x)| (k > 0 && starts_upper(x.text)) || ROLE_NOUNS.has(&bare(x.text)))
            || (starts_upper(phrase.first()?.text) && !DETERMINERS.has(&bare(phrase[0].text)))
            || (DETERMINERS.has(&bare(phrase[0].text)) && (2..=4).contains(&phrase.len()));
        (opens && named).then_some((i, j))
    }

    /// The words of the sentence that `to` stands in, up to `to`: back to the last sentence
    /// end outside quotes, in the same paragraph.
    fn sentence_words(&self, to: usize) -> &[Word<'t>] {
        let end = self.words.partition_point(|w| w.start < to);
        let mut j = end;
        while j > 0 && end - j < 80 {
            let (prev, w) = (&self.words[j - 1], &self.words[j.min(end - 1)]);
            if j < end && self.text[prev.end..w.start].contains('\n') {
                break;
            }
            if j < end
                && ends_sentence(prev.text)
                && (!self.quoted(prev.start) || starts_upper(w.text))
            {
                break;
            }
            j -= 1;
        }
        &self.words[j..end]
    }

    /// The cue with the subject of the clause it stands in.
    fn subject_attribution(&self, verb: &str, clause: &[Word]) -> Attribution {
        self.sentence_subject(clause)
            .map_or_else(Attribution::default, |(a, b)| {
                Attribution::of(verb, &clause[a..b])
            })
    }
}

/// Words that join the parts of a name ("Ursula von der Leyen").
const CONNECTOR_WORDS: &[&str] = &[
    "al", "bin", "ibn", "de", "da", "di", "van", "von", "der", "la", "le", "del",
];

/// An abbreviation that a name may end in or hold ("Sen.", "D-Mo.)", "Jr.").
fn ends_name(w: &str) -> bool {
    let stem = w.trim_end_matches([',', ')']).trim_end_matches('.');
    w.ends_with('.') && is_abbreviation(stem.trim_start_matches('('))
}

impl Context<'_> {
    fn quoted(&self, at: usize) -> bool {
        let i = self.spans.partition_point(|s| s.close <= at);
        self.spans.get(i).is_some_and(|s| s.open <= at)
    }

    /// A one-word name to the full name the article gave, else itself.
    fn full(&self, name: String, at: usize) -> String {
        if name.split_whitespace().count() == 1 {
            self.registry
                .full_name(&name, at)
                .map_or(name, str::to_string)
        } else {
            name
        }
    }

    /// The person a pronoun at `at` stands for: the subject of one of the three sentences
    /// before it (a name that opens the sentence, else its first full name outside quotes
    /// that no preposition or article leads), else the latest speaker.
    fn antecedent(&self, at: usize, latest_speaker: Option<&str>) -> Option<String> {
        let end = self.words.partition_point(|w| w.start < at);
        let mut stop = end;
        for _ in 0..3 {
            let begin = self.words[..stop.saturating_sub(1)]
                .iter()
                .rposition(|w| ends_sentence(w.text) && !self.quoted(w.start))
                .map_or(0, |i| i + 1);
            let sentence = &self.words[begin..stop];
            if let Some(name) = self.subject_of(sentence) {
                return Some(name);
            }
            if begin == 0 {
                break;
            }
            stop = begin;
        }
        latest_speaker.map(str::to_string)
    }

    /// A name that can be a person's: not a place, a body or a title of a work.
    fn personal(name: &str) -> bool {
        const NOT_PERSONS: &[&str] = &[
            "states",
            "times",
            "center",
            "centre",
            "community",
            "county",
            "party",
            "campaign",
            "committee",
            "news",
            "post",
            "house",
            "department",
            "university",
            "street",
            "city",
            "republic",
            "union",
            "council",
            "court",
            "fund",
            "foundation",
            "institute",
            "association",
            "league",
            "network",
            "agency",
            "office",
            "bank",
            "group",
            "review",
            "journal",
            "press",
            "daily",
            "america",
            "york",
            "jersey",
            "virginia",
            "carolina",
            "dakota",
            "korea",
            "arabia",
            "africa",
            "kingdom",
            "east",
            "west",
            "north",
            "south",
            "senate",
            "congress",
            "administration",
            "ministry",
            "service",
            "services",
            "board",
            "commission",
            "corporation",
            "company",
            "inc",
            "project",
            "program",
            "act",
            "bill",
            "day",
            "night",
            "week",
            "show",
            "tv",
            "radio",
            "magazine",
            "club",
            "church",
            "school",
            "college",
            "hospital",
            "airport",
            "island",
            "islands",
            "valley",
            "river",
            "lake",
            "park",
            "square",
            "hall",
            "tower",
            "building",
            "plaza",
            "avenue",
            "road",
            "jose",
            "angeles",
            "francisco",
            "diego",
            "vegas",
            "antonio",
            "orleans",
            "hampshire",
            "mexico",
            "asia",
            "europe",
            "china",
            "russia",
            "iran",
            "iraq",
            "syria",
            "israel",
            "guard",
            "force",
            "forces",
            "army",
            "navy",
            "police",
            "security",
            "intelligence",
            "council",
            "movement",
            "matter",
            "primary",
            "convention",
            "debate",
            "caucus",
            "caucuses",
            "coalition",
            "alliance",
            "federation",
            "organization",
            "organisation",
            "front",
        ];
        let words: Vec<String> = name.split_whitespace().map(bare).collect();
        (2..=4).contains(&words.len())
            && !name.contains(['’', '\''])
            && !name
                .split_whitespace()
                .any(|w| w.len() > 1 && w.chars().all(|c| c.is_uppercase()))
            && !words
                .iter()
                .any(|w| NOT_PERSONS.contains(&w.as_str()) || w == "of" || w == "for")
    }

    fn subject_of(&self, sentence: &[Word]) -> Option<String> {
        let first = sentence.iter().find(|w| !self.quoted(w.start))?;
        let named = split_phrase(first.text);
        if let Some(name) = named
            .name
            .filter(|_| sentence.first().is_some_and(|w| w.start == first.start))
        {
            if let Some(full) = self.registry.full_name(&name, first.start) {
                return Some(full.to_string());
            }
        }
        let (from, to) = (sentence.first()?.start, sentence.last()?.end);
        self.registry
            .within(from, to)
            .find(|&(p, n)| {
                !self.quoted(p) && Self::personal(n) && {
                    let before = self.text[..p].split_whitespace().next_back().map(bare);
                    !before.is_some_and(|b| {
                        matches!(
                            b.as_str(),
                            "the"
                                | "of"
                                | "in"
                                | "at"
                                | "from"
                                | "to"
                                | "on"
                                | "for"
                                | "by"
                                | "with"
                                | "into"
                                | "a"
                        )
                    })
                }
            })
            .map(|(_, n)| n.to_string())
            .or_else(|| {
                // A surname the article spelled out in full before ("asked Clinton why").
                sentence
                    .iter()
                    .filter(|w| {
                        !self.quoted(w.start)
                            && w.text.chars().next().is_some_and(char::is_uppercase)
                    })
                    .find_map(|w| {
                        let name = split_phrase(w.text).name?;
                        self.registry.full_name(&name, w.start).map(str::to_string)
                    })
            })
    }
}

/// Find every quote of `text`.
pub fn find_quotes(text: &str) -> Vec<Quote> {
    let pars = paragraphs(text);
    let spans = find_spans(text, &pars);
    let registry = Registry::read(text);
    let chars = CharOffsets::new(text);
    let cx = Context {
        text,
        words: words_in(text, 0, text.len()),
        spans: &spans,
        registry: &registry,
        casing: Casing::new(text),
    };
    let mut quotes = Vec::new();
    let mut last: Option<(usize, Option<String>, Option<String>)> = None; // paragraph, speaker, role
    for (k, span) in spans.iter().enumerate() {
        let p_to = pars[pars.len().min(span.paragraph + span.parts.len()) - 1].1;
        let par_start = pars[span.paragraph].0;
        let next_open = spans
            .get(k + 1)
            .filter(|s| s.paragraph == span.paragraph + span.parts.len() - 1)
            .map_or(p_to, |s| s.open);
        let prev_close = k
            .checked_sub(1)
            .map(|j| &spans[j])
            .filter(|s| s.paragraph + s.parts.len() - 1 == span.paragraph)
            .map_or(par_start, |s| s.close);
        let inner = &text[span.start..span.end];
        let words = inner.split_whitespace().count();
        let ends_full = inner.trim_end().ends_with('.');
        // A quote inside a sentence that a cue before it leads to ("X said Y was “...”
        // when ...") is that cue's, whatever verbs follow it.
        let mut attribution = if prev_close < span.open {
            before_quote(&cx, prev_close, span.open)
        } else {
            Attribution::default()
        };
        // A colon with no verb ("Clinton seemed irritated: “...” she wrote") yields to a cue
        // after the quote.
        if attribution.phrase.is_none() || attribution.cue.as_deref() == Some(":") {
            attribution = Attribution::default();
        }
        if attribution.cue.is_none() && span.close < next_open {
            let open_ended = inner.trim_end().ends_with([',', '?', '!', '—']);
            let after = after_quote(text, span.close, next_open, open_ended);
            let lower_next = text[span.close..next_open]
                .trim_start_matches(|c: char| c.is_whitespace() || c == ',')
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase() || "—―–".contains(c));
            if after.cue.is_some() && (!ends_full || lower_next) {
                attribution = after;
            }
        }
        if attribution.of_sentence {
            let verb = attribution.cue.take().unwrap_or_default();
            attribution = cx.subject_attribution(&verb, cx.sentence_words(span.open));
        }
        if attribution.cue.is_none() && prev_close < span.open {
            attribution = before_quote(&cx, prev_close, span.open);
        }
        // A quote that ends its paragraph, signed on the next line ("- Clinton").
        let last_par = span.paragraph + span.parts.len() - 1;
        if attribution.cue.is_none() && text[span.close..p_to].trim().is_empty() {
            if let Some(&(from, to)) = pars.get(last_par + 1) {
                let line = text[from..to].trim_start();
                if line.starts_with(['-', '—', '―', '–']) && line.split_whitespace().count() <= 8
                {
                    let signed = after_quote(text, from, to, true);
                    if signed.cue.is_some() {
                        attribution = signed;
                    }
                }
            }
        }
        // A paragraph that opens with the quote, after one that ends with a colon ("Caddell
        // continued:"): the cue is there.
        if attribution.cue.is_none()
            && span.paragraph > 0
            && text[par_start..span.open].trim().is_empty()
        {
            let (from, to) = pars[span.paragraph - 1];
            let last_quote_close = spans[..k]
                .iter()
                .rev()
                .find(|s| s.close <= to && s.close > from)
                .map_or(from, |s| s.close);
            if text[from..to].trim_end().ends_with(':') && last_quote_close < to {
                attribution = before_quote(&cx, last_quote_close, to);
            }
        }
        // A quote that opens a sentence after one of its paragraph that has a cue and a
        // subject ("Schiff said. “...”", "Kerry said that ... . “...”") is that subject's.
        if attribution.cue.is_none() && prev_close < span.open {
            attribution = previous_sentence(&cx, prev_close, span.open);
        }
        // A quote inside a sentence, with no cue: words of the sentence's subject ("He
        // pledges to stand firm against its “cheating”"). That alone does not make a few
        // words in marks a quote.
        let mut by_sentence = false;
        if attribution.phrase.is_none() && !sentence_up_to(text, prev_close, span.open).is_empty() {
            by_sentence = true;
            if let Some((a, b)) = cx.sentence_subject(cx.sentence_words(span.open)) {
                let sentence = cx.sentence_words(span.open);
                attribution.phrase = Some((sentence[a].start, sentence[b - 1].end));
            }
        }
        let at = span.open;
        let latest_speaker = last
            .as_ref()
            .filter(|(lp, _, _)| span.paragraph <= lp + 3)
            .and_then(|(_, s, _)| s.as_deref());
        let (mut speaker, mut role) = (None, None);
        if let Some((a, b)) = attribution.phrase {
            let named = split_phrase(&text[a..b]);
            role = named.role.clone();
            speaker = if let Some(p) = named.pronoun {
                (!matches!(p.as_str(), "i" | "we"))
                    .then(|| cx.antecedent(a, latest_speaker))
                    .flatten()
            } else if let Some(name) = named.name {
                Some(cx.full(name, at))
            } else {
                role.as_deref()
                    .and_then(|r| registry.by_role(r, at))
                    .map(str::to_string)
            };
        } else if let Some((lp, s, r)) = &last {
            // A quote with no cue of its own: split by "he said", or a paragraph that is only
            // a quote after a quoted speaker.
            let same = *lp == span.paragraph;
            let follows = *lp + 1 == span.paragraph && text[par_start..span.open].trim().is_empty();
            if same || follows {
                speaker = s.clone();
                role = r.clone();
                attribution.cue = None;
            }
        }
        // A quote after an attributed one of the same paragraph, or one that opens the next
        // paragraph, is someone's words even when the sentence around it names no speaker.
        let continues = last.as_ref().is_some_and(|(lp, _, _)| {
            *lp == span.paragraph
                || (*lp + 1 == span.paragraph && text[par_start..span.open].trim().is_empty())
        });
        let attributed =
            (speaker.is_some() && (!by_sentence || continues)) || attribution.cue.is_some();
        // Scare quotes and titles: a few words with nobody saying them.
        if !attributed && words < 4 {
            continue;
        }
        if attributed {
            last = Some((
                span.paragraph + span.parts.len() - 1,
                speaker.clone(),
                role.clone(),
            ));
        }
        let text_joined = span
            .parts
            .iter()
            .map(|&(a, b)| text[a..b].trim())
            .collect::<Vec<_>>()
            .join(" ");
        quotes.push(Quote {
            text: text_joined,
            speaker,
            speaker_role: role,
            cue: attribution.cue,
            kind: QuoteKind::Direct,
            start: chars.at(span.start),
            end: chars.at(span.end),
            speaker_at: attribution.phrase.map(|(a, b)| (chars.at(a), chars.at(b))),
        });
    }
    quotes.extend(reported(&cx, &pars, &chars));
    quotes.sort_by_key(|q| (q.start, q.end));
    quotes
}

/// Reported speech in sentences without quotation marks: `X said (that) CLAUSE` and
/// `CLAUSE, X said.`
fn reported(cx: &Context, pars: &[(usize, usize)], chars: &CharOffsets) -> Vec<Quote> {
    let (text, spans, registry) = (cx.text, cx.spans, cx.registry);
    let quoted = |a: usize, b: usize| spans.iter().any(|s| s.open < b && s.close > a);
    let mut out = Vec::new();
    for &(from, to) in pars {
        let words = words_in(text, from, to);
        let mut s = 0;
        while s < words.len() {
            let e = (s..words.len())
                .find(|&i| ends_sentence(words[i].text))
                .unwrap_or(words.len() - 1);
            let sentence = &words[s..=e];
            s = e + 1;
            if sentence.len() < 5 || quoted(sentence[0].start, sentence[sentence.len() - 1].end) {
                continue;
            }
            let reporting = |w: &Word| REPORTING.has(&bare(w.text));
            // X said (that) CLAUSE: the verb within the first ten words.
            let lead = sentence.iter().take(11).position(reporting).filter(|&v| {
                v > 0 && v + 3 < sentence.len() && !NOT_SUBJECT.has(&bare(sentence[0].text))
            });
            let found = if let Some(v) = lead {
                let subject = &sentence[..v];
                let mut c = v + 1;
                if bare(sentence[v].text) == "told" && c < sentence.len() {
                    // told reporters (that)
                    while c < sentence.len()
                        && c <= v + 3
                        && bare(sentence[c].text) != "that"
                        && !sentence[c - 1].text.ends_with(',')
                    {
                        c += 1;
                    }
                }
                if sentence.get(c).is_some_and(|w| bare(w.text) == "that") {
                    c += 1;
                }
                (plausible_subject(subject)
                    && !subject.iter().any(|w| w.text.ends_with(','))
                    && c < sentence.len())
                .then(|| (subject.to_vec(), v, c, sentence.len()))
            } else {
                // CLAUSE, X said. / CLAUSE, said X.
                let comma = sentence.iter().rposition(|w| w.text.ends_with(','));
                comma.and_then(|c| {
                    let tail = &sentence[c + 1..];
                    let v = tail.iter().position(reporting)?;
                    let subject: Vec<Word> = if v == 0 {
                        subject_after_verb(&tail[1..]).0
                    } else {
                        trim_auxiliaries(&tail[..v]).to_vec()
                    };
                    (c >= 4 && tail.len() <= 10 && plausible_subject(&subject))
                        .then(|| (subject, c + 1 + v, 0, c + 1))
                })
            };
            let Some((subject_words, v, c0, c1)) = found else {
                continue;
            };
            if subject_words.is_empty() {
                continue;
            }
            let (a, b) = (
                subject_words[0].start,
                subject_words[subject_words.len() - 1].end,
            );
            let named = split_phrase(&text[a..b]);
            let speaker = if let Some(name) = named.name {
                Some(cx.full(name, a))
            } else if named.pronoun.is_some() {
                cx.antecedent(a, None)
            } else {
                named
                    .role
                    .as_deref()
                    .and_then(|r| registry.by_role(r, a))
                    .map(str::to_string)
            };
            let content = &sentence[c0..c1];
            let Some(first) = content.first() else {
                continue;
            };
            let last_word = content[content.len() - 1];
            let end = last_word.start + last_word.text.trim_end_matches([',', '.']).len();
            out.push(Quote {
                text: text[first.start..end].to_string(),
                speaker,
                speaker_role: named.role,
                cue: Some(bare(sentence[v].text)),
                kind: QuoteKind::Reported,
                start: chars.at(first.start),
                end: chars.at(end),
                speaker_at: Some((chars.at(a), chars.at(b))),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn direct(text: &str) -> Vec<(String, Option<String>)> {
        find_quotes(text)
            .into_iter()
            .filter(|q| q.kind == QuoteKind::Direct)
            .map(|q| (q.text, q.speaker))
            .collect()
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn speakers_after_and_before_the_quote() {
        let text = "Kremlin spokesman Dmitry Peskov spoke to reporters on Monday.\n\n\
            “We are ready to work together,” Peskov said. “But not on these terms.”\n\n\
            State Department spokesman John Kirby said: \"There is no deal yet.\"\n\n\
            \"We will see,\" said Kirby, the spokesman.";
        let q = direct(text);
        assert_eq!(
            q[0],
            ("We are ready to work together,".into(), s("Dmitry Peskov"))
        );
        assert_eq!(q[1], ("But not on these terms.".into(), s("Dmitry Peskov")));
        assert_eq!(q[2], ("There is no deal yet.".into(), s("John Kirby")));
        assert_eq!(q[3], ("We will see,".into(), s("John Kirby")));
    }

    #[test]
    fn pronouns_roles_and_marks() {
        let text = "Russian Foreign Minister Sergei Lavrov met his counterpart.\n\n\
            «Nous verrons», he said.\n\n\
            „Es ist zu früh“, he added, according to the ministry.";
        let q = find_quotes(text);
        assert_eq!(q[0].speaker.as_deref(), Some("Sergei Lavrov"));
        assert_eq!(q[0].text, "Nous verrons");
        assert_eq!(q[1].text, "Es ist zu früh");
        assert_eq!(q[1].speaker.as_deref(), Some("Sergei Lavrov"));
        let roles = find_quotes("“The talks have failed again today,” a senior official said.");
        assert_eq!(roles[0].speaker, None);
        assert_eq!(roles[0].speaker_role.as_deref(), Some("senior official"));
    }

    #[test]
    fn quotes_over_paragraphs_and_offsets() {
        let text = "“The first part of it goes on\n\n“and ends here,” she said.";
        let q = direct(text);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].0, "The first part of it goes on and ends here,");
        let offsets = find_quotes("Ä “Ünïcode words in the quote,” he said.");
        let chars: Vec<char> = "Ä “Ünïcode words in the quote,” he said.".chars().collect();
        let got: String = chars[offsets[0].start..offsets[0].end].iter().collect();
        assert_eq!(got, "Ünïcode words in the quote,");
    }

    #[test]
    fn broken_marks_and_scare_quotes() {
        // Never closes: no quote, no panic.
        assert!(direct("He said “this never ends and goes on").is_empty());
        // A term in marks with nobody saying it is not a quote.
        assert!(direct("The so-called “moderate opposition” holds the town.").is_empty());
        let many = "“Yes,” he said. ".repeat(5000);
        assert_eq!(direct(&many).len(), 5000);
        assert!(find_quotes("\"\"\"“”„«»‘’")
            .iter()
            .all(|q| q.start <= q.end));
    }

    #[test]
    fn cues_in_many_shapes() {
        let text = "Mayor Ann Lee spoke first.\n\n\
            \"We will rebuild the bridge by spring,\" Lee thanked the crews.\n\n\
            \"The council has not voted on it yet,\" one council member wrote.\n\n\
            The union responded:\n\n\
            \"Nobody asked the workers what they think.\"\n\n\
            \"We need more buses on the night routes.\"\n\n\
            - Tom Reyes";
        let q = direct(text);
        assert_eq!(q[0].1, s("Ann Lee"));
        assert_eq!(q[1].1, None, "a role, no name: {q:?}");
        let roles = find_quotes(text);
        assert_eq!(roles[1].speaker_role.as_deref(), Some("one council member"));
        // The colon's clause names a body by a common noun: a role, no name.
        assert_eq!(q[2].1, None);
        assert_eq!(roles[2].speaker_role.as_deref(), Some("union"));
        assert_eq!(q[3].1, s("Tom Reyes"));
    }

    #[test]
    fn reported_speech_is_its_own_kind() {
        let text = "Dmitry Peskov said that the talks would resume next week in Geneva.";
        let q = find_quotes(text);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].kind, QuoteKind::Reported);
        assert_eq!(q[0].text, "the talks would resume next week in Geneva");
        assert_eq!(q[0].speaker.as_deref(), Some("Dmitry Peskov"));
    }

    #[test]
    fn subjects_past_openers_asides_and_later_verbs() {
        let text = "\"We will win this state,\" Sen. Ann Cole (D-Ore.) said Friday.\n\n\
            Hours later, Mayor Tom Hale spoke to the crowd, saying, \"The bridge stays open.\"\n\n\
            Senator Ruth Paley said the mayor was \"entirely wrong about it\" when he said the budget was fine.\n\n\
            Dan Oakes has used the phrase \"a rigged game for the rich\" often, and criticized his rivals.";
        let q = direct(text);
        assert_eq!(q[0].1, s("Ann Cole"), "{q:?}");
        assert_eq!(q[1].1, s("Tom Hale"), "{q:?}");
        assert_eq!(q[2].1, s("Ruth Paley"), "{q:?}");
        assert_eq!(q[3].1, s("Dan Oakes"), "{q:?}");
    }

    #[test]
    fn a_capitalised_sentence_opener_is_no_name() {
        // "Later" opens a sentence and is written in lower case elsewhere: not a speaker.
        let text = "The vote came later than planned.\n\n\
            Later, she told the crowd: \"We are not done with this fight.\"";
        let q = find_quotes(text);
        let d: Vec<_> = q.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
        assert_eq!(d.len(), 1);
        assert_ne!(d[0].speaker.as_deref(), Some("Later"));
        let casing = Casing::new(text);
        assert!(!casing.names("Later"));
        assert!(Casing::new("Ann Lee spoke. Later, she met Ann Lee.").names("Ann"));
        assert!(Casing::new("Lee spoke first.").names("Lee"));
    }

    #[test]
    fn speakers_in_the_sentence_before_and_after_the_clause() {
        let text = "Ruth Paley said on Monday at a meeting in the city hall that she and the mayor had made progress on the budget. \
            \"We have the votes for it now.\"\n\n\
            Said Ann Lee, who grew up in the town, \"We were all so proud of him.\"\n\n\
            \"The only way this will change is\" for the banks to pay, Tom Reyes said.\n\n\
            \"It was a long shot from the start,\" said Carl Moss of the University of Oregon School of Law.";
        let q = direct(text);
        assert_eq!(q[0].1, s("Ruth Paley"), "{q:?}");
        assert_eq!(q[1].1, s("Ann Lee"), "{q:?}");
        assert_eq!(q[2].1, s("Tom Reyes"), "{q:?}");
        assert_eq!(q[3].1, s("Carl Moss"), "{q:?}");
        let roles =
            find_quotes("These sources, the lawyers said, \"all point the same way in the end.\"");
        assert_eq!(roles[0].speaker_role.as_deref(), Some("lawyers"));
    }

    #[test]
    fn participles_and_conjoined_verbs_go_to_their_subject() {
        let text = "The plan is a mess, Mayor Tom Hale said Tuesday at the hall, noting that it \
            \"makes no sense for the town at all.\"\n\n\
            Ruth Paley called the plan \"weak\" and said it had \"no support among voters.\"\n\n\
            \"We will see how it goes,\" Ann Lee said, adding, \"The vote is next week.\"";
        let q = direct(text);
        assert_eq!(q[0].1, s("Tom Hale"), "{q:?}");
        let support = q.iter().find(|(t, _)| t.starts_with("no support")).unwrap();
        assert_eq!(support.1, s("Ruth Paley"), "{q:?}");
        let vote = q.iter().find(|(t, _)| t.starts_with("The vote")).unwrap();
        assert_eq!(vote.1, s("Ann Lee"), "{q:?}");
    }

    #[test]
    fn a_quote_inside_a_sentence_is_its_subjects() {
        let text = "Senator Ruth Paley stands firm against the board and its \
            \"cheating and blackmail of the whole town.\"\n\n\
            Members were unhappy, with Mayor Tom Hale calling the plan \"a menu with nothing on it.\"";
        let q = find_quotes(text);
        assert_eq!(q[0].speaker.as_deref(), Some("Ruth Paley"), "{q:?}");
        assert_eq!(q[0].cue, None);
        assert_eq!(q[1].speaker.as_deref(), Some("Tom Hale"), "{q:?}");
        // A few words in marks stay a term, whoever the sentence is about.
        assert!(direct("Senator Ruth Paley fought the \"reform\" for years.").is_empty());
    }
}
