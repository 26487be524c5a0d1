"""Named SPARQL queries, parameters bound as RDF terms, and result formatting.

A named query is ``queries/<name>.rq``. Its leading comment lines say what it
answers; ``# param: name — description`` lines declare its parameters
(``(optional)`` at the end of the description makes one optional).

Parameters never touch the query text: each value becomes an RDF literal in
a ``VALUES`` block placed at the start of the outer ``WHERE`` group, binding
``?name`` to ``"value"`` (xsd:string) and ``?name_zh`` to ``"value"@zh``
(labels in the graph are Chinese-tagged, so patterns can match them
directly) and ``?name_term`` to the ontology term ``kg:value`` (percent-encoded,
for class and property names such as ``Platform`` or ``hosted``). The literal is serialised by Oxigraph with N-Triples escaping, so
a value holding ``"``, ``}`` or ``>`` is still one literal.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pyoxigraph as ox

from kg.namespace import KG, PREFIXES
from kg.paths import QUERIES_DIR

FORMATS = ("table", "csv", "tsv", "json", "markdown")


class QueryError(Exception):
    """A query that cannot run: unknown name, missing parameter, syntax error (with line and column)."""


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    optional: bool = False


@dataclass(frozen=True)
class NamedQuery:
    """One ``queries/*.rq`` file: its name, what it answers, its parameters and text."""

    name: str
    path: Path
    description: str
    params: tuple[Param, ...]
    text: str


@dataclass
class QueryResult:
    """Rows of a SELECT (pyoxigraph terms or None), the answer of an ASK, or CONSTRUCT triples."""

    variables: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None

    def column(self, name: str) -> list[str | None]:
        """One column as plain strings (lexical values), for tests and scripts."""
        i = self.variables.index(name)
        return [None if r[i] is None else r[i].value for r in self.rows]

    def records(self) -> list[dict[str, str | None]]:
        return [{v: (None if t is None else t.value) for v, t in zip(self.variables, r, strict=True)} for r in self.rows]


# --------------------------------------------------------------------------- named queries

_PARAM = re.compile(r"^#\s*param:\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:[—–-]+\s*)?(.*)$")


def parse_header(text: str) -> tuple[str, tuple[Param, ...]]:
    """The description and parameters declared in a query's leading comment lines."""
    lines: list[str] = []
    params: list[Param] = []
    for line in text.splitlines():
        s = line.strip()
        if not s:
            if lines or params:
                break
            continue
        if not s.startswith("#"):
            break
        m = _PARAM.match(s)
        if m:
            desc = m.group(2).strip()
            optional = desc.endswith("(optional)")
            params.append(Param(m.group(1), desc.removesuffix("(optional)").strip(), optional))
        elif not params:
            lines.append(s.lstrip("#").strip())
    return " ".join(x for x in lines if x), tuple(params)


def load(path: str | Path) -> NamedQuery:
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    description, params = parse_header(text)
    return NamedQuery(p.stem, p, description, params, text)


def named_queries(directory: str | Path = QUERIES_DIR) -> list[NamedQuery]:
    """Every named query, sorted by name."""
    return [load(p) for p in sorted(Path(directory).glob("*.rq"))]


def resolve(name_or_path_or_text: str, directory: str | Path = QUERIES_DIR) -> NamedQuery:
    """A named query by name, a query file by path, or inline query text."""
    candidate = Path(directory) / f"{name_or_path_or_text}.rq"
    if re.fullmatch(r"[\w.-]+", name_or_path_or_text) and candidate.is_file():
        return load(candidate)
    if "\n" not in name_or_path_or_text and len(name_or_path_or_text) < 4096:
        p = Path(name_or_path_or_text)
        if p.suffix in (".rq", ".sparql", ".txt") or p.is_file():
            if not p.is_file():
                raise QueryError(f"{p}: no such query file (named queries: {', '.join(q.name for q in named_queries(directory))})")
            return load(p)
    if not re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", name_or_path_or_text, re.IGNORECASE):
        names = ", ".join(q.name for q in named_queries(directory))
        raise QueryError(f"{name_or_path_or_text!r} is neither a named query ({names}), a query file nor a SPARQL query")
    description, params = parse_header(name_or_path_or_text)
    return NamedQuery("<inline>", Path("<inline>"), description, params, name_or_path_or_text)


# --------------------------------------------------------------------------- binding

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_KEYWORD = re.compile(r"(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE)


def _code_positions(text: str):
    """Yield (index, char) of the query text outside comments, strings and IRIs."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in "\"'":
            quote3 = text[i : i + 3]
            if quote3 in ('"""', "'''"):
                j = text.find(quote3, i + 3)
                i = n if j < 0 else j + 3
                continue
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == "<":
            m = _IRIREF.match(text, i)
            if m:
                i = m.end()
                continue
        yield i, c
        i += 1


def where_position(text: str) -> int:
    """Index just after the ``{`` that opens the outer WHERE group (skipping a CONSTRUCT template)."""
    form = None
    depth = 0
    skip_template = False
    for i, c in _code_positions(text):
        if form is None:
            if c.isalpha() and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_:?$")):
                m = _KEYWORD.match(text, i)
                if m:
                    form = m.group(1).upper()
                    if form == "CONSTRUCT":
                        rest = text[m.end():].lstrip()
                        skip_template = rest.startswith("{")
            continue
        if c == "{":
            if skip_template:
                depth += 1
                continue
            return i + 1
        if c == "}" and skip_template:
            depth -= 1
            if depth == 0:
                skip_template = False
    raise QueryError("parameters need a query with a WHERE { … } group")


def _literal_pair(value: str) -> tuple[ox.Literal, ox.Literal]:
    return ox.Literal(value), ox.Literal(value, language="zh")


def bind_terms(text: str, terms: Mapping[str, Any]) -> tuple[str, int, int]:
    """The query with ``VALUES (?a ?b) { (term term) }`` opening its WHERE group.

    Returns the text, where the block went and its length (to map error
    positions back). Terms are pyoxigraph terms, written in N-Triples syntax.
    """
    if not terms:
        return text, -1, 0
    for name in terms:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"parameter name {name!r} is not a SPARQL variable name")
    block = f" VALUES ({' '.join('?' + n for n in terms)}) {{ ({' '.join(str(t) for t in terms.values())}) }} "
    pos = where_position(text)
    return text[:pos] + block + text[pos:], pos, len(block)


def bind(text: str, params: Mapping[str, str]) -> tuple[str, int, int]:
    """Bind each parameter ``p`` as ``?p`` = ``"value"``, ``?p_zh`` = ``"value"@zh`` and ``?p_term`` = ``kg:value``."""
    terms: dict[str, Any] = {}
    for name, value in params.items():
        plain, zh = _literal_pair(str(value))
        terms[name] = plain
        terms[f"{name}_zh"] = zh
        terms[f"{name}_term"] = ox.NamedNode(str(KG) + quote(str(value), safe=""))
    return bind_terms(text, terms)


def _check_params(q: NamedQuery, params: Mapping[str, str]) -> None:
    named = q.path.parent.resolve() == QUERIES_DIR.resolve()
    if not q.params and not named:
        return  # an ad-hoc query: any parameter binds the variable of that name
    declared = {p.name for p in q.params}
    unknown = sorted(set(params) - declared)
    if unknown:
        known = ", ".join(sorted(declared)) or "none"
        raise QueryError(f"{q.name}: unknown parameter {', '.join(unknown)} (parameters: {known})")
    missing = [p.name for p in q.params if not p.optional and p.name not in params]
    if missing:
        usage = " ".join(f"--param {m}=…" for m in missing)
        raise QueryError(f"{q.name}: needs {usage}")


#: How Oxigraph (and so ``kg serve``) places a syntax error in its message: line and column.
ERROR_POSITION = re.compile(r"error at (\d+):(\d+)")


def _syntax_error(q: NamedQuery, exc: SyntaxError, text: str, pos: int, length: int) -> QueryError:
    message = str(exc)
    m = ERROR_POSITION.search(message)
    where = q.name if q.name == "<inline>" else str(q.path)
    if not m:
        return QueryError(f"{where}: SPARQL syntax error: {message}")
    line, col = int(m.group(1)), int(m.group(2))
    if pos >= 0:  # map positions after the injected VALUES block back to the user's text
        inj_line = text.count("\n", 0, pos) + 1
        inj_col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        if line == inj_line and col > inj_col:
            col = max(inj_col, col - length)
    detail = ERROR_POSITION.sub("", message).strip(" :")
    return QueryError(f"{where}: SPARQL syntax error at line {line}, column {col}: {detail}")


def run_query(store: Any, name_or_path_or_text: str | NamedQuery, params: Mapping[str, str] | None = None) -> QueryResult:
    """Run a named query, a query file or query text over the union of the store's graphs."""
    q = name_or_path_or_text if isinstance(name_or_path_or_text, NamedQuery) else resolve(name_or_path_or_text)
    params = dict(params or {})
    _check_params(q, params)
    text, pos, length = bind(q.text, params)
    if hasattr(store, "engine"):
        inner, options = store.engine(text)
    else:
        inner, options = store, {"use_default_graph_as_union": True}
    try:
        result = inner.query(text, prefixes={k: str(v) for k, v in PREFIXES.items()}, **options)
    except SyntaxError as exc:
        raise _syntax_error(q, exc, q.text, pos, length) from None
    return collect(result)


def collect(result: Any) -> QueryResult:
    """A pyoxigraph result as a ``QueryResult``."""
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [tuple(sol) for sol in result]  # a solution iterates over its values, None where unbound
        return QueryResult(variables, rows)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult([], boolean=bool(result))
    return QueryResult(["subject", "predicate", "object"], triples=list(result))


# --------------------------------------------------------------------------- formatting

_PREFIX_ORDER = sorted(((str(ns), name) for name, ns in PREFIXES.items()), key=lambda x: -len(x[0]))


def short(term: Any) -> str:
    """A readable cell: literal value, or an IRI as prefix:name with percent-encoding decoded."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        for ns, name in _PREFIX_ORDER:
            if iri.startswith(ns):
                return f"{name}:{unquote(iri[len(ns):])}"
        return unquote(iri)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


def _clip(text: str, width: int | None) -> str:
    text = " ".join(text.split())
    if width is None or display_width(text) <= width:
        return text
    out, used = [], 0
    for c in text:
        w = display_width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def format_table(result: QueryResult, max_width: int | None = 60) -> str:
    """Columns aligned by display width, so Chinese text lines up."""
    if result.boolean is not None:
        return "yes" if result.boolean else "no"
    if result.triples is not None:
        return format_rdf(result)
    header = result.variables
    cells = [[_clip(short(t), max_width) for t in row] for row in result.rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("─" * w for w in widths))
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines)


def format_markdown(result: QueryResult) -> str:
    if result.boolean is not None:
        return "yes" if result.boolean else "no"
    if result.triples is not None:
        return "```turtle\n" + format_rdf(result) + "\n```"

    def esc(s: str) -> str:
        return " ".join(s.split()).replace("\\", "\\\\").replace("|", "\\|")

    lines = ["| " + " | ".join(result.variables) + " |", "|" + "|".join("---" for _ in result.variables) + "|"]
    lines += ["| " + " | ".join(esc(short(t)) for t in row) + " |" for row in result.rows]
    return "\n".join(lines)


def _lexical(term: Any) -> str:
    return "" if term is None else (f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value)


def format_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV: a header of variable names, plain values."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if result.boolean is not None:
        w.writerow(["boolean"])
        w.writerow(["true" if result.boolean else "false"])
    else:
        rows = result.rows if result.triples is None else [(t.subject, t.predicate, t.object) for t in result.triples]
        w.writerow(result.variables)
        w.writerows([_lexical(t) for t in row] for row in rows)
    return buf.getvalue()


def format_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV: ``?var`` header, terms in N-Triples syntax."""
    if result.boolean is not None:
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    rows = result.rows if result.triples is None else [(t.subject, t.predicate, t.object) for t in result.triples]
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def term_json(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def results_json(result: QueryResult) -> dict[str, Any]:
    """SPARQL 1.1 Query Results JSON as a dict."""
    if result.boolean is not None:
        return {"head": {}, "boolean": result.boolean}
    rows = result.rows if result.triples is None else [(t.subject, t.predicate, t.object) for t in result.triples]
    bindings = [{v: term_json(t) for v, t in zip(result.variables, row, strict=True) if t is not None} for row in rows]
    return {"head": {"vars": result.variables}, "results": {"bindings": bindings}}


def format_json(result: QueryResult) -> str:
    return json.dumps(results_json(result), ensure_ascii=False, indent=1)


def format_rdf(result: QueryResult) -> str:
    """CONSTRUCT/DESCRIBE results as Turtle with the project's prefixes."""
    data = ox.serialize(result.triples or [], format=ox.RdfFormat.TURTLE, prefixes={k: str(v) for k, v in PREFIXES.items()})
    return data.decode("utf-8").rstrip()


def format_result(result: QueryResult, fmt: str = "table", max_width: int | None = 60) -> str:
    """Render a result as table, csv, tsv, json or markdown."""
    if fmt == "table":
        return format_table(result, max_width)
    if fmt == "csv":
        return format_csv(result)
    if fmt == "tsv":
        return format_tsv(result)
    if fmt == "json":
        return format_json(result)
    if fmt in ("markdown", "md"):
        return format_markdown(result)
    raise QueryError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def describe(queries: Sequence[NamedQuery]) -> str:
    """What ``kg queries`` prints: each named query, what it answers, its parameters."""
    out = []
    for q in queries:
        out.append(f"{q.name}\n    {q.description}")
        for p in q.params:
            out.append(f"    --param {p.name}=…  {p.description}{' (optional)' if p.optional else ''}")
    return "\n".join(out)
