"""The entity graph read from an Oxigraph store, its metrics and the ``kg stats`` tables."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import analytics
from kg.cli import main
from kg.namespace import KG, KGR, document_iri, entity_iri, evidence_iri

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
DCT = "http://purl.org/dc/terms/"
XSS = "<img src=x onerror=alert(1)>"


def _n(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _zh(text: str) -> ox.Literal:
    return ox.Literal(text, language="zh")


class GraphMaker:
    """Quads following the project's RDF model (notes: one named graph per article)."""

    def __init__(self) -> None:
        self.quads: list[ox.Quad] = []

    def article(self, doc_id: str, title: str) -> ox.NamedNode:
        d = _n(document_iri(doc_id))
        self.quads += [
            ox.Quad(d, RDF_TYPE, _n(KG.Article), d),
            ox.Quad(d, _n(DCT + "identifier"), ox.Literal(doc_id), d),
            ox.Quad(d, _n(DCT + "title"), _zh(title), d),
        ]
        return d

    def entity(self, doc: ox.NamedNode, type_name: str, label: str, *aliases: str) -> ox.NamedNode:
        e = _n(entity_iri(type_name, label))
        self.quads += [
            ox.Quad(e, RDF_TYPE, _n(KG[type_name]), doc),
            ox.Quad(e, RDFS_LABEL, _zh(label), doc),
            ox.Quad(e, _n(KG.mentionedIn), doc, doc),
        ]
        if type_name == "Platform":
            self.quads.append(ox.Quad(e, RDF_TYPE, _n(KG.Organization), doc))
        self.quads += [ox.Quad(e, ALT, _zh(a), doc) for a in aliases]
        return e

    def fact(self, doc: ox.NamedNode, s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal,
             sentence: str, start: int = 0) -> None:
        doc_id = doc.value.rsplit("/", 1)[-1]
        ev = _n(evidence_iri(doc_id, s.value, p, o.value, start))
        self.quads += [
            ox.Quad(s, _n(KG[p]), o, doc),
            ox.Quad(ev, RDF_TYPE, _n(KG.Evidence), doc),
            ox.Quad(ev, _n(RDF + "subject"), s, doc),
            ox.Quad(ev, _n(RDF + "predicate"), _n(KG[p]), doc),
            ox.Quad(ev, _n(RDF + "object"), o, doc),
            ox.Quad(ev, _n(KG.sourceDocument), doc, doc),
            ox.Quad(ev, _n(KG.sentence), _zh(sentence), doc),
            ox.Quad(ev, _n(KG.start), ox.Literal(str(start), datatype=_n("http://www.w3.org/2001/XMLSchema#integer")), doc),
        ]

    def store(self, path: Path) -> Path:
        st = ox.Store(str(path))
        st.extend(self.quads)
        st.flush()
        del st
        return path


