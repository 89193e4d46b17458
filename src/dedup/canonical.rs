//! Canonical text: one normal form of an article's body whatever format it arrived in, so that
//! the plain-text, Markdown and HTML-extracted copies of one article hash alike.
//!
//! The normal form is: markup gone (HTML tags and comments, Markdown link targets), HTML
//! entities decoded (`caf&eacute;` is `café`; a name HTML does not know is skipped), Unicode NFKC,
//! lower case, quotes and dashes unified, whitespace folded to single spaces. Its *words* (runs
//! of letters and digits) are what copies are compared on; [`for_each_word_hash`] yields their
//! hashes straight from the raw text in one pass, without building the canonical string, and
//! gives the same words as [`canonical_text`] would (a property the tests check). This module
//! does not decide what is furniture (that is `clean`'s job) and does not shingle.

use unicode_normalization::UnicodeNormalization;

/// Longest markup span skipped (a tag, a link target); a longer one is left as text, so that a
/// stray `<` cannot swallow an article.
const MAX_MARKUP: usize = 2048;

/// Length in bytes of the markup starting at `i`, or 0 when there is none: an HTML tag or
/// comment (`<p>`, `</a>`, `<!-- -->`), an entity (`&amp;`, `&#8217;`), or a Markdown link
/// target (`](url)`; the link's text stays).
pub fn markup_len(b: &[u8], i: usize) -> usize {
    let next = b.get(i + 1).copied().unwrap_or(0);
    match b[i] {
        b'<' if next.is_ascii_alphabetic() || next == b'/' || next == b'!' => {
            find_close(b, i + 1, b'>', |c| c == b'<').map_or(0, |end| end + 1 - i)
        }
        b']' if next == b'(' => {
            find_close(b, i + 2, b')', |c| c.is_ascii_whitespace() || c == b'(')
                .map_or(0, |end| end + 1 - i)
        }
        b'&' => entity_len(&b[i..]),
        _ => 0,
    }
}

fn find_close(b: &[u8], from: usize, close: u8, bad: impl Fn(u8) -> bool) -> Option<usize> {
    let end = b.len().min(from + MAX_MARKUP);
    for (j, &c) in b.get(from..end)?.iter().enumerate() {
        if c == close {
            return Some(from + j);
        }
        if bad(c) {
            return None;
        }
    }
    None
}

fn entity_len(b: &[u8]) -> usize {
    let (digits, start): (fn(&u8) -> bool, usize) = match (b.get(1), b.get(2)) {
        (Some(b'#'), Some(b'x' | b'X')) => (u8::is_ascii_hexdigit, 3),
        (Some(b'#'), _) => (u8::is_ascii_digit, 2),
        _ => (u8::is_ascii_alphabetic, 1),
    };
    let n = b[start.min(b.len())..]
        .iter()
        .take(10)
        .take_while(|c| digits(c))
        .count();
    match b.get(start + n) {
        Some(b';') if n >= 1 => start + n + 1,
        _ => 0,
    }
}

/// The canonical text of a body (see the module's opening). Idempotent.
pub fn canonical_text(text: &str) -> String {
    let stripped = strip_markup(text);
    let mut out = String::with_capacity(stripped.len());
    let mut space = false;
    for c in stripped.nfkc().flat_map(char::to_lowercase) {
        let c = unify(c);
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    defuse_markup(out)
}

/// NFKC can turn text into markup (`＜Ａ＞` becomes `<a>`), which a second reading would strip:
/// such a trigger is replaced by a look-alike that is no markup and that NFKC keeps (`‹`, `⅋`,
/// `⁆`), so that the canonical form is a fixed point and keeps the words of the raw text.
fn defuse_markup(mut text: String) -> String {
    // Defusing one trigger can expose another (`<b <c>`): repeat until none is left.
    while (0..text.len()).any(|i| markup_len(text.as_bytes(), i) > 0) {
        text = defuse_once(&text);
    }
    text
}

fn defuse_once(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        if c.is_ascii() && markup_len(b, i) > 0 {
            out.push(match c {
                '<' => '\u{2039}',
                '&' => '\u{214B}',
                _ => '\u{2046}',
            });
        } else {
            out.push(c);
        }
    }
    out
}

/// The characters an entity (`&eacute;`, `&#233;`, `&#xE9;`, the whole span) stands for, or
/// `None` when HTML knows no such entity (or the number is no character).
fn decode_entity(span: &[u8]) -> Option<(char, Option<char>)> {
    // The table is keyed by the name with its `;`.
    let name = std::str::from_utf8(span.get(1..)?).ok()?;
    let Some(num) = name.strip_prefix('#') else {
        let (first, second) = markup5ever::data::NAMED_ENTITIES.get(name)?;
        return Some((
            char::from_u32(*first)?,
            char::from_u32(*second).filter(|&c| c != '\0'),
        ));
    };
    let num = num.strip_suffix(';')?;
    let code = match num.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => num.parse().ok()?,
    };
    Some((char::from_u32(code).filter(|&c| c != '\0')?, None))
}

