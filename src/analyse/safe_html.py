"""Offline, sanitised HTML copies of the executed notebooks (``reports/notebooks/<thema>.html``).

Two rules, because these pages are published by a municipality and opened from a file share or web server:

- **Nothing from the internet.** nbconvert's ``lab`` template loads require.js, MathJax and mermaid from a
  CDN. :class:`OfflineHTMLExporter` renders with a template that leaves out every script (the pages need
  none: the notebooks' outputs are text, tables and PNG images); the template's CSS is inlined.
- **Data is text, never markup.** Labels, key messages and table cells come from data files. Every
  ``text/html`` output and every piece of Markdown (cells and ``text/markdown`` outputs, after rendering) is
  cleaned with :func:`clean`: an allow-list of formatting tags (paragraphs, headings, lists, tables,
  figures, images); any other tag, such as ``<script>`` from a group label, is escaped and shows as text.
  Images survive only as ``data:image/...`` URIs; links only with http(s), mailto or a relative target;
  inline styles only with a few layout properties. Output types that can carry code or load resources
  (JavaScript, SVG, widgets) are dropped; their plain-text version stays.

nbconvert's own ``sanitize_html`` option was not used: its allow-list has no paragraphs, headings, table
headers or images, so tables and figures would appear as escaped markup.
"""

from __future__ import annotations

import re
import secrets

import bleach
import jinja2
from bleach.css_sanitizer import CSSSanitizer

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "s", "samp", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
COMMON_ATTRIBUTES = frozenset({"class", "id", "title", "style", "colspan", "rowspan", "align", "lang", "dir"})
STYLE_PROPERTIES = ("text-align", "vertical-align", "margin", "margin-top", "margin-bottom", "margin-left",
                    "margin-right", "padding", "max-width", "width", "font-size", "font-weight", "font-style",
                    "white-space", "color", "background-color", "border", "border-collapse")
PROTOCOLS = ("http", "https", "mailto", "data")
IMAGE_URI = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z")
# kept as they are in an output (anything else is dropped); text/html is cleaned, text/markdown is cleaned
# after rendering (OfflineHTMLExporter.markdown2html)
KEPT_OUTPUT_TYPES = frozenset({"text/plain", "text/html", "text/markdown", "image/png", "image/jpeg"})
_IMAGE_PAYLOAD = re.compile(r"(data:image/(?:png|jpeg|gif|webp);base64,)([A-Za-z0-9+/=]{64,})")
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.IGNORECASE | re.DOTALL)
_CSS = CSSSanitizer(allowed_css_properties=STYLE_PROPERTIES)


def _attribute_allowed(tag: str, name: str, value: str) -> bool:
    if name in COMMON_ATTRIBUTES:
        return True
    if tag == "img":
        if name == "src":
            return bool(IMAGE_URI.match(value.strip()))
        return name in ("alt", "width", "height")
    if tag == "a":
        if name == "href":
            return not value.strip().lower().startswith("data:")
        return name in ("name", "rel")
    if tag in ("table", "td", "th"):
        return name in ("border", "cellpadding", "cellspacing", "width")
    if tag in ("ol", "li"):
        return name in ("start", "type", "value")
    if tag == "details":
        return name == "open"
    return False


def clean(html: str) -> str:
    """HTML from an output or rendered Markdown, reduced to the allow-list; other markup becomes text.

    ``<style>`` blocks (pandas puts one before every table) are removed with their content. The payload of
    an embedded image (base64: letters, digits, ``+/=``, which cannot form markup) is set aside while the
    rest is cleaned and put back after: the cleaner would otherwise read megabytes of figure pixels one
    character at a time. The stand-in carries a random part, so text in the page cannot forge one.
    """
    payloads: list[str] = []
    stand_in = f"afbeelding{secrets.token_hex(8)}n"

    def set_aside(match: re.Match) -> str:
        payloads.append(match.group(2))
        return f"{match.group(1)}{stand_in}{len(payloads) - 1}"

    html = _IMAGE_PAYLOAD.sub(set_aside, _STYLE_BLOCK.sub("", str(html)))
    cleaned = bleach.clean(html, tags=TAGS, attributes=_attribute_allowed, protocols=PROTOCOLS, strip=False,
                           strip_comments=True, css_sanitizer=_CSS)
    if not payloads:
        return cleaned
    return re.sub(re.escape(stand_in) + r"(\d+)", lambda m: payloads[int(m.group(1))], cleaned)


