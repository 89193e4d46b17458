//! Sentence embeddings on the CPU: all-MiniLM-L6-v2 (a six-layer BERT, 384 dimensions) run
//! by candle from a folder that `scripts/install-model.sh` fills (`model.safetensors`,
//! `config.json`, `tokenizer.json`; see `docs/embeddings.md`).
//!
//! The stories stage compares articles by the cosine of their embeddings when the model is
//! installed, and does without it otherwise, so a missing folder is an ordinary
//! [`EmbedError::MissingFile`], never a panic. The model is what sentence-transformers makes of
//! it: word pieces cut at 256 (the model's `max_seq_length`), the last layer mean-pooled over
//! the real tokens and L2-normalised. Nothing is fetched at run time and no GPU is used; the
//! same texts give the same bytes. This module only embeds: it neither stores vectors nor
//! decides what counts as similar.

use candle_core::{DType, Device, Tensor};
use candle_transformers::models::bert::{BertModel, Config};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use tokenizers::{Tokenizer, TruncationParams, TruncationStrategy};

/// The dimension of an embedding.
pub const DIMENSION: usize = 384;

/// Word pieces per text, `[CLS]` and `[SEP]` included: the model's `max_seq_length`
/// (`sentence_bert_config.json`), which the shipped `tokenizer.json` (128) does not carry.
pub const MAX_PIECES: usize = 256;

/// Texts run through the model together; the texts are sorted by length first, so that a
/// batch pads little.
const BATCH: usize = 8;

/// The files a model folder must hold.
const FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// Why embedding failed. A missing or unreadable model folder is the user's to fix (install
/// the model); the other kinds are faults of the tokenizer or the model.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// A file of the model folder is not there.
    #[error(
        "the embedding model is not installed: {} is missing (run scripts/install-model.sh, \
         or set NEWSFOLD_MODEL_DIR)",
        path.display()
    )]
    MissingFile {
        /// The file that was looked for.
        path: PathBuf,
    },
    /// A file of the model folder is there but cannot be read as what it should be.
    #[error("{}: {message}", path.display())]
    BadFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The tokenizer failed on a text.
    #[error("tokenizing: {0}")]
    Tokenize(String),
    /// The model failed while running.
    #[error("running the embedding model: {0}")]
    Model(#[from] candle_core::Error),
}

/// The loaded model and its tokenizer; cheap to share between threads by reference.
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder").finish_non_exhaustive()
    }
}

impl Embedder {
    /// The folder the model is read from: `NEWSFOLD_MODEL_DIR` when it is set, otherwise
    /// `~/.cache/newsfold/models/all-MiniLM-L6-v2` (where `scripts/install-model.sh` puts it).
    pub fn default_dir() -> PathBuf {
        if let Some(dir) = std::env::var_os("NEWSFOLD_MODEL_DIR").filter(|d| !d.is_empty()) {
            return PathBuf::from(dir);
        }
        let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
        home.join(".cache/newsfold/models/all-MiniLM-L6-v2")
    }

    /// Loads the model from `dir`; the error names the first file missing.
    pub fn load(dir: &Path) -> Result<Embedder, EmbedError> {
        for name in FILES {
            let path = dir.join(name);
            if !path.is_file() {
                return Err(EmbedError::MissingFile { path });
            }
        }
        let bad = |path: PathBuf, message: String| EmbedError::BadFile { path, message };
        let config_path = dir.join("config.json");
        let config: Config = std::fs::read_to_string(&config_path)
            .map_err(|e| e.to_string())
            .and_then(|s| serde_json::from_str(&s).map_err(|e| e.to_string()))
            .map_err(|m| bad(config_path.clone(), m))?;
        if config.hidden_size != DIMENSION {
            let message = format!("hidden size {}, expected {DIMENSION}", config.hidden_size);
            return Err(bad(config_path, message));
        }
        let tokenizer_path = dir.join("tokenizer.json");
        let mut tokenizer = Tokenizer::from_file(&tokenizer_path)
            .map_err(|e| bad(tokenizer_path.clone(), e.to_string()))?;
        let truncation = TruncationParams {
            max_length: MAX_PIECES,
            strategy: TruncationStrategy::LongestFirst,
            ..TruncationParams::default()
        };
        tokenizer
            .with_truncation(Some(truncation))
            .map_err(|e| bad(tokenizer_path.clone(), e.to_string()))?;
        // Padding is done here, per batch of texts of similar length.
        tokenizer.with_padding(None);
        keep_freed_memory();
        let device = Device::Cpu;
        let weights_path = dir.join("model.safetensors");
        let weights = candle_core::safetensors::load(&weights_path, &device)
            .map_err(|e| bad(weights_path.clone(), e.to_string()))?;
        let vb = candle_nn::VarBuilder::from_tensors(weights, DType::F32, &device);
        let model =
            BertModel::load(vb, &config).map_err(|e| bad(weights_path.clone(), e.to_string()))?;
        Ok(Embedder {
            model,
            tokenizer,
            device,
        })
    }

