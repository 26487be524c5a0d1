"""The in-memory copy of the store answers as the store on disk does."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from conftest import QUERY_PARAMS as PARAMS

from kg import query as q
from kg.export import export
from kg.store import Store, names_graphs


@pytest.fixture(scope="module")
def memory_store(seed_out):
    s = Store.open(seed_out / "store", in_memory=True)
    yield s
    s.close()


@pytest.mark.parametrize("name", [n.name for n in q.named_queries()])
def test_named_query_rows_match_the_disk(name, seed_store, memory_store):
    on_disk = q.run_query(seed_store, name, PARAMS.get(name, {}))
    in_memory = q.run_query(memory_store, name, PARAMS.get(name, {}))
    assert on_disk.rows, name
    assert _cells(in_memory) == _cells(on_disk)


def _cells(result: q.QueryResult) -> list[tuple[tuple[str, ...], ...]]:
    """Rows in order; a GROUP_CONCAT cell as its sorted parts (SPARQL leaves their order open)."""
    return [tuple(tuple(sorted(re.split(r"[ 、；]", "" if t is None else t.value))) for t in row) for row in result.rows]


def test_graph_queries_see_the_named_graphs(seed_store, memory_store):
    text = "SELECT (COUNT(DISTINCT ?g) AS ?n) (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert names_graphs(text)
    assert list(memory_store.query(text))[0][0].value == list(seed_store.query(text))[0][0].value != "0"
    assert not names_graphs('SELECT ?s WHERE { ?s <urn:GRAPH> "FROM GRAPH" } # GRAPH')


@pytest.mark.parametrize("fmt", ["nt", "nq", "ttl"])
def test_exports_match_the_disk(fmt, seed_store, memory_store, tmp_path):
    a = export(seed_store, fmt, tmp_path / f"disk.{fmt}")
    b = export(memory_store, fmt, tmp_path / f"memory.{fmt}")
    assert a.statements == b.statements > 0

    def statements(path):
        return {str(x) for x in ox.parse(path=str(path))}

    assert statements(a.path) == statements(b.path)
