"""What a rule may know beyond its sentence, built once per article before any rule runs.

Rules read the context and never change it, so the facts of a sentence do not
depend on the order the rules run in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kg.extraction.view import View
from kg.resolve import Resolved
from kg.types import EVENT, PLAT, Entity

#: The kinds of event a report covers as one meeting (会议, 峰会, 论坛 …, not 活动).
#: What a meeting's name ends with; games by their short name (冬奥会, 亚运会) end with 会 and are no
#: meeting. A 运动会 named in full passes, so those a report of the games quotes took part in them.
_MEETING = re.compile(r"(?:(?<![运奥])会|论坛|会议|仪式|典礼|开幕式|闭幕式|(?:研讨|交流)活动)$")
#: Games (北京冬奥会, 杭州第19届亚洲运动会): no meeting, and no activity a bare 活动 points to.
_GAMES = re.compile(r"(?:[运奥]会|运动会)$")
_LEAD_SENTENCES = 4
#: 此次/本次/本届/该…活动/大会: an explicit anaphor of an event named before.
ANAPHOR = re.compile(r"(?:此次|这次|本次|本届|该)[\u4e00-\u9fff]{0,8}?(活动|大会|会议|峰会|论坛|征集|大赛|比赛|展览|仪式|典礼|节|展|会)")
#: Anaphors that may point to the meeting the article reports on when no event of their kind was named.
_MEETING_KINDS = frozenset({"大会", "会议", "峰会", "论坛", "会"})
#: What the name of an event an anaphor may point to ends with.
_KIND_ENDINGS = {"征集": ("征集", "活动"), "大会": ("大会", "会"), "会议": ("会议", "会")}


@dataclass(frozen=True)
class DocContext:
    date: str | None  # ISO publication date, as far as known
    topic: Entity | None  # the event the article is about
    meeting: Entity | None  # the one meeting an event report covers
    hosts: frozenset[Entity]  # hosts and guides of events, not listed again as participants
    writers: frozenset[Entity]  # who sent a letter (致贺信): their words are no speech at the meeting
    recent_events: tuple[Entity | None, ...]  # per sentence: the last event named before it
    main_platforms: tuple[Entity | None, ...]  # per sentence: what 该平台 means there
    named_events: tuple[tuple[Entity, ...], ...]  # per sentence: the events it names, in order
    attended: tuple[tuple[Entity, ...], ...]  # per sentence: events it says are held or attended
    reactions: bool = False  # the article gathers reactions to the meeting, not a report of it

    def referent(self, index: int, kind: str) -> Entity | None:
        """What 本次<kind> in sentence ``index`` points to: the last event of that kind named before it,
        else the meeting reported on (or, for 活动/征集, the article's topic)."""
        endings = _KIND_ENDINGS.get(kind, (kind,))
        for events in reversed(self.named_events[: index + 1]):
            for e in reversed(events):
                if e.label.endswith(endings):
                    return e
        if kind in _MEETING_KINDS:
            return self.meeting or self.topic
        if kind in ("活动", "征集") and self.topic is not None and not _GAMES.search(self.topic.label):
            return self.topic  # 出席活动 at a banquet of the games is no part in the games
        return None  # 本届比赛 is no meeting reported on


@dataclass(frozen=True)
class Hosting:
    """An event hosted (or held) as a first pass over the article sees it."""

    event: Entity
    host: Entity | None


def build(
    date: str | None, views: list[View], hostings: Iterable[Hosting], writers: Iterable[Entity] = ()
) -> DocContext:
    """The article's context: topic and meeting from the events it hosts or holds, and its lead."""
    events = [r.entity for v in views for r in v.items if r.mention.type is EVENT]
    counted: Counter[Entity] = Counter()
    hosts: set[Entity] = set()
    for h in hostings:
        counted[h.event] += 1
        if h.host is not None:
            hosts.add(h.host)
    topic = counted.most_common(1)[0][0] if counted else (events[0] if events else None)
    lead = {r.entity for v in views[:_LEAD_SENTENCES] for r in v.items}
    meetings = Counter({e: n for e, n in counted.items() if _MEETING.search(e.label) and e in lead})
    if not meetings:  # a headline naming one meeting: 新媒体内容生态建设研讨会在北京举行
        meetings = Counter(r.entity for v in views[:1] for r in v.items if _headline_meeting(v, r))
    meeting = meetings.most_common(1)[0][0] if meetings else _scene(views, counted)
    return DocContext(
        date=date,
        topic=meeting or topic,
        meeting=meeting,
        hosts=frozenset(hosts),
        writers=frozenset(writers),
        recent_events=_running(views, lambda v: [r.entity for r in v.items if r.mention.type is EVENT], _last),
        main_platforms=_running(views, lambda v: [r.entity for r in v.items if r.mention.type is PLAT], _most_named),
        named_events=tuple(tuple(r.entity for r in v.items if r.mention.type is EVENT) for v in views),
        attended=tuple(_attended(v) for v in views),
        reactions=_gathers_reactions(views, meeting),
    )


def _headline_meeting(v: View, r: Resolved) -> bool:
    """A meeting the headline names, not one whose spirit it explains (解读党的二十届四中全会精神)."""
    return r.mention.type is EVENT and _MEETING.search(r.entity.label) is not None and not v.text.startswith("精神", v.end(r))


def _gathers_reactions(views: list[View], meeting: Entity | None) -> bool:
    """The headline or lead speaks of the response to the meeting (…重要讲话引发热烈反响): those the
    article quotes react to it, they did not attend."""
    if meeting is None or _GAMES.search(meeting.label):
        return False  # those a report of the games quotes took part in them
    return any(_RESPONSE.search(v.text) for v in views[:_LEAD_SENTENCES])


_RESPONSE = re.compile(r"反响")


#: Verbs that report an event as held or attended in the sentence (not one recalled in a speech).
_HELD_OR_ATTENDED = re.compile(r"出席|参加|举行|召开|主持|开幕")


def _attended(v: View) -> tuple[Entity, ...]:
    said = _REPORTING.search(v.text)  # 习近平强调，中国共产党近期举行了…: recalled in a speech
    held = _HELD_OR_ATTENDED.search(v.text, 0, said.start() if said else len(v.text))
    if "“" in v.text[:2] or not held:
        return ()
    return tuple(r.entity for r in v.items if r.mention.type is EVENT)


#: A verb of speech and the comma or colon after it: what follows is the words said.
_REPORTING = re.compile(r"(?:表示|强调|指出|说|认为|介绍|宣布)[，：:,]")


#: How far into an article a report may set its scene (在<meeting>上，嘉宾们…) after an introduction.
_SCENE_SENTENCES = 10


def _scene(views: list[View], counted: Counter[Entity]) -> Entity | None:
    """在9月20日由人民网…主办的…论坛上，来自…的负责人和行业专家…: a hosted meeting a sentence of the
    introduction opens with, as the scene of what the report quotes next."""
    for v in views[:_SCENE_SENTENCES]:
        for r in v.items:
            if r.entity in counted and _MEETING.search(r.entity.label) and v.text.startswith("在") and (
                v.text.startswith("上，", v.end(r))
            ):
                return r.entity
    return None


def _last(seen: list[Entity]) -> Entity | None:
    return seen[-1] if seen else None


def _most_named(seen: list[Entity]) -> Entity | None:
    """The entity named most so far (the later one on a tie)."""
    counts = Counter(seen)
    order = list(dict.fromkeys(reversed(seen)))
    return max(order, key=lambda e: counts[e]) if order else None


def _running(
    views: list[View],
    named: Callable[[View], list[Entity]],
    pick: Callable[[list[Entity]], Entity | None],
) -> tuple[Entity | None, ...]:
    """For each sentence, ``pick`` over what the sentences before it named."""
    out: list[Entity | None] = []
    seen: list[Entity] = []
    for v in views:
        out.append(pick(seen))
        seen.extend(named(v))
    return tuple(out)
