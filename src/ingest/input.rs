//! Opening what the user named: files, directories (walked recursively in name order, so the
//! same tree always ingests in the same order) and standard input; taking off gzip or zstd;
//! and splitting the stream into raw documents, one per file or one per JSONL line or WARC
//! record, without holding a large multi-record input in memory.

use crate::error::InputError;
use crate::ingest::sniff::{self, Container};
use crate::ingest::warc::WarcReader;
use crate::model::{Compression, Format, RawDocument, RecordHints};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// An input the user named, or a file found below a directory they named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    /// The path as the user will recognise it.
    pub fn display(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }
}

/// Expand the user's arguments into inputs. Directories are walked recursively in byte order
/// of names; hidden entries below a directory are passed over. A path that does not exist is
/// an error for that path only.
pub fn expand(args: &[String]) -> Vec<Result<Input, (String, InputError)>> {
    let mut out = Vec::new();
    for arg in args {
        if arg == "-" {
            out.push(Ok(Input::Stdin));
            continue;
        }
        let path = PathBuf::from(arg);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk(&path, &mut out),
            Ok(_) => out.push(Ok(Input::File(path))),
            Err(e) => out.push(Err((arg.clone(), InputError::Io(e.to_string())))),
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Result<Input, (String, InputError)>>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.push(Err((
                dir.display().to_string(),
                InputError::Io(e.to_string()),
            )));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    paths.sort();
    for path in paths {
        // Symlinked directories are not followed, so a link cycle cannot loop the walk.
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => walk(&path, out),
            Ok(m) if m.is_file() => out.push(Ok(Input::File(path))),
            Ok(_) => {}
            Err(e) => out.push(Err((
                path.display().to_string(),
                InputError::Io(e.to_string()),
            ))),
        }
    }
}

/// BLAKE3 of an input's bytes as given (still compressed), to recognise a whole input seen
/// before. Standard input is read into memory once for this and handed back.
pub fn fingerprint(input: &Input) -> Result<(String, u64, Option<Vec<u8>>), InputError> {
    let mut hasher = blake3::Hasher::new();
    match input {
        Input::File(path) => {
            let file = File::open(path).map_err(|e| InputError::Io(e.to_string()))?;
            let size = std::io::copy(&mut BufReader::with_capacity(1 << 16, file), &mut hasher)
                .map_err(|e| InputError::Io(e.to_string()))?;
            Ok((hasher.finalize().to_hex().to_string(), size, None))
        }
        Input::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| InputError::Io(e.to_string()))?;
            hasher.update(&bytes);
            Ok((
                hasher.finalize().to_hex().to_string(),
                bytes.len() as u64,
                Some(bytes),
            ))
        }
    }
}

/// Bytes to look at when deciding what an input is.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// An opened input: its compression and container, and its documents one by one.
pub struct OpenedInput {
    pub compression: Compression,
    pub container: Container,
    pub documents: Box<dyn Iterator<Item = Result<RawDocument, (String, InputError)>> + Send>,
}

/// Open an input and frame its documents. `preread` holds standard input already read.
pub fn open(
    input: &Input,
    preread: Option<Vec<u8>>,
    max_document: u64,
) -> Result<OpenedInput, InputError> {
    let display = input.display();
    let raw: Box<dyn Read + Send> = match (input, preread) {
        (_, Some(bytes)) => Box::new(std::io::Cursor::new(bytes)),
        (Input::File(path), None) => {
            Box::new(File::open(path).map_err(|e| InputError::Io(e.to_string()))?)
        }
        (Input::Stdin, None) => Box::new(std::io::stdin()),
    };
    let mut raw = BufReader::with_capacity(SNIFF_BYTES, raw);
    let compression =
        sniff::compression(raw.fill_buf().map_err(|e| InputError::Io(e.to_string()))?);
    let decoded: Box<dyn Read + Send> = match compression {
        Compression::None => Box::new(raw),
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(raw)),
        Compression::Zstd => Box::new(
            zstd::stream::read::Decoder::with_buffer(raw).map_err(|e| corrupt(compression, &e))?,
        ),
    };
    let mut decoded = decoded;
    let prefix = fill_prefix(&mut decoded, compression)?;
    if prefix.is_empty() {
        return Err(InputError::Empty);
    }
    let container = sniff::container(&prefix);
    let prefix_head: Vec<u8> = prefix.iter().take(16).copied().collect();
    let reader = BufReader::with_capacity(SNIFF_BYTES, std::io::Cursor::new(prefix).chain(decoded));
    let documents: Box<dyn Iterator<Item = _> + Send> = match container {
        Container::Single => {
            let doc = read_limited(reader, max_document, compression).map(|bytes| RawDocument {
                source_path: display.clone(),
                container: None,
                compression,
                bytes,
                hints: RecordHints::default(),
            });
            Box::new(std::iter::once(doc.map_err(|e| (display, e))))
        }
        Container::Json if starts_array(&prefix_head) => Box::new(JsonArray {
            bytes: reader.bytes(),
            display,
            compression,
            index: 0,
            max_document,
            state: ArrayState::Start,
        }),
        Container::Json => {
            let docs = read_limited(reader, max_document, compression).map(|bytes| {
                match json_object(&bytes) {
                    Some(object) => (format!("{display}#1"), Some(Format::Jsonl), object),
                    // Not JSON after all: one text document that happens to start like it.
                    None => (display.clone(), None, bytes),
                }
            });
            Box::new(std::iter::once(docs.map_err(|e| (display, e)).map(
                |(source_path, container, bytes)| RawDocument {
                    source_path,
                    container,
                    compression,
                    bytes,
                    hints: RecordHints::default(),
                },
            )))
        }
        Container::Jsonl => Box::new(JsonlLines {
            reader,
            display,
            compression,
            line: 0,
            max_document,
            done: false,
        }),
        Container::Warc => Box::new(WarcReader::new(reader, max_document).map(move |r| match r {
            Ok(rec) => Ok(RawDocument {
                source_path: format!("{display}#{}", rec.index),
                container: Some(Format::Warc),
                compression,
                bytes: rec.bytes,
                hints: RecordHints::default(),
            }),
            Err((index, e)) => Err((format!("{display}#{index}"), e)),
        })),
    };
    Ok(OpenedInput {
        compression,
        container,
        documents,
    })
}

