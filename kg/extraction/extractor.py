"""From normalised documents to typed entities and facts with evidence.

The NER model runs paragraph by paragraph through ``nlp.pipe`` (so a
document of any length streams); mention finding, resolution and the
relation rules then run on the whole article, since a relation may need
the article's date or the event it reports on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from spacy.language import Language

from kg import lexicon
from kg.extraction import context, frames, matcher, rules, speech  # noqa: F401  rules: it registers
from kg.extraction.context import DocContext, Hosting
from kg.extraction.matcher import Relation, Said
from kg.extraction.registry import REGISTRY
from kg.extraction.view import View
from kg.mentions import find_mentions
from kg.metadata import uncredited
from kg.resolve import Resolved, resolve_mentions
from kg.sentences import Sentence, split
from kg.titles import TitlePhrase
from kg.types import (
    DOC,
    EVENT,
    LITERAL_PREDICATES,
    ORG,
    PER,
    PLACE,
    PLAT,
    Document,
    DocumentResult,
    Entity,
    EntityType,
    Evidence,
    Fact,
    Mention,
    Statement,
)

#: Domain and range of each predicate (docs/facts.md); a Platform is an Organization.
SIGNATURES: dict[str, tuple[tuple[EntityType, ...], tuple[EntityType, ...]]] = {
    "organized": ((PER, ORG, PLAT), (EVENT,)),
    "hosted": ((ORG, PLAT), (EVENT,)),
    "guided": ((ORG, PLAT), (EVENT,)),
    "commentedOn": ((PER, ORG, PLAT), (EVENT, PLAT, ORG, DOC)),
    "participatedIn": ((PER, ORG, PLAT), (EVENT,)),
    "heldIn": ((EVENT,), (PLACE,)),
    "startDate": ((EVENT,), ()),
    "affiliatedWith": ((PER,), (ORG, PLAT)),
    "holdsPosition": ((PER,), ()),
    "launched": ((ORG, PLAT), (PLAT, EVENT)),
    "published": ((PER, ORG, PLAT), (DOC,)),
    "operates": ((ORG,), (PLAT,)),
    "locatedIn": ((PLACE, ORG, PLAT), (PLACE,)),
}

_Span = TypeVar("_Span", Mention, TitlePhrase)
_PARAGRAPH_CHARS = 20_000  # NER input is cut at line breaks, then at this length


@dataclass(frozen=True)
class _Chunk:
    doc_index: int
    offset: int
    text: str


class Extractor:
    """Runs the NER pipeline and the rules; one instance per process.

    ``batch_size`` is at least a worker's batch (``kg.scale.BATCH_SIZE``), so
    each batch is tagged in one ``nlp.pipe`` call.
    """

    def __init__(self, nlp: Language | None, batch_size: int = 256) -> None:
        self.nlp = nlp
        self.lex = lexicon.load()
        self.batch_size = batch_size

    def process(self, documents: Iterable[Document]) -> Iterator[DocumentResult]:
        batch: list[Document] = []
        for doc in documents:
            batch.append(doc)
            if len(batch) >= self.batch_size:
                yield from self._process_batch(batch)
                batch = []
        if batch:
            yield from self._process_batch(batch)

    def _process_batch(self, docs: list[Document]) -> Iterator[DocumentResult]:
        ents: list[list[tuple[int, int, str]]] = [[] for _ in docs]
        if self.nlp is not None:
            chunks = [c for i, d in enumerate(docs) for c in _chunks(i, d.text)]
            texts = (c.text for c in chunks)
            for chunk, sdoc in zip(chunks, self.nlp.pipe(texts, batch_size=256), strict=True):
                ents[chunk.doc_index].extend(
                    (chunk.offset + e.start_char, chunk.offset + e.end_char, e.label_)
                    for e in sdoc.ents
                )
        for doc, doc_ents in zip(docs, ents, strict=True):
            yield extract_document(doc, doc_ents, self.lex)


def _chunks(index: int, text: str) -> Iterator[_Chunk]:
    pos = 0
    for line in text.split("\n"):
        for i in range(0, max(len(line), 1), _PARAGRAPH_CHARS):
            piece = line[i : i + _PARAGRAPH_CHARS]
            if piece.strip():
                yield _Chunk(index, pos + i, piece)
        pos += len(line) + 1


def extract_document(
    doc: Document, ner: list[tuple[int, int, str]], lex: lexicon.Lexicon
) -> DocumentResult:
    """Entities and facts of one document, every fact with its sentence."""
    views, resolved = _views(doc, ner, lex)
    frame_set = frames.load()
    ctx = _context(doc, views, frame_set)
    facts: dict[tuple[str, str, str], Fact] = {}
    said: list[tuple[View, Said]] = []
    for v in views:
        for found in _findings(v, ctx, frame_set):
            if isinstance(found, Said):
                said.append((v, found))
            else:
                _add(facts, doc, v.sentence, found)
    for key in [k for k, f in facts.items() if f.predicate == "participatedIn"]:
        if (key[0], "hosted", key[2]) in facts or (key[0], "guided", key[2]) in facts:
            del facts[key]  # hosts and guides are not listed again as participants
    entities = _entities(resolved)
    type_facts = _type_facts(doc, views, entities)
    return DocumentResult(
        doc, list(entities.values()), type_facts + sorted(facts.values(), key=_order), _statements(doc, said)
    )


def _views(doc: Document, ner: list[tuple[int, int, str]], lex: lexicon.Lexicon) -> tuple[list[View], list[Resolved]]:
    """The sentences of ``doc`` with their resolved mentions and title phrases."""
    credited = _credits(doc)
    sentences = sorted([*split(doc.text, doc.furniture), *(s for s, _ in credited)], key=lambda s: s.start)
    found = find_mentions(doc.text, lex, ner, skip=doc.furniture)
    mentions = sorted([*found.mentions, *(m for _, ms in credited for m in ms)], key=lambda m: (m.start, m.end))
    in_sentences = _assign(sentences, mentions)
    titles_in = _assign(sentences, found.titles)
    raw_forms = {m: _raw_form(doc, m) for m in mentions}
    resolved = resolve_mentions(tuple(m for ms in in_sentences for m in ms), lex, raw_forms, doc.text)
    by_mention = {r.mention: r for r in resolved}
    views = [
        View(i, s, tuple(by_mention[m] for m in ms), tuple(ts), lex)
        for i, (s, ms, ts) in enumerate(zip(sentences, in_sentences, titles_in, strict=True))
    ]
    return _pronoun_subjects(views), resolved


def _findings(v: View, ctx: DocContext, frame_set: frames.FrameSet) -> Iterator[Relation | Said]:
    """What every frame and every special rule finds in one sentence."""
    yield from matcher.apply(v, ctx, frame_set)
    for rule in REGISTRY:
        yield from rule(v, ctx, frame_set)


def _context(doc: Document, views: list[View], frame_set: frames.FrameSet) -> DocContext:
    """The article's context from a first pass of the hosting frames and the heldIn rule."""
    bare = context.build(doc.meta.date, views, ())
    hostings = []
    for v in views:
        for rel in list(matcher.apply(v, bare, frame_set.hosting)) + list(rules.held_in(v, bare, frame_set)):
            host = rel.subject if rel.predicate != "heldIn" else None
            event = rel.subject if rel.predicate == "heldIn" else matcher.event_of(rel)
            if event is not None:
                hostings.append(Hosting(event, host))
    writers = [w for v in views for w in speech.letter_writers(v, frame_set)]
    return context.build(doc.meta.date, views, hostings, writers)


