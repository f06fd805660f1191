"""How a notebook shows what a theme produced: tables, figures, messages, with data text escaped.

Everything a notebook displays goes through here, so that text from data files and parameters is always
shown as text, never rendered as HTML or Markdown: tables are pandas Stylers with HTML escaping, no index and
Dutch numbers; figures and messages are HTML built with :func:`html.escape`.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from analyse import contract
from analyse.text.label_texts import CODE_LABELS
from analyse.text.notation import MISSING, format_number, format_value, format_year


class HTMLBlock:
    """A piece of HTML for the notebook (already escaped where it holds data)."""

    def __init__(self, markup: str, plain: str):
        self.markup, self.plain = markup, plain

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.plain


class FigureView(HTMLBlock):
    """A saved figure as the notebook shows it: the PNG with its reading guidance under it."""

    def __init__(self, png: Path, record: contract.FigureRecord):
        self.png, self.record = png, record
        image = base64.b64encode(png.read_bytes()).decode("ascii")
        markup = (f'<figure style="margin:0 0 1.5em 0"><img src="data:image/png;base64,{image}" width="640" '
                  f'alt="{html.escape(record.alt)}"><figcaption style="max-width:640px;font-size:90%">'
                  f'<b>Zo leest u deze figuur.</b> {html.escape(record.guidance)}</figcaption></figure>')
        super().__init__(markup, f"{record.title}\n{record.guidance}")


def paragraph(content: str, *, bold_lead: str | None = None, italic: bool = False) -> HTMLBlock:
    """One paragraph of text (escaped); ``bold_lead`` is shown in bold before it."""
    body = html.escape(content)
    if italic:
        body = f"<i>{body}</i>"
    lead = f"<b>{html.escape(bold_lead)}</b> " if bold_lead else ""
    return HTMLBlock(f"<p>{lead}{body}</p>", f"{bold_lead + ' ' if bold_lead else ''}{content}")


def bullets(items: list[str], empty: str = "Geen.") -> HTMLBlock:
    """A bulleted list of texts (escaped)."""
    if not items:
        return paragraph(empty)
    markup = "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"
    return HTMLBlock(markup, "\n".join(f"- {item}" for item in items))


def header_line(parts: list[tuple[str, str]], note: str | None = None) -> HTMLBlock:
    """'Regio: Maassluis  Venster: 2009-2024 ...' under a notebook's title."""
    markup = " &nbsp; ".join(f"<b>{html.escape(k)}:</b> {html.escape(v)}" for k, v in parts)
    plain = "  ".join(f"{k}: {v}" for k, v in parts)
    if note:
        markup += f"<p><i>{html.escape(note)}</i></p>"
        plain += f"\n{note}"
    return HTMLBlock(f"<p>{markup}</p>", plain)


def _cell(value, unit: str | None, decimals: int | None) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    if isinstance(value, str):
        return value
    if unit is None:
        return format_number(value, decimals)
    return format_value(value, unit, decimals)


def table(frame: pd.DataFrame, columns: tuple[contract.Column, ...],
          suppressed: tuple[contract.SuppressedCell, ...] = (), caption: str | None = None):
    """A Styler showing ``columns`` of ``frame`` with their Dutch headers and formatted values.

    No index, nothing truncated, numbers in Dutch notation with their unit and decimals, suppressed cells
    shown as their mark, every text escaped.
    """
    frame = frame.reset_index(drop=True)
    marks = {(c.row, c.column): c.mark for c in suppressed}
    shown = pd.DataFrame(index=frame.index)
    for column in columns:
        values = []
        for i, value in frame[column.name].items():
            if (i, column.name) in marks:
                values.append(marks[(i, column.name)])
                continue
            if column.kind == "year":
                values.append(format_year(value))
                continue
            if column.kind in ("text", "label"):
                cell = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
                values.append(CODE_LABELS.get(cell, cell) if column.kind == "label" else cell)
                continue
            unit = frame.at[i, column.unit_column] if column.unit_column else column.unit
            decimals = frame.at[i, column.decimals_column] if column.decimals_column else column.decimals
            decimals = None if decimals is None or pd.isna(decimals) else int(decimals)
            values.append(_cell(value, unit, decimals))
        shown[column.header] = values
    # headers may come from data (a group's label in a column name): escaped like every cell
    styler = shown.style.hide(axis="index").format(escape="html").format_index(escape="html", axis=1)
    numeric = [c.header for c in columns if c.kind == "number"]
    styler = styler.set_properties(subset=numeric, **{"text-align": "right"}) if numeric else styler
    styler = styler.set_table_styles([{"selector": "td, th", "props": "white-space: normal; text-align: left;"}],
                                     overwrite=False)
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler
