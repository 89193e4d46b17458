//! Canonical text: one normal form of an article's body whatever format it arrived in, so that
//! the plain-text, Markdown and HTML-extracted copies of one article hash alike.
//!
//! The normal form is: markup gone (HTML tags and comments, Markdown link targets), HTML
//! entities decoded (`caf&eacute;` is `café`; a name HTML does not know is skipped), Unicode NFKC,
//! lower case, quotes and dashes unified, whitespace folded to single spaces. Its *words* (runs
//! of letters and digits) are what copies are compared on; [`word_hashes`] gives their hashes
//! straight from the raw text in one pass, without building the canonical string, and gives
//! the same words as [`canonical_text`] would (a property the tests check). The pass reads 64
//! bytes at a time (SSE2 on x86_64, eight-byte words elsewhere, the same masks either way) and
//! takes the slow path only for what plain ASCII words cannot be: markup, entities, words with
//! characters outside ASCII. The word hash is part of every stored sketch: it must not change.
//! This module does not decide what is furniture (that is `clean`'s job) and does not shingle.

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
#[cfg(test)]
fn has_joining_entity(text: &str) -> bool {
    // Most texts have no `&`; `memchr` finds that out at vector speed.
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'&', &b[from..]) {
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
/// (the bytes past the word are masked off). A word of up to 16 bytes, nearly every one, is
/// hashed without a branch on its length: both rounds are computed and the second is kept
/// only for a word longer than 8 bytes.
#[inline(always)]
fn word_hash_in(b: &[u8], start: usize, len: usize) -> u64 {
    if (1..=16).contains(&len) {
        if let Some(w) = b.get(start..start + 16) {
            let v0 = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            let v1 = u64::from_le_bytes([w[8], w[9], w[10], w[11], w[12], w[13], w[14], w[15]]);
            let first = hash_round(
                (len as u64).wrapping_mul(HASH_K),
                v0 & low_bytes(len.min(8)),
            );
            // For a word of 8 bytes or fewer the second round is computed and dropped.
            let second = hash_round(first, v1 & low_bytes(len.wrapping_sub(8)));
            let keep = ((len > 8) as u64).wrapping_neg();
            return first ^ ((first ^ second) & keep);
        }
    }
    let mut h = (len as u64).wrapping_mul(HASH_K);
    let mut p = start;
    let end = start + len;
    while p < end {
        let n = (end - p).min(8);
        h = hash_round(h, load8(b, p) & low_bytes(n));
        p += n;
    }
    h
}

/// [`word_hash`] of the word of `len` bytes (1 to 16) at `start` of a block's lower-cased
/// copy: the same rounds as [`word_hash_in`] without folding capitals, which are gone.
#[inline(always)]
fn lowered_word_hash(lower: &[u8; LOWER_LEN], start: usize, len: usize) -> u64 {
    let w = &lower[start..start + 16];
    let v0 = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
    let v1 = u64::from_le_bytes([w[8], w[9], w[10], w[11], w[12], w[13], w[14], w[15]]);
    let [m0, m1, keep] = WORD_MASKS[len];
    let first = plain_round((len as u64).wrapping_mul(HASH_K), v0 & m0);
    let second = plain_round(first, v1 & m1);
    first ^ ((first ^ second) & keep)
}

/// Per word length up to 16: the masks of its bytes in the first and the second 8-byte word,
/// and whether the second round counts (all ones) or not.
const WORD_MASKS: [[u64; 3]; 17] = {
    let mut t = [[0u64; 3]; 17];
    let mut len = 1;
    while len <= 16 {
        let first = if len >= 8 { 8 } else { len };
        t[len][0] = u64::MAX >> (8 * (8 - first));
        if len > 8 {
            t[len][1] = u64::MAX >> (8 * (16 - len));
            t[len][2] = u64::MAX;
        }
        len += 1;
    }
    t
};

const HASH_K: u64 = 0x9E37_79B9_7F4A_7C15;

/// One step of the word hash over up to eight bytes `v` (the bytes past the word zero).
#[inline(always)]
fn hash_round(h: u64, v: u64) -> u64 {
    plain_round(h, v | ascii_capitals(v) >> 2)
}

/// [`hash_round`] over bytes already folded.
#[inline(always)]
fn plain_round(h: u64, v: u64) -> u64 {
    (h ^ v).wrapping_mul(HASH_K).rotate_left(29)
}

/// A mask of the low `n` bytes, for `n` of 1 to 8 (any other `n` gives some mask, unused).
#[inline(always)]
fn low_bytes(n: usize) -> u64 {
    u64::MAX.wrapping_shr(8u32.wrapping_sub(n as u32).wrapping_mul(8))
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
/// there were (see [`word_hashes`]).
pub fn for_each_word_hash(text: &str, mut f: impl FnMut(u64)) -> usize {
    let mut words = Vec::new();
    word_hashes(text, &mut words);
    words.iter().for_each(|&w| f(w));
    words.len()
}

/// The hash of every canonical word of `text`, in order, in `out` (cleared first). One pass
/// over the bytes, 64 at a time: where a block holds only ASCII letters, digits, separators
/// and the common punctuation outside ASCII (curly quotes, dashes, no-break space), its words
/// come from a bitmask of letters and digits without a branch per byte. Anything else
/// (markup, a word with characters outside ASCII, a word longer than a block) goes token by
/// token through a byte-by-byte scanner, whose runs outside ASCII go through NFKC and
/// lower-casing. A text with an entity that stands for a letter (rare: bodies arrive decoded)
/// starts again the slow way, through [`canonical_text`], when the scan meets that entity.
pub fn word_hashes(text: &str, out: &mut Vec<u64>) {
    out.clear();
    if scan_words(text, |w| out.push(w)).is_none() {
        out.clear();
        out.extend(words(text).iter().map(|w| word_hash(w.as_bytes())));
    }
}

/// The block scan of [`word_hashes`]; `None` when it meets an entity that may join words
/// (the words before it have gone to `f` already).
fn scan_words(text: &str, mut f: impl FnMut(u64)) -> Option<()> {
    let b = text.as_bytes();
    let mut count = 0;
    let mut i = 0;
    let mut markup = next_markup(b, 0);
    let mut lower = [0u8; LOWER_LEN];
    while i < b.len() {
        if markup < i {
            markup = next_markup(b, i);
        }
        let block = Block::at(b, i, &mut lower);
        // The first byte the block cannot take: a possible markup start, or the lead byte of
        // a character that may belong to a word. Every word from `i` that ends before it is
        // complete and plain ASCII.
        let mut limit = block.first_wide_letter(b, i);
        if markup - i < limit {
            limit = markup - i;
        }
        let alnum = block.alnum;
        let mut starts = alnum & !(alnum << 1);
        let mut ends = !alnum & (alnum << 1);
        let mut advance = limit;
        while starts != 0 {
            let (s, e) = (
                starts.trailing_zeros() as usize,
                ends.trailing_zeros() as usize,
            );
            // `e` is 64 for a word that runs past the block.
            if e >= limit {
                advance = s.min(limit);
                break;
            }
            f(if e - s <= 16 {
                lowered_word_hash(&lower, s, e - s)
            } else {
                word_hash_in(b, i + s, e - s)
            });
            count += 1;
            starts &= starts - 1;
            ends &= ends - 1;
        }
        if advance > 0 {
            i += advance;
            continue;
        }
        if b[i] == b'&' {
            let n = entity_len(&b[i..]);
            if n > 0 && entity_joins_words(&b[i..i + n]) {
                return None;
            }
        }
        i = scan_token(text, i, &mut f, &mut count);
    }
    Some(())
}

/// Where the next byte that may start markup (`<`, `&`, `]`) is at or after `from`;
/// `usize::MAX` when there is none.
#[inline]
fn next_markup(b: &[u8], from: usize) -> usize {
    memchr::memchr3(b'<', b'&', b']', &b[from..]).map_or(usize::MAX, |at| from + at)
}

/// Bytes of a block's lower-cased copy: the block and room for a 16-byte read from any of
/// its positions.
const LOWER_LEN: usize = 80;

/// Bitmasks of the 64 bytes from a position (bit `j` is the byte at `at + j`; bytes past the
/// end of the text count as separators): ASCII letters and digits, and the lead bytes of
/// characters outside ASCII (`0xC0` and above).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Block {
    alnum: u64,
    leads: u64,
}

impl Block {
    /// The block at `at`; its bytes with ASCII capitals lower-cased go to `lower[..64]`.
    #[inline(always)]
    fn at(b: &[u8], at: usize, lower: &mut [u8; LOWER_LEN]) -> Block {
        match b.get(at..at + 64) {
            Some(bytes) => Block::of(bytes.try_into().unwrap_or(&[0; 64]), lower),
            None => {
                let mut buf = [0u8; 64];
                let rest = &b[at..];
                buf[..rest.len()].copy_from_slice(rest);
                Block::of(&buf, lower)
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn of(bytes: &[u8; 64], lower: &mut [u8; LOWER_LEN]) -> Block {
        use std::arch::x86_64::*;
        let (mut alnum, mut leads) = (0u64, 0u64);
        for q in 0..4 {
            // SAFETY: SSE2 is part of every x86_64 processor; the load reads 16 bytes inside
            // the 64 of `bytes` and the store writes 16 inside the 80 of `lower` (unaligned
            // access is allowed).
            #[allow(unused_unsafe)]
            let (a, w) = unsafe {
                let v = _mm_loadu_si128(bytes.as_ptr().add(16 * q).cast());
                // A byte's range test as one signed comparison: shift the range to start at
                // -128. Bytes outside ASCII never land in either range.
                let folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
                let letter = _mm_cmplt_epi8(
                    _mm_add_epi8(folded, _mm_set1_epi8(0x80u8.wrapping_sub(b'a') as i8)),
                    _mm_set1_epi8((0x80u8 + 26) as i8),
                );
                let digit = _mm_cmplt_epi8(
                    _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(b'0') as i8)),
                    _mm_set1_epi8((0x80u8 + 10) as i8),
                );
                // Letters take bit 5 (lower case); every other byte stays as it is.
                let lowered = _mm_or_si128(v, _mm_and_si128(letter, _mm_set1_epi8(0x20)));
                _mm_storeu_si128(lower.as_mut_ptr().add(16 * q).cast(), lowered);
                (
                    _mm_movemask_epi8(_mm_or_si128(letter, digit)),
                    // Signed, the lead bytes are -64 to -1: above -65 and negative.
                    _mm_movemask_epi8(_mm_cmpgt_epi8(v, _mm_set1_epi8(0xBFu8 as i8)))
                        & _mm_movemask_epi8(v),
                )
            };
            alnum |= (a as u16 as u64) << (16 * q);
            leads |= (w as u16 as u64) << (16 * q);
        }
        Block { alnum, leads }
    }

    #[cfg(not(target_arch = "x86_64"))]
    #[inline(always)]
    fn of(bytes: &[u8; 64], lower: &mut [u8; LOWER_LEN]) -> Block {
        Block::of_words(bytes, lower)
    }

    /// The same masks eight bytes at a time, on any processor.
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    #[inline(always)]
    fn of_words(bytes: &[u8; 64], lower: &mut [u8; LOWER_LEN]) -> Block {
        let (mut alnum, mut leads) = (0u64, 0u64);
        for q in 0..8 {
            let v = load8(bytes, 8 * q);
            alnum |= high_bits(alnum_mask(v)) << (8 * q);
            leads |= high_bits(v & v << 1 & 0x8080_8080_8080_8080) << (8 * q);
            let folded = v | ascii_capitals(v) >> 2;
            lower[8 * q..8 * q + 8].copy_from_slice(&folded.to_le_bytes());
        }
        Block { alnum, leads }
    }

    /// Offset of the first character outside ASCII in the block that is no separator (it
    /// may be part of a word), or 64. A character whose lead byte was in an earlier block
    /// was judged there.
    #[inline(always)]
    fn first_wide_letter(&self, b: &[u8], at: usize) -> usize {
        let mut leads = self.leads;
        while leads != 0 {
            let j = leads.trailing_zeros() as usize;
            if separator_len(b, at + j) == 0 {
                return j;
            }
            leads &= leads - 1;
        }
        64
    }
}

/// One bit per byte from the `0x80` bits of `m` (which has no other bits): bit `j` of the
/// result is bit 7 of byte `j`. The multiplication's partial products land on distinct bits,
/// so nothing carries and the top byte gathers exactly the eight flags.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline(always)]
fn high_bits(m: u64) -> u64 {
    (m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// One token of the text from `i` (a separator, a markup span, or a whole word with whatever
/// characters outside ASCII it holds, its hashes given to `f`), byte class by byte class;
/// returns where the next token starts. [`for_each_word_hash`] uses it where its blocks cannot
/// go; on its own, in a loop from 0, it gives the same hashes (a property the tests check).
fn scan_token(text: &str, mut i: usize, f: &mut impl FnMut(u64), count: &mut usize) -> usize {
    let b = text.as_bytes();
    match CLASS[b[i] as usize] {
        SEP => i + 1,
        MARKUP => i + markup_len(b, i).max(1),
        WIDE if separator_len(b, i) > 0 => i + separator_len(b, i),
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
                *count += wide_words(&text[start..i], f);
            } else {
                f(word_hash_in(b, start, i - start));
                *count += 1;
            }
            i
        }
    }
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
    use proptest::prelude::*;

    /// The scanner before blocks: [`scan_token`] from the first byte to the last.
    fn bytewise(text: &str) -> Vec<u64> {
        let mut v = Vec::new();
        if has_joining_entity(text) {
            return words(text)
                .iter()
                .map(|w| word_hash(w.as_bytes()))
                .collect();
        }
        let (mut i, mut count) = (0, 0);
        while i < text.len() {
            i = scan_token(text, i, &mut |h| v.push(h), &mut count);
        }
        assert_eq!(count, v.len());
        v
    }

    fn slow(text: &str) -> Vec<u64> {
        words(text)
            .iter()
            .map(|w| word_hash(w.as_bytes()))
            .collect()
    }

    /// Pieces that texts are made of in the property below: plain words of every length
    /// around the 8-, 16- and 64-byte edges, capitals, separators inside and outside ASCII,
    /// words with letters outside ASCII, markup and entities of both kinds.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9]{1,20}",
            "[A-Za-z]{60,70}",
            "[ ,.;:!?'\"()\n\t-]{1,3}",
            Just("\u{2019}".to_string()),
            Just("\u{201C}".to_string()),
            Just("\u{2014}".to_string()),
            Just("\u{00A0}".to_string()),
            Just("\u{2026}".to_string()),
            "[a-z]{0,4}[\u{e9}\u{fc}\u{130}\u{3b1}\u{4e00}\u{fb01}\u{ff21}\u{301}][a-z]{0,4}",
            Just("<p>".to_string()),
            Just("</a>".to_string()),
            Just("<a href=\"x&amp;y\">".to_string()),
            Just("<a title=\"caf&eacute;\">".to_string()),
            Just("](https://x.test/&eacute;)".to_string()),
            Just("<!-- c -->".to_string()),
            Just("](https://x.test/a)".to_string()),
            Just("]".to_string()),
            Just("<".to_string()),
            Just("&".to_string()),
            Just("&amp;".to_string()),
            Just("&nbsp;".to_string()),
            Just("&rsquo;".to_string()),
            Just("&eacute;".to_string()),
            Just("&#65;".to_string()),
            Just("&zzz;".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// The block scanner gives exactly the hashes of the byte-by-byte scanner and of the
        /// canonical text's words, on ASCII, text outside ASCII, markup and entities.
        #[test]
        fn blocks_hash_like_bytes_and_canonical_words(
            pieces in proptest::collection::vec(piece(), 0..120)
        ) {
            let text: String = pieces.concat();
            let fast = hashes(&text);
            prop_assert_eq!(&fast, &bytewise(&text));
            prop_assert_eq!(&fast, &slow(&text));
            prop_assert_eq!(for_each_word_hash(&text, |_| {}), fast.len());
        }

        #[test]
        fn lowered_hash_is_the_word_hash(w in "[a-zA-Z0-9]{1,16}", at in 0usize..64) {
            // Blocks hash only the words that end inside them.
            let at = at.min(64 - w.len());
            let mut lower = [0u8; LOWER_LEN];
            let mut text = vec![b' '; at];
            text.extend_from_slice(w.as_bytes());
            text.resize(200, b' ');
            let block = Block::at(&text, 0, &mut lower);
            prop_assert_eq!(block.alnum.count_ones() as usize, w.len());
            prop_assert_eq!(lowered_word_hash(&lower, at, w.len()), word_hash(w.as_bytes()));
            prop_assert_eq!(word_hash_in(&text, at, w.len()), word_hash(w.as_bytes()));
        }

        #[test]
        fn vector_and_word_masks_agree(bytes in proptest::collection::vec(any::<u8>(), 64)) {
            let bytes: [u8; 64] = bytes.try_into().unwrap();
            let (mut a, mut b) = ([0u8; LOWER_LEN], [0u8; LOWER_LEN]);
            prop_assert_eq!(Block::of(&bytes, &mut a), Block::of_words(&bytes, &mut b));
            prop_assert_eq!(a, b);
            for (j, &c) in bytes.iter().enumerate() {
                let block = Block::of(&bytes, &mut a);
                prop_assert_eq!(block.alnum >> j & 1 == 1, CLASS[c as usize] == ALNUM);
                prop_assert_eq!(block.leads >> j & 1 == 1, c >= 0xC0);
                prop_assert_eq!(a[j], if c.is_ascii_uppercase() { c | 0x20 } else { c });
            }
        }
    }

    /// A text that ends inside a block, one of exactly 64 bytes, words across block edges.
    #[test]
    fn block_edges() {
        for t in [
            "a",
            "Ab",
            &"x".repeat(63),
            &"y".repeat(64),
            &"z".repeat(65),
            &format!("{} tail", "w".repeat(62)),
            &format!("{}\u{2019}s end", "q ".repeat(31)),
            &format!("{}caf\u{e9} end", "q ".repeat(30)),
            &format!("{}<b>bold</b>", "q ".repeat(31)),
        ] {
            assert_eq!(hashes(t), bytewise(t), "{t:?}");
            assert_eq!(hashes(t), slow(t), "{t:?}");
        }
    }

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
