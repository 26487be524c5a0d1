"""The library entry points: ``extract`` facts from articles, ``build`` the graph.

``build`` is incremental and idempotent. Every document is keyed by a hash
of its record (and of the pipeline that reads it); the manifest in the
output directory (:mod:`kg.manifest`) says which hash the store holds for
each document id. A build streams the inputs, sends only new or changed
documents through the pipeline (in-process, in a process pool or in
Spark), replaces their named graphs in the store batch by batch, drops the
graphs of documents whose files are gone, and recomputes the corpus graph
(reprints, conflicts) from what the manifest keeps. Re-running on the same
input changes nothing.

Crash safety: a batch is written to the store and flushed to disk first,
and recorded in the manifest after, so a build killed or stopped by a failed
write (a full disk, an I/O error, a permission) at any point leaves a
readable store and a manifest that never claims more than the store holds;
the next build redoes the unrecorded documents, and on opening drops from
the manifest any document whose graph the store lacks and from the store
any document graph the manifest does not record. A failed write stops the
build with a ``WriteError`` naming what could not be written. The exports
(graph.nq, graph.ttl, graph.trig, facts.jsonl) are written into a
temporary folder and renamed into place together once all are whole.
"""

from __future__ import annotations

import fcntl
import hashlib
import heapq
import os
import shutil
import sqlite3
import tempfile
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from kg.counts import GraphCounts, graph_counts
from kg.files import atomic_write
from kg.manifest import MANIFEST_NAME, DocRecord, Manifest
from kg.scale import BATCH_SIZE, DocOutput, Pipeline, batched, record_hash, run_batches
from kg.types import Conflict, Document, DocumentResult, Fact, InputError, RawDocument, ReprintLink

#: Lines of N-Quads sorted in memory at a time when writing the canonical dump.
_SORT_CHUNK = 100_000


@dataclass
class BuildReport:
    """What a build did; ``ok`` is False when some inputs could not be read."""

    out_dir: Path | None
    documents: int = 0  # documents the store holds after the build
    facts: int = 0  # relation facts the store holds
    entities: int = 0
    errors: list[InputError] = field(default_factory=list)
    reprints: list[ReprintLink] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    counts: GraphCounts | None = None  # what the store holds after the build (kg.counts)
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    repaired: int = 0  # documents the manifest recorded but the store had lost (processed again)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def processed(self) -> int:
        return self.added + self.changed

    def count_processed(self, new: bool) -> None:
        """A document the store took: new, or a changed version of one it held."""
        if new:
            self.added += 1
        else:
            self.changed += 1


def load_nlp(model: str | None = None):
    """The NER pipeline: the shipped model unless ``model`` names another."""
    from kg import ner

    return ner.load(model)


def raw_documents(inputs: Iterable[str | Path], errors: list[InputError]) -> Iterator[RawDocument]:
    """Raw documents of files and directories, streamed; unreadable inputs go to ``errors``."""
    from kg.ingest import read_corpus

    for item in read_corpus(inputs):
        if isinstance(item, InputError):
            errors.append(item)
        else:
            yield item


def documents(inputs: Iterable[str | Path], errors: list[InputError]) -> Iterator[Document]:
    """Normalised documents of files and directories; unreadable inputs go to ``errors``."""
    from kg.normalize import normalize

    for raw in raw_documents(inputs, errors):
        try:
            yield normalize(raw)
        except Exception as exc:  # one bad document must not stop the corpus
            errors.append(InputError(raw.source, f"cannot normalise: {exc}", raw.line))


def process(inputs: Iterable[str | Path], model: str | None = None, errors: list[InputError] | None = None) -> Iterator[DocumentResult]:
    """Per-document results, streamed."""
    errors = [] if errors is None else errors
    pipeline = Pipeline(model)
    for r in pipeline.results(raw_documents(inputs, errors)):
        if isinstance(r, InputError):
            errors.append(r)
        else:
            yield r


def extract(inputs: Iterable[str | Path], model: str | None = None, errors: list[InputError] | None = None) -> Iterator[Fact]:
    """Facts exactly as ``docs/facts.md`` describes them, document by document.

    >>> for fact in extract(["data/seeds"]):  # doctest: +SKIP
    ...     print(fact.to_json())
    """
    for result in process(inputs, model, errors):
        yield from result.facts


# --------------------------------------------------------------------------- build


