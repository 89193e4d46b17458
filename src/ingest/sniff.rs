//! Content sniffing: which compression, which container and which document format an input
//! is, decided from its bytes alone, never from its file name (crawls name everything `.txt`).
//!
//! Also turns bytes into text: BOMs, declared charsets (HTTP header, `<meta charset>`) and
//! binary detection. It does not parse anything; the format modules do.

use crate::error::InputError;
use crate::model::{Compression, Format};

/// The framing of an input: one document, or many records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Single,
    Jsonl,
    /// A whole-file JSON value: one object or an array of objects.
    Json,
    Warc,
}

pub fn compression(prefix: &[u8]) -> Compression {
    if prefix.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if prefix.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    }
}

/// Decide the container from the first bytes of the decompressed input.
pub fn container(prefix: &[u8]) -> Container {
    let prefix = strip_utf8_bom(prefix);
    if prefix.starts_with(b"WARC/") {
        return Container::Warc;
    }
    let start = prefix
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(prefix.len());
    let rest = &prefix[start..];
    let next_after = |i: usize| rest[i..].iter().copied().find(|b| !b.is_ascii_whitespace());
    match rest.first() {
        // A JSON array of records, not Markdown that starts with a link ("[Skip to content]").
        Some(b'[') if matches!(next_after(1), Some(b'{') | Some(b']')) => Container::Json,
        Some(b'{') => {
            let line_end = rest.iter().position(|&b| b == b'\n');
            let first = &rest[..line_end.unwrap_or(rest.len())];
            match line_end {
                _ if serde_json::from_slice::<serde_json::Value>(first)
                    .is_ok_and(|v| v.is_object()) =>
                {
                    Container::Jsonl
                }
                // No line end within the sniff window: a JSONL record longer than the window.
                None => Container::Jsonl,
                Some(_) => Container::Json,
            }
        }
        _ => Container::Single,
    }
}

/// The bytes without a leading UTF-8 byte-order mark.
pub fn strip_utf8_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(b)
}

/// Decode a document's bytes to text.
///
/// Order of trust: a byte-order mark; then valid UTF-8; then the charset the transport
/// declared (`declared`) or, for HTML, a `<meta charset>` in the first kilobytes.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Result<String, InputError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::Empty);
    }
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return check_text(text.into_owned());
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(InputError::Binary("contains NUL bytes".into()));
    }
    // Valid UTF-8 with non-ASCII bytes is UTF-8 whatever the page declares: pages that claim
    // ISO-8859-1 but are UTF-8 are common, while real Windows-1252 text is almost never valid
    // UTF-8 by accident.
    if let Ok(s) = std::str::from_utf8(bytes) {
        return check_text(s.to_owned());
    }
    let label = declared.map(str::to_owned).or_else(|| {
        looks_like_html_bytes(head)
            .then(|| meta_charset(head))
            .flatten()
    });
    match label.and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes())) {
        Some(enc) if enc != encoding_rs::UTF_8 => {
            let (text, _, _) = enc.decode(bytes);
            check_text(text.into_owned())
        }
        _ => Err(InputError::InvalidUtf8 {
            offset: std::str::from_utf8(bytes)
                .err()
                .map_or(0, |e| e.valid_up_to()),
        }),
    }
}

/// Reject text that is mostly control characters: a binary file that happens to decode.
fn check_text(text: String) -> Result<String, InputError> {
    let sample: Vec<char> = text.chars().take(8192).collect();
    let control = sample
        .iter()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c'))
        .count();
    if !sample.is_empty() && control * 20 > sample.len() {
        return Err(InputError::Binary(format!(
            "{control} control characters in the first {} characters",
            sample.len()
        )));
    }
    if text.trim().is_empty() {
        return Err(InputError::Empty);
    }
    Ok(text)
}

fn looks_like_html_bytes(head: &[u8]) -> bool {
    let s = String::from_utf8_lossy(head);
    looks_like_html(&s)
}

/// Find `<meta charset="...">` or `<meta http-equiv="Content-Type" content="...; charset=...">`.
fn meta_charset(head: &[u8]) -> Option<String> {
    let s = String::from_utf8_lossy(&head[..head.len().min(4096)]).to_ascii_lowercase();
    let mut rest = s.as_str();
    while let Some(i) = rest.find("<meta") {
        rest = &rest[i + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(j) = tag.find("charset=") {
            let v = tag[j + 8..].trim_start_matches(['"', '\'', ' ']);
            let end = v
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(v.len());
            if end > 0 {
                return Some(v[..end].to_string());
            }
        }
    }
    None
}

/// The charset parameter of a `Content-Type` header value.
pub fn content_type_charset(content_type: &str) -> Option<String> {
    let lower = content_type.to_ascii_lowercase();
    let i = lower.find("charset=")?;
    let v = lower[i + 8..].trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace());
    let end = v.find([';', ' ', '"']).unwrap_or(v.len());
    (end > 0).then(|| v[..end].to_string())
}

/// Whether a text is an HTML document (or fragment made mostly of markup). Pages crawled
/// from the middle of a template may open with a `<script>`, a `<meta>` or a `<div>` rather
/// than a doctype, so the tags of a document's head count as much as those of its body, and a
/// page whose first kilobytes are one script is recognised by the closing tags further on.
pub fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    let head: String = start
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<head")
        || (head.starts_with("<?xml") && head.contains("<html"))
        || (head.starts_with("<!--") && head.contains("<html"))
    {
        return true;
    }
    if !head.starts_with('<') {
        return false;
    }
    const TAGS: [&str; 14] = [
        "<body", "<div", "<p>", "<p ", "<article", "<span", "<br", "<a href", "<script", "<meta ",
        "<title>", "<link ", "<style", "<table",
    ];
    // Two kinds of tag, or a fragment of repeated paragraphs ("<p>..</p><p>..</p>").
    if TAGS.iter().filter(|t| head.contains(*t)).count() >= 2
        || head.matches("</p>").count() + head.matches("</div>").count() >= 2
    {
        return true;
    }
    let mut end = start.len().min(64 * 1024);
    while !start.is_char_boundary(end) {
        end -= 1;
    }
    let window = start[..end].to_ascii_lowercase();
    ["</head>", "<body", "</body>", "</html>"]
        .iter()
        .any(|t| window.contains(t))
}

