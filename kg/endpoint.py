"""Named queries over HTTP: any SPARQL 1.1 Protocol endpoint answers them as the store does.

``Endpoint`` stands where ``kg.query.run_query`` expects a store, so named
queries, bound parameters and every output format work unchanged against
``kg serve`` (``--in-memory`` keeps a big store's answers in memory between
queries) and against the triple store a user already runs, once ``kg push``
has loaded the graphs and the store reads its default graph as the union of
them. kg's prefixes are declared in front of the query's first line, for
queries that use them without declaring them; an error's position is mapped
back past them.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg import http
from kg.query import ERROR_POSITION, QueryError

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPHS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 Protocol query URL (``…/sparql``, ``…/query``, ``…/repositories/<repo>``)."""

    url: str
    auth: str | None = None  # "user:password", for HTTP Basic or Digest auth
    timeout: float = 60.0

    def engine(self, sparql: str) -> tuple[Endpoint, dict[str, Any]]:
        """What answers ``sparql``: the endpoint itself, with no options (its default graph is its own)."""
        return self, {}

    def close(self) -> None:
        """Nothing to release: each query is one HTTP request."""

    def query(self, sparql: str, prefixes: Mapping[str, str] | None = None) -> Any:
        """The answer as pyoxigraph gives it: solutions, a boolean, or a list of triples."""
        declared = "".join(f"PREFIX {name}: <{iri}> " for name, iri in (prefixes or {}).items())
        request = urllib.request.Request(
            self.url,
            data=(declared + sparql).encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": ACCEPT},
        )
        try:
            with http.opener(self.url, self.auth).open(request, timeout=self.timeout) as response:
                media, body = response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:2000].decode("utf-8", "replace").strip()
            if exc.code == 400 and ERROR_POSITION.search(detail):
                raise SyntaxError(_unshift(detail.removeprefix("SPARQL syntax error:").strip(), len(declared))) from None
            raise QueryError(f"{self.url}: HTTP {exc.code} {exc.reason}{': ' + detail if detail else ''}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise QueryError(f"{self.url}: {getattr(exc, 'reason', exc)}") from None
        if media in _RESULTS:
            return ox.parse_query_results(body, _RESULTS[media])
        if media in _GRAPHS:
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, _GRAPHS[media])]
        raise QueryError(f"{self.url}: answered with {media or 'no media type'}, not SPARQL results or RDF")


def _unshift(message: str, columns: int) -> str:
    """The error position in the query as written: the declarations took ``columns`` of its first line."""
    def back(m: re.Match[str]) -> str:
        line, col = int(m.group(1)), int(m.group(2))
        return f"error at {line}:{max(1, col - columns) if line == 1 else col}"

    return ERROR_POSITION.sub(back, message, count=1)
