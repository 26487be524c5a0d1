"""The relation frames as data: validation, declared rule ids, and the shapes of the language they read."""

from __future__ import annotations

from functools import cache

import pytest

from kg import lexicon, ner
from kg.extraction import frames, matcher, registry
from kg.extraction.extractor import extract_document
from kg.mentions import find_mentions
from kg.normalize import normalize
from kg.types import PREDICATES, DocumentResult, RawDocument


def run(text: str, date: str = "2023-09-12") -> DocumentResult:
    doc = normalize(RawDocument("t.txt", "t.txt", text, date=date))
    return extract_document(doc, [], lexicon.load())


@cache
def _nlp():
    return ner.load()


def run_tagged(text: str) -> DocumentResult:
    """As :func:`run`, with the shipped NER model's spans, as a build has them."""
    doc = normalize(RawDocument("t.txt", "t.txt", text, date="2023-09-12"))
    spans = [(e.start, e.end, e.label) for e in next(ner.tag_texts(_nlp(), [doc.text]))]
    return extract_document(doc, spans, lexicon.load())


def triples(result: DocumentResult) -> set[tuple[str, str, str]]:
    return {(f.subject, f.predicate, f.object) for f in result.facts if f.predicate != "type"}


def declared_ids() -> frozenset[str]:
    return frames.load().ids | registry.declared_ids()


def test_every_frame_names_a_known_predicate_and_shape():
    fs = frames.load()
    assert fs.frames
    assert set(matcher.SHAPES) == set(frames.SHAPES)
    for f in fs.frames:
        assert f.predicate in PREDICATES
        assert f.shape in frames.SHAPES
        assert f.triggers and 0 < f.confidence <= 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"predicate": "hostedBy"}, "unknown predicate"),
        ({"shape": "sideways"}, "unknown shape"),
        ({"subjekt": {"types": ["Person"]}}, "unknown key"),
        ({"object": {"types": ["Evnt"]}}, "entity classes"),
        ({"object": {"types": ["Event"], "fallback": "nearby"}}, "unknown fallback"),
    ],
)
def test_a_misspelt_frame_is_an_error(change: dict, message: str):
    frame = {
        "id": "x.y", "predicate": "hosted", "shape": "active", "triggers": ["主办"],
        "subject": {"types": ["Organization"]}, "object": {"types": ["Event"]}, "confidence": 0.8,
    }  # fmt: skip
    frame.update(change)
    words = {k: ["x"] for k in frames.WORD_LISTS}
    with pytest.raises(frames.FrameError, match=message):
        frames.parse({"words": words, "frames": [frame]})


def test_every_rule_id_a_fact_carries_is_declared():
    texts = [
        "9月11日下午，由人民日报新闻战线杂志社、浙江日报报业集团主办，潮新闻客户端、浙江传媒研究院承办的新媒体内容生态建设研讨会在北京举行。"
        "人民日报社副总编辑方江山，十二届浙江省政协副主席周国辉等出席研讨会。",
        "“领导留言板”是人民日报为各级领导干部搭建的网上群众工作平台。人民网在北京发布了《数据分析报告》。",
        "中央组织部负责人就二十大代表选举工作答记者问。韩福国表示，此次活动丰富了经验。浙江省大数据发展管理局位于浙江省杭州市。",
    ]
    declared = declared_ids()
    for text in texts:
        for fact in run(text).facts:
            if fact.predicate != "type":
                assert fact.evidence.rule in declared, fact.evidence.rule


def test_a_chain_of_roles_gives_every_body_in_each_list():
    got = triples(run(
        "9月11日下午，由中国记协指导，人民日报新闻战线杂志社、浙江日报报业集团主办，潮新闻客户端、浙江传媒研究院承办的"
        "新媒体内容生态建设研讨会在北京举行。"
    ))  # fmt: skip
    event = "新媒体内容生态建设研讨会"
    assert {s for s, p, o in got if p == "hosted" and o == event} >= {"人民日报新闻战线杂志社", "浙江日报报业集团", "浙江传媒研究院"}
    assert (event, "heldIn", "北京市") in got