_PRONOUN = re.compile(r"^(?:他|她)(?=[\u4e00-\u9fff])")


def _pronoun_subjects(views: list[View]) -> list[View]:
    """他/她 opening a sentence is the person the previous sentence opened with.

    (…陈刚出席会议并讲话。他指出，“…”): the pronoun becomes a mention of that
    person, so speech, evaluation and participation rules see a subject.
    """
    out = list(views)
    for i in range(1, len(out)):
        v = out[i]
        m = _PRONOUN.match(v.text)
        people = [r for r in out[i - 1].items if r.mention.type is PER]
        if m is None or not people or (v.items and v.start(v.items[0]) == 0):
            continue
        start = v.sentence.start
        pronoun = Mention(m.group(), start, start + m.end(), PER, "anaphor:pronoun")
        out[i] = replace(v, items=(Resolved(pronoun, people[0].entity), *v.items))
    return out


def _statements(doc: Document, said: list[tuple[View, Said]]) -> list[Statement]:
    out: dict[tuple[str, str], Statement] = {}
    for v, found in said:
        s = v.sentence
        ev = Evidence(doc.doc_id, s.text, s.start, s.end, "statement.attributed", 0.8, found.words)
        speaker = found.speaker
        out.setdefault((speaker.label, found.words), Statement(speaker.label, speaker.type.value, found.words, ev))
    return list(out.values())


