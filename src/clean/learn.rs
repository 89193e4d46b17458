//! Learned furniture: the evidence that a block recurs across an outlet's articles.
//!
//! A block's [`key`] is a hash of its letters, lower-cased, with digits, punctuation and
//! spacing dropped, so "Views: 0" and "Views: 12", or a line re-wrapped or re-punctuated, meet.
//! The store counts, per outlet and key, the independent articles a block occurs in: an
//! article that is a copy of an earlier one ([`copy_of`]) adds nothing for the blocks they
//! share, so one article scraped twice does not teach that its own text is furniture (the
//! store lets a second copy of the same article count: three pages with the same long blocks
//! are a site's template, not one article scraped three times). This
//! module holds the rules; the counting lives in the store.

use super::{Block, CleanConfig};

/// The normalisation key of a block's text; 0 for text without letters (never learned).
pub fn key(text: &str) -> u64 {
    thread_local! {
        static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUF.with_borrow_mut(|buf| {
        buf.clear();
        normalise_into(text, buf);
        if buf.is_empty() {
            0
        } else {
            hash(buf).max(1)
        }
    })
}

/// The lower-cased letters of `text`, one space between words, digits dropped.
fn normalise_into(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    let mut gap = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII byte by byte; other characters decoded.
        let (c, len) = if b.is_ascii() {
            (b as char, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c, c.len_utf8())
        };
        i += len;
        if c.is_alphabetic() {
            if gap && !out.is_empty() {
                out.push(b' ');
            }
            gap = false;
            if b.is_ascii() {
                out.push(b.to_ascii_lowercase());
            } else {
                for l in c.to_lowercase() {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
                }
            }
        } else if !c.is_numeric() {
            gap = true;
        }
    }
}

/// A 64-bit hash taking eight bytes at a time (little-endian, so the same on every
/// platform), with the length mixed in and a final avalanche.
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = bytes.len() as u64 ^ 0xcbf2_9ce4_8422_2325;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().expect("eight bytes"));
        h = (h.rotate_left(23) ^ w).wrapping_mul(K);
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    h = (h.rotate_left(23) ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    h ^= h >> 31;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 29)
}

/// The distinct keys of an article worth counting, in first-seen order, each with whether
/// the block is long enough to tell copies apart, and its words.
pub fn article_keys(blocks: &[Block], cfg: &CleanConfig) -> Vec<(u64, Option<u32>)> {
    let mut seen = std::collections::HashSet::new();
    blocks
        .iter()
        .filter(|b| b.key != 0 && seen.insert(b.key))
        .map(|b| {
            let long = b.words as usize >= cfg.copy_min_words;
            (b.key, long.then_some(b.words))
        })
        .collect()
}

/// Whether an article is a copy of an earlier one of its outlet. `first_seen` holds, for each
/// of its long blocks, the earliest article the block was seen in (`None`: never) and the
/// block's words; `long_blocks_of(s)` is how many long blocks article `s` has. The article is a
/// copy of `s` when the long blocks they share make at least `copy_share` of either article
/// (the same text re-scraped, or a page and the text an extractor made of it with the page's
/// furniture around it) and take in most of its longest paragraphs: pages of one template
/// share their long sidebar, not the article that each of them carries.
pub fn copy_of(
    first_seen: &[(Option<i64>, u32)],
    mut long_blocks_of: impl FnMut(i64) -> usize,
    cfg: &CleanConfig,
) -> Option<i64> {
    let mut tally: std::collections::BTreeMap<i64, usize> = Default::default();
    for s in first_seen.iter().filter_map(|(s, _)| *s) {
        *tally.entry(s).or_default() += 1;
    }
    let (best, n) = tally.into_iter().max_by_key(|&(s, n)| (n, -s))?;
    let share = |of: usize| n as f32 >= cfg.copy_share * of.max(1) as f32;
    let mut by_length: Vec<&(Option<i64>, u32)> = first_seen.iter().collect();
    by_length.sort_by_key(|(_, words)| std::cmp::Reverse(*words));
    let longest = &by_length[..by_length.len().min(3)];
    let longest_shared = longest.iter().filter(|(s, _)| *s == Some(best)).count();
    let carries_the_text = longest_shared * 2 > longest.len();
    (carries_the_text && (share(first_seen.len()) || share(long_blocks_of(best)))).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_across_releases() {
        // Stored evidence is keyed by these values: a change of the hash is a migration.
        assert_eq!(key("Related posts:"), 0xf322_a9cd_e385_59d1);
    }

    #[test]
    fn keys_ignore_case_digits_punctuation_and_spacing() {
        assert_eq!(key("Views: 0"), key("views 12"));
        assert_eq!(key("Related posts:"), key("RELATED   POSTS"));
        assert_ne!(key("Related posts"), key("Relatedposts"));
        assert_ne!(key("Related posts"), key("Related post"));
        assert_eq!(key("12 345 --"), 0);
        assert_eq!(key("Дорогие читатели"), key("дорогие ЧИТАТЕЛИ!"));
    }

    #[test]
    fn copies_need_a_share_of_long_blocks() {
        let cfg = CleanConfig::default();
        let ten = |_| 10;
        let two = |_| 2;
        let seen =
            |s: &[Option<i64>]| -> Vec<(Option<i64>, u32)> { s.iter().map(|s| (*s, 20)).collect() };
        assert_eq!(
            copy_of(
                &seen(&[Some(3), Some(3), Some(3), Some(3), None]),
                ten,
                &cfg
            ),
            Some(3)
        );
        assert_eq!(
            copy_of(&seen(&[Some(3), Some(3), None, None]), ten, &cfg),
            None
        );
        // The earlier article is all inside this one: a page and its extracted text.
        assert_eq!(
            copy_of(&seen(&[Some(3), Some(3), None, None, None]), two, &cfg),
            Some(3)
        );
        let page = [
            (Some(3), 90),
            (Some(3), 80),
            (None, 12),
            (None, 10),
            (None, 9),
        ];
        assert_eq!(copy_of(&page, two, &cfg), Some(3));
        // The same shares, but the page's longest paragraphs are its own: not a copy.
        let page = [
            (Some(3), 12),
            (Some(3), 10),
            (None, 90),
            (None, 80),
            (None, 9),
        ];
        assert_eq!(copy_of(&page, two, &cfg), None);
        assert_eq!(
            copy_of(&seen(&[Some(3), None, None, None, None]), ten, &cfg),
            None
        );
        assert_eq!(copy_of(&seen(&[Some(3)]), ten, &cfg), Some(3));
        assert_eq!(
            copy_of(&seen(&[Some(3), Some(4), None, None]), ten, &cfg),
            None
        );
        assert_eq!(copy_of(&[], ten, &cfg), None);
    }

    /// Issue 3 (Dragnet pages R874-R880): pages of one site whose visible text is mostly the
    /// same long sidebar were taken for copies of each other, so the sidebar was never learned.
    #[test]
    fn pages_of_one_template_are_not_copies() {
        let cfg = CleanConfig::default();
        // Six long sidebar blocks seen in article 3, and this page's own article, longer.
        let mut page: Vec<(Option<i64>, u32)> = vec![(Some(3), 30); 6];
        page.extend([(None, 120), (None, 95)]);
        assert_eq!(copy_of(&page, |_| 8, &cfg), None);
    }
}
