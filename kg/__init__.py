"""kg: knowledge graphs from Chinese news, every fact traced to its sentence.

The library is the product; the ``kg`` command is a thin shell over it::

    import kg

    for fact in kg.extract(["data/seeds"]):
        print(fact.to_json())             # the JSON form docs/facts.md describes
    report = kg.build(["data/seeds"], "out")  # graph files and an Oxigraph store in out/

Both are :mod:`kg.pipeline` functions, imported on first use so that
``import kg`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["build", "extract", "__version__"]

if TYPE_CHECKING:
    from kg.pipeline import build, extract


def __getattr__(name: str) -> Any:
    if name in ("build", "extract"):
        from kg import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
