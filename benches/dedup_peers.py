"""Peers of `newsfold bench dedup`: datasketch and rensa from raw text to LSH candidates.

Usage: dedup_peers.py TEXTS.jsonl   (one JSON string, a body, per line)

Shingles as newsfold's defaults: lower-cased words (runs of letters and digits), word
3-grams; 128 permutations; LSH threshold 0.8. Timed from the raw text (tokenising included)
to candidates. Prints one line per peer and path: `NAME SECONDS CANDIDATES`.
"""

import json
import re
import sys
import time

WORD = re.compile(r"[^\W_]+")
NUM_PERM = 128
THRESHOLD = 0.8


def shingles(text):
    words = WORD.findall(text.lower())
    return [" ".join(words[i : i + 3]) for i in range(len(words) - 2)]


def run_datasketch(texts):
    from datasketch import MinHash, MinHashLSH

    start = time.perf_counter()
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    sketches = []
    for i, t in enumerate(texts):
        m = MinHash(num_perm=NUM_PERM)
        m.update_batch([s.encode("utf-8") for s in shingles(t)])
        lsh.insert(i, m)
        sketches.append(m)
    pairs = sum(len(lsh.query(m)) - 1 for m in sketches) // 2
    return time.perf_counter() - start, pairs


def run_rensa_objects(texts):
    from rensa import RMinHash, RMinHashLSH

    start = time.perf_counter()
    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=16)
    sketches = []
    for i, t in enumerate(texts):
        m = RMinHash(num_perm=NUM_PERM, seed=42)
        m.update(shingles(t))
        lsh.insert(i, m)
        sketches.append(m)
    pairs = sum(len(lsh.query(m)) - 1 for m in sketches) // 2
    return time.perf_counter() - start, pairs


def run_rensa_bulk(texts):
    """rensa's bulk path: a digest matrix and duplicate flags (flagged texts, not pairs)."""
    from rensa import RMinHash, RMinHashLSH

    start = time.perf_counter()
    sets = [shingles(t) for t in texts]
    matrix = RMinHash.digest_matrix_from_token_sets(sets, num_perm=NUM_PERM, seed=42)
    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=16)
    flags = lsh.insert_matrix_and_query_duplicate_flags(matrix)
    return time.perf_counter() - start, sum(1 for f in flags if f)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        texts = [json.loads(line) for line in f]
    for name, run in [
        ("datasketch", run_datasketch),
        ("rensa", run_rensa_objects),
        ("rensa-bulk", run_rensa_bulk),
    ]:
        try:
            secs, found = run(texts)
            print(f"{name} {secs:.4f} {found}", flush=True)
        except Exception as e:  # a peer's API change must not hide the others
            print(f"# {name} failed: {e!r}", flush=True)


if __name__ == "__main__":
    main()
