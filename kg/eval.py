"""Precision, recall and F1 of extracted facts against hand-made gold facts.

Matching follows ``docs/facts.md``: same document and predicate, and
subject and object each equal to a gold label or alias after
normalisation (simplified script, no quotes, brackets or spaces).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg.types import Fact

_STRIP = re.compile(r"[\s“”‘’「」『』\"'《》〈〉()（）\[\]【】]")


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def norm(label: str) -> str:
    return _STRIP.sub("", _t2s().convert(label))


@dataclass(frozen=True)
class GoldFact:
    doc: str
    subject: str
    predicate: str
    object: str
    aliases: frozenset[str]

    def matches(self, f: Fact) -> bool:
        if f.predicate != self.predicate or f.evidence.doc_id != self.doc:
            return False
        subjects = {norm(self.subject)} | {norm(a) for a in self.aliases}
        objects = {norm(self.object)} | {norm(a) for a in self.aliases}
        return norm(f.subject) in subjects and norm(f.object) in objects


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    by_predicate: dict[str, Score] = field(default_factory=dict)
    entities: Score = field(default_factory=Score)
    relations: Score = field(default_factory=Score)
    overall: Score = field(default_factory=Score)
    missed: list[GoldFact] = field(default_factory=list)
    spurious: list[Fact] = field(default_factory=list)

    def table(self) -> str:
        rows = [("", "P", "R", "F1", "tp", "fp", "fn")]
        named = [
            ("entities (type)", self.entities),
            ("relations", self.relations),
            ("overall", self.overall),
        ]
        for name, s in [*sorted(self.by_predicate.items()), *named]:
            rows.append(
                (
                    name,
                    f"{s.precision:.3f}",
                    f"{s.recall:.3f}",
                    f"{s.f1:.3f}",
                    str(s.tp),
                    str(s.fp),
                    str(s.fn),
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        return "\n".join(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
            for r in rows
        )


def load_gold(path: str | Path) -> list[GoldFact]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out.append(
                GoldFact(
                    d["doc"],
                    d["subject"],
                    d["predicate"],
                    d["object"],
                    frozenset(d.get("aliases") or ()),
                )
            )
    return out


def gold_inputs(inputs: Iterable[str | Path], gold: list[GoldFact]) -> list[Path]:
    """The inputs to extract for ``gold``: in a folder, only the files the gold names (when it names any there)."""
    docs = {g.doc for g in gold}
    out: list[Path] = []
    for given in map(Path, inputs):
        named = [given / d for d in sorted(docs) if given.is_dir() and (given / d).is_file()]
        out.extend(named or [given])
    return out


def score(facts: Iterable[Fact], gold: list[GoldFact]) -> Report:
    """Score predicted facts against gold, restricted to the documents the gold covers."""
    docs = {g.doc for g in gold}
    predicted = [f for f in facts if f.evidence.doc_id in docs]
    report = Report()
    matched_gold: set[int] = set()
    for f in predicted:
        hit = next((i for i, g in enumerate(gold) if i not in matched_gold and g.matches(f)), None)
        already = hit is None and any(g.matches(f) for g in gold)
        if already:
            continue  # a second surface of a gold fact already counted
        s = report.by_predicate.setdefault(f.predicate, Score())
        if hit is None:
            s.fp += 1
            report.spurious.append(f)
        else:
            matched_gold.add(hit)
            s.tp += 1
    for i, g in enumerate(gold):
        if i not in matched_gold:
            report.by_predicate.setdefault(g.predicate, Score()).fn += 1
            report.missed.append(g)
    for name, s in report.by_predicate.items():
        bucket = report.entities if name == "type" else report.relations
        for agg in (bucket, report.overall):
            agg.tp += s.tp
            agg.fp += s.fp
            agg.fn += s.fn
    return report
