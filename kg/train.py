"""Train the shipped NER model from the public corpora (MSRA + People's Daily).

The corpora are read from their folder (``shared/corpora``), mapped to
PER/LOC/ORG, converted to spaCy ``DocBin`` files in a scratch folder that is
never committed, and trained with the config in ``configs/``. The dev split is
held out from the MSRA training side only (seeded), so the model card's dev
scores never touch a test set.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from kg import ner
from kg.paths import PROJECT_DIR

DEFAULT_CONFIG = PROJECT_DIR / "configs" / "ner.cfg"

#: Corpus files used for training, relative to the corpora folder (CLUENER and
#: Weibo follow other annotation rules and lowered news F1; they are left out).
MSRA_TRAIN = Path("msra/train.bio")
PEOPLES_DAILY = (Path("peoples_daily/example.dev"), Path("peoples_daily/example.test"))

DEV_FRACTION = 0.05


#: CLUENER types onto ours. Its addresses and scenic spots follow other
#: boundaries than MSRA's places, so they are left unannotated (missing),
#: neither taught as places nor as "no entity", as are the place names of
#: jieba's dictionary it leaves untagged; the other types are not names.
CLUENER_LABELS: dict[str, str | None] = {
    "name": "PER",
    "organization": "ORG",
    "government": "ORG",
    "company": "ORG",
    "address": None,
    "scene": None,
}


@dataclass(frozen=True)
class Sentence:
    """One labelled sentence: entity spans (start, end exclusive, label) and spans left unannotated."""

    text: str
    spans: tuple[tuple[int, int, str], ...]
    source: str
    missing: tuple[tuple[int, int], ...] = ()


@dataclass
class LabelScore:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    @property
    def p(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def r(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


@dataclass
class Scores:
    """Exact-character-span precision/recall/F1, overall and per label."""

    total: LabelScore = field(default_factory=LabelScore)
    per_label: dict[str, LabelScore] = field(default_factory=dict)
    chars: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        def one(s: LabelScore) -> dict:
            return {"p": round(s.p, 4), "r": round(s.r, 4), "f": round(s.f, 4), "gold": s.n_gold}

        return {"all": one(self.total), **{k: one(v) for k, v in sorted(self.per_label.items())}}

    def table(self) -> str:
        rows = [("all", self.total), *sorted(self.per_label.items())]
        lines = ["label  P      R      F1     gold"]
        lines += [f"{k:<6} {s.p:.4f} {s.r:.4f} {s.f:.4f} {s.n_gold}" for k, s in rows]
        return "\n".join(lines)


@dataclass
class TrainResult:
    out_dir: Path
    train_sentences: int
    dev_sentences: int
    dev: Scores

    def summary(self) -> str:
        return (
            f"trained on {self.train_sentences} sentences, dev {self.dev_sentences}; "
            f"model written to {self.out_dir}\n{self.dev.table()}"
        )


# --------------------------------------------------------------------------- reading


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Spans of a B-/I-/O tag sequence; an I- that does not continue its label opens a span."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix in ("I", "M", "E") and kind == label and start >= 0
        if continues:
            continue
        if start >= 0:
            spans.append((start, i, label))
            start, label = -1, ""
        if prefix in ("B", "S", "I", "M", "E") and kind:
            start, label = i, kind
    return spans


def read_bio(path: Path) -> list[Sentence]:
    """Sentences of a one-character-per-line BIO file (``char<TAB or SPACE>tag``, blank line between)."""
    sentences: list[Sentence] = []
    chars: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if chars:
            spans = tuple((s, e, lab) for s, e, lab in bio_spans(tags) if lab in ner.LABELS)
            sentences.append(Sentence("".join(chars), spans, path.name))
        chars.clear()
        tags.clear()

    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                flush()
                continue
            if len(line) < 3 or line[1] not in "\t ":
                raise ValueError(f"{path}:{number}: expected 'character<TAB>tag', got {line!r}")
            chars.append(line[0])
            tags.append(line[2:].strip())
    flush()
    return sentences


def read_cluener(path: Path) -> list[Sentence]:
    """Sentences of a CLUENER JSON-lines file, mapped by :data:`CLUENER_LABELS`."""
    sentences: list[Sentence] = []
    lexicon = ner.name_lexicon()
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                text, labels = record["text"], record.get("label") or {}
                spans, missing = [], []
                for kind, surfaces in labels.items():
                    if kind not in CLUENER_LABELS:
                        continue
                    label = CLUENER_LABELS[kind]
                    for occurrences in surfaces.values():
                        for start, end_inclusive in occurrences:
                            if label is None:
                                missing.append((start, end_inclusive + 1))
                            else:
                                spans.append((start, end_inclusive + 1, label))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not a CLUENER record ({exc})") from exc
            # CLUENER has no place type: a place name it leaves untagged is unknown, not "no entity".
            missing += [(i, j) for i, j, cat in ner.lexicon_matches(text, lexicon) if cat == ner.LEXICON_PLACE]
            sentences.append(Sentence(text, tuple(sorted(spans)), path.name, tuple(sorted(missing))))
    return sentences


#: Corpora that may be added to the training side (never to the dev split): name → files, reader.
EXTRA_CORPORA: dict[str, tuple[tuple[Path, ...], Callable[[Path], list[Sentence]]]] = {
    "cluener": ((Path("cluener/train.json"), Path("cluener/dev.json")), read_cluener),
}


def split_dev(sentences: Sequence[Sentence], fraction: float, seed: int) -> tuple[list[Sentence], list[Sentence]]:
    """A seeded (train, dev) split."""
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    n_dev = int(round(len(sentences) * fraction))
    dev_ids = set(order[:n_dev])
    train = [s for i, s in enumerate(sentences) if i not in dev_ids]
    dev = [sentences[i] for i in sorted(dev_ids)]
    return train, dev


def load_corpora(corpora: Path, seed: int, extra: Sequence[str] = ()) -> tuple[list[Sentence], list[Sentence]]:
    """(train, dev): MSRA minus a seeded 5 % dev split, plus all of People's Daily and the ``extra`` corpora."""
    unknown = sorted(set(extra) - set(EXTRA_CORPORA))
    if unknown:
        raise ValueError(f"unknown extra corpus {', '.join(unknown)} (known: {', '.join(EXTRA_CORPORA)})")
    extra_files = [(rel, EXTRA_CORPORA[name][1]) for name in extra for rel in EXTRA_CORPORA[name][0]]
    for rel in (MSRA_TRAIN, *PEOPLES_DAILY, *(rel for rel, _ in extra_files)):
        if not (corpora / rel).is_file():
            raise FileNotFoundError(f"{corpora / rel}: corpus file missing (see {corpora}/README.md)")
    msra_train, dev = split_dev(read_bio(corpora / MSRA_TRAIN), DEV_FRACTION, seed)
    train = list(msra_train)
    for rel in PEOPLES_DAILY:
        train.extend(read_bio(corpora / rel))
    for rel, reader in extra_files:
        train.extend(reader(corpora / rel))
    return train, dev


