"""Tables in the Word note: columns measured with Arial's metrics (:mod:`.widths`) so that no word is broken;
a table that does not fit gets a smaller font, then a landscape page (:func:`layout`, :func:`add_table`)."""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from analyse.export import widths
from analyse.export.docx_style import text_width
from analyse.export.read import Table

CELL_MARGIN = 0.19  # cm on either side of a Word table cell (default cell margins)
SAFETY = 0.15  # cm per column on top of the measured width
# (landscape, font size in pt), tried in this order until every word of the table fits whole
LAYOUTS = ((False, 9.0), (False, 8.0), (True, 9.0), (True, 8.0), (True, 7.5), (True, 7.0))


@dataclass
class Layout:
    landscape: bool
    size: float
    widths: list[float]  # cm


def _measure(headers: list[str], rows: list[list[str]], numeric: list[bool], size: float
             ) -> tuple[list[float], list[float], list[float]]:
    """Per column the least width (its widest word, so no word breaks), the width it would like (its
    longest text up to 7 cm) and the width of its longest text on one line."""
    least, want, whole = [], [], []
    pad = 2 * CELL_MARGIN + SAFETY
    for j, number in enumerate(numeric):
        body = [row[j] for row in rows]
        word = max([widths.longest_word(headers[j], size, bold=True)]
                   + [widths.longest_word(t, size) for t in body])
        if number:  # a number is one word; never broken
            word = max([word] + [widths.text_width(t, size) for t in body])
        full = max([widths.text_width(headers[j], size, bold=True) * 0.5]
                   + [widths.text_width(t, size) for t in body])
        least.append(word + pad)
        want.append(max(word, min(full, 7.0)) + pad)
        whole.append(max(word, full) + pad)
    return least, want, whole


def layout(headers: list[str], rows: list[list[str]], numeric: list[bool], landscape: bool = True) -> Layout:
    """The first of :data:`LAYOUTS` (portrait 9 pt, portrait 8 pt, landscape 9 pt, ...) in which every
    word fits whole.

    Spare width goes to the columns with long texts. Only when no layout fits (a word longer than a
    landscape page allows) are all columns narrowed, and the longest words may break. ``landscape=False``:
    portrait only (a table inside a chapter).
    """
    candidates = [c for c in LAYOUTS if landscape or not c[0]]
    for turned, size in candidates:
        total = text_width(turned)
        least, want, whole = _measure(headers, rows, numeric, size)
        if sum(least) <= total:
            if sum(want) <= total:  # room to spare: to the columns whose texts still wrap
                grow = [w1 - w0 for w0, w1 in zip(want, whole)]
                spare = total - sum(want)
                if sum(grow) > 0:
                    want = [w + min(g, spare * g / sum(grow)) for w, g in zip(want, grow)]
                return Layout(turned, size, want)
            spare = (total - sum(least)) / (sum(want) - sum(least))
            return Layout(turned, size, [m + (w - m) * spare for m, w in zip(least, want)])
    total, size = text_width(landscape), candidates[-1][1]
    least, _, _ = _measure(headers, rows, numeric, size)
    scale = total / sum(least)
    return Layout(landscape, size, [m * scale for m in least])


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _table_properties(table, total_cm: float) -> None:
    """Width and light borders; ``table.autofit = False`` has set the fixed layout (Word keeps the widths).
    Elements go in the order of the schema (Word refuses a file whose order is off)."""
    tblpr = table._tbl.tblPr
    width = tblpr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tblpr.insert_element_before(width, "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
                                    "w:tblLayout", "w:tblCellMar", "w:tblLook")
    width.set(qn("w:w"), str(int(total_cm / 2.54 * 1440)))
    width.set(qn("w:type"), "dxa")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "A6B3C2")
        borders.append(element)
    tblpr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                                "w:tblDescription")


def _row_flags(row, header: bool) -> None:
    trpr = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    trpr.append(cant)
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        trpr.append(repeat)


def add_table(doc, headers: list[str], rows: list[list[str]], numeric: list[bool], plan: Layout) -> None:
    table = doc.add_table(rows=len(rows) + 1, cols=len(headers))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _table_properties(table, sum(plan.widths))
    for j, width in enumerate(plan.widths):
        table.columns[j].width = Cm(width)
    for r, (row, texts) in enumerate(zip(table.rows, [headers] + rows)):
        _row_flags(row, header=r == 0)
        for j, (cell, text) in enumerate(zip(row.cells, texts)):
            cell.width = Cm(plan.widths[j])
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.line_spacing = 1.0
            run = paragraph.add_run(text)
            run.font.size = Pt(plan.size)
            if r == 0:
                run.bold = True
                _shade(cell, "E3E9F1")
            if numeric[j]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def published_cells(table: Table) -> tuple[list[str], list[list[str]], list[bool]]:
    keep = table.filled()
    headers = [table.headers()[j] for j in keep]
    rows = [[row[j].text for j in keep] for row in table.rows]
    numeric = [table.is_number(j) for j in keep]
    return headers, rows, numeric
