"""The graph store: an embedded Oxigraph database on disk.

rdflib's in-memory SPARQL is pure Python and slows to seconds at a few
hundred thousand triples; Oxigraph answers the same queries from disk in
milliseconds. This wrapper fixes the project's conventions in one place:
queries see the union of all named graphs as their default graph, a
document's graph is replaced as a whole, and terms may be given as rdflib
or pyoxigraph objects.

Beside the named graphs the store keeps the merged graph: every distinct
triple once, in a second database (``merged/`` inside the store). Oxigraph's
union of named graphs hands a triple back once per graph holding it, so a
query joining the type, label and mentions of an entity named in 1,000
articles would walk 1,000³ rows; against the merged graph it walks one.
Every write keeps the two in step; a write cut off (a kill, a full disk)
while the merged graph changes leaves a marker, and the next writable open
rebuilds the merged graph.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.files import atomic_write
from kg.rdf import ox_quads, prefixes, to_oxigraph

#: File extensions to formats, for loading and dumping.
FORMATS: dict[str, ox.RdfFormat] = {
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
    "rdf": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}

#: The merged graph's database, inside the store's directory.
MERGED_DIR = "merged"
#: Present while the merged graph changes: a write cut off there leaves it stale.
MERGED_PENDING = "merged.pending"

#: Replacing a graph larger than this is done in two steps (clear, bulk add) instead of one update.
_ATOMIC_LIMIT = 50_000


def rdf_format(name: str | ox.RdfFormat) -> ox.RdfFormat:
    """A format from a short name (``ttl``), an extension (``.ttl``) or a media type."""
    if isinstance(name, ox.RdfFormat):
        return name
    key = name.lower().lstrip(".")
    aliases = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "nquads": "nq", "n-quads": "nq",
               "json-ld": "jsonld", "json": "jsonld", "rdfxml": "xml", "rdf/xml": "xml"}
    key = aliases.get(key, key)
    if key in FORMATS:
        return FORMATS[key]
    found = ox.RdfFormat.from_media_type(name)
    if found is None:
        raise ValueError(f"unknown RDF format {name!r} (one of {', '.join(sorted(FORMATS))})")
    return found


def guess_format(path: str | Path) -> ox.RdfFormat:
    """The format of a file from its extension; N-Quads for none (Spark part files)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return FORMATS.get(suffix, ox.RdfFormat.N_QUADS)


def _node(term: Any) -> Any:
    if isinstance(term, str) and not hasattr(term, "n3"):
        return ox.NamedNode(term)
    return to_oxigraph(term)


