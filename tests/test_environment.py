"""The environment can be rebuilt: one list of packages, one lock, and code that imports what it declares.

- ``requirements.lock`` (``make lock``) pins every package ``pyproject.toml`` names, with hashes, at a
  version its lower bound allows; ``environment.yml`` (the conda route) pins the same versions.
- ``make report``/``make test`` install from the lock and install again when it changes.
- What ``src/analyse``, the notebooks, ``benchmarks/`` and ``scripts/`` import is a dependency in
  ``pyproject.toml``; what ``tests/`` imports is a dependency or a test extra; every dependency is used.
- The analysis reaches no private name of a library (those change without notice in an upgrade).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
import warnings
from importlib.metadata import entry_points, packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
STAMP = ".venv/.installed"

# Declared, use pending: a package the project names before the code imports it. Remove it from this set as soon as
# the code imports it (test_every_declared_package_is_used then fails for as long as it stays listed).
DECLARED_USE_PENDING: set[str] = set()
# Modules that come with LibreOffice's own Python, which runs export/uno_pdf.py (and the check in export/pdf.py
# that a Python can `import uno`); never installed into the project's environment.
LIBREOFFICE_PYTHON = {"uno", "com"}


def normalise(name: str) -> str:
    """A distribution's name as pip and uv compare it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> tuple[dict[str, str], dict[str, str]]:
    """pyproject.toml's dependencies and test extras: name -> lower bound (``"3.0"`` from ``pandas>=3.0``)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def bounds(requirements: list[str]) -> dict[str, str]:
        found = {}
        for requirement in requirements:
            match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9_.\-]*)>=([\d.]+)", requirement.replace(" ", ""))
            assert match, f"pyproject.toml: '{requirement}' heeft niet de vorm naam>=versie"
            found[normalise(match[1])] = match[2]
        return found

    return bounds(project["dependencies"]), bounds(project["optional-dependencies"]["test"])


def locked() -> dict[str, str]:
    """requirements.lock: name -> exact version; every pin carries at least one hash."""
    text = LOCK.read_text(encoding="utf-8")
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9_.\-]*)==(\S+)", text, re.MULTILINE)
    unhashed = [name for name, version in pins
                if not re.search(rf"^{re.escape(name)}=={re.escape(version)} \\\n\s+--hash=sha256:[0-9a-f]{{64}}",
                                 text, re.MULTILINE)]
    assert not unhashed, f"requirements.lock: zonder hash: {unhashed}; maak het opnieuw met `make lock`"
    return {normalise(name): version for name, version in pins}


def conda_pins() -> tuple[dict[str, str], list[str]]:
    """environment.yml: name -> version of each ``name==version``, and the other entries under dependencies."""
    pins, others = {}, []
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for line in text.split("dependencies:", 1)[1].splitlines():
        item = line.strip()
        if not item.startswith("- "):
            continue
        match = re.fullmatch(r"- ([A-Za-z0-9][A-Za-z0-9_.\-]*)==(\S+)", item)
        if match:
            pins[normalise(match[1])] = match[2]
        else:
            others.append(item)
    return pins, others


def release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.match(r"\d+(?:\.\d+)*", version)[0].split("."))


def test_the_lock_and_environment_yml_pin_every_declared_package_at_the_same_version():
    dependencies, test_extras = declared()
    lock = locked()
    pins, others = conda_pins()
    wanted = {**dependencies, **test_extras}
    assert not set(wanted) - set(lock), (
        f"in pyproject.toml, niet in requirements.lock: {sorted(set(wanted) - set(lock))}; draai `make lock`")
    too_old = {name: (lock[name], bound) for name, bound in wanted.items() if release(lock[name]) < release(bound)}
    assert not too_old, f"requirements.lock: versie onder de ondergrens van pyproject.toml: {too_old}"
    expected = {name: lock[name] for name in wanted}
    assert pins == expected, (
        "environment.yml noemt niet dezelfde pakketten en versies als pyproject.toml en requirements.lock: "
        f"anders in environment.yml {sorted(set(pins.items()) - set(expected.items()))}, "
        f"verwacht {sorted(set(expected.items()) - set(pins.items()))}")
    python = re.search(r"--python-version (\S+)", (ROOT / "Makefile").read_text(encoding="utf-8"))[1]
    assert others == [f"- python={python}", "- pip", "- pip:", "- -e ."], (
        f"environment.yml: Python {python} (waarvoor de lock gemaakt is), pip, en het project zelf via pip -e .")


def make_question(folder: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "-C", str(folder), *arguments],
                          capture_output=True, text=True, timeout=30)


@pytest.mark.skipif(shutil.which("make") is None, reason="make ontbreekt")
def test_make_installs_from_the_lock_and_installs_again_when_it_changes(tmp_path):
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, tmp_path / name)
    plan = make_question(tmp_path, "-n", "test").stdout
    assert "--require-hashes --no-deps -r requirements.lock" in plan and "--no-deps -e ." in plan
    assert plan.index("-r requirements.lock") < plan.index("-m pytest")
    stamp = tmp_path / STAMP
    stamp.parent.mkdir()
    stamp.touch()
    now = stamp.stat().st_mtime
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        os.utime(tmp_path / name, (now - 60, now - 60))
    assert make_question(tmp_path, "-q", STAMP).returncode == 0, "an installed .venv is left alone"
    os.utime(tmp_path / "requirements.lock", (now + 60, now + 60))
    assert make_question(tmp_path, "-q", STAMP).returncode == 1, "a changed lock installs .venv again"


# --------------------------------------------------------------------------- imported and declared

def imported_modules(source: str) -> set[str]:
    """The top-level modules ``source`` imports: import statements, code it runs from a string (``python -c``,
    a kernel) and ``-m MODULE`` in a command list."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "import " in node.value:
            try:
                found |= imported_modules(textwrap.dedent(node.value))
            except SyntaxError:  # prose that mentions an import, not code
                pass
        elif isinstance(node, (ast.List, ast.Tuple)):
            items = [e.value if isinstance(e, ast.Constant) else None for e in node.elts]
            found |= {module.split(".")[0] for flag, module in zip(items, items[1:])
                      if flag == "-m" and isinstance(module, str)}
    return found


