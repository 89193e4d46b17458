"""Peer for `newsfold eval extraction`: Python trafilatura over the same decoded pages.

Usage: python3 benches/trafilatura_peer.py PAGES_DIR OUT_DIR
Reads every PAGES_DIR/*.html (UTF-8, as newsfold decoded them), writes OUT_DIR/<name>.txt with
trafilatura.extract's default output, and prints the extraction time in seconds (CPU time of
this process spent in extract) on its last line.
"""
import os
import sys
import time

import trafilatura


def main() -> None:
    pages, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    spent = 0.0
    for name in sorted(os.listdir(pages)):
        if not name.endswith(".html"):
            continue
        with open(os.path.join(pages, name), encoding="utf-8") as f:
            html = f.read()
        start = time.process_time()
        text = trafilatura.extract(html) or ""
        spent += time.process_time() - start
        with open(os.path.join(out, name[: -len(".html")] + ".txt"), "w", encoding="utf-8") as f:
            f.write(text)
    print(f"{spent:.3f}")


if __name__ == "__main__":
    main()
