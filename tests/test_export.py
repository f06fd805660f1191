"""Publication exports (tabellen.xlsx, beleidsnota.docx, index.html) built from a small reports/ tree."""

import csv
import json
import logging
import re
import shutil
from pathlib import Path

import docx
import matplotlib
import openpyxl
import pytest
from docx.shared import Cm

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analyse import export  # noqa: E402

FIXTURE = Path(__file__).parent / "fixtures" / "reports_small"
THEMES_IN_FIXTURE = ["demografie", "criminaliteit"]  # in report order


def _kerncijfers(root: Path, thema: str) -> dict:
    return json.loads((root / "tables" / thema / "kerncijfers.json").read_text(encoding="utf-8"))


@pytest.fixture
def reports(tmp_path) -> Path:
    """A copy of the fixture tree with the PNG figures its kerncijfers.json files refer to."""
    root = tmp_path / "reports"
    shutil.copytree(FIXTURE, root)
    for thema in THEMES_IN_FIXTURE:
        for figuur in _kerncijfers(root, thema)["figuren"]:
            png = root / figuur["png"]
            png.parent.mkdir(parents=True, exist_ok=True)
            fig, ax = plt.subplots(figsize=(4, 2.25))
            ax.plot([2009, 2018], [31390, 32518])
            fig.savefig(png, dpi=50)
            plt.close(fig)
    return root


def _csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------- workbook

def test_workbook_has_a_sheet_per_theme_and_the_monitor_and_register(reports):
    out = export.write_workbook(reports, reports / "tabellen.xlsx")
    book = openpyxl.load_workbook(out)
    titles = [_kerncijfers(reports, t)["titel"] for t in THEMES_IN_FIXTURE]
    assert book.sheetnames == titles + ["Doelenmonitor", "Reproductie"]


def test_workbook_table_layout_numbers_and_source(reports):
    book = openpyxl.load_workbook(export.write_workbook(reports, reports / "tabellen.xlsx"))
    meta = _kerncijfers(reports, "demografie")
    first, second = meta["tabellen"]
    sheet = book[meta["titel"]]
    data = _csv_rows(reports / first["csv"])

    assert sheet["A1"].value == first["titel"] and sheet["A1"].font.bold
    header = [c.value for c in sheet[2]][:len(first["kolommen"])]
    assert header == [first["kolommen"][name] for name in data[0]]
    for offset, row in enumerate(data):
        cells = sheet[3 + offset]
        waarde, jaar = cells[3], cells[2]
        assert waarde.data_type == "n" and waarde.value == pytest.approx(float(row["waarde"]))
        assert jaar.data_type == "n" and jaar.value == int(row["jaar"]) and jaar.number_format == "0"
        decimals = len(row["waarde"].partition(".")[2].rstrip("0"))
        assert waarde.number_format == ("#,##0.0" if decimals == 1 else "#,##0")
    source_row = 3 + len(data)
    assert sheet.cell(source_row, 1).value == first["bron"]
    assert all(c.value is None for c in sheet[source_row + 1])  # a blank row between tables
    assert sheet.cell(source_row + 2, 1).value == second["titel"]
    assert sheet.freeze_panes is None  # two tables: no single header to freeze


def test_workbook_monitor_sheet_freezes_its_header(reports):
    book = openpyxl.load_workbook(export.write_workbook(reports, reports / "tabellen.xlsx"))
    sheet = book["Doelenmonitor"]
    assert sheet.freeze_panes == "A3"
    monitor = _csv_rows(reports / "monitor.csv")
    basis = [sheet.cell(3 + i, list(monitor[0]).index("basis_waarde") + 1) for i in range(len(monitor))]
    assert [c.value for c in basis] == [pytest.approx(float(r["basis_waarde"])) for r in monitor]
    assert all(c.data_type == "n" for c in basis)
    periode = list(monitor[0]).index("basis_periode") + 1  # '2017' among 'juli 2018' stays a label
    assert [sheet.cell(3 + i, periode).value for i in range(len(monitor))] == [r["basis_periode"] for r in monitor]


def test_sheet_names_are_cut_to_31_characters_and_kept_unique():
    taken: set[str] = set()
    long = "Arbeid, inkomen en armoede onder migranten"
    first, second = export._sheet_name(long, taken), export._sheet_name(long, taken)
    assert first == long[:31] and len(second) <= 31 and second != first
    assert export._sheet_name("Wat? [ja]", taken) == "Wat- -ja-"


# --------------------------------------------------------------------------- Word note

