"""Title phrases: ``中国社会科学院政治学研究所所长、中国政治学会常务副会长张树华``.

A title phrase names a person and, for each title, the position as written
and the organisation it belongs to. Both come from the phrase itself, so a
title gives holdsPosition and affiliatedWith facts with the sentence as
evidence, and it finds names the NER model misses.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import rjieba

from kg.lexicon import Lexicon
from kg.types import EntityType
from kg.wordtrie import compile_words

# What may follow a name in running text (张树华说, 罗华在峰会上, 马利、…).
_FOLLOWERS = (
    "说",
    "表示",
    "指出",
    "认为",
    "强调",
    "介绍",
    "称",
    "谈到",
    "坦言",
    "回顾",
    "分享",
    "肯定",
    "在",
    "、",
    "，",
    "。",
    "：",
    ":",
    "；",
    "”",
    "也",
    "还",
    "就",
    "对",
    "等",
    "和",
    "与",
    "致",
    "发布",
    "接受",
    "出席",
    "参加",
    "主持",
    "提出",
    "希望",
    "同",
    "一行",
    "（",
    "(",
    "的",
    "作",
    "宣读",
    "宣布",
    "就座",
    "讲话",
    "致辞",
    "率",
    "会见",
    "代表",
    "共同",
    "一同",
    "分别",
    "道出",
    "带来",
    "带领",
    "回忆",
    "感慨",
    "直言",
    "告诉",
    "已经",
    "随后",
)
_SEGMENT_STOP = re.compile(r"[，。；：:“”‘’「」《》\s!?！？…是为把被向由对了的在坐给将让从]")
#: A dateline, a reporter's credit or a number before a title ends its clause (新华社北京7月3日电|…,
#: （记者温馨）|国务院副总理).
_DATELINE_CUT = re.compile(r".*(?:日电|日讯|报讯|\d|记者[^（）()]{0,20}[）)])")
#: The organisation of a title is a body by its ending (阿联酋外长, 南非驻华大使 name none).
BODY_END = re.compile(
    r"(?:部|委|局|中央|联|院|社|会|校|所|厅|办|署|中心|集团|公司|大学|学院|银行|政府|法院|检察院|报|(?<![展舞讲平])台|网|频道|"
    r"协|协会|学会|基金会|联合会|联盟|党|委员会|实验室|处|司|组|站|党委|党组|政协|人大|军|队|馆|团|科|室|系|版)$"
)
#: Words a title may begin with that name no organisation (国家主席, 全国政协 is one).
_NO_ORG = frozenset(
    {"国家", "全国", "中央", "我国", "本市", "本省", "该", "政府", "该公司", "公司", "本公司", "部队", "党支部", "党总支", "支部", "单位"}
)
_LEADING_FUNCTION = re.compile(r"(?:据|由|在|对|和|与|以及|及|同|向|经|是|为|有|请|邀请|应(?![急用届聘])|但是|但|而且|并且|记者|专访|采访)+")
_TRAILING_QUALIFIER = re.compile(
    r"(?:原|前|副|常务|执行|代理|高级|资深|第[一二三四五六七八九十]+届|[一二三四五六七八九十]+级)+$"
)
_LEADING_TERM = re.compile(r"^(?:第?(?:十[一二三四五六七八九]?|二十|[一二三四五六七八九])届)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NAME = re.compile(r"(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,7}·[\u4e00-\u9fff·]{1,12})$")


@dataclass(frozen=True)
class Title:
    text: str  # the position as written: 人民日报社原副总编辑
    start: int
    end: int
    org: str | None  # the organisation named in it, most specific unit: 人民日报社
    org_start: int
    org_end: int


@dataclass(frozen=True)
class TitlePhrase:
    """A person named after one or more titles (or before an honorific title)."""

    person: str
    person_start: int
    person_end: int
    titles: tuple[Title, ...]
    start: int  # the whole phrase, titles and name
    rule: str


def _title_at_end(segment: str, titles: tuple[str, ...]) -> str | None:
    for word in titles:
        if segment.endswith(word):
            return word
    return None


def _name_after(text: str, pos: int, lex: Lexicon, ner_people: dict[int, int]) -> int | None:
    """End offset of a personal name starting at ``pos``, or None (not a body the gazetteers know:
    习近平总书记|党中央的核心)."""
    if any(_known_as_other(text[pos : pos + n], lex) for n in (2, 3, 4, 5)):
        return None
    if pos in ner_people and _NAME.match(text, pos, ner_people[pos]):
        end = ner_people[pos] - _joined_to_next(text, pos, ner_people[pos])
        return transliteration_end(text, pos, _whole_given_name(text, pos, end))
    head = text[pos : pos + 2]
    if not (text[pos : pos + 1] in lex.surnames or head in lex.surnames):
        return transliterated_end(text, pos)
    if text[pos - 2 : pos] in _PLAIN_NOUN_TITLES and text[pos] not in lex.common_surnames:
        return _dictionary_name_end(text, pos)  # 干部|干实事: after a plain noun, no rare-surname guess
    for length in (2, 3):
        end = pos + length
        name = text[pos:end]
        if len(name) < length or not all(_CJK.match(c) for c in name):
            return None
        rest = text[end:]
        if _verb_inside(text, pos, end):
            return None  # 执行主席|席就座: a verb that follows names starts inside the candidate
        if rest == "" or rest.startswith(_FOLLOWERS):
            end -= _joined_to_next(text, pos, end)
            name = text[pos:end]
            if _not_a_name(name) or _opens_with_function_word(text, pos, end) or _opens_with_a_verb(name, lex):
                return None
            return end
        if rest.startswith("·"):
            return transliteration_end(text, pos, end)
    ends = [e for e in (_dictionary_name_end(text, pos), transliterated_end(text, pos)) if e is not None]
    return max(ends, default=None)  # 莫拉蒂|诺斯: jieba's name word may stop inside a foreign name


#: Characters that spell foreign names in Chinese (马特维延科, 科沙诺夫, 帕森斯); few common words are
#: made of them alone.
TRANSLITERATION = frozenset(
    "阿埃艾爱安昂奥巴拜班邦保鲍贝本比彼毕波伯博布查达戴丹德登迪蒂杜多厄恩法菲费芬丰弗福盖甘戈格古哈海汉"
    "豪赫亨洪胡霍基吉加贾杰捷金卡凯坎康考柯科克肯孔库奎拉莱赖兰朗劳勒雷蕾里利莉连林琳卢鲁伦罗洛马玛迈麦"
    "曼梅蒙孟米敏明莫姆穆纳娜奈南内尼涅纽努诺欧帕佩彭蓬皮珀普奇契乔切丘萨塞赛桑瑟森沙莎尚舍什斯松苏索"
    "塔泰坦汤唐特提图托瓦万威韦维温翁沃乌西希夏谢辛休雅亚延扬耶伊因英尤约泽扎詹兹卓佐夫娃娅丽茨"
    "尔京罕默贡列别潘嘎卜"
)


def transliterated_end(text: str, pos: int) -> int | None:
    """议长科沙诺夫时, 总统巴沙尔和: after a title, a run of two to eight transliteration characters that
    ends where a word that follows names begins."""
    end = pos
    while end < len(text) and end - pos < 8 and text[end] in TRANSLITERATION:
        end += 1
    if end - pos >= 2 and text.startswith("·", end):
        return transliteration_end(text, pos, end)  # 玛哈·哇集拉隆功: a ·-name runs over all its parts
    for stop in range(end, pos + 1, -1):
        rest = text[stop:]
        if stop - pos == 2 and (word_tag(text[pos:stop]) or "nr")[:2] not in ("nr", "ns", "nz"):
            continue  # 干部|特别…: a common word of two characters is no name
        if rest == "" or rest.startswith(_FOLLOWERS) or rest[0] in AFTER_NAME:
            return stop
    return None


def _dictionary_name_end(text: str, pos: int) -> int | None:
    """美术老师何思佳|翻开: after a title, a word jieba reads as a personal name of two or three
    characters is the name, whatever verb follows it."""
    word, tag = next(iter(rjieba.tag(text[pos : pos + 8])), ("", ""))
    if tag.startswith("nr") and 2 <= len(word) <= 3 and all(_CJK.match(c) for c in word) and word not in _AFTER_TITLE:
        return pos + len(word)  # not 总书记|贺信精神: jieba reads 贺信 as a name too
    return None


def transliteration_end(text: str, start: int, end: int) -> int:
    """里卡尔多|·罗马尼, 扎法尔·马赫|默德表示, 丹尼尔·劳拉说: a ·-name runs over all its parts, each
    as far as jieba reads name words, and stops before a word that follows names."""
    if "·" not in text[start:end] and not text.startswith("·", end):
        return end
    end = _name_words_end(text, end)
    while text.startswith("·", end) and _CJK.match(text, end + 1):
        end = _name_words_end(text, end + 1)
        if text[end - 1] == "·":  # jieba reads no name word after the dot (艾力更·|依明巴海在…)
            end = _part_end(text, end)
    if end < len(text) and _CJK.match(text[end]) and text[end] not in AFTER_NAME and text.startswith(_FOLLOWERS, end + 1):
        end += 1  # 纽克罗|霍在: jieba joins the name's last character to the word after it
    last_dot = text.rfind("·", start, end)
    for at in range(last_dot + 2, end):
        if text.startswith(_FOLLOWERS, at):
            return at
    return end


def _part_end(text: str, pos: int) -> int:
    """Where a transliterated part starting at ``pos`` ends: before a word that follows names, at most 8 on."""
    stop, limit = pos, min(len(text), pos + 8)
    while stop < limit and _CJK.match(text[stop]) and not text.startswith(_FOLLOWERS, stop):
        stop += 1
    return stop


#: jieba's tags of the words a transliterated name is cut into: names, and place or proper names (巴萨).
_TRANSLITERATED_TAGS = ("nr", "ns", "nz")


def _name_words_end(text: str, pos: int) -> int:
    """Past the words at ``pos`` that jieba tags as names, or single characters of no other kind."""
    for word, tag in rjieba.tag(text[pos : pos + 10]):
        single = len(word) == 1 and tag not in _NOT_NAME_TAGS and word not in AFTER_NAME and _CJK.match(word)
        if not (tag.startswith(_TRANSLITERATED_TAGS) or single):
            break
        pos += len(word)
    return pos


#: Surnames that are also function words (由, 向, 于): a name opening with one must read as a name to jieba.
_FUNCTION_SURNAMES = frozenset("由向于经从和与同对")


def _opens_with_function_word(text: str, start: int, end: int) -> bool:
    """委员由武术、公安…组成, 总书记关于党的…: a preposition opens a phrase, not the name 由武术 or 关于党."""
    first, tag = rjieba.tag(text[start : end + 2])[0]
    if len(first) >= end - start:
        return False  # jieba reads the whole name as one word (or more)
    return tag[:1] in ("p", "c") and (len(first) > 1 or text[start] in _FUNCTION_SURNAMES)


def _joined_to_next(text: str, start: int, end: int) -> int:
    """1 where the last character of a three-character name is one that stands after names and jieba
    joins it to the word after it (方静|正在领学), else 0."""
    if end - start != 3 or text[end - 1] not in AFTER_NAME:
        return 0
    cuts = jieba_cuts(text, start, min(len(text), end + 3))
    return int(end - 1 in cuts and end not in cuts)


def _verb_inside(text: str, start: int, end: int) -> bool:
    return any(text[at : at + 2] in WORDS_AFTER_NAME for at in range(start + 1, end))


def _whole_given_name(text: str, start: int, end: int) -> int:
    """吴为|山：, 白玉|刚，: a two-character name NER cut before the last character of a
    three-character one (the next character is no follower, and a follower comes after it)."""
    if end - start != 2 or end + 1 > len(text) or not _CJK.match(text[end]):
        return end
    if text.startswith(_FOLLOWERS, end) or text[end] in _NAME_STOP:
        return end
    rest = text[end + 1 :]
    return end + 1 if rest == "" or rest.startswith(_FOLLOWERS) else end


#: Characters that stand right after a name (function words, first characters of verbs): NER
#: sometimes takes one into the name (刘鹤以视频方式), and a name does not run on into one.
AFTER_NAME = frozenset("以受时正在将于向对和与等说称的了是为从被把也都还就出主表指介认作致代率")
#: Two-character words that follow a name (李希代表, 王毅出席, 王毅一行).
WORDS_AFTER_NAME = frozenset(w for w in _FOLLOWERS if len(w) == 2)
_NAME_STOP = AFTER_NAME | frozenset("率会")


#: A body named by its level alone (县委政法委, 市妇联, 市公安局; not 市场监管局) or by pointing
#: (该校生命科学院): which one the title does not say.
_UNNAMED_LEVEL = re.compile(
    r"^(?:(?:自治区|自治州|自治县|[省市县区镇乡](?![场域份级属直]))(?:委|党委|政府|人民政府|人大|政协|妇联|团委|总工会|纪委|监委|法院|检察院|[\u4e00-\u9fff]{1,4}[局厅办])"
    r"|[该本此这][校院所局部厅委])"
)


def _org_of(title_text: str, word: str, start: int, lex: Lexicon) -> tuple[str | None, int, int]:
    """The organisation inside a title: 十一届全国政协副主席 → 全国政协; 联合国秘书长 → 联合国 (a known body)."""
    body = title_text[: len(title_text) - len(word)]
    body = _TRAILING_QUALIFIER.sub("", body)
    lead = _LEADING_TERM.match(body)
    offset = lead.end() if lead else 0
    body = _without_field(body[offset:])
    known = lex.names.get(body)
    named = BODY_END.search(body) or known is not None and known.type is EntityType.ORGANIZATION
    if len(body) < 2 or body in _NO_ORG or not named or _UNNAMED_LEVEL.match(body):
        return None, 0, 0
    if word.startswith("党组"):  # 中国法学会党组成员: the party group is the most specific unit
        body += "党组"
    return body, start + offset, start + offset + len(body)


def _without_field(body: str) -> str:
    """…股份有限公司|法务(专员): a two-character field word between a body and the title is no part
    of the body."""
    if BODY_END.search(body) or len(body) < 5:
        return body
    words = rjieba.cut(body)
    return body[:-2] if len(words) >= 2 and len(words[-1]) == 2 and BODY_END.search(body[:-2]) else body


@cache
def _titles_regex(titles: tuple[str, ...]) -> re.Pattern[str]:
    return compile_words(titles)


def find(text: str, lex: Lexicon, ner_people: dict[int, int] | None = None) -> list[TitlePhrase]:
    """All title phrases in ``text`` (a sentence or a whole document)."""
    ner_people = ner_people or {}
    phrases: list[TitlePhrase] = []
    pos = 0
    rx = _titles_regex(lex.titles)
    person_ends = sorted(ner_people.values())  # a title never reaches back past a name
    while (m := rx.search(text, pos)) is not None:
        pos = m.start()
        title_end = pos + len(m.group())
        name_start = title_end + _held_de(text, pos, title_end)
        whole = whole_word(text, pos, m.group()) and not _straddles(text, pos, title_end)
        name_end = _name_after(text, name_start, lex, ner_people) if whole else None
        if name_end is None:  # no name, or the title opens a longer word (主席国, 主席台)
            pos += 1
            continue
        before = bisect.bisect_right(person_ends, name_start)
        floor = max(person_ends[before - 1] if before else 0, phrases[-1].person_end if phrases else 0)
        phrase = _phrase_before(text, title_end, lex, floor)
        if phrase:
            start, titles = phrase
            titles = _listed_after(text, phrases[-1] if phrases else None, start, titles, lex)
            phrases.append(TitlePhrase(text[name_start:name_end], name_start, name_end, titles, start, "title.before_name"))
            shared = list(_sharing(text, name_end, titles, lex, ner_people))
            phrases.extend(shared)
            name_end = shared[-1].person_end if shared else name_end
        pos = name_end
    return phrases


#: Verbs of holding a post: 担任…主任的郭光灿 names the person after the 的.
_HOLDS_POST = re.compile(r"(?:担任|现任|时任|出任|兼任|曾任)")


def _held_de(text: str, title_start: int, title_end: int) -> int:
    """1 where ``的`` stands between a post held (担任/现任…) and the name, else 0."""
    if not text.startswith("的", title_end):
        return 0
    clause = text[_segment_start(text, title_start, 0) : title_start]
    return 1 if _HOLDS_POST.search(clause) else 0


def _listed_after(
    text: str, prev: TitlePhrase | None, start: int, titles: tuple[Title, ...], lex: Lexicon
) -> tuple[Title, ...]:
    """国家体育总局局长高志丹、副局长张家胜: a person listed right after a titled one, with bare titles (no
    body, no place: not 白俄罗斯第一副总理), works for the body the titles before named."""
    if prev is None or not prev.titles or text[prev.person_end : start] != "、":
        return titles
    if not all(_QUALIFIERS.sub("", t.text) in lex.titles for t in titles):
        return titles
    host = prev.titles[-1]
    if not host.org:
        return titles
    return tuple(Title(t.text, t.start, t.end, host.org, host.org_start, host.org_end) for t in titles)


_QUALIFIERS = re.compile(r"^(?:原|前|副|常务|执行|代理|第一)+")


def occupied_names(text: str, lex: Lexicon, ner_people: dict[int, int]) -> list[tuple[int, int]]:
    """市民张成福, 作家阿来: the names written after an occupation, which is no title of theirs."""
    found = []
    for m in _titles_regex(lex.occupations).finditer(text):
        if whole_word(text, m.start(), m.group()):
            end = _name_after(text, m.end(), lex, ner_people)
            if end is not None and not _runs_into_word(text, end):
                found.append((m.end(), end))
    return found


def _runs_into_word(text: str, end: int) -> bool:
    """The "name" ends inside one of jieba's dictionary words (大学生饶有兴|致): words, not a name."""
    at = max(0, end - 3)
    for word in rjieba.cut(text[at : end + 3], False):  # dictionary words only
        if at < end < at + len(word):
            return len(word) >= 3
        at += len(word)
    return False


