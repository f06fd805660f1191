"""data/processed is used only while it provably is the table built from data/raw as it is now (a hand edit is
noticed, also with a recomputed checksum); published files are readable by others."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from analyse import cache, checksum, data, pipeline


@pytest.fixture
def built(raw_dir: Path, tmp_path: Path) -> Path:
    data.build_processed(raw_dir, tmp_path / "data" / "processed")
    return tmp_path / "data" / "processed" / data.PROCESSED_FILE


def test_build_writes_a_checksum_record_of_every_file_the_validator_reads(built, raw_dir):
    record = json.loads(checksum.sidecar_path(built).read_text(encoding="utf-8"))
    assert sorted(record["bestanden"]) == sorted(p.name for p in raw_dir.iterdir())
    assert record["bestanden"]["toets.csv"] == checksum.file_digest(raw_dir / "toets.csv")
    assert record["raw"] == checksum.raw_digest(raw_dir) and record["tabel"] == checksum.file_digest(built)
    assert not data.is_stale(built, raw_dir)


def test_changed_raw_bytes_are_noticed_even_when_the_file_looks_older(built, raw_dir):
    """A value changed in a copy that kept the old time stamp (cp -p, a restore, a clock skew)."""
    target = raw_dir / "toets.csv"
    when = built.stat().st_mtime - 3600
    target.write_text(target.read_text(encoding="utf-8").replace("32518", "32519"), encoding="utf-8")
    os.utime(target, (when, when))
    assert data.is_stale(built, raw_dir)
    loaded = data.load(built.parent.parent)
    assert 32519 in set(loaded.observations["waarde"]) and 32518 not in set(loaded.observations["waarde"])
    assert not data.is_stale(built, raw_dir)


def test_renamed_added_or_removed_raw_file_is_noticed(built, raw_dir):
    (raw_dir / "toets.csv").rename(raw_dir / "toets2.csv")
    assert data.is_stale(built, raw_dir)
    data.build_processed(raw_dir, built.parent)
    (raw_dir / "leeg.txt").write_text("niet gelezen door de validator\n", encoding="utf-8")
    assert not data.is_stale(built, raw_dir), "files the validator does not read do not count"
    (raw_dir / "extra.csv").write_text((raw_dir / "toets2.csv").read_text(encoding="utf-8"), encoding="utf-8")
    assert data.is_stale(built, raw_dir)


def test_an_edited_or_foreign_processed_table_is_not_used(built, raw_dir, tmp_path):
    table = built.read_text(encoding="utf-8")
    built.write_text(table.replace("32518", "99999"), encoding="utf-8")
    assert data.is_stale(built, raw_dir)
    loaded = data.load(built.parent.parent)
    assert 99999 not in set(loaded.observations["waarde"]), "the table is rebuilt from raw, not read"
    assert "99999" not in built.read_text(encoding="utf-8")

    checksum.sidecar_path(built).unlink()
    assert data.is_stale(built, raw_dir)
    checksum.sidecar_path(built).write_text("geen json", encoding="utf-8")
    assert data.is_stale(built, raw_dir)


def test_a_new_version_of_the_data_code_rebuilds(built, raw_dir, monkeypatch):
    monkeypatch.setattr(checksum, "code_digest", lambda: "0" * 64)
    assert data.is_stale(built, raw_dir)


def test_the_build_code_is_every_module_data_uses_and_the_libraries(monkeypatch):
    """No list of modules: what analyse.data imports, directly or through others, is the code of the table."""
    files = {p.relative_to(cache.PACKAGE).as_posix() for p in cache.closure(["analyse.data"])}
    assert {"data.py", "reader.py", "validate.py", "schema.py", "series.py", "derived.py", "text/notation.py",
            "checksum.py", "inventory.py", "workbook.py", "lookalike.py", "cache.py"} <= files
    assert not files & {"theme.py", "plots/bars.py", "export/docx.py"}
    before = checksum.code_digest()
    monkeypatch.setattr(cache, "libraries", lambda: "pandas-9.9")
    assert checksum.code_digest() != before


def _recompute_sidecar(table: Path) -> None:
    """What someone does who edits the table and then 'repairs' its checksum file."""
    sidecar = checksum.sidecar_path(table)
    record = json.loads(sidecar.read_text(encoding="utf-8"))
    record["tabel"] = hashlib.sha256(table.read_bytes()).hexdigest()
    sidecar.write_text(json.dumps(record), encoding="utf-8")


def test_an_edited_table_with_a_recomputed_checksum_is_noticed_and_rebuilt(built, raw_dir):
    assert not checksum.edited(built, raw_dir)
    built.write_text(built.read_text(encoding="utf-8").replace("32518", "99999"), encoding="utf-8")
    _recompute_sidecar(built)
    assert checksum.edited(built, raw_dir) and data.is_stale(built, raw_dir)
    loaded = data.load(built.parent.parent)
    assert 99999 not in set(loaded.observations["waarde"]) and 32518 in set(loaded.observations["waarde"])
    assert not checksum.edited(built, raw_dir) and not data.is_stale(built, raw_dir)


def test_a_run_names_the_edited_table_and_rebuilds_it(built, raw_dir):
    root = raw_dir.parent.parent
    built.write_text(built.read_text(encoding="utf-8").replace("32518", "99999"), encoding="utf-8")
    _recompute_sidecar(built)
    said: list[str] = []
    dataset = pipeline._validated(root, built, said.append)
    assert 99999 not in set(dataset.observations["waarde"])
    assert said[1] == ("  Let op: data/processed/waarnemingen.csv is veranderd nadat het uit data/raw werd gebouwd "
                       "(met de hand bewerkt of vervangen); de tabel wordt opnieuw gebouwd uit data/raw. Verander "
                       "cijfers in data/raw.")
    said.clear()
    pipeline._validated(root, built, said.append)
    assert not any("Let op" in line for line in said), "rebuilt: nothing to say the second time"


def test_new_raw_data_is_not_taken_for_an_edited_table(built, raw_dir):
    with (raw_dir / "toets.csv").open("a", encoding="utf-8") as handle:
        handle.write("inwoners,Maassluis,totaal,2017,32450,aantal,toets,,,,,\n")
    assert data.is_stale(built, raw_dir) and not checksum.edited(built, raw_dir)


@pytest.mark.parametrize("mask, file_mode", [(0o022, 0o644), (0o027, 0o640)])
def test_published_files_follow_the_umask_like_normal_files(tmp_path, mask, file_mode):
    old = os.umask(mask)
    try:
        target = tmp_path / "uit" / "tabel.csv"
        data.write_atomic(target, lambda tmp: tmp.write_text("a\n", encoding="utf-8"))
        normal = tmp_path / "normaal.txt"
        normal.write_text("a\n", encoding="utf-8")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == file_mode == stat.S_IMODE(normal.stat().st_mode)
    assert not list(target.parent.glob(".*.tmp"))