def test_titled_people_listed_before_a_bare_attend_take_part_in_the_meeting():
    text = (
        "第三届数字治理论坛在杭州举行\n"
        "第三届数字治理论坛10日在杭州举行。人民日报社副总编辑方江山，十二届浙江省政协副主席周国辉、王立新等出席。"
    )
    got = triples(run(text))
    people = {s for s, p, o in got if p == "participatedIn" and o == "第三届数字治理论坛"}
    assert people == {"方江山", "周国辉", "王立新"}
    assert ("王立新", "holdsPosition", "十二届浙江省政协副主席") in got  # the title shared along the list


def test_an_event_is_named_by_its_head_noun_not_by_the_verb_before_it():
    found = find_mentions("李强出席第五届中国国际进口博览会开幕式。中央政治局会议研究部署工作。", lexicon.load())
    events = [m.text for m in found.mentions if m.type.value == "Event"]
    assert events == ["第五届中国国际进口博览会"]  # a body's meeting with no edition is no named event


def test_a_name_inside_a_longer_word_is_no_mention():
    found = find_mentions("各级教育部门要推进中国式现代化。", lexicon.load())
    assert not [m for m in found.mentions if m.text in ("教育部", "中国")]


def test_title_phrase_stops_at_the_verb_before_it():
    got = triples(run("会议听取了全国人大财经委副主任委员刘新华作的报告。"))
    assert ("刘新华", "holdsPosition", "全国人大财经委副主任委员") in got


def test_a_passive_host_of_the_event_the_sentence_opens_with():
    got = triples(run("2025世界智能产业博览会当日在重庆市开幕，主题为“人工智能+”，由重庆市人民政府和天津市人民政府共同主办。"))
    hosts = {s for s, p, o in got if p == "hosted"}
    assert hosts == {"重庆市人民政府", "天津市人民政府"}


def test_a_count_to_a_date_is_no_start_date():
    got = triples(run("截至9月5日，第二届数字峰会在福州举行以来收到建议。"))
    assert not [t for t in got if t[1] == "startDate"]


def test_a_roster_after_the_trigger_takes_part_in_the_meeting():
    text = (
        "第三届数字治理论坛在杭州开幕\n"
        "第三届数字治理论坛10日在杭州开幕。在主席台就座的领导同志还有：方江山、周国辉、王立新等。"
    )
    people = {s for s, p, o in triples(run_tagged(text)) if p == "participatedIn" and o == "第三届数字治理论坛"}
    assert people == {"方江山", "周国辉", "王立新"}


def test_every_name_of_a_seated_list_is_a_person_even_where_ner_misses_one():
    text = (
        "第三届数字治理论坛在杭州开幕\n"
        "第三届数字治理论坛10日在杭州开幕。论坛主席方江山，论坛副主席周国辉、帕巴拉·格列朗杰、巴特尔、王立新、高云龙在主席台前排就座。"
    )
    got = triples(run_tagged(text))
    people = {s for s, p, o in got if p == "participatedIn" and o == "第三届数字治理论坛"}
    assert people == {"方江山", "周国辉", "帕巴拉·格列朗杰", "巴特尔", "王立新", "高云龙"}
    assert not [s for s, p, o in got if s.endswith("在")]  # 主席台 is no honorific after 高云龙在
    shared = {s for s, p, o in got if p == "holdsPosition" and o == "论坛副主席"}
    assert shared == people - {"方江山"}  # the title runs along the whole list


def test_speakers_listed_before_one_verb_all_take_part():
    text = (
        "第三届数字治理论坛在杭州开幕\n"
        "第三届数字治理论坛10日在杭州开幕。论坛上，浙江大学校长王立新、杭州市市长周国辉先后发言。随后，论坛主席方江山致辞。"
    )
    got = triples(run_tagged(text))
    people = {s for s, p, o in got if p == "participatedIn" and o == "第三届数字治理论坛"}
    assert people == {"王立新", "周国辉", "方江山"}
    assert ("方江山", "commentedOn", "第三届数字治理论坛") in got  # 致辞 addresses the meeting
    assert ("王立新", "commentedOn", "第三届数字治理论坛") not in got  # 发言 alone evaluates nothing


