//! A small blocking HTTP/1.1 client over `std::net::TcpStream`, for talking to the desk and to
//! local tools on loopback: the browser tests speak WebDriver's JSON protocol to `chromedriver`
//! with it, and `newsfold bench serve` loads the desk with one per client thread.
//!
//! One [`Client`] holds one keep-alive connection to one address and opens it again when the
//! server closed it. It reads `Content-Length` and chunked bodies, stops at a size cap, and
//! gives up after a timeout on connecting, writing or reading. It is deliberately small: no
//! TLS, no redirects, no proxies, no cookies kept, no pipelining; it sends the request target
//! exactly as given, so tests can send what a browser would normalise away.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// Longest status line and headers accepted, in bytes.
const MAX_HEAD: usize = 64 * 1024;

/// What went wrong with one request.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("connecting to {addr}: {source}")]
    Connect {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("no answer from {addr} within {timeout:?}")]
    Timeout { addr: SocketAddr, timeout: Duration },
    #[error("talking to {addr}: {source}")]
    Io {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("a malformed response from {addr}: {detail}")]
    Malformed { addr: SocketAddr, detail: String },
    #[error("the response from {addr} is over the limit of {limit} bytes")]
    TooLarge { addr: SocketAddr, limit: usize },
    #[error("the response body is not JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl From<ClientError> for crate::error::Error {
    fn from(e: ClientError) -> Self {
        crate::error::Error::Internal(e.to_string())
    }
}

/// One response: status, headers as sent (names as the server spelt them) and the body.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first header of this name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> Result<serde_json::Value, ClientError> {
        Ok(serde_json::from_slice(&self.body)?)
    }
}

/// A keep-alive connection to one server.
pub struct Client {
    addr: SocketAddr,
    timeout: Duration,
    max_body: usize,
    headers: Vec<(String, String)>,
    conn: Option<BufReader<TcpStream>>,
}

impl Client {
    /// A client of the server at `addr`: 10 s timeouts, bodies up to 64 MiB. Nothing is
    /// connected until the first request.
    pub fn new(addr: SocketAddr) -> Client {
        Client {
            addr,
            timeout: Duration::from_secs(10),
            max_body: 64 * 1024 * 1024,
            headers: Vec::new(),
            conn: None,
        }
    }

    /// How long connecting, writing a request or waiting for more of a response may take.
    pub fn timeout(mut self, timeout: Duration) -> Client {
        self.timeout = timeout;
        self
    }

    /// The largest body accepted; a longer one is [`ClientError::TooLarge`].
    pub fn max_body(mut self, bytes: usize) -> Client {
        self.max_body = bytes;
        self
    }