#: The modules whose code decides what a document's graph holds.
PIPELINE_MODULES = (
    "ingest", "normalize", "metadata", "sentences", "lexicon", "ner", "mentions", "titles",
    "resolve", "reprints", "namespace", "types", "rdf", "scale",
)  # fmt: skip


def fingerprint(model: str | None) -> str:
    """Identifies the pipeline: a new model, lexicon or pipeline code makes every document stale."""
    import kg
    from kg.paths import DATA_DIR, MODELS_DIR, PACKAGE_DIR

    h = hashlib.sha256(f"kg {kg.__version__} model {model or 'shipped'}".encode())
    watched = [PACKAGE_DIR / f"{m}.py" for m in PIPELINE_MODULES] + sorted(DATA_DIR.glob("*.yaml"))
    watched += sorted((PACKAGE_DIR / "extraction").glob("*.py")) + sorted((PACKAGE_DIR / "extraction").glob("*.yaml"))
    watched += sorted((DATA_DIR / "lexicon").glob("*"))
    if model is None:
        watched += sorted(MODELS_DIR.glob("*/meta.json"))
    elif Path(model, "meta.json").is_file():
        watched.append(Path(model, "meta.json"))
    for path in watched:
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


#: Documents written to the store and manifest at once, and the N-Quads
#: bytes that close a commit early: each commit is one run of Oxigraph's bulk
#: loader; one commit is stored while the next fills, so at most two are held
#: in memory, and a kill loses at most their work. Each commit also leaves
#: files for the store to compact in the background: on 20,000 messages,
#: commits of 1,024 cost 6.2 s of compaction, of 4,096 about 2 s.
COMMIT_SIZE = 4096
COMMIT_BYTES = 16 * 1024 * 1024


def build(
    inputs: Iterable[str | Path],
    out_dir: str | Path,
    model: str | None = None,
    *,
    jobs: int = 1,
    engine: str = "local",
    spark_master: str | None = None,
    progress: bool = False,
    exports: bool = True,
    batch_size: int = BATCH_SIZE,
    commit_size: int = COMMIT_SIZE,
    on_batch: Callable[[int], None] | None = None,
) -> BuildReport:
    """Bring ``out_dir`` up to date with ``inputs``.

    Writes the Oxigraph store ``out_dir/store``, the manifest, and (unless
    ``exports`` is False) ``graph.nq`` (canonical: sorted N-Quads),
    ``graph.ttl``, ``graph.trig`` and ``facts.jsonl``. Documents whose
    source lies under one of ``inputs`` but which are no longer found are
    retracted; documents from other sources are kept, so a build of a new
    directory adds to the graph. Processed documents reach the store and the
    manifest ``commit_size`` at a time; ``on_batch`` is called with the number
    of documents after each commit (tests use it to interrupt).
    """
    from kg.store import Store

    inputs = [str(p) for p in inputs]
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out}: is a file; --out names the folder the graph is written to")
    if engine not in ("local", "spark"):
        raise ValueError(f"unknown engine {engine!r} (local or spark)")
    with _writing(f"the output folder {out}"):
        out.mkdir(parents=True, exist_ok=True)
    report = BuildReport(out)
    fp = fingerprint(model)
    with _exclusive(out), _open_manifest(out) as manifest:
        _clear_leftovers(out)
        with _writing(_manifest_name(out)):
            run = manifest.start_run()
        with _writing(_store_name(out)):
            store = Store.open(out / "store")
        try:
            _repair(out, manifest, store, report)
            if engine == "spark":
                _build_spark(inputs, out, model, spark_master, fp, run, manifest, store, report)
            else:
                _build_local(inputs, model, jobs, progress, batch_size, fp, run, manifest, store, report, on_batch, commit_size)
            _retract(inputs, out, run, manifest, store, report)
            _finish(out, manifest, store, report, exports)
        except BaseException:
            _close_quietly(store)  # the first failure is the one to report
            raise
        with _writing(_store_name(out)):
            _close(store)
    return report


def _finish(out: Path, manifest: Manifest, store, report: BuildReport, exports: bool) -> None:
    """The corpus graph, counts, compaction and exports, once every document is stored."""
    with _writing(_store_name(out)):
        _corpus(manifest, store, report)
        report.documents, report.facts = manifest.count()
        if _worth_optimizing(report):
            store.optimize(named_graphs=exports)  # the named graphs are read next only by the exports
        report.counts = graph_counts(store)
    report.entities = report.counts.entities
    if exports:
        with _writing(f"the exports (graph.nq, graph.ttl, graph.trig, facts.jsonl) in {out}"):
            write_exports(store, manifest, out)


