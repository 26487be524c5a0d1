"""The rules that are not frames: titles, adjacency, places and dates, registered by id.

Each function reads one sentence (a :class:`View`) and the article's
:class:`DocContext` and yields relations; it is registered with the rule ids
it may put in a fact's evidence (:mod:`kg.extraction.registry`). Speech is in
:mod:`kg.extraction.speech`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import rjieba

from kg.extraction.context import DocContext
from kg.extraction.dates import absolute, date_mentions
from kg.extraction.frames import FrameSet
from kg.extraction.matcher import Relation
from kg.extraction.registry import special
from kg.extraction.view import CLAUSE_END, OFFICIALS, View
from kg.mentions import LEVEL_END
from kg.resolve import Resolved
from kg.titles import Title, whole_word
from kg.types import EVENT, ORG, PER, PLACE, PLAT


def _relationship(v: View, t: Title) -> bool:
    """他的老师卡尔·施泰勒, 夺得金牌的运动员盛李豪: a bare title right after 的 describes the person, it is no post."""
    start = t.start - v.sentence.start
    return t.org is None and t.text in v.lex.titles and v.text[start - 1 : start] == "的"


def _session_role(t: Title, frames: FrameSet) -> bool:
    """大会主席团常务主席、执行主席: roles for one session of a meeting, not posts; 美术老师, 策展人: an
    occupation that says nowhere it is held; 企业负责人: a job in a kind of body, none named."""
    if t.text in frames.word("session_roles") or any(b in t.text for b in frames.word("session_bodies")):
        return True
    job = next((w for w in frames.word("occupational_titles") if t.text.endswith(w)), None)
    if job is not None and t.org is None and len(t.text) - len(job) <= _SUBJECT_MAX:
        return True
    return t.org is None and any(kind + job in t.text for kind in frames.word("generic_bodies") for job in _GENERIC_JOBS)


#: Jobs held in any body (企业负责人): with a kind of body before them, they say no post.
_GENERIC_JOBS = ("负责人", "工作人员", "员工", "职工")


#: The length of a subject or rank before an occupation (美术老师, 副部级离休干部) that names no place of work.
_SUBJECT_MAX = 5


@special("title.position", "title.affiliation", "title.after_name")
def titles(v: View, ctx: DocContext, frames: FrameSet) -> Iterator[Relation]:
    """人民日报社原副总编辑马利: the title as written, and the organisation named in it; 习近平主席: the title after."""
    by_start = {v.start(r): r for r in v.items if r.mention.type is PER}
    by_span = {(v.start(r), v.end(r)): r for r in v.items}
    for phrase in v.titles:
        person = by_start.get(phrase.person_start - v.sentence.start)
        if person is None or person.mention.type is not PER:
            continue
        for t in phrase.titles:
            if _relationship(v, t) or _session_role(t, frames):
                continue
            yield Relation(person.entity, "holdsPosition", t.text, "title.position", 0.9)
            org = by_span.get((t.org_start - v.sentence.start, t.org_end - v.sentence.start)) if t.org else None
            if org is not None and org.mention.type in (ORG, PLAT):
                yield Relation(person.entity, "affiliatedWith", org.entity, "title.affiliation", 0.9)
    after = sorted(frames.word("titles_after_name"), key=len, reverse=True)
    for r in v.of_type((PER,)):
        word = next((w for w in after if v.text.startswith(w, v.end(r))), None)
        if word is not None and whole_word(v.text, v.end(r), word):  # not 主席台, 委员会
            yield Relation(r.entity, "holdsPosition", word, "title.after_name", 0.85)


#: A place name that runs on past a mention: its rest ends in a place word.
_PLACE_GOES_ON = re.compile(r"[\u4e00-\u9fff]{0,4}?(?:社区|小区|新区|高新区|开发区|园区|街道)")


def _same_place(a: str, b: str) -> bool:
    """临湘|临湘市: one place written twice, once with its level."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and (long == short or LEVEL_END.fullmatch(long[len(short) :]) is not None)


#: A body's or a site's name running on past a place (…农技站, …人才市场, …港, …地质勘探学院).
_BODY_ON = re.compile(
    r"[\u4e00-\u9fff]{0,8}?(?:站|港|庄|学院|大学|中学|小学|学校|市场|中心|公司|集团|医院|研究所|研究院|银行|协会|厂)"
)


