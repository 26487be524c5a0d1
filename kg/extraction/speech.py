"""Speech: who said what, and what their words comment on.

``X表示/指出/认为，…`` and ``“…”，X说`` attribute words to a speaker (a
:class:`Said`, which becomes a ``kg:Statement``); the speaker comments on
what the words evaluate: the subject of a clause of the quote, an explicit
anaphor (此次活动, 该平台), or the object of an evaluating verb (肯定了…).
``X致辞/致贺信`` comments on the event addressed. An unnamed official
(X负责人, X负责同志) speaks for their body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from kg.extraction.context import DocContext
from kg.extraction.frames import FrameSet
from kg.extraction.matcher import Relation, Said
from kg.extraction.registry import special
from kg.extraction.view import OFFICIALS, View
from kg.resolve import Resolved
from kg.types import DOC, EVENT, ORG, PER, PLAT, Entity

OBJECTS = (ORG, PLAT, EVENT, DOC)
_QUOTE = re.compile(r"“([^“”]*(?:“[^“”]*”[^“”]*)*)”")
_PLATFORM_ANAPHOR = re.compile(r"^(?:该|这一|这个|此)(?:平台|系统|客户端|小程序|栏目|热线)")
#: A clause of a quote that opens on the event reported on: 这是…, 此次活动…, 本届大运会….
_EVENT_ANAPHOR = re.compile(r"[‘“]?(?:(这是)|(?:此次|这次|本次|本届)[\u4e00-\u9fff]{0,8}?(活动|大会|会议|峰会|论坛|征集|会))")
_INTERVIEW = re.compile(r"答记者问|接受[^，。]{0,12}采访|回答[^，。]{0,8}提问|发表谈话|回应")
_ON_TOPIC = re.compile(r"(?:有关)?(?:负责人|负责同志|发言人|主要负责人)?就")
#: Prepositions that make the person after them the one spoken to (向X介绍, 同X表示).
_TO_LISTENER = ("向", "同", "给", "跟", "对")
#: Before a clause's first mention, words that make it an object, not the subject.
_NOT_A_SUBJECT = re.compile(r"[与和同跟对向在为把被由从]|借助|通过|依托|根据|随着|按照|经过|依靠|作为")
#: A clause that states what its subject will do (…将继续发力, …愿加强) plans; it evaluates nothing.
_INTENT = re.compile(r"[”’]?(?:也|还|都|则)?(?:将|愿|要|会|正在|计划|拟|准备|继续|力争|致力于)")
#: After an event, words that make it a point in time (党的十八大以来): the clause is about the period.
_SINCE = re.compile(r"[”’]?(?:以来|之后|以后|期间|前后|召开以来|召开后|胜利召开以来)")
#: The letters a person sends (贺信, 致信): read out at a meeting, or where words were said elsewhere.
_LETTER_NOUNS = "贺信|贺电|贺词|致信|来信|回信"
_ELSEWHERE = re.compile(rf"在[^，。]{{0,12}}(?:考察|调研|视察|访问)(?:时|期间)|在(?:{_LETTER_NOUNS}|信)中")
#: Between a speaker and the verb: 在会上, 也, 还, 致辞时, 负责人, and the 代表/委员 a delegate is called by.
_LEAD = re.compile(
    r"(?:同志|先生|女士)?(?:有关)?(?:负责人|负责同志|主要负责人|代表|委员)?(?:在[^，。“”]{0,10}(?:[上中]|现场))?(?:也|还|则|都|均|先后|分别|相继)?(?:致辞|讲话|发言)?(?:时|中)?"
)



@dataclass(frozen=True)
class _Speaker:
    who: Resolved
    verb: str
    after_verb: int  # offset just past the verb
    titled: bool = False  # named with a title after the name (习近平主席指出): cited more than heard


@special(
    "commentedOn.evaluate",
    "commentedOn.example",
    "commentedOn.quote_subject",
    "commentedOn.anaphor",
    "commentedOn.platform_anaphor",
    "commentedOn.address",
    "commentedOn.interview",
    "participatedIn.speaker_at_meeting",
    "commentedOn.letter_read",
)
def speech(v: View, ctx: DocContext, frames: FrameSet) -> Iterator[Relation | Said]:
    """Statements, commentedOn and the participation of speakers at the meeting reported on."""
    yield from _addresses(v, ctx, frames)
    yield from _reports(v, ctx)
    yield from _letters_read(v, ctx)
    yield from _interviews(v)
    for sp in _speakers(v, frames):
        yield from _spoke(v, ctx, frames, sp)


#: The rest of a speaker's clause up to a colon that opens a quotation (…带来内容创新的经验：“…”).
_TO_QUOTE = re.compile(r"[^，。；：:“”]{0,30}?[：:](?=“)")


def _speakers(v: View, frames: FrameSet) -> Iterator[_Speaker]:
    verbs = _longest_first(frames.word("evaluate") + frames.word("speech") + frames.word("introduce"))
    after_name = _longest_first(frames.word("titles_after_name"))
    for r in v.of_type((PER, ORG)):
        if v.in_title(r) or v.text[: v.unit_start(r)].endswith(_TO_LISTENER):
            continue  # 李瑞环向莫诺里介绍了…: who is spoken to is no speaker
        titled = next((w for w in after_name if v.text.startswith(w, v.end(r))), "")  # 习近平主席指出
        lead = _LEAD.match(v.text, v.end(r) + len(titled))
        pos = lead.end() if lead else v.end(r) + len(titled)
        if r.mention.type is ORG and not (lead and "负责" in lead.group()):
            continue  # a body speaks through its officials
        verb = next((w for w in verbs if v.text.startswith(w, pos)), None)
        if verb is not None:  # A、B、C先后发言: every speaker of the list
            for member in v.list_ending(r, (r.mention.type,)):
                yield _Speaker(member, verb, pos + len(verb), bool(titled))
        elif r.mention.type is PER and (colon := _TO_QUOTE.match(v.text, pos)) is not None:
            yield _Speaker(r, "：", colon.end())  # 王悦路带来内容创新的经验：“…”


@cache
def _longest_first(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def _spoke(v: View, ctx: DocContext, frames: FrameSet, sp: _Speaker) -> Iterator[Relation | Said]:
    person = sp.who.entity
    absent = ctx.hosts | ctx.writers
    if (
        ctx.meeting is not None
        and not ctx.reactions
        and sp.who.mention.type is PER
        and person not in absent
        and not sp.titled
        and not _elsewhere(v, ctx, sp)
        and not _reported(v.text[: v.unit_start(sp.who)], frames)
        and not _speaks_of_a_speech_there(v, ctx, sp)
    ):
        yield Relation(person, "participatedIn", ctx.meeting, "participatedIn.speaker_at_meeting", 0.7)
    if sp.verb in frames.word("evaluate") or sp.verb == "介绍" and v.text.startswith("了", sp.after_verb):
        yield from _evaluated(v, sp)
    quotes = [(m.start(1), m.end(1)) for m in _QUOTE.finditer(v.text) if _is_speech(m.group(1)) and not _names(v, m)]
    said = [q for q in quotes if q[1] < v.start(sp.who) or q[0] > sp.after_verb]
    reported = None
    if v.text[sp.after_verb : sp.after_verb + 1] in ("，", ",") and not any(q[0] == sp.after_verb + 2 for q in said):
        reported = (sp.after_verb + 1, len(v.text))  # reported speech: 时伟表示，这是…
        said.append(reported)
    for qs, qe in said:
        yield Said(person, _words(v.text[qs:qe]))
        if (qs, qe) == reported and sp.verb not in frames.word("speech"):
            continue  # 李建成介绍，… reports what happened; it evaluates nothing
        yield from _about(v, ctx, sp.who, qs, qe)


def _reported(before: str, frames: FrameSet) -> bool:
    """Outside quotes, a verb of reporting and its comma or colon stand before the speaker: the speaker
    is inside another's reported words (韩正表示，习近平主席指出，…), quoted, not heard there."""
    unquoted = _QUOTE.sub("", before)
    return any(unquoted.find(w + p) >= 0 for w in frames.word("reporting") for p in "，,：:")


