//! Learned furniture: the evidence that a block recurs across an outlet's articles.
//!
//! A block's [`key`] is a hash of its letters, lower-cased, with digits, punctuation and
//! spacing dropped, so "Views: 0" and "Views: 12", or a line re-wrapped or re-punctuated, meet.
//! The store counts, per outlet and key, the independent articles a block occurs in: an
//! article that is a copy of an earlier one ([`copy_of`]) adds nothing for the blocks they
//! share, so one article scraped twice does not teach that its own text is furniture. This
//! module holds the rules; the counting lives in the store.

use super::{Block, CleanConfig};

/// The normalisation key of a block's text; 0 for text without letters (never learned).
pub fn key(text: &str) -> u64 {
    // FNV-1a over the lower-cased letters, one space between words: stable across runs,
    // platforms and releases, unlike the standard library's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut any = false;
    let mut gap = false;
    let mut feed = |b: u8| {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    };
    for c in text.chars() {
        if c.is_alphabetic() {
            if gap && any {
                feed(b' ');
            }
            gap = false;
            any = true;
            for l in c.to_lowercase() {
                let mut buf = [0u8; 4];
                for b in l.encode_utf8(&mut buf).bytes() {
                    feed(b);
                }
            }
        } else if !c.is_numeric() {
            gap = true;
        }
    }
    if any {
        hash.max(1)
    } else {
        0
    }
}

/// The distinct keys of an article worth counting, in first-seen order, each with whether
/// the block is long enough to tell copies apart.
pub fn article_keys(blocks: &[Block], cfg: &CleanConfig) -> Vec<(u64, bool)> {
    let mut seen = std::collections::HashSet::new();
    blocks
        .iter()
        .filter(|b| b.key != 0 && seen.insert(b.key))
        .map(|b| {
            let long = b.text.split_whitespace().count() >= cfg.copy_min_words;
            (b.key, long)
        })
        .collect()
}

/// Whether an article is a copy of an earlier one of its outlet. `first_seen` holds, for each
/// of its long blocks, the earliest article the block was seen in (`None`: never). The
/// article is a copy of `s` when at least `copy_share` of its long blocks were first seen in
/// `s` (an article whose body is one long paragraph is a copy when that paragraph is).
pub fn copy_of(first_seen: &[Option<i64>], cfg: &CleanConfig) -> Option<i64> {
    let mut tally: std::collections::BTreeMap<i64, usize> = Default::default();
    for s in first_seen.iter().flatten() {
        *tally.entry(*s).or_default() += 1;
    }
    let (best, n) = tally.into_iter().max_by_key(|&(s, n)| (n, -s))?;
    let enough = n as f32 >= cfg.copy_share * first_seen.len() as f32;
    enough.then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            copy_of(&[Some(3), Some(3), Some(3), Some(3), None], &cfg),
            Some(3)
        );
        assert_eq!(copy_of(&[Some(3), Some(3), None, None], &cfg), None);
        assert_eq!(copy_of(&[Some(3), None, None, None, None], &cfg), None);
        assert_eq!(copy_of(&[Some(3)], &cfg), Some(3));
        assert_eq!(copy_of(&[Some(3), Some(4), None, None], &cfg), None);
        assert_eq!(copy_of(&[], &cfg), None);
    }
}
