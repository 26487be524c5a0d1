"""A read-only SPARQL 1.1 Protocol endpoint over the store.

Queries run in worker processes that open the store read-only, so a query
that overruns the timeout is stopped by ending its worker (a thread could
only be abandoned, still burning a core). With ``in_memory`` each worker
reads the whole store into memory at start and answers from there: listing
queries run several times faster than from RocksDB, for a start-up of about
30 s and 0.75 GB per worker per million quads. UPDATE requests are refused with
403, queries calling SERVICE with 400 (the endpoint must not fetch other
URLs on a caller's behalf), results over the row limit with 400 asking for
a LIMIT. SPARQL Results JSON is written by Oxigraph itself; building it
from Python terms cost as much as the query. Binds 127.0.0.1 unless told
otherwise.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import queue
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

#: Result media types by the short names ``format=`` accepts.
SELECT_TYPES = {
    "json": "application/sparql-results+json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0  # seconds a query may run
    max_rows: int = 10_000  # rows (or triples) a result may have
    workers: int = 2
    in_memory: bool = False  # each worker answers from an in-memory copy of the store
    patience: float = 5.0  # seconds a query waits for a free worker before a 503


# --------------------------------------------------------------------------- the query worker


def _answer(store: Any, text: str, accept: str, max_rows: int) -> tuple[int, str, bytes]:
    import pyoxigraph as ox

    from kg import query as q
    from kg.namespace import PREFIXES

    try:
        engine, options = store.engine(text)
        result = engine.query(text, **options)
    except SyntaxError as exc:
        return 400, "text/plain", f"SPARQL syntax error: {exc}\n".encode()
    if isinstance(result, ox.QueryBoolean):
        return 200, SELECT_TYPES["json"], json.dumps({"head": {}, "boolean": bool(result)}).encode()
    if isinstance(result, ox.QuerySolutions) and _pick(accept, SELECT_TYPES, "json") == "json":
        answer = _json_solutions(result, max_rows)
        if answer is not None:
            return answer
        result = engine.query(text, **options)  # rows past the byte budget: count them one by one
    items = []
    for item in result:
        items.append(item)
        if len(items) > max_rows:
            return _too_many(max_rows)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        qr = q.QueryResult(variables, [tuple(s) for s in items])
        kind = _pick(accept, SELECT_TYPES, "json")
        body = {"json": q.format_json, "csv": q.format_csv, "tsv": q.format_tsv}[kind](qr)
        return 200, SELECT_TYPES[kind], body.encode("utf-8")
    kind = _pick(accept, GRAPH_TYPES, "ttl")
    fmt = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}[kind]
    prefixes = {k: str(v) for k, v in PREFIXES.items()} if kind in ("ttl", "xml") else None
    return 200, GRAPH_TYPES[kind], ox.serialize(items, format=fmt, prefixes=prefixes)


#: Bytes a JSON result may reach per row of the row limit before Oxigraph's
#: writing stops: more than a row of kg's graph needs; a result with longer
#: rows is counted row by row instead.
_BYTES_PER_ROW = 16_384


class _TooLarge(Exception):
    pass


class _CappedBuffer:
    """Collects what Oxigraph writes; past ``limit`` bytes it stops the writing."""

    def __init__(self, limit: int) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _json_solutions(result: Any, max_rows: int) -> tuple[int, str, bytes] | None:
    """SPARQL Results JSON as Oxigraph writes it, several times faster than terms turned into JSON in Python.

    None when the result outgrows the byte budget before its rows could be counted.
    """
    import pyoxigraph as ox

    buffer = _CappedBuffer(max(max_rows, 1) * _BYTES_PER_ROW)
    try:
        result.serialize(buffer, ox.QueryResultsFormat.JSON)
    except _TooLarge:
        return None
    body = b"".join(buffer.parts)
    if sum(1 for _ in ox.parse_query_results(body, ox.QueryResultsFormat.JSON)) > max_rows:
        return _too_many(max_rows)
    return 200, SELECT_TYPES["json"], body


def _too_many(max_rows: int) -> tuple[int, str, bytes]:
    return 400, "text/plain", f"the result has more than {max_rows} rows; add a LIMIT\n".encode()


def _pick(accept: str, types: dict[str, str], default: str) -> str:
    accept = accept.lower()
    if accept in types:
        return accept
    for name, media in types.items():
        if media in accept:
            return name
    if "application/json" in accept and "json" in types:
        return "json"
    return default


def _worker(path: str, in_memory: bool, conn: Any) -> None:
    from kg.store import Store

    try:
        store = Store.open(path, read_only=True, in_memory=in_memory)
    except (OSError, ValueError, SyntaxError) as exc:
        conn.send(("error", str(exc)))
        return
    conn.send(("ready", ""))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        text, accept, max_rows = job
        try:
            conn.send(_answer(store, text, accept, max_rows))
        except Exception as exc:  # report, keep serving
            conn.send((500, "text/plain", f"query failed: {exc}\n".encode()))


class _Pool:
    """Worker processes, each with the store open read-only; one that overruns is replaced."""

    def __init__(self, path: str, size: int, in_memory: bool = False) -> None:
        self.path = path
        self.in_memory = in_memory
        self.ctx = mp.get_context("spawn")
        self.idle: queue.Queue[tuple[Any, Any]] = queue.Queue()
        self.lock = threading.Lock()
        self.procs: set[Any] = set()
        # Start every worker before waiting for any: in-memory workers load the store side by side.
        started = [self._spawn() for _ in range(size)]
        try:
            for proc, conn in started:
                self.idle.put(self._ready(proc, conn))
        except BaseException:
            for proc, _ in started:
                proc.kill()
            raise

    def _start(self) -> tuple[Any, Any]:
        return self._ready(*self._spawn())

    def _spawn(self) -> tuple[Any, Any]:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker, args=(self.path, self.in_memory, child), daemon=True)
        proc.start()
        child.close()
        return proc, parent

    def _ready(self, proc: Any, parent: Any) -> tuple[Any, Any]:
        """Wait until the worker has the store open, so its start-up never counts against a query's time."""
        while not parent.poll(1.0):
            if not proc.is_alive():
                raise OSError(f"{self.path}: query worker did not start (exit status {proc.exitcode})")
        state, detail = parent.recv()
        if state != "ready":
            proc.join(5)
            raise OSError(f"{self.path}: cannot open the store: {detail}")
        with self.lock:
            self.procs.add(proc)
        return proc, parent

    def run(self, text: str, accept: str, limits: Limits) -> tuple[int, str, bytes]:
        try:
            proc, conn = self.idle.get(timeout=limits.patience)
        except queue.Empty:
            busy = f"all {len(self.procs)} query workers are busy; try again shortly\n"
            return 503, "text/plain; charset=utf-8", busy.encode()
        try:
            conn.send((text, accept, limits.max_rows))
            if conn.poll(limits.timeout):
                answer = conn.recv()
                self.idle.put((proc, conn))
                return answer
        except (EOFError, OSError, BrokenPipeError):
            pass
        # Timed out or died: end this worker, start a fresh one.
        proc.kill()
        proc.join(5)
        conn.close()
        with self.lock:
            self.procs.discard(proc)
        self.idle.put(self._start())
        if not proc.exitcode or proc.exitcode < 0:
            return 503, "text/plain", f"query timed out after {limits.timeout:g} s\n".encode()
        return 500, "text/plain", b"query worker failed\n"

    def close(self) -> None:
        with self.lock:
            procs = list(self.procs)
        for p in procs:
            p.kill()
            p.join(5)