    /// A header sent with every request.
    pub fn header(mut self, name: &str, value: &str) -> Client {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn get(&mut self, target: &str) -> Result<Response, ClientError> {
        self.request("GET", target, &[], None)
    }

    /// POST `body` as JSON.
    pub fn post_json(
        &mut self,
        target: &str,
        body: &serde_json::Value,
    ) -> Result<Response, ClientError> {
        let bytes = serde_json::to_vec(body)?;
        self.request("POST", target, &[], Some(("application/json", &bytes)))
    }

    pub fn delete(&mut self, target: &str) -> Result<Response, ClientError> {
        self.request("DELETE", target, &[], None)
    }

    /// Send one request and read its response. `target` goes on the request line as given;
    /// `body` is a content type and the bytes. A kept connection the server has closed in the
    /// meantime is opened again once.
    pub fn request(
        &mut self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> Result<Response, ClientError> {
        let head = self.head(method, target, headers, body);
        let reused = self.conn.is_some();
        match self.exchange(method, &head, body) {
            Err(e) if reused && stale(&e) => {
                self.conn = None;
                self.exchange(method, &head, body)
            }
            other => other,
        }
    }

    fn head(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, &[u8])>,
    ) -> String {
        let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        let extra = headers.iter().map(|(n, v)| (*n, *v));
        for (n, v) in self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .chain(extra)
        {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        match body {
            Some((kind, bytes)) => head.push_str(&format!(
                "Content-Type: {kind}\r\nContent-Length: {}\r\n",
                bytes.len()
            )),
            None if method == "POST" || method == "PUT" => {
                head.push_str("Content-Length: 0\r\n");
            }
            None => {}
        }
        head.push_str("\r\n");
        head
    }

    fn exchange(
        &mut self,
        method: &str,
        head: &str,
        body: Option<(&str, &[u8])>,
    ) -> Result<Response, ClientError> {
        let mut conn = match self.conn.take() {
            Some(c) => c,
            None => self.connect()?,
        };
        let written = write_all(conn.get_mut(), head.as_bytes()).and_then(|()| match body {
            Some((_, bytes)) => write_all(conn.get_mut(), bytes),
            None => Ok(()),
        });
        if let Err(e) = written {
            // A server that refuses a request (a body too large, say) may answer and close
            // before reading all of it: the answer is still worth reading.
            return match self.read_response(&mut conn, method) {
                Ok((r, _)) => Ok(r),
                Err(_) => Err(self.io(e)),
            };
        }
        let (response, keep) = self.read_response(&mut conn, method)?;
        if keep {
            self.conn = Some(conn);
        }
        Ok(response)
    }

    fn connect(&self) -> Result<BufReader<TcpStream>, ClientError> {
        let connect = |source| ClientError::Connect {
            addr: self.addr,
            source,
        };
        let stream = TcpStream::connect_timeout(&self.addr, self.timeout).map_err(connect)?;
        stream
            .set_read_timeout(Some(self.timeout))
            .and_then(|()| stream.set_write_timeout(Some(self.timeout)))
            .and_then(|()| stream.set_nodelay(true))
            .map_err(connect)?;
        Ok(BufReader::new(stream))
    }

    fn io(&self, source: std::io::Error) -> ClientError {
        use std::io::ErrorKind::{TimedOut, WouldBlock};
        match source.kind() {
            WouldBlock | TimedOut => ClientError::Timeout {
                addr: self.addr,
                timeout: self.timeout,
            },
            _ => ClientError::Io {
                addr: self.addr,
                source,
            },
        }
    }

    fn malformed(&self, detail: impl Into<String>) -> ClientError {
        ClientError::Malformed {
            addr: self.addr,
            detail: detail.into(),
        }
    }

    /// The response, and whether the connection may be used again.
    fn read_response(
        &self,
        conn: &mut BufReader<TcpStream>,
        method: &str,
    ) -> Result<(Response, bool), ClientError> {
        let mut head_bytes = 0;
        let (status, version) = loop {
            let line = self.line(conn, &mut head_bytes)?;
            let mut parts = line.splitn(3, ' ');
            let version = parts.next().unwrap_or("");
            let status: u16 = parts
                .next()
                .and_then(|s| s.parse().ok())
                .filter(|_| version.starts_with("HTTP/1."))
                .ok_or_else(|| self.malformed(format!("status line {line:?}")))?;
            // Interim answers (100 Continue) come before the real one.
            if !(100..200).contains(&status) {
                break (status, version.to_string());
            }
            while !self.line(conn, &mut head_bytes)?.is_empty() {}
        };
        let mut headers = Vec::new();
        loop {
            let line = self.line(conn, &mut head_bytes)?;
            if line.is_empty() {
                break;
            }
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| self.malformed(format!("header line {line:?}")))?;
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
        let mut response = Response {
            status,
            headers,
            body: Vec::new(),
        };
        let close = response
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"))
            || version == "HTTP/1.0";
        let chunked = response
            .header("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        let length = response.header("content-length").map(str::to_string);
        if method == "HEAD" || status == 204 || status == 304 {
            return Ok((response, !close));
        }
        if chunked {
            response.body = self.chunked(conn, &mut head_bytes)?;
            Ok((response, !close))
        } else if let Some(length) = length {
            let n: usize = length
                .parse()
                .map_err(|_| self.malformed(format!("Content-Length {length:?}")))?;
            if n > self.max_body {
                return Err(self.too_large());
            }
            response.body = vec![0; n];
            conn.read_exact(&mut response.body)
                .map_err(|e| self.io(e))?;
            Ok((response, !close))
        } else {
            // No length: the body runs to the end of the connection.
            let mut limited = conn.take(self.max_body as u64 + 1);
            limited
                .read_to_end(&mut response.body)
                .map_err(|e| self.io(e))?;
            if response.body.len() > self.max_body {
                return Err(self.too_large());
            }
            Ok((response, false))
        }
    }

    fn too_large(&self) -> ClientError {
        ClientError::TooLarge {
            addr: self.addr,
            limit: self.max_body,
        }
    }

    /// One CRLF-ended line of the head, counted against [`MAX_HEAD`].
    fn line(
        &self,
        conn: &mut BufReader<TcpStream>,
        used: &mut usize,
    ) -> Result<String, ClientError> {
        let mut buf = Vec::new();
        let room = (MAX_HEAD - (*used).min(MAX_HEAD)) as u64;
        let n = conn
            .by_ref()
            .take(room)
            .read_until(b'\n', &mut buf)
            .map_err(|e| self.io(e))?;
        *used += n;
        if n == 0 {
            return Err(self.io(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the connection closed before a full response",
            )));
        }
        if buf.last() != Some(&b'\n') {
            return Err(self.malformed(format!("a response head over {MAX_HEAD} bytes")));
        }
        let text = String::from_utf8_lossy(&buf);
        Ok(text.trim_end_matches(['\r', '\n']).to_string())
    }

    fn chunked(
        &self,
        conn: &mut BufReader<TcpStream>,
        used: &mut usize,
    ) -> Result<Vec<u8>, ClientError> {
        let mut body = Vec::new();
        loop {
            *used = 0;
            let line = self.line(conn, used)?;
            let size = line.split(';').next().unwrap_or("").trim();
            let n = usize::from_str_radix(size, 16)
                .map_err(|_| self.malformed(format!("chunk size {line:?}")))?;
            if n == 0 {
                // Trailers, then the blank line.
                while !self.line(conn, used)?.is_empty() {}
                return Ok(body);
            }
            if body.len() + n > self.max_body {
                return Err(self.too_large());
            }
            let start = body.len();
            body.resize(start + n, 0);
            conn.read_exact(&mut body[start..])
                .map_err(|e| self.io(e))?;
            let mut crlf = [0u8; 2];
            conn.read_exact(&mut crlf).map_err(|e| self.io(e))?;
            if &crlf != b"\r\n" {
                return Err(self.malformed("a chunk not ended by CRLF"));
            }
        }
    }
}

fn write_all(stream: &mut TcpStream, bytes: &[u8]) -> std::io::Result<()> {
    stream.write_all(bytes)?;
    stream.flush()
}

/// Whether an error on a reused connection means the server had closed it, so that the
/// request is worth sending again on a new one.
fn stale(e: &ClientError) -> bool {
    use std::io::ErrorKind::{BrokenPipe, ConnectionAborted, ConnectionReset, UnexpectedEof};
    matches!(e, ClientError::Io { source, .. }
        if matches!(source.kind(), BrokenPipe | ConnectionReset | ConnectionAborted | UnexpectedEof))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// A server that answers each connection's requests with `answers` in turn (one per
    /// request read), then closes it; it counts connections.
    fn serve(answers: Vec<Vec<u8>>) -> (SocketAddr, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = connections.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                counted.fetch_add(1, Ordering::SeqCst);
                let answers = answers.clone();
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut stream = stream;
                    for answer in answers {
                        if read_request(&mut reader).is_none() {
                            return;
                        }
                        if stream.write_all(&answer).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        (addr, connections)
    }

    /// Read one request's head and body; its first line.
    fn read_request(r: &mut BufReader<TcpStream>) -> Option<String> {
        let mut first = String::new();
        if r.read_line(&mut first).ok()? == 0 {
            return None;
        }
        let mut length = 0;
        loop {
            let mut line = String::new();
            r.read_line(&mut line).ok()?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some(v) = l.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().ok()?;
            }
        }
        let mut body = vec![0; length];
        r.read_exact(&mut body).ok()?;
        Some(first)
    }

    fn ok(body: &str) -> Vec<u8> {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: text/plain\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    }

    #[test]
    fn reads_content_length_bodies_over_one_kept_connection() {
        let (addr, connections) = serve(vec![ok("one"), ok("two"), ok("three")]);
        let mut c = Client::new(addr);
        assert_eq!(c.get("/a").unwrap().text(), "one");
        assert_eq!(c.get("/b").unwrap().text(), "two");
        let r = c.get("/c").unwrap();
        assert_eq!((r.status, r.text().as_str()), (200, "three"));
        assert_eq!(r.header("content-type"), Some("text/plain"));
        assert_eq!(connections.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn reads_chunked_bodies() {
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n6;ext=1\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\n".to_vec();
        let (addr, connections) = serve(vec![chunked, ok("after")]);
        let mut c = Client::new(addr);
        assert_eq!(c.get("/").unwrap().text(), "Wikipedia in \r\n\r\nchunks.");
        assert_eq!(c.get("/").unwrap().text(), "after");
        assert_eq!(connections.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn opens_the_connection_again_when_the_server_closed_it() {
        // Each connection answers once and closes.
        let (addr, connections) = serve(vec![ok("x")]);
        let mut c = Client::new(addr);
        for _ in 0..3 {
            assert_eq!(c.get("/").unwrap().text(), "x");
        }
        assert_eq!(connections.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn posts_json_and_reads_json() {
        let (addr, _) = serve(vec![ok(r#"{"value":{"ok":true}}"#)]);
        let mut c = Client::new(addr);
        let r = c
            .post_json("/session", &serde_json::json!({"capabilities": {}}))
            .unwrap();
        assert_eq!(r.json().unwrap()["value"]["ok"], true);
    }

    #[test]
    fn a_body_without_length_runs_to_the_close() {
        let (addr, _) = serve(vec![b"HTTP/1.0 404 Not Found\r\n\r\nnothing here".to_vec()]);
        let r = Client::new(addr).get("/").unwrap();
        assert_eq!((r.status, r.text().as_str()), (404, "nothing here"));
    }

    #[test]
    fn refuses_bodies_over_the_cap() {
        let (addr, _) = serve(vec![ok(&"x".repeat(1000))]);
        let e = Client::new(addr).max_body(100).get("/").unwrap_err();
        assert!(matches!(e, ClientError::TooLarge { limit: 100, .. }), "{e}");
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n80\r\n".to_vec();
        let (addr, _) = serve(vec![chunked]);
        let e = Client::new(addr).max_body(100).get("/").unwrap_err();
        assert!(matches!(e, ClientError::TooLarge { .. }), "{e}");
    }

    #[test]
    fn times_out_on_a_silent_server() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let hold = std::thread::spawn(move || {
            let (s, _) = listener.accept().unwrap();
            std::thread::sleep(Duration::from_millis(600));
            drop(s);
        });
        let e = Client::new(addr)
            .timeout(Duration::from_millis(150))
            .get("/")
            .unwrap_err();
        assert!(matches!(e, ClientError::Timeout { .. }), "{e}");
        hold.join().unwrap();
    }

    #[test]
    fn says_what_is_malformed_and_what_refused() {
        let (addr, _) = serve(vec![b"SMTP ready\r\n\r\n".to_vec()]);
        let e = Client::new(addr).get("/").unwrap_err();
        assert!(e.to_string().contains("status line"), "{e}");
        // A port nobody listens on.
        let free = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let e = Client::new(free).get("/").unwrap_err();
        assert!(matches!(e, ClientError::Connect { .. }), "{e}");
    }

    #[test]
    fn sends_the_target_verbatim_with_the_client_headers() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = std::thread::spawn(move || {
            let (s, _) = listener.accept().unwrap();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                r.read_line(&mut line).unwrap();
                if line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            (&s).write_all(&ok("")).unwrap();
            head
        });
        let mut c = Client::new(addr).header("Authorization", "Bearer t");
        c.get("/../../etc/passwd?a=%2F").unwrap();
        let head = seen.join().unwrap();
        assert!(head.starts_with("GET /../../etc/passwd?a=%2F HTTP/1.1\r\n"));
        assert!(head.contains("Authorization: Bearer t\r\n"));
        assert!(head.contains(&format!("Host: {addr}\r\n")));
    }
}
