//! The batch de-duplication run behind `newsfold dedup`: JSONL records (plain, gzip or zstd)
//! streamed without the store, every record's place among copies, and the kept records
//! written verbatim.
//!
//! Memory is bounded by the sketches, not the texts: the first pass keeps only each record's
//! sketch and id ([`crate::dedup::Index`]); a second pass reads again the records that are in
//! candidate pairs and keeps their shingle sets (8 bytes per distinct shingle, those records
//! only); a last pass writes the records that are not copies. Records are framed by
//! `ingest::input`; the body is the first of the usual text fields (`text`, `content`, `body`,
//! `maintext`, ...), used as it stands: markup in it is skipped by the canonical form, not
//! parsed. A record without a body (bad JSON, no text field) is kept and counted, never
//! grouped. This module does not print; progress goes through [`BatchProgress`].

use crate::dedup::{self, Assignment, Index, Meta, Relation, ShingleSet, Sketcher};
use crate::error::{Error, InputError, Result};
use crate::ingest::input::{self, Input};
use crate::ingest::jsonl::{body, first, FieldMap};
use crate::model::{Format, RawDocument};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::HashMap;
use std::io::Write;

/// Records handled in parallel at a time.
const CHUNK: usize = 2048;

/// Progress callbacks: the CLI draws a bar, tests stay quiet.
pub trait BatchProgress: Sync {
    fn pass_started(&self, _name: &str, _records: Option<u64>) {}
    fn records_done(&self, _n: u64) {}
    /// A record that could not be read (`path#line` and why); it is skipped, the run goes on.
    fn record_failed(&self, _path: &str, _error: &InputError) {}
}

/// Progress nobody sees.
pub struct Quiet;
impl BatchProgress for Quiet {}

/// What a batch run found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchReport {
    pub records: u64,
    /// Records that could not be read at all (too large, cut by broken compression):
    /// reported, skipped, and neither grouped nor written.
    pub failed: u64,
    /// Records with no usable body (bad JSON, no text field): kept, never grouped.
    pub without_text: u64,
    /// Records too short to judge (fewer than `min_words` words).
    pub too_short: u64,
    pub kept: u64,
    pub by_relation: Vec<(Relation, u64)>,
    pub candidate_pairs: u64,
    pub body_bytes: u64,
    /// Heap bytes of the index per record.
    pub index_bytes_per_record: f64,
    /// Heap bytes of the shingle sets held for verification.
    pub set_bytes: u64,
}

/// Every record's place, in input order.
pub struct Outcome {
    pub ids: Vec<String>,
    pub assignments: Vec<Assignment>,
    pub report: BatchReport,
}

/// One record's fields that matter here.
struct Record {
    id: Option<String>,
    text: Option<String>,
    outlet: Option<String>,
    date: Option<chrono::NaiveDate>,
}

fn read_record(bytes: &[u8], fields: &FieldMap) -> Record {
    let Ok(v) = serde_json::from_slice::<Value>(bytes) else {
        return Record {
            id: None,
            text: None,
            outlet: None,
            date: None,
        };
    };
    Record {
        id: first(&v, &fields.id),
        text: body(&v, &fields.text),
        outlet: first(&v, &fields.outlet),
        date: first(&v, &fields.date)
            .and_then(|d| crate::ingest::dates::parse_date_value(&d))
            .map(|p| p.date),
    }
}

