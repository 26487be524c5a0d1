"""Throughput of reading and normalising text, in MB of UTF-8 per second on one core.

Usage: python benchmarks/bench_normalize.py [copies]

Prints figures for: the seed articles repeated ``copies`` times as one corpus
of documents, one 5 MB single-line article, and reading a JSONL file of the
seeds through ``read_corpus`` + ``normalize``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from kg.ingest import read_corpus
from kg.normalize import normalize, normalize_text
from kg.paths import DATA_DIR
from kg.types import RawDocument


def rate(label: str, nbytes: int, seconds: float) -> None:
    print(f"{label:<42} {nbytes / 1e6:8.1f} MB {seconds:7.2f} s {nbytes / 1e6 / seconds:7.2f} MB/s")


def main(copies: int = 100) -> None:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((DATA_DIR / "seeds").glob("*.txt"))]
    normalize_text("預熱")  # load OpenCC once, outside the timings

    docs = [RawDocument(f"d{i}", "bench", t) for i in range(copies) for t in seeds]
    size = sum(len(d.raw_text.encode()) for d in docs)
    start = time.perf_counter()
    for d in docs:
        normalize(d)
    rate(f"normalize: {len(docs)} seed documents", size, time.perf_counter() - start)

    line = "".join(s.replace("\n", "") for s in seeds)
    big = line * (5_000_000 // len(line.encode()) + 1)
    start = time.perf_counter()
    normalize(RawDocument("big", "bench", big))
    rate("normalize: one 5 MB single-line document", len(big.encode()), time.perf_counter() - start)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "seeds.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for i in range(copies):
                for t in seeds:
                    f.write(json.dumps({"id": f"d{i}", "text": t}, ensure_ascii=False) + "\n")
        start = time.perf_counter()
        n = sum(1 for item in read_corpus([path]) if isinstance(normalize(item), object))
        rate(f"read_corpus + normalize: {n} JSONL records", path.stat().st_size, time.perf_counter() - start)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
