"""The naming rule of docs/architectuur.md: identifiers in src/analyse are English; Dutch only where a name is a
data word (a column or catalogue of the data contract, a column of a published table) or a notebook parameter,
and in the notebook API of analyse.theme that researchers type.

Which word is Dutch is read from the project itself: the words of its Dutch texts (messages in the code that
read as Dutch, the README, docs/ and the notebooks' prose), less every word that also occurs in English text
(Python's own documentation and the package's docstrings and comments, quotations left out)."""

from __future__ import annotations

import ast
import dataclasses
import io
import json
import re
import tokenize
from pathlib import Path

import pydoc_data.topics
import pytest

from analyse import group_gaps, parameters, register, schema, trends

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "analyse"
NOTEBOOK_API = {"theme.py"}
"""Modules whose names researchers type in a notebook; Dutch by design (see its module docstring)."""
ENGLISH_TOO = {"contact", "db", "desktop", "diff", "env", "intro", "jobs", "lang", "pad", "pending", "quick", "readme",
               "soffice", "stat", "tag", "unconfirmed"}
"""English words, abbreviations and program names that also occur in the project's Dutch texts."""

WORD = re.compile(r"[a-zà-ÿ]+")
QUOTED = re.compile(r"``[^`]*``|\"[^\"]*\"|'[^']*'")
DUTCH_MARKERS = {"de", "het", "een", "van", "niet", "geen", "zijn", "voor", "met", "ook", "naar", "wordt", "dan", "bij"}


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py"))}


def _docstring_nodes(tree: ast.Module) -> set[int]:
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and ast.get_docstring(node, clean=False) is not None}


def _words(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


def english_words(trees: dict[Path, ast.Module]) -> set[str]:
    words = _words(" ".join(pydoc_data.topics.topics.values()))
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                words |= _words(QUOTED.sub(" ", ast.get_docstring(node) or ""))
        source = path.read_text(encoding="utf-8")
        words |= {w for token in tokenize.generate_tokens(io.StringIO(source).readline)
                  if token.type == tokenize.COMMENT for w in _words(QUOTED.sub(" ", token.string))}
    return words


def dutch_words(trees: dict[Path, ast.Module]) -> set[str]:
    texts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    texts += [path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md"))]
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        texts += ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]
    for tree in trees.values():
        docstrings = _docstring_nodes(tree)
        texts += [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                  and isinstance(node.value, str) and id(node) not in docstrings]
    return {word for text in texts if _words(text) & DUTCH_MARKERS for word in _words(text)}


def data_words() -> set[str]:
    """Column and catalogue names of the data contract, the columns of trends.csv and of the register, and the
    notebook parameters."""
    words = {*schema.REQUIRED, *schema.OPTIONAL, *register.COLUMNS}
    for name, columns in schema.CATALOGUES.items():
        words |= {name.removesuffix(".csv"), *columns}
    for columns in schema.OPTIONAL_CATALOGUE_COLUMNS.values():
        words |= set(columns)
    for record in (trends.TrendResult, trends.Projection, group_gaps.GapResult):
        words |= {field.name for field in dataclasses.fields(record)}
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        words |= set(parameters.declared(notebook))
    return words


def identifiers(tree: ast.Module):
    """(name, line) of every function, parameter, class, class field and assigned name."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            yield node.name, node.lineno
            yield from ((a.arg, node.lineno) for a in [*args.posonlyargs, *args.args, *args.kwonlyargs])
        elif isinstance(node, ast.ClassDef):
            yield node.name, node.lineno
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            yield node.target.id, node.lineno
        elif isinstance(node, (ast.Assign, ast.For, ast.comprehension)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                yield from ((n.id, n.lineno) for n in ast.walk(target) if isinstance(n, ast.Name))


def parts(name: str) -> list[str]:
    """'KeyFigure' -> ['key', 'figure']; '_wijk_table' -> ['wijk', 'table']."""
    return [p for p in re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower().split("_") if p]


def dutch_identifiers(trees, dutch: set[str], english: set[str], allowed: set[str]) -> list[str]:
    suspect = dutch - english - ENGLISH_TOO - {w for w in allowed if "_" not in w}
    found = []
    for path, tree in trees.items():
        if path.name in NOTEBOOK_API:
            continue
        for name, line in identifiers(tree):
            words = [w for w in parts(name) if w in suspect]
            if words and name not in allowed:
                found.append(f"{path.relative_to(PACKAGE)}:{line} {name} ({', '.join(words)})")
    return sorted(set(found))


@pytest.fixture(scope="module")
def vocabulary():
    trees = _trees()
    return trees, dutch_words(trees), english_words(trees), data_words()


def test_identifiers_are_english_except_data_words(vocabulary):
    trees, dutch, english, allowed = vocabulary
    assert dutch_identifiers(trees, dutch, english, allowed) == []


@pytest.mark.parametrize("source", [
    "def evaluate(target, eind_jaar=None): ...",  # a notebook parameter name inside the library
    "def series_notes(*, breuk=False): ...",
    "DUTCH_KOLOMMEN = ['jaar', 'waarde']",
    "class Drawing:\n    doel: tuple = ()",
])
def test_the_rule_finds_a_dutch_name(vocabulary, source):
    trees, dutch, english, allowed = vocabulary
    allowed = allowed - {"eind_jaar"}  # as if eind_jaar were no notebook parameter
    found = dutch_identifiers({PACKAGE / "example.py": ast.parse(source)}, dutch, english, allowed)
    assert len(found) == 1, found


def test_data_words_and_english_names_pass(vocabulary):
    trees, dutch, english, allowed = vocabulary
    source = ("def compare(regio, groep, jaar, end_year, target, reden_code=None): ...\n"
              "class Row:\n    helling: float = 0.0\n    opmerking_codes: tuple = ()\n")
    assert dutch_identifiers({PACKAGE / "example.py": ast.parse(source)}, dutch, english, allowed) == []