/// Whether the entity `span` can change the words around it: it stands for a letter, a digit
/// or a character that NFKC may join to its neighbours. The others (`&amp;`, `&lt;`,
/// `&rsquo;`, `&mdash;`, `&nbsp;`, unknown names) separate words as a space does, so that the
/// fast scanner may skip them.
fn entity_joins_words(span: &[u8]) -> bool {
    let Some((first, second)) = decode_entity(span) else {
        return false;
    };
    [Some(first), second].into_iter().flatten().any(|c| {
        let mut buf = [0u8; 4];
        let enc = c.encode_utf8(&mut buf).as_bytes();
        let separates = if c.is_ascii() {
            !c.is_ascii_alphanumeric()
        } else {
            separator_len(enc, 0) == enc.len()
        };
        !separates
    })
}

/// Whether any entity of `text` can change the words around it (see [`entity_joins_words`]).
fn has_joining_entity(text: &str) -> bool {
    // `find` looks for the `&` at memchr speed; most texts have none.
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(at) = text[from..].find('&') {
        let i = from + at;
        let n = entity_len(&b[i..]);
        if n > 0 && entity_joins_words(&b[i..i + n]) {
            return true;
        }
        from = i + 1;
    }
    false
}

/// Markup replaced by a space (it separates words; it never joins them), entities by the
/// characters they stand for (unknown ones by a space).
fn strip_markup(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let n = markup_len(b, i);
        if n > 0 {
            let decoded = if b[i] == b'&' {
                decode_entity(&b[i..i + n])
            } else {
                None
            };
            match decoded {
                Some((first, second)) => {
                    for c in [Some(first), second].into_iter().flatten() {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    }
                }
                None => out.push(b' '),
            }
            i += n;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    // Markup spans start and end on ASCII bytes, so the rest is still valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Quotes to `'` and `"`, dashes and minus signs to `-`.
fn unify(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => '-',
        _ => c,
    }
}

/// The words of a text as [`canonical_text`] has them, as strings (slow; for tests and tools).
pub fn words(text: &str) -> Vec<String> {
    canonical_text(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// 64-bit hash of one word's bytes. ASCII capitals are folded to lower case on the way, eight
/// bytes at a time; other bytes (digits, lower case, UTF-8 of words that arrive lower-cased)
/// are hashed as they are, so distinct words never meet by folding.
#[inline]
pub fn word_hash(w: &[u8]) -> u64 {
    word_hash_in(w, 0, w.len())
}

/// [`word_hash`] of `b[start..start + len]`, reading whole 8-byte words from `b` where it can
/// (the bytes past the word are masked off), so that the common short word costs one load.
#[inline(always)]
fn word_hash_in(b: &[u8], start: usize, len: usize) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = (len as u64).wrapping_mul(K);
    let mut p = start;
    let end = start + len;
    while p < end {
        let n = (end - p).min(8);
        let v = load8(b, p) & (u64::MAX >> (8 * (8 - n)));
        let v = v | ascii_capitals(v) >> 2;
        h = (h ^ v).wrapping_mul(K).rotate_left(29);
        p += n;
    }
    h
}

/// 0x80 in each byte of `v` that is an ASCII capital (`A`..=`Z`), 0 elsewhere. No byte's sum
/// carries into the next: a byte below 0x80 plus 0x3F stays below 0x100.
#[inline(always)]
fn ascii_capitals(v: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low = v & !HIGH;
    let from_a = low.wrapping_add(ONES * (0x80 - b'A' as u64));
    let past_z = low.wrapping_add(ONES * (0x80 - b'Z' as u64 - 1));
    from_a & !past_z & !v & HIGH
}

/// Eight bytes from `p`, little-endian; past the end of `b` they are zero.
#[inline(always)]
fn load8(b: &[u8], p: usize) -> u64 {
    match b.get(p..p + 8) {
        Some(w) => u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]),
        None => {
            let mut buf = [0u8; 8];
            let rest = &b[p.min(b.len())..];
            buf[..rest.len().min(8)].copy_from_slice(&rest[..rest.len().min(8)]);
            u64::from_le_bytes(buf)
        }
    }
}

/// Byte classes of the scanner: separators, ASCII letters and digits, possible markup
/// starts, and bytes of characters outside ASCII.
const SEP: u8 = 0;
const ALNUM: u8 = 1;
const MARKUP: u8 = 2;
const WIDE: u8 = 3;

const CLASS: [u8; 256] = {
    let mut t = [SEP; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c >= 0x80 {
            WIDE
        } else if c.is_ascii_alphanumeric() {
            ALNUM
        } else if c == b'<' || c == b']' || c == b'&' {
            MARKUP
        } else {
            SEP
        };
        i += 1;
    }
    t
};