def _names_a_body(text: str, pos: int) -> bool:
    """The words from ``pos`` to a body's or site's ending are the rest of its name: nouns, no verb."""
    m = _BODY_ON.match(text, pos)
    return m is not None and not any(tag.startswith(("v", "p", "c", "u", "d")) for _, tag in rjieba.tag(m.group()))


@special("locatedIn.adjacent_place", "locatedIn.place_platform")
def adjacent_places(v: View, ctx: DocContext, frames: FrameSet) -> Iterator[Relation]:
    """福建省宁德市 (宁德市 in 福建省); 北京“接诉即办” (the platform in 北京市)."""
    starts = {v.start(r) for r in v.items}
    for a, b in zip(v.items, v.items[1:], strict=False):
        if a.mention.type is not PLACE or _same_place(a.entity.label, b.entity.label):
            continue
        gap = v.text[v.end(a) : v.start(b)]
        if v.end(b) not in starts and not LEVEL_END.search(b.mention.text) and _PLACE_GOES_ON.match(v.text, v.end(b)):
            continue  # 南京台城|花园社区, 武汉东湖|高新区: b only begins a longer place's name
        if v.end(b) not in starts and _names_a_body(v.text, v.end(b)):
            continue  # 江苏省如东县孙窑乡|农技站, 宁波舟山|港: the places begin a body's or site's name
        if b.mention.type is PLACE and gap == "" and not re.match(r"[委政人]", v.text[v.end(b) : v.end(b) + 1]):
            yield Relation(b.entity, "locatedIn", a.entity, "locatedIn.adjacent_place", 0.85)
        elif b.mention.type is PLAT and gap == "“":
            yield Relation(b.entity, "locatedIn", a.entity, "locatedIn.place_platform", 0.8)


@special("operates.possessive")
def possessive(v: View, ctx: DocContext, frames: FrameSet) -> Iterator[Relation]:
    """人民网“领导留言板”, 人民日报“读者来信”: a body and the quoted platform it runs."""
    for a, b in zip(v.items, v.items[1:], strict=False):
        if a.mention.type is ORG and b.mention.type is PLAT and v.text[v.end(a) : v.start(b)] in ("“", "‘", "的“"):
            yield Relation(a.entity, "operates", b.entity, "operates.possessive", 0.85)


@special("heldIn.at_place", "heldIn.host_at_place", "heldIn.attended_at")
def held_in(v: View, ctx: DocContext, frames: FrameSet) -> Iterator[Relation]:
    """<event>在<place>举行, <host>在<place>举办<event>, <person>在<place>出席<event>: the most specific place named."""
    for s, e, _w in v.find(frames.word("convene")):
        places = _places_before(v, s)
        if not places:
            continue
        at = v.start(places[0]) - 1
        events = [r for r in v.items if r.mention.type is EVENT and v.end(r) <= at]
        if events and _same_clause(v, v.end(events[-1]), at):
            yield Relation(events[-1].entity, "heldIn", places[-1].entity, "heldIn.at_place", 0.85)
            continue
        named = v.after(e, (EVENT,), within=2)
        if named is not None:
            yield Relation(named.entity, "heldIn", places[-1].entity, "heldIn.host_at_place", 0.8)
    for s, e, _w in v.find(frames.word("attend_at")):  # 习近平在巴西里约热内卢出席…峰会
        places = _places_before(v, s)
        named = v.after(e, (EVENT,), within=2) if places else None
        if named is not None:
            yield Relation(named.entity, "heldIn", places[-1].entity, "heldIn.attended_at", 0.75)


#: Words of manner between the place and the verb of meeting.
_MANNER = ("隆重", "盛大", "正式", "顺利", "圆满", "同期")


def _places_before(v: View, verb: int) -> list[Resolved]:
    """在北京, 在福建省宁德市 right before the verb (or a word of manner before it: 在人民大会堂隆重举行):
    the chain of places after 在."""
    chain: list[Resolved] = []
    manner = next((w for w in _MANNER if v.text.startswith(w, verb - len(w))), "")
    pos = verb = verb - len(manner)
    for r in reversed([r for r in v.items if v.end(r) <= verb]):
        if v.end(r) != pos or r.mention.type is not PLACE:
            break
        chain.insert(0, r)
        pos = v.start(r)
    if chain and v.text[pos - 1 : pos] in ("在", "于"):
        return chain
    return []


