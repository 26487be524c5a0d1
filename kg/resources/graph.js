// The page's own search, filters, tooltips and details panel.
// Every label, alias and sentence is untrusted: it reaches the DOM only
// through textContent / createTextNode, never through innerHTML.
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const view = (window.kgView = { stabilized: false });
  const info = new Map(data.info.map((n) => [n.id, n]));
  const edgeInfo = new Map(data.edgeInfo.map((e) => [e.id, e]));
  const typeColour = new Map(data.types.map((t) => [t.name, t.color]));

  const state = {
    types: new Set(data.types.map((t) => t.name)),
    predicates: new Set(data.predicates.map((p) => p.name)),
    centres: data.focus.slice(),
    hops: data.hops,
    colour: "type",
    size: data.sizeBy,
    edgeLabel: "zh",
    isolated: true,
    selected: null,
  };

  // ---- small DOM helpers (text only) ---------------------------------
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function norm(s) {
    return String(s || "").normalize("NFKC").toLowerCase().trim();
  }
  function evidenceSource(ev) {
    const parts = [];
    if (ev.title) parts.push("《" + ev.title + "》");
    if (ev.docId) parts.push(ev.docId);
    else if (ev.document) parts.push(ev.document);
    return parts.join(" ");
  }

  // ---- tooltips: DOM elements, which vis-network shows as they are -----
  function nodeTip(n) {
    const box = el("div", "kg-tip");
    box.appendChild(el("div", "tip-title", n.label));
    box.appendChild(el("div", "tip-line", n.typeZh + " · " + n.type));
    if (n.aliases.length) box.appendChild(el("div", "tip-line", "别名 aliases: " + n.aliases.join("、")));
    if (n.positions.length) box.appendChild(el("div", "tip-line", "职务 positions: " + n.positions.join("、")));
    if (n.dates.length) box.appendChild(el("div", "tip-line", "日期 dates: " + n.dates.join("、")));
    box.appendChild(el("div", "tip-src", "degree " + n.degree + " · PageRank " + n.pagerank.toFixed(4)));
    return box;
  }
  function edgeTip(e) {
    const box = el("div", "kg-tip");
    const s = info.get(e.from), o = info.get(e.to);
    box.appendChild(el("div", "tip-title", s.label + " —" + e.zh + " / " + e.en + "→ " + o.label));
    e.evidence.slice(0, 3).forEach((ev) => {
      const item = el("div", "tip-ev");
      item.appendChild(el("div", null, ev.sentence));
      item.appendChild(el("div", "tip-src", evidenceSource(ev)));
      box.appendChild(item);
    });
    if (e.evidence.length > 3) box.appendChild(el("div", "tip-src", "… +" + (e.evidence.length - 3) + " 条证据 more"));
    if (!e.evidence.length) box.appendChild(el("div", "tip-src", "（无证据句 no evidence sentence）"));
    return box;
  }

  // ---- data sets ------------------------------------------------------
  function edgeLabel(e) {
    if (state.edgeLabel === "en") return e.en;
    if (state.edgeLabel === "both") return e.zh + " " + e.en;
    return e.zh;
  }
  function nodeColour(n) {
    if (state.colour === "community") {
      const c = n.community;
      return c < 0 ? "#bbbbbb" : data.communityColors[c % data.communityColors.length];
    }
    return typeColour.get(n.type) || "#9d9d9d";
  }
  const nodes = new vis.DataSet(data.nodes.map((v) => Object.assign({}, v, { title: nodeTip(info.get(v.id)) })));
  const edges = new vis.DataSet(data.edges.map((v) => Object.assign({}, v, { title: edgeTip(edgeInfo.get(v.id)) })));

  // ---- visibility: types, relations, neighbourhood ---------------------
  let visible = new Set();
  function recompute() {
    const typeOk = (id) => state.types.has(info.get(id).type);
    const usable = data.edgeInfo.filter((e) => state.predicates.has(e.predicate) && typeOk(e.from) && typeOk(e.to));
    if (state.centres.length) {
      const adj = new Map();
      usable.forEach((e) => {
        if (!adj.has(e.from)) adj.set(e.from, []);
        if (!adj.has(e.to)) adj.set(e.to, []);
        adj.get(e.from).push(e.to);
        adj.get(e.to).push(e.from);
      });
      visible = new Set(state.centres);
      let frontier = state.centres.slice();
      for (let d = 0; d < state.hops && frontier.length; d++) {
        const next = [];
        frontier.forEach((v) => (adj.get(v) || []).forEach((w) => {
          if (!visible.has(w)) { visible.add(w); next.push(w); }
        }));
        frontier = next;
      }
    } else {
      visible = new Set(data.info.filter((n) => typeOk(n.id)).map((n) => n.id));
    }
    if (!state.isolated) {
      const linked = new Set();
      usable.forEach((e) => {
        if (visible.has(e.from) && visible.has(e.to)) { linked.add(e.from); linked.add(e.to); }
      });
      state.centres.forEach((c) => linked.add(c));
      visible = linked;
    }
    visibleEdges = new Set(usable.filter((e) => visible.has(e.from) && visible.has(e.to)).map((e) => e.id));
  }
  let visibleEdges = new Set();
  recompute();
  const nodeView = new vis.DataView(nodes, { filter: (n) => visible.has(n.id) });
  const edgeView = new vis.DataView(edges, { filter: (e) => visibleEdges.has(e.id) });

  const container = document.getElementById("graph");
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);

  const status = document.getElementById("status");
  // At the first view of a big graph the labels would be a few pixels high: the most central
  // entities get labels that read at that zoom; the others show as one zooms in.
  const LEGIBLE_TOP = 40;
  const LEGIBLE_PX = 12;
  const baseFont = (data.options.nodes && data.options.nodes.font && data.options.nodes.font.size) || 14;
  function labelPx(n) {
    return ((n.font && n.font.size) || baseFont) * network.getScale();
  }
  function enlargeTopLabels() {
    const scale = network.getScale();
    if (baseFont * scale >= LEGIBLE_PX) return;
    const top = nodes.get().sort((a, b) => (b.size || 0) - (a.size || 0)).slice(0, LEGIBLE_TOP);
    nodes.update(top.map((n) => ({ id: n.id, font: { size: Math.ceil(LEGIBLE_PX / scale) } })));
  }
  function stabilised() {
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    enlargeTopLabels();
    document.body.dataset.stabilized = "true";
    view.stabilized = true;
    status.textContent = "布局完成 · layout done (" + nodeView.length + " nodes)";
  }
  network.once("stabilizationIterationsDone", stabilised);
  network.on("stabilizationProgress", (p) => {
    status.textContent = "布局计算中 · laying out " + Math.round((100 * p.iterations) / p.total) + "%";
  });
  if (data.nodes.length === 0) {
    status.textContent = "没有可显示的实体 · nothing to show";
    document.body.dataset.stabilized = "true";
  }

  function refresh() {
    recompute();
    nodeView.refresh();
    edgeView.refresh();
    document.body.dataset.visibleNodes = String(nodeView.length);
    const focusState = document.getElementById("focus-state");
    if (state.centres.length) {
      focusState.textContent = "聚焦 focus: " + state.centres.map((id) => info.get(id).label).join("、") +
        "（" + state.hops + " 跳 hops，" + nodeView.length + " 个实体 entities）";
    } else {
      focusState.textContent = "";
    }
  }

  // ---- details panel ----------------------------------------------------
  const details = document.getElementById("details");
  function addField(dl, name, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", null, name));
    dl.appendChild(el("dd", null, Array.isArray(value) ? value.join("、") : value));
  }
  function showNode(id) {
    const n = info.get(id);
    clear(details);
    details.className = "";
    details.appendChild(el("h3", null, n.label));
    const dl = el("dl");
    addField(dl, "类型 type", n.typeZh + " · " + n.type);
    addField(dl, "别名 aliases", n.aliases);
    addField(dl, "职务 positions", n.positions);
    addField(dl, "日期 dates", n.dates);
    addField(dl, "度 degree / PageRank", n.degree + " / " + n.pagerank.toFixed(4));
    addField(dl, "社区 community", n.community >= 0 ? "#" + n.community : "");
    addField(dl, "IRI", n.iri);
    details.appendChild(dl);
  }
  function showEdge(id) {
    const e = edgeInfo.get(id);
    clear(details);
    details.className = "";
    details.appendChild(el("h3", null, info.get(e.from).label + " → " + info.get(e.to).label));
    details.appendChild(el("div", "tip-line", e.zh + " · " + e.en + " (" + e.predicate + ")"));
    const list = el("ul", "evidence");
    e.evidence.forEach((ev) => {
      const li = el("li", null, ev.sentence);
      li.appendChild(el("span", "source", evidenceSource(ev)));
      list.appendChild(li);
    });
    details.appendChild(list);
  }
  const focusBtn = document.getElementById("focus-btn");
  function select(id) {
    state.selected = id;
    focusBtn.disabled = id === null;
    if (id !== null) showNode(id);
  }
  network.on("click", (p) => {
    if (p.nodes.length) select(p.nodes[0]);
    else if (p.edges.length) { showEdge(p.edges[0]); }
  });

  // ---- search -----------------------------------------------------------
  const index = data.info.map((n) => ({ id: n.id, keys: [n.label].concat(n.aliases).map(norm) }));
  function search(query) {
    const q = norm(query);
    if (!q) return [];
    const exact = [], partial = [];
    index.forEach((item) => {
      if (item.keys.some((k) => k === q)) exact.push(item.id);
      else if (item.keys.some((k) => k.includes(q))) partial.push(item.id);
    });
    return exact.concat(partial);
  }
  function reveal(id) {
    const n = info.get(id);
    if (!visible.has(id)) {
      state.types.add(n.type);
      if (state.centres.length) state.centres = [];
      syncChecks();
      refresh();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    select(id);
  }
  const results = document.getElementById("results");
  const searchBox = document.getElementById("search");
  function showResults() {
    clear(results);
    const ids = search(searchBox.value);
    ids.slice(0, 50).forEach((id) => {
      const n = info.get(id);
      const li = el("li");
      const b = el("button", null, n.label);
      b.type = "button";
      b.appendChild(el("span", "kind", n.typeZh));
      const q = norm(searchBox.value);
      const alias = n.aliases.find((a) => norm(a).includes(q));
      if (alias && !norm(n.label).includes(q)) b.appendChild(el("span", "kind", "= " + alias));
      if (!visible.has(id)) b.appendChild(el("span", "hidden-note", "（已隐藏 hidden）"));
      b.addEventListener("click", () => reveal(id));
      li.appendChild(b);
      results.appendChild(li);
    });
    if (searchBox.value.trim() && !ids.length) results.appendChild(el("li", "muted", "没有结果 · no match"));
    if (ids.length > 50) results.appendChild(el("li", "muted", "… " + (ids.length - 50) + " more"));
  }
  searchBox.addEventListener("input", showResults);
  searchBox.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      const ids = search(searchBox.value);
      if (ids.length) reveal(ids[0]);
    }
  });

  // ---- legend and filters -------------------------------------------------
  const legend = document.getElementById("legend");
  const typeChecks = new Map();
  function buildLegend() {
    clear(legend);
    typeChecks.clear();
    if (state.colour === "community") {
      document.getElementById("legend-title").textContent = "社区 Communities（类型筛选见上次设置 type filters kept）";
      const counts = new Map();
      data.info.forEach((n) => counts.set(n.community, (counts.get(n.community) || 0) + 1));
      Array.from(counts.keys()).sort((a, b) => a - b).forEach((c) => {
        const li = el("li");
        const sw = el("span", "swatch");
        sw.style.background = c < 0 ? "#bbbbbb" : data.communityColors[c % data.communityColors.length];
        li.appendChild(sw);
        const top = data.info.filter((n) => n.community === c).sort((a, b) => b.pagerank - a.pagerank)[0];
        li.appendChild(document.createTextNode("#" + c + " " + (top ? top.label : "")));
        li.appendChild(el("span", "count", counts.get(c)));
        legend.appendChild(li);
      });
      return;
    }
    document.getElementById("legend-title").textContent = "类型 Types";
    data.types.forEach((t) => {
      const li = el("li");
      const label = el("label");
      const box = el("input");
      box.type = "checkbox";
      box.checked = state.types.has(t.name);
      box.addEventListener("change", () => {
        if (box.checked) state.types.add(t.name); else state.types.delete(t.name);
        refresh();
      });
      typeChecks.set(t.name, box);
      const sw = el("span", "swatch");
      sw.style.background = t.color;
      label.appendChild(box);
      label.appendChild(sw);
      label.appendChild(document.createTextNode(t.zh + " " + t.name));
      label.appendChild(el("span", "count", t.count));
      li.appendChild(label);
      legend.appendChild(li);
    });
  }
  function syncChecks() {
    typeChecks.forEach((box, name) => { box.checked = state.types.has(name); });
  }
  const predList = document.getElementById("predicates");
  data.predicates.forEach((p) => {
    const li = el("li");
    const label = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", () => {
      if (box.checked) state.predicates.add(p.name); else state.predicates.delete(p.name);
      refresh();
    });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + p.zh + " · " + p.en));
    label.appendChild(el("span", "count", p.count));
    li.appendChild(label);
    predList.appendChild(li);
  });

  const isolatedBox = document.getElementById("isolated");
  isolatedBox.addEventListener("change", () => { state.isolated = isolatedBox.checked; refresh(); });

  // ---- neighbourhood ------------------------------------------------------
  const hopsBox = document.getElementById("hops");
  hopsBox.value = String(state.hops);
  hopsBox.addEventListener("change", () => {
    const h = parseInt(hopsBox.value, 10);
    state.hops = Number.isFinite(h) && h >= 0 ? Math.min(h, 10) : 2;
    if (state.centres.length) refresh();
  });
  focusBtn.addEventListener("click", () => {
    if (state.selected === null) return;
    state.centres = [state.selected];
    refresh();
    network.fit({ nodes: nodeView.getIds(), animation: false });
  });
  document.getElementById("reset-btn").addEventListener("click", () => {
    state.centres = [];
    state.types = new Set(data.types.map((t) => t.name));
    state.predicates = new Set(data.predicates.map((p) => p.name));
    predList.querySelectorAll("input").forEach((b) => { b.checked = true; });
    state.isolated = isolatedBox.checked = true;
    syncChecks();
    refresh();
    network.fit({ animation: false });
  });

  // ---- display toggles ------------------------------------------------------
  function restyle() {
    nodes.update(data.info.map((n) => ({
      id: n.id,
      color: nodeColour(n),
      size: state.size === "degree" ? n.sizeDegree : n.sizePagerank,
    })));
    edges.update(data.edgeInfo.map((e) => ({ id: e.id, label: edgeLabel(e) })));
  }
  document.querySelectorAll('input[name="colour"]').forEach((r) => r.addEventListener("change", () => {
    state.colour = r.value;
    restyle();
    buildLegend();
  }));
  document.querySelectorAll('input[name="size"]').forEach((r) => {
    r.checked = r.value === state.size;
    r.addEventListener("change", () => { state.size = r.value; restyle(); });
  });
  document.querySelectorAll('input[name="edgelabel"]').forEach((r) => r.addEventListener("change", () => {
    state.edgeLabel = r.value;
    restyle();
  }));

  buildLegend();
  refresh();

  // What tests and curious readers can inspect.
  Object.assign(view, {
    nodeCount: nodes.length,
    edgeCount: edges.length,
    stabilized: false,
    network: network,
    nodes: nodes,
    edges: edges,
    visibleNodeCount: () => nodeView.length,
    legibleLabels: () => nodeView.get().filter((n) => labelPx(nodes.get(n.id)) >= LEGIBLE_PX).length,
    search: (q) => search(q).map((id) => info.get(id).label),
    reveal: reveal,
  });
  if (data.nodes.length === 0) view.stabilized = true;
})();
