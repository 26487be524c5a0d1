"""Relation rules over the typed, resolved mentions of one sentence.

Each rule is a small function with an id (``hosted.by``, ``operates.possessive`` …);
the id and a confidence go into the fact's evidence. Rules read the
sentence text between mentions, using the trigger words of
``data/lexicon/triggers.yaml``; they never match whole sentences.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

from kg.lexicon import Lexicon
from kg.resolve import Resolved
from kg.sentences import Sentence
from kg.titles import TitlePhrase
from kg.types import DOC, EVENT, ORG, PER, PLACE, PLAT, Entity, EntityType

AGENTS = (PER, ORG, PLAT)
BODIES = (ORG, PLAT)

_CONJ = re.compile(r"^[”“」「]?(?:、|和|与|及|以及|，)?[“「]?$")
_CLAUSE_END = re.compile(r"[，,；;。！？：:]")
_SHARED_SUBJECT = re.compile(r"^(?:在|并|还|又|也|同时|随后|共同|将|正式|先后|已|均|于|联合|首次|部署)")
_PIVOT = re.compile(r"(?:组织|带领|联合|协调|推动|指导|动员|会同)[“「]?$")
_PREPOSITION = re.compile(r"(?:依托|通过|在|对|把|将|以|向|用|借助|根据|围绕|基于|为|同)[“「]?$")
_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?")
#: 该平台拓宽了…, 这一平台让…: the platform the report names most (DocContext.main_platform).
_PLATFORM_ANAPHOR = re.compile(r"^(?:该|这一|这个|此)(?:平台|系统|客户端|小程序|栏目|热线)")
_LEAD_DATE = re.compile(r"^(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:上午|下午|晚上?)?[，,]")
_FULL_DATE = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")
_AT_MEETING = re.compile(r"^(?:在|于)?(?:会|峰会|大会|论坛|会议|主论坛|分论坛|开幕式)上")
_ELSEWHERE = re.compile(r"在[^，。]{0,12}(?:考察|调研|视察|访问)(?:时|期间)")
_ANAPHOR = re.compile(
    r"(?:此次|这次|本次|本届|该)(?:[\u4e00-\u9fff]{0,8}?)(活动|大会|会议|峰会|论坛|征集)"
)
_QUOTE = re.compile(r"“([^“”]*(?:“[^“”]*”[^“”]*)*)”")
_TIME_LEAD = re.compile(r"^(?:[\u4e00-\u9fff\d]{0,8}(?:年|来|间|期|后|前|今|以来))$")


@dataclass(frozen=True)
class Relation:
    subject: Entity
    predicate: str
    object: Entity | str  # an entity, or a literal (ISO date, position title)
    rule: str
    confidence: float
    quote: str | None = None


@dataclass
class DocContext:
    """What a rule may know beyond its sentence: the article's date and topic events."""

    date: str | None
    topic: Entity | None = None  # the event the article is about
    meeting: Entity | None = None  # the one meeting an event report covers
    hosts: set[Entity] = field(default_factory=set)
    speakers: list[tuple[Entity, int]] = field(default_factory=list)
    said: list[tuple[Entity, int, str]] = field(
        default_factory=list
    )  # speaker, sentence start, words
    recent_event: Entity | None = None  # the last event named before the current sentence
    platforms_named: Counter[Entity] = field(default_factory=Counter)  # platforms so far, by mentions

    @property
    def main_platform(self) -> Entity | None:
        """What 该平台 means: the platform named most so far (the later one on a tie)."""
        named = list(self.platforms_named.items())  # in the order first named
        return max(reversed(named), key=lambda item: item[1])[0] if named else None


