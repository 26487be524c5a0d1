"""Relation rules on sentences written here, not taken from the seeds."""

from __future__ import annotations

import pytest

from kg import lexicon
from kg.extraction.extractor import extract_document
from kg.normalize import normalize
from kg.reprints import find_conflicts, find_reprints
from kg.types import DocumentResult, RawDocument


def run(text: str, date: str = "2023-11-29", doc_id: str = "t.txt") -> DocumentResult:
    doc = normalize(RawDocument(doc_id, doc_id, text, date=date))
    return extract_document(doc, [], lexicon.load())


def triples(result: DocumentResult) -> set[tuple[str, str, str]]:
    return {(f.subject, f.predicate, f.object) for f in result.facts if f.predicate != "type"}


def types(result: DocumentResult) -> dict[str, str]:
    return {f.subject: f.object for f in result.facts if f.predicate == "type"}


def test_passive_host_guide_place_and_date():
    r = run("11月28日，由人民日报社指导、人民网主办的2023网上群众工作大会在江苏省南京市召开。")
    got = triples(r)
    assert ("人民网", "hosted", "2023网上群众工作大会") in got
    assert ("人民日报社", "guided", "2023网上群众工作大会") in got
    assert ("2023网上群众工作大会", "heldIn", "南京市") in got
    assert ("南京市", "locatedIn", "江苏省") in got
    assert ("2023网上群众工作大会", "startDate", "2023-11-28") in got
    assert ("人民网", "participatedIn", "2023网上群众工作大会") not in got


def test_month_after_article_date_is_last_year():
    r = run("12月3日，由新华网主办的2022数字政府论坛在成都市举行。", date="2023-01-10")
    assert ("2022数字政府论坛", "startDate", "2022-12-03") in triples(r)


def test_title_chain_gives_each_position_and_body():
    r = run(
        "“网上群众工作要久久为功，不能一阵风。”中国传媒大学新闻学院院长、中国新闻史学会副会长高晓虹说。"
    )
    got = triples(r)
    assert ("高晓虹", "holdsPosition", "中国传媒大学新闻学院院长") in got
    assert ("高晓虹", "holdsPosition", "中国新闻史学会副会长") in got
    assert ("高晓虹", "affiliatedWith", "中国传媒大学新闻学院") in got
    assert ("高晓虹", "affiliatedWith", "中国新闻史学会") in got


def test_title_naming_only_a_place_gives_no_affiliation():
    r = run("广东省副省长王曦介绍，全省网上办事水平持续提升。")
    got = triples(r)
    assert ("王曦", "holdsPosition", "广东省副省长") in got
    assert not any(p == "affiliatedWith" for _, p, _ in got)
    assert "广东省" not in types(r)  # a place inside a title is no Place mention


def test_elided_coordination_expands_into_two_bodies():
    r = run("湖北省委、省政府高度重视群众留言办理工作。")
    t = types(r)
    assert t.get("湖北省委") == "Organization"
    assert t.get("湖北省政府") == "Organization"


def test_possessive_platform_operator_and_place():
    r = run("近年来，重庆“渝快办”平台和新华网“我要留言”栏目受到网民欢迎。")
    got = triples(r)
    assert ("渝快办", "locatedIn", "重庆市") in got
    assert ("新华网", "operates", "我要留言") in got
    assert types(r).get("渝快办") == "Platform"


def test_quote_before_speaker_comments_on_its_subject():
    r = run(
        "“人民网为群众搭建了表达诉求的桥梁，让民意直达决策层。”北京大学政府管理学院教授李明说。"
    )
    assert ("李明", "commentedOn", "人民网") in triples(r)
    fact = next(f for f in r.facts if f.predicate == "commentedOn")
    assert "表达诉求" in (fact.evidence.quote or "")


def test_reported_speech_anaphor_points_to_the_article_event():
    text = (
        "2024年，人民网与光明日报社联合发起“我为城市更新建言”征集活动。\n"
        "中国人民大学公共管理学院教授王红表示，此次活动拓宽了群众参与城市治理的渠道。"
    )
    got = triples(run(text))
    assert ("王红", "commentedOn", "“我为城市更新建言”征集活动") in got or (
        "王红",
        "commentedOn",
        "我为城市更新建言征集活动",
    ) in {(s, p, o.replace("“", "").replace("”", "")) for s, p, o in got}
    assert ("人民网", "launched", "“我为城市更新建言”征集活动") in got
    assert ("光明日报社", "organized", "“我为城市更新建言”征集活动") in got


def test_passive_launch_states_no_agent():
    r = run("主论坛上，“民生直通车”栏目正式上线。")
    assert not any(p == "launched" for _, p, _ in triples(r))


