"""NER side by side: F1 on the MSRA dev split, speed, load time, size, and streaming memory.

    python benchmarks/bench_ner.py --corpora ../shared/corpora [--model M] [--limit N] [--no-jiagu] [--stream-lines N]

Prints figures and asserts nothing. The dev split is the one ``kg train``
holds out (a seeded 5 % of msra/train.bio), so the shipped model never saw
it. jiagu (``pip install 'kg[bench]'``) is run on the same sentences in the
same process when it is installed. Speed is characters per CPU-second of
this process, one thread, ``nlp.pipe``. ``--stream-lines`` runs ``kg ner`` on
N and on 10×N long lines and prints the peak memory of each run.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

from kg import ner, train  # noqa: E402

Spans = list[tuple[int, int, str]]


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _kg_tagger(model: str | None, batch_size: int) -> tuple[Callable[[Sequence[str]], Iterator[Spans]], str]:
    t0 = time.perf_counter()
    nlp = ner.load(model)
    load_s = time.perf_counter() - t0
    nlp("预热：北京")  # first call loads jieba's dictionary
    path = ner.shipped_model_path() if model is None else Path(model)
    size = f", {_size_mb(path):.1f} MB on disk" if path.exists() else ""

    def tag(texts: Sequence[str]) -> Iterator[Spans]:
        for doc in nlp.pipe(texts, batch_size=batch_size):
            yield [(e.start_char, e.end_char, e.label_) for e in doc.ents]

    return tag, f"kg {nlp.meta.get('name')} (load {load_s:.2f} s{size})"


def _jiagu_tagger() -> tuple[Callable[[Sequence[str]], Iterator[Spans]], str] | None:
    try:
        import jiagu
    except ImportError:
        return None
    t0 = time.perf_counter()
    jiagu.ner(list("预热：北京"))  # jiagu loads its models on first use
    load_s = time.perf_counter() - t0

    def tag(texts: Sequence[str]) -> Iterator[Spans]:
        for text in texts:
            words = jiagu.seg(text) if text else []
            yield _word_spans(words, jiagu.ner(words)) if words else []

    return tag, f"jiagu {getattr(jiagu, '__version__', '')} (load {load_s:.2f} s)"


def _word_spans(words: list[str], tags: list[str]) -> Spans:
    """Character spans of word-level B-/I- tags (jiagu tags the words of its own segmenter)."""
    char_tags: list[str] = []
    for word, tag in zip(words, tags, strict=True):
        inside = "I" + tag[1:] if tag != "O" else "O"
        char_tags += [tag] + [inside] * (len(word) - 1)
    return train.bio_spans(char_tags)


def _run(name: str, tag: Callable[[Sequence[str]], Iterator[Spans]], dev: Sequence[train.Sentence]) -> None:
    c0 = time.process_time()
    predicted = list(tag([s.text for s in dev]))
    cpu = time.process_time() - c0
    scores = train.score_spans(dev, predicted)
    chars = sum(len(s.text) for s in dev)
    per = "  ".join(f"{k} {v.f:.3f}" for k, v in sorted(scores.per_label.items()))
    t = scores.total
    print(f"{name}\n  F1 {t.f:.3f} (P {t.p:.3f} R {t.r:.3f})  {per}  {chars / cpu:,.0f} chars per CPU-second")


def _peak_kb(lines: Sequence[str]) -> int:
    """Peak resident memory of one ``kg ner`` process over ``lines``."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write("\n".join(lines) + "\n")
    try:
        cmd = [str(Path(sys.executable).parent / "kg"), "ner", f.name]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        if status != 0:
            raise SystemExit(f"kg ner exited with status {status}")
        return usage.ru_maxrss
    finally:
        os.unlink(f.name)


def _stream(dev: Sequence[train.Sentence], n: int) -> None:
    text = "".join(s.text for s in dev)
    long_lines = [text[i : i + 1800] for i in range(0, len(text) - 1800, 1800)]
    small = (long_lines * (n // max(1, len(long_lines)) + 1))[:n]
    big = small * 10
    a, b = _peak_kb(small), _peak_kb(big)
    print(f"kg ner peak memory: {n} lines of 1,800 chars {a / 1024:.0f} MB; {10 * n} lines {b / 1024:.0f} MB ({b / a - 1:+.0%})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, required=True, help="the folder holding msra/train.bio")
    ap.add_argument("--model", default=None, help="default: the shipped model")
    ap.add_argument("--limit", type=int, default=0, help="score only the first N dev sentences")
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--no-jiagu", action="store_true")
    ap.add_argument("--stream-lines", type=int, default=0)
    args = ap.parse_args()

    _, dev = train.load_corpora(args.corpora, seed=0)
    dev = dev[: args.limit] if args.limit else dev
    print(f"MSRA dev split: {len(dev)} sentences, {sum(len(s.text) for s in dev):,} chars")
    tag, name = _kg_tagger(args.model, args.batch_size)
    _run(name, tag, dev)
    other = None if args.no_jiagu else _jiagu_tagger()
    if other is not None:
        _run(other[1], other[0], dev)
    elif not args.no_jiagu:
        print("jiagu not installed (pip install 'kg[bench]'): no side-by-side figure")
    if args.stream_lines:
        _stream(dev, args.stream_lines)


if __name__ == "__main__":
    main()
