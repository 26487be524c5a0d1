"""Named-entity recognition: load a pipeline whose ``doc.ents`` are PER/LOC/ORG.

Every pipeline this module hands out tokenises Chinese text one character
per token, so entity spans have exact character offsets into the input and
never lose a name that crosses a word boundary (邓小平 in 邓小平理论).

Three kinds of pipeline, one interface (:func:`load`):

* the shipped model in ``kg/models/zh_kg_ner`` (trained by :mod:`kg.train`),
  whose character embeddings also see jieba's word segmentation (the word a
  character belongs to and its B/I/E/S position) and character bigrams;
* ``"baseline"``: untrained, jieba part-of-speech tags nr/ns/nt mapped to
  PER/LOC/ORG, marked as a baseline in ``nlp.meta``;
* any spaCy pipeline (path or installed package), its labels mapped onto ours.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import rjieba
import spacy
from spacy.attrs import IDX, ORTH
from spacy.lang.zh import ChineseTokenizer
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import (
    LSTM,
    HashEmbed,
    Maxout,
    Model,
    chain,
    concatenate,
    list2ragged,
    ragged2list,
    with_array,
    with_padded,
)
from thinc.types import Floats2d, Ints2d

from kg.paths import MODELS_DIR

#: The coarse labels every pipeline produces.
LABELS: tuple[str, ...] = ("PER", "LOC", "ORG")

#: Finer contract type of each coarse label (the extraction pipeline may refine it).
TYPE_OF_LABEL: dict[str, str] = {"PER": "Person", "LOC": "Place", "ORG": "Organization"}

#: Labels of other pipelines (OntoNotes, CLUENER-style, our own) mapped onto ours; others dropped.
FOREIGN_LABELS: dict[str, str] = {
    "PER": "PER",
    "PERSON": "PER",
    "LOC": "LOC",
    "GPE": "LOC",
    "FAC": "LOC",
    "ORG": "ORG",
    "NORP": "",
}

#: Name of the model directory inside ``kg/models`` that ``load(None)`` uses.
SHIPPED_MODEL = "zh_kg_ner"

_BASELINE_POS = {"nr": "PER", "ns": "LOC", "nt": "ORG"}

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class NerEntity:
    """One entity span; ``start``/``end`` are character offsets into the line (end exclusive)."""

    start: int
    end: int
    label: str
    type: str
    text: str


@dataclass(frozen=True)
class NerLine:
    """What ``kg ner`` prints for one input line (1-based ``line``)."""

    line: int
    text: str
    entities: list[NerEntity] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


# --------------------------------------------------------------------------- tokenisation


@cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


#: A run of Chinese characters (jieba's own definition).
_HAN = re.compile(r"[\u4E00-\u9FD5]")
#: How jieba splits a run of letters, digits and symbols that is no dictionary word.
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


@cache
def _symbol_words() -> frozenset[str]:
    """Dictionary words made of letters and symbols only (C++, AT&T): jieba keeps these whole."""
    with open(_jieba().get_dict_file().name, encoding="utf-8") as handle:
        words = (line.split(maxsplit=1)[0] for line in handle if line.strip())
        return frozenset(w for w in words if len(w) > 1 and not w.isalnum() and not _HAN.search(w))


@lru_cache(maxsize=4096)
def segment(text: str) -> tuple[str, ...]:
    """jieba's word segmentation (HMM on), computed by jieba-rs: the same words, about ten times faster.

    Cached: the model's features and then the extractor's name rules cut each text of a batch.

    jieba-rs keeps a run such as ``www.people.com.cn`` whole where jieba
    splits it at the symbols; those runs are split jieba's way, so the words
    match jieba's on all but a handful of the training corpora's 36,000
    sentences (a tie between equally likely cuts).
    """
    words: list[str] = []
    for word in rjieba.cut(text, True):
        if len(word) > 1 and not word.isalnum() and not _HAN.search(word) and word not in _symbol_words():
            words.extend(piece for piece in _JIEBA_SKIP.split(word) if piece)
        else:
            words.append(word)
    return tuple(words)


#: Where :class:`CharTokenizer` leaves the text it tokenised, for the feature extractor.
TEXT_KEY = "kg.text"


def char_words(text: str) -> tuple[list[str], list[bool]]:
    """Tokens and trailing spaces of spaCy's character segmentation, in one pass.

    Every other character is a token; a single space after one is its
    trailing space; any other run of whitespace is one token of its own.
    """
    words: list[str] = []
    spaces: list[bool] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            words.append(text[i:j])
            spaces.append(False)
            i = j
            continue
        words.append(text[i])
        i += 1
        if i < n and text[i] == " ":
            spaces.append(True)
            i += 1
        else:
            spaces.append(False)
    return words, spaces


class CharTokenizer(ChineseTokenizer):
    """spaCy's Chinese character tokeniser, with the same tokens, built in linear time.

    It keeps the text on the doc (``doc.user_data[TEXT_KEY]``), so the
    feature extractor need not rebuild it from one token object per character.
    """

    def __init__(self, vocab: Vocab) -> None:
        super().__init__(vocab, segmenter="char")

    def __call__(self, text: str) -> Doc:
        words, spaces = char_words(text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[TEXT_KEY] = text
        return doc


@registry.tokenizers("kg.CharTokenizer.v1")
def create_char_tokenizer() -> Callable[[Language], CharTokenizer]:
    def make(nlp: Language) -> CharTokenizer:
        return CharTokenizer(nlp.vocab)

    return make


def blank() -> Language:
    """An empty Chinese pipeline with one token per character (whitespace is not a token)."""
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.CharTokenizer.v1"}}})


# --------------------------------------------------------------------------- features


_BIES_B, _BIES_I, _BIES_E, _BIES_S = 1, 2, 3, 4

#: Feature columns the character embedding can use, by name.
FEATURES: tuple[str, ...] = ("char", "bigram_left", "bigram_right", "word", "position", "lexicon")

#: jieba dictionary tags whose words make up the name lexicon, by lexicon category.
LEXICON_TAGS: dict[str, int] = {"nr": 0, "nrt": 0, "nrfg": 0, "ns": 1, "nt": 2, "nz": 3, "j": 3}
LEXICON_PLACE = 1
LEXICON_MAX_LEN = 10


@dataclass(frozen=True)
class NameLexicon:
    """Names from jieba's dictionary, tagged person/place/organisation/other, for soft matching."""

    category: dict[str, int]
    prefixes: frozenset[str]


