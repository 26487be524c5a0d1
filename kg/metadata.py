"""Article metadata read from the page, and the page furniture it lives in.

Headlines, datelines (新华社北京9月26日电), print lines (《人民日报》（2024年12月17日
第14版）), bylines, photo credits, editor boxes and share prompts are metadata
of the document, never facts: ``read_meta`` returns them as a ``DocMeta``
together with the character ranges of the normalised text that hold them,
so that extraction skips those ranges. The word lists live in
``data/furniture.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from kg.paths import DATA_DIR
from kg.types import DocMeta, RawDocument

FURNITURE_FILE = DATA_DIR / "furniture.yaml"

_C = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# One or more personal names, separated by spaces or enumeration commas.
_NAMES = f"[{_C}·]{{1,5}}(?:[ 、，,]+[{_C}·]{{1,5}}){{0,8}}"
_SEP = r"\s*[：:|｜/]\s*"
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?")
_YEAR_DATE_RE = re.compile(r"(?<!\d)(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}(?!\d)")
_NAME_SPLIT_RE = re.compile(r"[\s、，,；;]+")
#: Lines longer than this are body paragraphs; only their ends can hold furniture.
LONG_LINE = 160


@dataclass(frozen=True)
class _Patterns:
    print_line: re.Pattern[str]
    dateline: re.Pattern[str]
    dateline_end: re.Pattern[str]
    byline: re.Pattern[str]
    byline_suffix: re.Pattern[str]
    credit_chunk: re.Pattern[str]
    box_suffix: re.Pattern[str]
    photo: re.Pattern[str]
    signature: re.Pattern[str]
    contributors: re.Pattern[str]
    role: re.Pattern[str]
    lines: re.Pattern[str]
    author_labels: frozenset[str]
    editor_labels: frozenset[str]
    agencies: frozenset[str]
    not_names: frozenset[str]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=4)
def patterns(path: Path = FURNITURE_FILE) -> _Patterns:
    """The furniture patterns built from the word lists in ``path``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    ag, role = _alt(data["agencies"]), _alt(data["reporter_roles"])
    labels = _alt(data["author_labels"] + data["editor_labels"])
    dateline = (
        f"(?P<agency>{ag})(?:(?P<place>[{_C}]{{2,6}}?)(?:(?P<y>\\d{{4}})年)?"
        f"(?P<m>\\d{{1,2}})月(?P<d>\\d{{1,2}})日(?:电|讯)|消息)"
        f"(?:\\s*[（(](?:{role})\\s*(?P<reporters>{_NAMES})[）)])?"
    )
    return _Patterns(
        print_line=re.compile(
            r"^《\s*(?P<pub>[^《》]{2,20}?)\s*》\s*[（(]\s*(?P<date>\d{4}年\d{1,2}月\d{1,2}日)"
            r"\s*(?:第\s*)?(?P<page>[0-9一二三四五六七八九十]{1,3})\s*版\s*[）)]$"
        ),
        # **央视网消息**（新闻联播）： is a dateline too
        dateline=re.compile(f"^\\**[（(]?{dateline}\\**[）)]?(?:[（(][{_C}]{{2,8}}[）)])?[：:]?\\s*"),
        dateline_end=re.compile(f"[（(]{dateline}[）)]$"),
        byline=re.compile(f"^(?P<org>[{_C}]{{0,12}}?)(?:{role})\\s*[：:]?\\s*(?P<names>{_NAMES})$"),
        byline_suffix=re.compile(f"[（(](?P<org>{ag})?(?:{role})\\s*(?P<names>{_NAMES})[）)]$"),
        credit_chunk=re.compile(f"(?P<label>{labels}){_SEP}(?P<names>{_NAMES})"),
        box_suffix=re.compile(f"[（(](?P<label>{labels}){_SEP}(?P<names>{_NAMES})[）)]$"),
        photo=re.compile(
            f"(?:^|(?<=[。！？!?”\\s]))(?P<credit>[（(]?(?:(?:{ag})?(?:{role})\\s*)?"
            f"(?P<names>{_NAMES})\\s*[/／]?\\s*摄(?:影)?[）)]?)$"
        ),
        signature=re.compile(
            f"(?<=[。！？!?”])\\s*[（(](?P<src>[^（）()\\s]{{2,12}})\\s+(?P<name>[{_C}·]{{2,5}})[）)]$"
        ),
        contributors=re.compile(f"[（(](?P<names>{_NAMES})(?:参与采写|参与报道|对本文亦有贡献)[）)]$"),
        role=re.compile(role),
        lines=re.compile("|".join(f"(?:{p})" for p in data["lines"])),
        author_labels=frozenset(data["author_labels"]),
        editor_labels=frozenset(data["editor_labels"]),
        agencies=frozenset(data["agencies"]),
        not_names=frozenset(data["not_names"]),
    )