    /// One unit-length vector of [`DIMENSION`] floats per text, in the order of `texts`.
    /// A text is cut at [`MAX_PIECES`] word pieces; an empty text has an embedding too.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let heads: Vec<&str> = texts.iter().map(|t| head(t)).collect();
        let encodings = self
            .tokenizer
            .encode_batch(heads, true)
            .map_err(|e| EmbedError::Tokenize(e.to_string()))?;
        let ids: Vec<&[u32]> = encodings.iter().map(|e| e.get_ids()).collect();
        // Longest first; ties in input order, so that batches are a function of the input.
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(ids[i].len()));
        // Batches run side by side: one batch's matrix products leave the other cores idle
        // between them (`bench embed`, 1,000 articles, nine runs each: 27.9 articles/s a batch
        // at a time, 30.9 side by side). Each batch's numbers are the same either way.
        let vectors: Vec<Vec<Vec<f32>>> = order
            .par_chunks(BATCH)
            .map(|chunk| {
                let batch: Vec<&[u32]> = chunk.iter().map(|&i| ids[i]).collect();
                self.embed_batch(&batch)
            })
            .collect::<Result<_, _>>()?;
        let mut out = vec![Vec::new(); ids.len()];
        for (chunk, vectors) in order.chunks(BATCH).zip(vectors) {
            for (&i, vector) in chunk.iter().zip(vectors) {
                out[i] = vector;
            }
        }
        Ok(out)
    }

    /// Runs one padded batch through the model; mean pooling and normalisation follow.
    fn embed_batch(&self, batch: &[&[u32]]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let len = batch.iter().map(|ids| ids.len()).max().unwrap_or(0);
        let mut input = Vec::with_capacity(batch.len() * len);
        let mut mask = Vec::with_capacity(batch.len() * len);
        for ids in batch {
            input.extend_from_slice(ids);
            input.resize(input.len() + len - ids.len(), 0);
            mask.extend(std::iter::repeat_n(1u32, ids.len()));
            mask.resize(mask.len() + len - ids.len(), 0);
        }
        let shape = (batch.len(), len);
        let input = Tensor::from_vec(input, shape, &self.device)?;
        let mask = Tensor::from_vec(mask, shape, &self.device)?;
        let token_types = input.zeros_like()?;
        let hidden = self.model.forward(&input, &token_types, Some(&mask))?;
        let hidden = hidden.to_vec3::<f32>()?;
        Ok(batch
            .iter()
            .zip(hidden)
            .map(|(ids, tokens)| mean_normalised(&tokens[..ids.len()]))
            .collect())
    }
}

/// Every layer of a batch allocates tensors of several megabytes and frees them at once.
/// glibc maps blocks that large straight from the kernel and gives them back on free, so each
/// one was page-faulted in again: a fifth of the CPU time went to the kernel (`bench embed`
/// on one thread: 6.4 articles/s, 22% system time; 8.0 and 0.5% with this). Raising the
/// thresholds to glibc's largest mapping threshold keeps freed blocks in the process for the
/// next batch; memory stays at the model's working set, a few hundred MB. Process-wide, set
/// once, and only where the allocator is glibc's.
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // SAFETY: mallopt takes the allocator's own locks; both values are in range
            // (32 MiB is glibc's largest mapping threshold on 64-bit targets).
            unsafe {
                libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
                libc::mallopt(libc::M_TRIM_THRESHOLD, 512 << 20);
            }
        });
    }
}

/// How the stories stage (`store::stories::refresh`) asks for embeddings.
impl crate::store::stories::Embed for Embedder {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        Embedder::embed(self, texts).map_err(|e| e.to_string())
    }
}

/// The mean of the real tokens' vectors (padding is after them), scaled to unit length.
fn mean_normalised(tokens: &[Vec<f32>]) -> Vec<f32> {
    let mut sum = vec![0f32; DIMENSION];
    for token in tokens {
        for (s, x) in sum.iter_mut().zip(token) {
            *s += x;
        }
    }
    let count = tokens.len().max(1) as f32;
    sum.iter_mut().for_each(|s| *s /= count);
    let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    sum.iter_mut().for_each(|s| *s /= norm);
    sum
}

/// Whitespace-separated words kept of a text before tokenizing: every word gives at least one
/// word piece, so the first [`MAX_PIECES`] pieces lie well inside them (four times as many,
/// for words the normaliser deletes whole), and a long article is not tokenized whole to be
/// cut at 256 pieces. Only the separators BERT's pre-tokenizer also splits on count.
const HEAD_WORDS: usize = 4 * MAX_PIECES;

