"""One sentence seen by the relation rules: its text, its resolved mentions, its title phrases.

The helpers here find the arguments of a trigger word the way Chinese news
writes them: the coordinated list of agents before a verb (人民网与人民日报出版社,
A、B、C), where each item may be a titled person (人民日报社副总编辑方江山，
十二届浙江省政协副主席周国辉…等出席), and the first entity of a type after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from kg.lexicon import Lexicon
from kg.resolve import Resolved
from kg.sentences import Sentence
from kg.titles import TitlePhrase, jieba_cuts, word_tag
from kg.types import PER, PLACE, EntityType
from kg.wordtrie import compile_words

CLAUSE_END = re.compile(r"[，,；;。！？：:]")
_SENTENCE_END = re.compile(r"[。；！？]")
#: Words that continue the subject of the previous clause into this one (…，并在…发起).
SHARED_SUBJECT = re.compile(r"^(?:在|并|还|又|也|同时|随后|共同|将|正式|先后|已|均|于|联合|首次|部署)")
#: The object of these prepositions is no agent (依托“领导留言板”打造…).
_PREPOSITION = re.compile(r"(?:依托|通过|在|对|把|将|以|向|用|借助|根据|围绕|基于|为|同|按照)[“「]?$")
#: After a pivot verb the group that follows acts (中宣部组织人民日报社、新华社…，在…开设…).
_PIVOT = re.compile(r"(?:组织|带领|联合|协调|推动|指导|动员|会同)[“「]?$")
_MAX_GAP = 24
#: After a body, its unnamed officials, who act and speak for it (…负责同志, 有关负责人).
OFFICIALS = r"(?:有关|相关|主要)*(?:负责同志|负责人)"
#: A verb that makes others act: who invites or mobilises is not who takes part (人民网邀请了专家参加…).
_CAUSATIVE = re.compile(r"邀请|动员|带领|率领")
#: A label for the group a list of people opens with (党和国家领导人习近平、李强…).
_GROUP_LABEL = re.compile(r"(?:党和国家|中央|国家)?领导(?:人|同志)")
#: 等多国政党政要、知名学者…代表约400人: the list closed by 等 and the group it belongs to, which may be long.
_GROUP_AFTER_LIST = re.compile(r"^等[^，,；;。！？：:由]{0,60}?[约近共逾]?[0-9一二三四五六七八九十百千余多]+[余多]?[人名位]$")
#: Right after a body, these say that unnamed parts of it act, not the body (人民网与…相关部门 is no such case).
_UNNAMED_PART = re.compile(r"^[^与和及、，,]*?(?:有关|相关|部分|所属|下属)(?!负责)")
#: What may stand between two items of one list (、 和 与 及 以及 ，), quotes and brackets aside;
#: a body's other name in brackets is an item too: 中央宣传部（国务院新闻办公室）、教育部.
CONNECTOR = re.compile(r"^[”」》）]?(?:、|和|与|及|以及|，|,|同|（|携手|联合|会同|等[\u4e00-\u9fff]{0,8}[，、])?[“「《]?$")


@dataclass(frozen=True)
class View:
    """One sentence and the resolved mentions inside it (offsets relative to the sentence)."""

    index: int
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

    def unit_start(self, r: Resolved) -> int:
        """Where a list item begins: a titled person's title phrase, else the mention."""
        if r.mention.type is PER:
            for p in self.titles:
                if p.person_start == r.mention.start:
                    return p.start - self.sentence.start
        return self.start(r)

    def inside_name(self, start: int, end: int) -> bool:
        """``[start, end)`` lies within a mention: a word there is part of a name (启动 of …启动仪式)."""
        return any(self.start(r) <= start and end <= self.end(r) for r in self.items)

    def inside_word(self, start: int) -> bool:
        """jieba reads one character before ``start`` as part of the same word (组织 of 党组织): a noun,
        not the verb. Longer openings are adverbs (深入开展, 表示祝贺) and leave the verb a verb."""
        cuts = jieba_cuts(self.text, max(0, start - 4), start + 4)
        return start not in cuts and start - 1 in cuts

    def of_type(self, types: tuple[EntityType, ...]) -> list[Resolved]:
        return [r for r in self.items if r.mention.type in types]

    def find(self, words: tuple[str, ...]) -> Iterator[tuple[int, int, str]]:
        """Each occurrence of each trigger word, longest word first where two overlap."""
        if not words or not _any_of(words).search(self.text):
            return
        for m in _any_of(words).finditer(self.text):
            yield m.start(), m.end(), m.group()

    # ------------------------------------------------------------------ lists

    def list_ending(self, last: Resolved, types: tuple[EntityType, ...]) -> list[Resolved]:
        """The coordinated list whose last item is ``last`` (A、B和C; titled people split by ，;
        a body written after its place, 人民日报社与湖北省武汉市委)."""
        group = [last]
        edge = self.unit_start(last)
        units = [r for r in self.items if self.end(r) <= edge]
        while units:
            prev = units[-1]
            if prev.mention.type is PLACE and PLACE not in types and self.end(prev) == edge:
                edge = self.start(prev)  # the place names where the next body is, it is no item
                units = [r for r in units if self.end(r) <= edge]
                continue
            if prev.mention.type not in types or not CONNECTOR.match(self.text[self.end(prev) : edge]):
                break
            group.insert(0, prev)
            edge = self.unit_start(prev)
            units = [r for r in units if self.end(r) <= edge]
        return group

    def list_starting(self, first: Resolved, types: tuple[EntityType, ...]) -> list[Resolved]:
        group = [first]
        for r in self.items:
            if self.unit_start(r) < self.end(group[-1]) or self.in_title(r):
                continue
            if r.mention.type not in types or not self._joined(group[-1], r):
                break
            group.append(r)
        return group

    def _joined(self, a: Resolved, b: Resolved) -> bool:
        return bool(CONNECTOR.match(self.text[self.end(a) : self.unit_start(b)]))

    def titled(self, r: Resolved) -> bool:
        """A body followed by a title and no name: its officials, not the body (中央军委委员)."""
        return r.mention.type is not PER and any(self.text.startswith(t, self.end(r)) for t in self.lex.titles)

    def in_title(self, r: Resolved) -> bool:
        """A mention inside a title phrase (the 人民日报社 of 人民日报社副总编辑方江山)."""
        at = r.mention.start
        return any(p.start <= at < p.person_start for p in self.titles)

    # ------------------------------------------------------------------ slots

    def agents_before(
        self, pos: int, types: tuple[EntityType, ...], *, cross_comma: bool = False
    ) -> list[Resolved]:
        """The coordinated group of agents nearest before ``pos``, in its clause (or the previous one's subject)."""
        cands = [r for r in self.items if self.end(r) <= pos]
        while cands:
            last = cands.pop()
            gap = self.text[self.end(last) : pos]
            if CLAUSE_END.search(gap):
                return self._across_comma(gap, last, types) if cross_comma else []
            if len(gap) > _MAX_GAP and not _GROUP_AFTER_LIST.match(gap) or "由" in gap or _CAUSATIVE.search(gap):
                return []  # too far, or 由 names an agent not recognised (经国务院批准、由X主办)
            if _PREPOSITION.search(self.text[: self.unit_start(last)]):
                continue
            if last.mention.type not in types:
                if last.mention.type is PLACE:
                    continue  # a place modifying a body: 福建省相关部门单位
                return []
            if self.titled(last):
                return []  # 中央军委委员出席: members of the body act, not the body
            if _UNNAMED_PART.match(gap):
                return []  # 中央军委机关有关部门负责同志参加: units of the body, not the body
            return self.list_ending(last, types)
        return []

    def _across_comma(self, gap: str, last: Resolved, types) -> list[Resolved]:
        """Across a comma the agent is the group after a pivot verb, or the previous clause's subject."""
        clause = CLAUSE_END.split(gap)[-1]
        if clause and not SHARED_SUBJECT.match(clause):
            return []  # the verb's clause has a subject of its own, or none is stated
        head = CLAUSE_END.split(gap, maxsplit=1)[0]
        if len(head) <= 5 and last.mention.type in types:
            group = self.list_ending(last, types)
            if _PIVOT.search(self.text[: self.unit_start(group[0])]):
                return group
        return self.clause_subject(self.unit_start(last), types)

    def clause_subject(self, pos: int, types: tuple[EntityType, ...]) -> list[Resolved]:
        """The list that opens the clause holding ``pos`` (after a date or 会上, within 2 chars)."""
        clause_start = max((m.end() for m in CLAUSE_END.finditer(self.text[:pos])), default=0)
        label = _GROUP_LABEL.match(self.text, clause_start)
        clause_start = label.end() if label else clause_start
        first = [
            r for r in self.items if clause_start <= self.unit_start(r) <= clause_start + 2 and not self.in_title(r)
        ]
        if not first or first[0].mention.type not in types:
            return []
        opening = self.text[clause_start : self.unit_start(first[0])]
        if opening and (word_tag(opening) or "").startswith("v"):
            return []  # 成立作风建设领导小组: the object of the clause's verb, not its subject
        return self.list_starting(first[0], types)

    def after(self, pos: int, types: tuple[EntityType, ...], *, within: int = 40) -> Resolved | None:
        """The first mention of ``types`` after ``pos`` in the same sentence, at most ``within`` chars on."""
        for r in self.items:
            if self.start(r) < pos:
                continue
            gap = self.text[pos : self.start(r)]
            if len(gap) > within or _SENTENCE_END.search(gap):
                return None
            if r.mention.type in types:
                return r
        return None

    def chain_from(self, first: Resolved) -> Resolved:
        """The last of the mentions of ``first``'s type written right after it (浙江省杭州市 → 杭州市)."""
        last = first
        for r in self.items:
            if self.start(r) == self.end(last) and r.mention.type is first.mention.type:
                last = r
        return last


@cache
def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    return compile_words(words)
