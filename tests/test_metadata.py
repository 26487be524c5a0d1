"""Metadata read from the page, and the furniture ranges extraction must skip."""

from __future__ import annotations

import pytest

from kg.metadata import iso_date, read_meta, split_names
from kg.normalize import normalize, normalize_text
from kg.paths import DATA_DIR
from kg.types import Document, RawDocument

SEEDS = DATA_DIR / "seeds"


def seed(prefix: str) -> Document:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return normalize(RawDocument(path.name, str(path), path.read_text(encoding="utf-8")))


def furniture_texts(doc: Document) -> list[str]:
    return [doc.text[s:e] for s, e in doc.furniture]


def in_furniture(doc: Document, phrase: str) -> bool:
    start = doc.text.index(phrase)
    return any(s <= start and start + len(phrase) <= e for s, e in doc.furniture)


def meta_of(text: str, **record) -> tuple:
    raw = RawDocument("t", "t", text, **record)
    normalised = normalize_text(text)[0]
    meta, furniture = read_meta(raw, normalised)
    return meta, [normalised[s:e] for s, e in furniture]


def test_003_byline_and_print_line():
    doc = seed("003")
    meta = doc.meta
    assert meta.title == "畅通互动渠道 更好服务群众"
    assert meta.authors[:2] == ("曾帆", "白宛松")
    assert set(meta.authors) == {"曾帆", "白宛松", "郑莉茵", "彭姝婷"}  # 参与采写 credits too
    assert meta.date == "2024-12-17"
    assert meta.publisher == "人民日报"
    assert meta.print_line is not None and meta.print_line.startswith("《人民日报》（2024年12月17日")
    assert furniture_texts(doc) == ["人民网记者 曾 帆 白宛松", "《人民日报》（2024年12月17日 第 14 版）", "（郑莉茵、彭姝婷参与采写）"]
    assert not in_furniture(doc, "由人民网主办的2024网上群众工作大会在人民日报社召开")


def test_004_editor_box_photo_credit_and_signature_are_furniture():
    doc = seed("004")
    meta = doc.meta
    assert meta.authors == ("徐辉冠",)
    assert meta.editors[0] == "王静静"
    assert {"翟婧", "于川", "张凌洁", "彭亚南", "刘斌"} <= set(meta.editors)
    for phrase in ("新华社记者 周牧 摄", "责编 | 王静静", "作者 | 徐辉冠", "（宣讲家网 徐辉冠）", "已有0人发表了评论", "稿件一经采用"):
        assert in_furniture(doc, phrase), phrase
    assert furniture_texts(doc).count("新华社记者 周牧 摄") == 2
    # the caption itself is body text: it dates the event
    assert not in_furniture(doc, "2025年6月10日拍摄的2025年中国网络文明大会开幕式现场")
    assert not in_furniture(doc, "北京“接诉即办”平台")
    assert meta.title is None  # the first line is an editor's note, not a headline


def test_002_print_line_and_share_prompts():
    doc = seed("002")
    assert doc.meta.title == "2022网上群众工作峰会发布人民网“领导留言板”数据分析报告"
    assert doc.meta.date == "2023-01-06"
    assert doc.meta.publisher == "人民日报"
    for phrase in ("扫二维码关注", "分享让更多人看到", "- 评论", "《 人民日报 》（ 2023年01月06日 13 版）"):
        assert in_furniture(doc, phrase), phrase
    assert not in_furniture(doc, "2022网上群众工作峰会·宁德会议圆桌论坛环节")


def test_000_and_001_datelines():
    doc0, doc1 = seed("000"), seed("001")
    for doc in (doc0, doc1):
        assert doc.meta.dateline == "新华社北京9月26日电"
        assert doc.meta.publisher == "新华社"
        assert doc.meta.date is None  # a dateline has no year
        assert in_furniture(doc, "（新华社北京9月26日电）")
    assert doc0.meta.title == "听民意、汇民智、聚民力——党的二十大相关工作网络征求意见活动综述"
    assert doc1.meta.title == "听民意 汇民智 聚民力——党的二十大相关工作网络征求意见活动综述"
    # a dateline opening a paragraph: only the dateline is furniture, not the sentence
    start = doc1.text.index("新华社北京9月26日电 在以习近平同志为核心的党中央")
    assert (start, start + len("新华社北京9月26日电 ")) in doc1.furniture
    assert not in_furniture(doc1, "在以习近平同志为核心的党中央")
    assert in_furniture(doc1, "资料来源：中央组织部负责人")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_furniture_ranges_are_sorted_disjoint_and_inside_the_text(prefix):
    doc = seed(prefix)
    last = 0
    for s, e in doc.furniture:
        assert last <= s < e <= len(doc.text)
        last = e


def test_record_fields_win():
    meta, _ = meta_of("正文。", date="2024/12/1", title="記錄標題", publisher="人民网", url="http://x")
    assert (meta.date, meta.title, meta.publisher, meta.url) == ("2024-12-01", "记录标题", "人民网", "http://x")
    meta, _ = meta_of("《人民日报》（2024年12月17日 第14版）\n正文。", date="2025-01-02")
    assert meta.date == "2025-01-02" and meta.publisher == "人民日报"


def test_other_byline_and_box_forms():
    meta, furn = meta_of("标题\n作者：徐辉冠\n人民网北京12月12日电 会议召开。（责编：王静静、李四）")
    assert meta.authors == ("徐辉冠",)
    assert meta.editors == ("王静静", "李四")
    assert meta.dateline == "人民网北京12月12日电" and meta.publisher == "人民网"
    assert furn == ["作者：徐辉冠", "人民网北京12月12日电 ", "（责编：王静静、李四）"]
    meta, furn = meta_of("本报北京12月16日电（记者张三、李四） 会议召开。\n记者 王五")
    assert meta.authors == ("张三", "李四", "王五")
    assert meta.dateline == "本报北京12月16日电"
    meta, furn = meta_of("会场一角。（新华社记者 周牧 摄）\n扫码关注我们，扫描二维码下载客户端")
    assert furn == ["（新华社记者 周牧 摄）", "扫码关注我们，扫描二维码下载客户端"]


def test_body_sentences_are_not_furniture():
    text = "新华社记者观察\n习近平总书记在福建考察时这样强调。\n记者从会上获悉，活动将持续一个月。\n人民网记者采访了与会代表。"
    _, furn = meta_of(text)
    assert furn == []


def test_helpers():
    assert split_names("曾 帆 白宛松") == ("曾帆", "白宛松")
    assert split_names("于川、张凌洁") == ("于川", "张凌洁")
    assert iso_date("2024年12月17日") == "2024-12-17"
    assert iso_date("2023-01-06T08:00:00+08:00") == "2023-01-06"
    assert iso_date("2021年11月") == "2021-11"
    assert iso_date("2024-13-45") is None
    assert iso_date("someday") is None
