"""Every fact of the seed graph carries a sentence that its offsets cut out
of the normalised text and that maps back to the raw text."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import opencc
import pytest

from kg.pipeline import process
from kg.types import DocumentResult

SEEDS = Path(__file__).resolve().parent.parent / "data" / "seeds"
_NOISE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)|\s")
_WIDTH = str.maketrans(",;:!?()", "，；：！？（）")
_t2s = opencc.OpenCC("t2s")


def _comparable(text: str) -> str:
    return _NOISE.sub("", _t2s.convert(unicodedata.normalize("NFKC", text))).translate(_WIDTH)


@pytest.fixture(scope="module")
def seed_results() -> list[DocumentResult]:
    return list(process([SEEDS]))


def test_seed_graph_has_relations(seed_results):
    assert sum(1 for r in seed_results for f in r.facts if f.predicate != "type") > 100


def test_every_evidence_slices_its_sentence_and_maps_to_raw(seed_results):
    checked = 0
    for result in seed_results:
        doc = result.document
        for fact in result.facts:
            ev = fact.evidence
            assert doc.text[ev.start : ev.end] == ev.sentence, fact
            raw_start, raw_end = doc.raw_span(ev.start, ev.end)
            assert 0 <= raw_start < raw_end <= len(doc.raw_text)
            assert _comparable(doc.raw_text[raw_start:raw_end]) == _comparable(ev.sentence), fact
            checked += 1
    assert checked == sum(len(r.facts) for r in seed_results)


def test_relations_name_both_ends_in_their_sentence(seed_results):
    """A relation's subject or an alias of it appears in the evidence, unless an anaphor stands for it."""
    for result in seed_results:
        aliases = {e.label: {e.label, *e.aliases} for e in result.entities}
        for fact in result.facts:
            if (
                fact.predicate in ("type", "startDate", "holdsPosition")
                or "anaphor" in fact.evidence.rule
            ):
                continue
            if fact.evidence.rule.startswith(("participatedIn.speaker", "organized")):
                continue
            names = aliases.get(fact.subject, {fact.subject})
            assert any(n in fact.evidence.sentence for n in names), fact
