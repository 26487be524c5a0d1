"""``kg viz`` (the HTML page) and ``kg stats`` (the summary tables)."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import main


def _csv(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def _load(store: Path):
    from kg.analytics import read_graph

    try:
        return read_graph(store)
    except (FileNotFoundError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.option("--store", "store", type=click.Path(path_type=Path), default=Path("out/store"), show_default=True,
              help="The Oxigraph store written by `kg build`.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("graph.html"),
              show_default=True, help="The HTML file to write (self-contained, works offline).")
@click.option("--focus", help="Show only the neighbourhood of this entity (label, alias or IRI).")
@click.option("--hops", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Radius of the --focus neighbourhood, in relations.")
@click.option("--types", help="Comma-separated entity types to keep, e.g. Person,Organization,Event.")
@click.option("--predicates", help="Comma-separated relations to keep, e.g. hosted,organized,commentedOn.")
@click.option("--max-nodes", type=click.IntRange(1, None), default=None,
              help="Keep at most this many entities, the most central ones (default 400).")
@click.option("--size-by", type=click.Choice(["pagerank", "degree"]), default="pagerank", show_default=True,
              help="What node size shows at first (the page can switch).")
def viz(store: Path, output: Path, focus: str | None, hops: int, types: str | None, predicates: str | None,
        max_nodes: int | None, size_by: str) -> None:
    """Write an interactive HTML page of the graph: search, filters, evidence on every edge.

    \b
    kg viz --store out/store -o graph.html
    kg viz --focus 领导留言板 --hops 2 -o board.html
    kg viz --types Person,Organization,Event --predicates hosted,organized,commentedOn -o core.html
    """
    from kg import viz as viz_lib

    graph = _load(store)
    kwargs = {} if max_nodes is None else {"max_nodes": max_nodes}
    try:
        report = viz_lib.render(graph, output, focus=focus, hops=hops, types=_csv(types),
                                predicates=_csv(predicates), size_by=size_by, **kwargs)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    except viz_lib.VisAssetsMissing as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(report.describe())


@main.command()
@click.option("--store", "store", type=click.Path(path_type=Path), default=Path("out/store"), show_default=True,
              help="The Oxigraph store written by `kg build`.")
@click.option("--top", type=click.IntRange(1, None), default=10, show_default=True,
              help="How many of the most central entities to list.")
def stats(store: Path, top: int) -> None:
    """Counts by type and relation, the most central entities and the communities, as tables."""
    from kg.analytics import format_summary, summarize

    click.echo(format_summary(summarize(_load(store), top=top)))
