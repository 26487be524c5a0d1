"""Incremental builds: idempotent re-runs, changed and removed files, interrupted builds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import merged_matches_graphs

from kg.manifest import Manifest
from kg.namespace import KG, document_iri, entity_iri
from kg.pipeline import build
from kg.reprints import MIN_CHARS
from kg.store import Store

ARTICLES = {
    "a.txt": "11月28日，由人民日报社指导、人民网主办的2023网上群众工作大会在江苏省南京市召开。",
    "b.txt": "12月3日，由新华网主办的2022数字政府论坛在四川省成都市举行。",
    "c.txt": "人民网推出了人民建议平台，群众可以在平台上留言。",
    "d.txt": "9月5日，由光明日报社主办的2024网络文明论坛在福建省福州市举行。",
}


def write(corpus: Path, files: dict[str, str]) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")


def ask(out: Path, pattern: str) -> bool:
    store = Store.open(out / "store", read_only=True)
    assert merged_matches_graphs(store)  # every build leaves the merged graph in step
    return bool(store.query(f"ASK {{ {pattern} }}"))


def hosted(host: str, event: str) -> str:
    return f"<{entity_iri('Organization', host)}> <{KG.hosted}> <{entity_iri('Event', event)}>"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    write(tmp_path / "corpus", ARTICLES)
    return tmp_path / "corpus"


def test_same_input_twice_changes_nothing(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build([corpus], out)
    assert first.ok and first.added == 4 and first.documents == 4
    assert ask(out, hosted("人民网", "2023网上群众工作大会"))
    before = {name: (out / name).read_bytes() for name in ("graph.nq", "graph.ttl", "graph.trig", "facts.jsonl")}
    second = build([corpus], out)
    assert (second.added, second.changed, second.unchanged, second.removed) == (0, 0, 4, 0)
    assert second.documents == 4 and second.facts == first.facts
    for name, data in before.items():
        assert (out / name).read_bytes() == data, name


def test_changed_file_replaces_its_facts_only(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    (corpus / "a.txt").write_text(
        "11月28日，由新华社主办的2023网上群众工作大会在江苏省南京市召开。", encoding="utf-8"
    )
    report = build([corpus], out)
    assert (report.added, report.changed, report.unchanged) == (0, 1, 3)
    assert not ask(out, hosted("人民网", "2023网上群众工作大会"))
    assert ask(out, hosted("新华社", "2023网上群众工作大会"))
    assert ask(out, hosted("新华网", "2022数字政府论坛"))  # other documents untouched
    # 人民网 is still mentioned by c.txt, so the entity stays, now mentioned only there.
    renmin = entity_iri("Organization", "人民网")
    assert ask(out, f"<{renmin}> <{KG.mentionedIn}> <{document_iri('c.txt')}>")
    assert not ask(out, f"<{renmin}> <{KG.mentionedIn}> <{document_iri('a.txt')}>")
    # Same result as building the changed corpus from scratch.
    fresh = tmp_path / "fresh"
    build([corpus], fresh)
    assert (out / "graph.nq").read_bytes() == (fresh / "graph.nq").read_bytes()


def test_removed_file_is_retracted(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    (corpus / "b.txt").unlink()
    report = build([corpus], out)
    assert report.removed == 1 and report.documents == 3
    assert not ask(out, f"GRAPH <{document_iri('b.txt')}> {{ ?s ?p ?o }}")
    assert not ask(out, hosted("新华网", "2022数字政府论坛"))
    assert "b.txt" not in (out / "facts.jsonl").read_text(encoding="utf-8")
    with Manifest.open(out) as m:
        assert m.doc_ids() == ["a.txt", "c.txt", "d.txt"]


def test_building_another_directory_adds_to_the_graph(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    more = tmp_path / "more"
    write(more, {"e.txt": "10月9日，由中国政府网主办的2025政务服务论坛在浙江省杭州市举行。"})
    report = build([more], out)
    assert (report.added, report.removed, report.documents) == (1, 0, 5)
    assert ask(out, hosted("人民网", "2023网上群众工作大会"))


def test_reprint_links_follow_the_corpus(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    long_text = ARTICLES["a.txt"] + (
        "会上，人民网总编辑罗华发布了《网上群众工作数据分析报告》，报告梳理了近年来的留言办理情况。"
        "报告显示，各地党委和政府通过领导留言板回复网民留言超过三百万条，办理时限不断缩短，"
        "群众反映的教育、医疗、交通、住房等问题得到及时回应。与会代表围绕新时代网上群众工作的"
        "方法创新、机制建设和队伍培养进行了交流，大家认为网上群众路线是党的群众路线在互联网时代的延伸。"
    )
    assert len(long_text) >= MIN_CHARS
    write(corpus, {"a.txt": long_text, "a2.txt": long_text.replace("会上", "会议期间")})
    report = build([corpus], out)
    assert [(r.doc_a, r.doc_b) for r in report.reprints] == [("a.txt", "a2.txt")]
    assert ask(out, f"<{document_iri('a.txt')}> ?p <{document_iri('a2.txt')}>") or ask(
        out, f"<{document_iri('a2.txt')}> ?p <{document_iri('a.txt')}>"
    )
    (corpus / "a2.txt").unlink()
    report = build([corpus], out)
    assert report.reprints == []
    assert not ask(out, f"GRAPH ?g {{ <{document_iri('a2.txt')}> ?p ?o }}")


def test_short_messages_are_not_reprints_of_each_other(corpus: Path, tmp_path: Path) -> None:
    form_letter = "我是{}的居民，反映小区门口道路破损严重，雨天积水，请有关部门尽快维修。"
    write(corpus, {"m1.txt": form_letter.format("朝阳区"), "m2.txt": form_letter.format("海淀区")})
    report = build([corpus], tmp_path / "out")
    assert report.ok and report.reprints == []


def build_until_killed(script: str, corpus: Path, out: Path) -> None:
    """Run a build script that kills itself (SIGKILL) part-way."""
    proc = subprocess.run(
        [sys.executable, "-c", script, str(corpus), str(out)],
        capture_output=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=300,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()


_KILL_AFTER_TWO_BATCHES = textwrap.dedent(
    """
    import os, signal, sys
    from kg.pipeline import build

    batches = 0

    def on_batch(n):
        global batches
        batches += 1
        if batches == 2:
            os.kill(os.getpid(), signal.SIGKILL)

    build([sys.argv[1]], sys.argv[2], batch_size=1, commit_size=1, on_batch=on_batch)
    """
)


def test_killed_build_leaves_a_readable_store_and_the_next_build_completes(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_until_killed(_KILL_AFTER_TWO_BATCHES, corpus, out)
    assert not (out / "graph.nq").exists()  # exports come last, and only whole
    store = Store.open(out / "store", read_only=True)
    graphs = [g for g in store.graphs() if "/doc/" in g]
    assert len(graphs) >= 2
    with Manifest.open(out) as m:
        assert set(m.doc_ids()) <= {g.rsplit("/", 1)[1] for g in graphs}
    del store
    report = build([corpus], out)
    assert report.ok and report.documents == 4 and report.unchanged >= 2
    fresh = tmp_path / "fresh"
    build([corpus], fresh)
    assert (out / "graph.nq").read_bytes() == (fresh / "graph.nq").read_bytes()
    assert (out / "facts.jsonl").read_bytes() == (fresh / "facts.jsonl").read_bytes()


_KILL_DURING_A_STORE_WRITE = textwrap.dedent(
    """
    import os, signal, sys
    import kg.pipeline as pipeline
    from kg.namespace import document_iri

    def half_then_die(store, docs):
        # half the documents, and half the lines of the next one
        parts = [(str(document_iri(o.doc_id)), o.nquads) for o in docs]
        half = len(parts) // 2
        graph, data = parts[half]
        lines = data.splitlines(keepends=True)
        store.add_graphs(parts[:half] + [(graph, b"".join(lines[: len(lines) // 2]))])
        store.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    pipeline._replace_documents = half_then_die
    pipeline.build([sys.argv[1]], sys.argv[2])
    """
)


def test_build_killed_during_a_store_write_is_completed_by_the_next(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_until_killed(_KILL_DURING_A_STORE_WRITE, corpus, out)
    with Store.open(out / "store", read_only=True) as store:
        assert store.count() > 0  # part of the commit reached the store
    with Manifest.open(out) as m:
        assert m.doc_ids() == []  # and none of it was recorded
    report = build([corpus], out)
    assert report.ok and report.added == 4
    with Store.open(out / "store", read_only=True) as store:
        assert merged_matches_graphs(store)  # the half-written graph's triples left the merged graph too
    fresh = tmp_path / "fresh"
    build([corpus], fresh)
    assert (out / "graph.nq").read_bytes() == (fresh / "graph.nq").read_bytes()


def test_failed_store_write_stops_the_build_and_records_only_stored_commits(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.pipeline as pipeline

    real = pipeline._replace_documents
    calls: list[int] = []

    def fail_on_second(store, docs):
        calls.append(len(docs))
        if len(calls) == 2:
            raise OSError("disk full")
        real(store, docs)

    monkeypatch.setattr(pipeline, "_replace_documents", fail_on_second)
    out = tmp_path / "out"
    with pytest.raises(pipeline.WriteError, match="cannot write the store .*: disk full"):
        build([corpus], out, batch_size=1, commit_size=1)
    with Manifest.open(out) as m:
        assert len(m.doc_ids()) == 1
    monkeypatch.setattr(pipeline, "_replace_documents", real)
    report = build([corpus], out)
    assert report.ok and report.documents == 4 and report.unchanged == 1


def test_bad_record_is_reported_and_the_rest_builds(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"id": "m1", "text": "人民网推出了人民建议平台。"}\n{"id": "m2", "text": \n{"id": "m3", "text": "新华网推出了民意通平台。"}\n',
        encoding="utf-8",
    )
    report = build([feed], tmp_path / "out")
    assert report.documents == 2
    assert [(Path(e.source).name, e.line) for e in report.errors] == [("feed.jsonl", 2)]


def test_record_urls_that_are_no_iri_still_build(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"id": "m1", "text": "人民网推出了人民建议平台。", "url": "http://example.org/a b<c>"}\n'
        '{"id": "m2", "text": "新华网推出了民意通平台。", "url": "www.example.org/no-scheme"}\n',
        encoding="utf-8",
    )
    report = build([feed], tmp_path / "out")
    assert report.documents == 2 and not report.errors
    with Store.open(tmp_path / "out" / "store", read_only=True) as store:
        urls = {row[0].value for row in store.query("SELECT ?u WHERE { ?d <https://schema.org/url> ?u }")}
    assert urls == {"http://example.org/a%20b%3Cc%3E", "www.example.org/no-scheme"}


def test_a_document_that_cannot_be_written_is_reported_by_line(tmp_path: Path, monkeypatch) -> None:
    from kg import rdf

    real = rdf.document_nquads

    def failing(result):
        if result.document.doc_id == "m2":
            raise ValueError("no IRI")
        return real(result)

    monkeypatch.setattr(rdf, "document_nquads", failing)
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "m1", "text": "人民网推出了人民建议平台。"}\n{"id": "m2", "text": "新华网推出了民意通平台。"}\n', encoding="utf-8")
    report = build([feed], tmp_path / "out")
    assert report.documents == 1
    assert report.added == 1  # the failed record is not counted as added
    assert [(Path(e.source).name, e.line, "no IRI" in e.message) for e in report.errors] == [("feed.jsonl", 2, True)]


def test_a_new_pipeline_version_reprocesses_everything(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    import kg.pipeline

    out = tmp_path / "out"
    monkeypatch.setattr(kg.pipeline, "fingerprint", lambda model: "pipeline-1")
    build([corpus], out)
    assert build([corpus], out).unchanged == 4
    monkeypatch.setattr(kg.pipeline, "fingerprint", lambda model: "pipeline-2")
    report = build([corpus], out)
    assert (report.changed, report.unchanged, report.documents) == (4, 0, 4)


def test_store_is_compacted_after_a_large_write_only(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    from kg import pipeline

    compactions: list[bool] = []
    monkeypatch.setattr(Store, "optimize", lambda self, named_graphs=True: compactions.append(named_graphs))
    monkeypatch.setattr(pipeline, "OPTIMIZE_AFTER", 4)
    out = tmp_path / "out"
    build([corpus], out)  # 4 new documents: large enough
    assert compactions == [True]  # the named graphs too: the exports read them next
    build([corpus], out)  # nothing written
    write(corpus, {"a.txt": ARTICLES["a.txt"] + "会议由人民网承办。"})
    build([corpus], out)  # 1 changed document of 4: too small
    assert compactions == [True]
    build([corpus], tmp_path / "bare", exports=False)
    assert compactions == [True, False]  # no exports: the merged graph alone, which queries read


def test_manifest_blobs_stay_plain_zlib_streams() -> None:
    """Manifests written before ISA-L packed them (plain zlib) read back, and new ones read with plain zlib."""
    import zlib

    from kg.manifest import pack, unpack

    text = "人民网主办了2024网上群众工作大会。\n" * 40
    assert zlib.decompress(pack(text)).decode("utf-8") == text
    assert unpack(zlib.compress(text.encode("utf-8"), 1)) == text
    assert len(pack(text)) < len(text.encode("utf-8")) // 4


def test_undecodable_file_names_and_lone_surrogate_ids_do_not_stop_the_corpus(corpus: Path, tmp_path: Path) -> None:
    (corpus / os.fsdecode(b"bad\xff\xfename.txt")).write_text("人民网在北京发布了年度报告。", encoding="utf-8")
    (corpus / "records.jsonl").write_text('{"id": "a\\ud800b", "text": "新华社在上海发布了报告。"}\n', encoding="utf-8")
    report = build([corpus], tmp_path / "out")
    assert report.ok and report.added == len(list(corpus.iterdir()))
    expected = ["bad\\xff\\xfename.txt", "a\\ud800b"]  # the bytes and the surrogate, written out
    with Manifest.open(tmp_path / "out") as manifest:
        assert set(manifest.lookup(expected)) == set(expected)


def test_out_that_is_a_file_or_held_by_another_build_is_refused_with_a_message(corpus: Path, tmp_path: Path) -> None:
    import fcntl

    from kg.pipeline import BuildError

    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    with pytest.raises(BuildError, match="is a file"):
        build([corpus], afile)
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".build.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(BuildError, match="another kg build"):
            build([corpus], out)
    assert build([corpus], out).added > 0  # the lock is free again