fn corrupt(compression: Compression, e: &std::io::Error) -> InputError {
    InputError::Corrupt {
        what: compression.as_str(),
        detail: e.to_string(),
    }
}

/// Read until the buffer holds the sniff window or the input ends.
/// The first bytes of the decoded input, up to the sniff window: a decoder may hand over
/// less than the window in one read, so this reads until the window is full or the input ends.
fn fill_prefix(
    reader: &mut (dyn Read + Send),
    compression: Compression,
) -> Result<Vec<u8>, InputError> {
    let mut prefix = Vec::new();
    let mut window = reader.take(SNIFF_BYTES as u64);
    window
        .read_to_end(&mut prefix)
        .map_err(|e| corrupt(compression, &e))?;
    Ok(prefix)
}

fn read_limited<R: Read>(
    reader: R,
    max: u64,
    compression: Compression,
) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    reader
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| corrupt(compression, &e))?;
    if bytes.len() as u64 > max {
        return Err(InputError::TooLarge {
            size: bytes.len() as u64,
            limit: max,
        });
    }
    Ok(bytes)
}

fn starts_array(head: &[u8]) -> bool {
    sniff::strip_utf8_bom(head)
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        == Some(&b'[')
}

/// The verbatim bytes of a whole-file JSON object (pretty-printed over lines), if it is one.
fn json_object(bytes: &[u8]) -> Option<Vec<u8>> {
    let bytes = sniff::strip_utf8_bom(bytes);
    let value: &serde_json::value::RawValue = serde_json::from_slice(bytes).ok()?;
    let text = value.get().trim();
    text.starts_with('{').then(|| text.as_bytes().to_vec())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArrayState {
    Start,
    Element,
    Done,
}

/// The elements of a top-level JSON array, each as its verbatim bytes, read one at a time so
/// that an array of any size never sits in memory whole; each element is held to the
/// document size limit.
struct JsonArray<R> {
    bytes: std::io::Bytes<R>,
    display: String,
    compression: Compression,
    index: usize,
    max_document: u64,
    state: ArrayState,
}

impl<R: Read> JsonArray<R> {
    fn byte(&mut self) -> Result<Option<u8>, InputError> {
        self.bytes
            .next()
            .transpose()
            .map_err(|e| InputError::Corrupt {
                what: "JSON",
                detail: e.to_string(),
            })
    }

    fn skip_space(&mut self) -> Result<Option<u8>, InputError> {
        loop {
            match self.byte()? {
                Some(b) if b.is_ascii_whitespace() => {}
                other => return Ok(other),
            }
        }
    }

    fn path(&self) -> String {
        format!("{}#{}", self.display, self.index)
    }

    /// Read one value that starts with `first`; returns it and the byte after it.
    fn value(&mut self, first: u8) -> Result<(Vec<u8>, Option<u8>), InputError> {
        let mut out = vec![first];
        let (mut depth, mut in_string, mut escaped) = (0i64, first == b'"', false);
        if first == b'{' || first == b'[' {
            depth = 1;
        }
        let mut too_large = false;
        loop {
            let Some(b) = self.byte()? else {
                if depth == 0 && !in_string {
                    return Ok((out, None));
                }
                return Err(InputError::Json(format!(
                    "input ends inside element {}",
                    self.index
                )));
            };
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
            } else {
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth > 0 => depth -= 1,
                    b',' | b']' if depth == 0 => return self.finish(out, Some(b), too_large),
                    _ if depth == 0 && b.is_ascii_whitespace() => {
                        return self.finish(out, Some(b), too_large)
                    }
                    _ => {}
                }
            }
            if !too_large {
                out.push(b);
                if out.len() as u64 > self.max_document {
                    too_large = true;
                }
            }
            if depth == 0 && !in_string && (first == b'{' || first == b'[' || first == b'"') {
                let next = self.skip_space()?;
                return self.finish(out, next, too_large);
            }
        }
    }

    fn finish(
        &self,
        out: Vec<u8>,
        next: Option<u8>,
        too_large: bool,
    ) -> Result<(Vec<u8>, Option<u8>), InputError> {
        if too_large {
            return Err(InputError::TooLarge {
                size: out.len() as u64,
                limit: self.max_document,
            });
        }
        Ok((out, next))
    }
}

