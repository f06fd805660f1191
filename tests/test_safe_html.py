"""Notebook pages load nothing from the internet and show markup from data as text."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import bleach
import nbformat
import pandas as pd
import pytest

from analyse import runner, safe_html

PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)).decode("ascii")
EVIL = 'Turks<script>alert("x")</script>'


class Elements(HTMLParser):
    """Every start tag with its attributes, as a browser's parser sees them."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(page: str) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(page)
    return parser.tags


def executed_notebook(path) -> None:
    """An executed notebook with the outputs a theme produces, plus markup smuggled in through data."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": runner.KERNEL_NAME, "display_name": "x", "language": "python"}
    table = ('<div><style scoped>.dataframe tbody tr th {vertical-align: top;}</style><table border="1" '
             'class="dataframe"><thead><tr><th>Groep</th><th>Waarde</th></tr></thead><tbody><tr><td>'
             'Turks&lt;b&gt;</td><td>12,5</td></tr></tbody></table></div>')
    figure = (f'<figure style="margin:0"><img src="data:image/png;base64,{PNG}" width="640" alt="Figuur">'
              f'<figcaption><b>Zo leest u deze figuur.</b> Uitleg</figcaption></figure>')
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Thema\n\nInleiding voor onderzoekers (niet op de pagina)."),
        nbformat.v4.new_markdown_cell("## Overzicht\n\nZie de [bron](https://www.cbs.nl/)."),
        nbformat.v4.new_code_cell("overzicht", outputs=[
            nbformat.v4.new_output("execute_result", data={"text/html": table, "text/plain": "tabel"},
                                   execution_count=1)]),
        nbformat.v4.new_code_cell("figuur", outputs=[
            nbformat.v4.new_output("display_data", data={"text/html": figure, "text/plain": "figuur"}),
            nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "png"})]),
        nbformat.v4.new_code_cell("kernboodschappen", outputs=[
            nbformat.v4.new_output("display_data", data={
                "text/markdown": f"- De groep {EVIL} groeide.\n- <img src=x onerror=alert(1)>",
                "text/plain": "md"}),
            nbformat.v4.new_output("display_data", data={
                "text/html": f"<p>{EVIL}<iframe src='https://example.org'></iframe></p>",
                "application/javascript": "alert('js')", "image/svg+xml": "<svg onload='alert(1)'/>",
                "text/plain": "html"}),
            nbformat.v4.new_output("stream", name="stdout", text=f"print: {EVIL}\n")]),
        nbformat.v4.new_raw_cell("<script>alert('raw')</script>"),
    ]
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("html")
    executed_notebook(folder / "thema.ipynb")
    runner.write_html(folder / "thema.ipynb", folder / "thema.html")
    return (folder / "thema.html").read_text(encoding="utf-8")


def test_nothing_is_loaded_from_elsewhere_and_nothing_runs(page):
    tags = elements(page)
    assert [t for t, _ in tags if t in ("script", "iframe", "object", "embed", "link")] == []
    for tag, attrs in tags:
        for name in ("src", "href", "data"):
            value = (attrs.get(name) or "").strip().lower()
            if tag == "a" and name == "href":
                continue  # a link the reader may follow loads nothing by itself
            assert not value.startswith(("http:", "https:", "//")), (tag, attrs)
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    assert "cdnjs" not in page and "mathjax" not in page.lower() and "require.js" not in page
    assert re.search(r"@import", page) is None
    assert safe_html.offline_problems(page) == []


def test_markup_from_data_shows_as_text(page):
    assert page.count("Turks&lt;script&gt;alert(") >= 3  # Markdown output, HTML output, printed text
    assert "alert('js')" not in page and "onload" not in page
    assert "&lt;script&gt;alert('raw')&lt;/script&gt;" in page


def test_tables_figures_headings_and_links_survive(page):
    tags = elements(page)
    names = [t for t, _ in tags]
    assert {"table", "thead", "th", "td", "figure", "figcaption", "h1", "ul", "li"} <= set(names)
    images = [a["src"] for t, a in tags if t == "img" and "src" in a]  # the smuggled <img src=x> lost its src
    assert len(images) == 2 and all(src.startswith("data:image/png;base64,") for src in images)
    assert "<td>Turks&lt;b&gt;</td>" in page and "12,5" in page
    assert any(t == "a" and a.get("href") == "https://www.cbs.nl/" for t, a in tags)
    assert ".dataframe tbody" not in page, "pandas' style block is dropped, not shown as text"


@pytest.mark.parametrize("dirty, clean", [
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<img src="https://tracker.example/p.gif">', "<img>"),
    ('<img src="data:text/html;base64,PHNjcmlwdD4=">', "<img>"),
    ('<p style="background:url(https://x.example/a.png);color:red">x</p>', '<p style="color:red;">x</p>'),
    ("<STYLE>p{}</STYLE><p>x</p>", "<p>x</p>"),
])
def test_clean_keeps_only_safe_markup(dirty, clean):
    assert safe_html.clean(dirty) == clean


PAYLOAD = base64.b64encode(bytes(range(256)) * 8).decode("ascii")


@pytest.mark.parametrize("html", [
    f'<figure><img src="data:image/png;base64,{PAYLOAD}" width="640" alt="a"><figcaption>x</figcaption></figure>',
    f'<script>x</script><img src="data:image/png;base64,{PAYLOAD}"><p>data:image/png;base64,{PAYLOAD}</p>',
    f'<iframe src="data:image/png;base64,{PAYLOAD}"></iframe><img src="data:text/html;base64,{PAYLOAD}">',
    f'<img src="data:image/png;base64,{PAYLOAD}" onerror="alert(1)"><img src="data:image/gif;base64,{PAYLOAD}">',
])
def test_images_set_aside_while_cleaning_give_what_the_cleaner_gives(html):
    """Figure pixels skip the cleaner's character-by-character reading; the page is the same as without."""
    whole = bleach.clean(html, tags=safe_html.TAGS, attributes=safe_html._attribute_allowed,
                         protocols=safe_html.PROTOCOLS, strip=False, strip_comments=True,
                         css_sanitizer=safe_html._CSS)
    assert safe_html.clean(html) == whole


def test_a_stand_in_written_in_the_data_is_left_as_text():
    forged = "afbeelding0123456789abcdefn0"
    html = f'<p>{forged}</p><img src="data:image/png;base64,{PAYLOAD}">'
    assert safe_html.clean(html).startswith(f"<p>{forged}</p>")


def test_a_table_escapes_a_header_that_comes_from_data():
    """A group's label becomes a column header (the wijk table); a label with markup stays text in the notebook's
    own output, not only on the exported page."""
    from analyse import contract, presenter

    label = "<script>alert(1)</script>=HYPERLINK(\"x\")"
    frame = pd.DataFrame({"wijk": ["Wijk 01"], "aandeel": [12.5]})
    columns = (contract.Column("wijk", "Wijk"), contract.Column("aandeel", f"{label} (2022), %", "number",
                                                                     unit="procent"))
    page = presenter.table(frame, columns).to_html()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