fn head(text: &str) -> &str {
    let mut words = 0;
    let mut in_word = false;
    for (at, c) in text.char_indices() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if in_word {
                words += 1;
                if words == HEAD_WORDS {
                    return &text[..at];
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    text
}

/// The cosine of two vectors of the same length; 0 when either is all zeros.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len(), "cosine of vectors of different lengths");
    let (mut dot, mut aa, mut bb) = (0f32, 0f32, 0f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        aa += x * x;
        bb += y * y;
    }
    if aa == 0.0 || bb == 0.0 {
        return 0.0;
    }
    dot / (aa.sqrt() * bb.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The installed model, or `None` (with the reason printed) when it is not installed.
    fn installed() -> Option<Embedder> {
        match Embedder::load(&Embedder::default_dir()) {
            Ok(e) => Some(e),
            Err(e) => {
                eprintln!("skipped: {e}");
                None
            }
        }
    }

    #[test]
    fn load_from_an_empty_folder_names_the_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let err = Embedder::load(dir.path()).unwrap_err();
        assert!(matches!(err, EmbedError::MissingFile { .. }), "{err}");
        let message = err.to_string();
        assert!(message.contains("config.json"), "{message}");
        assert!(message.contains("install-model.sh"), "{message}");
    }

    #[test]
    fn load_names_the_weights_when_only_they_are_missing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.json"), "{}").unwrap();
        std::fs::write(dir.path().join("tokenizer.json"), "{}").unwrap();
        let message = Embedder::load(dir.path()).unwrap_err().to_string();
        assert!(message.contains("model.safetensors"), "{message}");
    }

    #[test]
    fn a_broken_config_is_a_bad_file() {
        let dir = tempfile::tempdir().unwrap();
        for name in FILES {
            std::fs::write(dir.path().join(name), "not json").unwrap();
        }
        let err = Embedder::load(dir.path()).unwrap_err();
        assert!(matches!(err, EmbedError::BadFile { .. }), "{err}");
        assert!(err.to_string().contains("config.json"), "{err}");
    }

    #[test]
    fn an_embedder_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Embedder>();
        fn stories_can_use(_: Option<&dyn crate::store::stories::Embed>) {}
        stories_can_use(installed().as_ref().map(|e| e as _));
    }

    #[test]
    fn cosine_of_known_vectors() {
        assert!((cosine(&[1.0, 0.0], &[1.0, 0.0]) - 1.0).abs() < 1e-6);
        assert!(cosine(&[1.0, 0.0], &[0.0, 2.0]).abs() < 1e-6);
        assert!((cosine(&[1.0, 1.0], &[-2.0, -2.0]) + 1.0).abs() < 1e-6);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 0.0]), 0.0);
    }

    #[test]
    fn head_keeps_short_texts_and_cuts_long_ones_at_a_word() {
        assert_eq!(head("a few words"), "a few words");
        let long = "word ".repeat(HEAD_WORDS + 10);
        let cut = head(&long);
        assert_eq!(cut.split(' ').count(), HEAD_WORDS);
        assert!(cut.ends_with("word"));
    }

    #[test]
    fn embeddings_are_unit_length_and_deterministic() {
        let Some(embedder) = installed() else { return };
        let texts = [
            "The council approved the budget.",
            "",
            "Rain is expected tomorrow.",
        ];
        let vectors = embedder.embed(&texts).unwrap();
        assert_eq!(vectors.len(), 3);
        for v in &vectors {
            assert_eq!(v.len(), DIMENSION);
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-5, "norm {norm}");
        }
        assert_eq!(embedder.embed(&texts).unwrap(), vectors);
        assert!(embedder.embed(&[]).unwrap().is_empty());
    }

    #[test]
    fn batches_run_side_by_side_give_the_same_bytes_each_time() {
        let Some(embedder) = installed() else { return };
        let texts: Vec<String> = (0..5 * BATCH)
            .map(|i| {
                format!(
                    "Report {i}: the council met {} times.",
                    "again and ".repeat(i % 7)
                )
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let first = embedder.embed(&refs).unwrap();
        for _ in 0..3 {
            assert_eq!(embedder.embed(&refs).unwrap(), first);
        }
        // Each vector lands at its own text's place, whatever batch it ran in.
        let alone = embedder.embed(&refs[7..8]).unwrap();
        assert!(cosine(&alone[0], &first[7]) > 0.9999);
    }

    #[test]
    fn paraphrases_are_closer_than_unrelated_sentences() {
        let Some(embedder) = installed() else { return };
        let v = embedder
            .embed(&[
                "The central bank raised interest rates by half a point.",
                "Interest rates were increased by 0.5 percentage points by the central bank.",
                "The striker scored twice in the second half of the match.",
            ])
            .unwrap();
        let paraphrase = cosine(&v[0], &v[1]);
        let unrelated = cosine(&v[0], &v[2]);
        assert!(paraphrase > unrelated + 0.3, "{paraphrase} vs {unrelated}");
    }

    #[test]
    fn long_texts_are_cut_to_the_same_embedding_as_their_head() {
        let Some(embedder) = installed() else { return };
        let long = "The port reopened after the strike ended. ".repeat(300);
        let short: String = long.split(' ').take(300).collect::<Vec<_>>().join(" ");
        let v = embedder.embed(&[&long, &short]).unwrap();
        assert!(cosine(&v[0], &v[1]) > 0.99999, "{}", cosine(&v[0], &v[1]));
    }
}
