//! `newsfold bench serve`: the desk under a bounded load on loopback. The desk is opened on
//! the store in this process (127.0.0.1, a free port); a deterministic sample of search
//! queries (one to three content words of stored titles) and story ids (events and
//! storylines) is drawn from the seed; every story page and every query is fetched once by
//! one client (the cold figures, which also warm the page cache the way a desk in use is
//! warm); then two phases of N client threads, each on its own keep-alive connection through
//! `server::client`, ask for search pages and then story pages for the given seconds.
//!
//! A bench, not a test: it prints figures and PASS or FAIL against the targets, and a failed
//! request (a status other than 200, or an I/O error) is counted, never the end of the run.

use super::Context;
use crate::error::{Error, Result};
use crate::server::client::Client;
use crate::server::{self, Desk, Options};
use crate::stories::Level;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// p99 targets at 50 clients, in milliseconds.
const SEARCH_P99_MS: f64 = 20.0;
const STORY_P99_MS: f64 = 50.0;
/// Most search queries sampled.
const QUERIES: usize = 2000;

/// What `newsfold bench serve` was asked for.
#[derive(Debug, Clone)]
pub struct Settings {
    pub clients: usize,
    pub seconds: u64,
    /// Mean pause of a client between its requests, in milliseconds (each pause drawn evenly
    /// from 0 to twice it): 0 is a closed loop that saturates the server, more is readers who
    /// read before they click.
    pub think_ms: u64,
    pub seed: u64,
    pub json: bool,
}

/// A small deterministic generator (splitmix64): the same seed, the same sample and order.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The figures of one phase (or of the cold pass).
#[derive(Debug, Clone, serde::Serialize)]
struct Phase {
    name: &'static str,
    requests: usize,
    errors: usize,
    /// Errors by status (`io` for a failed exchange).
    error_kinds: BTreeMap<String, usize>,
    seconds: f64,
    per_second: f64,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    target_p99_ms: Option<f64>,
    pass: Option<bool>,
}

impl Phase {
    fn new(name: &'static str, mut runs: Vec<Run>, seconds: f64, target: Option<f64>) -> Phase {
        let mut error_kinds = BTreeMap::new();
        for r in &runs {
            if let Some(k) = &r.error {
                *error_kinds.entry(k.clone()).or_insert(0) += 1;
            }
        }
        let errors = error_kinds.values().sum();
        runs.sort_by_key(|r| r.micros);
        let at = |p: f64| -> f64 {
            if runs.is_empty() {
                return 0.0;
            }
            let i = ((p * runs.len() as f64).ceil() as usize).clamp(1, runs.len()) - 1;
            runs[i].micros as f64 / 1000.0
        };
        let p99 = at(0.99);
        Phase {
            name,
            requests: runs.len(),
            errors,
            error_kinds,
            seconds,
            per_second: runs.len() as f64 / seconds.max(1e-9),
            p50_ms: at(0.50),
            p95_ms: at(0.95),
            p99_ms: p99,
            max_ms: at(1.0),
            target_p99_ms: target,
            pass: target.map(|t| errors == 0 && !runs.is_empty() && p99 < t),
        }
    }