def sample_graph() -> GraphMaker:
    """Two articles about two events, a platform, people, places, and a hostile label."""
    g = GraphMaker()
    d1 = g.article("a1", "2024网上群众工作大会在京召开")
    rmw = g.entity(d1, "Organization", "人民网", "人民网股份有限公司")
    board = g.entity(d1, "Platform", "领导留言板", "地方领导留言板")
    meeting = g.entity(d1, "Event", "2024网上群众工作大会")
    luo = g.entity(d1, "Person", "罗华")
    beijing = g.entity(d1, "Place", "北京市", "北京")
    g.fact(d1, rmw, "hosted", meeting, "人民网主办的2024网上群众工作大会在北京召开。", 0)
    g.fact(d1, rmw, "operates", board, "人民网“领导留言板”上线以来……", 30)
    g.fact(d1, luo, "affiliatedWith", rmw, "人民网总编辑罗华在会上致辞。", 60)
    g.fact(d1, luo, "holdsPosition", _zh("人民网总编辑"), "人民网总编辑罗华在会上致辞。", 60)
    g.fact(d1, luo, "commentedOn", meeting, "人民网总编辑罗华在会上致辞。", 60)
    g.fact(d1, meeting, "heldIn", beijing, "人民网主办的2024网上群众工作大会在北京召开。", 0)
    g.fact(d1, meeting, "startDate", ox.Literal("2024-12-16", datatype=_n("http://www.w3.org/2001/XMLSchema#date")),
           "大会12月16日召开。", 90)

    d2 = g.article("a2", "人民建议征集")
    rmw2 = g.entity(d2, "Organization", "人民网")
    summit = g.entity(d2, "Event", "2022网上群众工作峰会")
    ningde = g.entity(d2, "Place", "宁德市")
    fujian = g.entity(d2, "Place", "福建省")
    li = g.entity(d2, "Person", "李建成")
    bad = g.entity(d2, "Organization", XSS, "<script>alert(2)</script>")
    g.fact(d2, rmw2, "hosted", summit, "人民网在宁德市举办2022网上群众工作峰会。", 0)
    g.fact(d2, summit, "heldIn", ningde, "人民网在宁德市举办2022网上群众工作峰会。", 0)
    g.fact(d2, ningde, "locatedIn", fujian, "福建省宁德市……", 40)
    g.fact(d2, li, "participatedIn", summit, "福建省副省长李建成出席峰会。", 50)
    g.fact(d2, bad, "commentedOn", summit, 'X说："<b>hi</b> & <img src=x onerror=alert(3)>"', 80)
    # the same fact stated in a second article: one edge, two evidence sentences
    g.fact(d2, rmw2, "operates", _n(entity_iri("Platform", "领导留言板")), "人民网领导留言板……", 120)
    g.quads.append(ox.Quad(_n(entity_iri("Platform", "领导留言板")), RDF_TYPE, _n(KG.Platform), d2))
    g.quads.append(ox.Quad(_n(entity_iri("Platform", "领导留言板")), RDFS_LABEL, _zh("领导留言板"), d2))
    return g


@pytest.fixture()
def store_path(tmp_path: Path) -> Path:
    return sample_graph().store(tmp_path / "store")


def test_read_graph_entities_edges_and_evidence(store_path: Path) -> None:
    g = analytics.read_graph(store_path)
    labels = {d["label"]: d for _, d in g.nodes(data=True)}
    assert set(labels) == {"人民网", "领导留言板", "2024网上群众工作大会", "罗华", "北京市", "2022网上群众工作峰会",
                           "宁德市", "福建省", "李建成", XSS}
    assert labels["领导留言板"]["type"] == "Platform"  # most specific class wins over Organization
    assert labels["人民网"]["aliases"] == ["人民网股份有限公司"]
    assert labels["罗华"]["positions"] == ["人民网总编辑"]
    assert labels["2024网上群众工作大会"]["dates"] == ["2024-12-16"]
    # literal facts are attributes, not edges; articles are not entities
    assert g.number_of_edges() == 10
    operates = g.get_edge_data(str(entity_iri("Organization", "人民网")), str(entity_iri("Platform", "领导留言板")))
    assert set(operates) == {"operates"}
    ev = operates["operates"]["evidence"]
    assert [e["doc_id"] for e in ev] == ["a1", "a2"]
    assert ev[0]["title"] == "2024网上群众工作大会在京召开"
    assert ev[0]["document"] == str(document_iri("a1"))


def test_predicate_labels_fall_back_and_prefer_the_ontology(tmp_path: Path) -> None:
    g = sample_graph()
    g.quads.append(ox.Quad(_n(KG.hosted), RDFS_LABEL, _zh("承办"), _n(KGR["graph/ontology"])))
    g.quads.append(ox.Quad(_n(KG.hosted), RDFS_LABEL, ox.Literal("hosted by", language="en"), _n(KGR["graph/ontology"])))
    graph = analytics.read_graph(g.store(tmp_path / "s"))
    labels = graph.graph["predicate_labels"]
    assert labels["hosted"] == {"zh": "承办", "en": "hosted by"}
    assert labels["operates"] == {"zh": "运营", "en": "operates"}


def test_predicate_labels_come_from_the_ontology_file_when_the_store_has_none(store_path: Path) -> None:
    from kg.paths import ONTOLOGY_DIR

    if not (ONTOLOGY_DIR / "kg.ttl").is_file():
        pytest.skip("no ontology/kg.ttl next to the package")
    labels = analytics.read_graph(store_path).graph["predicate_labels"]
    assert labels["commentedOn"] == {"zh": "评论", "en": "commented on"}
    assert labels["affiliatedWith"]["en"] == "affiliated with"


