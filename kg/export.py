"""Export the store to a file in any of the six RDF syntaxes.

Quad syntaxes (N-Quads, TriG, JSON-LD) keep each article's named graph;
triple syntaxes (N-Triples, Turtle, RDF/XML) hold the merged graph, every
distinct triple once. Oxigraph serialises; the file appears atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.store import Store, rdf_format

#: The export formats, by the name ``kg export --format`` takes.
EXPORT_FORMATS: tuple[str, ...] = ("nt", "nq", "ttl", "trig", "jsonld", "xml")


@dataclass(frozen=True)
class ExportReport:
    path: Path
    format: str
    quads: bool  # True when named graphs were kept
    statements: int  # quads in the store (quad formats) or distinct triples (triple formats)


def export(store: Store | str | Path, fmt: str, output: str | Path) -> ExportReport:
    """Write the store to ``output`` in ``fmt`` (one of ``EXPORT_FORMATS``)."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
    own = not isinstance(store, Store)
    s: Any = Store.open(store, read_only=True) if own else store
    try:
        f = rdf_format(fmt)
        path = s.dump(f, output)
        n = s.count() if f.supports_datasets else _distinct_triples(s)
        return ExportReport(path, fmt, f.supports_datasets, n)
    finally:
        if own:
            s.close()


def _distinct_triples(s: Store) -> int:
    if s.merged is not None:
        return len(s.merged)
    q = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } }"
    for row in s.query(q, use_default_graph_as_union=False):
        return int(row[0].value)
    return 0
