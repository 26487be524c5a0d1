"""One node per real-world thing: canonical labels for mentions.

The label depends only on the mention's text and type (plus, for events
and documents, the longer names in the same article), so IRIs minted from
it agree across documents and across builds.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kg.lexicon import Lexicon
from kg.types import Entity, EntityType, Mention

_CONGRESS = re.compile(
    r"^(?:党的)?((?:十[一二三四五六七八九]?|二十)(?:大|届[一二三四五六七八九十]中全会))"
)
_QUOTES = str.maketrans("", "", '“”‘’「」"')
_BRACKETS = str.maketrans({"(": "（", ")": "）"})
_EDITION = re.compile(r"·[\u4e00-\u9fff]{2,8}会议$")


@dataclass(frozen=True)
class Resolved:
    mention: Mention
    entity: Entity


def canonical(mention: Mention, lex: Lexicon) -> str:
    """The simplified canonical label of one mention, before document-level merges."""
    text = mention.text.strip().translate(_BRACKETS)
    entry = lex.names.get(text) or lex.names.get(text.translate(_QUOTES))
    if entry is not None and (entry.type is mention.type or mention.type is EntityType.PLATFORM):
        return entry.label
    if mention.type is EntityType.ORGANIZATION:
        return _org_label(text, lex)
    if mention.type is EntityType.EVENT:
        text = _EDITION.sub("", text)
        m = _CONGRESS.match(text)
        if m:
            return "党的" + text[m.start(1) :]
        if text.startswith("“") and text.endswith("”"):
            return text.translate(_QUOTES)
        return text
    if mention.type is EntityType.PLATFORM:
        return text.translate(_QUOTES)
    return text


def _org_label(text: str, lex: Lexicon) -> str:
    if text.startswith("中共") and not text.startswith("中共中央") and len(text) > 4:
        text = text[2:]
    # 安徽省黄山市委 → 黄山市委: the most specific unit names the body.
    for head_len in (5, 4, 3, 2):
        head = lex.names.get(text[:head_len])
        if head is None or head.type is not EntityType.PLACE:
            continue
        rest = text[head_len:]
        known = lex.names.get(rest)
        if head.label == "中国" and known is not None and known.type is EntityType.ORGANIZATION:
            return known.label  # 中国|全国人大: the country's known body
        if _opens_with_unit(rest, head.label, lex):
            return rest
        break
    entry = lex.names.get(text)
    return entry.label if entry else text


def _opens_with_unit(rest: str, outer: str, lex: Lexicon) -> bool:
    """``rest`` opens with a place inside ``outer`` (安徽省|黄山市委, 俄罗斯|莫斯科国际关系学院), not with
    the country or a province as a topic (埃及|中国友好协会, 江苏省|台湾研究中心) or an organisation's
    own name (塔吉克斯坦|上海合作组织友好合作中心)."""
    if any(lex.names.get(rest[:n]) and lex.names[rest[:n]].type is EntityType.ORGANIZATION for n in range(4, 9)):
        return False
    for sub_len in (4, 3, 2):
        sub = lex.names.get(rest[:sub_len])
        if sub is not None and sub.type is EntityType.PLACE and sub.label != outer:
            return sub.label != "中国" and not sub.label.endswith("省")
    return False


def _core(label: str) -> str:
    return label.strip("《》").translate(_QUOTES)


def _merge_target(label: str, type_: EntityType, longer: list[str]) -> str:
    """An event or document named short after its full name: 《报告》, 网络征求意见活动."""
    core = _core(label)
    if len(core) < 2:
        return label
    quoted = re.findall(r"“([^”]+)”", label)
    for full in longer:
        if full == label:
            continue
        full_core = _core(full)
        if len(full_core) <= len(core):
            continue
        if type_ is EntityType.DOCUMENT and full_core.endswith(core):
            return full
        if type_ is EntityType.EVENT and len(core) >= 4 and _ends_a_part(full_core, core):
            return full
        if quoted and all(f"“{q}”" in full for q in quoted) and full.endswith(re.sub(r"“[^”]+”", "", label)):
            return full  # “…”征集活动 for 2024年“…”征集活动, not “…”全国招募活动 for “…”创作者大会
    return label


#: A short name of three characters (大运会, 亚运会) stands for the longer name ending with it that the
#: document names most, and first where two are named as often (成都大运会, not 2001年北京大运会).
_SHORT_NAME = 3


def _edition_of_kind(m: Mention, label: str, named: Counter[tuple[EntityType, str]]) -> str:
    if m.type is not EntityType.EVENT or label != m.text or len(label) != _SHORT_NAME:
        return label
    fulls = [full for (type_, full) in named if type_ is EntityType.EVENT and full != label and full.endswith(label)]
    return max(fulls, key=lambda full: named[(EntityType.EVENT, full)], default=label)


def _ends_a_part(full: str, core: str) -> bool:
    """The short name ends the full name or one of the meetings it joins with 暨, edition aside
    (文明交流互鉴对话会 in 第三届文明交流互鉴对话会暨首届世界汉学家大会)."""
    return any(part.endswith(core) for part in full.split("暨"))


def resolve_mentions(
    mentions: tuple[Mention, ...], lex: Lexicon, raw_forms: dict[Mention, str], text: str = ""
) -> list[Resolved]:
    """Canonical entities for the mentions of one document (``text``, where they stand)."""
    labels = [canonical(m, lex) for m in mentions]
    named = Counter(zip((m.type for m in mentions), labels, strict=True))
    labels = [_edition_of_kind(m, label, named) for m, label in zip(mentions, labels, strict=True)]
    short_for = _bracketed_short_names(text, mentions, labels)
    labels = [short_for.get((m.type, label), label) for m, label in zip(mentions, labels, strict=True)]
    distinct: dict[EntityType, set[str]] = {}
    for m, label in zip(mentions, labels, strict=True):
        distinct.setdefault(m.type, set()).add(label)
    by_type = {t: sorted(group, key=lambda x: (-len(x), x)) for t, group in distinct.items()}
    out = []
    for m, label in zip(mentions, labels, strict=True):
        label = _in_document(m, label, by_type)
        surfaces = {m.text, raw_forms.get(m, m.text)} - {label}
        out.append(Resolved(m, Entity(label, m.type, frozenset(surfaces))))
    return out


def _in_document(m: Mention, label: str, by_type: dict[EntityType, list[str]]) -> str:
    """The label a mention takes among the document's other names: the full name of a short one."""
    if m.type in (EntityType.EVENT, EntityType.DOCUMENT):
        return _merge_target(label, m.type, by_type[m.type])
    if m.type is EntityType.PERSON:  # 文昌 read alone where the article names 谷文昌: one person
        return next((p for p in by_type[m.type] if len(p) == len(label) + 1 and p.endswith(label)), label)
    return label


