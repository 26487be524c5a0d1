"""What a read-only SPARQL endpoint accepts: a query form, parsed, that calls no other endpoint.

The decision is made on a parse tree, not on the text: a request is
accepted only when rdflib's SPARQL 1.1 grammar reads it as SELECT, ASK,
CONSTRUCT or DESCRIBE and no SERVICE pattern occurs anywhere in the tree
(subqueries, OPTIONAL, UNION, MINUS, FILTER EXISTS included). The grammar
expands ``\\uXXXX`` escapes before parsing, as SPARQL prescribes, so an
escaped keyword is seen for what it is. Text that reads as an update (INSERT,
DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD, several joined by ``;``)
is refused with 403; text that reads as neither is refused with 400, with
Oxigraph's line and column where it can read the text without risk. A query
whose brackets nest deeper than ``MAX_NESTING`` is refused before any parse.

Oxigraph, which answers the query, has its own parser; where two parsers
could disagree, SERVICE is also looked for as a keyword in the query's code
(strings, comments, IRIs, variables and prefixed names aside), so a query
only passes when both readings are free of it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: The query forms the endpoint answers, as rdflib names them.
QUERY_FORMS = frozenset({"SelectQuery", "AskQuery", "ConstructQuery", "DescribeQuery"})

#: Update operations by rdflib's names, as the refusal names them.
_OPERATIONS = {
    "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT", "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP",
    "Create": "CREATE", "Add": "ADD", "Move": "MOVE", "Copy": "COPY",
}

#: The keyword itself, however it is followed (SERVICE <…>, SERVICE<…>, SERVICE SILENT<…>, SERVICE?e),
#: and not a variable (?service), a prefixed name (ex:service, ex:customer.service, service:x) or a
#: language tag (@service).
_SERVICE = re.compile(r"(?<![?$:@\w-])(?<![\w-]\.)SERVICE(?![\w:-])", re.IGNORECASE)

#: Frames rdflib's recursive-descent parser may use: about 11 per triple pattern of a
#: group and 40 per nested bracket, so a query of thousands of patterns still parses.
PARSER_DEPTH = 200_000
TOO_DEEP = "the query nests too deeply to be checked"

#: Brackets a query may nest: Oxigraph's parser recurses per level and overflows its
#: stack (ending the process) between 4,000 and 5,000 parentheses; real queries nest a few.
MAX_NESTING = 256


@dataclass(frozen=True)
class Refusal:
    status: int  # 400 (not a query, or SERVICE) or 403 (an update)
    message: str


SERVICE_REFUSED = Refusal(400, "SERVICE is refused: this endpoint does not query other endpoints")


def refusal(text: str) -> Refusal | None:
    """Why a read-only endpoint refuses ``text``, or None when it is a query it may run."""
    depth = nesting(text)
    if depth > MAX_NESTING:
        return Refusal(400, f"the query nests brackets {depth} deep; this endpoint reads at most {MAX_NESTING}")
    tree, error = _parse_query(text)
    if tree is None:
        return _not_a_query(text, error)
    if tree[1].name not in QUERY_FORMS:
        return Refusal(400, f"not a SPARQL query form: {tree[1].name}")
    if "ServiceGraphPattern" in set(_rule_names(tree)) or _service_keyword(text):
        return SERVICE_REFUSED
    return None


def uses_service(text: str) -> bool:
    """True when the query calls a remote endpoint with SERVICE, by its parse tree or by its keyword."""
    tree, _ = _parse_query(text)
    return _service_keyword(text) or (tree is not None and "ServiceGraphPattern" in set(_rule_names(tree)))


def _service_keyword(text: str) -> bool:
    """SERVICE as a keyword in the code, read as written and with its ``\\u`` escapes expanded."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        expanded = expandUnicodeEscapes(text)
    except ValueError:  # an escape past the last code point: the parser refuses the text anyway
        expanded = text
    return any(_SERVICE.search(_code_only(t)) for t in {text, expanded})


def nesting(text: str) -> int:
    """How deep the query's brackets ({, (, [) nest, outside strings, comments and IRIs."""
    from kg.query import _code_positions

    depth = deepest = 0
    for _, c in _code_positions(text):
        if c in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "})]":
            depth -= 1
    return deepest


def _parse_query(text: str) -> tuple[Any, str]:
    """rdflib's parse of ``text`` as a query, or None and the parser's message."""
    from rdflib.plugins.sparql.parser import parseQuery

    with _deep_recursion():
        try:
            return parseQuery(text), ""
        except RecursionError:
            return None, TOO_DEEP
        except Exception as exc:  # noqa: BLE001 - pyparsing raises several kinds; each means "not a query"
            return None, " ".join(str(exc).split())


def _not_a_query(text: str, error: str) -> Refusal:
    """403 for an update, naming its operations; 400 with the best syntax message otherwise."""
    from rdflib.plugins.sparql.parser import parseUpdate

    if error == TOO_DEEP:  # Oxigraph's parser, deeper still, would overflow its stack on it
        return Refusal(400, TOO_DEEP)
    with _deep_recursion():
        try:
            update = parseUpdate(text)
        except Exception:  # noqa: BLE001 - not an update either
            update = None
    operations = [_OPERATIONS.get(op.name, op.name) for op in update["request"]] if update and "request" in update else []
    if operations:
        listed = ", ".join(dict.fromkeys(operations))
        return Refusal(403, f"this endpoint is read-only: SPARQL UPDATE is refused ({listed})")
    if not text.strip() or update is not None:
        return Refusal(400, "no query: the request holds no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return Refusal(400, _syntax_message(text, error))


def _syntax_message(text: str, error: str) -> str:
    """Oxigraph's message (line and column, what it expected) when it can be had safely, else rdflib's.

    Oxigraph only reads text with no trace of SERVICE and no escapes, and
    over an empty store: its parse is followed by evaluation, which must
    have nothing to fetch and nothing to read.
    """
    import pyoxigraph as ox

    if "service" in text.lower() or "\\u" in text.lower():
        return f"not a SPARQL query: {error}"
    try:
        ox.Store().query(text)
    except SyntaxError as exc:
        return f"SPARQL syntax error: {exc}"
    except Exception:  # noqa: BLE001 - it parsed; whatever evaluation raised does not matter here
        pass
    return f"not a SPARQL 1.1 query this endpoint can check: {error}"


class _deep_recursion:  # noqa: N801 - used as a context manager, read as a phrase
    """Room for rdflib's recursive parser, restored afterwards."""

    def __enter__(self) -> None:
        self.saved = sys.getrecursionlimit()
        sys.setrecursionlimit(max(self.saved, PARSER_DEPTH))

    def __exit__(self, *exc: object) -> None:
        sys.setrecursionlimit(self.saved)


def _rule_names(node: Any) -> Iterator[str]:
    """The names of the grammar rules in a parse tree of rdflib's SPARQL parser."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            yield node.name
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)


def _code_only(text: str) -> str:
    """The query with comments and strings blanked out; each IRI leaves its ``<``."""
    from kg.query import _IRIREF, _code_positions

    out = [" "] * len(text)
    for i, c in _code_positions(text):
        out[i] = c
    # _code_positions skips IRIs; mark their starts again so `SERVICE <iri>` still reads as the keyword.
    for m in _IRIREF.finditer(text):
        if out[m.start()] == " ":
            out[m.start()] = "<"
    return "".join(out)
