"""Push the store to another triple store over the SPARQL 1.1 Graph Store HTTP Protocol.

Every store the README names speaks this protocol (Oxigraph ``/store``,
Fuseki ``/<dataset>/data``, GraphDB ``/repositories/<repo>/rdf-graphs/service``,
Virtuoso ``/sparql-graph-crud-auth``), so one client covers them. Each named
graph is sent as N-Triples in batches: POST adds; with ``replace`` the first
batch is a PUT, which replaces the graph. Failed requests are retried with
exponential backoff; a request that still fails raises ``PushError`` with
the HTTP status and the server's message.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg import http
from kg.store import Store

DEFAULT = "default"  # the name ``--graph`` takes for the default graph
_RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


class PushError(Exception):
    """An HTTP request that failed for good."""


@dataclass
class PushReport:
    graphs: int = 0
    triples: int = 0
    requests: int = 0
    retries: int = 0
    per_graph: dict[str, int] = field(default_factory=dict)


@dataclass
class Target:
    """A Graph Store Protocol endpoint and how to talk to it."""

    endpoint: str
    auth: str | None = None  # "user:password", for HTTP Basic or Digest auth
    graph_param: str = "graph"  # Virtuoso's older servers want "graph-uri"
    timeout: float = 60.0
    retries: int = 4
    backoff: float = 0.5
    sleep: Callable[[float], None] = time.sleep

    def url(self, graph: str | None) -> str:
        sep = "&" if "?" in self.endpoint else "?"
        if graph is None:
            return f"{self.endpoint}{sep}default"
        return f"{self.endpoint}{sep}{self.graph_param}={urllib.parse.quote(graph, safe='')}"

    def send(self, method: str, graph: str | None, body: bytes, report: PushReport) -> None:
        headers = {"Content-Type": "application/n-triples; charset=utf-8"}
        url = self.url(graph)
        opener = http.opener(self.endpoint, self.auth)
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            report.requests += 1
            try:
                with opener.open(request, timeout=self.timeout) as response:
                    response.read()
                return
            except urllib.error.HTTPError as exc:
                detail = exc.read()[:500].decode("utf-8", "replace").strip()
                if exc.code not in _RETRY_STATUS or attempt == self.retries:
                    raise PushError(f"{method} {url}: HTTP {exc.code} {exc.reason}{': ' + detail if detail else ''}") from None
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                if attempt == self.retries:
                    raise PushError(f"{method} {url}: {reason} (after {attempt + 1} attempts)") from None
            report.retries += 1
            self.sleep(self.backoff * 2**attempt)


def _batches(triples: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for t in triples:
        batch.append(t)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _triples(store: Store, graph: str | None) -> Iterator[ox.Triple]:
    g = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
    for q in store.store.quads_for_pattern(None, None, None, g):
        yield q.triple


def push(
    store: Store | str,
    target: Target | str,
    graph: str | None = None,
    replace: bool = False,
    batch_size: int = 50_000,
) -> PushReport:
    """Send every named graph (and the default graph if it holds triples), or only ``graph``.

    ``graph`` is a graph IRI or ``"default"``. With ``replace`` each graph
    sent replaces the remote graph of the same name; otherwise triples are added.
    """
    own = not isinstance(store, Store)
    s = Store.open(store, read_only=True) if own else store
    t = Target(target) if isinstance(target, str) else target
    report = PushReport()
    try:
        if graph is None:
            names: list[str | None] = list(s.graphs())
            if next(iter(s.store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
                names.insert(0, None)
        else:
            names = [None if graph == DEFAULT else graph]
        for name in names:
            sent = 0
            first = True
            for batch in _batches(_triples(s, name), batch_size):
                body = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES)
                t.send("PUT" if replace and first else "POST", name, body, report)
                first = False
                sent += len(batch)
            if first and replace:  # an empty graph replaces the remote one with nothing
                t.send("PUT", name, b"", report)
            report.per_graph[name or DEFAULT] = sent
            report.triples += sent
            report.graphs += 1
    finally:
        if own:
            s.close()
    return report
