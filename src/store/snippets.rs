//! The marked title and body snippet of a search hit: a query's words found in the stored
//! text as the index found them (whole words, any case, accents folded), the fragment of the
//! body with the most of them chosen, and everything escaped for a web page with only
//! `<mark>` around the words.
//!
//! It exists because tantivy's snippet generator tokenizes all the text it is given and looks
//! every token up, which was the largest part of a search's time. Here the words are found
//! with one Aho-Corasick scan, which on ASCII words finds exactly the tokens the index made
//! (runs of letters and digits, lower-cased); only the few words with a non-ASCII letter go
//! through the index's analyzer, to be folded as the index folded them (`Café` for `cafe`).
//! This module does not rank hits.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::cell::RefCell;
use std::ops::Range;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

/// Characters of body a snippet shows, about.
const SNIPPET_CHARS: usize = 200;
/// Bytes of context a fragment may keep before its first word.
const LEAD_IN: usize = SNIPPET_CHARS / 4;
/// Bytes after the first match in which a denser fragment is looked for: the scan for words
/// is most of the cost of a snippet, and reading a whole long body for a slightly better
/// fragment is not worth it.
const WINDOW: usize = 3 * SNIPPET_CHARS;
/// Bytes of a text lower-cased for the first scan for words.
const FIRST_PREFIX: usize = 2048;
/// Matches looked at in one text.
const MAX_MATCHES: usize = 256;

/// How one query's words are marked in its hits.
pub struct Marks {
    /// The query's words as indexed (lower case, accents folded), sorted.
    words: Vec<String>,
    /// The same words, found in text lower-cased in ASCII; `None` when the query has none.
    finder: Option<AhoCorasick>,
    /// Bytes of the longest word.
    longest: usize,
    /// The index's analyzer, for words with a non-ASCII letter.
    analyzer: RefCell<TextAnalyzer>,
}

