//! `newsfold bench dedup`: the copy stage's speed from raw text to verified groups, at one and
//! two threads, its index size and batch mode's peak memory, with datasketch and rensa run
//! side by side in the same run (`benches/dedup_peers.py`, in a virtual environment the
//! harness makes). Slow by design; not part of the test suite.

use super::Context;
use crate::batch::{self, LoadedRecord};
use crate::bench::{cpu_seconds, peak_memory_mib};
use crate::dedup::{self, Document, Index, Meta, Sketcher};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Wall time and CPU time of the best of two runs of the whole in-memory path on `threads`
/// threads, and the number of texts found to be copies. CPU time is what "per core" divides
/// by: on a machine shared with other work, wall time over threads understates a core's speed.
fn time_dedup(
    docs: &[Document<'_>],
    cfg: &dedup::DedupConfig,
    threads: usize,
) -> Result<(Timing, usize)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let mut best = Timing {
        wall: f64::INFINITY,
        cpu: f64::INFINITY,
    };
    let mut copies = 0;
    for _ in 0..2 {
        let (start, cpu) = (Instant::now(), cpu_seconds());
        let out = pool.install(|| dedup::dedup(docs, cfg))?;
        let t = Timing {
            wall: start.elapsed().as_secs_f64(),
            cpu: cpu_seconds() - cpu,
        };
        if t.wall < best.wall {
            best = t;
        }
        copies = out.iter().filter(|a| !batch::is_kept(a)).count();
    }
    Ok((best, copies))
}

#[derive(Debug, Clone, Copy)]
struct Timing {
    wall: f64,
    cpu: f64,
}

fn documents(records: &[LoadedRecord]) -> Vec<Document<'_>> {
    records
        .iter()
        .map(|r| Document {
            text: &r.text,
            outlet: r.outlet.as_deref(),
            date: r.date,
        })
        .collect()
}

pub fn run(ctx: &Context, corpus: &Path, peer_mb: f64, peers: bool) -> Result<ExitCode> {
    let cfg = &ctx.config.dedup;
    cfg.validate()?;
    let inputs = [corpus.display().to_string()];
    let records = batch::load_records(&inputs, &ctx.config)?;
    let docs = documents(&records);
    let bytes: usize = records.iter().map(|r| r.text.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!("newsfold bench dedup {}", corpus.display());
    println!(
        "  corpus           {} records, {mb:.1} MB of body text; word {}-shingles, {} bins, {} bands x {} rows",
        records.len(),
        cfg.shingle_words,
        cfg.permutations,
        cfg.bands,
        cfg.rows()
    );
    for threads in [1, 2] {
        let (t, copies) = time_dedup(&docs, cfg, threads)?;
        println!(
            "  {threads} thread{}        {:.3} s wall, {:.3} s CPU, raw text -> verified groups: {:.0} MB/s wall, {:.0} MB/s per core of CPU time ({copies} copies found)",
            if threads == 1 { " " } else { "s" },
            t.wall,
            t.cpu,
            mb / t.wall,
            mb / t.cpu
        );
    }
    let sketcher = Sketcher::new(cfg)?;
    let mut index = Index::new(cfg);
    for d in &docs {
        let s = sketcher.sketch(d.text);
        let meta = Meta {
            outlet: d.outlet,
            date: d.date,
        };
        index.push(&s.sketch, s.exact, meta);
    }
    index.shrink_to_fit();
    println!(
        "  index            {:.0} bytes per document (target: at most 1024)",
        index.heap_bytes() as f64 / index.len().max(1) as f64
    );
    drop(index);
    println!(
        "  peak memory      {:.0} MiB in this process (the corpus's texts are held in memory)",
        peak_memory_mib()
    );
    batch_memory(corpus);
    if peers {
        run_peers(&records, cfg, peer_mb)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Batch mode on the corpus in a child process, for its own peak memory.
fn batch_memory(corpus: &Path) {
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let out_path =
        std::env::temp_dir().join(format!("newsfold-bench-dedup-{}.jsonl", std::process::id()));
    let start = Instant::now();
    let out = std::process::Command::new(exe)
        .arg("dedup")
        .arg(corpus)
        .arg("-o")
        .arg(&out_path)
        .output();
    let secs = start.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&out_path);
    match out {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stderr);
            let summary: Vec<&str> = text.lines().map(str::trim).collect();
            println!("  batch mode       `newsfold dedup CORPUS -o OUT.jsonl`: {secs:.1} s wall, decompression and JSON parsing included");
            for line in summary {
                println!("                   {line}");
            }
        }
        Ok(o) => println!(
            "  batch mode       failed: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => println!("  batch mode       could not run: {e}"),
    }
}

/// Run a command with its output captured, never shown: `Err` holds the last line it wrote
/// to standard error (a missing module's traceback is a question asked, not an error).
fn run_quietly(command: &mut std::process::Command) -> std::result::Result<(), String> {
    match command.output() {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(String::from_utf8_lossy(&o.stderr)
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message")
            .trim()
            .to_string()),
        Err(e) => Err(e.to_string()),
    }
}

fn venv_python() -> std::result::Result<PathBuf, String> {
    use std::process::Command;
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        run_quietly(Command::new("python3").args(["-m", "venv"]).arg(&venv))
            .map_err(|e| format!("python3 -m venv failed: {e}"))?;
    }
    let have = run_quietly(Command::new(&python).args(["-c", "import datasketch, rensa"]));
    if have.is_err() {
        run_quietly(Command::new(venv.join("bin/pip")).args([
            "install",
            "-q",
            "datasketch",
            "rensa==0.5.0",
        ]))
        .map_err(|e| format!("pip install datasketch rensa==0.5.0 failed: {e}"))?;
    }
    Ok(python)
}

