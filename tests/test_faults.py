"""Fault injection: a failed write at any step of ``kg build`` stops it with a message, loses
nothing the manifest records, and the next build gives the graph a clean build gives.

Every write step (store adds, drops, flushes, the corpus graph, compaction, the dump, the
manifest's statements and commits, the export files and their renames) fails in turn, on its
first and on its last call, during an update of a built corpus (documents changed, added and
removed) and during a first build. After the failure the store and the manifest must be
readable and agree: every document the manifest gives a hash for has in the store exactly the
graph a clean build gives that version. The build is then run again without the fault and
must give the same sorted N-Quads (store and graph.nq) as a clean build into a fresh folder.
A real filesystem that fills up (a tmpfs in a user and mount namespace) checks the same where
mounting is permitted.
"""

from __future__ import annotations

import errno
import functools
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import merged_matches_graphs

import kg.pipeline as pipeline
import kg.rdf as rdf
from kg.cli import main
from kg.manifest import Manifest, _Transaction
from kg.namespace import document_iri
from kg.store import Store

ORGS = ["人民网", "新华网", "光明日报社", "中国青年报社", "经济日报社", "中国日报社", "央视网", "中国新闻社"]
CITIES = [("江苏省", "南京市"), ("四川省", "成都市"), ("福建省", "福州市"), ("浙江省", "杭州市"),
          ("湖北省", "武汉市"), ("广东省", "广州市"), ("山东省", "济南市"), ("陕西省", "西安市")]
TOPICS = ["网上群众工作大会", "数字政府论坛", "网络文明论坛", "媒体融合发展论坛", "乡村振兴研讨会",
          "科技创新大会", "文化产业博览会", "青年发展论坛"]
PEOPLE = ["王建国", "李红梅", "张伟", "刘芳", "陈军", "杨华", "赵丽", "黄明"]


def article(i: int, version: int = 1) -> str:
    """A short generated news article; ``version`` 2 changes who hosts the event."""
    org = ORGS[(i + version - 1) % len(ORGS)]
    province, city = CITIES[i % len(CITIES)]
    return (
        f"{i + 1}月{10 + i}日，由{org}主办的{2020 + i}{TOPICS[i]}在{province}{city}举行。"
        f"{PEOPLE[i]}出席会议并讲话。{org}推出了“{TOPICS[i][:2]}留言板”平台，群众可以在平台上留言。"
    )


#: The first corpus; the second changes two articles, removes one and adds one.
V1 = {f"a{i}.txt": article(i) for i in range(7)}
V2 = {**{k: v for k, v in V1.items() if k != "a6.txt"}, "a1.txt": article(1, 2), "a4.txt": article(4, 2), "a7.txt": article(7)}


def write_corpus(folder: Path, files: dict[str, str]) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def shared_pipeline():
    """One loaded pipeline for the module's many builds (each would load the model again)."""
    return pipeline.Pipeline(None)


_REAL_BUILD = pipeline.build


def small_steps(mp: pytest.MonkeyPatch, shared) -> None:
    """Every build here (``kg build`` too) reuses one pipeline, commits two documents at a time and
    compacts the store at its end, so each write step runs, most of them several times."""
    mp.setattr(pipeline, "Pipeline", lambda model=None: shared)
    mp.setattr(pipeline, "OPTIMIZE_AFTER", 1)
    mp.setattr(pipeline, "build", functools.partial(_REAL_BUILD, batch_size=2, commit_size=2))


@pytest.fixture(autouse=True)
def reuse_pipeline(monkeypatch, shared_pipeline):
    small_steps(monkeypatch, shared_pipeline)


def build(corpus: Path, out: Path) -> pipeline.BuildReport:
    return pipeline.build([corpus], out)


def sorted_store_nquads(out: Path) -> list[bytes]:
    with Store.open(out / "store", read_only=True) as store:
        assert merged_matches_graphs(store)
        return sorted(store.store.dump(format=ox.RdfFormat.N_QUADS).splitlines())


def graph_of(store: Store, doc_id: str) -> list[str]:
    g = ox.NamedNode(str(document_iri(doc_id)))
    return sorted(str(q) for q in store.store.quads_for_pattern(None, None, None, g))


@dataclass
class Reference:
    """A clean build: its folder, and each document's manifest hash and graph."""

    out: Path
    graphs: dict[str, tuple[str, list[str]]]


