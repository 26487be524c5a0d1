"""The relation frames of ``frames.yaml`` as validated, typed data.

A misspelt key, predicate, entity type, shape, fallback or word list is an
error naming the frame, raised when the file is read, never a rule that
silently matches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import yaml

from kg.types import PREDICATES, EntityType

FRAMES_FILE = Path(__file__).with_name("frames.yaml")

SHAPES = ("active", "attributive", "passive", "concerning", "roster", "relative", "delegates")
FALLBACKS = ("meeting", "anaphor", "copula")
_SLOT_KEYS = {"types", "within", "cross_comma", "fallback", "chain", "not_before"}
_GUARD_KEYS = {"not_followed_by", "subject_not_after"}
_FRAME_KEYS = {"id", "predicate", "shape", "triggers", "subject", "object", "guards", "confidence"}
WORD_LISTS = ("speech", "introduce", "evaluate", "address", "letters", "convene", "roles", "meeting_nouns", "titles_after_name", "attend_at", "session_bodies", "session_roles", "occupational_titles", "generic_bodies", "ceremonies", "reporting")


class FrameError(ValueError):
    """``frames.yaml`` does not say what a frame needs, or says something unknown."""


@dataclass(frozen=True)
class Slot:
    types: tuple[EntityType, ...]
    within: int = 40
    cross_comma: bool = False
    fallback: str | None = None
    chain: bool = False  # the last of a run of adjacent mentions: 位于浙江省杭州市 → 杭州市
    not_before: tuple[str, ...] = ()  # the object is no argument when these follow it (位于A与B之间)


@dataclass(frozen=True)
class Guards:
    not_followed_by: tuple[str, ...] = ()
    subject_not_after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Frame:
    id: str
    predicate: str
    shape: str
    triggers: tuple[str, ...]
    subject: Slot
    object: Slot
    guards: Guards
    confidence: float


@dataclass(frozen=True)
class FrameSet:
    frames: tuple[Frame, ...]
    words: dict[str, tuple[str, ...]]

    def word(self, name: str) -> tuple[str, ...]:
        return self.words[name]

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(f.id for f in self.frames)

    @cached_property
    def hosting(self) -> FrameSet:
        """The hosted and guided frames alone: the first pass that finds an article's meeting."""
        return FrameSet(tuple(f for f in self.frames if f.predicate in ("hosted", "guided")), self.words)


def _unknown(where: str, given: dict, known: set[str]) -> None:
    extra = sorted(set(given) - known)
    if extra:
        raise FrameError(f"{where}: unknown key(s) {', '.join(extra)} (known: {', '.join(sorted(known))})")


def _slot(where: str, raw: dict) -> Slot:
    _unknown(where, raw, _SLOT_KEYS)
    try:
        types = tuple(EntityType(t) for t in raw["types"])
    except (KeyError, ValueError) as e:
        raise FrameError(f"{where}: types must list entity classes ({e})") from None
    fallback = raw.get("fallback")
    if fallback is not None and fallback not in FALLBACKS:
        raise FrameError(f"{where}: unknown fallback {fallback!r} (known: {', '.join(FALLBACKS)})")
    return Slot(
        types,
        int(raw.get("within", 40)),
        bool(raw.get("cross_comma", False)),
        fallback,
        bool(raw.get("chain", False)),
        tuple(str(w) for w in raw.get("not_before", ())),
    )


def _frame(raw: dict) -> Frame:
    where = f"frame {raw.get('id', '?')}"
    _unknown(where, raw, _FRAME_KEYS)
    missing = sorted({"id", "predicate", "shape", "triggers", "subject", "object", "confidence"} - set(raw))
    if missing:
        raise FrameError(f"{where}: missing {', '.join(missing)}")
    if raw["predicate"] not in PREDICATES:
        raise FrameError(f"{where}: unknown predicate {raw['predicate']!r}")
    if raw["shape"] not in SHAPES:
        raise FrameError(f"{where}: unknown shape {raw['shape']!r} (known: {', '.join(SHAPES)})")
    guards = raw.get("guards", {})
    _unknown(f"{where} guards", guards, _GUARD_KEYS)
    return Frame(
        id=raw["id"],
        predicate=raw["predicate"],
        shape=raw["shape"],
        triggers=tuple(raw["triggers"]),
        subject=_slot(f"{where} subject", raw["subject"]),
        object=_slot(f"{where} object", raw["object"]),
        guards=Guards(**{k: tuple(v) for k, v in guards.items()}),
        confidence=float(raw["confidence"]),
    )


def parse(data: dict) -> FrameSet:
    """A validated frame set from the parsed YAML document."""
    _unknown("frames.yaml", data, {"words", "frames"})
    words = {k: tuple(v) for k, v in data.get("words", {}).items()}
    _unknown("frames.yaml words", words, set(WORD_LISTS))
    absent = [w for w in WORD_LISTS if w not in words]
    if absent:
        raise FrameError(f"frames.yaml words: missing {', '.join(absent)}")
    frames = tuple(_frame(f) for f in data.get("frames", []))
    ids = [f.id for f in frames]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise FrameError(f"frames.yaml: duplicate frame id(s) {', '.join(dupes)}")
    return FrameSet(frames, words)


@cache
def load(path: Path = FRAMES_FILE) -> FrameSet:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise FrameError(f"{path}: {e}") from None
    return parse(data)
