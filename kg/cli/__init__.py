"""The ``kg`` command line: one thin click command per library call.

Each submodule registers its commands on ``main``; the work is done in
the library modules they import.
"""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """Build and explore knowledge graphs from Chinese news."""


def _register() -> None:
    import importlib
    import pkgutil

    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{info.name}")


_register()