impl Marks {
    /// The marks of `query`'s terms in `fields`, which `analyzer` analyzes.
    pub fn new(query: &dyn Query, fields: &[Field], analyzer: TextAnalyzer) -> Self {
        let mut words: Vec<String> = Vec::new();
        query.query_terms(&mut |t, _| {
            if fields.contains(&t.field()) {
                if let Some(w) = t.value().as_str() {
                    words.push(w.to_string());
                }
            }
        });
        words.sort();
        words.dedup();
        // Built over lower case words and run over a lower-cased copy of the text (ASCII
        // lower-casing keeps every byte offset): a case-sensitive search can use the fast
        // vector prefilter, which an ASCII-case-insensitive one cannot, and the simple
        // automaton is cheap to build for a query's few words.
        let finder = (!words.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                    .build(&words)
                    .ok()
            })
            .flatten();
        Marks {
            longest: words.iter().map(String::len).max().unwrap_or(0),
            words,
            finder,
            analyzer: RefCell::new(analyzer),
        }
    }

    /// The query's words in `text` where each stands as a whole word: byte range and which
    /// word, in text order, from the first to at most [`WINDOW`] bytes after it.
    fn found(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        let Some(finder) = &self.finder else {
            return Vec::new();
        };
        let alone = |r: &Range<usize>| {
            let before = text[..r.start].chars().next_back();
            let after = text[r.end..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        };
        // Only as much of the text is lower-cased as the scan needs: a prefix, grown until it
        // holds the window after the first match (most bodies have one early) or is the whole
        // text. A word cut at the prefix's end fails `alone`, which reads the text itself.
        let bytes = text.as_bytes();
        let mut prefix = bytes.len().min(FIRST_PREFIX);
        let mut out: Vec<(Range<usize>, usize)> = Vec::new();
        loop {
            let lower = bytes[..prefix].to_ascii_lowercase();
            out.clear();
            for m in finder.find_iter(&lower) {
                let r = m.range();
                if out.first().is_some_and(|f| r.start > f.0.start + WINDOW) {
                    break;
                }
                if alone(&r) {
                    out.push((r, m.pattern().as_usize()));
                }
            }
            let needed = out
                .first()
                .map_or(bytes.len(), |f| f.0.start + WINDOW + self.longest);
            if prefix == bytes.len() || needed <= prefix {
                break;
            }
            prefix = needed.max(2 * prefix).min(bytes.len());
        }
        // Words found folded count up to the end of the window of the first found as it is.
        let folded_to = out.first().map_or(text.len(), |f| f.0.start + WINDOW);
        out.extend(self.folded(text, folded_to));
        out.sort_by_key(|(r, _)| (r.start, r.end));
        out.dedup_by(|a, b| a.0 == b.0);
        if let Some(start) = out.first().map(|f| f.0.start) {
            out.retain(|(r, _)| r.start <= start + WINDOW);
        }
        out.truncate(MAX_MATCHES);
        out
    }

    /// The query's words among the words of `text` before byte `to` that hold a non-ASCII
    /// letter or digit, each folded by the index's analyzer.
    fn folded(&self, text: &str, to: usize) -> Vec<(Range<usize>, usize)> {
        let mut out = Vec::new();
        let mut searched_to = 0;
        let mut analyzer = self.analyzer.borrow_mut();
        for at in leading_bytes(text.as_bytes(), to) {
            if at < searched_to || !text[at..].chars().next().is_some_and(char::is_alphanumeric) {
                continue;
            }
            let start = text[..at]
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_alphanumeric())
                .last()
                .map_or(at, |(i, _)| i);
            let end = text[at..]
                .char_indices()
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(text.len(), |(i, _)| at + i);
            searched_to = end;
            let mut tokens = analyzer.token_stream(&text[start..end]);
            while let Some(token) = tokens.next() {
                if let Ok(word) = self.words.binary_search(&token.text) {
                    out.push((start + token.offset_from..start + token.offset_to, word));
                }
            }
            if out.len() >= MAX_MATCHES {
                break;
            }
        }
        out
    }

    /// The whole title, escaped, its matched words marked.
    pub fn title(&self, title: &str) -> String {
        let ranges: Vec<Range<usize>> = self.found(title).into_iter().map(|(r, _)| r).collect();
        marked(title, &ranges)
    }

    /// The fragment of the body with the most distinct query words (the first such, near the
    /// first match), escaped and marked, with `…` where it was cut; `None` when no word is
    /// in it.
    pub fn fragment(&self, body: &str) -> Option<String> {
        let found = self.found(body);
        if found.is_empty() {
            return None;
        }
        let (first, last) = densest(&found);
        let (from, to) = bounds(body, found[first].0.start, found[last].0.end);
        let ranges: Vec<Range<usize>> = found
            .iter()
            .filter(|(r, _)| r.start >= from && r.end <= to)
            .map(|(r, _)| r.start - from..r.end - from)
            .collect();
        Some(ellipsed(
            &body[from..to],
            &ranges,
            from > 0,
            to < body.len(),
        ))
    }
}

/// Where the non-ASCII characters of `bytes` begin, before `to`: the leading bytes of UTF-8,
/// looked for 32 bytes at a time (a check the compiler turns into vector instructions).
fn leading_bytes(bytes: &[u8], to: usize) -> impl Iterator<Item = usize> + '_ {
    let to = to.min(bytes.len());
    bytes[..to]
        .chunks(32)
        .enumerate()
        .filter(|(_, chunk)| chunk.iter().fold(0u8, |m, &b| m | b) >= 0x80)
        .flat_map(|(i, chunk)| {
            chunk
                .iter()
                .enumerate()
                .filter(|(_, &b)| b >= 0xC0)
                .map(move |(j, _)| i * 32 + j)
        })
}