/// Length of the character at `i` when it is one of the common punctuation marks outside
/// ASCII that NFKC leaves without letters or digits (curly quotes, dashes, ellipsis, no-break
/// space, guillemets): they end a word like a space, without the cost of normalising the run.
#[inline]
fn separator_len(b: &[u8], i: usize) -> usize {
    match (b[i], b.get(i + 1), b.get(i + 2)) {
        (0xE2, Some(0x80), Some(0x90..=0x9F | 0xA4..=0xA6 | 0xB2 | 0xB3)) => 3,
        (0xC2, Some(0xA0 | 0xAB | 0xBB), _) => 2,
        _ => 0,
    }
}

/// `0x80` in every byte of `v` that is an ASCII letter or digit (SWAR range tests; bytes
/// outside ASCII are never set, and no carry crosses a byte because each is below `0x80`).
#[inline(always)]
fn alnum_mask(v: u64) -> u64 {
    const H: u64 = 0x8080_8080_8080_8080;
    const L: u64 = 0x0101_0101_0101_0101;
    let x = v & !H;
    let digit = (x + L * (0x80 - 0x30)) & !(x + L * (0x7F - 0x39));
    let y = x | (L * 0x20);
    let letter = (y + L * (0x80 - 0x61)) & !(y + L * (0x7F - 0x7A));
    (digit | letter) & !v & H
}

/// The end of the run of ASCII letters and digits from `i`, eight bytes at a time: one branch
/// per word instead of one per byte.
#[inline(always)]
fn ascii_run_end(b: &[u8], mut i: usize) -> usize {
    loop {
        // Past the end `load8` reads zeros, which end the run.
        let stop = !alnum_mask(load8(b, i)) & 0x8080_8080_8080_8080;
        if stop == 0 {
            i += 8;
            continue;
        }
        return (i + (stop.trailing_zeros() / 8) as usize).min(b.len());
    }
}

/// Bytes of the UTF-8 character that starts with `lead`.
#[inline]
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// Call `f` with the hash of every canonical word of `text`, in order, and return how many
/// there were. One pass over the bytes; runs that contain characters outside ASCII go
/// through NFKC and lower-casing, pure ASCII never does. A text with an entity that stands for
/// a letter (rare: bodies arrive decoded) takes the slow way, through [`canonical_text`].
pub fn for_each_word_hash(text: &str, mut f: impl FnMut(u64)) -> usize {
    let b = text.as_bytes();
    if has_joining_entity(text) {
        let words = words(text);
        words.iter().for_each(|w| f(word_hash(w.as_bytes())));
        return words.len();
    }
    let mut count = 0;
    let mut i = 0;
    while i < b.len() {
        match CLASS[b[i] as usize] {
            SEP => i += 1,
            MARKUP => i += markup_len(b, i).max(1),
            WIDE if separator_len(b, i) > 0 => i += separator_len(b, i),
            _ => {
                let start = i;
                let mut wide = false;
                loop {
                    i = ascii_run_end(b, i);
                    if i < b.len() && b[i] >= 0x80 && separator_len(b, i) == 0 {
                        wide = true;
                        i += utf8_len(b[i]);
                        continue;
                    }
                    break;
                }
                if wide {
                    // `start..i` begins and ends on character boundaries: only ASCII bytes
                    // end a run.
                    count += wide_words(&text[start..i], &mut f);
                } else {
                    f(word_hash_in(b, start, i - start));
                    count += 1;
                }
            }
        }
    }
    count
}

/// The words of a run holding characters outside ASCII: NFKC, lower case, split.
#[cold]
fn wide_words(run: &str, f: &mut impl FnMut(u64)) -> usize {
    let norm: String = run.nfkc().flat_map(char::to_lowercase).collect();
    let mut n = 0;
    for w in norm.split(|c: char| !c.is_alphanumeric()) {
        if !w.is_empty() {
            f(word_hash(w.as_bytes()));
            n += 1;
        }
    }
    n
}

/// Hash of the canonical words in order: equal for exact copies whatever their markup,
/// wrapping, quotes or case.
pub fn exact_hash(text: &str) -> u64 {
    let mut h = EXACT_START;
    for_each_word_hash(text, |w| h = exact_step(h, w));
    exact_finish(h)
}

/// The exact hash is a fold over the word hashes, so that sketching computes it in the same
/// pass: start, one step per word, finish.
pub const EXACT_START: u64 = 0xA076_1D64_78BD_642F;

#[inline]
pub fn exact_step(h: u64, w: u64) -> u64 {
    (h.rotate_left(23) ^ w).wrapping_mul(0xE703_7ED1_A0B4_28DB)
}