def test_games_and_exhibitions_are_named_as_noun_phrases():
    found = find_mentions("要确保北京冬奥会精彩，6名北京2022年冬残奥会运动员参观“魅力非遗”中国非遗文化体验活动。", lexicon.load())
    events = [m.text for m in found.mentions if m.type.value == "Event"]
    assert events == ["北京冬奥会", "北京2022年冬残奥会", "“魅力非遗”中国非遗文化体验活动"]


def test_a_passive_chain_after_an_anaphor_binds_every_link_to_the_event_of_its_kind():
    text = (
        "“网聚文明”主题征集活动在北京启动\n"
        "“网聚文明”主题征集活动10日在北京启动。第三届数字治理论坛也于当天开幕。"
        "本次活动由人民日报社指导，人民网、新华社主办，浙江日报报业集团承办。"
    )
    got = triples(run(text))
    campaign = "“网聚文明”主题征集活动"
    assert {s for s, p, o in got if p == "hosted"} == {"人民网", "新华社", "浙江日报报业集团"}
    assert {o for s, p, o in got if p in ("hosted", "guided")} == {campaign}  # 活动, not the forum named last
    assert ("人民日报社", "guided", campaign) in got


def test_long_official_names_stay_one_body_in_a_chain_of_roles():
    got = triples(run_tagged(
        "标题\n9月5日，由中共浙江省委宣传部指导，杭州市人民政府办公厅、浙江大学计算机科学与技术学院主办的"
        "第三届数字治理论坛在杭州举行。"
    ))  # fmt: skip
    event = "第三届数字治理论坛"
    assert {s for s, p, o in got if p == "guided" and o == event} == {"浙江省委宣传部"}  # 中共 left out of the label
    assert {s for s, p, o in got if p == "hosted" and o == event} == {"杭州市人民政府办公厅", "浙江大学计算机科学与技术学院"}


def test_no_person_is_read_across_a_word_before_an_honorific_or_from_a_verb_after_a_title():
    found = find_mentions("中央有关负责同志出席。国家主席习近平强调，要抓好落实。总书记强调，要抓好落实。", lexicon.load())
    people = [m.text for m in found.mentions if m.type.value == "Person"]
    assert "关负责" not in people and "国家" not in people and "强调" not in people


def test_a_run_of_names_between_two_people_and_the_first_name_of_a_list_are_people():
    from kg.mentions import listed_names

    text = "领导人习近平、李克强、栗战书、王沪宁等出席。沈跃跃、吉炳轩、艾力更·依明巴海、万鄂湘、陈竺在座。"
    people = {text.index(n): text.index(n) + len(n) for n in ("李克强", "王沪宁", "沈跃跃", "陈竺")}
    got = {text[s:e] for s, e in listed_names(text, people, lexicon.load())}
    assert got == {"习近平", "栗战书", "吉炳轩", "艾力更·依明巴海", "万鄂湘"}


def test_a_place_ner_finds_is_kept_where_the_dictionary_holds_it_as_a_place():
    result = run_tagged("标题\n中国代表团日前在意大利都灵参加大会，来自非洲和东南亚的代表出席。")
    places = {f.subject for f in result.facts if f.predicate == "type" and f.object == "Place"}
    assert {"意大利", "非洲", "东南亚"} <= places


def test_a_full_name_of_jiebas_dictionary_is_a_person_and_its_title_is_read():
    got = triples(run("标题\n9月5日，国家主席习近平向2025世界智能产业博览会致贺信。"))
    assert ("习近平", "holdsPosition", "国家主席") in got
    assert ("习近平", "commentedOn", "2025世界智能产业博览会") in got
    assert ("习近平", "participatedIn", "2025世界智能产业博览会") not in got  # a letter is no attendance


def test_a_person_ner_cut_long_gives_back_the_function_word_after_the_name():
    from kg.mentions import _person_end

    text = "国务院副总理刘鹤以视频方式出席。财政部部长蓝佛安受国务院委托作报告。"
    lex = lexicon.load()
    for name, swallowed in (("刘鹤", 3), ("蓝佛安", 4)):
        s = text.index(name)
        assert _person_end(text, s, s + swallowed, lex) == s + len(name)


def test_unnamed_parts_of_a_body_are_not_the_body():
    text = "第三届数字治理论坛在杭州开幕\n第三届数字治理论坛10日在杭州开幕。人民日报社有关部门负责同志参加会议。新华社与浙江省相关部门单位主办论坛分会。"
    got = triples(run(text))
    assert not [t for t in got if t[0] == "人民日报社" and t[1] == "participatedIn"]