/// The run of matches, first to last, that fits in a snippet and holds the most distinct
/// words, the earliest such run.
fn densest(found: &[(Range<usize>, usize)]) -> (usize, usize) {
    let mut best = (0, 0, 0);
    for (i, (start, _)) in found.iter().enumerate() {
        let mut seen = 0u64;
        let mut last = i;
        for (j, (r, word)) in found.iter().enumerate().skip(i) {
            if r.end - start.start > SNIPPET_CHARS {
                break;
            }
            seen |= 1 << (*word).min(63);
            last = j;
        }
        let distinct = seen.count_ones();
        if distinct > best.2 {
            best = (i, last, distinct);
        }
    }
    (best.0, best.1)
}

/// A fragment's byte bounds around the matches from `start` to `end`: from the start of the
/// sentence or of a word at most [`LEAD_IN`] bytes before, to a word's end about
/// [`SNIPPET_CHARS`] bytes on, never before `end`.
fn bounds(body: &str, start: usize, end: usize) -> (usize, usize) {
    let mut from = start.saturating_sub(LEAD_IN);
    while !body.is_char_boundary(from) {
        from += 1;
    }
    if from > 0 {
        let lead = &body[from..start];
        from = match lead.rfind(['.', '!', '?', '\n']) {
            Some(i) => from + i + 1,
            None => lead.find(char::is_whitespace).map_or(start, |i| from + i),
        };
    }
    let mut to = (from + SNIPPET_CHARS).max(end).min(body.len());
    while !body.is_char_boundary(to) {
        to += 1;
    }
    if to < body.len() {
        to = body[end..to]
            .rfind(char::is_whitespace)
            .map_or(end, |i| end + i);
    }
    (from, to)
}

/// `text` escaped and marked, with `…` on the sides where it was cut.
fn ellipsed(text: &str, ranges: &[Range<usize>], before: bool, after: bool) -> String {
    let mut html = String::with_capacity(text.len() + 32);
    if before {
        html.push('…');
    }
    html.push_str(marked(text, ranges).trim());
    if after {
        html.push('…');
    }
    html
}

/// The start of a body when nothing in it matched: about [`SNIPPET_CHARS`] characters, cut
/// at a word.
pub fn lead(body: &str) -> String {
    if body.chars().count() <= SNIPPET_CHARS {
        return escape(body);
    }
    let cut: String = body.chars().take(SNIPPET_CHARS).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > SNIPPET_CHARS / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", escape(cut.trim_end()))
}

/// `text` escaped, with `<mark>` around the byte ranges (sorted; overlapping or malformed
/// ones are skipped rather than trusted).
fn marked(text: &str, ranges: &[Range<usize>]) -> String {
    let mut html = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for r in ranges {
        if r.start < at
            || r.end <= r.start
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        escape_into(&mut html, &text[at..r.start]);
        html.push_str("<mark>");
        escape_into(&mut html, &text[r.start..r.end]);
        html.push_str("</mark>");
        at = r.end;
    }
    escape_into(&mut html, &text[at..]);
    html
}

