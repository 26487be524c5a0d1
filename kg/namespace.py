"""The vocabulary and the IRI scheme of the graph.

``KG`` holds the ontology terms (``ontology/kg.ttl``); ``KGR`` holds the
resources the build mints. IRIs depend only on canonical labels and
document ids, never on file order, so two builds of one corpus agree.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

KG = Namespace("https://w3id.org/kg/ontology#")
KGR = Namespace("https://w3id.org/kg/id/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Prefixes bound in every serialisation so Turtle stays readable.
PREFIXES: dict[str, Namespace] = {
    "kg": KG,
    "kgr": KGR,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "prov": Namespace(str(PROV)),
    "dcterms": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "schema": SCHEMA,
    "org": ORG,
}


def _slug(text: str) -> str:
    return quote(text, safe="")


@lru_cache(maxsize=65536)
def entity_iri(type_name: str, label: str) -> URIRef:
    """``kgr:<Type>/<label>``: readable, percent-encoded, stable across builds (and cached: names recur)."""
    return KGR[f"{type_name}/{_slug(label)}"]


def document_iri(doc_id: str) -> URIRef:
    """The article node; also the name of the article's named graph."""
    return KGR[f"doc/{_slug(doc_id)}"]


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def evidence_iri(doc_id: str, subject: str, predicate: str, obj: str, start: int) -> URIRef:
    """One evidence node per (document, fact, sentence)."""
    return KGR[f"evidence/{_digest(doc_id, subject, predicate, obj, str(start))}"]


def statement_iri(doc_id: str, speaker: str, start: int, quote_text: str) -> URIRef:
    """A quote or reported speech, attributed to its speaker."""
    return KGR[f"statement/{_digest(doc_id, speaker, str(start), quote_text)}"]


def conflict_iri(*parts: str) -> URIRef:
    return KGR[f"conflict/{_digest(*parts)}"]
