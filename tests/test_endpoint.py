"""Named queries over HTTP: against `kg serve` and a real `oxigraph serve`, the answers the store gives."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import QUERY_PARAMS as PARAMS
from conftest import free_port, oxigraph_server

from kg import query as q
from kg.cli import main
from kg.endpoint import Endpoint
from kg.push import push
from kg.serve import Limits, running

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kg_serve(seed_out):
    with running(seed_out / "store", Limits(max_rows=100_000, workers=1)) as server:
        yield server.url


@pytest.mark.parametrize("named", q.named_queries(), ids=lambda n: n.name)
def test_every_named_query_answers_over_kg_serve_as_from_the_store(kg_serve, seed_store, named):
    local = q.run_query(seed_store, named, PARAMS.get(named.name, {}))
    remote = q.run_query(Endpoint(kg_serve), named, PARAMS.get(named.name, {}))
    assert remote.variables == local.variables
    assert remote.rows == local.rows


def test_a_parameter_stays_one_term_over_http(kg_serve, seed_store):
    hostile = q.run_query(Endpoint(kg_serve), "entity", {"name": '人民网"} } ; DROP ALL ; #>'})
    assert hostile.rows == []
    found = q.run_query(Endpoint(kg_serve), "entity", {"name": "人民网"})
    assert len(found.rows) > 5 and found.rows == q.run_query(seed_store, "entity", {"name": "人民网"}).rows


def test_inline_queries_use_kg_prefixes_and_ask_and_construct_work(kg_serve, seed_store):
    for text in ("ASK { ?p a kg:Platform }", "CONSTRUCT { ?p a kg:Platform } WHERE { ?p a kg:Platform }"):
        remote, local = q.run_query(Endpoint(kg_serve), text), q.run_query(seed_store, text)
        assert remote.boolean == local.boolean
        assert sorted(map(str, remote.triples or [])) == sorted(map(str, local.triples or []))
    assert q.run_query(Endpoint(kg_serve), "ASK { ?p a kg:Platform }").boolean is True


@pytest.mark.parametrize("text", [
    "SELECT ?s WHERE { ?s a kg:Platform LIMIT 2",
    "SELECT ?s\nWHERE {\n  ?s a kg:Platform .\n  FILTER(?s = )\n}",
])
def test_a_syntax_error_names_the_same_line_and_column_as_the_store(kg_serve, seed_store, text):
    with pytest.raises(q.QueryError) as remote:
        q.run_query(Endpoint(kg_serve), text)
    with pytest.raises(q.QueryError) as local:
        q.run_query(seed_store, text)
    assert "line" in str(local.value) and str(remote.value) == str(local.value)


def test_named_queries_run_in_the_triple_store_a_user_already_runs(tmp_path, seed_out, seed_store):
    with oxigraph_server(tmp_path / "remote", "--union-default-graph") as base:
        push(str(seed_out / "store"), f"{base}/store")
        for name in ("who-hosted", "who-organized", "statements", "events"):
            remote = q.run_query(Endpoint(f"{base}/query"), name)
            assert remote.rows and remote.rows == q.run_query(seed_store, name).rows, name


def test_an_unreachable_endpoint_is_a_clear_error():
    url = f"http://127.0.0.1:{free_port()}/sparql"
    with pytest.raises(q.QueryError, match=url):
        q.run_query(Endpoint(url, timeout=5), "who-hosted")


def test_cli_query_endpoint_prints_what_the_store_prints(kg_serve, seed_out):
    runner = CliRunner()
    store = runner.invoke(main, ["query", "who-hosted", "--store", str(seed_out / "store"), "-f", "csv"])
    remote = runner.invoke(main, ["query", "who-hosted", "--endpoint", kg_serve, "-f", "csv"])
    assert store.exit_code == 0 and remote.exit_code == 0, remote.output
    assert "2024网上群众工作大会" in remote.output and remote.output == store.output
    both = runner.invoke(main, ["query", "who-hosted", "--store", str(seed_out / "store"), "--endpoint", kg_serve])
    assert both.exit_code == 2 and "not both" in both.output