def _sharing(
    text: str, pos: int, titles: tuple[Title, ...], lex: Lexicon, ner_people: dict[int, int]
) -> Iterator[TitlePhrase]:
    """全国政协副主席张庆黎、刘奇葆、万钢: the names listed after a titled name share its titles."""
    while text.startswith("、", pos):
        end = _name_after(text, pos + 1, lex, ner_people)
        if end is None:
            return
        yield TitlePhrase(text[pos + 1 : end], pos + 1, end, titles, pos + 1, "title.shared")
        pos = end


_QUOTED_NAME = re.compile(r"(?:“[^“”，。；：]{1,12}”|《[^《》，。；：]{1,12}》)$")


def _opens_name(char: str) -> bool:
    return bool(_CJK.match(char)) and not _SEGMENT_STOP.match(char)


def _segment_start(text: str, name_start: int, floor: int) -> int:
    """Where the stretch of titles before a name may start: back to punctuation or a function character,
    across a quoted name inside a body's name (巴基斯坦“读懂中国”论坛理事长)."""
    pos = name_start
    while pos > floor and name_start - pos < 48:
        quoted = _QUOTED_NAME.search(text, max(floor, pos - 14), pos) if text[pos - 1] in "”》" else None
        if quoted and quoted.start() > floor and _opens_name(text[quoted.start() - 1]):
            pos = quoted.start()
            continue
        if _SEGMENT_STOP.match(text[pos - 1]) and not _inside_word(text, pos - 1) and not _PARTY_OF.match(text, pos - 2):
            break
        pos -= 1
    return pos


