"""Facts to RDF: one named graph per article, a corpus graph for reprints and conflicts.

The model (see the README's "What the graph holds"): each relation is
asserted directly (``s kg:hosted o``) so simple queries stay simple, and
described by a ``kg:Evidence`` node carrying the sentence, its offsets, the
rule and the confidence. Everything one article says lives in the named
graph ``document_iri(doc_id)``, so rebuilding or retracting an article is
replacing or dropping one graph. Quads are rdflib tuples ``(s, p, o, g)``;
:func:`to_oxigraph` and :func:`from_oxigraph` convert terms for the store.
The build's workers skip both and write an article's graph straight as
N-Quads text (:func:`document_nquads`, from the same builder).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from kg.files import atomic_write
from kg.namespace import (
    KG,
    KGR,
    PREFIXES,
    SCHEMA,
    conflict_iri,
    document_iri,
    entity_iri,
    evidence_iri,
    statement_iri,
)
from kg.types import (
    PREDICATES,
    Conflict,
    Document,
    DocumentResult,
    EntityType,
    Evidence,
    Fact,
    ReprintLink,
)

Quad = tuple[Node, Node, Node, Node]

#: The graph holding corpus-level facts: reprint links and conflicts.
CORPUS_GRAPH = KGR["graph/corpus"]

_ENTITY_TYPES = {t.value for t in EntityType}
_YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^\d{4}$")

T = TypeVar("T")

# Vocabulary IRIs as plain strings, the keys the term spellings cache on.
_KG, _RDF, _DCT = str(KG), str(RDF), str(DCTERMS)
_RDF_TYPE, _RDFS_LABEL, _SKOS_ALT_LABEL, _SCHEMA_URL = str(RDF.type), str(RDFS.label), str(SKOS.altLabel), str(SCHEMA.url)
_XSD_STRING, _XSD_INTEGER, _XSD_DECIMAL = str(XSD.string), str(XSD.integer), str(XSD.decimal)
_XSD_DATE, _XSD_GYEARMONTH, _XSD_GYEAR = str(XSD.date), str(XSD.gYearMonth), str(XSD.gYear)

#: Printable ASCII an IRI may hold as it is (``%`` too: existing escapes stay).
_IRI_KEEP = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '<>"{}|^`\\%') + "%"


class Terms(Generic[T]):
    """How the graph builder spells RDF terms: one builder, two spellings.

    :data:`RDFLIB` makes rdflib terms (datasets, files, tests); :data:`NQUADS`
    makes N-Quads text, which is what workers hand the store: on a build of
    short messages, making rdflib term objects cost as much as the rules
    that found the facts.
    """

    def iri(self, value: str) -> T:
        raise NotImplementedError

    def literal(self, lexical: str, lang: str | None = None, datatype: str | None = None) -> T:
        raise NotImplementedError

    def kg(self, name: str) -> T:
        return self.iri(_KG + name)

    def zh(self, text: str) -> T:
        return self.literal(text, lang="zh")

    def integer(self, value: int) -> T:
        return self.literal(str(value), datatype=_XSD_INTEGER)

    def decimal(self, value: float) -> T:
        """A canonical decimal lexical form (``0.93``), the same whatever float noise came in."""
        text = format(Decimal(str(round(float(value), 3))).normalize(), "f")
        return self.literal(text if "." in text else text + ".0", datatype=_XSD_DECIMAL)

    def date(self, value: str) -> T:
        """An ISO date as ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``; anything else stays a string."""
        try:
            return self.literal(date.fromisoformat(value).isoformat(), datatype=_XSD_DATE)
        except ValueError:
            pass
        if _YEAR_MONTH.match(value):
            return self.literal(value, datatype=_XSD_GYEARMONTH)
        if _YEAR.match(value):
            return self.literal(value, datatype=_XSD_GYEAR)
        return self.literal(value)

    def web(self, url: str) -> T:
        """A page address as an IRI; forbidden characters percent-encoded; a literal if still no IRI (no scheme)."""
        url = url.strip()
        for candidate in (url, quote(url, safe=_IRI_KEEP)):
            try:
                return self.iri(ox.NamedNode(candidate).value)
            except ValueError:
                continue
        return self.literal(url)


class RdflibTerms(Terms[Node]):
    def iri(self, value: str) -> Node:
        return value if isinstance(value, URIRef) else URIRef(value)

    def literal(self, lexical: str, lang: str | None = None, datatype: str | None = None) -> Node:
        return Literal(lexical, lang=lang, datatype=URIRef(datatype) if datatype else None)


class NQuadsTerms(Terms[str]):
    """IRIs go through Oxigraph once, so an invalid one fails here rather than in the store."""

    def iri(self, value: str) -> str:
        return _iri_nquads(str(value))  # a plain str key: rdflib terms hash and compare in Python

    def literal(self, lexical: str, lang: str | None = None, datatype: str | None = None) -> str:
        if _NEEDS_ESCAPE.search(lexical):  # rare; translate copies every literal it is given
            lexical = lexical.translate(_LITERAL_ESCAPES)
        text = f'"{lexical}"'
        if lang:
            return f"{text}@{lang}"
        if datatype and datatype != _XSD_STRING:
            return f"{text}^^{_iri_nquads(datatype)}"
        return text


RDFLIB = RdflibTerms()
NQUADS = NQuadsTerms()


def _object(fact: Fact, t: Terms[T]) -> T | None:
    """The RDF object of a relation fact: an entity IRI or a literal."""
    if fact.predicate == "startDate":
        return t.date(fact.object)
    if fact.predicate == "holdsPosition":
        return t.zh(fact.object)
    if fact.object_type in _ENTITY_TYPES:
        return t.iri(entity_iri(fact.object_type, fact.object))
    return None


def fact_evidence_iri(fact: Fact) -> URIRef:
    """The evidence node of a fact; the corpus graph points at it from conflicts."""
    ev = fact.evidence
    return evidence_iri(ev.doc_id, fact.subject, fact.predicate, fact.object, ev.start)


def _typing(iri: T, type_name: str, label: str, t: Terms[T]) -> list[tuple[T, T, T]]:
    rdf_type = t.iri(_RDF_TYPE)
    out = [(iri, rdf_type, t.kg(type_name)), (iri, t.iri(_RDFS_LABEL), t.zh(label))]
    if type_name == EntityType.PLATFORM.value:
        out.append((iri, rdf_type, t.kg(EntityType.ORGANIZATION.value)))
    return out


def document_quads(result: DocumentResult) -> list[Quad]:
    """Everything one article contributes, in its own named graph, sorted and without duplicates."""
    doc = document_iri(result.document.doc_id)
    return [(s, p, o, doc) for s, p, o in sorted(set(_document_triples(result, RDFLIB)), key=_triple_key)]


def document_nquads(result: DocumentResult) -> str:
    """The same graph as N-Quads text, lines sorted: what workers hand to the store.

    Duplicates go as equal lines: strings hash in C, rdflib literals in Python.
    """
    graph = f" {NQUADS.iri(document_iri(result.document.doc_id))} .\n"
    return "".join(sorted({f"{s} {p} {o}{graph}" for s, p, o in _document_triples(result, NQUADS)}))


def _document_triples(result: DocumentResult, t: Terms[T]) -> list[tuple[T, T, T]]:
    """The document's triples, spelled by ``t``, duplicates included (callers make them a set)."""
    d = result.document
    meta = d.meta
    doc = t.iri(document_iri(d.doc_id))
    rdf_type, mentioned_in = t.iri(_RDF_TYPE), t.kg("mentionedIn")
    triples: list[tuple[T, T, T]] = []
    add = triples.append

    add((doc, rdf_type, t.kg("Article")))
    add((doc, t.iri(_DCT + "identifier"), t.literal(d.doc_id)))
    if d.source:
        add((doc, t.kg("sourcePath"), t.literal(d.source)))
    if d.content_hash:
        add((doc, t.kg("contentHash"), t.literal(d.content_hash)))
    if meta.title:
        add((doc, t.iri(_DCT + "title"), t.zh(meta.title)))
    if meta.date:
        add((doc, t.iri(_DCT + "date"), t.date(meta.date)))
    if meta.dateline:
        add((doc, t.kg("dateline"), t.zh(meta.dateline)))
    if meta.print_line:
        add((doc, t.kg("printLine"), t.zh(meta.print_line)))
    for author in meta.authors:
        add((doc, t.iri(_DCT + "creator"), t.zh(author)))
    for editor in meta.editors:
        add((doc, t.kg("editor"), t.zh(editor)))
    if meta.publisher:
        add((doc, t.iri(_DCT + "publisher"), t.zh(meta.publisher)))
    if meta.url:
        add((doc, t.iri(_SCHEMA_URL), t.web(meta.url)))

    typed: set[tuple[str, str]] = set()

    def ensure_typed(type_name: str, label: str) -> None:
        """An entity a fact or statement names but the entity list lacks still gets its type and label."""
        if type_name in _ENTITY_TYPES and (type_name, label) not in typed:
            typed.add((type_name, label))
            iri = t.iri(entity_iri(type_name, label))
            triples.extend(_typing(iri, type_name, label, t))
            add((iri, mentioned_in, doc))

    for e in result.entities:
        iri = t.iri(entity_iri(e.type.value, e.label))
        typed.add(e.key)
        triples.extend(_typing(iri, e.type.value, e.label, t))
        add((iri, mentioned_in, doc))
        for alias in e.aliases:
            if alias and alias != e.label:
                add((iri, t.iri(_SKOS_ALT_LABEL), t.zh(alias)))

    for f in result.facts:
        if f.predicate not in PREDICATES:
            continue  # `type` facts are the entity typing above
        o = _object(f, t)
        if o is None or f.subject_type not in _ENTITY_TYPES:
            continue
        s = t.iri(entity_iri(f.subject_type, f.subject))
        p = t.kg(f.predicate)
        ensure_typed(f.subject_type, f.subject)
        ensure_typed(f.object_type, f.object)
        add((s, p, o))

        ev = f.evidence
        node = t.iri(fact_evidence_iri(f))
        add((node, rdf_type, t.kg("Evidence")))
        add((node, t.iri(_RDF + "subject"), s))
        add((node, t.iri(_RDF + "predicate"), p))
        add((node, t.iri(_RDF + "object"), o))
        triples.extend(_provenance(node, ev, d, doc, t))
        triples.extend(_reading(node, ev, t))
        if f.predicate == "commentedOn" and ev.quote:
            st = t.iri(statement_iri(ev.doc_id, f.subject, ev.start, ev.quote))
            triples.extend(_statement(st, s, ev, d, doc, t))
            add((st, t.kg("about"), o))
            add((node, t.kg("statement"), st))

    for said in result.statements:
        ensure_typed(said.speaker_type, said.speaker)
        speaker = t.iri(entity_iri(said.speaker_type, said.speaker))
        st = t.iri(statement_iri(said.evidence.doc_id, said.speaker, said.evidence.start, said.quote))
        triples.extend(_statement(st, speaker, said.evidence, d, doc, t))
        triples.extend(_reading(st, said.evidence, t))

    return triples


