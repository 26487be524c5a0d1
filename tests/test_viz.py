"""The HTML page: view selection, escaping, and the page itself in a real headless Chromium."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from test_analytics import XSS, sample_graph

from kg import analytics, viz
from kg.cli import main
from kg.namespace import entity_iri

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_graph().store(tmp_path_factory.mktemp("viz") / "store")


@pytest.fixture(scope="module")
def graph(store_path: Path):
    return analytics.read_graph(store_path)


def _labels(g) -> set[str]:
    return {d["label"] for _, d in g.nodes(data=True)}


# --------------------------------------------------------------------------
# Choosing the view


def test_types_filter_counts_platforms_as_organizations(graph) -> None:
    g, _, notes = viz.select(graph, types=["Organization"])
    assert _labels(g) == {"人民网", "领导留言板", XSS}
    assert notes == ["types: Platform, Organization"]


def test_predicate_filter_keeps_only_those_relations_and_their_entities(graph) -> None:
    g, _, _ = viz.select(graph, predicates=["hosted", "operates"])
    assert {k for _, _, k in g.edges(keys=True)} == {"hosted", "operates"}
    assert _labels(g) == {"人民网", "领导留言板", "2024网上群众工作大会", "2022网上群众工作峰会"}


def test_focus_by_alias_keeps_the_neighbourhood(graph) -> None:
    g1, centres, _ = viz.select(graph, focus="地方领导留言板", hops=1)
    assert centres == [str(entity_iri("Platform", "领导留言板"))]
    assert _labels(g1) == {"领导留言板", "人民网"}
    g2, _, _ = viz.select(graph, focus="领导留言板", hops=2)
    assert _labels(g2) == {"领导留言板", "人民网", "2024网上群众工作大会", "2022网上群众工作峰会", "罗华"}


def test_unknown_focus_type_or_predicate_is_a_clear_error(graph) -> None:
    with pytest.raises(ValueError, match="did you mean: 领导留言板"):
        viz.select(graph, focus="留言板")
    with pytest.raises(ValueError, match="unknown type: Robot"):
        viz.select(graph, types=["Robot"])
    with pytest.raises(ValueError, match="unknown predicate: likes"):
        viz.select(graph, predicates=["likes"])


def test_cap_keeps_the_focus_and_the_most_central(graph) -> None:
    m = analytics.analyze(graph)
    ranking = m.ranking(graph)
    beijing = str(entity_iri("Place", "北京市"))
    g, omitted = viz.cap(graph, ranking, 3, keep=[beijing])
    assert set(g.nodes) == {beijing, *[v for v in ranking if v != beijing][:2]}
    assert len(omitted) == graph.number_of_nodes() - 3 and beijing not in omitted


def test_safe_json_cannot_close_its_script() -> None:
    text = str(viz._safe_json({"x": "</script><script>alert(1)</script><!--", "y": "\u2028"}))
    assert "<" not in text and ">" not in text and "\u2028" not in text


# --------------------------------------------------------------------------
# The written file


def test_page_is_self_contained_and_holds_no_raw_markup_from_the_data(graph, tmp_path: Path) -> None:
    report = viz.render(graph, tmp_path / "g.html")
    html = (tmp_path / "g.html").read_text(encoding="utf-8")
    assert report.shown_nodes == 10 and report.total_nodes == 10
    assert "<img src=x onerror" not in html and "<b>hi</b>" not in html and "<script>alert(2)" not in html
    # nothing that would fetch: no external script/style/link/img elements, a CSP that forbids requests
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)=", html, re.I)
    assert "default-src &#39;none&#39;" in html
    assert 'data-node-count="10"' in html
    assert "Most central entities" in html  # the kg stats summary is on the page


def test_node_cap_says_what_was_left_out(graph, tmp_path: Path) -> None:
    report = viz.render(graph, tmp_path / "g.html", max_nodes=4)
    html = (tmp_path / "g.html").read_text(encoding="utf-8")
    assert report.shown_nodes == 4 and len(report.omitted) == 6
    assert 'id="omitted"' in html and "6" in html
    assert report.omitted[-1] in html


def test_kg_viz_command(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "board.html"
    r = CliRunner().invoke(main, ["viz", "--store", str(store_path), "-o", str(out), "--focus", "领导留言板",
                                  "--hops", "1"])
    assert r.exit_code == 0, r.output
    assert "2 of 10 entities" in r.output and out.exists()
    bad = CliRunner().invoke(main, ["viz", "--store", str(store_path), "-o", str(out), "--focus", "没有这个"])
    assert bad.exit_code == 2 and "没有这个" in bad.output
    missing = CliRunner().invoke(main, ["viz", "--store", str(tmp_path / "nowhere"), "-o", str(out)])
    assert missing.exit_code == 1 and "nowhere" in missing.output


def test_vis_network_items_follow_the_view(graph) -> None:
    metrics = analytics.analyze(graph)
    labels = {k: {"zh": k.upper(), "en": k} for k in ("hosted", "organized")}
    pair = nx.MultiDiGraph()
    pair.add_node("a", label="甲", type="Organization")
    pair.add_node("b", label="乙", type="Event")
    for p in ("hosted", "organized", "commentedOn"):
        pair.add_edge("a", "b", key=p, evidence=[])
    data = viz._page_data(pair, analytics.analyze(pair), "degree", labels)
    assert [e["label"] for e in data["edges"]] == [analytics.PREDICATE_LABELS_ZH["commentedOn"], "HOSTED", "ORGANIZED"]
    assert all(e["arrows"] == "to" and (e["from"], e["to"]) == (0, 1) for e in data["edges"])
    # the first relation of a pair runs straight, the next ones bend to alternate sides
    assert "smooth" not in data["edges"][0]
    assert [e["smooth"]["type"] for e in data["edges"][1:]] == ["curvedCCW", "curvedCW"]
    assert data["options"] == viz.VIS_OPTIONS and data["options"] is not viz.VIS_OPTIONS

    for size_by, key in (("pagerank", "sizePagerank"), ("degree", "sizeDegree")):
        data = viz._page_data(graph, metrics, size_by, labels)
        assert [n["id"] for n in data["nodes"]] == [i["id"] for i in data["info"]] == list(range(len(graph)))
        assert [n["size"] for n in data["nodes"]] == [i[key] for i in data["info"]]
        assert all(n["color"] == viz.TYPE_COLORS[i["type"]] and n["label"] == i["label"]
                   for n, i in zip(data["nodes"], data["info"], strict=True))


def test_the_page_runs_none_of_pyvis_code(tmp_path: Path) -> None:
    """What `make demo` installs: pyvis's files without IPython; the page still comes out."""
    script = """
import sys
sys.modules["IPython"] = None  # importing it now fails, as in an install without it
import networkx as nx
from kg import viz
g = nx.MultiDiGraph()
g.add_node("a", label="甲", type="Organization")
g.add_node("b", label="乙", type="Event")
g.add_edge("a", "b", key="hosted", evidence=[{"sentence": "甲主办乙。"}])
viz.render(g, sys.argv[1])
print(sorted(m for m, mod in sys.modules.items() if mod is not None and m.split(".")[0] in ("pyvis", "IPython")))
"""
    out = tmp_path / "g.html"
    run = subprocess.run([sys.executable, "-c", script, str(out)], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parent.parent)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
    assert viz._vis_assets()[0] in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("package", ["kg_no_such_package", "kg"], ids=["no package", "no vis-network in it"])