#: 党的 inside a body's name (中央党的建设工作领导小组): the 的 of the party's work cuts nothing.
_PARTY_OF = re.compile(r"党的(?:建设|群众)")

#: Function characters that also form the words of names (华为, 作为): 的, 在, 了 always cut (目的, 所在).
_WORD_FORMING = frozenset("是为把被向由对坐给将让从")


def _inside_word(text: str, i: int) -> bool:
    """The function character at ``i`` is part of a longer word (华为, 作为): it cuts nothing."""
    if text[i] not in _WORD_FORMING:
        return False
    left = max(0, i - 3)
    at = left
    for word, tag in rjieba.tag(text[left : i + 6]):  # wide enough for 对外友协
        if at <= i < at + len(word):
            return len(word) > 1 and tag.startswith("n")  # 交给, 作为 are verbs: they cut
        at += len(word)
    return False


def _phrase_before(
    text: str, name_start: int, lex: Lexicon, floor: int = 0
) -> tuple[int, tuple[Title, ...]] | None:
    """The titles written before the name at ``name_start``, never reaching back past ``floor``."""
    seg_start = _segment_start(text, name_start, floor)
    past = _title_start(text[seg_start:name_start], lex)
    seg_start += past
    segment = text[seg_start:name_start]
    skip = _past_previous_title(segment, lex)  # 习近平总书记和越共中央总书记苏林
    seg_start += skip
    segment = segment[skip:]
    titles = _titles_in(segment, seg_start, lex)
    if not titles:
        return None
    titles = [*_comma_chained(text, seg_start, lex, floor), *titles]
    return _role_start(text, seg_start, titles[0].start), tuple(_units_in_body(titles, lex))


