"""The RDF model: per-article graphs, evidence, statements, corpus graph, deterministic files."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from kg import lexicon, rdf
from kg.extraction.extractor import extract_document
from kg.namespace import KG, document_iri, entity_iri, evidence_iri
from kg.normalize import normalize
from kg.types import RawDocument


def test_document_graph_holds_facts_evidence_and_metadata(sample):
    results, _, _ = sample
    quads = rdf.document_quads(results[0])
    doc = document_iri("a.txt")
    assert {g for *_, g in quads} == {doc}
    g = Graph()
    for s, p, o, _ in quads:
        g.add((s, p, o))
    host = entity_iri("Organization", "人民网")
    event = entity_iri("Event", "2024网上群众工作大会")
    platform = entity_iri("Platform", "领导留言板")
    assert (host, KG.hosted, event) in g
    assert (event, KG.startDate, Literal("2024-12-12", datatype=XSD.date)) in g
    assert (entity_iri("Person", "罗华"), KG.holdsPosition, Literal("人民网总编辑", lang="zh")) in g
    assert (platform, RDF.type, KG.Organization) in g  # superclass materialised
    assert (host, SKOS.altLabel, Literal("人民網", lang="zh")) in g
    assert (host, RDFS.label, Literal("人民网", lang="zh")) in g
    assert (doc, RDF.type, KG.Article) in g
    assert len(list(g.objects(doc, KG.printLine))) == 1
    assert len(list(g.objects(doc, rdf.DCTERMS.creator))) == 2

    ev = evidence_iri("a.txt", "人民网", "hosted", "2024网上群众工作大会", 0)
    assert (ev, RDF.subject, host) in g and (ev, RDF.predicate, KG.hosted) in g
    assert (ev, KG.confidence, Literal("0.93", datatype=XSD.decimal)) in g
    text = results[0].document
    start, end = int(g.value(ev, KG.start)), int(g.value(ev, KG.end))
    raw_start, raw_end = int(g.value(ev, KG.rawStart)), int(g.value(ev, KG.rawEnd))
    assert text.raw_text[raw_start:raw_end] == text.text[start:end] == str(g.value(ev, KG.sentence))


def test_quote_becomes_statement_of_its_speaker(sample):
    results, _, _ = sample
    g = Graph()
    for s, p, o, _ in rdf.document_quads(results[1]):
        g.add((s, p, o))
    (st,) = list(g.subjects(RDF.type, KG.Statement))
    assert g.value(st, KG.speaker) == entity_iri("Person", "叶蓁蓁")
    assert g.value(st, KG.about) == entity_iri("Platform", "领导留言板")
    assert "党群连心桥" in str(g.value(st, KG.quote))
    assert len(list(g.subjects(KG.statement, st))) == 1


def test_same_fact_twice_gives_one_triple_two_evidence_nodes(sample):
    results, _, _ = sample
    r = results[0]
    extra = [f for f in r.facts if f.predicate == "hosted"][0]
    from dataclasses import replace

    moved = replace(extra, evidence=replace(extra.evidence, start=extra.evidence.start + 1))
    r.facts.append(moved)
    quads = rdf.document_quads(r)
    hosted = [q for q in quads if q[1] == KG.hosted]
    evidence = [q for q in quads if q[1] == RDF.predicate and q[2] == KG.hosted]
    assert len(hosted) == 1 and len(evidence) == 2


def test_corpus_graph_links_reprints_and_conflicts(sample):
    _, links, conflicts = sample
    quads = rdf.corpus_quads(links, conflicts)
    assert {g for *_, g in quads} == {rdf.CORPUS_GRAPH}
    triples = {(s, p, o) for s, p, o, _ in quads}
    assert (document_iri("b.txt"), KG.reprintOf, document_iri("a.txt")) in triples
    # The direction does not depend on the order the link was found in.
    flipped = rdf.corpus_quads([type(links[0])("b.txt", "a.txt", 0.96)], [])
    assert (document_iri("b.txt"), KG.reprintOf, document_iri("a.txt"), rdf.CORPUS_GRAPH) in flipped
    evidence = {o for s, p, o in triples if p == KG.conflictingEvidence}
    assert evidence == {rdf.fact_evidence_iri(f) for f in conflicts[0].facts}


def test_outputs_are_deterministic_and_parse(sample_quads, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    rdf.write_outputs(sample_quads, a)
    rdf.write_outputs(list(reversed(sample_quads)), b)
    for name in ("graph.ttl", "graph.trig"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    ttl = (a / "graph.ttl").read_text(encoding="utf-8")
    assert "@prefix kg: <https://w3id.org/kg/ontology#>" in ttl
    merged = {(s, p, o) for s, p, o, _ in sample_quads}
    assert len(Graph().parse(a / "graph.ttl")) == len(merged)
    ds = rdf.to_dataset(sample_quads)
    assert len(ds) == len(merged)  # union default graph
    assert list(ds.namespaces())  # prefixes bound
    assert not list(tmp_path.glob("**/.graph.*"))  # no temporary files left


def test_terms_round_trip_between_rdflib_and_oxigraph():
    for term in (Literal("人民网", lang="zh"), Literal("2024-12", datatype=XSD.gYearMonth), Literal("x"),
                 Literal(3), entity_iri("Event", "2024网上群众工作大会")):
        assert rdf.from_oxigraph(rdf.to_oxigraph(term)) == term


def test_reported_speech_about_no_named_thing_is_still_a_statement():
    text = "福建省副省长王伟介绍，全省已办结群众留言十万余件。"
    doc = normalize(RawDocument("s.txt", "s.txt", text, date="2024-01-01"))
    result = extract_document(doc, [], lexicon.load())
    g = Graph()
    for s, p, o, _ in rdf.document_quads(result):
        g.add((s, p, o))
    (st,) = list(g.subjects(RDF.type, KG.Statement))
    speaker = g.value(st, KG.speaker)
    assert speaker == entity_iri("Person", "王伟") and (speaker, RDF.type, KG.Person) in g
    assert str(g.value(st, KG.quote)).startswith("全省已办结")
    assert g.value(st, KG.about) is None
    start, end = int(g.value(st, KG.start)), int(g.value(st, KG.end))
    assert result.document.text[start:end] == str(g.value(st, KG.sentence))
    assert str(g.value(st, KG.rule)) == "statement.attributed"


def test_nquads_text_is_the_same_graph_even_with_characters_to_escape():
    text = '人民网记者王伟说：“这条留言写着\\"路灯\\"坏了\t三天。”\n人民网主办了2024网上群众工作大会。\r\n'
    doc = normalize(RawDocument("q.txt", "q.txt", text, date="2024-01-01", url="https://example.org/a?b=1&c=%E4%BA%BA"))
    result = extract_document(doc, [], lexicon.load())
    expected = {str(q) for q in rdf.ox_quads(rdf.document_quads(result))}
    nquads = rdf.document_nquads(result)
    parsed = {str(q) for q in ox.parse(nquads.encode("utf-8"), ox.RdfFormat.N_QUADS)}
    assert parsed == expected and len(parsed) == nquads.count("\n")
    assert any("\\\\" in line for line in nquads.splitlines())  # the backslashes survived, escaped
    assert nquads.splitlines() == sorted(nquads.splitlines())


def test_nquads_text_refuses_an_invalid_iri():
    with pytest.raises(ValueError):
        rdf.NQUADS.iri("not an iri")