class BuildError(Exception):
    """The build cannot start (the output folder is a file, another build holds it) or cannot go on."""


class WriteError(BuildError):
    """A write to the output folder failed (a full disk, an I/O error, a permission): the build stopped."""


def _store_name(out: Path) -> str:
    return f"the store {out / 'store'}"


def _manifest_name(out: Path) -> str:
    return f"the manifest {out / MANIFEST_NAME}"


@contextmanager
def _writing(what: str) -> Iterator[None]:
    """Turn a failed write (``OSError``, SQLite's "disk is full") into a ``WriteError`` naming ``what``."""
    try:
        yield
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise WriteError(
            f"cannot write {what}: {reason}. The build stopped; every document the manifest records is in "
            "the store, and the next build, once the cause is fixed, completes the rest"
        ) from exc


@contextmanager
def _open_manifest(out: Path) -> Iterator[Manifest]:
    with _writing(_manifest_name(out)):
        manifest = Manifest.open(out)
    try:
        yield manifest
    finally:
        manifest.close()


#: Names of what a build cut off may leave in the output folder: the export
#: staging folder, the dump's sort runs, and ``atomic_write``'s temporary files.
_LEFTOVER_PREFIXES = (".exports.", ".dump.", ".facts.jsonl.", ".graph.nq.", ".graph.ttl.", ".graph.trig.")


def _clear_leftovers(out: Path) -> None:
    """Remove what an earlier build, killed or stopped by a full disk, left half-written (under the lock)."""
    for p in out.iterdir():
        if p.name.startswith(_LEFTOVER_PREFIXES):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)


def _repair(out: Path, manifest: Manifest, store, report: BuildReport) -> None:
    """Bring the manifest and the store's document graphs back in step.

    A document the manifest vouches for but whose graph the store lacks (a
    store that lost writes) is forgotten, so this build processes it again;
    a document graph the manifest does not record (a commit stored but never
    recorded, whose file is gone since) is dropped. Rows the manifest
    invalidated before a rewrite that was cut off are processed again anyway.
    """
    from kg.namespace import document_iri

    recorded = {str(document_iri(d)) for d in manifest.doc_ids()}
    claimed = {str(document_iri(d)): d for d in manifest.claimed()}
    prefix = str(document_iri("x"))[:-1]
    stored = {g for g in store.graphs() if g.startswith(prefix)}
    lost = sorted(d for g, d in claimed.items() if g not in stored)
    orphans = sorted(g for g in stored if g not in recorded)
    with _writing(_store_name(out)):
        _drop_graphs(store, orphans)
        store.flush()
    with _writing(_manifest_name(out)), manifest.transaction():
        manifest.delete(lost)
    report.repaired = len(lost)


@contextmanager
def _exclusive(out: Path) -> Iterator[None]:
    """Hold ``out/.build.lock`` for the build: a second build into the same folder stops at once."""
    with _writing(f"the output folder {out}"):
        handle = open(out / ".build.lock", "a+b")  # noqa: SIM115 (closed below)
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"{out}: another kg build is writing to this folder; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


#: Documents a run must write before the store is compacted at its end.
OPTIMIZE_AFTER = 1000


def _worth_optimizing(report: BuildReport) -> bool:
    """Compact after a large write: a freshly written store reads about a third slower.

    Small daily additions to a big store skip it; compaction costs time in proportion to the store.
    """
    written = report.added + report.changed + report.removed
    return written >= OPTIMIZE_AFTER and written * 10 >= report.documents


def _key(raw_hash: str, fp: str) -> str:
    return hashlib.sha256(f"{raw_hash}:{fp}".encode()).hexdigest()