def _same_clause(v: View, start: int, end: int) -> bool:
    gap = v.text[start:end]
    return not CLAUSE_END.search(gap) and len(gap) <= 20


#: Verbs of meeting that date its end, not its start (进博会今天闭幕).
_ENDING = frozenset({"闭幕"})


@special("startDate.convened", "startDate.photo_caption")
def start_date(v: View, ctx: DocContext, frames: FrameSet) -> Iterator[Relation]:
    """9月5日，…<event>在…开幕: the date of the clause that says the event took place."""
    dates = date_mentions(v.text)
    if not dates:
        return
    verbs = [s for s, e, w in v.find(frames.word("convene")) if not v.inside_name(s, e) and w not in _ENDING]
    for s in verbs:
        event = _event_of_verb(v, s)
        if event is None or v.text[:s].endswith(_GOING_ON):
            continue  # 继续举行: the event began before that day
        before = [
            d
            for d in dates
            if d.end <= s and _says_when(v.text, d.start, d.end, s) and not any(d.end <= o < s for o in verbs)
        ]  # a date dates the first verb after it (7月26日，…举行欢迎晚宴，欢迎…出席…开幕式)
        date = absolute(before[-1], ctx.date, event.entity.label) if before else None
        if date:
            rule = "startDate.photo_caption" if v.text.startswith("拍摄", s) else "startDate.convened"
            yield Relation(event.entity, "startDate", date, rule, 0.8)
            return


@special("startDate.at_event", "startDate.letter")
def start_date_at_event(v: View, ctx: DocContext, frames: FrameSet) -> Iterator[Relation]:
    """2013年8月，习近平在<event>上发表讲话; 在9月20日…举办的<event>上; 9月5日，习近平向<event>致贺信:
    the date of an act at the event, or of the letter sent to it, is the event's date."""
    dates = date_mentions(v.text)
    if not dates:
        return
    letters = frames.word("letters")
    for event in v.of_type((EVENT,)):
        at = _AT_EVENT.match(v.text, v.end(event))
        before = v.text[: v.start(event)]
        if at is not None and "在" in CLAUSE_END.split(before)[-1]:
            rule = "startDate.at_event"
        elif before.endswith("向") and v.text.startswith(letters, v.end(event)):
            rule = "startDate.letter"
        else:
            continue
        when = [d for d in dates if d.end <= v.start(event) and _says_when(v.text, d.start, d.end, v.start(event))]
        date = absolute(when[-1], ctx.date, event.entity.label) if when else None
        if date:
            yield Relation(event.entity, "startDate", date, rule, 0.75)


#: Before a verb of meeting, these say the event was already under way (6日继续举行).
_GOING_ON = ("继续", "仍在", "持续")

#: Between a date and the verb, these say the event's day is another (近日, 日前; 距…开幕还有30天, a
#: countdown): the date is not its start.
_VAGUE_WHEN = re.compile(r"近日|日前|近期|前不久|此前|距离?|倒计时")


#: A countdown to the verb (开幕倒计时30天): the date is of the countdown, not the start.
_COUNTDOWN_AFTER = re.compile(r"[\u4e00-\u9fff]{1,2}倒计时")


def _says_when(text: str, start: int, end: int, verb: int) -> bool:
    """A date that dates the verb: not 截至…, not a dateline (…日电), no 近日 between it and the verb."""
    if text.startswith("截至", max(0, start - 2)) or text.startswith(("电", "讯"), end):
        return False
    return not _VAGUE_WHEN.search(text, end, verb) and not _COUNTDOWN_AFTER.match(text, verb)


def _event_of_verb(v: View, verb: int) -> Resolved | None:
    """The event that 开幕/举行/召开 is said of: the subject before it, else the object right after."""
    events = [r for r in v.items if r.mention.type is EVENT and v.end(r) <= verb]
    if events and _same_clause(v, v.end(events[-1]), verb):
        return events[-1]
    return v.after(verb + 2, (EVENT,), within=2)


#: After a named event, the words that place an act at it: …开幕式上, …分论坛上, …期间.
#: How far a speaker's name may stand before 在 in 习近平总书记在…上的讲话 (a title after the name).
_TITLE_AFTER_NAME_MAX = 3
_AT_EVENT = re.compile(r"(?:开幕式|闭幕式|开幕会|启动仪式|仪式|现场|主论坛|分论坛)?(?:上|期间)")


