//! Cues: what one block says about itself. A scored classifier over a block's features: the
//! furniture phrases it contains (a lexicon in English, German, French, Spanish, Italian,
//! Portuguese, Dutch and Russian, each phrase with a kind and a weight), its shape (length,
//! final punctuation, separators, a trailing credit in parentheses, a bare address, a counter),
//! its position in the article, and the lines the metadata readers took as a signature or a
//! source line. The score of the winning kind is damped by the block's length, so a long
//! sentence that mentions "Facebook" stays text.
//!
//! No phrase names an outlet or comes from one particular article; the lexicon holds what
//! outlets in general print around their articles.

use super::{Cue, FurnitureKind, PageHints};
use regex::Regex;
use std::sync::OnceLock;

use FurnitureKind::*;

/// Phrases (lower-case, words separated by single spaces, matched on word boundaries) with
/// their kind and weight. Weight 1.0 is a phrase that makes a short block furniture alone.
const LEXICON: &[(&str, FurnitureKind, f32)] = &[
    // Donation and membership appeals.
    ("donate", Donation, 0.8),
    ("donation", Donation, 0.6),
    ("donate now", Donation, 1.2),
    ("make a donation", Donation, 1.2),
    ("support us", Donation, 0.7),
    ("support our journalism", Donation, 1.2),
    ("support independent journalism", Donation, 1.2),
    ("independent journalism", Donation, 0.4),
    ("your support", Donation, 0.6),
    ("by supporting", Donation, 0.5),
    ("become a member", Donation, 1.0),
    ("become a patron", Donation, 1.2),
    ("become a supporter", Donation, 1.2),
    ("contribute today", Donation, 1.2),
    ("make a contribution", Donation, 1.0),
    ("remind me later", Donation, 1.2),
    ("remind me in", Donation, 0.8),
    ("dear readers", Donation, 0.6),
    ("dear reader", Donation, 0.6),
    ("support us monthly", Donation, 1.2),
    ("jetzt spenden", Donation, 1.2),
    ("unterstützen sie uns", Donation, 1.0),
    ("faire un don", Donation, 1.2),
    ("soutenez nous", Donation, 1.0),
    ("haz una donación", Donation, 1.2),
    ("apóyanos", Donation, 1.0),
    ("fai una donazione", Donation, 1.2),
    ("sostienici", Donation, 1.0),
    ("faça uma doação", Donation, 1.2),
    ("doneer", Donation, 0.8),
    ("поддержите нас", Donation, 1.0),
    ("пожертвовать", Donation, 1.0),
    // Share and follow prompts.
    ("share this", Share, 1.0),
    ("share this article", Share, 1.2),
    ("share this story", Share, 1.2),
    ("share on facebook", Share, 1.2),
    ("share on twitter", Share, 1.2),
    ("share", Share, 0.5),
    ("tweet", Share, 0.5),
    ("email this", Share, 0.8),
    ("print this", Share, 0.8),
    ("pin it", Share, 0.6),
    ("facebook", Share, 0.35),
    ("twitter", Share, 0.35),
    ("linkedin", Share, 0.5),
    ("whatsapp", Share, 0.5),
    ("reddit", Share, 0.35),
    ("telegram", Share, 0.3),
    ("pinterest", Share, 0.5),
    ("follow us", Share, 1.0),
    ("follow us on", Share, 1.2),
    ("like us on facebook", Share, 1.2),
    ("artikel teilen", Share, 1.2),
    ("teilen", Share, 0.5),
    ("partager", Share, 0.6),
    ("partager cet article", Share, 1.2),
    ("compartir", Share, 0.6),
    ("condividi", Share, 0.6),
    ("compartilhe", Share, 0.6),
    ("delen", Share, 0.4),
    ("поделиться", Share, 0.8),
    // Related and recommended links.
    ("related posts", Related, 1.2),
    ("related articles", Related, 1.2),
    ("related stories", Related, 1.2),
    ("related content", Related, 1.2),
    ("related coverage", Related, 1.2),
    ("related", Related, 0.5),
    ("read more", Related, 0.8),
    ("read also", Related, 1.0),
    ("also read", Related, 1.0),
    ("see also", Related, 0.8),
    ("you may also like", Related, 1.2),
    ("you might also like", Related, 1.2),
    ("recommended for you", Related, 1.2),
    ("more from", Related, 0.6),
    ("more stories", Related, 1.0),
    ("most popular", Related, 1.0),
    ("most read", Related, 1.0),
    ("trending now", Related, 1.0),
    ("further reading", Related, 0.8),
    ("lesen sie auch", Related, 1.2),
    ("mehr zum thema", Related, 1.2),
    ("das könnte sie auch interessieren", Related, 1.2),
    ("lire aussi", Related, 1.2),
    ("à lire aussi", Related, 1.2),
    ("sur le même sujet", Related, 1.2),
    ("te puede interesar", Related, 1.2),
    ("noticias relacionadas", Related, 1.2),
    ("lee también", Related, 1.2),
    ("leggi anche", Related, 1.2),
    ("articoli correlati", Related, 1.2),
    ("leia também", Related, 1.2),
    ("lees ook", Related, 1.2),
    ("читайте также", Related, 1.2),
    ("похожие статьи", Related, 1.2),
    // Source and republication lines.
    ("original url", SourceLine, 1.2),
    ("source article from", SourceLine, 1.2),
    ("originally published", SourceLine, 0.8),
    ("first appeared", SourceLine, 0.7),
    ("first published", SourceLine, 0.5),
    ("republished with permission", SourceLine, 1.0),
    ("read the original", SourceLine, 1.0),
    ("reprinted with permission", SourceLine, 1.0),
    ("contributed to this report", SourceLine, 0.8),
    ("additional reporting by", SourceLine, 0.8),
    ("reporting by", SourceLine, 0.6),
    ("editing by", SourceLine, 0.8),
    ("writing by", SourceLine, 0.6),
    // Newsletters and subscriptions.
    ("newsletter", Newsletter, 0.7),
    ("sign up", Newsletter, 0.6),
    ("sign up for", Newsletter, 0.8),
    ("subscribe", Newsletter, 0.6),
    ("subscribe now", Newsletter, 1.0),
    ("subscribe to our", Newsletter, 1.0),
    ("enter your email", Newsletter, 1.0),
    ("your email address", Newsletter, 0.6),
    ("in your inbox", Newsletter, 0.8),
    ("newsletter abonnieren", Newsletter, 1.2),
    ("abonnez vous", Newsletter, 1.0),
    ("inscrivez vous", Newsletter, 1.0),
    ("suscríbete", Newsletter, 1.0),
    ("iscriviti", Newsletter, 1.0),
    ("inscreva se", Newsletter, 1.0),
    ("подпишитесь", Newsletter, 1.0),
    // Cookie and consent notices.
    ("cookies", Cookie, 0.6),
    ("cookie policy", Cookie, 1.0),
    ("we use cookies", Cookie, 1.2),
    ("this site uses cookies", Cookie, 1.2),
    ("accept cookies", Cookie, 1.2),
    ("accept all", Cookie, 0.6),
    ("wir verwenden cookies", Cookie, 1.2),
    ("nous utilisons des cookies", Cookie, 1.2),
    ("utilizamos cookies", Cookie, 1.2),
    ("utilizziamo i cookie", Cookie, 1.2),
    ("мы используем cookie", Cookie, 1.2),
    // Navigation and page chrome.
    ("skip to content", Navigation, 1.2),
    ("skip to main content", Navigation, 1.2),
    ("main menu", Navigation, 1.0),
    ("back to top", Navigation, 1.2),
    ("next article", Navigation, 1.0),
    ("previous article", Navigation, 1.0),
    ("next post", Navigation, 1.0),
    ("previous post", Navigation, 1.0),
    ("older posts", Navigation, 1.0),
    ("newer posts", Navigation, 1.0),
    ("load more", Navigation, 1.0),
    ("show more", Navigation, 0.8),
    ("click here", Navigation, 0.6),
    ("log in", Navigation, 0.6),
    ("sign in", Navigation, 0.6),
    ("home", Navigation, 0.4),
    ("menu", Navigation, 0.5),
    ("search", Navigation, 0.4),
    ("contact us", Navigation, 0.7),
    ("about us", Navigation, 0.7),
    ("advertisement", Other, 1.0),
    ("sponsored", Other, 0.6),
    ("sponsored content", Other, 1.2),
    ("leave a comment", Navigation, 1.0),
    ("leave a reply", Navigation, 1.0),
    ("post a comment", Navigation, 1.0),
    ("comments are closed", Navigation, 1.2),
    ("you must be logged in", Navigation, 1.2),
    ("filed under", Navigation, 0.8),
    ("posted in", Navigation, 0.6),
    ("tags", Navigation, 0.5),
    ("permalink", Navigation, 0.8),
    ("alternate addresses", Other, 1.2),
    ("alternate address", Other, 1.2),
    ("can also be accessed", Other, 0.6),
    ("mirror site", Other, 0.8),
    // Legal lines.
    ("all rights reserved", Legal, 1.2),
    ("copyright", Legal, 0.8),
    ("terms of use", Legal, 1.0),
    ("terms of service", Legal, 1.0),
    ("terms and conditions", Legal, 1.0),
    ("privacy policy", Legal, 1.0),
    (
        "may not be published broadcast rewritten or redistributed",
        Legal,
        1.2,
    ),
    ("alle rechte vorbehalten", Legal, 1.2),
    ("impressum", Legal, 0.8),
    ("datenschutz", Legal, 0.8),
    ("tous droits réservés", Legal, 1.2),
    ("mentions légales", Legal, 1.0),
    ("todos los derechos reservados", Legal, 1.2),
    ("aviso legal", Legal, 1.0),
    ("tutti i diritti riservati", Legal, 1.2),
    ("todos os direitos reservados", Legal, 1.2),
    ("alle rechten voorbehouden", Legal, 1.2),
    ("все права защищены", Legal, 1.2),
];