def _provenance(node: T, ev: Evidence, d: Document, doc: T, t: Terms[T]) -> list[tuple[T, T, T]]:
    """Where an evidence or statement node was read: article, sentence and its offsets."""
    out = [
        (node, t.kg("sourceDocument"), doc),
        (node, t.kg("sentence"), t.zh(ev.sentence)),
        (node, t.kg("start"), t.integer(ev.start)),
        (node, t.kg("end"), t.integer(ev.end)),
    ]
    if len(d.offsets) > ev.end >= ev.start >= 0:
        raw_start, raw_end = d.raw_span(ev.start, ev.end)
        out += [(node, t.kg("rawStart"), t.integer(raw_start)), (node, t.kg("rawEnd"), t.integer(raw_end))]
    return out


def _reading(node: T, ev: Evidence, t: Terms[T]) -> list[tuple[T, T, T]]:
    """The rule that read a fact or statement, and how sure it is.

    A statement that is also a commentedOn fact's quote gets these from the
    statement rule only, so it never carries two rules.
    """
    return [(node, t.kg("rule"), t.literal(ev.rule)), (node, t.kg("confidence"), t.decimal(ev.confidence))]


def _statement(node: T, speaker: T, ev: Evidence, d: Document, doc: T, t: Terms[T]) -> list[tuple[T, T, T]]:
    return [
        (node, t.iri(_RDF_TYPE), t.kg("Statement")),
        (node, t.kg("speaker"), speaker),
        (node, t.kg("quote"), t.zh(ev.quote)),
        *_provenance(node, ev, d, doc, t),
    ]