#: A delegate's role before a titled name: 冬奥组委代表、|延庆运行中心常务副主任张素枝.
_DELEGATE_ROLE = re.compile(r"(?:^|、)([\u4e00-\u9fff]{1,12}代表)、$")


def _role_start(text: str, seg_start: int, first_title: int) -> int:
    """Where the phrase starts: at a delegate's role written before the titles (it is no post), else at
    the first title."""
    role = _DELEGATE_ROLE.search(text[seg_start:first_title])
    return seg_start + role.start(1) if role else first_title


def _titles_in(segment: str, seg_start: int, lex: Lexicon) -> list[Title]:
    """The titles of a stretch of 、- or 兼-joined parts; none where a part holds no title. Bodies
    written before a title share it (中央网信办、国家网信办总工程师: one post of both)."""
    titles: list[Title] = []
    sharing: list[tuple[str, int]] = []  # bodies waiting for the title they share
    cursor = seg_start
    for part in re.split("[、兼]", segment):
        word = _title_at_end(part, lex.titles)
        if word is None:
            titles = []  # a list item without a title: not a title phrase
            sharing = [*sharing, (part, cursor)] if _names_a_body(part, lex) else []
            cursor += len(part) + 1
            continue
        org, org_start, org_end = _org_of(part, word, cursor, lex)
        start = sharing[0][1] if sharing and org else cursor
        text = segment[start - seg_start : cursor - seg_start + len(part)]
        titles.extend(Title(text, start, cursor + len(part), body, at, at + len(body)) for body, at in sharing if org)
        titles.append(Title(text, start, cursor + len(part), org, org_start, org_end))
        sharing = []
        cursor += len(part) + 1
    return titles


