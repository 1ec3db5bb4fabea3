"""The import rule of helpers/ (see ARCHITECTURE.md), read from the source with ``ast``.

* core (``_validate conv layers init gradcheck data filters metrics cnn``) imports only core;
* presentation (``plots widgets feedback``) imports core and presentation;
* a lesson package (``lessonNN``) imports core, presentation and itself, never another lesson.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

HELPERS = Path(__file__).resolve().parents[1] / "helpers"
CORE = {"_validate", "conv", "layers", "init", "gradcheck", "data", "filters", "metrics", "cnn"}
PRESENTATION = {"plots", "widgets", "feedback"}
# Imports that break the rule today, each with the commit that removes it. Keep this empty.
KNOWN_EXCEPTIONS: set = set()


def _unit(path: Path) -> str:
    """'conv' for helpers/conv.py, 'lesson02' for anything in helpers/lesson02/."""
    rel = path.relative_to(HELPERS)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _layer(unit: str) -> str:
    if unit in CORE:
        return "core"
    if unit in PRESENTATION:
        return "presentation"
    if unit.startswith("lesson") and unit[6:].isdigit():
        return "lesson"
    return "unknown"


def _imported_units(source: str, package: tuple[str, ...]) -> set[str]:
    """The helpers units that ``source`` imports, absolute (``helpers.x``) or relative (``.x``, ``..x``).

    ``package`` is the importing module's package, e.g. ``("helpers", "lesson02")``.
    """
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = list(package[:len(package) - node.level + 1]) if node.level else []
            module = base + (node.module.split(".") if node.module else [])
            targets = [module + [alias.name] for alias in node.names] if module == ["helpers"] else [module]
        else:
            continue
        found.update(parts[1] for parts in targets if parts[0] == "helpers" and len(parts) > 1)
    return found


def _imports_of(path: Path) -> set[str]:
    package = path.relative_to(HELPERS.parent).parts[:-1]          # ('helpers', 'lesson02')
    return _imported_units(path.read_text(encoding="utf-8"), package)


MODULES = sorted(p for p in HELPERS.rglob("*.py") if p.name != "__init__.py" or p.parent != HELPERS)


def test_every_module_has_a_layer():
    unknown = sorted({_unit(p) for p in MODULES if _layer(_unit(p)) == "unknown"})
    assert not unknown, (f"{unknown} are in no layer: put core code in CORE, presentation in "
                         "PRESENTATION, lesson code in helpers/lessonNN/ (tests/test_architecture.py)")


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(HELPERS)) for p in MODULES])
def test_import_rule(path):
    unit = _unit(path)
    layer = _layer(unit)
    allowed = {"core": CORE, "presentation": CORE | PRESENTATION,
               "lesson": CORE | PRESENTATION | {unit}}[layer]
    imported = _imports_of(path) - {unit}
    bad = sorted(u for u in imported if u not in allowed and (unit, u) not in KNOWN_EXCEPTIONS)
    assert not bad, f"helpers/{path.relative_to(HELPERS)} ({layer}) imports {bad}, which a {layer} module must not"


def test_the_checker_finds_every_import_form():
    """The checker itself: relative, absolute, package-level and deferred imports are all found."""
    source = ("from ..lesson04 import init_schemes\nfrom .. import conv, plots\nfrom . import peaks\n"
              "import helpers.lesson05.backprop\nfrom helpers import cnn\nfrom .._validate import as_int\n"
              "def f():\n    from ..layers import relu_forward\n")
    assert _imported_units(source, ("helpers", "lesson02")) == {
        "lesson04", "conv", "plots", "lesson02", "lesson05", "cnn", "_validate", "layers"}
    assert _imported_units("from . import plots\nfrom .init import fans\n", ("helpers",)) == {"plots", "init"}


def test_known_exceptions_are_still_needed():
    """An exception that no longer happens must be deleted from the list."""
    for unit, target in KNOWN_EXCEPTIONS:
        sources = [p for p in MODULES if _unit(p) == unit]
        assert any(target in _imports_of(p) for p in sources), (unit, target)