/// Walk every record of the inputs in chunks, in order, and return the records that could not
/// be read (`path#line` and why), which are skipped; every pass skips the same ones, so
/// records keep their places from one pass to the next.
fn for_each_chunk(
    inputs: &[String],
    cfg: &crate::config::Config,
    mut f: impl FnMut(&[RawDocument]) -> Result<()>,
) -> Result<Vec<(String, InputError)>> {
    let mut failed = Vec::new();
    for input in input::expand(inputs) {
        let input = input.map_err(|(path, e)| Error::Usage(format!("{path}: {e}")))?;
        if input == Input::Stdin {
            return Err(Error::Usage(
                "newsfold dedup reads its inputs more than once: name files, not `-`".into(),
            ));
        }
        let opened = input::open(&input, None, cfg.ingest.max_document_bytes)
            .map_err(|e| Error::Usage(format!("{}: {e}", input.display())))?;
        let mut chunk = Vec::with_capacity(CHUNK);
        for doc in opened.documents {
            let doc = match doc {
                Ok(doc) => doc,
                Err(failure) => {
                    failed.push(failure);
                    continue;
                }
            };
            if doc.container != Some(Format::Jsonl) {
                return Err(Error::Usage(format!(
                    "{}: newsfold dedup reads JSON lines (one record a line)",
                    doc.source_path
                )));
            }
            chunk.push(doc);
            if chunk.len() == CHUNK {
                f(&chunk)?;
                chunk.clear();
            }
        }
        if !chunk.is_empty() {
            f(&chunk)?;
        }
    }
    Ok(failed)
}

/// Group the records of `inputs`. Reads them once, and once more if there are candidates.
pub fn group_records(
    inputs: &[String],
    cfg: &crate::config::Config,
    progress: &dyn BatchProgress,
) -> Result<Outcome> {
    let dcfg = &cfg.dedup;
    let sketcher = Sketcher::new(dcfg)?;
    let mut index = Index::new(dcfg);
    let mut ids = Vec::new();
    let mut report = BatchReport::default();
    let mut no_text = Vec::new();
    progress.pass_started("sketching", None);
    let failed = for_each_chunk(inputs, cfg, |chunk| {
        let done: Vec<(Record, dedup::TextSketch)> = chunk
            .par_iter()
            .map(|doc| {
                let mut r = read_record(&doc.bytes, &cfg.ingest.fields);
                let s = sketcher.sketch(r.text.as_deref().unwrap_or(""));
                r.id = r.id.or_else(|| Some(doc.source_path.clone()));
                (r, s)
            })
            .collect();
        for (r, s) in done {
            report.records += 1;
            report.body_bytes += r.text.as_ref().map_or(0, |t| t.len() as u64);
            no_text.push(r.text.is_none());
            let meta = Meta {
                outlet: r.outlet.as_deref(),
                date: r.date,
            };
            index.push(&s.sketch, s.exact, meta);
            ids.push(r.id.unwrap_or_default());
        }
        progress.records_done(chunk.len() as u64);
        Ok(())
    })?;
    for (path, e) in &failed {
        progress.record_failed(path, e);
    }
    report.failed = failed.len() as u64;
    index.shrink_to_fit();
    let plan = index.plan(dcfg);
    let needed = plan.needs_sets();
    let mut sets: HashMap<u32, ShingleSet> = HashMap::with_capacity(needed.len());
    if !needed.is_empty() {
        progress.pass_started("measuring candidates", Some(report.records));
        let mut want = vec![false; index.len()];
        for &i in &needed {
            want[i as usize] = true;
        }
        let mut at = 0usize;
        for_each_chunk(inputs, cfg, |chunk| {
            let found: Vec<(u32, ShingleSet)> = chunk
                .par_iter()
                .enumerate()
                .filter(|(k, _)| want.get(at + k).copied().unwrap_or(false))
                .map(|(k, doc)| {
                    let r = read_record(&doc.bytes, &cfg.ingest.fields);
                    let set = sketcher.shingle_set(r.text.as_deref().unwrap_or(""));
                    ((at + k) as u32, set)
                })
                .collect();
            sets.extend(found);
            at += chunk.len();
            progress.records_done(chunk.len() as u64);
            Ok(())
        })?;
        if at != index.len() {
            return Err(Error::Usage(
                "the inputs changed between two readings".into(),
            ));
        }
    }
    report.set_bytes = sets.values().map(|s| s.heap_bytes() as u64).sum();
    report.candidate_pairs = plan.pairs.len() as u64;
    report.index_bytes_per_record = index.heap_bytes() as f64 / index.len().max(1) as f64;
    let assignments = dedup::group(&index, &plan, &sets, dcfg);
    report.without_text = no_text.iter().filter(|&&b| b).count() as u64;
    report.too_short = plan
        .eligible
        .iter()
        .zip(&no_text)
        .filter(|(e, n)| !**e && !**n)
        .count() as u64;
    let mut counts: HashMap<Relation, u64> = HashMap::new();
    for a in &assignments {
        *counts.entry(a.relation).or_default() += 1;
    }
    report.by_relation = [
        Relation::Unique,
        Relation::Original,
        Relation::SameDocument,
        Relation::Reprint,
        Relation::EditedReprint,
    ]
    .iter()
    .map(|r| (*r, counts.get(r).copied().unwrap_or(0)))
    .collect();
    report.kept = assignments.iter().filter(|a| is_kept(a)).count() as u64;
    Ok(Outcome {
        ids,
        assignments,
        report,
    })
}