/// Markdown or plain text. Markdown needs several distinct cues, so a plain text with one
/// bracket or one bullet stays plain text.
pub fn text_format(text: &str) -> Format {
    if looks_like_html(text) {
        return Format::Html;
    }
    if markdown_score(text) >= 3.0 {
        Format::Markdown
    } else {
        Format::Text
    }
}

fn markdown_score(text: &str) -> f32 {
    use std::sync::OnceLock;
    static CUES: OnceLock<Vec<(regex::Regex, f32)>> = OnceLock::new();
    let cues = CUES.get_or_init(|| {
        [
            (r"(?m)^#{1,6} \S", 2.0),          // ATX heading
            (r"\[[^\]\n]+\]\([^)\s]*\)", 2.0), // inline link
            (r"!\[[^\]\n]*\]\(", 2.0),         // image
            (r"<https?://[^>\s]+>", 2.0),      // autolink
            (r"\*\*[^*\n]+\*\*|__[^_\n]+__", 1.0),
            (r"(?m)^```", 2.0),
            (r"(?m)^\S[^\n]*\n(=+|-{3,})\s*$", 2.0), // setext heading
            (r"(?m)^\[[^\]]+\]: \S", 2.0),           // reference definition
            (r"(?m)^[*+-] \S", 0.5),
            (r"(?m)^> \S", 0.5),
        ]
        .into_iter()
        .map(|(re, w)| (regex::Regex::new(re).expect("valid regex"), w))
        .collect()
    });
    let head: String = text.chars().take(20_000).collect();
    // A document that opens with an ATX heading is Markdown on that alone.
    let opens_with_heading = head.trim_start().starts_with('#')
        && head.trim_start().trim_start_matches('#').starts_with(' ');
    let opening = if opens_with_heading { 3.0 } else { 0.0 };
    opening
        + cues
            .iter()
            .map(|(re, w)| re.find_iter(&head).take(3).count() as f32 * w)
            .sum::<f32>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_compression_by_magic() {
        assert_eq!(compression(&[0x1f, 0x8b, 8]), Compression::Gzip);
        assert_eq!(compression(&[0x28, 0xb5, 0x2f, 0xfd]), Compression::Zstd);
        assert_eq!(compression(b"hello"), Compression::None);
    }

    #[test]
    fn detects_containers() {
        assert_eq!(container(b"WARC/1.0\r\n"), Container::Warc);
        assert_eq!(container(b"{\"a\":1}\n{\"a\":2}\n"), Container::Jsonl);
        assert_eq!(container(b"{\n  \"a\": 1\n}"), Container::Json);
        assert_eq!(container(b"[{\"a\":1}]"), Container::Json);
        assert_eq!(container(b"Plain words."), Container::Single);
        // Regression (review of issue 2): Markdown that opens with a link is not a JSON array.
        assert_eq!(
            container(b"[Skip to content](#main)\n# Title"),
            Container::Single
        );
        assert_eq!(container(b"\xef\xbb\xbf{\"a\":1}\n"), Container::Jsonl);
    }

    #[test]
    fn markdown_needs_several_cues() {
        assert_eq!(text_format("A line.\n- one bullet\n"), Format::Text);
        assert_eq!(
            text_format("Title\n\nSee [this](http://x) and **that**.\n\n<https://x.example/a>\n"),
            Format::Markdown
        );
        assert_eq!(
            text_format("We want [the documents] released."),
            Format::Text
        );
    }

    #[test]
    fn html_by_content() {
        assert_eq!(text_format("  <!DOCTYPE html><html></html>"), Format::Html);
        assert_eq!(text_format("<div><p>Hi</p><br></div>"), Format::Html);
        assert_eq!(text_format("a < b and <p> alone"), Format::Text);
        assert_eq!(text_format("<p>One.</p><p>Two.</p>"), Format::Html);
        // Pages that open with a script or a meta tag (seen in crawled Dragnet pages).
        let script = format!(
            "<script>{}</script>\n<title>T</title></head>",
            "var a = 1;\n".repeat(300)
        );
        assert_eq!(text_format(&script), Format::Html);
        assert_eq!(
            text_format("<meta name=\"v\" content=\"x\" />\n<div align=\"center\">Hi</div>"),
            Format::Html
        );
        let long_script = format!(
            "<script>{}</script><body><p>Hi</p></body>",
            "x=1;".repeat(1000)
        );
        assert_eq!(text_format(&long_script), Format::Html);
        assert_eq!(
            text_format("<b>Bold</b> claims about a <i>new</i> law."),
            Format::Text
        );
    }

    #[test]
    fn decodes_declared_charsets_and_rejects_binary() {
        let html = b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9</body></html>";
        assert!(decode(html, None).unwrap().contains("café"));
        assert_eq!(
            decode(b"abc\xff\xfe rest", None),
            Err(InputError::InvalidUtf8 { offset: 3 })
        );
        assert!(matches!(
            decode(b"\x00\x01\x02", None),
            Err(InputError::Binary(_))
        ));
        assert_eq!(decode(b"  \n ", None), Err(InputError::Empty));
        assert_eq!(
            content_type_charset("text/html; charset=ISO-8859-1").as_deref(),
            Some("iso-8859-1")
        );
    }
}
