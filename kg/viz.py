"""One self-contained HTML page to explore the entity graph, offline.

This module builds the vis-network nodes, edges and options, and the page
around them is this package's own template (``kg/resources``), because
pyvis's template fetches Bootstrap and vis-network from CDNs and writes
titles as HTML. Of pyvis only its data files are used: vis-network's script
and style sheet, inlined into the page (pyvis's Python side, which needs
IPython, is never imported, so ``pip install --no-deps pyvis`` is enough).
Every untrusted string travels as JSON inside a non-executed
``<script type="application/json">`` and reaches the DOM only as text, and a
Content-Security-Policy forbids any request and any script but the page's
own.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import importlib.util
import itertools
import json
import math
import unicodedata
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from markupsafe import Markup

from kg.analytics import (
    ENTITY_TYPES,
    PREDICATE_LABELS_ZH,
    TYPE_LABELS_ZH,
    GraphSummary,
    Metrics,
    analyze,
    summarize,
    summary_tables,
)
from kg.files import atomic_write_text
from kg.types import PREDICATES

DEFAULT_MAX_NODES = 400

TYPE_COLORS: dict[str, str] = {
    "Person": "#e15759",
    "Organization": "#4e79a7",
    "Platform": "#17becf",
    "Place": "#59a14f",
    "Event": "#f28e2b",
    "Document": "#b07aa1",
    "Other": "#9d9d9d",
}

COMMUNITY_COLORS: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939",
)

#: Where vis-network's script and style sheet come from: the data files of the
#: pyvis distribution (its Python code is not used), inlined into the page.
VIS_PACKAGE = "pyvis"
VIS_REQUIREMENT = "pyvis==0.3.2"
VIS_DIR = "lib/vis-9.1.2"

# Physics runs until the layout is stable, then the page switches it off.
VIS_OPTIONS: dict[str, Any] = {
    "autoResize": True,
    "nodes": {"shape": "dot", "borderWidth": 1, "font": {"size": 18, "strokeWidth": 4, "strokeColor": "#ffffff"}},
    "edges": {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "font": {"size": 13, "align": "middle", "color": "#555555", "strokeWidth": 3},
        "color": {"color": "#9aa5b1", "highlight": "#333333", "hover": "#333333"},
        "width": 1.2,
        "smooth": {"enabled": True, "type": "continuous", "roundness": 0.2},
    },
    "physics": {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -70, "centralGravity": 0.01, "springLength": 130,
                             "springConstant": 0.06, "avoidOverlap": 0.3},
        "maxVelocity": 60,
        "minVelocity": 1,
        "stabilization": {"enabled": True, "iterations": 600, "updateInterval": 50, "fit": True},
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "navigationButtons": False,
                    "keyboard": False, "multiselect": False},
    "layout": {"randomSeed": 7, "improvedLayout": True},
}


@dataclass(frozen=True)
class RenderReport:
    """What the page shows and what it left out."""

    path: Path
    shown_nodes: int
    shown_edges: int
    total_nodes: int
    total_edges: int
    omitted: tuple[str, ...] = ()  # labels of entities dropped by the node cap, most central first
    filters: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        text = (f"wrote {self.path}: {self.shown_nodes} of {self.total_nodes} entities, "
                f"{self.shown_edges} of {self.total_edges} relations between entities drawn (kg stats counts every fact)")
        if self.filters:
            text += f" ({'; '.join(self.filters)})"
        if self.omitted:
            text += f"; node cap left out {len(self.omitted)} less central entities"
        return text


# --------------------------------------------------------------------------
# Choosing what to show


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def find_entities(graph: nx.MultiDiGraph, name: str) -> list[str]:
    """Nodes whose IRI, label or an alias is ``name`` (NFKC, case-folded); a clear error if none."""
    key = _norm(name)
    hits = [v for v, d in graph.nodes(data=True)
            if key in {_norm(v), _norm(d["label"]), *(_norm(a) for a in d.get("aliases", ()))}]
    if hits:
        return sorted(hits)
    near = sorted({d["label"] for _, d in graph.nodes(data=True)
                   if key in _norm(d["label"]) or any(key in _norm(a) for a in d.get("aliases", ()))})
    hint = f"; did you mean: {', '.join(near[:10])}" if near else ""
    raise ValueError(f"no entity is called {name!r}{hint}")


def _check(values: Iterable[str] | None, allowed: Sequence[str], what: str) -> set[str] | None:
    if values is None:
        return None
    chosen = {v.strip() for v in values if v.strip()}
    unknown = sorted(chosen - set(allowed))
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(unknown)} (choose from {', '.join(allowed)})")
    return chosen


def neighbourhood(graph: nx.MultiDiGraph, centres: Iterable[str], hops: int) -> set[str]:
    """Entities within ``hops`` relations of any centre, ignoring direction."""
    seen = set(centres)
    queue = deque((c, 0) for c in seen)
    while queue:
        v, d = queue.popleft()
        if d == hops:
            continue
        for w in sorted(set(graph.successors(v)) | set(graph.predecessors(v))):
            if w not in seen:
                seen.add(w)
                queue.append((w, d + 1))
    return seen


def select(graph: nx.MultiDiGraph, focus: str | None = None, hops: int = 2, types: Iterable[str] | None = None,
           predicates: Iterable[str] | None = None) -> tuple[nx.MultiDiGraph, list[str], list[str]]:
    """The subgraph a view asks for, the focus nodes, and a description of the filters.

    ``types`` keeps entities of those classes (Organization includes
    Platform, its subclass); ``predicates`` keeps those relations and the
    entities they touch; ``focus`` keeps the ``hops`` neighbourhood.
    """
    want_types = _check(types, ENTITY_TYPES, "type")
    want_preds = _check(predicates, PREDICATES, "predicate")
    notes: list[str] = []
    g = graph
    if want_types is not None:
        if "Organization" in want_types:
            want_types.add("Platform")
        g = g.subgraph([v for v, d in g.nodes(data=True) if d["type"] in want_types]).copy()
        notes.append("types: " + ", ".join(t for t in ENTITY_TYPES if t in want_types))
    if want_preds is not None:
        keep = nx.MultiDiGraph(**g.graph)
        for s, o, k, d in g.edges(keys=True, data=True):
            if k in want_preds:
                keep.add_node(s, **g.nodes[s])
                keep.add_node(o, **g.nodes[o])
                keep.add_edge(s, o, key=k, **d)
        g = keep
        notes.append("relations: " + ", ".join(p for p in PREDICATES if p in want_preds))
    centres: list[str] = []
    if focus:
        centres = find_entities(graph, focus)
        missing = [c for c in centres if c not in g]
        if len(missing) == len(centres):
            raise ValueError(f"{focus!r} is not in the graph once the type and relation filters apply")
        centres = [c for c in centres if c in g]
        g = g.subgraph(neighbourhood(g, centres, hops)).copy()
        notes.append(f"within {hops} hops of {focus}")
    return g, centres, notes


def cap(graph: nx.MultiDiGraph, ranking: Sequence[str], max_nodes: int, keep: Iterable[str] = ()) -> tuple[nx.MultiDiGraph, list[str]]:
    """At most ``max_nodes`` entities: ``keep`` first, then the most central; the rest listed."""
    if graph.number_of_nodes() <= max_nodes:
        return graph, []
    kept = [v for v in keep if v in graph]
    order = kept + [v for v in ranking if v in graph and v not in set(kept)]
    chosen = order[:max_nodes]
    return graph.subgraph(chosen).copy(), order[max_nodes:]


def _facts_on(edge: dict[str, Any]) -> int:
    """The relation facts behind one edge: one per sentence that states it."""
    return max(1, len(edge.get("evidence", ())))


def facts_of(graph: nx.MultiDiGraph, v: str) -> int:
    """The relation facts an entity takes part in (each relation counted once per sentence)."""
    edges = itertools.chain(graph.out_edges(v, data=True), graph.in_edges(v, data=True))
    return sum(_facts_on(d) for _, _, d in edges)


def fact_ranking(graph: nx.MultiDiGraph) -> list[str]:
    """Entities by the relation facts they take part in, most first (the page's connected core)."""
    return sorted(graph, key=lambda v: (-facts_of(graph, v), graph.nodes[v]["label"]))


#: The relations the page's first panel answers: who organised, hosted or commented on what.
LEADING = ("organized", "hosted", "commentedOn")


def leaders(graph: nx.MultiDiGraph, labels: dict[str, dict[str, str]], top: int = 5) -> list[tuple[str, list[tuple[str, int]]]]:
    """For each of LEADING, the subjects of the view with the most such facts, and their counts."""
    out = []
    for p in LEADING:
        counts: dict[str, int] = {}
        for s, _o, k, d in graph.edges(keys=True, data=True):
            if k == p:
                counts[s] = counts.get(s, 0) + _facts_on(d)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], graph.nodes[item[0]]["label"]))[:top]
        caption = f"{labels.get(p, {}).get('zh', p)} · {p}"
        out.append((caption, [(graph.nodes[s]["label"], n) for s, n in ranked]))
    return out


