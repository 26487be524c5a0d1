"""Speed, load time and size of an NER pipeline on one core (prints figures, asserts nothing).

    python benchmarks/bench_ner.py [--model NAME] [--text FILE] [--repeat N]

Default text: the seed articles in data/seeds, split into lines and converted
to simplified script as the build does; ``--text`` takes any UTF-8 file (one
text per line, e.g. news sentences).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from kg import ner  # noqa: E402
from kg.paths import DATA_DIR  # noqa: E402


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _texts(path: Path | None) -> list[str]:
    if path:
        return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    import opencc

    cc = opencc.OpenCC("t2s")
    lines = []
    for f in sorted((DATA_DIR / "seeds").glob("*.txt")):
        lines += [cc.convert(ln.strip()) for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="default: the shipped model")
    ap.add_argument("--text", type=Path, default=None)
    ap.add_argument("--repeat", type=int, default=3, help="passes over the text")
    ap.add_argument("--batch-size", type=int, default=256)
    args = ap.parse_args()

    t0 = time.perf_counter()
    nlp = ner.load(args.model)
    load_s = time.perf_counter() - t0
    path = ner.shipped_model_path() if args.model is None else Path(args.model)
    texts = _texts(args.text)
    nlp("预热：北京")  # first call loads jieba's dictionary
    n_chars = sum(len(t) for t in texts)

    best = best_cpu = 0.0
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        n_ents = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=args.batch_size))
        best = max(best, n_chars / (time.perf_counter() - t0))
        best_cpu = max(best_cpu, n_chars / (time.process_time() - c0))

    print(f"model          {nlp.meta.get('name')} ({path if path.exists() else args.model})")
    print(f"load time      {load_s:.2f} s")
    if path.exists():
        print(f"size on disk   {_size(path) / 1e6:.1f} MB")
    print(f"text           {len(texts)} lines, {n_chars} chars, {n_ents} entities")
    print(f"speed          {best:,.0f} chars/s wall clock (nlp.pipe, one thread, best of {args.repeat})")
    # On a shared machine the wall clock includes time other processes hold the core.
    print(f"speed (CPU)    {best_cpu:,.0f} chars/s per CPU-second of this process")


if __name__ == "__main__":
    main()