/// Whether a record is written to the output: it is no copy of an earlier one.
pub fn is_kept(a: &Assignment) -> bool {
    matches!(a.relation, Relation::Unique | Relation::Original)
}

/// Write the kept records, verbatim and in input order, one a line.
pub fn write_kept(
    inputs: &[String],
    cfg: &crate::config::Config,
    outcome: &Outcome,
    out: &mut dyn Write,
    progress: &dyn BatchProgress,
) -> Result<()> {
    progress.pass_started("writing", Some(outcome.report.records));
    let mut at = 0usize;
    let io = |e| Error::io("writing the kept records", e);
    for_each_chunk(inputs, cfg, |chunk| {
        for doc in chunk {
            if outcome.assignments.get(at).is_some_and(is_kept) {
                let line = doc.bytes.strip_suffix(b"\n").unwrap_or(&doc.bytes);
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                out.write_all(line).map_err(io)?;
                out.write_all(b"\n").map_err(io)?;
            }
            at += 1;
        }
        progress.records_done(chunk.len() as u64);
        Ok(())
    })?;
    if at != outcome.assignments.len() {
        return Err(Error::Usage(format!(
            "the inputs changed while they were read: {} records at first, {at} now",
            outcome.assignments.len()
        )));
    }
    Ok(())
}

/// One row of the clusters file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ClusterRow<'a> {
    /// 1-based position of the record in the input.
    pub record: u64,
    pub id: &'a str,
    /// The id of the group's representative (the record's own id when it is alone).
    pub cluster: &'a str,
    pub relation: &'static str,
    /// Measured against the representative (1.0 for the representative itself).
    pub jaccard: f64,
    pub containment: f64,
}

/// Every record's row, in input order.
pub fn cluster_rows(outcome: &Outcome) -> impl Iterator<Item = ClusterRow<'_>> {
    outcome
        .assignments
        .iter()
        .enumerate()
        .map(|(i, a)| ClusterRow {
            record: i as u64 + 1,
            id: &outcome.ids[i],
            cluster: &outcome.ids[a.representative as usize],
            relation: a.relation.as_str(),
            jaccard: a.figures.jaccard,
            containment: a.figures.containment,
        })
}

/// The clusters file as JSON lines.
pub fn write_clusters_jsonl(outcome: &Outcome, out: &mut dyn Write) -> Result<()> {
    for row in cluster_rows(outcome) {
        let line = serde_json::to_string(&row).map_err(|e| Error::Internal(e.to_string()))?;
        writeln!(out, "{line}").map_err(|e| Error::io("writing the clusters", e))?;
    }
    Ok(())
}