def _triple_key(t: tuple[Node, Node, Node]) -> tuple[str, str, str]:
    return (t[0].n3(), t[1].n3(), t[2].n3())


def reprint_iri(doc_a: str, doc_b: str) -> URIRef:
    digest = hashlib.sha1(f"{doc_a}\x1f{doc_b}".encode()).hexdigest()[:16]
    return KGR[f"reprint/{digest}"]


def corpus_quads(links: Sequence[ReprintLink], conflicts: Sequence[Conflict]) -> list[Quad]:
    """Reprint links and conflicts, in the corpus graph.

    Of two versions, the one later in sort order is ``kg:reprintOf`` the
    earlier, so the direction never depends on detection order.
    """
    g = CORPUS_GRAPH
    triples: set[tuple[Node, Node, Node]] = set()
    add = triples.add
    for link in links:
        first, later = sorted((link.doc_a, link.doc_b))
        a, b = document_iri(later), document_iri(first)
        add((a, KG.reprintOf, b))
        node = reprint_iri(later, first)
        add((node, RDF.type, KG.Reprint))
        add((node, KG.reprintDocument, a))
        add((node, KG.originalDocument, b))
        add((node, KG.similarity, RDFLIB.decimal(link.similarity)))
    for c in conflicts:
        evidence = sorted({fact_evidence_iri(f) for f in c.facts})
        node = conflict_iri(c.kind, c.doc_a, c.doc_b, *map(str, evidence))
        add((node, RDF.type, KG.Conflict))
        add((node, KG.conflictKind, Literal(c.kind)))
        add((node, RDFS.comment, RDFLIB.zh(c.description)))
        add((node, KG.inDocument, document_iri(c.doc_a)))
        add((node, KG.inDocument, document_iri(c.doc_b)))
        for ev in evidence:
            add((node, KG.conflictingEvidence, ev))
    return [(s, p, o, g) for s, p, o in sorted(triples, key=_triple_key)]