/// HTML-escaped text, whitespace runs as one space, and the bidirectional embedding,
/// override and isolate controls dropped, so that a right-to-left text cannot reorder the
/// page around it (the page gives each snippet `dir="auto"`).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    let mut space = out.ends_with(' ');
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = false;
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::QueryParser;
    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions};
    use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer};
    use tantivy::{doc, Index};

    /// An index of one document whose title and body are one field, as in the search index,
    /// the marks of `query` over it, handed to `f`.
    fn with_marks<T>(query: &str, f: impl FnOnce(&Marks) -> T) -> T {
        // Tokenized as the search index does: words, lower case, accents folded.
        let text = TextOptions::default()
            .set_indexing_options(TextFieldIndexing::default().set_tokenizer("folded"));
        let mut b = Schema::builder();
        let words = b.add_text_field("words", text);
        let index = Index::create_in_ram(b.build());
        let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build();
        index.tokenizers().register("folded", analyzer.clone());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        w.add_document(doc!(words => "Café talks", words => "Talks at the café resumed."))
            .unwrap();
        w.commit().unwrap();
        let q = QueryParser::for_index(&index, vec![words])
            .parse_query(query)
            .unwrap();
        f(&Marks::new(&*q, &[words], analyzer))
    }

    #[test]
    fn words_are_marked_whole_in_any_case() {
        with_marks("war talks", |m| {
            assert_eq!(
                m.title("War and peace: TALKS toward a truce, warsaw"),
                "<mark>War</mark> and peace: <mark>TALKS</mark> toward a truce, warsaw"
            );
            assert_eq!(m.fragment("Nothing toward it."), None);
            assert_eq!(
                m.fragment("After the war's end"),
                Some("After the <mark>war</mark>&#39;s end".into())
            );
        });
    }

    #[test]
    fn the_fragment_with_most_distinct_words_wins_and_is_cut_at_words() {
        let filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ";
        let (long, short) = (filler.repeat(12), filler.repeat(5));
        let body =
            format!("{long}The war began. {short}Peace talks on the war resumed today. {long}");
        with_marks("war talks", |m| {
            let html = m.fragment(&body).unwrap();
            assert!(
                html.starts_with("…Peace <mark>talks</mark> on the <mark>war</mark> resumed"),
                "{html}"
            );
            assert!(html.ends_with('…'), "{html}");
            assert!(html.chars().count() < SNIPPET_CHARS + 40, "{html}");
            // The cut falls between words.
            let words = html
                .trim_matches('…')
                .split(' ')
                .next_back()
                .unwrap()
                .to_string();
            assert!(body.contains(&format!("{words} ")), "{words}");
        });
    }

    #[test]
    fn words_past_the_first_prefix_and_across_its_end_are_found_whole() {
        // "Warfare" straddles the end of the first lower-cased prefix: not the word `war`.
        // The word itself comes much later, past any prefix.
        let pad = "x".repeat(FIRST_PREFIX - 3);
        let tail = "y ".repeat(3 * FIRST_PREFIX);
        let body = format!("{pad} Warfare {tail}the WAR ended.");
        with_marks("war", |m| {
            let html = m.fragment(&body).unwrap();
            assert!(html.contains("the <mark>WAR</mark> ended."), "{html}");
            assert!(!html.contains("Warfare"), "{html}");
        });
        // A whole word across the prefix's end is found.
        let body = format!("{pad} WAR y");
        with_marks("war", |m| {
            let html = m.fragment(&body).unwrap();
            assert!(html.contains("<mark>WAR</mark>"), "{html}");
        });
    }

    #[test]
    fn words_are_found_folded_as_the_index_folds_them() {
        with_marks("cafe talks", |m| {
            assert_eq!(
                m.title("CAFÉ Talks: le café, cafés"),
                "<mark>CAFÉ</mark> <mark>Talks</mark>: le <mark>café</mark>, cafés"
            );
            let html = m.fragment("Talks at the Café resumed.").unwrap();
            assert_eq!(html, "<mark>Talks</mark> at the <mark>Café</mark> resumed.");
        });
        with_marks("москва", |m| {
            assert_eq!(
                m.title("МОСКВА и Москва"),
                "<mark>МОСКВА</mark> и <mark>Москва</mark>"
            );
        });
    }

    #[test]
    fn escaping_keeps_only_marks() {
        assert_eq!(escape("a\u{202E}b <i>\n\n'x'"), "ab &lt;i&gt; &#39;x&#39;");
        assert_eq!(
            marked("a<b", &[0..1, 0..1, 2..9, 2..3]),
            "<mark>a</mark>&lt;<mark>b</mark>"
        );
        assert_eq!(
            marked("a  <b>", &[0..1, 4..5]),
            "<mark>a</mark> &lt;<mark>b</mark>&gt;"
        );
    }
}