def _speaks_of_a_speech_there(v: View, ctx: DocContext, sp: _Speaker) -> bool:
    """林武表示，习近平总书记在民营企业座谈会上的重要讲话…: who speaks of what was said at the meeting
    reacts to it; the words do not place the speaker there."""
    return any(
        r.entity == ctx.meeting and v.start(r) >= sp.after_verb and _AT_ITS.match(v.text, v.end(r))
        for r in v.items
    )


#: After a meeting's name, words that make it where something said was said (…座谈会上的重要讲话).
_AT_ITS = re.compile(r"[上中]的")


def _elsewhere(v: View, ctx: DocContext, sp: _Speaker) -> bool:
    """The words were said on another occasion: on a visit (在…考察时), or in another report or meeting
    named before the verb (在党的二十大报告中强调)."""
    if _ELSEWHERE.search(v.text):
        return True
    between = [r for r in v.of_type((DOC, EVENT)) if v.end(sp.who) <= v.start(r) and v.end(r) <= sp.after_verb]
    return any(r.entity != ctx.meeting for r in between)


#: An evaluating verb with no object, its words next (评价说：, 评价道，).
_SAYS_NEXT = re.compile(r"(?:说|道)?[：:，,]")


def _evaluated(v: View, sp: _Speaker) -> Iterator[Relation]:
    """肯定了<X>, 回顾了<X>: the object of the evaluating verb, and examples given after 如; with no
    object (《决定》通过后，邓小平评价说：), what the sentence named before the speaker."""
    target = v.after(sp.after_verb, OBJECTS, within=8)
    if target is None and _SAYS_NEXT.match(v.text, sp.after_verb):
        before = [r for r in v.items if v.end(r) <= v.unit_start(sp.who) and r.mention.type in OBJECTS]
        target = before[-1] if before and not v.in_title(before[-1]) else None
    if target is None:
        return
    yield Relation(sp.who.entity, "commentedOn", target.entity, "commentedOn.evaluate", 0.8)
    example = re.search(r"[，,](?:例如|比如|如)", v.text[sp.after_verb :])
    if example:
        named = v.after(sp.after_verb + example.end(), (PLAT, EVENT, DOC), within=30)
        if named is not None:
            yield Relation(sp.who.entity, "commentedOn", named.entity, "commentedOn.example", 0.7)