def _names_a_body(part: str, lex: Lexicon) -> bool:
    known = lex.names.get(part)
    return len(part) >= 3 and (known is not None and known.type is EntityType.ORGANIZATION or bool(BODY_END.search(part)))


#: What may open a clause of titles before a comma: the start, a sentence end, a quote, a colon.
_CLAUSE_OPENING = frozenset("。！？；：:“”「」\n")


def _comma_chained(text: str, seg_start: int, lex: Lexicon, floor: int) -> list[Title]:
    """上海报业集团党委副书记，解放日报社党委书记、社长陈颂清: a clause of nothing but titles, opening
    its sentence right before the comma, names more posts of the same person."""
    if seg_start < 2 or text[seg_start - 1] not in "，," or seg_start - 1 <= floor:
        return []
    start = _segment_start(text, seg_start - 1, floor)
    if start > 0 and text[start - 1] not in _CLAUSE_OPENING:
        return []
    segment = text[start : seg_start - 1]
    if not segment or _title_start(segment, lex) != 0:
        return []
    return _titles_in(segment, start, lex)


#: What closes a body's name before one of its departments: 中国记协党组 → 中国记协 + 书记处.
_GOVERNING_GROUP = re.compile(r"(?:党组|党委|党总支|党支部|编委)$")


def _units_in_body(titles: list[Title], lex: Lexicon) -> list[Title]:
    """Titles written after a titled body belong to it: a department alone is part of it (山东省委常委、
    宣传部部长 → 山东省委宣传部), a title with no body of its own works for it (…日报社党委书记、社长 →
    …日报社; the governing group is not the employer)."""
    first = titles[0]
    if first.org in lex.units:  # 研究中心副教授: a unit with no body names no organisation
        first = Title(first.text, first.start, first.end, None, 0, 0)
    out = [first]
    for title in titles[1:]:
        body = out[-1].org
        if body and body not in lex.units and (title.org is None or _unit_of(title.org, body, lex)):
            host = _GOVERNING_GROUP.sub("", body)
            if title.org is not None:
                title = Title(title.text, title.start, title.end, host + title.org, title.org_start, title.org_end)
            else:
                start = out[-1].org_start
                title = Title(title.text, title.start, title.end, host, start, start + len(host))
        out.append(title)
    return out


