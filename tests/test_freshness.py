"""A rerun executes only the themes whose inputs changed, and takes over only what is still as it was made
(analyse.freshness, analyse.theme_inputs, analyse run --opnieuw)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import shutil
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analyse import cache, context, contract, data, freshness, runner, theme_inputs
from conftest import CATALOGUES, REPORTS, ROOT, copy_shipped_run, load_shipped, make_raw, run_analyse

THEMES = ["demografie", "onderwijs", "criminaliteit"]
MADE = "2026-11-29T14:05:00+01:00"
OBSERVATIONS = (
    "indicator,regio,groep,jaar,waarde,eenheid,bron,periode,teller,noemer,vindplaats,opmerking\n"
    "inwoners,Maassluis,totaal,2017,32450,aantal,toets,,,,,\n"
    "inwoners,Maassluis,totaal,2018,32518,aantal,toets,,,,,\n"
    "aandeel_herkomst,Maassluis,migratieachtergrond,2018,26.9,procent,toets,,,,,\n"
    "vve_deelname,Maassluis,totaal,2017,79,procent,toets,,,,,\n"
    "vve_deelname,Nederland,totaal,2017,82,procent,toets,,,,,\n"
    "misdrijven_per_1000,Maassluis,totaal,2017,36.2,per_1000,toets,,,,,\n"
    "misdrijven_per_1000,Nederland,totaal,2017,45.1,per_1000,toets,,,,,\n"
)


def _notebook(path: Path, thema: str, extra: str = "") -> None:
    """A theme notebook as the project has them: a parameters cell, then the notebook API."""
    path.parent.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell("regio = None\nvergelijk_regios = None\nstart_jaar = None\n"
                                           "eind_jaar = None\ndata_dir = None\noutput_dir = None")
    parameters.metadata["tags"] = ["parameters"]
    code = nbformat.v4.new_code_cell(f"from analyse.theme import Thema\n\nt = Thema({thema!r}, regio=regio, "
                                     f"data_dir=data_dir, output_dir=output_dir){extra}")
    notebook.cells = [parameters, code]
    nbformat.write(notebook, path)


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line)


def made_by_a_run(root: Path, reports: Path, dataset: data.Dataset, themes: list[str], parameters: dict) -> None:
    """The reports of ``themes`` as ``analyse run`` leaves them: every file of each theme, the run-wide files, and
    a manifest with each theme's fingerprint and the SHA-256 of every file."""
    plan = freshness.plan(root, dataset, themes, parameters, again=True, reports=reports)
    for thema in plan.run:
        for name in (f"notebooks/{thema}.ipynb", f"notebooks/{thema}.html", f"tables/{thema}/overzicht.csv",
                     f"tables/{thema}/kerncijfers.json", f"figures/{thema}/a.png", f"figures/{thema}/a.svg",
                     f"figures/{thema}/b.png", f"figures/{thema}/b.svg", f"figures/{thema}/.figuren.json"):
            (reports / name).parent.mkdir(parents=True, exist_ok=True)
            (reports / name).write_text(f"{name} van {thema}\n", encoding="utf-8")
    for name in ("trends.csv", "tabellen.xlsx", "beleidsnota.docx", "index.html"):
        (reports / name).write_text(f"{name}\n", encoding="utf-8")
    runs = tuple(contract.ThemeRun(t, t, contract.Parameters("Maassluis", (), 2017, 2018), plan.fingerprints[t])
                 for t in plan.run)
    manifest = contract.RunManifest(MADE, "-", (2017, 2018), contract.Settings(), runs,
                                    skipped=tuple(plan.skipped.values()))
    (reports / contract.MANIFEST_FILE).write_text(contract.to_json(manifest), encoding="utf-8")
    freshness.record_outputs(reports)


