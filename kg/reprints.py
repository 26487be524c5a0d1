"""Reprints: versions of one article, and the facts on which they disagree.

Documents are compared by the overlap of their character 5-gram shingles,
with a bottom-k sketch to find candidate pairs without comparing every
pair. Identical facts of reprints need no work here: they share IRIs, so
the graph holds one triple with evidence from both documents. Facts that
come from the same sentence but name different subjects (one quote given
to 强舸 in one version and to 靳珂 in the other) are reported as conflicts.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from difflib import SequenceMatcher
from itertools import combinations

from kg.types import Conflict, DocumentResult, Fact, ReprintLink

SHINGLE = 5
SKETCH = 128
THRESHOLD = 0.5  # containment of the shorter document's shingles
_NOISE = re.compile(r"[\s，。、；：,.;:!?！？“”‘’\"'()（）《》—…·|]")


#: Texts shorter than this are not compared: two short messages built from
#: one form letter share most of their shingles without one being a version
#: of the other, and comparing millions of them would be quadratic.
MIN_CHARS = 200


def shingles(text: str) -> set[int]:
    clean = _NOISE.sub("", text)
    return {
        int.from_bytes(
            hashlib.blake2b(clean[i : i + SHINGLE].encode(), digest_size=8).digest(), "big"
        )
        for i in range(max(0, len(clean) - SHINGLE + 1))
    }


def sketch(text: str) -> tuple[int, ...]:
    """The bottom-k shingle hashes a document is indexed by (none for short texts)."""
    if len(text) < MIN_CHARS:
        return ()
    return tuple(sorted(shingles(text))[:SKETCH])


def compare(doc_a: str, doc_b: str, sa: set[int], sb: Collection[int]) -> ReprintLink | None:
    """A link when the shorter document's shingles are mostly in the other (``sb`` holds each once)."""
    if not sa or not sb:
        return None
    containment = len(sa.intersection(sb)) / min(len(sa), len(sb))
    return ReprintLink(doc_a, doc_b, round(containment, 3)) if containment >= THRESHOLD else None


def find_reprints(results: Sequence[DocumentResult]) -> list[ReprintLink]:
    """Pairs of documents whose texts largely overlap, deterministic in order."""
    texts = {r.document.doc_id: r.document.text for r in results}
    index: dict[int, list[str]] = defaultdict(list)
    for doc_id, text in sorted(texts.items()):
        for h in sketch(text):
            index[h].append(doc_id)
    candidates: set[tuple[str, str]] = set()
    for ids in index.values():
        if len(ids) < 50:
            candidates.update(combinations(sorted(ids), 2))
    cache: dict[str, set[int]] = {}
    links = []
    for a, b in sorted(candidates):
        for d in (a, b):
            if d not in cache:
                cache[d] = shingles(texts[d])
        if link := compare(a, b, cache[a], cache[b]):
            links.append(link)
    return links


_ROLE_PREDICATES = ("commentedOn", "holdsPosition", "affiliatedWith", "participatedIn")


def _frame(f: Fact) -> str:
    return _NOISE.sub("", f.evidence.sentence.replace(f.subject, "\0"))


def find_conflicts(
    results: Sequence[DocumentResult], links: Sequence[ReprintLink]
) -> list[Conflict]:
    """Facts of reprints read from the same sentence that give it different subjects."""
    by_id = {r.document.doc_id: r for r in results}
    conflicts: list[Conflict] = []
    for link in links:
        facts_a = [f for f in by_id[link.doc_a].facts if f.predicate in _ROLE_PREDICATES]
        facts_b = [f for f in by_id[link.doc_b].facts if f.predicate in _ROLE_PREDICATES]
        b_keys = {(f.subject, f.predicate, f.object) for f in facts_b}
        grouped: dict[tuple[str, str], list[Fact]] = {}
        for fa in facts_a:
            if fa.key in b_keys:
                continue
            for fb in facts_b:
                if (
                    fb.predicate != fa.predicate
                    or fb.object != fa.object
                    or fb.subject == fa.subject
                ):
                    continue
                if fb.subject_type != fa.subject_type:
                    continue
                if SequenceMatcher(None, _frame(fa), _frame(fb)).ratio() < 0.85:
                    continue
                pair = grouped.setdefault((fa.subject, fb.subject), [])
                pair.extend(f for f in (fa, fb) if f not in pair)
        for (subject_a, subject_b), facts in grouped.items():
            kind = "speaker" if any(f.predicate == "commentedOn" for f in facts) else "holder"
            what = "、".join(sorted({f"{f.predicate} {f.object}" for f in facts}))
            conflicts.append(
                Conflict(
                    link.doc_a,
                    link.doc_b,
                    kind,
                    tuple(facts),
                    f"{link.doc_a} 作 {subject_a}，{link.doc_b} 作 {subject_b}：{what}",
                )
            )
    return conflicts