def uncredited(line: str) -> bool:
    """A contributors' line that gives them no role: （郑莉茵、彭姝婷参与采写）, not （本报记者…参与采写）."""
    return patterns().contributors.search(line) is not None and patterns().role.search(line) is None


def split_names(s: str) -> tuple[str, ...]:
    """Names of a byline; a two-character name padded to three (``曾  帆``) is one name."""
    toks = [t for t in _NAME_SPLIT_RE.split(s.strip()) if t]
    out: list[str] = []
    i = 0
    while i < len(toks):
        if len(toks[i]) == 1 and i + 1 < len(toks) and len(toks[i + 1]) == 1:
            out.append(toks[i] + toks[i + 1])
            i += 2
        else:
            out.append(toks[i])
            i += 1
    return tuple(out)


def iso_date(s: str | None) -> str | None:
    """``2024年12月17日``, ``2024/12/17``, ``2024-12-17T08:00`` → ``2024-12-17`` (or ``YYYY-MM``)."""
    if not s:
        return None
    m = _DATE_RE.search(s)
    if not m:
        return s.strip() if re.fullmatch(r"\s*\d{4}\s*", s) else None
    y, mo = int(m.group(1)), int(m.group(2))
    try:
        if m.group(3):
            return dt.date(y, mo, int(m.group(3))).isoformat()
        return dt.date(y, mo, 1).isoformat()[:7]
    except ValueError:
        return None


def _lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


