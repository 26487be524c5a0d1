"""How quickly `kg serve` answers quick queries while endless ones run, and what checking a query costs.

    python benchmarks/bench_serve.py [--endless 2] [--cheap 20] [--timeout 6]

Builds a store of 300 generated quads, starts the server on loopback with
the default workers and ``--long-after``, sends ``--endless`` queries that
would run for minutes (four unconnected patterns, 8·10⁹ rows) and, once they
are long, ``--cheap`` quick queries one after another. Prints the quick
queries' latency (median, worst), what the endless ones got and after how
long, then the time the read-only check (rdflib's parse) takes for each of
kg's named queries and for one of 2,000 triple patterns. Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

from kg import query as q
from kg.readonly import refusal
from kg.serve import Limits, running
from kg.store import Store

ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def get(url: str, query: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"{url}?query={urllib.parse.quote(query)}", timeout=600) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def small_store(path: Path) -> None:
    store = Store.open(path)
    store.add(
        ox.Quad(ox.NamedNode(f"http://example.org/s{i % 50}"), ox.NamedNode(f"http://example.org/p{i % 7}"),
                ox.Literal(f"value {i}"), ox.NamedNode(f"http://example.org/g{i % 3}"))
        for i in range(300)
    )
    store.close()


def under_load(args: argparse.Namespace, path: Path) -> None:
    limits = Limits(timeout=args.timeout, long_after=args.long_after)
    with running(path, limits) as server:
        print(f"workers {limits.workers}, long queries at once {limits.long_queries}, "
              f"long after {limits.long_after:g} s, timeout {limits.timeout:g} s")
        results: list[str] = []

        def endless() -> None:
            t0 = time.monotonic()
            status, body = get(server.url, ENDLESS)
            results.append(f"{status} after {time.monotonic() - t0:.1f} s: {body.decode().strip()}")

        threads = [threading.Thread(target=endless) for _ in range(args.endless)]
        for t in threads:
            t.start()
        time.sleep(limits.long_after + 0.5)
        took = []
        for i in range(args.cheap):
            t0 = time.monotonic()
            status, _ = get(server.url, "ASK {}" if i % 2 else "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
            took.append(time.monotonic() - t0)
            if status != 200:
                print(f"  quick query {i}: status {status}")
        print(f"quick queries while {args.endless} endless run: median {statistics.median(took) * 1000:.0f} ms, "
              f"worst {max(took) * 1000:.0f} ms over {len(took)}")
        for t in threads:
            t.join()
        for line in results:
            print(f"  endless query: {line}")


def check_cost() -> None:
    for named in q.named_queries():
        t0 = time.perf_counter()
        refusal(named.text)
        print(f"check {named.name:<22} {(time.perf_counter() - t0) * 1000:6.1f} ms")
    many = "SELECT * WHERE { " + " ".join(f"?s{i} <urn:p> {i} ." for i in range(2000)) + " }"
    t0 = time.perf_counter()
    refusal(many)
    print(f"check 2,000 patterns ({len(many) // 1000} kB) {(time.perf_counter() - t0) * 1000:6.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endless", type=int, default=2)
    parser.add_argument("--cheap", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=6.0)
    parser.add_argument("--long-after", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small_store(Path(tmp) / "store")
        under_load(args, Path(tmp) / "store")
    check_cost()


if __name__ == "__main__":
    main()
