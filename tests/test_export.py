"""Exports in six syntaxes round-trip through rdflib and pyoxigraph with the same counts."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from kg.cli import main
from kg.export import EXPORT_FORMATS, export
from kg.store import Store

RDFLIB = {"nt": "nt", "nq": "nquads", "ttl": "turtle", "trig": "trig", "jsonld": "json-ld", "xml": "xml"}
OX = {"nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE,
      "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from conftest import make_results

    from kg import rdf

    results, links, conflicts = make_results()
    s = Store.open(tmp_path_factory.mktemp("export") / "store")
    for r in results:
        s.replace_graph(rdf.document_quads(r)[0][3], rdf.document_quads(r))
    s.replace_graph(rdf.CORPUS_GRAPH, rdf.corpus_quads(links, conflicts))
    return s


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_round_trip(store, fmt, tmp_path):
    path = tmp_path / f"graph.{fmt}"
    report = export(store, fmt, path)
    ox_items = list(ox.parse(path=str(path), format=OX[fmt]))
    if report.quads:
        assert report.statements == store.count()
        ds = Dataset()
        ds.parse(path, format=RDFLIB[fmt])
        assert len(list(ds.quads((None, None, None, None)))) == report.statements
        assert len(ox_items) == report.statements
        assert len({q.graph_name for q in ox_items}) == len(store.graphs())
    else:
        g = Graph().parse(path, format=RDFLIB[fmt])
        assert len(g) == report.statements == len(ox_items)
        assert report.statements < store.count()  # merged: facts shared by reprints counted once


def test_turtle_has_readable_prefixes(store, tmp_path):
    export(store, "ttl", tmp_path / "g.ttl")
    text = (tmp_path / "g.ttl").read_text(encoding="utf-8")
    assert "@prefix kg: <https://w3id.org/kg/ontology#> ." in text
    assert " kg:hosted " in text and "rdfs:label" in text


def test_cli_export(seed_out, tmp_path):
    out = tmp_path / "seed.nt"
    result = CliRunner().invoke(main, ["export", "--store", str(seed_out / "store"), "--format", "nt", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(out, format="nt")) == len(Graph().parse(seed_out / "graph.ttl"))
