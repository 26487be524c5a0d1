"""Named queries on the seed graph, parameter binding, formats and error messages."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg import query as q
from kg.cli import main

NAMES = {"who-organized", "who-hosted", "who-commented", "entity", "events", "people", "platforms", "timeline",
         "evidence", "most-connected", "reprints", "conflicts", "entities-by-type", "statements"}


def rows(store, query_name, **params):
    return q.run_query(store, query_name, params).records()


def test_every_named_query_is_documented():
    found = {nq.name: nq for nq in q.named_queries()}
    assert set(found) >= NAMES
    for nq in found.values():
        assert len(nq.description) > 20, nq.name
    assert [p.name for p in found["evidence"].params] == ["subject", "predicate", "object"]
    assert [p.name for p in found["entity"].params] == ["name"]
    assert found["who-hosted"].params[0].optional


def test_who_hosted(seed_store):
    got = {(r["host"], r["eventName"]) for r in rows(seed_store, "who-hosted")}
    assert ("人民网", "2024网上群众工作大会") in got
    r = [r for r in rows(seed_store, "who-hosted") if r["eventName"] == "2024网上群众工作大会"][0]
    assert "人民网主办" in r["sentence"] and "003_" in r["documents"]


def test_who_organized_with_optional_event(seed_store):
    got = {(r["organizer"], r["eventName"]) for r in rows(seed_store, "who-organized")}
    assert ("习近平", "党的二十大相关工作网络征求意见活动") in got
    only = rows(seed_store, "who-organized", event="党的二十大相关工作网络征求意见活动")
    assert {r["eventName"] for r in only} == {"党的二十大相关工作网络征求意见活动"}
    assert {r["organizer"] for r in only} >= {"习近平"}
    # Both reprints state it: two evidence nodes behind one fact.
    assert [r["evidence"] for r in only if r["organizer"] == "习近平"] == ["2"]


def test_who_commented_has_quote_and_sentence(seed_store):
    got = rows(seed_store, "who-commented")
    han = [r for r in got if r["speakerName"] == "韩福国"]
    assert han and all(r["about"] == "党的二十大相关工作网络征求意见活动" for r in han)
    assert han[0]["quote"] and han[0]["quote"] in han[0]["sentence"].replace("“", "").replace("”", "") or han[0]["quote"][:8] in han[0]["sentence"]
    assert {r["speakerName"] for r in rows(seed_store, "who-commented", speaker="李金华")} == {"李金华"}


def test_statements_include_speech_about_no_named_thing(seed_store):
    said = rows(seed_store, "statements", speaker="李雪健")
    assert [r["quote"] for r in said] == ["我将把今天的一些体会融入艺术创作中"]
    assert "about" not in said[0] or not said[0]["about"]
    assert said[0]["quote"] in said[0]["sentence"]
    han = rows(seed_store, "statements", speaker="韩福国")
    about = {(r["doc"], r["quote"]): r.get("about") for r in han}
    assert len(about) == len(han)  # one row per quote and article: its commentedOn and its Statement are one node
    assert "党的二十大相关工作网络征求意见活动" in about.values()


def test_entity_by_label_or_alias(seed_store):
    by_label = rows(seed_store, "entity", name="人民网")
    by_alias = rows(seed_store, "entity", name="人民網")
    assert by_label == by_alias
    hosted = [r for r in by_label if r["relation"] == "hosted" and r["direction"] == "→"]
    assert {r["other"] for r in hosted} >= {"2024网上群众工作大会"}
    assert all(r["sentence"] for r in hosted)


def test_events_people_platforms(seed_store):
    events = {r["eventName"]: r for r in rows(seed_store, "events")}
    summit = events["2022网上群众工作峰会"]
    assert summit["date"] == "2022-12-28" and summit["places"] == "宁德市" and "人民网" in summit["hosts"]
    assert "人民日报社" in summit["guides"]
    people = {r["person"]: r for r in rows(seed_store, "people")}
    assert "人民网总编辑" in people["罗华"]["positions"] and "人民网" in people["罗华"]["affiliations"]
    platforms = {r["platform"]: r for r in rows(seed_store, "platforms")}
    assert "人民网" in platforms["领导留言板"]["operators"]


def test_timeline_is_ordered(seed_store):
    got = rows(seed_store, "timeline")
    dates = [r["date"] for r in got]
    assert dates == sorted(dates)
    assert any(r["what"] == "2024网上群众工作大会" and r["kind"] == "event" for r in got)


def test_evidence_for_one_fact(seed_store):
    got = rows(seed_store, "evidence", subject="人民网", predicate="hosted", object="2024网上群众工作大会")
    assert len(got) == 1
    r = got[0]
    assert r["doc"].startswith("003_") and "2024网上群众工作大会" in r["sentence"]
    assert int(r["start"]) < int(r["end"]) and r["rule"]
    literal = rows(seed_store, "evidence", subject="2024网上群众工作大会", predicate="startDate", object="2024-12-12")
    assert literal


def test_most_connected_reprints_conflicts_by_type(seed_store):
    top = rows(seed_store, "most-connected")
    assert len(top) <= 20 and top[0]["entityName"] in {"人民网", "人民日报社", "2024网上群众工作大会"}
    degrees = [int(r["degree"]) for r in top]
    assert degrees == sorted(degrees, reverse=True)
    reprints = rows(seed_store, "reprints")
    assert [(r["reprint"][:3], r["original"][:3]) for r in reprints] == [("001", "000")]
    conflicts = rows(seed_store, "conflicts")
    assert {r["subjectName"] for r in conflicts} >= {"强舸", "靳珂"}
    assert {r["doc"][:3] for r in conflicts} == {"000", "001"}
    platforms = {r["entityName"] for r in rows(seed_store, "entities-by-type", type="Platform")}
    assert {"领导留言板", "人民建议"} <= platforms
    assert "人民网" not in platforms


@pytest.mark.parametrize("evil", ['人民网" } ; DROP ALL ; #', "人民网> }", '"}>{', "x\\\" ) } SELECT * WHERE { ?s ?p ?o"])
def test_parameters_cannot_change_the_query(seed_store, evil):
    assert rows(seed_store, "entity", name=evil) == []
    text, _, _ = q.bind(q.resolve("entity").text, {"name": evil})
    assert text.count("VALUES") == 1
    result = q.run_query(seed_store, "SELECT ?name WHERE { }", {"name": evil})
    assert result.column("name") == [evil]  # the value arrives intact as one literal


def test_missing_and_unknown_parameters(seed_store):
    with pytest.raises(q.QueryError, match="needs --param name"):
        q.run_query(seed_store, "entity", {})
    with pytest.raises(q.QueryError, match="unknown parameter"):
        q.run_query(seed_store, "who-hosted", {"nope": "x"})


def _oxigraph_position(text: str) -> tuple[int, int]:
    import re

    import pyoxigraph as ox

    try:
        ox.Store().query(text, prefixes={"kg": "https://w3id.org/kg/ontology#"})
    except SyntaxError as exc:
        line, col = re.search(r"(\d+):(\d+)", str(exc)).groups()
        return int(line), int(col)
    raise AssertionError("query parsed")


def test_syntax_error_names_line_and_column(seed_store, tmp_path):
    bad = tmp_path / "bad.rq"
    text = "# a broken query\nSELECT ?x WHERE { ?x a kg:Event ; ?p }\nLIMIT 3\n"
    bad.write_text(text, encoding="utf-8")
    line, col = _oxigraph_position(text)
    expected = f"bad.rq: SPARQL syntax error at line {line}, column {col}"
    with pytest.raises(q.QueryError, match=expected):
        q.run_query(seed_store, str(bad), {})
    # A bound parameter (its VALUES block goes on the error's line) does not shift the column reported.
    one_line = "SELECT ?x WHERE { ?x a kg:Event ; ?p }"
    line1, col1 = _oxigraph_position(one_line)
    assert line1 == 1 and col1 > 18
    with pytest.raises(q.QueryError, match=f"<inline>: SPARQL syntax error at line 1, column {col1}:"):
        q.run_query(seed_store, one_line, {"p": "x"})
    result = CliRunner().invoke(main, ["query", str(bad), "--store", str(seed_store.path)])
    assert result.exit_code != 0 and f"line {line}, column {col}" in result.output


def test_formats(seed_store):
    result = q.run_query(seed_store, "who-hosted", {})
    data = json.loads(q.format_result(result, "json"))
    assert data["head"]["vars"][:2] == ["host", "eventName"]
    b = data["results"]["bindings"][0]
    assert b["host"] == {"type": "literal", "value": "人民网", "xml:lang": "zh"}
    csv_text = q.format_result(result, "csv")
    assert csv_text.splitlines()[0] == "host,eventName,evidence,sentence,documents"
    tsv = q.format_result(result, "tsv")
    assert tsv.splitlines()[0].startswith("?host\t?eventName") and '"人民网"@zh' in tsv
    md = q.format_result(result, "markdown")
    assert md.startswith("| host | eventName |") and "|---|" in md


def test_table_aligns_chinese_by_display_width(seed_store):
    table = q.format_table(q.run_query(seed_store, "people", {}), max_width=30)
    lines = table.splitlines()[:-1]
    header, rule = lines[0], lines[1]
    col2 = header.index("positions")
    for line in lines[2:]:
        # Everything before the second column has the same display width on every line.
        prefix = line[: len(line) - len(line.lstrip())]  # no indentation
        assert prefix == ""
        name = line.split("  ")[0]
        assert q.display_width(line[: line.index(name) + len(name)]) <= q.display_width(header[:col2])
    assert q.display_width("人民网") == 6 and q.display_width("abc") == 3
    assert rule.startswith("─")


def test_cli_query_and_queries(seed_store):
    runner = CliRunner()
    out = runner.invoke(main, ["queries"])
    assert out.exit_code == 0 and "who-hosted" in out.output and "--param name=" in out.output
    out = runner.invoke(main, ["query", "entity", "--param", "name=人民网", "--format", "json", "--store", str(seed_store.path)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["results"]["bindings"]
    out = runner.invoke(main, ["query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Platform }", "--store", str(seed_store.path), "-f", "csv"])
    assert out.exit_code == 0 and int(out.output.splitlines()[1]) > 0
