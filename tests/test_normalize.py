"""Normalisation: simplified script, noise removed, lines joined, and an exact offset map."""

from __future__ import annotations

import hashlib
import unicodedata

import opencc
import pytest

from kg.normalize import convert_mapped, normalize, normalize_text
from kg.paths import DATA_DIR
from kg.types import Document, RawDocument

SEEDS = sorted((DATA_DIR / "seeds").glob("*.txt"))
T2S = opencc.OpenCC("t2s")
# Characters the width and whitespace stages rewrite, and what they become.
KNOWN_SOURCES = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", "﹔": "；"}


def norm(text: str) -> str:
    return normalize_text(text)[0]


def seed(prefix: str) -> Document:
    path = next(p for p in SEEDS if p.name.startswith(prefix))
    return normalize(RawDocument(path.name, str(path), path.read_text(encoding="utf-8")))


def came_from(raw_char: str, char: str) -> bool:
    if raw_char == char or T2S.convert(raw_char) == char:
        return True
    if KNOWN_SOURCES.get(raw_char) == char:
        return True
    if unicodedata.normalize("NFKC", raw_char) == char:  # full width to ASCII
        return True
    return char in " \n" and raw_char.isspace()


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_every_character_maps_back_to_its_source(path):
    raw = path.read_text(encoding="utf-8")
    doc = normalize(RawDocument(path.name, str(path), raw))
    assert len(doc.offsets) == len(doc.text) + 1
    assert doc.offsets[-1] == len(raw)
    assert list(doc.offsets[:-1]) == sorted(doc.offsets[:-1])
    bad = [(i, raw[doc.offsets[i]], ch) for i, ch in enumerate(doc.text) if not came_from(raw[doc.offsets[i]], ch)]
    assert not bad, bad[:10]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_layout_is_clean(path):
    doc = seed(path.name[:3])
    assert "\n\n" not in doc.text and "\t" not in doc.text and "\u3000" not in doc.text
    assert not doc.text.startswith(("\n", " ")) and not doc.text.endswith(("\n", " "))
    for line in doc.text.split("\n"):
        assert line == line.strip() and "  " not in line
    assert doc.content_hash == hashlib.sha256(doc.raw_text.encode("utf-8")).hexdigest()


def test_raw_span_maps_a_span_back_exactly():
    doc = seed("004")
    start = doc.text.index("国务院“互联网+督查”平台")
    end = start + len("国务院“互联网+督查”平台")
    a, b = doc.raw_span(start, end)
    assert doc.raw_text[a:b] == "國務院“互聯(lián)網(wǎng)+督查”平臺"
    s = doc.text.index("周牧")
    a, b = doc.raw_span(s, s + 2)
    assert doc.raw_text[a:b] == "周牧"


def test_traditional_script_becomes_simplified():
    doc = seed("002")
    assert doc.text.startswith("2022网上群众工作峰会发布人民网“领导留言板”数据分析报告\n")
    assert "人民网总编辑罗华" in doc.text
    assert "《党的十八大以来“领导留言板”数据分析报告》（以下简称《报告》）" in doc.text


def test_inline_pronunciation_noise_is_stripped():
    assert norm("互聯(lián)網(wǎng)是治國理政“新陣地”") == "互联网是治国理政“新阵地”"
    assert norm("走好網(wǎng)上群眾路線，以數(shù)字化手段") == "走好网上群众路线，以数字化手段"
    assert norm("互聯(lian2)網") == "互联网"
    doc = seed("004")
    assert "(" not in doc.text.replace("（", "") and "wǎng" not in doc.text
    assert "国务院“互联网+督查”平台" in doc.text


def test_real_parentheses_stay():
    assert norm("中央党校(国家行政学院)党建部教授") == "中央党校（国家行政学院）党建部教授"
    assert norm("中央党校（国家行政学院）党建部") == "中央党校（国家行政学院）党建部"
    assert norm("发布了《报告》(以下简称《报告》)。") == "发布了《报告》（以下简称《报告》）。"
    assert norm("the app (beta) works") == "the app (beta) works"
    assert norm("数字(shu)") == "数字(shu)"  # no tone mark: not pronunciation noise


def test_hard_breaks_inside_a_sentence_are_joined():
    doc = seed("001")
    assert "既有各领域专家学者" in doc.text
    assert "研究生学历的1210名，占52.7%。" in doc.text
    assert "进一步细化代表条件" in doc.text
    assert "采取“三上三下”的办法开展代表人选推荐提名" in doc.text
    # a wrapped line in a document whose paragraphs are separated by blank lines
    assert norm("第一段说明了情况\n后面接着说完。\n\n第二段。") == "第一段说明了情况后面接着说完。\n第二段。"
    assert norm("English words\nwrapped here.\n\nNext.") == "English words wrapped here.\nNext."


