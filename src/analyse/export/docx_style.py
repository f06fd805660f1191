"""The house style of the Word documents and their low-level parts.

The styles live in a Word template shipped with the package, ``templates/huisstijl.docx`` (A4, Arial, nl-NL on
the defaults and every style; Title, Heading 1-3, Caption, List Bullet and the house's own *Tussenkop*,
*Tussenkop 2*, *Toelichting* and *Leeswijzer*). Another municipality restyles the nota and the technical report
by opening that file in Word, changing the styles and saving it; no code changes. Here: page setup (portrait
and landscape sections), Word fields (page number, caption number, contents), the footer, and nl-NL on every
run the code writes."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

LANGUAGE = "nl-NL"
PAGE = (21.0, 29.7)  # A4, cm
MARGIN = 2.5
DARK = RGBColor(0x1F, 0x3A, 0x5F)
TEMPLATE = Path(__file__).with_name("templates") / "huisstijl.docx"
STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption", "List Bullet", "Tussenkop",
          "Tussenkop 2", "Toelichting", "Leeswijzer")
"""The styles the publications use: the template must hold every one of them."""


def text_width(landscape: bool) -> float:
    return (PAGE[1] if landscape else PAGE[0]) - 2 * MARGIN


def page_setup(section, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (PAGE[1], PAGE[0]) if landscape else PAGE
    section.page_width, section.page_height = Cm(width), Cm(height)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(MARGIN)
    section.footer_distance = Cm(1.2)


def add_field(paragraph, instruction: str, shown: str = "") -> None:
    """A Word field (PAGE, SEQ, TOC) with ``shown`` as its current result."""
    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")  # Word recomputes the field when it opens the file
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


_RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def _set_language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        successor = next((rpr.find(qn(t)) for t in _RPR_AFTER_LANG if rpr.find(qn(t)) is not None), None)
        if successor is not None:
            successor.addprevious(lang)
        else:
            rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def new_document():
    """A new, empty document in the house style: the template :data:`TEMPLATE` (its page, fonts, language and
    styles). Restyling the publications is editing that file in Word; it must keep :data:`STYLES`."""
    return docx.Document(str(TEMPLATE))


def every_run_in_dutch(doc) -> None:
    parts = [doc.element.body] + [s.footer._element for s in doc.sections]
    for part in parts:
        for run in part.iter(qn("w:r")):
            rpr = run.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                run.insert(0, rpr)
            _set_language(rpr)


_SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr",
    "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


def update_fields_on_open(doc) -> None:
    settings = doc.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.insert_element_before(update, *_SETTINGS_AFTER_UPDATE_FIELDS)
    update.set(qn("w:val"), "true")
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), LANGUAGE)
    for name, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):  # Dutch, as Word sets them
        element = settings.find(qn(name))
        if element is not None:
            element.set(qn("w:val"), value)


def add_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(paragraph, "PAGE", "1")
    for run in paragraph.runs:
        run.font.size = Pt(9)


def add_caption(doc, label: str, number: int, title: str):
    paragraph = doc.add_paragraph(style="Caption")
    paragraph.add_run(f"{label} ")
    add_field(paragraph, f"SEQ {label} \\* ARABIC", str(number))
    paragraph.add_run(f". {title}")
    return paragraph