def timeline(graph: nx.MultiDiGraph) -> list[tuple[str, str]]:
    """The dated events of the view, (startDate, label), earliest first."""
    return sorted((date, d["label"]) for _, d in graph.nodes(data=True) for date in d.get("dates", ()))


# --------------------------------------------------------------------------
# The page


def _scaled(value: float, top: float, low: float = 10.0, high: float = 42.0) -> float:
    return round(low + (high - low) * math.sqrt(value / top), 2) if top > 0 else low


def _safe_json(value: Any) -> Markup:
    """JSON that cannot end the ``<script>`` element it sits in, nor open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return Markup(text)


def _asset(text: str, closing: str) -> Markup:
    if closing in text.lower():
        raise ValueError(f"asset contains {closing!r} and cannot be inlined")
    return Markup(text)


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


class VisAssetsMissing(RuntimeError):
    """vis-network's script or style sheet is not installed, so no page can be written."""


def _vis_assets() -> tuple[str, str]:
    """vis-network's script and style sheet, as the ``VIS_PACKAGE`` distribution installs them.

    The package is located, not imported: pyvis's ``__init__`` imports
    IPython, which the base install leaves out.
    """
    spec = importlib.util.find_spec(VIS_PACKAGE)
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    for folder in folders:
        lib = Path(folder) / VIS_DIR
        try:
            return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
    raise VisAssetsMissing(
        f"the graph page needs vis-network from the {VIS_PACKAGE} package ({VIS_PACKAGE}/{VIS_DIR}), which is not"
        f" installed here; install it with: pip install --no-deps '{VIS_REQUIREMENT}'"
    )