def _docx(reports) -> docx.document.Document:
    return docx.Document(str(export.write_docx(reports, reports / "beleidsnota.docx")))


def test_docx_headings_follow_the_themes(reports):
    doc = _docx(reports)
    titles = [_kerncijfers(reports, t)["titel"] for t in THEMES_IN_FIXTURE]
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == titles + ["Doelenmonitor", "Reproductie van hoofdstuk 2"]
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [
        "Analyse integratie-indicatoren Maassluis"]
    bullets = {p.text for p in doc.paragraphs if p.style.name == "List Bullet"}
    for thema in THEMES_IN_FIXTURE:
        assert set(_kerncijfers(reports, thema)["kernboodschappen"]) <= bullets


def test_docx_figures_and_numbered_captions(reports):
    doc = _docx(reports)
    figuren = [f for t in THEMES_IN_FIXTURE for f in _kerncijfers(reports, t)["figuren"]]
    assert len(doc.inline_shapes) == len(figuren) == 3
    assert all(shape.width == Cm(16) for shape in doc.inline_shapes)
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Figuur ")]
    assert captions == [f"Figuur {n}. {f['titel']}" for n, f in enumerate(figuren, start=1)]
    texts = [p.text for p in doc.paragraphs]
    for figuur, shape in zip(figuren, doc.inline_shapes):
        # the source line is in the image: not repeated under the caption, but in the alt text
        caption = texts.index(next(c for c in captions if c.endswith(figuur["titel"])))
        assert texts[caption + 1] != figuur["bron"]
        assert shape._inline.docPr.get("descr") == f"{figuur['titel']}. {figuur['bron']}"


def test_docx_key_tables_use_dutch_numbers_and_headers(reports):
    doc = _docx(reports)
    assert [p.text for p in doc.paragraphs if p.text.startswith("Tabel ")][:2] == [
        "Tabel 1. Kerncijfers demografie", "Tabel 2. Diefstal uit woning per 1.000 inwoners"]
    demografie, criminaliteit = doc.tables[0], doc.tables[1]
    assert [c.text for c in demografie.rows[0].cells] == ["Indicator", "Regio", "Jaar", "Waarde", "Eenheid"]
    cells = [[c.text for c in row.cells] for row in demografie.rows[1:]]
    assert ["Aantal inwoners", "Maassluis", "2018", "32.518", "aantal"] in cells  # 32518.0 in the CSV
    assert ["Aandeel inwoners met migratieachtergrond", "Rotterdam", "2018", "50,3", "procent"] in cells
    # one series without a unit column: 5.0 keeps its decimal next to 5.7
    assert [row.cells[2].text for row in criminaliteit.rows[1:4]] == ["5,0", "5,7", "4,8"]


def test_docx_monitor_and_register(reports):
    doc = _docx(reports)
    monitor, register = doc.tables[2], doc.tables[3]
    header = [c.text for c in monitor.rows[0].cells]
    assert header[0] == "Indicator" and "Basis" in header and "Oordeel" in header
    assert "Indicator (code)" not in header  # the label stands for the code
    assert "Laatste meting" not in header  # no value at all in the fixture: column left out
    # what the target is, then where it stands
    assert [c.text for c in monitor.rows[1].cells][:4] == ["Totaal aantal bijstandsuitkeringen", "aantal",
                                                          "Neemt af", "825"]
    deviating = [r for r in _csv_rows(reports / "reproductie.csv") if r["status"] == "wijkt_af"]
    assert [row.cells[0].text for row in register.rows[1:]] == [r["id"] for r in deviating]
    assert register.rows[1].cells[-1].text == deviating[0]["toelichting"]
    counts = next(p.text for p in doc.paragraphs if p.text.startswith("Uitkomst van de herberekening"))
    assert "klopt: 2" in counts and "wijkt af: 1" in counts and "geen data: 1" in counts


