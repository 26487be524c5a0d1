"""`kg serve` under hostile use: every spelling of SERVICE and UPDATE, endless queries, malformed HTTP.

Each test starts a real server on loopback over a small generated store and
stops it at the end.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from conftest import listener

from kg.readonly import refusal
from kg.serve import Limits, running
from kg.store import Store

pytestmark = pytest.mark.slow

#: 300 quads over 50 subjects and 3 graphs: four unconnected patterns join to 8·10⁹ rows.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP = ("ASK {}", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("hostile") / "store"
    store = Store.open(path)
    store.add(
        ox.Quad(ox.NamedNode(f"http://example.org/s{i % 50}"), ox.NamedNode(f"http://example.org/p{i % 7}"),
                ox.Literal(f"value {i}"), ox.NamedNode(f"http://example.org/g{i % 3}"))
        for i in range(300)
    )
    store.close()
    return str(path)


@pytest.fixture(scope="module")
def endpoint(small_store) -> Iterator[str]:
    with running(small_store, Limits(timeout=5.0, workers=2, read_timeout=1.0)) as server:
        yield server.url


def send(url: str, query: str, how: str) -> tuple[int, bytes]:
    """``query`` sent as the SPARQL 1.1 Protocol allows: GET query=, POST form, POST application/sparql-query."""
    if how == "get":
        req = urllib.request.Request(f"{url}?query={urllib.parse.quote(query)}")
    elif how == "form":
        req = urllib.request.Request(url, data=urllib.parse.urlencode({"query": query}).encode(), method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        req = urllib.request.Request(url, data=query.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-query"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


HOW = ("get", "form", "direct")

# --------------------------------------------------------------------------- SERVICE, LOAD and updates


def service_spellings(remote: str) -> dict[str, str]:
    inner = "{ ?s ?p ?o }"
    return {
        "plain": f"SELECT * WHERE {{ SERVICE <{remote}> {inner} }}",
        "no space": f"SELECT * WHERE {{ SERVICE<{remote}> {inner} }}",
        "silent, no space": f"SELECT * WHERE {{ SERVICE SILENT<{remote}> {inner} }}",
        "variable": f"SELECT * WHERE {{ BIND(<{remote}> AS ?e) SERVICE?e {inner} }}",
        "prefixed name": f"PREFIX r: <{remote.rsplit('/', 1)[0]}/> SELECT * WHERE {{ SERVICE r:sparql {inner} }}",
        "subquery": f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{remote}> {inner} }} }} }}",
        "optional": f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE <{remote}> {inner} }} }}",
        "union": f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ SERVICE <{remote}> {inner} }} }}",
        "minus": f"SELECT * WHERE {{ ?s ?b ?c MINUS {{ SERVICE <{remote}> {inner} }} }}",
        "filter exists": f"SELECT * WHERE {{ ?s ?b ?c FILTER EXISTS {{ SERVICE <{remote}> {inner} }} }}",
        "ask not exists": f"ASK {{ FILTER NOT EXISTS {{ SERVICE SILENT <{remote}> {inner} }} }}",
        "construct": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{remote}> {inner} }}",
        "describe": f"DESCRIBE ?s WHERE {{ SERVICE <{remote}> {inner} }}",
        "case, tabs, comment": f"select * where {{ sErViCe\t# a comment\n  <{remote}>\n{inner} }}",
        "escaped keyword": f"SELECT * WHERE {{ \\u0053ERVICE <{remote}> {inner} }}",
        "long escape": f"SELECT * WHERE {{ \\U00000053ERVICE <{remote}> {inner} }}",
    }


#: Updates, each with the operations the refusal names.
UPDATES = [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
    ("DELETE DATA { <urn:a> <urn:b> <urn:c> }", "DELETE DATA"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
    ("WITH <urn:g> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
    ("LOAD <http://127.0.0.1:9/data.nt>", "LOAD"),
    ("load silent <http://127.0.0.1:9/data.nt> into graph <urn:g>", "LOAD"),
    ("CLEAR ALL", "CLEAR"),
    ("CREATE GRAPH <urn:g>", "CREATE"),
    ("DROP DEFAULT", "DROP"),
    ("COPY <urn:a> TO <urn:b>", "COPY"),
    ("MOVE DEFAULT TO <urn:b>", "MOVE"),
    ("ADD <urn:a> TO DEFAULT", "ADD"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> } ;\nLOAD <http://127.0.0.1:9/x> ; DROP ALL", "INSERT DATA, LOAD, DROP"),
    ("PREFIX x: <urn:x#> \\u0049NSERT DATA { x:a x:b x:c }", "INSERT DATA"),
]

#: Queries that merely mention the words, in strings, IRIs, variables, prefixed names, comments and language tags.
LOOK_ALIKES = {
    "string": 'SELECT ?l WHERE { ?s ?p ?l FILTER(CONTAINS(?l, "LOAD") || CONTAINS(?l, "SERVICE <x> {}")) }',
    "IRI": "SELECT * WHERE { ?s <http://x/SERVICE> ?o . ?o <urn:INSERT> ?x }",
    "variables": "SELECT ?service ?load WHERE { ?service ?load ?drop } LIMIT 1 # SERVICE <http://x/> { }",
    "prefixed names": "PREFIX service: <urn:s#> SELECT * WHERE { ?s service:load ?o . ?o service:a.SERVICE ?x }",
    "language tag": 'ASK { ?s ?p "x"@service }',
    "escaped string": 'SELECT * WHERE { ?s ?p "\\u0053ERVICE <x> { }" }',
}




@pytest.mark.parametrize("how", HOW)
def test_every_spelling_of_service_is_refused_and_nothing_is_fetched(endpoint, how):
    with listener() as (remote, hits):
        for name, query in service_spellings(remote).items():
            status, body = send(endpoint, query, how)
            assert status == 400 and b"SERVICE is refused" in body, (name, status, body)
    assert hits == []


@pytest.mark.parametrize("how", HOW)
def test_every_update_and_load_is_refused_with_403_naming_it(endpoint, how):
    with listener() as (remote, hits):
        for update, operations in [*UPDATES, (f"LOAD <{remote}>", "LOAD")]:
            status, body = send(endpoint, update, how)
            assert status == 403 and f"SPARQL UPDATE is refused ({operations})".encode() in body, (update, status, body)
    assert hits == []


@pytest.mark.parametrize("how", HOW)
def test_text_that_is_no_query_is_refused_with_400(endpoint, how):
    for text in ("SELECT * {} ; INSERT DATA { <urn:a> <urn:b> <urn:c> }", "SELECT ?x WHERE { ?x ?p }",
                 "PREFIX a: <urn:a#>", "   ", "GRAPH <urn:g> { ?s ?p ?o }"):
        status, body = send(endpoint, text, how)
        assert status == 400, (text, status, body)
    status, body = send(endpoint, "SELECT ?x WHERE { ?x ?p }", how)
    assert b"error at 1:" in body  # Oxigraph's own line and column


def test_a_query_nested_past_what_the_engine_survives_is_refused_and_the_worker_lives(endpoint):
    deep = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"  # crashes Oxigraph's parser
    status, body = send(endpoint, deep, "direct")
    assert status == 400 and b"nests brackets 5002 deep" in body, body
    nested = "SELECT * WHERE { FILTER(" + "(" * 100 + "1" + ")" * 100 + ") } LIMIT 1"
    assert send(endpoint, nested, "direct")[0] == 200


@pytest.mark.parametrize("how", HOW)
def test_queries_that_only_mention_the_words_are_answered(endpoint, how):
    for name, query in LOOK_ALIKES.items():
        status, body = send(endpoint, query, how)
        assert status == 200, (name, status, body)
    status, body = send(endpoint, 'SELECT ?l WHERE { ?s ?p ?l FILTER(?l = "value 29") }', how)
    assert {b["l"]["value"] for b in json.loads(body)["results"]["bindings"]} == {"value 29"}


def test_the_parse_tree_alone_finds_every_spelling_of_service():
    from kg.readonly import _parse_query, _rule_names

    for name, query in service_spellings("http://127.0.0.1:9/sparql").items():
        tree, error = _parse_query(query)
        assert tree is not None and "ServiceGraphPattern" in set(_rule_names(tree)), (name, error)
    for name, query in LOOK_ALIKES.items():
        tree, error = _parse_query(query)
        assert tree is not None and "ServiceGraphPattern" not in set(_rule_names(tree)), (name, error)


def test_the_decision_is_the_parse_not_the_words():
    """The same words decide nothing: position in the grammar does."""
    assert refusal("SELECT * WHERE { ?s ?p ?o }") is None
    assert refusal('SELECT * WHERE { ?s ?p "LOAD <http://x/> ; DROP ALL" }') is None
    assert refusal("SELECT ?load WHERE { ?load ?p ?o }") is None
    assert refusal("LOAD <http://x/>").status == 403
    assert refusal("SELECT * WHERE { SERVICE ?load { ?s ?p ?o } }").status == 400
    # thousands of patterns in one group still parse (rdflib's parser recurses per pattern)
    many = "SELECT * WHERE { " + " ".join(f"?s{i} <urn:p> {i} ." for i in range(2000)) + " }"
    assert refusal(many) is None


# --------------------------------------------------------------------------- long queries cannot starve quick ones


def test_a_cheap_query_is_answered_within_1_s_while_two_endless_queries_run(small_store):
    limits = Limits(timeout=4.0, workers=3, long_after=0.5)
    with running(small_store, limits) as server:
        endless: list[tuple[int, bytes, float]] = []

        def run_endless() -> None:
            t0 = time.monotonic()
            status, body = send(server.url, ENDLESS, "get")
            endless.append((status, body, time.monotonic() - t0))

        threads = [threading.Thread(target=run_endless) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(1.0)  # both are now long queries, each holding a worker
        for query in CHEAP * 2:
            t0 = time.monotonic()
            status, body = send(server.url, query, "direct")
            took = time.monotonic() - t0
            assert status == 200 and took < 1.0, (query, status, body, took)
        t0 = time.monotonic()
        status, body = send(server.url, ENDLESS, "form")  # a third long query finds both long slots taken
        assert status == 503 and b"long queries are already running" in body, body
        assert time.monotonic() - t0 < limits.timeout
        for t in threads:
            t.join(30)
        assert [s for s, _, _ in endless] == [503, 503]
        assert all(b"timed out after 4 s" in body and took < 10 for _, body, took in endless), endless


# --------------------------------------------------------------------------- malformed HTTP


def raw(url: str, request: bytes, half_close: bool = False) -> tuple[int, float]:
    """The status a raw request gets and the seconds it took; the client keeps its side open unless told."""
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    t0 = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=15) as sock:
        sock.sendall(request)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        reply = b""
        while b"\r\n" not in reply:
            part = sock.recv(4096)
            if not part:
                break
            reply += part
    status = int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else 0
    return status, time.monotonic() - t0


def post(headers: str, body: bytes = b"ASK {}") -> bytes:
    return f"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n{headers}\r\n".encode() + body


MALFORMED = {
    "negative length": (post("Content-Length: -1\r\n"), 400),
    "length not a number": (post("Content-Length: abc\r\n"), 400),
    "huge length": (post("Content-Length: 99999999999999\r\n"), 413),
    "no length": (post(""), 411),
    "chunked": (post("Transfer-Encoding: chunked\r\n", b"6\r\nASK {}\r\n0\r\n\r\n"), 411),
    "two different lengths": (post("Content-Length: 6\r\nContent-Length: 60\r\n"), 400),
    "non-ASCII header name": (post("Content-Length: 6\r\n\xe9t\xe9: 1\r\n"), 400),
    "non-ASCII Content-Type": (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\xff\r\n"
                               b"Content-Length: 6\r\n\r\nASK {}", 400),
    "non-ASCII request line": (b"GET /sparql?query=ASK\xc3\xa9{} HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    "header line with no colon": (post("Content-Length: 6\r\nno colon here\r\n"), 400),
    "over-long request line": (b"GET /sparql?query=" + b"A" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    "over-long header": (post("Content-Length: 6\r\nX-Long: " + "a" * 70_000 + "\r\n"), 431),
    "too many headers": (post("Content-Length: 6\r\n" + "".join(f"X-{i}: 1\r\n" for i in range(150))), 431),
}


def test_malformed_headers_get_a_4xx_at_once_and_the_server_keeps_answering(endpoint):
    for name, (request, expected) in MALFORMED.items():
        status, took = raw(endpoint, request)
        assert status == expected and took < 1.0, (name, status, took)
        assert send(endpoint, "ASK {}", "get")[0] == 200, name


def test_a_body_that_does_not_come_gets_a_4xx_within_the_read_timeout(endpoint):
    short = post("Content-Length: 500\r\n")  # 6 of 500 bytes
    status, took = raw(endpoint, short)
    assert status == 408 and took < 3.0, (status, took)  # read_timeout is 1 s here
    status, took = raw(endpoint, short, half_close=True)
    assert status == 400 and took < 1.0, (status, took)
    status, took = raw(endpoint, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n")  # headers never end
    assert status == 408 and took < 3.0, (status, took)
    identical = post("Content-Length: 6\r\nContent-Length: 6\r\n")
    assert raw(endpoint, identical)[0] == 200  # the same length twice is one length
    assert send(endpoint, "ASK {}", "get")[0] == 200


# --------------------------------------------------------------------------- the command line


def test_kg_serve_takes_the_long_query_policy_from_its_options_and_ends_its_workers_on_sigterm(small_store):
    import os
    import subprocess
    import sys
    from pathlib import Path

    from conftest import free_port

    port = free_port()
    kg = Path(sys.executable).with_name("kg")
    proc = subprocess.Popen(
        [str(kg), "serve", "--store", small_store, "--port", str(port), "--workers", "2", "--long-after", "0.3", "--timeout", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        assert b"SPARQL endpoint on" in proc.stderr.readline()
        answers: list[bytes] = []
        threads = [threading.Thread(target=lambda: answers.append(send(url, ENDLESS, "get")[1])) for _ in range(2)]
        for t in threads:
            t.start()
            time.sleep(0.1)
        for t in threads:
            t.join(30)
        # two workers: one long query at a time, the other stopped at 0.3 s
        assert sorted(answers) == [b"query stopped after 0.3 s: 1 long query is already running and a worker "
                                   b"is kept for quick ones; try again later or narrow the query\n",
                                   b"query timed out after 2 s\n"], answers
    finally:
        proc.terminate()
        assert proc.wait(10) == 0
