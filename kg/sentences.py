"""Sentence boundaries for Chinese news that keep a quote with its speaker.

``“……。”张树华说。`` is one sentence: a stop inside quotation marks does not
end it, so the quote and the attribution after it stay together and the
evidence of a commentedOn fact shows both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_STOPS = frozenset("。！？!?；;")
_OPEN = frozenset("“「『")
_CLOSE = frozenset("”」』")
_MARK = re.compile(f"[\n{re.escape(''.join(sorted(_STOPS | _OPEN | _CLOSE)))}]")
_MAX_QUOTE_DEPTH_CHARS = 600  # an unclosed quote cannot swallow a whole article


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split(text: str, skip: tuple[tuple[int, int], ...] = ()) -> Iterator[Sentence]:
    """Yield the sentences of ``text`` with their offsets, leaving out ``skip`` ranges."""
    start = 0
    depth = 0
    opened_at = 0
    n = len(text)
    pos = 0
    while (m := _MARK.search(text, pos)) is not None:  # only line breaks, quotes and stops matter
        i = m.start()
        ch = text[i]
        pos = i + 1
        if ch == "\n":
            yield from _emit(text, start, i, skip)
            start, depth = i + 1, 0
        elif ch in _OPEN:
            if depth == 0:
                opened_at = i
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 or i - opened_at > _MAX_QUOTE_DEPTH_CHARS:  # a stop
            j = i + 1
            while j < n and (text[j] in _STOPS or text[j] in "…"):
                j += 1
            # a closing quote right after a stop belongs to this sentence only
            # when nothing attributes it (the next char starts a new sentence)
            yield from _emit(text, start, j, skip)
            start, depth = j, 0
            pos = j
    yield from _emit(text, start, n, skip)


def _emit(text: str, start: int, end: int, skip: tuple[tuple[int, int], ...]) -> Iterator[Sentence]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start < 2:
        return
    for s, e in skip:
        if s <= start and end <= e:
            return
    yield Sentence(start, end, text[start:end])
