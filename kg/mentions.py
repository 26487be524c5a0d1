"""Typed entity mentions: NER spans, gazetteer names and pattern rules merged.

Every candidate carries the id of what found it (``ner``,
``gazetteer:places``, ``pattern:quoted-platform`` …). Overlaps are settled
by priority, then length: a pattern that reads a whole event name beats the
place inside it, and a title phrase keeps the places in it from counting as
Place mentions (安徽省黄山市委副秘书长 names no place).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import rjieba
import yaml

from kg.lexicon import LEXICON_DIR, GazetteerEntry, Lexicon
from kg.ner import segment
from kg.titles import (
    AFTER_NAME,
    BODY_END,
    TRANSLITERATION,
    WORDS_AFTER_NAME,
    TitlePhrase,
    dictionary_word,
    find,
    honorific_people,
    jieba_cuts,
    occupied_names,
    reads_as_name,
    transliterated_end,
    transliteration_end,
    word_tag,
)
from kg.types import EntityType, Mention
from kg.wordtrie import compile_words

_NUM = "一二三四五六七八九十"
_MEETING = r"(?:大会|峰会|论坛|博览会|年会|研讨会|座谈会|发布会|推进会|交流会|现场会|报告会|分享会|恳谈会|工作会议|启动仪式|启动会|颁奖典礼)"
_CONGRESS = rf"(?:党的|中共)?(?:十[{_NUM[:-1]}]?|二十)(?:大|届[{_NUM}]中全会)"

# (id, regex, type, group holding the name). Patterns sit next to the code
# that applies them; their ids show up in each mention's ``source``.
_PATTERNS: tuple[tuple[str, str, EntityType, int], ...] = (
    (
        "congress-work",
        rf"{_CONGRESS}(?:相关工作)?[\u4e00-\u9fff]{{0,10}}?(?:活动|选举工作)",
        EntityType.EVENT,
        0,
    ),
    ("congress-report", rf"(?:党的|中共)(?:十[{_NUM[:-1]}]?|二十)大报告", EntityType.DOCUMENT, 0),
    ("congress", _CONGRESS, EntityType.EVENT, 0),
    (
        "year-meeting",
        r"(?<![0-9])(?:19|20)\d\d年?(?:“[^”]{1,20}”)?[\u4e00-\u9fff·]{2,16}?(?:大会|峰会|论坛|博览会|年会|研讨会|座谈会|发布会)(?:·[\u4e00-\u9fff]{2,8}会议)?",
        EntityType.EVENT,
        0,
    ),
    (
        "edition-meeting",
        r"第[一二三四五六七八九十\d]{1,3}届[\u4e00-\u9fff“”]{2,16}?(?:大会|峰会|论坛|博览会|年会|研讨会|会议|奖(?![章金励项品杯状]))",
        EntityType.EVENT,
        0,
    ),
    (
        # 由…主办的<会>在…举行, …召开<会>。: a meeting named where a frame word introduces it
        "framed-meeting",
        rf"(?:(?<=(?:主办|承办|指导|举办|召开|组织|协办)的)|(?<=召开|举办|举行|主办|承办)|(?<=(?:召开|举办|举行|主办|承办)了))(?![的了在会])(?:“[^”]{{1,16}}”[\u4e00-\u9fff0-9·]{{1,20}}?|(?:(?!(?:峰会|论坛|会议|大会|博览会)[和与及])[\u4e00-\u9fff0-9·]){{3,20}}?){_MEETING}(?=[在于，。；、上]|举行|召开|开幕|$)",
        EntityType.EVENT,
        0,
    ),
    (
        "institution",
        r"(?:(?<=^)|(?<=[，。、；：“”（）\s由与和及据的了])|(?<=联合))(?![由与和及据在对向从为该此这])(?!本[次届市省县区校院所局部])(?:(?!发布|举办|承办|主办|召开|指导|联合|组织|希望|是|在|和|的|了|等)(?:[\u4e00-\u9fff]|（[\u4e00-\u9fff]{2,4}）)){2,14}(?:大学(?!生)|学院|小学(?!生)|中学(?!生)|研究院|研究所|研究中心|协会|(?<![要会能应])学会|研究会|基金会|出版社|杂志社|报社|报业集团|传媒集团|电视台|征集办公室|管理局|服务中心|指挥中心|计算中心|保护中心|治理中心|传播中心|创新中心|博物馆|实验室|有限公司|有限责任公司|集团|联盟|领导小组|居委会|党工委|党总支|管委会)(?![\u4e00-\u9fff]{0,3}(?:教授|院长|所长|会长|主任|书记|研究员|副))",
        EntityType.ORGANIZATION,
        0,
    ),
    (
        "year-quoted-drive",
        r"(?<![0-9])(?:19|20)\d\d年?“[^”]{2,24}”(?:[\u4e00-\u9fff]{0,8}?活动|[\u4e00-\u9fff]{0,8}?(?:征集|大赛|评选))",
        EntityType.EVENT,
        0,
    ),
    # “核心价值观百场讲坛”第134场(活动): one numbered session of a quoted series
    ("quoted-session", r"“[^”]{2,24}”第[一二三四五六七八九十百\d]{1,4}(?:场|期|届|次|季)(?![“\u4e00-\u9fff]{0,2}“)", EntityType.EVENT, 0),
    ("quoted-drive", r"“([^”]{2,24}(?:征集|活动|大赛|评选|(?<![发进拓开施扩伸])展|展览))”", EntityType.EVENT, 1),
    # “悦读中国”文化精品展示, “传承——亚运故事汇”访谈: a quoted name, a few words, the kind of a show or talk
    (
        "quoted-show",
        r"“[^”]{2,24}”[\u4e00-\u9fff]{0,6}?(?:展览|展示|大集|访谈|研讨|讲堂|(?<![发进拓开施扩伸])展(?![开现出望示览馆厅区位台]))",
        EntityType.EVENT,
        0,
    ),
    ("quoted-drive-suffix", r"“[^”]{2,24}”(?:(?:建言)?(?:征集)?活动|大赛|比赛)", EntityType.EVENT, 0),
    # “我为…建言献策”网络征求意见活动: a quoted slogan, a short kind, 活动
    (
        "quoted-campaign",
        r"“[^”]{4,24}”(?:网上|网络|线上)?[\u4e00-\u9fff]{0,6}?(?:征求意见|征集|建言|调研|宣传)活动",
        EntityType.EVENT,
        0,
    ),
    (
        "named-drive",
        r"(?<=[，。、；：\s“”了])(?!开展|组织|举办|启动|发起|参加|参与|推出)[\u4e00-\u9fff]{4,20}?(?:推选活动|评选活动|征集活动|征文活动)",
        EntityType.EVENT,
        0,
    ),
    ("book-title", r"《[^《》\n]{2,60}》", EntityType.DOCUMENT, 0),
    # 国家国际发展合作署, 国家中医药管理局: an agency of the state, named 国家… and its kind
    (
        "state-agency",
        r"(?:(?<=^)|(?<=[，。、；：“”（）\s由与和及据的了])|(?<=联合))国家(?:(?![的和与及在对是为])[\u4e00-\u9fff]){2,10}?(?<![大格布全当结部新])(?:局|署)(?![长])",
        EntityType.ORGANIZATION,
        0,
    ),
    # 在京召开, 于京举行: the capital by its one-character name, where a meeting verb follows
    (
        "capital",
        r"(?<=[在于抵赴])京(?=召开|举行|举办|开幕|闭幕|出席|会见|主持)",
        EntityType.PLACE,
        0,
    ),
    # 在人民大会堂举行: a venue that is a building or ground, where 在/于 introduces it
    (
        "venue",
        r"(?<=[在于])[\u4e00-\u9fff]{2,10}?(?:大会堂|体育场|体育馆|会展中心|会议中心|展览中心|博览中心|广场|公园|宾馆|饭店|大厦|宫)(?=召开|举行|举办|开幕|闭幕|隆重|拉开|启幕|$|[，。])",
        EntityType.PLACE,
        0,
    ),
    ("quoted-report", r"“[^”]{2,30}”(?:研究|调研|分析|数据分析)?报告", EntityType.DOCUMENT, 0),
    (
        "quoted-platform",
        r"“([^”]{2,16})”[\u4e00-\u9fff]{0,6}?(?:平台|系统|客户端|栏目|专栏|板块|专区|热线|版(?![权本面])|公众号|小程序|App|APP|频道)",
        EntityType.PLATFORM,
        1,
    ),
    ("quoted-hotline", r"“([^“”]{0,12}(?:热线|客户端|App|APP))”", EntityType.PLATFORM, 1),
    # 12366纳税缴费服务热线, 400观众智能服务热线, 武汉市民热线12345: a hotline named with its number
    ("numbered-hotline", r"(?<![\d])\d{3,6}[\u4e00-\u9fff]{0,10}?热线(?!\d)", EntityType.PLATFORM, 0),
    (
        "hotline-number",
        r"(?<=[，。、；：“”（）\s的和与及或是])[\u4e00-\u9fff]{2,8}?热线\d{3,6}(?!\d)",
        EntityType.PLATFORM,
        0,
    ),
    # 武汉城市留言板: a message board named after its place
    ("place-board", r"(?<=[，。、；：“”（）\s的和与及或是])[\u4e00-\u9fff]{2,8}?留言板", EntityType.PLATFORM, 0),

    ("local-edition", r"“([^”]{2,12})”(地方版)", EntityType.PLATFORM, 0),
    (
        "platform-quoted",
        r"(?:平台|系统|栏目|专栏|客户端|热线|App|APP)“([^”]{2,16})”",
        EntityType.PLATFORM,
        1,
    ),
)

# Words a text must contain for a pattern to match at all (each pattern's
# required alternatives, shortened to a common part): a text with none of
# them skips that pattern's scan, which on short messages is most of the
# patterns' time.
_CUES: dict[str, tuple[str, ...]] = {
    "congress-work": ("十",),
    "congress-report": ("报告",),
    "congress": ("十",),
    "year-meeting": ("会", "论坛"),
    "edition-meeting": ("届",),
    "framed-meeting": ("会", "论坛", "仪式", "典礼"),
    "institution": (
        "大学", "学院", "研究", "协会", "学会", "基金会", "出版社", "杂志社", "报社",
        "报业集团", "传媒集团", "电视台", "征集办公室", "管理局", "中心", "小学", "中学",
        "博物馆", "实验室", "公司", "集团", "联盟", "小组", "居委会", "党工委", "党总支", "管委会",
    ),  # fmt: skip
    "year-quoted-drive": ("“",),
    "quoted-show": ("”",),
    "numbered-hotline": ("热线",),
    "hotline-number": ("热线",),
    "place-board": ("留言板",),
    "quoted-session": ("”第",),
    "named-drive": ("活动",),
    "capital": ("京",),
    "state-agency": ("国家",),
    "venue": ("堂", "场", "馆", "中心", "公园", "宾馆", "饭店", "大厦", "宫"),
}

# Names of newspapers in 《》 are the paper, not a Document entity.
_NEWSPAPER = re.compile(r"^《\s*[^》]*(?:日报|晚报|时报|报|杂志|周刊)\s*》$")
# Quoted slogans (“两个确立”, “四位一体”) are concepts, not names.
_GENERIC_QUOTED = re.compile(
    r"^(?:[一二三四五六七八九十两双]+[个位项大严]?[\u4e00-\u9fff]{0,3}|十四五|双减)$"
)
# Place short forms that begin common words (长治久安).
_NOT_A_PLACE = re.compile(r"长治久安|朝阳产业|吉林大学|江山|大同小异|中国特色")
#: After an agency's name, a dateline or a credit (新华社罗马电, （新华社长沙9月19日电）, 新华社记者): page
#: furniture that names no actor.
_DATELINE_AFTER = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:\d{1,2}月\d{1,2}日)?电(?=[\s）)，。]|$)|记者")


def _names_no_actor(text: str, end: int) -> bool:
    """What follows a body's name makes it something else (中国共产党人) or a dateline's agency."""
    return bool(_NOT_AN_ORG.match(text, end) or _DATELINE_AFTER.match(text, end))


#: A place's delegation is a body of its own (上海市代表团).
_DELEGATION = re.compile(r"(?:体育)?代表团")
# After a body's name, words that make it something else (中国共产党人, 全国人大代表).
_NOT_AN_ORG = re.compile(r"人(?!民)|员|代表")
# A body's sub-unit written straight after its name: 人民网地方频道, 中国社会科学院新闻与传播研究所 (与 and
# 和 join two words inside the unit's name, never open it).
_ORG_UNIT = re.compile(
    r"(?:(?:(?![与和及、的在是为])[\u4e00-\u9fff]){2,4}[与和](?:(?![与和及、的在是为])[\u4e00-\u9fff]){1,4}?"
    r"|(?:(?![与和及、的在是为])[\u4e00-\u9fff]){0,10}?)(?:研究所|研究院|学院|频道|办公室|办公厅|委员会|实验室|编辑部|出版社|杂志社|分社|(?:媒体|传播|研究|新闻|发展|服务|技术|运营|信息|培训|创新|数据|指挥|交流)中心|评论部|宣传司|宣传部)"
    r"|(?:(?![与和及、的在是为就对从把被向以由将全])[\u4e00-\u9fff]){1,4}?(?:局|司)(?![势面限机])"  # 中宣部宣教局
)
# Party committee and government of a place, with elided coordination
# (河南省委、省政府 → 河南省委, 河南省政府).
_DEPARTMENT = r"(?:办公室|办公厅|宣传部|组织部|统战部|政法委|网信办|外办)"
_COMMITTEE = re.compile(rf"(?:省|市|县|区|自治区)?(?:党委|委|人民政府|政府|人大常委会|人大|政协){_DEPARTMENT}?")
_ELIDED = re.compile(rf"[、和及与]?(省|市|县|区)((?:委|人民政府|政府|人大常委会|人大|政协){_DEPARTMENT}?)")

_PRIORITY = {"title": 0, "pattern": 1, "gazetteer": 2, "honorific": 2, "fallback": 2.5, "ner": 3}
# Patterns that only guess a name from its ending yield to the gazetteer.
_FALLBACK_PATTERNS = frozenset({"pattern:institution", "pattern:state-agency"})


@dataclass(frozen=True)
class Found:
    """The mentions of one text and the title phrases they came with."""

    mentions: tuple[Mention, ...]
    titles: tuple[TitlePhrase, ...]


class _Known(NamedTuple):
    """A gazetteer name found in a text."""

    start: int
    end: int
    entry: GazetteerEntry


@cache
def _gazetteer_regex(lex: Lexicon) -> re.Pattern[str]:
    # 京 only through pattern:capital
    return compile_words(n for n in lex.names if len(n) > 1)


@cache
def _compiled() -> tuple[tuple[str, re.Pattern[str], EntityType, int, re.Pattern[str] | None], ...]:
    def cue(pid: str) -> re.Pattern[str] | None:
        return re.compile("|".join(map(re.escape, _CUES[pid]))) if pid in _CUES else None

    return tuple((pid, re.compile(rx), t, g, cue(pid)) for pid, rx, t, g in _PATTERNS)


def _candidates(
    text: str,
    lex: Lexicon,
    ner: list[tuple[int, int, str]],
    full_names: list[tuple[int, int]] | None = None,
    known: list[_Known] | None = None,
) -> Iterator[Mention]:
    """Every mention any source proposes (overlaps are the caller's); ``full_names`` and ``known``, where
    the caller has already found them."""
    if full_names is None:
        full_names = _full_names(text, lex)
    words = _WordSpans(text)
    known = _known_names(text, lex) if known is None else known
    bodies = _bodies(known, ner)
    yield from _pattern_candidates(text, lex, bodies)
    yield from _gazetteer_candidates(text, known, full_names, words)
    yield from _headed_events(text, bodies)
    yield from _address_chain(text, lex, known, ner)
    yield from _landmarks(text, known, ner, words)
    yield from _place_bodies(text, known, words)
    yield from _two_sessions(text, known)
    yield from _elided_plenums(text)
    yield from _acting_names(text, lex)
    for s, e, _hon in honorific_people(text, lex):
        yield Mention(text[s:e], s, e, EntityType.PERSON, "pattern:honorific")
    for s, e, label in ner:
        type_ = _NER_TYPES.get(label)
        if type_ is EntityType.ORGANIZATION and _names_no_actor(text, e) or _NOT_A_PLACE.match(text, s):
            continue
        if type_ is EntityType.ORGANIZATION and text.startswith("京", s) and text[s - 1 : s] in _CAPITAL_BEFORE:
            s += 1  # 在京中共中央政治局委员: 京 is the capital, the body starts after it
        if type_ is EntityType.ORGANIZATION:
            s = words.word_start(s, e)
        if type_ is EntityType.PLACE and _cut_off_place(text, s, e, words, lex):
            continue
        spans = _admin_parts(text, s, e) if type_ is EntityType.PLACE else [(s, e)]
        for ps, pe in spans:
            if type_ is not None and _plausible(text[ps:pe], type_, lex, text[pe : pe + 2], text[ps - 1 : ps]):
                yield Mention(text[ps:pe], ps, pe, type_, "ner")


#: A clause that opens with a name and the act of a person at a meeting (石泰峰主持会议, 韩正宣读…).
_ACTING_NAME = re.compile(
    r"(?:^|(?<=[，。；：\n\s“]))([\u4e00-\u9fff]{2,3})(?=主持|出席|参加|宣读|讲话|致辞|表示|指出|强调|会见|会谈)"
)


def _acting_names(text: str, lex: Lexicon) -> Iterator[Mention]:
    """A clause's opening word that jieba reads as a personal name, right before a person's act."""
    for m in _ACTING_NAME.finditer(text):
        name = m.group(1)
        if len(name) == 3 and name[-1] in AFTER_NAME:
            name = name[:2]  # 李希|在主持会议: jieba reads the preposition into the name
        if name[0] in lex.surnames and (word_tag(name) or "").startswith("nr") and _reads_as_person(name):
            yield Mention(name, m.start(1), m.start(1) + len(name), EntityType.PERSON, "pattern:acting-name")


#: What stands before 京 where it names the capital (在京, 抵京).
_CAPITAL_BEFORE = frozenset("在于抵赴离进")

#: One level of an address: 芙蓉区, 文艺路街道, 识字里社区.
_LEVELS = "自治区|自治州|自治县|特别行政区|省|市|区|县|旗|乡|镇|街道|社区|村"
_ADMIN_LEVEL = re.compile(rf"[\u4e00-\u9fff]+?(?:{_LEVELS})")
#: A place name that ends in an administrative level (芙蓉区, 文艺路街道), not a bare name (台城).
LEVEL_END = re.compile(rf"(?:{_LEVELS})$")


#: The next level of an address written straight after a place (…忠县|磨子土家族乡, …汝城县|文明乡|沙洲村):
#: a name of two to six characters and its level, where the level does not open a longer word (乡村, 县城, 村民).
_NEXT_LEVEL = re.compile(
    r"(?:[\u4e00-\u9fff]县"
    r"|(?:(?!乡村|城乡|村镇|社区|街道)[^\W\d_A-Za-z省市在于的和与及是为从到对向把被将一名各个这那多全每该本此等两几数])"
    r"{2,6}?(?:自治县|县|(?<![地园小护新景城郊校营])区|镇|乡|街道|社区|村))"
    r"(?![民长委级城域内外里镇村干党])"
)


def _address_chain(
    text: str, lex: Lexicon, known: list[_Known], ner: list[tuple[int, int, str]]
) -> Iterator[Mention]:
    """The lower levels of an address after a place the gazetteer or NER knows: 重庆市忠县磨子土家族乡."""
    ends = {k.end for k in known if k.entry.type is EntityType.PLACE}
    ends.update(e for _s, e, label in ner if label == "LOC")
    ends = {e for e in ends if _UNIT_END.match(text[e - 1])}
    for pos in sorted(ends):
        while (level := _NEXT_LEVEL.match(text, pos)) is not None and _names_a_place(level.group(), lex):
            yield Mention(level.group(), pos, level.end(), EntityType.PLACE, "pattern:address")
            pos = level.end()


_UNIT_END = re.compile(r"[省市县区州旗]")

#: Plenums of one Central Committee written with the term once: 二十届二中、三中全会.
_ELIDED_PLENUMS = re.compile(rf"((?:十[{_NUM[:-1]}]?|二十)届)[{_NUM}]中(?:、[{_NUM}]中)+全会")


def _elided_plenums(text: str) -> Iterator[Mention]:
    """二十届二中、三中全会 → 二十届二中全会 and 二十届三中全会, each over its own characters."""
    for m in _ELIDED_PLENUMS.finditer(text):
        term, start = m.group(1), m.start()
        for item in re.finditer(rf"[{_NUM}]中", text[m.end(1) : m.end()]):
            s = start if item.start() == 0 else m.end(1) + item.start()
            e = m.end() if m.end(1) + item.end() + 2 == m.end() else m.end(1) + item.end()
            yield Mention(f"{term}{item.group()}全会", s, e, EntityType.EVENT, "pattern:congress")


#: A named park, street, district or lake written right after the place that holds it (成都|桂溪生态公园,
#: 和平区|新兴街): the longest run of name characters that ends in one of these words.
_LANDMARK_RUN = re.compile(r"(?:(?![在于的和与及是为从到对向把被将了等])[\u4e00-\u9fff]){3,12}")
_LANDMARK_END = re.compile(r"(?:公园|观光园|产业园|保护区|风景区|景区|生态城|新城|古镇|小区|广场|大街|街|(?<!道)路|湖)$")
#: What makes a landmark's name part of a longer one: a level inside it (浏阳市|福临…) or a body after it
#: (浏正街|小学).
_LEVEL_INSIDE = re.compile(r"[省市县区州旗](?!$)")
_BODY_AFTER = re.compile(r"小学|中学|大学|学校|学院|医院|幼儿园|派出所|居委会|村委会|街道|社区|支行|分行|店")
_NOT_IN_LANDMARK = frozenset({"v", "vd", "vi", "d", "p", "c", "u", "ud", "uj", "ul", "uz", "r", "m", "q"})


def _landmarks(
    text: str, known: list[_Known], ner: list[tuple[int, int, str]], words: _WordSpans
) -> Iterator[Mention]:
    ends = {k.end for k in known if k.entry.type is EntityType.PLACE}
    ends.update(e for _s, e, label in ner if label == "LOC")
    for pos in sorted(ends):
        run = _LANDMARK_RUN.match(text, pos)
        end = run.end() if run else pos
        while end - pos >= 3:
            name = text[pos:end]
            m = _LANDMARK_END.search(name)
            if m and m.start() >= 2 and _names_a_landmark(text, pos, end, m.start(), words):
                yield Mention(name, pos, end, EntityType.PLACE, "pattern:landmark")
                break
            end -= 1


#: A body named after its country or region (肯尼亚文学局, 以色列外交部, 哈萨克斯坦议会): a few words and a
#: body's ending, not a part of the place (东部, 内部), a title (外交部长), people (干部) or two bodies
#: (福建省委省政府, 党和政府).
_PLACE_BODY = re.compile(
    r"(?!东部|西部|南部|北部|中部|内部|外部|全部|局部|各部|本部|大部|当局|格局|布局|结局|政府间)"
    r"[^\W\d\sA-Za-z和与及的委党]{1,5}?(?:大使馆|领事馆|议会|国会|政府|委员会|局|(?<![东西南北中内外全局各本大干])部|署)(?![长员])"
)


def _two_sessions(text: str, known: list[_Known]) -> Iterator[Mention]:
    """全国两会, 上海两会: the annual sessions of a people's congress and its political consultative
    conference, named by where they meet."""
    place_ends = {k.end: k.start for k in known if k.entry.type is EntityType.PLACE}
    for m in re.finditer("两会", text):
        start = m.start() - 2 if text.startswith("全国", m.start() - 2) else place_ends.get(m.start())
        if start is not None:
            yield Mention(text[start : m.end()], start, m.end(), EntityType.EVENT, "pattern:two-sessions")


def _place_bodies(text: str, known: list[_Known], words: _WordSpans) -> Iterator[Mention]:
    for k in known:
        m = _PLACE_BODY.match(text, k.end) if k.entry.type is EntityType.PLACE else None
        if m and words.cut_at(m.end()) and not any(
            tag.startswith(_NOT_MODIFIER_TAGS) and w != "驻" for w, tag in rjieba.tag(m.group())  # 驻肯尼亚大使馆
        ):
            yield Mention(text[k.start : m.end()], k.start, m.end(), EntityType.ORGANIZATION, "pattern:place-body")


def _names_a_landmark(text: str, start: int, end: int, suffix: int, words: _WordSpans) -> bool:
    """A proper name before the landmark word (not 自然|保护区), ending where jieba ends a word, with no
    level inside, no body after, and no verb, adverb or function word in it."""
    name = text[start:end]
    if name[:suffix] in _plain_words() or _LEVEL_INSIDE.search(name) or _BODY_AFTER.match(text, end):
        return False
    return words.cut_at(end) and not any(tag in _NOT_IN_LANDMARK for _w, tag in rjieba.tag(name))


def _names_a_place(name: str, lex: Lexicon) -> bool:
    """Not a plain word and its level (贫困村, 示范区), and no known place inside: the address goes on
    from that place instead (江苏|南京|台城花园社区)."""
    stem = LEVEL_END.sub("", name)
    if stem in _plain_words():
        return False
    return not any(_is_place(m.group(), lex) and m.group() != name for m in _gazetteer_regex(lex).finditer(name))


def _admin_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A place NER read as one span that is a chain of levels (芙蓉区文艺路街道识字里社区): each level,
    and the place named after the last level (…余杭区良渚古城遗址公园); else the span itself."""
    parts, pos = [], start
    while (m := _ADMIN_LEVEL.match(text, pos, end)) is not None and m.end() - m.start() >= 2:
        parts.append(m.span())
        pos = m.end()
    if end - pos >= 2:
        parts.append((pos, end))
    elif pos < end:
        return [(start, end)]
    return parts if len(parts) >= 2 else [(start, end)]


def _bodies(known: list[_Known], ner: list[tuple[int, int, str]]) -> tuple[tuple[int, int], ...]:
    """Where organisations are named, by NER or the gazetteer: an event's name may open with one."""
    found = [(s, e) for s, e, label in ner if label == "ORG"]
    found.extend((k.start, k.end) for k in known if k.entry.type is EntityType.ORGANIZATION)
    return tuple(found)


def _pattern_candidates(text: str, lex: Lexicon, bodies: tuple[tuple[int, int], ...] = ()) -> Iterator[Mention]:
    for pid, rx, type_, group, cue in _compiled():
        if cue is not None and not cue.search(text):
            continue
        for m in rx.finditer(text):
            s, e = m.span(group)
            if pid == "institution":  # 这些工作对于国际世界语协会 → 国际世界语协会
                s = _second_of_two(text, s, e, lex)
                stops = _COMPANY_STOPS if text.endswith(_COMPANY_KINDS, s, e) else _INSTITUTION_STOPS
                joint = text.find("与", s, e)  # 中国学位与研究生教育学会: the name's first words end at 与
                cut = _institution_start(text, s, joint if joint > 0 else e, stops)
                cut = cut + 1 if cut == joint else cut  # 就与当地…集团: nothing of the name before 与
                s = s if text[s - 1 : s] == "由" and _one_word(text[s:cut]) else cut  # 由应用现代化产业联盟主办
                if text[s - 1 : s] in ("的", "了") and not _opens_with_proper_noun(text[s:e], lex):
                    continue  # 位于合肥的科大讯飞股份有限公司, 入选了长沙市博物馆…; not …的现代化博物馆
            elif pid == "place-board" and not _opens_with_proper_noun(text[s:e], lex):
                continue  # 武汉城市留言板, not 网上留言板
            elif pid == "edition-meeting":
                s = _series_start(text, _with_body(text, s, e, bodies))
            elif pid == "venue" and (places := _opening_places(text, s, e, lex)):  # 北京|人民大会堂
                yield from places
                s = places[-1].end
            name = text[s:e]
            if _kept(pid, name, type_, lex):
                yield Mention(name, s, e, type_, f"pattern:{pid}")


def _institution_start(text: str, window: int, head: int, stops: frozenset[str]) -> int:
    """Where an institution's name starts: the noun phrase before its kind, where the kind may open
    with a verb (知识产权|保护中心, 社会|治理中心, 超级|计算中心)."""
    compound = _COMPOUND_KIND.search(text[window:head])
    if compound is not None:
        kind_start = window + compound.start()
        cut = _noun_phrase_start(text, window, kind_start, stops, ())
        if cut < kind_start:
            return cut
    return _noun_phrase_start(text, window, head, stops, ())


#: Kinds of institution whose first word jieba reads as a verb.
_COMPOUND_KIND = re.compile(r"(?:保护|治理|计算|服务|指挥|传播|管理)(?:中心|局)$")


def _second_of_two(text: str, start: int, end: int, lex: Lexicon) -> int:
    """Where an institution's name starts when 与 joins two bodies (清华大学与|北京大学), not two words
    of one name (中国学位与研究生教育学会)."""
    joint = text.rfind("与", start, end)
    if joint < 0:
        return start
    first, second = text[start:joint], text[joint + 1 : end]
    if _INSTITUTION_KIND.search(first) or _ENDS_BODY.search(first) or _known_org_end(first, lex):
        return joint + 1
    if any(tag == "v" for _, tag in rjieba.tag(second)):
        return joint + 1  # 海信与上游合作伙伴成立创新联盟: a clause, not a name
    return start


_ENDS_BODY = re.compile(rf"(?:{BODY_END.pattern})$")


def _known_org_end(part: str, lex: Lexicon) -> bool:
    return any(_is_known(part[i:], lex, EntityType.ORGANIZATION) for i in range(max(0, len(part) - 8), len(part) - 1))


def _one_word(part: str) -> bool:
    """``part`` is one of jieba's words: after 由 the agent's name may open with a verb-noun (应用…联盟)."""
    return len(rjieba.cut(part)) == 1 if part else False


def _opens_with_proper_noun(name: str, lex: Lexicon) -> bool:
    """jieba reads the name's first word as a place, a person, a body or another proper noun, or the
    gazetteer knows it (日照)."""
    first, tag = next(iter(rjieba.tag(name)), ("", ""))
    return tag.startswith(("ns", "nr", "nt", "nz")) or tag in ("j", "eng") or first in lex.names


def _cut_off_place(text: str, start: int, end: int, words: _WordSpans, lex: Lexicon) -> bool:
    """NER's place starts inside one of jieba's words (粤港|澳大湾|区), unless a known place opens that
    word (上海|浦东新区), or is two characters cut off a longer word. A known
    one-character place inside a word is none (京|剧)."""
    if text[start:end] in lex.names:
        return end - start == 1 and words.crossed(start, end)
    if words.crossed(start, start):
        return not _is_place(text[words.word_start(start, end) : start], lex)
    return end - start <= 2 and words.crossed(end, end)


def _opening_places(text: str, start: int, end: int, lex: Lexicon) -> list[Mention]:
    """The known places that open ``text[start:end]``, one after another, leaving a name of two characters
    or more (北京|人民大会堂, 四川省|成都市|金牛宾馆)."""
    places: list[Mention] = []
    while n := next((n for n in (4, 3, 2) if end - start > n + 1 and _is_place(text[start : start + n], lex)), 0):
        name = text[start : start + n]
        places.append(Mention(name, start, start + n, EntityType.PLACE, lex.names[name].source))
        start += n
    return places


def _kept(pid: str, name: str, type_: EntityType, lex: Lexicon) -> bool:
    """Not a newspaper's 《》, a quoted slogan, an event the gazetteer knows, a bare institution ending."""
    if (
        type_ is EntityType.DOCUMENT
        and _NEWSPAPER.match(name)
        or _GENERIC_QUOTED.match(name.strip("“”"))
    ):
        return False
    if type_ is EntityType.EVENT and name.strip("“”") in lex.names:
        return False
    if pid == "quoted-show":
        return _plain_modifier(name[name.rindex("”") + 1 :])
    return pid != "institution" or len(name) >= 4 and not _bare_kind(name)


#: jieba's tags of words that make what follows a quotation a clause, not a kind of show: verbs,
#: adverbs, numbers and measures (“…”充分展示, “…”进行学习研讨, “…”三个主题展览).
_NOT_MODIFIER_TAGS = ("v", "d", "ad", "m", "q", "p", "c")


def _plain_modifier(after_quote: str) -> bool:
    """The words between a quotation and a show's kind only describe it (博物馆文创大集, 主题研讨)."""
    return all(not tag.startswith(_NOT_MODIFIER_TAGS) for _, tag in rjieba.tag(after_quote)[:-1])


#: The kind words an institution's name ends with (大学, 博物馆, 有限公司 …), longest first.
_INSTITUTION_KINDS = (
    "股份有限公司|有限责任公司|有限公司|领导小组|博物馆|实验室|研究院|研究所|研究会|基金会|出版社|杂志社|大学|学院|小学|中学|"
    "协会|学会|集团|联盟|中心|报社|电视台|管理局|居委会|党工委|党总支|管委会"
)
_INSTITUTION_KIND = re.compile(rf"(?:{_INSTITUTION_KINDS})$")


def _bare_kind(name: str) -> bool:
    """网络有限公司, 艺术博物馆, 工作领导小组: one plain word before the kind names no one institution."""
    kind = _INSTITUTION_KIND.search(name)
    return kind is not None and name[: kind.start()] in _plain_words()


def _gazetteer_candidates(
    text: str, known: list[_Known], full_names: list[tuple[int, int]], words: _WordSpans
) -> Iterator[Mention]:
    for k in known:
        s, e, entry = k
        if entry.type is EntityType.PLACE:
            if _NOT_A_PLACE.match(text, s):
                continue
            if (team := _DELEGATION.match(text, e)) is not None:
                yield Mention(text[s : team.end()], s, team.end(), EntityType.ORGANIZATION, "pattern:delegation")
            yield from _committees(text, s, e, entry.label)
        elif entry.type is EntityType.ORGANIZATION:
            unit = _ORG_UNIT.match(text, e)
            if unit:
                party = _party_start(text, s)
                yield Mention(
                    text[party : unit.end()], party, unit.end(), entry.type, "pattern:org-unit"
                )
            if _names_no_actor(text, e):
                continue
        if not _inside_other_words(text, k, words, known):
            yield Mention(text[s:e], s, e, entry.type, entry.source)
    for s, e in full_names:
        if not words.inside(s, e):
            yield Mention(text[s:e], s, e, EntityType.PERSON, "gazetteer:jieba-full-names")


def _inside_other_words(text: str, k: _Known, words: _WordSpans, known: list[_Known]) -> bool:
    """The known name is part of other words here: 教育部 in 各级教育部门, 中国 in 中国式现代化, 大同
    across 最大|同心圆, 联合国 in 联合|国家电网; not 广西|南宁, known places jieba reads as one word."""
    if k.entry.type is EntityType.PLACE and _in_word_of_places(text, k.start, k.end, words, known):
        return False
    if words.inside(k.start, k.end) or k.entry.type is EntityType.PLACE and words.crossed(k.start, k.end):
        return True
    return k.entry.type is EntityType.ORGANIZATION and _last_char_opens_word(text, k.start, k.end, words)


def _last_char_opens_word(text: str, start: int, end: int, words: _WordSpans) -> bool:
    """jieba starts a word of two characters or more on the name's last character (联合|国家电网)."""
    return words.cut_at(start) and words.cut_at(end - 1) and not words.cut_at(end) and not words.cut_at(end + 1)


def _in_word_of_places(text: str, start: int, end: int, words: _WordSpans, known: list[_Known]) -> bool:
    """jieba reads a run of known places as one word (广西南宁): the places in it tile it whole."""
    word = words.word_around(start, end)
    if word is None or word == (start, end):
        return False
    pos = word[0]
    for k in known:
        if k.start == pos and k.end <= word[1] and k.entry.type is EntityType.PLACE:
            pos = k.end
    return pos == word[1]


def _full_names(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    return [m.span() for m in _dictionary_people(lex).finditer(text)]


@cache
def _dictionary_people(lex: Lexicon) -> re.Pattern[str]:
    """Full personal names of jieba's dictionary (tag nrfg, three or more characters, a known surname)."""
    names = {w for w in _dictionary_words().full_names if w[0] in lex.surnames}
    return compile_words(names)


_NER_TYPES = {"PER": EntityType.PERSON, "LOC": EntityType.PLACE, "ORG": EntityType.ORGANIZATION}
_PERSON_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_PLACE_SUFFIX = re.compile(
    r"(?:省|市|县|区|州|盟|旗|镇|乡|村|岛|山|湖|河|江|海|湾|港|峡|岭|街道|社区|自治区|特别行政区)$"
)


def _plausible(name: str, type_: EntityType, lex: Lexicon, after: str = "", before: str = "") -> bool:
    """Keep an NER span only if it looks like a name of its type; the rules type the rest. ``after``:
    the two characters that follow it, ``before`` the one before it."""
    if name in lex.names:
        return lex.names[name].type is type_ or type_ is not EntityType.PERSON  # 于洪区 is no person
    if type_ is EntityType.PERSON:
        named = bool(_PERSON_NAME.match(name)) and _surnamed(name, lex, after) or _foreign(name, after, before)
        return named and name not in _common_words() and not _NOT_A_PERSON_END.search(name)
    if type_ is EntityType.PLACE:  # 杭州市, 忠县, or a name jieba's dictionary holds as a place (意大利, 非洲)
        named = len(name) >= 3 or len(name) == 2 and name[1] == "县" and name[0] not in _DEICTIC
        return named and bool(_PLACE_SUFFIX.search(name)) or len(name) >= 2 and _dictionary_place(name)
    if name.count("（") != name.count("）"):
        return False  # 中国）有限公司: NER cut a bracketed place out of a name
    return len(name) >= 4 and bool(BODY_END.search(name))  # 常委会, 党支部 alone name no body


def _surnamed(name: str, lex: Lexicon, after: str) -> bool:
    """A common surname opens the name, or a rarer one opens a three-character name that a clause
    goes on from as from a person's: an act, speech or a clause's end (包大新说, 殷晓圣）, 盛秋平表示;
    not 宫保鸡|丁, 单簧管|等, “桂惠贷”)."""
    if name[0] in lex.common_surnames or name[:2] in lex.surnames:
        return True
    return name[0] in lex.surnames and len(name) == 3 and _goes_on_as_from_a_person(after)


def _goes_on_as_from_a_person(after: str) -> bool:
    """The two characters after a name are speech, presence or an act, or the clause ends."""
    return not after.strip() or after[0] in _CLAUSE_END or after[0] in _ACT_AFTER_NAME or after in WORDS_AFTER_NAME


def _foreign(name: str, after: str, before: str) -> bool:
    """A transliterated name of three characters or more, its regnal number aside (阿卜杜拉二世), in
    parts joined by · or where a clause goes on from it as from a person (恩格斯说; not 比亚迪|汽车); not
    the tail of a longer one (雪克来提·|扎克尔)."""
    core = _REGNAL_END.sub("", name)
    if not 3 <= len(core) <= 12 or not set(core.replace("·", "")) <= TRANSLITERATION:
        return False
    if before in TRANSLITERATION or before == "·":
        return False
    return "·" in core or _goes_on_as_from_a_person(after)


#: What follows a person's name and hardly any other three-character word: speech, presence, an act.
_ACT_AFTER_NAME = frozenset("说称在")
_CLAUSE_END = frozenset("，。；：！？）)")


#: Endings that make a "name" something else: a group (郭国平们), a form of address with no given name
#: (王女士, 赵先), a place or a body (于洪区, 戴尧村, 徐工集团).
_NOT_A_PERSON_END = re.compile(r"(?:们|女士|先生|先|老师|省|市|县|区|村|镇|乡|集团|公司)$")


def _reads_as_person(name: str) -> bool:
    """A name after an occupation: not a common word (市民|文明素质), a form of address or a place."""
    words = _dictionary_words()
    return name not in words.common and name not in words.frequent_names and not _NOT_A_PERSON_END.search(name)


#: Words before 县 that point to a county rather than name it (该县, 本县, 全县).
_DEICTIC = frozenset("该本全各此每邻外其")


def _dictionary_place(name: str) -> bool:
    return word_tag(name) == "ns"


@dataclass(frozen=True)
class _EventWords:
    heads: re.Pattern[str]
    noun_heads: re.Pattern[str]
    noun_name_stops: frozenset[str]
    starts_after: tuple[str, ...]
    not_followed_by: tuple[str, ...]
    unnamed_if_body_ends: tuple[str, ...]
    generic: frozenset[str]
    name_openers: tuple[str, ...]
    ceremonies: frozenset[str]
    games: frozenset[str]
    game_ceremonies: tuple[str, ...]


@cache
def _event_words() -> _EventWords:
    raw = yaml.safe_load((LEXICON_DIR / "events.yaml").read_text(encoding="utf-8"))
    return _EventWords(
        _alternation(raw["heads"]),
        _alternation(raw["noun_heads"]),
        frozenset(raw["noun_name_stops"]),
        tuple(sorted(raw["starts_after"], key=len, reverse=True)),
        tuple(raw["not_followed_by"]),
        tuple(raw["unnamed_if_body_ends"]),
        frozenset(raw["generic"]),
        tuple(raw["name_openers"]),
        frozenset(raw["ceremonies"]),
        frozenset(raw["games"]),
        tuple(raw["game_ceremonies"]),
    )


def _alternation(words: list[str]) -> re.Pattern[str]:
    """Longest first, as a plain alternation: _joined_games reads its words back from the pattern."""
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


_NAME_CHAR = re.compile(r"[\u4e00-\u9fff〇0-9A-Za-z“”《》—－]")
_ORDINAL = re.compile(r"第|届|次|年|\d|首")
_ORDINAL_WORD = re.compile(r"[第届次年首\d一二三四五六七八九十〇零]+")
#: An event name opens with its year or edition where it has one (聚焦2025年中国网络文明大会).
_NAME_OPENING = re.compile(
    r"(?:19|20)\d\d|[一二][〇零一二三四五六七八九]{3}年|第[一二三四五六七八九十\d]{1,3}届|首届"
)
_MAX_EVENT_NAME = 48
#: A cardinal number and a classifier that open a modifier (10个, 两场, 三个).
_COUNT = re.compile(r"[\d一二三四五六七八九十两几多数]+(?:个|场|项|类|批|家|组)")


def _headed_events(text: str, bodies: tuple[tuple[int, int], ...] = ()) -> Iterator[Mention]:
    """Events named by their head noun (a ceremony, 开幕式, is not named apart from its event)."""
    words = _event_words()
    yield from _theme_events(text, words, bodies)
    yield from _noun_events(text, words, bodies)


def _names_an_event(name: str, words: _EventWords) -> bool:
    """``name`` ends with the head noun of an event (…交流活动, …大会)."""
    return re.search(rf"(?:{words.heads.pattern}|{words.noun_heads.pattern})$", name) is not None


def _theme_events(text: str, words: _EventWords, bodies: tuple[tuple[int, int], ...]) -> Iterator[Mention]:
    """Meetings, whose names may hold a theme with verbs (推动长江经济带高质量发展座谈会)."""
    return _events(text, words.heads, _theme_start, words, bodies)


def _noun_events(text: str, words: _EventWords, bodies: tuple[tuple[int, int], ...]) -> Iterator[Mention]:
    """Games, exhibitions, campaigns: names that are noun phrases, bounded by the tags of jieba's words."""
    return _events(text, words.noun_heads, _noun_name_start, words, bodies)


def _events(
    text: str,
    heads: re.Pattern[str],
    start_of: Callable[[str, int, _EventWords], int],
    words: _EventWords,
    bodies: tuple[tuple[int, int], ...],
) -> Iterator[Mention]:
    """Each head noun's event name: it starts where ``start_of`` says and must single out one event."""
    for m in _whole_heads(text, heads):
        if text.startswith(words.not_followed_by, m.end()):
            continue
        named_from = _paired_place(text, _with_body(text, start_of(text, m.start(), words), m.start(), bodies, words.starts_after))
        start = _joined_games(text, named_from, words) if heads is words.heads else named_from
        name = text[start : m.end()] if start == named_from else text[start : m.end()].replace("、", "")
        if m.group() in words.ceremonies and _names_an_event(text[start : m.start()].strip("“”"), words):
            continue  # “…交流活动”启动仪式: the ceremony of an event is that event
        if _names_one_event(name, name[: len(name) - len(m.group())], words):
            end = _event_end(text, m, words)
            yield Mention(name + text[m.end() : end], start, end, EntityType.EVENT, "pattern:event-head")


def _event_end(text: str, head: re.Match[str], words: _EventWords) -> int:
    """Past a year that names the edition (峰会2023), or a ceremony of games, an event of its own
    (北京2022年冬残奥会闭幕式)."""
    if year := _YEAR_AFTER.match(text, head.end()):
        return year.end()
    if head.group() in words.games:
        return head.end() + next((len(c) for c in words.game_ceremonies if text.startswith(c, head.end())), 0)
    return head.end()


#: A year written after an event's head names its edition (应用现代化产业峰会2023).
_YEAR_AFTER = re.compile(r"(?:19|20)\d\d(?![年\d])")


def _joined_games(text: str, start: int, words: _EventWords) -> int:
    """北京冬奥会、|冬残奥会总结表彰大会: two games joined by 、 name one meeting of both."""
    if start < 4 or text[start - 1] != "、" or not words.noun_heads.match(text, start):
        return start
    before = text[: start - 1]
    game = next((g for g in words.noun_heads.pattern.split("|") if before.endswith(g)), None)
    if game is None:
        return start
    return _noun_name_start(text, start - 1 - len(game), words)


def _whole_heads(text: str, heads: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """Head nouns that end where one of jieba's words ends: not 会议 of 议会|议员 or 成果展 of
    成果|展览|展示, where the search goes on inside the match (展览展示)."""
    cuts = _WordSpans(text)
    pos = 0
    while (m := heads.search(text, pos)) is not None:
        if cuts.cut_at(m.end()):
            yield m
            pos = m.end()
        else:
            pos = m.start() + 1


def _paired_place(text: str, start: int) -> int:
    """中国—|上海合作组织…论坛, 中国—|中亚峰会: the place paired with the rest by a dash opens the name."""
    if start < 3 or text[start - 1] not in "—－":
        return start
    word, tag = (rjieba.tag(text[max(0, start - 7) : start - 1]) or [("", "")])[-1]
    return start - 1 - len(word) if tag == "ns" else start


#: An edition that opens a meeting's name: 第十三届全国委员会…, 十四届….
_EDITION = re.compile(r"第?[一二三四五六七八九十\d]{1,3}届")


def _with_body(
    text: str, start: int, head: int, bodies: tuple[tuple[int, int], ...], stops: tuple[str, ...] = ()
) -> int:
    """The body whose meeting this is opens the name where the walk stopped inside or at the end of the
    body's name (上海合作组织|成员国元首理事会第二十次会议) or an edition follows it (政协第十三届全国委员会…)."""
    for body_start, body_end in bodies:
        if body_start < start < body_end <= head:
            return body_start
        if body_end == start and (_EDITION.match(text, start) or text[body_start:body_end].endswith(stops)):
            return _joint_start(text, body_start, bodies)
    return start


def _joint_start(text: str, start: int, bodies: tuple[tuple[int, int], ...]) -> int:
    """中国共产党和|巴西劳工党第七届理论研讨会: a body joined by 和 or 与 to the one that opens a meeting's
    name holds the meeting with it."""
    if text[start - 1 : start] not in ("和", "与"):
        return start
    return next((s for s, e in bodies if e == start - 1), start)


def _theme_start(text: str, head: int, words: _EventWords) -> int:
    """Left to a word that introduces the name, then past a closing quote's clause, a subtitle's dash
    and anything before the name's year or edition (聚焦2025年中国网络文明大会)."""
    start = _event_start(text, head, words)
    name = text[start:head]
    if "”" in name and "“" not in name[: name.index("”")]:  # “…，打造…平台”新媒体…研讨会
        start += name.index("”") + 1
    while text.startswith(("—", "－"), start):  # ——习近平…: a subtitle's dash opens no name
        start += 1
    opening = _NAME_OPENING.search(text, start, head)
    cut = opening is not None and opening.start() > start and not _ORDINAL.match(text[opening.start() - 1])
    if cut and not _SERIES_END.search(text, start, opening.start()):
        start = opening.start() - _host_city(text[start : opening.start()])
    return start


#: A series named before an edition is part of the edition's name (全球共享发展行动论坛|首届高级别会议).
_SERIES_END = re.compile(r"[\u4e00-\u9fff]{2}(?:论坛|峰会|大会|博览会)$")


def _series_start(text: str, start: int) -> int:
    """博鳌亚洲论坛全球经济发展与安全论坛|第二届大会: where the series named right before an edition starts."""
    if not _SERIES_END.search(text, max(0, start - 4), start):
        return start
    return _theme_start(text, start, _event_words())


def _host_city(before: str) -> int:
    """成都|第31届…运动会: the length of a place name written right before the year or edition, which
    belongs to the name (the city that hosts it)."""
    tagged = rjieba.tag(before)
    word, tag = tagged[-1] if tagged else ("", "")
    return len(word) if tag == "ns" and len(tagged) > 0 else 0


def _noun_name_start(text: str, head: int, words: _EventWords) -> int:
    """Walk left over jieba's words until a verb, adverb, measure word …; a quotation is taken whole."""
    window = max(0, head - _MAX_EVENT_NAME)
    start = _noun_phrase_start(text, window, head, words.noun_name_stops, words.starts_after)
    opener = next((w for w in words.name_openers if text.startswith(w, start - len(w))), "")
    return start - len(opener)


#: A company's name is a brand, often a coined word jieba reads as a verb or particle (追觅科技, 宝时得科技):
#: only prepositions, conjunctions and pronouns end it on its left.
_COMPANY_KINDS = ("有限公司", "有限责任公司")
_COMPANY_STOPS = frozenset({"p", "c", "r", "rr", "rz", "x"})

#: Words that end an institution's name on its left: its name may hold adjectives (大数据) and numbers.
_INSTITUTION_STOPS = frozenset(
    {
        "v",
        "vd",
        "vi",
        "d",
        "p",
        "c",
        "u",
        "ud",
        "ug",
        "uj",
        "ul",
        "uv",
        "uz",
        "r",
        "rr",
        "rz",
        "y",
        "e",
        "o",
        "x",
        "z",
    }
)


def _noun_phrase_start(
    text: str, window: int, head: int, stops: frozenset[str], starts_after: tuple[str, ...]
) -> int:
    """Where the noun phrase ending at ``head`` starts, no further left than ``window``."""
    pos = quote_open = head
    for word, tag in reversed(rjieba.tag(text[window:head])):
        if pos > quote_open:  # inside “…”
            pos -= len(word)
            continue
        if word in ("”", "）"):  # a quotation, or a bracketed place inside a name (宝时得科技（中国）有限公司)
            quote_open = text.rfind("“" if word == "”" else "（", window, pos)
            if quote_open < 0 or _SENTENCE_END.search(text, quote_open, pos):
                return pos  # no opening, or a quoted sentence: no part of a name
        elif _ends_noun_phrase(text, pos, word, tag, stops, starts_after):
            return pos
        pos -= len(word)
    return pos


def _ends_noun_phrase(
    text: str, pos: int, word: str, tag: str, stops: frozenset[str], starts_after: tuple[str, ...]
) -> bool:
    if not _NAME_CHAR.match(word) or text[:pos].endswith(starts_after):
        return True
    if tag == "a" and len(word) == 1:
        return False  # 新时代, 大数据: a one-character adjective is part of the noun after it
    return tag in stops and not _ORDINAL_WORD.fullmatch(word)


#: An ordinal and a meeting's kind alone (第四次会议, 第二次全体会议): whose meeting it is, the name does
#: not say.
_ORDINAL_ONLY = re.compile(r"(?:第[一二三四五六七八九十百\d]{1,4}[次届]|首届|首次)(?:全体)?(?:会议|大会)")


def _sessions_named_in_full(text: str, chosen: list[Mention]) -> list[Mention]:
    """第四次会议 is the meeting of the body that holds it (首都规划建设委员会召开第45次全体会议), or the one
    the article names in full elsewhere (十四届全国人大常委会第四次会议), or no named event."""
    full = [m.text for m in chosen if m.type is EntityType.EVENT and not _ORDINAL_ONLY.fullmatch(m.text)]
    out: list[Mention] = []
    for m in chosen:
        if m.type is not EntityType.EVENT or not _ORDINAL_ONLY.fullmatch(m.text) or any(f.endswith(m.text) for f in full):
            out.append(m)
        elif (body := _holder(text, out, m.start)) is not None:
            out.append(Mention(body.text + m.text, m.start, m.end, m.type, "pattern:body-session"))
    return out


#: Between a body and the session it holds: when, where and the verb (9日下午在北京人民大会堂举行).
_HOLDS = re.compile(r"^[\d月日上下午晚，]{0,8}(?:在[^，。；]{1,16})?(?:举行|召开)(?:了)?$")


def _holder(text: str, before: list[Mention], start: int) -> Mention | None:
    bodies = [m for m in before if m.type is EntityType.ORGANIZATION and m.end <= start]
    if bodies and _HOLDS.match(text[bodies[-1].end : start]):
        return bodies[-1]
    return None


def _names_one_event(name: str, modifier: str, words: _EventWords) -> bool:
    """The words before the head single out one event (not 学术研讨会, 祝贺大会, 中央政治局会议, 村（居）民议事会)."""
    modifier = _ASIDE.sub("", modifier)
    if len(modifier.strip("“”")) < 2 or modifier in words.generic or modifier in _plain_words():
        return False
    if _COUNT.match(modifier):
        return False  # 10个专题论坛, 两场分论坛: a count of events names none
    if name.count("“") != name.count("”"):
        return False
    return bool(_ORDINAL.search(modifier)) or not _without_generic_tail(modifier, words).endswith(
        words.unnamed_if_body_ends
    )


def _without_generic_tail(modifier: str, words: _EventWords) -> str:
    """国新办新闻(发布会) → 国新办: a kind word between a body and the head does not name the meeting."""
    tail = next((g for g in sorted(words.generic, key=len, reverse=True) if modifier.endswith(g)), "")
    return modifier[: len(modifier) - len(tail)]


def _event_start(text: str, head: int, words: _EventWords) -> int:
    """Left from the head over name characters and whole quotations (“融合十年：机遇与挑战”分论坛)."""
    pos = head
    while pos > 0 and head - pos < _MAX_EVENT_NAME:
        if text[pos - 1] == "”" and (opening := text.rfind("“", max(0, head - _MAX_EVENT_NAME), pos)) >= 0:
            if _SENTENCE_END.search(text, opening, pos):
                break  # “…记忆。”成都大运会: a quoted sentence, not a name's theme
            pos = opening
            continue
        if (aside := _ASIDE_BEFORE.search(text, max(0, pos - 8), pos)) is not None:
            pos = aside.start()  # 丝绸之路（敦煌）国际文化博览会: a place in brackets inside the name
            continue
        if _lists_the_represented(text, pos, head):
            pos -= 1  # 专家、企业家和|教科文卫体等|领域代表座谈会: the groups whose representatives meet
            continue
        if not _NAME_CHAR.match(text, pos - 1):
            break
        if _starts_after(text, pos, words) and not _session_number(text, pos) and not _about_theme(text, pos):
            break
        pos -= 1
    return pos


_SENTENCE_END = re.compile(r"[。！？；]")

#: A meeting of the representatives of listed groups: what follows the list before the head.
_REPRESENTATIVES = re.compile(r"[\u4e00-\u9fff]{0,8}(?:代表|负责人|人士)(?:座谈会|恳谈会|见面会)$")


def _lists_the_represented(text: str, pos: int, head: int) -> bool:
    """A list mark (、 和 与 及 等) at ``pos`` inside the groups a meeting of representatives names."""
    if text[pos - 1 : pos] not in ("、", "和", "与", "及", "等") or pos < 2 or not _NAME_CHAR.match(text, pos - 2):
        return False
    if text[pos - 2] in "会坛":
        return False  # 企业家座谈会、|党外人士座谈会: two meetings listed
    return _REPRESENTATIVES.search(text, pos, text.find("会", head) + 1) is not None


_ASIDE = re.compile(r"（[\u4e00-\u9fff]{1,4}）")
_ASIDE_BEFORE = re.compile(r"[\u4e00-\u9fff]（[\u4e00-\u9fff]{1,4}）$")

#: 一次/首次 that count a session (十四届全国人大一次会议, 第一次会议), not the times something happens.
_SESSION = re.compile(r"(?:第[十百\d]*|届|人大|政协|委员会|常委会)(?:一次|首次)$")


def _starts_after(text: str, pos: int, words: _EventWords) -> bool:
    """A word that introduces an event name ends at ``pos`` (not 开幕 of 开幕式); a one-character one only
    where jieba reads it as a word of its own (对 of 文明交流互鉴对话会 is no preposition)."""
    word = next((w for w in words.starts_after if text.startswith(w, pos - len(w))), None)
    if word is None or text.startswith("式", pos):
        return False  # not 开幕 of 开幕式暨…论坛
    if len(word) > 1:
        return True
    cuts = jieba_cuts(text, max(0, pos - 6), pos + 4)
    if word in _CONNECTORS and pos - 2 in cuts:
        return False  # 碳达峰碳中|和: a connector after a lone character jieba broke off a word joins nothing
    return pos in cuts and pos - 1 in cuts


_CONNECTORS = frozenset("和与及")


def _about_theme(text: str, pos: int) -> bool:
    """The 关于 of a 关于…的 theme inside the name, and the 的 that closes it (…关于宗教工作的重要论述研讨会)."""
    if text.startswith("关于", pos - 2):
        return True
    return text[pos - 1] == "的" and "关于" in text[max(0, pos - 16) : pos] and "，" not in text[text.rfind("关于", 0, pos) : pos]


def _session_number(text: str, pos: int) -> bool:
    return bool(_SESSION.search(text, max(0, pos - 6), pos))


#: Characters a name may gain on its left: no function word (由市城管执法局, 是省建工集团 gain nothing).
_NAME_OPENING_RUN = re.compile(r"(?![由在于和与及对向从把被为是的了将])[\u4e00-\u9fff]+")


class _WordSpans:
    """jieba's words of a text, to tell a name from the same characters inside a longer word."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._ends: list[int] | None = None
        self._cuts: frozenset[int] | None = None

    def word_start(self, start: int, end: int) -> int:
        """Where the word that ``start`` falls inside begins, if that word ends within ``[start, end)``:
        NER's 奥会工作领导小组 of 冬奥会工作领导小组."""
        ends = self._word_ends()
        i = bisect.bisect_right(ends, start)
        word_start = ends[i - 1] if i else 0
        if i < len(ends) and word_start < start < ends[i] <= end and _NAME_OPENING_RUN.fullmatch(self.text[word_start:start]):
            return word_start
        return start

    def _word_ends(self) -> list[int]:
        if self._ends is None:
            self._ends = list(itertools.accumulate(len(w) for w in segment(self.text)))
        return self._ends

    def crossed(self, start: int, end: int) -> bool:
        """A word runs across ``start`` or ``end``: the span cuts a word in two (最大|同心圆 holds 大同)."""
        return not self.cut_at(start) or not self.cut_at(end)

    def cut_at(self, pos: int) -> bool:
        """One of jieba's words ends (or the text starts) at ``pos``."""
        if self._cuts is None:
            self._cuts = frozenset((0, *self._word_ends()))
        return pos in self._cuts

    def inside(self, start: int, end: int) -> bool:
        """A single word holds ``[start, end)`` and more."""
        word = self.word_around(start, end)
        return word is not None and word[1] - word[0] > end - start

    def word_around(self, start: int, end: int) -> tuple[int, int] | None:
        """The span of the word that holds ``[start, end)``, if one does."""
        ends = self._word_ends()
        i = bisect.bisect_right(ends, start)
        if i >= len(ends):
            return None
        word_start = ends[i - 1] if i else 0
        return (word_start, ends[i]) if word_start <= start and end <= ends[i] else None


@dataclass(frozen=True)
class _DictionaryWords:
    """What the rules read from jieba's dictionary, gathered in one pass over its 350,000 lines."""

    common: frozenset[str]  # two-character words that are not names (雷人, 高峰): no NER person
    plain: frozenset[str]  # two-character words of no name kind (祝贺, 学术, not 成都): no event's whole modifier
    full_names: frozenset[str]  # full personal names (tag nrfg), three characters or more
    frequent_names: frozenset[str]  # words tagged as names yet used most as words (文明, 6,584 times)


@cache
def _dictionary_words() -> _DictionaryWords:
    common: set[str] = set()
    plain: set[str] = set()
    full_names: set[str] = set()
    frequent_names: set[str] = set()
    with open(_jieba_dictionary(), encoding="utf-8") as handle:
        for line in handle:
            word, freq, tag = (line.split() + ["", "0", ""])[:3]
            if len(word) == 2 and not tag.startswith("nr") and int(freq) >= 20:
                common.add(word)
                if not tag.startswith(("ns", "nt", "nz")):
                    plain.add(word)
            elif tag == "nrfg" and len(word) >= 3:
                full_names.add(word)
            if tag == "nr" and len(word) >= 2 and int(freq) >= _FREQUENT:
                frequent_names.add(word)
    return _DictionaryWords(frozenset(common), frozenset(plain), frozenset(full_names), frozenset(frequent_names))


#: How often a word jieba tags as a name must occur in its dictionary to be read as a word first.
_FREQUENT = 1000


def _common_words() -> frozenset[str]:
    return _dictionary_words().common


def _plain_words() -> frozenset[str]:
    return _dictionary_words().plain


def _jieba_dictionary() -> str:
    import jieba

    return jieba.get_dict_file().name


def _party_start(text: str, start: int) -> int:
    """中共福建省委, 中共浙江省委宣传部: the party's name before a committee is part of the body's name."""
    return start - 2 if start >= 2 and text.startswith("中共", start - 2) else start


#: A school a place names by number: 青岛十五中, 廊坊三中, 北京四中 (not 十九届三中全会).
_NUMBERED_SCHOOL = re.compile(r"第?[一二三四五六七八九十\d]{1,3}(?:中学(?!生)|小学(?!生)|中|小)(?![全心国央文共华医间])")


def _committees(text: str, s: int, e: int, place: str):
    """河南省委、省政府 → 河南省委 and 河南省政府 (the second with its elided place); 青岛十五中."""
    if (school := _NUMBERED_SCHOOL.match(text, e)) is not None:
        yield Mention(text[s : school.end()], s, school.end(), EntityType.ORGANIZATION, "pattern:numbered-school")
    m = _COMMITTEE.match(text, e)
    if not m or m.end() == e:
        return
    party = _party_start(text, s)
    yield Mention(
        text[party : m.end()], party, m.end(), EntityType.ORGANIZATION, "pattern:committee"
    )
    pos = m.end()
    while (nxt := _ELIDED.match(text, pos)) is not None:
        level, body = nxt.group(1), nxt.group(2)
        name = place[:-1] + level + body if place[-1] in "省市县区" else place + level + body
        start = nxt.start(1)
        yield Mention(name, start, nxt.end(), EntityType.ORGANIZATION, "pattern:committee-elided")
        pos = nxt.end()


def find_mentions(
    text: str,
    lex: Lexicon,
    ner: list[tuple[int, int, str]] | None = None,
    skip: tuple[tuple[int, int], ...] = (),
) -> Found:
    """Non-overlapping typed mentions of ``text``, outside the ``skip`` ranges."""
    ner = [(_after_punctuation(text, s, e), _before_punctuation(text, s, e), label) for s, e, label in ner or []]
    ner = [(s, _person_end(text, s, e, lex) if label == "PER" else e, label) for s, e, label in ner if e > s]
    ner = [(s, e, _relabelled(text[s:e], label)) for s, e, label in ner]
    known = _known_names(text, lex)
    bodies = [(k.start, k.end) for k in known if k.entry.type is not EntityType.PERSON]
    ner = [(s, e, label) for s, e, label in ner if label != "PER" or not _not_a_person(text, s, e, lex, bodies)]
    full_names = _full_names(text, lex)
    people = _people(ner, full_names)
    listed = listed_names(text, people, lex)
    people.update(listed)
    phrases = [p for p in find(text, lex, people) if not _inside(p.start, p.person_end, skip)]
    chosen = _title_mentions(phrases, lex)
    titled = [(p.start, p.person_start) for p in phrases]
    taken = _occupied(len(text), [*skip, *titled, *((m.start, m.end) for m in chosen)])  # mentions, titles, furniture
    listed_people = [Mention(text[s:e], s, e, EntityType.PERSON, "pattern:name-list") for s, e in listed]
    listed_people += [
        Mention(text[s:e], s, e, EntityType.PERSON, "pattern:occupation")
        for s, e in occupied_names(text, lex, people)
        if _reads_as_person(text[s:e])
    ]
    ranked = sorted(
        itertools.chain(_candidates(text, lex, ner, full_names, known), listed_people),
        key=lambda m: (_rank(m, lex), -(m.end - m.start), m.start),
    )
    for m in ranked:
        if not any(taken[m.start : m.end]) and not _opens_a_term(text, m):
            chosen.append(m)
            taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    chosen.sort(key=lambda m: (m.start, m.end))
    completed = _complete_name_lists(text, _sessions_named_in_full(text, _compound_bodies(text, chosen, lex)), lex)
    return Found(tuple(_recurring(text, completed, skip)), tuple(phrases))


def _compound_bodies(text: str, chosen: list[Mention], lex: Lexicon) -> list[Mention]:
    """湖北省|武汉市委, 中国|全国人大: places written right before a body are part of its name, not
    places the text speaks of; 全国政协|常务委员会, 中国法学会|党组: a unit written right after its body
    is one body, the most specific (not 中共中央|国务院, two bodies the gazetteers know)."""
    out: list[Mention] = []
    for m in chosen:
        while m.type is EntityType.ORGANIZATION and m.source != "title:org" and _joins(out, m, lex):
            before = out.pop()
            m = Mention(text[before.start : m.end], before.start, m.end, m.type, m.source)
        if _shares_its_unit(m, lex) and (unit := _unit_after_place(m.text, lex)) and _ADMIN_UNIT.search(unit):
            out.extend(_shared_unit(text, out, m.start, unit))
        out.append(m)
    return out


#: A unit of government each listed place has (党委统战部, 人民政府, 主题教育领导小组); not a delegation or
#: team, which the last place alone may send (四川省、成都市、中国代表团).
_ADMIN_UNIT = re.compile(r"(?:部|委|局|厅|办|署|政府|小组|委员会|办公室)$")


def _shares_its_unit(body: Mention, lex: Lexicon) -> bool:
    """A body whose unit places listed before it may share: not one the gazetteers know or an
    institution named as a whole (上海大学 is no 大学 of 上海 that 北京 could share)."""
    return (
        body.type is EntityType.ORGANIZATION
        and body.source not in ("title:org", "pattern:institution")
        and body.text not in lex.names
    )


def _unit_after_place(name: str, lex: Lexicon) -> str:
    """What follows the place a body's name opens with (山东省|党委统战部), or ""."""
    n = next((n for n in range(min(len(name) - 2, 8), 1, -1) if _is_place(name[:n], lex)), 0)
    return name[n:] if n else ""


def _shared_unit(text: str, out: list[Mention], start: int, unit: str) -> list[Mention]:
    """浙江省、四川省、山东省|党委统战部: places listed before a place-led body share its unit; each is a
    body of its own (浙江省党委统战部). They leave ``out`` and come back as bodies, in order."""
    shared: list[Mention] = []
    while out and out[-1].type is EntityType.PLACE and text[out[-1].end : start] == "、":
        place = out.pop()
        shared.insert(0, Mention(place.text + unit, place.start, place.end, EntityType.ORGANIZATION, "pattern:shared-unit"))
        start = place.start
    return shared


def _joins(mentions: list[Mention], body: Mention, lex: Lexicon) -> bool:
    """The last mention ends where ``body`` starts and is a place of two characters or more (在京|全国政协…:
    京 there says where), or a body of which ``body`` is an unknown unit."""
    last = mentions[-1] if mentions else None
    if last is None or last.end != body.start or len(last.text) < 2:
        return False
    if last.type is EntityType.PLACE:
        return True
    return (
        last.type is EntityType.ORGANIZATION
        and {last.source, body.source}.isdisjoint(_EXPANDED_SOURCES)
        and body.text not in lex.names
    )


#: Bodies a title or an elided coordination names apart (福建省委|省政府 of 福建省委省政府): never one body.
_EXPANDED_SOURCES = frozenset({"title:org", "pattern:committee-elided", "pattern:shared-unit"})


#: An edition's number before a series name: 第十一届|茅盾文学奖, 第六次|世界议长大会, 2023年|…
_EDITION_PREFIX = re.compile(r"^(?:第[一二三四五六七八九十百\d]{1,4}[届次]|(?:19|20)\d\d年?)")


def _recurring(text: str, chosen: list[Mention], skip: tuple[tuple[int, int], ...]) -> list[Mention]:
    """外交部长拉皮德 … 王岐山与拉皮德共同…; 第十一届茅盾文学奖 … 茅盾文学奖由中国作协主办: a person the
    article introduced, or the series of an edition it named, is meant wherever the name recurs as a
    word of its own and nothing else was found there."""
    names = {
        m.text: (m.type, "pattern:repeated-name")
        for m in chosen
        if m.type is EntityType.PERSON and len(m.text) >= 2 and m.text not in _common_words()
    }
    for m in chosen:
        series = _EDITION_PREFIX.sub("", m.text) if m.type is EntityType.EVENT else ""
        if len(series) >= 4 and series != m.text:
            names.setdefault(series, (EntityType.EVENT, "pattern:series-name"))
    for games in _games_named(chosen):  # 成都大运会 … 参加大运会: the games the article named
        names.setdefault(games, (EntityType.EVENT, "pattern:series-name"))
    if not names:
        return chosen
    taken = _occupied(len(text), [*skip, *((m.start, m.end) for m in chosen)])
    added = [
        Mention(name, m.start(), m.end(), type_, source)
        for name, (type_, source) in sorted(names.items())
        for m in re.finditer(re.escape(name), text)
        if not any(taken[m.start() : m.end()]) and _stands_alone(text, m.start(), m.end())
        and not _DOCTRINE.match(text, m.end())
    ]
    return sorted([*chosen, *added], key=lambda x: (x.start, x.end)) if added else chosen


def _games_named(chosen: list[Mention]) -> list[str]:
    """The kinds of games (大运会) of which the article names an edition (成都大运会)."""
    events = {m.text for m in chosen if m.type is EntityType.EVENT}
    return [kind for kind in _event_words().games if any(e.endswith(kind) and e != kind for e in events)]


def _stands_alone(text: str, start: int, end: int) -> bool:
    """jieba cuts the text around the name at both its ends: no word runs into it from either side, and
    a foreign name goes on no further (卡夫|雷拉)."""
    foreign = all(c in TRANSLITERATION for c in text[start:end])
    if foreign and (text[end : end + 1] in TRANSLITERATION or text[start - 1 : start] in TRANSLITERATION):
        return False
    bounds = jieba_cuts(text, max(0, start - 4), end + 3)
    return start in bounds and end in bounds


#: An administrative ending right after a "name" makes it a place (赵北口|镇人大), not a title (陈吉宁市长).
_PLACE_AFTER = re.compile(r"[省市县区村镇乡](?!长)")


#: After a person's name, words that make the name part of a doctrine's (习近平新时代中国特色社会主义思想,
#: 习近平法治思想, 邓小平理论): a concept, not the person.
_DOCTRINE = re.compile(r"(?:新时代[\u4e00-\u9fff]{0,12}?|[\u4e00-\u9fff]{0,4}?)(?:思想|理论)(?!家)")


def _opens_a_term(text: str, m: Mention) -> bool:
    """A person who names a doctrine (习近平|新时代…思想), a place that opens a quoted term (“上海|精神”,
    “浦江|经验”, “北京|2022”): words of the concept, not the person or place."""
    if m.type is EntityType.PERSON:
        return _DOCTRINE.match(text, m.end) is not None
    return m.type is EntityType.PLACE and text[m.start - 1 : m.start] == "“" and _QUOTED_TERM_REST.match(text, m.end) is not None


#: The rest of a short quoted term after its first word, up to the closing quote.
_QUOTED_TERM_REST = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]{1,8}”")


def _occupied(length: int, spans: list[tuple[int, int]]) -> bytearray:
    """1 at every offset one of ``spans`` covers, 0 elsewhere."""
    taken = bytearray(length)
    for s, e in spans:
        taken[s:e] = b"\x01" * (e - s)
    return taken


def _relabelled(name: str, label: str) -> str:
    """A "person" NER found that ends as a place or a body does is one (于洪区, 杭坪镇, 徐工集团)."""
    if label != "PER" or len(name) < 3:
        return label
    if _PLACE_LEVEL_END.search(name):
        return "LOC"
    return "ORG" if _INSTITUTION_KIND.search(name) else label


#: The level that ends a place's name.
_PLACE_LEVEL_END = re.compile(r"(?:省|市|县|区|镇|乡)$")  # not 村: 洛桑江村 is a name


def _not_a_person(text: str, start: int, end: int, lex: Lexicon, bodies: list[tuple[int, int]]) -> bool:
    """A "person" NER found before an administrative ending (赵北口|镇); one the gazetteers know as a
    body, place or platform (华为) or that a known name runs on from (亚奥理事|会); a word jieba reads as
    a place that a noun goes on from (延庆|运行中心)."""
    known = lex.names.get(text[start:end])
    if _PLACE_AFTER.match(text, end) or known is not None and known.type is not EntityType.PERSON:
        return True
    if any(s <= start and end <= e and (s, e) != (start, end) for s, e in bodies):
        return True
    after, name = text[end : end + 1], text[start:end]
    if not after or not "\u4e00" <= after <= "\u9fff" or after in AFTER_NAME or set(name) <= TRANSLITERATION:
        return False  # 塞西|首次: foreign names are places to jieba too
    return word_tag(name) == "ns"


def _known_names(text: str, lex: Lexicon) -> list[_Known]:
    """The names of ``text`` the gazetteers know, found once per text."""
    return [_Known(m.start(), m.end(), lex.names[m.group()]) for m in _gazetteer_regex(lex).finditer(text)]


def _people(ner: list[tuple[int, int, str]], full_names: list[tuple[int, int]]) -> dict[int, int]:
    """Where the people NER and jieba's dictionary of full names find start and end."""
    people = {s: e for s, e, label in ner if label == "PER"}
    for s, e in full_names:
        people.setdefault(s, e)
    return people


def _title_mentions(phrases: list[TitlePhrase], lex: Lexicon) -> list[Mention]:
    """The person of each title phrase, and the organisation its title names."""
    out: list[Mention] = []
    for p in phrases:
        out.append(Mention(p.person, p.person_start, p.person_end, EntityType.PERSON, f"title:{p.rule}"))
        for t in p.titles if p.rule != "title.shared" else ():
            org = Mention(t.org or "", t.org_start, t.org_end, EntityType.ORGANIZATION, "title:org")
            if t.org and not _is_place(t.org, lex) and not _names_no_body(t.org) and org not in out:
                out.append(org)
    return out


def _names_no_body(org: str) -> bool:
    """A body named by pointing back (该片区管委会, 本校) or by its kind alone (委员会, 中心, 纪念馆): the
    text leaves which one to its context."""
    return org.startswith(_DEICTIC_OPENINGS) or _BARE_KIND.fullmatch(org) is not None


_BARE_KIND = re.compile(rf"(?:{_INSTITUTION_KINDS}|委员会|纪念馆|图书馆|美术馆|医院|学校|公司)")


#: A body named by pointing back (该片区管委会, 本校): the text leaves which one to its context.
_DEICTIC_OPENINGS = ("该", "本", "此", "这")


#: One unrecognised item of a 、-list of people, and what may close the list after it.
_LIST_ITEM = re.compile(
    r"、([\u4e00-\u9fff]{2,4}?|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff·]{1,10}?)(?=、|等|在|出席|参加|同志|[，。；]|$)"
)


def _complete_name_lists(text: str, chosen: list[Mention], lex: Lexicon) -> list[Mention]:
    """The chosen mentions and the people NER missed inside their lists of people."""
    people = {m.start: m.end for m in chosen if m.type is EntityType.PERSON}
    taken = [(m.start, m.end) for m in chosen]
    added = [
        Mention(text[s:e], s, e, EntityType.PERSON, "pattern:name-list")
        for s, e in listed_names(text, people, lex, taken)
    ]
    return sorted([*chosen, *added], key=lambda x: (x.start, x.end)) if added else chosen


_LIST_PUNCTUATION = re.compile(r"[、，,；。：]")


def _after_punctuation(text: str, start: int, end: int) -> int:
    """（记者黄庆畅）|中共中央政治局: a name opens with no closing bracket or mark, nor with a quotation mark
    it does not close (“|釜山精品康养片区”); NER's span starts after it."""
    while start < end and (
        text[start] in _CLOSING_MARKS or text[start] in _OPENING_QUOTES and _OPENING_QUOTES[text[start]] not in text[start:end]
    ):
        start += 1
    return start


_OPENING_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』"}


_CLOSING_MARKS = frozenset("）)】」』”’，。、；：")


def _before_punctuation(text: str, start: int, end: int) -> int:
    """何维、致公党中央: a name holds no list punctuation; NER's span ends before it."""
    stop = _LIST_PUNCTUATION.search(text, start, end)
    return stop.start() if stop else end


def _person_end(text: str, start: int, end: int, lex: Lexicon) -> int:
    """Where a person NER found ends: past the rest of a ·-name or of a foreign name it cut (德维尔|潘,
    斯库|拉托夫), before a function word it swallowed."""
    end = transliteration_end(text, start, end)
    if set(text[start:end]) <= TRANSLITERATION and (run := transliterated_end(text, start)) is not None:
        end = max(end, run)
    if regnal := _REGNAL.match(text, end):
        return regnal.end()  # 阿卜杜拉|二世
    if text[start] not in lex.surnames:
        return end
    if end - start == 2 and _third_name_character(text, start, end, lex):
        return end + 1
    if end - start == 4 and text[end - 2 : end] in WORDS_AFTER_NAME:
        return end - 2  # 李希代表党中央
    if 3 <= end - start <= 4 and text[end - 1] in AFTER_NAME:
        return end - 1
    return end


#: A regnal number after a monarch's name (阿卜杜拉二世, 查尔斯三世).
_REGNAL = re.compile(r"[一二三四五六七八九十]{1,2}世(?![界纪代])")
_REGNAL_END = re.compile(rf"(?:{_REGNAL.pattern})$")


def _third_name_character(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """林楚|钦说, 李显|翠奶奶, 刘成|勇委员, 潘功|胜受…: jieba reads the two characters NER found and the next
    one as a three-character name, as a name and a name character standing alone, or joins that
    character to what follows a name (not 刘斌|作, 赵|先生)."""
    if end >= len(text) or text[end] in AFTER_NAME or text[end - 1 : end + 1] in lex.honorifics:
        return False
    words = rjieba.tag(text[start : end + 4])
    if words[0] == (text[start : end + 1], "nr"):
        return True
    joined = text[end : end + 2]
    if len(words) >= 2 and words[1][0] == joined and joined[1:] in AFTER_NAME and not dictionary_word(joined):
        return True  # 潘功|胜受国务院委托: jieba guesses a word of the name's last character and what follows names
    return len(words) >= 2 and words[0] == (text[start:end], "nr") and len(words[1][0]) == 1 and words[1][1] == "nr"


def listed_names(
    text: str, people: dict[int, int], lex: Lexicon, taken: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """张庆黎、刘奇葆、帕巴拉·格列朗杰、万钢、马飚: the names a list of people holds beyond ``people``.

    Items standing between two people of the list are people; items after the
    last one (before 等/在/出席) are where written as a name: a surname and one
    to three characters, or a transliteration with its ·. ``taken`` spans are
    never crossed.
    """
    taken = taken if taken is not None else list(people.items())
    found = [span for start in sorted(people) if (span := _leading_item(text, start, people, lex)) is not None]
    for end in sorted(people.values()):
        run = _unnamed_items(text, end, people, taken)
        closed = bool(run) and text.startswith("、", run[-1][1]) and run[-1][1] + 1 in people
        for s, e in run:
            if not (closed or _written_as_name(text[s:e], lex)) or text[s:e] in _common_words():
                break
            found.append((s, e))
    return found


def _leading_item(text: str, start: int, people: dict[int, int], lex: Lexicon) -> tuple[int, int] | None:
    """领导人习近平、李克强: the list's first name, before the first person NER found, where jieba reads a name."""
    if start < 3 or text[start - 1] != "、" or (start - 1) in people.values():
        return None
    for length in (3, 2):
        s = start - 1 - length
        name = text[s : start - 1]
        if s >= 0 and _PERSON_NAME.match(name) and name[0] in lex.surnames and reads_as_name(text, s, start - 1):
            return None if name in _common_words() else (s, start - 1)
    return None


def _unnamed_items(text: str, pos: int, people: dict[int, int], taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The list items after ``pos`` up to the next named person or the list's end."""
    run: list[tuple[int, int]] = []
    while (item := _LIST_ITEM.match(text, pos)) is not None and item.start(1) not in people:
        s, e = item.span(1)
        if any(ts < e and s < te for ts, te in taken):
            break
        run.append((s, e))
        pos = e
    return run


def _written_as_name(name: str, lex: Lexicon) -> bool:
    return "·" in name or name[0] in lex.common_surnames or name[:2] in lex.surnames


def _rank(m: Mention, lex: Lexicon) -> float:
    guessed = m.source in _FALLBACK_PATTERNS
    base = _PRIORITY["fallback"] if guessed else _PRIORITY[m.source.split(":")[0]]
    guessed_org = guessed or (m.source == "ner" and m.type is EntityType.ORGANIZATION)
    if guessed_org and (_starts_with_known(m.text, lex, EntityType.PLACE) or "（" in m.text):
        return _PRIORITY["pattern"]  # 浙江大学, 北京市政务服务和数据管理局: the place is part of the name
    if guessed_org and _starts_with_known(m.text, lex, EntityType.ORGANIZATION):
        return _PRIORITY["pattern"]  # 联合国文明联盟, 北京大学赛克勒考古与艺术博物馆: a unit named after its body
    return base


def _starts_with_known(name: str, lex: Lexicon, type_: EntityType) -> bool:
    """A known name of ``type_`` opens ``name`` and more than one character follows it."""
    return any(_is_known(name[:n], lex, type_) and len(name) > n + 1 for n in range(min(len(name) - 2, 8), 1, -1))


def _is_place(name: str, lex: Lexicon) -> bool:
    return _is_known(name, lex, EntityType.PLACE)


def _is_known(name: str, lex: Lexicon, type_: EntityType) -> bool:
    entry = lex.names.get(name)
    return entry is not None and entry.type is type_


def _inside(s: int, e: int, spans: tuple[tuple[int, int], ...]) -> bool:
    return any(a <= s and e <= b for a, b in spans)
