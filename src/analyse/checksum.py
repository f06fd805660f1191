"""Checksums that tie ``data/processed`` to the raw data it was built from.

``data/processed/waarnemingen.csv`` is used only when it provably is the table that validating ``data/raw`` as
it is now would write. Two records say so, both written by :func:`build_processed
<analyse.data.build_processed>` (:func:`record`, :func:`remember`):

- next to the table, ``waarnemingen.sha256.json`` (:data:`SIDECAR`), for people: ``raw``, the SHA-256 of every
  file the validator reads in ``data/raw`` (names and bytes, see :func:`raw_digest`) with one line per file
  (``bestanden``) to say which one changed; ``code``, the key of the code that builds the table and the library
  versions (:func:`code_digest`, through :mod:`analyse.cache`: a new version of the data contract, its checks or
  pandas rebuilds the table); ``tabel``, the SHA-256 of ``waarnemingen.csv``;
- in ``data/processed/.cache/`` (:data:`STORE`), the record of the build itself: under the key of the raw data
  and the code (:func:`build_key`), the SHA-256 of the table as it was built.

:func:`matches` is true only when both agree with what is on disk now; file times play no part. A table edited
after it was built is noticed even when someone recomputed the checksum in the sidecar: the build record, kept
under the key of the raw data, still holds the digest of the table as built (:func:`edited`).
"""

from __future__ import annotations

import errno
import hashlib
import json
from pathlib import Path

from analyse import cache, inventory
from analyse.cache import file_digest
from analyse.schema import CATALOGUES

SIDECAR = "waarnemingen.sha256.json"
STORE = ".cache"


def observation_files(raw_dir: Path) -> list[Path]:
    """Every observation file: the ``.csv`` and ``.xlsx`` files in ``raw_dir`` that are not catalogues.

    A link to a file that does not exist is listed too (reading it names it). What else is in ``raw_dir``
    is refused or named by :func:`analyse.inventory.survey`; nothing is skipped silently, no pipe is opened.
    """
    return inventory.survey(raw_dir).observations


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


def code_digest() -> str:
    """The key of what builds the processed table besides the data: the code of :mod:`analyse.data` and every
    module it uses (:func:`analyse.cache.code`), and the versions of Python and the libraries."""
    return cache.key("waarnemingen", cache.code("analyse.data"), cache.libraries())


def build_key(raw: str, code: str) -> str:
    """The key of one build: the raw data (:func:`combined`) and the code (:func:`code_digest`)."""
    return cache.key("waarnemingen", raw, code)


def sidecar_path(processed: Path) -> Path:
    return Path(processed).with_name(SIDECAR)


def _store(processed: Path) -> cache.Store:
    return cache.Store(Path(processed).parent / STORE)


def record(manifest: dict[str, str], processed: Path) -> str:
    """The sidecar text for ``processed`` built from raw files with ``manifest``."""
    content = {"raw": combined(manifest), "code": code_digest(), "tabel": file_digest(processed),
               "bestanden": dict(sorted(manifest.items()))}
    return json.dumps(content, indent=1, ensure_ascii=False) + "\n"


def remember(manifest: dict[str, str], processed: Path) -> None:
    """Keep the digest of ``processed`` as built from raw files with ``manifest`` under the key of that build."""
    _store(processed).put(build_key(combined(manifest), code_digest()), {"tabel": file_digest(processed)})


def _built(processed: Path, raw: str, code: str) -> tuple[str | None, str | None]:
    """The digest of the table as built from raw data ``raw`` by code ``code`` (None without a record) and of
    the table on disk (None when it cannot be read)."""
    built = _store(processed).get(build_key(raw, code))
    try:
        table = file_digest(processed)
    except OSError:
        table = None
    return (built.get("tabel") if built is not None else None), table


def matches(processed: Path, raw_dir: Path) -> bool:
    """True when ``processed`` is the table built from ``raw_dir`` as it is now, by this code: both records
    (sidecar and build record) name the table on disk."""
    processed, raw, code = Path(processed), raw_digest(raw_dir), code_digest()
    built, table = _built(processed, raw, code)
    try:
        stored = json.loads(sidecar_path(processed).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return (table is not None and built == table and isinstance(stored, dict) and stored.get("tabel") == table
            and stored.get("code") == code and stored.get("raw") == raw)


def edited(processed: Path, raw_dir: Path) -> bool:
    """True when ``processed`` exists but is not the table that was built from ``raw_dir`` as it is now (by this
    code): it was changed or replaced after it was built, whatever its sidecar says."""
    built, table = _built(Path(processed), raw_digest(raw_dir), code_digest())
    return built is not None and table is not None and built != table