struct Patterns {
    counter: Regex,
    credit_head: Regex,
    photo_words: Regex,
    source_head: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("valid cue regex");
        Patterns {
            // "Views: 0", "1,204 views", "12 comments", "Aufrufe: 3", "Просмотров: 5"
            counter: re(r"(?i)^(?:(?:views?|hits|reads|shares|likes|comments?|aufrufe|vues|visitas|vistas|visualizzazioni|visualizações|просмотров|просмотры|комментарии)\s*[:\-]?\s*[\d.,\s]+[kKmM]?|[\d.,]+[kKmM]?\s+(?:views?|hits|reads|shares|likes|comments?|responses|replies|aufrufe|vues|visitas|просмотров))\.?$"),
            // "Photo: X", "Photograph by X", "Image credit: X", "Foto: X", "Фото: X"
            credit_head: re(r"(?i)^(?:photo|photograph|picture|image|credit|image credit|photo credit|foto|bild|фото)\s*(?::|by\b|via\b|courtesy\b)"),
            photo_words: re(r"(?i)\((?:r|l|c|left|right|center|centre|front|back)\b[^)]{0,30}\)|\b(?:pictured|is seen|are seen|file photo|poses for|arrives at|in this photo)\b"),
            // A line that opens as a source line: "Source: X", "Quelle: X", "Via X"
            source_head: re(r"(?i)^(?:source|sources|quelle|fuente|fonte|источник|bron|via)\s*:\s*\S"),
        }
    })
}

