//! Property tests: no input makes a parser panic, and the text reader only ever changes
//! whitespace.

use newsfold::ingest::{dates, html, parse_document, text, IngestConfig};
use newsfold::model::{Compression, Format, RawDocument, RecordHints};
use proptest::prelude::*;

fn raw(bytes: Vec<u8>, container: Option<Format>) -> RawDocument {
    RawDocument {
        source_path: "prop".into(),
        container,
        compression: Compression::None,
        bytes,
        hints: RecordHints::default(),
    }
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_parse_or_fail_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let cfg = IngestConfig::default();
        for container in [None, Some(Format::Jsonl), Some(Format::Warc)] {
            let _ = parse_document(&raw(bytes.clone(), container), &cfg);
        }
    }

    /// Entities and labels on any text: no panic, and every mention's offsets hold its words.
    #[test]
    fn entities_and_labels_hold_on_any_text(
        s in "([A-Z][a-zæéø]{0,8}|al-|[a-z]{1,6}|U\\.S\\.|ISIS|“|”|'s|[.,;:] |\n\n| ){0,120}"
    ) {
        use newsfold::extract::entities::{find_entities, AliasTable};
        let es = find_entities(&s, AliasTable::shipped());
        let chars: Vec<char> = s.chars().collect();
        for e in &es {
            for m in &e.mentions {
                prop_assert!(m.start < m.end && m.end <= chars.len());
                let at: String = chars[m.start..m.end].iter().collect();
                prop_assert_eq!(&at, &m.text);
            }
        }
        let _ = newsfold::extract::labels::find_labels(&s, &es, Some("outlet"));
    }

    #[test]
    fn text_like_strings_never_panic(s in "[ -~\\n\\t“”’|·<>#*\\[\\]()é]{0,600}") {
        let cfg = IngestConfig::default();
        let _ = parse_document(&raw(s.clone().into_bytes(), None), &cfg);
        let _ = html::nesting_depth(&s);
        let _ = dates::find_dates(&s);
        let _ = text::markdown_blocks(&s);
    }

    #[test]
    fn warc_and_json_shaped_input_never_panics(body in "[ -~\\r\\n]{0,300}", len in 0usize..400) {
        let warc = format!("WARC/1.0\r\nWARC-Type: response\r\nContent-Length: {len}\r\n\r\nHTTP/1.1 200 OK\r\n\r\n{body}");
        let _ = parse_document(&raw(warc.into_bytes(), Some(Format::Warc)), &IngestConfig::default());
        let json = format!("{{\"text\": \"{}\", \"title\": {len}}}", body.replace('"', "'"));
        let _ = parse_document(&raw(json.into_bytes(), Some(Format::Jsonl)), &IngestConfig::default());
    }

    #[test]
    fn framing_any_input_never_panics(body in proptest::collection::vec(any::<u8>(), 0..512), kind in 0usize..4) {
        use newsfold::ingest::input::{open, Input};
        let prefix: &[u8] = [&b"["[..], b"{", b"WARC/1.0\r\n", b""][kind];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input");
        std::fs::write(&path, [prefix, &body[..]].concat()).unwrap();
        if let Ok(opened) = open(&Input::File(path), None, 256) {
            prop_assert!(opened.documents.take(10_000).count() < 10_000);
        }
    }

    #[test]
    fn unwrapping_only_changes_whitespace(s in "[a-zA-Z.,:“” \\n]{0,400}") {
        let blocks = text::text_blocks(&s);
        let joined: Vec<String> = blocks.iter().flat_map(|b| words(&b.text)).collect();
        prop_assert_eq!(joined, words(&s));
        for b in &blocks {
            prop_assert!(!b.text.is_empty() && !b.text.contains('\n') && b.text.trim() == b.text);
        }
    }

    #[test]
    fn written_dates_read_back(y in 1990i32..2040, m in 1u32..=12, d in 1u32..=28) {
        let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        for written in [
            date.format("%B %-d, %Y").to_string(),
            date.format("%-d %B %Y").to_string(),
            date.format("%d.%m.%Y").to_string(),
            date.format("%Y-%m-%dT10:00:00Z").to_string(),
        ] {
            prop_assert_eq!(dates::parse_date_value(&written).map(|p| p.date), Some(date), "{}", written);
        }
    }
}
