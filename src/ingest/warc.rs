//! WARC files as Common Crawl writes them: records framed by `WARC/1.x` headers and a
//! `Content-Length`, usually one gzip member per record (the decompressor upstream reads
//! multi-member gzip as one stream).
//!
//! [`WarcReader`] only frames records and keeps those that can hold an article (`response`,
//! `resource`, `conversion`); [`read_record`] turns one into record hints, running HTTP
//! payloads through the HTML path and WET conversions through the text path. The crawl date
//! (`WARC-Date`) is kept as the crawl date, never as the publication date.

use crate::error::InputError;
use crate::model::{BodyKind, MetaSource, RecordHints};
use std::io::{BufRead, Read};

/// One framed WARC record: its verbatim bytes (header and block) and its 1-based position.
#[derive(Debug)]
pub struct FramedRecord {
    pub index: usize,
    pub bytes: Vec<u8>,
}

pub struct WarcReader<R> {
    reader: R,
    index: usize,
    max_block: u64,
    done: bool,
}

impl<R: BufRead> WarcReader<R> {
    pub fn new(reader: R, max_block: u64) -> Self {
        WarcReader {
            reader,
            index: 0,
            max_block,
            done: false,
        }
    }

    /// Read the header lines of the next record, verbatim. `None` at a clean end of input.
    fn read_header(&mut self) -> Result<Option<Vec<u8>>, InputError> {
        let mut header = Vec::new();
        // Skip the blank lines that end the previous record.
        loop {
            let mut line = Vec::new();
            let n = self.read_line(&mut line)?;
            if n == 0 {
                return Ok(None);
            }
            if line.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            if !line.starts_with(b"WARC/") {
                return Err(InputError::Warc(format!(
                    "record {} does not start with a WARC/ version line",
                    self.index + 1
                )));
            }
            header.extend_from_slice(&line);
            break;
        }
        loop {
            let mut line = Vec::new();
            if self.read_line(&mut line)? == 0 {
                return Err(truncated("header"));
            }
            header.extend_from_slice(&line);
            if line == b"\r\n" || line == b"\n" {
                return Ok(Some(header));
            }
            if header.len() > 1 << 20 {
                return Err(InputError::Warc("record header over 1 MiB".into()));
            }
        }
    }

    fn read_line(&mut self, line: &mut Vec<u8>) -> Result<usize, InputError> {
        (&mut self.reader)
            .take(64 * 1024)
            .read_until(b'\n', line)
            .map_err(io_corrupt)
    }
}

fn truncated(what: &str) -> InputError {
    InputError::Corrupt {
        what: "WARC",
        detail: format!("input ends inside a record {what}"),
    }
}

fn io_corrupt(e: std::io::Error) -> InputError {
    InputError::Corrupt {
        what: "compressed",
        detail: e.to_string(),
    }
}

/// A header's value, matched case-insensitively.
fn header_value<'a>(headers: &'a str, name: &str) -> Option<&'a str> {
    headers.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

const ARTICLE_TYPES: [&str; 3] = ["response", "resource", "conversion"];

impl<R: BufRead> Iterator for WarcReader<R> {
    /// A record, or an error; after an error that breaks the framing, iteration ends.
    type Item = Result<FramedRecord, (usize, InputError)>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let header = match self.read_header() {
                Ok(Some(h)) => h,
                Ok(None) => return None,
                Err(e) => {
                    self.done = true;
                    return Some(Err((self.index + 1, e)));
                }
            };
            self.index += 1;
            let index = self.index;
            let text = String::from_utf8_lossy(&header);
            let Some(length) =
                header_value(&text, "Content-Length").and_then(|v| v.parse::<u64>().ok())
            else {
                self.done = true;
                return Some(Err((
                    index,
                    InputError::Warc("no valid Content-Length".into()),
                )));
            };
            let kind = header_value(&text, "WARC-Type")
                .unwrap_or("")
                .to_ascii_lowercase();
            let wanted = ARTICLE_TYPES.contains(&kind.as_str());
            if !wanted || length > self.max_block {
                let skipped =
                    std::io::copy(&mut (&mut self.reader).take(length), &mut std::io::sink());
                match skipped {
                    Ok(n) if n == length => {}
                    Ok(_) => {
                        self.done = true;
                        return Some(Err((index, truncated("block"))));
                    }
                    Err(e) => {
                        self.done = true;
                        return Some(Err((index, io_corrupt(e))));
                    }
                }
                if wanted {
                    return Some(Err((
                        index,
                        InputError::TooLarge {
                            size: length,
                            limit: self.max_block,
                        },
                    )));
                }
                continue;
            }
            let mut bytes = header;
            let start = bytes.len();
            bytes.resize(start + length as usize, 0);
            if let Err(e) = self.reader.read_exact(&mut bytes[start..]) {
                self.done = true;
                let err = if e.kind() == std::io::ErrorKind::UnexpectedEof {
                    truncated("block")
                } else {
                    io_corrupt(e)
                };
                return Some(Err((index, err)));
            }
            return Some(Ok(FramedRecord { index, bytes }));
        }
        None
    }
}