class Store:
    """An Oxigraph store on disk (or in memory when ``path`` is None).

    ``store`` is the underlying ``pyoxigraph.Store`` for anything this
    wrapper does not cover. ``merged``, when there is one, is a store whose
    default graph holds every distinct triple of ``store``'s graphs; queries
    that name no graph and triple-syntax dumps read it instead of the union
    of graphs. A store opened on a directory without one (an older layout,
    or one left stale by a kill) answers from the union until the next
    writable open builds it.
    """

    def __init__(self, store: ox.Store, path: Path | None = None, read_only: bool = False,
                 merged: ox.Store | None = None) -> None:
        self.store: Any = store
        self.path = path
        self.read_only = read_only
        self.merged: Any = merged

    @classmethod
    def open(cls, path: str | Path | None = None, read_only: bool = False, in_memory: bool = False) -> Store:
        """Open (creating it if needed) the store at ``path``; read-only opens never write.

        ``in_memory`` reads the whole store into memory and answers from
        there (read-only): each term the on-disk store hands back is a
        RocksDB lookup of a few µs, so queries returning thousands of rows and
        dumps run several times faster from memory, after a load of about
        15 s, holding about 0.75 GB, per million quads.
        """
        if path is None:
            return cls(ox.Store())
        p = Path(path)
        if read_only or in_memory:
            if not p.is_dir():
                raise FileNotFoundError(f"{p}: no store here (build one with `kg build … --out DIR`)")
            disk = ox.Store.read_only(str(p))
            merged_disk = ox.Store.read_only(str(p / MERGED_DIR)) if _merged_is_current(p) else None
            if not in_memory:
                return cls(disk, p, True, merged_disk)
            memory = ox.Store()
            # One N-Quads buffer through the bulk loader: faster than moving quads through Python objects.
            memory.bulk_load(disk.dump(format=ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS)
            del disk
            merged = ox.Store()
            _fill_merged(memory if merged_disk is None else merged_disk, merged)
            return cls(memory, p, True, merged)
        p.mkdir(parents=True, exist_ok=True)
        current = _merged_is_current(p)
        store = cls(ox.Store(str(p)), p, merged=ox.Store(str(p / MERGED_DIR)))
        if not current:
            store.rebuild_merged()
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def flush(self) -> None:
        """Write buffered changes to disk."""
        for s in self._databases():
            s.flush()

    def optimize(self, named_graphs: bool = True) -> None:
        """Compact the on-disk files after a large write; what reads them then runs about a quarter faster.

        Queries that name no graph read only the merged graph; the named
        graphs are read by quad exports and ``GRAPH`` queries, so a caller
        about to do neither may leave them to RocksDB's own compaction
        (``named_graphs=False``). The two databases compact side by side.
        """
        targets = [s for s in (self.merged, self.store if named_graphs else None) if s is not None]
        with ThreadPoolExecutor(len(targets) or 1) as pool:
            list(pool.map(lambda s: s.optimize(), targets))

    def close(self) -> None:
        """Flush pending writes and let go of the database, so it can be opened again at once.

        (A failed build's traceback keeps this wrapper alive; the database must not stay locked with it.)
        """
        if self.store is None:
            return
        try:
            if not self.read_only:
                self.flush()
        finally:
            self.store = self.merged = None

    def _databases(self) -> list[Any]:
        return [s for s in (self.store, self.merged) if s is not None]

    # ----------------------------------------------------------------- writing

    def replace_graph(self, graph_iri: Any, quads: Iterable[Any]) -> None:
        """Make the named graph hold exactly ``quads`` (their own graph names are ignored).

        For graphs up to 50,000 quads this is one SPARQL update, so a reader
        never sees the graph half-replaced.
        """
        g = _node(graph_iri)
        items = list(ox_quads(quads, g))
        with self._merged_changing():
            old = self._triples_of(g)
            if len(items) <= _ATOMIC_LIMIT:
                body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in items)
                self.store.update(f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}")
            else:
                self.store.remove_graph(g)
                self.store.bulk_extend(items)
            self._merge(items)
            self._unmerge(old)

    def drop_graph(self, graph_iri: Any) -> None:
        """Remove a named graph and everything in it (no error when it is absent)."""
        self.drop_graphs([graph_iri])

    def drop_graphs(self, graph_iris: Iterable[Any]) -> None:
        """Remove named graphs; the merged graph loses the triples that no other graph holds."""
        present = [g for g in map(_node, graph_iris) if self.store.contains_named_graph(g)]
        if not present:
            return
        with self._merged_changing():
            old: set[ox.Triple] = set()
            for g in present:
                old |= self._triples_of(g)
                self.store.remove_graph(g)
            self._unmerge(old)

    def add_graphs(self, parts: Iterable[tuple[str, bytes]]) -> None:
        """Add named graphs given as ``(graph IRI, N-Quads text all in that graph)`` (the build's per-commit write).

        Oxigraph's bulk loader parses and writes in Rust, at about half the
        cost of a transaction; the merged graph gets the same text with each
        line's graph name cut off. The loader is not one transaction: a build
        records a document in its manifest only after this returns, so a
        document cut off by a kill is processed, its graph dropped and
        written, again.

        Lenient: the text comes from :data:`kg.rdf.NQUADS`, whose IRIs
        Oxigraph has already checked, so the loader skips checking them
        again (an eighth of its time).
        """
        parts = list(parts)
        with self._merged_changing():  # a failure between the two loads leaves the merged graph to rebuild
            self.store.bulk_load(b"".join(data for _, data in parts), ox.RdfFormat.N_QUADS, lenient=True)
            if self.merged is not None:
                triples = b"".join(data.replace(f" <{g}> .\n".encode(), b" .\n") for g, data in parts)
                self.merged.bulk_load(triples, ox.RdfFormat.N_TRIPLES, lenient=True)

    def add(self, quads: Iterable[Any]) -> None:
        """Add a few quads in one transaction."""
        items = list(ox_quads(quads))
        self.store.extend(items)
        self._merge(items)

    def bulk_load(self, source: Any, format: str | ox.RdfFormat | None = None, graph: Any = None) -> None:
        """Load a file (path) or an iterable of quads, fast and without holding it all in memory.

        A store is a set: loading the same data twice adds nothing.
        ``graph`` puts the triples of a triples-only file into that named graph.
        """
        if isinstance(source, (str, os.PathLike)):
            path = Path(source)
            fmt = rdf_format(format) if format is not None else guess_format(path)
            kwargs: dict[str, Any] = {"path": str(path), "format": fmt}
            if graph is not None:
                kwargs["to_graph"] = _node(graph)
            try:
                self.store.bulk_load(**kwargs)
            except SyntaxError as exc:
                raise SyntaxError(f"{path}: {exc}") from exc
            if self.merged is not None:
                self.merged.bulk_extend(_as_default(ox.parse(path=str(path), format=fmt)))
        else:
            items = list(ox_quads(source, None if graph is None else _node(graph)))
            self.store.bulk_extend(items)
            self._merge(items, bulk=True)
        self.flush()

    def rebuild_merged(self) -> None:
        """Make the merged graph anew from the named graphs (after a kill cut off a removal, or for an older store)."""
        if self.path is None or self.merged is None:
            return
        import shutil

        with self._merged_changing():  # a kill mid-way leaves the marker: the next open starts over
            self.merged = None
            shutil.rmtree(self.path / MERGED_DIR, ignore_errors=True)
            self.merged = ox.Store(str(self.path / MERGED_DIR))
            _fill_merged(self.store, self.merged)

    def _triples_of(self, g: Any) -> set[ox.Triple]:
        if self.merged is None:
            return set()
        return {ox.Triple(q.subject, q.predicate, q.object) for q in self.store.quads_for_pattern(None, None, None, g)}

    def _merge(self, quads: list[ox.Quad], bulk: bool = False) -> None:
        if self.merged is not None:
            (self.merged.bulk_extend if bulk else self.merged.extend)(list(_as_default(quads)))

    def _unmerge(self, triples: Iterable[ox.Triple]) -> None:
        """Drop from the merged graph the triples that no graph of the store holds any more."""
        if self.merged is None:
            return
        for t in triples:
            if next(self.store.quads_for_pattern(t.subject, t.predicate, t.object, None), None) is None:
                self.merged.remove(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()))

    @contextmanager
    def _merged_changing(self) -> Iterator[None]:
        """Mark the merged graph stale while it changes; the mark stays if the change is cut off."""
        marker = self.path / MERGED_PENDING if self.path is not None and self.merged is not None else None
        if marker is not None:
            marker.touch()
        yield
        if marker is not None:
            self.merged.flush()
            marker.unlink()

    # ----------------------------------------------------------------- reading

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        """Run a SPARQL query over the union of all graphs.

        ``bindings`` binds variables to RDF terms (rdflib or pyoxigraph) in a
        VALUES block opening the WHERE group, written by Oxigraph's term
        serialiser, so a value can never change the query. Returns pyoxigraph's
        ``QuerySolutions`` / ``QueryBoolean`` / ``QueryTriples``.
        """
        kwargs.setdefault("prefixes", prefixes())
        if bindings:
            from kg.query import bind_terms

            sparql = bind_terms(sparql, {k.lstrip("?$"): to_oxigraph(v) for k, v in bindings.items()})[0]
        engine, options = self.engine(sparql)
        return engine.query(sparql, **{**options, **kwargs})

    def engine(self, sparql: str) -> tuple[Any, dict[str, Any]]:
        """The pyoxigraph store that answers ``sparql``, and the options that make its default graph the union.

        An in-memory copy answers a query that names no graph (no GRAPH,
        FROM) from ``merged``: the same answers as the union of graphs, about
        1.5× faster, since the union is not rebuilt and deduplicated at every
        pattern.
        """
        if self.merged is not None and not names_graphs(sparql):
            return self.merged, {}
        return self.store, {"use_default_graph_as_union": True}

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self.store.named_graphs())

    def count(self, graph: Any = None) -> int:
        """Quads in the store, or triples in one named graph."""
        if graph is None:
            return len(self.store)
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, _node(graph)))

    def triples(self) -> ox.QueryTriples:
        """Every distinct triple of every graph (the merged graph), streamed from Oxigraph."""
        q = "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } }"
        return self.store.query(q)

    def dump(self, a: Any, b: Any) -> Path:
        """Write the store to a file: ``dump(format, path)`` (``dump(path, format)`` works too).

        Quad formats (nq, trig, jsonld) keep the named graphs; triple formats
        (nt, ttl, xml) hold every distinct triple, merged. Written atomically.
        """
        fmt_arg, path_arg = (a, b) if _is_format(a) else (b, a)
        fmt = rdf_format(fmt_arg)
        path = Path(path_arg)
        with atomic_write(path, "wb") as f:
            if self.merged is not None and not fmt.supports_datasets:
                options = {} if fmt == ox.RdfFormat.N_TRIPLES else {"prefixes": prefixes()}
                self.merged.dump(f, fmt, from_graph=ox.DefaultGraph(), **options)
            elif fmt.supports_datasets:
                self.store.dump(f, fmt, prefixes=prefixes())
            elif fmt == ox.RdfFormat.N_TRIPLES:
                self.triples().serialize(f, fmt)
            else:
                ox.serialize(self.triples(), f, fmt, prefixes=prefixes())
        return path