def _unit_of(org: str, body: str, lex: Lexicon) -> bool:
    """``org`` is a department of ``body``: one that exists only inside a body (宣传部), or a school of
    the university named before it (中央民族大学副校长、民族学与社会学学院院长)."""
    return org in lex.units or body.endswith("大学") and org.endswith(("学院", "系")) and "大学" not in org


#: jieba tags of words a title never holds: prepositions and adverbs (北京以|视频方式…, 俄方认真履行|主席);
#: 和 and 与 join the parts of a body's name (经济和信息化委员会, 艺术与考古博物馆) and do not cut.
_CLAUSE_TAGS = frozenset({"p", "d", "ad"})
_JOINING = frozenset({"和", "与", "及", "以及", "暨"})


def _ends_clause(word: str, tag: str, lex: Lexicon) -> bool:
    """A clause word, or a verb or set phrase ending in one (热情欢迎)."""
    if word in lex.clause_words:
        return True
    return tag[:1] in ("v", "i", "l") and any(len(w) >= 2 and word.endswith(w) for w in lex.clause_words)


def _title_start(segment: str, lex: Lexicon) -> int:
    """Where the titles in ``segment`` (the stretch before a name) start: after a dateline, after the last
    word that ends a clause (a preposition, an adverb and its verb, a verb of meeting or speaking), and
    after the function words that open the rest, where jieba reads them as words of their own (not 和平区)."""
    start = pos = _opening_cut(segment)
    after_adverb = False
    word_at: dict[int, str] = {}  # jieba's words by where they start, read once
    before = previous = ""
    tagged = rjieba.tag(segment[pos:])
    for i, (word, tag) in enumerate(tagged):
        word_at[pos] = word
        if previous in _WITH and _is_place(word, lex) and not _is_place(before, lex):
            start = pos  # 以视频方式与|以色列候任总理 (not 中国和白俄罗斯政府间合作委员会): two parties
        pos += len(word)
        following = tagged[i + 1][1] if i + 1 < len(tagged) else ""
        clause_tag = tag in _CLAUSE_TAGS and word not in _JOINING and word not in lex.names  # not 越共 (d)
        if _ends_clause(word, tag, lex) or clause_tag and _function_word(word, tag, following) or after_adverb and tag == "v":
            start = pos
        after_adverb = tag in ("d", "ad")
        before, previous = previous, word
    lead = _LEADING_FUNCTION.match(segment, start)
    word = word_at.get(start, "")
    if lead and (len(word) <= lead.end() - start or not dictionary_word(word)):
        start = lead.end()  # 据|雄安云网…, 同|古共…: jieba only guessed the word the function word opens
    return start


