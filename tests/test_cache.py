"""The one cache mechanism (analyse.cache): keys on content without lists of modules, reuse only of files that are
still as made; and the figure cache that uses it (analyse.writer)."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from analyse import cache, context, contract, writer
from analyse.plots.bars import bar_figure


# --------------------------------------------------------------------------- keys

@dataclass(frozen=True)
class Plan:
    kind: str
    year: int | None


def test_a_key_follows_the_content_of_frames_mappings_and_records():
    frame = pd.DataFrame({"regio": ["Maassluis", "Nederland"], "waarde": [26.9, 24.1]})
    base = cache.key("figuur", frame, {"title": "Herkomst", "plan": Plan("staaf", 2018)})
    assert base == cache.key("figuur", frame.copy(), {"plan": Plan("staaf", 2018), "title": "Herkomst"})
    changed = frame.copy()
    changed.loc[1, "waarde"] = 24.2
    assert cache.key("figuur", changed, {"title": "Herkomst", "plan": Plan("staaf", 2018)}) != base
    assert cache.key("figuur", frame, {"title": "Herkomst", "plan": Plan("staaf", 2019)}) != base
    assert cache.key("figuur", frame, {"title": "Herkomst", "plan": Plan("staaf", 2018), "x": None}) != base
    many = pd.DataFrame({"jaar": range(2000), "waarde": [1.0] * 2000})
    edited = many.copy()
    edited.loc[1000, "waarde"] = 2.0  # in the middle of a frame whose repr would leave it out
    assert cache.key({"benchmarks": many}) != cache.key({"benchmarks": edited})


def _package(folder: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = folder / "analyse" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return folder / "analyse"


@pytest.fixture
def package(tmp_path, monkeypatch) -> Path:
    """A package with a chain of imports: a imports b inside a function, b imports c relatively, c names a data
    folder; d is imported by nobody."""
    root = _package(tmp_path, {
        "__init__.py": "", "a.py": "def f():\n    from analyse.sub import b\n",
        "sub/__init__.py": "", "sub/b.py": "from . import c\n", "sub/c.py": "FOLDER = 'sjablonen'\n",
        "sub/sjablonen/pagina.html": "<p>1</p>\n", "d.py": "X = 1\n"})
    monkeypatch.setattr(cache, "PACKAGE", root)
    return root


def test_the_code_of_a_module_is_what_it_imports_without_a_list(package):
    assert [p.relative_to(package).as_posix() for p in cache.closure(["analyse.a"])] == [
        "__init__.py", "a.py", "sub/__init__.py", "sub/b.py", "sub/c.py", "sub/sjablonen/pagina.html"]
    before = cache.code("analyse.a")
    (package / "d.py").write_text("X = 2\n", encoding="utf-8")
    assert cache.code("analyse.a") == before, "a module nobody imports is not part of it"
    (package / "sub" / "c.py").write_text("FOLDER = 'sjablonen'\nY = 3\n", encoding="utf-8")
    assert cache.code("analyse.a") != before, "a module imported two steps away, inside a function, is"
    after = cache.code("analyse.a")
    (package / "sub" / "sjablonen" / "pagina.html").write_text("<p>2</p>\n", encoding="utf-8")
    assert cache.code("analyse.a") != after, "so is the data folder its code names"


def test_a_new_helper_module_is_part_of_the_code_as_soon_as_it_is_imported(package):
    before = cache.code("analyse.a")
    (package / "sub" / "e.py").write_text("Z = 1\n", encoding="utf-8")
    assert cache.code("analyse.a") == before
    (package / "sub" / "c.py").write_text("FOLDER = 'sjablonen'\nfrom analyse.sub import e\n", encoding="utf-8")
    assert package / "sub" / "e.py" in cache.closure(["analyse.a"])
    changed = cache.code("analyse.a")
    (package / "sub" / "e.py").write_text("Z = 2\n", encoding="utf-8")
    assert cache.code("analyse.a") != changed


def test_the_modules_a_notebook_imports():
    assert cache.imported_by("from analyse.theme import Thema\nimport pandas as pd\n") == {"analyse.theme"}
    assert cache.imported_by("from analyse import data, context\n") == {"analyse", "analyse.data", "analyse.context"}
    everything = cache.imported_by("%matplotlib inline\n")
    assert {"analyse.theme", "analyse.writer", "analyse.cache"} <= everything


def test_the_library_key_follows_the_installed_versions(tmp_path, monkeypatch):
    site = tmp_path / "site-packages"
    (site / "pandas-2.2.3.dist-info").mkdir(parents=True)
    monkeypatch.setattr("sys.path", [str(site)])
    cache.libraries.cache_clear()
    try:
        before = cache.libraries()
        (site / "pandas-2.2.3.dist-info").rename(site / "pandas-2.3.0.dist-info")
        cache.libraries.cache_clear()
        assert cache.libraries() != before
    finally:
        cache.libraries.cache_clear()


def test_row_hashes_are_the_same_for_a_table_and_its_csv(tmp_path):
    frame = pd.DataFrame({"regio": ["Maassluis", "Nederland"], "jaar": [2018, 2018], "waarde": [26.9, float("nan")],
                          "afgeleid": [True, False], "opmerking": ["", None]})
    frame.to_csv(tmp_path / "t.csv", index=False)
    read = pd.read_csv(tmp_path / "t.csv", keep_default_na=False, na_values={"waarde": [""]},
                       dtype={"regio": str, "opmerking": str})
    assert list(cache.row_hashes(frame)) == list(cache.row_hashes(read))
    read.loc[0, "waarde"] = 27.0
    assert cache.row_hashes(read)[0] != cache.row_hashes(frame)[0]
    assert cache.row_hashes(read)[1] == cache.row_hashes(frame)[1]


def test_differences_name_changed_missing_and_added_files(tmp_path):
    for name in ("a.png", "b.svg", "c.csv"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    recorded = cache.hashes(tmp_path, ["a.png", "b.svg", "c.csv"])
    assert cache.differences(tmp_path, recorded, ["a.png", "b.svg", "c.csv"]) == []
    (tmp_path / "a.png").write_bytes(b"")
    (tmp_path / "c.csv").unlink()
    (tmp_path / "d.html").write_text("d", encoding="utf-8")
    assert cache.differences(tmp_path, recorded, ["a.png", "b.svg", "d.html"]) == ["a.png", "c.csv", "d.html"]


def test_a_store_keeps_the_newest_record_only(tmp_path):
    store = cache.Store(tmp_path / ".cache")
    assert store.get("a") is None
    store.put("a", {"tabel": "1"})
    store.put("b", {"tabel": "2"})
    assert store.get("a") is None and store.get("b") == {"tabel": "2"}
    (tmp_path / ".cache" / "b.json").write_text("[1, 2]", encoding="utf-8")
    assert store.get("b") is None


# --------------------------------------------------------------------------- the figure cache

ROWS = pd.DataFrame({"regio": ["Maassluis", "Schiedam", "Nederland"], "waarde": [26.9, 48.1, 24.1]})
ARGUMENTS = {"category": "regio", "title": "Herkomst", "bron": "Bron: CBS", "eenheid": "procent"}


def _writer(output: Path) -> writer.ReportWriter:
    ctx = context.ThemeContext(theme="demografie", region="Maassluis", comparison_regions=("Nederland",),
                               start_year=2009, end_year=2018, level="gemeente", data_dir=output, output_dir=output,
                               interactive=False, root=None)
    return writer.ReportWriter(ctx)


RECORD = contract.FigureRecord(name="", indicator="aandeel_herkomst", kind="staaf", png="", svg="", title="t",
                               source="s", guidance="g", alt="a")


def _draw(output: Path) -> writer.ReportWriter:
    """A new notebook run that makes the figure 'herkomst' again (the previous run's figures are its cache)."""
    out = _writer(output)
    out.figure("herkomst", bar_figure, ROWS, ARGUMENTS, record=RECORD)
    return out


@pytest.fixture
def drawn(tmp_path) -> Path:
    """The figures folder of a run that drew two figures."""
    out = _writer(tmp_path)
    for name, rows in (("herkomst", ROWS), ("ander", ROWS.assign(waarde=[1.0, 2.0, 3.0]))):
        out.figure(name, bar_figure, rows, ARGUMENTS, record=RECORD)
    out.save(out.summary(intro="", sources=()))
    return tmp_path / "figures" / "demografie"


def test_an_unchanged_figure_is_not_drawn_again(drawn):
    before = {p.name: p.stat().st_mtime_ns for p in drawn.iterdir()}
    record = json.loads((drawn / writer.FIGURE_CACHE).read_text(encoding="utf-8"))
    assert set(record) == {"herkomst", "ander"} and set(record["herkomst"]) == {"sleutel", "png", "svg"}
    out = _draw(drawn.parent.parent)
    assert {p.name: p.stat().st_mtime_ns for p in drawn.iterdir()} == before
    assert out._drawn["herkomst"] == record["herkomst"]


@pytest.mark.parametrize("change", ["leeg", "gekopieerd", "script", "weg"])
def test_a_figure_file_not_as_drawn_is_drawn_again(drawn, change):
    png, svg = drawn / "herkomst.png", drawn / "herkomst.svg"
    made = {png: png.read_bytes(), svg: svg.read_bytes()}
    if change == "leeg":
        png.write_bytes(b"")
    elif change == "gekopieerd":
        shutil.copyfile(drawn / "ander.png", png)
    elif change == "script":
        svg.write_text(made[svg].decode().replace("</svg>", "<script>alert(1)</script></svg>"), encoding="utf-8")
    else:
        svg.unlink()
    _draw(drawn.parent.parent)
    assert png.read_bytes() == made[png] and svg.read_bytes() == made[svg]


@pytest.mark.parametrize("content", ['{"herkomst": ["sleutel"]}', '{"herkomst": "abc"}', "[]", "{",
                                     '{"herkomst": {"sleutel": 1, "png": "", "svg": ""}}'])
def test_a_figure_record_of_another_form_means_drawing_again(drawn, content):
    (drawn / writer.FIGURE_CACHE).write_text(content, encoding="utf-8")
    os.utime(drawn / "herkomst.png", ns=(0, 0))
    _draw(drawn.parent.parent)
    assert (drawn / "herkomst.png").stat().st_mtime_ns > 0, "drawn again"


def test_the_figure_key_follows_the_code_that_draws_it(monkeypatch):
    before = writer.figure_key(bar_figure, ROWS, ARGUMENTS)
    real = cache.code
    monkeypatch.setattr(cache, "code",
                        lambda *modules: real(*modules) + ("x" if "analyse.plots.bars" in modules else ""))
    assert writer.figure_key(bar_figure, ROWS, ARGUMENTS) != before
    assert "analyse.plots.style" in {cache._name(p) for p in cache.closure(["analyse.plots.bars"])}


def test_every_field_type_of_the_contract_can_be_read():
    """A field type that the manifest reader does not know makes every run fail after its notebooks ran; each
    dataclass of the contract is read back from its own JSON form, for every field."""
    import dataclasses
    import typing

    from analyse import contract

    for cls in [c for c in vars(contract).values() if dataclasses.is_dataclass(c) and isinstance(c, type)]:
        for f in dataclasses.fields(cls):
            annotation = f.type if isinstance(f.type, str) else typing.get_type_hints(cls)[f.name]
            try:
                contract._convert(str(annotation), {}, "x")  # not None: an optional field's type is checked too
            except contract.ContractError as error:
                assert "onbekend veldtype" not in str(error), f"{cls.__name__}.{f.name}: {error}"