#: What stands between a full name and the short name bracketed after it: 成都第31届…运动会（成都大运会）,
#: …（以下简称“兰洽会”）.
_SHORT_NAME_OPENING = re.compile(r"[（(](?:以下)?(?:简称)?[“\"]?")
_SHORT_NAME_CLOSING = re.compile(r"[”\"]?[）)]")


def _bracketed_short_names(text: str, mentions: tuple[Mention, ...], labels: list[str]) -> dict[tuple[EntityType, str], str]:
    """Short names given in brackets right after a full name of the same type stand for it."""
    short_for: dict[tuple[EntityType, str], str] = {}
    for i in range(len(mentions) - 1):
        full, short = mentions[i], mentions[i + 1]
        if full.type is not short.type or full.type is EntityType.PLACE or full.type is EntityType.PERSON:
            continue
        opening = _SHORT_NAME_OPENING.fullmatch(text, full.end, short.start)
        if opening and _SHORT_NAME_CLOSING.match(text, short.end) and len(labels[i + 1]) < len(labels[i]):
            short_for.setdefault((short.type, labels[i + 1]), labels[i])
    return short_for


def merge_entities(entities: list[Entity]) -> list[Entity]:
    """One Entity per (type, label), with the union of the aliases seen."""
    merged: dict[tuple[str, str], set[str]] = {}
    for e in entities:
        merged.setdefault(e.key, set()).update(e.aliases)
    return [
        Entity(label, EntityType(type_), frozenset(aliases))
        for (type_, label), aliases in sorted(merged.items())
    ]
