"""The package's shape: a views module is an edge of its app, never a library for another.

(The layers themselves, which app may import which, are an import-linter contract in
pyproject.toml, run by `make lint`.)
"""

from __future__ import annotations

import grimp

WIRING = {"backstretch.urls", "backstretch.api"}


def app_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def is_views(module: str) -> bool:
    return module.rsplit(".", 1)[-1].startswith("views")


def test_no_module_imports_another_apps_views():
    graph = grimp.build_graph("backstretch", exclude_type_checking_imports=True, cache_dir=None)
    found = sorted(
        f"{importer} imports {imported}"
        for imported in graph.modules
        if is_views(imported)
        for importer in graph.find_modules_that_directly_import(imported)
        if app_of(importer) != app_of(imported) and importer not in WIRING
    )
    assert found == [], "a views module is not a library: move what they share to a model, a "
    "services or vocabulary module\n" + "\n".join(found)