#: Between a speaker and the address: 在北京出席…并, 以视频方式, 在会上, 代表党中央, 先后, 向大会.
_ADDRESS_GAP = re.compile(
    rf"^(?:{OFFICIALS})?等?"
    r"(?:(?:在|以)[^，。]{0,12}?)?(?:出席[^，。]{0,30}?)?(?:在[^，。]{0,16}?[上中])?(?:代表[^，。]{0,12}?)?(?:也|还|先后|分别|相继)?"
    r"(?:并|向[^，。]{0,30}?)?(?:作了?|发表了?)?(?:题为《[^》]{1,40}》的)?(?:视频|书面)?$"
)


def _addresses(v: View, ctx: DocContext, frames: FrameSet) -> Iterator[Relation]:
    """X出席<event>并致辞, X向<event>致贺信, 随后X致辞: the event addressed, named or the meeting reported on."""
    letters = frames.word("letters")
    for s, e, word in v.find(frames.word("address") + letters):
        speakers = _address_speakers(v, s)
        if not speakers or not _addressing(v, speakers[-1], s, frames):
            continue
        named = [r for r in v.items if v.end(speakers[-1]) <= v.start(r) and v.end(r) <= s and r.mention.type is EVENT]
        if not named and word in letters and (after := v.after(e, (EVENT,), within=3)) is not None:
            named = [after]  # 致信祝贺<event>召开: the letter is to the event named after it
        if not named and word in letters and _TO_RECIPIENTS.match(v.text, e) and "向" not in v.text[v.end(speakers[-1]) : s]:
            continue  # 致信全国优秀教师代表: the letter is to the people it names, not to a meeting
        event = named[-1].entity if named else _addressed(v, ctx, v.text[v.end(speakers[-1]) : s])
        if event is None:
            continue
        for sp in speakers:
            if word in letters or "致" in word:
                yield Relation(sp.entity, "commentedOn", event, "commentedOn.address", 0.75)
            if word not in letters and _attends(v, sp, speakers[-1]) and sp.entity not in ctx.hosts:
                yield Relation(sp.entity, "participatedIn", event, "participatedIn.speaker_at_meeting", 0.7)