def _resource(name: str) -> str:
    return (resources.files("kg") / "resources" / name).read_text(encoding="utf-8")


def _node_order(g: nx.MultiDiGraph) -> list[str]:
    """The page's node order: by type (as ENTITY_TYPES lists them, unknown types last), label, IRI."""
    def key(v: str) -> tuple[int, str, str]:
        t = g.nodes[v]["type"]
        return (ENTITY_TYPES.index(t) if t in ENTITY_TYPES else len(ENTITY_TYPES), g.nodes[v]["label"], v)

    return sorted(g.nodes, key=key)


def _nodes(g: nx.MultiDiGraph, ids: dict[str, int], metrics: Metrics,
           size_by: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """vis-network's node items (a dot in the type's colour, sized by ``size_by``) and the facts the page lists for each."""
    top_pr = max((metrics.pagerank.get(v, 0.0) for v in ids), default=0.0)
    top_deg = max((metrics.degree.get(v, 0) for v in ids), default=0)
    nodes: list[dict[str, Any]] = []
    info: list[dict[str, Any]] = []
    for v, i in ids.items():
        d = g.nodes[v]
        t = d["type"]
        size_pr = _scaled(metrics.pagerank.get(v, 0.0), top_pr)
        size_deg = _scaled(metrics.degree.get(v, 0), top_deg)
        nodes.append({"color": TYPE_COLORS.get(t, TYPE_COLORS["Other"]),
                      "size": size_pr if size_by == "pagerank" else size_deg,
                      "id": i, "label": d["label"], "shape": "dot"})
        info.append({
            "id": i, "iri": v, "label": d["label"], "type": t, "typeZh": TYPE_LABELS_ZH.get(t, t),
            "aliases": list(d.get("aliases", ())), "positions": list(d.get("positions", ())),
            "dates": list(d.get("dates", ())), "degree": metrics.degree.get(v, 0),
            "pagerank": round(metrics.pagerank.get(v, 0.0), 6), "community": metrics.community.get(v, -1),
            "sizePagerank": size_pr, "sizeDegree": size_deg,
        })
    return nodes, info


def _bend(nth: int) -> dict[str, Any]:
    """The curve of the ``nth`` (from 1) further relation between one pair, alternating sides, so each label stays readable."""
    return {"enabled": True, "type": "curvedCW" if nth % 2 == 0 else "curvedCCW", "roundness": 0.15 + 0.15 * (nth // 2)}


def _evidence(edge: dict[str, Any]) -> list[dict[str, str]]:
    return [{"sentence": e.get("sentence") or "", "docId": e.get("doc_id") or "",
             "title": e.get("title") or "", "document": e.get("document") or ""}
            for e in edge.get("evidence", [])]


def _edges(g: nx.MultiDiGraph, ids: dict[str, int],
           labels: dict[str, dict[str, str]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """vis-network's edge items (arrows to the object, labelled in Chinese) and each relation's evidence."""
    edges: list[dict[str, Any]] = []
    info: list[dict[str, Any]] = []
    pair_count: Counter[frozenset[str]] = Counter()
    ordered = sorted(g.edges(keys=True, data=True), key=lambda e: (ids[e[0]], ids[e[1]], e[2]))
    for n, (s, o, k, d) in enumerate(ordered):
        pair = frozenset((s, o))
        nth = pair_count[pair]
        pair_count[pair] += 1
        zh = labels.get(k, {}).get("zh", PREDICATE_LABELS_ZH.get(k, k))
        en = labels.get(k, {}).get("en", k)
        edges.append({"id": n, "label": zh, **({"smooth": _bend(nth)} if nth else {}),
                      "from": ids[s], "to": ids[o], "arrows": "to"})
        info.append({"id": n, "from": ids[s], "to": ids[o], "predicate": k, "zh": zh, "en": en,
                     "evidence": _evidence(d)})
    return edges, info


def _page_data(g: nx.MultiDiGraph, metrics: Metrics, size_by: str, labels: dict[str, dict[str, str]]) -> dict[str, Any]:
    """vis-network's nodes, edges and options, plus the per-item facts the page's own UI shows as text."""
    ids = {v: i for i, v in enumerate(_node_order(g))}
    nodes, info = _nodes(g, ids, metrics, size_by)
    edges, edge_info = _edges(g, ids, labels)
    return {"nodes": nodes, "edges": edges, "options": copy.deepcopy(VIS_OPTIONS), "info": info, "edgeInfo": edge_info}


def _legend(g: nx.MultiDiGraph, labels: dict[str, dict[str, str]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    types = Counter(d["type"] for _, d in g.nodes(data=True))
    preds = Counter(k for _, _, k in g.edges(keys=True))
    type_rows = [{"name": t, "zh": TYPE_LABELS_ZH.get(t, t), "color": TYPE_COLORS.get(t, TYPE_COLORS["Other"]),
                  "count": types[t]} for t in (*ENTITY_TYPES, "Other") if types[t]]
    pred_rows = [{"name": p, "zh": labels.get(p, {}).get("zh", PREDICATE_LABELS_ZH[p]),
                  "en": labels.get(p, {}).get("en", p), "count": preds[p]} for p in PREDICATES if preds[p]]
    return type_rows, pred_rows


def render(graph: nx.MultiDiGraph, out_path: str | Path, focus: str | None = None, hops: int = 2,
           types: Iterable[str] | None = None, predicates: Iterable[str] | None = None,
           max_nodes: int = DEFAULT_MAX_NODES, size_by: str = "pagerank", title: str = "kg 知识图谱",
           summary: GraphSummary | None = None) -> RenderReport:
    """Write the page for ``graph`` (from ``kg.analytics.read_graph``) to ``out_path``, atomically."""
    html, shown = page_html(graph, focus, hops, types, predicates, max_nodes, size_by, title, summary)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out, html)
    return RenderReport(out, *shown)


def page_html(graph: nx.MultiDiGraph, focus: str | None = None, hops: int = 2,
              types: Iterable[str] | None = None, predicates: Iterable[str] | None = None,
              max_nodes: int = DEFAULT_MAX_NODES, size_by: str = "pagerank", title: str = "kg 知识图谱",
              summary: GraphSummary | None = None) -> tuple[str, tuple[int, int, int, int, tuple[str, ...], tuple[str, ...]]]:
    """The page for ``graph`` and what it shows: (nodes, edges, all nodes, all edges, omitted, filters).

    Metrics and the summary are those of the whole graph, so sizes,
    colours and tables agree with ``kg stats`` whatever the view.
    """
    if size_by not in ("pagerank", "degree"):
        raise ValueError(f"size_by must be 'pagerank' or 'degree', not {size_by!r}")
    vis_js, vis_css = _vis_assets()  # first: without them there is no page to make
    metrics = analyze(graph)
    summary = summary or summarize(graph, metrics)
    labels = graph.graph.get("predicate_labels") or {p: {"zh": PREDICATE_LABELS_ZH[p], "en": p} for p in PREDICATES}
    view, centres, notes = select(graph, focus, hops, types, predicates)
    before_cap = view.number_of_nodes()
    unrelated: list[str] = []
    if before_cap > max_nodes:  # a big graph: draw its connected core, list the entities with a type only
        unrelated = [v for v in view if view.degree(v) == 0 and v not in centres]
        view = view.subgraph([v for v in view if v not in set(unrelated)]).copy()
    view, omitted = cap(view, fact_ranking(view), max_nodes, keep=centres)
    omitted = omitted + unrelated

    data = _page_data(view, metrics, size_by, labels)
    type_rows, pred_rows = _legend(view, labels)
    omitted_labels = [graph.nodes[v]["label"] for v in omitted]
    data.update({
        "types": type_rows, "predicates": pred_rows, "sizeBy": size_by,
        "communityColors": list(COMMUNITY_COLORS), "focus": [data_id for data_id, v in
                                                           ((i["id"], i["iri"]) for i in data["info"]) if v in centres],
        "hops": hops,
    })

    app_js = _resource("graph.js")
    csp = ("default-src 'none'; base-uri 'none'; form-action 'none'; img-src data:; font-src data:; "
           f"style-src 'unsafe-inline'; script-src {_csp_hash(vis_js)} {_csp_hash(app_js)}")
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    template = env.from_string(_resource("graph.html.j2"))
    html = template.render(
        title=title, csp=csp, data_json=_safe_json(data),
        vis_js=_asset(vis_js, "</script"), vis_css=_asset(vis_css, "</style"),
        app_js=_asset(app_js, "</script"), app_css=_asset(_resource("graph.css"), "</style"),
        tables=summary_tables(summary), singletons=summary.singletons, leaders=leaders(view, labels),
        timeline=timeline(view),
        shown_nodes=view.number_of_nodes(), shown_edges=view.number_of_edges(),
        total_nodes=graph.number_of_nodes(), total_edges=graph.number_of_edges(),
        filters=notes, before_cap=before_cap, max_nodes=max_nodes,
        omitted=omitted_labels[:50], omitted_count=len(omitted_labels),
    )
    shown = (view.number_of_nodes(), view.number_of_edges(), graph.number_of_nodes(), graph.number_of_edges(),
             tuple(omitted_labels), tuple(notes))
    return html, shown
