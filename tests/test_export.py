"""Publication exports (tabellen.xlsx, beleidsnota.docx, technisch-rapport.docx, their PDFs, index.html) built
from a reports/ folder written from contract records (tests/reports_fixture.py)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from dataclasses import replace
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm

from analyse import contract, export
from analyse.text.label_texts import REGISTER_LABELS
from analyse.export import docx as publication
from analyse.export import html as page
from analyse.export import docx_style, docx_tables, nota, pdf, plain, rapport, read, widths, xlsx
from reports_fixture import COMMAND, DOLLARS, FORMULA, SCRIPT, build_reports

ROOT = Path(__file__).resolve().parents[1]
THEMES = ["Demografie en diversiteit", "Arbeid en inkomen", "Criminaliteit en delinquentie"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """One reports/ folder with its workbook, note and page (no PDF), shared by the tests that only read."""
    root = build_reports(tmp_path_factory.mktemp("gewoon") / "reports")
    export.export_all(root, make_pdf=False, echo=lambda _: None)
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    root = build_reports(tmp_path_factory.mktemp("vijandig") / "reports", hostile=True)
    export.export_all(root, make_pdf=False, echo=lambda _: None)
    return root


@pytest.fixture
def reports(tmp_path) -> Path:
    return build_reports(tmp_path / "reports")


def docx_texts(path: Path) -> list[str]:
    """Every paragraph of a document, in the body, in table cells and in the footers."""
    return publication.texts_of(docx.Document(str(path)))


# --------------------------------------------------------------------------- reading through the contract

def test_numbers_are_read_with_the_decimals_of_their_column_spec(reports):
    loaded = read.load_reports(reports)
    demografie = loaded.themes[0].key_table
    assert [c.name for c in demografie.columns] == ["indicator_label", "regio", "jaar", "waarde", "eenheid"]
    waarde, eenheid, jaar = demografie.column("waarde"), demografie.column("eenheid"), demografie.column("jaar")
    cells = [(row[waarde].value, row[waarde].text, row[eenheid].text, row[jaar].value) for row in demografie.rows]
    assert cells[1] == (32518, "32.518", "aantal", 2018)
    assert cells[3] == (26.9, "26,9", "procent", 2018)
    assert cells[-1][1:3] == ("3,6", "procentpunt")
    wijk = loaded.themes[1].key_table
    bijstand = [row[wijk.column("bijstand")] for row in wijk.rows]
    assert bijstand[3].suppressed and bijstand[3].text == "<10" and bijstand[0].text == "212"
    assert [row[wijk.column("aandeel_bijstand")].text for row in wijk.rows][3] == "–"  # empty: no data
    assert "wijk_code" not in [c.name for c in wijk.columns]  # a CSV column outside the spec stays out
    monitor = loaded.monitor
    basis = [row[monitor.column("basis_waarde")].text for row in monitor.rows]
    assert basis == ["825", "1,73", "79", "14"]  # decimals per row, from the decimals column
    assert [row[monitor.column("basis_periode")].value for row in monitor.rows] == ["juli 2018", "2016/2017", 2017, 2017]
    assert [row[monitor.column("oordeel")].text for row in monitor.rows] == [
        "onvoldoende data", "op koers", "onzeker", "onvoldoende data"]
    assert {row[loaded.register.column("thema")].text for row in loaded.register.rows} == set(THEMES)


def test_a_missing_theme_figure_or_column_becomes_a_note_without_paths(reports):
    (reports / "figures" / "demografie" / "herkomst.png").unlink()
    csv = reports / "tables" / "criminaliteit" / "diefstal_uit_woning.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("waarde", "value"), encoding="utf-8")
    messages: list[str] = []
    paths = export.export_all(reports, make_pdf=False, echo=messages.append)
    assert [p.name for p in paths] == ["tabellen.xlsx", "beleidsnota.docx", "technisch-rapport.docx", "index.html"]
    assert any("Onderwijs is niet opgenomen" in m for m in messages)  # in the manifest, no summary
    assert any("'Inwoners naar migratieachtergrond, Maassluis, 1 januari 2018' ontbreekt" in m for m in messages)
    assert any("'Diefstal uit woning per 1.000 inwoners' ontbreekt of is onleesbaar" in m for m in messages)
    assert not any("/" in m or ".csv" in m or ".png" in m for m in messages)
    assert "Het thema Onderwijs is niet opgenomen" in " ".join(docx_texts(reports / "beleidsnota.docx"))


def test_no_manifest_or_no_summary_is_a_clear_error(tmp_path, reports):
    with pytest.raises(export.ExportError, match="manifest.json"):
        export.export_all(tmp_path)
    for summary in reports.glob("tables/*/kerncijfers.json"):
        summary.unlink()
    with pytest.raises(export.ExportError, match="Geen kerncijfers"):
        export.export_all(reports)


def test_a_value_column_shows_a_written_number_in_dutch_notation_and_keeps_words(tmp_path):
    (tmp_path / "register.csv").write_text("verwacht\n3.6\n31390\n1.73\ndaling\n", encoding="utf-8")
    record = contract.TableRecord("r", "register.csv", "Register", "Bron: x",
                                  (contract.Column("verwacht", "Volgens document", kind="value"),))
    cells = [row[0] for row in read.read_table(tmp_path, record).rows]
    assert [c.text for c in cells] == ["3,6", "31.390", "1,73", "daling"]
    assert [c.value for c in cells] == [3.6, 31390, 1.73, "daling"]


def test_clean_removes_control_characters_and_keeps_line_ends():
    assert read.clean("a\x00b\x07c\x1bd\r\ne\rf\tg\x7f") == "abcd\ne\nf\tg"
    assert read.clean(None) == ""


# --------------------------------------------------------------------------- workbook

def test_workbook_has_a_readme_and_one_tidy_table_per_sheet(built):
    book = openpyxl.load_workbook(built / "tabellen.xlsx")
    loaded = read.load_reports(built)
    assert book.sheetnames[0] == "Lees mij" and book.active.title == "Lees mij"
    tables = [t for theme in loaded.themes for t in sorted(theme.tables, key=lambda t: t is not theme.key_table)]
    tables += loaded.run_tables()
    assert [t for t, _ in xlsx.sheet_tables(loaded)] == tables  # every table once (no theme part of a run table)
    assert len(book.sheetnames) == 1 + len(tables)
    assert len({n.lower() for n in book.sheetnames}) == len(book.sheetnames)
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\']", n) for n in book.sheetnames)
    assert not any(re.search(r"\(\d+\)$", n) for n in book.sheetnames)
    assert book.sheetnames[-3:] == ["Doelenmonitor", "Reproductieregister", "Trends"]
    for name, table in zip(book.sheetnames[1:], tables):
        sheet = book[name]
        headers = xlsx.sheet_headers(table)
        assert [c.value for c in sheet[1]] == headers
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(headers))}{len(table.rows) + 1}"
        assert sheet.max_row == len(table.rows) + 1  # nothing stacked under the table
        assert all(cell.font.bold for cell in sheet[1])


def test_workbook_numbers_are_numbers_with_the_stated_decimals(built):
    book = openpyxl.load_workbook(built / "tabellen.xlsx")
    sheet = book["Demografie overzicht"]
    assert [c.value for c in sheet[1]] == ["Indicator", "Regio", "Jaar", "Waarde", "Eenheid"]
    inwoners, aandeel = sheet[3], sheet[5]
    assert inwoners[3].value == 32518 and inwoners[3].data_type == "n" and inwoners[3].number_format == "#,##0"
    assert aandeel[3].value == pytest.approx(26.9) and aandeel[3].number_format == "#,##0.0"
    assert aandeel[4].value == "procent" and aandeel[2].value == 2018 and aandeel[2].number_format == "0"
    wijk = book["Uitkeringen naar wijk"]
    headers = [c.value for c in wijk[1]]
    assert "Aandeel bijstandsuitkering (%)" in headers and "Verandering bijstand sinds 2014 (procentpunt)" in headers
    aandeel = headers.index("Aandeel bijstandsuitkering (%)")
    assert wijk.cell(2, aandeel + 1).value == pytest.approx(3.6)  # 3,6 with the unit in the header, no Excel %
    assert "%" not in wijk.cell(2, aandeel + 1).number_format
    persons = headers.index("Personen met een bijstandsuitkering")
    suppressed, mark = wijk.cell(5, persons + 1), wijk.cell(5, persons + 2)
    assert suppressed.value is None and mark.value == "<10" and mark.data_type == "s"  # never '<10' among numbers
    assert headers[persons + 1] == "Personen met een bijstandsuitkering: niet gepubliceerd"
    assert {c.data_type for c in wijk[openpyxl.utils.get_column_letter(persons + 1)][1:] if c.value is not None} == {"n"}
    assert wijk.cell(5, aandeel + 1).value is None  # no data: an empty cell
    change = wijk.cell(2, headers.index("Verandering bijstand sinds 2014 (procentpunt)") + 1)
    assert change.value == pytest.approx(-0.4) and change.data_type == "n"  # a negative number stays a number
    monitor = book["Doelenmonitor"]
    basis = [c.value for c in monitor["D"][1:]]
    assert basis == [825, pytest.approx(1.73), 79, 14]
    assert [c.number_format for c in monitor["D"][1:]] == ["#,##0", "#,##0.00", "#,##0", "#,##0"]
    assert [c.value for c in monitor["H"][1:]] == ["onvoldoende data", "op koers", "onzeker", "onvoldoende data"]
    trends = book["Trends"]
    assert {c.number_format for c in trends["G"][1:3]} == {"#,##0.00"}


def test_workbook_readme_and_properties(built):
    book = openpyxl.load_workbook(built / "tabellen.xlsx")
    text = "\n".join(str(c.value) for row in book["Lees mij"].iter_rows() for c in row if c.value is not None)
    for expected in ("29 november 2026", "2009–2018", "Gemeente Maassluis", "kleiner dan 10", "'<10'",
                     "Demografie overzicht", "Bron: CBS", "Gehaald", "Op koers", "overgenomen",
                     "niet gecontroleerd", "procentpunt", "Begroting 2019, kerngegevens – primaire bron",
                     "onderzoek@maassluis.nl"):
        assert expected in text, expected
    links = {c.hyperlink.location for row in book["Lees mij"].iter_rows() for c in row if c.hyperlink}
    assert {f"'{name}'!A1" for name in book.sheetnames[1:]} == links
    properties = book.properties
    assert properties.creator == "Gemeente Maassluis" and properties.title == "Integratie in Maassluis: tabellen"
    assert properties.created == datetime(2026, 11, 29, 13, 5)  # the run's time, in UTC
    assert properties.language == "nl-NL"


def test_sheet_names_are_valid_unique_and_readable():
    taken = {"lees mij"}
    assert xlsx.sheet_name("Inwoners naar migratieachtergrond, Maassluis, 1 januari 2018", taken, "Maassluis") == \
        "Inwoners migratieachtergrond"
    assert xlsx.sheet_name("Uitkeringen naar wijk, Maassluis, 2018", taken, "Maassluis") == "Uitkeringen naar wijk"
    assert xlsx.sheet_name("Uitkeringen naar wijk", taken) == "Uitkeringen wijk"  # taken: said shorter, no '(2)'
    assert xlsx.sheet_name("Wat? [ja] 'x'", taken) == "Wat ja x"
    assert xlsx.sheet_name("Diefstal uit woning per 1.000 inwoners", taken) == "Diefstal uit woning per 1.000"
    marokkaans = ("Verschil in het aandeel als verdachte geregistreerden tussen Marokkaanse achtergrond en "
                  "Nederlandse achtergrond")
    assert xlsx.sheet_name(marokkaans, taken) == "Verschil verdachten Marokkaans"
    assert xlsx.sheet_name(marokkaans.replace("Marokkaanse", "Turkse"), taken) == "Verschil verdachten Turks"
    assert xlsx.sheet_name("Wijken van Maassluis: herkomst en leeftijd", taken, "Maassluis") == \
        "Wijken herkomst en leeftijd"
    assert xlsx.sheet_name("Lees mij", taken) == "Lees"
    assert xlsx.theme_word("Criminaliteit en delinquentie") == "Criminaliteit"
    assert xlsx.theme_word("Arbeid en inkomen") == "Arbeid en inkomen"


# --------------------------------------------------------------------------- escaping

def test_formulas_in_data_stay_literal_text_in_the_workbook(hostile):
    book = openpyxl.load_workbook(hostile / "tabellen.xlsx")
    seen = set()
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    seen.add(cell.value)
                    if cell.value.startswith(xlsx.FORMULA_START):
                        assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.value)
    assert {FORMULA, COMMAND, SCRIPT, DOLLARS, "@SOM(A1:A9)", "+31 10 123", "-3,6"} <= seen
    numbers = [c for c in book["Demografie overzicht"]["D"][1:] if isinstance(c.value, (int, float))]
    assert -3.6 in [c.value for c in numbers] and -12 in [c.value for c in numbers]
    assert all(c.data_type == "n" for c in numbers)
    with zipfile.ZipFile(hostile / "tabellen.xlsx") as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in s or "<f " in s for s in sheets)  # no formula anywhere in the file


def test_put_marks_every_formula_start_and_keeps_numbers():
    book = openpyxl.Workbook()
    sheet = book.active
    for i, value in enumerate(["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "gewoon", -1.5, 0], start=1):
        xlsx.put(sheet, i, 1, value)
    cells = [sheet.cell(i, 1) for i in range(1, 10)]
    assert [c.quotePrefix for c in cells[:6]] == [True] * 6
    assert cells[4].value == "\tx" and cells[5].value == "\nx"  # a carriage return is a line end
    assert not cells[6].quotePrefix and cells[6].data_type == "s"
    assert cells[7].value == -1.5 and cells[7].data_type == "n" and cells[8].data_type == "n"


def test_markup_and_control_characters_stay_harmless_text_in_the_documents(hostile):
    texts = docx_texts(hostile / "beleidsnota.docx") + docx_texts(hostile / "technisch-rapport.docx")
    text = "\n".join(texts)
    for literal in (FORMULA, COMMAND, SCRIPT, DOLLARS):
        assert literal in text
    assert "De bevolking groeide." in text and "\x07" not in text  # the bell is gone, the sentence stays
    with zipfile.ZipFile(hostile / "beleidsnota.docx") as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.headings: list[int] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data):
        self.text.append(data)


def _parse(path: Path) -> _Page:
    parsed = _Page()
    parsed.feed(path.read_text(encoding="utf-8"))
    return parsed


def test_markup_in_data_is_escaped_on_the_page(hostile):
    parsed = _parse(hostile / "index.html")
    assert "script" not in {tag for tag, _ in parsed.tags}
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    text = "".join(parsed.text)
    assert SCRIPT in text and FORMULA in text and DOLLARS in text
    alts = [attrs["alt"] for tag, attrs in parsed.tags if tag == "img"]
    assert SCRIPT + '" onerror="alert(1)' in alts  # the whole text, as an attribute value


def test_template_never_marks_data_safe():
    template = (ROOT / "src/analyse/export/templates/index.html").read_text(encoding="utf-8")
    assert "|safe" not in template.replace(" ", "") and "Markup" not in template and "autoescape" not in template
    assert page._ENVIRONMENT.autoescape is True


def test_only_plain_relative_paths_become_links():
    assert page.relative_href("figures/demografie/inwoners.png") == "figures/demografie/inwoners.png"
    assert page.relative_href("figures/a b.png") == "figures/a%20b.png"
    for bad in ("javascript:alert(1)", "../geheim.png", "/etc/passwd", "http://x/y.png", "a//b.png", "a\"b.png", ""):
        assert page.relative_href(bad) is None, bad


# --------------------------------------------------------------------------- Word note

def test_nota_structure_title_page_contents_and_chapters(built):
    document = docx.Document(str(built / "beleidsnota.docx"))
    styles = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert styles[0] == ("Title", "Integratie in Maassluis")
    first_page = [t for _, t in styles[:6]]
    assert "Cijfers over integratie, per thema" in first_page
    assert "29 november 2026" in first_page
    assert "Nieuwste cijfers per thema: 2018" in first_page  # the newest key figures, not the widest window
    assert any("Gemeente Maassluis" in t for t in first_page)
    heading1 = [t for s, t in styles if s == "Heading 1"]
    assert heading1 == ["Inleiding", "Samenvatting", *THEMES, "Doelenmonitor"]  # no method, register, annex
    assert ("Tussenkop", "Colofon") in styles and ("Tussenkop", "Inhoud") in styles
    with zipfile.ZipFile(built / "beleidsnota.docx") as archive:
        body = archive.read("word/document.xml").decode("utf-8")
        settings = archive.read("word/settings.xml").decode("utf-8")
        footers = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if "footer" in n)
    assert 'TOC \\o "1-1"' in body and "Klik met rechts en kies Veld bijwerken" in body
    assert '<w:updateFields w:val="true"/>' in settings
    assert " PAGE " in footers
    assert document.sections[0].different_first_page_header_footer  # no page number on the title page


def test_report_holds_method_sources_register_monitor_and_annex_tables(built):
    document = docx.Document(str(built / "technisch-rapport.docx"))
    styles = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert styles[0] == ("Title", "Integratie in Maassluis: technisch rapport")
    heading1 = [t for s, t in styles if s == "Heading 1"]
    assert heading1 == ["Werkwijze", "Bronnen", "Uitkomsten per thema", "Doelenmonitor",
                        "Controle van de cijfers in de beleidsvisie", "Bijlage A: tabellen", "Afkortingen"]
    texts = [t for _, t in styles]
    assert ("Heading 2", "Primaire bronnen (4)") in styles and ("Heading 2", "Secundaire bronnen (2)") in styles
    loaded = read.load_reports(built)
    captions = [t for s, t in styles if s == "Caption"]
    tables = [loaded.monitor, loaded.register] + [t for theme in loaded.themes for t in theme.note_tables()]
    assert captions == [f"Tabel {n}. {t.title}" for n, t in enumerate(tables, start=1)]
    register = document.tables[1]
    assert [c.text for c in register.rows[0].cells][:3] == ["Thema", "Bewering", "Volgens document"]
    quotes = [row.cells[1].text for row in register.rows[1:]]
    assert quotes and all(q.startswith("‘") and q.endswith("’") for q in quotes)  # marked as quotations
    for theme in loaded.themes:  # every message, also those the nota leaves out, and the caveats
        assert all(m in texts for m in theme.summary.messages)
        assert all(w in texts for w in theme.summary.warnings)
    assert "CBS: Centraal Bureau voor de Statistiek" in texts


def test_nota_summary_has_the_strongest_plain_messages_per_theme(built):
    document = docx.Document(str(built / "beleidsnota.docx"))
    paragraphs = [p for p in document.paragraphs if p.text]
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Samenvatting")
    end = next(i for i, p in enumerate(paragraphs) if p.text == THEMES[0] and p.style.name == "Heading 1")
    summary = [p.text for p in paragraphs[start + 1:end]]
    loaded = read.load_reports(built)
    expected = []
    for theme in loaded.themes:
        messages = plain.nota_messages(theme.summary.messages, theme.summary.key_figures, 2)
        expected += [theme.title, *messages] if messages else []
    expected += ["Doelenmonitor", "Van de 4 doelen uit de beleidsvisie: 1 op koers, 1 onzeker en 2 onvoldoende data."]
    assert [t.replace(" (Centraal Bureau voor de Statistiek)", "") for t in summary] == expected


def test_nota_leaves_out_method_words_and_messages_on_a_suppressed_number():
    figure = contract.KeyFigure("medewerkers", "Medewerkers", "Maassluis", "tot_29", "tot 29 jaar", 2017, None,
                                "aantal", "minder dan 10", "Bron: gemeente", "r")
    messages = ("In 2017 is de werkloosheid 7,6%: hoger dan in Nederland (6,1%).",
                "Het verschil wordt kleiner (odds ratio -3,4% per jaar).",
                "Opeenvolgende jaren wijken af (Durbin-Watson 0,66).",
                "In 2017 heeft Maassluis minder dan 10 medewerkers tot 29 jaar.",
                "De daling is statistisch niet aantoonbaar; teller: 45.",
                "In 2018 heeft Maassluis 825 personen met een bijstandsuitkering.")
    assert plain.nota_messages(messages, (figure,), 3) == [messages[0], messages[5]]
    assert plain.method_words("Durbin-Watson 0,66; niet-inferioriteit; methode ols") == [
        "durbin-watson", "niet-inferioriteit", "methode", "ols"]
    assert plain.is_plain("Een vertelling over tellers in de stad")  # whole words only


def test_abbreviations_are_explained_at_their_first_use_only():
    words = plain.Abbreviations()
    assert words.explain("De deelname aan VVE steeg.") == \
        "De deelname aan VVE (voor- en vroegschoolse educatie) steeg."
    assert words.explain("VVE en vsv in 2017; VVE-indicatie.") == \
        "VVE en vsv (voortijdig schoolverlaten) in 2017; VVE-indicatie."
    assert words.explain("Cijfers van het CBS (Centraal Bureau voor de Statistiek).") == \
        "Cijfers van het CBS (Centraal Bureau voor de Statistiek)."  # already explained by the text
    assert words.used() == [("VVE", "voor- en vroegschoolse educatie"), ("vsv", "voortijdig schoolverlaten"),
                            ("CBS", "Centraal Bureau voor de Statistiek")]


def test_visible_problems_finds_codes_file_names_none_nan_and_english_numbers():
    text = ("Oordeel wijkt_af voor 3.6 en 1.73 (niet 32.518 of 1.234.567) in data.csv; None en nan; "
            "zie https://www.cbs.nl/nl_nl/a_b.csv en 2019-2024.")
    assert plain.visible_problems(text) == ["wijkt_af", "data.csv", "None", "nan", "3.6", "1.73"]
    assert plain.visible_problems("In 2017 is het 7,6% (6,1%); 32.518 inwoners; 1,73%.") == []


def test_nota_theme_chapter_area_messages_key_figures_and_figures(built):
    document = docx.Document(str(built / "beleidsnota.docx"))
    texts = [p.text for p in document.paragraphs]
    loaded = read.load_reports(built)
    demografie, arbeid = loaded.themes[0].summary, loaded.themes[1].summary
    assert demografie.intro not in texts  # the template introduction stays out
    assert "Maassluis, vergeleken met Rotterdam en Nederland; cijfers over 2009–2018." in texts
    assert "Maassluis, vergeleken met Vlaardingen en Schiedam; cijfers over 2014–2018." in texts
    figures = [f for theme in loaded.themes for f in nota.nota_figures(theme)]
    captions = [t for t in texts if t.startswith("Figuur ")]
    assert captions == [f"Figuur {n}. {f.title}" for n, f in enumerate(figures, start=1)]
    for figure in figures:  # the reading guide right under its caption
        i = texts.index(next(c for c in captions if c.endswith(figure.title)))
        assert texts[i + 1] == f"Zo leest u deze figuur: {figure.guidance}"
    assert len(document.inline_shapes) == len(figures)
    assert [s._inline.docPr.get("descr") for s in document.inline_shapes] == [f.alt for f in figures]
    assert all(s.width == Cm(nota.Nota.figure_width) for s in document.inline_shapes)  # the fixture's are wide
    key_rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert key_rows[0] == ["Kerncijfer", "Gebied", "Jaar", "Waarde", "Ter vergelijking (zelfde jaar)"]
    assert key_rows[2] == ["Aandeel inwoners met migratieachtergrond", "Maassluis", "2018", "26,9%",
                           "Rotterdam 50,3%; Nederland 23,1%"]
    assert arbeid.warnings[0] not in texts  # caveats are in the technical report


def test_key_figure_comparison_says_its_year_and_the_peer_median():
    peers = contract.PeerBenchmark("gemeenten met 20.000 tot 50.000 inwoners", 2023, 183, 28.6, 24.0, 34.3, 5, 90,
                                   120, 63, "mediaan 28,6 per 1.000 (middelste helft 24,0 per 1.000 tot 34,3 per 1.000)")
    figure = contract.KeyFigure("misdrijven", "Misdrijven", "Maassluis", "totaal", "Totaal", 2024, 31.0, "per_1000",
                                "31,0 per 1.000", "Bron: CBS", "r",
                                benchmarks=(contract.Benchmark("Rotterdam", 2023, 80.9, "80,9 per 1.000"),),
                                comparison_year=2023, comparison_value=32.2, comparison_text="32,2 per 1.000",
                                peers=peers)
    assert publication.benchmark_text(figure) == (
        "in 2023: Rotterdam 80,9 per 1.000; mediaan gemeenten met 20.000 tot 50.000 inwoners 28,6 per 1.000; "
        "Maassluis toen 32,2 per 1.000")
    assert publication.benchmark_text(replace(figure, comparison_year=None)) == "–"


def test_nota_monitor_is_one_table_with_what_is_needed_for_a_verdict(built):
    document = docx.Document(str(built / "beleidsnota.docx"))
    monitor = document.tables[-1]
    rows = [[c.text for c in row.cells] for row in monitor.rows]
    assert rows[0] == ["Doel", "Begin", "Laatste meting", "Oordeel", "Nodig voor een oordeel"]
    assert len(rows) == 5
    assert rows[1][1:4] == ["825 (juli 2018)", "825 (2018)", "onvoldoende data"]
    assert rows[1][4] == "Nog 3 metingen van dezelfde bron (minstens drie meetjaren)."  # no count of years: none
    assert rows[2][3:] == ["op koers", "–"]
    assert nota.needed({"oordeel": "onvoldoende_data", "doel_jaar": "2021", "laatste_jaar": "2017", "n_jaren": "4"},
                       2024) == "Een meting over 2021, het doeljaar."


def test_report_register_reports_every_status_on_its_own_and_never_calls_transcribed_checked(built):
    texts = docx_texts(built / "technisch-rapport.docx")
    for count in ("klopt: 3", "overgenomen: 2", "tekst onjuist: 1", "wijkt af: 1", "niet aangetoond: 1",
                  "geen data: 1"):
        assert any(t.startswith(count) for t in texts), count
    assert any("beweringen die kloppen" in t and "3 " in t for t in texts)
    for text in texts:
        if "overgenomen" in text.lower() and "gecontroleerd" in text:
            assert "niet gecontroleerd" in text, text
        assert not re.search(r"\b(geverifieerd|bevestigd)\b", text), text
    problems = [t for t in texts if t.startswith(("Tekst onjuist:", "Wijkt af:", "Niet aangetoond:"))]
    assert len(problems) == 3 and not any("overgenomen" in t.lower() for t in problems)
    assert all("‘" in t for t in problems)  # the claim quoted


def test_documents_have_no_internal_codes_or_paths(built):
    for name in ("beleidsnota.docx", "technisch-rapport.docx"):
        text = "\n".join(docx_texts(built / name))
        assert not re.findall(r"\b[a-z]+_[a-z0-9_]+\b", text)  # no snake_case codes
        for fragment in ("data/raw", "tables/", "figures/", ".csv", ".png", ".json", "arbeid_inkomen", "sha256"):
            assert fragment not in text, fragment
        assert "demo-0" not in text and "c-01" not in text  # register ids stay in the workbook's CSV
        assert not plain.visible_problems(text), name


def test_the_house_style_is_a_word_template_with_every_style_the_documents_use():
    template = docx.Document(str(docx_style.TEMPLATE))
    names = {style.name for style in template.styles}
    assert set(docx_style.STYLES) <= names
    assert not [p for p in template.paragraphs if p.text]  # styles only, no text
    with zipfile.ZipFile(docx_style.TEMPLATE) as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
    assert 'w:ascii="Arial"' in styles and 'w:lang w:val="nl-NL"' in styles


@pytest.mark.parametrize("name", ["beleidsnota.docx", "technisch-rapport.docx"])
def test_documents_are_dutch_with_their_properties(built, name):
    with zipfile.ZipFile(built / name) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
        styles = archive.read("word/styles.xml").decode("utf-8")
    defaults = styles[styles.index("<w:docDefaults>"):styles.index("</w:docDefaults>")]
    assert 'w:lang w:val="nl-NL"' in defaults
    runs = re.findall(r"<w:r>.*?</w:r>|<w:r [^>]*>.*?</w:r>", body, flags=re.S)
    assert runs and all('w:lang w:val="nl-NL"' in run for run in runs)
    assert styles.count('w:val="nl-NL"') > 10  # on the styles too
    core = docx.Document(str(built / name)).core_properties
    assert core.title.startswith("Integratie in Maassluis") and core.author == "Gemeente Maassluis"
    assert core.language == "nl-NL" and core.created == datetime(2026, 11, 29, 13, 5, tzinfo=timezone.utc)
    assert "python-docx" not in (core.comments + core.last_modified_by + core.author)


def test_note_elements_keep_the_schema_order_word_requires(built):
    with zipfile.ZipFile(built / "beleidsnota.docx") as archive:
        settings = archive.read("word/settings.xml").decode("utf-8")
        body = archive.read("word/document.xml").decode("utf-8")
    assert settings.index("<w:updateFields") < settings.index("<w:compat") < settings.index("<w:themeFontLang")
    assert '<w:decimalSymbol w:val=","/>' in settings and '<w:listSeparator w:val=";"/>' in settings
    for properties in re.findall(r"<w:tblPr>.*?</w:tblPr>", body, flags=re.S):
        order = [tag for tag in re.findall(r"<w:(\w+)", properties) if tag in
                 ("tblStyle", "tblW", "jc", "tblBorders", "tblLayout", "tblLook")]
        assert order == sorted(order, key=["tblStyle", "tblW", "jc", "tblBorders", "tblLayout", "tblLook"].index)
        assert order.count("tblLayout") == 1


def test_a_tall_figure_is_scaled_to_fit_the_page(reports):
    import matplotlib.pyplot as plt

    png = reports / "figures" / "criminaliteit" / "diefstal_uit_woning.png"
    fig, _ = plt.subplots(figsize=(3, 6))
    fig.savefig(png, dpi=40)
    plt.close(fig)
    export.export_all(reports, make_pdf=False, echo=lambda _: None)
    shapes = docx.Document(str(reports / "beleidsnota.docx")).inline_shapes
    assert shapes[-1].height == Cm(publication.MAX_FIGURE_HEIGHT) and shapes[-1].width < Cm(nota.Nota.figure_width)


def _section_of_tables(document) -> list[bool]:
    """For every table in the body: whether it stands in a landscape section."""
    sections, marks, current = document.sections, [], 0
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:tbl"):
            marks.append(current)
        elif element.tag == qn("w:p") and element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            current += 1
    return [sections[i].page_width > sections[i].page_height for i in marks]


@pytest.mark.parametrize("name", ["beleidsnota.docx", "technisch-rapport.docx"])
def test_table_columns_never_break_a_word(built, name):
    document = docx.Document(str(built / name))
    for table in document.tables:
        for r, row in enumerate(table.rows):
            for cell in row.cells:
                runs = cell.paragraphs[0].runs
                if not runs:
                    continue
                size = runs[0].font.size.pt
                room = cell.width.cm - 2 * docx_tables.CELL_MARGIN
                assert widths.longest_word(cell.text, size, bold=r == 0) <= room + 1e-6, cell.text
    if name == "technisch-rapport.docx":
        assert _section_of_tables(document) == [True, False, False, True, False]  # the wide tables turn
        headers = [c.text for t in document.tables for c in t.rows[0].cells]
        assert "Personen met een bijstandsuitkering" in headers and "Arbeidsongeschiktheidsuitkeringen" in headers


def test_layout_goes_smaller_then_landscape_before_breaking_words():
    narrow = docx_tables.layout(["Jaar", "Regio"], [["2018", "Maassluis"]], [True, False])
    assert not narrow.landscape and narrow.size == 9
    headers = ["Wijk"] + ["Arbeidsongeschiktheidsuitkeringen"] * 5
    wide = docx_tables.layout(headers, [["Centrum"] + ["1.310"] * 5], [False] + [True] * 5)
    assert wide.landscape and sum(wide.widths) <= 24.7 + 1e-9
    assert min(wide.widths[1:]) >= widths.text_width(headers[1], wide.size, bold=True) + 2 * docx_tables.CELL_MARGIN
    text = docx_tables.layout(["Bewering"], [["lang " * 80]], [False])
    assert sum(text.widths) == pytest.approx(16.0)  # wrapping text gets the whole line


# --------------------------------------------------------------------------- index.html

def test_index_is_an_offline_dutch_page_with_themes_figures_and_downloads(built):
    parsed = _parse(built / "index.html")
    source = (built / "index.html").read_text(encoding="utf-8")
    assert source.startswith("<!DOCTYPE html>") and '<html lang="nl">' in source
    assert 'name="viewport"' in source
    assert parsed.headings[0] == 1 and parsed.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(parsed.headings, parsed.headings[1:]))  # no skipped level
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {"script", "link", "iframe", "object", "embed"}
    assert "@import" not in source and "url(" not in source
    for tag, attrs in parsed.tags:
        for name in ("href", "src"):
            if name in attrs:
                assert not re.match(r"[a-z]+:|/", attrs[name]), attrs[name]  # relative, inside reports/
    loaded = read.load_reports(built)
    images = {attrs["src"]: attrs for tag, attrs in parsed.tags if tag == "img"}
    main = [f for theme in loaded.themes for f in theme.figures if f.main]
    assert list(images) == [f.png for f in main]
    assert [images[f.png]["alt"] for f in main] == [f.alt for f in main]
    assert all((built / src).is_file() and images[src]["width"] for src in images)
    text = " ".join(" ".join(parsed.text).split())
    assert "29 november 2026" in text and "2009–2018" in text and "Maassluis in cijfers" in text
    for theme in loaded.themes:
        assert plain.nota_messages(theme.summary.messages, theme.summary.key_figures, 1)[0] in text
        assert theme.title in text
    assert "Aandeel inwoners met migratieachtergrond · Maassluis, 2018 26,9% Ter vergelijking, zelfde jaar: " \
           "Rotterdam 50,3%; Nederland 23,1%" in text  # a tile says whose number, which year, and compares alike
    hrefs = [attrs.get("href") for tag, attrs in parsed.tags if tag == "a"]
    assert {"notebooks/demografie.html", "notebooks/arbeid_inkomen.html", "beleidsnota.docx",
            "technisch-rapport.docx", "tabellen.xlsx", "figures/demografie/inwoners.csv"} <= set(hrefs)
    assert hrefs.count("figures/demografie/inwoners.png") == 2  # the figure and 'op ware grootte' open it whole
    assert "beleidsnota.pdf" not in hrefs  # no PDF made in this run
    assert "Rotterdam en Nederland" in text and "overgenomen: 2" in text and "niet gecontroleerd" in text


def test_a_window_of_one_year_reads_as_that_year_on_the_page_and_in_the_note(reports):
    summary = reports / "tables" / "demografie" / contract.SUMMARY_FILE
    text = summary.read_text(encoding="utf-8")
    assert '"start_year": 2009' in text
    summary.write_text(text.replace('"start_year": 2009', '"start_year": 2018'), encoding="utf-8")
    loaded = read.load_reports(reports)
    demografie = next(t for t in loaded.themes if t.code == "demografie")
    parsed = _Page()
    parsed.feed(page.render(loaded))
    cards = " ".join(" ".join(parsed.text).split())
    assert "Maassluis, vergeleken met Rotterdam en Nederland; cijfers over 2018." in cards
    assert "2018–2018" not in cards and "2018-2018" not in cards
    assert publication.area_line(demografie).endswith("cijfers over 2018.")


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_index_colours_meet_wcag_aa():
    css = (ROOT / "src/analyse/export/templates/index.html").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([a-z]+):(#[0-9a-f]{6})", css))
    pairs = [("ink", "paper"), ("ink", "wash"), ("muted", "paper"), ("muted", "wash"), ("link", "paper"),
             ("link", "wash")]
    for text, background in pairs:
        assert _contrast(colours[text], colours[background]) >= 4.5, (text, background)
    assert _contrast("#ffffff", colours["accent"]) >= 4.5 and _contrast("#e6edf5", colours["accent"]) >= 4.5
    assert _contrast("#1b2430", "#fff4d6") >= 4.5  # the note box


# --------------------------------------------------------------------------- PDF, atomic writes, packaging

def pdf_catalogue(path: Path) -> dict:
    """Title, page count and tagging (pdfinfo) and the catalogue's language, marking and outline (the raw
    catalogue LibreOffice writes, which is not compressed)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    raw = path.read_bytes()
    lang = re.search(rb"/Lang\s*\(([^)]*)\)", raw)
    return {"title": fields["Title"].strip(), "pages": int(fields["Pages"]), "tagged": fields["Tagged"].strip(),
            "lang": lang.group(1).decode() if lang else None,
            "marked": re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true", raw) is not None,
            "outlines": re.search(rb"/Outlines\s+\d+\s+0\s+R", raw) is not None,
            "title_shown": re.search(rb"/DisplayDocTitle\s+true", raw) is not None}


