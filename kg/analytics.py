"""The entity graph as networkx, and the numbers ``kg stats`` prints.

``read_graph`` turns the RDF in a store into a ``MultiDiGraph`` whose nodes
are entities and whose edges are relation facts carrying their evidence
sentences; ``analyze`` and ``summarize`` compute degree, PageRank and
communities on it. The viz page and ``kg stats`` share these, so both tell
the same story.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import networkx as nx

from kg.counts import ENTITY_TYPES, GraphCounts, graph_counts, most_specific
from kg.namespace import KG, KGR
from kg.types import LITERAL_PREDICATES, PREDICATES

#: Entity classes, most specific first: a Platform is also an Organization.

TYPE_LABELS_ZH: dict[str, str] = {
    "Person": "人物",
    "Organization": "机构",
    "Platform": "平台",
    "Place": "地点",
    "Event": "事件",
    "Document": "文件",
}

#: Used when the store holds no ontology labels for the predicates.
PREDICATE_LABELS_ZH: dict[str, str] = {
    "organized": "组织",
    "hosted": "主办",
    "guided": "指导",
    "commentedOn": "评论",
    "participatedIn": "参加",
    "heldIn": "举办地",
    "startDate": "开始日期",
    "affiliatedWith": "任职于",
    "holdsPosition": "职务",
    "launched": "上线",
    "published": "发布",
    "operates": "运营",
    "locatedIn": "位于",
}

_PREFIXES = f"""
PREFIX kg: <{KG}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

_ENTITY_VALUES = " ".join(f"kg:{t}" for t in ENTITY_TYPES)
_RELATION_VALUES = " ".join(f"kg:{p}" for p in PREDICATES if p not in LITERAL_PREDICATES)
_LITERAL_VALUES = " ".join(f"kg:{p}" for p in LITERAL_PREDICATES)
_ALL_PREDICATE_VALUES = " ".join(f"kg:{p}" for p in PREDICATES)

Q_ENTITIES = _PREFIXES + f"""
SELECT DISTINCT ?e ?t ?label WHERE {{
  VALUES ?t {{ {_ENTITY_VALUES} }}
  ?e a ?t .
  FILTER NOT EXISTS {{ ?e a kg:Article }}
  OPTIONAL {{ ?e rdfs:label ?label }}
}}"""

Q_ALIASES = _PREFIXES + "SELECT DISTINCT ?e ?alias WHERE { ?e skos:altLabel ?alias }"

Q_RELATIONS = _PREFIXES + f"""
SELECT DISTINCT ?s ?p ?o WHERE {{
  VALUES ?p {{ {_RELATION_VALUES} }}
  ?s ?p ?o .
  FILTER(isIRI(?o))
}}"""

Q_LITERALS = _PREFIXES + f"""
SELECT DISTINCT ?s ?p ?o WHERE {{
  VALUES ?p {{ {_LITERAL_VALUES} }}
  ?s ?p ?o .
  FILTER(isLiteral(?o))
}}"""

Q_EVIDENCE = _PREFIXES + """
SELECT DISTINCT ?ev ?s ?p ?o ?sentence ?doc ?docid ?title WHERE {
  ?ev a kg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?ev kg:sentence ?sentence }
  OPTIONAL { ?ev kg:sourceDocument ?doc .
             OPTIONAL { ?doc dcterms:identifier ?docid }
             OPTIONAL { ?doc dcterms:title ?title } }
}"""

Q_PREDICATE_LABELS = _PREFIXES + f"""
SELECT DISTINCT ?p ?label WHERE {{
  VALUES ?p {{ {_ALL_PREDICATE_VALUES} }}
  ?p rdfs:label ?label .
}}"""


# --------------------------------------------------------------------------
# Reading the store


def _term(value: Any) -> str | None:
    """The lexical value of a pyoxigraph term (IRI or literal)."""
    if value is None:
        return None
    return value.value


def _language(value: Any) -> str | None:
    return getattr(value, "language", None)


def open_store(path: str | Path) -> Any:
    """The store at ``path``, opened read-only so a running build is not disturbed."""
    from kg.store import Store

    return Store.open(path, read_only=True)


def _select(store: Any, query: str) -> Iterator[dict[str, Any]]:
    """Run a SELECT over the union of all named graphs, one dict per row.

    Accepts ``kg.store.Store`` or a bare ``pyoxigraph.Store``.
    """
    inner = getattr(store, "store", store)
    solutions = inner.query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    for row in solutions:
        yield {n: row[n] for n in names}


