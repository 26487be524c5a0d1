"""A seeded random sample of relation facts, for judging precision by hand (prints JSON lines).

    kg extract --relations-only INPUTS > facts.jsonl
    python benchmarks/sample_facts.py facts.jsonl --n 100 --seed 20261205 > sample.jsonl

Each line of the sample is a fact of ``kg extract`` (without the ``type``
facts) numbered ``n`` in sample order, with its rule and evidence sentence.
The judged samples in data/gold/precision-*.jsonl were drawn this way.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("facts", type=Path, help="JSON lines of kg extract")
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=20261205)
    args = ap.parse_args()
    with args.facts.open(encoding="utf-8") as handle:
        facts = [f for f in map(json.loads, handle) if f["predicate"] != "type"]
    picked = random.Random(args.seed).sample(facts, min(args.n, len(facts)))
    for n, fact in enumerate(picked, start=1):
        sys.stdout.write(json.dumps({"n": n, **fact}, ensure_ascii=False) + "\n")
    print(f"{len(picked)} of {len(facts)} relation facts", file=sys.stderr)


if __name__ == "__main__":
    main()
