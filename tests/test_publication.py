"""The publications of a real run of the shipped project (the session's shared run, ``conftest.shipped_run``):
the nota and the technical report in plain Dutch, the nota's PDF at most 40 tagged pages, the pages in Dutch
without codes, the workbook's sheet names and numbers; and a run that makes the missing PDFs once LibreOffice
is there."""

from __future__ import annotations

import re
import shutil

import docx
import openpyxl
import pytest

from analyse import contract
from analyse.export import docx as publication
from analyse.export import pdf, plain
from conftest import REPORTS
from test_export import docx_texts, pdf_catalogue, visible_text


def _must_not_show(text: str) -> list[str]:
    """What issue 25 forbids in visible text: snake_case codes, None and nan (web addresses aside)."""
    text = re.sub(r"(https?://|www\.)\S+", " ", text)
    return sorted(set(re.findall(r"(?<![\w/.-])[a-z][a-z0-9]*_[a-z0-9_]+(?![\w/])", text)
                      + re.findall(r"(?<![\w-])(?:None|nan|NaN)(?![\w-])", text)))


def test_run_publishes_a_nota_and_a_report_in_plain_dutch(shipped_run):
    reports = shipped_run.root / REPORTS
    nota_text = "\n".join(docx_texts(reports / "beleidsnota.docx"))
    report = docx.Document(str(reports / "technisch-rapport.docx"))
    report_text = "\n".join(publication.texts_of(report))
    assert _must_not_show(nota_text) == [] and _must_not_show(report_text) == []
    nota = docx.Document(str(reports / "beleidsnota.docx"))
    running = "\n".join(p.text for p in nota.paragraphs if p.style.name != "Leeswijzer")  # a guide may name the band
    assert not plain.method_words(running), plain.method_words(running)
    assert not re.search(r"\b(19|20)\d\d\.(csv|xlsx)\b|\.csv\b", nota_text)
    headings = [p.text for p in report.paragraphs if p.style.name == "Heading 1"]
    assert "Controle van de cijfers in de beleidsvisie" in headings and "Bijlage A: tabellen" in headings
    assert "Bijlage B: inventaris van de beschikbare gegevens" in headings
    captions = [p.text for p in report.paragraphs if p.style.name == "Caption" and p.text.startswith("Tabel")]
    assert any("Reproductieregister" in c for c in captions) and len(captions) > 10
    register = next(t for t in report.tables if t.rows[0].cells[1].text == "Citaat")
    claimed = [row.cells[2].text for row in register.rows[1:]]
    assert "3,6" in claimed and "31.390" in claimed and "3.6" not in claimed and "31390" not in claimed


@pytest.mark.skipif(pdf.find_soffice() is None or shutil.which("pdfinfo") is None,
                    reason="LibreOffice (soffice) or pdfinfo is not installed")
def test_run_nota_pdf_is_at_most_40_tagged_pages(shipped_run):
    reports = shipped_run.root / REPORTS
    nota_pdf, report_pdf = pdf_catalogue(reports / "beleidsnota.pdf"), pdf_catalogue(reports / "technisch-rapport.pdf")
    assert 20 <= nota_pdf["pages"] <= 40, nota_pdf["pages"]
    for catalogue in (nota_pdf, report_pdf):
        assert catalogue["tagged"] == "yes" and catalogue["marked"] and catalogue["outlines"]
        assert catalogue["lang"] == "nl-NL" and catalogue["title"].startswith("Integratie in Maassluis")


def test_run_pages_declare_dutch_and_show_no_codes(shipped_run):
    reports = shipped_run.root / REPORTS
    index = visible_text(reports / "index.html")
    assert index.lang == "nl" and "Maassluis" in index.title
    assert _must_not_show(" ".join(index.parts)) == []
    source = (reports / "index.html").read_text(encoding="utf-8")
    for href in re.findall(r'href="(figures/[^"]+\.csv)"', source):  # a CSV of the data beside each figure
        assert (reports / href).is_file()
    assert re.search(r'href="figures/[^"]+\.csv"', source)
    for page in sorted((reports / "notebooks").glob("*.html")):
        visible = visible_text(page)
        assert visible.lang == "nl", page.name
        summary = contract.read_summary(reports / "tables" / page.stem / contract.SUMMARY_FILE)
        assert visible.title == summary.title, page.name
        text = " ".join(visible.parts)
        if summary.messages:  # the key messages come first, right under the title
            assert text.index(summary.messages[0]) < len(summary.title) + len(" ".join(summary.messages)) + 400
        assert _must_not_show(text) == [], page.name


def test_run_workbook_has_meaningful_sheet_names_and_numbers_as_numbers(shipped_run):
    book = openpyxl.load_workbook(shipped_run.root / REPORTS / "tabellen.xlsx")
    assert not [n for n in book.sheetnames if re.search(r"\(\d+\)$", n)]
    number = re.compile(r"[+-]?\d[\d.]*(,\d+)?")
    for sheet in book.worksheets[1:]:
        for column in sheet.iter_cols(min_row=2):
            values = [c for c in column if c.value not in (None, "")]
            if values and all(c.data_type == "n" or number.fullmatch(str(c.value)) for c in values):
                assert all(c.data_type == "n" for c in values), (sheet.title, column[0].column_letter)
    readme = "\n".join(str(c.value) for row in book["Lees mij"].iter_rows() for c in row if c.value)
    assert "Politie" in next(line for line in readme.splitlines() if line.startswith("Trendschattingen"))


@pytest.mark.skipif(pdf.find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_a_run_makes_the_missing_pdfs_without_running_anything_again(shipped_run, tmp_path):
    from conftest import copy_shipped_run, run_analyse

    root = copy_shipped_run(shipped_run, tmp_path / "project")
    reports = root / REPORTS
    for name in ("beleidsnota.pdf", "technisch-rapport.pdf"):  # as after a run without LibreOffice
        (reports / name).unlink()
    done = run_analyse(root, "run")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "LibreOffice is er nu" in done.stdout and "Niets veranderd" not in done.stdout
    assert (reports / "beleidsnota.pdf").read_bytes().startswith(b"%PDF")
    assert (reports / "technisch-rapport.pdf").read_bytes().startswith(b"%PDF")
    assert "Klaar: 0 notebooks uitgevoerd" in done.stdout  # only the publications were made
    again = run_analyse(root, "run")  # now nothing is missing: nothing to do
    assert again.returncode == 0 and "LibreOffice is er nu" not in again.stdout
