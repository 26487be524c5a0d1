"""Dates in running text made absolute: 9月5日 from the article's date or a year in the event's name."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_DATE = re.compile(
    r"(?:((?:19|20)\d\d|[一二][〇零一二三四五六七八九]{3})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月(?:(\d{1,2}|[一二三四五六七八九十]{1,3})日)?"
)
_NAME_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
#: 截至9月底 bounds a count; it does not date an event.
_NOT_A_START = re.compile(r"(?:截至|截止|至|到)$")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    year: int | None
    month: int
    day: int | None
    years_on: int | None = None  # 今年 0, 去年 -1, 明年 1: the year counted from the article's


#: Words before a date that count its year from the article's year.
_YEARS_ON = {"今年": 0, "去年": -1, "明年": 1, "前年": -2}


def _number(s: str | None) -> int | None:
    if s is None:
        return None
    if s.isdigit():
        return int(s)
    if all(c in _CN_DIGIT for c in s):  # 二〇二三
        return int("".join(_CN_DIGIT[c] for c in s))
    tens, _, units = s.partition("十")  # 十, 十二, 二十, 二十三
    if "十" not in s:
        return int(_CN_DIGIT.get(s, "0")) or None
    return (int(_CN_DIGIT[tens]) if tens else 1) * 10 + (int(_CN_DIGIT[units]) if units else 0)


def date_mentions(text: str) -> list[DateMention]:
    """Every 〔年〕月〔日〕 in ``text`` that can date an event (not 截至…)."""
    out = []
    for m in _DATE.finditer(text):
        if _NOT_A_START.search(text[max(0, m.start() - 2) : m.start()]):
            continue
        month, day = _number(m.group(2)), _number(m.group(3))
        if month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
            continue
        years_on = _YEARS_ON.get(text[max(0, m.start() - 2) : m.start()]) if m.group(1) is None else None
        out.append(DateMention(m.start(), m.end(), _number(m.group(1)), month, day, years_on))
    return out


def absolute(d: DateMention, doc_date: str | None, event_label: str = "") -> str | None:
    """ISO date (or YYYY-MM): the year as written, else from the event's name, else the article's date."""
    year = d.year
    if year is None:
        named = _NAME_YEAR.search(event_label)
        year = int(named.group(1)) if named else None
    if year is None and doc_date:
        doc_year, doc_month = int(doc_date[:4]), int(doc_date[5:7]) if len(doc_date) >= 7 else 12
        if d.years_on is not None:
            year = doc_year + d.years_on  # 决定今年10月召开: this year, even after the article's month
        else:
            year = doc_year - 1 if d.month > doc_month else doc_year
    if year is None:
        return None
    if d.day is None:
        return f"{year}-{d.month:02d}"
    return f"{year}-{d.month:02d}-{d.day:02d}"
