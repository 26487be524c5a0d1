"""The rules that are not frames, registered with the rule ids their facts carry.

:mod:`kg.extraction.rules` and :mod:`kg.extraction.speech` register their
functions here; the extractor runs every registered rule, and a test checks
that every rule id a fact carries is declared here or in ``frames.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kg.extraction.context import DocContext
from kg.extraction.frames import FrameSet
from kg.extraction.matcher import Relation, Said
from kg.extraction.view import View

SpecialRule = Callable[[View, DocContext, FrameSet], Iterator[Relation | Said]]

#: rule function → the ids its facts carry
REGISTRY: dict[SpecialRule, tuple[str, ...]] = {}


def special(*ids: str) -> Callable[[SpecialRule], SpecialRule]:
    def register(fn: SpecialRule) -> SpecialRule:
        REGISTRY[fn] = ids
        return fn

    return register


def declared_ids() -> frozenset[str]:
    """Every rule id a registered rule may put in a fact's evidence."""
    return frozenset(i for ids in REGISTRY.values() for i in ids)