def _opening_cut(segment: str) -> int:
    """Past a dateline, and past the last verb of holding a post, which jieba may read into the name
    after it (时|任华东…: 时任华东军政委员会水利部副部长)."""
    cut = _DATELINE_CUT.match(segment)
    start = cut.end() if cut else 0
    return max([start, *(m.end() for m in _HOLDS_POST.finditer(segment, start))])


def _function_word(word: str, tag: str, following: str) -> bool:
    """jieba's preposition or adverb is one: a word of its dictionary (not 局乌当, a guess), and an adverb
    stands before a verb, an adjective or another adverb, not a noun (上海自然|博物馆)."""
    return dictionary_word(word) and (tag == "p" or following[:1] in ("v", "a", "d", ""))


_CONJUNCTION = re.compile(r"以及|和|与|及")
_WITH = frozenset({"与", "同", "和", "跟"})


def _is_place(word: str, lex: Lexicon) -> bool:
    entry = lex.names.get(word)
    return entry is not None and entry.type is EntityType.PLACE


def _past_previous_title(segment: str, lex: Lexicon) -> int:
    """Past a title of the name before (its honorific) and the conjunction after it."""
    m = _CONJUNCTION.search(segment)
    return m.end() if m and segment[: m.start()] in lex.titles else 0


#: Characters that stand before a name (a conjunction, a preposition), not at its start.
_BEFORE_NAME = frozenset("和与同跟对向给在被把让及")


#: Titles that are also plain nouns followed by verbs (干部干实事): a name after them starts with a common
#: surname or is a name word of jieba's dictionary.
_PLAIN_NOUN_TITLES = frozenset({"干部", "老师", "教师", "导师", "领队", "主管"})


#: Honorifics that are also common words after nouns (翁小杰代表说, but 党员代表): the name before them
#: must be one word jieba reads as a name.
_VERB_HONORIFICS = frozenset({"代表"})