def _merged_is_current(path: Path) -> bool:
    """A merged graph that holds what the named graphs hold: built, and no removal cut off."""
    return (path / MERGED_DIR).is_dir() and not (path / MERGED_PENDING).exists()


def _as_default(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    return (ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)


def _fill_merged(source: ox.Store, merged: ox.Store) -> None:
    """Load every distinct triple of ``source``'s graphs into ``merged``'s default graph.

    A source that is itself a merged graph (no named graphs) is copied.
    """
    batch: list[bytes] = []
    size = 0
    for g in [ox.DefaultGraph(), *source.named_graphs()]:
        part = source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)
        batch.append(part)
        size += len(part)
        if size > 32_000_000:  # load in slices: the graph's whole text need not sit in memory twice
            merged.bulk_load(b"".join(batch), ox.RdfFormat.N_TRIPLES)
            batch, size = [], 0
    merged.bulk_load(b"".join(batch), ox.RdfFormat.N_TRIPLES)


_NAMES_GRAPHS = re.compile(r"(?<![?$:\w])(GRAPH|FROM)\b", re.IGNORECASE)


def names_graphs(sparql: str) -> bool:
    """True when the query text (comments, strings and IRIs aside) says GRAPH or FROM."""
    from kg.query import _code_positions

    code = [" "] * len(sparql)
    for i, c in _code_positions(sparql):
        code[i] = c
    return bool(_NAMES_GRAPHS.search("".join(code)))


def _is_format(value: Any) -> bool:
    if isinstance(value, ox.RdfFormat):
        return True
    if not isinstance(value, str):
        return False
    try:
        rdf_format(value)
    except ValueError:
        return False
    return True
