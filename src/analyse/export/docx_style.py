"""The Word note's house style and its low-level parts: A4 pages, Arial and nl-NL on every style and run,
the headings and paragraph styles, Word fields (page number, caption number, contents) and the footer."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Arial"
LANGUAGE = "nl-NL"
PAGE = (21.0, 29.7)  # A4, cm
MARGIN = 2.5
DARK = RGBColor(0x1F, 0x3A, 0x5F)
GREY = RGBColor(0x4A, 0x4A, 0x4A)


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


def _set_fonts(rpr_owner, name: str = FONT) -> None:
    """Arial for every script, replacing the template's theme fonts."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)


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


def set_styles(doc) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    _set_language(rpr)
    normal = styles["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for spec in (("Heading 1", 16, 18, 8), ("Heading 2", 12.5, 14, 4), ("Heading 3", 11, 10, 2)):
        name, size, before, after = spec
        style = styles[name]
        style.font.size, style.font.color.rgb, style.font.bold = Pt(size), DARK, True
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(before), Pt(after)
    title = styles["Title"]
    title.font.size, title.font.color.rgb, title.font.bold = Pt(28), DARK, True
    title.paragraph_format.space_after = Pt(12)
    caption = styles["Caption"]
    caption.font.size, caption.font.color.rgb, caption.font.bold = Pt(9.5), DARK, True
    caption.paragraph_format.space_before = Pt(4)
    caption.paragraph_format.space_after = Pt(2)
    lead = styles.add_style("Tussenkop", WD_STYLE_TYPE.PARAGRAPH)  # a heading that stays out of the contents
    lead.base_style = normal
    lead.font.size, lead.font.bold, lead.font.color.rgb = Pt(16), True, DARK
    lead.paragraph_format.space_after, lead.paragraph_format.keep_with_next = Pt(10), True
    lead2 = styles.add_style("Tussenkop 2", WD_STYLE_TYPE.PARAGRAPH)
    lead2.base_style = normal
    lead2.font.size, lead2.font.bold, lead2.font.color.rgb = Pt(12), True, DARK
    lead2.paragraph_format.space_before, lead2.paragraph_format.space_after = Pt(10), Pt(4)
    lead2.paragraph_format.keep_with_next = True
    small = styles.add_style("Toelichting", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    small.font.size, small.font.color.rgb = Pt(8.5), GREY
    small.paragraph_format.space_before, small.paragraph_format.space_after = Pt(3), Pt(4)
    guide = styles.add_style("Leeswijzer", WD_STYLE_TYPE.PARAGRAPH)
    guide.base_style = normal
    guide.font.size, guide.font.italic, guide.font.color.rgb = Pt(9), True, GREY
    guide.paragraph_format.space_after = Pt(14)
    for style in styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER) and style.element.get(qn("w:styleId")):
            if style.type == WD_STYLE_TYPE.PARAGRAPH and style.name.startswith(("Heading", "Title", "Normal",
                                                                                 "Caption", "List", "TOC")):
                _set_fonts(style.element)
            _set_language(style.element.get_or_add_rPr())
    subtitle_numbering = styles["Subtitle"].element.find(qn("w:pPr"))
    if subtitle_numbering is not None and subtitle_numbering.find(qn("w:numPr")) is not None:
        subtitle_numbering.remove(subtitle_numbering.find(qn("w:numPr")))


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


def paragraph_with_lead(doc, text: str = "", style: str | None = None, bold_lead: str = ""):
    paragraph = doc.add_paragraph(style=style)
    if bold_lead:
        paragraph.add_run(bold_lead).bold = True
    if text:
        paragraph.add_run(text)
    return paragraph


def add_caption(doc, label: str, number: int, title: str):
    paragraph = doc.add_paragraph(style="Caption")
    paragraph.add_run(f"{label} ")
    add_field(paragraph, f"SEQ {label} \\* ARABIC", str(number))
    paragraph.add_run(f". {title}")
    return paragraph