#: After a letter's verb, the people it is written to (致信全国优秀教师代表), not 祝贺, 表示 or the clause's end.
_TO_RECIPIENTS = re.compile(r"(?!祝贺|表示|强调|指出|称)[\u4e00-\u9fff]")


def _addressing(v: View, last: Resolved, verb: int, frames: FrameSet) -> bool:
    """Only a title, the address's adjuncts or its addressee stand between the speaker and the verb
    (习近平主席向…开幕式发表视频致辞)."""
    if v.end(last) > verb:
        return False
    gap = v.text[v.end(last) : verb]
    title = next((t for t in frames.word("titles_after_name") if gap.startswith(t)), "")
    return _ADDRESS_GAP.match(gap[len(title) :]) is not None


def _attends(v: View, speaker: Resolved, last: Resolved) -> bool:
    """A person who speaks at a meeting attends it; a body does where its officials speak
    (国家发展改革委、科技部负责同志作交流发言)."""
    if speaker.mention.type is PER:
        return True
    return _OFFICIALS.match(v.text, v.end(last)) is not None


_OFFICIALS = re.compile(OFFICIALS)


def _address_speakers(v: View, pos: int) -> list[Resolved]:
    """The list opening the clause of ``pos``, with the titled people listed before it across commas
    (山东省委常委、宣传部部长白玉刚，人民日报社编委委员、秘书长程庆民等出席并致辞)."""
    speakers = v.clause_subject(pos, (PER, ORG))
    if not speakers:
        return speakers
    return v.list_ending(speakers[0], (speakers[0].mention.type,))[:-1] + speakers


def _addressed(v: View, ctx: DocContext, gap: str) -> Entity | None:
    """The event an unnamed address is to: 在活动上致辞 speaks at the last 活动 named, else the meeting."""
    return ctx.referent(v.index, "活动") if "活动" in gap else ctx.meeting


#: 会议听取了X(受国务院委托)作的关于…的报告: who reports to the meeting reported on.
_REPORTS = re.compile(r"(?:受[^，。；]{1,12}委托)?(?:分别)?作(?:了)?的?[^。；]{0,90}?报告")


#: 宣读了…X(总书记)(的)贺信: the writer of a letter read out to the meeting.
_READ_OUT = re.compile(r"宣读(?:了)?")
_LETTER_AFTER = re.compile(rf"^[\u4e00-\u9fff]{{0,4}}?的?(?:{_LETTER_NOUNS})")


def _letters_read(v: View, ctx: DocContext) -> Iterator[Relation]:
    """会上宣读了习近平主席贺信: the writer comments on the event (named in the sentence, else the meeting)."""
    read = _READ_OUT.search(v.text)
    if read is None:
        return
    named = [r for r in v.of_type((EVENT,)) if v.end(r) <= read.start()]
    event = named[-1].entity if named else ctx.meeting
    for r in v.of_type((PER,)):
        if event is not None and v.start(r) >= read.end() and _LETTER_AFTER.match(v.text[v.end(r) :]):
            yield Relation(r.entity, "commentedOn", event, "commentedOn.letter_read", 0.75)


def _reports(v: View, ctx: DocContext) -> Iterator[Relation]:
    if ctx.meeting is None or "报告" not in v.text:
        return
    for r in v.of_type((PER,)):
        if _REPORTS.match(v.text, v.end(r)) and r.entity not in ctx.hosts:
            for person in v.list_ending(r, (PER,)):
                yield Relation(person.entity, "participatedIn", ctx.meeting, "participatedIn.speaker_at_meeting", 0.7)


