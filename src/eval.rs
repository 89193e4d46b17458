//! Quality evaluations run on demand (`newsfold eval`), never as tests: extraction and
//! cleaning scored against gold text with the word-4-gram F1 of `bench::score`.
//!
//! `extraction` takes a Dragnet-style page set (`input/N.html` with `GoldStandard/N.txt`, in
//! a folder or a `.tar`/`.tar.zst`) and runs every page through the real pipeline: parsed in
//! parallel, stored in an in-memory store so that each outlet's furniture is learned across
//! its pages, cleaned, cleaned again at the end. Two ways in: the HTML pages themselves, and
//! the same pages rendered to their full visible text ([`render_visible_text`]: every text
//! node, furniture and all) and ingested as plain text, which is what a corpus extracted badly
//! years ago looks like.

use crate::bench::{score, Score};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::{parse_document, sniff};
use crate::model::{Compression, RawDocument, RecordHints};
use crate::store::{Accepted, InputRecord, Store};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// One page of an evaluation set.
pub struct Page {
    pub name: String,
    pub html: String,
    pub gold: String,
}

/// Pages and gold texts from a folder or a `.tar`/`.tar.zst` archive, by page name.
pub fn read_pages(data: &Path) -> Result<Vec<Page>> {
    let (mut pages, mut gold) = (BTreeMap::new(), BTreeMap::new());
    let mut take = |path: &str, bytes: Vec<u8>| {
        let stem = Path::new(path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.contains("input/") && path.ends_with(".html") {
            pages.insert(stem, bytes);
        } else if path.contains("GoldStandard/") && path.ends_with(".txt") {
            gold.insert(stem, bytes);
        }
    };
    let io = |e: std::io::Error| Error::io(format!("reading {}", data.display()), e);
    if data.is_dir() {
        for dir in ["input", "GoldStandard"] {
            let Ok(entries) = std::fs::read_dir(data.join(dir)) else {
                continue;
            };
            for entry in entries {
                let path = entry.map_err(io)?.path();
                let bytes = std::fs::read(&path).map_err(io)?;
                take(&format!("{dir}/{}", path.display()), bytes);
            }
        }
    } else {
        let file = std::fs::File::open(data).map_err(io)?;
        let reader: Box<dyn Read> = if data.extension().is_some_and(|e| e == "zst") {
            Box::new(zstd::stream::read::Decoder::new(file).map_err(io)?)
        } else {
            Box::new(file)
        };
        let mut archive = tar::Archive::new(reader);
        for entry in archive.entries().map_err(io)? {
            let mut entry = entry.map_err(io)?;
            let path = entry.path().map_err(io)?.display().to_string();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).map_err(io)?;
            take(&path, bytes);
        }
    }
    let pages: Vec<Page> = pages
        .into_iter()
        .filter_map(|(name, page)| {
            gold.remove(&name).map(|g| Page {
                html: lossy(&page),
                gold: lossy(&g),
                name,
            })
        })
        .collect();
    if pages.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no pages with gold text (input/N.html beside GoldStandard/N.txt)",
            data.display()
        )));
    }
    Ok(pages)
}

/// Bytes to text as a reader would see them: declared or UTF-8, lossy as a last resort.
pub fn lossy(bytes: &[u8]) -> String {
    sniff::decode(bytes, None).unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned())
}

/// The gold text without the reader comments that some Dragnet gold files append.
pub fn article_only(gold: &str) -> &str {
    gold.split("!@#$%^&*()  COMMENTS").next().unwrap_or(gold)
}