/// The lexicon's phrases, each with a space on both sides, in one automaton.
fn lexicon_matcher() -> &'static aho_corasick::AhoCorasick {
    static M: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    M.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(LEXICON.iter().map(|(p, _, _)| format!(" {p} ")))
            .expect("the lexicon builds")
    })
}

/// Lower-case words of `text` joined by single spaces, with a space on each side, for
/// phrase matching on word boundaries.
fn words_padded(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    let mut space = true;
    let gap = |out: &mut String, space: &mut bool| {
        if !*space {
            out.push(' ');
            *space = true;
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
                space = false;
            } else {
                gap(&mut out, &mut space);
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else {
            gap(&mut out, &mut space);
        }
    }
    gap(&mut out, &mut space);
    out
}

/// Words in a text: runs of characters between ASCII whitespace, counted without
/// allocating (this runs several times on every block).
pub fn word_count(text: &str) -> usize {
    let b = text.as_bytes();
    let Some(&first) = b.first() else {
        return 0;
    };
    let space = |c: u8| c == b' ' || (b'\t'..=b'\r').contains(&c);
    let starts = b.windows(2).filter(|w| space(w[0]) & !space(w[1])).count();
    starts + usize::from(!space(first))
}

/// A sentence of some length: what articles are made of.
pub fn is_prose(text: &str) -> bool {
    is_prose_of(text, word_count(text))
}

/// [`is_prose`] when the words are counted already.
pub fn is_prose_of(text: &str, words: usize) -> bool {
    words >= 25 || (words >= 8 && crate::ingest::text::ends_sentence(text))
}

/// A sentence that ends with a short credit in parentheses: "... in 2015. (AFP)",
/// "... on Monday. (Photo: Example Agency)". Written out rather than as a regex: this runs on
/// every block, and a regex with Unicode classes searched backwards is slow here.
fn credit_in_parentheses(text: &str) -> bool {
    let Some(inner) = text.strip_suffix(')') else {
        return false;
    };
    let Some(open) = inner.rfind('(') else {
        return false;
    };
    let (before, credit) = (inner[..open].trim_end(), inner[open + 1..].trim());
    if !before.ends_with(['.', '!', '?', '”', '"']) || credit.is_empty() || credit.len() > 50 {
        return false;
    }
    let lower = credit.to_lowercase();
    if ["photo", "file photo", "image", "picture", "getty images"]
        .iter()
        .any(|w| lower.starts_with(w))
    {
        return true;
    }
    let words: Vec<&str> = credit.split([' ', '/']).filter(|w| !w.is_empty()).collect();
    words.len() <= 4
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// A block that is only a web address.
pub fn is_bare_address(text: &str) -> bool {
    let t = text.trim().trim_end_matches(['.', '/']);
    !t.is_empty()
        && !t.contains(char::is_whitespace)
        && (t.starts_with("http://")
            || t.starts_with("https://")
            || t.starts_with("www.")
            || (t.contains('.')
                && t.rsplit('.').next().is_some_and(|tld| {
                    (2..=6).contains(&tld.len()) && tld.chars().all(|c| c.is_ascii_lowercase())
                })
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '/'))))
}

