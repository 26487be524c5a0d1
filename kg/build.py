"""The library entry points: ``extract`` facts from articles, ``build`` the graph.

Both stream: files are read, normalised and extracted one batch at a
time. ``build`` then writes the RDF files and the Oxigraph store; a file
that cannot be read is reported (with its line) and the rest still builds.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.extract import Extractor
from kg.types import Conflict, Document, DocumentResult, Fact, InputError, ReprintLink


@dataclass
class BuildReport:
    """What a build did; ``ok`` is False when some inputs could not be read."""

    out_dir: Path | None
    documents: int = 0
    facts: int = 0
    entities: int = 0
    errors: list[InputError] = field(default_factory=list)
    reprints: list[ReprintLink] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def load_nlp(model: str | None = None):
    """The NER pipeline: the shipped model unless ``model`` names another."""
    from kg import ner

    return ner.load(model)


def documents(inputs: Iterable[str | Path], errors: list[InputError]) -> Iterator[Document]:
    """Normalised documents of files and directories; unreadable inputs go to ``errors``."""
    from kg.ingest import read_corpus
    from kg.normalize import normalize

    for item in read_corpus(inputs):
        if isinstance(item, InputError):
            errors.append(item)
            continue
        try:
            yield normalize(item)
        except Exception as exc:  # one bad document must not stop the corpus
            errors.append(InputError(item.source, f"cannot normalise: {exc}", item.line))


def process(inputs: Iterable[str | Path], model: str | None = None, errors: list[InputError] | None = None) -> Iterator[DocumentResult]:
    """Per-document results, streamed."""
    errors = [] if errors is None else errors
    extractor = Extractor(load_nlp(model))
    yield from extractor.process(documents(inputs, errors))


def extract(inputs: Iterable[str | Path], model: str | None = None, errors: list[InputError] | None = None) -> Iterator[Fact]:
    """Facts exactly as ``spec/facts.md`` describes them, document by document.

    >>> for fact in extract(["data/seeds"]):  # doctest: +SKIP
    ...     print(fact.to_json())
    """
    for result in process(inputs, model, errors):
        yield from result.facts


def build(inputs: Iterable[str | Path], out_dir: str | Path, model: str | None = None) -> BuildReport:
    """Build ``out_dir/graph.ttl``, ``graph.trig``, ``facts.jsonl`` and the store ``out_dir/store``."""
    from kg import rdf
    from kg.reprints import find_conflicts, find_reprints
    from kg.store import Store

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = BuildReport(out)
    results = list(process(inputs, model, report.errors))
    report.reprints = find_reprints(results)
    report.conflicts = find_conflicts(results, report.reprints)
    quads = [q for r in results for q in rdf.document_quads(r)]
    quads += rdf.corpus_quads(report.reprints, report.conflicts)
    rdf.write_outputs(quads, out)
    write_facts(results, out / "facts.jsonl")
    store = Store.open(out / "store")
    for r in results:
        from kg.namespace import document_iri

        store.replace_graph(document_iri(r.document.doc_id), rdf.document_quads(r))
    store.replace_graph(rdf.CORPUS_GRAPH, rdf.corpus_quads(report.reprints, report.conflicts))
    report.documents = len(results)
    report.facts = sum(1 for r in results for f in r.facts if f.predicate != "type")
    report.entities = len({e.key for r in results for e in r.entities})
    return report


def write_facts(results: Iterable[DocumentResult], path: Path) -> None:
    """All facts as JSON lines, written to a temporary file and renamed into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        for r in results:
            for fact in r.facts:
                f.write(json.dumps(fact.to_json(), ensure_ascii=False) + "\n")
    os.replace(tmp, path)