/// Interpret one framed record: headers to hints, payload to body.
pub fn read_record(bytes: &[u8]) -> Result<RecordHints, InputError> {
    let split = head_end(bytes).ok_or_else(|| InputError::Warc("no end of header".into()))?;
    let headers = String::from_utf8_lossy(&bytes[..split.0]).into_owned();
    let block = &bytes[split.1..];
    let kind = header_value(&headers, "WARC-Type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut hints = RecordHints {
        url: header_value(&headers, "WARC-Target-URI").map(str::to_string),
        origin: Some(MetaSource::WarcHeader),
        ..RecordHints::default()
    };
    hints.crawled = header_value(&headers, "WARC-Date").map(str::to_string);
    hints.external_id = header_value(&headers, "WARC-Record-ID").map(str::to_string);
    let (content_type, payload) = match kind.as_str() {
        "response" => http_payload(block)?,
        _ => (
            header_value(&headers, "Content-Type")
                .unwrap_or("")
                .to_string(),
            block.to_vec(),
        ),
    };
    let ct = content_type.to_ascii_lowercase();
    let charset = crate::ingest::sniff::content_type_charset(&ct);
    let text = crate::ingest::sniff::decode(&payload, charset.as_deref())?;
    let is_html =
        ct.contains("html") || (ct.is_empty() && crate::ingest::sniff::looks_like_html(&text));
    if !is_html && !ct.starts_with("text/") && !ct.is_empty() {
        return Err(InputError::NotArticle(format!(
            "content type {content_type}"
        )));
    }
    hints.body_kind = Some(if is_html {
        BodyKind::Html
    } else {
        BodyKind::TextLike
    });
    hints.body = Some(text);
    Ok(hints)
}

/// Where a header ends and its body starts: the first blank line, CRLF or bare LF.
fn head_end(bytes: &[u8]) -> Option<(usize, usize)> {
    let crlf = find(bytes, b"\r\n\r\n").map(|i| (i, i + 4));
    let lf = find(bytes, b"\n\n").map(|i| (i, i + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Split an HTTP response into its content type and decoded body (chunked and gzip undone).
fn http_payload(block: &[u8]) -> Result<(String, Vec<u8>), InputError> {
    let (head_len, body_start) = head_end(block)
        .ok_or_else(|| InputError::Warc("HTTP response without a header end".into()))?;
    let head = String::from_utf8_lossy(&block[..head_len]);
    let status: u16 = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| InputError::Warc("HTTP response without a status line".into()))?;
    if !(200..300).contains(&status) {
        return Err(InputError::NotArticle(format!("HTTP status {status}")));
    }
    let mut body = block[body_start..].to_vec();
    let te = header_value(&head, "Transfer-Encoding")
        .unwrap_or("")
        .to_ascii_lowercase();
    if te.contains("chunked") {
        body = dechunk(&body).unwrap_or(body);
    }
    let ce = header_value(&head, "Content-Encoding")
        .unwrap_or("")
        .to_ascii_lowercase();
    if ce.contains("gzip") {
        let mut out = Vec::new();
        if flate2::read::MultiGzDecoder::new(&body[..])
            .read_to_end(&mut out)
            .is_ok()
        {
            body = out;
        }
    }
    let ct = header_value(&head, "Content-Type")
        .unwrap_or("")
        .to_string();
    Ok((ct, body))
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = find(data, b"\r\n")?;
        let size_str = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_str.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: https://example.org/a?utm_source=x\r\nWARC-Date: 2024-01-02T03:04:05Z\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    #[test]
    fn frames_records_and_skips_non_articles() {
        let mut data = record("warcinfo", b"software: x\r\n");
        data.extend(record(
            "response",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Hi</p></body></html>",
        ));
        data.extend(record("conversion", b"Plain words of a page."));
        let records: Vec<_> = WarcReader::new(&data[..], 1 << 20).collect();
        assert_eq!(records.len(), 2);
        let first = records[0].as_ref().unwrap();
        assert_eq!(first.index, 2);
        let hints = read_record(&first.bytes).unwrap();
        assert_eq!(hints.body_kind, Some(BodyKind::Html));
        assert_eq!(hints.crawled.as_deref(), Some("2024-01-02T03:04:05Z"));
        assert_eq!(hints.date, None);
        let second = read_record(&records[1].as_ref().unwrap().bytes).unwrap();
        assert_eq!(second.body.as_deref(), Some("Plain words of a page."));
    }

    #[test]
    fn truncated_record_is_an_error_after_the_good_ones() {
        let mut data = record("conversion", b"First.");
        let second = record("conversion", b"Second record, cut short.");
        data.extend_from_slice(&second[..second.len() - 12]);
        let records: Vec<_> = WarcReader::new(&data[..], 1 << 20).collect();
        assert!(records[0].is_ok());
        assert!(matches!(&records[1], Err((2, InputError::Corrupt { .. }))));
    }

    #[test]
    fn redirects_are_not_articles_and_chunked_bodies_are_joined() {
        let r = record("response", b"HTTP/1.1 301 Moved\r\nLocation: /b\r\n\r\n");
        assert!(matches!(read_record(&r), Err(InputError::NotArticle(_))));
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").unwrap(),
            b"abcde"
        );
    }
}
