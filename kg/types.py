"""The records that flow between the stages of the pipeline.

Each stage takes and returns these dataclasses (see the README's flow
picture): ingest → ``RawDocument``; normalize → ``Document``; nlp/extract →
``Mention`` and ``Fact``; resolve → ``Entity``; rdf → triples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum


class EntityType(str, Enum):
    """The six entity classes of the contract (``docs/facts.md``)."""

    PERSON = "Person"
    ORGANIZATION = "Organization"
    PLATFORM = "Platform"
    PLACE = "Place"
    EVENT = "Event"
    DOCUMENT = "Document"

    @property
    def ner_label(self) -> str:
        """The coarse PER/LOC/ORG/MISC label ``kg ner`` prints."""
        return _NER_LABEL[self]


# Short names for the rule tables (kg/extraction/).
PER = EntityType.PERSON
ORG = EntityType.ORGANIZATION
PLAT = EntityType.PLATFORM
PLACE = EntityType.PLACE
EVENT = EntityType.EVENT
DOC = EntityType.DOCUMENT

_NER_LABEL = {
    EntityType.PERSON: "PER",
    EntityType.ORGANIZATION: "ORG",
    EntityType.PLATFORM: "ORG",
    EntityType.PLACE: "LOC",
    EntityType.EVENT: "MISC",
    EntityType.DOCUMENT: "MISC",
}

#: The 13 relation predicates of the contract, in the order the spec lists them.
PREDICATES: tuple[str, ...] = (
    "organized",
    "hosted",
    "guided",
    "commentedOn",
    "participatedIn",
    "heldIn",
    "startDate",
    "affiliatedWith",
    "holdsPosition",
    "launched",
    "published",
    "operates",
    "locatedIn",
)

#: Predicates whose object is a literal, with the ``object_type`` the spec prints.
LITERAL_PREDICATES: dict[str, str] = {"startDate": "date", "holdsPosition": "text"}


@dataclass(frozen=True)
class RawDocument:
    """One article as read from disk, before any cleaning.

    ``doc_id`` is stable: the file name for a single-article file, the
    ``id`` field (or ``<file>#L<line>``) for a JSONL/CSV record.
    """

    doc_id: str
    source: str
    raw_text: str
    line: int | None = None
    title: str | None = None
    date: str | None = None
    publisher: str | None = None
    url: str | None = None
    html_title: str | None = None


@dataclass(frozen=True)
class DocMeta:
    """Metadata read from the text or the record; never turned into facts."""

    title: str | None = None
    date: str | None = None  # ISO 8601 date of publication, as far as known
    dateline: str | None = None  # 新华社北京9月26日电
    print_line: str | None = None  # 《人民日报》（2024年12月17日 第14版）
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class Document:
    """A normalised article.

    ``text`` is simplified, de-noised text; ``offsets[i]`` is the index in
    ``raw_text`` of the character that became ``text[i]``, and
    ``offsets[len(text)]`` is ``len(raw_text)``, so any span of ``text``
    maps back to a span of ``raw_text``.
    """

    doc_id: str
    source: str
    raw_text: str
    text: str
    offsets: tuple[int, ...]
    meta: DocMeta
    content_hash: str
    # Character ranges of ``text`` that are page furniture (bylines, photo
    # credits, editor boxes): extraction skips them.
    furniture: tuple[tuple[int, int], ...] = ()

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``text`` to the raw text."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class Mention:
    """A typed entity span in a document's normalised text."""

    text: str
    start: int
    end: int
    type: EntityType
    source: str  # "ner", "gazetteer:<file>", "pattern:<id>"


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the sentence, its offsets and the rule."""

    doc_id: str
    sentence: str
    start: int  # offsets of the sentence in the document's normalised text
    end: int
    rule: str
    confidence: float
    quote: str | None = None  # the quoted or reported words, for commentedOn


@dataclass(frozen=True)
class Fact:
    """One line of ``kg extract --format jsonl``.

    ``subject`` and ``object`` are canonical labels (or a literal value for
    startDate/holdsPosition, or the class name for ``type`` facts).
    """

    subject: str
    subject_type: str
    predicate: str
    object: str
    object_type: str
    evidence: Evidence

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object)

    def to_json(self) -> dict[str, object]:
        """The exact form ``docs/facts.md`` prints."""
        out: dict[str, object] = {
            "doc": self.evidence.doc_id,
            "subject": self.subject,
            "subject_type": self.subject_type,
            "predicate": self.predicate,
            "object": self.object,
            "object_type": self.object_type,
            "sentence": self.evidence.sentence,
            "start": self.evidence.start,
            "end": self.evidence.end,
            "confidence": round(self.evidence.confidence, 3),
            "rule": self.evidence.rule,
        }
        if self.evidence.quote:
            out["quote"] = self.evidence.quote
        return out

    def to_json_line(self) -> str:
        """``to_json`` as one line of JSON, without a newline (``kg extract``, ``facts.jsonl``, the manifest)."""
        return _json_line(self.to_json())


#: ``json.dumps(…, ensure_ascii=False)`` without building an encoder per call: a build writes millions of facts.
_json_line = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(frozen=True)
class Entity:
    """One real-world thing: a canonical simplified label and every surface form seen."""

    label: str
    type: EntityType
    aliases: frozenset[str] = frozenset()

    @property
    def key(self) -> tuple[str, str]:
        return (self.type.value, self.label)


@dataclass(frozen=True)
class Statement:
    """A quote or reported speech attributed to its speaker, whatever it is about."""

    speaker: str
    speaker_type: str
    quote: str
    evidence: Evidence


@dataclass
class DocumentResult:
    """Everything the per-document pipeline returns for one article."""

    document: Document
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)


@dataclass(frozen=True)
class InputError:
    """A file (or line) that could not be read; the rest of the corpus still builds."""

    source: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ReprintLink:
    """Two documents that are versions of one article (near-duplicates)."""

    doc_a: str
    doc_b: str
    similarity: float


@dataclass(frozen=True)
class Conflict:
    """Reprints that disagree: the same statement or role given to different subjects.

    ``facts`` holds the disagreeing facts, one or more from each document.
    """

    doc_a: str
    doc_b: str
    kind: str  # e.g. "speaker" (one quote, two speakers) or "holder" (one title, two people)
    facts: tuple[Fact, ...]
    description: str