@pytest.mark.slow
@pytest.mark.skipif(pdf.find_soffice() is None or shutil.which("pdfinfo") is None,
                    reason="LibreOffice (soffice) or pdfinfo is not installed")
def test_pdfs_are_tagged_with_bookmarks_language_and_title(reports):
    paths = export.export_all(reports, echo=lambda _: None)
    for name, title in (("beleidsnota.pdf", "Integratie in Maassluis"),
                        ("technisch-rapport.pdf", "Integratie in Maassluis: technisch rapport")):
        target = reports / name
        assert target in paths and target.read_bytes().startswith(b"%PDF")
        assert pdf_catalogue(target) | {"pages": 0} == {"title": title, "pages": 0, "tagged": "yes", "lang": "nl-NL",
                                                        "marked": True, "outlines": True, "title_shown": True}
        assert f'href="{name}"' in (reports / "index.html").read_text(encoding="utf-8")
    assert not list(reports.glob(".*.tmp"))
    if shutil.which("pdftotext") and pdf.uno_python(pdf.find_soffice()):
        text = subprocess.run(["pdftotext", "-layout", str(reports / "beleidsnota.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "Inhoud" in text and "Klik met rechts" not in text  # the contents were filled in
        assert re.search(r"Samenvatting\s*\.+\s*\d+", text)


def test_without_libreoffice_the_run_says_how_to_get_a_pdf(reports, monkeypatch):
    (reports / "beleidsnota.pdf").write_bytes(b"%PDF oud")
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    messages: list[str] = []
    paths = export.export_all(reports, echo=messages.append)
    assert [p.name for p in paths] == ["tabellen.xlsx", "beleidsnota.docx", "technisch-rapport.docx", "index.html"]
    assert [m for m in messages if "PDF" in m] == [pdf.NO_LIBREOFFICE] and "\n" not in pdf.NO_LIBREOFFICE
    assert not (reports / "beleidsnota.pdf").exists()  # an old PDF would not match the new note
    assert export.pdf_missing(reports) is False  # nothing to make without LibreOffice
    monkeypatch.setattr(pdf, "find_soffice", lambda: "/usr/bin/soffice")
    assert export.pdf_missing(reports) is True  # LibreOffice has come: a run makes the PDFs


def fake_libreoffice(tmp_path: Path, monkeypatch) -> Path:
    """A soffice that writes a small PDF and counts its conversions in ``tmp_path/conversions``."""
    fake = tmp_path / "soffice"
    fake.write_text(f'#!/bin/sh\necho x >> {tmp_path}/conversions\n'
                    'for last; do :; done\n'
                    'while [ $# -gt 1 ]; do [ "$1" = "--outdir" ] && out="$2"; shift; done\n'
                    'printf "%%PDF-1.4 nieuw" > "$out/$(basename "$last" .docx).pdf"\n')
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "find_soffice", lambda: str(fake))
    monkeypatch.setattr(pdf, "uno_python", lambda _: None)
    return tmp_path / "conversions"


def test_the_pdf_of_an_unchanged_note_is_reused_and_a_changed_note_converted(reports, tmp_path, monkeypatch):
    conversions = fake_libreoffice(tmp_path, monkeypatch)
    previous = tmp_path / "gepubliceerd"
    previous.mkdir()
    export.export_all(reports, make_pdf=False, echo=lambda _: None)
    for name in ("beleidsnota", "technisch-rapport"):
        shutil.copyfile(reports / f"{name}.docx", previous / f"{name}.docx")
        (previous / f"{name}.pdf").write_bytes(b"%PDF-1.4 vorige run")

    paths = export.export_all(reports, echo=lambda _: None, previous=previous)  # a new write time, same content
    assert (reports / "beleidsnota.pdf") in paths and not conversions.exists()
    assert (reports / "beleidsnota.pdf").read_bytes() == b"%PDF-1.4 vorige run"

    summary = reports / "tables" / "criminaliteit" / "kerncijfers.json"
    summary.write_text(summary.read_text(encoding="utf-8").replace("is gedaald van", "is flink gedaald van"),
                       encoding="utf-8")
    export.export_all(reports, echo=lambda _: None, previous=previous)
    assert conversions.read_text().count("x") == 2  # both documents changed
    assert (reports / "beleidsnota.pdf").read_bytes() == b"%PDF-1.4 nieuw"
    assert (reports / "technisch-rapport.pdf").read_bytes() == b"%PDF-1.4 nieuw"
    assert not pdf.same_note(previous / "beleidsnota.docx", reports / "beleidsnota.docx")


def test_a_failing_workbook_stops_the_pdf_conversion(reports, tmp_path, monkeypatch):
    started = tmp_path / "gestart"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\necho $$ > {started}\nsleep 60\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "find_soffice", lambda: str(fake))
    monkeypatch.setattr(pdf, "uno_python", lambda _: None)

    def broken(reports_, target):
        deadline = time.monotonic() + 10
        while not started.exists() and time.monotonic() < deadline:  # LibreOffice runs meanwhile
            time.sleep(0.05)
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(export.xlsx, "write_workbook", broken)
    (reports / "beleidsnota.pdf").unlink(missing_ok=True)
    with pytest.raises(OSError):
        export.export_all(reports, echo=lambda _: None)
    pid = int(started.read_text())
    stat = Path(f"/proc/{pid}/stat")
    assert not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z", "LibreOffice was stopped"
    assert not (reports / "beleidsnota.pdf").exists()


def test_a_hanging_libreoffice_is_stopped(tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\necho $$ > {tmp_path}/pid\nsleep 60 &\necho $! > {tmp_path}/child\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "find_soffice", lambda: str(fake))
    (tmp_path / "in.docx").write_bytes(b"x")
    with pytest.raises(pdf.PdfError, match="niet klaar"):
        pdf.convert(tmp_path / "in.docx", tmp_path / "uit.pdf", timeout=1, update_contents=False)
    for name in ("pid", "child"):  # the script and what it started: gone (or a zombie waiting for init)
        stat = Path(f"/proc/{int((tmp_path / name).read_text())}/stat")
        assert not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"
    assert not (tmp_path / "uit.pdf").exists()


def test_when_updating_the_contents_fails_the_plain_conversion_is_used(tmp_path, monkeypatch):
    fake_soffice = tmp_path / "soffice"
    fake_soffice.write_text('#!/bin/sh\necho "$@" > ' + str(tmp_path / "arguments") + '\n'
                            'while [ $# -gt 1 ]; do [ "$1" = "--outdir" ] && out="$2"; shift; done\n'
                            'printf "%%PDF-1.4 nep" > "$out/in.pdf"\n')
    broken_python = tmp_path / "python"
    broken_python.write_text("#!/bin/sh\necho 'kapot' >&2\nexit 2\n")
    for script in (fake_soffice, broken_python):
        script.chmod(0o755)
    monkeypatch.setattr(pdf, "find_soffice", lambda: str(fake_soffice))
    monkeypatch.setattr(pdf, "uno_python", lambda _: str(broken_python))
    (tmp_path / "in.docx").write_bytes(b"x")
    pdf.convert(tmp_path / "in.docx", tmp_path / "uit.pdf")
    assert (tmp_path / "uit.pdf").read_bytes() == b"%PDF-1.4 nep"
    assert '"UseTaggedPDF":{"type":"boolean","value":"true"}' in (tmp_path / "arguments").read_text()


def fake_bridge(tmp_path: Path, monkeypatch) -> Path:
    """A LibreOffice bridge (the uno_pdf helper) that notes its start, then per line 'IN<TAB>OUT' writes a PDF when
    the document is there and answers 'ok'; returns the folder where it leaves 'gestart' (its PID) and 'gekregen'
    (the lines it got)."""
    fake = tmp_path / "python"
    fake.write_text(f'#!/bin/sh\necho $$ > {tmp_path}/gestart\n'
                    f'while IFS="$(printf \'\\t\')" read -r source target; do\n'
                    f'  [ -z "$source" ] && break\n  echo "$source" >> {tmp_path}/gekregen\n'
                    '  [ -s "$source" ] && printf "%%PDF-1.4 warm" > "$target"\n  echo ok\ndone\nexit 0\n')
    fake.chmod(0o755)
    soffice = tmp_path / "soffice"
    soffice.write_text("#!/bin/sh\nexit 1\n")
    soffice.chmod(0o755)
    monkeypatch.setattr(pdf, "find_soffice", lambda: str(soffice))
    monkeypatch.setattr(pdf, "uno_python", lambda _: str(fake))
    return tmp_path


def test_libreoffice_is_started_before_the_documents_are_written(reports, tmp_path, monkeypatch):
    bridge = fake_bridge(tmp_path, monkeypatch)
    write_nota = nota.write_nota
    seen = []

    def slow_note(reports_, target):
        deadline = time.monotonic() + 10
        while not (bridge / "gestart").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        seen.append((bridge / "gestart").exists())
        write_nota(reports_, target)

    monkeypatch.setattr(export.nota, "write_nota", slow_note)
    paths = export.export_all(reports, echo=lambda _: None)
    assert seen == [True]
    for name in ("beleidsnota.pdf", "technisch-rapport.pdf"):
        assert (reports / name) in paths and (reports / name).read_bytes() == b"%PDF-1.4 warm"
    assert [Path(line).name for line in (bridge / "gekregen").read_text().split()] == [
        "beleidsnota.docx", "technisch-rapport.docx"]  # one LibreOffice for both


def test_a_failing_note_stops_the_libreoffice_started_for_it(reports, tmp_path, monkeypatch):
    bridge = fake_bridge(tmp_path, monkeypatch)

    def broken(reports_, target):
        deadline = time.monotonic() + 10
        while not (bridge / "gestart").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(export.nota, "write_nota", broken)
    with pytest.raises(OSError):
        export.export_all(reports, echo=lambda _: None)
    stat = Path(f"/proc/{int((bridge / 'gestart').read_text())}/stat")
    assert not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z", "LibreOffice was stopped"
    assert not (bridge / "gekregen").exists()
    assert not pdf._running


def test_codes_in_the_note_are_reported(reports, caplog):
    summary = reports / "tables" / "criminaliteit" / "kerncijfers.json"
    summary.write_text(summary.read_text(encoding="utf-8").replace("is gedaald van", "is niet_westers gedaald van"),
                       encoding="utf-8")
    with caplog.at_level("WARNING", logger="analyse.export"):
        export.export_all(reports, make_pdf=False, echo=lambda _: None)
    assert any("codes waar een lezer een label verwacht: niet_westers" in m for m in caplog.messages)


def test_a_failing_writer_leaves_the_previous_note_in_place(reports, monkeypatch):
    export.export_all(reports, make_pdf=False, echo=lambda _: None)
    before = (reports / "beleidsnota.docx").read_bytes()

    def fail(self, path):
        Path(path).write_bytes(before[: len(before) // 2])
        raise OSError("schijf vol")

    monkeypatch.setattr(docx.document.Document, "save", fail)
    with pytest.raises(OSError, match="schijf vol"):
        export.export_all(reports, make_pdf=False, echo=lambda _: None)
    assert (reports / "beleidsnota.docx").read_bytes() == before
    assert not list(reports.glob(".beleidsnota*"))


def test_templates_are_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["analyse"]
    package = ROOT / "src" / "analyse"
    templates = sorted((package / "export" / "templates").iterdir())
    assert templates
    for template in templates:
        assert any(template.match(str(package / pattern)) for pattern in patterns), template.name


def test_old_single_module_is_gone_and_pipeline_names_remain():
    assert not (ROOT / "src" / "analyse" / "export.py").exists()
    assert callable(export.export_all) and issubclass(export.ExportError, Exception)
    assert sys.modules["analyse.export"].__file__.endswith("__init__.py")
    assert REGISTER_LABELS["overgenomen"] == "overgenomen"


# --------------------------------------------------------------------------- the theme pages

class _Visible(HTMLParser):
    """The text a reader sees on a page: no style or script content, no attributes (URLs aside)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.lang = None
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        self._skip += tag in ("style", "script")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")
        self._in_title = False if tag == "title" else self._in_title

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def visible_text(path: Path) -> _Visible:
    page = _Visible()
    page.feed(path.read_text(encoding="utf-8"))
    return page



def test_a_theme_page_leaves_out_what_is_for_researchers_and_says_codes_in_words():
    import nbformat

    from analyse import runner

    cells = [nbformat.v4.new_markdown_cell("# Onderwijs\n\nDit notebook leest `instellingen.toml`."),
             nbformat.v4.new_markdown_cell("## Zo leest u dit notebook\n\nHet oordeel is `op_koers`, `gehaald` of `x_y`."),
             nbformat.v4.new_markdown_cell("## Parameters\n\n- `start_jaar`: het eerste jaar"),
             nbformat.v4.new_code_cell("start_jaar = None", metadata={"tags": ["parameters"]}),
             nbformat.v4.new_code_cell("t = Thema()"),
             nbformat.v4.new_markdown_cell("## Kernboodschappen\n\nMet een later `eind_jaar` ..."),
             nbformat.v4.new_code_cell("t.kernboodschappen()"),
             nbformat.v4.new_markdown_cell("## Bronnen")]
    kept = runner.reader_cells(cells)
    assert ["".join(c.source) for c in kept] == [
        "## Zo leest u dit notebook\n\nHet oordeel is *op koers*, *gehaald* of `x_y`.", "t = Thema()", "## Bronnen"]


def test_a_long_output_table_is_folded_and_a_short_one_is_not():
    from analyse import safe_html

    short = "<table>" + "<tr><td>1</td></tr>" * 5 + "</table>"
    long = "<table><tr><th>a</th></tr>" + "<tr><td>1</td></tr>" * 30 + "</table>"
    assert safe_html.fold_long_table(short) == short
    assert safe_html.fold_long_table(long) == f"<details><summary>Tabel met 30 regels tonen</summary>{long}</details>"


def test_a_theme_page_opens_with_its_title_area_and_key_messages(reports, tmp_path):
    import nbformat

    from analyse import runner

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Demografie\n\nVoor onderzoekers."),
                                               nbformat.v4.new_markdown_cell("## Bronnen\n\nCBS <script>x</script>")])
    executed = reports / "notebooks" / "demografie.ipynb"
    executed.parent.mkdir(exist_ok=True)
    nbformat.write(notebook, executed)
    runner.write_html(executed, tmp_path / "demografie.html")
    page = visible_text(tmp_path / "demografie.html")
    text = " ".join(" ".join(page.parts).split())
    summary = contract.read_summary(reports / "tables" / "demografie" / contract.SUMMARY_FILE)
    assert page.lang == "nl" and page.title == "Demografie en diversiteit"
    assert text.startswith("Demografie en diversiteit Maassluis, vergeleken met Rotterdam en Nederland; 2009–2018. "
                           f"Kernboodschappen {summary.messages[0]}")
    assert "Voor onderzoekers" not in text and "<script>x</script>" in text  # data text stays text
    assert "max-width:100%" in (tmp_path / "demografie.html").read_text(encoding="utf-8")


def test_a_text_column_of_whole_numbers_is_stored_as_numbers_and_a_code_stays_text():
    columns = (contract.Column("rang", "Rang"), contract.Column("code", "Code"), contract.Column("groep", "Groep"))
    record = contract.TableRecord("rang", "rang.csv", "Rang", "Bron: x", columns)
    rows = ((read.Cell("1", "1"), read.Cell("0556", "0556"), read.Cell("35-44 jaar", "35-44 jaar")),
            (read.Cell("2", "2"), read.Cell("0606", "0606"), read.Cell("18-27 jaar", "18-27 jaar")))
    sheet = openpyxl.Workbook().active
    xlsx._fill_table(sheet, read.Table(record, columns, rows))
    assert [(c.value, c.data_type) for c in sheet["A"][1:]] == [(1, "n"), (2, "n")]
    assert [c.value for c in sheet["B"][1:]] == ["0556", "0606"] and sheet["C"][1].data_type == "s"


def test_a_municipality_without_a_policy_document_gets_no_monitor_and_no_check(reports):
    manifest = json.loads((reports / contract.MANIFEST_FILE).read_text(encoding="utf-8"))
    manifest["tables"] = [t for t in manifest["tables"] if t["name"] == contract.TRENDS_TABLE]
    manifest["settings"]["policy_document"] = ""
    (reports / contract.MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    export.export_all(reports, make_pdf=False, echo=lambda _: None)
    headings = {name: [p.text for p in docx.Document(str(reports / name)).paragraphs if p.style.name == "Heading 1"]
                for name in ("beleidsnota.docx", "technisch-rapport.docx")}
    assert headings["beleidsnota.docx"] == ["Inleiding", "Samenvatting", *THEMES]
    assert headings["technisch-rapport.docx"] == ["Werkwijze", "Bronnen", "Uitkomsten per thema",
                                                  "Bijlage A: tabellen", "Afkortingen"]
    text = "\n".join(docx_texts(reports / "beleidsnota.docx"))
    assert "beleidsvisie" not in text.lower()  # nothing about a document this municipality does not have