def test_opening_verb_gives_launched_and_build_verb_gives_operates():
    got = triples(
        run("人民网依托“领导留言板”打造互联网建言平台“民声汇”，并开设了新栏目“民生热线”。")
    )
    assert ("人民网", "operates", "民声汇") in got
    assert ("人民网", "launched", "民生热线") in got
    assert ("领导留言板", "launched", "民生热线") not in got


def test_published_needs_an_agent_that_is_not_an_event():
    got = triples(
        run("会上，应急管理部发布了《2023年网络舆情分析报告》。2023数字政府论坛发布《白皮书》。")
    )
    assert ("应急管理部", "published", "《2023年网络舆情分析报告》") in got
    assert not any(s == "2023数字政府论坛" for s, _, _ in got)


def test_framing_phrase_states_no_organiser():
    got = triples(run("按照党中央统一部署，各地开展“清朗”系列专项行动。"))
    assert not any(p == "organized" for _, p, _ in got)


def test_traditional_script_resolves_to_simplified_labels():
    r = run("由人民網主辦的2023網上群眾工作大會在北京召開。")
    assert ("人民网", "hosted", "2023网上群众工作大会") in triples(r)
    people = {e.label: e for e in r.entities}
    assert "人民網" in people["人民网"].aliases


def test_every_fact_carries_its_sentence():
    r = run("第一句没有事实。\n“这是一项好的工作。”复旦大学新闻学院教授张涛说。")
    for f in r.facts:
        assert r.document.text[f.evidence.start : f.evidence.end] == f.evidence.sentence


@pytest.fixture
def two_versions() -> list[DocumentResult]:
    body = "复旦大学国际关系与公共事务学院教授韩福国表示，此次活动丰富了网上群众工作的经验。" * 4
    quote = "“此次活动是发扬民主、科学决策的创新举措，意义重大。”中央党校党建部教授{}说。"
    head = "2022年，中宣部组织开展了网络征求意见活动。\n"
    a = run(head + body + quote.format("王强"), doc_id="a.txt")
    b = run(head + body + quote.format("李刚"), doc_id="b.txt")
    return [a, b]


def test_reprints_are_linked_and_disagreements_reported(two_versions):
    links = find_reprints(two_versions)
    assert [(x.doc_a, x.doc_b) for x in links] == [("a.txt", "b.txt")]
    conflicts = find_conflicts(two_versions, links)
    names = {(c.facts[0].subject, c.facts[1].subject) for c in conflicts}
    assert ("王强", "李刚") in names


def test_speakers_join_only_the_meeting_the_report_leads_with():
    text = (
        "人民日报社社长于绍良指出，“领导留言板”是党报走好网上群众路线的重要平台。\n"
        "据了解，各地留言办理工作持续推进。\n"
        "此外，群众参与热情高涨。\n"
        "留言数量逐年增长。\n"
        "11月8日，2024年中国网络媒体论坛在上海开幕。论坛由中央网信办和上海市人民政府共同主办。"
    )
    got = triples(run(text))
    assert ("中央网信办", "hosted", "2024年中国网络媒体论坛") in got
    assert ("上海市人民政府", "hosted", "2024年中国网络媒体论坛") in got
    assert ("于绍良", "commentedOn", "领导留言板") in got
    assert not any(p == "participatedIn" for _, p, _ in got)


def test_institution_named_by_its_ending_hosts():
    text = "第三届网络民意研究论坛在杭州举行\n9月14日，由浙江大学公共管理学院承办的第三届网络民意研究论坛在浙江省杭州市举行。论坛由中国社会科学院指导。"
    got = triples(run(text))
    assert ("浙江大学公共管理学院", "hosted", "第三届网络民意研究论坛") in got
    assert ("中国社会科学院", "guided", "第三届网络民意研究论坛") in got
    assert ("第三届网络民意研究论坛", "heldIn", "杭州市") in got


def test_every_attributed_quote_is_a_statement():
    text = (
        "“走好网上群众路线，要始终把握问题导向。”中国政治学会常务副会长张华说。\n"
        "中国政策科学研究会会长李明在会上致辞指出，“做好网上群众工作就是要善于运用互联网。”\n"
        "福建省副省长王伟介绍，全省已办结群众留言十万余件。"
    )
    r = run(text)
    said = {(s.speaker, s.quote) for s in r.statements}
    assert ("张华", "走好网上群众路线，要始终把握问题导向") in said
    assert any(sp == "李明" and q.startswith("做好网上群众工作") for sp, q in said)
    assert any(sp == "王伟" and q.startswith("全省已办结") for sp, q in said)
    for s in r.statements:
        assert s.quote in s.evidence.sentence
    assert not any(
        p == "commentedOn" for _, p, _ in triples(r)
    )  # none of them evaluates a named thing


