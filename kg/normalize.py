"""Normalise a raw article: simplified script, no pronunciation noise, joined lines.

Every stage is a rewrite that also records, for each output character, the
index of the input character it came from; composing those maps gives
``Document.offsets``, so any span of the normalised text maps back to the
raw text exactly. Stages work with regexes and per-line (not per-character)
Python so that normalising runs well above 1 MB/s.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import lru_cache

from kg.types import Document, RawDocument

# CJK ideographs (basic, extension A, compatibility, supplementary planes) and 〇.
CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_RE = re.compile(f"[{CJK}]")

#: Characters after which a sentence (or a list introduction) is over.
SENTENCE_END = "。！？!?；;…：:"
#: Closing quotes that may follow the end of a sentence.
CLOSE_QUOTES = "”’」』\"'"
_HSPACE = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"

# Line ends of every kind become "\n"; invisible characters go.
_CONTROL_RE = re.compile("\r\n?|[\u2028\u2029\x85\x0b\x0c]|[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
# Inline pinyin right after an ideograph: 聯(lián), 數(shù), 互聯(lian2).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_NOISE_RE = re.compile(
    f"[(（](?<=[{CJK}][(（])(?:(?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}|[a-zü]{{1,6}}[1-5])[)）]"
)
_HSPACE_RE = re.compile(f"[{_HSPACE}]+")
_NEWLINES_RE = re.compile("\n+")
_SPACE_IN_RE = re.compile(f"[{_HSPACE}]")
_CLAUSE_RE = re.compile(f"(?<=[，。！？；：、,!?;:{_HSPACE}])")
# ASCII punctuation touching Chinese text takes its Chinese full-width form.
_NEAR_CJK = f"{CJK}“”‘’「」『』（）《》【】"
_NEAR_CJK_RE = re.compile(f"[{_NEAR_CJK}]")
_ASCII_PUNCT_RE = re.compile("[,;:?!]")
_ASCII_PARENS_RE = re.compile(f"\\(([^()\\n]*[{CJK}][^()\\n]*)\\)")
_PUNCT_WIDE = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_WIDTH_MAP = (
    {
        **{chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)},  # ０-９
        **{chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)},  # Ａ-Ｚ
        **{chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)},  # ａ-ｚ
        "﹐": "，",
        "﹑": "、",
        "﹔": "；",
        "﹕": "：",
        "﹖": "？",
        "﹗": "！",
        # Corner brackets (traditional-script quotes) become the mainland marks.
        "「": "“",
        "」": "”",
        "『": "‘",
        "』": "’",
    }
)
_WIDTH_RE = re.compile("[" + "".join(_WIDTH_MAP) + "]")

Index = list[int]


def normalize(raw: RawDocument) -> Document:
    """The normalised ``Document`` of ``raw``, with offsets, metadata and furniture."""
    from kg.metadata import read_meta

    text, offsets = normalize_text(raw.raw_text)
    meta, furniture = read_meta(raw, text)
    return Document(
        doc_id=raw.doc_id,
        source=raw.source,
        raw_text=raw.raw_text,
        text=text,
        offsets=tuple(offsets),
        meta=meta,
        content_hash=hashlib.sha256(raw.raw_text.encode("utf-8")).hexdigest(),
        furniture=furniture,
    )


def normalize_text(raw: str) -> tuple[str, Index]:
    """Normalised text and its offset map (``len(text) + 1`` entries, the last ``len(raw)``)."""
    offsets: Index | None = None
    text = raw
    for stage in (_controls, _noise, _spaces, _lines, _width, _simplify):
        text, index = stage(text)
        if index is not None:
            offsets = index if offsets is None else list(map(offsets.__getitem__, index))
    if offsets is None:
        offsets = list(range(len(text)))
    offsets.append(len(raw))
    return text, offsets


def rewrite(text: str, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> tuple[str, Index | None]:
    """``pattern.sub(repl, text)`` plus the source index of every output character.

    A replacement of the same length maps position by position; a shorter or
    longer one maps each of its characters into the matched span. ``None``
    means nothing changed.
    """
    parts: list[str] = []
    index: Index = []
    pos = 0
    for m in pattern.finditer(text):
        start, end = m.span()
        new = repl(m)
        if new == m.group():
            continue
        parts.append(text[pos:start])
        index.extend(range(pos, start))
        parts.append(new)
        if len(new) == end - start:
            index.extend(range(start, end))
        else:
            last = max(end - 1, start)
            index.extend(min(start + k, last) for k in range(len(new)))
        pos = end
    if not parts:
        return text, None
    parts.append(text[pos:])
    index.extend(range(pos, len(text)))
    return "".join(parts), index


def _controls(text: str) -> tuple[str, Index | None]:
    return rewrite(text, _CONTROL_RE, lambda m: "\n" if m.group()[0] in "\r\u2028\u2029\x85\x0b\x0c" else "")


def _noise(text: str) -> tuple[str, Index | None]:
    return rewrite(text, _NOISE_RE, lambda m: "")


def _spaces(text: str) -> tuple[str, Index | None]:
    """Trim lines; a run of ideographic spaces inside a line is a paragraph indent."""
    n = len(text)

    def repl(m: re.Match[str]) -> str:
        start, end = m.span()
        if (start == 0 or text[start - 1] == "\n") or (end == n or text[end] == "\n"):
            return ""
        if m.group().count("\u3000") >= 2:
            return "\n"
        return " "

    return rewrite(text, _HSPACE_RE, repl)


def _lines(text: str) -> tuple[str, Index | None]:
    """Join lines broken inside a sentence; every other break becomes one "\\n".

    A document whose paragraphs are separated by blank lines treats a single
    line break as a hard wrap (joined unless the line ends a sentence). A
    paragraph break is joined only when the paragraph is plainly cut off: it
    holds a finished sentence or ends in a comma, and the next one starts
    with an ideograph (``各领\\n\\n域``); headlines and captions stay apart.
    """
    runs = [len(m.group()) for m in _NEWLINES_RE.finditer(text.strip("\n"))]
    multi = sum(r > 1 for r in runs)
    blank_style = multi > 0 and multi >= len(runs) - multi
    n = len(text)

    def repl(m: re.Match[str]) -> str:
        start, end = m.span()
        if start == 0 or end == n:
            return ""
        line = text[text.rfind("\n", 0, start) + 1 : start]
        nxt = text[end]
        wrap = blank_style and end - start == 1
        if _continues(line, nxt, wrap):
            return " " if line[-1].isascii() and line[-1].isalnum() and nxt.isascii() and nxt.isalnum() else ""
        return "\n"

    return rewrite(text, _NEWLINES_RE, repl)


def _continues(line: str, nxt: str, wrap: bool) -> bool:
    """Whether the sentence at the end of ``line`` goes on in the next line."""
    body = line.rstrip(CLOSE_QUOTES)
    if not body or body[-1] in SENTENCE_END:
        return False
    if wrap:
        return True
    last = line[-1]
    if not (_CJK_RE.match(nxt) and (_CJK_RE.match(last) or last in "，,、" or last in CLOSE_QUOTES)):
        return False
    if last in "，,、":
        return True
    # A finished sentence earlier in the paragraph, and an unfinished tail
    # without spaces (a spaced tail is a credit: 新华社记者 周牧 摄).
    cut = max(line.rfind(c) for c in "。！？；;!?")
    return cut >= 0 and not _SPACE_IN_RE.search(line, cut)


def _width(text: str) -> tuple[str, Index | None]:
    """Full-width letters and digits to ASCII; ASCII punctuation inside Chinese to full
    width; corner-bracket quotes to “”/‘’ so one set of quote rules serves both scripts."""
    text = _WIDTH_RE.sub(lambda m: _WIDTH_MAP[m.group()], text)
    n = len(text)

    def punct(m: re.Match[str]) -> str:
        i = m.start()
        near = (i > 0 and _NEAR_CJK_RE.match(text, i - 1)) or (i + 1 < n and _NEAR_CJK_RE.match(text, i + 1))
        return _PUNCT_WIDE[m.group()] if near else m.group()

    text = _ASCII_PUNCT_RE.sub(punct, text)
    text = _ASCII_PARENS_RE.sub(lambda m: f"（{m.group(1)}）", text)
    return text, None  # every change keeps the length


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def _simplify(text: str) -> tuple[str, Index | None]:
    return convert_mapped(text, _converter())


def convert_mapped(text: str, cc) -> tuple[str, Index | None]:
    """``cc.convert(text)`` (an OpenCC converter) with its index map.

    OpenCC's t2s tables map one character to one, but phrase tables of other
    configurations (``tw2sp``: 記憶體 → 内存) change length; the map then
    comes from splitting the text where conversion is context-free.
    """
    out = cc.convert(text)
    if len(out) == len(text):
        return out, None
    parts: list[str] = []
    index: Index = []
    pos = 0
    for line in text.split("\n"):
        conv = cc.convert(line)
        if len(conv) == len(line):
            parts.append(conv)
            index.extend(range(pos, pos + len(line)))
        else:
            _align_line(cc, line, pos, conv, parts, index)
        parts.append("\n")
        index.append(pos + len(line))
        pos += len(line) + 1
    parts.pop()
    index.pop()
    return "".join(parts), index


def _align_line(cc, line: str, base: int, conv: str, parts: list[str], index: Index) -> None:
    """Phrases do not cross punctuation: align clause by clause where that reproduces ``conv``."""
    clauses = [c for c in _CLAUSE_RE.split(line) if c]
    convs = [cc.convert(c) for c in clauses]
    if "".join(convs) != conv:
        _align(cc, line, base, conv, parts, index)
        return
    for clause, out in zip(clauses, convs, strict=True):
        _align(cc, clause, base, out, parts, index)
        base += len(clause)


def _align(cc, seg: str, base: int, conv: str, parts: list[str], index: Index) -> None:
    """Map a converted segment whose length changed, splitting it where conversion allows."""
    if len(conv) == len(seg):
        parts.append(conv)
        index.extend(range(base, base + len(seg)))
        return
    if len(seg) > 16:
        mid = len(seg) // 2
        for cut in sorted(range(mid - 6, mid + 7), key=lambda c: abs(c - mid)):
            left, right = cc.convert(seg[:cut]), cc.convert(seg[cut:])
            if left + right == conv:
                _align(cc, seg[:cut], base, left, parts, index)
                _align(cc, seg[cut:], base + cut, right, parts, index)
                return
    pieces = _pieces(cc, seg, conv)
    if pieces is None:  # no split reproduces the conversion: spread it over the segment
        parts.append(conv)
        index.extend(base + min(len(seg) - 1, k * len(seg) // len(conv)) for k in range(len(conv)))
        return
    pos = base
    for src_len, out in pieces:
        parts.append(out)
        if len(out) == src_len:
            index.extend(range(pos, pos + src_len))
        else:
            index.extend(pos + min(src_len - 1, k * src_len // len(out)) for k in range(len(out)))
        pos += src_len


def _pieces(cc, seg: str, conv: str) -> list[tuple[int, str]] | None:
    """Split ``seg`` into the most pieces (≤ 8 chars) whose conversions concatenate to ``conv``."""
    memo: dict[tuple[int, int], list[tuple[int, str]] | None] = {}
    convert = _short_converter(cc)

    def best(i: int, j: int) -> list[tuple[int, str]] | None:
        if i == len(seg):
            return [] if j == len(conv) else None
        if (i, j) not in memo:
            found: list[tuple[int, str]] | None = None
            for n in range(1, min(8, len(seg) - i) + 1):
                out = convert(seg[i : i + n])
                if (
                    conv.startswith(out, j)
                    and (rest := best(i + n, j + len(out))) is not None
                    and (found is None or len(rest) + 1 > len(found))
                ):
                    found = [(n, out), *rest]
            memo[(i, j)] = found
        return memo[(i, j)]

    return best(0, 0)


@lru_cache(maxsize=8)
def _short_converter(cc) -> Callable[[str], str]:
    """``cc.convert`` with a cache, for the short pieces alignment tries again and again."""
    return lru_cache(maxsize=1 << 16)(cc.convert)