def to_doc(nlp: Language, sentence: Sentence) -> Doc:
    """A training doc; missing spans carry no annotation, so training neither rewards nor punishes them."""
    doc = nlp.make_doc(sentence.text)
    ents = []
    for s, e, label in sentence.spans:
        span = doc.char_span(s, e, label=label, alignment_mode="contract")
        if span is not None and len(span):
            ents.append(span)
    taken = {i for span in ents for i in range(span.start, span.end)}
    missing = []
    for s, e in sentence.missing:
        span = doc.char_span(s, e, alignment_mode="contract")
        if span is not None and len(span) and not taken.intersection(range(span.start, span.end)):
            missing.append(span)
            taken.update(range(span.start, span.end))
    doc.set_ents(ents, missing=missing, default="outside")
    return doc


def write_docbin(nlp: Language, sentences: Iterable[Sentence], path: Path) -> int:
    db = DocBin(attrs=["ENT_IOB", "ENT_TYPE"], store_user_data=False)
    n = 0
    for sentence in sentences:
        db.add(to_doc(nlp, sentence))
        n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    db.to_disk(tmp)
    tmp.replace(path)
    return n


# --------------------------------------------------------------------------- scoring


def evaluate(nlp: Language, sentences: Sequence[Sentence], batch_size: int = 256) -> Scores:
    """Exact character-span scores of ``nlp`` on labelled sentences."""
    docs = nlp.pipe((s.text for s in sentences), batch_size=batch_size)
    return score_spans(sentences, ([(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs))


def score_spans(sentences: Sequence[Sentence], predicted: Iterable[list[tuple[int, int, str]]]) -> Scores:
    """Exact character-span scores of any tagger's spans, one list per sentence, in order."""
    scores = Scores()
    start = time.perf_counter()
    for sentence, spans in zip(sentences, predicted, strict=True):
        gold, pred = set(sentence.spans), set(spans)
        scores.chars += len(sentence.text)
        for label in ner.LABELS:
            ls = scores.per_label.setdefault(label, LabelScore())
            g = {x for x in gold if x[2] == label}
            p = {x for x in pred if x[2] == label}
            ls.tp += len(g & p)
            ls.n_gold += len(g)
            ls.n_pred += len(p)
        scores.total.tp += len(gold & pred)
        scores.total.n_gold += len(gold)
        scores.total.n_pred += len(pred)
    scores.seconds = time.perf_counter() - start
    return scores


# --------------------------------------------------------------------------- training


def parse_overrides(items: Iterable[str]) -> dict[str, object]:
    """``section.key=value`` strings to a spaCy overrides dict (values parsed as JSON where they can be)."""
    out: dict[str, object] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"bad override {item!r}: expected section.key=value")
        try:
            out[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            out[key.strip()] = value
    return out


def train(
    corpora: Path,
    out_dir: Path,
    config_path: Path | None = None,
    work_dir: Path = Path("training"),
    seed: int = 0,
    max_steps: int | None = None,
    overrides: dict[str, object] | None = None,
    extra: Sequence[str] = (),
) -> TrainResult:
    """Convert the corpora, train with ``config_path`` and copy ``model-best`` to ``out_dir``.

    A README.md already in ``out_dir`` (the model card) is kept.
    """
    from spacy.cli.train import train as spacy_train

    config_path = config_path or DEFAULT_CONFIG
    if not config_path.is_file():
        raise FileNotFoundError(f"{config_path}: training config missing")
    train_sents, dev_sents = load_corpora(corpora, seed, extra)
    nlp = ner.blank()
    corpus_dir = work_dir / "corpus"
    write_docbin(nlp, train_sents, corpus_dir / f"train-{seed}.spacy")
    write_docbin(nlp, dev_sents, corpus_dir / f"dev-{seed}.spacy")

    run_dir = work_dir / f"run-{out_dir.name}"
    settings: dict[str, object] = {
        "paths.train": str(corpus_dir / f"train-{seed}.spacy"),
        "paths.dev": str(corpus_dir / f"dev-{seed}.spacy"),
        "system.seed": seed,
    }
    if max_steps is not None:
        settings["training.max_steps"] = max_steps
        settings["training.eval_frequency"] = max(1, min(500, max_steps))
    settings.update(overrides or {})
    spacy_train(config_path, run_dir, use_gpu=-1, overrides=settings)

    best = run_dir / "model-best"
    if not best.is_dir():
        best = run_dir / "model-last"
    publish(best, out_dir)
    model = ner.load(str(out_dir))
    dev = evaluate(model, dev_sents)
    _record_dev_scores(out_dir, dev, len(train_sents), len(dev_sents), seed, config_path, extra)
    return TrainResult(out_dir, len(train_sents), len(dev_sents), dev)


def publish(model_dir: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` with a copy of ``model_dir`` (atomic rename), keeping its README.md."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        target = staging / "model"
        shutil.copytree(model_dir, target)
        card = out_dir / "README.md"
        if card.is_file():
            shutil.copy2(card, target / "README.md")
        old = staging / "old"
        if out_dir.exists():
            out_dir.rename(old)
        target.rename(out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _record_dev_scores(
    out_dir: Path, dev: Scores, n_train: int, n_dev: int, seed: int, config_path: Path, extra: Sequence[str]
) -> None:
    meta_path = out_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    corpora = " + ".join(["MSRA", "People's Daily", *(name.upper() for name in extra)])
    meta["name"] = out_dir.name.removeprefix("zh_")
    meta["description"] = f"kg's character NER for Chinese news (PER/LOC/ORG), trained on {corpora}"
    meta["kg_training"] = {
        "config": config_path.name,
        "extra_corpora": list(extra),
        "seed": seed,
        "train_sentences": n_train,
        "dev_sentences": n_dev,
        "dev_split": f"{DEV_FRACTION:.0%} of {MSRA_TRAIN} (seeded)",
        "dev_exact_char_spans": dev.as_dict(),
    }
    tmp = meta_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(meta_path)