# --------------------------------------------------------------------------- terms


def to_oxigraph(term: Any) -> Any:
    """An rdflib term (or None for the default graph) as a pyoxigraph term; pyoxigraph terms pass through."""
    if term is None:
        return ox.DefaultGraph()
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal, ox.DefaultGraph)):
        return term
    if isinstance(term, URIRef):
        if str(term) == "urn:x-rdflib:default":
            return ox.DefaultGraph()
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, str):
        return ox.Literal(term)
    raise TypeError(f"not an RDF term: {term!r}")



def from_oxigraph(term: Any) -> Node | None:
    """A pyoxigraph term as an rdflib term (None for the default graph)."""
    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt), normalize=False)
    if isinstance(term, Node):
        return term
    raise TypeError(f"not an RDF term: {term!r}")


_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(map(chr, _LITERAL_ESCAPES))) + "]")


@lru_cache(maxsize=8192)
def _iri_nquads(iri: str) -> str:
    """Bounded: predicates, types and frequent entities stay cached, one-off evidence IRIs pass through."""
    return str(ox.NamedNode(iri))


def ox_quad(q: Any, graph: Any = None) -> ox.Quad:
    """A pyoxigraph Quad from an rdflib triple/quad tuple or a pyoxigraph Quad/Triple.

    ``graph`` (when given) overrides the quad's own graph name.
    """
    if isinstance(q, ox.Quad):
        if graph is None:
            return q
        return ox.Quad(q.subject, q.predicate, q.object, to_oxigraph(graph))
    if isinstance(q, ox.Triple):
        return ox.Quad(q.subject, q.predicate, q.object, to_oxigraph(graph))
    if len(q) == 3:
        s, p, o = q
        g = graph
    else:
        s, p, o, g = q
        g = g if graph is None else graph
    return ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), to_oxigraph(g))


