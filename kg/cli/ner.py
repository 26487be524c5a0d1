"""``kg ner`` (tag lines with the NER pipeline) and ``kg train`` (train the shipped model)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

from kg.cli import main


def _read_lines(path: str) -> Iterator[str]:
    """Lines of a UTF-8 file (``-`` is standard input); a bad byte names the file and line."""
    stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    name = "<stdin>" if path == "-" else path
    try:
        for number, raw in enumerate(stream, start=1):
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise click.ClickException(f"{name}:{number}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


@main.command()
@click.argument("source", type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--model", default=None, help="The shipped model (default), 'baseline', a model directory or a spaCy package.")
@click.option("--batch-size", default=256, show_default=True, help="Lines per nlp.pipe batch.")
def ner(source: str, model: str | None, batch_size: int) -> None:
    """Print one JSON object per line of SOURCE (a file or -) with its PER/LOC/ORG entities."""
    from kg import ner as ner_lib

    if source != "-" and not Path(source).is_file():
        raise click.ClickException(f"{source}: no such file")
    try:
        nlp = ner_lib.load(model)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    out = sys.stdout
    for record in ner_lib.tag_lines(nlp, _read_lines(source), batch_size=batch_size):
        out.write(record.to_json() + "\n")
    out.flush()


@main.command()
@click.option("--corpora", default="../shared/corpora", show_default=True, type=click.Path(exists=True, file_okay=False), help="Folder of the public NER corpora.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Where to write the trained pipeline.")
@click.option("--config", "config_path", default=None, type=click.Path(exists=True, dir_okay=False), help="Training config (default: configs/ner.cfg).")
@click.option("--work", "work_dir", default="training", show_default=True, type=click.Path(file_okay=False), help="Scratch folder for converted corpora and checkpoints (never committed).")
@click.option("--seed", default=0, show_default=True, help="Seed of the dev split and of training.")
@click.option("--max-steps", default=None, type=int, help="Stop after this many updates (overrides the config).")
@click.option("--set", "overrides", multiple=True, metavar="SECTION.KEY=VALUE", help="Config override, repeatable (e.g. training.max_epochs=5).")
@click.option("--extra", multiple=True, metavar="NAME", help="Add a corpus to the training side: cluener (its names mapped to PER/ORG, addresses left unannotated).")
def train(corpora: str, out_dir: str, config_path: str | None, work_dir: str, seed: int, max_steps: int | None, overrides: tuple[str, ...], extra: tuple[str, ...]) -> None:
    """Train the character NER pipeline on MSRA + People's Daily and write it to OUT."""
    from kg import train as train_lib

    try:
        result = train_lib.train(
            corpora=Path(corpora),
            out_dir=Path(out_dir),
            config_path=Path(config_path) if config_path else None,
            work_dir=Path(work_dir),
            seed=seed,
            max_steps=max_steps,
            overrides=train_lib.parse_overrides(overrides),
            extra=extra,
        )
    except (ValueError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(result.summary())