impl<R: Read> Iterator for JsonArray<R> {
    type Item = Result<RawDocument, (String, InputError)>;

    fn next(&mut self) -> Option<Self::Item> {
        let first = match self.state {
            ArrayState::Done => return None,
            ArrayState::Start => match self.skip_space() {
                // A byte-order mark before the array.
                Ok(Some(0xef)) => self
                    .byte()
                    .and_then(|_| self.byte())
                    .and_then(|_| self.skip_space()),
                other => other,
            },
            ArrayState::Element => Ok(None),
        };
        let first = match (self.state, first) {
            (ArrayState::Start, first) => match first {
                Ok(Some(b'[')) => {
                    self.state = ArrayState::Element;
                    self.skip_space()
                }
                Ok(_) => Err(InputError::Json("expected a JSON array".into())),
                Err(e) => Err(e),
            },
            _ => self.skip_space(),
        };
        self.index += 1;
        let result = first.and_then(|first| match first {
            Some(b']') | None => Ok(None),
            Some(b) => self.value(b).map(Some),
        });
        match result {
            Ok(None) => {
                self.state = ArrayState::Done;
                None
            }
            Ok(Some((bytes, next))) => {
                let next = match next {
                    Some(b) if b.is_ascii_whitespace() => self.skip_space(),
                    other => Ok(other),
                };
                match next {
                    Ok(Some(b',')) => {}
                    Ok(Some(b']')) | Ok(None) => self.state = ArrayState::Done,
                    Ok(Some(other)) => {
                        self.state = ArrayState::Done;
                        let e = InputError::Json(format!(
                            "expected , or ] after element {}, found {:?}",
                            self.index, other as char
                        ));
                        return Some(Err((self.path(), e)));
                    }
                    Err(e) => {
                        self.state = ArrayState::Done;
                        return Some(Err((self.path(), e)));
                    }
                }
                Some(Ok(RawDocument {
                    source_path: self.path(),
                    container: Some(Format::Jsonl),
                    compression: self.compression,
                    bytes,
                    hints: RecordHints::default(),
                }))
            }
            Err(e) => {
                // A too-large element was skipped whole; anything else breaks the framing.
                if !matches!(e, InputError::TooLarge { .. }) {
                    self.state = ArrayState::Done;
                }
                Some(Err((self.path(), e)))
            }
        }
    }
}

/// JSONL lines as raw documents; blank lines are passed over but counted, so `#N` is the line
/// number.
struct JsonlLines<R> {
    reader: R,
    display: String,
    compression: Compression,
    line: usize,
    max_document: u64,
    done: bool,
}

