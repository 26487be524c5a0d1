"""Peak memory and time of ``kg build`` on big and hostile inputs.

Each case is an input folder holding the case's files beside three good
articles (the last three of the pool, as .txt files), built with the CLI
in a fresh process (``kg build FOLDER --out OUT``, default batch and jobs):

* ``pool300`` / ``pool3000``: the first 300 / 3,000 articles of the pool as one JSONL file;
* ``line10mb``: a JSONL file whose one record is a 10 MB line;
* ``text50mb``: a 50 MB text file (the pool's sentences repeated);
* ``tiny100k``: 100,000 files of one short sentence each.

Printed per case: the exit status, wall time, the peak RSS of the build
process and of its largest child (``wait4``), the peak of the whole
process tree's summed RSS (/proc, polled every 0.2 s), whether the three
good articles are in the manifest, and the build's last message line.
Inputs are written to a temporary folder, removed at the end.

    python benchmarks/bench_memory.py                       # every case
    python benchmarks/bench_memory.py --cases pool300 line10mb
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POOL = Path("/work/shared/devcorpus/pool.jsonl")
GOOD = ("good-1.txt", "good-2.txt", "good-3.txt")


def pool_records(pool: Path) -> list[dict]:
    with pool.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def sentences(records: list[dict], n: int = 2000) -> list[str]:
    """Real sentences of the pool (each ending in 。), to repeat into big files."""
    out: list[str] = []
    for rec in records:
        out += [s + "。" for s in rec["text"].replace("\n", "").split("。") if 10 <= len(s) <= 120]
        if len(out) >= n:
            break
    return out


def repeated(parts: list[str], size: int) -> str:
    """About ``size`` UTF-8 bytes of the sentences, cycled, a paragraph every ten."""
    pieces, total, i = [], 0, 0
    while total < size:
        s = parts[i % len(parts)] + ("\n" if i % 10 == 9 else "")
        pieces.append(s)
        total += len(s.encode())
        i += 1
    return "".join(pieces)


def write_pool_subset(folder: Path, records: list[dict], n: int) -> None:
    with (folder / f"pool{n}.jsonl").open("w", encoding="utf-8") as f:
        for rec in records[:n]:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


def write_long_line(folder: Path, records: list[dict]) -> None:
    text = repeated(sentences(records), 10 * 1024 * 1024).replace("\n", "")
    (folder / "line10mb.jsonl").write_text(json.dumps({"id": "huge", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")


def write_big_text(folder: Path, records: list[dict]) -> None:
    (folder / "text50mb.txt").write_text(repeated(sentences(records), 50 * 1024 * 1024), encoding="utf-8")


def write_tiny(folder: Path, records: list[dict]) -> None:
    parts = sentences(records, 5000)
    tiny = folder / "tiny"
    for i in range(100_000):
        sub = tiny / f"{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True)
        (sub / f"t{i:06d}.txt").write_text(f"第{i}号：{parts[i % len(parts)]}", encoding="utf-8")


CASES: dict[str, Callable[[Path, list[dict]], None]] = {
    "pool300": lambda d, r: write_pool_subset(d, r, 300),
    "pool3000": lambda d, r: write_pool_subset(d, r, 3000),
    "line10mb": write_long_line,
    "text50mb": write_big_text,
    "tiny100k": write_tiny,
}


def tree_rss(pid: int) -> int:
    """Summed RSS in bytes of ``pid`` and its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


def run_build(folder: Path, out: Path) -> dict:
    kg = Path(sys.executable).with_name("kg")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    proc = subprocess.Popen([str(kg), "build", str(folder), "--out", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, text=True)
    peak = [0]
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(proc.pid))
            done.wait(0.2)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    stdout, stderr = proc.communicate()
    done.set()
    poller.join()
    # communicate() reaped the child; its rusage (with its own reaped children) is in RUSAGE_CHILDREN,
    # which for a fresh bench process per case is this build's
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"rc": proc.returncode, "seconds": time.monotonic() - start, "max_rss_mb": usage.ru_maxrss / 1024,
            "tree_peak_mb": peak[0] / 2**20, "stdout": stdout.strip(), "stderr": stderr.strip()}


def good_built(out: Path) -> bool:
    try:
        db = sqlite3.connect(out / "manifest.sqlite")
        ids = {r[0] for r in db.execute("SELECT doc_id FROM docs")}
    except sqlite3.Error:
        return False
    return set(GOOD) <= ids


def one_case(name: str, pool: Path, work: Path) -> dict:
    records = pool_records(pool)
    folder = work / name / "input"
    folder.mkdir(parents=True)
    for fname, rec in zip(GOOD, records[-3:], strict=True):
        (folder / fname).write_text(rec["text"], encoding="utf-8")
    CASES[name](folder, records)
    del records
    result = run_build(folder, work / name / "out")
    result["good_built"] = good_built(work / name / "out")
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    ap.add_argument("--pool", type=Path, default=POOL)
    ap.add_argument("--case-only", help=argparse.SUPPRESS)  # run one case in this process (see below)
    ap.add_argument("--work", type=Path, default=None, help="folder for inputs and outputs (default: a temporary one)")
    args = ap.parse_args()
    if args.case_only:
        print(json.dumps(one_case(args.case_only, args.pool, args.work)))
        return
    work = Path(tempfile.mkdtemp(prefix="kg-bench-memory-", dir=args.work))
    print(f"{'case':10} {'exit':>4} {'seconds':>8} {'max RSS MB':>10} {'tree MB':>8}  good  message")
    try:
        for name in args.cases:
            # a fresh process per case, so RUSAGE_CHILDREN holds this case's build only
            line = subprocess.run([sys.executable, __file__, "--case-only", name, "--pool", str(args.pool),
                                   "--work", str(work)], capture_output=True, text=True, check=True).stdout
            r = json.loads(line.strip().splitlines()[-1])
            summary = (r["stdout"].splitlines() or r["stderr"].splitlines() or [""])[-1]
            print(f"{name:10} {r['rc']:>4} {r['seconds']:>8.1f} {r['max_rss_mb']:>10.0f} {r['tree_peak_mb']:>8.0f}  "
                  f"{'yes' if r['good_built'] else 'NO':>4}  {summary[:160]}", flush=True)
            for err in [line for line in r["stderr"].splitlines() if line.startswith(("error", "Error"))][:2]:
                print(f"{'':50}{err[:160]}", flush=True)
            shutil.rmtree(work / name, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