def test_without_vis_network_kg_viz_says_what_to_install_and_writes_nothing(
        store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, package: str) -> None:
    monkeypatch.setattr(viz, "VIS_PACKAGE", package)
    out = tmp_path / "page" / "graph.html"
    r = CliRunner().invoke(main, ["viz", "--store", str(store_path), "-o", str(out)])
    assert r.exit_code == 1
    assert r.output.count("\n") == 1 and r.output.startswith("Error: ")
    assert f"pip install --no-deps '{viz.VIS_REQUIREMENT}'" in r.output and f"{package}/{viz.VIS_DIR}" in r.output
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------
# In a real browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (run `make system`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A page opened from a file, recording console messages, requests and dialogs."""

    def __init__(self, browser, path: Path) -> None:
        self.console: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_function("() => window.kgView && window.kgView.stabilized === true", timeout=120_000)

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)


@pytest.mark.slow
def test_page_in_chromium(browser, graph, tmp_path: Path) -> None:
    path = tmp_path / "graph.html"
    viz.render(graph, path)
    view = Page(browser, path)
    page = view.page

    # every node of the graph is on the page, physics has stopped
    assert view.js("window.kgView.nodeCount") == graph.number_of_nodes() == 10
    assert view.js("window.kgView.network.body.data.nodes.length") == 10
    assert view.js("window.kgView.edgeCount") == graph.number_of_edges()
    assert view.js("window.kgView.network.physics.physicsEnabled") is False

    # search by label and by alias, typed into the page's own box
    page.fill("#search", "人民网")
    assert page.inner_text("#results li:first-child button").startswith("人民网")
    page.fill("#search", "北京")
    assert page.inner_text("#results").startswith("北京市")
    page.click("#results li:first-child button")
    assert view.js("window.kgView.network.getSelectedNodes().length") == 1
    assert "北京市" in page.inner_text("#details")

    # the crafted label: found as text, shown as text in search results and tooltip, never run
    page.fill("#search", "<img")
    assert page.inner_text("#results li:first-child button").startswith(XSS)
    node_id = view.js("(l) => window.kgView.nodes.get().find((n) => n.label === l).id", XSS)
    box = view.js("""(id) => {
        const net = window.kgView.network;
        net.fit({animation: false});
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const r = document.getElementById('graph').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", node_id)
    page.mouse.move(box[0] + 40, box[1] + 40)
    page.mouse.move(*box)
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    tip = page.inner_text("div.vis-tooltip")
    assert XSS in tip and "<script>alert(2)</script>" in tip
    page.mouse.click(*box)
    assert XSS in page.inner_text("#details")
    assert view.js("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert view.js("document.querySelectorAll('script').length") == 3

    # the edge's evidence sentence, with markup, read as text in the details panel
    edge_id = view.js("(id) => window.kgView.network.getConnectedEdges(id)[0]", node_id)
    view.js("(id) => window.kgView.network.selectEdges([id])", edge_id)
    view.js("(id) => window.kgView.network.body.emitter.emit('click', {nodes: [], edges: [id]})", edge_id)
    assert '<b>hi</b> & <img src=x onerror=alert(3)>' in page.inner_text("#details")
    assert view.js("document.querySelectorAll('#details b, #details img').length") == 0

    # type filter, predicate filter and neighbourhood
    page.uncheck("#legend li:has-text('Place') input")
    assert view.js("window.kgView.visibleNodeCount()") == 7
    page.click("#reset-btn")
    assert view.js("window.kgView.visibleNodeCount()") == 10
    page.fill("#search", "领导留言板")
    page.click("#results li:first-child button")
    page.fill("#hops", "1")
    page.dispatch_event("#hops", "change")
    page.click("#focus-btn")
    assert view.js("window.kgView.visibleNodeCount()") == 2
    page.click("#reset-btn")

    # community colouring is a toggle; the legend follows
    page.check("input[name=colour][value=community]")
    assert "#0" in page.inner_text("#legend")

    shot = tmp_path / "graph.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    assert view.dialogs == []
    assert [c for c in view.console if c.startswith(("error", "pageerror", "warning"))] == []
    assert view.requests == [view.url]
    page.close()


@pytest.mark.slow
def test_capped_page_in_chromium(browser, graph, tmp_path: Path) -> None:
    path = tmp_path / "capped.html"
    report = viz.render(graph, path, max_nodes=4)
    view = Page(browser, path)
    assert view.js("window.kgView.nodeCount") == report.shown_nodes == 4
    assert "6" in view.page.inner_text("#omitted")
    assert view.requests == [view.url] and view.dialogs == []
    view.page.close()


# --------------------------------------------------------------------------
# The seed articles, built by the real pipeline

SEEDS = Path(__file__).resolve().parent.parent / "data" / "seeds"


@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory: pytest.TempPathFactory):
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seeds")
    report = build([SEEDS], out, exports=False)
    assert report.ok, report.errors
    return analytics.read_graph(out / "store")


@pytest.mark.slow
def test_seed_graph_page_in_chromium(browser, seed_graph, tmp_path: Path) -> None:
    g = seed_graph
    labels = _labels(g)
    assert {"人民网", "领导留言板"} <= labels
    path = tmp_path / "seeds.html"
    report = viz.render(g, path)
    assert report.shown_nodes == g.number_of_nodes() and not report.omitted
    view = Page(browser, path)
    page = view.page
    assert view.js("window.kgView.nodeCount") == g.number_of_nodes()
    assert view.js("window.kgView.edgeCount") == g.number_of_edges()

    page.fill("#search", "人民网")
    assert "人民网" in view.js("window.kgView.search('人民网')")
    page.click("#results li:first-child button")
    assert page.inner_text("#details").startswith("人民网")

    # hiding entities without relations leaves exactly those with one
    linked = sum(1 for v in g if g.degree(v) > 0 and any(w != v for w in nx_neighbours(g, v)))
    page.uncheck("#isolated")
    assert view.js("window.kgView.visibleNodeCount()") == linked
    page.check("#isolated")
    assert view.js("window.kgView.visibleNodeCount()") == g.number_of_nodes()

    # focus on the board's neighbourhood, as `kg viz --focus 领导留言板 --hops 2` would
    sub, _, _ = viz.select(g, focus="领导留言板", hops=2)
    page.fill("#search", "领导留言板")
    page.click("#results li:first-child button")
    page.fill("#hops", "2")
    page.dispatch_event("#hops", "change")
    page.click("#focus-btn")
    assert view.js("window.kgView.visibleNodeCount()") == sub.number_of_nodes()

    page.screenshot(path=str(tmp_path / "seeds.png"))
    assert (tmp_path / "seeds.png").stat().st_size > 10_000
    assert view.dialogs == []
    assert [c for c in view.console if c.startswith(("error", "pageerror", "warning"))] == []
    assert view.requests == [view.url]
    page.close()


def nx_neighbours(g, v):
    return set(g.successors(v)) | set(g.predecessors(v))


def test_a_big_graph_draws_its_connected_core_and_names_who_hosted_first(seed_out: Path, tmp_path: Path) -> None:
    g = analytics.read_graph(seed_out / "store")
    unrelated = {v for v in g if g.degree(v) == 0}
    assert unrelated  # the seed graph has entities with a type only
    report = viz.render(g, tmp_path / "g.html", max_nodes=20)
    html = (tmp_path / "g.html").read_text(encoding="utf-8")
    assert report.shown_nodes == 20
    assert {g.nodes[v]["label"] for v in unrelated} <= set(report.omitted)  # listed, not drawn
    top = viz.fact_ranking(g.subgraph([v for v in g if v not in unrelated]))[:20]
    assert {g.nodes[v]["label"] for v in top}.isdisjoint(set(report.omitted))  # the most facts are drawn
    hosts = dict(viz.leaders(g, {})[1][1])
    assert "谁组织、主办、评论" in html and hosts and max(hosts, key=hosts.get) in html
    viz.render(g, tmp_path / "all.html")
    events = viz.timeline(g)
    page = (tmp_path / "all.html").read_text(encoding="utf-8")
    assert events == sorted(events) and all(date in page and label in page for date, label in events)


POOL = Path(__file__).resolve().parent.parent.parent / "shared" / "devcorpus" / "pool.jsonl"


@pytest.mark.slow
def test_a_graph_of_500_real_articles_reads_at_its_first_view(browser, tmp_path: Path) -> None:
    """The connected core is drawn, the top entities' labels read at the first zoom, the leaders panel lists rows."""
    from kg.pipeline import build

    if not POOL.exists():
        pytest.skip(f"{POOL} (the development pool) is not beside the repository")
    corpus = tmp_path / "pool500.jsonl"
    with POOL.open(encoding="utf-8") as lines:
        corpus.write_text("".join(itertools.islice(lines, 500)), encoding="utf-8")
    report = build([corpus], tmp_path / "out", exports=False)
    assert report.ok, report.errors
    path = tmp_path / "graph.html"
    shown = viz.render(analytics.read_graph(tmp_path / "out" / "store"), path)
    assert shown.total_nodes > shown.shown_nodes  # a graph above the node cap
    view = Page(browser, path)
    drawn = view.js("window.kgView.nodeCount")
    linked = view.js("""() => {
        const net = window.kgView.network;
        return window.kgView.nodes.getIds().filter((id) => net.getConnectedEdges(id).length > 0).length;
    }""")
    assert linked >= 0.9 * drawn
    assert view.js("window.kgView.legibleLabels()") >= 30
    assert view.js("document.querySelectorAll('#leaders td.num').length") > 0  # organisers, hosts, commentators
    view.page.screenshot(path=str(tmp_path / "pool500.png"))
    assert [c for c in view.console if c.startswith(("error", "pageerror"))] == []
    view.page.close()