def _build_local(
    inputs: list[str],
    model: str | None,
    jobs: int,
    progress: bool,
    batch_size: int,
    fp: str,
    run: int,
    manifest: Manifest,
    store,
    report: BuildReport,
    on_batch: Callable[[int], None] | None,
    commit_size: int,
) -> None:
    bar = _progress(inputs, progress)

    def changed() -> Iterator[RawDocument]:
        """The documents that need the pipeline; unchanged ones are marked seen on the way."""
        for chunk in batched(raw_documents(inputs, report.errors), 512):
            known = manifest.lookup([r.doc_id for r in chunk])
            same = []
            this_chunk: set[str] = set()
            for raw in chunk:
                k = known.get(raw.doc_id)
                if raw.doc_id in this_chunk or (k is not None and k.run == run):
                    report.errors.append(InputError(raw.source, f"duplicate document id {raw.doc_id!r}; later record ignored", raw.line))
                    continue
                this_chunk.add(raw.doc_id)
                if k is not None and k.hash == _key(record_hash(raw), fp):
                    same.append(raw.doc_id)
                else:
                    if k is None:
                        new_ids.add(raw.doc_id)
                    yield raw
            if same:
                with _writing(_manifest_name(store.path.parent)), manifest.transaction():
                    manifest.touch(same, run)
                report.unchanged += len(same)
                bar.update(len(same))

    new_ids: set[str] = set()  # counted as added or changed once processed: a failed one is neither
    pipeline = None if jobs > 1 else Pipeline(model)
    with _Committer(store, manifest, fp, run, on_batch, store.path.parent) as committer:
        pending = _Pending(committer, commit_size)
        for outputs in run_batches(batched(changed(), batch_size), model, jobs, pipeline):
            for o in outputs:
                if isinstance(o, DocOutput):
                    report.count_processed(o.doc_id in new_ids)
                    pending.add(o)
                else:
                    report.errors.append(o)
            bar.update(len(outputs))
        pending.flush()
    bar.close()


class _Pending:
    """Processed documents gathered into commits of ``commit_size`` documents or COMMIT_BYTES."""

    def __init__(self, committer: _Committer, commit_size: int) -> None:
        self.committer, self.commit_size = committer, commit_size
        self.docs: list[DocOutput] = []
        self.bytes = 0

    def add(self, o: DocOutput) -> None:
        self.docs.append(o)
        self.bytes += len(o.nquads)
        if len(self.docs) >= self.commit_size or self.bytes >= COMMIT_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.docs:
            self.committer.submit(self.docs)
        self.docs, self.bytes = [], 0


class _Committer:
    """Writes each commit to the store, then records it in the manifest, in a background thread.

    Oxigraph's bulk loader and SQLite both work without the GIL, so one
    commit is written while the pipeline works on the next. The manifest
    first stops claiming the versions being replaced, the store then takes
    the commit and flushes it to disk, and only then does the manifest
    record it: the manifest never claims what the store lacks.
    """

    def __init__(
        self, store, manifest: Manifest, fp: str, run: int, on_batch: Callable[[int], None] | None, out: Path
    ) -> None:
        self.store, self.manifest, self.fp, self.run, self.on_batch, self.out = store, manifest, fp, run, on_batch, out
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="kg-store")
        self._in_flight: tuple[Future[None], int] | None = None

    def submit(self, docs: list[DocOutput]) -> None:
        """Start writing ``docs`` once the previous commit is written."""
        self.wait()
        self._in_flight = (self._writer.submit(self._commit, docs), len(docs))

    def _commit(self, docs: list[DocOutput]) -> None:
        with _writing(_manifest_name(self.out)), self.manifest.transaction():
            self.manifest.invalidate(o.doc_id for o in docs)
        with _writing(_store_name(self.out)):
            _replace_documents(self.store, docs)
            self.store.flush()  # on disk before the manifest says so
        with _writing(_manifest_name(self.out)), self.manifest.transaction():
            self.manifest.put((_record(o, self.fp) for o in docs), self.run)

    def wait(self) -> None:
        """Finish the commit in flight (its errors surface here)."""
        if self._in_flight is None:
            return
        future, count = self._in_flight
        self._in_flight = None
        future.result()
        if self.on_batch is not None:
            self.on_batch(count)

    def __enter__(self) -> _Committer:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.wait()
        finally:
            self._writer.shutdown()


def _record(o: DocOutput, fp: str) -> DocRecord:
    return DocRecord(o.doc_id, o.source, o.path, _key(o.hash, fp), o.text, o.facts_jsonl, o.facts, o.sketch)


