"""Workbooks (.xlsx) are read streamed, cell by cell, and what a workbook can hide is refused naming the cell:
a formula without a calculated value, an error value, a hidden first sheet, values right of the header, a
sheet too large to read in reasonable time. Workbooks as Excel writes them (shared strings, cached formula
results, dates) are read as Excel shows them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from analyse import data, workbook
from conftest import OBSERVATIONS, make_raw, only, problems_in

ROWS = [line.split(",") for line in OBSERVATIONS.splitlines()]


def project_with_book(tmp_path: Path, rows=ROWS, build=None) -> Path:
    """A raw folder whose observations are a workbook ``toets.xlsx`` with ``rows`` (numbers as numbers)."""
    raw = make_raw(tmp_path / "raw")
    (raw / "toets.csv").unlink()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Waarnemingen"
    for row in rows:
        sheet.append([float(v) if v.replace(".", "", 1).isdigit() and "." in v else int(v) if v.isdigit() else v
                      for v in row])
    if build:
        build(book)
    book.save(raw / "toets.xlsx")
    return raw


def test_numbers_texts_and_rows_are_read_as_excel_shows_them(tmp_path):
    obs = data.load_raw(project_with_book(tmp_path)).observations.sort_values(["indicator", "jaar"])
    assert obs["waarde"].tolist() == [23.3, 26.9, 31390, 32518] and obs["jaar"].tolist() == [2009, 2018] * 2
    assert set(obs["bestand"]) == {"toets.xlsx"} and sorted(obs["rij"]) == [2, 3, 4, 5]


def test_a_formula_without_a_calculated_value_is_refused_naming_the_cell(tmp_path):
    """A workbook written by a program and never opened in Excel: the cell read as '' before."""
    def formula(book):
        book.active["E3"] = "=31000+518"

    problem = only(problems_in(project_with_book(tmp_path, build=formula)))
    assert problem.file.endswith("toets.xlsx") and (problem.row, problem.column) == (3, "waarde")
    assert problem.expected.startswith("cel E3: formule zonder berekende waarde")
    assert "sla op in Excel, of sla op als CSV" in problem.expected


@pytest.mark.parametrize("error", ["#DIV/0!", "#N/A", "#REF!", "#VALUE!"])
def test_an_error_value_is_refused_as_such(tmp_path, error):
    """Before: read as nan, with the hint about 'inf' and 'nan'."""
    def broken(book):
        book.active["E4"] = error  # openpyxl stores an error code as an error cell, as Excel does

    problem = only(problems_in(project_with_book(tmp_path, build=broken)))
    assert (problem.row, problem.column, problem.value) == (4, "waarde", error)
    assert f"cel E4: de cel bevat de foutwaarde {error} van Excel" in problem.expected
    assert "eindig" not in problem.expected and "nan" not in problem.expected


@pytest.mark.parametrize("state, fragment", [("hidden", "is verborgen"), ("veryHidden", "zeer verborgen")])
def test_a_hidden_first_sheet_is_refused(tmp_path, state, fragment):
    def hide(book):
        book.create_sheet("Zichtbaar").append(["x"])
        book.active.sheet_state = state
        book.active = 1

    problem = only(problems_in(project_with_book(tmp_path, build=hide)))
    assert problem.file.endswith("toets.xlsx") and "eerste werkblad ('Waarnemingen')" in problem.expected
    assert fragment in problem.expected


def test_a_hidden_other_sheet_is_named_as_hidden(tmp_path):
    def hide(book):
        book.create_sheet("Hulp").sheet_state = "hidden"

    warning = only(data.load_raw(project_with_book(tmp_path, build=hide)).warnings)
    assert "werkblad 'Hulp' (verborgen) wordt niet gelezen" in warning.expected


def test_values_right_of_the_header_are_refused_not_dropped(tmp_path):
    def extra(book):
        book.active["P4"] = "vergeten kolom"

    problem = only(problems_in(project_with_book(tmp_path, build=extra)))
    assert (problem.row, problem.column, problem.value) == (4, "kolom P (zonder kop)", "vergeten kolom")


def test_an_empty_first_row_is_refused(tmp_path):
    problem = only(problems_in(project_with_book(tmp_path, rows=[[""] * 12, *ROWS])))
    assert "rij 1 van het eerste werkblad is leeg" in problem.expected


def test_a_sheet_larger_than_the_limit_is_refused_with_the_advice_to_save_as_csv(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_PART_BYTES", 1000)
    problem = only(problems_in(project_with_book(tmp_path)))
    assert problem.file.endswith("toets.xlsx") and "uitgepakt" in problem.expected
    assert "op als 'CSV UTF-8'" in problem.expected


def test_a_sheet_that_unpacks_to_more_than_it_says_is_refused(tmp_path, monkeypatch):
    """The limit is checked on the size the archive states; a part that is larger is not read past it."""
    raw = project_with_book(tmp_path)
    real = zipfile.ZipFile.getinfo

    def smaller(self, name):
        info = real(self, name)
        if name.endswith("sheet1.xml"):
            info.file_size = 10  # claims to be small
        return info

    monkeypatch.setattr(zipfile.ZipFile, "getinfo", smaller)
    problem = only(problems_in(raw))
    assert problem.file.endswith("toets.xlsx") and "niet te lezen" in problem.expected


def test_a_long_read_says_how_far_it_is_on_stderr(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(workbook, "PROGRESS_SECONDS", 0.0)
    data.load_raw(project_with_book(tmp_path))
    err = capsys.readouterr().err
    assert "toets.xlsx: 4 rijen gelezen" in err


# --------------------------------------------------------------------------- as Excel writes a workbook

SHEET = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         '<row r="1">{header}</row>{rows}</sheetData></worksheet>')


def excel_book(path: Path, cells: list[str], styles: str | None = None) -> None:
    """A workbook as Excel writes it: shared strings, a styles part, cells with cached values."""
    header = [f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(len(ROWS[0]))]
    strings = "".join(f"<si><t>{name}</t></si>" for name in ROWS[0])
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                            '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'sharedStrings" Target="sharedStrings.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'styles" Target="styles.xml"/></Relationships>'),
        "xl/sharedStrings.xml": ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                 f'{strings}<si><r><t>Maas</t></r><r><t>sluis</t></r></si>'
                                 '<si><t>a &amp; b</t><rPh><t>fonetisch</t></rPh></si></sst>'),
        "xl/styles.xml": styles or ('<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                    '<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>'),
        "xl/worksheets/sheet1.xml": SHEET.format(header="".join(header), rows="".join(cells)),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, content in parts.items():
            book.writestr(name, content)


def test_a_workbook_as_excel_writes_it_is_read_cell_for_cell(tmp_path):
    raw = make_raw(tmp_path / "raw")
    (raw / "toets.csv").unlink()
    region = len(ROWS[0])  # the shared string 'Maassluis', written in two runs
    note = region + 1  # 'a & b', with a phonetic hint that is not part of the text
    row = ('<row r="2"><c r="A2" t="inlineStr"><is><t>inwoners</t></is></c><c r="B2" t="s"><v>{region}</v></c>'
           '<c r="C2" t="inlineStr"><is><t>totaal</t></is></c><c r="D2"><f>2000+9</f><v>2009</v></c>'
           '<c r="E2"><v>31390</v></c><c r="F2" t="str"><f>"aantal"</f><v>aantal</v></c>'
           '<c r="G2" t="inlineStr"><is><t>toets</t></is></c><c r="H2" s="1"><v>43466</v></c>'
           '<c r="L2" t="s"><v>{note}</v></c></row>').format(region=region, note=note)
    excel_book(raw / "toets.xlsx", [row])
    obs = data.load_raw(raw).observations
    assert obs[["indicator", "regio", "jaar", "waarde", "eenheid"]].values.tolist() == \
        [["inwoners", "Maassluis", 2009, 31390.0, "aantal"]]
    assert obs["periode"].tolist() == ["2019-01-01"] and obs["opmerking"].tolist() == ["a & b"]


def test_a_cached_error_of_a_formula_is_refused(tmp_path):
    raw = make_raw(tmp_path / "raw")
    (raw / "toets.csv").unlink()
    row = ('<row r="2"><c r="A2" t="inlineStr"><is><t>inwoners</t></is></c><c r="B2" t="s"><v>{region}</v></c>'
           '<c r="C2" t="inlineStr"><is><t>totaal</t></is></c><c r="D2"><v>2009</v></c>'
           '<c r="E2" t="e"><f>E1/0</f><v>#DIV/0!</v></c><c r="F2" t="inlineStr"><is><t>aantal</t></is></c>'
           '<c r="G2" t="inlineStr"><is><t>toets</t></is></c></row>').format(region=len(ROWS[0]))
    excel_book(raw / "toets.xlsx", [row])
    problem = only(problems_in(raw))
    assert (problem.row, problem.column) == (2, "waarde") and "cel E2: de cel bevat de foutwaarde #DIV/0!" in \
        problem.expected and "deling door nul" in problem.expected


def test_rows_and_cells_without_a_reference_follow_the_one_before(tmp_path):
    """The format allows a writer to leave out 'r': the row and column are then the next ones."""
    raw = make_raw(tmp_path / "raw")
    (raw / "toets.csv").unlink()
    cells = ["inwoners", "Maassluis", "totaal", "2018", "32518", "aantal", "toets"]
    row = "<row>" + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' if not v.isdigit() else f"<c><v>{v}</v></c>"
                            for v in cells) + "</row>"
    excel_book(raw / "toets.xlsx", [row])
    obs = data.load_raw(raw).observations
    assert obs[["regio", "jaar", "waarde", "bron", "rij"]].values.tolist() == [["Maassluis", 2018, 32518.0, "toets", 2]]


def test_the_benchmark_workbook_holds_the_same_rows_as_its_csv(tmp_path):
    """benchmarks/large_input.py --xlsx, which measures workbook reading: the same observations either way."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        import large_input
    finally:
        sys.path.pop(0)
    as_csv = data.load_raw(large_input.write_project(tmp_path / "csv", 50).parent).observations
    as_book = data.load_raw(large_input.write_project(tmp_path / "xlsx", 50, xlsx=True).parent).observations
    columns = ["indicator", "regio", "groep", "jaar", "waarde", "vindplaats", "rij"]
    assert len(as_book) == 50 and as_book[columns].equals(as_csv[columns])