@cache
def name_lexicon() -> NameLexicon:
    """jieba's own dictionary, read once: a runtime resource of a dependency, not a copied list."""
    jieba = _jieba()
    category: dict[str, int] = {}
    with open(jieba.get_dict_file().name, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3 and parts[2] in LEXICON_TAGS and 2 <= len(parts[0]) <= LEXICON_MAX_LEN:
                category[parts[0]] = LEXICON_TAGS[parts[2]]
    prefixes = frozenset(word[:k] for word in category for k in range(2, len(word) + 1))
    return NameLexicon(category, prefixes)


def lexicon_matches(text: str, lexicon: NameLexicon) -> Iterator[tuple[int, int, int]]:
    """Every ``(start, end, category)`` where a lexicon name occurs, overlapping ones included."""
    category, prefixes = lexicon.category, lexicon.prefixes
    for i in range(len(text) - 1):
        for j in range(i + 2, min(i + LEXICON_MAX_LEN, len(text)) + 1):
            piece = text[i:j]
            if piece not in prefixes:
                break
            cat = category.get(piece)
            if cat is not None:
                yield i, j, cat


def lexicon_codes(text: str, lexicon: NameLexicon) -> list[int]:
    """Per character, a bit set of (category, B/I/E) for every lexicon name that covers it.

    Unlike the segmenter's single word, every overlapping match counts: 邓小平
    inside 邓小平理论 still marks 邓 as the start of a person name.
    """
    codes = [0] * len(text)
    for i, j, cat in lexicon_matches(text, lexicon):
        base = cat * 3
        codes[i] |= 1 << base
        for k in range(i + 1, j - 1):
            codes[k] |= 1 << (base + 1)
        codes[j - 1] |= 1 << (base + 2)
    return codes


def char_features(doc: Doc, features: Iterable[str]) -> np.ndarray:
    """One row per token, one uint64 id per feature, computed from ``doc.text``.

    ``word`` is the jieba word (HMM on, so unseen names are grouped) that the
    character belongs to, ``position`` its B/I/E/S place in that word combined
    with the word's length (capped at 4), ``lexicon`` the name-lexicon matches
    covering it (:func:`lexicon_codes`). Ids are stable string hashes.
    """
    features = list(features)
    text = doc.user_data.get(TEXT_KEY)
    if text is None:  # a doc from elsewhere (training corpora, another tokeniser)
        text = doc.text
    n = len(text)
    need_words = "word" in features or "position" in features
    word_of: list[int] = []
    pos_of: list[int] = []
    if need_words and n:
        word_of = [0] * n
        pos_of = [0] * n
        i = 0
        for w in segment(text):
            length = len(w)
            wid = get_string_id(w)
            cap = min(length, 4)
            if length == 1:
                word_of[i] = wid
                pos_of[i] = _BIES_S * 8 + cap
            else:
                for k in range(length):
                    word_of[i + k] = wid
                    pos_of[i + k] = (_BIES_B if k == 0 else _BIES_E if k == length - 1 else _BIES_I) * 8 + cap
            i += length
    arr = doc.to_array([IDX, ORTH])
    idxs: list[int] = arr[:, 0].tolist()
    if not idxs:
        return np.zeros((0, len(features)), dtype="uint64")
    cols: list[list[int] | np.ndarray] = []
    for name in features:
        if name == "char":
            cols.append(arr[:, 1])
        elif name == "bigram_left":
            cols.append([get_string_id(text[i - 1 : i + 1] if i else "<s>" + text[i]) for i in idxs])
        elif name == "bigram_right":
            cols.append([get_string_id(text[i : i + 2] if i + 1 < n else text[i] + "</s>") for i in idxs])
        elif name == "word":
            cols.append([word_of[i] for i in idxs])
        elif name == "position":
            cols.append([pos_of[i] for i in idxs])
        elif name == "lexicon":
            codes = lexicon_codes(text, name_lexicon())
            cols.append([codes[i] for i in idxs])
        else:
            raise ValueError(f"unknown character feature {name!r}; known: {', '.join(FEATURES)}")
    return np.array(cols, dtype="uint64").T.copy()


def _char_feature_extractor(features: list[str]) -> Model[list[Doc], list[Ints2d]]:
    def forward(model: Model, docs: list[Doc], is_train: bool):
        out = [model.ops.asarray2i(char_features(doc, features), dtype="uint64") for doc in docs]
        return out, lambda d_features: []

    return Model("kg_char_features", forward, attrs={"features": list(features)})


@registry.architectures("kg.CharWordEmbed.v1")
def char_word_embed(width: int, features: list[str], rows: list[int]) -> Model[list[Doc], list[Floats2d]]:
    """Hash embeddings of character, bigram and jieba-word features, mixed by a maxout layer.

    The word features give a character model the segmenter's opinion about
    boundaries without letting a wrong segmentation forbid an entity boundary.
    """
    if len(rows) != len(features):
        raise ValueError(f"kg.CharWordEmbed.v1: {len(features)} features but {len(rows)} row sizes")
    embeds = [
        HashEmbed(width, nrows, column=i, seed=11 + i, dropout=0.0) for i, nrows in enumerate(rows)
    ]
    return chain(
        _char_feature_extractor(features),
        list2ragged(),
        with_array(concatenate(*embeds)),
        with_array(Maxout(width, width * len(embeds), nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )


@registry.architectures("kg.CharWordEmbed.v2")
def char_word_embed_v2(
    width: int, features: list[str], rows: list[int], widths: list[int], maxout_pieces: int = 2
) -> Model[list[Doc], list[Floats2d]]:
    """Like v1, but each feature has its own embedding width (cheaper mixing layer)."""
    if not len(rows) == len(features) == len(widths):
        raise ValueError("kg.CharWordEmbed.v2: features, rows and widths must have the same length")
    embeds = [
        HashEmbed(w, nrows, column=i, seed=11 + i, dropout=0.0)
        for i, (nrows, w) in enumerate(zip(rows, widths, strict=True))
    ]
    return chain(
        _char_feature_extractor(features),
        list2ragged(),
        with_array(concatenate(*embeds)),
        with_array(Maxout(width, sum(widths), nP=maxout_pieces, dropout=0.0, normalize=True)),
        ragged2list(),
    )


@registry.architectures("kg.BiLSTMEncoder.v1")
def bilstm_encoder(width: int, depth: int, dropout: float = 0.0) -> Model[list[Floats2d], list[Floats2d]]:
    """A bidirectional LSTM over the sentence in thinc's own (numpy) layer: no torch needed.

    A window CNN sees a few characters either side; an organisation name such
    as 北京市东城区人民政府 needs the whole span to decide where it ends.
    """
    return with_padded(LSTM(width, width, bi=True, depth=depth, dropout=dropout))


# --------------------------------------------------------------------------- components


@Language.factory("kg_jieba_ner")
def _make_jieba_ner(nlp: Language, name: str) -> JiebaPosNer:
    return JiebaPosNer()


class JiebaPosNer:
    """Baseline entity tagger: jieba part-of-speech nr/ns/nt words become PER/LOC/ORG."""

    def __call__(self, doc: Doc) -> Doc:
        import jieba.posseg

        _jieba()
        ents: list[Span] = []
        pos = 0
        for word, flag in jieba.posseg.cut(doc.text):
            start = pos if doc.text.startswith(word, pos) else doc.text.find(word, pos)
            if start < 0:
                continue
            end = start + len(word)
            pos = end
            label = _BASELINE_POS.get(flag)
            if label and word.strip():
                span = doc.char_span(start, end, label=label, alignment_mode="contract")
                if span is not None and len(span):
                    ents.append(span)
        doc.ents = ents
        return doc


@Language.component("kg_label_map")
def label_map(doc: Doc) -> Doc:
    """Relabel entities onto PER/LOC/ORG and drop the labels we do not use."""
    old = doc.ents
    if all(ent.label_ in LABELS for ent in old):
        return doc  # already ours: re-setting the entities would touch every token
    ents = []
    for ent in old:
        label = FOREIGN_LABELS.get(ent.label_.upper().split(".")[0], "")
        if label:
            ents.append(ent if ent.label_ == label else Span(doc, ent.start, ent.end, label=label))
    doc.ents = ents
    return doc


# --------------------------------------------------------------------------- loading


def baseline() -> Language:
    """The untrained jieba part-of-speech baseline (clearly labelled in ``nlp.meta``)."""
    nlp = blank()
    nlp.add_pipe("kg_jieba_ner")
    nlp.meta["name"] = "kg_baseline"
    nlp.meta["description"] = "BASELINE (untrained): jieba part-of-speech nr/ns/nt -> PER/LOC/ORG"
    nlp.meta["kg_baseline"] = True
    return nlp


def shipped_model_path() -> Path:
    return MODELS_DIR / SHIPPED_MODEL


def load(name: str | None = None) -> Language:
    """A pipeline whose ``doc.ents`` carry PER/LOC/ORG with exact character offsets.

    ``None`` is the shipped model (the baseline, with a warning, if it is
    missing); ``"baseline"`` the jieba baseline; anything else a model
    directory or an installed spaCy package, its labels mapped onto ours.
    """
    if name == "baseline":
        return baseline()
    if name is None:
        path = shipped_model_path()
        if not (path / "config.cfg").is_file():
            warnings.warn(
                f"no shipped NER model at {path}; using the untrained jieba baseline",
                RuntimeWarning,
                stacklevel=2,
            )
            return baseline()
        name = str(path)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ValueError(f"cannot load NER model {name!r}: not a model directory or installed spaCy package ({exc})") from exc
    if "kg_label_map" not in nlp.pipe_names:
        nlp.add_pipe("kg_label_map", last=True)
    use_blas(nlp)
    return nlp


def use_blas(nlp: Language) -> None:
    """Matrix products through numpy's BLAS, on one thread, instead of thinc's blis.

    The results are the same; on CPUs blis does not recognise (virtual
    machines among them) its generic kernels are several times slower, and
    the embedding's mixing layer is the largest product of the model. One
    thread: a process tags on one core, and ``--jobs`` spreads processes over cores.
    """
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            for node in model.walk():
                node.ops = ops


# --------------------------------------------------------------------------- tagging


def entities(doc: Doc) -> list[NerEntity]:
    """The entities of a processed doc as records (offsets into ``doc.text``)."""
    return [
        NerEntity(e.start_char, e.end_char, e.label_, TYPE_OF_LABEL.get(e.label_, e.label_), e.text)
        for e in doc.ents
    ]


#: Characters of text tagged at once: the working memory of tagging grows with a
#: batch's characters, so a batch is bounded by characters, not by lines.
BATCH_CHARS = 60_000


def tag_lines(nlp: Language, lines: Iterable[str], batch_size: int = 256) -> Iterator[NerLine]:
    """Tag each line (a trailing line break is dropped); offsets count characters of the line.

    Lines are read and tagged in batches of at most ``batch_size`` lines and
    :data:`BATCH_CHARS` characters, so memory stays flat however long the input.
    """
    numbered = ((line.rstrip("\r\n"), number) for number, line in enumerate(lines, start=1))
    for batch in _batches(numbered, batch_size):
        for doc, number in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
            yield NerLine(number, doc.text, entities(doc))


def _batches(items: Iterable[tuple[str, int]], max_lines: int) -> Iterator[list[tuple[str, int]]]:
    batch: list[tuple[str, int]] = []
    chars = 0
    for item in items:
        if batch and (len(batch) >= max_lines or chars + len(item[0]) > BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += len(item[0])
    if batch:
        yield batch


class BoundedPipe:
    """A pipeline whose ``pipe`` tags texts in batches bounded by padded characters.

    The model pads every text of a batch to the longest, so its working
    memory grows with the batch's length times its longest text: 256
    paragraphs beside one of 5,000 characters took 400 MB. Batches here hold
    at most ``batch_size`` texts and ``BATCH_CHARS`` padded characters;
    anything else is the wrapped pipeline's.
    """

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __getattr__(self, name: str) -> Any:
        return getattr(self.nlp, name)

    def pipe(self, texts: Iterable[str], batch_size: int = 256, **kwargs: Any) -> Iterator[Any]:
        for batch in _padded_batches(texts, batch_size):
            yield from self.nlp.pipe(batch, batch_size=len(batch), **kwargs)


def _padded_batches(texts: Iterable[str], max_texts: int) -> Iterator[list[str]]:
    batch: list[str] = []
    longest = 0
    for text in texts:
        wider = max(longest, len(text))
        if batch and (len(batch) >= max_texts or wider * (len(batch) + 1) > BATCH_CHARS):
            yield batch
            batch, wider = [], len(text)
        batch.append(text)
        longest = wider
    if batch:
        yield batch


def tag_texts(nlp: Language, texts: Iterable[str], batch_size: int = 256) -> Iterator[list[NerEntity]]:
    """Entities of each text, in order (the bulk path the build uses)."""
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield entities(doc)
