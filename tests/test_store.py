"""The Oxigraph store: graph replacement, idempotent loads, union-graph queries, dumps."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from conftest import merged_matches_graphs
from rdflib import RDFS, Literal

from kg import rdf
from kg.namespace import KG, document_iri, entity_iri
from kg.store import MERGED_DIR, MERGED_PENDING, Store


def test_replace_and_drop_graph(tmp_path, sample):
    results, links, conflicts = sample
    store = Store.open(tmp_path / "store")
    for r in results:
        store.replace_graph(document_iri(r.document.doc_id), rdf.document_quads(r))
    store.replace_graph(rdf.CORPUS_GRAPH, rdf.corpus_quads(links, conflicts))
    a = document_iri("a.txt")
    n_a = store.count(a)
    assert store.graphs() == sorted(map(str, [a, document_iri("b.txt"), rdf.CORPUS_GRAPH]))
    before = store.count()
    store.replace_graph(a, rdf.document_quads(results[0]))  # same content: no change
    assert store.count() == before
    smaller = [q for q in rdf.document_quads(results[0]) if q[1] != KG.holdsPosition]
    store.replace_graph(a, smaller)
    assert store.count(a) == len(smaller) < n_a
    store.drop_graph(a)
    store.drop_graph(a)  # absent: no error
    assert str(a) not in store.graphs()
    store.close()


def test_bulk_load_twice_does_not_duplicate(tmp_path, sample_quads):
    nq = tmp_path / "g.nq"
    nq.write_bytes(ox.serialize(list(rdf.ox_quads(sample_quads)), format=ox.RdfFormat.N_QUADS))
    store = Store.open(tmp_path / "store")
    store.bulk_load(nq)
    n = store.count()
    assert n == len(set(map(str, rdf.ox_quads(sample_quads))))
    store.bulk_load(nq)
    store.bulk_load(sample_quads)
    assert store.count() == n


def test_query_sees_union_of_graphs_with_bound_terms(sample_quads):
    store = Store.open()
    store.bulk_load(sample_quads)
    q = "SELECT DISTINCT ?e WHERE { ?o kg:hosted ?e . ?o rdfs:label ?name }"
    rows = list(store.query(q, {"name": Literal("人民网", lang="zh")}))
    assert [r["e"].value for r in rows] == [str(entity_iri("Event", "2024网上群众工作大会"))]
    assert list(store.query(q, {"name": Literal("人民网\" } ", lang="zh")})) == []


def test_store_reopens_read_only_and_dumps(tmp_path, sample_quads):
    store = Store.open(tmp_path / "store")
    store.bulk_load(sample_quads)
    n = store.count()
    store.close()
    del store
    ro = Store.open(tmp_path / "store", read_only=True)
    assert ro.count() == n
    ro.dump("nq", tmp_path / "out.nq")
    ro.dump(tmp_path / "out.ttl", ox.RdfFormat.TURTLE)  # argument order as kg.pipeline uses it
    assert len(list(ox.parse(path=str(tmp_path / "out.nq")))) == n
    assert (tmp_path / "out.ttl").read_text(encoding="utf-8").startswith("@prefix")


def test_in_memory_copy_holds_the_store_and_leaves_the_disk_alone(tmp_path, sample_quads):
    store = Store.open(tmp_path / "store")
    store.bulk_load(sample_quads)
    on_disk = sorted(str(q) for q in store.store.quads_for_pattern(None, None, None, None))
    store.close()
    del store
    memory = Store.open(tmp_path / "store", in_memory=True)
    assert memory.read_only
    assert sorted(str(q) for q in memory.store.quads_for_pattern(None, None, None, None)) == on_disk
    assert memory.graphs() and memory.count() == len(on_disk)
    memory.store.clear()  # a change to the copy never reaches the disk
    memory.close()
    again = Store.open(tmp_path / "store", read_only=True)
    assert again.count() == len(on_disk)
    again.close()


def test_in_memory_open_of_a_missing_store_fails_clearly(tmp_path):
    with pytest.raises(FileNotFoundError, match="no store here"):
        Store.open(tmp_path / "absent", in_memory=True)


def test_merged_graph_follows_every_write(tmp_path, sample):
    results, links, conflicts = sample
    store = Store.open(tmp_path / "store")
    a, b = (document_iri(r.document.doc_id) for r in results)
    store.replace_graph(a, rdf.document_quads(results[0]))
    store.replace_graph(b, rdf.document_quads(results[1]))
    store.replace_graph(rdf.CORPUS_GRAPH, rdf.corpus_quads(links, conflicts))
    assert merged_matches_graphs(store)
    label = f"<{entity_iri('Organization', '人民网')}> rdfs:label ?l"
    in_graphs = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {label} }} }}"
    merged = f"SELECT (COUNT(*) AS ?n) WHERE {{ {label} }}"
    assert int(next(store.query(in_graphs))[0].value) == 2  # one label, held by both articles
    assert int(next(store.query(merged))[0].value) == 1  # and seen once by a query that names no graph
    store.drop_graph(a)
    assert merged_matches_graphs(store)
    assert int(next(store.query(merged))[0].value) == 1  # b still holds it
    store.drop_graphs([b, rdf.CORPUS_GRAPH])
    assert merged_matches_graphs(store) and len(store.merged) == 0
    store.add_graphs([(str(a), b"".join(q.encode() for q in _nquad_lines(results[0])))])
    store.add([(entity_iri("Place", "南京"), RDFS.label, Literal("南京", lang="zh"), b)])
    assert merged_matches_graphs(store)
    store.close()


def _nquad_lines(result):
    return [f"{q} .\n" for q in rdf.ox_quads(rdf.document_quads(result))]


def test_removal_cut_off_leaves_a_marker_and_the_next_writable_open_rebuilds(tmp_path, sample_quads):
    store = Store.open(tmp_path / "store")
    store.bulk_load(sample_quads)
    assert merged_matches_graphs(store)
    store.close()
    stale = ox.Quad(ox.NamedNode("https://example.org/gone"), ox.NamedNode(str(RDFS.label)), ox.Literal("gone"))
    raw = ox.Store(str(tmp_path / "store" / MERGED_DIR))
    raw.add(stale)  # what a removal cut off by a kill leaves behind
    raw.flush()
    del raw
    (tmp_path / "store" / MERGED_PENDING).touch()
    ro = Store.open(tmp_path / "store", read_only=True)
    assert ro.merged is None  # a stale merged graph is not read; queries fall back to the union
    assert not ro.query('ASK { ?s ?p "gone" }')
    ro.close()
    store = Store.open(tmp_path / "store")
    assert not (tmp_path / "store" / MERGED_PENDING).exists()
    assert merged_matches_graphs(store)
    store.close()


def test_store_without_a_merged_graph_answers_from_the_union_until_opened_for_writing(tmp_path, sample_quads):
    raw = ox.Store(str(tmp_path / "store"))  # an older layout: named graphs only
    raw.bulk_extend(list(rdf.ox_quads(sample_quads)))
    raw.flush()
    del raw
    ro = Store.open(tmp_path / "store", read_only=True)
    assert ro.merged is None
    n = int(next(ro.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))[0].value)
    ro.close()
    store = Store.open(tmp_path / "store")
    assert merged_matches_graphs(store)
    assert int(next(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))[0].value) == len(store.merged) < n
    store.close()