def reference(corpus: Path, out: Path) -> Reference:
    build(corpus, out)
    with Manifest.open(out) as m, Store.open(out / "store", read_only=True) as store:
        known = m.lookup(m.doc_ids())
        return Reference(out, {d: (k.hash, graph_of(store, d)) for d, k in known.items()})


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The corpus folder: the first version is built from it, then it holds the second."""
    return tmp_path_factory.mktemp("faults") / "corpus"


@pytest.fixture(scope="module")
def refs(corpus: Path, shared_pipeline) -> dict[str, Reference]:
    """Clean builds of both versions of ``corpus`` (sources and hashes name its path), which is left at V2."""
    with pytest.MonkeyPatch.context() as mp:
        small_steps(mp, shared_pipeline)
        v1 = reference(write_corpus(corpus, V1), corpus.parent / "clean-v1")
        v2 = reference(write_corpus(corpus, V2), corpus.parent / "clean-v2")
    return {"v1": v1, "v2": v2}


def assert_consistent(out: Path, refs: dict[str, Reference]) -> None:
    """The state a failed build leaves: readable, and the manifest claims only what the store holds whole."""
    versions = {h: g for r in refs.values() for h, g in r.graphs.values()}
    with Manifest.open(out) as m, Store.open(out / "store", read_only=True) as store:
        assert store.query("ASK { ?s ?p ?o }") is not None  # it answers queries
        for doc_id, known in m.lookup(m.doc_ids()).items():
            if known.hash:
                assert known.hash in versions, doc_id
                assert graph_of(store, doc_id) == versions[known.hash], f"{doc_id}: stored graph differs from its recorded version"
    for name in pipeline.EXPORTS:  # each export is whole, old or new
        if name.startswith("graph.") and (out / name).exists():
            fmt = {"nq": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG}[name.rsplit(".", 1)[1]]
            list(ox.parse(path=str(out / name), format=fmt))
    assert not [p.name for p in out.iterdir() if p.name.startswith(".exports.")]


def assert_same_as_clean(out: Path, clean: Reference) -> None:
    assert sorted_store_nquads(out) == sorted_store_nquads(clean.out)
    for name in pipeline.EXPORTS:
        assert (out / name).read_bytes() == (clean.out / name).read_bytes(), name


ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
DISK_FULL = sqlite3.OperationalError("database or disk is full")


def _failing_commit(real: Callable) -> Callable:
    """A manifest transaction whose COMMIT fails as SQLite's does on a full disk (rolled back)."""

    def exit_(self, exc_type, *rest):
        if exc_type is None:
            real(self, DISK_FULL.__class__, *rest)
            raise DISK_FULL
        return real(self, exc_type, *rest)

    return exit_


#: Write steps: (where, attribute, the error raised); commit failures wrap the real call.
STEPS = {
    "store add": (Store, "add_graphs", ENOSPC),
    "store drop": (Store, "drop_graphs", ENOSPC),
    "store flush": (Store, "flush", OSError(errno.EIO, "IO error: No space left on device: While appending to file")),
    "corpus graph": (Store, "replace_graph", ENOSPC),
    "compaction": (Store, "optimize", ENOSPC),
    "store dump": (Store, "dump", OSError(errno.EIO, os.strerror(errno.EIO))),
    "manifest invalidate": (Manifest, "invalidate", DISK_FULL),
    "manifest put": (Manifest, "put", ENOSPC),
    "manifest put sqlite": (Manifest, "put", DISK_FULL),
    "manifest touch": (Manifest, "touch", DISK_FULL),
    "manifest delete": (Manifest, "delete", DISK_FULL),
    "manifest commit": (_Transaction, "__exit__", None),
    "export file": (pipeline, "atomic_write", ENOSPC),
    "turtle/trig file": (rdf, "atomic_write", ENOSPC),
    "export rename": (pipeline, "_replace", OSError(errno.EACCES, os.strerror(errno.EACCES))),
}


def inject(monkeypatch: pytest.MonkeyPatch, step: str, at: int | None) -> list[int]:
    """Make ``step`` fail on its ``at``-th call (None: only count the calls); returns the call counter."""
    owner, attr, error = STEPS[step]
    real = getattr(owner, attr)
    calls = [0]
    failing = _failing_commit(real) if error is None else None

    def wrapper(*args, **kwargs):
        calls[0] += 1
        if calls[0] == at:
            if failing is not None:
                return failing(*args, **kwargs)
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, attr, wrapper)
    return calls


@pytest.fixture(scope="module")
def update_calls(refs, corpus: Path, tmp_path_factory, shared_pipeline) -> dict[str, int]:
    """How often each step runs in the update of the first corpus to the second."""
    out = tmp_path_factory.mktemp("count") / "out"
    shutil.copytree(refs["v1"].out, out)
    with pytest.MonkeyPatch.context() as mp:
        small_steps(mp, shared_pipeline)
        counters = {step: inject(mp, step, None) for step in STEPS}
        build(corpus, out)
        return {step: c[0] for step, c in counters.items()}


def failed_cli_build(corpus: Path, out: Path) -> str:
    """``kg build`` with a fault in place: exit status 1, one message naming what failed, no traceback."""
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(out)])
    output = result.output  # stdout and stderr as a terminal shows them
    assert result.exit_code == 1, output
    assert isinstance(result.exception, SystemExit), result.exception  # a message, not an exception
    assert "Traceback" not in output and "cannot write" in output, output
    return output


