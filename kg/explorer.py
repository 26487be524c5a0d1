"""The explorer kg serve shows beside its SPARQL endpoint: entity, article and search pages.

Each page is a few SPARQL queries and one server-rendered template (Jinja2,
escaping by default). The pages read through a ``Run`` callable, so the
server answers them from its read-only worker processes and a test from a
store in the same process.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import quote

from kg.namespace import KG, KGR

#: A query in, its solutions out: one dict per row, variable name to the value's text.
Run = Callable[[str], list[dict[str, str]]]
#: A CONSTRUCT query in, its triples out as N-Triples.
Construct = Callable[[str], bytes]
#: The most neighbours a graph page draws around its entity.
GRAPH_NEIGHBOURS = 60

_PREFIXES = f"""PREFIX kg: <{KG}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
#: What an IRI put into a query may hold: no brackets, quotes, spaces or controls.
_SAFE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\s\x00-\x20]+$")


class NotFound(Exception):
    """The page asked for names no IRI of the graph, or a malformed one."""


@dataclass(frozen=True)
class Fact:
    predicate: str
    other: str  # the IRI (or literal) at the other end
    other_label: str
    sentence: str
    article: str
    article_id: str


def _iri(value: str) -> str:
    if not _SAFE_IRI.match(value):
        raise NotFound(f"not an IRI: {value!r}")
    return value