def test_a_title_after_the_honorific_of_the_name_before_belongs_to_the_next_name():
    got = triples(run_tagged("标题\n习近平总书记和越共中央总书记苏林在一年内实现互访。"))
    assert ("苏林", "holdsPosition", "越共中央总书记") in got


def test_a_letter_writer_does_not_attend_the_meeting_he_writes_to():
    text = (
        "2025世界智能产业博览会开幕\n2025世界智能产业博览会5日在重庆开幕。国家主席习近平向博览会致贺信。"
        "习近平指出，人工智能正在深刻改变人类生产生活方式。"
    )
    got = triples(run(text))
    assert not [t for t in got if t[0] == "习近平" and t[1] == "participatedIn"]


def test_a_title_written_after_the_name_is_held_but_not_a_longer_word():
    got = triples(run_tagged("标题\n王东明副委员长主持会议。李强总理和习近平主席会谈。张军在主席台就座。"))
    assert {("王东明", "副委员长"), ("李强", "总理"), ("习近平", "主席")} <= {(s, o) for s, p, o in got if p == "holdsPosition"}
    assert not [t for t in got if t[0] == "张军" and t[1] == "holdsPosition"]


def test_a_two_character_name_ner_cut_short_is_read_whole_after_a_title():
    from kg.titles import find

    text = "全国政协常委、中国美术馆馆长吴为山：文化要传承。"
    start = text.index("吴为山")
    phrases = find(text, lexicon.load(), {start: start + 2})  # NER said 吴为
    assert [p.person for p in phrases] == ["吴为山"]


def test_attending_an_event_at_a_place_says_where_it_was_held():
    got = triples(run("标题\n5月22日，国家副主席韩正在北京出席2025年全球贸易投资促进峰会开幕式并致辞。"))
    assert ("2025年全球贸易投资促进峰会", "heldIn", "北京市") in got


def test_a_place_read_as_one_span_is_split_into_its_levels():
    from kg.mentions import _admin_parts

    text = "李显翠的家位于芙蓉区文艺路街道识字里社区。"
    s = text.index("芙蓉区")
    e = text.index("。")
    assert [text[a:b] for a, b in _admin_parts(text, s, e)] == ["芙蓉区", "文艺路街道", "识字里社区"]
    other = "国际城市"
    assert [other[a:b] for a, b in _admin_parts(other, 0, 4)] == ["国际城市"]  # 城市 is no level


def test_a_dateline_or_a_vague_day_gives_no_start_date():
    got = triples(run("标题\n本报北京9月11日电  第三届数字治理论坛近日在北京举行。"))
    assert not [t for t in got if t[1] == "startDate"]
    got = triples(run("标题\n9月11日，第三届数字治理论坛在北京举行。"))
    assert ("第三届数字治理论坛", "startDate", "2023-09-11") in got


def test_a_place_that_only_begins_a_longer_name_is_not_located():
    got = triples(run_tagged("标题\n在江苏南京台城花园社区，居民代表围坐议事。"))
    assert not [t for t in got if t[0] == "台城"]
    assert ("南京市", "locatedIn", "江苏省") in got


def test_who_reports_to_the_meeting_takes_part_in_it():
    text = (
        "第三届数字治理论坛在杭州开幕\n第三届数字治理论坛10日在杭州开幕。"
        "论坛听取了浙江大学校长王立新、杭州市市长周国辉分别作的关于数字治理的报告。"
    )
    people = {s for s, p, o in triples(run_tagged(text)) if p == "participatedIn" and o == "第三届数字治理论坛"}
    assert {"王立新", "周国辉"} <= people


def test_a_body_written_after_its_place_stays_in_the_list_of_hosts():
    got = triples(run("标题\n10月27日，由人民日报社与湖北省武汉市委、市政府共同主办的2023媒体融合发展论坛在武汉市举行。"))
    hosts = {s for s, p, o in got if p == "hosted" and o == "2023媒体融合发展论坛"}
    assert hosts == {"人民日报社", "武汉市委", "武汉市政府"}