def _build_spark(inputs, out: Path, model, master, fp: str, run: int, manifest: Manifest, store, report: BuildReport) -> None:
    """Run the pipeline as a Spark job, then load its part files like a local batch."""
    from kg import spark
    from kg.namespace import document_iri

    job = spark.run_job(inputs, out / "spark", model=model, master=master)
    try:
        report.errors.extend(job.errors())
        # Graphs of changed documents go first; the bulk load then adds every document's graph.
        for chunk in batched(job.records(), 512):
            known = manifest.lookup([o.doc_id for o in chunk])
            stale = []
            for o in chunk:
                k = known.get(o.doc_id)
                if k is None:
                    report.added += 1
                elif k.hash != _key(o.hash, fp):
                    report.changed += 1
                    stale.append(o.doc_id)
                else:
                    report.unchanged += 1
            with _writing(_store_name(out)):
                _drop_graphs(store, [document_iri(d) for d in stale])
        with _writing(_store_name(out)):
            _bulk_load(store, job.nquads_files())
            store.flush()
        for chunk in batched(job.records(), 512):
            with _writing(_manifest_name(out)), manifest.transaction():
                manifest.put((_record(o, fp) for o in chunk), run)
    finally:
        job.cleanup()


def _retract(inputs: list[str], out: Path, run: int, manifest: Manifest, store, report: BuildReport) -> None:
    """Drop documents under the inputs that this build did not see (their files are gone)."""
    from kg.namespace import document_iri

    scope = [Path(p).resolve() for p in inputs]
    failed = {Path(e.source).resolve() for e in report.errors}
    gone = [d for d, path in manifest.unseen(run, scope) if Path(path) not in failed]
    for chunk in batched(gone, 512):
        with _writing(_manifest_name(out)), manifest.transaction():
            manifest.invalidate(chunk)
        with _writing(_store_name(out)):
            _drop_graphs(store, [document_iri(d) for d in chunk])
            store.flush()  # gone from disk before the manifest forgets them
        with _writing(_manifest_name(out)), manifest.transaction():
            manifest.delete(chunk)
    report.removed = len(gone)


#: Shingles of candidate documents kept between pairs, 8 bytes each: 128 MB at most (a corpus
#: of 3,220 articles holds 4M); past that the least recently used documents' are let go.
_SHINGLES_HELD = 16_000_000


class _Shingles:
    """Each candidate document's shingles, hashed once and kept compact (an array, not a set)."""

    def __init__(self, manifest: Manifest) -> None:
        self.manifest = manifest
        self.held: OrderedDict[str, array[int]] = OrderedDict()
        self.size = 0

    def of(self, doc_id: str) -> array[int]:
        if doc_id in self.held:
            self.held.move_to_end(doc_id)
            return self.held[doc_id]
        from kg.reprints import shingles

        found = array("Q", shingles(self.manifest.text(doc_id)))
        self.held[doc_id] = found
        self.size += len(found)
        while self.size > _SHINGLES_HELD and len(self.held) > 1:
            self.size -= len(self.held.popitem(last=False)[1])
        return found


def _corpus(manifest: Manifest, store, report: BuildReport) -> None:
    """Reprint links and conflicts over the whole stored corpus, replacing the corpus graph."""
    from kg import rdf
    from kg.reprints import compare, find_conflicts

    links = []
    cache = _Shingles(manifest)
    current, current_set = None, set()
    for a, b in manifest.reprint_candidates():  # sorted by a: one set of a's shingles serves its pairs
        if a != current:
            current, current_set = a, set(cache.of(a))
        if link := compare(a, b, current_set, cache.of(b)):
            links.append(link)
    involved = sorted({d for link in links for d in (link.doc_a, link.doc_b)})
    results = [_stored_result(manifest, d) for d in involved]
    report.reprints = links
    report.conflicts = find_conflicts(results, links)
    _replace_graph(store, rdf.CORPUS_GRAPH, rdf.corpus_quads(report.reprints, report.conflicts))


def _stored_result(manifest: Manifest, doc_id: str) -> DocumentResult:
    """Enough of a ``DocumentResult`` for conflict detection, rebuilt from the manifest."""
    text = manifest.text(doc_id)
    doc = Document(doc_id, "", "", text, (), _meta(), "")
    return DocumentResult(doc, [], manifest.facts(doc_id))


def _meta():
    from kg.types import DocMeta

    return DocMeta()


# --------------------------------------------------------------------------- the store


def _close(store) -> None:
    store.close()


def _close_quietly(store) -> None:
    """Let go of the store after a failure; a second failure while flushing would only hide the first."""
    with suppress(OSError):
        _close(store)


