"""What an install brings: the base dependencies against kg's imports, and pyvis's one pin."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from kg import viz

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

#: Libraries kg imports that are rightly not base dependencies, and why.
NOT_BASE = {
    "pyspark": "the spark extra: only kg.spark imports it, to run a build on Spark",
    "thinc": "spaCy's layer library, pinned by the spaCy the base names",
}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[;\s]", requirement, maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def _imports() -> set[str]:
    """The top-level modules kg's code imports, the standard library's left out."""
    names: set[str] = set()
    for path in (ROOT / "kg").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"kg"}


def test_every_library_kg_imports_is_a_base_dependency() -> None:
    declared = {_name(r) for r in PROJECT["dependencies"]}
    providers = packages_distributions()
    imported = _imports()
    assert {"jinja2", "markupsafe", "networkx"} <= imported
    undeclared = {m: providers.get(m) for m in imported - set(NOT_BASE)
                  if not {_name(d) for d in providers.get(m, [m])} & declared}
    assert undeclared == {}


def test_the_base_install_leaves_out_what_only_the_tests_and_pyvis_code_need() -> None:
    base = {_name(r) for r in PROJECT["dependencies"]}
    assert not base & {"pyvis", "ipython", "pyshacl"}
    extras = PROJECT["optional-dependencies"]
    assert "pyshacl" in {_name(r) for r in extras["dev"]}
    # one pin of pyvis: the extra, the tests' tools, the Makefile and kg viz's message agree
    assert extras["viz"] == [viz.VIS_REQUIREMENT] and viz.VIS_REQUIREMENT in extras["dev"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"PYVIS := {viz.VIS_REQUIREMENT}\n" in makefile
    assert re.search(r"^\t\S*pip\S* install [^\n]*--no-deps '\$\(PYVIS\)'$", makefile, re.M | re.I)