/// Every visible text node of a page, blocks separated by blank lines and `<br>` by line
/// breaks: the page as a browser's "select all, copy" would give it, furniture and all.
pub fn render_visible_text(html: &str) -> String {
    use ego_tree::iter::Edge;
    use scraper::Node;
    const HIDDEN: [&str; 10] = [
        "script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas",
        "select",
    ];
    const BLOCK: [&str; 36] = [
        "p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "h1", "h2",
        "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "td", "th",
        "blockquote", "pre", "figure", "figcaption", "form", "address", "hr", "body", "center",
        "fieldset", "option",
    ];
    let doc = scraper::Html::parse_document(html);
    let mut out = String::new();
    let mut hidden = 0usize;
    let block_break = |out: &mut String| {
        let trimmed = out.trim_end_matches([' ', '\t']).len();
        out.truncate(trimmed);
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        }
    };
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if HIDDEN.contains(&name) {
                        hidden += 1;
                    } else if hidden == 0 && name == "br" {
                        out.push('\n');
                    } else if hidden == 0 && BLOCK.contains(&name) {
                        block_break(&mut out);
                    }
                }
                Node::Text(t) if hidden == 0 => {
                    let t: &str = t;
                    let text = crate::ingest::text::fold_whitespace(t);
                    if !text.is_empty() {
                        if !out.is_empty() && !out.ends_with(['\n', ' ']) && t.starts_with(char::is_whitespace) {
                            out.push(' ');
                        }
                        out.push_str(&text);
                        if t.ends_with(char::is_whitespace) {
                            out.push(' ');
                        }
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if HIDDEN.contains(&e.name()) {
                        hidden = hidden.saturating_sub(1);
                    } else if hidden == 0 && BLOCK.contains(&e.name()) {
                        block_break(&mut out);
                    }
                }
            }
        }
    }
    out.trim().to_string()
}

/// How pages enter newsfold in an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The HTML page itself.
    Html,
    /// The page's full visible text, as plain text.
    VisibleText,
}

/// What newsfold kept of each page, in page order: the body and, where the page has them,
/// the reader comments (the Dragnet gold includes them).
pub fn run_newsfold(pages: &[Page], route: Route, config: &Config) -> Result<Vec<String>> {
    let mut store = Store::open_in_memory()?;
    let input = InputRecord {
        hash: "eval".into(),
        path: "eval".into(),
        size: 0,
        compression: "none",
    };
    for (i, chunk) in pages.chunks(config.ingest.batch_size.max(1)).enumerate() {
        let accepted: Vec<Accepted> = chunk
            .par_iter()
            .filter_map(|page| {
                let bytes = match route {
                    Route::Html => page.html.clone().into_bytes(),
                    Route::VisibleText => render_visible_text(&page.html).into_bytes(),
                };
                let raw = RawDocument {
                    source_path: page.name.clone(),
                    container: None,
                    compression: Compression::None,
                    bytes,
                    hints: RecordHints::default(),
                };
                let parsed = parse_document(&raw, &config.ingest).ok()?;
                Accepted::prepare(parsed, &raw.bytes, raw.compression).ok()
            })
            .collect();
        let last = (i + 1) * config.ingest.batch_size.max(1) >= pages.len();
        store.write_batch(&input, accepted, &[], last, &config.clean)?;
    }
    store.reclean_pending(&config.clean)?;
    let mut kept: BTreeMap<String, String> = BTreeMap::new();
    store.for_each_article(None, None, |a| {
        let mut text = a.article.paragraphs.join("\n");
        for c in &a.article.comments {
            text.push('\n');
            text.push_str(c);
        }
        kept.insert(a.article.source_path.clone(), text);
        Ok(())
    })?;
    Ok(pages
        .iter()
        .map(|p| kept.remove(&p.name).unwrap_or_default())
        .collect())
}

/// Mean scores of outputs against the full gold and the article-only gold.
pub fn score_all(pages: &[Page], outputs: &[String]) -> (Score, Score) {
    let full: Vec<Score> = pages
        .iter()
        .zip(outputs)
        .map(|(p, o)| score(o, &p.gold))
        .collect();
    let article: Vec<Score> = pages
        .iter()
        .zip(outputs)
        .map(|(p, o)| score(o, article_only(&p.gold)))
        .collect();
    (crate::bench::mean(&full), crate::bench::mean(&article))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_keeps_every_text_node_and_drops_scripts() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body>\
            <nav><a href=/>Home</a> | <a href=/w>World</a></nav>\
            <p>First <b>bold</b> words.<br>Second line.</p><script>var x;</script>\
            <ul><li>One</li><li>Two</li></ul><footer>© 2016 Example</footer></body></html>";
        assert_eq!(
            render_visible_text(html),
            "Home | World\n\nFirst bold words.\nSecond line.\n\nOne\n\nTwo\n\n© 2016 Example"
        );
    }
}
