"""What writing a build's graphs into the store costs, as the store grows.

    python benchmarks/bench_store_writes.py [--messages 20000] [--blocks 5] [--commit 4096]

Runs the per-document pipeline once over ``--messages`` synthetic messages
(bench_scale's generator), then writes their named graphs ``--blocks``
times into one fresh store, each time under new document IRIs, through
``Store.add_graphs`` in commits of ``--commit`` documents, as ``kg build``
writes them. Prints, per block, the wall time and the CPU time of the
whole process (Oxigraph's loader threads and RocksDB's compaction
threads included), then the compaction still running once the writes
stop. With ``--jobs 2`` this CPU is what the parent takes from the two
workers' cores. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import generate  # noqa: E402

from kg.namespace import document_iri  # noqa: E402
from kg.pipeline import raw_documents  # noqa: E402
from kg.scale import DocOutput, Pipeline, batched  # noqa: E402
from kg.store import Store  # noqa: E402


def cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def graphs(corpus: Path, model: str | None) -> list[DocOutput]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline = Pipeline(model)
    errors: list = []
    outputs = [o for batch in batched(raw_documents([corpus], errors)) for o in pipeline.run(batch)]
    docs = [o for o in outputs if isinstance(o, DocOutput)]
    assert len(docs) == len(outputs) and not errors, "the synthetic corpus must process cleanly"
    return docs


def renamed(docs: list[DocOutput], copy: int) -> list[tuple[str, bytes]]:
    """``(graph IRI, N-Quads)`` of each document under a fresh document IRI."""
    out = []
    for d in docs:
        old, new = str(document_iri(d.doc_id)), str(document_iri(f"copy{copy}-{d.doc_id}"))
        out.append((new, d.nquads.replace(f"<{old}>".encode(), f"<{new}>".encode())))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--messages", type=int, default=20_000)
    ap.add_argument("--blocks", type=int, default=5, help="times the messages' graphs are written")
    ap.add_argument("--commit", type=int, default=4096, help="documents per commit (kg build's default)")
    ap.add_argument("--model", default=None, help="NER pipeline (default: the shipped model)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kg-bench-writes-"))
    try:
        corpus = work / "messages.jsonl"
        generate(corpus, args.messages)
        docs = graphs(corpus, args.model)
        quads = sum(d.nquads.count(b"\n") for d in docs)
        print(f"{len(docs)} messages, {quads} quads ({quads / len(docs):.1f} a message); commits of {args.commit}")
        print(f"\n{'store holds':>12} {'wall s':>7} {'CPU s':>7} {'CPU ms/message':>15}")
        with Store.open(work / "store") as store:
            for copy in range(args.blocks):
                parts = renamed(docs, copy)
                t, c = time.perf_counter(), cpu_seconds()
                for i in range(0, len(parts), args.commit):
                    store.add_graphs(parts[i : i + args.commit])
                wall, cpu = time.perf_counter() - t, cpu_seconds() - c
                held = (copy + 1) * len(docs)
                print(f"{held:>12,} {wall:7.2f} {cpu:7.2f} {cpu * 1000 / len(docs):15.2f}", flush=True)
            c = cpu_seconds()
            time.sleep(10)
            print(f"compaction in the 10 s after the last write: {cpu_seconds() - c:.2f} s of CPU")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
