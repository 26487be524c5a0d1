"""A read-only SPARQL 1.1 Protocol endpoint over the store.

Queries run in worker processes that open the store read-only, so a query
that overruns the timeout is stopped by ending its worker (a thread could
only be abandoned, still burning a core). With ``in_memory`` each worker
reads the whole store into memory at start and answers from there: listing
queries run several times faster than from RocksDB, for a start-up of about
30 s and 0.75 GB per worker per million quads. Only queries are run: what
the text is decided by parsing it (kg.readonly), updates are refused with 403,
SERVICE and unparsable text with 400 (the endpoint must not fetch other URLs
on a caller's behalf), results over the row limit with 400 asking for a LIMIT.
Long queries cannot take every worker (see ``Limits``), and a request whose
line or headers are malformed, or whose body does not come, gets a 4xx at
once. SPARQL Results JSON is written by Oxigraph itself; building it from
Python terms cost as much as the query. Binds 127.0.0.1 unless told
otherwise.
"""

from __future__ import annotations

import enum
import json
import multiprocessing as mp
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kg.readonly import refusal, uses_service

__all__ = ["Limits", "SparqlServer", "refusal", "running", "serve", "uses_service"]

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


def default_workers() -> int:
    """One worker per core (at most 4, each holds the store open) and one kept for quick queries."""
    return min(os.cpu_count() or 1, 4) + 1


@dataclass(frozen=True)
class Limits:
    """What a query may take, and how long and quick queries share the workers.

    A query still running after ``long_after`` seconds is a long one; at
    most ``workers - 1`` long queries run at once (one with a single
    worker), each up to ``timeout``. Another query still running at
    ``long_after`` is stopped there with a 503, so a worker is always free
    again within ``long_after`` and a quick query is not stuck behind long
    ones; ``patience`` only bounds the wait when many quick queries queue.
    """

    timeout: float = 30.0  # seconds a long query may run
    max_rows: int = 10_000  # rows (or triples) a result may have
    workers: int = field(default_factory=default_workers)
    in_memory: bool = False  # each worker answers from an in-memory copy of the store
    patience: float = 5.0  # seconds a query waits for a free worker before a 503
    long_after: float = 1.0  # seconds after which a query needs one of the long slots
    read_timeout: float = 5.0  # seconds a client may leave its request line, headers or body unfinished

    @property
    def long_queries(self) -> int:
        return max(1, self.workers - 1)


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
    from kg import readonly
    from kg.store import Store

    try:
        store = Store.open(path, read_only=True, in_memory=in_memory)
        readonly.refusal("ASK {}")  # build the grammar now, not during the first query
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
            conn.send(_respond(store, text, accept, max_rows))
        except Exception as exc:  # report, keep serving
            conn.send((500, "text/plain", f"query failed: {exc}\n".encode()))


def _respond(store: Any, text: str, accept: str, max_rows: int) -> tuple[int, str, bytes]:
    """The answer, or the refusal when ``text`` is no query a read-only endpoint runs.

    The check parses the text, so it runs here, in the worker: a large
    query's parse counts against its time and never holds the server.
    """
    from kg import readonly

    refused = readonly.refusal(text)
    if refused is not None:
        return refused.status, "text/plain; charset=utf-8", (refused.message + "\n").encode()
    return _answer(store, text, accept, max_rows)


class _Outcome(enum.Enum):
    CANCELLED = "cancelled"  # ran past long_after with every long slot taken
    TIMED_OUT = "timed out"
    FAILED = "failed"  # the worker died


class _Pool:
    """Worker processes, each with the store open read-only; one stopped mid-query is replaced.

    A query may run past ``long_after`` only by taking one of
    ``limits.long_queries`` slots; with none free it is stopped there and
    then, so at least one worker always comes back within ``long_after`` for
    the queries behind it. A replacement starts in the background.
    """

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.in_memory = limits.in_memory
        self.ctx = mp.get_context("spawn")
        self.idle: queue.Queue[tuple[Any, Any]] = queue.Queue()
        self.lock = threading.Lock()
        self.procs: set[Any] = set()
        self.long_slots = threading.BoundedSemaphore(limits.long_queries)
        self.closed = False
        # Start every worker before waiting for any: in-memory workers load the store side by side.
        started = [self._spawn() for _ in range(limits.workers)]
        try:
            for proc, conn in started:
                self.idle.put(self._ready(proc, conn))
        except BaseException:
            for proc, _ in started:
                proc.kill()
            raise

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
            outcome = self._wait(conn, limits)
        except (EOFError, OSError):
            outcome = _Outcome.FAILED
        if not isinstance(outcome, _Outcome):
            self.idle.put((proc, conn))
            return outcome
        self._replace(proc, conn)
        return _stopped(outcome, limits)

    def _wait(self, conn: Any, limits: Limits) -> tuple[int, str, bytes] | _Outcome:
        """The worker's answer, or why it was not waited for: past ``long_after`` a long slot is needed."""
        first = min(limits.long_after, limits.timeout)
        if conn.poll(first):
            return conn.recv()
        if not self.long_slots.acquire(blocking=False):
            return _Outcome.CANCELLED
        try:
            if conn.poll(limits.timeout - first):
                return conn.recv()
            return _Outcome.TIMED_OUT
        finally:
            self.long_slots.release()

    def _replace(self, proc: Any, conn: Any) -> None:
        """End a worker stopped mid-query; a fresh one joins the idle ones once it has the store open."""
        proc.kill()
        proc.join(5)
        conn.close()
        with self.lock:
            self.procs.discard(proc)
        threading.Thread(target=self._refill, daemon=True).start()

    def _refill(self) -> None:
        """Start a replacement; a pool closed meanwhile gets none (and its store may be gone: no message)."""
        if self.closed:
            return
        try:
            proc, conn = self._ready(*self._spawn())
        except OSError as exc:
            if not self.closed:
                print(f"kg serve: {exc}", file=sys.stderr)
            return
        if self.closed:
            proc.kill()
            proc.join(5)
            return
        self.idle.put((proc, conn))

    def close(self) -> None:
        self.closed = True
        with self.lock:
            procs = list(self.procs)
        for p in procs:
            p.kill()
            p.join(5)


