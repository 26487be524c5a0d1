"""The counts a graph reports, defined once.

``kg build``, ``kg stats``, the HTML page and the README print these, each
under the same name, read from the store with the same queries:

- documents built: the articles the store holds (``kg:Article``);
- documents with facts: those at least one relation fact was read from;
- entities, and entities by their most specific class;
- relation facts: each relation with the sentence it was read from
  (``kg:Evidence``; the same relation read in two sentences counts twice);
- distinct relations: each (subject, predicate, object) once, literal
  objects (startDate, holdsPosition) included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.namespace import KG

#: The entity classes, most specific first (a Platform is also an Organization).
ENTITY_TYPES: tuple[str, ...] = ("Person", "Platform", "Organization", "Place", "Event", "Document")

_PREFIXES = f"PREFIX kg: <{KG}>\nPREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
_ENTITY_VALUES = " ".join(f"kg:{t}" for t in ENTITY_TYPES)

_QUERIES = {
    "documents": "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a kg:Article }",
    "documents_with_facts": "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?ev a kg:Evidence ; kg:sourceDocument ?d }",
    "facts": "SELECT (COUNT(DISTINCT ?ev) AS ?n) WHERE { ?ev a kg:Evidence }",
    "relations": (
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE "
        "{ ?ev a kg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }"
    ),
}
_TYPED = f"""SELECT ?e ?t WHERE {{
  VALUES ?t {{ {_ENTITY_VALUES} }}
  ?e a ?t .
  FILTER NOT EXISTS {{ ?e a kg:Article }}
}}"""


@dataclass(frozen=True)
class GraphCounts:
    documents: int
    documents_with_facts: int
    entities: int
    by_type: tuple[tuple[str, int], ...]  # most specific class, in the ontology's order
    facts: int
    relations: int

    def line(self) -> str:
        """One line for ``kg build``."""
        return (
            f"{self.documents} documents built ({self.documents_with_facts} with facts), {self.entities} entities, "
            f"{self.facts} relation facts ({self.relations} distinct relations)"
        )

    def rows(self) -> list[list[str]]:
        """The overview rows of ``kg stats`` and the page."""
        return [
            ["documents built 文档", str(self.documents)],
            ["documents with facts 有事实的文档", str(self.documents_with_facts)],
            ["entities 实体", str(self.entities)],
            ["relation facts, with their sentence 关系事实", str(self.facts)],
            ["distinct relations 不同关系", str(self.relations)],
        ]


def graph_counts(store: Any) -> GraphCounts:
    """The counts of a store (``kg.store.Store`` or ``pyoxigraph.Store``)."""
    numbers = {name: _number(store, _PREFIXES + q) for name, q in _QUERIES.items()}
    classes: dict[str, set[str]] = {}
    for row in store.query(_PREFIXES + _TYPED):
        classes.setdefault(row[0].value, set()).add(row[1].value.rsplit("#", 1)[-1])
    tally = {t: 0 for t in (*ENTITY_TYPES, "Other")}
    for kinds in classes.values():
        tally[most_specific(kinds)] += 1
    by_type = tuple((t, n) for t, n in tally.items() if n)
    return GraphCounts(entities=len(classes), by_type=by_type, **numbers)


def most_specific(kinds: set[str]) -> str:
    """The first of ``kinds`` in :data:`ENTITY_TYPES` (Platform, not Organization)."""
    return next((t for t in ENTITY_TYPES if t in kinds), "Other")


def _number(store: Any, query: str) -> int:
    for row in store.query(query):
        return int(row[0].value)
    return 0