def _local(iri: str, namespace: str) -> str:
    return iri[len(namespace):] if iri.startswith(namespace) else iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _fallback(iri: str) -> tuple[str, str]:
    """Type and label read from a ``kgr:<Type>/<label>`` IRI for an untyped node."""
    rest = _local(iri, str(KGR))
    if "/" in rest:
        type_name, label = rest.split("/", 1)
        return (type_name if type_name in ENTITY_TYPES else "Other"), unquote(label)
    return "Other", unquote(rest)


def read_graph(source: Any) -> nx.MultiDiGraph:
    """The entity graph of a store (a path, ``kg.store.Store`` or ``pyoxigraph.Store``).

    Nodes are entity IRIs with ``label``, ``type`` (most specific class),
    ``aliases`` and the literal facts (``positions``, ``dates``); edges are
    keyed by predicate and carry ``evidence``: a list of dicts with
    ``sentence``, ``document`` (IRI), ``doc_id`` and ``title``.
    """
    store = open_store(source) if isinstance(source, (str, Path)) else source
    kg_ns = str(KG)

    types: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in _select(store, Q_ENTITIES):
        iri = _term(row["e"])
        types[iri].add(_local(_term(row["t"]), kg_ns))
        if row["label"] is not None:
            rank = 0 if (_language(row["label"]) or "").startswith("zh") else 1
            labels[iri].append((rank, _term(row["label"])))

    aliases: dict[str, set[str]] = defaultdict(set)
    for row in _select(store, Q_ALIASES):
        aliases[_term(row["e"])].add(_term(row["alias"]))

    literals: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in _select(store, Q_LITERALS):
        literals[_term(row["s"])][_local(_term(row["p"]), kg_ns)].add(_term(row["o"]))

    relations = sorted(
        (_term(r["s"]), _local(_term(r["p"]), kg_ns), _term(r["o"])) for r in _select(store, Q_RELATIONS)
    )

    evidence: dict[tuple[str, str, str], dict[str, dict[str, str | None]]] = defaultdict(dict)
    for row in _select(store, Q_EVIDENCE):
        key = (_term(row["s"]), _local(_term(row["p"]), kg_ns), _term(row["o"]))
        ev = _term(row["ev"])
        item = evidence[key].setdefault(ev, {"sentence": None, "document": None, "doc_id": None, "title": None})
        for name, var in (("sentence", "sentence"), ("document", "doc"), ("doc_id", "docid"), ("title", "title")):
            if item[name] is None and row[var] is not None:
                item[name] = _term(row[var])

    g = nx.MultiDiGraph()
    endpoints = {s for s, _, _ in relations} | {o for _, _, o in relations}
    for iri in sorted(set(types) | endpoints):
        if iri in types:
            type_name = most_specific(types[iri])
            label = min(labels[iri])[1] if labels[iri] else _fallback(iri)[1]
        else:
            type_name, label = _fallback(iri)
        lits = literals.get(iri, {})
        g.add_node(
            iri,
            label=label,
            type=type_name,
            aliases=sorted(aliases.get(iri, set()) - {label}),
            positions=sorted(lits.get("holdsPosition", ())),
            dates=sorted(lits.get("startDate", ())),
        )
    for s, p, o in relations:
        items = sorted(
            evidence.get((s, p, o), {}).values(),
            key=lambda e: (e["doc_id"] or e["document"] or "", e["sentence"] or ""),
        )
        g.add_edge(s, o, key=p, predicate=p, evidence=items)
    g.graph["predicate_labels"] = predicate_labels(store)
    g.graph["counts"] = graph_counts(store)
    return g


def _ontology_file_labels() -> Iterator[tuple[str, str, str]]:
    """(predicate, language, label) from ``ontology/kg.ttl`` when the package sits in its project."""
    import pyoxigraph as ox

    from kg.paths import ONTOLOGY_DIR

    path = ONTOLOGY_DIR / "kg.ttl"
    if not path.is_file():
        return
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if t.predicate.value == label and isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.Literal):
            yield _local(t.subject.value, str(KG)), t.object.language or "", t.object.value