@dataclass(frozen=True)
class View:
    """One sentence and the resolved mentions inside it (offsets relative to the sentence)."""

    sentence: Sentence
    items: tuple[Resolved, ...]
    titles: tuple[TitlePhrase, ...]
    lex: Lexicon

    @property
    def text(self) -> str:
        return self.sentence.text

    def start(self, r: Resolved) -> int:
        return r.mention.start - self.sentence.start

    def end(self, r: Resolved) -> int:
        return r.mention.end - self.sentence.start

    def before(
        self, pos: int, types: tuple[EntityType, ...], *, cross_comma: bool = False
    ) -> list[Resolved]:
        """The coordinated group of agents nearest before ``pos`` (人民网与人民日报出版社)."""
        cands = [r for r in self.items if self.end(r) <= pos]
        while cands:
            last = cands.pop()
            gap = self.text[self.end(last) : pos]
            clause_breaks = _CLAUSE_END.findall(gap)
            if clause_breaks and not cross_comma:
                return []
            if clause_breaks:
                clause = _CLAUSE_END.split(gap)[-1]
                if clause and not _SHARED_SUBJECT.match(clause):  # empty: the verb opens its clause
                    return []  # the verb's clause has a subject of its own, or none is stated
                return self._subject_of_previous_clause(last, cands, types)
            if len(gap) > 24:
                return []
            if _PREPOSITION.search(self.text[: self.start(last)]):
                continue  # the object of 依托, 通过 … is no agent
            if last.mention.type not in types:
                if last.mention.type is PLACE:
                    continue  # a place modifying a body: 福建省相关部门单位
                return []
            group = [last]
            while cands:
                prev = cands[-1]
                if prev.mention.type in types and _CONJ.match(
                    self.text[self.end(prev) : self.start(group[0])]
                ):
                    group.insert(0, cands.pop())
                else:
                    break
            return group
        return []

    def _subject_of_previous_clause(
        self, last: Resolved, cands: list[Resolved], types
    ) -> list[Resolved]:
        """Across a comma the agent is the previous clause's subject, or the group
        after a pivot verb (中宣部组织人民日报社、新华社…，在…开设…)."""
        if not _ends_clause(self.text[self.end(last) :]):
            group = []
        else:
            group = self._group_ending(last, cands, types)
        if group and _PIVOT.search(self.text[: self.start(group[0])]):
            return group
        clause_start = max(
            (m.end() for m in _CLAUSE_END.finditer(self.text[: self.start(last)])), default=0
        )
        first = [r for r in self.items if clause_start <= self.start(r) <= clause_start + 2]
        if first and first[0].mention.type in types:
            rest = [r for r in self.items if self.start(r) > self.start(first[0])]
            return self.group_starting(first[0], rest, types)
        return []

    def _group_ending(self, last: Resolved, cands: list[Resolved], types) -> list[Resolved]:
        if last.mention.type not in types:
            return []
        group = [last]
        for prev in reversed(cands):
            if prev.mention.type in types and _CONJ.match(
                self.text[self.end(prev) : self.start(group[0])]
            ):
                group.insert(0, prev)
            else:
                break
        return group

    def group_starting(self, first: Resolved, rest: list[Resolved], types) -> list[Resolved]:
        group = [first]
        for r in rest:
            if r.mention.type in types and _CONJ.match(
                self.text[self.end(group[-1]) : self.start(r)]
            ):
                group.append(r)
            else:
                break
        return group

    def after(
        self, pos: int, types: tuple[EntityType, ...], *, within: int = 40
    ) -> Resolved | None:
        """The first mention of ``types`` after ``pos`` in the same clause."""
        for r in self.items:
            if self.start(r) < pos:
                continue
            gap = self.text[pos : self.start(r)]
            if len(gap) > within or re.search(r"[。；！？]", gap):
                return None
            if r.mention.type in types:
                return r
        return None

    def find(self, words: tuple[str, ...]) -> Iterator[tuple[int, int, str]]:
        """Each occurrence of each trigger word, grouped by word as the rules expect."""
        if not _any_of(words).search(self.text):
            return
        for w in words:
            start = self.text.find(w)
            while start >= 0:
                yield start, start + len(w), w
                start = self.text.find(w, start + 1)


@cache
def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in words))


def _ends_clause(gap: str) -> bool:
    head = _CLAUSE_END.split(gap, maxsplit=1)[0]
    return len(head) <= 5


def _ent(r: Resolved) -> Entity:
    return r.entity


# --- rules -------------------------------------------------------------------

Rule = Callable[[View, DocContext], Iterator[Relation]]
RULES: list[tuple[str, Rule]] = []