pub fn exact_finish(h: u64) -> u64 {
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(text: &str) -> Vec<u64> {
        let mut v = Vec::new();
        for_each_word_hash(text, |h| v.push(h));
        v
    }

    #[test]
    fn formats_of_one_article_hash_alike() {
        let plain = "The talks resumed on Monday, officials said \u{2014} \u{201C}finally.\u{201D}";
        let markdown =
            "The **talks** resumed on [Monday](https://x.test/a), officials said -- \"Finally.\"";
        let html = "<p>The <b>talks</b> resumed on Monday,&nbsp;officials said &#8212; &ldquo;finally.&rdquo;</p>";
        let wrapped = "The talks resumed\non Monday, officials\n   said - 'finally.'";
        let h = exact_hash(plain);
        assert_eq!(exact_hash(markdown), h);
        assert_eq!(exact_hash(html), h);
        assert_eq!(exact_hash(wrapped), h);
        assert_ne!(exact_hash("The talks resumed on Tuesday"), h);
    }

    #[test]
    fn canonical_form() {
        assert_eq!(
            canonical_text("  \u{FF21}BC\u{00A0}\u{2018}x\u{2019} \u{2013} <i>ﬁne</i>\n\n"),
            "abc 'x' - fine"
        );
        assert_eq!(canonical_text(""), "");
        // A stray `<` or `&` is text, not markup.
        assert_eq!(canonical_text("a < b & c"), "a < b & c");
    }

    #[test]
    fn fast_words_match_the_canonical_words() {
        for t in [
            "Caf\u{e9} cafe\u{301} na\u{EF}ve \u{0130}stanbul \u{3231} \u{2460} x\u{0338}",
            "\u{039F}\u{0394}\u{03A3} ΣΑΣ",
            "AT&amp;T <a href=\"x\">link</a>](no) ![img](u.png)",
        ] {
            let want: Vec<u64> = words(t).iter().map(|w| word_hash(w.as_bytes())).collect();
            assert_eq!(hashes(t), want, "{t:?}");
        }
    }

    #[test]
    fn swar_runs_match_the_byte_table() {
        let all: Vec<u8> = (0u8..=255).collect();
        for &c in &all {
            let want = CLASS[c as usize] == ALNUM;
            assert_eq!(alnum_mask(c as u64) & 0x80 != 0, want, "byte {c:#x}");
        }
        let b = b"abcdefghij0123,xy";
        assert_eq!(ascii_run_end(b, 0), 14);
        assert_eq!(ascii_run_end(b, 15), 17);
        assert_eq!(ascii_run_end(b"", 0), 0);
    }

    /// Review of issue 4: entities were dropped, so `caf&eacute;` gave the word `caf`.
    #[test]
    fn entities_are_decoded() {
        assert_eq!(canonical_text("caf&eacute; &#65;&#x42;c"), "café abc");
        assert_eq!(canonical_text("AT&amp;T&nbsp;&lt;b&gt;"), "at&t \u{2039}b>");
        assert_eq!(
            exact_hash("caf&eacute; d&eacute;j&agrave;"),
            exact_hash("Café déjà")
        );
        // An unknown name or a number that is no character is skipped like other markup.
        assert_eq!(canonical_text("a&zzz;b &#0;c &#xD800;d"), "a b c d");
        for t in [
            "caf&eacute; &#65;&#x42;c",
            "x&amp;y &rsquo;z&mdash;w",
            "e&#769; &ffllig;",
        ] {
            let want: Vec<u64> = words(t).iter().map(|w| word_hash(w.as_bytes())).collect();
            assert_eq!(hashes(t), want, "{t:?}");
        }
        assert_eq!(words("e&#769; &ffllig;"), ["é", "ffl"]);
    }

    /// Review of issue 4: folding set bit 5 of every byte, so UTF-8 continuation bytes 0x80 and
    /// 0xA0 met and distinct CJK, kana, Hangul and Latin-extended words hashed alike.
    #[test]
    fn distinct_words_outside_ascii_hash_apart() {
        for (a, b) in [
            ("一", "丠"),
            ("は", "く"),
            ("가", "갠"),
            ("ā", "ġ"),
            ("č", "ĭ"),
        ] {
            assert_ne!(word_hash(a.as_bytes()), word_hash(b.as_bytes()), "{a} {b}");
        }
        assert_eq!(word_hash(b"Harbour"), word_hash(b"harbour"));
        assert_ne!(word_hash(b"harbour@"), word_hash(b"harbour`"));
    }

    #[test]
    fn ascii_case_folds() {
        assert_eq!(word_hash(b"Monday"), word_hash(b"monday"));
        assert_eq!(word_hash(b"MONDAY12"), word_hash(b"monday12"));
        assert_ne!(word_hash(b"monday"), word_hash(b"mondays"));
        assert_ne!(word_hash(b"a"), word_hash(b"b"));
    }
}
