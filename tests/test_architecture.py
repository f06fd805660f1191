"""The shape of src/analyse: the import graph has no circle, no import runs up the layers of
docs/architectuur.md, every module is on that map, and no module is longer than 700 lines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "analyse"
MAP = ROOT / "docs" / "architectuur.md"
MAX_LINES = 700


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Dotted name below ``analyse`` ('data', 'text.notation', 'export' for export/__init__.py) -> file.
    The root package itself is left out: it holds only the version."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ``known`` that ``name`` imports anywhere in its file (also inside a function), absolute or
    relative; ``from analyse.text import notation`` is an import of ``text.notation`` (not of the package
    ``text``), ``from analyse.text.notation import MISSING`` too."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "analyse":
                module = node.module.partition(".")[2]
            else:
                continue
            targets = [f"{module}.{alias.name}".strip(".") if f"{module}.{alias.name}".strip(".") in known
                       else module for alias in node.names]
        else:
            continue
        for target in targets:
            target = target.removeprefix("analyse.")
            if target in known and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def circle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a path ``[a, b, ..., a]``, or None."""
    state: dict[str, str] = {}
    trail: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        trail.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":
                return trail[trail.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        trail.pop()
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def layers(text: str) -> dict[str, int]:
    """Module -> layer number (0 = lowest) from the table of docs/architectuur.md: a row's first cell names
    a layer (empty: the layer of the row above), its second cell lists modules in backticks."""
    result, layer = {}, -1
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 3 or cells[0] in ("laag", "---"):
            continue
        if cells[0]:
            layer += 1
        for module in re.findall(r"`([a-z_.]+)`", cells[1]):
            assert module not in result, f"{module} staat twee keer in {MAP.name}"
            result[module] = layer
    return result


# --------------------------------------------------------------------------- the rules, on the real code

def test_no_import_circle():
    found = circle(graph())
    assert found is None, "importkring: " + " -> ".join(found)


def test_no_module_over_700_lines():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"langer dan {MAX_LINES} regels: {long}"


def test_the_module_map_names_every_module_and_no_other():
    mapped, code = set(layers(MAP.read_text(encoding="utf-8"))), set(modules())
    assert not code - mapped, f"niet in {MAP.name}: {sorted(code - mapped)}"
    assert not mapped - code, f"in {MAP.name} maar niet in src/analyse: {sorted(mapped - code)}"


def test_no_import_runs_up_the_layers():
    layer = layers(MAP.read_text(encoding="utf-8"))
    upward = sorted(f"{a} -> {b}" for a, targets in graph().items() for b in targets if layer[b] > layer[a])
    assert not upward, f"import naar een hogere laag van {MAP.name}: {upward}"


# --------------------------------------------------------------------------- the checks themselves

def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = tmp_path / "analyse" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return tmp_path / "analyse"


def test_the_graph_sees_every_form_of_import(tmp_path):
    package = _package(tmp_path, {
        "__init__.py": "", "a.py": "from analyse import b\n", "b.py": "def f():\n    from analyse.text import c\n",
        "text/__init__.py": "", "text/c.py": "from . import d\nfrom .d import x\n", "text/d.py": "import analyse.a\n"})
    found = modules(package)
    assert set(found) == {"a", "b", "text", "text.c", "text.d"}
    edges = {name: imports(name, path, set(found)) for name, path in found.items()}
    assert edges == {"a": {"b"}, "b": {"text.c"}, "text": set(), "text.c": {"text.d"}, "text.d": {"a"}}
    assert circle(edges) == ["a", "b", "text.c", "text.d", "a"]
    edges["text.d"] = set()
    assert circle(edges) is None


@pytest.mark.parametrize("table, expected", [
    ("| laag | module | wat |\n|---|---|---|\n| basis | `a`, `b` | x |\n| | `c` | y |\n| boven | `d` | z |\n",
     {"a": 0, "b": 0, "c": 0, "d": 1}),
    ("| laag | module | wat |\n|---|---|---|\n| basis | `a` | `e` in de uitleg telt niet |\n", {"a": 0}),
])
def test_layers_are_read_from_the_table(table, expected):
    assert layers(table) == expected
