"""The one cache mechanism: a key on content, and a record of what was made under it, checked before reuse.

Everything ``analyse run`` reuses instead of making again (the processed table, a theme's reports, a drawn
figure) is reused on two conditions:

1. **The key is the same.** A key (:func:`key`) is a SHA-256 over what makes the output: the data the step
   reads, its arguments, the code that runs it (:func:`code`: the source of the named modules and of every
   module of this package they import, found in their source, so no list of modules is kept by hand) and the
   versions of Python and every installed library (:func:`libraries`). File times play no part.
2. **The outputs are as they were made.** With the key, the step records the SHA-256 of every file it wrote
   (:func:`hashes`); before reuse each file is hashed again (:func:`differences`). A file that was emptied,
   replaced, edited or added by hand is named, and the step runs again.

Records live where their outputs live: ``manifest.json`` for the themes of a report folder
(:mod:`analyse.freshness`), ``figures/<thema>/.figuren.json`` for the figures (:mod:`analyse.writer`), and a
:class:`Store` in ``data/processed/.cache/`` for the processed table (:mod:`analyse.checksum`).
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

PACKAGE = Path(__file__).resolve().parent
"""The folder of this package (``src/analyse``)."""
_CHUNK = 1 << 20


# --------------------------------------------------------------------------- files

def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def hashes(folder: Path, names: Iterable[str]) -> dict[str, str]:
    """Relative path (POSIX) -> SHA-256 for every file ``names`` lists below ``folder``, sorted by path."""
    folder = Path(folder)
    return {name: file_digest(folder / name) for name in sorted(names)}


def differences(folder: Path, recorded: Mapping[str, str], present: Iterable[str]) -> list[str]:
    """The files below ``folder`` that are not as recorded: changed, missing, or there without a record.

    ``present``: the files there now (relative paths). A file that cannot be read counts as changed.
    """
    folder, present = Path(folder), set(present)
    found = []
    for name in sorted(set(recorded) | present):
        if name not in recorded or name not in present:
            found.append(name)
            continue
        try:
            same = file_digest(folder / name) == recorded[name]
        except OSError:
            same = False
        if not same:
            found.append(name)
    return found


# --------------------------------------------------------------------------- keys

def _encode(value, out: list[bytes]) -> None:
    """A stable byte form of ``value``: frames by their CSV text, mappings by sorted key, dataclasses by field."""
    if isinstance(value, pd.DataFrame):
        out.append(b"frame\0" + value.to_csv(index=False, lineterminator="\n").encode())
    elif isinstance(value, pd.Series):
        out.append(b"series\0" + value.to_csv(lineterminator="\n").encode())
    elif isinstance(value, Mapping):
        out.append(b"{")
        for name in sorted(value, key=repr):
            _encode(name, out)
            _encode(value[name], out)
        out.append(b"}")
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        out.append(b"[")
        for item in items:
            _encode(item, out)
        out.append(b"]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(type(value).__qualname__.encode() + b"(")
        for item in dataclasses.fields(value):
            _encode(item.name, out)
            _encode(getattr(value, item.name), out)
        out.append(b")")
    elif callable(value) and hasattr(value, "__qualname__"):
        out.append(f"code\0{getattr(value, '__module__', '')}.{value.__qualname__}".encode())
    elif isinstance(value, Path):
        out.append(b"path\0" + value.as_posix().encode())
    else:
        out.append(f"{type(value).__name__}\0{value!r}".encode())
    out.append(b"\n")


def key(*parts) -> str:
    """The SHA-256 over ``parts`` (text, numbers, frames, mappings, sequences, dataclasses, in this order)."""
    encoded: list[bytes] = []
    for part in parts:
        _encode(part, encoded)
    return hashlib.sha256(b"".join(encoded)).hexdigest()


@functools.cache
def libraries() -> str:
    """The Python version and the name and version of every installed distribution (once per process).

    Read from the names of the ``*.dist-info`` and ``*.egg-info`` entries on ``sys.path``, which carry both.
    """
    found = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.update(n for n in names if n.endswith((".dist-info", ".egg-info")))
    return key(sys.version, sorted(found))


# --------------------------------------------------------------------------- code

def _module_file(name: str) -> Path | None:
    """The source file of ``analyse.x.y`` (a module or a package's ``__init__.py``), None when there is none."""
    parts = name.split(".")[1:]
    base = PACKAGE.joinpath(*parts)
    if base.with_suffix(".py").is_file() and parts:
        return base.with_suffix(".py")
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    return None


def _imports(name: str, path: Path, tree: ast.AST) -> set[str]:
    """The modules of this package that module ``name`` (in ``path``) imports anywhere in its source."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                module = ".".join(package[:len(package) - (node.level - 1)] + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [module, *(f"{module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(t for t in targets if t.split(".")[0] == "analyse" and _module_file(t) is not None)
    return found


def _named_files(path: Path, tree: ast.AST) -> set[Path]:
    """The files beside module ``path`` that its code names as a string (``"templates"``, ``"uno_pdf.py"``): a
    file, or every file in a data folder (not a package), that the module reads or starts."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and 0 < len(node.value) < 100 \
                and "/" not in node.value and node.value not in (".", ".."):
            target = path.parent / node.value
            if target.is_file():
                found.add(target)
            elif target.is_dir() and not (target / "__init__.py").exists():  # a data folder, not a package
                found.update(p for p in target.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return found


def imported_by(source: str) -> set[str]:
    """The modules of this package that a piece of code (a notebook cell) imports; ``{'analyse'}`` and every
    module when it is not Python that can be parsed (then no import can be ruled out)."""
    try:
        return _imports("__main__", Path("__main__.py"), ast.parse(source))
    except SyntaxError:
        return {_name(path) for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts}


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(["analyse", *(parts[:-1] if parts[-1] == "__init__" else parts)])


def _state() -> tuple:
    """Name, size and modification time of every file of this package: a changed file gives another state."""
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            stat = path.stat()
            found.append((path.as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def closure(modules: Iterable[str]) -> list[Path]:
    """The files of the code that runs when ``modules`` (dotted, ``analyse.theme``) run: their source, that of
    every module of this package they import (directly or through others, also inside a function) and of the
    packages around them, and the files beside them that their code names (templates, mappings, scripts)."""
    return list(_closure(tuple(sorted(set(modules))), _state()))


@functools.lru_cache(maxsize=64)
def _closure(modules: tuple[str, ...], state: tuple) -> tuple[Path, ...]:
    seen: dict[str, Path] = {}
    named: set[Path] = set()
    todo = [m for m in modules if m.split(".")[0] == "analyse"]
    while todo:
        name = todo.pop()
        path = _module_file(name)
        if name in seen or path is None:
            continue
        seen[name] = path
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named |= _named_files(path, tree)
        parents = [".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)]
        todo += parents + sorted(_imports(name, path, tree))
    return tuple(sorted(set(seen.values()) | named))


def code(*modules: str) -> str:
    """The SHA-256 of the code that runs when ``modules`` run: the files of their :func:`closure`, by path and
    content. A module outside this package counts with its own file."""
    return _code(tuple(sorted(set(modules))), _state())


@functools.lru_cache(maxsize=64)
def _code(modules: tuple[str, ...], state: tuple) -> str:
    digest = hashlib.sha256()
    for path in _closure(modules, state):
        digest.update(f"{path.relative_to(PACKAGE).as_posix()}\0{file_digest(path)}\n".encode())
    for name in (m for m in modules if m.split(".")[0] != "analyse"):
        spec = importlib.util.find_spec(name) if name else None
        origin = spec.origin if spec is not None and spec.origin and os.path.isfile(spec.origin) else None
        digest.update(f"{name}\0{file_digest(Path(origin)) if origin else '-'}\n".encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------- tables

def row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row over the values of ``frame``.

    The same for a table as built and as read back from its CSV: numbers count as floats, yes/no as yes/no,
    everything else as text with missing values empty.
    """
    columns = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_bool_dtype(column):
            columns[name] = column.astype(bool)
        elif pd.api.types.is_numeric_dtype(column):
            columns[name] = column.astype("float64")
        else:
            columns[name] = column.astype(object).where(column.notna(), "").astype(str)
    normal = pd.DataFrame(columns, index=frame.index)
    return pd.util.hash_pandas_object(normal, index=False).to_numpy()


def rows_digest(columns: Iterable[str], hashed: np.ndarray) -> str:
    """The SHA-256 over the column names and the row hashes of :func:`row_hashes` (in their order)."""
    return key(list(columns), hashlib.sha256(np.ascontiguousarray(hashed, dtype=np.uint64).tobytes()).hexdigest())


# --------------------------------------------------------------------------- a store of records

class Store:
    """Records of outputs that are not published (one JSON file per key in ``folder``)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def get(self, name: str) -> dict | None:
        """The record under key ``name``; None when there is none or it is not a JSON object."""
        try:
            value = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def put(self, name: str, record: dict) -> None:
        """Record ``record`` under key ``name`` and forget every other key (only the newest is ever reused)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{name}.json"
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)
        for other in self.folder.glob("*.json"):
            if other != path:
                other.unlink(missing_ok=True)