def _project(root: Path, observations: str = OBSERVATIONS) -> Path:
    raw = make_raw(root / "data" / "raw", observations)
    _append(raw / "indicatoren.csv", "misdrijven_per_1000,criminaliteit,Misdrijven per 1.000 inwoners,per_1000,"
                                     "lager_beter,,,,,,,,\n")
    _append(raw / "regios.csv", "Vlaardingen,GM0622,gemeente,Vlaardingen,\n")
    for thema in THEMES:
        _notebook(root / "notebooks" / f"{thema}.ipynb", thema)
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose reports were made from its data, notebooks and code as they are now."""
    root = _project(tmp_path / "project")
    made_by_a_run(root, root / "reports", data.load_raw(root / "data" / "raw"), THEMES, {"regio": "Maassluis"})
    return root


def plan(root: Path, themes=THEMES, parameters=None, **options) -> freshness.Plan:
    dataset = data.load_raw(root / "data" / "raw")
    return freshness.plan(root, dataset, list(themes), parameters or {"regio": "Maassluis"}, **options)


# --------------------------------------------------------------------------- what a theme reads

def test_nothing_changed_means_nothing_to_run(project):
    found = plan(project)
    assert found.nothing_to_do and found.current == tuple(THEMES) and found.changed == {}
    assert found.previous_run == MADE and found.unusable == ""


def test_a_changed_notebook_runs_that_theme_only(project):
    _notebook(project / "notebooks" / "onderwijs.ipynb", "onderwijs", "\n# bewerkt")
    found = plan(project)
    assert found.run == ("onderwijs",) and found.current == ("demografie", "criminaliteit")


def test_new_rows_run_only_the_themes_that_read_them(project):
    """A year of crime figures for the municipality: criminaliteit only (the old fingerprint covered all of
    data/raw and ran every theme)."""
    _append(project / "data" / "raw" / "toets.csv",
            "misdrijven_per_1000,Maassluis,totaal,2018,34.9,per_1000,toets,,,,,\n")
    found = plan(project)
    assert found.run == ("criminaliteit",) and found.current == ("demografie", "onderwijs")


def test_rows_that_no_theme_reads_run_nothing(project):
    """Crime figures of a municipality that no theme of Maassluis compares with (not a comparison region, not of
    the same size class: it has no inhabitant count) change nothing in the reports of Maassluis."""
    _append(project / "data" / "raw" / "toets.csv",
            "misdrijven_per_1000,Vlaardingen,totaal,2017,51.3,per_1000,toets,,,,,\n")
    assert plan(project).nothing_to_do


def test_the_municipalities_of_the_same_size_are_read(tmp_path):
    """Vlaardingen in the size class of Maassluis: its crime figures are read by criminaliteit (peers), and its
    inhabitants by every theme that compares with peers."""
    root = _project(tmp_path / "p", OBSERVATIONS.replace(",toets,", ",cbs_bevolking,", 2)
                    + "inwoners,Vlaardingen,totaal,2018,72000,aantal,cbs_bevolking,,,,,\n"
                      "inwoners,Vlaardingen,totaal,2017,71900,aantal,cbs_bevolking,,,,,\n")
    _append(root / "data" / "raw" / "bronnen.csv", "cbs_bevolking,Bevolking,CBS,CBS,primair,2019,,\n")
    made_by_a_run(root, root / "reports", data.load_raw(root / "data" / "raw"), THEMES, {"regio": "Maassluis"})
    raw = root / "data" / "raw" / "toets.csv"
    _append(raw, "misdrijven_per_1000,Vlaardingen,totaal,2017,51.3,per_1000,toets,,,,,\n")
    assert plan(root).nothing_to_do, "Vlaardingen (72.000) is not in the class of Maassluis (20.000-50.000)"
    raw.write_text(raw.read_text(encoding="utf-8").replace("inwoners,Vlaardingen,totaal,2018,72000",
                                                           "inwoners,Vlaardingen,totaal,2018,42000"), encoding="utf-8")
    dataset = data.load_raw(root / "data" / "raw")
    groups = theme_inputs.peer_groups(dataset, "Maassluis")
    assert [(g.year, g.members) for g in groups] == [(2017, ()), (2018, ("Vlaardingen",))]
    assert plan(root).run == tuple(THEMES), "the size classes changed: every theme places Maassluis among them"


@pytest.mark.parametrize("catalogue, old, new, themes", [
    ("indicatoren.csv", "Deelname VVE", "Deelname aan VVE", ("onderwijs",)),
    ("bronnen.csv", "Testbron", "Testbron (editie 2)", tuple(THEMES)),
    ("groepen.csv", "Migratieachtergrond,", "Met migratieachtergrond,", ("demografie",)),
    ("regios.csv", "Nederland,NL01,land,Nederland", "Nederland,NL01,land,heel Nederland", tuple(THEMES)),
    ("regios.csv", "Vlaardingen,GM0622,gemeente,Vlaardingen", "Vlaardingen,GM0622,gemeente,Vlaardingen (ZH)", ()),
])
def test_a_catalogue_entry_runs_the_themes_that_use_it(project, catalogue, old, new, themes):
    path = project / "data" / "raw" / catalogue
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    assert plan(project).run == themes


@pytest.mark.parametrize("change", ["parameters", "settings", "library", "code"])
def test_a_change_every_theme_depends_on_runs_them_all(project, change, monkeypatch):
    parameters = {"regio": "Maassluis"}
    if change == "parameters":
        parameters["eind_jaar"] = 2017
    elif change == "settings":
        (project / "instellingen.toml").write_text('gemeente = "Maassluis"\norganisatie = "Gemeente Maassluis, '
                                                   'afdeling Onderzoek"\n', encoding="utf-8")
    elif change == "library":
        monkeypatch.setattr(cache, "libraries", lambda: "pandas-9.9")
    else:
        real = cache.code
        monkeypatch.setattr(cache, "code", lambda *modules: real(*modules) + "bewerkt" if "analyse.theme" in modules
                            else real(*modules))
    found = plan(project, parameters=parameters)
    assert found.run == tuple(THEMES) and found.current == ()


def test_the_same_parameters_in_another_order_are_the_same_run(project):
    parameters = {"eind_jaar": 2018, "regio": "Maassluis"}
    made_by_a_run(project, project / "reports", data.load_raw(project / "data" / "raw"), THEMES, parameters)
    assert plan(project, parameters={"regio": "Maassluis", "eind_jaar": 2018}).nothing_to_do


def test_fingerprints_are_the_same_for_the_table_as_built_and_as_read(project):
    built = data.build_processed(project / "data" / "raw", project / "data" / "processed")
    read = data.load(project / "data")
    assert read.observations is not built.observations
    for thema in THEMES:
        assert freshness.fingerprint(project, built, thema, {"regio": "Maassluis"}) == \
            freshness.fingerprint(project, read, thema, {"regio": "Maassluis"})


def test_a_theme_without_data_is_skipped_and_stays_skipped(project):
    _notebook(project / "notebooks" / "werkvloer.ipynb", "werkvloer")
    found = plan(project, themes=[*THEMES, "werkvloer"])
    assert found.run == () and set(found.skipped) == {"werkvloer"} and not found.nothing_to_do
    assert found.skipped["werkvloer"].reason == "Over diversiteit op de werkvloer zijn voor Maassluis geen gegevens."
    made_by_a_run(project, project / "reports", data.load_raw(project / "data" / "raw"), [*THEMES, "werkvloer"],
                  {"regio": "Maassluis"})
    again = plan(project, themes=[*THEMES, "werkvloer"])
    assert again.skipped_before == {"werkvloer"} and again.nothing_to_do


# --------------------------------------------------------------------------- reused outputs are checked

def _png(path: Path) -> None:
    path.write_bytes(b"")


def _copied_over(path: Path) -> None:
    shutil.copyfile(path.with_name("b.png"), path)


def _script(path: Path) -> None:
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', encoding="utf-8")


def _edited(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("van", "VAN"), encoding="utf-8")


@pytest.mark.parametrize("name, change", [
    ("figures/criminaliteit/a.png", _png), ("figures/criminaliteit/a.png", _copied_over),
    ("figures/criminaliteit/a.svg", _script), ("tables/criminaliteit/overzicht.csv", _edited),
    ("tables/criminaliteit/kerncijfers.json", _edited), ("notebooks/criminaliteit.html", _edited),
    ("figures/criminaliteit/.figuren.json", _edited), ("figures/criminaliteit/a.png", Path.unlink),
    ("figures/criminaliteit/extra.svg", lambda path: path.write_text("<svg/>", encoding="utf-8")),
])
def test_a_file_changed_by_hand_is_named_and_its_theme_made_again(project, name, change):
    change(project / "reports" / name)
    found = plan(project)
    assert found.run == ("criminaliteit",) and found.changed == {"criminaliteit": (name,)}
    assert found.current == ("demografie", "onderwijs")


def test_a_file_changed_by_hand_is_named_also_when_its_theme_runs_anyway(project):
    _png(project / "reports" / "figures" / "onderwijs" / "a.png")
    _notebook(project / "notebooks" / "onderwijs.ipynb", "onderwijs", "\n# bewerkt")
    found = plan(project)
    assert found.run == ("onderwijs",) and found.changed == {"onderwijs": ("figures/onderwijs/a.png",)}


def test_a_changed_publication_makes_the_publications_again_only(project):
    (project / "reports" / "index.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (project / "reports" / "beleidsnota.docx").unlink()
    found = plan(project)
    assert found.run == () and found.changed == {"": ("beleidsnota.docx", "index.html")}
    assert not found.nothing_to_do


def test_a_theme_that_is_not_selected_runs_when_a_file_of_it_was_changed(project):
    _png(project / "reports" / "figures" / "onderwijs" / "a.png")
    found = plan(project, themes=["demografie"], others=["onderwijs", "criminaliteit"])
    assert found.run == ("onderwijs",) and found.current == ("demografie",)
    assert found.changed == {"onderwijs": ("figures/onderwijs/a.png",)} and "onderwijs" in found.fingerprints


def test_again_takes_nothing_over(project):
    found = plan(project, again=True)
    assert found.run == tuple(THEMES) and found.current == ()


def _manifest(project: Path) -> dict:
    return json.loads((project / "reports" / contract.MANIFEST_FILE).read_text(encoding="utf-8"))


@pytest.mark.parametrize("field, value, said", [
    (("themes", 0, "theme"), ["demografie"], "manifest.json.themes[0].theme: verwacht tekst, gevonden een lijst."),
    (("themes", 0, "fingerprint"), 7, "manifest.json.themes[0].fingerprint: verwacht tekst, gevonden een getal."),
    (("themes", 0, "files"), ["a.png"], "manifest.json.themes[0].files: verwacht een object, gevonden een lijst."),
    (("files", "index.html"), None, "manifest.json.files.index.html: verwacht tekst, gevonden null."),
    (("created",), {"jaar": 2026}, "manifest.json.created: verwacht tekst, gevonden een object."),
    (("data_years",), [2017], "manifest.json.data_years: verwacht 2 waarden, gevonden 1."),
    (("skipped",), "geen", "manifest.json.skipped: verwacht een lijst, gevonden tekst."),
])
def test_a_manifest_field_of_the_wrong_type_is_named_and_counts_as_no_previous_run(project, field, value, said):
    content = _manifest(project)
    inner = content
    for step in field[:-1]:
        inner = inner[step]
    inner[field[-1]] = value
    (project / "reports" / contract.MANIFEST_FILE).write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(contract.ContractError) as refused:
        contract.read_manifest(project / "reports" / contract.MANIFEST_FILE)
    assert str(refused.value) == said
    found = plan(project)
    assert found.unusable == said and found.run == tuple(THEMES) and found.previous_run == ""


def test_a_manifest_without_file_hashes_counts_as_no_previous_run(project):
    content = _manifest(project)
    content["files"] = {}
    (project / "reports" / contract.MANIFEST_FILE).write_text(json.dumps(content), encoding="utf-8")
    found = plan(project)
    assert found.run == tuple(THEMES) and "zonder controlegetallen" in found.unusable


def test_record_outputs_hashes_every_file_of_every_theme(project):
    manifest = contract.read_manifest(project / "reports" / contract.MANIFEST_FILE)
    files = {run.theme: run.files for run in manifest.themes}
    png = project / "reports" / "figures" / "onderwijs" / "a.png"
    assert files["onderwijs"]["figures/onderwijs/a.png"] == hashlib.sha256(png.read_bytes()).hexdigest()
    assert sorted(files["onderwijs"]) == sorted(freshness.theme_files(project / "reports", "onderwijs"))
    assert len(files["onderwijs"]) == 9 and "figures/onderwijs/.figuren.json" in files["onderwijs"]
    assert sorted(manifest.files) == ["beleidsnota.docx", "index.html", "tabellen.xlsx", "trends.csv"]


# --------------------------------------------------------------------------- on the shipped data

ALL = list(runner.NOTEBOOK_ORDER)


def _without_newest_police_year(dataset: data.Dataset) -> data.Dataset:
    """The data as they were before the newest year of police figures (CBS 47018NED) was added: its rows and
    the rates derived from them left out."""
    obs = dataset.observations
    newest = obs.loc[obs["bestand"] == "politie_47018ned.csv", "jaar"].max()
    kept = obs[~((obs["bestand"] == "politie_47018ned.csv") & (obs["jaar"] == newest))].reset_index(drop=True)
    return dataclasses.replace(dataset, observations=kept)


def _shipped_project(target: Path) -> Path:
    shutil.copytree(ROOT / "notebooks", target / "notebooks")
    shutil.copy2(ROOT / "instellingen.toml", target / "instellingen.toml")
    return target


@pytest.mark.parametrize("region, themes", [("Maassluis", ("criminaliteit", "monitor")),
                                            ("Schiedam", ("criminaliteit",))])
def test_a_year_of_police_figures_runs_criminaliteit_and_what_reads_it(tmp_path, region, themes):
    full = load_shipped()
    root = _shipped_project(tmp_path / "project")
    parameters = {"regio": region}
    made_by_a_run(root, root / "reports", _without_newest_police_year(full), ALL, parameters)
    found = freshness.plan(root, full, ALL, parameters, reports=root / "reports")
    assert found.run == themes
    assert set(found.current) | set(found.skipped) == set(ALL) - set(themes)


def _run_in_process(root: Path, thema: str, region: str, dataset: data.Dataset, full: data.Dataset, output: Path,
                    monkeypatch) -> None:
    """The notebook's code cells, executed here on ``dataset``; its parameters resolved on ``full`` (the
    fingerprint holds them as resolved on all data). Each figure is drawn and saved as SVG only, with its alt text
    in place of the PNG (the 300 dpi PNG shows nothing the SVG does not)."""
    import matplotlib
    from IPython import display
    from matplotlib import pyplot

    from analyse import writer
    from analyse.plots import saving

    def draw_svg(self, name, draw, rows, arguments, *, record):
        drawn = draw(rows, **arguments)
        self.figure_dir.mkdir(parents=True, exist_ok=True)
        with matplotlib.rc_context({"svg.hashsalt": saving.SVG_HASHSALT, **saving.PLAIN_TEXT}):
            drawn.figure.savefig(self.figure_dir / f"{name}.svg", format="svg", metadata={"Date": None})
        pyplot.close(drawn.figure)
        (self.figure_dir / f"{name}.png").write_text(drawn.alt, encoding="utf-8")
        self._drawn[name] = {}
        saved = dataclasses.replace(record, name=name, png=f"figures/{thema}/{name}.png",
                                    svg=f"figures/{thema}/{name}.svg")
        self.figures = [f for f in self.figures if f.name != name] + [saved]
        return saved

    resolve = context.resolve
    monkeypatch.setattr(data, "load", lambda folder: dataset)
    monkeypatch.setattr(context, "resolve", lambda theme, _, **parameters: resolve(theme, full, **parameters))
    monkeypatch.setattr(writer.ReportWriter, "figure", draw_svg)
    monkeypatch.setattr(display, "display", lambda *args, **kwargs: None)
    notebook = nbformat.read(root / "notebooks" / f"{thema}.ipynb", as_version=4)
    namespace: dict = {}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        source = cell.source
        if "parameters" in cell.metadata.get("tags", []):
            source += f"\nregio = {region!r}\ndata_dir = {str(root / 'data')!r}\noutput_dir = {str(output)!r}"
        exec(compile(source, f"{thema}.ipynb", "exec"), namespace)


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
@pytest.mark.parametrize("thema, region", [*((t, "Maassluis") for t in ALL), ("criminaliteit", "Schiedam"),
                                           ("demografie", "Schiedam"), ("arbeid_inkomen", "Rozendaal")])
def test_a_theme_given_only_what_it_reads_writes_the_same_reports(tmp_path, monkeypatch, thema, region):
    """The fingerprint covers what the theme reads: given only those rows and catalogue entries, each notebook
    writes the same tables, key figures, figures and alt texts as on all the data. The inhabitant counts that
    decide who is a peer stay too: the fingerprint holds the peer groups they give."""
    full = load_shipped()
    root = _shipped_project(tmp_path / "project")
    source = "\n".join(c.source for c in nbformat.read(root / "notebooks" / f"{thema}.ipynb", as_version=4).cells
                       if c.cell_type == "code")
    ctx = freshness.resolve(root, full, thema, {"regio": region})
    read = theme_inputs.read_by(full, thema, ctx.region, ctx.comparison_regions, ctx.level,
                                theme_inputs.names_in_code(source))
    rows = read.rows | full.observations.index.isin(theme_inputs.population(full.observations).index)
    only = data.Dataset(observations=full.observations[rows].reset_index(drop=True),
                        **{name: frame.reset_index(drop=True) for name, frame in read.catalogues.items()})
    assert len(only.observations) < 0.6 * len(full.observations)  # not everything: its rows and the peers'
    _run_in_process(root, thema, region, full, full, tmp_path / "alles", monkeypatch)
    _run_in_process(root, thema, region, only, full, tmp_path / "gelezen", monkeypatch)
    everything, restricted = _outputs(tmp_path / "alles"), _outputs(tmp_path / "gelezen")
    assert f"tables/{thema}/kerncijfers.json" in everything
    assert sorted(everything) == sorted(restricted)
    assert [name for name in everything if everything[name] != restricted[name]] == []


# --------------------------------------------------------------------------- real runs

def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.e2e
def test_a_rerun_executes_only_what_changed(shipped_run, tmp_path):
    root = copy_shipped_run(shipped_run, tmp_path / "project")
    before = _hashes(root / REPORTS)

    start = time.perf_counter()
    done = run_analyse(root, "run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Niets veranderd sinds de run van" in done.stdout and "--opnieuw" in done.stdout, done.stdout
    assert time.perf_counter() - start < 15, "no kernel started, no notebook executed"
    assert _hashes(root / REPORTS) == before

    path = root / "notebooks" / "basisvaardigheden.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("Een toegevoegde alinea."))
    nbformat.write(notebook, path)
    done = run_analyse(root, "run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Notebooks uitvoeren (1, 1 tegelijk)" in done.stdout, done.stdout
    assert "overgenomen: demografie" in done.stdout and "Klaar: 1 notebook uitgevoerd" in done.stdout
    after = _hashes(root / REPORTS)
    for thema in ("demografie", "criminaliteit", "monitor"):
        same = {k: v for k, v in before.items() if k.startswith((f"tables/{thema}/", f"figures/{thema}/"))}
        assert same and {k: after[k] for k in same} == same
    executed = nbformat.read(root / REPORTS / "notebooks" / "basisvaardigheden.ipynb", as_version=4)
    assert executed.cells[-1].source == "Een toegevoegde alinea."
    manifest = contract.read_manifest(root / REPORTS / contract.MANIFEST_FILE)
    assert all(run.fingerprint and run.files for run in manifest.themes) and "index.html" in manifest.files
    assert "Niets veranderd" in run_analyse(root, "run").stdout, "and now it is current again"


@pytest.mark.e2e
def test_a_year_of_police_figures_executes_criminaliteit_and_the_monitor_only(shipped_run, tmp_path):
    """The newest year of police figures taken out of data/raw and put back: each run executes only the themes
    that read them."""
    root = copy_shipped_run(shipped_run, tmp_path / "project")
    police = root / "data" / "raw" / "politie_47018ned.csv"
    table = pd.read_csv(police, dtype=str, keep_default_na=False)
    newest = table["jaar"].astype(int).max()
    complete = police.read_bytes()
    police.unlink()  # a hard link of the session's file: written anew, never through
    table[table["jaar"].astype(int) != newest].to_csv(police, index=False, lineterminator="\n")
    for step in ("zonder het nieuwste jaar", "met het nieuwste jaar"):
        done = run_analyse(root, "run")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Notebooks uitvoeren (2, 2 tegelijk)" in done.stdout, (step, done.stdout)
        taken = re.search(r"overgenomen: ([a-z_, ]+)", done.stdout)
        assert taken and {name.strip() for name in taken.group(1).split(",")} == {
            "demografie", "arbeid_inkomen", "onderwijs", "discriminatie", "werkvloer", "basisvaardigheden"}, \
            (step, done.stdout)
        police.unlink()
        police.write_bytes(complete)
    assert _hashes(root / REPORTS)["tables/criminaliteit/kerncijfers.json"] == \
        _hashes(shipped_run.reports)["tables/criminaliteit/kerncijfers.json"]


@pytest.mark.e2e
def test_a_figure_changed_by_hand_is_named_and_drawn_again(shipped_run, tmp_path):
    root = copy_shipped_run(shipped_run, tmp_path / "project")
    reports = root / REPORTS
    summary = contract.read_summary(reports / "tables" / "basisvaardigheden" / contract.SUMMARY_FILE)
    first, second = summary.figures[0], summary.figures[1]
    drawn = (reports / first.png).read_bytes()
    (reports / first.png).unlink()  # a hard link into the session's run: replaced, never written through
    (reports / first.png).write_bytes(b"")
    (reports / second.svg).unlink()
    (reports / second.svg).write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                                      encoding="utf-8")
    done = run_analyse(root, "run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"met de hand veranderd, weggehaald of toegevoegd): {first.png}, {second.svg}; basisvaardigheden wordt " \
           "opnieuw gemaakt" in done.stdout, done.stdout
    assert "Notebooks uitvoeren (1, 1 tegelijk)" in done.stdout
    assert (reports / first.png).read_bytes() == drawn
    assert b"<script" not in (reports / second.svg).read_bytes()
    assert "Niets veranderd" in run_analyse(root, "run").stdout
