"""Reading corpora: formats, encodings, and bad input reported by file and line."""

from __future__ import annotations

import codecs
import json
import tracemalloc
from pathlib import Path

import pytest

from kg.ingest import DecodeError, detect_encoding, read_corpus
from kg.paths import DATA_DIR
from kg.types import InputError, RawDocument

SEEDS = DATA_DIR / "seeds"
SIMPLIFIED = "人民网北京12月12日电 由人民网主办的2024网上群众工作大会在人民日报社召开，各地领导干部和专家学者围绕如何走好新时代党的群众路线展开交流。"
TRADITIONAL = "人民網北京12月12日電 由人民網主辦的2024網上群眾工作大會在人民日報社召開，各地領導幹部和專家學者圍繞如何走好新時代黨的群眾路線展開交流。"


def read(*paths: Path | str) -> list[RawDocument | InputError]:
    return list(read_corpus(paths))


def docs(items: list) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def errors(items: list) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


def one(items: list) -> RawDocument:
    assert not errors(items), errors(items)
    (doc,) = docs(items)
    return doc


def test_seed_directory_gives_one_document_per_file_named_by_file():
    items = read(SEEDS)
    assert not errors(items)
    ids = [d.doc_id for d in docs(items)]
    assert ids == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert "003_2333ac41641a69fd.txt" in ids
    doc = docs(items)[3]
    assert doc.raw_text == (SEEDS / doc.doc_id).read_text(encoding="utf-8")
    assert doc.source.endswith(doc.doc_id)


# --- encodings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", SIMPLIFIED),
        ("utf-8-sig", SIMPLIFIED),
        ("utf-16", SIMPLIFIED),  # with BOM, little-endian on this machine
        ("utf-16-be-bom", TRADITIONAL),
        ("gbk", SIMPLIFIED),
        ("gb18030", SIMPLIFIED + "𠀀"),  # a character only GB18030 has
        ("big5", TRADITIONAL),
    ],
)
def test_each_encoding_decodes_to_the_same_text(tmp_path, encoding, text):
    if encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(data)
    assert one(read(path)).raw_text == text