def _write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _set_kerncijfers(root: Path, thema: str, meta: dict) -> None:
    path = root / "tables" / thema / "kerncijfers.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def test_theme_tables_publish_their_columns_without_float_noise(reports):
    meta = _kerncijfers(reports, "demografie")
    table = meta["tabellen"][0]
    rows = _csv_rows(reports / table["csv"])
    for row in rows:  # a code column that is not published, and a difference as pandas writes it
        row["indicator"] = "code_" + row["regio"].lower()
        row["verschil"] = "3.599999999999998" if row["jaar"] == "2018" else ""
    _write_csv(reports / table["csv"], rows)
    table["kolommen"]["verschil"] = "Verschil"
    _set_kerncijfers(reports, "demografie", meta)

    doc = _docx(reports)
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header == list(table["kolommen"].values())  # in the order of kolommen, no code column
    verschil = [row.cells[-1].text for row in doc.tables[0].rows[1:]]
    assert verschil == ["–" if r["jaar"] != "2018" else "3,6" for r in rows]

    sheet = openpyxl.load_workbook(export.write_workbook(reports, reports / "tabellen.xlsx"))[meta["titel"]]
    assert [c.value for c in sheet[2]][:len(header)] == header
    cell = sheet.cell(3 + [r["jaar"] for r in rows].index("2018"), len(header))
    assert cell.value == pytest.approx(3.6) and cell.number_format == "#,##0.0"


def test_wide_key_table_gets_a_landscape_page(reports):
    meta = _kerncijfers(reports, "demografie")
    table = meta["tabellen"][0]
    rows = _csv_rows(reports / table["csv"])
    extra = [f"kolom_{i}" for i in range(export.PORTRAIT_MAX_COLUMNS)]
    _write_csv(reports / table["csv"], [row | {name: "1" for name in extra} for row in rows])
    table["kolommen"] |= {name: name for name in extra}
    _set_kerncijfers(reports, "demografie", meta)

    doc = _docx(reports)
    landscape = [s.page_width > s.page_height for s in doc.sections]
    # title and demografie; its key table; criminaliteit again portrait; the monitor; the register
    assert landscape == [False, True, False, True, False]
    assert all(cell.paragraphs[0].runs[0].font.size == docx.shared.Pt(8) for cell in doc.tables[0].rows[1].cells)


def test_monitor_is_shown_once_when_a_theme_has_it_as_key_table(reports):
    monitor = _csv_rows(reports / "monitor.csv")
    monitor[0]["oordeel"] = "onvoldoende_data"
    _write_csv(reports / "monitor.csv", monitor)
    (reports / "tables" / "monitor").mkdir()
    shutil.copy(reports / "monitor.csv", reports / "tables" / "monitor" / "monitor.csv")
    _set_kerncijfers(reports, "monitor", {
        "thema": "monitor", "titel": "Doelenmonitor hoofdstuk 4", "kernboodschappen": [], "figuren": [],
        "tabellen": [{"naam": "monitor", "csv": "tables/monitor/monitor.csv", "titel": "Doelen",
                      "bron": "Bron: beleidsvisie", "kolommen": {"label": "Indicator", "oordeel": "Oordeel"}}],
        "sleuteltabel": "monitor"})

    doc = _docx(reports)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[-4:] == [_kerncijfers(reports, "criminaliteit")["titel"], "Doelenmonitor hoofdstuk 4",
                             "Doelenmonitor", "Reproductie van hoofdstuk 2"]
    oordeel_tables = [t for t in doc.tables if "Oordeel" in [c.text for c in t.rows[0].cells]]
    assert len(oordeel_tables) == 1  # once, as the theme made it: its columns, title and source
    assert [c.text for c in oordeel_tables[0].rows[0].cells] == ["Indicator", "Oordeel"]
    assert oordeel_tables[0].rows[1].cells[1].text == "onvoldoende data"
    texts = [p.text for p in doc.paragraphs]
    assert texts.index("Doelenmonitor") < texts.index(next(t for t in texts if t.endswith(". Doelen")))
    assert "Bron: beleidsvisie" in texts


# --------------------------------------------------------------------------- index.html