def letter_writers(v: View, frames: FrameSet) -> Iterator[Entity]:
    """People who send the event a letter (习近平向…致贺信): they write to it, they do not attend."""
    for s, _e, _w in v.find(frames.word("letters")):
        writers = [sp for sp in v.clause_subject(s, (PER,)) if v.end(sp) <= s]
        if writers and _ADDRESS_GAP.match(v.text[max(v.end(sp) for sp in writers) : s]):
            yield from (sp.entity for sp in writers)  # 习近平和…卢拉分别向研讨会致贺信: each of them


def _interviews(v: View) -> Iterator[Relation]:
    """X负责人就Y答记者问 / 接受采访: the body (or person) speaks on Y."""
    if not _INTERVIEW.search(v.text):
        return
    for r in v.of_type((PER, ORG)):
        m = _ON_TOPIC.match(v.text, v.end(r))
        if m is None or v.in_title(r):
            continue
        target = v.after(m.end(), OBJECTS, within=4)
        if target is not None and target.entity != r.entity:
            yield Relation(r.entity, "commentedOn", target.entity, "commentedOn.interview", 0.8)


def _words(quoted: str) -> str:
    return quoted.rstrip("。")


def _names(v: View, quote: re.Match[str]) -> bool:
    """The quotation is one name (“丹青艺事越千年——…绘画精品展”), not words said."""
    return any(v.start(r) <= quote.start(1) and quote.end(1) <= v.end(r) for r in v.items)


def _is_speech(quoted: str) -> bool:
    """A quotation, not a quoted name: “城市大脑” names a platform, it says nothing."""
    return len(quoted) >= 12 or bool(re.search(r"[，。！？；,]", quoted))


def _about(v: View, ctx: DocContext, speaker: Resolved, qs: int, qe: int) -> Iterator[Relation]:
    """What a quote or reported clause evaluates: its clause subjects and anaphors."""
    quote = v.text[qs:qe]
    words = _words(quote)
    person = speaker.entity
    platform = ctx.main_platforms[v.index]
    if platform is not None and _PLATFORM_ANAPHOR.match(quote):
        yield Relation(person, "commentedOn", platform, "commentedOn.platform_anaphor", 0.7, words)
        return
    for cs in [0] + [m.end() for m in re.finditer(r"[，。；！？]", quote)]:
        event = _anaphor_at(ctx, v.index, quote, cs)
        if event is not None:
            yield Relation(person, "commentedOn", event, "commentedOn.anaphor", 0.7, words)
            return
        head = _clause_subject(v, qs + cs, qe)
        if head is not None and head.entity != person and not _INTENT.match(v.text, v.end(head)) and not _SINCE.match(
            v.text, v.end(head)
        ):
            yield Relation(person, "commentedOn", head.entity, "commentedOn.quote_subject", 0.7, words)
            return


def _anaphor_at(ctx: DocContext, index: int, quote: str, cs: int) -> Entity | None:
    """The event a clause opening at ``cs`` points to with 这是 (the article's topic) or 本届<kind>."""
    m = _EVENT_ANAPHOR.match(quote, cs)
    if m is None:
        return None
    return ctx.topic if m.group(1) else ctx.referent(index, m.group(2))


def _clause_subject(v: View, cs: int, qe: int) -> Resolved | None:
    """The entity a clause of a quote opens with (within 2 chars), if it is its subject."""
    for r in v.items:
        start = v.start(r)
        if start < cs or v.end(r) > qe or start > cs + 2 or r.mention.type not in OBJECTS:
            continue
        prefix = v.text[cs:start]
        if not re.match(r"^[‘“]?[\u4e00-\u9fff]{0,2}$", prefix) or _NOT_A_SUBJECT.search(prefix):
            continue  # 借助中国人民银行…: the object of a preposition is no clause subject
        head = r
        nxt = [x for x in v.items if v.start(x) == v.end(r) + 1 and x.mention.type is PLAT]
        if nxt and v.text[v.end(r)] in "‘“":
            head = nxt[0]  # 人民网‘领导留言板’帮助… is about the platform
        if re.match(r"^[’”]?(?:上|中|里)", v.text[v.end(head) :]):
            return None  # a place or a tool inside the quote: 根据人民网上的群众建议
        return head
    return None
