#!/usr/bin/env python3
"""Write samples/crawl-20250321.warc.gz: a small WARC/1.0 file, gzip multi-member
(every record is compressed as its own gzip member and the members are
concatenated, as crawlers do).

Records, in order:
  1. warcinfo
  2. response    Northfield Ledger page (verbatim reprint of a Meridian wire story)
  3. response    Harbour Gazette page (strike ends)
  4. conversion  WET-style text/plain extraction of record 3 (WARC-Refers-To -> 3)

The HTML payloads come from build_samples.py (same directory). Standard library
only; the output is deterministic (fixed dates, uuid5 record ids, gzip mtime 0).
"""
import base64
import gzip
import hashlib
import os
import sys
import uuid
from html.parser import HTMLParser

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build_samples as B  # noqa: E402

OUT = os.path.join(os.path.dirname(HERE), "corpus", "crawl-20250321.warc.gz")
FILENAME = os.path.basename(OUT)
NS = uuid.UUID("6f1c2a52-2b7e-4b53-9d0e-8a3c0c2f7a10")


def rec_id(name):
    return f"<urn:uuid:{uuid.uuid5(NS, name)}>"


def sha1_b32(data):
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def record(headers, block):
    """One WARC record as its own gzip member. Content-Length = len(block)."""
    head = "WARC/1.0\r\n"
    for k, v in headers:
        head += f"{k}: {v}\r\n"
    head += f"Content-Length: {len(block)}\r\n\r\n"
    return gzip.compress(head.encode("utf-8") + block + b"\r\n\r\n", mtime=0)


def http_response(body, date, last_modified):
    head = ("HTTP/1.1 200 OK\r\n"
            f"Date: {date}\r\n"
            "Server: nginx\r\n"
            "Content-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n"
            f"Last-Modified: {last_modified}\r\n"
            "Cache-Control: max-age=300\r\n"
            "Connection: close\r\n"
            "\r\n")
    return head.encode("ascii") + body


class TextExtractor(HTMLParser):
    """Crude WET-like text: visible text, one line per block element."""
    BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "li", "ul", "ol", "nav", "header", "footer",
             "figure", "figcaption", "section", "aside", "article", "main", "form", "title", "br"}
    SKIP = {"script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.cur, self.skip = [], [], 0

    def flush(self):
        line = " ".join("".join(self.cur).split())
        if line:
            self.lines.append(line)
        self.cur = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.flush()

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip -= 1
        elif tag in self.BLOCK:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.cur.append(data)


def wet_text(html_text):
    p = TextExtractor()
    p.feed(html_text)
    p.close()
    p.flush()
    return "\n".join(p.lines) + "\n"


def main():
    crawl_date = "2025-03-21T08:14:02Z"
    info_id = rec_id("warcinfo")
    info = ("software: newsfold-samples/make_warc.py\r\n"
            "format: WARC File Format 1.0\r\n"
            "conformsTo: http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf\r\n"
            "isPartOf: newsfold-samples-crawl-2025-03\r\n"
            "description: Fictional sample crawl for newsfold tests\r\n"
            "robots: obey\r\n").encode("utf-8")
    out = [record([
        ("WARC-Type", "warcinfo"),
        ("WARC-Date", crawl_date),
        ("WARC-Filename", FILENAME),
        ("WARC-Record-ID", info_id),
        ("Content-Type", "application/warc-fields"),
    ], info)]

    pages = [
        ("ledger", B.A3_URL, B.page_a3(), "2025-03-21T08:14:05Z", "192.0.2.41",
         "Fri, 21 Mar 2025 08:14:05 GMT", "Wed, 05 Mar 2025 13:10:00 GMT"),
        ("gazette", B.A5_URL, B.page_a5(), "2025-03-21T08:14:09Z", "192.0.2.17",
         "Fri, 21 Mar 2025 08:14:09 GMT", "Thu, 20 Mar 2025 11:10:00 GMT"),
    ]
    for key, url, page, wdate, ip, hdate, lastmod in pages:
        body = page.encode("utf-8")
        block = http_response(body, hdate, lastmod)
        rid = rec_id("response:" + url)
        out.append(record([
            ("WARC-Type", "response"),
            ("WARC-Date", wdate),
            ("WARC-Record-ID", rid),
            ("WARC-Target-URI", url),
            ("WARC-IP-Address", ip),
            ("WARC-Warcinfo-ID", info_id),
            ("WARC-Block-Digest", sha1_b32(block)),
            ("WARC-Payload-Digest", sha1_b32(body)),
            ("WARC-Identified-Payload-Type", "text/html"),
            ("Content-Type", "application/http; msgtype=response"),
        ], block))
        if key == "gazette":
            text = wet_text(page).encode("utf-8")
            out.append(record([
                ("WARC-Type", "conversion"),
                ("WARC-Target-URI", url),
                ("WARC-Date", wdate),
                ("WARC-Record-ID", rec_id("conversion:" + url)),
                ("WARC-Refers-To", rid),
                ("WARC-Block-Digest", sha1_b32(text)),
                ("WARC-Identified-Content-Language", "eng"),
                ("Content-Type", "text/plain"),
            ], text))

    with open(OUT, "wb") as f:
        for member in out:
            f.write(member)


if __name__ == "__main__":
    main()