def notebook_code(path: Path) -> str:
    from IPython.core.inputtransformer2 import TransformerManager  # magics become plain Python

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join(TransformerManager().transform_cell("".join(c["source"]))
                     for c in cells if c["cell_type"] == "code")


OWN_SCRIPT_FOLDERS = ("benchmarks", "scripts", "tests")
"""The project's own script folders: a test may put one on sys.path and import a script from it."""


def imports(paths: list[Path]) -> dict[str, tuple[set[str], set[str]]]:
    """Imported module -> (the distributions that provide it, the files that import it); the standard library,
    the project itself and a script's own modules left out."""
    providers = packages_distributions()
    found: dict[str, tuple[set[str], set[str]]] = {}
    for path in paths:
        source = notebook_code(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
        for module in imported_modules(source):
            # a script's own folder is on sys.path (tests/, benchmarks/); a package's modules import absolutely
            script = not (path.parent / "__init__.py").exists()
            local = script and ((path.parent / f"{module}.py").exists() or (path.parent / module).is_dir()
                                or any((ROOT / folder / f"{module}.py").exists() for folder in OWN_SCRIPT_FOLDERS))
            if module in sys.stdlib_module_names | LIBREOFFICE_PYTHON or local or (ROOT / "src" / module).is_dir():
                continue
            names = providers.get(module)
            assert names, f"{path.relative_to(ROOT)} importeert {module}, dat geen geïnstalleerd pakket levert"
            found.setdefault(module, ({normalise(n) for n in names}, set()))[1].add(str(path.relative_to(ROOT)))
    return found


def distributions(found: dict[str, tuple[set[str], set[str]]]) -> set[str]:
    return set().union(*(names for names, _ in found.values()))


def analysis_files() -> list[Path]:
    return (sorted((ROOT / "src" / "analyse").rglob("*.py")) + sorted((ROOT / "notebooks").glob("*.ipynb"))
            + sorted((ROOT / "benchmarks").glob("*.py")) + sorted((ROOT / "scripts").glob("*.py")))


def files_of_tests() -> list[Path]:
    return sorted((ROOT / "tests").rglob("*.py"))


def undeclared(found: dict[str, tuple[set[str], set[str]]], allowed: set[str]) -> dict[str, list[str]]:
    """Module (and its distributions) -> the files importing it, for modules no allowed distribution provides."""
    return {f"{module} ({', '.join(sorted(names))})": sorted(files)
            for module, (names, files) in found.items() if not names & allowed}


def test_what_the_analysis_and_the_tests_import_is_declared():
    dependencies, test_extras = declared()
    missing = undeclared(imports(analysis_files()), set(dependencies))
    assert not missing, f"geïmporteerd maar niet in [project] dependencies van pyproject.toml: {missing}"
    missing = undeclared(imports(files_of_tests()), set(dependencies) | set(test_extras))
    assert not missing, f"geïmporteerd in tests/, niet in dependencies of de extra 'test': {missing}"


def commands_run_by_make() -> set[str]:
    """Distributions whose commands the Makefile runs from .venv/bin (jupytext, say)."""
    names = set(re.findall(r"\$\(BIN\)/([\w.\-]+)", (ROOT / "Makefile").read_text(encoding="utf-8")))
    return {normalise(ep.dist.name) for ep in entry_points(group="console_scripts") if ep.name in names}


def plugins_of_pytest() -> set[str]:
    return {normalise(ep.dist.name) for ep in entry_points(group="pytest11")}


def test_every_declared_package_is_used():
    dependencies, test_extras = declared()
    used = distributions(imports(analysis_files())) | commands_run_by_make()
    assert DECLARED_USE_PENDING <= set(dependencies), "DECLARED_USE_PENDING noemt alleen gedeclareerde pakketten"
    now_used = DECLARED_USE_PENDING & used
    assert not now_used, f"{sorted(now_used)} wordt nu gebruikt: haal het uit DECLARED_USE_PENDING in deze test"
    unused = set(dependencies) - used - DECLARED_USE_PENDING
    assert not unused, f"in pyproject.toml maar nergens geïmporteerd of als opdracht gebruikt: {sorted(unused)}"
    unused = set(test_extras) - distributions(imports(files_of_tests())) - plugins_of_pytest()
    assert not unused, f"in de extra 'test' maar niet gebruikt in tests/: {sorted(unused)}"
    for name in sorted(DECLARED_USE_PENDING):
        warnings.warn(f"{name} staat in pyproject.toml maar wordt nog niet geïmporteerd (DECLARED_USE_PENDING)",
                      stacklevel=1)


def test_the_analysis_reaches_no_private_name_of_a_library():
    """``from lib import _x``, ``import lib._x`` or ``name._x`` on a name imported from a library. (Private
    attributes of objects a library returns, such as python-docx's ``run._r``, are beyond what this sees.)"""
    found = []
    for path in analysis_files():
        if path.suffix != ".py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        library: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and not (isinstance(node, ast.ImportFrom) and node.level):
                module = getattr(node, "module", None)
                for alias in node.names:
                    full = f"{module}.{alias.name}" if module else alias.name
                    if full.split(".")[0] in sys.stdlib_module_names | {"analyse"}:
                        continue
                    library[(alias.asname or alias.name).split(".")[0]] = full
                    if any(part.startswith("_") and not part.startswith("__") for part in full.split(".")):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} {full}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                root = node.value
                while isinstance(root, ast.Attribute):
                    root = root.value
                if isinstance(root, ast.Name) and root.id in library:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}")
    assert not found, f"privénamen van een bibliotheek: {found}"
