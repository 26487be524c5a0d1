"""The one matcher that applies every frame of ``frames.yaml`` to a sentence.

A frame's shape says where its subject and object stand around the trigger;
the functions here read those positions off a :class:`View`, apply the
frame's guards and fallbacks and yield one :class:`Relation` per subject.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from kg.extraction.context import ANAPHOR, DocContext
from kg.extraction.frames import Frame, FrameSet
from kg.extraction.view import CLAUSE_END, View
from kg.resolve import Resolved
from kg.types import EVENT, Entity

#: A trigger followed by these is used without an object (…等出席。 出席并讲话).
_CLAUSE_CLOSE = ("", "，", "。", "；", "、", "并", ",")


@dataclass(frozen=True)
class Relation:
    subject: Entity
    predicate: str
    object: Entity | str  # an entity, or a literal (ISO date, position title)
    rule: str
    confidence: float
    quote: str | None = None


@dataclass(frozen=True)
class Said:
    """Words attributed to a speaker in one sentence (a ``kg:Statement``)."""

    speaker: Entity
    words: str


@dataclass(frozen=True)
class Hit:
    """One occurrence of a trigger word in a sentence."""

    start: int
    end: int
    word: str


Arguments = tuple[list[Resolved], Entity | None]
ShapeReader = Callable[[View, DocContext, Frame, Hit, FrameSet], Arguments]


def apply(v: View, ctx: DocContext, frames: FrameSet) -> Iterator[Relation]:
    """Every relation any frame finds in the sentence."""
    for frame in frames.frames:
        for start, end, word in v.find(frame.triggers):
            hit = Hit(start, end, word)
            if any(v.text.startswith(w, end) for w in frame.guards.not_followed_by):
                continue
            if v.inside_name(start, end) or v.inside_word(start):
                continue  # 启动 of …启动仪式, 组织 of 党组织: a word inside a name or word triggers nothing
            agents, target = SHAPES[frame.shape](v, ctx, frame, hit, frames)
            if target is None or not agents or _framed(v, agents, frame):
                continue
            for a in agents:
                yield Relation(a.entity, frame.predicate, target, frame.id, frame.confidence)


def _framed(v: View, agents: list[Resolved], frame: Frame) -> bool:
    """按照党中央统一部署: a framing phrase, not an agent."""
    head = v.text[: v.unit_start(agents[0])]
    return any(head.endswith(w) for w in frame.guards.subject_not_after)


def _object_after(v: View, ctx: DocContext, frame: Frame, pos: int, frames: FrameSet) -> Entity | None:
    target = v.after(pos, frame.object.types, within=frame.object.within)
    if target is not None and frame.object.chain:
        target = v.chain_from(target)
    if target is not None and v.text.startswith(frame.object.not_before, v.end(target)):
        return None  # 位于神户市与淡路岛之间: between two places, in neither
    if target is not None:
        return target.entity
    return _fallback(v, ctx, frame, pos, frames)


def _fallback(v: View, ctx: DocContext, frame: Frame, pos: int, frames: FrameSet) -> Entity | None:
    if frame.object.fallback == "meeting":
        rest = v.text[pos:].lstrip("了")
        if rest.startswith("上述"):
            return None  # 参加上述活动: every event named before (participatedIn.aforesaid)
        if rest.startswith("活动"):
            return ctx.referent(v.index, "活动")  # 出席活动: the last 活动 named, else the article's topic
        if ctx.meeting is not None and (rest[:1] in _CLAUSE_CLOSE or rest.startswith(frames.word("meeting_nouns"))):
            return ctx.meeting  # 出席会议, 出席并讲话, …等出席。
        if rest.startswith(frames.word("ceremonies")):
            return ctx.topic  # 出席启动仪式: the launch of what the article reports
    if frame.object.fallback == "anaphor":
        m = ANAPHOR.search(v.text)
        if m is not None:
            return ctx.referent(v.index, m.group(1))
    return None


def active(v: View, ctx: DocContext, frame: Frame, hit: Hit, frames: FrameSet) -> Arguments:
    """[subject list] … TRIGGER … [object]; not where a preposition opens the trigger's clause, which then
    describes the preposition's object (…向参加本次大运会的全体运动员发出邀约)."""
    if v.text[: hit.start].endswith(_PREPOSITIONS):
        return [], None
    agents = v.agents_before(hit.start, frame.subject.types, cross_comma=frame.subject.cross_comma)
    return agents, _object_after(v, ctx, frame, hit.end, frames)


