"""Every kind of unreadable or implausible input is refused (or warned about) at validation, in one line
naming file, row and column: quotes that swallow rows, dangling links and unreadable files, semicolon
catalogues, non-finite numbers, counts that are not whole, years with look-alike digits, overlong fields,
invisible characters, extra workbook sheets and implausible jumps."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from analyse import checksum, data, reader, validate
from analyse.cli import main
from conftest import CATALOGUES, OBSERVATIONS, make_raw, only, problems_in

HEADER = OBSERVATIONS.splitlines()[0]
GOOD = "inwoners,Maassluis,totaal,2009,31390,aantal,toets,,,,,"
GOOD_2018 = "inwoners,Maassluis,totaal,2018,32518,aantal,toets,,,,,"
SHARE = "aandeel_herkomst,Maassluis,migratieachtergrond,2009,23.3,procent,toets,,,,,"


def raw_with(tmp_path: Path, text: str) -> Path:
    return make_raw(tmp_path / "raw", text)


def one_line(problem: data.Problem) -> str:
    text = str(problem)
    assert "\n" not in text and "\r" not in text and text.isprintable(), repr(text)
    return text


# --------------------------------------------------------------------------- quotes and structure

def test_unclosed_quote_names_the_row_where_it_opened(tmp_path):
    """A quote that never closes swallows every following row; the problem is the row where it opened."""
    raw = raw_with(tmp_path, f'{HEADER}\n{GOOD_2018}\ninwoners,Maassluis,totaal,2009,31390,aantal,toets,,,,"H2 begin,\n'
                             f"{SHARE}\n{SHARE.replace('2009', '2018')}\n")
    problem = only(problems_in(raw))
    assert problem.file.endswith("toets.csv") and problem.row == 3 and problem.column == "vindplaats"
    assert "aanhalingsteken" in problem.expected and "nergens gesloten" in problem.expected
    assert "regel 3 tot en met 5" in problem.expected
    assert "toets.csv, rij 3, kolom 'vindplaats'" in one_line(problem)


def test_quote_closed_rows_later_is_refused_at_its_opening_row(tmp_path):
    raw = raw_with(tmp_path, f'{HEADER}\ninwoners,Maassluis,totaal,2009,31390,aantal,toets,,,,"H2 begin,\n'
                             f'{GOOD_2018[:-2]},"x",\n{SHARE}\n')
    problem = only(problems_in(raw))
    assert problem.row == 2 and problem.column == "vindplaats" and "regel 3" in problem.expected


def test_quote_in_a_free_text_column_that_swallows_rows_is_refused(tmp_path):
    """A line break is allowed in 'opmerking', but not one that hides whole rows."""
    raw = raw_with(tmp_path, f'{HEADER}\n{GOOD[:-1]},"let op: eerste regel\n{GOOD_2018}\n{SHARE}"\n')
    problem = only(problems_in(raw))
    assert problem.row == 2 and problem.column == "opmerking" and "volgende rij" in problem.expected


def test_line_break_inside_a_quoted_comment_is_kept(tmp_path):
    raw = raw_with(tmp_path, f'{HEADER}\n{GOOD[:-1]},"regel een\nregel twee"\n{GOOD_2018}\n')
    obs = data.load_raw(raw).observations
    assert "regel een\nregel twee" in set(obs["opmerking"])
    assert set(obs.loc[obs["jaar"] == 2018, "rij"]) == {3}  # the spreadsheet row, not the text line


def test_line_break_in_a_code_column_is_refused(tmp_path):
    problem = only(problems_in(raw_with(tmp_path, f'{HEADER}\ninwoners,"Maas\nsluis",totaal,2009,1,aantal,toets,,,,,\n')))
    assert problem.row == 2 and problem.column == "regio" and "regeleinde" in problem.expected


def test_text_after_a_closing_quote_is_refused(tmp_path):
    problem = only(problems_in(raw_with(tmp_path, f'{HEADER}\n{GOOD[:-2]},"H2: "citaat" tekst",\n')))
    assert problem.row == 2 and problem.column == "vindplaats" and '""' in problem.expected


def test_row_numbers_count_empty_rows_as_excel_shows_them(tmp_path):
    raw = raw_with(tmp_path, f"{HEADER}\n\n{GOOD}\n,,,,,,,,,,,\n{GOOD_2018.replace('2018', '2018x')}\n{SHARE},extra\n")
    problems = problems_in(raw)
    assert [(p.row, p.column) for p in problems] == [(6, None)]  # field count first: the table is not read
    raw = raw_with(tmp_path, f"{HEADER}\n\n{GOOD}\n,,,,,,,,,,,\n{GOOD_2018.replace('2018', '2018x')}\n")
    assert [(p.row, p.column) for p in problems_in(raw)] == [(5, "jaar")]


def test_a_column_named_twice_is_refused(tmp_path):
    problem = only(problems_in(raw_with(tmp_path, f"{HEADER},regio\n{GOOD},Maassluis\n")))
    assert problem.row == 1 and problem.column == "regio"


# --------------------------------------------------------------------------- files that cannot be read

def test_dangling_link_is_named_not_skipped(tmp_path):
    raw = make_raw(tmp_path / "raw")
    os.symlink(tmp_path / "elders" / "weg.csv", raw / "weg.csv")
    assert raw / "weg.csv" in checksum.observation_files(raw)
    problem = only(problems_in(raw))
    assert problem.file.endswith("weg.csv") and "symlink" in problem.expected and "bestaat niet" in problem.expected
    assert checksum.raw_manifest(raw)["weg.csv"].startswith("onleesbaar")  # the run's checksum does not crash


def test_dangling_catalogue_is_named(tmp_path):
    raw = make_raw(tmp_path / "raw")
    (raw / "regios.csv").unlink()
    os.symlink(tmp_path / "weg.csv", raw / "regios.csv")
    problem = only(problems_in(raw))
    assert problem.file.endswith("regios.csv") and "symlink" in problem.expected


def test_unreadable_file_is_named_with_the_reason(tmp_path, monkeypatch):
    """(Tests may run as root, for whom no file is unreadable: the refusal is simulated at open.)"""
    raw = make_raw(tmp_path / "raw")
    (raw / "geheim.csv").write_text(OBSERVATIONS, encoding="utf-8")
    real_open = open

    def guarded(path, *args, **kwargs):
        if Path(path).name == "geheim.csv":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(reader, "open", guarded, raising=False)
    problem = only(problems_in(raw))
    assert problem.file.endswith("geheim.csv") and "niet te lezen" in problem.expected
    assert "geen toestemming" in problem.expected


# --------------------------------------------------------------------------- catalogues with semicolons

def test_semicolon_catalogues_are_read_in_validation_and_by_the_notebooks(tmp_path):
    """A catalogue saved by Dutch Excel passes validation and is read the same way by ``data.load``."""
    comma = make_raw(tmp_path / "komma" / "raw")
    semicolon = make_raw(tmp_path / "puntkomma" / "raw")
    for name in CATALOGUES:
        path = semicolon / name
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(";".join(f'"{c}"' if ";" in c else c for c in line.split(",")) for line in lines)
                        + "\n", encoding="utf-8")
    claims = semicolon / "beweringen.csv"  # Dutch Excel writes decimal commas
    claims.write_text(claims.read_text(encoding="utf-8").replace(";3.6;", ";3,6;"), encoding="utf-8")
    indicators = semicolon / "indicatoren.csv"
    indicators.write_text(indicators.read_text(encoding="utf-8").replace(";90;2021;", ";90,5;2021;"), encoding="utf-8")
    (comma / "indicatoren.csv").write_text(
        (comma / "indicatoren.csv").read_text(encoding="utf-8").replace(",90,2021,", ",90.5,2021,"), encoding="utf-8")
    for root in (comma.parent, semicolon.parent):
        (root / "processed").mkdir()
    expected, loaded = data.load(comma.parent), data.load(semicolon.parent)
    for name in ("indicatoren", "bronnen", "reeksen", "regios", "groepen", "beweringen"):
        assert getattr(loaded, name).equals(getattr(expected, name)), name
    assert loaded.indicatoren.set_index("indicator").loc["vve_deelname", "doel_waarde"] == "90.5"
    again = data.load(semicolon.parent)  # from the processed table, catalogues read again
    assert again.indicatoren.equals(expected.indicatoren)


def test_semicolon_catalogue_with_an_ambiguous_point_is_refused(tmp_path):
    raw = make_raw(tmp_path / "raw")
    path = raw / "indicatoren.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";").replace(";90;", ";90.5;"), encoding="utf-8")
    problem = only(problems_in(raw))
    assert problem.file.endswith("indicatoren.csv") and problem.column == "doel_waarde"
    assert "dubbelzinnig" in problem.expected


# --------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("written", ["inf", "-inf", "+inf", "Infinity", "nan", "NaN", "1e309", "-1e309"])
@pytest.mark.parametrize("column", ["waarde", "teller", "noemer", "ondergrens", "bovengrens", "n"])
def test_non_finite_numbers_are_refused_in_every_numeric_column(tmp_path, written, column):
    header = f"{HEADER},ondergrens,bovengrens,n"
    fields = dict(zip(header.split(","), f"{SHARE},20,30,500".split(",")))
    fields.update({"teller": "23", "noemer": "100", column: written})
    problem = only(problems_in(raw_with(tmp_path, f"{header}\n{','.join(fields.values())}\n")))
    assert problem.row == 2 and problem.column == column and problem.value == written
    assert "eindig" in problem.expected


@pytest.mark.parametrize("written, hint", [("1_000", "liggende streepjes"), ("３", "lijkt maar het niet is"),
                                           ("٣", "lijkt maar het niet is"), ("3,6", "punt als decimaalteken")])
def test_numbers_python_would_accept_are_refused(tmp_path, written, hint):
    """``float`` reads '1_000' as 1000 and full-width or Arabic-Indic digits as digits; the contract does not."""
    problem = only(problems_in(raw_with(tmp_path, f'{HEADER}\n{SHARE.replace("23.3", chr(34) + written + chr(34))}\n')))
    assert problem.column == "waarde" and "verwacht een getal" in problem.expected and hint in problem.expected


def test_count_with_a_thousands_separator_is_refused_with_a_hint(tmp_path):
    problem = only(problems_in(raw_with(tmp_path, f"{HEADER}\n{GOOD.replace('31390', '34.148')}\n")))
    assert problem.row == 2 and problem.column == "waarde" and problem.value == "34.148"
    assert "geheel getal" in problem.expected and "34148" in problem.expected and "duizendtallen" in problem.expected


def test_count_with_a_decimal_comma_in_a_semicolon_file_is_refused(tmp_path):
    line = GOOD.replace("31390", "34,148").replace(",", ";").replace("34;148", "34,148")
    problem = only(problems_in(raw_with(tmp_path, f"{HEADER.replace(',', ';')}\n{line}\n")))
    assert problem.column == "waarde" and "geheel getal" in problem.expected and "34148" in problem.expected


@pytest.mark.parametrize("column, written", [("teller", "12.5"), ("noemer", "100.5"), ("n", "40.2")])
def test_teller_noemer_and_n_are_whole_numbers(tmp_path, column, written):
    header = f"{HEADER},n"
    fields = dict(zip(header.split(","), f"{SHARE},50".split(",")))
    fields.update({"teller": "12", "noemer": "100", column: written})
    problem = only(problems_in(raw_with(tmp_path, f"{header}\n{','.join(fields.values())}\n")))
    assert problem.column == column and "geheel getal" in problem.expected


def test_whole_counts_written_with_a_trailing_zero_decimal_pass(tmp_path):
    obs = data.load_raw(raw_with(tmp_path, f"{HEADER}\n{GOOD.replace('31390', '31390.0')}\n")).observations
    assert obs["waarde"].tolist() == [31390.0]


def test_a_claim_that_computes_a_number_needs_a_number(tmp_path):
    raw = make_raw(tmp_path / "raw")
    path = raw / "beweringen.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",3.6,", ",3.6%,"), encoding="utf-8")
    problem = only(problems_in(raw))
    assert problem.file.endswith("beweringen.csv") and problem.column == "verwacht" and "getal" in problem.expected


# --------------------------------------------------------------------------- years

@pytest.mark.parametrize("written", ["2019²", "２０１９", "٢٠١٩", "2019.0", "19", "02019x"])
def test_years_need_plain_digits(tmp_path, written):
    problem = only(problems_in(raw_with(tmp_path, f"{HEADER}\n{GOOD.replace('2009', written)}\n")))
    assert problem.column == "jaar" and problem.value == written and "jaartal" in problem.expected
    if not written.isascii():
        assert "lijkt maar het niet is" in problem.expected


@pytest.mark.parametrize("file, old, new, column", [
    ("indicatoren.csv", ",2021,niveau", ",2021²,niveau", "doel_jaar"),
    ("indicatoren.csv", ",79,2017,", ",79,２０１７,", "basis_jaar"),
    ("beweringen.csv", ",2009,2018,", ",2009,2018²,", "jaar_tot"),
    ("bronnen.csv", ",primair,2019,", ",primair,２０１９,", "datum"),
])
def test_years_in_catalogues_need_plain_digits(tmp_path, file, old, new, column):
    raw = make_raw(tmp_path / "raw")
    path = raw / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    problem = only(problems_in(raw))
    assert problem.file.endswith(file) and problem.column == column


# --------------------------------------------------------------------------- long fields and invisible characters

def test_overlong_field_is_one_line_not_a_traceback(tmp_path):
    problem = only(problems_in(raw_with(tmp_path, f"{HEADER}\n{GOOD[:-2]},{'x' * 200_000},\n")))
    assert problem.row == 2 and problem.column == "vindplaats" and "200.000 tekens" in problem.expected
    assert len(one_line(problem)) < 1000  # the value is cut off in the message


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\u202e", "\u202a", "\u2066", "\u2069", "\t"])
def test_invisible_characters_are_refused_in_code_columns(tmp_path, char):
    problem = only(problems_in(raw_with(tmp_path, f"{HEADER}\n{GOOD.replace('Maassluis', f'Maas{char}sluis')}\n")))
    assert problem.row == 2 and problem.column == "regio"
    assert ("een tab" if char == "\t" else f"U+{ord(char):04X}") in problem.expected
    assert "Maas" in one_line(problem)


@pytest.mark.parametrize("char", ["\x01", "\x7f", "\u202e"])
def test_invisible_characters_are_refused_in_free_text(tmp_path, char):
    problem = only(problems_in(raw_with(tmp_path, f"{HEADER}\n{GOOD}zie{char}tabel\n")))
    assert problem.column == "opmerking"
    one_line(problem)


def test_tab_is_allowed_in_a_comment(tmp_path):
    obs = data.load_raw(raw_with(tmp_path, f"{HEADER}\n{GOOD}zie\ttabel\n")).observations
    assert obs["opmerking"].tolist() == ["zie\ttabel"]


def test_invisible_characters_are_refused_in_catalogues(tmp_path):
    raw = make_raw(tmp_path / "raw")
    path = raw / "bronnen.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Testbron", "Test\u202ebron"), encoding="utf-8")
    problem = only(problems_in(raw))
    assert problem.file.endswith("bronnen.csv") and problem.row == 2 and problem.column == "naam"
    assert "leesrichting" in problem.expected and "\\u202e" in one_line(problem)


# --------------------------------------------------------------------------- workbooks

def _workbook(path: Path, rows: list[list[str]], extra_sheets: tuple[str, ...] = ()) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Waarnemingen"
    for row in rows:
        sheet.append(row)
    for name in extra_sheets:
        book.create_sheet(name).append(["hulpberekening"])
    book.save(path)


def test_other_sheets_of_a_workbook_are_named_as_ignored(tmp_path):
    raw = make_raw(tmp_path / "raw")
    (raw / "toets.csv").unlink()
    _workbook(raw / "toets.xlsx", [line.split(",") for line in OBSERVATIONS.splitlines()], ("Blad2", "Berekening"))
    dataset = data.load_raw(raw)
    assert len(dataset.observations) == 4
    assert [w.file.split("/")[-1] for w in dataset.warnings] == ["toets.xlsx", "toets.xlsx"]
    assert "'Blad2'" in str(dataset.warnings[0]) and "'Waarnemingen'" in str(dataset.warnings[0])
    assert "'Berekening'" in str(dataset.warnings[1])


def test_workbook_cells_are_checked_like_csv_fields(tmp_path):
    raw = make_raw(tmp_path / "raw")
    (raw / "toets.csv").unlink()
    rows = [line.split(",") for line in OBSERVATIONS.splitlines()]
    rows[2][1] = "Maas\nsluis"  # Alt+Enter in a cell
    rows[3][4] = "inf"
    _workbook(raw / "toets.xlsx", rows)
    problems = problems_in(raw)
    assert [(p.row, p.column) for p in problems] == [(3, "regio"), (4, "waarde")]
    assert "regeleinde" in problems[0].expected and "eindig" in problems[1].expected


# --------------------------------------------------------------------------- plausibility warnings

def test_a_tenfold_jump_against_the_previous_year_is_a_warning(tmp_path):
    raw = raw_with(tmp_path, f"{HEADER}\n{GOOD}\n{GOOD_2018.replace('32518', '325180')}\n"
                             f"{SHARE}\n{SHARE.replace('2009', '2018').replace('23.3', '26.9')}\n")
    dataset = data.load_raw(raw)
    warning = only(dataset.warnings)
    assert warning.row == 3 and warning.column == "waarde" and warning.value == "325180"
    assert "10 keer zo groot als in 2009 (31390" in warning.expected and "rij 2" in warning.expected
    assert len(dataset.observations) == 4


def test_a_drop_and_separate_series_are_judged_per_series(tmp_path):
    raw = make_raw(tmp_path / "raw")
    bronnen = raw / "bronnen.csv"
    bronnen.write_text(bronnen.read_text(encoding="utf-8") + "ander,Andere bron,X,X,primair,2020,,\n", encoding="utf-8")
    (raw / "toets.csv").write_text(
        f"{HEADER}\n{GOOD}\n{GOOD_2018.replace('32518', '3000')}\n"  # a drop by a factor of 10.5
        f"{GOOD.replace('2009', '2019').replace('toets', 'ander').replace('31390', '300000')}\n"  # other reeks
        f"{GOOD.replace('2009', '2020').replace('31390', '9000')}\n", encoding="utf-8")  # x3 from 2018: fine
    warning = only(data.load_raw(raw).warnings)
    assert warning.row == 3 and "keer zo klein als in 2009" in warning.expected


def test_warnings_do_not_stop_validation_and_problems_carry_them(tmp_path):
    raw = raw_with(tmp_path, f"{HEADER}\n{GOOD}\n{GOOD_2018.replace('32518', '3251800')}\n")
    assert len(data.load_raw(raw).warnings) == 1
    raw = make_raw(tmp_path / "raw2")
    (raw / "toets.csv").unlink()
    rows = [line.split(",") for line in OBSERVATIONS.splitlines()]
    rows[1][4] = "veel"
    _workbook(raw / "toets.xlsx", rows, ("Blad2",))
    with pytest.raises(data.DataError) as caught:
        data.load_raw(raw)
    assert len(caught.value.problems) == 1 and len(caught.value.warnings) == 1
    assert "Blad2" not in str(caught.value)  # the message lists the problems only


# --------------------------------------------------------------------------- bounded output

def test_many_bad_rows_are_counted_not_listed_one_by_one(tmp_path):
    lines = [f"inwoners,Maassluis,totaal,2009,veel{i},aantal,bron{i},,,,," for i in range(1500)]
    problems = problems_in(raw_with(tmp_path, f"{HEADER}\n" + "\n".join(lines) + "\n"))
    for column in ("bron", "waarde"):
        found = [p for p in problems if p.column == column]
        assert len(found) == validate.MAX_PER_CHECK + 1 and "nog 500 rij(en)" in found[-1].expected
    assert problems[0].row == 2 and problems[1].row == 2  # listed row by row


def test_problem_text_shows_invisible_characters_and_cuts_long_values():
    problem = data.Problem("x.csv", 2, "regio", "a\u202eb\x00" + "y" * 500, "verwacht iets.")
    text = one_line(problem)
    assert "a\\u202eb\\x00" in text and text.count("y") < 100 and "..." in text


# --------------------------------------------------------------------------- through the command line

def _cli(tmp_path, monkeypatch, capsys) -> tuple[int, str, str]:
    monkeypatch.setenv("ANALYSE_ROOT", str(tmp_path))
    code = main(["validate"])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("content, fragment", [
    (f'{HEADER}\n{GOOD_2018}\ninwoners,Maassluis,totaal,2009,31390,aantal,toets,,,,"H2 begin,\n{SHARE}\n',
     "toets.csv, rij 3, kolom 'vindplaats' — een aanhalingsteken"),
    (f"{HEADER}\n{GOOD[:-2]},{'x' * 200_000},\n", "toets.csv, rij 2, kolom 'vindplaats': waarde 'xxx"),
    (f"{HEADER}\n{GOOD.replace('2009', '2019²')}\n", "toets.csv, rij 2, kolom 'jaar': waarde '2019²'"),
    (f"{HEADER}\n{GOOD.replace('31390', '1e309')}\n", "toets.csv, rij 2, kolom 'waarde': waarde '1e309'"),
    (f"{HEADER}\n{GOOD.replace('Maassluis', 'Maas' + chr(0x202E) + 'sluis')}\n",
     "toets.csv, rij 2, kolom 'regio': waarde 'Maas\\u202esluis'"),
])
def test_validate_refuses_bad_input_in_one_line(tmp_path, monkeypatch, capsys, content, fragment):
    make_raw(tmp_path / "data" / "raw", content)
    code, out, err = _cli(tmp_path, monkeypatch, capsys)
    assert code == 2 and "Traceback" not in out + err
    lines = err.strip().splitlines()
    assert lines[0] == "Fout: 1 probleem/problemen in de data:", err
    assert len(lines) == 2 and fragment in lines[1], err


def test_validate_names_a_dangling_link(tmp_path, monkeypatch, capsys):
    raw = make_raw(tmp_path / "data" / "raw")
    os.symlink(tmp_path / "nergens.csv", raw / "cbs_2030.csv")
    code, out, err = _cli(tmp_path, monkeypatch, capsys)
    assert code == 2 and "cbs_2030.csv — het bestand is een verwijzing (symlink)" in err and "Traceback" not in err


def test_validate_prints_warnings_after_the_summary(tmp_path, monkeypatch, capsys):
    make_raw(tmp_path / "data" / "raw", f"{HEADER}\n{GOOD}\n{GOOD_2018.replace('32518', '325180')}\n")
    code, out, err = _cli(tmp_path, monkeypatch, capsys)
    assert code == 0 and err == ""
    summary, warnings = out.split("\nWaarschuwingen:\n")
    assert "Data in orde: 2 waarnemingen" in summary and "Per indicator" in summary
    assert warnings.strip().startswith("- ") and "rij 3, kolom 'waarde': waarde '325180'" in warnings


def test_an_empty_row_with_too_many_separators_is_a_field_count_problem(tmp_path):
    problem = only(problems_in(raw_with(tmp_path, f"{HEADER}\n{GOOD}\n{',' * 15}\n")))
    assert problem.row == 3 and "16 velden" in problem.expected


def test_a_damaged_workbook_is_one_line(tmp_path):
    raw = make_raw(tmp_path / "raw")
    (raw / "kapot.xlsx").write_bytes(b"PK\x03\x04 geen echte werkmap\n")
    problem = only(problems_in(raw))
    assert problem.file.endswith("kapot.xlsx") and "niet te lezen" in problem.expected
    assert "\n" not in problem.expected


@pytest.mark.parametrize("text, refused", [
    ("=HYPERLINK(\"\"http://x\"\",\"\"klik\"\")", True), ("@SUM(A1)", True), ("+31 10 1234567", True),
    ("-2+3", True), ("=1+2", True), ("-", False), ("-3.5", False), ("Zie H2 - bijlage 1", False),
])
def test_a_text_that_a_spreadsheet_would_read_as_a_formula_is_refused(tmp_path, text, refused):
    """Texts from the data reach the published CSV tables as they are: none may start like a formula."""
    row = f'{GOOD}"{text}"'
    raw = raw_with(tmp_path, f"{HEADER}\n{row}\n")
    if not refused:
        assert data.load_raw(raw).observations["opmerking"].tolist() == [text]
        return
    problem = only(problems_in(raw))
    assert (problem.row, problem.column) == (2, "opmerking") and "als formule" in problem.expected
