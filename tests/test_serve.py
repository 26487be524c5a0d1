"""The read-only SPARQL endpoint, exercised with urllib against a server started here."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import listener

from kg.serve import Limits, running, uses_service

pytestmark = pytest.mark.slow

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module", params=[False, True], ids=["on-disk", "in-memory"])
def endpoint(seed_out, request):
    limits = Limits(timeout=1.5, max_rows=200, workers=1, in_memory=request.param)
    with running(seed_out / "store", limits) as server:
        yield server, server.url


def get(url: str, query: str, accept: str = "application/sparql-results+json") -> tuple[int, str, bytes]:
    req = urllib.request.Request(f"{url}?query={urllib.parse.quote(query)}", headers={"Accept": accept})
    return _open(req)


def post(url: str, body: bytes, ctype: str) -> tuple[int, str, bytes]:
    return _open(urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": ctype}))


def _open(req) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers["Content-Type"], r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def test_binds_loopback_by_default(endpoint):
    server, _ = endpoint
    assert server.server_address[0] == "127.0.0.1"


def test_select_get_and_post(endpoint):
    _, url = endpoint
    q = 'SELECT DISTINCT ?e WHERE { ?o <https://w3id.org/kg/ontology#hosted> ?e ; <http://www.w3.org/2000/01/rdf-schema#label> "人民网"@zh }'
    status, ctype, body = get(url, q)
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    values = {b["e"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert any(v.endswith("2024%E7%BD%91%E4%B8%8A%E7%BE%A4%E4%BC%97%E5%B7%A5%E4%BD%9C%E5%A4%A7%E4%BC%9A") for v in values)
    status, ctype, body = post(url, q.encode(), "application/sparql-query")
    assert status == 200 and json.loads(body)["results"]["bindings"]
    status, ctype, body = post(url, urllib.parse.urlencode({"query": q, "format": "csv"}).encode(), "application/x-www-form-urlencoded")
    assert status == 200 and ctype.startswith("text/csv") and body.decode().startswith("e\r\n")


def test_ask_and_construct(endpoint):
    _, url = endpoint
    status, _, body = get(url, "ASK { ?s a <https://w3id.org/kg/ontology#Platform> }")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, ctype, body = get(url, "CONSTRUCT WHERE { ?s a <https://w3id.org/kg/ontology#Platform> } LIMIT 5", "text/turtle")
    assert status == 200 and ctype.startswith("text/turtle") and b"kg:Platform" in body


def test_update_is_refused(endpoint):
    _, url = endpoint
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert post(url, update.encode(), "application/sparql-update")[0] == 403
    assert post(url, urllib.parse.urlencode({"update": update}).encode(), "application/x-www-form-urlencoded")[0] == 403
    assert _open(urllib.request.Request(f"{url}?update={urllib.parse.quote(update)}"))[0] == 403
    assert get(url, update)[0] == 403
    status, _, body = get(url, "ASK { <urn:a> <urn:b> <urn:c> }")
    assert json.loads(body)["boolean"] is False


def test_service_is_refused(endpoint):
    _, url = endpoint
    status, _, body = get(url, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert status == 400 and b"SERVICE" in body
    assert uses_service("select * where { service silent ?ep { ?s ?p ?o } }")
    # A variable, a string or an IRI that merely contains the word is fine.
    assert not uses_service('SELECT ?service WHERE { ?service ?p "SERVICE <x>" . ?x <urn:SERVICE> ?y }')
    assert get(url, 'SELECT ?service WHERE { BIND("SERVICE <x>" AS ?service) }')[0] == 200


def test_row_limit(endpoint):
    _, url = endpoint
    status, _, body = get(url, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 400 and b"LIMIT" in body
    assert get(url, "SELECT * WHERE { ?s ?p ?o } LIMIT 10")[0] == 200


def test_timeout_stops_the_query_and_the_endpoint_recovers(endpoint):
    _, url = endpoint
    status, _, body = get(url, HEAVY)
    assert status == 503 and b"timed out" in body
    assert get(url, "ASK { ?s ?p ?o }")[0] == 200


def test_syntax_error_is_400(endpoint):
    _, url = endpoint
    status, _, body = get(url, "SELECT ?x WHERE { ?x ?p }")
    assert status == 400 and b"1:" in body


@pytest.mark.parametrize("value_chars", [10, 40_000], ids=["short-rows", "rows-past-the-byte-budget"])
def test_json_row_limit_counts_rows_whatever_their_size(value_chars):
    import pyoxigraph as ox

    from kg.serve import _answer
    from kg.store import Store

    store = Store(ox.Store())
    for i in range(3):
        store.store.add(ox.Quad(ox.NamedNode(f"http://example.com/{i}"), ox.NamedNode("http://example.com/p"),
                                ox.Literal("x" * value_chars)))
    select = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"
    status, ctype, body = _answer(store, select, "application/sparql-results+json", max_rows=3)
    assert status == 200 and ctype == "application/sparql-results+json"
    rows = [tuple(s) for s in ox.parse_query_results(body, ox.QueryResultsFormat.JSON)]
    assert rows == [tuple(s) for s in store.store.query(select)] and len(rows[0][1].value) == value_chars
    status, _, body = _answer(store, select, "application/sparql-results+json", max_rows=2)
    assert status == 400 and b"more than 2 rows" in body


def test_service_without_a_space_is_refused_and_nothing_is_fetched(endpoint):
    _, url = endpoint
    with listener() as (remote, hits):
        for query in (
            f"SELECT * WHERE {{ SERVICE<{remote}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT<{remote}> {{ ?s ?p ?o }} }}",
            "SELECT * WHERE { BIND(<" + remote + "> AS ?e) SERVICE?e { ?s ?p ?o } }",
        ):
            assert uses_service(query), query
            status, _, body = get(url, query)
            assert status == 400 and b"SERVICE" in body
    assert hits == []


def test_a_bad_content_length_gets_a_400_at_once(endpoint):
    import socket

    _, url = endpoint
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    for value in ("abc", "-1"):
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(
                f"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: {value}\r\n\r\n".encode()
            )
            reply = sock.recv(4096).decode("latin-1")
        assert reply.startswith("HTTP/1.0 400") or reply.startswith("HTTP/1.1 400"), reply


def test_a_query_that_finds_every_worker_busy_gets_a_503_not_a_long_wait(seed_out):
    import threading
    import time

    limits = Limits(timeout=4.0, max_rows=200, workers=1, patience=0.3)
    with running(seed_out / "store", limits) as server:
        slow = threading.Thread(target=get, args=(server.url, HEAVY))
        slow.start()
        time.sleep(0.5)  # the one worker is now on the heavy query
        t0 = time.monotonic()
        status, _, body = get(server.url, "ASK { ?s ?p ?o }")
        waited = time.monotonic() - t0
        slow.join()
        assert status == 503 and b"busy" in body
        assert waited < 2.0
        assert answered_soon(server.url, "ASK { ?s ?p ?o }", within=10.0)  # free again, once a new worker is up


def answered_soon(url: str, query: str, within: float) -> bool:
    """True once ``query`` gets a 200 before ``within`` seconds pass (a stopped worker is replaced in the background)."""
    import time

    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if get(url, query)[0] == 200:
            return True
        time.sleep(0.1)
    return False


def test_the_explorer_links_an_entity_its_facts_their_sentences_and_articles(endpoint):
    import html
    import re

    _, url = endpoint
    base = url.rsplit("/sparql", 1)[0]

    def page(path: str) -> tuple[int, str]:
        status, ctype, body = _open(urllib.request.Request(base + path))
        assert status != 200 or ctype.startswith("text/html")
        return status, body.decode("utf-8")

    status, found = page("/explore/search?q=" + urllib.parse.quote("人民网"))
    assert status == 200 and "人民网" in found
    entity = re.search(r'href="(/explore/entity\?iri=[^"]+)">人民网<', found).group(1)
    status, text = page(html.unescape(entity))
    assert status == 200 and "hosted" in text and "<td>" in text
    article = re.search(r'href="(/explore/article\?iri=[^"]+)"', text).group(1)
    status, art = page(html.unescape(article))
    assert status == 200 and "facts read from it" in art
    assert page("/explore/entity?iri=" + urllib.parse.quote('urn:x> } DROP ALL { <urn:y'))[0] == 404
    status, escaped = page("/explore/search?q=" + urllib.parse.quote('<script>"x'))
    assert status == 200 and "<script>" not in escaped


def test_an_article_page_shows_its_other_versions_and_where_they_disagree(endpoint):
    _, url = endpoint
    base = url.rsplit("/sparql", 1)[0]
    article = urllib.parse.quote("https://w3id.org/kg/id/doc/000_973fc1f3ca03fb10.txt", safe="")
    status, _, body = _open(urllib.request.Request(base + "/explore/article?iri=" + article))
    text = body.decode("utf-8")
    assert status == 200
    versions = text[text.index("other versions") : text.index("conflicts")]
    assert "reprinted as" in versions and "001_5c4cc861f752e91e.txt" in versions
    disagreements = text[text.index("conflicts") :]
    assert "speaker" in disagreements and "强舸" in disagreements and "靳珂" in disagreements


def test_an_entity_page_links_the_graph_page_focused_on_it(endpoint):
    import html
    import re

    _, url = endpoint
    base = url.rsplit("/sparql", 1)[0]
    entity = "https://w3id.org/kg/id/Organization/" + urllib.parse.quote("人民网")
    _, _, body = _open(urllib.request.Request(base + "/explore/entity?iri=" + urllib.parse.quote(entity, safe="")))
    graph = html.unescape(re.search(r'href="(/explore/graph\?iri=[^"]+)"', body.decode("utf-8")).group(1))
    status, ctype, page = _open(urllib.request.Request(base + graph))
    text = page.decode("utf-8")
    assert status == 200 and ctype.startswith("text/html")
    assert "<title>人民网 · kg" in text and re.search(r'"focus":\[\d+\]', text)
    shown = {m.group(1) for m in re.finditer(r'"label":"([^"]+)"', text)}
    assert {"人民网", "领导留言板", "2024网上群众工作大会"} <= shown  # the entity and its neighbours, with their facts
    missing = urllib.parse.quote("https://w3id.org/kg/id/Organization/nothing", safe="")
    assert _open(urllib.request.Request(base + "/explore/graph?iri=" + missing))[0] == 404


def test_without_vis_network_the_graph_page_says_what_to_install(endpoint, monkeypatch):
    from kg import viz

    monkeypatch.setattr(viz, "VIS_PACKAGE", "kg_no_such_package")
    _, url = endpoint
    base = url.rsplit("/sparql", 1)[0]
    entity = urllib.parse.quote("https://w3id.org/kg/id/Organization/" + urllib.parse.quote("人民网"), safe="")
    status, ctype, body = _open(urllib.request.Request(base + "/explore/graph?iri=" + entity))
    assert status == 500 and ctype.startswith("text/plain")
    assert f"pip install --no-deps '{viz.VIS_REQUIREMENT}'" in body.decode("utf-8")
    assert _open(urllib.request.Request(base + "/explore/search?q=" + urllib.parse.quote("人民网")))[0] == 200


def test_the_explorer_runs_named_queries_and_sparql_under_the_same_refusals(endpoint):
    _, url = endpoint
    base = url.rsplit("/sparql", 1)[0]

    def page(path: str) -> tuple[int, str]:
        status, _, body = _open(urllib.request.Request(base + path))
        return status, body.decode("utf-8")

    status, listing = page("/explore/queries")
    assert status == 200 and "who-hosted" in listing
    status, hosted = page("/explore/query?name=who-hosted")
    assert status == 200 and "人民网" in hosted
    select = "SELECT ?e WHERE { ?e a <https://w3id.org/kg/ontology#Platform> } LIMIT 3"
    status, rows = page("/explore/query?sparql=" + urllib.parse.quote(select))
    assert status == 200 and "3 rows" in rows and rows.count('href="/explore/entity?iri=') == 3  # IRIs link to pages
    remote = "SELECT * WHERE { SERVICE<http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert page("/explore/query?sparql=" + urllib.parse.quote(remote))[0] == 400
    assert page("/explore/query?name=no-such-query")[0] == 404


CRAFTED = "<script>1"


def test_a_crafted_label_stays_text_on_every_explorer_page(tmp_path):
    import html
    import re

    from kg.pipeline import build

    corpus = tmp_path / "crafted.jsonl"
    text = f"人民网的“{CRAFTED}”栏目近日上线，网友可以在“{CRAFTED}”栏目留言。"
    corpus.write_text(json.dumps({"id": "crafted-1", "title": CRAFTED, "date": "2024-06-01", "text": text}) + "\n")
    assert build([corpus], tmp_path / "out").ok
    with running(tmp_path / "out" / "store", Limits(timeout=5.0, workers=1)) as server:
        base = server.url.rsplit("/sparql", 1)[0]

        def page(path: str) -> str:
            status, ctype, body = _open(urllib.request.Request(base + path))
            assert status == 200 and ctype.startswith("text/html"), (path, status)
            return body.decode("utf-8")

        pages = {"search": page("/explore/search?q=" + urllib.parse.quote(CRAFTED))}
        entity = re.search(r'href="(/explore/entity\?iri=[^"]+)"', pages["search"]).group(1)
        pages["entity"] = page(html.unescape(entity))
        pages["article"] = page(html.unescape(re.search(r'href="(/explore/article\?iri=[^"]+)"', pages["entity"]).group(1)))
        pages["graph"] = page(html.unescape(re.search(r'href="(/explore/graph\?iri=[^"]+)"', pages["entity"]).group(1)))
        pages["query"] = page("/explore/query?name=platforms")
    for name, body in pages.items():
        assert CRAFTED not in body, name  # never markup
    for name in ("search", "entity", "article", "query"):
        assert html.escape(CRAFTED, quote=False) in pages[name], name  # shown as text
    assert "\\u003cscript\\u003e1" in pages["graph"]  # inside the page's JSON data, escaped for the script block