def _literal(text: str) -> str:
    """A SPARQL string literal of ``text``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _facts(run: Run, iri: str, outgoing: bool) -> list[Fact]:
    me, other = ("rdf:subject", "rdf:object") if outgoing else ("rdf:object", "rdf:subject")
    rows = run(_PREFIXES + f"""SELECT ?p ?o ?olabel ?sentence ?doc ?docid WHERE {{
  ?ev a kg:Evidence ; {me} <{iri}> ; rdf:predicate ?p ; {other} ?o ; kg:sentence ?sentence ; kg:sourceDocument ?doc .
  OPTIONAL {{ ?o rdfs:label ?olabel }}
  OPTIONAL {{ ?doc dcterms:identifier ?docid }}
}} ORDER BY ?p ?olabel ?docid LIMIT 500""")
    return [
        Fact(_local(r["p"]), r["o"], r.get("olabel") or r["o"], r["sentence"], r["doc"], r.get("docid", r["doc"]))
        for r in rows
    ]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def entity_page(run: Run, iri: str) -> str:
    """An entity: label, classes, aliases, every fact in and out with its sentence and article."""
    iri = _iri(iri)
    about = run(_PREFIXES + f"SELECT ?label ?type ?alias WHERE {{ <{iri}> rdfs:label ?label . "
                f"OPTIONAL {{ <{iri}> a ?type }} OPTIONAL {{ <{iri}> skos:altLabel ?alias }} }}")
    if not about:
        raise NotFound(f"no entity {iri}")
    return _render(
        "entity", iri=iri, label=about[0]["label"],
        types=sorted({_local(r["type"]) for r in about if r.get("type")}),
        aliases=sorted({r["alias"] for r in about if r.get("alias")} - {about[0]["label"]}),
        outgoing=_facts(run, iri, True), incoming=_facts(run, iri, False),
    )


def article_page(run: Run, iri: str) -> str:
    """An article: its metadata and the facts read from it."""
    iri = _iri(iri)
    meta = run(_PREFIXES + f"SELECT ?id ?title ?date WHERE {{ <{iri}> a kg:Article ; dcterms:identifier ?id . "
               f"OPTIONAL {{ <{iri}> dcterms:title ?title }} OPTIONAL {{ <{iri}> dcterms:date ?date }} }}")
    if not meta:
        raise NotFound(f"no article {iri}")
    rows = run(_PREFIXES + f"""SELECT ?s ?slabel ?p ?o ?olabel ?sentence WHERE {{
  ?ev a kg:Evidence ; kg:sourceDocument <{iri}> ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:sentence ?sentence .
  OPTIONAL {{ ?s rdfs:label ?slabel }} OPTIONAL {{ ?o rdfs:label ?olabel }}
}} ORDER BY ?sentence ?p LIMIT 1000""")
    facts = [
        (r["s"], r.get("slabel") or r["s"], _local(r["p"]), r["o"], r.get("olabel") or r["o"], r["sentence"])
        for r in rows
    ]
    return _render(
        "article", iri=iri, meta=meta[0], facts=facts, reprints=_reprints(run, iri), conflicts=_conflicts(run, iri)
    )


def _reprints(run: Run, iri: str) -> list[dict[str, str]]:
    """The other versions of an article: what it reprints and what reprints it, with their similarity."""
    return run(_PREFIXES + f"""SELECT ?other ?otherid ?title ?similarity ?role WHERE {{
  {{ ?r a kg:Reprint ; kg:reprintDocument <{iri}> ; kg:originalDocument ?other ; kg:similarity ?similarity .
     BIND("original 原文" AS ?role) }}
  UNION
  {{ ?r a kg:Reprint ; kg:originalDocument <{iri}> ; kg:reprintDocument ?other ; kg:similarity ?similarity .
     BIND("reprint 转载" AS ?role) }}
  ?other dcterms:identifier ?otherid .
  OPTIONAL {{ ?other dcterms:title ?title }}
}} ORDER BY ?otherid""")


def _conflicts(run: Run, iri: str) -> list[dict[str, str]]:
    """Where the article and its versions disagree: every disagreeing fact with its sentence and article."""
    return run(_PREFIXES + f"""SELECT ?conflict ?kind ?description ?s ?slabel ?p ?olabel ?sentence ?doc ?docid WHERE {{
  ?conflict a kg:Conflict ; kg:inDocument <{iri}> ; kg:conflictKind ?kind ; kg:conflictingEvidence ?ev .
  OPTIONAL {{ ?conflict rdfs:comment ?description }}
  ?ev rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:sentence ?sentence ; kg:sourceDocument ?doc .
  ?s rdfs:label ?slabel .
  OPTIONAL {{ ?o rdfs:label ?olabel }}
  OPTIONAL {{ ?doc dcterms:identifier ?docid }}
}} ORDER BY ?conflict ?docid ?slabel ?p LIMIT 500""")


def graph_page(run: Run, construct: Construct, iri: str) -> str:
    """The interactive graph page (kg viz's) focused on an entity: it, its neighbours and their facts."""
    import pyoxigraph as ox

    from kg import viz
    from kg.analytics import read_graph

    iri = _iri(iri)
    label = run(_PREFIXES + f"SELECT ?label WHERE {{ <{iri}> rdfs:label ?label }} LIMIT 1")
    if not label:
        raise NotFound(f"no entity {iri}")
    nodes = " ".join(f"<{n}>" for n in [iri, *_neighbours(run, iri)])
    store = ox.Store()
    store.load(construct(_neighbourhood(nodes)), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
    html, _shown = viz.page_html(read_graph(store), focus=label[0]["label"], hops=1, title=f"{label[0]['label']} · kg")
    return html


def _neighbours(run: Run, iri: str) -> list[str]:
    """The entities one fact away from ``iri``, most facts first."""
    rows = run(_PREFIXES + f"""SELECT ?n (COUNT(*) AS ?facts) WHERE {{
  {{ <{iri}> ?p ?n }} UNION {{ ?n ?p <{iri}> }}
  FILTER(isIRI(?n) && ?n != <{iri}> && STRSTARTS(STR(?p), STR(kg:)))
  ?n rdfs:label ?label .
  FILTER NOT EXISTS {{ ?n a kg:Article }}
}} GROUP BY ?n ORDER BY DESC(?facts) ?n LIMIT {GRAPH_NEIGHBOURS}""")
    return [r["n"] for r in rows]


def _neighbourhood(nodes: str) -> str:
    """The triples kg viz reads, for the entities ``nodes`` and the facts among them."""
    return _PREFIXES + f"""CONSTRUCT {{
  ?n a ?t ; rdfs:label ?label ; skos:altLabel ?alias ; ?lp ?literal .
  ?s ?p ?o .
  ?ev a kg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:sentence ?sentence ; kg:sourceDocument ?doc .
  ?doc dcterms:identifier ?docid ; dcterms:title ?title .
}} WHERE {{
  {{ VALUES ?n {{ {nodes} }} ?n a ?t . OPTIONAL {{ ?n rdfs:label ?label }} OPTIONAL {{ ?n skos:altLabel ?alias }} }}
  UNION {{ VALUES ?n {{ {nodes} }} VALUES ?lp {{ kg:holdsPosition kg:startDate }} ?n ?lp ?literal }}
  UNION {{
    VALUES ?s {{ {nodes} }} VALUES ?o {{ {nodes} }}
    ?s ?p ?o . FILTER(STRSTARTS(STR(?p), STR(kg:)))
    OPTIONAL {{
      ?ev a kg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:sentence ?sentence ; kg:sourceDocument ?doc .
      OPTIONAL {{ ?doc dcterms:identifier ?docid }} OPTIONAL {{ ?doc dcterms:title ?title }}
    }}
  }}
}}"""


def search_page(run: Run, text: str) -> str:
    """Entities whose label or alias holds ``text``."""
    rows = []
    if text.strip():
        rows = run(_PREFIXES + f"""SELECT DISTINCT ?e ?label WHERE {{
  ?e rdfs:label ?label . FILTER NOT EXISTS {{ ?e a kg:Article }}
  {{ ?e rdfs:label ?name }} UNION {{ ?e skos:altLabel ?name }}
  FILTER(CONTAINS(STR(?name), {_literal(text.strip())}))
}} ORDER BY STRLEN(STR(?label)) ?label LIMIT 100""")
    return _render("search", text=text, rows=[(r["e"], r["label"]) for r in rows])


def queries_page() -> str:
    """The named queries, each with a form for its parameters, and a box for any SPARQL query."""
    from kg.query import named_queries

    return _render("queries", queries=named_queries())


def query_page(run: Run, name: str, params: dict[str, str], sparql: str) -> str:
    """A named query (with its parameters) or a SPARQL SELECT, its rows linked to the explorer's pages."""
    from kg.query import QueryError, bind, resolve

    try:
        if sparql.strip():
            title, text = "SPARQL", sparql
        else:
            named = resolve(name)
            title, text = named.name, bind(named.text, {k: v for k, v in params.items() if v})[0]
    except QueryError as exc:
        raise NotFound(str(exc)) from exc
    rows = run(text)
    columns = list(dict.fromkeys(k for r in rows for k in r))
    return _render("query", title=title, text=text, columns=columns, rows=rows, page_of=page_of)


def page_of(value: str) -> str | None:
    """The explorer page of a value: an article's or an entity's, or none for other IRIs and literals."""
    if not value.startswith(str(KGR)):
        return None
    kind = value[len(str(KGR)) :].split("/", 1)[0]
    if kind == "doc":
        return link("article", value)
    return None if kind in ("evidence", "statement", "conflict") else link("entity", value)


def link(kind: str, iri: str) -> str:
    """The explorer's address of an entity, article or graph page."""
    return f"/explore/{kind}?iri={quote(iri, safe='')}"


@cache
def _environment():
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.globals["link"] = link
    return env


def _render(page: str, **values: object) -> str:
    source = resources.files("kg").joinpath("resources", "explorer.html.j2").read_text(encoding="utf-8")
    return _environment().from_string(source).render(page=page, **values)