def _stopped(outcome: _Outcome, limits: Limits) -> tuple[int, str, bytes]:
    """The status and message for a query whose worker was ended."""
    if outcome is _Outcome.CANCELLED:
        n = limits.long_queries
        held = "1 long query is" if n == 1 else f"{n} long queries are"
        message = (
            f"query stopped after {limits.long_after:g} s: {held} already running "
            "and a worker is kept for quick ones; try again later or narrow the query\n"
        )
        return 503, "text/plain; charset=utf-8", message.encode()
    if outcome is _Outcome.TIMED_OUT:
        return 503, "text/plain; charset=utf-8", f"query timed out after {limits.timeout:g} s\n".encode()
    return 500, "text/plain; charset=utf-8", b"query worker failed\n"


# --------------------------------------------------------------------------- HTTP


#: The largest query body read.
MAX_BODY = 1_000_000

#: Headers whose values the endpoint reads, so they must be plain ASCII.
_READ_HEADERS = ("Content-Length", "Content-Type", "Transfer-Encoding", "Accept")


def header_problem(request_line: str, headers: Message) -> str | None:
    """Why a request's line or headers cannot be trusted, or None.

    A line the header parser could not read ends the headers it returns, so
    the ones after it (Content-Length among them) would be silently lost.
    """
    if not request_line.isascii():
        return "the request line has bytes outside ASCII; percent-encode the URL"
    if headers.defects:
        return "a header line is malformed (no name and colon, or a name outside ASCII)"
    for name in _READ_HEADERS:
        if not all(v.isascii() for v in headers.get_all(name, [])):
            return f"the {name} header has bytes outside ASCII"
    return None


class BadRequest(Exception):
    """A request refused before its body is read: the status and the message to send."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def body_length(headers: Message) -> int:
    """The declared length of a POST body, once it is one length, a whole number, and small enough."""
    if headers.get("Transfer-Encoding") is not None:
        raise BadRequest(411, "chunked bodies are not read here; send the query with a Content-Length")
    values = {v.strip() for v in headers.get_all("Content-Length", [])}
    if not values:
        raise BadRequest(411, "a POST needs a Content-Length")
    if len(values) > 1:
        raise BadRequest(400, "conflicting Content-Length headers")
    text = values.pop()
    if not text.isascii() or not text.isdigit():
        raise BadRequest(400, "Content-Length must be a whole number of bytes, 0 or more")
    if int(text) > MAX_BODY:
        raise BadRequest(413, f"query larger than {MAX_BODY // 1_000_000} MB")
    return int(text)


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

    def parse_request(self) -> bool:
        """The standard parse (it answers 400, 414 and 431 itself), then the checks it leaves out."""
        try:
            if not super().parse_request():
                return False
        except TimeoutError:
            self.close_connection = True
            self._error(408, f"the headers did not come within {self.timeout:g} s")
            return False
        problem = header_problem(self.requestline, self.headers)
        if problem is None:
            return True
        self.close_connection = True
        self._error(400, problem)
        return False

    def _body(self) -> str | None:
        """The POST body as text; None once a 4xx has answered a bad length or a body that does not come."""
        try:
            length = body_length(self.headers)
            body = self.rfile.read(length)
            if len(body) < length:
                raise BadRequest(400, f"the body ended after {len(body)} of the {length} bytes Content-Length declared")
        except TimeoutError:
            self.close_connection = True
            self._error(408, f"the body did not come within {self.timeout:g} s")
            return None
        except BadRequest as exc:
            self.close_connection = True
            self._error(exc.status, exc.message)
            return None
        return body.decode("utf-8", "replace")

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
        body = self._body()
        if body is None:
            return None
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
        accept = (params.get("format") or [""])[0] or self.headers.get("Accept") or ""
        status, ctype, body = self.pool.run(text, accept, self.limits)
        self._send(status, ctype, body)


    def _explore(self, path: str, params: dict[str, list[str]]) -> None:
        """The explorer's pages (kg.explorer), answered by the same read-only workers."""
        from kg import explorer
        from kg.viz import VisAssetsMissing

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
        except VisAssetsMissing as exc:
            self._error(500, str(exc))

    def _triples(self, text: str) -> bytes:
        """A CONSTRUCT's triples as N-Triples, from the same workers, limits and refusals as ``_rows``."""
        status, _ctype, body = self.pool.run(text, GRAPH_TYPES["nt"], self.limits)
        if status != 200:
            raise _PageQueryFailed(status, body.decode("utf-8", "replace"))
        return body

    def _rows(self, text: str) -> list[dict[str, str]]:
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
        self.pool = _Pool(str(path), self.limits)
        handler = type("Handler", (_Handler,), {"pool": self.pool, "limits": self.limits, "timeout": self.limits.read_timeout})
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

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that left or stalled mid-answer is no error of the server's; anything else is reported."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


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
    """Serve until interrupted (Ctrl-C or SIGTERM); ``on_ready`` gets the endpoint's URL once it accepts queries."""
    server = SparqlServer(store, host, port, limits, verbose)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
    if on_ready is not None:
        on_ready(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _interrupt(signum: int, frame: Any) -> None:
    """SIGTERM stops the server as Ctrl-C does, so workers mid-query are ended with it, not left running."""
    raise KeyboardInterrupt