#: Prepositions whose object a clause right after them may describe.
_PREPOSITIONS = ("向", "给", "为", "对")


def attributive(v: View, ctx: DocContext, frame: Frame, hit: Hit, frames: FrameSet) -> Arguments:
    """(由)[subject list] TRIGGER(，B承办)的 [object]: the object follows the 的 that closes the chain."""
    close = _chain_end(v.text, hit.end, frames.word("roles"))
    if close is None:
        return [], None
    agents = v.agents_before(hit.start, frame.subject.types)
    target = v.after(close, frame.object.types, within=frame.object.within)
    subject = _copula_subject(v, frame)
    if subject is not None and (target is not None or frame.object.fallback == "copula"):
        target = subject  # 中国国际民间艺术节是…由中国文联主办的大型国际民间艺术节: what the sentence is about
    return agents, target.entity if target is not None else None


def _copula_subject(v: View, frame: Frame) -> Resolved | None:
    """“领导留言板”是人民日报…搭建的网上群众工作平台: the thing the sentence opens with, before 是."""
    first = v.items[0] if v.items else None
    if first is None or v.start(first) > 1 or first.mention.type not in frame.object.types:
        return None
    return first if re.match(r"^[”」]?是", v.text[v.end(first) :]) else None


def _chain_end(text: str, pos: int, roles: tuple[str, ...]) -> int | None:
    """Where the 的 after a role verb ends, past further ``，B承办`` links of the chain."""
    m = _chain(roles).match(text, pos)
    return m.end() if m else None


@cache
def _chain(roles: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?:[，、,和][^，。；！？]{{1,60}}?(?:{_verbs(roles)}))*的")


def _verbs(roles: tuple[str, ...]) -> str:
    """The role verbs as one alternation, longest first (联合主办 before 主办)."""
    return "|".join(map(re.escape, sorted(roles, key=len, reverse=True)))


def passive(v: View, ctx: DocContext, frame: Frame, hit: Hit, frames: FrameSet) -> Arguments:
    """[object]由[subject list] TRIGGER: the event named just before 由, or the meeting."""
    agents = v.agents_before(hit.start, frame.subject.types)
    if not agents or v.text[_chain_end(v.text, hit.end, frames.word("roles")) or hit.end :][:1] == "的":
        return [], None
    by = _by(v, v.unit_start(agents[0]), frames)
    if by is None:
        return [], None
    before = [r for r in v.items if v.end(r) <= by and r.mention.type in frame.object.types]
    if before and by - v.end(before[-1]) <= 2:
        return agents, before[-1].entity
    if frame.object.fallback != "meeting":
        return agents, None
    if (m := ANAPHOR.search(v.text, 0, by)) is not None:
        return agents, ctx.referent(v.index, m.group(1))  # (据悉，)本次大会…，由X主办
    if v.text[:by].endswith(frames.word("meeting_nouns")):
        return agents, ctx.meeting or ctx.recent_events[v.index]  # 会议由X主办
    if before and v.start(before[0]) <= 2:
        return agents, before[0].entity  # <event>…，主题为…，由X主办
    return agents, None


def _by(v: View, first: int, frames: FrameSet) -> int | None:
    """Where the 由 of a passive chain stands: just before the agents, or before the chain's first
    link when the agents continue it (由A指导，B、C主办，D承办)."""
    if first > 0 and v.text[first - 1] == "由":
        return first - 1
    if first == 0 or v.text[first - 1] not in "，,":
        return None
    link = _chain_link(frames.word("roles")).search(v.text[: first - 1])
    return link.start() if link else None


@cache
def _chain_link(roles: tuple[str, ...]) -> re.Pattern[str]:
    verbs = _verbs(roles)
    return re.compile(rf"由[^，。；！？]{{1,60}}?(?:{verbs})(?:[，,][^，。；！？]{{1,60}}?(?:{verbs}))*$")