/// The clusters file as Parquet (zstd), in row groups of 64k records.
pub fn write_clusters_parquet(outcome: &Outcome, out: &mut (dyn Write + Send)) -> Result<()> {
    use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
    use std::sync::Arc;
    let err = |e: parquet::errors::ParquetError| Error::Export(e.to_string());
    let props = crate::export::parquet_properties();
    let rows: Vec<ClusterRow> = cluster_rows(outcome).collect();
    let batch = |chunk: &[ClusterRow]| -> Result<RecordBatch> {
        let columns: Vec<(&str, ArrayRef)> = vec![
            (
                "record",
                Arc::new(chunk.iter().map(|r| r.record).collect::<UInt64Array>()),
            ),
            (
                "id",
                Arc::new(chunk.iter().map(|r| Some(r.id)).collect::<StringArray>()),
            ),
            (
                "cluster",
                Arc::new(
                    chunk
                        .iter()
                        .map(|r| Some(r.cluster))
                        .collect::<StringArray>(),
                ),
            ),
            (
                "relation",
                Arc::new(
                    chunk
                        .iter()
                        .map(|r| Some(r.relation))
                        .collect::<StringArray>(),
                ),
            ),
            (
                "jaccard",
                Arc::new(chunk.iter().map(|r| r.jaccard).collect::<Float64Array>()),
            ),
            (
                "containment",
                Arc::new(
                    chunk
                        .iter()
                        .map(|r| r.containment)
                        .collect::<Float64Array>(),
                ),
            ),
        ];
        RecordBatch::try_from_iter(columns).map_err(|e| Error::Export(e.to_string()))
    };
    let schema = batch(&[])?.schema();
    let mut writer = parquet::arrow::ArrowWriter::try_new(out, schema, Some(props)).map_err(err)?;
    for chunk in rows.chunks(1 << 16) {
        writer.write(&batch(chunk)?).map_err(err)?;
    }
    writer.close().map_err(err)?;
    Ok(())
}

/// A record's body and the metadata grouping uses, held in memory (benchmarks, evaluation).
#[derive(Debug, Clone, Default)]
pub struct LoadedRecord {
    pub id: Option<String>,
    pub text: String,
    pub outlet: Option<String>,
    pub date: Option<chrono::NaiveDate>,
}

/// Every record of the inputs, bodies in memory; records without a body have an empty one.
pub fn load_records(inputs: &[String], cfg: &crate::config::Config) -> Result<Vec<LoadedRecord>> {
    let mut out = Vec::new();
    for_each_chunk(inputs, cfg, |chunk| {
        out.par_extend(chunk.par_iter().map(|doc| {
            let r = read_record(&doc.bytes, &cfg.ingest.fields);
            LoadedRecord {
                id: r.id,
                text: r.text.unwrap_or_default(),
                outlet: r.outlet,
                date: r.date,
            }
        }));
        Ok(())
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Remembers the records reported as unreadable.
    #[derive(Default)]
    struct Failures(Mutex<Vec<String>>);
    impl BatchProgress for Failures {
        fn record_failed(&self, path: &str, _error: &InputError) {
            self.0.lock().unwrap().push(path.to_string());
        }
    }

    /// Review of issue 4: one unreadable record stopped the whole batch run.
    #[test]
    fn an_unreadable_record_is_reported_and_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.jsonl");
        let body = "the port talks resumed on monday after a week of delays officials said and \
                    both sides expect a first agreement on working hours before the month ends";
        let good = serde_json::json!({ "id": "a", "text": body }).to_string();
        let huge = serde_json::json!({ "id": "b", "text": "x ".repeat(600) }).to_string();
        let copy = serde_json::json!({ "id": "c", "text": body }).to_string();
        std::fs::write(&path, format!("{good}\n{huge}\n{copy}\n")).unwrap();
        let mut cfg = crate::config::Config::default();
        cfg.ingest.max_document_bytes = 1000;
        let inputs = [path.display().to_string()];
        let progress = Failures::default();
        let outcome = group_records(&inputs, &cfg, &progress).unwrap();
        let failed = progress.0.into_inner().unwrap();
        assert_eq!(failed.len(), 1);
        assert!(failed[0].ends_with("feed.jsonl#2"), "{failed:?}");
        assert_eq!((outcome.report.records, outcome.report.failed), (2, 1));
        assert_eq!(outcome.ids, ["a", "c"]);
        assert_eq!(outcome.assignments[1].representative, 0);
        let mut out = Vec::new();
        write_kept(&inputs, &cfg, &outcome, &mut out, &Quiet).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), format!("{good}\n"));
    }
}
