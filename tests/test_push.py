"""Push over the Graph Store Protocol to a real `oxigraph serve`, started here on a free port."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner
from conftest import free_port, oxigraph_server

from kg import rdf
from kg.cli import main
from kg.namespace import KG, document_iri
from kg.push import PushError, Target, push
from kg.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path):
    with oxigraph_server(tmp_path / "remote") as base:
        yield base


def remote_counts(base: str) -> dict[str, int]:
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    req = urllib.request.Request(f"{base}/query?query={urllib.parse.quote(q)}", headers={"Accept": "application/sparql-results+json"})
    data = json.load(urllib.request.urlopen(req, timeout=10))
    return {b["g"]["value"]: int(b["n"]["value"]) for b in data["results"]["bindings"]}


@pytest.fixture
def local(tmp_path, sample):
    results, links, conflicts = sample
    s = Store.open(tmp_path / "local")
    for r in results:
        s.replace_graph(document_iri(r.document.doc_id), rdf.document_quads(r))
    s.replace_graph(rdf.CORPUS_GRAPH, rdf.corpus_quads(links, conflicts))
    return s


def test_push_all_graphs_in_batches(server, local):
    report = push(local, f"{server}/store", batch_size=40)
    expected = {g: local.count(g) for g in local.graphs()}
    assert remote_counts(server) == expected
    assert report.triples == sum(expected.values()) and report.graphs == len(expected)
    assert report.requests > report.graphs  # more than one batch per graph
    push(local, f"{server}/store")  # adding the same triples again changes nothing
    assert remote_counts(server) == expected


def test_replace_one_named_graph(server, local, sample):
    push(local, f"{server}/store")
    a = document_iri("a.txt")
    smaller = [q for q in rdf.document_quads(sample[0][0]) if q[1] != KG.holdsPosition]
    local.replace_graph(a, smaller)
    push(local, f"{server}/store", graph=str(a))  # POST adds: the old triples stay
    assert remote_counts(server)[str(a)] > len(smaller)
    push(local, f"{server}/store", graph=str(a), replace=True)
    counts = remote_counts(server)
    assert counts[str(a)] == len(smaller)
    assert counts[str(document_iri("b.txt"))] == local.count(document_iri("b.txt"))  # other graphs untouched


def test_cli_push(server, local, tmp_path):
    local.close()
    path = str(local.path)
    del local
    result = CliRunner().invoke(main, ["push", "--store", path, "--endpoint", f"{server}/store", "--replace"])
    assert result.exit_code == 0, result.output
    assert "pushed" in result.output
    assert sum(remote_counts(server).values()) == Store.open(path, read_only=True).count()


def test_http_failure_is_a_clear_error(server, local):
    with pytest.raises(PushError, match=r"HTTP 404"):
        push(local, Target(f"{server}/no-such-service", sleep=lambda s: None))


def test_unreachable_endpoint_retries_then_fails(local):
    waits: list[float] = []
    target = Target(f"http://127.0.0.1:{free_port()}/store", retries=3, backoff=0.5, sleep=waits.append, timeout=2)
    with pytest.raises(PushError, match="after 4 attempts"):
        push(local, target)
    assert waits == [0.5, 1.0, 2.0]  # exponential backoff
