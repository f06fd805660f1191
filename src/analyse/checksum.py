"""Checksums that tie ``data/processed`` to the raw data it was built from.

``data/processed/waarnemingen.csv`` is used only when it provably belongs to the raw data that was
validated. Next to it, :func:`build_processed <analyse.data.build_processed>` writes
``waarnemingen.sha256.json`` (:data:`SIDECAR`) with

- ``raw``: the SHA-256 of every file the validator reads in ``data/raw`` (the catalogues and the
  observation files: names and bytes, see :func:`raw_digest`), plus one line per file (``bestanden``) to
  say which one changed;
- ``code``: the SHA-256 of the modules that turn raw into processed (:data:`BUILD_MODULES`: a new version
  of the data contract or its checks rebuilds the table);
- ``tabel``: the SHA-256 of ``waarnemingen.csv`` itself, so an edited or replaced table is noticed.

:func:`matches` is true only when all three agree with what is on disk now; file times play no part.
"""

from __future__ import annotations

import errno
import hashlib
import json
from pathlib import Path

from analyse.schema import CATALOGUES

SIDECAR = "waarnemingen.sha256.json"
_CHUNK = 1 << 20


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def observation_files(raw_dir: Path) -> list[Path]:
    """Every observation file: top-level CSV/XLSX in ``raw_dir`` that is not a catalogue.

    A link to a file that does not exist is listed too (reading it names it, so no file is skipped
    silently); folders and Excel's lock files (``~$...``) and hidden files are not.
    """
    files = [p for p in sorted(raw_dir.iterdir())
             if (p.is_file() or (p.is_symlink() and not p.exists()))
             and p.suffix.lower() in (".csv", ".xlsx") and p.name not in CATALOGUES
             and not p.name.startswith(("~$", "."))]
    return files


def raw_files(raw_dir: Path) -> list[Path]:
    """The files the analysis reads: the catalogues that exist, every observation file, and the boundary files of
    the maps (``*.geojson``, :mod:`analyse.boundaries`)."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        return []
    catalogues = [raw_dir / name for name in CATALOGUES if (raw_dir / name).is_file()]
    maps = [p for p in raw_dir.glob("*.geojson") if p.is_file() and not p.name.startswith(".")]
    return sorted([*catalogues, *observation_files(raw_dir), *maps], key=lambda p: p.name)


def raw_manifest(raw_dir: Path) -> dict[str, str]:
    """File name -> SHA-256 for every file the validator reads.

    A file that cannot be read (a dangling link, no permission) gets the reason instead of a digest, so
    the checksum still changes when it is repaired; validation refuses such a file with its name.
    """
    manifest = {}
    for path in raw_files(raw_dir):
        try:
            manifest[path.name] = file_digest(path)
        except OSError as error:
            manifest[path.name] = f"onleesbaar: {errno.errorcode.get(error.errno or 0, type(error).__name__)}"
    return manifest


def combined(manifest: dict[str, str]) -> str:
    """One SHA-256 over names and contents (name and digest per line, names sorted)."""
    digest = hashlib.sha256()
    for name in sorted(manifest):
        digest.update(f"{name}\0{manifest[name]}\n".encode("utf-8"))
    return digest.hexdigest()


def raw_digest(raw_dir: Path) -> str:
    """The checksum of ``data/raw`` as the validator sees it: names and bytes of every file it reads."""
    return combined(raw_manifest(raw_dir))


BUILD_MODULES = ("data", "reader", "validate", "schema", "series", "derived", "text.notation", "checksum")
"""The modules whose code decides what data/processed contains (reading, validating, editions, derived figures):
a change in any of them rebuilds it."""


def source_files(modules) -> list[Path]:
    """The source files of modules of this package, named as imported below ``analyse`` (``'data'``,
    ``'text.notation'``); a subpackage (``'plots'``) stands for every module in it. A name that is neither
    raises FileNotFoundError, so a renamed module cannot silently drop out of a checksum."""
    package = Path(__file__).resolve().parent
    files = []
    for name in modules:
        path = package.joinpath(*name.split("."))
        if path.is_dir():
            files += sorted(path.glob("*.py"))
        elif path.with_suffix(".py").is_file():
            files.append(path.with_suffix(".py"))
        else:
            raise FileNotFoundError(f"Geen module {name!r} in {package}.")
    return files


def code_digest() -> str:
    """The checksum of the code that builds the processed table (:data:`BUILD_MODULES`)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in source_files(BUILD_MODULES):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + file_digest(path).encode())
    return digest.hexdigest()


def sidecar_path(processed: Path) -> Path:
    return Path(processed).with_name(SIDECAR)


def record(manifest: dict[str, str], processed: Path) -> str:
    """The sidecar text for ``processed`` built from raw files with ``manifest``."""
    content = {"raw": combined(manifest), "code": code_digest(), "tabel": file_digest(processed),
               "bestanden": dict(sorted(manifest.items()))}
    return json.dumps(content, indent=1, ensure_ascii=False) + "\n"


def matches(processed: Path, raw_dir: Path) -> bool:
    """True when ``processed`` and its sidecar exist and belong to ``raw_dir`` as it is now."""
    processed = Path(processed)
    sidecar = sidecar_path(processed)
    try:
        stored = json.loads(sidecar.read_text(encoding="utf-8"))
        if not isinstance(stored, dict):
            return False
        return (stored.get("tabel") == file_digest(processed) and stored.get("code") == code_digest()
                and stored.get("raw") == raw_digest(raw_dir))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