impl<R: BufRead> Iterator for JsonlLines<R> {
    type Item = Result<RawDocument, (String, InputError)>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.line += 1;
            let path = format!("{}#{}", self.display, self.line);
            let mut bytes = Vec::new();
            let read = (&mut self.reader)
                .take(self.max_document + 1)
                .read_until(b'\n', &mut bytes);
            match read {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err((path, corrupt(self.compression, &e))));
                }
            }
            if bytes.len() as u64 > self.max_document && !bytes.ends_with(b"\n") {
                // Skip the rest of the over-long line.
                let mut skipped = bytes.len() as u64;
                loop {
                    let mut chunk = Vec::new();
                    match (&mut self.reader)
                        .take(1 << 20)
                        .read_until(b'\n', &mut chunk)
                    {
                        Ok(0) => break,
                        Ok(n) => {
                            skipped += n as u64;
                            if chunk.ends_with(b"\n") {
                                break;
                            }
                        }
                        Err(e) => {
                            self.done = true;
                            return Some(Err((path, corrupt(self.compression, &e))));
                        }
                    }
                }
                let limit = self.max_document;
                return Some(Err((
                    path,
                    InputError::TooLarge {
                        size: skipped,
                        limit,
                    },
                )));
            }
            while bytes.last().is_some_and(|b| b.is_ascii_whitespace()) {
                bytes.pop();
            }
            if self.line == 1 && bytes.starts_with(&[0xef, 0xbb, 0xbf]) {
                bytes.drain(..3);
            }
            if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            return Some(Ok(RawDocument {
                source_path: path,
                container: Some(Format::Jsonl),
                compression: self.compression,
                bytes,
                hints: RecordHints::default(),
            }));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docs(bytes: &[u8], max: u64) -> Vec<Result<RawDocument, (String, InputError)>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input");
        std::fs::write(&path, bytes).unwrap();
        open(&Input::File(path), None, max)
            .unwrap()
            .documents
            .collect()
    }

    #[test]
    fn jsonl_lines_are_numbered_and_long_ones_rejected() {
        let data = b"{\"text\":\"a\"}\n\n{\"text\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"}\n{\"text\":\"c\"}\n";
        let out = docs(data, 30);
        assert_eq!(out.len(), 3);
        assert!(out[0].as_ref().unwrap().source_path.ends_with("#1"));
        assert!(matches!(out[1], Err((ref p, InputError::TooLarge { .. })) if p.ends_with("#3")));
        assert!(out[2].as_ref().unwrap().source_path.ends_with("#4"));
    }

    #[test]
    fn gzip_and_truncated_gzip() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"Some plain text that is long enough to be an article.")
            .unwrap();
        let bytes = gz.finish().unwrap();
        let out = docs(&bytes, 1 << 20);
        assert_eq!(out[0].as_ref().unwrap().compression, Compression::Gzip);
        // Cut inside the sniff window, the input fails as it is opened.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.gz");
        std::fs::write(&path, &bytes[..bytes.len() - 10]).unwrap();
        assert!(matches!(
            open(&Input::File(path), None, 1 << 20),
            Err(InputError::Corrupt { .. })
        ));
    }

    #[test]
    fn json_array_keeps_each_element_verbatim() {
        let out = docs(b"[ {\"text\": \"a\"},\n  {\"text\":\"b\"} ]", 1 << 20);
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].as_ref().unwrap().bytes, b"{\"text\":\"b\"}");
    }

    #[test]
    fn byte_order_marks_and_text_that_looks_like_json() {
        let out = docs(b"\xef\xbb\xbf{\"text\":\"a\"}\n{\"text\":\"b\"}\n", 1 << 20);
        assert_eq!(out[0].as_ref().unwrap().bytes, b"{\"text\":\"a\"}");
        let out = docs(b"\xef\xbb\xbf[{\"text\": \"a\"}]", 1 << 20);
        assert_eq!(out[0].as_ref().unwrap().bytes, b"{\"text\": \"a\"}");
        let out = docs(b"{ not json at all }\nBut a note in braces.", 1 << 20);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].as_ref().unwrap().container, None);
    }

    #[test]
    fn json_arrays_stream_element_by_element() {
        let data = b"[ {\"text\": \"a ] b\", \"n\": [1, {\"x\": \"}\"}]},\n {\"text\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}, {\"text\":\"c\"} ,\"s\", 7 ]";
        let out = docs(data, 40);
        assert_eq!(out.len(), 5);
        assert_eq!(
            out[0].as_ref().unwrap().bytes,
            b"{\"text\": \"a ] b\", \"n\": [1, {\"x\": \"}\"}]}"
        );
        assert!(matches!(out[1], Err((ref p, InputError::TooLarge { .. })) if p.ends_with("#2")));
        assert_eq!(out[2].as_ref().unwrap().bytes, b"{\"text\":\"c\"}");
        assert_eq!(out[3].as_ref().unwrap().bytes, b"\"s\"");
        assert_eq!(out[4].as_ref().unwrap().bytes, b"7");
        let cut = docs(b"[{\"text\": \"a\"}, {\"text\": \"b", 1 << 20);
        assert!(cut[0].is_ok());
        assert!(matches!(cut[1], Err((ref p, InputError::Json(_))) if p.ends_with("#2")));
    }

    #[test]
    fn directories_walk_in_name_order_without_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("b.txt"), "b").unwrap();
        std::fs::write(dir.path().join("sub/a.txt"), "a").unwrap();
        std::fs::write(dir.path().join(".hidden"), "h").unwrap();
        let found: Vec<String> = expand(&[dir.path().display().to_string()])
            .into_iter()
            .map(|r| r.unwrap().display())
            .collect();
        assert_eq!(found.len(), 2);
        assert!(found[0].ends_with("b.txt") && found[1].ends_with("a.txt"));
    }
}
