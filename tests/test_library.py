"""The library is usable on its own, as from a notebook: ``kg.extract`` and ``kg.build``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import SEEDS

import kg
from kg.types import Fact


def test_import_kg_stays_cheap() -> None:
    code = "import sys, kg; print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'rdflib', 'pyoxigraph'))))"
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_extract_yields_facts_in_the_spec_form(tmp_path: Path) -> None:
    article = next(p for p in sorted(SEEDS.iterdir()) if p.name.startswith("003"))
    facts = list(kg.extract([article], model="baseline"))
    assert facts and all(isinstance(f, Fact) for f in facts)
    hosted = {(f.subject, f.object) for f in facts if f.predicate == "hosted"}
    assert ("人民网", "2024网上群众工作大会") in hosted
    record = facts[0].to_json()
    assert set(record) >= {"doc", "subject", "subject_type", "predicate", "object", "object_type", "sentence", "start", "end", "rule", "confidence"}
    json.dumps(record, ensure_ascii=False)


def test_build_writes_the_graph_and_reports(tmp_path: Path) -> None:
    article = next(p for p in sorted(SEEDS.iterdir()) if p.name.startswith("003"))
    report = kg.build([article], tmp_path / "out", model="baseline")
    assert report.ok and report.documents == 1 and report.facts > 0
    for name in ("graph.ttl", "graph.trig", "graph.nq", "facts.jsonl"):
        assert (tmp_path / "out" / name).stat().st_size > 0, name
    assert kg.pipeline.build is kg.build
