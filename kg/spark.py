"""The build's per-document pipeline as an Apache Spark job (``kg build --engine spark``).

The job reads each input path in an executor (``kg.ingest``, so every
format and encoding works as locally), spreads the documents over
partitions, and runs the very ``Pipeline.run`` of :mod:`kg.scale` in
``mapPartitions``; the NER model is loaded lazily, once per Python worker,
and reused by every partition that worker runs. The job writes two sets of
part files under its work directory:

* ``nquads/part-*``: every document's named graph, bulk-loaded into the store;
* ``records/part-*``: one JSON line per document (id, source, hash, facts,
  text, sketch) or per unreadable input, loaded into the manifest so the
  corpus step and later incremental builds work as after a local build.

The work directory must be visible to the driver and the executors (local
disk in ``local[*]`` mode, a shared filesystem on a cluster).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.scale import BATCH_SIZE, DocOutput, Pipeline, batched
from kg.types import InputError, RawDocument

_PIPELINES: dict[str | None, Pipeline] = {}


def _pipeline(model: str | None) -> Pipeline:
    """The executor's pipeline, built on first use and kept for the worker's lifetime."""
    if model not in _PIPELINES:
        _PIPELINES[model] = Pipeline(model)
    return _PIPELINES[model]


def read_input(path: tuple[str, str]) -> Iterator[RawDocument | InputError]:
    """Every record of one input ``(as given, absolute)`` path, read where the task runs.

    The executor reads the absolute path (its working directory may differ
    from the driver's); sources are reported as the user spelled them, as a
    local build does, so both builds give the same graph.
    """
    from dataclasses import replace

    from kg.ingest import read_corpus

    given, absolute = path
    for item in read_corpus([absolute]):
        source = given + item.source[len(absolute) :] if item.source.startswith(absolute) else item.source
        yield replace(item, source=source)


def process_partition(model: str | None, items: Iterable[RawDocument | InputError]) -> Iterator[str]:
    """Lines ``"Q\\t<n-quads>"`` and ``"R\\t<record json>"`` for one partition's documents."""
    raws = []
    for item in items:
        if isinstance(item, InputError):
            yield "R\t" + _error_json(item)
        else:
            raws.append(item)
    pipeline = _pipeline(model) if raws else None
    for batch in batched(raws, BATCH_SIZE):
        assert pipeline is not None
        for out in pipeline.run(batch):
            if isinstance(out, InputError):
                yield "R\t" + _error_json(out)
                continue
            yield "R\t" + out.to_json()
            if out.nquads:
                yield "Q\t" + out.nquads.decode("utf-8").rstrip("\n")


def _error_json(err: InputError) -> str:
    return json.dumps({"error": err.message, "source": err.source, "line": err.line}, ensure_ascii=False)


@dataclass
class SparkJob:
    """The part files a finished job left in ``work_dir``."""

    work_dir: Path

    def nquads_files(self) -> list[Path]:
        return sorted(p for p in (self.work_dir / "nquads").glob("part-*") if p.stat().st_size)

    def _record_lines(self) -> Iterator[str]:
        for part in sorted((self.work_dir / "records").glob("part-*")):
            with part.open(encoding="utf-8") as f:
                yield from f

    def records(self) -> Iterator[DocOutput]:
        for line in self._record_lines():
            if not line.startswith('{"error"'):
                yield DocOutput.from_json(line)

    def errors(self) -> list[InputError]:
        out = []
        for line in self._record_lines():
            if line.startswith('{"error"'):
                d = json.loads(line)
                out.append(InputError(d["source"], d["error"], d["line"]))
        return out

    def cleanup(self) -> None:
        shutil.rmtree(self.work_dir, ignore_errors=True)


def session(master: str | None = None, app_name: str = "kg build"):
    """A SparkSession; ``master`` None keeps what ``spark-submit`` configured (or ``local[*]``)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise RuntimeError("the Spark engine needs pyspark: pip install 'kg[spark]'") from exc
    builder = SparkSession.builder.appName(app_name).config("spark.ui.showConsoleProgress", "false")
    if master:
        builder = builder.master(master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit, which sets the master
        builder = builder.master("local[*]")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_job(
    inputs: Iterable[str | Path],
    work_dir: str | Path,
    model: str | None = None,
    master: str | None = None,
    partitions: int | None = None,
) -> SparkJob:
    """Run the pipeline over ``inputs`` on Spark; the part files land in ``work_dir``."""
    from pyspark import StorageLevel

    work = Path(work_dir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    spark = session(master)
    sc = spark.sparkContext
    paths = [(str(p), str(Path(p).resolve())) for p in inputs]
    n = partitions or max(sc.defaultParallelism * 2, 1)
    lines = (
        sc.parallelize(paths, len(paths))
        .flatMap(read_input)
        .repartition(n)
        .mapPartitions(lambda items: process_partition(model, items))
        .persist(StorageLevel.DISK_ONLY)
    )
    try:
        lines.filter(lambda s: s.startswith("Q\t")).map(lambda s: s[2:]).saveAsTextFile(str(work / "nquads"))
        lines.filter(lambda s: s.startswith("R\t")).map(lambda s: s[2:]).saveAsTextFile(str(work / "records"))
    finally:
        lines.unpersist()
    return SparkJob(work)