@pytest.mark.parametrize("which", ["first", "last"])
@pytest.mark.parametrize("step", list(STEPS))
def test_a_failed_write_during_an_update_loses_nothing_and_the_next_build_completes(
    step: str, which: str, refs, update_calls, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = update_calls[step]
    assert calls >= 1, f"{step} never runs in an update"
    out = tmp_path / "out"
    shutil.copytree(refs["v1"].out, out)
    with monkeypatch.context() as mp:
        inject(mp, step, 1 if which == "first" else calls)
        message = failed_cli_build(corpus, out)
    assert str(out) in message
    assert_consistent(out, refs)
    report = build(corpus, out)
    assert report.ok and report.documents == len(V2) and report.repaired == 0
    assert report.added + report.changed + report.unchanged == len(V2)  # none lost, none counted twice
    assert_same_as_clean(out, refs["v2"])


@pytest.mark.parametrize("step", ["store add", "store flush", "manifest put", "manifest commit", "export file"])
def test_a_failed_write_during_a_first_build_is_completed_by_the_next(
    step: str, refs, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    with monkeypatch.context() as mp:
        inject(mp, step, 2)
        with pytest.raises(pipeline.WriteError, match="cannot write"):
            build(corpus, out)
    assert_consistent(out, refs)
    report = build(corpus, out)
    assert report.ok and report.added + report.unchanged == len(V2) and report.changed == 0
    assert_same_as_clean(out, refs["v2"])


def test_a_store_that_lost_documents_is_repaired_by_the_next_build(refs, corpus: Path, tmp_path: Path) -> None:
    """A store holding less than its manifest records (written by a build without these guards), and a
    document graph the manifest does not record, whose file is gone."""
    out = tmp_path / "out"
    shutil.copytree(refs["v1"].out, out)
    with Store.open(out / "store") as store:
        store.drop_graphs([document_iri("a2.txt"), document_iri("a5.txt")])
    with Manifest.open(out) as m, m.transaction():
        m.delete(["a6.txt"])  # its file is not in the second version: only the store still holds it
    report = build(corpus, out)
    assert report.ok and report.repaired == 2 and report.removed == 0
    assert (report.added, report.changed, report.unchanged) == (3, 2, len(V2) - 5)
    assert_same_as_clean(out, refs["v2"])


def test_a_failed_record_is_not_counted_as_added(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        f'{{"id": "m1", "text": "{article(0)}"}}\n{{"id": "m2", "text": \n{{"id": "m3", "text": "{article(1)}"}}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["build", str(feed), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "2 added, 0 changed" in result.output and "feed.jsonl:2" in result.output


# --------------------------------------------------------------------------- a real full disk

_FILL_AND_REBUILD = textwrap.dedent(
    """
    set -e
    mount -t tmpfs -o size={size} tmpfs "$1"
    status=0
    "$2" build "$3" --out "$1/out" > "$4/first.out" 2> "$4/first.err" || status=$?
    echo $status > "$4/first.status"
    cp -a "$1/out" "$4/after-failure"
    """
)


def _can_mount(tmp_path: Path) -> str | None:
    """Why a tmpfs cannot be mounted here (None when it can)."""
    if not shutil.which("unshare"):
        return "unshare is not installed"
    probe = tmp_path / "probe"
    probe.mkdir()
    done = subprocess.run(["unshare", "-rm", "mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(probe)],
                          capture_output=True, text=True)
    return None if done.returncode == 0 else f"mounting a tmpfs is not permitted: {done.stderr.strip()}"


@pytest.mark.parametrize("size", ["1200k", "2500k"])
def test_a_real_filesystem_that_fills_up(size: str, tmp_path: Path) -> None:
    """A build of the corpus (copied ten times over) into a tmpfs too small for it: the build stops
    with a message, what it leaves is consistent, and the folder rebuilt with space equals a clean build."""
    if reason := _can_mount(tmp_path):
        pytest.skip(reason)
    files = {f"{n}-{name}": text for n in range(10) for name, text in V1.items()}
    corpus = write_corpus(tmp_path / "big", files)
    mnt, keep = tmp_path / "mnt", tmp_path / "keep"
    mnt.mkdir()
    keep.mkdir()
    script = tmp_path / "fill.sh"
    script.write_text(_FILL_AND_REBUILD.format(size=size))
    env = {**os.environ, "PYTHONPATH": str(Path(pipeline.__file__).parent.parent)}
    kg = Path(sys.executable).with_name("kg")
    subprocess.run(["unshare", "-rm", "sh", str(script), str(mnt), str(kg), str(corpus), str(keep)],
                   check=True, env=env, timeout=600)
    status = int((keep / "first.status").read_text())
    err = (keep / "first.err").read_text()
    assert status == 1, err
    assert "Traceback" not in err and "No space left on device" in err and "cannot write" in err, err
    clean = reference(corpus, tmp_path / "clean")
    out = keep / "after-failure"
    assert_consistent(out, {"clean": clean})
    report = pipeline.build([corpus], out)
    assert report.ok and report.documents == len(files)
    assert report.added + report.unchanged == len(files)
    assert sorted_store_nquads(out) == sorted_store_nquads(clean.out)
    assert (out / "graph.nq").read_bytes() == (clean.out / "graph.nq").read_bytes()