/// Breadcrumb or menu: a few short segments between separators, no sentence.
fn separated_segments(text: &str) -> Option<usize> {
    const SEPS: [char; 7] = ['/', '>', '»', '|', '›', '→', '•'];
    if !text.contains(&SEPS[..]) || is_bare_address(text) || text.contains("://") {
        return None;
    }
    let parts: Vec<&str> = text.split(&SEPS[..]).map(str::trim).collect();
    // "Wed 2012/11/07 19:05", "48V / 8.8 Ah": numbers between separators are not a menu.
    let numeric = parts
        .iter()
        .filter(|p| p.chars().any(|c| c.is_ascii_digit()))
        .count();
    let ok = numeric * 2 < parts.len()
        && parts.len() >= 2
        && parts.len() <= 12
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.split_whitespace().count() <= 4)
        && !crate::ingest::text::ends_sentence(text);
    ok.then_some(parts.len())
}

/// Blocks longer than this many words are only checked for a caption's credit: no phrase
/// weighs enough in them to remove them.
const LONG: usize = 80;
/// The same for blocks away from the article's top and end, which are text all the more.
const MIDDLE_LONG: usize = 30;

/// Damping by length: a phrase weighs fully in a short line, little in a paragraph.
fn length_factor(words: usize) -> f32 {
    match words {
        0..=6 => 1.0,
        7..=15 => 0.8,
        16..=30 => 0.55,
        31..=60 => 0.35,
        _ => 0.2,
    }
}