def test_metrics_are_deterministic_and_rank_the_hub_first(store_path: Path) -> None:
    g = analytics.read_graph(store_path)
    m1, m2 = analytics.analyze(g), analytics.analyze(analytics.read_graph(store_path))
    assert m1 == m2
    assert abs(sum(m1.pagerank.values()) - 1.0) < 1e-9
    top = m1.ranking(g)[0]
    assert g.nodes[top]["label"] in {"人民网", "2022网上群众工作峰会"}
    assert m1.degree[str(entity_iri("Organization", "人民网"))] == 4
    # the two events end up in communities with their own places
    c = m1.community
    assert c[str(entity_iri("Place", "宁德市"))] == c[str(entity_iri("Event", "2022网上群众工作峰会"))]
    assert c[str(entity_iri("Place", "北京市"))] == c[str(entity_iri("Event", "2024网上群众工作大会"))]


def test_pagerank_of_a_star_favours_the_centre() -> None:
    import networkx as nx

    u = nx.Graph()
    for leaf in "abcd":
        u.add_edge("hub", leaf, weight=1)
    u.add_node("alone")
    pr = analytics.pagerank(u)
    assert abs(sum(pr.values()) - 1.0) < 1e-9
    assert pr["hub"] > pr["a"] > pr["alone"]


def test_summary_counts(store_path: Path) -> None:
    g = analytics.read_graph(store_path)
    s = analytics.summarize(g, top=3)
    assert s.entities == 10 and s.relations == 10
    assert s.evidence == 11 and s.documents == 2
    assert dict(s.by_type) == {"Person": 2, "Platform": 1, "Organization": 2, "Place": 3, "Event": 2}
    assert dict(s.by_predicate)["hosted"] == 2 and dict(s.by_predicate)["operates"] == 1
    assert len(s.central) == 3
    assert sum(c.size for c in s.communities) + s.singletons == 10


def test_display_width_counts_cjk_as_two() -> None:
    assert analytics.display_width("人民网") == 6
    assert analytics.display_width("ab") == 2
    assert analytics.display_width("ＡＢ") == 4  # fullwidth
    assert analytics.display_width("e\u0301") == 1  # combining accent


def test_table_columns_line_up_in_display_width() -> None:
    text = analytics.format_table(["name", "n"], [["人民网", 12], ["abc", 3]], right=(1,))
    lines = text.splitlines()
    ends = {analytics.display_width(line) for line in lines}
    assert len(ends) == 1, text  # every line ends in the same column
    assert lines[2].startswith("人民网  ")


def test_kg_stats_prints_the_tables(store_path: Path) -> None:
    result = CliRunner().invoke(main, ["stats", "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    out = result.output
    for heading in ("Entities by type", "Relations by predicate", "Most central entities", "Communities"):
        assert heading in out
    assert "人民网" in out and "主办" in out and "Platform" in out


def test_kg_stats_names_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["stats", "--store", str(tmp_path / "nope")])
    assert result.exit_code != 0
    assert "nope" in result.output


def test_build_stats_and_page_share_one_set_of_counts(seed_out):
    from kg.analytics import read_graph, summarize, summary_tables
    from kg.counts import graph_counts
    from kg.manifest import Manifest
    from kg.store import Store

    store = Store.open(seed_out / "store", read_only=True)
    counts = graph_counts(store)
    summary = summarize(read_graph(seed_out / "store"))
    assert summary.counts == counts
    with Manifest.open(seed_out) as manifest:
        documents, facts = manifest.count()
    assert counts.documents == documents and counts.facts == facts  # what the build recorded
    assert counts.documents_with_facts <= counts.documents and counts.relations <= counts.facts
    assert sum(n for _, n in counts.by_type) == counts.entities
    overview = {row[0]: row[1] for row in summary_tables(summary)[0][2]}
    assert overview["relation facts, with their sentence 关系事实"] == str(counts.facts)
    assert counts.line().startswith(f"{counts.documents} documents built")