def _credits(doc: Document) -> list[tuple[Sentence, list[Mention]]]:
    """The bylines and credits that name the article's reporters, each with its people: furniture
    holds no facts, but a reporter, author or photographer it names is a Person (gold/NOTES.md);
    (郑莉茵、彭姝婷参与采写) names contributors with no such role."""
    out = []
    for start, end in doc.furniture:
        line = doc.text[start:end]
        if uncredited(line):
            continue
        people = [
            Mention(name, start + at, start + at + len(name), EntityType.PERSON, "credit:author")
            for name in doc.meta.authors
            if (at := line.find(name)) >= 0
        ]
        if people:
            out.append((Sentence(start, end, line), sorted(people, key=lambda m: m.start)))
    return out


def _order(f: Fact) -> tuple[int, str, str, str]:
    return (f.evidence.start, f.predicate, f.subject, f.object)


def _assign(sentences: list[Sentence], spans: Sequence[_Span]) -> list[list[_Span]]:
    """Bucket spans (mentions, title phrases; sorted by start) into the sentences holding them."""
    out: list[list[_Span]] = [[] for _ in sentences]
    i = 0
    for m in spans:
        start, end = _bounds(m)
        while i < len(sentences) and sentences[i].end <= start:
            i += 1
        if i < len(sentences) and sentences[i].start <= start and end <= sentences[i].end:
            out[i].append(m)
    return out


def _bounds(span: Mention | TitlePhrase) -> tuple[int, int]:
    if isinstance(span, TitlePhrase):
        return span.start, span.person_end
    return span.start, span.end


def _raw_form(doc: Document, m: Mention) -> str:
    s, e = doc.raw_span(m.start, m.end)
    return doc.raw_text[s:e]


def _valid(rel: Relation) -> bool:
    domain, range_ = SIGNATURES[rel.predicate]
    if rel.subject.type not in domain:
        return False
    if rel.predicate in LITERAL_PREDICATES:
        return isinstance(rel.object, str) and bool(rel.object)
    return (
        isinstance(rel.object, Entity) and rel.object.type in range_ and rel.object != rel.subject
    )


def _add(
    facts: dict[tuple[str, str, str], Fact], doc: Document, s: Sentence, rel: Relation
) -> None:
    if not _valid(rel):
        return
    obj = rel.object
    if isinstance(obj, Entity):
        obj_label, obj_type = obj.label, obj.type.value
    else:
        obj_label, obj_type = obj, LITERAL_PREDICATES[rel.predicate]
    key = (rel.subject.label, rel.predicate, obj_label)
    if key in facts and facts[key].evidence.confidence >= rel.confidence:
        return
    evidence = Evidence(doc.doc_id, s.text, s.start, s.end, rel.rule, rel.confidence, rel.quote)
    facts[key] = Fact(
        rel.subject.label, rel.subject.type.value, rel.predicate, obj_label, obj_type, evidence
    )


def _entities(resolved: list[Resolved]) -> dict[tuple[str, str], Entity]:
    aliases: dict[tuple[str, str], set[str]] = {}
    first: dict[tuple[str, str], Entity] = {}
    for r in resolved:
        key = r.entity.key
        first.setdefault(key, r.entity)
        aliases.setdefault(key, set()).update(r.entity.aliases)
    return {k: Entity(e.label, e.type, frozenset(aliases[k])) for k, e in first.items()}


def _type_facts(
    doc: Document, views: list[View], entities: dict[tuple[str, str], Entity]
) -> list[Fact]:
    seen: set[tuple[str, str]] = set()
    out = []
    for v in views:
        for r in v.items:
            key = r.entity.key
            if key in seen:
                continue
            seen.add(key)
            s = v.sentence
            source = r.mention.source
            evidence = Evidence(
                doc.doc_id,
                s.text,
                s.start,
                s.end,
                f"type.{source}",
                0.9 if source != "ner" else 0.75,
            )
            out.append(
                Fact(
                    r.entity.label,
                    r.entity.type.value,
                    "type",
                    r.entity.type.value,
                    "class",
                    evidence,
                )
            )
    return out
