"""The per-document pipeline as one function, run in-process, in a process pool or in Spark.

``Pipeline.run(raws)`` takes a batch of raw documents and returns, for each,
everything the build keeps: the document's named graph as N-Quads lines,
its facts as JSON lines, its normalised text and its reprint sketch (or an
``InputError``). Workers do all the per-document work, including the RDF
serialisation, so the parent only moves bytes into the store.

``run_batches`` maps it over batches with N worker processes; each loads
the NER model once, in the pool initialiser. Results come back in input
order and at most a few batches are in flight, so memory stays flat
however long the input is.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg import reprints
from kg.types import DocumentResult, InputError, RawDocument

#: Documents handed to a worker at a time: large enough to amortise the
#: pickling and nlp.pipe set-up, small enough to keep memory flat.
BATCH_SIZE = 128


@dataclass(frozen=True)
class DocOutput:
    """One processed document, ready for the store and the manifest."""

    doc_id: str
    source: str
    path: str
    hash: str
    nquads: bytes  # the document's named graph, one N-Quad a line, sorted, UTF-8 (what the store reads)
    facts_jsonl: str
    facts: int
    text: str
    sketch: tuple[int, ...]

    def to_json(self) -> str:
        """One line of the Spark job's record files."""
        return json.dumps(
            {
                "doc_id": self.doc_id,
                "source": self.source,
                "path": self.path,
                "hash": self.hash,
                "facts_jsonl": self.facts_jsonl,
                "facts": self.facts,
                "text": self.text,
                "sketch": list(self.sketch),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, line: str) -> DocOutput:
        d = json.loads(line)
        return cls(
            d["doc_id"], d["source"], d["path"], d["hash"], b"", d["facts_jsonl"], d["facts"], d["text"], tuple(d["sketch"])
        )


def record_hash(raw: RawDocument) -> str:
    """What decides whether a document changed: its text and the record's metadata."""
    import hashlib

    h = hashlib.sha256(raw.raw_text.encode("utf-8"))
    for value in (raw.title, raw.date, raw.publisher, raw.url, raw.html_title, raw.source):
        h.update(b"\x1f" + (value or "").encode("utf-8"))
    return h.hexdigest()


@lru_cache(maxsize=1024)
def _resolved(source: str) -> str:
    """A source's absolute path; the records of one JSONL file share it, so it is worked out once."""
    return str(Path(source).resolve())


class Pipeline:
    """Normalise, extract, serialise: the whole per-document pipeline, one instance per process."""

    def __init__(self, model: str | None = None, nlp: object | None = None) -> None:
        import warnings

        from kg.extraction.extractor import Extractor

        if nlp is None:
            from kg import ner

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                nlp = ner.load(model)
        from kg.ner import BoundedPipe

        self.extractor = Extractor(BoundedPipe(nlp))  # type: ignore[arg-type]
        self._frozen = False
        log = os.environ.get("KG_PIPELINE_LOG")
        if log:  # diagnostics (and tests): which processes loaded the model
            with open(log, "a") as f:
                f.write(f"{os.getpid()}\n")

    def results(self, raws: Iterable[RawDocument]) -> Iterator[DocumentResult | InputError]:
        """``DocumentResult`` per document; a document that cannot be normalised becomes an error."""
        from kg.normalize import normalize

        docs = []
        errors = []
        for raw in raws:
            try:
                docs.append(normalize(raw))
            except Exception as exc:  # one bad document must not stop the corpus
                errors.append(InputError(raw.source, f"cannot normalise: {exc}", raw.line))
        yield from errors
        yield from self.extractor.process(docs)

    def run(self, raws: list[RawDocument]) -> list[DocOutput | InputError]:
        from kg import rdf

        by_id = {raw.doc_id: raw for raw in raws}
        out: list[DocOutput | InputError] = []
        for r in self.results(raws):
            if isinstance(r, InputError):
                out.append(r)
                continue
            d = r.document
            raw = by_id[d.doc_id]
            try:
                nquads = rdf.document_nquads(r).encode("utf-8")
            except ValueError as exc:  # e.g. a record's url that is no IRI
                out.append(InputError(raw.source, f"cannot write RDF: {exc}", raw.line))
                continue
            facts = "".join(f.to_json_line() + "\n" for f in r.facts)
            out.append(
                DocOutput(
                    doc_id=d.doc_id,
                    source=d.source,
                    path=_resolved(d.source),
                    hash=record_hash(raw),
                    nquads=nquads,
                    facts_jsonl=facts,
                    facts=sum(1 for f in r.facts if f.predicate != "type"),
                    text=d.text,
                    sketch=reprints.sketch(d.text),
                )
            )
        if not self._frozen:
            # After the first batch the model and every lazily read lexicon are
            # loaded and live as long as the process: keep them out of the cyclic
            # collector's scans (about a tenth of a build's time).
            gc.freeze()
            self._frozen = True
        return out


# --------------------------------------------------------------------------- process pool

_WORKER: Pipeline | None = None


def _init_worker(model: str | None) -> None:
    global _WORKER
    _WORKER = Pipeline(model)


def _run_in_worker(raws: list[RawDocument]) -> list[DocOutput | InputError]:
    assert _WORKER is not None, "pool initialiser did not run"
    return _WORKER.run(raws)


def batched(items: Iterable[RawDocument], size: int = BATCH_SIZE) -> Iterator[list[RawDocument]]:
    batch: list[RawDocument] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_batches(
    batches: Iterable[list[RawDocument]], model: str | None = None, jobs: int = 1, pipeline: Pipeline | None = None
) -> Iterator[list[DocOutput | InputError]]:
    """Run the pipeline over batches, in order; ``jobs > 1`` uses that many worker processes."""
    if jobs <= 1:
        local = pipeline or Pipeline(model)
        for batch in batches:
            yield local.run(batch)
        return
    # spawn: workers start clean (no inherited store handles or threads) and load the model once each.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker, initargs=(model,)) as pool:
        pending: deque[Future[list[DocOutput | InputError]]] = deque()
        for batch in batches:
            pending.append(pool.submit(_run_in_worker, batch))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def default_jobs() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