def test_meeting_named_after_its_frame_word_with_host_place_and_participants():
    text = (
        "5月20日，中国青年报社在上海举办“青年之声”年度工作交流会，发布了《青年网络诉求观察报告》。\n"
        "团中央网络影视中心主任赵明出席会议并致辞。她表示，“青年之声”平台已经成为倾听青年呼声的重要渠道。"
    )
    got = triples(run(text, date="2025-05-21"))
    event = "“青年之声”年度工作交流会"
    assert ("中国青年报社", "hosted", event) in got
    assert (event, "heldIn", "上海市") in got or (event, "heldIn", "上海") in got
    assert (event, "startDate", "2025-05-20") in got
    assert ("中国青年报社", "published", "《青年网络诉求观察报告》") in got
    assert ("赵明", "participatedIn", event) in got
    assert ("赵明", "commentedOn", "青年之声") in got  # 她 opens the sentence: the person before


def test_framed_meeting_needs_a_name_not_a_bare_noun():
    got = triples(run("各支部召开党员大会，传达学习会议精神。"))
    assert not any(p == "hosted" for _, p, _ in got)


def test_elided_committee_office():
    r = run("由江苏省委办公厅、省政府办公厅指导的第五届政务新媒体论坛在南京举行。")
    hosts = {s for s, p, _ in triples(r) if p == "guided"}
    assert hosts == {"江苏省委办公厅", "江苏省政府办公厅"}


def test_quoted_campaign_organised_by_the_bodies_that_open_a_dated_sentence():
    text = (
        "9月3日，中共中央办公厅、国务院办公厅印发通知，部署开展“我为乡村振兴献一策”网络征集活动。\n"
        "此次活动由光明日报社承办。"
    )
    got = triples(run(text, date="2025-09-04"))
    event = "“我为乡村振兴献一策”网络征集活动"
    organisers = {s for s, p, o in got if p == "organized" and o == event}
    assert organisers == {"中共中央办公厅", "国务院办公厅"}
    assert ("光明日报社", "hosted", event) in got


def test_dateline_ending_in_xun():
    doc = normalize(RawDocument("x.txt", "x.txt", "标题一则\n浙江在线杭州6月10日讯 6月9日，杭州市召开会议。"))
    assert doc.meta.dateline and doc.meta.dateline.startswith("浙江在线杭州6月10日")


def test_the_platform_a_report_is_about_is_what_该平台_means():
    text = (
        "“浙里办”平台新增“民呼我为”专区。\n"
        "据介绍，“浙里办”平台整合了12345热线等渠道。\n"
        "浙江工商大学教授周敏表示，这一平台让群众办事少跑腿。"
    )
    got = triples(run(text))
    assert ("周敏", "commentedOn", "浙里办") in got


def test_located_in_the_most_specific_place_named():
    got = triples(run("浙江省大数据发展管理局位于浙江省杭州市，负责“浙里办”平台建设。"))
    assert ("浙江省大数据发展管理局", "locatedIn", "杭州市") in got
    assert ("浙江省大数据发展管理局", "locatedIn", "浙江省") not in got


CUED_EXAMPLES = [
    "党的二十大相关工作宣传活动顺利开展。",
    "学习贯彻党的二十届三中全会精神。",
    "2024年中国网络媒体论坛在上海开幕。",
    "第十届世界互联网大会在乌镇举行。",
    "人民网召开网上群众工作推进会。",
    "，中国传媒大学发布报告。",
    "2023年“我为二十大建言”网络征集活动启动。",
    "，全国网络正能量推选活动结果揭晓。",
]


def test_pattern_cues_never_change_what_the_patterns_find(monkeypatch):
    """A cue only lets a pattern skip texts it cannot match: the same mentions with and without the cues."""
    from conftest import SEEDS

    from kg import mentions

    lex = lexicon.load()
    texts = CUED_EXAMPLES + [line for p in sorted(SEEDS.glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines()]

    def candidates() -> list[list]:
        mentions._compiled.cache_clear()
        return [list(mentions._candidates(t, lex, [])) for t in texts]

    with_cues = candidates()
    monkeypatch.setattr(mentions, "_CUES", {})
    without = candidates()
    mentions._compiled.cache_clear()
    assert with_cues == without
    fired = {m.source.removeprefix("pattern:") for ms in without for m in ms}
    assert set(mentions._CUES) <= fired  # every cued pattern is exercised