# --------------------------------------------------------------------------- refusing what a read-only endpoint must not do

#: The keyword itself, however it is followed (SERVICE <…>, SERVICE<…>, SERVICE SILENT<…>, SERVICE?e),
#: and not a variable (?service) or a prefixed name (ex:service, service:x).
_SERVICE = re.compile(r"(?<![?$:\w-])SERVICE(?![\w:-])", re.IGNORECASE)
_UPDATE = re.compile(
    r"(?<![?$:\w])(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b(?!\s*\()", re.IGNORECASE
)


def refusal(text: str) -> tuple[int, str] | None:
    """Why a read-only endpoint refuses ``text`` (status, message), or None: SERVICE and updates."""
    if uses_service(text):
        return 400, "SERVICE is refused: this endpoint does not query other endpoints"
    code = _code_only_keep_iris(text)
    if _UPDATE.search(code) and not re.search(r"(?<![?$:\w])(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code, re.IGNORECASE):
        return 403, "this endpoint is read-only: SPARQL UPDATE is refused"
    return None


def uses_service(text: str) -> bool:
    """True when the query calls a remote endpoint with SERVICE.

    The query is parsed (rdflib's SPARQL 1.1 grammar) and its tree searched for a
    SERVICE pattern; a query that grammar cannot read is judged by the keyword in
    its code, strings, comments and IRIs aside.
    """
    try:
        from rdflib.plugins.sparql.parser import parseQuery

        tree = parseQuery(text)
    except Exception:  # noqa: BLE001 - any parse failure falls back to the keyword test
        return bool(_SERVICE.search(_code_only_keep_iris(text)))
    return "ServiceGraphPattern" in set(_pattern_names(tree))


def _pattern_names(node: Any) -> Iterator[str]:
    """The names of the grammar rules in a parse tree of rdflib's SPARQL parser."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        yield node.name
        for value in node.values():
            yield from _pattern_names(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _pattern_names(value)


def _code_only_keep_iris(text: str) -> str:
    """The query with comments and strings blanked out; each IRI leaves its ``<``."""
    from kg.query import _IRIREF, _code_positions

    out = [" "] * len(text)
    for i, c in _code_positions(text):
        out[i] = c
    # _code_positions skips IRIs; mark their starts again so `SERVICE <iri>` matches.
    for m in _IRIREF.finditer(text):
        if out[m.start()] == " ":
            out[m.start()] = "<"
    return "".join(out)


# --------------------------------------------------------------------------- HTTP


def _content_length(value: str | None) -> int | None:
    """The declared body length; None when it is no whole number of bytes (abc, -1)."""
    if value is None or value.strip() == "":
        return 0
    text = value.strip()
    return int(text) if text.isdigit() else None


class _Handler(BaseHTTPRequestHandler):
    server_version = "kg-sparql/0.1"
    pool: _Pool
    limits: Limits

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype if ";" in ctype or not ctype.startswith("text") else ctype + "; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode())

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/explore" or url.path.startswith("/explore/"):
            return self._explore(url.path, parse_qs(url.query))
        if url.path not in ("/sparql", "/query", "/"):
            return self._error(404, f"no such resource {url.path}; the endpoint is /sparql")
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            return self._error(403, "this endpoint is read-only: SPARQL UPDATE is refused")
        if "query" not in params:
            return self._error(400, "missing query parameter: /sparql?query=…")
        self._query(params["query"][0], params)

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path not in ("/sparql", "/query", "/"):
            return self._error(404, f"no such resource {url.path}; the endpoint is /sparql")
        length = _content_length(self.headers.get("Content-Length"))
        if length is None:
            return self._error(400, "Content-Length must be a whole number of bytes, 0 or more")
        if length > 1_000_000:
            return self._error(413, "query larger than 1 MB")
        body = self.rfile.read(length).decode("utf-8", "replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            return self._error(403, "this endpoint is read-only: SPARQL UPDATE is refused")
        if ctype == "application/sparql-query":
            return self._query(body, params)
        if ctype in ("application/x-www-form-urlencoded", ""):
            form = parse_qs(body, keep_blank_values=True)
            if "update" in form:
                return self._error(403, "this endpoint is read-only: SPARQL UPDATE is refused")
            if "query" not in form:
                return self._error(400, "missing query parameter")
            params.update(form)
            return self._query(form["query"][0], params)
        return self._error(415, f"unsupported Content-Type {ctype!r}")

    def do_PUT(self) -> None:
        self._error(403, "this endpoint is read-only")

    do_DELETE = do_PUT
    do_PATCH = do_PUT

    def _query(self, text: str, params: dict[str, list[str]]) -> None:
        refused = refusal(text)
        if refused is not None:
            return self._error(*refused)
        accept = (params.get("format") or [""])[0] or self.headers.get("Accept") or ""
        status, ctype, body = self.pool.run(text, accept, self.limits)
        self._send(status, ctype, body)


    def _explore(self, path: str, params: dict[str, list[str]]) -> None:
        """The explorer's pages (kg.explorer), answered by the same read-only workers."""
        from kg import explorer

        pages = {
            "/explore": lambda: explorer.search_page(self._rows, ""),
            "/explore/search": lambda: explorer.search_page(self._rows, params.get("q", [""])[0]),
            "/explore/entity": lambda: explorer.entity_page(self._rows, params.get("iri", [""])[0]),
            "/explore/article": lambda: explorer.article_page(self._rows, params.get("iri", [""])[0]),
            "/explore/graph": lambda: explorer.graph_page(self._rows, self._triples, params.get("iri", [""])[0]),
            "/explore/queries": explorer.queries_page,
            "/explore/query": lambda: explorer.query_page(
                self._rows, params.get("name", [""])[0], {k: v[0] for k, v in params.items()}, params.get("sparql", [""])[0]
            ),
        }
        page = pages.get(path.rstrip("/") or path)
        if page is None:
            return self._error(404, f"no such page {path}; the explorer starts at /explore")
        try:
            self._send(200, "text/html; charset=utf-8", page().encode("utf-8"))
        except explorer.NotFound as exc:
            self._error(404, str(exc))
        except _PageQueryFailed as exc:
            self._error(exc.status, exc.message)

    def _triples(self, text: str) -> bytes:
        """A CONSTRUCT's triples as N-Triples, from the same workers, limits and refusals as ``_rows``."""
        refused = refusal(text)
        if refused is not None:
            raise _PageQueryFailed(*refused)
        status, _ctype, body = self.pool.run(text, GRAPH_TYPES["nt"], self.limits)
        if status != 200:
            raise _PageQueryFailed(status, body.decode("utf-8", "replace"))
        return body

    def _rows(self, text: str) -> list[dict[str, str]]:
        refused = refusal(text)
        if refused is not None:
            raise _PageQueryFailed(*refused)
        status, _ctype, body = self.pool.run(text, "application/sparql-results+json", self.limits)
        if status != 200:
            raise _PageQueryFailed(status, body.decode("utf-8", "replace"))
        answer = json.loads(body)
        return [{k: v["value"] for k, v in b.items()} for b in answer["results"]["bindings"]]


class _PageQueryFailed(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, store: str | Path, host: str = "127.0.0.1", port: int = 7878, limits: Limits | None = None, verbose: bool = False) -> None:
        path = Path(store)
        if not path.is_dir():
            raise FileNotFoundError(f"{path}: no store here (build one with `kg build … --out DIR`)")
        self.limits = limits or Limits()
        self.verbose = verbose
        self.pool = _Pool(str(path), self.limits.workers, self.limits.in_memory)
        handler = type("Handler", (_Handler,), {"pool": self.pool, "limits": self.limits})
        try:
            super().__init__((host, port), handler)
        except BaseException:
            self.pool.close()
            raise

    @property
    def url(self) -> str:
        """The query URL, with the port the server got (``port=0`` asks for a free one)."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sparql"

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


@contextmanager
def running(store: str | Path, limits: Limits | None = None, host: str = "127.0.0.1", port: int = 0) -> Iterator[SparqlServer]:
    """A server answering from a background thread for the length of the block (tests, benchmarks)."""
    server = SparqlServer(store, host, port, limits)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def serve(
    store: str | Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    limits: Limits | None = None,
    verbose: bool = False,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted; ``on_ready`` gets the endpoint's URL once it accepts queries."""
    server = SparqlServer(store, host, port, limits, verbose)
    if on_ready is not None:
        on_ready(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
