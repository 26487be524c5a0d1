"""Inputs too big or too odd for one article: refused or cleaned with a message naming the file
(and line), in bounded time and memory, while the good articles beside them build."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

from click.testing import CliRunner

from kg import ingest
from kg.cli import main
from kg.ingest import read_corpus
from kg.manifest import Manifest
from kg.types import InputError, RawDocument

GOOD = {
    "good-1.txt": "11月28日，由人民日报社指导、人民网主办的2023网上群众工作大会在江苏省南京市召开。",
    "good-2.txt": "12月3日，由新华网主办的2022数字政府论坛在四川省成都市举行。",
    "good-3.txt": "9月5日，由光明日报社主办的2024网络文明论坛在福建省福州市举行。",
}
SENTENCE = "由人民网主办的网上群众工作大会在人民日报社召开，与会代表围绕网上群众工作进行了交流。\n"


def with_good(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def kg_build(folder: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(out)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def built(out: Path) -> set[str]:
    with Manifest.open(out) as m:
        return set(m.doc_ids())


def test_a_document_above_the_limit_is_refused_with_a_message_and_the_good_ones_build(tmp_path: Path) -> None:
    folder = with_good(tmp_path / "in")
    long_text = SENTENCE * (ingest.MAX_DOCUMENT_CHARS // len(SENTENCE) + 1)
    (folder / "feed.jsonl").write_text(
        '{"id": "ok", "text": "人民网推出了人民建议平台。"}\n{"id": "long", "text": "' + long_text.replace("\n", "\\n") + '"}\n',
        encoding="utf-8",
    )
    code, output = kg_build(folder, tmp_path / "out")
    assert code == 1
    assert "feed.jsonl:2: " in output and f"above the {ingest.MAX_DOCUMENT_CHARS:,} of one article" in output
    assert output.count("feed.jsonl") == 1
    assert built(tmp_path / "out") == {*GOOD, "ok"}


def test_a_huge_jsonl_line_is_passed_over_in_bounded_memory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ingest, "MAX_LINE_BYTES", 100_000)
    feed = tmp_path / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as f:
        f.write('{"id": "a", "text": "人民网推出了人民建议平台。"}\n{"id": "huge", "text": "')
        f.write("新华社" * 2_000_000)  # 18 MB on one line
        f.write('"}\n{"id": "b", "text": "新华网推出了民意通平台。"}\n')
    tracemalloc.start()
    got = list(read_corpus([feed]))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [d.doc_id for d in got if isinstance(d, RawDocument)] == ["a", "b"]
    [error] = [e for e in got if isinstance(e, InputError)]  # one message: the file is no "empty file"
    assert error.line == 2 and "a line of more than 100,000 bytes" in error.message
    assert peak < 5_000_000  # the 18 MB line was never held whole


def test_html_nested_200000_deep_builds_in_seconds(tmp_path: Path) -> None:
    folder = with_good(tmp_path / "in")
    depth = 200_000
    (folder / "deep.html").write_text(
        "<html><body>" + "<div>" * depth + "<p>人民网在北京发布了年度报告。</p>" + "</div>" * depth + "</body></html>",
        encoding="utf-8",
    )
    start = time.monotonic()
    [doc] = [d for d in read_corpus([folder / "deep.html"]) if isinstance(d, RawDocument)]
    assert time.monotonic() - start < 10  # quadratic in depth, this took minutes
    assert doc.raw_text == "人民网在北京发布了年度报告。"
    code, output = kg_build(folder, tmp_path / "out")
    assert code == 0, output
    assert built(tmp_path / "out") == {*GOOD, "deep.html"}


def test_deep_nesting_cut_keeps_shallow_pages_as_they_are() -> None:
    page = "<html><body>" + "<div><p>一</p>" * 100 + "</div>" * 100 + "</body></html>"
    assert ingest._shallow(page) is page
    deep = "<div>" * (ingest.MAX_HTML_DEPTH + 5) + "文" + "</div>" * (ingest.MAX_HTML_DEPTH + 5)
    assert ingest._shallow(deep) == "<div>" * ingest.MAX_HTML_DEPTH + "文" + "</div>" * ingest.MAX_HTML_DEPTH


def test_stray_control_characters_are_removed_and_counted(tmp_path: Path) -> None:
    folder = with_good(tmp_path / "in")
    text = "人民网在北京发布了年度报告，新华社在上海发布了报告。" * 20
    noisy = "".join(c + ("\x01" if i % 50 == 49 else "") for i, c in enumerate(text))
    (folder / "ctl.txt").write_text(noisy, encoding="utf-8")
    (folder / "feed.jsonl").write_text('{"id": "rec", "text": "光明网\\u0002发布了\\u0007报告。"}\n', encoding="utf-8")
    got = list(read_corpus([folder]))
    docs = {d.doc_id: d.raw_text for d in got if isinstance(d, RawDocument)}
    messages = {(Path(e.source).name, e.line): e.message for e in got if isinstance(e, InputError)}
    assert docs["ctl.txt"] == text and docs["rec"] == "光明网发布了报告。"
    assert messages == {("ctl.txt", None): f"{len(text) // 50} control characters removed",
                        ("feed.jsonl", 1): "2 control characters removed"}
    code, output = kg_build(folder, tmp_path / "out")
    assert code == 1 and f"ctl.txt: {len(text) // 50} control characters removed" in output
    assert built(tmp_path / "out") == {*GOOD, "ctl.txt", "rec"}


def test_a_jsonl_file_whose_only_line_is_too_long_gets_one_message(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ingest, "MAX_LINE_BYTES", 1000)
    (tmp_path / "one.jsonl").write_text('{"id": "x", "text": "' + "长" * 2000 + '"}\n', encoding="utf-8")
    [error] = list(read_corpus([tmp_path / "one.jsonl"]))
    assert isinstance(error, InputError) and error.line == 1 and "a line of more than 1,000 bytes" in error.message