def concerning(v: View, ctx: DocContext, frame: Frame, hit: Hit, frames: FrameSet) -> Arguments:
    """[subject list]对[object] … TRIGGER (习近平总书记对此次…活动…进行专门部署)."""
    dui = v.text.rfind("对", 0, hit.start)
    if dui < 0 or CLAUSE_END.search(v.text, dui, hit.start) and v.text.find("，", dui, hit.start) < 0:
        return [], None
    agents = v.agents_before(dui, frame.subject.types)
    target = v.after(dui + 1, frame.object.types, within=frame.object.within)
    if target is not None and v.end(target) <= hit.start:
        return agents, target.entity
    m = ANAPHOR.match(v.text, dui + 1)
    return agents, (ctx.referent(v.index, m.group(1)) if m else None)


#: 就座的领导同志还有：, 出席开幕式的有: what stands between a roster's trigger and its list.
_ROSTER = re.compile(r"的[\u4e00-\u9fff]{0,8}?(?:还有|有)[：:]?")


def roster(v: View, ctx: DocContext, frame: Frame, hit: Hit, frames: FrameSet) -> Arguments:
    """TRIGGER的…(还)有：[subject list] (在主席台就座的领导同志还有：A、B…; 出席会议的有A、B)."""
    head = _ROSTER.match(v.text, hit.end)
    if head is None:
        return [], None
    first = v.after(head.end(), frame.subject.types, within=12)
    if first is None:
        return [], None
    agents = v.list_starting(first, frame.subject.types)
    named = v.after(hit.end, frame.object.types, within=0)
    if named is not None and v.end(named) <= head.start():
        return agents, named.entity
    return agents, ctx.meeting if frame.object.fallback == "meeting" else None


def relative(v: View, ctx: DocContext, frame: Frame, hit: Hit, frames: FrameSet) -> Arguments:
    """TRIGGER [object]的[subject list] (参加第108届国际世界语大会的中国代表团): who the 的 describes."""
    target = v.after(hit.end, frame.object.types, within=frame.object.within)
    if target is not None and frame.object.chain:
        target = v.chain_from(target)  # 位于安徽合肥的…: the last of the places
    if target is not None and v.text.startswith("的", v.end(target)):
        event, after = target.entity, v.end(target) + 1
    elif (noun := _meeting_noun_de(v.text, hit.end, frames)) and ctx.meeting is not None:
        event, after = ctx.meeting, hit.end + len(noun)  # 参加会议的越南副总理陈流光
    else:
        return [], None
    first = next(
        (r for r in v.items if v.unit_start(r) == after and not v.in_title(r) and r.mention.type in frame.subject.types),
        None,
    )  # a titled person, not the body named in the title
    return (v.list_starting(first, frame.subject.types), event) if first is not None else ([], None)


def _meeting_noun_de(text: str, pos: int, frames: FrameSet) -> str:
    """会议的, 大会的 right after ``pos`` (the meeting reported on, unnamed), else ''."""
    noun = next((n for n in frames.word("meeting_nouns") if text.startswith(n + "的", pos)), "")
    return noun + "的" if noun else ""


#: 来自A、B和相关企业的代表…: the span after 来自 up to the 的 before the people it describes.
_FROM = re.compile(r"来自([^，。；！？]{2,60}?)的(?:[^，。；！？的]{0,6})(?:代表|嘉宾|专家|负责人|负责同志|人士|学者|官员)")


def delegates(v: View, ctx: DocContext, frame: Frame, hit: Hit, frames: FrameSet) -> Arguments:
    """来自[subject list]的代表…TRIGGER [object]: the bodies whose people attend took part."""
    spans = [m for m in _FROM.finditer(v.text, 0, hit.start) if not CLAUSE_END.search(v.text, m.end(), hit.start)]
    if not spans:
        return [], None
    body = spans[-1].span(1)
    agents = [
        r for r in v.items
        if body[0] <= v.start(r) and v.end(r) <= body[1] and r.mention.type in frame.subject.types and not v.in_title(r)
    ]
    return agents, _object_after(v, ctx, frame, hit.end, frames)


SHAPES: dict[str, ShapeReader] = {
    "delegates": delegates,
    "active": active,
    "attributive": attributive,
    "passive": passive,
    "concerning": concerning,
    "roster": roster,
    "relative": relative,
}


def event_of(rel: Relation) -> Entity | None:
    """The event a hosting relation is about (for the article's context)."""
    obj = rel.object
    return obj if isinstance(obj, Entity) and obj.type is EVENT else None
