"""``--jobs N``: worker processes give the same output as one process."""

from __future__ import annotations

import json
from pathlib import Path

from kg.pipeline import build
from kg.scale import Pipeline, batched, run_batches
from kg.types import RawDocument

SEEDS = Path(__file__).resolve().parent.parent / "data" / "seeds"

TEMPLATES = [
    "{n}通过{f}反映{p}小区供暖不足，希望有关部门尽快解决。",
    "12月3日，由新华网主办的2022数字政府论坛在{p}举行，{n}出席。",
    "人民网总编辑罗华在会上表示，{f}是倾听群众呼声的重要渠道。",
]


def messages(n: int) -> list[RawDocument]:
    names, places, platforms = ["王建国", "李红梅", "张伟"], ["福建省宁德市", "江西省抚州市"], ["领导留言板", "人民建议"]
    out = []
    for i in range(n):
        text = TEMPLATES[i % 3].format(n=names[i % 3], p=places[i % 2], f=platforms[i % 2])
        out.append(RawDocument(f"m{i:03d}", "feed.jsonl", text, line=i + 1, date="2023-01-10"))
    return out


def test_two_workers_give_the_files_of_one_process(tmp_path: Path) -> None:
    one = build([SEEDS], tmp_path / "one", jobs=1)
    two = build([SEEDS], tmp_path / "two", jobs=2, batch_size=1)
    assert one.ok and two.ok and two.documents == one.documents == 5
    for name in ("graph.nq", "graph.ttl", "graph.trig", "facts.jsonl"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_pool_keeps_input_order_and_matches_in_process() -> None:
    docs = messages(40)
    local = [o for batch in run_batches(batched(docs, 3), jobs=1) for o in batch]
    pooled = [o for batch in run_batches(batched(docs, 3), jobs=2) for o in batch]
    assert [o.doc_id for o in pooled] == [d.doc_id for d in docs]
    assert pooled == local
    assert any(o.facts for o in pooled)


def test_each_worker_loads_the_model_once(tmp_path: Path, monkeypatch) -> None:
    # Every Pipeline a worker builds appends its pid to a log; two workers over many batches → two lines.
    log = tmp_path / "loads.log"
    monkeypatch.setenv("KG_PIPELINE_LOG", str(log))
    outputs = list(run_batches(batched(messages(60), 2), jobs=2))
    assert sum(len(b) for b in outputs) == 60
    pids = log.read_text().split()
    assert len(pids) == len(set(pids)) <= 2


def test_jsonl_errors_are_reported_with_their_line_from_workers(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [json.dumps({"id": d.doc_id, "text": d.raw_text}, ensure_ascii=False) for d in messages(12)]
    lines.insert(5, '{"id": "broken", "text": ')
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = build([feed], tmp_path / "out", jobs=2, batch_size=2)
    assert report.documents == 12
    assert [(Path(e.source).name, e.line) for e in report.errors] == [("feed.jsonl", 6)]


def test_pipeline_is_one_function_for_every_engine() -> None:
    # The pool and Spark call Pipeline.run; in-process results must be the same objects' values.
    pipeline = Pipeline()
    docs = messages(6)
    assert pipeline.run(docs) == [o for b in run_batches(batched(docs, 4), pipeline=pipeline) for o in b]