PAGE_STYLE = """
body{max-width:60rem;margin:0 auto;padding:0 .75rem}
.jp-Notebook{padding:0}
.jp-Cell{padding:.25rem 0}
.jp-OutputArea-output,.jp-RenderedHTMLCommon{overflow-x:auto;max-width:100%}
.jp-RenderedHTMLCommon td,.jp-RenderedHTMLCommon th{text-align:left!important;vertical-align:top}
.jp-RenderedHTMLCommon table{display:block;overflow-x:auto;max-width:100%}
.jp-RenderedHTMLCommon img,.jp-OutputArea-output img{max-width:100%;height:auto}
.jp-RenderedHTMLCommon p,.jp-RenderedHTMLCommon li{overflow-wrap:anywhere}
.analyse-kop{border-bottom:2px solid #cfd8e3;margin:1rem 0;padding-bottom:.5rem;font-family:system-ui,Arial,sans-serif}
.analyse-kop h1{font-size:1.6rem;margin:.5rem 0;color:#1f3a5f}
.analyse-kop .waar{color:#4a5666;margin:.25rem 0}
.analyse-kop li{margin:.35rem 0;line-height:1.45}
details>summary{cursor:pointer;color:#0b4f8a;margin:.25rem 0}
"""
"""The page's own layout: readable on a phone (390 px), text left-aligned, wide tables scroll in their box."""
LONG_TABLE = 25
"""An output table with more rows than this is folded (``<details>``): the page stays readable."""

_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_css -%}<style>{{ resources.analyse_style }}</style>{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
{%- if resources.analyse_page %}
<header class="analyse-kop">
<h1>{{ resources.analyse_page.title | e }}</h1>
{%- if resources.analyse_page.where %}
<p class="waar">{{ resources.analyse_page.where | e }}</p>
{%- endif %}
{%- if resources.analyse_page.messages %}
<h2>Kernboodschappen</h2>
<ul>
{%- for message in resources.analyse_page.messages %}
<li>{{ message | e }}</li>
{%- endfor %}
</ul>
{%- endif %}
</header>
{%- endif %}
{%- endblock body_header -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block data_javascript scoped -%}{%- endblock data_javascript -%}
{%- block data_widget_view scoped -%}{%- endblock data_widget_view -%}
{%- block data_svg scoped -%}{%- endblock data_svg -%}
{%- block data_latex scoped -%}{%- endblock data_latex -%}
{%- block footer_js -%}{%- endblock footer_js -%}
"""


def fold_long_table(html: str) -> str:
    """An output with a table of more than :data:`LONG_TABLE` rows, folded under a line that says how long it is."""
    rows = len(re.findall(r"<tr\b", html)) - 1
    if rows <= LONG_TABLE:
        return html
    return f"<details><summary>Tabel met {rows} regels tonen</summary>{html}</details>"


def _exporter_classes() -> dict:
    """:class:`SanitizeOutputs` and :class:`OfflineHTMLExporter`, defined on first use: nbconvert takes a
    second to import, and ``analyse run`` needs only :func:`offline_problems` outside the workers."""
    if "OfflineHTMLExporter" in _CLASSES:
        return _CLASSES
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import Preprocessor

    class SanitizeOutputs(Preprocessor):
        """Clean ``text/html`` outputs; drop output types that could run code or load resources."""

        def preprocess(self, nb, resources):
            nb.metadata.pop("widgets", None)
            return super().preprocess(nb, resources)

        def preprocess_cell(self, cell, resources, index):
            if cell.cell_type == "code":
                for output in cell.get("outputs", []):
                    if "data" not in output:
                        continue  # stream and error outputs are escaped by the template
                    data = output["data"]
                    for mime in list(data):
                        if mime not in KEPT_OUTPUT_TYPES:
                            del data[mime]
                    if "text/html" in data:
                        html = data["text/html"]
                        data["text/html"] = fold_long_table(clean("".join(html) if isinstance(html, list) else html))
            elif cell.cell_type == "raw":  # the template emits a raw cell unchanged
                cell.source = clean(cell.source)
            return cell, resources

    class OfflineHTMLExporter(HTMLExporter):
        """nbconvert's lab layout without scripts, with every output and piece of Markdown cleaned."""

        def __init__(self, **kwargs):
            kwargs.setdefault("template_name", "lab")
            kwargs.setdefault("language_code", "nl")
            super().__init__(extra_loaders=[jinja2.DictLoader({"analyse_offline.html.j2": _TEMPLATE})],
                             template_file="analyse_offline.html.j2", **kwargs)
            self.register_preprocessor(SanitizeOutputs(), enabled=True)

        @jinja2.pass_context
        def markdown2html(self, context, source):
            return clean(super().markdown2html(context, source))

    _CLASSES.update(SanitizeOutputs=SanitizeOutputs, OfflineHTMLExporter=OfflineHTMLExporter)
    return _CLASSES


_CLASSES: dict = {}


def __getattr__(name: str):
    if name in ("SanitizeOutputs", "OfflineHTMLExporter"):
        return _exporter_classes()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_REMOTE = re.compile(r"<(script|link|img|iframe|frame|embed|object|source|audio|video|track|input)\b[^>]*?"
                     r"\b(src|href|data|srcset|poster)\s*=\s*[\"']?\s*(https?:)?//", re.IGNORECASE)


def offline_problems(page: str) -> list[str]:
    """What in ``page`` would run a script or load something from elsewhere (empty: none)."""
    problems = [m.group(0)[:80] for m in _REMOTE.finditer(page)]
    problems += [m.group(0)[:80] for m in re.finditer(r"<script\b[^>]*>", page, re.IGNORECASE)]
    problems += [m.group(0)[:80] for m in re.finditer(r"@import\b[^;]*", page, re.IGNORECASE)]
    return problems
