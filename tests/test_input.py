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
from analyse.text.notation import round_as_shown
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
    fields.update({"teller": "23", "noemer": "100", column: written})
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


# --------------------------------------------------------------------------- magnitudes no indicator can have

UNIT_INDICATORS = "".join(f"in_{unit},demografie,In {unit},{unit},neutraal,,,,,,,,\n" for unit in (
    "per_1000", "rapportcijfer", "jaren", "rang", "euro", "index"))


def raw_with_units(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    """A raw folder whose catalogue has an indicator ``in_<unit>`` for more units, with ``rows`` observed."""
    raw = raw_with(tmp_path, f"{header}\n" + "\n".join(rows) + "\n")
    path = raw / "indicatoren.csv"
    path.write_text(path.read_text(encoding="utf-8") + UNIT_INDICATORS, encoding="utf-8")
    return raw


def unit_row(unit: str, value: str) -> str:
    indicator = {"aantal": "inwoners", "procent": "aandeel_herkomst"}.get(unit, f"in_{unit}")
    return f"{indicator},Maassluis,totaal,2018,{value},{unit},toets,,,,,"


@pytest.mark.parametrize("unit, written, fragment", [
    ("aantal", "1e300", "tussen 0 en 10.000.000.000"), ("aantal", "20000000000", "tussen 0 en 10.000.000.000"),
    ("procent", "1e300", "tussen 0 en 100"), ("euro", "1e14", "tussen 0 en 10.000.000.000.000"),
    ("per_1000", "2e6", "tussen 0 en 1.000.000"), ("rapportcijfer", "11", "tussen 0 en 10"),
    ("jaren", "200", "tussen 0 en 150"), ("rang", "0", "tussen 1 en 1.000.000"),
    ("index", "-1e300", "tussen -1.000.000.000 en 1.000.000.000"),
    ("procent", "1e-300", "ten minste 0,000001"), ("index", "-0.0000001", "ten minste 0,000001"),
])
def test_magnitudes_no_indicator_can_have_are_refused(tmp_path, unit, written, fragment):
    """1e300 passed before and crashed a notebook later; now the row is refused with file, row and column."""
    problem = only(problems_in(raw_with_units(tmp_path, [unit_row(unit, written)])))
    assert (problem.row, problem.column, problem.value) == (2, "waarde", written)
    assert fragment in problem.expected
    assert len(one_line(problem)) < 400


@pytest.mark.parametrize("unit, written", [
    ("aantal", "10000000000"), ("aantal", "0"), ("procent", "100"), ("euro", "1e13"), ("rapportcijfer", "10"),
    ("jaren", "150"), ("rang", "1"), ("index", "-1e9"), ("per_1000", "0.000001"),
])
def test_values_at_the_bounds_pass(tmp_path, unit, written):
    obs = data.load_raw(raw_with_units(tmp_path, [unit_row(unit, written)])).observations
    assert obs["waarde"].tolist() == [float(written)]


@pytest.mark.parametrize("column, written, fragment", [
    ("teller", "1e11", "hoogstens 10.000.000.000"), ("noemer", "2e10", "hoogstens 10.000.000.000"),
    ("n", "1e300", "hoogstens 10.000.000.000"), ("bovengrens", "1e300", "tussen -10.000.000.000.000"),
    ("ondergrens", "1e-9", "ten minste 0,000001"),
])
def test_magnitudes_are_bounded_in_every_numeric_column(tmp_path, column, written, fragment):
    header = f"{HEADER},ondergrens,bovengrens,n"
    fields = dict(zip(header.split(","), f"{SHARE},20,30,500".split(",")))
    fields.update({"teller": "233", "noemer": "1000", column: written})
    problem = only(problems_in(raw_with(tmp_path, f"{header}\n{','.join(fields.values())}\n")))
    assert (problem.row, problem.column) == (2, column) and fragment in problem.expected


@pytest.mark.parametrize("file, old, new, column", [
    ("indicatoren.csv", ",90,2021,niveau", ",1e300,2021,niveau", "doel_waarde"),
    ("indicatoren.csv", ",79,2017,", ",-1e300,2017,", "basis_waarde"),
    ("beweringen.csv", ",3.6,procent,1,", ",1e300,procent,1,", "verwacht"),
    ("beweringen.csv", ",3.6,procent,1,", ",3.6,procent,400,", "decimalen"),
])
def test_magnitudes_in_catalogues_are_refused(tmp_path, file, old, new, column):
    raw = make_raw(tmp_path / "raw")
    path = raw / file
    assert old in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    problem = only(problems_in(raw))
    assert problem.file.endswith(file) and problem.column == column


def test_the_largest_and_smallest_numbers_allowed_can_be_rounded_and_compared():
    """What validation lets through, the analysis can compute with: no decimal.InvalidOperation later."""
    from analyse import indicators, register
    from analyse.schema import LARGEST, SMALLEST, UNIT_RANGES

    for unit, (low, high) in UNIT_RANGES.items():
        for value in (low, high, SMALLEST):
            assert round_as_shown(value, validate.MAX_DECIMALS) == pytest.approx(value)
        if unit != "rang":
            change = indicators.change(SMALLEST, high, unit)
            assert round_as_shown(change.absolute, validate.MAX_DECIMALS) > 0
            if change.relative_pct is not None:
                assert round_as_shown(change.relative_pct, 1) > 0
    assert round_as_shown(LARGEST / SMALLEST, 1) == pytest.approx(LARGEST / SMALLEST)


def test_an_extreme_jump_is_said_in_words_not_in_a_long_number(tmp_path):
    raw = raw_with(tmp_path, f"{HEADER}\n{SHARE}\n{SHARE.replace('2009', '2018').replace('23.3', '0.000001')}\n")
    warning = only(data.load_raw(raw).warnings)
    assert "meer dan 1.000 keer zo klein als in 2009" in warning.expected
    assert len(str(warning)) < 500


# --------------------------------------------------------------------------- every invisible character

INVISIBLE = ["\x9b", "\x85", "\u200b", "\u200e", "\u200f", "\u061c", "\u2028", "\u2029", "\ufffe", "\uffff",
             "\u00ad", "\ufeff", "\ue000", "\U000f0000", "\u0378", "\u2060", "\u180e"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_every_invisible_character_is_refused_in_a_code_column(tmp_path, char):
    """The Unicode categories Cc, Cf, Zl, Zp, Co and Cn: the README promised these were refused; before, only
    ASCII control characters and a few bidirectional overrides were."""
    problem = only(problems_in(raw_with(tmp_path, f"{HEADER}\n{GOOD.replace('Maassluis', f'Maas{char}sluis')}\n")))
    assert (problem.row, problem.column) == (2, "regio") and f"U+{ord(char):04X}" in problem.expected
    assert "Maas" in one_line(problem) and char not in str(problem)


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u200b", "\u202e"])
def test_every_invisible_character_is_refused_in_free_text_too(tmp_path, char):
    """A line or paragraph separator is not the line break that 'opmerking' may hold."""
    problem = only(problems_in(raw_with(tmp_path, f'{HEADER}\n{GOOD}"zie{char}tabel"\n')))
    assert problem.column == "opmerking" and f"U+{ord(char):04X}" in problem.expected


def test_invisible_characters_are_named_for_what_they_are():
    assert "leesrichting" in reader.describe_char("\u200f") and "leesrichting" in reader.describe_char("\u061c")
    assert "spatie zonder breedte" in reader.describe_char("\u200b")
    assert "regel- of alinea-einde" in reader.describe_char("\u2028")
    assert "geen teken" in reader.describe_char("\ufffe")
    assert "stuurteken" in reader.describe_char("\x9b")


def test_visible_spaces_and_letters_of_any_script_pass(tmp_path):
    """A non-breaking space is a space one sees; accents and other scripts are text."""
    text = "zie\u00a0tabel 2 · Curaçao, İstanbul, Αθήνα, 東京"
    obs = data.load_raw(raw_with(tmp_path, f'{HEADER}\n{GOOD}"{text}"\n')).observations
    assert obs["opmerking"].tolist() == [text]


def test_an_invisible_character_in_a_column_name_is_refused(tmp_path):
    problem = only(problems_in(raw_with(tmp_path, f"{HEADER.replace('regio', 'reg' + chr(0x200B) + 'io')}\n{GOOD}\n")))
    assert problem.row == 1 and "U+200B" in problem.expected


# --------------------------------------------------------------------------- catalogue gaps

def _append(raw: Path, name: str, lines: str) -> None:
    path = raw / name
    path.write_text(path.read_text(encoding="utf-8") + lines, encoding="utf-8")


@pytest.mark.parametrize("name, fragment", [
    ("M\u0430\u0430ssluis", "verschillende schriften (CYRILLIC, LATIN)"),  # Cyrillic а, as in the issue
    ("\u039c\u0391\u0391SSLUIS", "verschillende schriften (GREEK, LATIN)"),
    ("MAASSLUIS", "niet te onderscheiden van 'Maassluis' (rij 2)"),
    ("\uff2daassluis", "niet te onderscheiden van 'Maassluis'"),  # full-width M
    ("Maassluıs", "'ı' (U+0131)"),  # dotless i, a Latin letter
    ("Maas\u00adsluis", "U+00AD"),  # a soft hyphen: refused as an invisible character
    ("\u041d\u0435\u0434\u0435\u0433\u0433\u0430\u043d\u0434", None),  # a Cyrillic name that looks like no other
])
def test_confusable_region_names_are_refused(tmp_path, name, fragment):
    raw = make_raw(tmp_path / "raw")
    _append(raw, "regios.csv", f"{name},GM9999,gemeente,Nieuwe gemeente,\n")
    if fragment is None:
        assert name in set(data.load_raw(raw).regios["regio"])
        return
    problem = only(problems_in(raw))
    assert problem.file.endswith("regios.csv") and (problem.row, problem.column) == (4, "regio")
    assert fragment in problem.expected


def test_the_confusable_check_is_one_pass_over_many_regions(tmp_path):
    """regios.csv may hold every Dutch municipality since 2012: the check looks at each name once."""
    import time

    raw = make_raw(tmp_path / "raw")
    _append(raw, "regios.csv", "".join(f"Gemeente {i:05d},GM{i:04d},gemeente,Gemeente {i},\n" for i in range(5000))
            + "Gemeente\u00a000042,GM9999,gemeente,x,\n")  # a non-breaking space: looks the same
    started = time.process_time()
    problem = only(problems_in(raw))
    assert time.process_time() - started < 30  # comparing every pair of 5.000 names would take far longer
    assert problem.row == 5004 and "niet te onderscheiden van 'Gemeente 00042' (rij 46)" in problem.expected


def test_an_unknown_region_that_looks_like_a_known_one_says_so(tmp_path):
    look_alike = GOOD.replace("Maassluis", "Maa\u0455sluis")  # Cyrillic dze
    problem = only(problems_in(raw_with(tmp_path, f"{HEADER}\n{look_alike}\n")))
    assert problem.column == "regio" and "onbekende regio" in problem.expected
    assert "lijkt op 'Maassluis'" in problem.expected and "U+0455" in problem.expected


@pytest.mark.parametrize("teller, noemer, waarde, refused", [
    ("1", "100", "50", True),  # the case: 50% from 1/100
    ("233", "1000", "2.33", True),  # a share written as a fraction
    ("233", "1000", "23.3", False), ("230", "1000", "23.3", False),  # rounded counts
    ("219000", "593000", "37", False),  # Rotterdam 2010, CBS: 36,9% printed as 37
])
def test_a_share_that_disagrees_with_its_own_teller_and_noemer_is_refused(tmp_path, teller, noemer, waarde, refused):
    row = f"aandeel_herkomst,Maassluis,migratieachtergrond,2009,{waarde},procent,toets,,{teller},{noemer},,"
    raw = raw_with(tmp_path, f"{HEADER}\n{row}\n")
    if not refused:
        assert len(data.load_raw(raw).observations) == 1
        return
    problem = only(problems_in(raw))
    assert (problem.row, problem.column, problem.value) == (2, "waarde", waarde)
    assert f"teller / noemer ({teller} / {noemer}) geeft" in problem.expected


def test_a_rate_per_1000_is_checked_against_its_counts_too(tmp_path):
    """CBS: 36,0 bijstandsuitkeringen per 1.000 from 513.980 / 14.303.940 (35,93) passes; 360 does not."""
    rows = ["in_per_1000,Nederland,totaal,2016,36.0,per_1000,toets,,513980,14303940,,",
            "in_per_1000,Nederland,totaal,2017,360,per_1000,toets,,513980,14303940,,"]
    problem = only(problems_in(raw_with_units(tmp_path, rows)))
    assert problem.row == 3 and "35,93 per_1000" in problem.expected


@pytest.mark.parametrize("groups, cycle", [
    ("a,herkomst,A,,b+c,\nb,herkomst,B,,a+c,\nc,herkomst,C,,,\n", "a → b → a"),
    ("a,herkomst,A,,b+x,\nb,herkomst,B,,c+x,\nc,herkomst,C,,a+x,\nx,herkomst,X,,,\n", "a → b → c → a"),
])
def test_groups_that_are_sums_of_each_other_are_refused(tmp_path, groups, cycle):
    raw = make_raw(tmp_path / "raw")
    (raw / "groepen.csv").write_text("groep,soort,label,indeling,som_van,opmerking\n"
                                     "totaal,totaal,Totaal,,,\nmigratieachtergrond,herkomst,M,,,\n" + groups,
                                     encoding="utf-8")
    problem = only(problems_in(raw))
    assert problem.file.endswith("groepen.csv") and (problem.row, problem.column) == (4, "som_van")
    assert cycle in problem.expected


def test_groups_that_share_parts_are_no_cycle(tmp_path):
    raw = make_raw(tmp_path / "raw")
    (raw / "groepen.csv").write_text("groep,soort,label,indeling,som_van,opmerking\n"
                                     "totaal,totaal,Totaal,,a+b,\nmigratieachtergrond,herkomst,M,,a+c,\n"
                                     "a,herkomst,A,,c+d,\nb,herkomst,B,,,\nc,herkomst,C,,,\nd,herkomst,D,,,\n",
                                     encoding="utf-8")
    assert len(data.load_raw(raw).groepen) == 6


# --------------------------------------------------------------------------- messages that mislead

def test_excels_separator_line_is_obeyed(tmp_path):
    """Excel writes 'sep=;' as the first line; before, every row was 'velden, de kopregel 2'."""
    semicolon = [line.replace(",", ";").replace("23.3", "23,3") for line in (HEADER, GOOD, SHARE)]
    raw = raw_with(tmp_path, "sep=;\n" + "\n".join(semicolon) + "\n")
    obs = data.load_raw(raw).observations
    assert sorted(obs["waarde"]) == [23.3, 31390] and sorted(obs["rij"]) == [2, 3]  # rows as Excel shows them


def test_a_bad_row_after_the_separator_line_is_named_as_excel_shows_it(tmp_path):
    lines = [HEADER, GOOD, GOOD_2018.replace("32518", "veel")]
    problem = only(problems_in(raw_with(tmp_path, '"sep=,"\n' + "\n".join(lines) + "\n")))
    assert (problem.row, problem.column) == (3, "waarde")


def test_a_separator_line_naming_another_separator_is_refused(tmp_path):
    problem = only(problems_in(raw_with(tmp_path, "sep=|\n" + HEADER.replace(",", "|") + "\n")))
    assert problem.row == 1 and "sep=|" in problem.expected and "CSV UTF-8" in problem.expected


def test_a_double_byte_order_mark_is_named(tmp_path):
    raw = make_raw(tmp_path / "raw")
    (raw / "toets.csv").write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + OBSERVATIONS.encode("utf-8"))
    problem = only(problems_in(raw))
    assert problem.file.endswith("toets.csv") and "twee BOM-tekens" in problem.expected


def test_a_column_without_a_header_that_holds_values_is_refused(tmp_path):
    """Its values were dropped without a word."""
    problem = only(problems_in(raw_with(tmp_path, f"{HEADER},\n{GOOD},\n{GOOD_2018},let op\n")))
    assert (problem.row, problem.column, problem.value) == (3, "kolom M (zonder kop)", "let op")


def test_validate_names_a_broken_notebook_and_still_checks_the_data(tmp_path, monkeypatch, capsys):
    make_raw(tmp_path / "data" / "raw")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "demografie.ipynb").write_text("{kapot", encoding="utf-8")
    os.mkfifo(notebooks / "onderwijs.ipynb")
    code, out, err = _cli(tmp_path, monkeypatch, capsys)
    assert code == 0 and err == "" and "Data in orde: 4 waarnemingen" in out
    warnings = out.split("\nWaarschuwingen:\n")[1]
    assert "notebooks/demografie.ipynb: de parameters zijn niet te lezen (notebook demografie.ipynb is niet te lezen" \
        in warnings
    assert "notebooks/onderwijs.ipynb: de parameters zijn niet te lezen (het is geen gewoon bestand)" in warnings
    assert "Thema 'demografie'" not in warnings  # not reported as 'no notebook for this theme'


def test_decimalen_in_the_catalogue_is_a_whole_number_up_to_three(tmp_path):
    raw = make_raw(tmp_path / "raw")
    catalogue = raw / "indicatoren.csv"
    header, *rows = catalogue.read_text(encoding="utf-8").splitlines()

    def write(decimals: list[str]) -> None:
        lines = [header + ",decimalen"] + [f"{row},{d}" for row, d in zip(rows, decimals)]
        catalogue.write_text("\n".join(lines) + "\n", encoding="utf-8")

    write(["0", "x", "1"])
    problem = only(problems_in(raw))
    assert problem.row == 3 and problem.column == "decimalen" and "0 tot en met 3" in problem.expected
    write(["0", "4", ""])
    assert only(problems_in(raw)).column == "decimalen"
    write(["0", "1", ""])
    assert data.load_raw(raw) is not None  # 0 to 3, or empty (as published)
