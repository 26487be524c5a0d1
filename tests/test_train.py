"""``kg train`` end to end on a tiny corpus written here (a handful of steps, not a real model)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import ner, train
from kg.cli import main

MSRA_LINES = [
    ("张三在北京工作。", {(0, 2, "PER"), (3, 5, "LOC")}),
    ("新华社报道了上海的消息。", {(0, 3, "ORG"), (6, 8, "LOC")}),
    ("李四访问了联合国总部。", {(0, 2, "PER"), (5, 8, "ORG")}),
    ("王五回到广州。", {(0, 2, "PER"), (4, 6, "LOC")}),
]


def _bio(text: str, spans: set[tuple[int, int, str]], sep: str) -> str:
    tags = ["O"] * len(text)
    for s, e, label in spans:
        tags[s] = f"B-{label}"
        for i in range(s + 1, e):
            tags[i] = f"I-{label}"
    return "".join(f"{c}{sep}{t}\n" for c, t in zip(text, tags, strict=True)) + "\n"


def _write_corpora(root: Path) -> Path:
    corpora = root / "corpora"
    (corpora / "msra").mkdir(parents=True)
    (corpora / "peoples_daily").mkdir()
    (corpora / "msra" / "train.bio").write_text(
        "".join(_bio(t, s, "\t") for t, s in MSRA_LINES * 5), encoding="utf-8"
    )
    for name in ("example.dev", "example.test"):
        (corpora / "peoples_daily" / name).write_text(
            "".join(_bio(t, s, " ") for t, s in MSRA_LINES[:2]), encoding="utf-8"
        )
    return corpora


def test_read_bio_maps_tags_to_spans(tmp_path):
    corpora = _write_corpora(tmp_path)
    sentences = train.read_bio(corpora / "msra" / "train.bio")
    assert len(sentences) == 20
    assert sentences[0].text == "张三在北京工作。"
    assert set(sentences[0].spans) == MSRA_LINES[0][1]
    assert train.bio_spans(["I-PER", "I-PER", "O", "B-LOC", "I-ORG"]) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "ORG")]


def test_bad_bio_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.bio"
    path.write_text("北\tB-LOC\n京京 I-LOC\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.bio:2"):
        train.read_bio(path)


def test_dev_split_is_seeded_and_disjoint():
    sents = [train.Sentence(str(i), (), "x") for i in range(100)]
    tr, dev = train.split_dev(sents, 0.1, seed=3)
    assert len(dev) == 10 and len(tr) == 90
    assert {s.text for s in tr}.isdisjoint({s.text for s in dev})
    assert dev == train.split_dev(sents, 0.1, seed=3)[1]


def test_kg_train_smoke_writes_a_loadable_pipeline(tmp_path):
    corpora = _write_corpora(tmp_path)
    out = tmp_path / "models" / "zh_tiny"
    out.mkdir(parents=True)
    (out / "README.md").write_text("card\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "train", "--corpora", str(corpora), "--out", str(out), "--work", str(tmp_path / "work"),
            "--max-steps", "4",
            "--set", "components.ner.model.tok2vec.encode.width=16",
            "--set", "components.ner.model.tok2vec.embed.rows=[50,50,50,50,16,16]",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "dev" in result.output
    assert (out / "README.md").read_text(encoding="utf-8") == "card\n"
    nlp = ner.load(str(out))
    doc = nlp("张三在北京工作。")
    assert doc.text == "张三在北京工作。"
    assert all(e.label_ in ner.LABELS for e in doc.ents)
    assert nlp.meta["kg_training"]["dev_sentences"] == round(len(MSRA_LINES) * 5 * train.DEV_FRACTION)


def test_cluener_names_are_kept_and_places_it_cannot_tag_are_left_unannotated(tmp_path):
    path = tmp_path / "train.json"
    path.write_text(
        '{"text": "浙商银行的叶老桂在北京说，地址是杭州市西湖区文三路。", '
        '"label": {"company": {"浙商银行": [[0, 3]]}, "name": {"叶老桂": [[5, 7]]}, '
        '"address": {"杭州市西湖区文三路": [[16, 24]]}, "position": {"x": [[0, 0]]}}}\n',
        encoding="utf-8",
    )
    (sentence,) = train.read_cluener(path)
    assert sentence.spans == ((0, 4, "ORG"), (5, 8, "PER"))
    assert (16, 25) in sentence.missing and (9, 11) in sentence.missing  # the address; 北京, untagged
    doc = train.to_doc(ner.blank(), sentence)
    iob = [t.ent_iob_ for t in doc]
    assert iob[9] == iob[10] == "" and iob[16] == ""  # missing: neither entity nor outside
    assert iob[12] == "O" and iob[0] == "B" and doc[5].ent_type_ == "PER"


def test_bad_cluener_line_names_file_and_line(tmp_path):
    path = tmp_path / "dev.json"
    path.write_text('{"text": "甲", "label": {}}\n{"label": {}}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"dev\.json:2"):
        train.read_cluener(path)


def test_unknown_extra_corpus_is_refused(tmp_path):
    corpora = _write_corpora(tmp_path)
    with pytest.raises(ValueError, match="unknown extra corpus"):
        train.load_corpora(corpora, 0, ["weibo"])