def ox_quads(quads: Iterable[Any], graph: Any = None) -> Iterable[ox.Quad]:
    return (ox_quad(q, graph) for q in quads)


# --------------------------------------------------------------------------- datasets and files


def prefixes() -> dict[str, str]:
    """Prefix → namespace IRI, as pyoxigraph wants them."""
    return {k: str(v) for k, v in PREFIXES.items()}


def to_dataset(quads: Iterable[Any]) -> Dataset:
    """An rdflib Dataset (union default graph) holding the quads, with the project's prefixes bound."""
    ds = Dataset(default_union=True)
    for name, ns in PREFIXES.items():
        ds.bind(name, ns, override=True, replace=True)
    for q in quads:
        if isinstance(q, (ox.Quad, ox.Triple)):
            g = getattr(q, "graph_name", None)
            s, p, o, gg = (from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object), from_oxigraph(g))
        elif len(q) == 3:
            (s, p, o), gg = q, None
        else:
            s, p, o, gg = q
        graph = ds.graph(gg) if gg is not None else getattr(ds, "default_graph", None) or ds.default_context
        graph.add((s, p, o))
    return ds


def _sorted_unique(quads: Iterable[Any]) -> list[ox.Quad]:
    by_line = {str(q): q for q in ox_quads(quads)}
    return [by_line[k] for k in sorted(by_line)]


def write_outputs(quads: Iterable[Any], out_dir: str | Path) -> tuple[Path, Path]:
    """``graph.ttl`` (all triples merged) and ``graph.trig`` (quads by named graph).

    Both are sorted, so the same input gives the same bytes, and written
    atomically. Returns the two paths.
    """
    return write_sorted_outputs(lambda: iter(_sorted_unique(quads)), out_dir)


def write_sorted_outputs(quads: Callable[[], Iterator[Any]], out_dir: str | Path) -> tuple[Path, Path]:
    """``write_outputs`` for quads already unique and sorted by their N-Quads text (``graph.nq``).

    ``quads`` is called once per file and streamed through Oxigraph's
    serialisers, so memory does not grow with the graph: sorted quads give
    their triples sorted, and a triple held by several graphs comes in a run.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ox_prefixes = prefixes()
    ttl_path, trig_path = out / "graph.ttl", out / "graph.trig"
    with atomic_write(trig_path, "wb") as f:
        ox.serialize(ox_quads(quads()), f, ox.RdfFormat.TRIG, prefixes=ox_prefixes)
    with atomic_write(ttl_path, "wb") as f:
        ox.serialize(_distinct_runs(q.triple for q in ox_quads(quads())), f, ox.RdfFormat.TURTLE, prefixes=ox_prefixes)
    return ttl_path, trig_path


def _distinct_runs(items: Iterable[Any]) -> Iterator[Any]:
    """``items`` without the repeats that directly follow an item."""
    last = None
    for item in items:
        if item != last:
            yield item
            last = item