def predicate_labels(store: Any) -> dict[str, dict[str, str]]:
    """``{predicate: {"zh": …, "en": …}}``: the ontology in the store, else ontology/kg.ttl, else built-in."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    rows = [(_local(_term(r["p"]), str(KG)), _language(r["label"]) or "", _term(r["label"]))
            for r in _select(store, Q_PREDICATE_LABELS)]
    if not rows:
        try:
            rows = [r for r in _ontology_file_labels() if r[0] in PREDICATES]
        except (OSError, SyntaxError):
            rows = []
    for p, language, text in sorted(rows):
        lang = language.split("-")[0]
        if lang in ("zh", "en"):
            found[p].setdefault(lang, text)
    return {p: {"zh": found[p].get("zh", PREDICATE_LABELS_ZH[p]), "en": found[p].get("en", p)} for p in PREDICATES}


# --------------------------------------------------------------------------
# Metrics


def _undirected(g: nx.MultiDiGraph) -> nx.Graph:
    """A simple undirected graph whose edge weight is the number of facts between two entities."""
    u = nx.Graph()
    u.add_nodes_from(sorted(g.nodes))
    for s, o in g.edges():
        if s == o:
            continue
        w = u.edges[s, o]["weight"] + 1 if u.has_edge(s, o) else 1
        u.add_edge(s, o, weight=w)
    return u


def pagerank(u: nx.Graph, alpha: float = 0.85, tol: float = 1e-10, max_iter: int = 1000) -> dict[str, float]:
    """Weighted PageRank by power iteration with numpy (networkx's own needs scipy, which the project does not).

    Stops when the ranks change by less than ``tol`` in total (L1).
    """
    import numpy as np

    nodes = list(u.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    src, dst, weight = [], [], []
    for a, b, d in u.edges(data=True):
        w = float(d.get("weight", 1.0))
        src += [index[a], index[b]]
        dst += [index[b], index[a]]
        weight += [w, w]
    src_a, dst_a, w_a = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), np.array(weight)
    strength = np.bincount(src_a, weights=w_a, minlength=n)
    share = w_a / strength[src_a] if len(src_a) else w_a
    dangling = strength == 0
    rank = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        flow = np.bincount(dst_a, weights=rank[src_a] * share, minlength=n)
        new = (1.0 - alpha) / n + alpha * rank[dangling].sum() / n + alpha * flow
        new /= new.sum()
        done = np.abs(new - rank).sum() < tol
        rank = new
        if done:
            break
    return {v: float(rank[i]) for i, v in enumerate(nodes)}


@dataclass(frozen=True)
class Metrics:
    """Per-entity numbers: facts touching it, PageRank, community index (0 = largest)."""

    degree: dict[str, int]
    pagerank: dict[str, float]
    community: dict[str, int]

    def ranking(self, g: nx.MultiDiGraph) -> list[str]:
        """Entities from most to least central (PageRank, then degree, then label)."""
        return sorted(g.nodes, key=lambda v: (-self.pagerank.get(v, 0.0), -self.degree.get(v, 0), g.nodes[v]["label"], v))


def analyze(g: nx.MultiDiGraph, seed: int = 0) -> Metrics:
    """Degree, PageRank and Louvain communities, seeded so a graph always gets the same answer."""
    u = _undirected(g)
    pr = pagerank(u)
    groups = nx.community.louvain_communities(u, weight="weight", seed=seed) if len(u) else []
    groups = sorted(
        (sorted(c) for c in groups),
        key=lambda c: (-len(c), -max(pr[v] for v in c), c[0]),
    )
    community = {v: i for i, c in enumerate(groups) for v in c}
    return Metrics(degree=dict(g.degree()), pagerank=pr, community=community)


# --------------------------------------------------------------------------
# Summary


@dataclass(frozen=True)
class CentralEntity:
    iri: str
    label: str
    type: str
    degree: int
    pagerank: float


@dataclass(frozen=True)
class Community:
    index: int
    size: int
    members: tuple[str, ...]  # labels, most central first


@dataclass(frozen=True)
class GraphSummary:
    """What ``kg stats`` prints and the page shows."""

    entities: int  # nodes of the graph drawn: entities with a type or a relation
    relations: int  # edges: distinct relations between two entities
    evidence: int
    documents: int
    by_type: tuple[tuple[str, int], ...]
    by_predicate: tuple[tuple[str, int], ...]
    central: tuple[CentralEntity, ...]
    communities: tuple[Community, ...]  # those with at least two members
    singletons: int = 0
    predicate_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    counts: GraphCounts | None = None  # the store's counts (kg.counts), where the graph was read from one


def summarize(g: nx.MultiDiGraph, metrics: Metrics | None = None, top: int = 10, members: int = 8) -> GraphSummary:
    m = metrics or analyze(g)
    types = Counter(d["type"] for _, d in g.nodes(data=True))
    preds = Counter(k for _, _, k in g.edges(keys=True))
    evidence = [e for _, _, d in g.edges(data=True) for e in d.get("evidence", [])]
    docs = {e.get("document") or e.get("doc_id") for e in evidence} - {None}
    order = m.ranking(g)
    central = tuple(
        CentralEntity(v, g.nodes[v]["label"], g.nodes[v]["type"], m.degree[v], m.pagerank[v]) for v in order[:top]
    )
    rank = {v: i for i, v in enumerate(order)}
    groups: dict[int, list[str]] = defaultdict(list)
    for v, c in m.community.items():
        groups[c].append(v)
    communities = []
    singletons = 0
    for c in sorted(groups):
        vs = sorted(groups[c], key=rank.__getitem__)
        if len(vs) < 2:
            singletons += 1
            continue
        communities.append(Community(c, len(vs), tuple(g.nodes[v]["label"] for v in vs[:members])))
    type_order = [t for t in ENTITY_TYPES if t in types] + sorted(set(types) - set(ENTITY_TYPES))
    return GraphSummary(
        entities=g.number_of_nodes(),
        relations=g.number_of_edges(),
        evidence=len(evidence),
        documents=len(docs),
        by_type=tuple((t, types[t]) for t in type_order),
        by_predicate=tuple((p, preds[p]) for p in PREDICATES if preds[p]),
        central=central,
        communities=tuple(communities),
        singletons=singletons,
        predicate_labels=g.graph.get("predicate_labels", {}),
        counts=g.graph.get("counts"),
    )


# --------------------------------------------------------------------------
# Tables


def display_width(text: str) -> int:
    """Columns a terminal gives ``text``: CJK wide/fullwidth count two, combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[int] = ()) -> str:
    """A plain-text table aligned by display width; columns in ``right`` are right-aligned."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("  ".join(_pad(c, widths[i], i in right) for i, c in enumerate(r)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def summary_tables(s: GraphSummary) -> list[tuple[str, list[str], list[list[str]], tuple[int, ...]]]:
    """The summary as (title, headers, rows, right-aligned columns): shared by the CLI and the page."""
    labels = s.predicate_labels
    tables = [
        ("Overview 概况", ["", "count"], _overview(s), (1,)),
        ("Entities by type 按类型", ["type", "类型", "count"],
         [[t, TYPE_LABELS_ZH.get(t, ""), str(n)] for t, n in (s.counts.by_type if s.counts else s.by_type)], (2,)),
        ("Relations by predicate 按谓词", ["predicate", "谓词", "count"],
         [[p, labels.get(p, {}).get("zh", PREDICATE_LABELS_ZH.get(p, "")), str(n)] for p, n in s.by_predicate], (2,)),
        ("Most central entities 核心实体", ["#", "entity", "type", "degree", "PageRank"],
         [[str(i), c.label, c.type, str(c.degree), f"{c.pagerank:.4f}"] for i, c in enumerate(s.central, 1)], (0, 3, 4)),
        ("Communities 社区", ["#", "size", "members (most central first)"],
         [[str(c.index), str(c.size), "、".join(c.members) + ("…" if c.size > len(c.members) else "")]
          for c in s.communities], (0, 1)),
    ]
    return tables


def _overview(s: GraphSummary) -> list[list[str]]:
    """The store's counts (kg.counts), the same as kg build prints; the graph's where there is no store."""
    if s.counts is not None:
        return s.counts.rows()
    return [
        ["entities 实体", str(s.entities)],
        ["distinct relations between entities 实体间关系", str(s.relations)],
        ["relation facts, with their sentence 关系事实", str(s.evidence)],
        ["documents with facts 有事实的文档", str(s.documents)],
    ]


def format_summary(s: GraphSummary) -> str:
    """``kg stats`` output: one aligned table per section."""
    parts = []
    for title, headers, rows, right in summary_tables(s):
        parts.append(f"{title}\n{format_table(headers, rows, right)}")
    if s.singletons:
        parts.append(f"({s.singletons} entities have no relations and form no community)")
    return "\n\n".join(parts)