class _Reader:
    """Collects metadata and furniture ranges while reading lines."""

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int]] = []
        self.authors: list[str] = []
        self.editors: list[str] = []
        self.dateline: str | None = None
        self.print_line: str | None = None
        self.publisher: str | None = None  # from the print line
        self.agency: str | None = None  # from a dateline or byline
        self.date: str | None = None

    def mark(self, start: int, end: int) -> None:
        if end > start:
            self.ranges.append((start, end))

    def add(self, names: list[str], more: tuple[str, ...]) -> None:
        names.extend(n for n in more if n not in names)

    def line(self, pat: _Patterns, pos: int, raw_line: str) -> None:
        line = raw_line.strip()
        if not line:
            return
        lead = pos + raw_line.index(line[0])
        end = lead + len(line)
        if len(line) > LONG_LINE:  # a body paragraph: furniture only at its start or end
            if m := pat.dateline.match(line, 0, 60):
                self._dateline(m)
                self.mark(lead, lead + m.end())
            tail = len(line) - 80
            if m := pat.dateline_end.search(line, tail):
                self._dateline(m)
                self.mark(lead + m.start(), end)
                line = line[: m.start()].rstrip()
            self._suffixes(pat, line[tail:], lead + tail)
            return
        if m := pat.print_line.match(line):
            self.print_line = self.print_line or line
            self.publisher = self.publisher or m.group("pub").strip()
            self.date = self.date or iso_date(m.group("date"))
            return self.mark(lead, end)
        if (m := pat.byline.match(line)) and not set(split_names(m.group("names"))) & pat.not_names:
            self.add(self.authors, split_names(m.group("names")))
            if m.group("org") and m.group("org") in pat.agencies:
                self.agency = self.agency or m.group("org")
            return self.mark(lead, end)
        if self._credit_line(pat, line):
            return self.mark(lead, end)
        if pat.lines.search(line):
            # 来源：浙江日报 2024年7月3日, 2024-07-03 08:00 来源：人民网: the page's date line
            if self.date is None and (m := _YEAR_DATE_RE.search(line)):
                self.date = iso_date(m.group())
            return self.mark(lead, end)
        if m := pat.dateline.match(line):
            self._dateline(m)
            self.mark(lead, lead + m.end())
            if m.end() == len(line):
                return
        if m := pat.dateline_end.search(line):
            self._dateline(m)
            self.mark(lead + m.start(), end)
            line = line[: m.start()].rstrip()
        self._suffixes(pat, line, lead)

    def _dateline(self, m: re.Match[str]) -> None:
        text = m.group().strip().strip("（()）")
        self.dateline = self.dateline or re.sub(r"\s*[（(].*$", "", text)
        self.agency = self.agency or m.group("agency")
        if m.group("reporters"):
            self.add(self.authors, split_names(m.group("reporters")))

    def _credit_line(self, pat: _Patterns, line: str) -> bool:
        """A line made only of ``label | names`` chunks: author lines and editor boxes."""
        body = line.strip("（()）")
        chunks = list(pat.credit_chunk.finditer(body))
        if not chunks or re.sub(r"[\s（()）]", "", pat.credit_chunk.sub("", body)):
            return False
        for c in chunks:
            names = split_names(c.group("names"))
            self.add(self.authors if c.group("label") in pat.author_labels else self.editors, names)
        return True

    def _suffixes(self, pat: _Patterns, line: str, lead: int) -> None:
        """Credits at the end of a paragraph: photo credit, byline, signature, contributors."""
        while True:
            if m := pat.photo.search(line):
                pass
            elif m := pat.byline_suffix.search(line) or pat.contributors.search(line):
                self.add(self.authors, split_names(m.group("names")))
            elif m := pat.box_suffix.search(line):
                names = split_names(m.group("names"))
                self.add(self.authors if m.group("label") in pat.author_labels else self.editors, names)
            elif m := pat.signature.search(line):
                src, name = m.group("src"), m.group("name")
                if not (src in pat.agencies or src[-1] in "网站社报台刊" or name in self.authors):
                    return
                self.add(self.authors, (name,))
            else:
                return
            self.mark(lead + m.start(), lead + len(line))
            line = line[: m.start()].rstrip()
            if not line:
                return


def read_meta(raw: RawDocument, text: str) -> tuple[DocMeta, tuple[tuple[int, int], ...]]:
    """Metadata of a document and the furniture ranges of its normalised ``text``."""
    pat = patterns()
    reader = _Reader()
    for pos, line in _lines(text):
        reader.line(pat, pos, line)
    furniture = _merge(reader.ranges)
    date = iso_date(raw.date) or raw.date or reader.date
    if date is None and reader.dateline and (m := re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", reader.dateline)):
        date = iso_date(m.group())
    meta = DocMeta(
        title=_title(raw, text, furniture),
        date=date,
        dateline=reader.dateline,
        print_line=reader.print_line,
        publisher=raw.publisher or reader.publisher or reader.agency,
        authors=tuple(reader.authors),
        editors=tuple(reader.editors),
        url=raw.url,
    )
    return meta, furniture


def _merge(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return tuple(out)


def _title(raw: RawDocument, text: str, furniture: tuple[tuple[int, int], ...]) -> str | None:
    """The record's title, the HTML title, or the first line when it reads as a headline."""
    given = raw.title or raw.html_title
    if given and given.strip():
        from kg.normalize import normalize_text

        return normalize_text(given.strip())[0] or None
    lines = [(p, ln) for p, ln in _lines(text) if ln.strip()]
    if not lines:
        return None
    pos, first = lines[0]
    if any(s <= pos < e for s, e in furniture):
        return None
    first = first.strip()
    if len(first) > 80 or first[-1] in "。！？!?：:" or first.startswith("编者按"):
        return None
    if len(lines) > 1 and lines[1][1].startswith(("——", "—", "--")) and len(lines[1][1]) <= 80:
        first += lines[1][1].strip()
    return first
