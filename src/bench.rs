//! Benchmarks and quality figures, run on demand (`newsfold bench`), never as timed tests:
//! ingest throughput and peak memory on a large JSONL corpus, and HTML extraction speed and
//! word-4-gram F1 against gold text, with Python trafilatura run side by side when installed.
//!
//! The scorer is the one `../shared/data/README.md` defines: lower-cased words (runs of
//! letters and digits), the set of word 4-grams of the output against that of the gold text,
//! precision, recall and F1 per page (both empty: 1; one empty: 0), averaged over pages.

use std::collections::HashSet;

/// Precision, recall and F1 of one page.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn shingles(text: &str) -> HashSet<Vec<String>> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return HashSet::new();
    }
    if words.len() < 4 {
        return HashSet::from([words]);
    }
    words.windows(4).map(<[String]>::to_vec).collect()
}

/// Word-4-gram precision, recall and F1 of `output` against `gold`.
pub fn score(output: &str, gold: &str) -> Score {
    let (out, gold) = (shingles(output), shingles(gold));
    match (out.is_empty(), gold.is_empty()) {
        (true, true) => {
            return Score {
                precision: 1.0,
                recall: 1.0,
                f1: 1.0,
            }
        }
        (true, false) | (false, true) => return Score::default(),
        _ => {}
    }
    let common = out.intersection(&gold).count() as f64;
    let precision = common / out.len() as f64;
    let recall = common / gold.len() as f64;
    let f1 = if common == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Score {
        precision,
        recall,
        f1,
    }
}

/// The mean of per-page scores.
pub fn mean(scores: &[Score]) -> Score {
    let n = scores.len().max(1) as f64;
    Score {
        precision: scores.iter().map(|s| s.precision).sum::<f64>() / n,
        recall: scores.iter().map(|s| s.recall).sum::<f64>() / n,
        f1: scores.iter().map(|s| s.f1).sum::<f64>() / n,
    }
}

/// CPU time (user and system, all threads) this process has used so far, in seconds.
pub fn cpu_seconds() -> f64 {
    #[cfg(unix)]
    {
        // SAFETY: getrusage writes into the struct we hand it and nothing else.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } == 0 {
            let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
            return t(usage.ru_utime) + t(usage.ru_stime);
        }
    }
    f64::NAN
}

/// Peak resident memory of this process so far, in MiB. Linux's `VmHWM` first: `getrusage`
/// reports, in a process its parent started, the parent's peak at the fork when it was larger.
pub fn peak_memory_mib() -> f64 {
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        let kb = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
        if let Some(kb) = kb {
            return kb / 1024.0;
        }
    }
    #[cfg(unix)]
    {
        // SAFETY: getrusage writes into the struct we hand it and nothing else.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } == 0 {
            return usage.ru_maxrss as f64 / 1024.0;
        }
    }
    f64::NAN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scorer_follows_the_definition() {
        assert_eq!(score("", "").f1, 1.0);
        assert_eq!(score("a b c d", "").f1, 0.0);
        assert_eq!(score("One two three four", "one, two; three four").f1, 1.0);
        let s = score("a b c d e", "a b c d x");
        assert_eq!((s.precision, s.recall), (0.5, 0.5));
        assert_eq!(score("short", "short").f1, 1.0);
        assert_eq!(
            mean(&[score("a b c d", "a b c d"), Score::default()]).f1,
            0.5
        );
    }
}