def honorific_people(text: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """Names written before an honorific or a title: 习近平总书记, 谷文昌同志.

    Returns (start, end, honorific) with the span of the name only.
    """
    out = []
    for hon in lex.honorifics:
        for end in _occurrences(hon, text):
            if not whole_word(text, end, hon):
                continue  # 主席台, 先生活
            start = _foreign_name_before(text, end) if hon not in _VERB_HONORIFICS else None
            if start is not None and not _ends_a_known_name(text, start, end, lex):
                out.append((start, end, hon))  # 普京总统, 拉赫蒙总统
                continue
            for length in (3, 2):
                start = end - length
                if start < 0:
                    continue
                name = text[start:end]
                if not all(_CJK.match(c) for c in name):
                    continue
                if name[0] in _BEFORE_NAME:
                    continue  # 李敬和告诉总书记: 和 joins, it opens no name
                if hon in _VERB_HONORIFICS and not (word_tag(name) or "").startswith("nr"):
                    continue  # 国家的代表, 由业主代表: 代表 follows names and nouns alike
                if (name[0] in lex.surnames or name[:2] in lex.surnames) and reads_as_name(text, start, end):
                    out.append((start, end, hon))
                    break
    return out


def _ends_a_known_name(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """``text[start:end]`` is a known name or the tail of one (津|巴布韦, 日|内瓦, 土|库曼斯坦)."""
    return any(text[start - k : end] in lex.names for k in range(0, 4) if start - k >= 0)


def _foreign_name_before(text: str, end: int) -> int | None:
    """Where a foreign name of two to eight transliteration characters ending at ``end`` starts
    (的|普京总统, 感谢|普京总统, 祝贺|拉赫蒙总统, 和|普京总统)."""
    first = end
    while first > 0 and end - first < 8 and text[first - 1] in TRANSLITERATION:
        first -= 1
    cuts = jieba_cuts(text, max(0, first - 4), end)
    # a word that runs into the name from before (感谢|普京) moves its start to jieba's next cut; where
    # jieba glues a joining word to the name instead (和普京), the run itself is the name
    joined = first > 0 and text[first - 1] in _BEFORE_NAME  # 同|别尔德穆哈梅多夫: jieba glued 同别
    start = first if joined else next((at for at in range(first, end - 1) if at in cuts), first)
    if end - start < 2:
        return None
    tag = word_tag(text[start:end]) or "x"
    return start if tag.startswith(("nr", "ns", "nz")) or tag[0] not in "nvad" else None  # not 马上, 安排


def reads_as_name(text: str, start: int, end: int) -> bool:
    """jieba cuts at both ends of ``text[start:end]`` and, if it is one word, tags it a name
    (not 关负责 of 有关负责同志, not 国家 of 国家主席)."""
    window = max(0, start - 4)
    cuts, pos, words = {window}, window, []
    for word, tag in rjieba.tag(text[window:end]):
        words.append((pos, word, tag))
        pos += len(word)
        cuts.add(pos)
    if start not in cuts or end not in cuts:
        return False
    first = next((tag for at, word, tag in words if at == start and len(word) >= 2), None)
    if first is not None and first[0] in "pcurdv":
        return False  # 关于党, 带领: a function word or verb opens no name
    single = [tag for at, word, tag in words if at == start and len(word) == end - start]
    return not single or single[0].startswith("nr")


#: jieba tags of words that are no personal name: verbs, adverbs, function words (its nouns include names).
_NOT_NAME_TAGS = frozenset({"v", "vd", "vn", "vi", "d", "a", "ad", "an", "c", "p", "u", "r", "f", "m", "q", "t"})


#: What is written after a title where the name stands before it (习近平主席|贺信): the title's words, not a name.
_AFTER_TITLE = frozenset({"贺信", "贺电", "贺词", "讲话", "指示", "批示", "题词", "回信", "来信", "重要讲话"})


def _known_as_other(name: str, lex: Lexicon) -> bool:
    """A body or platform the gazetteers know (党中央); a place may be a person's name too (黄山)."""
    entry = lex.names.get(name)
    return entry is not None and entry.type in (EntityType.ORGANIZATION, EntityType.PLATFORM)


def _opens_with_a_verb(name: str, lex: Lexicon) -> bool:
    """总书记|强调要在…: a rarer surname whose character opens a verb of jieba's dictionary is that verb."""
    first = rjieba.cut(name, False)[0]
    return name[0] not in lex.common_surnames and len(first) >= 2 and (word_tag(first) or "").startswith("v")


def _not_a_name(name: str) -> bool:
    """jieba reads ``name`` as one word that is no name (强调, 宣讲); a given name may itself be a verb (王立新)."""
    return name in _AFTER_TITLE or word_tag(name) in _NOT_NAME_TAGS


def jieba_cuts(text: str, start: int, end: int) -> frozenset[int]:
    """The offsets in ``text`` where jieba's words of ``text[start:end]`` begin and end."""
    return frozenset(itertools.accumulate((len(w) for w in rjieba.cut(text[start:end])), initial=start))


def dictionary_word(word: str) -> bool:
    """jieba's dictionary holds ``word``: jieba did not guess it from characters it does not know."""
    return rjieba.cut(word, False) == [word]


def word_tag(text: str) -> str | None:
    """jieba's tag of ``text`` where jieba reads it as one word, else None."""
    tags = rjieba.tag(text)
    return tags[0][1] if len(tags) == 1 else None


def whole_word(text: str, at: int, word: str) -> bool:
    """jieba reads ``word`` at ``at`` as a word of its own, not the start of a longer one."""
    first = next(iter(rjieba.cut(text[at : at + len(word) + 3])), "")
    return len(first) <= len(word)


def _straddles(text: str, start: int, end: int) -> bool:
    """The title's first character closes a word that began before it (泰国|王储 holds no 国王; 外交部长
    holds 部长 whole, and 副 before 总编辑 is its qualifier)."""
    at = max(0, start - 4)
    for word in rjieba.cut(text[at:end]):
        if at < start < at + len(word) < end and not _TRAILING_QUALIFIER.fullmatch(text[at:start]):
            return True  # 副|总编辑 (jieba: 副总|编辑) is a qualifier, not a word
        at += len(word)
    return False


def _occurrences(word: str, text: str) -> Iterator[int]:
    """Where ``word`` starts in ``text``, left to right, without overlaps."""
    at = text.find(word) if word else -1
    while at >= 0:
        yield at
        at = text.find(word, at + len(word))
