"""Store benchmark: load, export and every named query, Oxigraph (on disk, in memory, over HTTP) vs rdflib in memory.

    nice taskset -c 1 python benchmarks/bench_store.py [--base out/graph.nq] [--triples 1000000]

Grows a graph to about ``--triples`` quads by replicating the seed graph
with fresh IRIs (every ``kgr:`` IRI and every label gets a copy number, so
copies are distinct entities, as in a real corpus of many articles), then
times, in one run: loading it, exporting it in each syntax, and each named
query in Oxigraph — the store on disk opened read-only as ``kg query`` opens
it, the in-memory copy ``kg serve --in-memory`` answers from, and that
server itself asked over HTTP as ``kg query --endpoint`` asks it — and in
rdflib's in-memory Dataset. Prints figures; asserts nothing. Without
``--base`` the seed articles are built first.

How a query is timed: ``kg.query.run_query`` as ``kg query`` calls it (bind
the parameters, run, read every row into Python terms; no formatting), run
``--repeat`` times in a row; the figure is the median of those runs, and the
first (cold) run is shown beside it. The summary is the median over the named
queries of those per-query medians. rdflib runs each query ``--rdflib-repeat``
times (default once), reading every row as well; a query past
``--rdflib-cap`` counts with the cap as its time, so its ratio is a lower
bound (shown with ≥); a query rdflib cannot run has no ratio.
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import statistics
import tempfile
import time
from pathlib import Path

from kg import query as q
from kg.endpoint import Endpoint
from kg.export import EXPORT_FORMATS, export
from kg.paths import DATA_DIR
from kg.serve import Limits, running
from kg.store import Store

PARAMS = {
    "entity": {"name": "人民网"},
    "evidence": {"subject": "人民网", "predicate": "hosted", "object": "2024网上群众工作大会"},
    "entities-by-type": {"type": "Platform"},
}
_IRI = re.compile(r"<https://w3id\.org/kg/id/")
_LABEL = re.compile(
    r'^(<[^>]*> <http://www\.w3\.org/(?:2000/01/rdf-schema#label|2004/02/skos/core#altLabel)> "(?:[^"\\]|\\.)*)"'
)


def base_lines(base: Path | None) -> list[str]:
    if base is None:
        from kg.pipeline import build

        out = Path(tempfile.mkdtemp(prefix="bench-seed-"))
        build([DATA_DIR / "seeds"], out)
        base = out / "graph.nq"
    return [line for line in base.read_text(encoding="utf-8").splitlines() if line.strip()]


def replicate(lines: list[str], target: int, path: Path) -> int:
    """Copies of the base graph with fresh IRIs and labels; copy 0 is the base itself."""
    copies = max(1, -(-target // len(lines)))
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for k in range(copies):
            for line in lines:
                if k:
                    line = _IRI.sub(f"<https://w3id.org/kg/id/c{k}/", line)
                    line = _LABEL.sub(lambda m, k=k: f'{m.group(1)} #{k}"', line)
                f.write(line + "\n")
                n += 1
    return n


class Timeout(Exception):
    pass


def _alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise Timeout


def timed(fn, repeat: int = 1, cap: float | None = None, runs: list[float] | None = None) -> tuple[float, object]:
    """Median seconds of ``repeat`` runs (inf when one run exceeds ``cap``) and the last result; ``runs`` gets every time."""
    times = [] if runs is None else runs
    result = None
    for _ in range(repeat):
        if cap:
            signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, cap)
        t = time.perf_counter()
        try:
            result = fn()
        except Timeout:
            return float("inf"), None
        finally:
            if cap:
                signal.setitimer(signal.ITIMER_REAL, 0)
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def time_queries(label: str, source: object, names: list[str], repeat: int) -> dict[str, float]:
    """Median seconds of each named query as ``kg query`` runs it, printed as they come."""
    times = {}
    print(f"\nnamed queries ({label}, median of {repeat} runs, every row fetched; first run)")
    for name in names:
        runs: list[float] = []
        t, result = timed(lambda name=name: q.run_query(source, name, PARAMS.get(name, {})), repeat, runs=runs)
        times[name] = t
        print(f"  {name:<18} {fmt_s(t):>10}  {len(result.rows):>7,} rows  (first {fmt_s(runs[0])})")
    slowest = max(times, key=times.__getitem__)
    print(f"  median over the {len(times)} queries: {fmt_s(statistics.median(times.values()))}, "
          f"slowest {slowest} {fmt_s(times[slowest])}")
    return times


def fmt_s(seconds: float) -> str:
    if seconds == float("inf"):
        return "timeout"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=Path, help="N-Quads of the base graph (default: build data/seeds)")
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5, help="runs per Oxigraph query")
    ap.add_argument("--rdflib-repeat", type=int, default=1, help="runs per rdflib query")
    ap.add_argument("--rdflib-cap", type=float, default=300.0, help="seconds after which an rdflib query is abandoned")
    ap.add_argument("--no-rdflib", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (graph, store, exports: about 1.7 GB)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-store-"))
    try:
        run(args, work)
    finally:
        if args.keep:
            print(f"\nkept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> None:
    lines = base_lines(args.base)
    nq = work / "graph.nq"
    n = replicate(lines, args.triples, nq)
    print(f"graph: {n:,} quads ({len(lines):,} base quads × {n // len(lines)} copies) in {nq}")

    store = Store.open(work / "store")
    t, _ = timed(lambda: store.bulk_load(nq))
    print(f"\nload   oxigraph  {fmt_s(t):>10}  {n / t:>12,.0f} quads/s")
    t, _ = timed(store.optimize)
    print(f"optimize (compaction, as a large build ends) {fmt_s(t)}")
    store.close()
    modes = {"on disk": Store.open(work / "store", read_only=True)}  # as kg query / export / serve open it
    t, modes["in memory"] = timed(lambda: Store.open(work / "store", in_memory=True))
    print(f"in-memory copy of the store (kg serve --in-memory start-up) {fmt_s(t)}")

    names = [nq_.name for nq_ in q.named_queries()]
    ox_times: dict[str, dict[str, float]] = {}
    for mode, s in modes.items():
        print(f"\nexport (oxigraph {mode})")
        for fmt in EXPORT_FORMATS:
            t, report = timed(lambda fmt=fmt, s=s: export(s, fmt, work / f"out.{fmt}"))
            print(f"  {fmt:<7} {fmt_s(t):>10}  {report.statements / t:>12,.0f} statements/s  ({report.statements:,})")
        ox_times[mode] = time_queries(f"oxigraph {mode}", s, names, args.repeat)
    t = time.perf_counter()
    with running(work / "store", Limits(timeout=600, max_rows=10**8, workers=1, in_memory=True)) as server:
        print(f"\nkg serve --in-memory start-up {fmt_s(time.perf_counter() - t)}")
        ox_times["over HTTP"] = time_queries("kg serve --in-memory, over HTTP with kg query --endpoint",
                                             Endpoint(server.url), names, args.repeat)

    if args.no_rdflib:
        return
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    t, _ = timed(lambda: ds.parse(nq, format="nquads"))
    print(f"\nload   rdflib    {fmt_s(t):>10}  {n / t:>12,.0f} quads/s")
    for fmt, name in (("nq", "nquads"), ("nt", "nt")):
        t, _ = timed(lambda name=name, fmt=fmt: ds.serialize(work / f"rdflib.{fmt}", format=name))
        print(f"export rdflib {fmt:<4} {fmt_s(t):>10}  {n / t:>12,.0f} quads/s")
    print(f"\nnamed queries (rdflib in memory, median of {args.rdflib_repeat}, cap {args.rdflib_cap:g} s)")
    ratios: dict[str, list[float]] = {mode: [] for mode in ox_times}
    for name in names:
        text, _, _ = q.bind(q.resolve(name).text, PARAMS.get(name, {}))

        def run(text=text):
            return list(ds.query(text))

        try:
            t, rows = timed(run, args.rdflib_repeat, args.rdflib_cap)
        except Exception as exc:  # rdflib's engine fails on some valid queries
            print(f"  {name:<18} rdflib error: {type(exc).__name__}: {str(exc)[:60]}")
            continue
        shown = "—" if rows is None else f"{len(rows):,}"
        capped = t == float("inf")
        faster = []
        for mode, times in ox_times.items():
            ratio = (args.rdflib_cap if capped else t) / max(times[name], 1e-9)
            ratios[mode].append(ratio)
            faster.append(f"{mode} {'≥' if capped else ''}{ratio:,.0f}×")
        print(f"  {name:<18} {fmt_s(t):>10}  {shown:>7} rows  oxigraph faster: {', '.join(faster)}")
    for mode, rs in ratios.items():
        print(f"  median speed-up over the {len(rs)} queries rdflib ran, oxigraph {mode}: "
              f"{statistics.median(rs):,.1f}× (lowest {min(rs):,.1f}×)")

if __name__ == "__main__":
    main()