@special("participatedIn.at_event")
def at_event(v: View, ctx: DocContext, frames: FrameSet) -> Iterator[Relation]:
    """X在<event>上…, 在<event>上，X…: who acts at a named event took part in it."""
    for event in v.of_type((EVENT,)):
        at = _AT_EVENT.match(v.text, v.end(event))
        if at is None:
            continue
        if v.text.startswith("，", at.end()) and _opens_clause(v, v.start(event)):
            agents = v.clause_subject(at.end() + 1, (PER, ORG))
        elif v.text[: v.start(event)].endswith(("在", "于")):
            agents = v.agents_before(v.start(event) - 1, (PER, ORG))
            if v.text.startswith("的", at.end()):  # 围绕习近平总书记在全会上的重要讲话: only the speaker was there
                agents = [a for a in agents if v.start(event) - 1 - v.end(a) <= _TITLE_AFTER_NAME_MAX]
        else:
            continue
        for a in agents:
            if a.entity != event.entity:
                yield Relation(a.entity, "participatedIn", event.entity, "participatedIn.at_event", 0.75)


def _opens_clause(v: View, pos: int) -> bool:
    """Only 在/于 or a quote mark stands between the clause start and ``pos``."""
    clause_start = max((m.end() for m in CLAUSE_END.finditer(v.text[:pos])), default=0)
    return re.fullmatch(r"(?:在|于)?[“「]?", v.text[clause_start:pos]) is not None


_ITS_OFFICIALS = re.compile(OFFICIALS)


@special("participatedIn.officials")
def officials(v: View, ctx: DocContext, frames: FrameSet) -> Iterator[Relation]:
    """国家发展改革委、科技部…负责同志与党外人士进行了协商交流: in a report on one meeting, bodies whose
    officials open a clause acted at it."""
    if ctx.meeting is None:
        return
    for r in v.of_type((ORG,)):
        if not _ITS_OFFICIALS.match(v.text, v.end(r)) or v.in_title(r):
            continue
        group = v.list_ending(r, (ORG,))
        if _opens_clause(v, v.unit_start(group[0])) and r.entity not in ctx.hosts:
            for a in group:
                if a.entity not in ctx.hosts:
                    yield Relation(a.entity, "participatedIn", ctx.meeting, "participatedIn.officials", 0.75)


#: 参加上述活动, 出席上述会议: the events named before, all of them.
_AFORESAID = re.compile(r"(?:参加|出席|陪同|陪同参加)了?上述(?:活动|会议|会见|会谈)")


@special("participatedIn.aforesaid")
def aforesaid(v: View, ctx: DocContext, frames: FrameSet) -> Iterator[Relation]:
    """蔡奇、王毅等参加上述活动: those listed took part in every event the article reported as held or
    attended before."""
    m = _AFORESAID.search(v.text)
    if m is None:
        return
    events = dict.fromkeys(e for named in ctx.attended[: v.index] for e in named)
    for a in v.agents_before(m.start(), (PER, ORG)):
        for event in events:
            yield Relation(a.entity, "participatedIn", event, "participatedIn.aforesaid", 0.75)


@special("participatedIn.at_meeting")
def at_meeting(v: View, ctx: DocContext, frames: FrameSet) -> Iterator[Relation]:
    """会上，X…; X在会上…: in a report on one meeting, those acting at it took part."""
    if ctx.meeting is None:
        return
    nouns = "|".join(frames.word("meeting_nouns"))
    lead = re.match(rf"^(?:在|于)?(?:这次|此次|本次|本届)?(?:会|{nouns}|主论坛|分论坛)(?:上|期间)，", v.text)
    if lead:
        opening = [r for r in v.of_type((PER, ORG)) if v.unit_start(r) == lead.end() and not v.in_title(r)]
        first = opening[0] if opening else None  # 会上，浙江大学校长王立新…: the person, not the title's body
        if first is not None and v.text[v.end(first) : v.end(first) + 1] not in ("“", "‘"):
            for a in v.list_starting(first, (PER, ORG)):
                if a.entity not in ctx.hosts:
                    yield Relation(a.entity, "participatedIn", ctx.meeting, "participatedIn.at_meeting", 0.75)
    for r in v.of_type((PER,)):
        if re.match(rf"^(?:在|于)(?:会|{nouns})上", v.text[v.end(r) :]):
            for a in v.list_ending(r, (PER,)):
                yield Relation(a.entity, "participatedIn", ctx.meeting, "participatedIn.at_meeting", 0.8)