    fn line(&self) -> String {
        let mut s = format!(
            "  {:<13} {:>7} requests, {:>6} errors{}, {:>8.1} req/s, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            self.name,
            self.requests,
            self.errors,
            if self.error_kinds.is_empty() {
                String::new()
            } else {
                format!(
                    " ({})",
                    self.error_kinds
                        .iter()
                        .map(|(k, n)| format!("{k}: {n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
            self.per_second,
            self.p50_ms,
            self.p95_ms,
            self.p99_ms,
            self.max_ms
        );
        if let (Some(t), Some(pass)) = (self.target_p99_ms, self.pass) {
            s.push_str(&format!(
                "; target p99 < {t} ms and no errors: {}",
                if pass { "PASS" } else { "FAIL" }
            ));
        }
        s
    }
}

/// One request's latency and, if it failed, how.
#[derive(Debug, Clone)]
struct Run {
    micros: u64,
    error: Option<String>,
}

fn timed(client: &mut Client, target: &str) -> Run {
    let start = Instant::now();
    let error = match client.get(target) {
        Ok(r) if r.status == 200 => None,
        Ok(r) => Some(r.status.to_string()),
        Err(_) => Some("io".to_string()),
    };
    Run {
        micros: start.elapsed().as_micros() as u64,
        error,
    }
}

/// Search targets: one to three consecutive content words of the stored titles.
fn queries(ctx: &Context, rng: &mut Rng) -> Result<Vec<String>> {
    let store = ctx.existing_store()?;
    let mut titles = Vec::new();
    store.for_each_article(None, None, |a| {
        if let Some(t) = a.article.meta.title {
            titles.push(t.value);
        }
        Ok(())
    })?;
    let mut out = Vec::new();
    if titles.is_empty() {
        return Ok(out);
    }
    for _ in 0..QUERIES.min(titles.len() * 3) {
        let title = &titles[rng.below(titles.len())];
        let words: Vec<String> = title
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .filter(|w| w.chars().count() >= 3 && !crate::stories::terms::is_stopword(w))
            .collect();
        if words.is_empty() {
            continue;
        }
        let n = 1 + rng.below(3.min(words.len()));
        let start = rng.below(words.len() - n + 1);
        let q = words[start..start + n].join(" ");
        let q: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
        out.push(format!("/search?q={q}"));
    }
    Ok(out)
}

/// Story targets: every event and storyline, or a seeded sample of them on a big store.
fn story_pages(ctx: &Context, rng: &mut Rng) -> Result<Vec<String>> {
    let store = ctx.existing_store()?;
    let mut ids = Vec::new();
    for level in [Level::Event, Level::Storyline] {
        ids.extend(
            crate::store::stories::list(&store, level, None)?
                .into_iter()
                .map(|s| format!("/stories/{}", s.id)),
        );
    }
    // A bounded warm-up: at most 2,000 stories, drawn by the seed.
    while ids.len() > 2000 {
        let i = rng.below(ids.len());
        ids.swap_remove(i);
    }
    Ok(ids)
}

/// Every target asked for once, in order, by one client: the cold figures.
fn each_once(client: &mut Client, targets: &[String], name: &'static str) -> Phase {
    let start = Instant::now();
    let runs: Vec<Run> = targets.iter().map(|t| timed(client, t)).collect();
    Phase::new(name, runs, start.elapsed().as_secs_f64(), None)
}

/// `clients` threads asking for `targets` in a seeded order until `seconds` have passed.
fn phase(
    addr: SocketAddr,
    targets: &[String],
    settings: &Settings,
    name: &'static str,
    target: f64,
) -> Phase {
    let until = Duration::from_secs(settings.seconds);
    let start = Instant::now();
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..settings.clients)
            .map(|k| {
                scope.spawn(move || {
                    let mut rng = Rng(settings.seed ^ (k as u64 + 1).wrapping_mul(0xA24B_AED4));
                    let mut client = Client::new(addr).timeout(Duration::from_secs(10));
                    let mut runs = Vec::new();
                    while start.elapsed() < until && !targets.is_empty() {
                        // The pause comes before each request, the first too, so that readers
                        // do not all click at the same instant when the phase starts.
                        if settings.think_ms > 0 {
                            let pause = rng.below(2 * settings.think_ms as usize + 1);
                            std::thread::sleep(Duration::from_millis(pause as u64));
                            if start.elapsed() >= until {
                                break;
                            }
                        }
                        runs.push(timed(&mut client, &targets[rng.below(targets.len())]));
                    }
                    runs
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    Phase::new(name, runs, start.elapsed().as_secs_f64(), Some(target))
}

pub fn run(ctx: &Context, settings: &Settings) -> Result<ExitCode> {
    if settings.clients == 0 || settings.seconds == 0 {
        return Err(Error::Usage(
            "--clients and --seconds must be at least 1".into(),
        ));
    }
    let desk = Desk::open(&ctx.db, &ctx.config)?;
    let mut rng = Rng(settings.seed);
    let searches = queries(ctx, &mut rng)?;
    let stories = story_pages(ctx, &mut rng)?;
    let articles = ctx.existing_store()?.stats()?.articles;
    let running = server::start(
        desk,
        &Options {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            token: None,
            until_interrupted: false,
        },
    )?;
    let addr = running.addr;
    let load_before = load();

    let mut client = Client::new(addr).timeout(Duration::from_secs(60));
    let cold = each_once(&mut client, &stories, "cold stories");
    let cold_search = each_once(&mut client, &searches, "cold search");
    let search = phase(addr, &searches, settings, "search pages", SEARCH_P99_MS);
    let story = phase(addr, &stories, settings, "story pages", STORY_P99_MS);
    running.stop()?;

    if settings.json {
        let out = serde_json::json!({
            "db": ctx.db.display().to_string(),
            "articles": articles,
            "stories": stories.len(),
            "queries": searches.len(),
            "clients": settings.clients,
            "seconds": settings.seconds,
            "think_ms": settings.think_ms,
            "seed": settings.seed,
            "load_before": load_before,
            "load_after": load(),
            "phases": [cold, cold_search, search, story],
        });
        println!("{out:#}");
    } else {
        println!(
            "newsfold --db {} bench serve --clients {} --seconds {} --think-ms {} --seed {} (load before: {load_before})",
            ctx.db.display(),
            settings.clients,
            settings.seconds,
            settings.think_ms,
            settings.seed
        );
        println!(
            "  {articles} articles; sampled {} search queries and {} story pages",
            searches.len(),
            stories.len()
        );
        for p in [&cold, &cold_search, &search, &story] {
            println!("{}", p.line());
        }
        println!("  load after: {}", load());
    }
    Ok(ExitCode::SUCCESS)
}

/// The 1-minute load average, to read the figures by.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(String::from))
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_count_from_the_slowest_and_errors_fail_the_target() {
        let runs: Vec<Run> = (1..=100)
            .map(|ms| Run {
                micros: ms * 1000,
                error: (ms == 7).then(|| "404".to_string()),
            })
            .collect();
        let p = Phase::new("t", runs, 2.0, Some(200.0));
        assert_eq!((p.p50_ms, p.p99_ms, p.max_ms), (50.0, 99.0, 100.0));
        assert_eq!((p.requests, p.errors, p.per_second), (100, 1, 50.0));
        assert_eq!(p.pass, Some(false), "an error fails the phase");
        let empty = Phase::new("e", Vec::new(), 1.0, Some(20.0));
        assert_eq!((empty.p99_ms, empty.pass), (0.0, Some(false)));
    }

    #[test]
    fn the_seed_fixes_the_order() {
        let (mut a, mut b) = (Rng(1), Rng(1));
        let xs: Vec<usize> = (0..5).map(|_| a.below(1000)).collect();
        let ys: Vec<usize> = (0..5).map(|_| b.below(1000)).collect();
        assert_eq!(xs, ys);
        let mut c = Rng(2);
        assert_ne!(xs, (0..5).map(|_| c.below(1000)).collect::<Vec<_>>());
    }
}
