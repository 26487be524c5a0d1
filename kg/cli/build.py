"""``kg build``, ``kg extract`` and ``kg eval``."""

from __future__ import annotations

import sys

import click

from kg.cli import main


def _report_errors(errors) -> None:
    for err in errors:
        click.echo(f"error: {err}", err=True)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(),
    help="Output directory.",
)
@click.option(
    "--model",
    default=None,
    help="NER pipeline: the shipped model, 'baseline', a path or a spaCy package.",
)
@click.option(
    "--jobs",
    "-j",
    default=1,
    show_default=True,
    type=click.IntRange(0),
    help="Worker processes (0: one per core).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "spark"]),
    default="local",
    show_default=True,
    help="Run the per-document pipeline here or as a Spark job.",
)
@click.option(
    "--spark-master",
    default=None,
    help="Spark master URL (local[*], spark://host:7077, yarn); default: spark-submit's, else local[*].",
)
@click.option(
    "--exports/--no-exports",
    default=True,
    show_default=True,
    help="Also write graph.nq, graph.ttl, graph.trig and facts.jsonl.",
)
def build(
    inputs: tuple[str, ...],
    out_dir: str,
    model: str | None,
    jobs: int,
    engine: str,
    spark_master: str | None,
    exports: bool,
) -> None:
    """Build or update the graph from articles (.txt, .html, .jsonl, .csv, directories).

    Incremental: only new or changed documents are processed; documents whose
    files under INPUTS are gone are retracted; running again on the same
    input changes nothing. Writes the Oxigraph store OUT/store, the manifest
    OUT/manifest.sqlite and OUT/graph.nq (sorted N-Quads), OUT/graph.ttl,
    OUT/graph.trig (one named graph per article) and OUT/facts.jsonl.
    """
    from kg.pipeline import BuildError
    from kg.pipeline import build as run
    from kg.scale import default_jobs

    try:
        report = run(
            inputs,
            out_dir,
            model=model,
            jobs=jobs or default_jobs(),
            engine=engine,
            spark_master=spark_master,
            progress=sys.stderr.isatty(),
            exports=exports,
        )
    except BuildError as exc:
        raise click.ClickException(str(exc)) from exc
    _report_errors(report.errors)
    held = report.counts.line() if report.counts else f"{report.documents} documents"
    if report.repaired:
        click.echo(f"{report.repaired} document(s) the manifest recorded were missing from the store: built again", err=True)
    click.echo(
        f"{report.added} added, {report.changed} changed, {report.unchanged} unchanged, {report.removed} removed; "
        f"{held}; {len(report.reprints)} reprint pairs, {len(report.conflicts)} conflicts → {report.out_dir}"
    )
    if not report.ok:
        click.echo(f"{len(report.errors)} input(s) could not be read", err=True)
        sys.exit(1)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "tsv"]), default="jsonl", show_default=True
)
@click.option("--model", default=None, help="NER pipeline (see kg build --help).")
@click.option("--relations-only", is_flag=True, help="Leave out the entity `type` facts.")
def extract(inputs: tuple[str, ...], fmt: str, model: str | None, relations_only: bool) -> None:
    """Print facts as docs/facts.md describes them, one per line."""
    from kg.pipeline import extract as run

    errors: list = []
    for fact in run(inputs, model=model, errors=errors):
        if relations_only and fact.predicate == "type":
            continue
        if fmt == "jsonl":
            click.echo(fact.to_json_line())
        else:
            click.echo(
                "\t".join(
                    (
                        fact.evidence.doc_id,
                        fact.subject,
                        fact.predicate,
                        fact.object,
                        fact.evidence.rule,
                    )
                )
            )
    _report_errors(errors)
    if errors:
        sys.exit(1)


@main.command("eval")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--gold", required=True, type=click.Path(exists=True), help="Gold facts (JSON lines)."
)
@click.option("--model", default=None, help="NER pipeline (see kg build --help).")
@click.option("--show", type=click.Choice(["none", "missed", "spurious", "both"]), default="none")
def evaluate(inputs: tuple[str, ...], gold: str, model: str | None, show: str) -> None:
    """Precision, recall and F1 per predicate against gold facts."""
    from kg.eval import gold_inputs, load_gold, score
    from kg.pipeline import extract as run

    facts = load_gold(gold)
    report = score(run(gold_inputs(inputs, facts), model=model), facts)
    click.echo(report.table())
    if show in ("missed", "both"):
        for g in report.missed:
            click.echo(f"missed\t{g.doc}\t{g.subject}\t{g.predicate}\t{g.object}")
    if show in ("spurious", "both"):
        for f in report.spurious:
            click.echo(
                f"spurious\t{f.evidence.doc_id}\t{f.subject}\t{f.predicate}\t{f.object}\t{f.evidence.rule}"
            )
