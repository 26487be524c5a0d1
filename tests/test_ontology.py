"""The ontology and the SHACL shapes: the seed graph conforms, and bad data is caught."""

from __future__ import annotations

import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, Graph, Literal

from kg.namespace import KG, SCHEMA, SH, entity_iri
from kg.paths import ONTOLOGY_DIR
from kg.types import PREDICATES


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "kg.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl")


def _graph(quads) -> Graph:
    g = Graph()
    for s, p, o, _ in quads:
        g.add((s, p, o))
    return g


def test_every_predicate_has_domain_range_and_bilingual_labels(ontology):
    for name in PREDICATES:
        p = KG[name]
        assert (p, RDFS.domain, None) in ontology, name
        assert (p, RDFS.range, None) in ontology, name
        langs = {lit.language for lit in ontology.objects(p, RDFS.label)}
        assert {"zh", "en"} <= langs, name
    assert (KG.Platform, RDFS.subClassOf, KG.Organization) in ontology
    assert (KG.Event, RDFS.subClassOf, SCHEMA.Event) in ontology
    assert (KG.commentedOn, RDFS.range, None) in ontology
    union = ontology.value(KG.organized, RDFS.domain)
    assert ontology.value(union, OWL.unionOf) is not None


def test_every_term_the_model_uses_is_declared(ontology, sample_quads):
    used = {p for _, p, _, _ in sample_quads if str(p).startswith(str(KG))}
    used |= {o for _, p, o, _ in sample_quads if p == RDF.type and str(o).startswith(str(KG))}
    declared = set(ontology.subjects(RDF.type, None))
    assert used - declared == set()


def test_sample_graph_conforms(shapes, sample_quads):
    conforms, _, text = validate(_graph(sample_quads), shacl_graph=shapes, advanced=True)
    assert conforms, text


def test_seed_graph_conforms(shapes, seed_out):
    data = Graph().parse(seed_out / "graph.ttl")
    conforms, _, text = validate(data, shacl_graph=shapes, advanced=True)
    assert conforms, text


def test_shapes_catch_hosted_pointing_to_a_person(shapes, sample_quads):
    g = _graph(sample_quads)
    g.add((entity_iri("Organization", "人民网"), KG.hosted, entity_iri("Person", "罗华")))
    conforms, _, text = validate(g, shacl_graph=shapes, advanced=True)
    assert not conforms
    assert "hosted" in text


def test_shapes_catch_evidence_without_its_fact_and_bad_dates(shapes, sample_quads):
    g = _graph(sample_quads)
    g.remove((entity_iri("Organization", "人民网"), KG.hosted, None))
    event = entity_iri("Event", "2024网上群众工作大会")
    g.set((event, KG.startDate, Literal("12月12日")))
    conforms, report, _ = validate(g, shacl_graph=shapes, advanced=True)
    assert not conforms
    focus = set(report.objects(None, SH.focusNode))
    messages = {str(m) for m in report.objects(None, SH.resultMessage)}
    assert event in focus
    assert any("/evidence/" in str(f) for f in focus)
    assert any("does not assert" in m for m in messages), messages