/// The peers on the first `peer_mb` MB of text, and newsfold on the same texts, one thread.
fn run_peers(records: &[LoadedRecord], cfg: &dedup::DedupConfig, peer_mb: f64) -> Result<()> {
    let mut taken = 0usize;
    let subset: Vec<&LoadedRecord> = records
        .iter()
        .take_while(|r| {
            taken += r.text.len();
            (taken as f64) < peer_mb * 1e6
        })
        .collect();
    let mb = subset.iter().map(|r| r.text.len()).sum::<usize>() as f64 / 1e6;
    let path =
        std::env::temp_dir().join(format!("newsfold-peer-texts-{}.jsonl", std::process::id()));
    let mut lines = String::new();
    for r in &subset {
        lines
            .push_str(&serde_json::to_string(&r.text).map_err(|e| Error::Internal(e.to_string()))?);
        lines.push('\n');
    }
    std::fs::write(&path, lines).map_err(|e| Error::io("writing the peers' texts", e))?;
    let owned: Vec<LoadedRecord> = subset.into_iter().cloned().collect();
    let (t, _) = time_dedup(&documents(&owned), cfg, 1)?;
    let ours = t.wall;
    println!(
        "peers on the first {} records ({mb:.1} MB), word 3-shingles, threshold 0.8, one process each\n  (newsfold: one-permutation MinHash into 128 bins, the best of two runs; the peers: 128 permutations, one run):",
        owned.len()
    );
    println!(
        "  newsfold         {ours:.3} s  {:>7.1} MB/s  raw text -> verified groups, 1 thread ({:.3} s CPU)",
        mb / ours,
        t.cpu
    );
    let python = match venv_python() {
        Ok(p) => p,
        Err(e) => {
            println!("  peers not run: {e} (newsfold's figures above stand alone)");
            return Ok(());
        }
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/dedup_peers.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .arg(&path)
        .output()
        .map_err(|e| Error::io("running the peers", e))?;
    let _ = std::fs::remove_file(&path);
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            [name, secs, found] => {
                let secs: f64 = secs.parse().unwrap_or(f64::NAN);
                let ratio = secs / ours;
                let verdict = if ratio >= 1.0 {
                    format!("newsfold is {ratio:.1}x faster")
                } else if ratio > 0.0 {
                    format!("newsfold is {:.1}x slower", 1.0 / ratio)
                } else {
                    "no ratio".to_string()
                };
                println!(
                    "  {name:<16} {secs:.3} s  {:>7.1} MB/s  raw text -> candidates ({found} found); {verdict}",
                    mb / secs
                );
            }
            _ => println!("  {line}"),
        }
    }
    if !out.status.success() {
        println!(
            "  peers failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Review of issue 4: checking for the peers printed a `ModuleNotFoundError` traceback
    /// before the harness installed them.
    #[test]
    fn a_failed_check_is_captured_not_printed() {
        let mut failing = std::process::Command::new("sh");
        failing.args([
            "-c",
            "echo Traceback >&2; echo 'ModuleNotFoundError: x' >&2; exit 1",
        ]);
        assert_eq!(
            run_quietly(&mut failing),
            Err("ModuleNotFoundError: x".to_string())
        );
        assert_eq!(
            run_quietly(std::process::Command::new("sh").args(["-c", "exit 0"])),
            Ok(())
        );
    }
}
