"""``kg query``, ``kg queries``, ``kg export``, ``kg push`` and ``kg serve``."""

from __future__ import annotations

import sys

import click

from kg.cli import main

_STORE = click.option(
    "--store",
    default="out/store",
    show_default=True,
    type=click.Path(),
    help="The Oxigraph store directory `kg build --out DIR` wrote (DIR/store).",
)


def _open(path: str):
    from kg.store import Store

    try:
        return Store.open(path, read_only=True)
    except (FileNotFoundError, OSError) as exc:
        raise click.ClickException(str(exc)) from None


def _params(items: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in items:
        if "=" not in item:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        name, value = item.split("=", 1)
        out[name.strip()] = value
    return out


@main.command()
@click.argument("query", required=False)
@click.option("-e", "--expression", help="Run this SPARQL text instead of a named query or file.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to the literal VALUE (?NAME_zh to VALUE@zh, ?NAME_term to kg:VALUE); repeatable.")
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "markdown"]),
              default="table", show_default=True, help="Output format (json: SPARQL 1.1 Results JSON).")
@click.option("--max-width", default=60, show_default=True, type=click.IntRange(0),
              help="Clip table cells to this many columns (0: never).")
@click.option("--store", type=click.Path(),
              help="The Oxigraph store directory `kg build --out DIR` wrote (DIR/store).  [default: out/store]")
@click.option("--endpoint", metavar="URL",
              help="Ask this SPARQL 1.1 Protocol endpoint instead of a store: `kg serve`, or a triple store "
                   "holding the pushed graphs with its default graph as their union.")
@click.option("--auth", metavar="USER:PASSWORD", help="Credentials for --endpoint (HTTP Basic or Digest).")
def query(query: str | None, expression: str | None, params: tuple[str, ...], fmt: str, max_width: int,
          store: str | None, endpoint: str | None, auth: str | None) -> None:
    """Run a named query (see `kg queries`), a .rq file or -e 'SPARQL'.

    \b
    kg query who-hosted
    kg query entity --param name=人民网 --format json
    kg query my.rq --format csv
    kg query -e 'SELECT ?s WHERE { ?s a kg:Platform }'
    kg query who-hosted --endpoint http://127.0.0.1:7878/sparql
    """
    from kg import query as q
    from kg.endpoint import Endpoint

    if bool(query) == bool(expression):
        raise click.UsageError("give a query name or file, or -e 'SPARQL …' (see `kg queries`)")
    if store and endpoint:
        raise click.UsageError("give --store or --endpoint, not both")
    source = Endpoint(endpoint, auth) if endpoint else _open(store or "out/store")
    try:
        result = q.run_query(source, expression or query, _params(params))
    except q.QueryError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        source.close()
    text = q.format_result(result, fmt, max_width or None)
    click.echo(text, nl=not text.endswith("\n"))


@main.command()
def queries() -> None:
    """List the named queries: what each answers and its parameters."""
    from kg import query as q

    click.echo(q.describe(q.named_queries()))


@main.command()
@_STORE
@click.option("--format", "-f", "fmt", type=click.Choice(["nt", "nq", "ttl", "trig", "jsonld", "xml"]),
              required=True, help="nq, trig, jsonld keep the named graphs; nt, ttl, xml merge them.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
def export(store: str, fmt: str, output: str) -> None:
    """Export the store as N-Triples, N-Quads, Turtle, TriG, JSON-LD or RDF/XML."""
    from kg.export import export as run

    s = _open(store)
    try:
        report = run(s, fmt, output)
    finally:
        s.close()
    what = "quads" if report.quads else "triples"
    click.echo(f"{report.path}: {report.statements} {what} ({fmt})", err=True)


@main.command()
@_STORE
@click.option("--endpoint", required=True,
              help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph), "
                   "http://localhost:3030/ds/data (Fuseki).")
@click.option("--graph", default=None, help="Push only this named graph (an IRI, or 'default').")
@click.option("--replace", is_flag=True, help="Replace each remote graph (PUT) instead of adding to it (POST).")
@click.option("--batch-size", default=50_000, show_default=True, type=click.IntRange(1), help="Triples per request.")
@click.option("--auth", default=None, metavar="USER:PASSWORD", envvar="KG_PUSH_AUTH",
              help="HTTP Basic or Digest credentials (or set KG_PUSH_AUTH).")
@click.option("--graph-param", default="graph", show_default=True,
              help="Query parameter naming the graph (older Virtuoso: graph-uri).")
@click.option("--retries", default=4, show_default=True, type=click.IntRange(0), help="Retries per request, with backoff.")
def push(store: str, endpoint: str, graph: str | None, replace: bool, batch_size: int, auth: str | None,
         graph_param: str, retries: int) -> None:
    """Load the store into another triple store over the SPARQL 1.1 Graph Store Protocol."""
    from kg.push import PushError, Target
    from kg.push import push as run

    s = _open(store)
    try:
        report = run(s, Target(endpoint, auth, graph_param, retries=retries), graph, replace, batch_size)
    except PushError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        s.close()
    click.echo(f"pushed {report.triples} triples in {report.graphs} graphs "
               f"({report.requests} requests, {report.retries} retries) to {endpoint}", err=True)


@main.command()
@_STORE
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind (0.0.0.0 exposes it).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535))
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0.1), help="Seconds a long query may run.")
@click.option("--long-after", default=1.0, show_default=True, type=click.FloatRange(0.05),
              help="Seconds after which a query is long: at most WORKERS-1 long queries run at once, another is "
                   "stopped with 503 then, so a worker stays free for quick queries.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(1), help="Largest result served.")
@click.option("--workers", default=None, type=click.IntRange(1),
              help="Queries run at once  [default: cores (at most 4) + 1]")
@click.option("--in-memory", is_flag=True,
              help="Each worker reads the store into memory at start (per million quads: about 30 s, 0.75 GB held, 0.9 GB at peak) "
                   "and answers from there, several times faster.")
@click.option("--verbose", "-v", is_flag=True, help="Log each request.")
def serve(store: str, host: str, port: int, timeout: float, long_after: float, max_rows: int, workers: int | None,
          in_memory: bool, verbose: bool) -> None:
    """Serve the store read-only as a SPARQL 1.1 Protocol endpoint at /sparql."""
    from kg.serve import Limits, default_workers
    from kg.serve import serve as run

    def ready(url: str) -> None:
        where = "in memory, " if in_memory else ""
        click.echo(f"SPARQL endpoint on {url} ({where}read-only; Ctrl-C stops)", err=True)
        sys.stderr.flush()

    try:
        limits = Limits(timeout=timeout, max_rows=max_rows, workers=workers or default_workers(), in_memory=in_memory,
                        long_after=long_after)
        run(store, host, port, limits, verbose, on_ready=ready)
    except (FileNotFoundError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