def rule(rule_id: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES.append((rule_id, fn))
        return fn

    return register


@rule("title")
def titles(v: View, ctx: DocContext) -> Iterator[Relation]:
    people = {v.start(r): r for r in v.items if r.mention.type is PER}
    for phrase in v.titles:
        person = people.get(phrase.person_start - v.sentence.start)
        if person is None:
            continue
        orgs = {v.start(r): r for r in v.items if r.mention.type in BODIES}
        for t in phrase.titles:
            yield Relation(_ent(person), "holdsPosition", t.text, "title.position", 0.9)
            org = orgs.get(t.org_start - v.sentence.start) if t.org else None
            if org is not None:
                yield Relation(_ent(person), "affiliatedWith", _ent(org), "title.affiliation", 0.9)
    for r in v.items:
        if r.mention.type is PER:
            tail = v.text[v.end(r) : v.end(r) + 3]
            if tail.startswith("总书记"):
                yield Relation(_ent(r), "holdsPosition", "总书记", "title.after_name", 0.85)


@rule("located")
def located(v: View, ctx: DocContext) -> Iterator[Relation]:
    for a, b in zip(v.items, v.items[1:], strict=False):
        gap = v.text[v.end(a) : v.start(b)]
        if a.mention.type is not PLACE or a.entity.label == b.entity.label:
            continue
        if b.mention.type is PLACE and gap == "":
            tail = v.text[v.end(b) : v.end(b) + 2]
            if not re.match(r"[委政人]", tail):
                yield Relation(_ent(b), "locatedIn", _ent(a), "locatedIn.adjacent_place", 0.85)
        elif b.mention.type is PLAT and gap == "“":
            yield Relation(_ent(b), "locatedIn", _ent(a), "locatedIn.place_platform", 0.8)
    for s, e, w in v.find(v.lex.trigger("located")):
        subjects = v.before(s, (ORG, PLAT, PLACE))
        places = []
        for r in v.items:  # 位于上海市黄浦区: the most specific of the places that follow
            if v.start(r) >= e and r.mention.type is PLACE and v.start(r) == (v.end(places[-1]) if places else e):
                places.append(r)
        if subjects and places:
            for a in subjects:
                yield Relation(_ent(a), "locatedIn", _ent(places[-1]), f"locatedIn.{w}", 0.85)


@rule("operates")
def operates(v: View, ctx: DocContext) -> Iterator[Relation]:
    for a, b in zip(v.items, v.items[1:], strict=False):
        if (
            a.mention.type is ORG
            and b.mention.type is PLAT
            and v.text[v.end(a) : v.start(b)] in ("“", "‘")
        ):
            yield Relation(_ent(a), "operates", _ent(b), "operates.possessive", 0.85)
    for s, e, _w in v.find(v.lex.trigger("operate")):
        if not v.text.startswith("的", e):
            continue
        agents = v.before(s, BODIES)
        if not agents:
            continue
        target = v.after(e, (PLAT,), within=16)
        if target is None:  # “领导留言板”是人民日报为…搭建的网上群众工作平台
            lead = [r for r in v.items if v.start(r) <= 1 and r.mention.type is PLAT]
            if (
                lead
                and re.match(r"^[”」]?是", v.text[v.end(lead[0]) :])
                and re.search("平台|渠道|栏目", v.text[e : e + 16])
            ):
                target = lead[0]
        if target is not None:
            for a in agents:
                yield Relation(_ent(a), "operates", _ent(target), "operates.built_by", 0.8)
    for s, e, _w in v.find(("打造", "搭建")):
        agents = v.before(s, BODIES)
        target = v.after(e, (PLAT,), within=16)
        if agents and target is not None and v.text[e : e + 1] != "的":
            for a in agents:
                yield Relation(_ent(a), "operates", _ent(target), "operates.build_verb", 0.75)


@rule("launched")
def launched(v: View, ctx: DocContext) -> Iterator[Relation]:
    for s, e, w in v.find(v.lex.trigger("launch")):
        if v.text.startswith("的", e):
            continue
        agents = v.before(s, AGENTS[1:], cross_comma=True)
        target = v.after(e, (PLAT, EVENT), within=24)
        if not agents or target is None:
            continue
        for a in agents:
            yield Relation(_ent(a), "launched", _ent(target), f"launched.{w}", 0.8)
            if w == "发起" and target.mention.type is EVENT:
                yield Relation(_ent(a), "organized", _ent(target), "organized.发起", 0.8)


@rule("organized")
def organized(v: View, ctx: DocContext) -> Iterator[Relation]:
    for s, e, w in v.find(v.lex.trigger("organize") + ("开展",)):
        agents = v.before(s, (PER, ORG), cross_comma=False)
        if agents and re.search(r"(?:按照|根据|遵照)$", v.text[: v.start(agents[0])]):
            continue  # the framing 按照党中央统一部署 states no organiser
        if not agents and w in ("部署", "作出安排", "作出具体安排"):
            # 习近平总书记对此次…活动高度重视，…进行专门部署
            lead = [r for r in v.items if r.mention.type in (PER, ORG) and v.start(r) < s]
            dated = _LEAD_DATE.match(v.text)  # 8月14日，中办、国办…，部署开展…
            opening = v.text[dated.end() if dated else 0 : v.start(lead[0])] if lead else ""
            agents = (
                v.group_starting(lead[0], lead[1:], (PER, ORG))
                if lead and _CLAUSE_END.search(opening) is None
                else []
            )
        if not agents:
            continue
        target = v.after(e, (EVENT,), within=30) if w != "部署" else None
        if target is None:
            events = [r for r in v.items if r.mention.type is EVENT]
            target = events[0] if events else None
        entity = _ent(target) if target else _anaphor(v.text, ctx)
        if (
            entity is None
            and w.startswith("组织")
            and re.search(r"推动活动|活动[^，。]{0,6}开展", v.text[e:])
        ):
            entity = ctx.topic
        if entity is not None and entity.type is EVENT:
            for a in agents:
                yield Relation(_ent(a), "organized", entity, f"organized.{w}", 0.75)


@rule("hosted")
def hosted(v: View, ctx: DocContext) -> Iterator[Relation]:
    for predicate, words in (("hosted", ("主办", "承办")), ("guided", ("指导",))):
        for s, e, w in v.find(words):
            agents = v.before(s, BODIES)
            if not agents:
                continue
            passive = v.text[: v.start(agents[0])].endswith("由")
            target = v.after(e, (EVENT,), within=40 if passive else 12)
            entity = _ent(target) if target else None
            if entity is None and passive:
                entity = _event_before_by(v, v.start(agents[0]) - 1, ctx)  # 论坛由X指导
            if entity is None:
                continue
            for a in agents:
                yield Relation(
                    _ent(a), predicate, entity, f"{predicate}.{w}", 0.9 if target else 0.75
                )
    for s, e, w in v.find(("举办", "召开", "举行")):
        agents = v.before(s, BODIES)
        target = v.after(e, (EVENT,), within=2)
        if not agents or target is None:
            continue
        gap_start = v.end(agents[-1])
        place = _place_gap(v, gap_start, s)  # 人民网在北京举办…: the host, then where
        if place is None and re.search(r"在[^，。]*$", v.text[gap_start:s]):
            continue  # …在人民日报社举行: the body is the venue, not the host
        for a in agents:
            yield Relation(_ent(a), "hosted", _ent(target), f"hosted.{w}", 0.75)
        if place is not None:
            yield Relation(_ent(target), "heldIn", _ent(place), f"heldIn.在{w}.host", 0.8)


def _place_gap(v: View, start: int, end: int) -> Resolved | None:
    """The place of a gap that is exactly 在 + a place name (在北京), else None."""
    if v.text[start : start + 1] != "在":
        return None
    inside = [r for r in v.items if start < v.start(r) and v.end(r) <= end]
    if len(inside) == 1 and inside[0].mention.type is PLACE and v.start(inside[0]) == start + 1 and v.end(inside[0]) == end:
        return inside[0]
    return None


@rule("held")
def held(v: View, ctx: DocContext) -> Iterator[Relation]:
    for s, _e, w in v.find(v.lex.trigger("convene")):
        head = v.text[:s]
        at = head.rfind("在")
        if at < 0:
            continue
        places = [r for r in v.items if at < v.start(r) and v.end(r) <= s]
        if not places or any(r.mention.type is not PLACE for r in places):
            continue
        if v.text[v.end(places[-1]) : s].strip():
            continue
        events = [r for r in v.items if r.mention.type is EVENT and v.end(r) <= at]
        if events:
            yield Relation(_ent(events[-1]), "heldIn", _ent(places[-1]), f"heldIn.在{w}", 0.85)


@rule("startDate")
def start_date(v: View, ctx: DocContext) -> Iterator[Relation]:
    dates = [
        m
        for m in _DATE.finditer(v.text)
        if not re.match(r"[\u4e00-\u9fff]{0,3}(?:大会|峰会)", v.text[m.end() :])
    ]
    for m in dates:
        date = _absolute(m, ctx.date)
        if date and re.match(r"^(?:上午|下午|晚上)?拍摄的", v.text[m.end() :]):
            target = v.after(m.end(), (EVENT,), within=6)
            if target:
                yield Relation(_ent(target), "startDate", date, "startDate.photo_caption", 0.85)
                return
    for s, _e, w in v.find(v.lex.trigger("start")):
        if w == "拍摄":
            continue
        events = [r for r in v.items if r.mention.type is EVENT and v.end(r) <= s]
        if not events:
            # 5月20日，人民网在北京举办…交流会: the event named straight after the verb
            named = v.after(_e, (EVENT,), within=2)
            head = [m for m in dates if m.end() <= s]
            date = _absolute(head[-1], ctx.date) if named is not None and head else None
            if date:
                yield Relation(_ent(named), "startDate", date, f"startDate.{w}.object", 0.75)
                return
            continue
        event = events[-1]
        before = [
            m
            for m in dates
            if m.end() <= s
            and _CLAUSE_END.search(v.text[m.end() : v.start(event)] or "") is None
            or m.end() <= v.start(event)
        ]
        date = _absolute(before[-1], ctx.date) if before else None
        if date:
            yield Relation(_ent(event), "startDate", date, f"startDate.{w}", 0.8)
            return


def _absolute(m: re.Match[str], doc_date: str | None) -> str | None:
    year, month, day = m.group(1), int(m.group(2)), m.group(3)
    if not 1 <= month <= 12:
        return None
    if year is None:
        if not doc_date:
            return None
        doc_year, doc_month = int(doc_date[:4]), int(doc_date[5:7]) if len(doc_date) >= 7 else 12
        year = str(doc_year - 1 if month > doc_month else doc_year)
    if day is None:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{int(day):02d}"


@rule("published")
def published(v: View, ctx: DocContext) -> Iterator[Relation]:
    for s, e, w in v.find(v.lex.trigger("publish")):
        agents = v.before(s, (PER, ORG), cross_comma=True)  # X举办…，发布了《…》: one subject, two verbs
        target = v.after(e, (DOC,), within=40)
        if agents and target is not None:
            for a in agents:
                yield Relation(_ent(a), "published", _ent(target), f"published.{w}", 0.85)


@rule("commentedOn")
def commented(v: View, ctx: DocContext) -> Iterator[Relation]:
    people = [r for r in v.items if r.mention.type is PER]
    objects = (ORG, PLAT, EVENT, DOC)
    speech = v.lex.trigger("speech") + v.lex.trigger("introduce")
    for person in people:
        tail = v.text[v.end(person) :]
        lead = re.match(r"^(?:在[^，。“”]{0,10}上)?(?:也|还|则)?(?:致辞|讲话|发言)?", tail)
        pos = v.end(person) + (lead.end() if lead else 0)
        rest = v.text[pos:]
        verb = next((w for w in v.lex.trigger("evaluate") + speech if rest.startswith(w)), None)
        if verb is None:
            continue
        ctx.speakers.append((_ent(person), v.sentence.start))
        after_verb = pos + len(verb)
        if (
            verb in v.lex.trigger("evaluate")
            or verb == "介绍"
            and v.text.startswith("了", after_verb)
        ):
            target = v.after(after_verb, objects, within=8)
            if target is not None:
                yield Relation(
                    _ent(person), "commentedOn", _ent(target), f"commentedOn.{verb}", 0.8
                )
                # …的积极探索，如新近推出的…“民意通”: the examples are introduced too
                example = re.search(r"[，,](?:例如|比如|如)", v.text[after_verb:])
                if example:
                    pos_ex = after_verb + example.end()
                    named = v.after(pos_ex, (PLAT, EVENT, DOC), within=30)
                    if named is not None:
                        yield Relation(
                            _ent(person),
                            "commentedOn",
                            _ent(named),
                            f"commentedOn.{verb}.example",
                            0.7,
                        )
        quotes = [(m.start(1), m.end(1)) for m in _QUOTE.finditer(v.text) if _is_speech(m.group(1))]
        said = [q for q in quotes if q[1] < v.start(person) or q[0] > after_verb]
        reported = None
        if re.match(r"^[，,]", v.text[after_verb:]) and not any(
            q[0] == after_verb + 2 for q in said
        ):
            reported = (after_verb + 1, len(v.text))  # reported speech: 时伟表示，这是…
            said.append(reported)
        for qs, qe in said:
            ctx.said.append((_ent(person), v.sentence.start, _words(v.text[qs:qe])))
            if (qs, qe) == reported and verb not in v.lex.trigger("speech"):
                continue  # 李建成介绍，… reports what happened; it evaluates nothing
            yield from _about(v, ctx, person, qs, qe, objects)


def _words(quoted: str) -> str:
    """The quoted words as a Statement and a commentedOn fact both carry them."""
    return quoted.rstrip("。")


def _is_speech(quoted: str) -> bool:
    """A quotation, not a quoted name: “城市大脑” names a platform, it says nothing."""
    return len(quoted) >= 12 or bool(re.search(r"[，。！？；,]", quoted))


def _about(
    v: View, ctx: DocContext, person: Resolved, qs: int, qe: int, objects
) -> Iterator[Relation]:
    """What a quote or reported clause evaluates: its clause subjects and anaphors."""
    quote = v.text[qs:qe]
    words = _words(quote)
    clause_starts = [0] + [m.end() for m in re.finditer(r"[，。；！？]", quote)]
    for cs in clause_starts:
        clause = quote[cs:]
        anaphor = re.match(
            r"^(?:这是|(?:此次|这次|本次)[\u4e00-\u9fff]{0,10}?(?:活动|大会|会议|峰会|征集))",
            clause,
        )
        if anaphor and ctx.topic is not None and cs == 0:
            yield Relation(
                _ent(person), "commentedOn", ctx.topic, "commentedOn.anaphor", 0.7, words
            )
            continue
        if cs == 0 and ctx.main_platform is not None and _PLATFORM_ANAPHOR.match(clause):
            yield Relation(
                _ent(person), "commentedOn", ctx.main_platform, "commentedOn.platform_anaphor", 0.7, words
            )
            continue
        for r in v.items:
            if v.start(r) < qs or v.end(r) > qe:
                continue
            start = v.start(r) - qs
            if start < cs or start > cs + 2 or r.mention.type not in objects:
                continue
            prefix = clause[: start - cs]
            if re.match(r"^[‘“]?[\u4e00-\u9fff]{0,2}$", prefix) is None or re.search(
                r"[与和同跟对向在为把被由从]", prefix
            ):
                continue
            head = r
            nxt = [x for x in v.items if v.start(x) - qs == start + (v.end(r) - v.start(r)) + 1]
            if nxt and nxt[0].mention.type is PLAT and v.text[v.end(r)] in "‘“":
                head = nxt[0]  # 人民网‘领导留言板’帮助… is about the platform
            if head.entity.label == person.entity.label:
                continue
            if re.match(r"^[’”]?(?:上|中|里)", v.text[v.end(head) :]):
                continue  # a place or a tool inside the quote: 根据人民网上的群众建议
            yield Relation(
                _ent(person), "commentedOn", _ent(head), "commentedOn.quote_subject", 0.7, words
            )
            break


@rule("spokesperson")
def spokesperson(v: View, ctx: DocContext) -> Iterator[Relation]:
    for r in v.items:
        if r.mention.type is ORG and re.match(r"^负责人就", v.text[v.end(r) :]):
            target = v.after(v.end(r) + 4, (EVENT,), within=4)
            if target is not None and re.search("答记者问|接受[^，。]{0,8}采访", v.text):
                yield Relation(
                    _ent(r), "commentedOn", _ent(target), "commentedOn.spokesperson", 0.8
                )


#: 出席会议并讲话, 出席座谈会: the meeting the report is about, not named again.
_BARE_MEETING = re.compile(r"了?(?:会议|大会|峰会|论坛|座谈会|研讨会|交流会|推进会|发布会|活动)(?![\u4e00-\u9fff]{0,2}[会坛动])")


@rule("participatedIn")
def participated(v: View, ctx: DocContext) -> Iterator[Relation]:
    for s, e, w in v.find(v.lex.trigger("participate")):
        agents = v.before(s, (PER, ORG), cross_comma=True)
        target = v.after(e, (EVENT,), within=10)
        bare_meeting = w in ("来到会场", "与会") or _BARE_MEETING.match(v.text, e)
        entity = _ent(target) if target else ctx.meeting if bare_meeting else None
        if entity is not None:
            for a in agents:
                yield Relation(_ent(a), "participatedIn", entity, f"participatedIn.{w}", 0.8)
    if ctx.meeting is None:
        return
    lead = re.match(r"^(?:会上|峰会上|大会上|论坛上|会议上|主论坛上)，", v.text)
    first = v.after(lead.end(), (PER, ORG), within=0) if lead else None
    if first is not None and v.text[v.end(first) : v.end(first) + 1] not in ("“", "‘"):
        group = [first]
        for r in v.items:
            if (
                v.start(r) > v.end(group[-1])
                and r.mention.type in (PER, ORG)
                and _CONJ.match(v.text[v.end(group[-1]) : v.start(r)])
            ):
                group.append(r)
        for a in group:
            yield Relation(_ent(a), "participatedIn", ctx.meeting, "participatedIn.会上", 0.75)
    for r in v.items:
        if r.mention.type is PER and _AT_MEETING.match(v.text[v.end(r) :]):
            yield Relation(_ent(r), "participatedIn", ctx.meeting, "participatedIn.在会上", 0.8)


def _event_before_by(v: View, by: int, ctx: DocContext) -> Entity | None:
    """The event a passive 由 clause is about: named just before it, or a bare 论坛/大会 meaning the meeting."""
    before = [r for r in v.items if v.end(r) <= by and r.mention.type is EVENT]
    if before and by - v.end(before[-1]) <= 2:
        return _ent(before[-1])
    if re.search(r"(?:论坛|大会|峰会|会议)$", v.text[:by]):
        return ctx.meeting or ctx.recent_event
    if re.search(r"活动$", v.text[:by]):
        return ctx.topic
    return None


def _anaphor(text: str, ctx: DocContext) -> Entity | None:
    m = _ANAPHOR.search(text)
    if m is None:
        return None
    return (
        ctx.meeting if m.group(1) in ("大会", "会议", "峰会", "论坛") and ctx.meeting else ctx.topic
    )


def apply(v: View, ctx: DocContext) -> Iterator[Relation]:
    for _id, fn in RULES:
        yield from fn(v, ctx)


def speakers_at_meeting(ctx: DocContext, views: list[View]) -> Iterator[tuple[View, Relation]]:
    """In a report on one meeting, everyone reported as speaking took part."""
    if ctx.meeting is None:
        return
    by_start = {v.sentence.start: v for v in views}
    for person, start in ctx.speakers:
        v = by_start[start]
        if _ELSEWHERE.search(v.text) or person in ctx.hosts:
            continue
        yield (
            v,
            Relation(
                person, "participatedIn", ctx.meeting, "participatedIn.speaker_at_meeting", 0.7
            ),
        )
