"""``kg ner`` and the kg.ner library: JSON per line, exact offsets, PER/LOC/ORG labels."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kg import ner
from kg.cli import main

SENTENCES = [
    "人民网总编辑罗华在北京发布了报告。",
    "",
    "  国务院总理在上海市考察，新华社记者张伟报道。",
    "中美两国领导人在北京人民大会堂会谈。",
]


def _run(args: list[str], stdin: str | None = None):
    result = CliRunner().invoke(main, args, input=stdin)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def _check_structure(records: list[dict], lines: list[str]) -> None:
    assert [r["line"] for r in records] == list(range(1, len(lines) + 1))
    for record, line in zip(records, lines, strict=True):
        assert record["text"] == line
        for ent in record["entities"]:
            assert list(ent) == ["start", "end", "label", "type", "text"]
            assert 0 <= ent["start"] < ent["end"] <= len(line)
            assert line[ent["start"] : ent["end"]] == ent["text"]
            assert ent["label"] in ner.LABELS
            assert ent["type"] == ner.TYPE_OF_LABEL[ent["label"]]


def test_kg_ner_file_prints_one_object_per_line(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")
    records = _run(["ner", str(path)])
    _check_structure(records, SENTENCES)
    assert records[1]["entities"] == []


def test_kg_ner_stdin_baseline():
    records = _run(["ner", "-", "--model", "baseline"], stdin="\n".join(SENTENCES) + "\n")
    _check_structure(records, SENTENCES)
    first = {(e["text"], e["label"]) for e in records[0]["entities"]}
    assert ("北京", "LOC") in first


def test_shipped_model_finds_obvious_names():
    nlp = ner.load()
    assert "kg_baseline" not in nlp.meta and nlp.meta["name"] == "kg_ner"
    text = "新华社北京3月5日电 国务院总理李强在人民大会堂作政府工作报告。"
    found = {(e.start_char, e.end_char, e.label_) for e in nlp(text).ents}
    assert {(0, 3, "ORG"), (3, 5, "LOC"), (11, 14, "ORG"), (16, 18, "PER")} <= found
    second = {(e.text, e.label_) for e in nlp("复旦大学教授张涛在上海接受记者采访。").ents}
    assert {("复旦大学", "ORG"), ("张涛", "PER"), ("上海", "LOC")} <= second


def test_offsets_count_characters_of_the_line_as_given():
    nlp = ner.load("baseline")
    line = "\u3000 北京市委书记在上海\t考察"
    (record,) = ner.tag_lines(nlp, [line + "\n"])
    assert record.text == line
    spans = {(e.start, e.end, e.label) for e in record.entities}
    assert (line.index("上海"), line.index("上海") + 2, "LOC") in spans


def test_foreign_labels_are_mapped_and_unknown_ones_dropped():
    nlp = ner.blank()
    nlp.add_pipe("kg_label_map")
    doc = nlp.make_doc("张三在北京的联合国工作两年")
    from spacy.tokens import Span

    doc.ents = [
        Span(doc, 0, 2, label="PERSON"),
        Span(doc, 3, 5, label="GPE"),
        Span(doc, 6, 9, label="ORG"),
        Span(doc, 11, 13, label="DATE"),
    ]
    doc = nlp.get_pipe("kg_label_map")(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("张三", "PER"), ("北京", "LOC"), ("联合国", "ORG")]


def test_bad_model_and_bad_bytes_name_the_problem(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("北京\n".encode() + b"\xff\xfe\n")
    result = CliRunner().invoke(main, ["ner", str(bad), "--model", "baseline"])
    assert result.exit_code != 0
    assert f"{bad}:2" in result.output
    result = CliRunner().invoke(main, ["ner", str(bad), "--model", str(tmp_path / "nope")])
    assert result.exit_code != 0
    assert "cannot load NER model" in result.output


def test_char_features_are_aligned_with_characters():
    nlp = ner.blank()
    doc = nlp.make_doc("北京 市")
    feats = ner.char_features(doc, ner.FEATURES)
    assert feats.shape == (3, len(ner.FEATURES))
    word = ner.FEATURES.index("word")
    assert feats[0, word] == feats[1, word]  # 北 and 京 are one jieba word
    assert feats[1, word] != feats[2, word]


def test_lexicon_marks_every_overlapping_name_with_its_place_in_it():
    lexicon = ner.name_lexicon()
    text = "邓小平理论在北京市"
    matches = set(ner.lexicon_matches(text, lexicon))
    assert (0, 3, 0) in matches  # 邓小平, a person name, although jieba cuts 邓小平理论 as one word
    assert (6, 8, ner.LEXICON_PLACE) in matches  # 北京
    codes = ner.lexicon_codes(text, lexicon)
    begin_person, end_person = 1 << 0, 1 << 2
    assert codes[0] & begin_person and codes[2] & end_person
    assert codes[5] == 0  # 在 is in no name


WHITESPACE_TEXTS = ["", " ", "  人民网", "人民 网", "人民  网", "人民 \n 网", "北京 ", "北京  \t", "\n\n人民网 主办\u3000会议 ", " 中 美 "]


def test_char_tokenizer_matches_spacy_character_segmentation():
    from spacy.lang.zh import ChineseTokenizer

    nlp = ner.blank()
    assert isinstance(nlp.tokenizer, ner.CharTokenizer)
    reference = ChineseTokenizer(nlp.vocab, segmenter="char")
    for text in WHITESPACE_TEXTS:
        doc = nlp.tokenizer(text)
        assert [(t.text, t.whitespace_) for t in doc] == [(t.text, t.whitespace_) for t in reference(text)]
        assert doc.text == text == doc.user_data[ner.TEXT_KEY]


def test_shipped_model_uses_the_character_tokenizer_and_keeps_offsets():
    nlp = ner.load()
    assert isinstance(nlp.tokenizer, ner.CharTokenizer)
    text = "  国务院总理 李强在人民大会堂作报告。"
    for ent in nlp(text).ents:
        assert text[ent.start_char : ent.end_char] == ent.text


def test_segment_gives_jiebas_words():
    import jieba

    texts = [
        "中美两国领导人在北京人民大会堂会谈。",
        "邓小平理论是当代中国的马克思主义。",
        "访问www.people.com.cn查看，或发邮件至e-mail:a_b@x.cn。",
        "今年增长3.5%，达到12.8亿元，版本v2.0发布。",
        "他会用C++和C#编程，在AT&T工作。",
        "大冷--胜负彩，铃鹿.....无论",
    ]
    for text in texts:
        assert list(ner.segment(text)) == list(jieba.cut(text))


def test_long_official_names_are_one_organisation_span():
    nlp = ner.load()
    for text, name in [
        ("中共浙江省委宣传部副部长张伟出席会议。", "中共浙江省委宣传部"),
        ("杭州市人民政府办公厅印发通知。", "杭州市人民政府办公厅"),
        ("浙江大学计算机科学与技术学院举办研讨会。", "浙江大学计算机科学与技术学院"),
        ("中共四川省委办公厅、四川省人民政府办公厅联合主办。", "四川省人民政府办公厅"),
    ]:
        orgs = [e.text for e in nlp(text).ents if e.label_ == "ORG"]
        assert name in orgs, (text, orgs)


def test_tagging_is_batched_by_characters_and_keeps_every_line_in_order(monkeypatch):
    nlp = ner.load()
    lines = SENTENCES * 5
    whole = [r.to_json() for r in ner.tag_lines(nlp, lines)]
    monkeypatch.setattr(ner, "BATCH_CHARS", 40)
    batches = list(ner._batches(((line, i) for i, line in enumerate(lines, 1)), 256))
    assert len(batches) > 3
    assert all(sum(len(t) for t, _ in b) <= 40 or len(b) == 1 for b in batches)
    assert [r.to_json() for r in ner.tag_lines(nlp, lines)] == whole