def _replace_documents(store, docs: list[DocOutput]) -> None:
    """Replace the batch's document graphs: drop the old versions, then bulk-load the new.

    A kill in between leaves a changed document's graph missing (or partly
    written) while the manifest holds no hash for it (``_Committer``), so the
    next run processes it again, dropping whatever part of it reached the store.
    """
    from kg.namespace import document_iri

    graphs = [str(document_iri(o.doc_id)) for o in docs]
    store.drop_graphs(graphs)
    store.add_graphs(zip(graphs, (o.nquads for o in docs), strict=True))


def _replace_graph(store, graph, quads) -> None:
    store.replace_graph(graph, list(quads))


def _drop_graphs(store, graphs: list) -> None:
    store.drop_graphs(graphs)


def _bulk_load(store, files: list[Path]) -> None:
    for f in files:
        store.bulk_load(f)


def _dump_nquads(store, path: Path) -> None:
    import pyoxigraph

    store.dump(path, pyoxigraph.RdfFormat.N_QUADS)


# --------------------------------------------------------------------------- files


#: The files ``write_exports`` writes, replaced together.
EXPORTS = ("facts.jsonl", "graph.nq", "graph.ttl", "graph.trig")


def write_exports(store, manifest: Manifest, out: Path) -> None:
    """facts.jsonl from the manifest; canonical graph.nq, graph.ttl and graph.trig from the store.

    All four are written into a folder beside them first and renamed into
    place once all are whole: a failed write leaves the previous exports.
    """
    from kg import rdf

    with tempfile.TemporaryDirectory(dir=out, prefix=".exports.") as tmp:
        stage = Path(tmp)
        with atomic_write(stage / "facts.jsonl") as f:
            f.writelines(manifest.facts_lines())
        raw = stage / "dump.nq"
        _dump_nquads(store, raw)
        with atomic_write(stage / "graph.nq") as f:
            f.writelines(_sorted_lines(raw, stage))
        raw.unlink()
        rdf.write_sorted_outputs(lambda: _nquads_file_quads(stage / "graph.nq"), stage)
        for name in EXPORTS:
            _replace(stage / name, out / name)
        _sync_folder(out)


def _replace(src: Path, dst: Path) -> None:
    os.replace(src, dst)


def _sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sorted_lines(path: Path, tmp: Path) -> Iterator[str]:
    """Unique lines of a file in code-point order, sorting in chunks so memory stays bounded."""
    runs: list[Path] = []
    with path.open(encoding="utf-8") as f:
        while True:
            chunk = [line for _, line in zip(range(_SORT_CHUNK), f, strict=False)]
            if not chunk:
                break
            run = tmp / f"run{len(runs)}"
            run.write_text("".join(sorted(set(chunk))), encoding="utf-8")
            runs.append(run)
    files = [r.open(encoding="utf-8") for r in runs]
    try:
        last = None
        for line in heapq.merge(*files):
            if line != last:
                yield line
                last = line
    finally:
        for f in files:
            f.close()


def _nquads_file_quads(path: Path):
    import pyoxigraph

    return pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)


def write_facts(results: Iterable[DocumentResult], path: Path) -> None:
    """All facts as JSON lines, written to a temporary file and renamed into place."""
    with atomic_write(path) as f:
        for r in results:
            for fact in r.facts:
                f.write(fact.to_json_line() + "\n")


def _progress(inputs: list[str], enabled: bool):
    """A tqdm bar (docs/s and ETA) on a terminal; a silent stand-in otherwise."""
    from tqdm import tqdm

    total = estimate_records(inputs) if enabled else None
    return tqdm(total=total, unit="doc", disable=not enabled, smoothing=0.05, dynamic_ncols=True)


def estimate_records(inputs: list[str]) -> int:
    """About how many documents the inputs hold (lines of JSONL/CSV, one per other file), for the ETA."""
    from kg.ingest import FORMATS

    n = 0
    for item in inputs:
        p = Path(item)
        files = [p] if p.is_file() else [f for f in p.rglob("*") if f.suffix.lower() in FORMATS and f.is_file()]
        for f in files:
            if f.suffix.lower() in (".jsonl", ".csv"):
                with f.open("rb") as fh:
                    n += sum(chunk.count(b"\n") for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""))
            else:
                n += 1
    return n