def test_headlines_captions_and_paragraphs_stay_apart():
    assert seed("001").text.startswith("听民意 汇民智 聚民力\n——党的二十大相关工作网络征求意见活动综述\n围绕")
    assert seed("002").text.startswith("2022网上群众工作峰会发布人民网“领导留言板”数据分析报告\n把工作做到人民群众的心坎上\n")
    text3 = seed("003").text
    assert "聚焦发展所需、基层所盼、民心所向\n“近年来" in text3
    assert "贴近群众、服务群众\n群众路线是党的根本工作路线。" in text3
    text4 = seed("004").text
    assert "开幕式现场。新华社记者 周牧 摄\n读懂网络民意" in text4
    assert "（宣讲家网 徐辉冠）\n作者 | 徐辉冠" in text4


def test_ideographic_space_runs_are_paragraph_breaks():
    text = seed("000").text
    assert text.startswith("听民意、汇民智、聚民力——党的二十大相关工作网络征求意见活动综述\n围绕党的二十大")
    assert text.endswith("提供参考。\n（新华社北京9月26日电）")
    assert norm("　　第一段。　　第二段。\t\t") == "第一段。\n第二段。"


def test_whitespace_collapses_to_one_space():
    assert norm(" 畅通互动渠道\u2002\u2002更好服务群众 ") == "畅通互动渠道 更好服务群众"
    assert norm("\t\t人民网记者\u2002\u2002曾\u2002\u2002帆\xa0白宛松\r\n") == "人民网记者 曾 帆 白宛松"
    assert norm("行一。\r\n行二。\r\n\r\n行三") == "行一。\n行二。\n行三"


def test_width_and_punctuation():
    assert norm("ＡＢＣ１２３网站") == "ABC123网站"
    assert norm("意见,是党的历史;第一次:好?是!") == "意见，是党的历史；第一次：好？是！"
    assert norm("共1,000人,a, b; 10:30") == "共1,000人，a, b; 10:30"
    assert norm("“领导留言板”《报告》") == "“领导留言板”《报告》"
    assert norm("邮箱:xuanjiangjia001@163.com,QQ") == "邮箱：xuanjiangjia001@163.com,QQ"
    assert norm("各地區各部門﹔近年來") == "各地区各部门；近年来"


def test_offsets_of_a_synthetic_text_cover_every_stage():
    raw = "　　互聯(lián)網(wǎng)是平臺。各領\n\n域ＡＢ,（以下簡稱《報告》）\t\t好!\n"
    text, offsets = normalize_text(raw)
    assert text == "互联网是平台。各领域AB，（以下简称《报告》） 好！"
    assert len(offsets) == len(text) + 1 and offsets[-1] == len(raw)
    for i, ch in enumerate(text):
        assert came_from(raw[offsets[i]], ch), (i, ch, raw[offsets[i]])


def test_conversion_that_changes_length_keeps_an_exact_map():
    cc = opencc.OpenCC("tw2sp")  # phrase table: 記憶體 → 内存, 軟體 → 软件
    raw = "他的電腦記憶體不足，需要更多記憶體和軟體。\n計程車"
    out, index = convert_mapped(raw, cc)
    assert out == cc.convert(raw) == "他的电脑内存不足，需要更多内存和软件。\n出租车"
    assert len(index) == len(out)
    pairs = [(out[i], raw[j]) for i, j in enumerate(index)]
    assert pairs[4:6] == [("内", "記"), ("存", "憶")]
    assert pairs[15:18] == [("和", "和"), ("软", "軟"), ("件", "體")]
    assert pairs[18:] == [("。", "。"), ("\n", "\n"), ("出", "計"), ("租", "程"), ("车", "車")]


def test_corner_brackets_become_mainland_quotes_with_exact_offsets():
    raw = RawDocument("q.txt", "q.txt", "他說：「人民網『領導留言板』很好。」")
    doc = normalize(raw)
    assert doc.text == "他说：“人民网‘领导留言板’很好。”"
    assert [raw.raw_text[i] for i in doc.offsets[:-1]][3] == "「"


def test_invisible_direction_and_format_marks_leave_no_look_alike_label():
    from kg.normalize import normalize
    from kg.types import RawDocument

    text = "标题\n\u200f北京大学\u202e与\u2066北京大学\u2069合作。"
    doc = normalize(RawDocument("t.txt", "t.txt", text))
    assert "北京大学与北京大学合作" in doc.text
    assert not any(c in doc.text for c in "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