def test_index_is_offline_links_notebooks_and_escapes(reports):
    meta_path = reports / "tables" / "demografie" / "kerncijfers.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["kernboodschappen"].append("Groep <westers> & co")
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    page = export.write_index(reports, reports / "index.html").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<(script|link|iframe|img)\b", page) and "@import" not in page and "url(" not in page
    for thema in THEMES_IN_FIXTURE:
        assert f'href="notebooks/{thema}.html"' in page
    assert "Groep &lt;westers&gt; &amp; co" in page and "<westers>" not in page
    assert '<td class="wijkt_af">wijkt af</td>' in page and '<td class="klopt">klopt</td>' in page
    assert "Neemt toe tot 90% in 2021" in page and "32.518" in page
    # the register's verwacht 32518 and berekend 32518.0, next to 3.6 in the same columns
    assert page.count('<td class="num">32.518</td>') == 2 and "32.518,0" not in page


# --------------------------------------------------------------------------- missing inputs, atomic writes

def test_missing_theme_and_figure_are_skipped_with_a_dutch_note(reports, caplog):
    (reports / _kerncijfers(reports, "criminaliteit")["figuren"][0]["png"]).unlink()
    shutil.rmtree(reports / "tables" / "criminaliteit")
    with caplog.at_level(logging.WARNING, logger="analyse.export"):
        paths = export.export_all(reports)
    assert [p.name for p in paths] == ["tabellen.xlsx", "beleidsnota.docx", "index.html"]
    assert all(p.is_file() for p in paths)
    assert any("'criminaliteit' is overgeslagen" in m for m in caplog.messages)
    assert any("'onderwijs' is overgeslagen" in m for m in caplog.messages)
    doc = docx.Document(str(paths[1]))
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"][0] == "Demografie en diversiteit"
    assert "Criminaliteit en veiligheid" not in [p.text for p in doc.paragraphs]
    assert "criminaliteit" in paths[2].read_text(encoding="utf-8")  # the note is on the page too


def test_empty_reports_dir_is_a_clear_error(tmp_path):
    with pytest.raises(export.ExportError, match="Geen kerncijfers"):
        export.export_all(tmp_path)


def test_failing_docx_writer_leaves_the_previous_file_in_place(reports, monkeypatch):
    good = export.write_docx(reports, reports / "beleidsnota.docx")
    before = good.read_bytes()
    targets = []

    def save_half_then_fail(self, path):
        targets.append(Path(path))
        Path(path).write_bytes(before[: len(before) // 2])  # a half-written file
        raise OSError("schijf vol")

    monkeypatch.setattr(docx.document.Document, "save", save_half_then_fail)
    with pytest.raises(OSError, match="schijf vol"):
        export.write_docx(reports, reports / "beleidsnota.docx")
    assert len(targets) == 1 and targets[0].parent == reports  # it did fail midway, next to the target
    assert good.read_bytes() == before
    assert not targets[0].exists()  # and the half-written file is cleaned up


def test_a_table_of_several_indicators_keeps_each_numbers_decimals(tmp_path):
    path = tmp_path / "monitor.csv"
    path.write_text("label,basis_waarde\nSegregatie-index,13\nSociale cohesie,5.9\n", encoding="utf-8")
    table = export.read_table(path, "t", "", series=True)
    assert [export.display(row[1], table.columns[1]) for row in table.rows] == ["13", "5,9"]
    path.write_text("label,waarde\nCohesie,5.0\nCohesie,5.75\n", encoding="utf-8")  # one series
    table = export.read_table(path, "t", "", series=True)
    assert [export.display(row[1], table.columns[1]) for row in table.rows] == ["5,00", "5,75"]


def test_column_widths_break_the_longest_words_first():
    rows = [["Regio", "Jaar", "Bron"],
            ["Maassluis", "2018", "gemeente_maassluis_begroting_2019_kerngegevens"]]
    char, pad = 0.022 * 9, 0.45
    assert sum(export._column_widths(rows, [False, True, False], 16.0)) <= 16.0  # all fits: as wide as needed
    assert sum(export._column_widths(rows, [False, True, False], 6.0)) == pytest.approx(6.0)
    regio, jaar, bron = export._column_widths(rows, [False, True, False], 6.0)
    assert regio == pytest.approx(len("Maassluis") * char + pad)  # short words stay whole
    assert jaar == pytest.approx(1.15 * len("Jaar") * char + pad)  # a number is never broken
    assert bron < len("gemeente_maassluis_begroting_2019_kerngegevens") * char  # the long code breaks


def test_workbook_puts_the_key_table_first(reports):
    meta = _kerncijfers(reports, "demografie")
    meta["sleuteltabel"] = meta["tabellen"][1]["naam"]
    _set_kerncijfers(reports, "demografie", meta)
    sheet = openpyxl.load_workbook(export.write_workbook(reports, reports / "tabellen.xlsx"))[meta["titel"]]
    assert sheet["A1"].value == meta["tabellen"][1]["titel"]


def test_register_names_themes_by_their_title(reports):
    page = export.write_index(reports, reports / "index.html").read_text(encoding="utf-8")
    register = page[page.index('id="reproductie"'):]
    codes = {r["thema"] for r in _csv_rows(reports / "reproductie.csv")}
    for thema in THEMES_IN_FIXTURE:
        if thema in codes:
            assert f"<td>{_kerncijfers(reports, thema)['titel']}</td>" in register
            assert f"<td>{thema}</td>" not in register