def test_seed_articles_in_gbk_and_big5_decode_exactly(tmp_path):
    simplified = (SEEDS / "003_2333ac41641a69fd.txt").read_text(encoding="utf-8")
    simplified = simplified.replace("\u2002", " ").replace("\xa0", " ")  # not in GBK
    traditional = (SEEDS / "002_33fd8f6f34ff018b.txt").read_text(encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(simplified.encode("gbk"))
    (tmp_path / "big5.txt").write_bytes(traditional.encode("big5"))
    by_id = {d.doc_id: d.raw_text for d in docs(read(tmp_path))}
    assert by_id == {"gbk.txt": simplified, "big5.txt": traditional}


@pytest.mark.parametrize(("text", "codec"), [("互联网", "gbk"), ("互聯網", "big5"), ("领导留言板", "gbk"), ("領導留言板", "big5")])
def test_short_gbk_and_big5_texts_are_told_apart(text, codec):
    expected = "gb18030" if codec == "gbk" else "big5"
    assert detect_encoding(text.encode(codec)) == expected


def test_encoding_detection_order():
    assert detect_encoding(codecs.BOM_UTF8 + "网".encode()) == "utf-8-sig"
    assert detect_encoding("网".encode("utf-16")) == "utf-16"
    assert detect_encoding(b"plain ascii") == "utf-8"
    assert detect_encoding("ASCII text in UTF-16".encode("utf-16-le")) == "utf-16-le"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_chinese_utf16_without_bom_is_read(codec):
    # Mostly CJK: few NUL bytes, and some CJK characters (帀 U+5E00) have a NUL byte of their own.
    text = "11月28日，由人民网主办的2023网上群众工作大会在南京召开。帀\n" * 3
    assert detect_encoding(text.encode(codec)) == codec


def test_random_bytes_with_nuls_are_binary():
    import random

    data = random.Random(3).randbytes(4000)
    with pytest.raises(DecodeError):
        detect_encoding(data)


# --- bad input ---------------------------------------------------------------


def test_empty_and_blank_files_are_errors_naming_the_file(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text(SIMPLIFIED, encoding="utf-8")
    items = read(tmp_path)
    assert [d.doc_id for d in docs(items)] == ["ok.txt"]
    errs = {Path(e.source).name: e for e in errors(items)}
    assert set(errs) == {"empty.txt", "blank.txt"}
    assert "empty" in errs["empty.txt"].message
    assert str(errs["empty.txt"]).startswith(str(tmp_path / "empty.txt"))


def test_binary_files_are_errors(tmp_path):
    (tmp_path / "nul.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (tmp_path / "noise.txt").write_bytes(bytes((i * 37 + 11) % 256 for i in range(4096) if (i * 37 + 11) % 256))
    (tmp_path / "ok.txt").write_text(SIMPLIFIED, encoding="utf-8")
    items = read(tmp_path)
    assert [d.doc_id for d in docs(items)] == ["ok.txt"]
    messages = {Path(e.source).name: e.message for e in errors(items)}
    assert set(messages) == {"nul.txt", "noise.txt"}
    assert "binary" in messages["nul.txt"]
    assert "binary" in messages["noise.txt"] or "undecodable" in messages["noise.txt"]


def test_a_long_single_line_article_is_read_whole_and_a_five_megabyte_one_refused(tmp_path):
    sentence = "由人民网主办的网上群众工作大会在人民日报社召开，"
    text = sentence * (150_000 // len(sentence))
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    assert one(read(path)).raw_text == text  # 150,000 characters on one line
    path.write_text(sentence * (5_000_000 // len(sentence.encode()) + 1), encoding="utf-8")
    [error] = errors(read(path))
    assert error.source == str(path) and "split it" in error.message


def test_missing_path_is_an_error_and_the_rest_still_reads(tmp_path):
    (tmp_path / "ok.txt").write_text(SIMPLIFIED, encoding="utf-8")
    items = read(tmp_path / "nope", tmp_path / "ok.txt")
    assert [e.source for e in errors(items)] == [str(tmp_path / "nope")]
    assert [d.doc_id for d in docs(items)] == ["ok.txt"]


# --- JSONL ---------------------------------------------------------------------


def test_jsonl_records_fields_ids_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "a1", "text": SIMPLIFIED, "title": "标题", "date": "2024-12-17", "source": "人民网", "url": "http://x/1"}, ensure_ascii=False),
        '{"text": "未闭合',
        json.dumps({"title": "no text"}),
        "",
        "[1, 2]",
        json.dumps({"text": TRADITIONAL}, ensure_ascii=False),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read(path)
    good = docs(items)
    assert [(d.doc_id, d.line) for d in good] == [("a1", 1), ("feed.jsonl#L6", 6)]
    first = good[0]
    assert (first.title, first.date, first.publisher, first.url) == ("标题", "2024-12-17", "人民网", "http://x/1")
    assert first.raw_text == SIMPLIFIED and first.source == str(path)
    errs = errors(items)
    assert [(e.line, e.source) for e in errs] == [(2, str(path)), (3, str(path)), (5, str(path))]
    assert "malformed JSON" in errs[0].message
    assert "no text" in errs[1].message
    assert str(errs[0]).startswith(f"{path}:2:")


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_jsonl_in_other_encodings(tmp_path, encoding):
    records = [{"text": SIMPLIFIED}, {"id": "x", "text": "中宣部组织网络征求意见活动"}]
    path = tmp_path / "feed.jsonl"
    path.write_bytes("\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode(encoding))
    assert [d.raw_text for d in docs(read(path))] == [r["text"] for r in records]


def test_jsonl_lines_in_mixed_encodings_each_decode_and_undecodable_lines_are_errors(tmp_path):
    path = tmp_path / "mixed.jsonl"
    good = json.dumps({"text": SIMPLIFIED}, ensure_ascii=False).encode()
    gbk = json.dumps({"text": "网上群众工作"}, ensure_ascii=False).encode("gbk")
    path.write_bytes(good + b"\n" + gbk + b"\n" + b'{"text": "\xff\xfe\xff\x80"}\n' + good + b"\n")
    items = read(path)
    assert [(d.line, d.raw_text) for d in docs(items)] == [(1, SIMPLIFIED), (2, "网上群众工作"), (4, SIMPLIFIED)]
    assert [e.line for e in errors(items)] == [3]


def test_jsonl_is_streamed_in_constant_memory(tmp_path):
    path = tmp_path / "large.jsonl"
    record = json.dumps({"text": SIMPLIFIED * 40}, ensure_ascii=False)
    with path.open("w", encoding="utf-8") as f:
        for _ in range(4000):
            f.write(record + "\n")
    assert path.stat().st_size > 20_000_000
    tracemalloc.start()
    count = 0
    for item in read_corpus([path]):
        assert isinstance(item, RawDocument)
        count += 1
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 4000
    assert peak < 2_000_000  # a few records' worth, not the 20 MB file


def test_empty_jsonl_and_binary_jsonl(tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    (tmp_path / "bin.jsonl").write_bytes(b"\x00\x01\x02" * 100)
    messages = sorted((Path(e.source).name, e.message) for e in errors(read(tmp_path)))
    assert [n for n, _ in messages] == ["bin.jsonl", "empty.jsonl"]
    assert "binary" in messages[0][1] and "empty" in messages[1][1]


# --- CSV -----------------------------------------------------------------------


def test_csv_records_multiline_fields_and_missing_text(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text(
        'id,title,date,text\nr1,标题,2024/12/17,"第一段。\n第二段。"\n,无正文,,\n,,,"网上群众工作"\n',
        encoding="gbk",
    )
    items = read(path)
    good = docs(items)
    assert [(d.doc_id, d.line, d.raw_text) for d in good] == [("r1", 2, "第一段。\n第二段。"), ("feed.csv#L5", 5, "网上群众工作")]
    assert good[0].date == "2024/12/17" and good[0].title == "标题"
    assert [(e.line, e.message) for e in errors(items)] == [(4, "record has no text")]


def test_csv_without_text_column_is_an_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,body\n1,人民网\n", encoding="utf-8")
    (err,) = errors(read(path))
    assert err.source == str(path) and "text" in err.message


# --- HTML ----------------------------------------------------------------------


PAGE = """<!doctype html><html><head><meta charset="{charset}"><title>畅通互动渠道 更好服务群众</title>
<style>p {{ color: red }}</style><script>var tracking = "脚本文字";</script></head>
<body><nav><a href="/">首页</a> 导航栏</nav><header><h1>网站页眉</h1></header>
<div class="article"><p>12月12日上午，由人民网主办的
  2024网上群众工作大会在人民日报社召开。</p>
<p>与会者表示：<b>领导干部</b>要始终重视群众工作。</p></div>
<aside>相关阅读</aside><footer>版权所有</footer></body></html>"""


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_html_drops_furniture_keeps_paragraphs_and_title(tmp_path, charset):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.format(charset=charset).encode(charset))
    doc = one(read(path))
    assert doc.html_title == "畅通互动渠道 更好服务群众"
    assert doc.raw_text == "12月12日上午，由人民网主办的2024网上群众工作大会在人民日报社召开。\n与会者表示：领导干部要始终重视群众工作。"
    for dropped in ("脚本", "color", "首页", "导航", "页眉", "相关阅读", "版权"):
        assert dropped not in doc.raw_text


def test_html_title_falls_back_to_h1(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text("<body><h1>标题在这里</h1><p>正文。</p></body>", encoding="utf-8")
    doc = one(read(path))
    assert doc.html_title == "标题在这里"
    assert doc.raw_text == "标题在这里\n正文。"


def test_truncated_html_still_gives_its_text(tmp_path):
    path = tmp_path / "broken.html"
    path.write_text("<html><body><div><p>互联网是治国理政的“新阵地”。<p>走好网上群众路线<span", encoding="utf-8")
    doc = one(read(path))
    assert doc.raw_text == "互联网是治国理政的“新阵地”。\n走好网上群众路线"


def test_html_without_text_and_binary_html_are_errors(tmp_path):
    (tmp_path / "empty.html").write_text("<html><head><script>x()</script></head><body> </body></html>", encoding="utf-8")
    (tmp_path / "bin.html").write_bytes(b"<html>\x00\x00\xff\xfe\x00")
    messages = {Path(e.source).name: e.message for e in errors(read(tmp_path))}
    assert set(messages) == {"empty.html", "bin.html"}
    assert "no text" in messages["empty.html"]


# --- directories -----------------------------------------------------------------


def test_directories_are_walked_recursively_sorted_and_colliding_names_use_paths(tmp_path):
    for rel in ("b/x.txt", "a/x.txt", "a/deep/y.txt", "z.html", ".hidden/h.txt", "notes.md"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<p>网上群众工作</p>" if rel.endswith("html") else "网上群众工作", encoding="utf-8")
    ids = [d.doc_id for d in docs(read(tmp_path))]
    # sorted by relative path; a unique name is the id, a shared one the relative path
    assert ids == ["y.txt", "a/x.txt", "b/x.txt", "z.html"]


def test_a_link_to_a_file_outside_the_input_folder_is_skipped_with_a_message(tmp_path):
    from kg.ingest import read_corpus
    from kg.types import InputError, RawDocument

    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("人民网在北京发布报告。", encoding="utf-8")
    (corpus / "sub" / "b.txt").write_text("新华社在上海发布报告。", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("不应读到的文字。", encoding="utf-8")
    (corpus / "link.txt").symlink_to(secret)
    (corpus / "inside.txt").symlink_to(corpus / "a.txt")  # inside: the same file, read once
    got = list(read_corpus([corpus]))
    docs = [d.doc_id for d in got if isinstance(d, RawDocument)]
    errors = [str(e) for e in got if isinstance(e, InputError)]
    assert sorted(docs) == ["a.txt", "b.txt"]
    assert len(errors) == 1 and "link.txt" in errors[0] and "outside" in errors[0]


def test_a_folder_that_cannot_be_read_is_reported_and_the_rest_is_read(tmp_path, monkeypatch):
    import os

    from kg.ingest import read_corpus
    from kg.types import InputError, RawDocument

    corpus = tmp_path / "corpus"
    (corpus / "locked").mkdir(parents=True)
    (corpus / "a.txt").write_text("人民网在北京发布报告。", encoding="utf-8")
    (corpus / "locked" / "b.txt").write_text("新华社在上海发布报告。", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):  # the tests run as root, whom file modes do not stop: the refusal is injected
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    got = list(read_corpus([corpus]))
    assert [d.doc_id for d in got if isinstance(d, RawDocument)] == ["a.txt"]
    errors = [str(e) for e in got if isinstance(e, InputError)]
    assert len(errors) == 1 and "locked" in errors[0] and "cannot read folder" in errors[0]


def test_small_damage_costs_a_line_not_the_file(tmp_path):
    from kg.ingest import read_corpus
    from kg.types import InputError, RawDocument

    text = "人民网在北京发布了年度报告，新华社在上海发布了报告。" * 3
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16-le"))  # no BOM, no NUL byte
    (tmp_path / "ctl.txt").write_text("".join(c + ("\x01" if i % 50 == 0 else "") for i, c in enumerate(text)), encoding="utf-8")
    (tmp_path / "nul.csv").write_text("id,text\n1,人民网在北京发布报告。\n2,新华社\x00在上海发布报告。\n3,光明网发布报告。\n", encoding="utf-8")
    (tmp_path / "quote.csv").write_text("id,text\n1,人民网发布报告。\n2,\"新华社发布报告。\n3,光明网发布报告。\n", encoding="utf-8")
    got = list(read_corpus([tmp_path]))
    docs = {d.doc_id: d.raw_text for d in got if isinstance(d, RawDocument)}
    errors = {(e.source.rsplit("/", 1)[-1], e.line) for e in got if isinstance(e, InputError)}
    assert docs["u16.txt"] == text and docs["ctl.txt"] == text
    assert docs["2"] == "新华社在上海发布报告。" and "3" in docs  # nul.csv keeps every record
    assert ("nul.csv", 3) in errors
    assert ("quote.csv", 3) in errors  # the record whose quote never closes, named by its line


def test_a_document_above_the_size_of_an_article_is_refused_and_the_rest_read(tmp_path, monkeypatch):
    from kg import ingest
    from kg.ingest import read_corpus
    from kg.types import InputError, RawDocument

    monkeypatch.setattr(ingest, "MAX_DOCUMENT_CHARS", 1000)
    (tmp_path / "good.txt").write_text("人民网在北京发布报告。", encoding="utf-8")
    (tmp_path / "long.txt").write_text("人民网发布报告。" * 200, encoding="utf-8")  # 1,600 characters
    (tmp_path / "huge.txt").write_text("新华社" * 2000, encoding="utf-8")  # 18,000 bytes: not read at all
    (tmp_path / "feed.jsonl").write_text(
        '{"id": "a", "text": "光明网发布报告。"}\n{"id": "b", "text": "' + "长" * 1500 + '"}\n', encoding="utf-8"
    )
    got = list(read_corpus([tmp_path]))
    assert sorted(d.doc_id for d in got if isinstance(d, RawDocument)) == ["a", "good.txt"]
    errors = sorted((e.source.rsplit("/", 1)[-1], e.line) for e in got if isinstance(e, InputError))
    assert errors == [("feed.jsonl", 2), ("huge.txt", None), ("long.txt", None)]
