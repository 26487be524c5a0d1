"""Shared fixtures: hand-made document results, and the seed graph built once per session."""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kg.types import (
    Conflict,
    DocMeta,
    Document,
    DocumentResult,
    Entity,
    EntityType,
    Evidence,
    Fact,
    ReprintLink,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "seeds"

#: Parameters for the named queries that need them, naming things the seed graph holds.
QUERY_PARAMS = {
    "entity": {"name": "人民网"},
    "evidence": {"subject": "人民网", "predicate": "hosted", "object": "2024网上群众工作大会"},
    "entities-by-type": {"type": "Platform"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def oxigraph_server(location: Path, *options: str) -> Iterator[str]:
    """A real ``oxigraph serve`` on a free loopback port, stopped on exit; yields its base URL."""
    local = Path(sys.executable).with_name("oxigraph")
    binary = str(local) if local.exists() else shutil.which("oxigraph")
    if not binary:
        pytest.fail("the oxigraph server is missing: pip install -e '.[dev]' installs it")
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *options],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"oxigraph serve did not start: {proc.stderr.read().decode()}")
            time.sleep(0.1)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def merged_matches_graphs(store) -> bool:
    """The store's merged graph holds every distinct triple of its graphs, and nothing else."""
    import pyoxigraph as ox

    if store.merged is None:
        return False
    graphs = {(q.subject, q.predicate, q.object) for q in store.store.quads_for_pattern(None, None, None, None)}
    merged = [(q.subject, q.predicate, q.object) for q in store.merged.quads_for_pattern(None, None, None, None)]
    in_default = all(q.graph_name == ox.DefaultGraph() for q in store.merged.quads_for_pattern(None, None, None, None))
    return in_default and len(merged) == len(set(merged)) and set(merged) == graphs


def _doc(doc_id: str, text: str, title: str) -> Document:
    raw = "\u3000\u3000" + text  # two leading full-width spaces the normaliser dropped
    offsets = tuple(range(2, len(raw))) + (len(raw),)
    meta = DocMeta(title=title, date="2024-12-17", print_line="《人民日报》（2024年12月17日 第14版）",
                   publisher="人民日报", authors=("曾帆", "白宛松"))
    return Document(doc_id, f"data/seeds/{doc_id}", raw, text, offsets, meta, "ab" * 32)


def _fact(doc_id: str, text: str, sentence: str, s: str, st: str, p: str, o: str, ot: str, rule: str,
          quote: str | None = None) -> Fact:
    start = text.index(sentence)
    ev = Evidence(doc_id, sentence, start, start + len(sentence), rule, 0.93, quote)
    return Fact(s, st, p, o, ot, ev)


def make_results() -> tuple[list[DocumentResult], list[ReprintLink], list[Conflict]]:
    """Two versions of one report: same hosting fact, one quote given to different speakers."""
    s1 = "由人民网主办的2024网上群众工作大会在人民日报社召开。"
    s2 = "罗华说：“人民网“领导留言板”架起了党群连心桥。”"
    results = []
    for doc_id, speaker in (("a.txt", "罗华"), ("b.txt", "叶蓁蓁")):
        sent2 = s2.replace("罗华", speaker)
        text = s1 + sent2
        q = "人民网“领导留言板”架起了党群连心桥。"
        facts = [
            _fact(doc_id, text, s1, "人民网", "Organization", "hosted", "2024网上群众工作大会", "Event", "hosted.主办"),
            _fact(doc_id, text, s1, "2024网上群众工作大会", "Event", "startDate", "2024-12-12", "date", "startDate.article"),
            _fact(doc_id, text, sent2, speaker, "Person", "commentedOn", "领导留言板", "Platform", "commentedOn.quote", q),
            _fact(doc_id, text, sent2, "人民网", "Organization", "operates", "领导留言板", "Platform", "operates.possessive"),
            _fact(doc_id, text, sent2, speaker, "Person", "holdsPosition", "人民网总编辑", "text", "title.phrase"),
            _fact(doc_id, text, s1, "人民网", "Organization", "type", "Organization", "class", "type"),
        ]
        entities = [
            Entity("人民网", EntityType.ORGANIZATION, frozenset({"人民網"})),
            Entity("2024网上群众工作大会", EntityType.EVENT),
            Entity("领导留言板", EntityType.PLATFORM, frozenset({"“领导留言板”"})),
            Entity(speaker, EntityType.PERSON),
        ]
        results.append(DocumentResult(_doc(doc_id, text, "畅通互动渠道 更好服务群众"), entities, facts))
    links = [ReprintLink("a.txt", "b.txt", 0.96)]
    quotes = tuple(f for r in results for f in r.facts if f.predicate == "commentedOn")
    conflicts = [Conflict("a.txt", "b.txt", "speaker", quotes, "a.txt 作 罗华，b.txt 作 叶蓁蓁")]
    return results, links, conflicts


@pytest.fixture
def sample():
    """``(results, links, conflicts)`` of two hand-made reprints (see ``make_results``)."""
    return make_results()


@pytest.fixture
def sample_quads(sample):
    from kg import rdf

    results, links, conflicts = sample
    quads = [q for r in results for q in rdf.document_quads(r)]
    return quads + rdf.corpus_quads(links, conflicts)


@pytest.fixture(scope="session")
def seed_out(tmp_path_factory) -> Path:
    """``kg build data/seeds`` into a temporary directory, once per session."""
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seed-build")
    report = build([SEEDS], out)
    assert report.ok, report.errors
    return out


@pytest.fixture(scope="session")
def seed_store(seed_out):
    """The seed graph's store, opened read-only."""
    from kg.store import Store

    s = Store.open(seed_out / "store", read_only=True)
    yield s
    s.close()


@contextmanager
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request: SERVICE or LOAD reaching out would show here."""
    hits: list[str] = []

    class Record(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the base class's name
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_GET = do_POST  # noqa: N815

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Record)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", hits
    finally:
        server.shutdown()
        server.server_close()
