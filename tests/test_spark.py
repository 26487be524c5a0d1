"""The Spark engine builds the same graph as the local one (Spark in local[2] mode)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="the Spark engine needs the 'spark' extra (pip install 'kg[spark]')")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java: run `make system` (installs default-jre-headless)", allow_module_level=True)

from kg.manifest import Manifest  # noqa: E402
from kg.pipeline import build  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "data" / "seeds"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark_and_local(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("spark")
    spark_out, local_out = root / "spark", root / "local"
    report = build([SEEDS], spark_out, engine="spark", spark_master="local[2]")
    assert report.ok and report.documents == 5 and report.added == 5
    build([SEEDS], local_out)
    return spark_out, local_out


def test_spark_build_equals_local_build(spark_and_local: tuple[Path, Path]) -> None:
    spark_out, local_out = spark_and_local
    for name in ("graph.nq", "facts.jsonl"):
        assert (spark_out / name).read_bytes() == (local_out / name).read_bytes(), name
    assert b"reprintOf" in (spark_out / "graph.nq").read_bytes()  # the corpus graph came along


def test_spark_build_leaves_an_incremental_manifest(spark_and_local: tuple[Path, Path]) -> None:
    spark_out, local_out = spark_and_local
    with Manifest.open(spark_out) as a, Manifest.open(local_out) as b:
        assert a.doc_ids() == b.doc_ids()
        assert a.lookup(a.doc_ids()).keys() == b.lookup(b.doc_ids()).keys()
    before = (spark_out / "graph.nq").read_bytes()
    report = build([SEEDS], spark_out)  # a local build on top of the Spark one has nothing to do
    assert (report.added, report.changed, report.unchanged) == (0, 0, 5)
    assert (spark_out / "graph.nq").read_bytes() == before
    assert not (spark_out / "spark").exists()  # part files cleaned up after loading