/// Score one block (`index` of `total` in its article). `None` when nothing fired.
/// `words` is [`word_count`] of `text`.
pub fn score(
    text: &str,
    words: usize,
    index: usize,
    total: usize,
    hints: &PageHints,
) -> Option<Cue> {
    let p = patterns();
    let trimmed = text.trim();
    if words == 0 {
        return None;
    }
    let near_top = index < 3;
    let near_end = index + 3 >= total;

    // Lines the metadata readers took as a signature or source line.
    if let Some((_, what)) = hints.metadata_lines.iter().find(|(l, _)| l == trimmed) {
        return Some(Cue {
            kind: SourceLine,
            score: 2.0,
            reason: format!("cue: read as the article's {what}"),
        });
    }
    if words <= 6 && trimmed.bytes().any(|b| b.is_ascii_digit()) && p.counter.is_match(trimmed) {
        return Some(Cue {
            kind: Counter,
            score: 1.5,
            reason: "cue: a counter (a number of views, comments or shares)".into(),
        });
    }
    let mut cut = trimmed.len().min(24);
    while !trimmed.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &trimmed[..cut];
    if head.contains(':')
        && p.source_head.is_match(trimmed)
        && (words <= 20 || trimmed.contains("http"))
    {
        return Some(Cue {
            kind: SourceLine,
            score: 1.5,
            reason: "cue: a source line".into(),
        });
    }
    // Captions with a credit; a long paragraph is nothing else (no phrase can weigh enough
    // in it), so the rest is not looked at.
    let credit_tail = credit_in_parentheses(trimmed);
    const CREDIT_WORDS: [&str; 6] = ["photo", "picture", "image", "credit", "foto", "bild"];
    let credit_head = (CREDIT_WORDS.iter().any(|w| {
        head.get(..w.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(w))
    }) || head.starts_with("Фото")
        || head.starts_with("фото"))
        && p.credit_head.is_match(trimmed);
    let caption = (credit_tail || credit_head).then(|| {
        let mut s = if credit_head { 1.3 } else { 1.0 };
        if p.photo_words.is_match(trimmed) {
            s += 0.5;
        }
        if words > 60 {
            s *= 0.5;
        }
        s
    });
    if words > LONG || (words > MIDDLE_LONG && !near_top && !near_end) {
        return caption.map(|score| Cue {
            kind: Caption,
            score,
            reason: "cue: a photo caption with a credit".into(),
        });
    }
    let norm = words_padded(trimmed);
    let mut scores: [(f32, Option<&str>); 12] = [(0.0, None); 12];
    let slot = |k: FurnitureKind| {
        FurnitureKind::ALL
            .iter()
            .position(|x| *x == k)
            .unwrap_or(11)
    };
    let mut covered = 0usize;
    // One pass over the text finds every phrase (overlapping matches: "share" inside "share
    // this article" counts too, as a phrase list scanned one by one would count it).
    let mut seen = [false; LEXICON.len()];
    for m in lexicon_matcher().find_overlapping_iter(&norm) {
        let i = m.pattern().as_usize();
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        let (phrase, kind, weight) = LEXICON[i];
        let s = &mut scores[slot(kind)];
        s.0 += weight;
        if s.1.is_none_or(|best| best.len() < phrase.len()) {
            s.1 = Some(phrase);
        }
        covered += phrase.split(' ').count();
    }
    let factor = length_factor(words);
    let mut best: Option<Cue> = None;
    let mut consider = |kind: FurnitureKind, score: f32, reason: String| {
        if score > 0.0 && best.as_ref().is_none_or(|b| score > b.score) {
            best = Some(Cue {
                kind,
                score,
                reason,
            });
        }
    };
    let whole = covered >= words && words <= 4;
    for (i, (s, phrase)) in scores.iter().enumerate() {
        if let Some(phrase) = phrase {
            // A line that is nothing but the phrase ("Share", "Related", "Tags") is furniture
            // whatever the phrase's weight.
            let mut score = s * factor;
            if whole {
                score = score.max(1.0);
            }
            if near_top || near_end {
                score *= 1.15;
            }
            consider(
                FurnitureKind::ALL[i],
                score,
                format!("cue: the phrase \"{phrase}\""),
            );
        }
    }

    if let Some(score) = caption {
        consider(Caption, score, "cue: a photo caption with a credit".into());
    }

    if let Some(parts) = separated_segments(trimmed) {
        if near_top && parts <= 5 {
            consider(
                Breadcrumb,
                1.3,
                "cue: short segments between separators at the top".into(),
            );
        } else if parts >= 3 {
            // A menu at the page's edge; inside the text it may be a list of specifications.
            let s = if near_top || near_end { 1.1 } else { 0.7 };
            consider(
                Navigation,
                s,
                "cue: a menu of short segments between separators".into(),
            );
        }
    }

    if trimmed.starts_with('©') || trimmed.starts_with("(c) ") || trimmed.starts_with("(C) ") {
        consider(Legal, 1.2, "cue: a copyright line".into());
    }

    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str, index: usize, total: usize) -> Option<FurnitureKind> {
        score(text, word_count(text), index, total, &PageHints::default())
            .filter(|c| c.score >= 1.0)
            .map(|c| c.kind)
    }

    #[test]
    fn typed_furniture_lines() {
        assert_eq!(kind("Related posts:", 8, 10), Some(Related));
        assert_eq!(kind("Views: 0", 9, 10), Some(Counter));
        assert_eq!(kind("1,204 views", 9, 10), Some(Counter));
        assert_eq!(kind("SHARE THIS ARTICLE", 9, 10), Some(Share));
        assert_eq!(kind("Home / World / Europe", 0, 10), Some(Breadcrumb));
        assert_eq!(kind("Lesen Sie auch:", 5, 10), Some(Related));
        assert_eq!(
            kind("© 2016 Example Media. All rights reserved.", 9, 10),
            Some(Legal)
        );
        assert_eq!(
            kind("We use cookies to improve your experience.", 9, 10),
            Some(Cookie)
        );
        assert_eq!(
            kind("Sign up for our daily newsletter", 5, 10),
            Some(Newsletter)
        );
        assert_eq!(
            kind(
                "A man walks past a burnt-out car in Aleppo on May 3, 2016. (Reuters)",
                4,
                10
            ),
            Some(Caption)
        );
        assert_eq!(kind("Photo: Example Agency", 4, 10), Some(Caption));
        assert_eq!(kind("Source: Example Wire", 9, 10), Some(SourceLine));
    }

    #[test]
    fn sentences_that_mention_furniture_words_stay() {
        for text in [
            "The minister said on Twitter that the talks would resume next week, and \
             that both sides had agreed to share intelligence on the groups concerned.",
            "Officials will not say how many people donate to the campaign each year, \
             but the figure is thought to be in the thousands.",
            "The treaty (NATO) was signed in 1949.",
            "He said the home of the family had been searched twice since January.",
        ] {
            assert_eq!(kind(text, 3, 10), None, "{text}");
        }
    }

    #[test]
    fn phrases_match_on_word_boundaries() {
        assert_eq!(kind("Shared interests, sharing economy", 9, 10), None);
        assert_eq!(kind("Share: Facebook", 9, 10), Some(Share));
    }

    #[test]
    fn word_count_counts() {
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count("  "), 0);
        assert_eq!(word_count("one"), 1);
        assert_eq!(word_count(" one  two\tthree\n"), 3);
    }

    #[test]
    fn lexicon_phrases_are_normalised() {
        for (phrase, _, _) in LEXICON {
            assert_eq!(words_padded(phrase).trim(), *phrase, "{phrase}");
        }
    }
}
